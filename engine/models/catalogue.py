"""Which model writes which file of ``schemas/``: the catalogue the generator works through."""

from __future__ import annotations

import typing
from typing import Any, Final

from pydantic import BaseModel

from tabard.documents.schemas import SCHEMA_FILES
from tabard.models import report
from tabard.models.account import Account
from tabard.models.base import Shared
from tabard.models.brand_guide import BrandGuide
from tabard.models.common import SHARED_TYPES
from tabard.models.config import Config
from tabard.models.force import Force
from tabard.models.generate import (
    COMMON_FILE,
    DRAFT,
    document_schema,
    local_references,
    type_schema,
)
from tabard.models.policy import Policy
from tabard.models.policy_test import PolicyTest
from tabard.models.strategy import Strategy
from tabard.models.waiver import Waiver

#: The model of each document kind, by kind (the keys of ``tabard.documents.schemas``).
KINDS: Final[dict[str, type[BaseModel]]] = {
    "Account": Account,
    "Force": Force,
    "Strategy": Strategy,
    "BrandGuide": BrandGuide,
    "Waiver": Waiver,
    "Policy": Policy,
    "PolicyTest": PolicyTest,
    "Config": Config,
}
#: Which file each kind's schema is written to: the engine's own table, so the two never
#: disagree.
FILES: Final = SCHEMA_FILES
#: Models that stay definitions of their own in their kind's schema (they refer to
#: themselves), as {class name: definition name}.
KEPT_DEFINITIONS: Final = {"Policy": {"Condition": "condition"}}

_COMMON_TITLE: Final = "tabard shared definitions"
_COMMON_DESCRIPTION: Final = (
    "Definitions shared by the tabard document schemas (force ids, dates, slugs, platforms, "
    "account types, people, …). This file holds only `$defs`; the other schemas refer to them "
    "as `common.schema.json#/$defs/<name>` and tabard bundles them into each schema."
)


def _definition(shared_type: Any) -> tuple[str, dict[str, Any]]:
    """The name and ``common.schema.json`` definition of one shared type."""
    base, *metadata = typing.get_args(shared_type)
    marker = next(item for item in metadata if isinstance(item, Shared))
    rest = [item for item in metadata if item is not marker]
    bare = typing.Annotated[base, *rest] if rest else base
    definition = {**type_schema(bare), **marker.definition_keys()}
    return marker.name, definition


def common_schema() -> dict[str, Any]:
    """``common.schema.json``: every shared definition, with one example of each."""
    definitions = dict(_definition(shared) for shared in SHARED_TYPES)
    local = local_references(definitions)
    return {
        "$schema": DRAFT,
        "title": _COMMON_TITLE,
        "description": _COMMON_DESCRIPTION,
        "$defs": local,
        "examples": [{name: body["examples"][0] for name, body in local.items()}],
    }


def all_schemas() -> dict[str, dict[str, Any]]:
    """Every file of ``schemas/`` by name, as the models say it should read."""
    schemas = {
        FILES[kind]: document_schema(model, KEPT_DEFINITIONS.get(kind, {}))
        for kind, model in KINDS.items()
    }
    schemas[COMMON_FILE] = common_schema()
    schemas["report.schema.json"] = report.json_schema()
    return schemas
