"""Parse a condition, as written in a policy, into the tree of :mod:`tabard.language.tree`.

Parsing checks the shape of a condition (one operator, known keys, well-formed paths);
every problem is a :class:`~tabard.language.tree.CompileError` at the path of the offending
node inside the policy document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from tabard.language.operators import Operator
from tabard.language.paths import ABSENT, Concrete, PathSyntaxError, parse_path
from tabard.language.tree import (
    COLLECTION_OPERATORS,
    COMBINATORS,
    DOCUMENT_KINDS,
    FORCE_KINDS,
    LEAF_OPTIONS,
    QUANTIFIERS,
    REFERENCES,
    STRUCTURAL_OPERATORS,
    SUBJECTS,
    AllOf,
    AnyOf,
    CompileError,
    Condition,
    Count,
    ExistsIn,
    FieldRef,
    Group,
    Leaf,
    Lookup,
    NoneOf,
    Not,
    Ref,
    Reference,
    Subject,
    suggest,
)
from tabard.language.values import show

_GROUPS: Final[dict[str, type[AllOf | AnyOf | NoneOf]]] = {
    "all": AllOf,
    "any": AnyOf,
    "none": NoneOf,
}


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
    return Leaf(name, subject, argument, quantifier, ignore_case, at)
