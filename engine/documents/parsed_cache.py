"""The parsed force documents a warm run takes from the cache instead of parsing them.

Rules read the Force, Strategy and BrandGuide documents of every force whole, so a
targeted run cannot let the cache stand for them as it does for accounts: they were
parsed on every run (about 30 ms in a 10,000-account repository).  The cache (format 5)
keeps, for a file that holds only such documents and gave no finding while it was read,
each document's data and position table after its projections
(``[data, positions, wide]``, ``cache_file.py``).  A later targeted run rebuilds the
documents from them while the file is unchanged, by the same test that lets the cache
stand for any file (size, time and inode, and never a file modified within
``RACY_NS`` of the run that wrote it); a file whose status changed is read and parsed.

Kept only when JSON gives back exactly what the loader gave, types included (a NaN does
not come back equal: that file is parsed on every run, as before).
"""

from __future__ import annotations

import json
import os
from array import array
from typing import Any, Final

from tabard.documents.cache import Cache
from tabard.documents.cache_file import CachedDocument, Damaged, Stored
from tabard.documents.document import Document
from tabard.documents.loaded import LoadedDocument

#: The kinds whose parsed data the cache keeps (every document of the file must be one).
KEPT_KINDS: Final = frozenset({"Force", "Strategy", "BrandGuide"})
#: A file's status and digest, as ``Repository.entries`` holds them.
Entry = tuple[int, int, int, bytes]


def parsed_of(documents: list[Document], clean: bool) -> list[Any] | None:
    """``[data, positions, wide]`` for each of a file's *documents*, if the cache may
    keep them: all force documents, parsed this run, the file *clean* (no finding while
    it was read), and every part reads back from JSON as it is."""
    if not clean or not documents:
        return None
    parsed = []
    for document in documents:
        loaded = document._loaded  # not `loaded`: that would parse a document let go
        if document.kind not in KEPT_KINDS or loaded is None:
            return None
        parsed.append([loaded.data, loaded.positions.tolist(), [list(w) for w in loaded.wide]])
    try:
        # Encoded as the cache writes it (UnicodeEncodeError is a ValueError).
        again = json.loads(json.dumps(parsed, ensure_ascii=False).encode())
    except (TypeError, ValueError, RecursionError):
        return None
    return parsed if _same(again, parsed) else None


def _same(left: Any, right: Any) -> bool:
    """Equal, and of the same types throughout (``1 == 1.0 == True`` in Python)."""
    if type(left) is not type(right):
        return False
    if type(left) is dict:
        return list(left) == list(right) and all(
            _same(value, right[key]) for key, value in left.items()
        )
    if type(left) is list:
        return len(left) == len(right) and all(map(_same, left, right))
    return bool(left == right)


def remembered(
    cache: Cache, stored: Stored, file: str, index: int, path: str, follow: bool
) -> tuple[list[Document], Entry] | None:
    """The documents of *file* (read on every run) rebuilt from the cache, and its entry;
    None when it must be read and parsed: its status changed (or is racy), or the cache
    holds no parsed data for it."""
    if not stored.flags[index]:
        return None
    try:
        status = os.stat(path, follow_symlinks=follow)  # noqa: PTH116
    except OSError:
        return None  # read, which reports why it cannot be
    if not cache.unchanged(index, status):
        return None
    try:
        documents = [_rebuilt(file, cached) for cached in stored.documents_of(index)]
    except (Damaged, TypeError, ValueError, OverflowError, IndexError):
        return None
    if not documents:
        return None
    return documents, (status.st_size, status.st_mtime_ns, status.st_ino, stored.digest(index))


def _rebuilt(file: str, cached: CachedDocument) -> Document:
    if len(cached) != 6:
        raise ValueError("no parsed data")
    number, kind, _, _, _, (data, positions, wide) = cached
    if kind not in KEPT_KINDS:
        raise ValueError("not a force document")
    table = array("I", positions)  # OverflowError or TypeError if not position numbers
    pairs = [(int(line), int(column)) for line, column in wide]
    return Document.parsed(file, number, kind, LoadedDocument(data, table, pairs))
