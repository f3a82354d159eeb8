"""What every operator is: the ``Operator`` the compiler sees, and what a bad argument raises."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Literal

from tabard.record import Record

Predicate = Callable[[Any], bool]
Scope = Literal["value", "document", "collection"]


class ArgumentProblem(ValueError):
    """An argument that cannot be used (a bad regex, the wrong type)."""


class Operator(Record):
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

    _fields = (
        "name",
        "make",
        "argument_schema",
        "wording",
        "scope",
        "negated",
        "handles_absent",
        "ignore_case",
        "plugin",
        "references",
    )
    __slots__ = _fields
    name: str
    make: Callable[[Any, bool, date], Callable[..., Any]]
    argument_schema: Mapping[str, Any]
    wording: str
    scope: Scope
    negated: bool
    handles_absent: bool
    ignore_case: bool
    plugin: str | None
    references: bool

    def __init__(
        self,
        name: str,
        make: Callable[[Any, bool, date], Callable[..., Any]],
        argument_schema: Mapping[str, Any],
        wording: str,
        scope: Scope = "value",
        negated: bool = False,
        handles_absent: bool = False,
        ignore_case: bool = False,
        plugin: str | None = None,
        references: bool = True,
    ) -> None:
        self._fill(
            name,
            make,
            argument_schema,
            wording,
            scope,
            negated,
            handles_absent,
            ignore_case,
            plugin,
            references,
        )
