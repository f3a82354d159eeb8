"""What earlier runs learned about policy files: unchanged ones are not checked again.

Reading, validating and path-checking the built-in packs (about 160 KB of YAML) was most
of a small run.  A policy file that passed every check once passes them again while its
bytes, tabard and the bundled JSON Schemas are the same, so the memo keeps, per policy
file (by the SHA-256 of its bytes), its Policy documents as plain data and the line and
column of each rule, in ``.tabard-cache/policies.json``.

The guarantees are the document cache's (``documents/cache.py``):

* only files with no problem at all are kept, so a broken policy is checked, and
  reported at its line and column, on every run;
* rules are still compiled on every run; a memo that no longer compiles (a plugin
  operator gone) sends the file through the full check, which reports the problem;
* the memo is signed with this user's cache key, bound to the repository, and is
  ignored if the signature, tabard's version or the schemas' digest do not match;
* plain JSON, read without following links and within a size bound; written afresh
  and renamed into place; ``--no-cache`` neither reads nor writes it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Final

from tabard._version import __version__
from tabard.documents.cache import signing_key
from tabard.documents.packaged import package_folder
from tabard.documents.schemas import SCHEMA_FILES
from tabard.documents.signed import SignedFile

NAME: Final = "policies.json"
FORMAT: Final = 1
#: The memo of every built-in pack is a few hundred KiB.
MAX_MEMO_BYTES: Final = 64 << 20

#: One policy file: each Policy document's data and its rules' (line, column).
Remembered = list[tuple[dict[str, Any], list[tuple[int, int]]]]


def content_key(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _schemas_digest() -> str:
    """The bundled schemas a policy was checked against (the Policy schema, and each
    kind's schema for the paths its rules read)."""
    digest = hashlib.sha256()
    folder = package_folder("tabard.schemas")
    for name in sorted({*SCHEMA_FILES.values(), "common.schema.json"}):
        data = folder.joinpath(name).read_bytes()
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _shape_is_ours(payload: Any) -> bool:
    """The payload is what :meth:`PolicyMemo.save` writes (it is signed, so this only
    guards against a tabard of another shape)."""
    if not isinstance(payload, dict):
        return False
    for key, documents in payload.items():
        if not isinstance(key, str) or not isinstance(documents, list):
            return False
        for document in documents:
            if not (
                isinstance(document, list)
                and len(document) == 2
                and isinstance(document[0], dict)
                and isinstance(document[1], list)
                and all(_is_position(position) for position in document[1])
            ):
                return False
    return True


def _is_position(position: Any) -> bool:
    return (
        isinstance(position, list)
        and len(position) == 2
        and all(type(number) is int for number in position)
    )


class PolicyMemo:
    """The memo of one repository: read once at the start, saved if it changed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.file = SignedFile(root, NAME, signing_key(), MAX_MEMO_BYTES, b"policies\0")
        self.header = {"format": FORMAT, "tabard": __version__, "schemas": _schemas_digest()}
        self.found: dict[str, Any] = self._read()
        self.used: dict[str, Any] = {}

    def get(self, key: str) -> Remembered | None:
        documents = self.found.get(key)
        if documents is None:
            return None
        return [(data, [(line, column) for line, column in rules]) for data, rules in documents]

    def keep(self, key: str) -> None:
        """Keep what :meth:`get` gave for *key*: it still compiles."""
        self.used[key] = self.found[key]

    def put(self, key: str, documents: Remembered) -> None:
        self.used[key] = [
            [data, [list(position) for position in rules]] for data, rules in documents
        ]

    def _read(self) -> dict[str, Any]:
        body = self.file.read()
        if body is None:
            return {}  # not written by this user's tabard for this repository: never trusted
        header_line, _, payload_line = body.partition(b"\n")
        try:
            if json.loads(header_line) != self.header:
                return {}
            payload = json.loads(payload_line)
        except (ValueError, RecursionError):
            return {}
        return payload if _shape_is_ours(payload) else {}

    def save(self) -> None:
        """Write what this run used, if that differs from what was read; a memo that
        cannot be written is simply skipped (every file created afresh, never through a
        link)."""
        if self.used == self.found or not self.file.usable():
            return
        header = json.dumps(self.header).encode()
        try:
            payload = json.dumps(self.used, separators=(",", ":"), ensure_ascii=False).encode()
        except ValueError:  # not JSON (text libyaml let through that UTF-8 cannot hold)
            return
        self.file.write(header + b"\n" + payload)
