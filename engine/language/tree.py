"""A condition parsed once into a small typed tree (design §3.1 to §3.4).

The compiler, ``tabard explain`` and the field-path checker all read this tree, so
they cannot disagree about what a condition says.  Parsing checks the shape of a
condition (one operator, known keys, well-formed paths); every problem is a
:class:`CompileError` at the path of the offending node inside the policy document.
Checks that depend on where a condition sits (inside ``where`` or ``satisfies``)
are the compiler's.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

from tabard.language.operators import Operator
from tabard.language.paths import ABSENT, Concrete, FieldPath, PathSyntaxError, parse_path
from tabard.language.values import show

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
    #: ``for`` as written, or ``all``; *explicit_for* says whether it was written.
    quantifier: str
    explicit_for: bool
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
_GROUPS: Final[dict[str, type[AllOf | AnyOf | NoneOf]]] = {
    "all": AllOf,
    "any": AnyOf,
    "none": NoneOf,
}


# --- parsing ------------------------------------------------------------------------------


def parse_condition(node: Any, at: Concrete, operators: Mapping[str, Operator]) -> Condition:
    """The tree of the condition *node*, found at *at* in the policy document."""
    if not isinstance(node, dict) or not node:
        raise CompileError(at, f"a condition must be a non-empty mapping, not {show(node)}")
    keys = [key for key in node if not key.startswith("x-")]
    combinators = [key for key in keys if key in COMBINATORS]
    if not combinators:
        return _leaf(node, keys, at, operators)
    key = combinators[0]
    if len(keys) > 1:
        others = ", ".join(repr(k) for k in keys if k != key)
        raise CompileError(
            at,
            f"{key!r} cannot share a condition with {others}",
            f"put each condition in its own list item under {key!r}",
        )
    if key == "not":
        return Not(parse_condition(node["not"], (*at, "not"), operators), at)
    items = node[key]
    if not isinstance(items, list) or not items:
        raise CompileError((*at, key), f"{key!r} takes a non-empty list of conditions")
    children = tuple(
        parse_condition(item, (*at, key, index), operators) for index, item in enumerate(items)
    )
    return _GROUPS[key](children, at)


def _known_words(operators: Mapping[str, Operator]) -> list[str]:
    return [*operators, *STRUCTURAL_OPERATORS, *COMBINATORS, *SUBJECTS, *LEAF_OPTIONS]


def _operator_key(keys: list[str], at: Concrete, operators: Mapping[str, Operator]) -> str:
    names = [key for key in keys if key not in SUBJECTS and key not in LEAF_OPTIONS]
    for key in names:
        if key not in operators and key not in STRUCTURAL_OPERATORS:
            raise CompileError(
                (*at, key),
                f"unknown operator {key!r}",
                suggest(key, _known_words(operators)),
                key=True,
            )
    if not names:
        raise CompileError(
            at,
            "this condition has no operator",
            "add one, e.g. `present: true`, `equals: …` or `matches: …`",
        )
    if len(names) > 1:
        raise CompileError(
            (*at, names[1]),
            f"a condition takes one operator, found {names[0]!r} and {names[1]!r}",
            "combine several checks with `all:`",
        )
    subjects = [key for key in keys if key in SUBJECTS]
    if len(subjects) > 1:
        raise CompileError(
            (*at, subjects[1]),
            f"use one of {', '.join(SUBJECTS)}, not both {subjects[0]!r} and {subjects[1]!r}",
        )
    return names[0]


def field_ref(
    raw: Any, at: Concrete, *, wildcard: bool = True, placeholder: bool = True
) -> FieldRef:
    """The path *raw* written at *at*; *wildcard* and *placeholder* say what it may hold."""
    try:
        path = parse_path(raw)
    except PathSyntaxError as error:
        raise CompileError(at, str(error)) from None
    if not wildcard and path.has_wildcard:
        raise CompileError(at, f"path {raw!r} may not contain [*] here")
    if not placeholder and path.reads_document:
        raise CompileError(
            at,
            f"path {raw!r} may not contain {{placeholders}} here: it is read from other "
            "documents, not the one being checked",
        )
    return FieldRef(path, at)


def _field_refs(raw: Any, at: Concrete) -> tuple[FieldRef, ...]:
    if not isinstance(raw, list):
        raise CompileError(at, "expected a list of field paths, e.g. [force, platform]")
    return tuple(
        field_ref(item, (*at, index), wildcard=False, placeholder=False)
        for index, item in enumerate(raw)
    )


def _check_kind(raw: Any, allowed: tuple[str, ...], at: Concrete) -> str:
    if raw not in allowed:
        hint = suggest(str(raw), allowed) or f"use one of {', '.join(allowed)}"
        raise CompileError(at, f"unknown document kind {raw!r}", hint)
    return str(raw)


def _mapping(
    raw: Any, at: Concrete, what: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise CompileError(at, f"{what} takes a mapping with {', '.join(required)}")
    for key in raw:
        if key not in required and key not in optional:
            raise CompileError(
                (*at, key),
                f"unknown key {key!r} in {what}",
                suggest(key, [*required, *optional]),
                key=True,
            )
    for key in required:
        if key not in raw:
            raise CompileError(at, f"{what} needs {key!r}")
    return raw


def _where(
    spec: dict[str, Any], at: Concrete, operators: Mapping[str, Operator]
) -> Condition | None:
    if "where" not in spec:
        return None
    return parse_condition(spec["where"], (*at, "where"), operators)


def _lookup(raw: Any, at: Concrete) -> Lookup:
    spec = _mapping(raw, at, "lookup", ("kind", "field"), ("default",))
    kind = _check_kind(spec["kind"], FORCE_KINDS, (*at, "kind"))
    return Lookup(kind, field_ref(spec["field"], (*at, "field")), spec.get("default", ABSENT), at)


def _ref(raw: Any, at: Concrete) -> Ref:
    spec = _mapping(raw, at, "ref", ("kind", "by", "field"), ("default",))
    kind = _check_kind(spec["kind"], DOCUMENT_KINDS, (*at, "kind"))
    by = field_ref(spec["by"], (*at, "by"), wildcard=False)
    path = field_ref(spec["field"], (*at, "field"), wildcard=False, placeholder=False)
    return Ref(kind, by, path, spec.get("default", ABSENT), at)


def _count(raw: Any, at: Concrete, operators: Mapping[str, Operator]) -> Count:
    spec = _mapping(raw, at, "count", ("kind",), ("same", "where"))
    kind = _check_kind(spec["kind"], DOCUMENT_KINDS, (*at, "kind"))
    same = _field_refs(spec.get("same", []), (*at, "same"))
    return Count(kind, same, _where(spec, at, operators), spec.get("where"), at)


def is_reference(raw: Any) -> bool:
    return isinstance(raw, dict) and len(raw) == 1 and next(iter(raw)) in REFERENCES


def _reference(raw: dict[str, Any], at: Concrete, operators: Mapping[str, Operator]) -> Reference:
    ((kind, spec),) = raw.items()
    where = (*at, kind)
    if kind == "field":
        return field_ref(spec, where, wildcard=False)
    if kind == "lookup":
        return _lookup(spec, where)
    if kind == "ref":
        return _ref(spec, where)
    return _count(spec, where, operators)


def _subject(node: dict[str, Any], at: Concrete) -> Subject | None:
    if "field" in node:
        return field_ref(node["field"], (*at, "field"))
    if "lookup" in node:
        return _lookup(node["lookup"], (*at, "lookup"))
    if "ref" in node:
        return _ref(node["ref"], (*at, "ref"))
    return None


def _exists_in(raw: Any, at: Concrete, operators: Mapping[str, Operator]) -> ExistsIn:
    spec = _mapping(raw, at, "exists_in", ("kind", "field"), ("same", "where"))
    kind = _check_kind(spec["kind"], DOCUMENT_KINDS, (*at, "kind"))
    path = field_ref(spec["field"], (*at, "field"), placeholder=False)
    same = _field_refs(spec.get("same", []), (*at, "same"))
    return ExistsIn(kind, path, same, _where(spec, at, operators), spec.get("where"), at)


def _group(
    name: str, raw: Any, subject: Subject | None, at: Concrete, operators: Mapping[str, Operator]
) -> Group:
    if not isinstance(subject, FieldRef) or subject.path.has_placeholder:
        raise CompileError(at, f"{name} needs a plain `field:` path to compare")
    spec = _mapping(
        {} if raw is True else raw,
        at,
        name,
        ("count",) if name == "at_most" else (),
        ("within", "where"),
    )
    within = _field_refs(spec.get("within", []), (*at, "within"))
    count: int | Reference | None = None
    if name == "at_most":
        limit = spec["count"]
        if is_reference(limit):
            count = _reference(limit, (*at, "count"), operators)
        elif isinstance(limit, int) and not isinstance(limit, bool) and limit >= 0:
            count = limit
        else:
            raise CompileError(
                (*at, "count"),
                "count must be a whole number of 0 or more, or a {lookup: …} / {field: …} "
                "reference",
            )
    return Group(within, _where(spec, at, operators), spec.get("where"), count, at)


def _quantifier(node: dict[str, Any], subject: Subject | None, at: Concrete) -> str:
    quantifier = node.get("for", "all")
    if quantifier not in QUANTIFIERS:
        raise CompileError(
            (*at, "for"),
            f"`for` must be one of {', '.join(QUANTIFIERS)}",
            suggest(str(quantifier), QUANTIFIERS),
        )
    if "for" in node and not (isinstance(subject, FieldRef) and subject.path.has_wildcard):
        raise CompileError((*at, "for"), "`for` needs a field path with [*] to range over")
    return str(quantifier)


def _ignore_case(
    node: dict[str, Any], name: str, at: Concrete, operators: Mapping[str, Operator]
) -> bool:
    ignore_case = node.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        raise CompileError((*at, "ignore_case"), "ignore_case must be true or false")
    operator = operators.get(name)
    if ignore_case and not (name in COLLECTION_OPERATORS or (operator and operator.ignore_case)):
        raise CompileError((*at, "ignore_case"), f"ignore_case does not apply to {name!r}")
    return ignore_case


def _leaf(
    node: dict[str, Any], keys: list[str], at: Concrete, operators: Mapping[str, Operator]
) -> Leaf:
    name = _operator_key(keys, at, operators)
    subject = _subject(node, at)
    quantifier = _quantifier(node, subject, at)
    ignore_case = _ignore_case(node, name, at, operators)
    raw, where = node[name], (*at, name)
    argument: Any = raw
    if name == "satisfies":
        if subject is None:
            raise CompileError(where, "satisfies needs a `field:` holding mappings")
        argument = parse_condition(raw, where, operators)
    elif name == "exists_in":
        argument = _exists_in(raw, where, operators)
    elif name in COLLECTION_OPERATORS:
        argument = _group(name, raw, subject, where, operators)
    else:
        operator = operators[name]
        if operator.scope != "value" and subject is not None:
            raise CompileError(
                where,
                f"{name} works on the whole document: remove "
                f"{next(k for k in SUBJECTS if k in node)!r}",
            )
        if operator.scope == "value" and subject is None:
            raise CompileError(where, f"{name!r} needs a `field:` (or `lookup:`/`ref:`) to test")
        if operator.scope == "value" and operator.references and is_reference(raw):
            argument = _reference(raw, where, operators)
    if name in COLLECTION_OPERATORS and subject is None:
        raise CompileError(where, f"{name} needs a `field:` to take values from")
    return Leaf(name, subject, argument, quantifier, "for" in node, ignore_case, at)
