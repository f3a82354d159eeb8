"""The text around libyaml: editor positions of bytes, and the odd line breaks hidden from it.

libyaml breaks lines at NEL, U+2028 and U+2029 (YAML 1.1); YAML 1.2, editors, git and SARIF
do not. ``yamlio`` reads a file holding one of them with each swapped for a stand-in, and
swaps them back in the data and in messages, so that positions and values are YAML 1.2's.
"""

from __future__ import annotations

import re
from typing import Any, Final

#: libyaml breaks lines at these too (YAML 1.1); YAML 1.2 and editors do not.
ODD_BREAKS: Final = ("\x85", "\u2028", "\u2029")
#: Stand-ins for the odd breaks while libyaml reads: Unicode noncharacters, which
#: libyaml reads as ordinary text and no real document has reason to hold.
STAND_INS: Final = tuple(chr(code) for code in range(0xFDD0, 0xFDF0))


class NoFreeStandIn(ValueError):
    """The file holds every stand-in character, so the odd breaks cannot be hidden."""


EDITOR_BREAK = re.compile(r"\r\n|\r|\n")


def byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """The 1-based editor (line, column) of the byte at *offset*."""
    before = raw[:offset].decode("utf-8", "replace")
    breaks = list(EDITOR_BREAK.finditer(before))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, len(before) - start + 1


def has_odd_break(raw: bytes) -> bool:
    # U+2028 and U+2029 share their first two bytes: one search rules both out.
    return (b"\xe2\x80" in raw and (b"\xe2\x80\xa8" in raw or b"\xe2\x80\xa9" in raw)) or (
        b"\xc2\x85" in raw
    )


def hide_odd_breaks(raw: bytes) -> tuple[bytes, dict[int, str] | None]:
    """*raw* with NEL, U+2028 and U+2029 swapped for stand-ins, and the way back.

    libyaml counts those three as line breaks (YAML 1.1); YAML 1.2, editors, git
    and SARIF do not, so every later position would be off, and inside a block
    scalar they end the block early.  Each stand-in is one code point, like the
    character it replaces, so columns are kept too.
    """
    if raw.isascii() or not has_odd_break(raw):
        return raw, None
    text = raw.decode("utf-8")
    free = [stand_in for stand_in in STAND_INS if stand_in not in text]
    if len(free) < len(ODD_BREAKS):
        # Only a file written to defeat this could get here: refuse it rather than misplace.
        raise NoFreeStandIn(
            "the file holds NEL, U+2028 or U+2029 together with every character from U+FDD0 "
            "to U+FDEF, which tabard cannot read; remove the U+FDD0 to U+FDEF characters"
        )
    hide = {ord(odd): stand_in for odd, stand_in in zip(ODD_BREAKS, free, strict=False)}
    back = {ord(stand_in): odd for odd, stand_in in zip(ODD_BREAKS, free, strict=False)}
    return text.translate(hide).encode("utf-8"), back


def restore(value: Any, back: dict[int, str]) -> Any:
    """*value* with the stand-ins of :func:`hide_odd_breaks` turned back."""
    if type(value) is str:
        return value.translate(back)
    if type(value) is dict:
        return {key.translate(back): restore(item, back) for key, item in value.items()}
    if type(value) is list:
        return [restore(item, back) for item in value]
    return value


def as_written(message: str, back: dict[int, str] | None) -> str:
    """*message* with stand-ins, bare or escaped as repr() shows them, turned back."""
    if back is None:
        return message
    for stand_in, odd in back.items():
        escaped, written = repr(chr(stand_in))[1:-1], repr(odd)[1:-1]
        message = message.replace(chr(stand_in), odd).replace(escaped, written)
    return message
