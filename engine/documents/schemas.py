"""The built-in JSON Schemas: one per document kind, bundled and validated fast.

Schemas live in ``schemas/`` (the ``tabard.schemas`` package) and share
definitions through ``common.schema.json``.  Bundling copies the shared
definitions into each schema's own ``$defs``, so every schema tabard uses or
prints is self-contained (editors can use ``tabard schema KIND`` as is).

The files have no ``$id``: a standard tool that loads one from disk then resolves
``common.schema.json`` beside it, offline (docs/architecture.md).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Final

import jsonschema_rs

from tabard.documents.packaged import package_folder
from tabard.documents.schema_messages import SchemaProblem, describe
from tabard.language.values import SCHEMA_FORMATS

SCHEMA_FILES: Final = {
    "Account": "account.schema.json",
    "Force": "force.schema.json",
    "Strategy": "strategy.schema.json",
    "BrandGuide": "brand-guide.schema.json",
    "Waiver": "waiver.schema.json",
    "Policy": "policy.schema.json",
    "PolicyTest": "policy-test.schema.json",
    "Config": "config.schema.json",
}
KINDS: Final = tuple(SCHEMA_FILES)
_COMMON_REF: Final = "common.schema.json#/$defs/"
#: Problems reported per document; past this the rest are counted, not listed.
MAX_PROBLEMS: Final = 20


def _text(name: str) -> str:
    return package_folder("tabard.schemas").joinpath(name).read_text(encoding="utf-8")


def _read(name: str) -> Any:
    return json.loads(_text(name))


@cache
def _common_text() -> str:
    """``common.schema.json``, read once a run."""
    return _text("common.schema.json")


def _common_definitions() -> dict[str, Any]:
    """``common.schema.json``'s ``$defs``, parsed afresh for each bundle: the bundle
    owns them, as it owned the deep copies it once took (``json`` builds them in C,
    ``copy.deepcopy`` in Python)."""
    definitions: dict[str, Any] = json.loads(_common_text())["$defs"]
    return definitions


def _rewrite(node: Any, needed: set[str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_COMMON_REF):
                name = value.removeprefix(_COMMON_REF)
                needed.add(name)
                out[key] = "#/$defs/" + name
            else:
                out[key] = _rewrite(value, needed)
        return out
    if isinstance(node, list):
        return [_rewrite(item, needed) for item in node]
    return node


def _local_refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                found.add(value.removeprefix("#/$defs/"))
            else:
                found |= _local_refs(value)
    elif isinstance(node, list):
        for item in node:
            found |= _local_refs(item)
    return found


@cache
def schema(kind: str) -> dict[str, Any]:
    """The bundled, self-contained schema of *kind* (KeyError for an unknown kind)."""
    document = _read(SCHEMA_FILES[kind])
    common = _common_definitions()
    needed: set[str] = set()
    bundled: dict[str, Any] = _rewrite(document, needed)
    definitions = bundled.setdefault("$defs", {})
    pending = set(needed)
    while pending:
        name = pending.pop()
        if name in definitions:
            continue
        definitions[name] = common[name]
        pending |= _local_refs(definitions[name]) - set(definitions)
    return bundled


@cache
def _validator(kind: str) -> Any:
    return jsonschema_rs.validator_for(schema(kind), validate_formats=True, formats=SCHEMA_FORMATS)


def problems(kind: str, data: Any) -> list[SchemaProblem]:
    """Everything wrong with *data* as a *kind* document (empty when valid)."""
    validator = _validator(kind)
    if validator.is_valid(data):
        return []
    found: list[SchemaProblem] = []
    for error in validator.iter_errors(data):
        problem = describe(error, schema(kind), data)
        if problem in found:
            continue  # a date both out of pattern and no date: one problem, said once
        found.append(problem)
        if len(found) == MAX_PROBLEMS:
            break
    return found
