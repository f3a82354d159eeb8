"""Load the whole manifest repository: every tabard document under the root.

Cross-document rules need every document, so the repository is always loaded
in full; which documents are *reported on* is decided later (targets).
Problems found while reading files (TAB-001, TAB-002, TAB-006) are kept per
file and reported only when that file is a target; folders and files that could
not or must not be read at all (``unseen``) are reported in every run, since
the documents they hide are missing from every rule.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Final

from tabard.documents.cache import Cache, Entry, must_parse
from tabard.documents.document import Document
from tabard.documents.engine_rules import engine_finding
from tabard.documents.files import Refused, kind_of, not_regular, read_regular
from tabard.documents.yamlio import LoadedDocument, YamlError, load_documents
from tabard.findings import Finding
from tabard.language.context import Context, IndexSpec
from tabard.readonly import readonly

#: No manifest comes anywhere near this; bigger files are refused unread.
MAX_FILE_BYTES: Final = 1 << 20
#: Document kinds that are read by other means (config, policy loading).
NOT_REPOSITORY_KINDS: Final = frozenset({"Config", "Policy", "PolicyTest"})
POLICY_KINDS: Final = frozenset({"Policy", "PolicyTest"})
_SKIPPED_DIRS: Final = frozenset({"node_modules", "__pycache__"})
YAML_SUFFIXES: Final = (".yaml", ".yml")


@dataclass
class Discovery:
    """What :func:`discover` found under the root."""

    #: Relative POSIX paths of the YAML files to read, sorted.
    files: list[str] = field(default_factory=list)
    #: Those of them that are symbolic links to a regular file inside the root.
    links: set[str] = field(default_factory=set)
    #: Folders and files that cannot or must not be read, with why (a TAB-001 each).
    problems: dict[str, str] = field(default_factory=dict)


def discover(root: Path, excluded: Callable[[str], bool]) -> Discovery:
    """Every YAML file under *root*, and every path that hides some from tabard.

    Hidden directories (``.git``, ``.tabard-cache``, …) are never entered.  A
    folder that cannot be listed, a FIFO, socket or device named ``*.yaml``, and a
    symbolic link that leads out of the root, nowhere or round in a loop are
    problems: never a silent skip, never followed, never read.
    """
    found = Discovery()
    root_text = str(root)
    real_root = os.path.realpath(root_text)
    pending = [""]
    while pending:
        prefix = pending.pop()
        try:
            with os.scandir(f"{root_text}/{prefix}" if prefix else root_text) as entries:
                for entry in entries:
                    _classify(entry, prefix, excluded, real_root, found, pending)
        except OSError as error:
            found.problems[prefix.rstrip("/") or "."] = (
                f"cannot read folder: {error.strerror}; tabard must see every folder in the "
                "repository (make it readable, or add it to exclude in tabard.yaml)"
            )
    found.files.sort()
    return found


def _classify(
    entry: os.DirEntry[str],
    prefix: str,
    excluded: Callable[[str], bool],
    real_root: str,
    found: Discovery,
    pending: list[str],
) -> None:
    """File *entry* under what it is; DirEntry answers from the listing, without a stat."""
    name = entry.name
    path = prefix + name
    try:
        if entry.is_dir(follow_symlinks=False):
            if _enterable(name) and not excluded(path):
                pending.append(path + "/")
        elif entry.is_file(follow_symlinks=False):
            if name.endswith(YAML_SUFFIXES) and not excluded(path):
                found.files.append(path)
        elif entry.is_symlink():
            if not excluded(path):
                _classify_link(entry, path, real_root, found)
        elif name.endswith(YAML_SUFFIXES) and not excluded(path):
            mode = entry.stat(follow_symlinks=False).st_mode
            found.problems[path] = f"cannot read file: {not_regular(mode)}"
    except OSError as error:
        found.problems[path] = f"cannot read file: {error.strerror}"


def _broken_link(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "it is a symbolic link that leads round in a loop"
    if error.errno == errno.ENOENT:
        return "it is a symbolic link to something that does not exist"
    return f"it is a symbolic link that cannot be followed: {error.strerror}"


def _enterable(name: str) -> bool:
    return not name.startswith(".") and name not in _SKIPPED_DIRS


def _classify_link(entry: os.DirEntry[str], path: str, real_root: str, found: Discovery) -> None:
    """A symbolic link is read only if it leads to a regular YAML file inside the root.

    A link to a folder inside the root is not entered: its files are read where they
    really are.  Anything else that could hold documents is a problem.
    """
    is_yaml = entry.name.endswith(YAML_SUFFIXES)
    try:
        target = os.path.realpath(entry.path, strict=True)
        mode = os.stat(target).st_mode  # noqa: PTH116 - realpath gives a string
    except OSError as error:
        if is_yaml:
            found.problems[path] = f"cannot read file: {_broken_link(error)}"
        return
    inside = target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep)
    if stat.S_ISDIR(mode):
        if not inside and _enterable(entry.name):
            found.problems[path] = (
                "cannot read folder: it is a symbolic link to a folder outside the "
                "repository, which tabard does not follow (copy the folder into the "
                "repository, or add it to exclude in tabard.yaml)"
            )
    elif not is_yaml:
        return
    elif not inside:
        found.problems[path] = (
            "cannot read file: it is a symbolic link to a file outside the repository, which "
            "tabard does not follow (copy the file into the repository instead)"
        )
    elif not stat.S_ISREG(mode):
        found.problems[path] = f"cannot read file: it is a symbolic link to {kind_of(mode)}"
    else:
        found.files.append(path)
        found.links.add(path)


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
        #: Folders and files tabard could not or would not read: they hide documents from
        #: every rule, so they are reported in every run, whatever its targets.
        self.unseen: list[Finding] = []
        #: Files that are symbolic links to a regular file inside the root (read through them).
        self.links: set[str] = set()
        self._force_documents: dict[tuple[str, str], Document] = {}
        self._by_force: dict[Any, dict[str, Any]] = {}
        self._indexes: dict[str, Any] = {}
        self._cache: Cache | None = None
        self._root_text = str(root)
        #: Cache entries of the files read or reused this run.
        self.entries: dict[str, Entry] = {}
        #: Files holding Policy or PolicyTest documents (checked against the config's list).
        self.policy_files: set[str] = set()
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

    def note(self, found: Discovery) -> None:
        """Remember what discovery found besides the files: links and unreadable paths."""
        self.links = found.links
        for path, message in found.problems.items():
            self.unseen.append(engine_finding("TAB-001", path, 1, 1, message))

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
            reusable = cache is not None and fresh is not None and not fresh(file)
            for document in self._documents(file, reusable):
                self.add(document)

    def _documents(self, file: str, reusable: bool) -> list[Document]:
        cache = self._cache
        if reusable and cache is not None:
            try:
                # os.stat on a joined string: a Path per file costs more than the stat.
                status = os.stat(  # noqa: PTH116
                    f"{self._root_text}/{file}", follow_symlinks=file in self.links
                )
            except OSError:
                status = None
            entry = None if status is None else cache.unchanged(file, status)
            if entry is not None and not must_parse(entry):
                self.entries[file] = entry
                return self._stubs(file, entry)
        read = self._raw(file)
        if read is None:
            return []
        raw, status = read
        if cache is None:
            return self._parse(file, raw)
        digest = hashlib.sha256(raw).hexdigest()
        self.changed_files += 1
        entry = cache.same_content(file, digest) if reusable else None
        if entry is not None and not must_parse(entry):
            # Touched but not changed (a checkout, a rebase): the cache still holds.
            self.entries[file] = [status.st_size, status.st_mtime_ns, digest, entry[3]]
            return self._stubs(file, entry)
        documents = self._parse(file, raw)
        self.entries[file] = [status.st_size, status.st_mtime_ns, digest, []]
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
                [[d.number, d.kind, d.id, d.force, d.projections] for d in by_file.get(file, ())]
                # A marker, so that the file is parsed again next time and its policies seen.
                + ([[0, "Policy", None, None, {}]] if file in self.policy_files else []),
            ]
            for file, entry in self.entries.items()
        }

    def _problem(self, code: str, file: str, line: int, column: int, message: str) -> None:
        self.file_findings[file].append(engine_finding(code, file, line, column, message))

    def _raw(self, file: str) -> tuple[bytes, os.stat_result] | None:
        try:
            return read_regular(
                f"{self._root_text}/{file}", MAX_FILE_BYTES, follow=file in self.links
            )
        except Refused as refused:
            if refused.head is None:
                # Unreadable, or no longer a regular file: documents are hidden from every rule.
                self.unseen.append(
                    engine_finding("TAB-001", file, 1, 1, f"cannot read file: {refused.reason}")
                )
            elif self.under_account_dir(file) or b"tabard/" in refused.head:
                self._problem(
                    "TAB-001",
                    file,
                    1,
                    1,
                    f"file is larger than {MAX_FILE_BYTES >> 20} "
                    "MiB; a tabard document is a few kilobytes, so this is not one",
                )
            return None

    def _parse(self, file: str, raw: bytes) -> list[Document]:
        accounts = self.under_account_dir(file)
        encoding = _not_utf8(raw)
        if encoding is not None:
            # Checked before the test below, which cannot see `tabard/` in UTF-16 bytes.
            self._problem(
                "TAB-001", file, 1, 1, f"file is not UTF-8 ({encoding}); save it as UTF-8"
            )
            return []
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
                if kind in POLICY_KINDS:
                    self.policy_files.add(file)
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


_BYTE_ORDER_MARKS: Final = (
    (b"\xff\xfe\x00\x00", "it starts with a UTF-32 byte order mark"),
    (b"\x00\x00\xfe\xff", "it starts with a UTF-32 byte order mark"),
    (b"\xff\xfe", "it starts with a UTF-16 byte order mark"),
    (b"\xfe\xff", "it starts with a UTF-16 byte order mark"),
)


def _not_utf8(raw: bytes) -> str | None:
    """Why *raw* is plainly not UTF-8 text (UTF-16, UTF-32, binary), else None."""
    if raw[:1] in (b"\xff", b"\xfe", b"\x00"):
        for mark, why in _BYTE_ORDER_MARKS:
            if raw.startswith(mark):
                return why
    if b"\x00" in raw:
        return "it contains NUL bytes, as UTF-16 and binary files do"
    return None


class DocumentsView:
    """A read-only view of every document, by kind (``tabard.RepositoryView``): plugin
    code gets each document as a read-only mapping, so it cannot change what rules see."""

    def __init__(self, repository: Repository) -> None:
        self._repository = repository

    def documents(self, kind: str) -> list[Any]:
        return [readonly(document.data) for document in self._repository.by_kind.get(kind, ())]

    def document(self, kind: str, id: str) -> Any:
        found = next((d for d in self._repository.by_kind.get(kind, ()) if d.id == id), None)
        return None if found is None else readonly(found.data)

    def force_document(self, kind: str, force: str) -> Any:
        return readonly(self._repository.force_document(kind, force))
