"""A cache of what every document contributes to the repository's indexes.

A pre-commit run reports on a handful of changed files but needs the whole
repository for cross-document rules.  The cache remembers, per file, the
documents it holds (kind, id, force) and their index projections, and, for the
whole repository, every cross-document index and which document gave each of
its entries.  A run with a few changed files parses those files, leaves the
entries of their old versions out and adds the new ones: it reads the index
entries its rules look up, not every file's.

* Where: ``.tabard-cache/documents.cache`` under the repository root, a folder
  with its own ``.gitignore`` so it is never committed by accident.
* Layout (format 4): the signature line, a JSON header line, then sections the
  header places by offset: the file names, their sizes, times, inodes, document
  counts and chunk offsets (machine integers, read with :mod:`array`), their
  SHA-256 digests, a byte per file saying it must always be parsed, one JSON
  chunk per file (its documents and their projections, decoded only for a file
  whose documents are needed), and one JSON table per index and one of document
  identities, each decoded only when a rule reads it.  Table entries are keyed
  by a canonical JSON text of the index's lookup key (:mod:`cached_indexes`).
* Keyed by content: a file is unchanged while its size, modification time and
  inode are; when they differ, while its SHA-256 is unchanged.  A file modified
  within :data:`RACY_NS` of the run that cached it could have changed again
  without its size or time changing (git calls this "racy"): it is hashed
  again, never trusted on its status alone.
* Invalidated by tabard's version, the cache format and any change to the
  policies, config or plugins in use (the *fingerprint*).  A cache of an earlier
  format (``documents.json``) is never read; the next run writes a new one.
* Trusted only if this user's tabard wrote it: the file is signed with
  HMAC-SHA256 under a secret key kept outside every repository (:func:`key_path`),
  over the repository's path and the whole content, and checked before any byte
  of it is decoded.  A cache someone committed, copied from another repository
  or edited has no valid signature and is rebuilt.  If the key cannot be read
  or created, no cache is used at all.
* Read defensively: JSON and machine integers only (no pickle or marshal, so it
  cannot run code), a regular file of bounded size opened without following
  links or blocking, every section checked against its bounds; anything
  unexpected and it is not used.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sys
import time
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

from tabard._version import __version__
from tabard.documents.files import Refused, read_regular
from tabard.documents.signed import SignedFile

NAME: Final = "documents.cache"
#: Files earlier formats wrote: removed when a cache of this format is written.
OLD_NAMES: Final = ("documents.json",)
FORMAT: Final = 4
#: Where the signing key lives instead of the user's configuration folder (tests, CI).
KEY_ENVIRONMENT: Final = "TABARD_CACHE_KEY_FILE"
KEY_BYTES: Final = 32
#: A cache bigger than this is not one tabard wrote (10,000 manifests take a few MiB).
MAX_CACHE_BYTES: Final = 256 << 20
#: The header places the sections: a longer first line is not ours.
_MAX_HEADER_BYTES: Final = 1 << 20
#: Files modified less than this before the run that cached them are hashed again
#: (two seconds covers coarse file-system clocks such as FAT's).
RACY_NS: Final = 2_000_000_000
#: Kinds that are always parsed: rules read them whole (lookups, waivers), and policy
#: files are validated on every run whether the config lists them or not.
ALWAYS_PARSED: Final = frozenset({"Force", "Strategy", "BrandGuide", "Waiver", "Policy"})
_DIGEST_BYTES: Final = 32
#: File chunks are checked against a digest per block of this many files.
BLOCK_FILES: Final = 256
#: The per-file numbers, each a section of ``array("q")``: size, mtime_ns, inode, documents.
_NUMBERS: Final = ("sizes", "mtimes", "inodes", "counts")


class Damaged(Exception):
    """A part of a signed cache decoded later does not hold what this tabard writes."""


#: A cached document: ``[number, kind, id, force, {index key: projection}]``.
CachedDocument = list[Any]


def fingerprint(parts: Iterable[bytes | str]) -> str:
    """What the cache depends on besides the files: tabard and the policies in use."""
    digest = hashlib.sha256(f"tabard {__version__} cache {FORMAT}".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def key_path() -> Path | None:
    """Where this user's cache-signing key lives: never inside a repository."""
    override = os.environ.get(KEY_ENVIRONMENT)
    if override:
        return Path(override)
    folder = _user_folder()
    # A relative folder (no home: expanduser leaves "~") could land in the repository.
    return folder / "tabard" / "cache.key" if folder and folder.is_absolute() else None


def _user_folder() -> Path | None:
    """The platform's folder for a user's own settings."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA")
        return Path(base) if base else None
    base = os.environ.get("XDG_CONFIG_HOME")
    if base and Path(base).is_absolute() and sys.platform != "darwin":
        return Path(base)
    try:
        home = Path.home()
    except RuntimeError:  # no home directory
        return None
    if sys.platform == "darwin":
        return home / "Library" / "Application Support"
    return home / ".config"


def signing_key() -> bytes | None:
    """This user's secret key, created on first use; None if it cannot be had safely."""
    path = key_path()
    if path is None:
        return None
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    with contextlib.suppress(OSError):
        _create_key(path)
    try:
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes | None:
    try:
        key, status = read_regular(str(path), KEY_BYTES)
    except Refused:
        if not os.path.lexists(path):
            raise FileNotFoundError(path) from None
        return None
    if len(key) != KEY_BYTES:
        return None
    if os.name == "posix" and (status.st_uid != os.geteuid() or status.st_mode & 0o077):
        return None  # another user could read or replace it, and so forge a cache
    return key


def _create_key(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o600)
    try:
        os.write(descriptor, secrets.token_bytes(KEY_BYTES))
    finally:
        os.close(descriptor)


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
    if type(documents) is not list:
        return False
    for document in documents:
        if not (
            type(document) is list
            and len(document) == 5
            and type(document[0]) is int
            and type(document[1]) is str
            and (document[2] is None or type(document[2]) is str)
            and (document[3] is None or type(document[3]) is str)
            and type(document[4]) is dict
        ):
            return False
    return True


def _header_shape(header: Any) -> bool:
    if type(header) is not dict or header.get("format") != FORMAT:
        return False
    kinds = {
        "tabard": str,
        "fingerprint": str,
        "started_ns": int,
        "files": int,
        "documents": int,
        "sections": dict,
        "blocks": list,
        "identities": str,
    }
    if any(type(header.get(name)) is not kind for name, kind in kinds.items()):
        return False
    tables = header["sections"].get("tables")
    return (
        type(tables) is dict
        and all(
            type(place) is list and len(place) == 3 and type(place[0]) is str
            for place in tables.values()
        )
        and all(type(block) is str for block in header["blocks"])
    )


class Cache:
    """The cache of one repository under one fingerprint."""

    def __init__(self, root: Path, fingerprint: str) -> None:
        self.root = root
        self.file = SignedFile(root, NAME, signing_key(), MAX_CACHE_BYTES)
        self.folder = self.file.folder
        self.path = self.file.path
        self.fingerprint = fingerprint
        #: Taken before any file is read: what this run caches is judged against it.
        self.started_ns = time.time_ns()
        #: What a usable cache on disk holds (None: there is none).
        self.stored: Stored | None = None
        #: Files modified at or after this time are hashed again.
        self.trusted_before = 0

    @property
    def found(self) -> bool:
        """Whether a usable cache was found on disk."""
        return self.stored is not None

    @classmethod
    def open(cls, root: Path, fingerprint: str) -> Cache:
        cache = cls(root, fingerprint)
        read = cache.file.read_part()
        if read is not None:  # else not written by this user's tabard here: never trusted
            cache.stored = cache._decode(*read)
        return cache

    def _decode(self, body: memoryview, signed: int) -> Stored | None:
        header_end = bytes(body[: min(signed, _MAX_HEADER_BYTES)]).find(b"\n")
        if header_end < 0:
            return None
        try:
            header = json.loads(bytes(body[:header_end]))
            if not _header_shape(header):
                return None
            if header["tabard"] != __version__ or header["fingerprint"] != self.fingerprint:
                return None
            stored = Stored(header, body[header_end + 1 :], signed - header_end - 1)
        except (ValueError, RecursionError, TypeError, KeyError, UnicodeDecodeError):
            return None
        self.trusted_before = header["started_ns"] - RACY_NS
        return stored

    def unchanged(self, index: int, status: os.stat_result) -> bool:
        """Whether the cached file's size, time and inode still match, and that time is
        far enough before the cache was made for a same-size edit to show."""
        stored = self.stored
        assert stored is not None
        mtime = stored.mtimes[index]
        return (
            mtime == status.st_mtime_ns
            and stored.sizes[index] == status.st_size
            and stored.inodes[index] == status.st_ino
            and mtime < self.trusted_before
        )

    def worth_saving(self, changed: int) -> bool:
        """Rewriting a large cache for a few changed files costs more than reading their
        index entries again next time, so it is rewritten once enough has changed."""
        if self.stored is None:
            return True
        return changed > max(50, self.stored.total_files // 100)

    def save(self, contents: Contents) -> None:
        """Write *contents* atomically; a cache that cannot be written is simply skipped.

        Every file is created afresh (``O_EXCL``, never through a link), so a link
        planted in the cache folder cannot make tabard write anywhere else.
        """
        if not self.file.usable():
            return
        self.file.write(*contents.body(self.fingerprint, self.started_ns))
        for name in OLD_NAMES:
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()  # unlink removes a link, never its target


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
