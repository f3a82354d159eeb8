"""A file in ``.tabard-cache/`` that only this user's tabard can have written.

The document cache and the policy memo both keep what earlier runs learned, and both must
never trust what someone else put there: a cache committed to the repository, copied from
another one or edited by hand.  Each file is signed with HMAC-SHA256 under the user's key
(``cache.signing_key``, kept outside every repository), over the repository's path, what
the file is for and its whole body; it is read without following links and within a size
bound, and written afresh and renamed into place, never through a link.

A file may be signed over the first part of its body only (:meth:`SignedFile.read_part`):
the signature line then says how long that part is, and the signed part must hold the
SHA-256 of everything after it, which the reader checks before decoding any of it.  A
large file is then read without hashing what the run never decodes.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
import tempfile
from pathlib import Path
from typing import Final

from tabard.documents.files import Refused, read_regular

#: The folder every cache file lives in, under the repository root.
DIRECTORY: Final = ".tabard-cache"
_MAC_HEX: Final = 64


def signature(key: bytes, root: Path, body: bytes, purpose: bytes = b"") -> bytes:
    """The HMAC of *body*, bound to the repository it describes and to what it is for."""
    signed = hmac.new(key, purpose + os.fsencode(str(root)) + b"\0", hashlib.sha256)
    signed.update(body)
    return signed.hexdigest().encode()


def part_signature(
    key: bytes, root: Path, length_text: bytes, part: bytes | memoryview, purpose: bytes = b""
) -> bytes:
    """The HMAC of the signed first part of a body, bound to its length as well."""
    signed = hmac.new(
        key, purpose + os.fsencode(str(root)) + b"\0" + length_text + b"\0", hashlib.sha256
    )
    signed.update(part)
    return signed.hexdigest().encode()


class SignedFile:
    """One signed file: :meth:`read` gives its body only if this user's tabard wrote it."""

    def __init__(
        self, root: Path, name: str, key: bytes | None, limit: int, purpose: bytes = b""
    ) -> None:
        self.root = root
        self.folder = root / DIRECTORY
        self.path = self.folder / name
        self.key = key
        self.limit = limit
        self.purpose = purpose

    def usable(self) -> bool:
        """There is a key, and the cache folder is a real folder (or absent), never a link
        to somewhere else."""
        if self.key is None:
            return False
        try:
            return stat.S_ISDIR(os.lstat(self.folder).st_mode)
        except FileNotFoundError:
            return True
        except OSError:
            return False

    def read(self) -> bytes | None:
        """The body, or None when there is none this user's tabard signed for this
        repository."""
        data = self._data()
        if data is None:
            return None
        assert self.key is not None  # _data() read it; for mypy
        mac, body = data[:_MAC_HEX], data[_MAC_HEX + 1 :]
        if data[_MAC_HEX : _MAC_HEX + 1] != b"\n" or not hmac.compare_digest(
            mac, signature(self.key, self.root, body, self.purpose)
        ):
            return None
        return body

    def read_part(self) -> tuple[memoryview, int] | None:
        """The body of a file signed over its first part, and that part's length; None
        when this user's tabard did not sign it for this repository.  The caller checks
        the rest against the digests the signed part holds before decoding any of it."""
        data = self._data()
        if data is None:
            return None
        assert self.key is not None  # _data() read it; for mypy
        line_end = data.find(b"\n", 0, _MAC_HEX + 24)
        length_text = data[_MAC_HEX + 1 : line_end]
        if line_end < 0 or data[_MAC_HEX : _MAC_HEX + 1] != b" " or not length_text.isdigit():
            return None
        body = memoryview(data)[line_end + 1 :]
        length = int(length_text)
        if length > len(body) or not hmac.compare_digest(
            data[:_MAC_HEX], self._part_signature(length_text, body[:length])
        ):
            return None
        return body, length

    def _part_signature(self, length_text: bytes, part: bytes | memoryview) -> bytes:
        assert self.key is not None
        return part_signature(self.key, self.root, length_text, part, self.purpose)

    def _data(self) -> bytes | None:
        if not self.usable():
            return None
        try:
            return read_regular(str(self.path), self.limit)[0]
        except Refused:
            return None

    def write(self, body: bytes, signed: int | None = None) -> None:
        """Sign and write *body* atomically; a file that cannot be written is skipped.
        With *signed*, only the first *signed* bytes are signed (:meth:`read_part`)."""
        if not self.usable():
            return
        assert self.key is not None  # usable() says so; for mypy
        if signed is None:
            line = signature(self.key, self.root, body, self.purpose)
        else:
            length_text = str(signed).encode()
            line = self._part_signature(length_text, body[:signed]) + b" " + length_text
        temporary = None
        try:
            self.folder.mkdir(exist_ok=True)
            self._write_gitignore()
            descriptor, temporary = tempfile.mkstemp(prefix=f"{self.path.name}.", dir=self.folder)
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(line + b"\n" + body)
            Path(temporary).replace(self.path)
        except OSError:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    Path(temporary).unlink()

    def _write_gitignore(self) -> None:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            descriptor = os.open(self.folder / ".gitignore", flags, 0o644)
        except FileExistsError:
            return
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(b"# created by tabard: never commit this cache\n*\n")
