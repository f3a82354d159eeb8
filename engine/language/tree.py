"""A condition parsed once into a small typed tree (design §3.1 to §3.4).

The compiler, ``tabard explain`` and the field-path checker all read this tree, so
they cannot disagree about what a condition says.  :mod:`tabard.language.parser`
builds it and checks the shape of a condition; checks that depend on where a condition
sits (inside ``where`` or ``satisfies``) are the compiler's.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

from tabard.language.paths import Concrete, FieldPath

COMBINATORS: Final = ("all", "any", "none", "not")
SUBJECTS: Final = ("field", "lookup", "ref")
LEAF_OPTIONS: Final = ("for", "ignore_case")
REFERENCES: Final = ("field", "lookup", "ref", "count")
FORCE_KINDS: Final = ("Force", "Strategy", "BrandGuide")
DOCUMENT_KINDS: Final = ("Account", "Force", "Strategy", "BrandGuide")
COLLECTION_OPERATORS: Final = ("exists_in", "unique", "at_most")
STRUCTURAL_OPERATORS: Final = ("satisfies", *COLLECTION_OPERATORS)
QUANTIFIERS: Final = ("all", "any", "none")


class CompileError(Exception):
    """A policy problem at *at* (a path inside the policy document)."""

    def __init__(
        self, at: Concrete, message: str, hint: str | None = None, *, key: bool = False
    ) -> None:
        super().__init__(message)
        self.at = at
        self.message = message
        self.hint = hint
        #: The problem is the key at *at* (unknown, misspelt), not its value.
        self.key = key


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


# --- the nodes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldRef:
    """A field path as written (``field: P`` or ``{field: P}``), located at its text."""

    path: FieldPath
    at: Concrete


@dataclass(frozen=True, slots=True)
class Lookup:
    """``{lookup: {kind, field, default}}``: a value of one of the force's documents."""

    kind: str
    field: FieldRef
    default: Any
    at: Concrete


@dataclass(frozen=True, slots=True)
class Ref:
    """``{ref: {kind, by, field, default}}``: a field of the document named by *by*."""

    kind: str
    by: FieldRef
    field: FieldRef
    default: Any
    at: Concrete


@dataclass(frozen=True, slots=True)
class Count:
    """``{count: {kind, same, where}}``: how many documents of *kind* there are."""

    kind: str
    same: tuple[FieldRef, ...]
    where: Condition | None
    #: ``where`` as written: it names the index in the cache.
    where_source: Any
    at: Concrete


Reference: TypeAlias = FieldRef | Lookup | Ref | Count
Subject: TypeAlias = FieldRef | Lookup | Ref


@dataclass(frozen=True, slots=True)
class ExistsIn:
    """The argument of ``exists_in``: the values of *field* in *kind* documents."""

    kind: str
    field: FieldRef
    same: tuple[FieldRef, ...]
    where: Condition | None
    where_source: Any
    at: Concrete


@dataclass(frozen=True, slots=True)
class Group:
    """The argument of ``unique`` and ``at_most``: documents compared within a group."""

    within: tuple[FieldRef, ...]
    where: Condition | None
    where_source: Any
    #: ``at_most`` only: a whole number or a reference.
    count: int | Reference | None
    at: Concrete


@dataclass(frozen=True, slots=True)
class Leaf:
    """One test: *operator* applied to the values of *subject*.

    *argument* is the value written in the policy, a :data:`Reference`, the inner
    condition of ``satisfies``, or the :class:`ExistsIn` / :class:`Group` of a
    collection operator.
    """

    operator: str
    subject: Subject | None
    argument: Any
    #: ``for`` as written, or ``all``.
    quantifier: str
    ignore_case: bool
    at: Concrete

    @property
    def many(self) -> bool:
        """Whether the subject ranges over several values (``[*]`` or a filter)."""
        return isinstance(self.subject, FieldRef) and self.subject.path.has_wildcard


@dataclass(frozen=True, slots=True)
class AllOf:
    children: tuple[Condition, ...]
    at: Concrete


@dataclass(frozen=True, slots=True)
class AnyOf:
    children: tuple[Condition, ...]
    at: Concrete


@dataclass(frozen=True, slots=True)
class NoneOf:
    children: tuple[Condition, ...]
    at: Concrete


@dataclass(frozen=True, slots=True)
class Not:
    child: Condition
    at: Concrete


Condition: TypeAlias = AllOf | AnyOf | NoneOf | Not | Leaf
