"""Write what the cache should hold after a run (``cache.Contents``).

After a full run every document is at hand; after a targeted run most files are only
stood for (``standing.py``): their chunks are copied as they are and their index
entries carried over, renumbered, while the files read this run are written anew.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from tabard.documents import cached_indexes
from tabard.documents.cache import ALWAYS_PARSED
from tabard.documents.cache_file import (
    CachedDocument,
    Contents,
    Damaged,
    Keyed,
    Stored,
    chunk_of,
)
from tabard.documents.document import Document
from tabard.documents.parsed_cache import parsed_of
from tabard.documents.repository import Repository
from tabard.language.context import IndexSpec


def changes(repository: Repository) -> int:
    """How many files differ from what the cache holds (read again, new, gone, or
    touched), leaving out the files read on every run."""
    return _Writer(repository).changes()


def cache_contents(repository: Repository, specs: dict[str, IndexSpec]) -> Contents | None:
    """What the cache should hold after this run: every file, its documents and their
    projections, and every index that can be written whole (*specs*: the indexes of the
    rules in use, by key).  None if the cache read is damaged: it is then left for the
    next run to rebuild."""
    try:
        return _Writer(repository).contents(specs)
    except Damaged:
        return None


class _Writer:
    def __init__(self, repository: Repository) -> None:
        self.repository = repository
        standing = repository.standing
        self.stored: Stored | None = None if standing is None else standing.stored
        self.dropped: set[int] = set() if standing is None else standing.dropped
        self.touched: dict[int, tuple[int, int, int]] = {} if standing is None else standing.touched

    def decode(self, decode: Callable[[], Any]) -> Any:
        standing = self.repository.standing
        assert standing is not None
        return standing.decoded(decode)

    def changes(self) -> int:
        """How many files differ from what the cache holds (read again, new, gone,
        or touched), leaving out the files read on every run."""
        stored = self.stored
        if stored is None:
            return len(self.repository.entries)
        flags, position = stored.flags, stored.position
        dropped = sum(1 for index in self.dropped if not flags[index])
        added = sum(1 for file in self.repository.entries if file not in position)
        return dropped + added + len(self.touched)

    def contents(self, specs: dict[str, IndexSpec]) -> Contents:
        by_file: dict[str, list[Document]] = defaultdict(list)
        for document in self.repository.documents:
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
        stored = self.stored
        keys = set(self.repository.indexes_read) | (
            set(stored.tables) if stored is not None else set()
        )
        standing = stored is not None and len(self.dropped) < stored.total_files
        writable = []
        for key in sorted(keys):
            spec = specs.get(key)
            if spec is None or not cached_indexes.supported(spec):
                continue
            if standing and (stored is None or stored.tables.get(key, ("",))[0] != spec.kind):
                continue  # files the cache stands for have no entries for it
            if all(
                self._projection_known(spec, d) for d in self.repository.by_kind.get(spec.kind, ())
            ):
                writable.append(key)
        return writable

    def _projection_known(self, spec: IndexSpec, document: Document) -> bool:
        if spec.key in document.projections:
            return True
        if document._loaded is None:
            return False  # not parsed this run (cached, or let go): parse it for nothing
        self.repository.projection(spec, document)
        return True

    def _add_files(
        self, contents: Contents, by_file: dict[str, list[Document]], keys: list[str]
    ) -> dict[int, int]:
        """Add every file in path order; the stored files' new numbers."""
        stored = self.stored
        standing: dict[str, int] = {}
        if stored is not None:
            standing = {
                path: index
                for index, path in enumerate(stored.paths)
                if index not in self.dropped
                or (path in by_file and path not in self.repository.entries)
            }
        renumber: dict[int, int] = {}
        for file in sorted(standing.keys() | self.repository.entries.keys()):
            index = standing.get(file)
            if index is not None and file not in self.repository.entries:
                assert stored is not None
                status = self.touched.get(index) or (
                    stored.sizes[index],
                    stored.mtimes[index],
                    stored.inodes[index],
                )
                if index in self.dropped:  # its documents were loaded: written anew
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
            size, mtime, inode, digest = self.repository.entries[file]
            documents = by_file.get(file, [])
            policies = file in self.repository.policy_files
            clean = not policies and not self.repository.file_findings.get(file)
            contents.add_file(
                file,
                (size, mtime, inode),
                digest,
                always_parsed=policies
                or any(document.kind in ALWAYS_PARSED for document in documents),
                documents=len(documents),
                chunk=chunk_of(self._cached(documents, keys, parsed_of(documents, clean))),
            )
        return renumber

    @staticmethod
    def _cached(
        documents: list[Document], keys: list[str], parsed: list[Any] | None = None
    ) -> list[CachedDocument]:
        """Each document's entry; with *parsed* (``parsed_cache.py``), its data too."""
        cached: list[CachedDocument] = [
            [
                d.number,
                d.kind,
                d.id,
                d.force,
                {key: d.projections[key] for key in keys if key in d.projections},
            ]
            for d in documents
        ]
        if parsed is not None:
            for entry, data in zip(cached, parsed, strict=True):
                entry.append(data)
        return cached

    def _index_entries(
        self, spec: IndexSpec, renumber: dict[int, int], paths: list[str]
    ) -> dict[str, list[list[Any]]]:
        entries = self._standing_entries(lambda stored: stored.table(spec.key, spec.kind), renumber)
        numbers = {path: number for number, path in enumerate(paths)}
        grown = set()
        for document in self.repository.by_kind.get(spec.kind, ()):
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
        for document in self.repository.documents:
            identity = document.identity
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
        stored = self.stored
        found = None if stored is None else keyed(stored)
        if found is None:
            return {}
        entries = {}
        dropped = self.dropped
        for key, items in self.decode(lambda: list(found.items())):
            kept = [[renumber[item[0]], *item[1:]] for item in items if item[0] not in dropped]
            if kept:
                entries[key] = kept
        return entries
