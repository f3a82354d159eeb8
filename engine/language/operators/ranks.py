"""The value operators on police ranks, grades and roles, read through the rank vocabulary."""

from __future__ import annotations

from datetime import date
from typing import Any

from tabard.language.operators.base import ArgumentProblem, Predicate
from tabard.language.ranks import rank_key, read_rank, role_matches
from tabard.language.values import show


def _texts(arg: Any) -> list[str]:
    if not isinstance(arg, list) or not all(isinstance(item, str) for item in arg):
        raise ArgumentProblem(f"expected a list of ranks, grades or roles, got {show(arg)}")
    return arg


def rank_in(arg: Any, ic: bool, today: date) -> Predicate:
    """The rank or grade is one of *arg*, read through the rank vocabulary: ``T/Insp``,
    ``Detective Inspector`` and ``Inspector (temporary)`` are all ``Inspector``."""
    wanted = frozenset(rank_key(option) for option in _texts(arg))
    return lambda v: isinstance(v, str) and rank_key(v) in wanted


def rank_at_least(arg: Any, ic: bool, today: date) -> Predicate:
    floor = read_rank(arg) if isinstance(arg, str) else None
    if floor is None or floor.level is None:
        raise ArgumentProblem(f"expected a police rank such as 'Inspector', got {show(arg)}")
    bound = floor.level

    def at_least(v: Any) -> bool:
        rank = read_rank(v) if isinstance(v, str) else None
        return rank is not None and rank.level is not None and rank.level >= bound

    return at_least


def role_in(arg: Any, ic: bool, today: date) -> Predicate:
    """The job role holds one of the roles in *arg* (``Neighbourhood PCSO`` holds
    ``PCSO``), read through the rank vocabulary."""
    options = _texts(arg)
    return lambda v: isinstance(v, str) and any(role_matches(v, option) for option in options)
