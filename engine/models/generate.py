"""Write ``schemas/*.json`` from the models: the models are the one source of truth.

::

    python -m tabard.models            # rewrite every schema in ./schemas
    python -m tabard.models --check    # exit 1 (and name them) when a file is stale

pydantic writes a schema per model; :func:`document_schema` then shapes it the way the
engine and editors read schemas: sub-objects inline (so an error's schema path is the
document's own path), shared definitions as ``common.schema.json#/$defs/<name>``, no
generated titles, and keywords in one fixed order.  ``tests/test_generated_schemas.py``
fails when a committed file differs from what this writes.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from tabard.models.base import SHARED_KEY

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
COMMON_FILE: Final = "common.schema.json"
#: The order keywords are written in, in every schema object (the hand-written order).
KEYWORD_ORDER: Final = (
    "$schema", "$ref", "title", "description", "const", "type", "minimum", "required",
    "propertyNames", "enum", "minItems", "minLength", "pattern", "minProperties", "maximum",
    "uniqueItems", "format", "properties", "items", "x-expected", "patternProperties",
    "default", "additionalProperties", "$defs", "examples", "x-informational", "x-read-by",
    "x-informational-paths",
)  # fmt: skip
_RANK: Final = {key: rank for rank, key in enumerate(KEYWORD_ORDER)}
#: Keywords whose value is a mapping of names to schemas (the names are not keywords).
_NAMED_SCHEMAS: Final = ("properties", "patternProperties", "$defs")
#: Keywords whose value is data, not schema.
_DATA: Final = ("examples", "enum", "const", "default", "x-informational-paths")


class _Generator(GenerateJsonSchema):
    """pydantic's generator, with the few choices tabard's schemas make differently."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False  # titles are for documents, not for every field

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        # `X | None = None` is an optional key that may be left out, not a null value.
        # A nullable one (base.Nullable) says null in its type, and still has no default.
        inner = schema["schema"]
        if schema.get("default", ...) is None:
            plain = inner["type"] == "nullable" and not inner.get("metadata")
            return self.generate_inner(inner["schema"] if plain else inner)
        return super().default_schema(schema)

    def sort(self, value: JsonSchemaValue, parent_key: str | None = None) -> JsonSchemaValue:
        return value  # examples keep their authors' order; _ordered orders the keywords

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        # A mapping's keys are checked with propertyNames (pydantic would write a
        # patternProperties for a key pattern, which lets other keys through).
        found: JsonSchemaValue = {"type": "object"}
        keys = schema.get("keys_schema")
        names = self.generate_inner(keys) if keys is not None else {}
        if names not in ({}, {"type": "string"}):
            found["propertyNames"] = names
        values = schema.get("values_schema")
        found["additionalProperties"] = self.generate_inner(values) if values is not None else {}
        return found


def _ordered(node: Any) -> Any:
    """*node* with every schema object's keywords in :data:`KEYWORD_ORDER`."""
    if isinstance(node, list):
        return [_ordered(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key in sorted(node, key=lambda key: _RANK.get(key, len(_RANK))):
        value = node[key]
        if key in _NAMED_SCHEMAS:
            out[key] = {name: _ordered(schema) for name, schema in value.items()}
        elif key in _DATA:
            out[key] = value
        else:
            out[key] = _ordered(value)
    return out


def _shape(node: Any, definitions: Mapping[str, Any], kept: Mapping[str, str]) -> Any:
    """Inline model references, name shared ones, and drop what the files never say."""
    if isinstance(node, list):
        return [_shape(item, definitions, kept) for item in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        name = reference.removeprefix("#/$defs/")
        if name in kept:
            node["$ref"] = "#/$defs/" + kept[name]
        else:
            del node["$ref"]
            node = {**copy.deepcopy(definitions[name]), **node}
    if SHARED_KEY in node:
        node["$ref"] = f"{COMMON_FILE}#/$defs/{node.pop(SHARED_KEY)}"
    if isinstance(node.get("description"), str):
        # A docstring wraps its lines; a description is one paragraph.
        node["description"] = " ".join(node["description"].split())
    if "const" in node:
        node.pop("type", None)  # the constant says its type; one error, not two
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _NAMED_SCHEMAS:
            out[key] = {name: _shape(child, definitions, kept) for name, child in value.items()}
        elif key in _DATA:
            out[key] = value
        else:
            out[key] = _shape(value, definitions, kept)
    return out


def shaped(raw: Mapping[str, Any], kept: Mapping[str, str]) -> dict[str, Any]:
    """pydantic's *raw* schema shaped as tabard writes schemas (see the module doc)."""
    definitions = raw.get("$defs", {})
    body = {key: value for key, value in raw.items() if key != "$defs"}
    result: dict[str, Any] = _shape(body, definitions, kept)
    if kept:
        result["$defs"] = {
            kept[name]: _shape(definitions[name], definitions, kept) for name in kept
        }
    return result


def document_schema(model: type[BaseModel], kept: Mapping[str, str]) -> dict[str, Any]:
    """The published schema of *model*: a document kind's file in ``schemas/``.

    *kept* names the models that stay definitions of their own (recursive ones), as
    ``{class name: definition name}``; every other model is written inline.
    """
    raw = model.model_json_schema(by_alias=True, schema_generator=_Generator)
    result: dict[str, Any] = _ordered({"$schema": DRAFT, **shaped(raw, kept)})
    return result


def type_schema(annotation: Any) -> dict[str, Any]:
    """The schema of one shared type (a ``common.schema.json`` definition)."""
    raw = TypeAdapter(annotation).json_schema(by_alias=True, schema_generator=_Generator)
    return shaped(raw, {})


def local_references(definitions: Mapping[str, Any]) -> dict[str, Any]:
    """*definitions* of ``common.schema.json`` in order, referring to each other locally."""
    text = json.dumps(definitions).replace(f'"{COMMON_FILE}#/$defs/', '"#/$defs/')
    return {name: _ordered(body) for name, body in json.loads(text).items()}


def dumps(schema: Mapping[str, Any]) -> str:
    """A schema file's text: two-space indent, non-ASCII kept, final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
