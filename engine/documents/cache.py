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
* Layout (format 5): the signature line, a JSON header line, then sections the
  header places by offset: the file names, their sizes, times, inodes, document
  counts and chunk offsets (machine integers, read with :mod:`array`), their
  SHA-256 digests, a byte per file saying it must be loaded on every run, one JSON
  chunk per file (its documents and their projections, decoded only for a file
  whose documents are needed; for a force's Force, Strategy and BrandGuide file also
  their parsed data and positions, :mod:`parsed_cache`), and one JSON table per
  index and one of document identities, each decoded only when a rule reads it.
  Table entries are keyed by a canonical JSON text of the index's lookup key
  (:mod:`cached_indexes`).
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
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from tabard._version import __version__
from tabard.documents.cache_file import FORMAT, Contents, Stored
from tabard.documents.files import Refused, read_regular
from tabard.documents.signed import SignedFile

NAME: Final = "documents.cache"
#: Files earlier formats wrote: removed when a cache of this format is written.
OLD_NAMES: Final = ("documents.json",)
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
