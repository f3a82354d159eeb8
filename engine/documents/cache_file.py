"""The layout of ``.tabard-cache/documents.cache`` (format 5): reading and writing its sections.

After the signature line (``signed.py``) comes a JSON header line, then the sections the
header places by offset.  The signed part: the file names, their sizes, times, inodes,
document counts and chunk offsets (``array("q")``), their SHA-256 digests, and a byte per
file saying it is parsed on every run.  After it, covered by digests in the header: the
file chunks (each file's documents as JSON, a digest per block of files), the identity
entries and one section per index (sorted lines with their offsets, :class:`Keyed`).
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections.abc import Iterator
from typing import Any, Final

from tabard._version import __version__

FORMAT: Final = 5
_DIGEST_BYTES: Final = 32
#: File chunks are checked against a digest per block of this many files.
BLOCK_FILES: Final = 256
#: The per-file numbers, each a section of ``array("q")``: size, mtime_ns, inode, documents.
_NUMBERS: Final = ("sizes", "mtimes", "inodes", "counts")


class Damaged(Exception):
    """A part of a signed cache decoded later does not hold what this tabard writes."""


#: A cached document: ``[number, kind, id, force, {index key: projection}]``.
CachedDocument = list[Any]


class Stored:
    """A cache read from disk and found good: sections are decoded as they are needed.

    *data* is everything after the header line, of which the first *signed* bytes are
    covered by the signature; the rest is checked against the SHA-256 digests in the
    (signed) header before it is decoded: the indexes and identities as the cache is
    opened, the file chunks a block of :data:`BLOCK_FILES` files at a time, when needed.
    """

    def __init__(self, header: dict[str, Any], data: memoryview, signed: int) -> None:
        sections = header["sections"]
        count = header["files"]
        self.documents: int = header["documents"]
        self.paths: list[str] = (
            bytes(_section(data, sections["paths"], signed)).decode().split("\0") if count else []
        )
        numbers: dict[str, array[int]] = {}
        for name in (*_NUMBERS, "offsets"):
            numbers[name] = array("q")
            numbers[name].frombytes(_section(data, sections[name], signed))
        self.sizes, self.mtimes, self.inodes, self.counts = (numbers[n] for n in _NUMBERS)
        self.offsets = numbers["offsets"]
        self.digests = bytes(_section(data, sections["digests"], signed))
        self.flags = bytes(_section(data, sections["flags"], signed))
        blocks = header["blocks"]
        expected = (count, count, count, count, count, count + 1, count * _DIGEST_BYTES, count)
        found = (
            len(self.paths),
            *(len(numbers[n]) for n in _NUMBERS),
            len(self.offsets),
            len(self.digests),
            len(self.flags),
        )
        if found != expected or len(blocks) != -(-count // BLOCK_FILES):
            raise ValueError("sections of the wrong length")
        self.chunks = _section(data, sections["chunks"], len(data))
        self.blocks: list[str] = blocks
        self.checked_blocks: set[int] = set()
        self.identities = _keyed(data, sections["identities"], header["identities"])
        self.tables: dict[str, tuple[str, Keyed]] = {
            key: (kind, _keyed(data, place, digest))
            for key, (kind, place, digest) in sections["tables"].items()
        }
        self.position = dict(zip(self.paths, range(count), strict=True))
        self.total_files: int = count

    def digest(self, index: int) -> bytes:
        return self.digests[index * _DIGEST_BYTES : (index + 1) * _DIGEST_BYTES]

    def chunk(self, index: int) -> bytes:
        """The file's documents as written (checked against its block's digest): copied
        as they are when the file is unchanged."""
        block = index // BLOCK_FILES
        if block not in self.checked_blocks:
            first = block * BLOCK_FILES
            last = min(first + BLOCK_FILES, self.total_files)
            text = self.chunks[self.offsets[first] : self.offsets[last]]
            if hashlib.sha256(text).hexdigest() != self.blocks[block]:
                raise Damaged(f"the documents of {self.paths[first]} and the files after it")
            self.checked_blocks.add(block)
        return bytes(self.chunks[self.offsets[index] : self.offsets[index + 1]])

    def documents_of(self, index: int) -> list[CachedDocument]:
        text = self.chunk(index)
        try:
            documents = json.loads(text)
        except (ValueError, RecursionError):
            raise Damaged(self.paths[index]) from None
        if not _documents_shape(documents):
            raise Damaged(self.paths[index])
        return documents  # type: ignore[no-any-return]

    def table(self, key: str, kind: str) -> Keyed | None:
        """An index's entries by canonical lookup key, or None if the cache has none
        for *key* over *kind*."""
        found = self.tables.get(key)
        if found is None or found[0] != kind:
            return None
        return found[1]


class Keyed:
    """Entries by canonical key, one line each (``key TAB entries-as-JSON``), sorted by
    key, with the offsets of the lines: a lookup finds its line by bisection and
    decodes that line only, so it costs the same whatever the size of the index."""

    def __init__(self, text: bytes, starts: array[int], name: str) -> None:
        self.text = text
        self.starts = starts
        self.name = name

    def get(self, key: str) -> list[Any] | None:
        target = key.encode()
        text, starts = self.text, self.starts
        low, high = 0, len(starts) - 1
        while low < high:
            middle = (low + high) // 2
            start = starts[middle]
            if text[start : text.index(b"\t", start)] < target:
                low = middle + 1
            else:
                high = middle
        if low == len(starts) - 1:
            return None
        start = starts[low]
        tab = text.index(b"\t", start)
        if text[start:tab] != target:
            return None
        return self._items(text[tab + 1 : starts[low + 1] - 1])

    def items(self) -> Iterator[tuple[str, list[Any]]]:
        text, starts = self.text, self.starts
        for number in range(len(starts) - 1):
            start = starts[number]
            tab = text.index(b"\t", start)
            yield text[start:tab].decode(), self._items(text[tab + 1 : starts[number + 1] - 1])

    def _items(self, line: bytes) -> list[Any]:
        try:
            items = json.loads(line)
        except (ValueError, RecursionError):
            raise Damaged(self.name) from None
        if type(items) is not list:
            raise Damaged(self.name)
        return items


def keyed_text(entries: dict[str, list[list[Any]]]) -> tuple[bytes, bytes]:
    """The lines of *entries* sorted by key, and the offsets where they start."""
    lines = sorted((key.encode(), _dumps(items)) for key, items in entries.items())
    starts = array("q", [0])
    parts = []
    for key, items in lines:
        parts.append(key + b"\t" + items + b"\n")
        starts.append(starts[-1] + len(parts[-1]))
    return b"".join(parts), starts.tobytes()


def _section(data: memoryview, place: Any, limit: int) -> memoryview:
    start, end = place
    if not (type(start) is int and type(end) is int and 0 <= start <= end <= limit):
        raise ValueError("a section out of bounds")
    return data[start:end]


def _keyed(data: memoryview, place: Any, digest: Any) -> Keyed:
    """Keyed entries after the signed part (lines, then their offsets), only if they are
    what the signed header says."""
    text_at, starts_at = place
    text, starts_text = _section(data, text_at, len(data)), _section(data, starts_at, len(data))
    checked = hashlib.sha256(text)
    checked.update(starts_text)
    if checked.hexdigest() != digest:
        raise ValueError("a section that does not match its digest")
    starts = array("q")
    starts.frombytes(starts_text)
    if not starts or starts[0] != 0 or starts[-1] != len(text):
        raise ValueError("keyed entries out of bounds")
    return Keyed(bytes(text), starts, "index")


def _documents_shape(documents: Any) -> bool:
    """``[number, kind, id, force, projections]`` per document, and for the documents of
    a force's Force, Strategy and BrandGuide files ``[data, positions, wide]`` after
    them: what parsing the file gave (:mod:`parsed_cache`)."""
    if type(documents) is not list:
        return False
    for document in documents:
        if not (
            type(document) is list
            and (len(document) == 5 or (len(document) == 6 and _parsed_shape(document[5])))
            and type(document[0]) is int
            and type(document[1]) is str
            and (document[2] is None or type(document[2]) is str)
            and (document[3] is None or type(document[3]) is str)
            and type(document[4]) is dict
        ):
            return False
    return True


def _parsed_shape(parsed: Any) -> bool:
    return (
        type(parsed) is list
        and len(parsed) == 3
        and type(parsed[0]) is dict
        and type(parsed[1]) is list
        and type(parsed[2]) is list
    )


class Contents:
    """What a cache file will hold, gathered file by file in path order."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.numbers: dict[str, array[int]] = {name: array("q") for name in _NUMBERS}
        self.offsets = array("q", [0])
        self.digests = bytearray()
        self.flags = bytearray()
        self.chunks = bytearray()
        self.documents = 0
        #: Index key -> (kind, canonical lookup key -> entries with file numbers).
        self.tables: dict[str, tuple[str, dict[str, list[list[Any]]]]] = {}
        self.identities: dict[str, list[list[Any]]] = {}

    def add_file(
        self,
        path: str,
        status: tuple[int, int, int],
        digest: bytes,
        *,
        always_parsed: bool,
        documents: int,
        chunk: bytes,
    ) -> int:
        """Add one file (in path order); its number, which table entries name it by."""
        self.paths.append(path)
        for name, value in zip(_NUMBERS, (*status, documents), strict=True):
            self.numbers[name].append(value)
        self.chunks += chunk
        self.offsets.append(len(self.chunks))
        self.digests += digest
        self.flags.append(1 if always_parsed else 0)
        self.documents += documents
        return len(self.paths) - 1

    def body(self, fingerprint: str, started_ns: int) -> tuple[bytes, int]:
        """The file's body, and how much of it the signature covers: the header and the
        sections every run reads; the rest is covered by digests in the header."""
        parts: list[bytes] = []
        places: dict[str, Any] = {}
        size = 0

        def place(name: str, data: bytes) -> list[int]:
            nonlocal size
            parts.append(data)
            size += len(data)
            where = [size - len(data), size]
            places[name] = where
            return where

        place("paths", "\0".join(self.paths).encode())
        for name in _NUMBERS:
            place(name, self.numbers[name].tobytes())
        place("offsets", self.offsets.tobytes())
        place("digests", bytes(self.digests))
        place("flags", bytes(self.flags))
        signed = size
        chunks = bytes(self.chunks)
        place("chunks", chunks)
        blocks = [
            hashlib.sha256(
                chunks[
                    self.offsets[first] : self.offsets[min(first + BLOCK_FILES, len(self.paths))]
                ]
            ).hexdigest()
            for first in range(0, len(self.paths), BLOCK_FILES)
        ]
        identities = keyed_text(self.identities)
        where = [place("identities", identities[0]), place("identity starts", identities[1])]
        tables = {}
        for key, (kind, entries) in sorted(self.tables.items()):
            text, starts = keyed_text(entries)
            at = [place(f"table {key}", text), place(f"table {key} starts", starts)]
            tables[key] = [kind, at, _digest(text, starts)]
        places["identities"] = where
        del places["identity starts"]
        sections = {name: where for name, where in places.items() if not name.startswith("table ")}
        header = {
            "format": FORMAT,
            "tabard": __version__,
            "fingerprint": fingerprint,
            "started_ns": started_ns,
            "files": len(self.paths),
            "documents": self.documents,
            "blocks": blocks,
            "identities": _digest(*identities),
            "sections": {**sections, "tables": tables},
        }
        head = json.dumps(header, separators=(",", ":")).encode() + b"\n"
        return head + b"".join(parts), len(head) + signed


def _digest(text: bytes, starts: bytes) -> str:
    digest = hashlib.sha256(text)
    digest.update(starts)
    return digest.hexdigest()


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def chunk_of(documents: list[CachedDocument]) -> bytes:
    return _dumps(documents)
