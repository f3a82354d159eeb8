"""Every built-in value operator by name, with its argument schema and its words.

The predicates themselves are in the modules beside this one: ``values`` (compare, count,
types), ``text`` (patterns, handles, email domains), ``dates`` and ``ranks``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Final

from tabard.language.operators import dates, ranks, text, values
from tabard.language.operators.base import Operator, Predicate

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
_DAYS: Final = {"type": "integer", "minimum": 0, "maximum": dates.MAX_DAYS}
_STRINGS: Final = {
    "x-expected": "a string or a list of strings",
    "anyOf": [
        {"type": "string"},
        {"type": "array", "items": {"type": "string"}},
    ],
}
# Dates are checked by the operators themselves, which can say what a date looks like.
_DATE_ARG: Final = {"type": "string"}


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
    _op("present", values.present, _BOOL, "{field} is present", handles_absent=True),
    _op("empty", values.empty, _BOOL, "{field} is empty", handles_absent=True),
    _op("equals", values.equals, _ANY, "{field} equals {arg}", ignore_case=True),
    _op(
        "not_equals",
        _negate(values.equals),
        _ANY,
        "{field} does not equal {arg}",
        negated=True,
        ignore_case=True,
    ),
    _op("in", values.member_of, _LIST_OR_MAPPING, "{field} is one of {arg}", ignore_case=True),
    _op(
        "not_in",
        _negate(values.member_of),
        _LIST_OR_MAPPING,
        "{field} is not one of {arg}",
        negated=True,
        ignore_case=True,
    ),
    _op("matches", text.matches, _STRING, "{field} matches the pattern {arg}", ignore_case=True),
    _op(
        "not_matches",
        _negate(text.matches),
        _STRING,
        "{field} does not match the pattern {arg}",
        negated=True,
        ignore_case=True,
    ),
    _op(
        "matches_any",
        text.matches_any,
        _STRINGS,
        "{field} matches one of the patterns {arg}",
        ignore_case=True,
    ),
    _op(
        "handle_in",
        text.handle_in,
        _STRINGS,
        "{field} is one of the handles {arg} (ignoring case and a leading @)",
    ),
    _op(
        "handle_matches_any",
        text.handle_matches_any,
        _STRINGS,
        "{field} matches one of the handle patterns {arg} (ignoring case, with or without @)",
    ),
    _op(
        "email_domain_in",
        text.email_domain_in,
        _STRINGS,
        "{field} is an email address at one of the domains {arg}",
    ),
    _op(
        "distinct",
        values.distinct,
        {
            "anyOf": [{"const": True}, {"type": "string", "minLength": 1}],
            "x-expected": "true, or the key that must differ between items",
        },
        "{field} has no repeated items (compared by {arg})",
        ignore_case=True,
    ),
    _op("contains", values.contains, _ANY, "{field} contains {arg}", ignore_case=True),
    _op(
        "not_contains",
        _negate(values.contains),
        _ANY,
        "{field} does not contain {arg}",
        negated=True,
        ignore_case=True,
    ),
    _op(
        "contains_any",
        values.contains_any,
        _LIST,
        "{field} contains at least one of {arg}",
        ignore_case=True,
    ),
    _op(
        "contains_all",
        values.contains_all,
        _LIST,
        "{field} contains all of {arg}",
        ignore_case=True,
    ),
    _op("starts_with", values.starts_with, _STRINGS, "{field} starts with {arg}", ignore_case=True),
    _op("ends_with", values.ends_with, _STRINGS, "{field} ends with {arg}", ignore_case=True),
    _op("gt", values.gt, _NUMBER, "{field} is greater than {arg}"),
    _op("gte", values.gte, _NUMBER, "{field} is at least {arg}"),
    _op("lt", values.lt, _NUMBER, "{field} is less than {arg}"),
    _op("lte", values.lte, _NUMBER, "{field} is at most {arg}"),
    _op("min_length", values.min_length, _COUNT, "{field} has at least {arg} characters or items"),
    _op("max_length", values.max_length, _COUNT, "{field} has at most {arg} characters or items"),
    _op("type", values.of_type, {"enum": list(values.TYPES)}, "{field} is of type {arg}"),
    _op("within_days", dates.within_days, _DAYS, "{field} is a date no more than {arg} days ago"),
    _op(
        "older_than_days",
        dates.older_than_days,
        _DAYS,
        "{field} is a date more than {arg} days ago",
    ),
    _op(
        "rank_in",
        ranks.rank_in,
        _LIST,
        "{field} is one of the ranks or grades in {arg} (temporary, acting and detective "
        "forms, abbreviations and police-staff equivalents count)",
    ),
    _op(
        "rank_at_least",
        ranks.rank_at_least,
        _STRING,
        "{field} is the rank {arg} or above (or a police-staff equivalent)",
    ),
    _op(
        "role_in",
        ranks.role_in,
        _LIST,
        "{field} is, or includes, one of the roles {arg}",
    ),
    _op("before", dates.before, _DATE_ARG, "{field} is a date before {arg}"),
    _op("after", dates.after, _DATE_ARG, "{field} is a date after {arg}"),
)
