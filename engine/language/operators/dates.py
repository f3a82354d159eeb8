"""The value operators on dates: day counts back from today, and fixed dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Final

from tabard.language.operators.base import ArgumentProblem, Predicate
from tabard.language.operators.values import count_argument
from tabard.language.values import as_date, parse_date, show

#: Day counts go up to a hundred years, as they do in the documents' schemas.
MAX_DAYS: Final = 36_500


def days_before(day: date, days: int) -> date:
    """*day* less *days* days; the first day there is if that is before it (never raises)."""
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return date.min


def within_days(arg: Any, ic: bool, today: date) -> Predicate:
    earliest = days_before(today, count_argument(arg))

    def within(v: Any) -> bool:
        day = as_date(v)
        return day is not None and day >= earliest

    return within


def older_than_days(arg: Any, ic: bool, today: date) -> Predicate:
    cutoff = days_before(today, count_argument(arg))

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


def before(arg: Any, ic: bool, today: date) -> Predicate:
    bound = date_argument(arg, today)

    def is_before(v: Any) -> bool:
        day = as_date(v)
        return day is not None and day < bound

    return is_before


def after(arg: Any, ic: bool, today: date) -> Predicate:
    bound = date_argument(arg, today)

    def is_after(v: Any) -> bool:
        day = as_date(v)
        return day is not None and day > bound

    return is_after
