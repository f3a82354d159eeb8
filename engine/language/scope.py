"""What the compiler knows while it compiles one rule, and what a compiled rule may raise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from tabard.language.context import IndexSpec
from tabard.language.operators.base import Operator


class RuleCannotRun(Exception):
    """An argument read from a document at run time cannot be used."""


@dataclass
class Scope:
    """What the compiler knows while compiling one rule."""

    operators: Mapping[str, Operator]
    today: date
    rule_kind: str = "Account"
    lookup_kinds: set[str] = field(default_factory=set)
    #: The repository indexes the rule reads (a streaming run builds them as it reads).
    indexes: list[IndexSpec] = field(default_factory=list)
    #: Inside ``where``: only the document itself may be read (it is cached).
    pure: bool = False
    #: Inside ``satisfies``: field paths are relative to a list item.
    relative: bool = False
