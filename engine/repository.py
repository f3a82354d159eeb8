"""Load the whole manifest repository: every tabard document under the root.

Cross-document rules need every document, so the repository is always loaded
in full; which documents are *reported on* is decided later (targets).
Problems found while reading files (TAB-001, TAB-002, TAB-006) are kept per
file and reported only when that file is a target.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Final

from tabard.cache import Cache, Entry, must_parse
from tabard.documents import Document
from tabard.engine_findings import engine_finding
from tabard.findings import Finding
from tabard.language.context import Context, IndexSpec
from tabard.yamlio import LoadedDocument, YamlError, load_documents

#: No manifest comes anywhere near this; bigger files are refused unread.
MAX_FILE_BYTES: Final = 1 << 20
#: Document kinds that are read by other means (config, policy loading).
NOT_REPOSITORY_KINDS: Final = frozenset({"Config", "Policy", "PolicyTest"})
_SKIPPED_DIRS: Final = frozenset({"node_modules", "__pycache__"})
YAML_SUFFIXES: Final = (".yaml", ".yml")


def discover(root: Path, excluded: Callable[[str], bool]) -> list[str]:
    """Relative POSIX paths of every YAML file under *root*, sorted.

    Hidden directories (``.git``, ``.tabard-cache``, …) are never entered.
    """
    found: list[str] = []
    root_text = str(root)
    for directory, subdirectories, names in os.walk(root_text):
        relative = os.path.relpath(directory, root_text).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        subdirectories[:] = [
            name
            for name in subdirectories
            if not name.startswith(".")
            and name not in _SKIPPED_DIRS
            and not excluded(prefix + name)
        ]
        for name in names:
            if name.endswith(YAML_SUFFIXES) and not excluded(prefix + name):
                found.append(prefix + name)
    found.sort()
    return found


class Repository:
    """Every document under *root*, plus indexes built on demand."""

    def __init__(self, root: Path, today: date, account_dirs: Iterable[str]) -> None:
        self.root = root
        self.today = today
        self.account_dirs = tuple(d.strip("/") + "/" for d in account_dirs)
        self.documents: list[Document] = []
        self.by_kind: dict[str, list[Document]] = defaultdict(list)
        #: Problems found while reading, by file (reported only for targets).
        self.file_findings: dict[str, list[Finding]] = defaultdict(list)
        self.files: list[str] = []
        self._force_documents: dict[tuple[str, str], Document] = {}
        self._by_force: dict[Any, dict[str, Any]] = {}
        self._indexes: dict[str, Any] = {}
        self._cache: Cache | None = None
        self._root_text = str(root)
        #: Cache entries of the files read or reused this run.
        self.entries: dict[str, Entry] = {}
        #: Files read afresh although a cache was in use, and projections computed anew.
        self.changed_files = 0
        self.new_projections = False

    # --- the language's view --------------------------------------------------------------

    def force_document(self, kind: str, force: Any) -> Any:
        document = self._force_documents.get((kind, force))
        return None if document is None else document.data

    def force_documents(self, force: Any) -> dict[str, Any]:
        """The force's Force, Strategy and BrandGuide documents by kind (built once)."""
        found = self._by_force.get(force)
        if found is None:
            found = self._by_force[force] = {
                kind: document.data
                for (kind, owner), document in self._force_documents.items()
                if owner == force
            }
        return found

    def has_force_document(self, kind: str, force: Any) -> bool:
        return (kind, force) in self._force_documents

    @cached_property
    def view(self) -> DocumentsView:
        """What plugin collection operators see (``tabard.RepositoryView``)."""
        return DocumentsView(self)

    def index(self, spec: IndexSpec) -> Any:
        key = spec.key
        if key not in self._indexes:
            projections = []
            for document in self.by_kind.get(spec.kind, ()):
                known = document.projections
                if key in known:
                    projection = known[key]
                else:
                    context = Context(document.data, document.key, self, self.today)
                    projection = known[key] = spec.project(context)
                    # A cached document without this projection: the cache is missing it.
                    self.new_projections |= document._loader is not None
                if projection is not None:
                    projections.append((document.key, projection))
            self._indexes[key] = spec.aggregate(projections)
        return self._indexes[key]

    # --- loading ---------------------------------------------------------------------------

    def under_account_dir(self, file: str) -> bool:
        return file.startswith(self.account_dirs)

    def add(self, document: Document) -> None:
        self.documents.append(document)
        self.by_kind[document.kind].append(document)
        if document.kind in ("Force", "Strategy", "BrandGuide") and document.force:
            self._force_documents.setdefault((document.kind, document.force), document)

    def load(
        self,
        files: Iterable[str],
        *,
        cache: Cache | None = None,
        fresh: Callable[[str], bool] | None = None,
    ) -> None:
        """Load *files*; with a *cache*, files not *fresh* (not targets) may come from it."""
        self._cache = cache
        for file in files:
            self.files.append(file)
            reusable = cache is not None and fresh is not None and not fresh(file)
            for document in self._documents(file, reusable):
                self.add(document)

    def _documents(self, file: str, reusable: bool) -> list[Document]:
        cache = self._cache
        if reusable and cache is not None:
            try:
                # os.stat on a joined string: a Path per file costs more than the stat.
                stat = os.stat(f"{self._root_text}/{file}")  # noqa: PTH116
            except OSError:
                stat = None
            entry = None if stat is None else cache.unchanged(file, stat)
            if entry is not None and not must_parse(entry):
                self.entries[file] = entry
                return self._stubs(file, entry)
        read = self._raw(file)
        if read is None:
            return []
        raw, stat = read
        if cache is None:
            return self._parse(file, raw)
        digest = hashlib.sha256(raw).hexdigest()
        self.changed_files += 1
        entry = cache.same_content(file, digest) if reusable else None
        if entry is not None and not must_parse(entry):
            # Touched but not changed (a checkout, a rebase): the cache still holds.
            self.entries[file] = [stat.st_size, stat.st_mtime_ns, digest, entry[3]]
            return self._stubs(file, entry)
        documents = self._parse(file, raw)
        self.entries[file] = [stat.st_size, stat.st_mtime_ns, digest, []]
        return documents

    def _stubs(self, file: str, entry: Entry) -> list[Document]:
        return [
            Document(
                file, number, kind, identity, force, _loader=self._reload, projections=projections
            )
            for number, kind, identity, force, projections in entry[3]
        ]

    def _reload(self, file: str, number: int) -> LoadedDocument:
        """Parse a document the cache stood in for, now that its data is needed."""
        read = self._raw(file)
        try:
            loaded = load_documents(read[0]) if read is not None else []
        except YamlError:
            loaded = []
        return loaded[number] if number < len(loaded) else LoadedDocument({}, array("I", [0]))

    def cache_entries(self) -> dict[str, Entry]:
        """What the cache should hold after this run: every file, with its projections."""
        by_file: dict[str, list[Document]] = defaultdict(list)
        for document in self.documents:
            by_file[document.file].append(document)
        return {
            file: [
                *entry[:3],
                [[d.number, d.kind, d.id, d.force, d.projections] for d in by_file.get(file, ())],
            ]
            for file, entry in self.entries.items()
        }

    def _problem(self, code: str, file: str, line: int, column: int, message: str) -> None:
        self.file_findings[file].append(engine_finding(code, file, line, column, message))

    def _raw(self, file: str) -> tuple[bytes, os.stat_result] | None:
        accounts = self.under_account_dir(file)
        try:
            with open(self.root / file, "rb") as stream:
                raw = stream.read(MAX_FILE_BYTES + 1)
                stat = os.fstat(stream.fileno())
        except OSError as error:
            self._problem("TAB-001", file, 1, 1, f"cannot read file: {error.strerror}")
            return None
        if len(raw) > MAX_FILE_BYTES:
            if accounts or b"tabard/" in raw[:65536]:
                self._problem(
                    "TAB-001",
                    file,
                    1,
                    1,
                    f"file is larger than {MAX_FILE_BYTES >> 20} "
                    "MiB; a tabard document is a few kilobytes, so this is not one",
                )
            return None
        return raw, stat

    def _parse(self, file: str, raw: bytes) -> list[Document]:
        accounts = self.under_account_dir(file)
        # Every tabard document says `apiVersion: tabard/v1`: files without it are not ours.
        if b"tabard/" not in raw:
            if accounts:
                self._not_tabard(file, 1, 1)
            return []
        try:
            loaded = load_documents(raw)
        except YamlError as error:
            code = "TAB-002" if error.duplicate_key else "TAB-001"
            self._problem(code, file, error.line, error.column, error.message)
            return []
        documents = []
        for number, item in enumerate(loaded):
            data = item.data
            api = data.get("apiVersion") if type(data) is dict else None
            if not (isinstance(api, str) and api.startswith("tabard/")):
                if accounts:
                    self._not_tabard(file, item.line, item.column)
                continue
            kind = data.get("kind")
            if not isinstance(kind, str):
                kind = ""  # TAB-003 reports the kind that is not a name
            elif kind in NOT_REPOSITORY_KINDS:
                continue
            documents.append(Document.parsed(file, number, kind, item))
        return documents

    def _not_tabard(self, file: str, line: int, column: int) -> None:
        directory = next(d for d in self.account_dirs if file.startswith(d))
        self._problem(
            "TAB-006",
            file,
            line,
            column,
            f"not a tabard document: every YAML file under {directory} must be one (an "
            "Account manifest starts with `apiVersion: tabard/v1` and `kind: Account`)",
        )


class DocumentsView:
    """A read-only view of every document, by kind (``tabard.RepositoryView``)."""

    def __init__(self, repository: Repository) -> None:
        self._repository = repository

    def documents(self, kind: str) -> list[Any]:
        return [document.data for document in self._repository.by_kind.get(kind, ())]

    def document(self, kind: str, id: str) -> Any:
        found = next((d for d in self._repository.by_kind.get(kind, ()) if d.id == id), None)
        return None if found is None else found.data

    def force_document(self, kind: str, force: str) -> Any:
        return self._repository.force_document(kind, force)
