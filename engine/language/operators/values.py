"""The value operators that compare, count and test types (design §3.3)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Final

from tabard.language.operators.base import ArgumentProblem, Predicate
from tabard.language.paths import ABSENT, PathSyntaxError, parse_path, resolve_value
from tabard.language.values import (
    as_date,
    fold,
    hashable,
    is_empty,
    is_number,
    normalise_text,
    same,
    show,
)

TYPES: Final = ("string", "integer", "number", "boolean", "list", "mapping", "date", "null")


def _folded(ignore_case: bool) -> Callable[[Any], Any]:
    return fold if ignore_case else (lambda value: value)


def present(arg: Any, ic: bool, today: date) -> Predicate:
    if arg:
        return lambda v: v is not ABSENT and v is not None
    return lambda v: v is ABSENT or v is None


def empty(arg: Any, ic: bool, today: date) -> Predicate:
    if arg:
        return is_empty
    return lambda v: not is_empty(v)


def equals(arg: Any, ic: bool, today: date) -> Predicate:
    if not ic:
        return lambda v: same(v, arg)
    target = fold(arg)
    return lambda v: same(fold(v), target)


def member_of(arg: Any, ic: bool, today: date) -> Predicate:
    if isinstance(arg, dict):
        arg = list(arg)  # a mapping's keys: `in: {lookup: …assets}` asks "is it an asset id?"
    if not isinstance(arg, list):
        raise ArgumentProblem(f"expected a list, got {show(arg)}")
    if all(type(item) is str for item in arg):
        # The usual case (enum-like options): a set lookup instead of a scan.
        if ic:
            folded = frozenset(normalise_text(item) for item in arg)
            return lambda v: type(v) is str and normalise_text(v) in folded
        texts = frozenset(arg)
        return lambda v: type(v) is str and v in texts
    norm = _folded(ic)
    options = [norm(item) for item in arg]
    return lambda v: any(same(norm(v), option) for option in options)


def distinct(arg: Any, ic: bool, today: date) -> Predicate:
    """``distinct: true``: no item repeats; ``distinct: signoff``: no two items share
    the value at that key (items without it are not compared)."""
    try:
        key = None if arg is True else parse_path(arg)
    except PathSyntaxError as error:
        raise ArgumentProblem(str(error)) from None

    def distinct(v: Any) -> bool:
        if not isinstance(v, list):
            return False
        items = v if key is None else [resolve_value(key, item, item) for item in v]
        seen = [hashable(fold(item) if ic else item) for item in items if item is not ABSENT]
        return len(set(seen)) == len(seen)

    return distinct


def _contains_one(container: Any, item: Any) -> bool:
    if isinstance(container, str):
        return isinstance(item, str) and item in container
    if isinstance(container, list):
        return any(same(element, item) for element in container)
    return False


def contains(arg: Any, ic: bool, today: date) -> Predicate:
    norm = _folded(ic)
    target = norm(arg)
    return lambda v: _contains_one(norm(v), target)


def contains_any(arg: Any, ic: bool, today: date) -> Predicate:
    if not isinstance(arg, list):
        raise ArgumentProblem(f"expected a list, got {show(arg)}")
    norm = _folded(ic)
    targets = [norm(item) for item in arg]
    return lambda v: any(_contains_one(norm(v), target) for target in targets)


def contains_all(arg: Any, ic: bool, today: date) -> Predicate:
    if not isinstance(arg, list):
        raise ArgumentProblem(f"expected a list, got {show(arg)}")
    norm = _folded(ic)
    targets = [norm(item) for item in arg]
    return lambda v: all(_contains_one(norm(v), target) for target in targets)


def _affixes(arg: Any, ic: bool) -> tuple[str, ...]:
    options = arg if isinstance(arg, list) else [arg]
    if not options or not all(isinstance(option, str) for option in options):
        raise ArgumentProblem(f"expected a string or a list of strings, got {show(arg)}")
    return tuple(normalise_text(option) if ic else option for option in options)


def starts_with(arg: Any, ic: bool, today: date) -> Predicate:
    options = _affixes(arg, ic)
    norm = _folded(ic)
    return lambda v: isinstance(v, str) and norm(v).startswith(options)


def ends_with(arg: Any, ic: bool, today: date) -> Predicate:
    options = _affixes(arg, ic)
    norm = _folded(ic)
    return lambda v: isinstance(v, str) and norm(v).endswith(options)


def _number(arg: Any) -> float:
    if not is_number(arg):
        raise ArgumentProblem(f"expected a number, got {show(arg)}")
    return float(arg)


def gt(arg: Any, ic: bool, today: date) -> Predicate:
    bound = _number(arg)
    return lambda v: is_number(v) and v > bound


def gte(arg: Any, ic: bool, today: date) -> Predicate:
    bound = _number(arg)
    return lambda v: is_number(v) and v >= bound


def lt(arg: Any, ic: bool, today: date) -> Predicate:
    bound = _number(arg)
    return lambda v: is_number(v) and v < bound


def lte(arg: Any, ic: bool, today: date) -> Predicate:
    bound = _number(arg)
    return lambda v: is_number(v) and v <= bound


def count_argument(arg: Any) -> int:
    if not isinstance(arg, int) or isinstance(arg, bool) or arg < 0:
        raise ArgumentProblem(f"expected a whole number of 0 or more, got {show(arg)}")
    return arg


def min_length(arg: Any, ic: bool, today: date) -> Predicate:
    bound = count_argument(arg)
    return lambda v: isinstance(v, str | list | dict) and len(v) >= bound


def max_length(arg: Any, ic: bool, today: date) -> Predicate:
    bound = count_argument(arg)
    return lambda v: isinstance(v, str | list | dict) and len(v) <= bound


_TYPE_TESTS: Final[dict[str, Predicate]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": is_number,
    "boolean": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "mapping": lambda v: isinstance(v, dict),
    "date": lambda v: as_date(v) is not None,
    "null": lambda v: v is None,
}


def of_type(arg: Any, ic: bool, today: date) -> Predicate:
    if arg not in _TYPE_TESTS:
        raise ArgumentProblem(f"expected one of {', '.join(TYPES)}, got {show(arg)}")
    return _TYPE_TESTS[arg]
