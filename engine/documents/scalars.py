"""Plain YAML scalars by the YAML 1.2 core schema: ``no`` is text, ``010`` is text.

YAML 1.1 (PyYAML's constructors) reads ``no`` as False and ``010`` as 8; YAML 1.2 reads
``010`` as 10. Identifiers such as collar numbers need their leading zeros, so tabard keeps
``010`` as it is written, and refuses integers too long to be a number any field holds.
"""

from __future__ import annotations

import re
from typing import Any, Final

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF, _NAN = float("inf"), float("nan")
#: Plain scalars that are not text, by the 1.2 core schema (the empty one is null).
PLAIN_WORDS: Final[dict[str, Any]] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), _INF),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -_INF),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), _NAN),
}
#: A plain scalar that starts with none of these is text or one of PLAIN_WORDS.
NUMBER_START: Final = frozenset("0123456789+-.")
#: Integers longer than this are refused: Python will not turn more than 4,300
#: digits into an int, and no tabard field holds a number anywhere near this long.
MAX_DIGITS: Final = 1000


class NumberTooLong(ValueError):
    """A plain integer with more than MAX_DIGITS digits."""


def resolve_plain(text: str) -> Any:
    """Resolve a plain (unquoted) scalar by the YAML 1.2 core schema."""
    if text in PLAIN_WORDS:
        return PLAIN_WORDS[text]
    if text[0] in NUMBER_START:
        if _INT.match(text):
            return int(_digits(text, text.lstrip("+-")))
        if _FLOAT.match(text) and not text.lstrip("+-").isdigit():
            # "010.5" is a float in every YAML version; "010" is neither int nor float here.
            return float(text)
        if _OCT.match(text):
            return int(_digits(text, text[2:]), 8)
        if _HEX.match(text):
            return int(_digits(text, text[2:]), 16)
    return text


def _digits(text: str, digits: str) -> str:
    """*text*, unless its *digits* are too many to be a number tabard reads."""
    if len(digits) > MAX_DIGITS:
        raise NumberTooLong(
            f"number too long ({len(digits)} digits; at most {MAX_DIGITS}): if it is "
            "meant as text, put it in quotes"
        )
    return text
