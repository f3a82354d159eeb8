"""What every operator is: the ``Operator`` the compiler sees, and what a bad argument raises."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

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
