"""What the compiler knows while it compiles one rule, and what a compiled rule may raise."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from tabard.language.context import IndexSpec
from tabard.language.operators.base import Operator


class RuleCannotRun(Exception):
    """An argument read from a document at run time cannot be used."""


class Scope:
    """What the compiler knows while compiling one rule.

    A plain class, not a dataclass (whose methods are compiled on every import,
    docs/architecture.md, Speed); :meth:`but` copies it as ``dataclasses.replace`` did,
    sharing the kinds and indexes the rule reads.
    """

    __slots__ = ("indexes", "lookup_kinds", "operators", "pure", "relative", "rule_kind", "today")

    def __init__(
        self,
        operators: Mapping[str, Operator],
        today: date,
        rule_kind: str = "Account",
        lookup_kinds: set[str] | None = None,
        indexes: list[IndexSpec] | None = None,
        pure: bool = False,
        relative: bool = False,
    ) -> None:
        self.operators = operators
        self.today = today
        self.rule_kind = rule_kind
        self.lookup_kinds: set[str] = set() if lookup_kinds is None else lookup_kinds
        #: The repository indexes the rule reads (a streaming run builds them as it reads).
        self.indexes: list[IndexSpec] = [] if indexes is None else indexes
        #: Inside ``where``: only the document itself may be read (it is cached).
        self.pure = pure
        #: Inside ``satisfies``: field paths are relative to a list item.
        self.relative = relative

    def but(self, *, pure: bool | None = None, relative: bool | None = None) -> Scope:
        """This scope with *pure* or *relative* changed; the same kinds and indexes."""
        return Scope(
            self.operators,
            self.today,
            self.rule_kind,
            self.lookup_kinds,
            self.indexes,
            self.pure if pure is None else pure,
            self.relative if relative is None else relative,
        )
