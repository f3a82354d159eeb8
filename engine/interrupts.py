"""Tell a real Ctrl-C from a ``KeyboardInterrupt`` that plugin code raised itself.

Both arrive as the same exception.  While tabard runs, SIGINT goes through a
handler that notes the signal before raising, so a plugin's own
``raise KeyboardInterrupt`` (or ``SystemExit``) is reported as a plugin error
(exit 2) while a real Ctrl-C, even in the middle of plugin code, still ends the
run with exit 130.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_signalled = False


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    global _signalled
    _signalled = True
    raise KeyboardInterrupt


@contextmanager
def watching() -> Iterator[None]:
    """Note SIGINT while the block runs (only where Python's own handler is in place:
    a program that set its own, or ignores the signal, keeps its choice)."""
    global _signalled
    _signalled = False
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    try:
        signal.signal(signal.SIGINT, _on_sigint)
    except ValueError:
        # Not the main thread, where alone handlers can be set.  Asked of `signal`
        # rather than `threading`, which a check does not otherwise import.
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _signalled = False


def genuine(error: BaseException) -> bool:
    """Whether *error* is the user pressing Ctrl-C (rather than code raising it)."""
    return isinstance(error, KeyboardInterrupt) and _signalled
