"""A condition parsed once into a small typed tree (design §3.1 to §3.4).

The compiler, ``tabard explain`` and the field-path checker all read this tree, so
they cannot disagree about what a condition says.  :mod:`tabard.language.parser`
builds it and checks the shape of a condition; checks that depend on where a condition
sits (inside ``where`` or ``satisfies``) are the compiler's.
"""

from __future__ import annotations

from typing import Any, Final, TypeAlias

from tabard.language.paths import Concrete, FieldPath
from tabard.record import Record
from tabard.suggest import closest

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
    close = closest(word, choices)
    return f"did you mean {close!r}?" if close else None


# --- the nodes ----------------------------------------------------------------------------


class FieldRef(Record):
    """A field path as written (``field: P`` or ``{field: P}``), located at its text."""

    _fields = ("path", "at")
    __slots__ = _fields
    path: FieldPath
    at: Concrete

    def __init__(self, path: FieldPath, at: Concrete) -> None:
        self._fill(path, at)


class Lookup(Record):
    """``{lookup: {kind, field, default}}``: a value of one of the force's documents."""

    _fields = ("kind", "field", "default", "at")
    __slots__ = _fields
    kind: str
    field: FieldRef
    default: Any
    at: Concrete

    def __init__(self, kind: str, field: FieldRef, default: Any, at: Concrete) -> None:
        self._fill(kind, field, default, at)


class Ref(Record):
    """``{ref: {kind, by, field, default}}``: a field of the document named by *by*."""

    _fields = ("kind", "by", "field", "default", "at")
    __slots__ = _fields
    kind: str
    by: FieldRef
    field: FieldRef
    default: Any
    at: Concrete

    def __init__(
        self, kind: str, by: FieldRef, field: FieldRef, default: Any, at: Concrete
    ) -> None:
        self._fill(kind, by, field, default, at)


class Count(Record):
    """``{count: {kind, same, where}}``: how many documents of *kind* there are."""

    _fields = ("kind", "same", "where", "where_source", "at")
    __slots__ = _fields
    kind: str
    same: tuple[FieldRef, ...]
    where: Condition | None
    #: ``where`` as written: it names the index in the cache.
    where_source: Any
    at: Concrete

    def __init__(
        self,
        kind: str,
        same: tuple[FieldRef, ...],
        where: Condition | None,
        where_source: Any,
        at: Concrete,
    ) -> None:
        self._fill(kind, same, where, where_source, at)


Reference: TypeAlias = FieldRef | Lookup | Ref | Count
Subject: TypeAlias = FieldRef | Lookup | Ref


class ExistsIn(Record):
    """The argument of ``exists_in``: the values of *field* in *kind* documents."""

    _fields = ("kind", "field", "same", "where", "where_source", "at")
    __slots__ = _fields
    kind: str
    field: FieldRef
    same: tuple[FieldRef, ...]
    where: Condition | None
    where_source: Any
    at: Concrete

    def __init__(
        self,
        kind: str,
        field: FieldRef,
        same: tuple[FieldRef, ...],
        where: Condition | None,
        where_source: Any,
        at: Concrete,
    ) -> None:
        self._fill(kind, field, same, where, where_source, at)


class Group(Record):
    """The argument of ``unique`` and ``at_most``: documents compared within a group."""

    _fields = ("within", "where", "where_source", "count", "at")
    __slots__ = _fields
    within: tuple[FieldRef, ...]
    where: Condition | None
    where_source: Any
    #: ``at_most`` only: a whole number or a reference.
    count: int | Reference | None
    at: Concrete

    def __init__(
        self,
        within: tuple[FieldRef, ...],
        where: Condition | None,
        where_source: Any,
        count: int | Reference | None,
        at: Concrete,
    ) -> None:
        self._fill(within, where, where_source, count, at)


class Leaf(Record):
    """One test: *operator* applied to the values of *subject*.

    *argument* is the value written in the policy, a :data:`Reference`, the inner
    condition of ``satisfies``, or the :class:`ExistsIn` / :class:`Group` of a
    collection operator.
    """

    _fields = ("operator", "subject", "argument", "quantifier", "ignore_case", "at")
    __slots__ = _fields
    operator: str
    subject: Subject | None
    argument: Any
    #: ``for`` as written, or ``all``.
    quantifier: str
    ignore_case: bool
    at: Concrete

    def __init__(
        self,
        operator: str,
        subject: Subject | None,
        argument: Any,
        quantifier: str,
        ignore_case: bool,
        at: Concrete,
    ) -> None:
        self._fill(operator, subject, argument, quantifier, ignore_case, at)

    @property
    def many(self) -> bool:
        """Whether the subject ranges over several values (``[*]`` or a filter)."""
        return isinstance(self.subject, FieldRef) and self.subject.path.has_wildcard


class _Combination(Record):
    """A condition over other conditions: ``all_of``, ``any_of`` or ``none_of``."""

    _fields = ("children", "at")
    __slots__ = _fields
    children: tuple[Condition, ...]
    at: Concrete

    def __init__(self, children: tuple[Condition, ...], at: Concrete) -> None:
        self._fill(children, at)


class AllOf(_Combination):
    __slots__ = ()


class AnyOf(_Combination):
    __slots__ = ()


class NoneOf(_Combination):
    __slots__ = ()


class Not(Record):
    _fields = ("child", "at")
    __slots__ = _fields
    child: Condition
    at: Concrete

    def __init__(self, child: Condition, at: Concrete) -> None:
        self._fill(child, at)


Condition: TypeAlias = AllOf | AnyOf | NoneOf | Not | Leaf
