"""Reading files that anyone could have put in a repository, without being fooled.

A repository is untrusted input: a file named ``*.yaml`` may be a FIFO (reading
it waits for ever), a device (``/dev/zero`` never ends), a symbolic link out of
the repository, or far too big.  Every file tabard reads from a repository goes
through :func:`read_regular`: it opens without following a final symbolic link
and without blocking, checks that what it opened is a regular file of a sane
size, and reads exactly that size.  It also costs fewer system calls than
``open().read()``.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Final

_NOT_REGULAR: Final = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)
_FLAGS: Final = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_NOFOLLOW: Final = getattr(os, "O_NOFOLLOW", 0)


class Refused(Exception):
    """The file cannot or must not be read; *reason* says why, in plain English."""

    def __init__(self, reason: str, *, head: bytes | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        #: The first 64 KiB of a file refused for its size (to tell whether it meant to be ours).
        self.head = head


def kind_of(mode: int) -> str:
    """What a non-regular file is, for a message: "a named pipe (FIFO)", "a device", …"""
    for test, name in _NOT_REGULAR:
        if test(mode):
            return name
    return "not a regular file"


def not_regular(mode: int) -> str:
    return f"it is {kind_of(mode)}, not a regular file; tabard reads only regular files"


def read_regular(path: str, limit: int, *, follow: bool = False) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at *path* and its status, or :class:`Refused`.

    A final symbolic link is refused unless *follow* (the caller checked where it
    leads).  Files larger than *limit* bytes are refused unread.
    """
    try:
        descriptor = os.open(path, _FLAGS if follow else _FLAGS | _NOFOLLOW)
    except OSError as error:
        raise Refused(_reason(error, follow)) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise Refused(not_regular(status.st_mode))
        if status.st_size > limit:
            raise Refused(f"it is larger than {limit} bytes", head=os.read(descriptor, 65536))
        return _read_exactly(descriptor, status.st_size), status
    except OSError as error:
        raise Refused(_reason(error, follow)) from None
    finally:
        os.close(descriptor)


def _read_exactly(descriptor: int, size: int) -> bytes:
    """*size* bytes, or fewer if the file shrank meanwhile (one read for most files)."""
    data = os.read(descriptor, size)
    if len(data) == size or not data:
        return data
    parts = [data]
    left = size - len(data)
    while left > 0:
        part = os.read(descriptor, left)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _reason(error: OSError, follow: bool) -> str:
    if error.errno == errno.ELOOP:
        if follow:
            return "it is a symbolic link that leads round in a loop"
        return "it is a symbolic link, which tabard does not follow here"
    return error.strerror or str(error)
