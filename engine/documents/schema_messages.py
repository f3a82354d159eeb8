"""Turn jsonschema-rs validation errors into messages a policy author can act on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tabard.language.paths import Concrete, FieldPath, format_path, resolve_value
from tabard.language.values import show
from tabard.record import Record
from tabard.suggest import closest


class SchemaProblem(Record):
    """One validation problem: where (instance path), what, and how to fix it."""

    _fields = ("path", "message", "hint", "key")
    __slots__ = _fields
    path: Concrete
    message: str
    hint: str | None
    #: The problem is the key at *path* itself (an unknown key), not its value.
    key: bool

    def __init__(
        self, path: Concrete, message: str, hint: str | None = None, key: bool = False
    ) -> None:
        self._fill(path, message, hint, key)


def _subschema(schema: Mapping[str, Any], schema_path: Iterable[Any]) -> Any:
    node: Any = schema
    for step in schema_path:
        in_mapping = isinstance(node, Mapping) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and step < len(node)
        if in_mapping or in_list:
            node = node[step]
        else:
            return {}
        if isinstance(node, Mapping) and "$ref" in node and isinstance(node["$ref"], str):
            node = _resolve_local(schema, node["$ref"], node)
    return node


def _resolve_local(schema: Mapping[str, Any], ref: str, fallback: Any) -> Any:
    if not ref.startswith("#/"):
        return fallback
    node: Any = schema
    for part in ref[2:].split("/"):
        if not isinstance(node, Mapping) or part not in node:
            return fallback
        node = node[part]
    return node


def _where(path: Concrete) -> str:
    return format_path(path) if path else "the document"


def _best_branch(error: Any) -> Any | None:
    """The deepest error of the anyOf/oneOf branch that got furthest."""
    context = getattr(error.kind, "context", None)
    if not context:
        return None
    candidates = [branch for branch in context if branch]
    if not candidates:
        return None
    best = max(candidates, key=lambda branch: max(len(e.instance_path) for e in branch))
    return max(best, key=lambda e: len(e.instance_path))


def describe(error: Any, schema: Mapping[str, Any], instance: Any = None) -> SchemaProblem:
    """Explain one jsonschema-rs error against the *schema* it came from.

    *instance* is the validated data: values are shown from it as written, because
    jsonschema-rs shows what JSON cannot hold (``.inf``, ``.nan``) as ``null``.
    """
    path: Concrete = tuple(error.instance_path)
    kind = type(error.kind).__name__
    if kind == "Type" and instance is not None:
        value = resolve_value(FieldPath("", path), instance, instance)
        expected = " or ".join(f'"{name}"' for name in error.kind.types)
        return SchemaProblem(path, f"{_where(path)}: {show(value)} is not of type {expected}")
    if kind == "AdditionalProperties":
        unexpected = list(error.kind.unexpected)
        owner = _subschema(schema, list(error.schema_path)[:-1])
        known = sorted(owner.get("properties", {})) if isinstance(owner, Mapping) else []
        key = unexpected[0]
        close = closest(key, known)
        hint = (
            f"did you mean {close!r}?"
            if close
            else (
                f"known keys here: {', '.join(known)}; keys starting with 'x-' are free"
                if known
                else None
            )
        )
        return SchemaProblem((*path, key), f"unknown key {key!r} in {_where(path)}", hint, key=True)
    if kind == "Required":
        missing = error.kind.property
        return SchemaProblem(path, f"{_where(path)} is missing required key {missing!r}")
    if kind in ("Pattern", "Format"):
        # A value with a described shape (a date): say the shape, not the regex.
        owner = _subschema(schema, list(error.schema_path)[:-1])
        if isinstance(owner, Mapping) and "x-expected" in owner:
            return SchemaProblem(
                path, f"{_where(path)}: expected {owner['x-expected']}, got {show(error.instance)}"
            )
    if kind in ("AnyOf", "OneOfNotValid"):
        owner = _subschema(schema, list(error.schema_path)[:-1])
        best = _best_branch(error)
        if isinstance(owner, Mapping) and "x-expected" in owner:
            return SchemaProblem(
                path, f"{_where(path)}: expected {owner['x-expected']}, got {show(error.instance)}"
            )
        if best is not None and len(best.instance_path) > len(path):
            return describe(best, schema)
    if kind == "Enum":
        options = list(error.kind.options) if hasattr(error.kind, "options") else []
        hint = None
        if isinstance(error.instance, str):
            close = closest(error.instance, [str(o) for o in options])
            hint = f"did you mean {close!r}?" if close else None
        return SchemaProblem(path, f"{_where(path)}: {error.message}", hint)
    return SchemaProblem(path, f"{_where(path)}: {error.message}")
