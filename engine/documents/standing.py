"""What a usable cache stands for in a warm targeted run: files not read at all.

A targeted run with a cache reads the files it reports on, the files read on every run
and the files that changed; for every other file it keeps no document, only the fact
that the cache stands for it.  This module answers for those files: whether a file is
still the cache's (one ``stat``, a hash only when its status changed), how many
documents they hold, who holds an identity, each index (``cached_indexes``), and their
documents when something needs them after all.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from tabard.documents import cached_indexes, parsed_cache
from tabard.documents.cache import Cache
from tabard.documents.cache_file import CachedDocument, Damaged, Stored
from tabard.documents.document import Document
from tabard.documents.parsed_cache import Entry
from tabard.errors import Problem, UsageError
from tabard.language.context import DocumentKey, IndexSpec

#: Reads a file for hashing: its bytes and status, or None (the reader reports why).
Reader = Callable[[str], tuple[bytes, os.stat_result] | None]


class Standing:
    """The stored files the cache still stands for, and what it knows of them."""

    def __init__(self, cache: Cache, stored: Stored, root: Path) -> None:
        self.cache = cache
        self.stored = stored
        self.root = root
        #: Stored files it no longer stands for: read again this run, gone, or whose
        #: documents were loaded from it (their index entries then come from those).
        self.dropped: set[int] = set()
        #: Stored files touched but not changed: their new size, time and inode.
        self.touched: dict[int, tuple[int, int, int]] = {}
        #: The documents of the files it stands for (counted, never loaded).
        self.documents = 0

    def still_cached(self, file: str, index: int, path: str, follow: bool, read: Reader) -> bool:
        """Whether the cache still stands for *file*: one ``stat`` when it is unchanged,
        and a read and hash only when its size, time or inode changed."""
        stored = self.stored
        if stored.flags[index]:
            return False  # read on every run (force documents, waivers, policies)
        try:
            # os.stat on a joined string: a Path per file costs more than the stat.
            status = os.stat(path, follow_symlinks=follow)  # noqa: PTH116
        except OSError:
            return False  # read again, which reports why it cannot be
        if self.cache.unchanged(index, status):
            return True
        found = read(file)
        if found is None:
            return False
        raw, status = found
        if hashlib.sha256(raw).digest() != stored.digest(index):
            return False
        # Touched but not changed (a checkout, a rebase): the cache still holds.
        self.touched[index] = (status.st_size, status.st_mtime_ns, status.st_ino)
        return True

    def remembered(
        self, file: str, index: int, path: str, follow: bool
    ) -> tuple[list[Document], Entry] | None:
        """The documents of a file read on every run, rebuilt from the cache while it is
        unchanged (``parsed_cache.py``), and its entry; None: read and parse it."""
        return parsed_cache.remembered(self.cache, self.stored, file, index, path, follow)

    def settle(self, kept: bytearray) -> None:
        """Stand for the *kept* files only (one byte per stored file)."""
        self.dropped.update(index for index, keep in enumerate(kept) if not keep)
        counts = self.stored.counts
        self.documents = self.stored.documents - sum(counts[index] for index in self.dropped)

    def decoded(self, decode: Callable[[], Any]) -> Any:
        """Decode part of the signed cache; a part that does not hold what this tabard
        writes stops the run with the way out, as nothing else can be trusted then."""
        try:
            return decode()
        except (Damaged, ValueError, TypeError, IndexError, KeyError) as error:
            self.damaged(str(error))

    def damaged(self, what: str) -> NoReturn:
        raise UsageError(
            Problem(
                f"the cache of this repository is damaged ({what})",
                str(self.root / ".tabard-cache"),
                hint="delete the .tabard-cache folder and run tabard again",
            )
        )

    def index(
        self, spec: IndexSpec, documents: Iterable[Document], projection: Callable[..., Any]
    ) -> cached_indexes.CachedTable | None:
        """*spec*'s index: the stored entries of the files the cache stands for, plus the
        loaded *documents*' projections; None when the cache cannot answer exactly (it
        has no such index, or a key has no canonical text)."""
        if not cached_indexes.supported(spec):
            return None
        stored = self.stored
        entries = self.decoded(partial(stored.table, spec.key, spec.kind))
        if entries is None:
            return None
        table = cached_indexes.CachedTable(spec, entries, stored.paths, self.dropped, self.damaged)
        try:
            for document in documents:
                found = projection(spec, document)
                if found is not None:
                    table.add(document.key, found)
        except cached_indexes.Inexact:
            return None
        return table

    def owners(self, identity: tuple[str, str]) -> list[DocumentKey]:
        """The documents the cache stands for that hold *identity*, in file order."""
        stored = self.stored
        key = cached_indexes.identity_key(*identity)
        items = self.decoded(partial(stored.identities.get, key)) or []
        return [
            (stored.paths[file], number)
            for file, number in self.decoded(partial(_pairs, items))
            if file not in self.dropped
        ]

    def take(self, files: Iterable[str] | None) -> list[tuple[str, list[CachedDocument] | None]]:
        """Stop standing for *files* (None: all) and give their cached documents (None
        for a file whose chunk is not what the signed header says: read it instead)."""
        stored = self.stored
        if files is None:
            wanted = [i for i in range(stored.total_files) if i not in self.dropped]
        else:
            found = (stored.position.get(file) for file in files)
            wanted = [i for i in found if i is not None and i not in self.dropped]
        taken: list[tuple[str, list[CachedDocument] | None]] = []
        for index in wanted:
            try:
                documents: list[CachedDocument] | None = stored.documents_of(index)
            except Damaged:
                documents = None
            taken.append((stored.paths[index], documents))
            self.dropped.add(index)
            self.documents -= stored.counts[index]
        return taken


def _pairs(items: Any) -> list[tuple[int, int]]:
    """Stored ``[file number, document number]`` pairs, checked."""
    if type(items) is not list:
        raise Damaged("identities")
    for item in items:
        if not (type(item) is list and len(item) == 2 and all(type(part) is int for part in item)):
            raise Damaged("identities")
    return [(file, number) for file, number in items]
