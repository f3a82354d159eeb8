"""A cache of what every document contributes to the repository's indexes.

A pre-commit run reports on a handful of changed files but needs the whole
repository for cross-document rules.  The cache remembers, per file, the
documents it holds (kind, id, force) and their index projections, so that an
unchanged file need not be parsed at all.

* Where: ``.tabard-cache/documents.json`` under the repository root, a folder
  with its own ``.gitignore`` so it is never committed by accident.
* Keyed by content: an entry is reused while the file's size and modification
  time are unchanged, or, when they changed, while its SHA-256 is unchanged.
* Invalidated by tabard's version and by any change to the policies or plugins
  in use (the *fingerprint*).
* Never trusted: it is plain JSON (no pickle, so a cache file someone else
  committed cannot run code), carries a SHA-256 of its own content, and is
  checked against a schema; anything unexpected and it is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from tabard._version import __version__

DIRECTORY: Final = ".tabard-cache"
NAME: Final = "documents.json"
FORMAT: Final = 1
#: Kinds that are always parsed: rules read them whole (lookups, waivers), and policy
#: files are validated on every run whether the config lists them or not.
ALWAYS_PARSED: Final = frozenset({"Force", "Strategy", "BrandGuide", "Waiver", "Policy"})

_HEADER_SCHEMA: Final = {
    "type": "object",
    "required": ["format", "tabard", "fingerprint", "sha256"],
    "properties": {
        "format": {"const": FORMAT},
        "tabard": {"type": "string"},
        "fingerprint": {"type": "string"},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
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


class Cache:
    """The cache of one repository under one fingerprint."""

    def __init__(self, root: Path, fingerprint: str) -> None:
        self.folder = root / DIRECTORY
        self.path = self.folder / NAME
        self.fingerprint = fingerprint
        self.entries: dict[str, Entry] = {}
        #: Whether a usable cache was found on disk.
        self.found = False

    @classmethod
    def open(cls, root: Path, fingerprint: str) -> Cache:
        cache = cls(root, fingerprint)
        cache.entries = cache._read()
        cache.found = bool(cache.entries)
        return cache

    def _read(self) -> dict[str, Entry]:
        import jsonschema_rs

        try:
            header_line, payload_line = self.path.read_bytes().split(b"\n", 1)
            header = json.loads(header_line)
        except (OSError, ValueError):
            return {}
        if not jsonschema_rs.validator_for(_HEADER_SCHEMA).is_valid(header):
            return {}
        if header["tabard"] != __version__ or header["fingerprint"] != self.fingerprint:
            return {}
        if hashlib.sha256(payload_line).hexdigest() != header["sha256"]:
            return {}  # truncated or edited: never trusted
        try:
            payload = json.loads(payload_line)
        except ValueError:
            return {}
        if not jsonschema_rs.validator_for(_PAYLOAD_SCHEMA).is_valid(payload):
            return {}
        files: dict[str, Entry] = payload["files"]
        return files

    def unchanged(self, file: str, stat: os.stat_result) -> Entry | None:
        """The entry for *file* if its size and modification time still match."""
        entry = self.entries.get(file)
        if entry is not None and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            return entry
        return None

    def same_content(self, file: str, sha256: str) -> Entry | None:
        entry = self.entries.get(file)
        return entry if entry is not None and entry[2] == sha256 else None

    def worth_saving(self, entries: dict[str, Entry], changed: int) -> bool:
        """Rewriting a large cache for a few changed files costs more than parsing them
        again next time, so the cache is rewritten once enough has changed."""
        if not self.found:
            return True
        removed = len(self.entries.keys() - entries.keys())
        return changed + removed > max(50, len(entries) // 100)

    def save(self, entries: dict[str, Entry]) -> None:
        """Write *entries* atomically; a cache that cannot be written is simply skipped."""
        payload = json.dumps(
            {"files": entries},
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode()
        header = json.dumps(
            {
                "format": FORMAT,
                "tabard": __version__,
                "fingerprint": self.fingerprint,
                "sha256": hashlib.sha256(payload).hexdigest(),
            }
        ).encode()
        temporary = self.path.with_name(f"{NAME}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text(
                    "# created by tabard: never commit this cache\n*\n", encoding="utf-8"
                )
            temporary.write_bytes(header + b"\n" + payload)
            temporary.replace(self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
