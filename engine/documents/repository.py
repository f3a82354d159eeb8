"""Load the whole manifest repository: every tabard document under the root.

Cross-document rules need every document, so the repository is always loaded
in full; which documents are *reported on* is decided later (targets).
Problems found while reading files (TAB-001, TAB-002, TAB-006) are kept per
file and reported only when that file is a target; folders and files that could
not or must not be read at all (``unseen``) are reported in every run, since
the documents they hide are missing from every rule.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from tabard.documents import cached_indexes
from tabard.documents.cache import Cache
from tabard.documents.cache_file import CachedDocument
from tabard.documents.discovery import Discovery
from tabard.documents.document import Document
from tabard.documents.engine_rules import engine_finding
from tabard.documents.files import Refused, read_regular
from tabard.documents.standing import Standing
from tabard.documents.yamlio import LoadedDocument, YamlError, load_documents
from tabard.errors import Problem, UsageError
from tabard.findings import Finding
from tabard.language.context import Context, DocumentKey, IndexSpec

if TYPE_CHECKING:
    from tabard.documents.view import DocumentsView

#: No manifest comes anywhere near this; bigger files are refused unread.
MAX_FILE_BYTES: Final = 1 << 20
#: Document kinds that are read by other means (config, policy loading).
NOT_REPOSITORY_KINDS: Final = frozenset({"Config", "Policy", "PolicyTest"})
POLICY_KINDS: Final = frozenset({"Policy", "PolicyTest"})


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
        #: The indexes a rule read this run (the cache keeps only their projections).
        self.indexes_read: set[str] = set()
        self._cache: Cache | None = None
        #: With a usable cache, the files it stands for: not loaded at all (see :meth:`load`).
        self.standing: Standing | None = None
        #: Remember what each file held, to read a document again only from the same bytes.
        self._remember_sources = False
        self._root_text = str(root)
        #: Size, time, inode and SHA-256 of the files read this run (for the cache).
        self.entries: dict[str, tuple[int, int, int, bytes]] = {}
        #: Files holding Policy or PolicyTest documents (checked against the config's list).
        self.policy_files: set[str] = set()
        #: Projections computed anew for documents the cache stood for.
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
        from tabard.documents.view import DocumentsView  # it reads the repository back

        return DocumentsView(self)

    def index(self, spec: IndexSpec) -> Any:
        key = spec.key
        self.indexes_read.add(key)
        if key not in self._indexes:
            standing = self.standing
            documents = self.by_kind.get(spec.kind, ())
            table = None if standing is None else standing.index(spec, documents, self.projection)
            self._indexes[key] = self._built_index(spec) if table is None else table
        return self._indexes[key]

    def _built_index(self, spec: IndexSpec) -> Any:
        """The index from every document's projection (the cache, if any, is let go)."""
        self.load_cached_documents()
        projections = []
        for document in self.by_kind.get(spec.kind, ()):
            projection = self.projection(spec, document)
            if projection is not None:
                projections.append((document.key, projection))
        return spec.aggregate(projections)

    def projection(self, spec: IndexSpec, document: Document) -> Any:
        known = document.known_projections()
        key = spec.key
        if key in known:
            return known[key]
        context = Context(document.data, document.key, self, self.today)
        projection = known[key] = spec.project(context)
        # A cached document without this projection: the cache is missing it.
        self.new_projections |= document._loader is not None
        return projection

    # --- what only the cache stands for ---------------------------------------------------

    @property
    def document_count(self) -> int:
        """Every document in the repository, loaded or stood for by the cache."""
        return len(self.documents) + (0 if self.standing is None else self.standing.documents)

    def load_cached_documents(self, files: Iterable[str] | None = None) -> None:
        """Load the documents the cache stands for (all, or those of *files*) as
        documents parsed only when their data is read, in file order among the others."""
        if self.standing is None:
            return
        added: list[Document] = []
        for file, cached in self.standing.take(files):
            # A chunk that is not what the signed header says: the file itself is read.
            added += self._documents(file) if cached is None else self._stubs(file, cached)
        if not added:
            return
        # Tables built so far counted the files loaded now as the cache's: build them again.
        self._indexes = {
            key: table
            for key, table in self._indexes.items()
            if not isinstance(table, cached_indexes.CachedTable)
        }
        # A new list, never sorted in place: a caller may be looping over the old one.
        documents = sorted([*self.documents, *added], key=lambda document: document.key)
        self.documents = []
        self.by_kind = defaultdict(list)
        self._force_documents.clear()
        self._by_force.clear()
        for document in documents:
            self.add(document)

    def owners(self, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], list[DocumentKey]]:
        """The documents holding each identity in *wanted* ((kind, id), or (kind, force)
        for one-per-force kinds), in file order: loaded ones and those the cache stands for."""
        owners: dict[tuple[str, str], list[DocumentKey]] = defaultdict(list)
        names = {name for _, name in wanted}
        for document in self.documents:
            # A cheap test on the names first: most documents share nothing with a target.
            if document.id in names or document.force in names:
                identity = document.identity
                if identity is not None and identity in wanted:
                    owners[identity].append(document.key)
        if self.standing is not None:
            for identity in wanted:
                cached = self.standing.owners(identity)
                if cached:
                    owners[identity] = sorted(owners[identity] + cached)
        return owners

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
        """Load *files*; with a usable *cache*, files not *fresh* (not targets) that are
        unchanged since it was written are not read: the cache stands for them."""
        self._cache = cache
        stored = None if cache is None or fresh is None else cache.stored
        if stored is None or fresh is None:
            for file in files:
                for document in self._documents(file):
                    self.add(document)
            return
        assert cache is not None
        standing = self.standing = Standing(cache, stored, self.root)
        kept = bytearray(stored.total_files)
        root, links = self._root_text, self.links
        for file in files:
            index, found = stored.position.get(file), None
            if index is not None and not fresh(file):
                path, follow = f"{root}/{file}", file in links
                if standing.still_cached(file, index, path, follow, self._raw):
                    kept[index] = 1
                    continue
                found = standing.remembered(file, index, path, follow)  # a force's, unchanged
            if found is not None:
                self.entries[file] = found[1]
            for document in self._documents(file) if found is None else found[0]:
                self.add(document)
        standing.settle(kept)

    def read_each(self, files: Iterable[str], cache: Cache | None) -> Iterator[list[Document]]:
        """The documents of each file in turn, for a caller that checks them as they come
        and adds them itself (a full run: nothing is taken from the cache, which is
        only written)."""
        self._cache = cache
        self._remember_sources = True
        for file in files:
            yield self._documents(file)

    def put_in_file_order(self) -> None:
        """Order every document as the files are (documents read out of order, for
        instance a folder at a time), and work the force documents out again."""
        self.documents.sort(key=lambda document: document.key)
        self.by_kind.clear()
        self._force_documents.clear()
        self._by_force.clear()
        documents, self.documents = self.documents, []
        for document in documents:
            self.add(document)

    def use_indexes(self, tables: dict[str, Any]) -> None:
        """Indexes built elsewhere as the documents were read, by index key."""
        self._indexes.update(tables)

    def _documents(self, file: str) -> list[Document]:
        read = self._raw(file)
        if read is None:
            return []
        raw, status = read
        documents = self._sourced(self._parse(file, raw), raw)
        if self._cache is not None:
            digest = hashlib.sha256(raw).digest()
            self.entries[file] = (status.st_size, status.st_mtime_ns, status.st_ino, digest)
        return documents

    def _sourced(self, documents: list[Document], raw: bytes) -> list[Document]:
        if self._remember_sources and documents:
            source = hash(raw)
            for document in documents:
                document.source = source
        return documents

    def _stubs(self, file: str, documents: list[CachedDocument]) -> list[Document]:
        return [
            Document(
                file, number, kind, identity, force, _loader=self.reload, projections=projections
            )
            for number, kind, identity, force, projections, *_ in documents
        ]

    def reload(self, file: str, number: int, source: int | None = None) -> LoadedDocument:
        """Parse a document the cache stood in for, or a streaming run let go, now that
        its data is needed.  A document let go is read again only from the same bytes:
        findings must not mix two versions of a file."""
        read = self._raw(file)
        if source is not None and (read is None or hash(read[0]) != source):
            raise UsageError(
                Problem(
                    "the file changed while tabard was checking it",
                    file,
                    hint="run tabard again once the file is saved",
                )
            )
        try:
            loaded = load_documents(read[0]) if read is not None else []
        except YamlError:
            loaded = []
        return loaded[number] if number < len(loaded) else LoadedDocument({}, array("I", [0]))

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
