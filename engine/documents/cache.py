"""A cache of what every document contributes to the repository's indexes.

A pre-commit run reports on a handful of changed files but needs the whole
repository for cross-document rules.  The cache remembers, per file, the
documents it holds (kind, id, force) and their index projections, so that an
unchanged file need not be parsed at all.

* Where: ``.tabard-cache/documents.json`` under the repository root, a folder
  with its own ``.gitignore`` so it is never committed by accident.
* Keyed by content: an entry is reused while the file's size and modification
  time are unchanged, or, when they changed, while its SHA-256 is unchanged.
  A file modified within :data:`RACY_NS` of the run that cached it could have
  changed again without its size or time changing (git calls this "racy"): it
  is hashed again, never trusted on its status alone.
* Invalidated by tabard's version and by any change to the policies or plugins
  in use (the *fingerprint*).
* Trusted only if this user's tabard wrote it: the file is signed with
  HMAC-SHA256 under a secret key kept outside every repository (:func:`key_path`),
  over the repository's path and the whole content.  A cache someone committed,
  copied from another repository or edited has no valid signature and is rebuilt.
  If the key cannot be read or created, no cache is used at all.
* Read defensively: plain JSON (no pickle, so it cannot run code), a regular
  file of bounded size opened without following links or blocking, checked
  against a schema; anything unexpected and it is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sys
import time
from collections.abc import Iterable, KeysView
from pathlib import Path
from typing import Any, Final

from tabard._version import __version__
from tabard.documents.files import Refused, read_regular
from tabard.documents.signed import SignedFile

NAME: Final = "documents.json"
FORMAT: Final = 3
#: Where the signing key lives instead of the user's configuration folder (tests, CI).
KEY_ENVIRONMENT: Final = "TABARD_CACHE_KEY_FILE"
KEY_BYTES: Final = 32
#: A cache bigger than this is not one tabard wrote (10,000 manifests take a few MiB).
MAX_CACHE_BYTES: Final = 256 << 20
#: The header is a few hundred bytes; a longer first line is not ours.
_MAX_HEADER_BYTES: Final = 4096
#: Files modified less than this before the run that cached them are hashed again
#: (two seconds covers coarse file-system clocks such as FAT's).
RACY_NS: Final = 2_000_000_000
#: Kinds that are always parsed: rules read them whole (lookups, waivers), and policy
#: files are validated on every run whether the config lists them or not.
ALWAYS_PARSED: Final = frozenset({"Force", "Strategy", "BrandGuide", "Waiver", "Policy"})

_HEADER_SCHEMA: Final = {
    "type": "object",
    "required": ["format", "tabard", "fingerprint", "started_ns"],
    "properties": {
        "format": {"const": FORMAT},
        "tabard": {"type": "string"},
        "fingerprint": {"type": "string"},
        "started_ns": {"type": "integer", "minimum": 0},
    },
}
_PAYLOAD_SCHEMA: Final = {
    "type": "object",
    "required": ["files"],
    "properties": {
        "files": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "prefixItems": [
                    {"type": "integer", "minimum": 0},
                    {"type": "integer"},
                    {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    {
                        "type": "array",
                        "items": {
                            "type": "array",
                            "prefixItems": [
                                {"type": "integer", "minimum": 0},
                                {"type": "string"},
                                {"type": ["string", "null"]},
                                {"type": ["string", "null"]},
                                {"type": "object"},
                            ],
                            "minItems": 5,
                            "maxItems": 5,
                        },
                    },
                ],
                "minItems": 4,
                "maxItems": 4,
            },
        }
    },
}


#: A cached file: ``[size, mtime_ns, sha256, documents]``, each document being
#: ``[number, kind, id, force, {index key: projection}]``.  Plain lists, because a
#: large repository has tens of thousands of them and they are only looked at once.
Entry = list[Any]


def must_parse(entry: Entry) -> bool:
    for document in entry[3]:  # noqa: SIM110 - a plain loop: called once per file
        if document[1] in ALWAYS_PARSED:
            return True
    return False


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
        self.entries: dict[str, Entry] = {}
        #: Entries of files modified at or after this time are hashed again.
        self.trusted_before = 0
        #: Whether a usable cache was found on disk.
        self.found = False

    @classmethod
    def open(cls, root: Path, fingerprint: str) -> Cache:
        cache = cls(root, fingerprint)
        cache.entries = cache._read()
        cache.found = bool(cache.entries)
        return cache

    def _read(self) -> dict[str, Entry]:
        body = self.file.read()
        if body is None:
            return {}  # not written by this user's tabard for this repository: never trusted
        return self._entries(body)

    def _entries(self, body: bytes) -> dict[str, Entry]:
        import jsonschema_rs

        header_line, _, payload_line = body.partition(b"\n")
        if len(header_line) > _MAX_HEADER_BYTES:
            return {}
        try:
            header = json.loads(header_line)
            if not jsonschema_rs.validator_for(_HEADER_SCHEMA).is_valid(header):
                return {}
            if header["tabard"] != __version__ or header["fingerprint"] != self.fingerprint:
                return {}
            payload = json.loads(payload_line)
        except (ValueError, RecursionError):
            return {}
        if not jsonschema_rs.validator_for(_PAYLOAD_SCHEMA).is_valid(payload):
            return {}
        self.trusted_before = header["started_ns"] - RACY_NS
        files: dict[str, Entry] = payload["files"]
        return files

    def unchanged(self, file: str, status: os.stat_result) -> Entry | None:
        """The entry for *file* if its size and modification time still match, and that
        time is far enough before the cache was made for a same-size edit to show."""
        entry = self.entries.get(file)
        if (
            entry is not None
            and entry[0] == status.st_size
            and entry[1] == status.st_mtime_ns
            and entry[1] < self.trusted_before
        ):
            return entry
        return None

    def same_content(self, file: str, sha256: str) -> Entry | None:
        entry = self.entries.get(file)
        return entry if entry is not None and entry[2] == sha256 else None

    def worth_saving(self, files: KeysView[str], changed: int) -> bool:
        """Rewriting a large cache for a few changed files costs more than parsing them
        again next time, so the cache is rewritten once enough has changed."""
        if not self.found:
            return True
        removed = len(self.entries.keys() - files)
        return changed + removed > max(50, len(files) // 100)

    def save(self, entries: dict[str, Entry]) -> None:
        """Write *entries* atomically; a cache that cannot be written is simply skipped.

        Every file is created afresh (``O_EXCL``, never through a link), so a link
        planted in the cache folder cannot make tabard write anywhere else.
        """
        if not self.file.usable():
            return
        header = json.dumps(
            {
                "format": FORMAT,
                "tabard": __version__,
                "fingerprint": self.fingerprint,
                "started_ns": self.started_ns,
            }
        ).encode()
        payload = json.dumps({"files": entries}, separators=(",", ":"), ensure_ascii=False)
        self.file.write(header + b"\n" + payload.encode())
