"""Regular expressions written by users (policies, force documents), run by RE2.

Python's ``re`` backtracks: ``^(a+)+$`` against a long handle never ends, and
``a{4294967296}`` or thousands of nested groups crash the compiler.  A pattern
in a policy or a brand guide is user input, so it runs on RE2 (the engine of
Go and OPA), whose matching time is linear in the text.  RE2 has no
backreferences or lookaround; ``docs/policy-language.md`` lists the syntax.

The predicates call RE2's extension directly: the ``re2`` module's own
``search`` builds a match object through a generator and costs about ten times
as much per call, and the language only needs yes or no.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

import re2
from re2 import _re2

#: RE2 refuses larger counts; a count too large to parse at all it reads as literal text,
#: so `a{4294967296}` would quietly match the characters "a{4294967296}" instead.
MAX_REPEAT: Final = 1000
_REPEAT: Final = re.compile(r"(?<!\\)\{([0-9]+)(?:,([0-9]*))?\}")
#: Answers each predicate remembers (texts are kept alive by the documents anyway).
MEMO_SIZE: Final = 4096
_UNANCHORED: Final = _re2.RE2.Anchor.UNANCHORED
_NO_MATCH: Final = (-1, -1)

#: What RE2's messages mean, for someone who writes Python or PCRE patterns.  RE2 says
#: "<what>: <where>"; the first match of <what> wins.
_UNSUPPORTED: Final = (
    ("invalid perl operator: (?=", "lookahead (?=…) is not supported"),
    ("invalid perl operator: (?!", "negative lookahead (?!…) is not supported"),
    ("invalid perl operator: (?<=", "lookbehind (?<=…) is not supported"),
    ("invalid perl operator: (?<!", "negative lookbehind (?<!…) is not supported"),
    ("invalid perl operator: (?P", "named backreferences (?P=name) are not supported"),
    ("invalid perl operator: (?#", "comments (?#…) are not supported"),
    ("invalid escape sequence: \\Z", "\\Z is not supported: use \\z (end of text)"),
    ("pattern too large", "the pattern is too large (shorten it, or make repeats smaller)"),
)
_MISTAKES: Final = (
    ("missing )", "a group opened with ( is not closed"),
    ("missing ]", "a character set opened with [ is not closed"),
    ("unexpected )", "a ) closes no group"),
    ("trailing \\", "the pattern ends with a lone \\"),
    ("no argument for repetition operator", "a repeat (*, +, ? or {n}) follows nothing"),
    ("bad repetition operator", "a repeat is repeated (possessive a++ or a** is not supported)"),
    (
        "invalid repetition size",
        f"a repetition count is out of range (at most {MAX_REPEAT}, with nested repeats "
        "multiplied, and {n,m} needs n ≤ m)",
    ),
    ("invalid escape sequence", "unknown escape"),
    ("invalid character class range", "invalid character class or range"),
    ("invalid character class", "invalid character class"),
    ("missing argument to repetition operator", "a repeat (*, +, ? or {n}) follows nothing"),
    ("invalid named capture group", "invalid group name"),
    ("invalid UTF-8", "the pattern is not valid text"),
)


class PatternProblem(ValueError):
    """A pattern RE2 cannot run; the message says why in plain words."""


def _options(ignore_case: bool) -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own message on stderr
    options.never_capture = True  # only "is there a match" is asked
    options.case_sensitive = not ignore_case
    return options


def _explain(pattern: str, error: str) -> str:
    what, _, where = error.partition(": ")
    at = "" if where in ("", pattern) else f" at {where!r}"
    if _backreference(error):
        plain = "backreferences (\\1, \\2, …) are not supported"
    else:
        plain = next((text for start, text in _UNSUPPORTED if error.startswith(start)), "")
    if plain:
        return f"invalid regular expression {pattern!r}: {plain} (tabard uses RE2 syntax)"
    plain = next((text for start, text in _MISTAKES if what == start), what)
    return f"invalid regular expression {pattern!r}: {plain}{at}"


def _backreference(error: str) -> bool:
    """``\\1`` … ``\\9``: RE2 reports each as an invalid escape."""
    prefix = "invalid escape sequence: \\"
    return error.startswith(prefix) and error[len(prefix) : len(prefix) + 1].isdigit()


def _check_repeats(pattern: str) -> None:
    for found in _REPEAT.finditer(pattern):
        counts = [int(number) for number in found.groups() if number]
        if any(count > MAX_REPEAT for count in counts):
            raise PatternProblem(
                f"invalid regular expression {pattern!r}: a repetition count must be at most "
                f"{MAX_REPEAT}, got {found[0]}"
            )


def compile_search(pattern: str, ignore_case: bool) -> Callable[[str], bool]:
    """A predicate: does *pattern* match somewhere in the text (like ``re.search``)?

    :raises PatternProblem: RE2 cannot compile the pattern.
    """
    _check_repeats(pattern)
    regexp = _re2.RE2(pattern.encode("utf-8", "surrogatepass"), _options(ignore_case))
    if not regexp.ok():
        raise PatternProblem(_explain(pattern, regexp.error().decode("utf-8", "replace")))
    match = regexp.Match
    # Registers repeat themselves (roles, time zones, language tags, "Head of
    # Communications"): a small memo answers repeats for a dict lookup instead of a call
    # into RE2, which costs a few microseconds each.
    seen: dict[str, bool] = {}

    def search(text: str) -> bool:
        found = seen.get(text)
        if found is None:
            # surrogatepass: matching never raises, whatever the text holds.
            data = text.encode("utf-8", "surrogatepass")
            found = match(_UNANCHORED, data, 0, len(data))[0] != _NO_MATCH
            if len(seen) < MEMO_SIZE:
                seen[text] = found
        return found

    return search
