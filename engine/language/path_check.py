"""Check every field path a rule reads against the JSON Schema of the kind it reads.

A misspelt path (``securty.shared_login``) resolves to nothing, so a rule that reads
it never fires: the policy compiles and checks nothing.  This module walks a rule's
parsed conditions (:mod:`tabard.language.tree`) and its message placeholders and
raises :class:`CompileError` at the first path the schema does not allow, with a
"did you mean" from the keys that were valid where the path went wrong.

Keys starting with ``x-`` are always allowed (forces keep their own data there), and
so is anything below a value the schema leaves free-form (``{}``, ``type: object``
without properties, ``additionalProperties: true``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, TypeAlias

from tabard.documents import schemas as document_schemas
from tabard.language import tree
from tabard.language.messages import Message
from tabard.language.paths import (
    WILDCARD,
    Concrete,
    FieldPath,
    Filter,
    Placeholder,
    Step,
)
from tabard.language.tree import CompileError

#: Placeholders of a message that are not document paths.
RESERVED_PLACEHOLDERS: Final = frozenset({"field", "value"})
_COMBINED: Final = ("allOf", "anyOf", "oneOf", "then", "else")
_OBJECT_KEYWORDS: Final = ("properties", "patternProperties", "additionalProperties")

Schema: TypeAlias = Mapping[str, Any]


class _Free:
    """Below this step the schema says nothing: any path is allowed."""


FREE: Final = _Free()


@dataclass(frozen=True, slots=True)
class PathProblem:
    """Where a path leaves the schema: at step *index*, for *reason*."""

    index: int
    reason: str
    #: The keys that were valid at that step, for the "did you mean".
    keys: tuple[str, ...] = ()
    #: What to write instead, when the reason alone says it.
    fix: str | None = None


# --- the schema, step by step -------------------------------------------------------------


def _resolve(kind: str, reference: str) -> Schema:
    """The schema a local ``$ref`` (``#/$defs/person``) points at."""
    node: Any = document_schemas.schema(kind)
    for part in reference.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node  # type: ignore[no-any-return]


def _branches(kind: str, schema: Any) -> Iterator[Schema]:
    """*schema* and every schema it brings in (``$ref``, ``allOf``, ``oneOf``, ``then``…)."""
    if schema is True:
        yield {}
        return
    if not isinstance(schema, Mapping):
        return  # `false` allows nothing
    if "$ref" in schema:
        yield from _branches(kind, _resolve(kind, schema["$ref"]))
    for keyword in _COMBINED:
        found = schema.get(keyword)
        if isinstance(found, list):
            for branch in found:
                yield from _branches(kind, branch)
        elif isinstance(found, Mapping):
            yield from _branches(kind, found)
    combined = "$ref" in schema or any(keyword in schema for keyword in _COMBINED)
    if not combined or any(keyword in schema for keyword in (*_OBJECT_KEYWORDS, "items", "type")):
        yield schema


def _types(schema: Schema) -> set[str] | None:
    found = schema.get("type")
    if found is None:
        return None
    return {found} if isinstance(found, str) else set(found)


def _is_mapping(schema: Schema) -> bool:
    types = _types(schema)
    if any(keyword in schema for keyword in _OBJECT_KEYWORDS):
        return True
    return "object" in types if types is not None else not ("enum" in schema or "const" in schema)


def _is_list(schema: Schema) -> bool:
    types = _types(schema)
    if "items" in schema:
        return True
    return "array" in types if types is not None else not ("enum" in schema or "const" in schema)


def _key_child(schema: Schema, key: str) -> Any:
    """The schema of *key* in the mapping *schema*: FREE, a schema, or None (not allowed)."""
    if not any(keyword in schema for keyword in _OBJECT_KEYWORDS):
        return FREE  # a mapping the schema does not describe
    properties = schema.get("properties", {})
    if key in properties:
        return properties[key]
    for pattern, child in schema.get("patternProperties", {}).items():
        if re.search(pattern, key):
            return child
    extra = schema.get("additionalProperties", True)
    if extra is True:
        return FREE
    return extra if isinstance(extra, Mapping) else None


def _any_key_child(schema: Schema) -> list[Any]:
    """Every schema a ``{placeholder}`` key could lead to."""
    if not any(keyword in schema for keyword in _OBJECT_KEYWORDS):
        return [FREE]
    children = [
        *schema.get("properties", {}).values(),
        *schema.get("patternProperties", {}).values(),
    ]
    extra = schema.get("additionalProperties", True)
    if extra is True:
        return [FREE]
    if isinstance(extra, Mapping):
        children.append(extra)
    return children


def _item_child(schema: Schema) -> Any:
    if "items" not in schema:
        return FREE
    return schema["items"]


def _keys(candidates: list[Schema]) -> tuple[str, ...]:
    return tuple(sorted({key for schema in candidates for key in schema.get("properties", {})}))


def _holder_problem(candidates: list[Schema], steps: tuple[Step, ...], index: int) -> PathProblem:
    """Step *index* cannot be taken from a value that is not a mapping / not a list."""
    where = f"{render(steps[:index])!r}"
    if any(_is_list(schema) for schema in candidates):
        every = render((*steps[:index], WILDCARD, *steps[index:]))
        return PathProblem(index, f"{where} is a list", fix=f"write {every!r} to read every item")
    if any(_is_mapping(schema) for schema in candidates):
        return PathProblem(index, f"{where} is a mapping, not a list")
    return PathProblem(index, f"{where} holds a single value, not a mapping or a list")


def _step(
    kind: str, candidates: list[Schema], steps: tuple[Step, ...], index: int
) -> list[Schema] | PathProblem | None:
    """The schemas after step *index*; None when the path is free-form from here."""
    step = steps[index]
    children: list[Any] = []
    if isinstance(step, str):
        if step.startswith("x-"):
            return None
        for schema in candidates:
            if _is_mapping(schema):
                children.append(_key_child(schema, step))
        if not children:
            return _holder_problem(candidates, steps, index)
        if all(child is None for child in children):
            where = f"{render(steps[:index])!r}" if index else "the document"
            return PathProblem(index, f"{where} has no key {step!r}", _keys(candidates))
    elif isinstance(step, Placeholder):
        for schema in candidates:
            if _is_mapping(schema):
                children.extend(_any_key_child(schema))
        if not children:
            return _holder_problem(candidates, steps, index)
    else:
        for schema in candidates:
            if _is_list(schema):
                children.append(_item_child(schema))
        if not children:
            return _holder_problem(candidates, steps, index)
    if any(child is FREE for child in children):
        return None
    following = [
        branch for child in children if child is not None for branch in _branches(kind, child)
    ]
    if isinstance(step, Filter) and not step.key.startswith("x-"):
        keyed = [_key_child(schema, step.key) for schema in following if _is_mapping(schema)]
        if keyed and all(child is None for child in keyed):
            return PathProblem(
                index,
                f"the items of {render(steps[:index])!r} have no key {step.key!r}",
                _keys(following),
            )
    return following


@cache
def _schemas_at(kind: str, steps: tuple[Step, ...]) -> tuple[Schema, ...] | int | None:
    """The schemas *steps* lead to in a *kind* document; None when free-form from there,
    or the index of the step that leaves the schema.

    Cached per prefix: the rules of a run read many paths that start alike.
    """
    if not steps:
        return tuple(_branches(kind, document_schemas.schema(kind)))
    before = _schemas_at(kind, steps[:-1])
    if not isinstance(before, tuple):
        return before
    found = _step(kind, list(before), steps, len(steps) - 1)
    if isinstance(found, PathProblem):
        return found.index
    return None if found is None else tuple(found)


def path_problem(kind: str, steps: tuple[Step, ...]) -> PathProblem | None:
    """Where *steps*, read from the root of a *kind* document, leave its schema."""
    found = _schemas_at(kind, steps)
    if not isinstance(found, int):
        return None
    # Worded with the whole path, so that the fix names it all.
    before = _schemas_at(kind, steps[:found])
    assert isinstance(before, tuple)
    problem = _step(kind, list(before), steps, found)
    assert isinstance(problem, PathProblem)
    return problem


def render(steps: tuple[Step, ...]) -> str:
    """Steps back to the text of a path: ``operators[*].mfa``."""
    parts: list[str] = []
    for step in steps:
        if isinstance(step, str):
            parts.append(f".{step}" if parts else step)
        elif isinstance(step, Placeholder):
            parts.append(f".{{{step.path.text}}}" if parts else f"{{{step.path.text}}}")
        elif isinstance(step, int):
            parts.append(f"[{step}]")
        else:
            parts.append(repr(step))
    return "".join(parts)


# --- walking a rule -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Place:
    """What a path is read from: a *kind* document, below *prefix* (inside ``satisfies``).

    *document* is the kind of the document being checked, which ``{placeholders}``
    and filters with ``{placeholders}`` read.
    """

    kind: str
    prefix: tuple[Step, ...] = ()
    document: str = "Account"


def _check(ref: tree.FieldRef, place: _Place) -> None:
    path = ref.path
    if path.absolute:  # `$.` starts at the root of the document being checked
        place = _Place(place.document, (), place.document)
    prefix = place.prefix
    _check_placeholders(path, ref.at, place)
    problem = path_problem(place.kind, (*prefix, *path.steps))
    if problem is None:
        return
    if problem.index < len(prefix):
        return  # the prefix (a `satisfies` subject) is checked, and reported, on its own
    index = problem.index - len(prefix)
    steps = path.steps
    text = path.text
    hint = None
    failed = steps[index]
    wrong = failed.key if isinstance(failed, Filter) else failed
    if isinstance(wrong, str) and problem.keys:
        close = difflib.get_close_matches(wrong, problem.keys, n=1, cutoff=0.6)
        if close:
            fixed: Step = Filter(close[0], failed.value) if isinstance(failed, Filter) else close[0]
            suggestion = render((*steps[:index], fixed, *steps[index + 1 :]))
            hint = f"did you mean {('$.' if path.absolute else '') + suggestion!r}?"
    if hint is None:
        hint = problem.fix or (
            f"`tabard schema {place.kind}` lists the fields of {place.kind} documents"
        )
    inside = f" (inside {render(place.prefix)!r})" if place.prefix and not path.absolute else ""
    raise CompileError(
        ref.at, f"unknown field {text!r} in {place.kind} documents{inside}: {problem.reason}", hint
    )


def _check_placeholders(path: FieldPath, at: Concrete, place: _Place) -> None:
    """``{placeholders}`` take their key from the root of the document being checked."""
    for step in path.steps:
        inner = step.path if isinstance(step, Placeholder) else None
        if isinstance(step, Filter) and isinstance(step.value, Placeholder):
            inner = step.value.path
        if inner is not None:
            _check(tree.FieldRef(inner, at), _Place(place.document, (), place.document))


def _check_reference(reference: tree.Reference | tree.Subject, place: _Place) -> None:
    if isinstance(reference, tree.FieldRef):
        _check(reference, place)
    elif isinstance(reference, tree.Lookup):
        _check(reference.field, _Place(reference.kind, (), place.document))
    elif isinstance(reference, tree.Ref):
        _check(reference.by, place)
        _check(reference.field, _Place(reference.kind, (), place.document))
    else:
        _check_group_paths(reference.same, reference.kind, place)
        _check_where(reference.where, reference.kind)


def _check_group_paths(paths: tuple[tree.FieldRef, ...], kind: str, place: _Place) -> None:
    """Group paths are read from the other documents and from the one being checked."""
    for ref in paths:
        _check(ref, _Place(kind, (), kind))
        _check(ref, _Place(place.document, (), place.document))


def _check_where(where: tree.Condition | None, kind: str) -> None:
    if where is not None:
        check_condition(where, _Place(kind, (), kind))


def check_condition(node: tree.Condition, place: _Place) -> None:
    """Raise CompileError at the first path in *node* that *place*'s schema does not allow."""
    if isinstance(node, tree.Not):
        check_condition(node.child, place)
    elif isinstance(node, tree.Leaf):
        _check_leaf(node, place)
    else:
        for child in node.children:
            check_condition(child, place)


def _check_leaf(leaf: tree.Leaf, place: _Place) -> None:
    if leaf.subject is not None:
        _check_reference(leaf.subject, place)
    argument = leaf.argument
    if isinstance(argument, tree.FieldRef | tree.Lookup | tree.Ref | tree.Count):
        _check_reference(argument, place)
    elif isinstance(argument, tree.ExistsIn):
        _check(argument.field, _Place(argument.kind, (), argument.kind))
        _check_group_paths(argument.same, argument.kind, place)
        _check_where(argument.where, argument.kind)
    elif isinstance(argument, tree.Group):
        _check_group_paths(argument.within, place.document, place)
        _check_where(argument.where, place.document)
        if argument.count is not None and not isinstance(argument.count, int):
            _check_reference(argument.count, place)
    elif leaf.operator == "satisfies":
        check_condition(argument, _items_of(leaf.subject, place))


def _items_of(subject: tree.Subject | None, place: _Place) -> _Place:
    """Where the paths inside ``satisfies`` are read: below its subject."""
    if isinstance(subject, tree.Lookup) and subject.field.path.has_wildcard:
        # The lookup hands `satisfies` one list of every value found: a field path
        # inside would read a key of that list and never resolve.
        raise CompileError(
            subject.field.at,
            f"satisfies on a lookup of {subject.field.path.text!r} tests one list of every "
            "value found, so no field inside it can ever be read",
            "look up the list without [*] or a filter and test it with an operator such as "
            "`contains`, or use satisfies on a field of the document",
        )
    if isinstance(subject, tree.Lookup | tree.Ref):
        return _Place(subject.kind, subject.field.path.steps, place.document)
    assert subject is not None  # the parser rejects satisfies without a subject
    if isinstance(subject, tree.FieldRef) and subject.path.absolute:
        return _Place(place.document, subject.path.steps, place.document)
    assert isinstance(subject, tree.FieldRef)
    return _Place(place.kind, (*place.prefix, *subject.path.steps), place.document)


def check_message(message: Message, at: Concrete, kind: str) -> None:
    """Message ``{placeholders}`` name fields of the document being checked."""
    for part in message.parts:
        if isinstance(part, FieldPath) and part.text not in RESERVED_PLACEHOLDERS:
            _check(tree.FieldRef(part, at), _Place(kind, (), kind))


def check_paths(
    kind: str,
    when: tree.Condition | None,
    check: tree.Condition,
    message: Message,
    message_at: Concrete,
) -> None:
    """Check every path a rule on *kind* documents reads; raise CompileError at the first
    unknown one."""
    place = _Place(kind, (), kind)
    if when is not None:
        check_condition(when, place)
    check_condition(check, place)
    check_message(message, message_at, kind)
