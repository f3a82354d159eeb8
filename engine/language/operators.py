"""The value operators of the policy language (design §3.3).

Each operator turns its argument into a predicate once, when the policy is
compiled; a predicate takes one value and answers True or False.  Absent
values are handled by the compiler: positive operators fail on them and
negated (``not_*``) operators hold, except ``present`` and ``empty``, which
decide for themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final, Literal

from tabard.language.paths import ABSENT, PathSyntaxError, parse_path, resolve_value
from tabard.language.ranks import rank_key, read_rank, role_matches
from tabard.language.regex import PatternProblem, compile_search
from tabard.language.values import (
    as_date,
    fold,
    hashable,
    is_empty,
    is_number,
    normalise_text,
    parse_date,
    same,
    show,
)

Predicate = Callable[[Any], bool]
Scope = Literal["value", "document", "collection"]


class ArgumentProblem(ValueError):
    """An argument that cannot be used (a bad regex, the wrong type)."""


@dataclass(frozen=True, slots=True)
class Operator:
    """An operator as the compiler sees it.

    :param make: ``make(argument, ignore_case, as_of) -> predicate``; for the
        ``document`` and ``collection`` scopes it returns a compiled condition
        ``(context, node) -> (holds, path)`` instead.
    :param handles_absent: the predicate is given ABSENT instead of the
        compiler deciding for it.
    :param negated: a ``not_*`` operator, which an absent value satisfies.
    :param wording: plain words for ``tabard explain``; ``{field}`` and
        ``{arg}`` are filled in.
    """

    name: str
    make: Callable[[Any, bool, date], Callable[..., Any]]
    argument_schema: Mapping[str, Any]
    wording: str
    scope: Scope = "value"
    negated: bool = False
    handles_absent: bool = False
    ignore_case: bool = False
    plugin: str | None = None
    references: bool = True


_ANY: Final[dict[str, Any]] = {}
_BOOL: Final = {"type": "boolean"}
_STRING: Final = {"type": "string"}
_LIST: Final = {"type": "array"}
_LIST_OR_MAPPING: Final = {
    "type": ["array", "object"],
    "x-expected": "a list (or a mapping, whose keys are the options)",
}
_NUMBER: Final = {"type": "number"}
_COUNT: Final = {"type": "integer", "minimum": 0}
#: Day counts go up to a hundred years, as they do in the documents' schemas.
MAX_DAYS: Final = 36_500
_DAYS: Final = {"type": "integer", "minimum": 0, "maximum": MAX_DAYS}
_STRINGS: Final = {
    "x-expected": "a string or a list of strings",
    "anyOf": [
        {"type": "string"},
        {"type": "array", "items": {"type": "string"}},
    ],
}
# Dates are checked by the operators themselves, which can say what a date looks like.
_DATE_ARG: Final = {"type": "string"}
TYPES: Final = ("string", "integer", "number", "boolean", "list", "mapping", "date", "null")


def _folded(ignore_case: bool) -> Callable[[Any], Any]:
    return fold if ignore_case else (lambda value: value)


def _present(arg: Any, ic: bool, today: date) -> Predicate:
    if arg:
        return lambda v: v is not ABSENT and v is not None
    return lambda v: v is ABSENT or v is None


def _empty(arg: Any, ic: bool, today: date) -> Predicate:
    if arg:
        return is_empty
    return lambda v: not is_empty(v)


def _equals(arg: Any, ic: bool, today: date) -> Predicate:
    if not ic:
        return lambda v: same(v, arg)
    target = fold(arg)
    return lambda v: same(fold(v), target)


def _in(arg: Any, ic: bool, today: date) -> Predicate:
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


def compile_regex(pattern: Any, ignore_case: bool) -> Callable[[str], bool]:
    """A policy's (or a force document's) pattern as a search predicate, run by RE2."""
    if not isinstance(pattern, str):
        raise ArgumentProblem(f"expected a regular expression, got {show(pattern)}")
    try:
        return compile_search(pattern, ignore_case)
    except PatternProblem as error:
        raise ArgumentProblem(str(error)) from None


def _matches(arg: Any, ic: bool, today: date) -> Predicate:
    search = compile_regex(arg, ic)
    return lambda v: isinstance(v, str) and search(v)


def _matches_any(arg: Any, ic: bool, today: date) -> Predicate:
    options = arg if isinstance(arg, list) else [arg]
    searches = [compile_regex(pattern, ic) for pattern in options]
    return lambda v: isinstance(v, str) and any(search(v) for search in searches)


def _bare_handle(value: str) -> str:
    """A handle as platforms compare it: without its leading "@", case and typography folded."""
    return normalise_text(value).lstrip("@")


def _handle_in(arg: Any, ic: bool, today: date) -> Predicate:
    options = arg if isinstance(arg, list) else [arg]
    if not all(isinstance(option, str) for option in options):
        raise ArgumentProblem(f"expected handles, got {show(arg)}")
    handles = frozenset(_bare_handle(option) for option in options)
    return lambda v: isinstance(v, str) and _bare_handle(v) in handles


def _handle_matches_any(arg: Any, ic: bool, today: date) -> Predicate:
    """Patterns tried on the handle as written and without its "@", ignoring case: a brand
    guide may write ``^@?GlosPolice`` or ``^glospolice`` and mean the same handles."""
    options = arg if isinstance(arg, list) else [arg]
    searches = [compile_regex(pattern, True) for pattern in options]

    def test(v: Any) -> bool:
        if not isinstance(v, str):
            return False
        forms = (v, v[1:]) if v.startswith("@") else (v, "@" + v)
        return any(search(form) for search in searches for form in forms)

    return test


def _email_domain_in(arg: Any, ic: bool, today: date) -> Predicate:
    options = arg if isinstance(arg, list) else [arg]
    if not all(isinstance(option, str) for option in options):
        raise ArgumentProblem(f"expected domain names, got {show(arg)}")
    domains = frozenset(option.lower().lstrip("@") for option in options)

    def on_domain(v: Any) -> bool:
        if not isinstance(v, str) or v.count("@") != 1:
            return False
        local, domain = v.split("@")
        return bool(local) and domain.lower() in domains

    return on_domain


def _distinct(arg: Any, ic: bool, today: date) -> Predicate:
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


def _contains(arg: Any, ic: bool, today: date) -> Predicate:
    norm = _folded(ic)
    target = norm(arg)
    return lambda v: _contains_one(norm(v), target)


def _contains_any(arg: Any, ic: bool, today: date) -> Predicate:
    if not isinstance(arg, list):
        raise ArgumentProblem(f"expected a list, got {show(arg)}")
    norm = _folded(ic)
    targets = [norm(item) for item in arg]
    return lambda v: any(_contains_one(norm(v), target) for target in targets)


def _contains_all(arg: Any, ic: bool, today: date) -> Predicate:
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


def _starts_with(arg: Any, ic: bool, today: date) -> Predicate:
    options = _affixes(arg, ic)
    norm = _folded(ic)
    return lambda v: isinstance(v, str) and norm(v).startswith(options)


def _ends_with(arg: Any, ic: bool, today: date) -> Predicate:
    options = _affixes(arg, ic)
    norm = _folded(ic)
    return lambda v: isinstance(v, str) and norm(v).endswith(options)


def _number(arg: Any) -> float:
    if not is_number(arg):
        raise ArgumentProblem(f"expected a number, got {show(arg)}")
    return float(arg)


def _gt(arg: Any, ic: bool, today: date) -> Predicate:
    bound = _number(arg)
    return lambda v: is_number(v) and v > bound


def _gte(arg: Any, ic: bool, today: date) -> Predicate:
    bound = _number(arg)
    return lambda v: is_number(v) and v >= bound


def _lt(arg: Any, ic: bool, today: date) -> Predicate:
    bound = _number(arg)
    return lambda v: is_number(v) and v < bound


def _lte(arg: Any, ic: bool, today: date) -> Predicate:
    bound = _number(arg)
    return lambda v: is_number(v) and v <= bound


def _length(arg: Any) -> int:
    if not isinstance(arg, int) or isinstance(arg, bool) or arg < 0:
        raise ArgumentProblem(f"expected a whole number of 0 or more, got {show(arg)}")
    return arg


def _min_length(arg: Any, ic: bool, today: date) -> Predicate:
    bound = _length(arg)
    return lambda v: isinstance(v, str | list | dict) and len(v) >= bound


def _max_length(arg: Any, ic: bool, today: date) -> Predicate:
    bound = _length(arg)
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


def _type(arg: Any, ic: bool, today: date) -> Predicate:
    if arg not in _TYPE_TESTS:
        raise ArgumentProblem(f"expected one of {', '.join(TYPES)}, got {show(arg)}")
    return _TYPE_TESTS[arg]


def days_before(day: date, days: int) -> date:
    """*day* less *days* days; the first day there is if that is before it (never raises)."""
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return date.min


def _within_days(arg: Any, ic: bool, today: date) -> Predicate:
    earliest = days_before(today, _length(arg))

    def within(v: Any) -> bool:
        day = as_date(v)
        return day is not None and day >= earliest

    return within


def _older_than_days(arg: Any, ic: bool, today: date) -> Predicate:
    cutoff = days_before(today, _length(arg))

    def older(v: Any) -> bool:
        day = as_date(v)
        return day is not None and day < cutoff

    return older


def date_argument(arg: Any, today: date) -> date:
    if arg == "today":
        return today
    day = parse_date(arg) if isinstance(arg, str) else None
    if day is None:
        raise ArgumentProblem(f"expected a date (YYYY-MM-DD) or 'today', got {show(arg)}")
    return day


def _before(arg: Any, ic: bool, today: date) -> Predicate:
    bound = date_argument(arg, today)

    def before(v: Any) -> bool:
        day = as_date(v)
        return day is not None and day < bound

    return before


def _after(arg: Any, ic: bool, today: date) -> Predicate:
    bound = date_argument(arg, today)

    def after(v: Any) -> bool:
        day = as_date(v)
        return day is not None and day > bound

    return after


def _texts(arg: Any) -> list[str]:
    if not isinstance(arg, list) or not all(isinstance(item, str) for item in arg):
        raise ArgumentProblem(f"expected a list of ranks, grades or roles, got {show(arg)}")
    return arg


def _rank_in(arg: Any, ic: bool, today: date) -> Predicate:
    """The rank or grade is one of *arg*, read through the rank vocabulary: ``T/Insp``,
    ``Detective Inspector`` and ``Inspector (temporary)`` are all ``Inspector``."""
    wanted = frozenset(rank_key(option) for option in _texts(arg))
    return lambda v: isinstance(v, str) and rank_key(v) in wanted


def _rank_at_least(arg: Any, ic: bool, today: date) -> Predicate:
    floor = read_rank(arg) if isinstance(arg, str) else None
    if floor is None or floor.level is None:
        raise ArgumentProblem(f"expected a police rank such as 'Inspector', got {show(arg)}")
    bound = floor.level

    def at_least(v: Any) -> bool:
        rank = read_rank(v) if isinstance(v, str) else None
        return rank is not None and rank.level is not None and rank.level >= bound

    return at_least


def _role_in(arg: Any, ic: bool, today: date) -> Predicate:
    """The job role holds one of the roles in *arg* (``Neighbourhood PCSO`` holds
    ``PCSO``), read through the rank vocabulary."""
    options = _texts(arg)
    return lambda v: isinstance(v, str) and any(role_matches(v, option) for option in options)


def _negate(make: Callable[[Any, bool, date], Predicate]) -> Callable[[Any, bool, date], Predicate]:
    def negated(arg: Any, ic: bool, today: date) -> Predicate:
        test = make(arg, ic, today)
        return lambda v: not test(v)

    return negated


def _op(
    name: str,
    make: Callable[[Any, bool, date], Predicate],
    schema: Mapping[str, Any],
    wording: str,
    **options: Any,
) -> Operator:
    return Operator(name=name, make=make, argument_schema=schema, wording=wording, **options)


BUILTIN_VALUE_OPERATORS: Final[tuple[Operator, ...]] = (
    _op("present", _present, _BOOL, "{field} is present", handles_absent=True),
    _op("empty", _empty, _BOOL, "{field} is empty", handles_absent=True),
    _op("equals", _equals, _ANY, "{field} equals {arg}", ignore_case=True),
    _op(
        "not_equals",
        _negate(_equals),
        _ANY,
        "{field} does not equal {arg}",
        negated=True,
        ignore_case=True,
    ),
    _op("in", _in, _LIST_OR_MAPPING, "{field} is one of {arg}", ignore_case=True),
    _op(
        "not_in",
        _negate(_in),
        _LIST_OR_MAPPING,
        "{field} is not one of {arg}",
        negated=True,
        ignore_case=True,
    ),
    _op("matches", _matches, _STRING, "{field} matches the pattern {arg}", ignore_case=True),
    _op(
        "not_matches",
        _negate(_matches),
        _STRING,
        "{field} does not match the pattern {arg}",
        negated=True,
        ignore_case=True,
    ),
    _op(
        "matches_any",
        _matches_any,
        _STRINGS,
        "{field} matches one of the patterns {arg}",
        ignore_case=True,
    ),
    _op(
        "handle_in",
        _handle_in,
        _STRINGS,
        "{field} is one of the handles {arg} (ignoring case and a leading @)",
    ),
    _op(
        "handle_matches_any",
        _handle_matches_any,
        _STRINGS,
        "{field} matches one of the handle patterns {arg} (ignoring case, with or without @)",
    ),
    _op(
        "email_domain_in",
        _email_domain_in,
        _STRINGS,
        "{field} is an email address at one of the domains {arg}",
    ),
    _op(
        "distinct",
        _distinct,
        {
            "anyOf": [{"const": True}, {"type": "string", "minLength": 1}],
            "x-expected": "true, or the key that must differ between items",
        },
        "{field} has no repeated items (compared by {arg})",
        ignore_case=True,
    ),
    _op("contains", _contains, _ANY, "{field} contains {arg}", ignore_case=True),
    _op(
        "not_contains",
        _negate(_contains),
        _ANY,
        "{field} does not contain {arg}",
        negated=True,
        ignore_case=True,
    ),
    _op(
        "contains_any",
        _contains_any,
        _LIST,
        "{field} contains at least one of {arg}",
        ignore_case=True,
    ),
    _op("contains_all", _contains_all, _LIST, "{field} contains all of {arg}", ignore_case=True),
    _op("starts_with", _starts_with, _STRINGS, "{field} starts with {arg}", ignore_case=True),
    _op("ends_with", _ends_with, _STRINGS, "{field} ends with {arg}", ignore_case=True),
    _op("gt", _gt, _NUMBER, "{field} is greater than {arg}"),
    _op("gte", _gte, _NUMBER, "{field} is at least {arg}"),
    _op("lt", _lt, _NUMBER, "{field} is less than {arg}"),
    _op("lte", _lte, _NUMBER, "{field} is at most {arg}"),
    _op("min_length", _min_length, _COUNT, "{field} has at least {arg} characters or items"),
    _op("max_length", _max_length, _COUNT, "{field} has at most {arg} characters or items"),
    _op("type", _type, {"enum": list(TYPES)}, "{field} is of type {arg}"),
    _op("within_days", _within_days, _DAYS, "{field} is a date no more than {arg} days ago"),
    _op("older_than_days", _older_than_days, _DAYS, "{field} is a date more than {arg} days ago"),
    _op(
        "rank_in",
        _rank_in,
        _LIST,
        "{field} is one of the ranks or grades in {arg} (temporary, acting and detective "
        "forms, abbreviations and police-staff equivalents count)",
    ),
    _op(
        "rank_at_least",
        _rank_at_least,
        _STRING,
        "{field} is the rank {arg} or above (or a police-staff equivalent)",
    ),
    _op(
        "role_in",
        _role_in,
        _LIST,
        "{field} is, or includes, one of the roles {arg}",
    ),
    _op("before", _before, _DATE_ARG, "{field} is a date before {arg}"),
    _op("after", _after, _DATE_ARG, "{field} is a date after {arg}"),
)
