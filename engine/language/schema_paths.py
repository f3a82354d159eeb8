"""Which fields a path can reach, read step by step from the JSON Schema of a document kind.

Follows ``$ref``s, ``properties``, ``patternProperties``, ``additionalProperties``,
``items`` and ``allOf``/``anyOf``/``oneOf``/``then``/``else``; results are cached per kind
and path. ``path_check`` uses it to refuse a rule that reads a field no document can have.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, Final, TypeAlias

from tabard.documents import schemas as document_schemas
from tabard.language.paths import (
    WILDCARD,
    Filter,
    Placeholder,
    Step,
)
from tabard.record import Record

_COMBINED: Final = ("allOf", "anyOf", "oneOf", "then", "else")
_OBJECT_KEYWORDS: Final = ("properties", "patternProperties", "additionalProperties")

Schema: TypeAlias = Mapping[str, Any]


class _Free:
    """Below this step the schema says nothing: any path is allowed."""


FREE: Final = _Free()


class PathProblem(Record):
    """Where a path leaves the schema: at step *index*, for *reason*."""

    _fields = ("index", "reason", "keys", "fix")
    __slots__ = _fields
    index: int
    reason: str
    #: The keys that were valid at that step, for the "did you mean".
    keys: tuple[str, ...]
    #: What to write instead, when the reason alone says it.
    fix: str | None

    def __init__(
        self, index: int, reason: str, keys: tuple[str, ...] = (), fix: str | None = None
    ) -> None:
        self._fill(index, reason, keys, fix)


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
