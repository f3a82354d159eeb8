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
from functools import cached_property, partial
from pathlib import Path
from typing import Any, Final, NoReturn

from tabard.documents import cached_indexes
from tabard.documents.cache import (
    ALWAYS_PARSED,
    Cache,
    CachedDocument,
    Contents,
    Damaged,
    Keyed,
    Stored,
    chunk_of,
)
from tabard.documents.discovery import Discovery
from tabard.documents.document import Document
from tabard.documents.engine_rules import engine_finding
from tabard.documents.files import Refused, read_regular
from tabard.documents.yamlio import LoadedDocument, YamlError, load_documents
from tabard.errors import Problem, UsageError
from tabard.findings import Finding
from tabard.language.context import Context, DocumentKey, IndexSpec
from tabard.readonly import readonly

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
        #: A usable cache from disk: the documents of the files it still stands for
        #: are not loaded at all (see :meth:`load`).
        self._stored: Stored | None = None
        #: The stored files it no longer stands for: read again this run, gone, or
        #: loaded from their cached documents (their index entries come from here).
        self._dropped: set[int] = set()
        #: Documents only the cache stands for (counted, not loaded).
        self.cached_documents = 0
        #: Stored files touched but not changed: their new size, time and inode.
        self._touched: dict[int, tuple[int, int, int]] = {}
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
        return DocumentsView(self)

    def index(self, spec: IndexSpec) -> Any:
        key = spec.key
        self.indexes_read.add(key)
        if key not in self._indexes:
            table = self._cached_index(spec) if self._stored is not None else None
            self._indexes[key] = self._built_index(spec) if table is None else table
        return self._indexes[key]

    def _built_index(self, spec: IndexSpec) -> Any:
        """The index from every document's projection (the cache, if any, is let go)."""
        self.load_cached_documents()
        key = spec.key
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
        return spec.aggregate(projections)

    def _cached_index(self, spec: IndexSpec) -> Any:
        """The index from the cache's entries and this run's documents, or None when
        the cache cannot answer exactly (it has no such index, or a key has no text)."""
        stored = self._stored
        assert stored is not None
        if not cached_indexes.supported(spec):
            return None
        entries = self._decoded(lambda: stored.table(spec.key, spec.kind))
        if entries is None:
            return None
        table = cached_indexes.CachedTable(
            spec, entries, stored.paths, self._dropped, self._damaged
        )
        try:
            for document in self.by_kind.get(spec.kind, ()):
                projection = self.projection(spec, document)
                if projection is not None:
                    table.add(document.key, projection)
        except cached_indexes.Inexact:
            return None
        return table

    def projection(self, spec: IndexSpec, document: Document) -> Any:
        known = document.projections
        key = spec.key
        if key in known:
            return known[key]
        context = Context(document.data, document.key, self, self.today)
        projection = known[key] = spec.project(context)
        self.new_projections |= document._loader is not None
        return projection

    def _decoded(self, decode: Callable[[], Any]) -> Any:
        """Decode part of the signed cache; a part that does not hold what this tabard
        writes stops the run with the way out, as nothing else can be trusted then."""
        try:
            return decode()
        except (Damaged, ValueError, TypeError, IndexError, KeyError) as error:
            self._damaged(str(error))

    def _damaged(self, what: str) -> NoReturn:
        raise UsageError(
            Problem(
                f"the cache of this repository is damaged ({what})",
                str(self.root / ".tabard-cache"),
                hint="delete the .tabard-cache folder and run tabard again",
            )
        )

    # --- what only the cache stands for ---------------------------------------------------

    @property
    def document_count(self) -> int:
        """Every document in the repository, loaded or stood for by the cache."""
        return len(self.documents) + self.cached_documents

    def load_cached_documents(self, files: Iterable[str] | None = None) -> None:
        """Load the documents the cache stands for (all, or those of *files*) as
        documents parsed only when their data is read, in file order among the others."""
        stored = self._stored
        if stored is None:
            return
        if files is None:
            wanted = [i for i in range(stored.total_files) if i not in self._dropped]
        else:
            found = (stored.position.get(file) for file in files)
            wanted = [i for i in found if i is not None and i not in self._dropped]
        if not wanted:
            return
        added: list[Document] = []
        for index in wanted:
            file = stored.paths[index]
            try:
                added += self._stubs(file, stored.documents_of(index))
            except Damaged:
                # Not what the signed header says: read the file itself instead.
                added += self._documents(file)
            self._dropped.add(index)
            self.cached_documents -= stored.counts[index]
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
                identity = identity_of(document.kind, document.id, document.force)
                if identity is not None and identity in wanted:
                    owners[identity].append(document.key)
        stored = self._stored
        if stored is None:
            return owners
        for identity in wanted:
            key = cached_indexes.identity_key(*identity)
            items = self._decoded(partial(stored.identities.get, key)) or []
            cached = [
                (stored.paths[file], number)
                for file, number in self._decoded(partial(_pairs, items))
                if file not in self._dropped
            ]
            if cached:
                owners[identity] = sorted(owners[identity] + cached)
        return owners

    def has_id(self, kind: str, identity: str) -> bool:
        """Whether a document of *kind* has the id *identity* (loaded or cached)."""
        return bool(self.owners({(kind, identity)}).get((kind, identity)))

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
        if stored is None:
            for file in files:
                for document in self._documents(file):
                    self.add(document)
            return
        assert cache is not None
        assert fresh is not None
        self._stored = stored
        standing = bytearray(stored.total_files)
        for file in files:
            index = stored.position.get(file)
            if index is not None and not fresh(file) and self._still_cached(cache, file, index):
                standing[index] = 1
                continue
            for document in self._documents(file):
                self.add(document)
        self._dropped.update(i for i, kept in enumerate(standing) if not kept)
        counts = stored.counts
        self.cached_documents = stored.documents - sum(counts[i] for i in self._dropped)

    def _still_cached(self, cache: Cache, file: str, index: int) -> bool:
        """Whether the cache still stands for *file*: one ``stat`` when it is unchanged,
        and a read and hash only when its size, time or inode changed."""
        stored = cache.stored
        assert stored is not None
        if stored.flags[index]:
            return False  # read on every run (force documents, waivers, policies)
        try:
            # os.stat on a joined string: a Path per file costs more than the stat.
            status = os.stat(  # noqa: PTH116
                f"{self._root_text}/{file}", follow_symlinks=file in self.links
            )
        except OSError:
            return False  # read again, which reports why it cannot be
        if cache.unchanged(index, status):
            return True
        read = self._raw(file)
        if read is None:
            return False
        raw, status = read
        if hashlib.sha256(raw).digest() != stored.digest(index):
            return False
        # Touched but not changed (a checkout, a rebase): the cache still holds.
        self._touched[index] = (status.st_size, status.st_mtime_ns, status.st_ino)
        return True

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
            for number, kind, identity, force, projections in documents
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

    def changes(self) -> int:
        """How many files differ from what the cache holds (read again, new, gone,
        or touched), leaving out the files read on every run."""
        stored = self._stored
        if stored is None:
            return len(self.entries)
        flags, position = stored.flags, stored.position
        dropped = sum(1 for index in self._dropped if not flags[index])
        added = sum(1 for file in self.entries if file not in position)
        return dropped + added + len(self._touched)

    def cache_contents(self, specs: dict[str, IndexSpec]) -> Contents | None:
        """What the cache should hold after this run: every file, its documents and
        their projections, and every index that can be written whole (*specs*: the
        indexes of the rules in use, by key).  None if the cache read is damaged: it is
        then left for the next run to rebuild."""
        try:
            return self._contents(specs)
        except Damaged:
            return None

    def _contents(self, specs: dict[str, IndexSpec]) -> Contents:
        by_file: dict[str, list[Document]] = defaultdict(list)
        for document in self.documents:
            by_file[document.file].append(document)
        keys = self._writable_indexes(specs)
        contents = Contents()
        renumber = self._add_files(contents, by_file, keys)
        for key in keys:
            spec = specs[key]
            try:
                entries = self._index_entries(spec, renumber, contents.paths)
            except cached_indexes.Inexact:
                continue
            contents.tables[key] = (spec.kind, entries)
        contents.identities = self._identity_entries(renumber, contents.paths)
        return contents

    def _writable_indexes(self, specs: dict[str, IndexSpec]) -> list[str]:
        """Indexes whose every entry is known: the stored ones, and those built this run."""
        stored = self._stored
        keys = set(self.indexes_read) | (set(stored.tables) if stored is not None else set())
        standing = stored is not None and len(self._dropped) < stored.total_files
        writable = []
        for key in sorted(keys):
            spec = specs.get(key)
            if spec is None or not cached_indexes.supported(spec):
                continue
            if standing and (stored is None or stored.tables.get(key, ("",))[0] != spec.kind):
                continue  # files the cache stands for have no entries for it
            if all(self._projection_known(spec, d) for d in self.by_kind.get(spec.kind, ())):
                writable.append(key)
        return writable

    def _projection_known(self, spec: IndexSpec, document: Document) -> bool:
        if spec.key in document.projections:
            return True
        if document._loaded is None:
            return False  # not parsed this run (cached, or let go): parse it for nothing
        self.projection(spec, document)
        return True

    def _add_files(
        self, contents: Contents, by_file: dict[str, list[Document]], keys: list[str]
    ) -> dict[int, int]:
        """Add every file in path order; the stored files' new numbers."""
        stored = self._stored
        standing: dict[str, int] = {}
        if stored is not None:
            standing = {
                path: index
                for index, path in enumerate(stored.paths)
                if index not in self._dropped or (path in by_file and path not in self.entries)
            }
        renumber: dict[int, int] = {}
        for file in sorted(standing.keys() | self.entries.keys()):
            index = standing.get(file)
            if index is not None and file not in self.entries:
                assert stored is not None
                status = self._touched.get(index) or (
                    stored.sizes[index],
                    stored.mtimes[index],
                    stored.inodes[index],
                )
                if index in self._dropped:  # its documents were loaded: written anew
                    chunk = chunk_of(self._cached(by_file.get(file, []), keys))
                else:
                    chunk = stored.chunk(index)
                renumber[index] = contents.add_file(
                    file,
                    status,
                    stored.digest(index),
                    always_parsed=bool(stored.flags[index]),
                    documents=stored.counts[index],
                    chunk=chunk,
                )
                continue
            size, mtime, inode, digest = self.entries[file]
            documents = by_file.get(file, [])
            contents.add_file(
                file,
                (size, mtime, inode),
                digest,
                always_parsed=file in self.policy_files
                or any(document.kind in ALWAYS_PARSED for document in documents),
                documents=len(documents),
                chunk=chunk_of(self._cached(documents, keys)),
            )
        return renumber

    @staticmethod
    def _cached(documents: list[Document], keys: list[str]) -> list[CachedDocument]:
        return [
            [
                d.number,
                d.kind,
                d.id,
                d.force,
                {key: d.projections[key] for key in keys if key in d.projections},
            ]
            for d in documents
        ]

    def _index_entries(
        self, spec: IndexSpec, renumber: dict[int, int], paths: list[str]
    ) -> dict[str, list[list[Any]]]:
        entries = self._standing_entries(lambda stored: stored.table(spec.key, spec.kind), renumber)
        numbers = {path: number for number, path in enumerate(paths)}
        grown = set()
        for document in self.by_kind.get(spec.kind, ()):
            projection = document.projections[spec.key]
            if projection is None:
                continue
            for key, payload in cached_indexes.contributions(spec, projection):
                entries.setdefault(key, []).append(
                    [numbers[document.file], document.number, *payload]
                )
                grown.add(key)
        for key in grown:
            entries[key].sort(key=lambda item: (item[0], item[1]))
        return entries

    def _identity_entries(
        self, renumber: dict[int, int], paths: list[str]
    ) -> dict[str, list[list[Any]]]:
        entries = self._standing_entries(lambda stored: stored.identities, renumber)
        numbers = {path: number for number, path in enumerate(paths)}
        grown = set()
        for document in self.documents:
            identity = identity_of(document.kind, document.id, document.force)
            if identity is not None:
                key = cached_indexes.identity_key(*identity)
                entries.setdefault(key, []).append([numbers[document.file], document.number])
                grown.add(key)
        for key in grown:
            entries[key].sort()
        return entries

    def _standing_entries(
        self, keyed: Callable[[Stored], Keyed | None], renumber: dict[int, int]
    ) -> dict[str, list[list[Any]]]:
        """The stored entries of the files the cache still stands for, renumbered."""
        stored = self._stored
        found = None if stored is None else keyed(stored)
        if found is None:
            return {}
        entries = {}
        dropped = self._dropped
        for key, items in self._decoded(lambda: list(found.items())):
            kept = [[renumber[item[0]], *item[1:]] for item in items if item[0] not in dropped]
            if kept:
                entries[key] = kept
        return entries

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
        self._repository.load_cached_documents()  # a plugin reads them all: load them
        return [readonly(document.data) for document in self._repository.by_kind.get(kind, ())]

    def document(self, kind: str, id: str) -> Any:
        self._repository.load_cached_documents()
        found = next((d for d in self._repository.by_kind.get(kind, ()) if d.id == id), None)
        return None if found is None else readonly(found.data)

    def force_document(self, kind: str, force: str) -> Any:
        return readonly(self._repository.force_document(kind, force))


_FORCE_KINDS: Final = ("Force", "Strategy", "BrandGuide")


def identity_of(kind: str, identity: str | None, force: str | None) -> tuple[str, str] | None:
    """What must be unique: the id, or the force for one-per-force documents."""
    if kind in _FORCE_KINDS:
        return (kind, force) if force else None
    return (kind, identity) if identity else None


def _pairs(items: Any) -> list[tuple[int, int]]:
    """Stored ``[file number, document number]`` pairs, checked."""
    if type(items) is not list:
        raise Damaged("identities")
    for item in items:
        if not (type(item) is list and len(item) == 2 and all(type(part) is int for part in item)):
            raise Damaged("identities")
    return [(file, number) for file, number in items]
