"""The JSON Schemas in schemas/: valid Draft 2020-12, documented, and true to their examples."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest

from tabard.documents import schemas as document_schemas
from tabard.language.values import parse_date

SCHEMAS = Path(__file__).parent.parent / "schemas"
FILES = sorted(SCHEMAS.glob("*.json"))
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_kind_has_a_schema_file() -> None:
    names = {path.name for path in FILES}
    assert set(document_schemas.SCHEMA_FILES.values()) <= names
    # The report's schema describes tabard's output, not a document kind.
    assert names == {
        *document_schemas.SCHEMA_FILES.values(),
        "common.schema.json",
        "report.schema.json",
    }


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_schema_passes_the_metaschema(path: Path) -> None:
    schema = _load(path)
    assert schema["$schema"] == DRAFT
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_schema_is_documented(path: Path) -> None:
    schema = _load(path)
    # Named by where it lies, not by a $id: loaded from disk, a schema's relative $refs
    # (common.schema.json#/$defs/...) then resolve beside it, offline.
    assert "$id" not in schema
    assert schema["$schema"] == DRAFT
    assert isinstance(schema["title"], str)
    assert schema["title"].strip()
    assert isinstance(schema["description"], str)
    assert len(schema["description"]) > 20
    assert isinstance(schema["examples"], list)
    assert schema["examples"]


def _properties(node: Any, where: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict):
            for key, value in properties.items():
                yield f"{where}/properties/{key}", value
        for key, value in node.items():
            if key not in ("examples", "enum", "const", "default"):
                yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _properties(item, f"{where}/{index}")


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_every_property_has_a_description(path: Path) -> None:
    undocumented = [
        where
        for where, value in _properties(_load(path), "#")
        if isinstance(value, dict) and not value.get("description")
    ]
    assert undocumented == []


# --- bundled schemas and their examples -------------------------------------------------------


def _validators(schema: dict[str, Any]) -> tuple[Any, Any]:
    python = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    rust = jsonschema_rs.validator_for(schema, validate_formats=True)
    return python, rust


@pytest.mark.parametrize("kind", document_schemas.KINDS)
def test_bundled_schema_is_self_contained(kind: str) -> None:
    schema = document_schemas.schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "common.schema.json" not in json.dumps(schema)
    assert "$id" not in schema  # saved anywhere, it resolves from where it is saved
    assert schema["$schema"] == DRAFT
    source = _load(SCHEMAS / document_schemas.SCHEMA_FILES[kind])
    assert (schema["title"], schema["description"]) == (source["title"], source["description"])


@pytest.mark.parametrize("kind", document_schemas.KINDS)
def test_bundled_schema_validates_its_examples(kind: str) -> None:
    schema = document_schemas.schema(kind)
    python, rust = _validators(schema)
    assert schema["examples"]
    for example in schema["examples"]:
        assert [error.message for error in python.iter_errors(example)] == []
        assert rust.is_valid(example)
        assert document_schemas.problems(kind, example) == []


def _with_examples(node: Any, where: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, dict):
        if isinstance(node.get("examples"), list):
            yield where, node
        for key, value in node.items():
            if key not in ("examples", "enum", "const", "default"):
                yield from _with_examples(value, (*where, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _with_examples(item, (*where, index))


@pytest.mark.parametrize("kind", document_schemas.KINDS)
def test_every_example_in_a_schema_is_valid_against_its_subschema(kind: str) -> None:
    root = document_schemas.schema(kind)
    checked = 0
    wrong = []
    for where, node in _with_examples(root):
        subschema = {key: value for key, value in node.items() if key not in ("$id", "$schema")}
        subschema["$schema"] = DRAFT
        subschema["$defs"] = {**root.get("$defs", {}), **node.get("$defs", {})}
        python, rust = _validators(subschema)
        for example in node["examples"]:
            checked += 1
            if not (python.is_valid(example) and rust.is_valid(example)):
                wrong.append(("/".join(map(str, where)), example))
    assert wrong == []
    assert checked > 1


# --- parity between jsonschema and jsonschema-rs ---------------------------------------------


def _broken_variants(example: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    unknown = copy.deepcopy(example)
    unknown["zzz_unknown"] = 1
    yield "unknown-key", unknown
    free = copy.deepcopy(example)
    free["x-free"] = {"anything": [1, 2]}
    yield "x-key", free
    for key in list(example):
        missing = copy.deepcopy(example)
        del missing[key]
        yield f"without-{key}", missing
        wrong = copy.deepcopy(example)
        wrong[key] = [[]] if not isinstance(example[key], list) else "text"
        yield f"wrong-type-{key}", wrong


@pytest.mark.parametrize("kind", document_schemas.KINDS)
def test_jsonschema_and_jsonschema_rs_agree(kind: str) -> None:
    schema = document_schemas.schema(kind)
    python, rust = _validators(schema)
    disagreements = []
    for example in schema["examples"]:
        for name, variant in _broken_variants(example):
            if python.is_valid(variant) != rust.is_valid(variant):
                disagreements.append(name)
    assert disagreements == []


def test_dates_are_checked_as_dates() -> None:
    schema = document_schemas.schema("Waiver")
    example = copy.deepcopy(schema["examples"][0])
    example["expires"] = "2026-02-30"
    python, rust = _validators(schema)
    assert not python.is_valid(example)
    assert not rust.is_valid(example)
    assert document_schemas.problems("Waiver", example) != []


_DATES = [
    "0001-01-01", "9999-12-31", "2024-02-29", "2026-11-24",
    "0000-01-01", "0000-12-31", "2025-02-29", "2026-02-30", "2026-13-01", "2026-00-10",
    "2026-01-00", "2026-01-32", "20260110", "2026-W02-6", "2026W026", "2026-010", "2026-1-1",
    "+2026-01-10", " 2026-01-10", "2026-01-10 ", "2026-01-10T00:00", "10000-01-01",
    "\uff12\uff10\uff12\uff16-01-10",  # full-width digits
]  # fmt: skip


@pytest.mark.parametrize("text", _DATES)
def test_the_schemas_accept_exactly_the_dates_tabard_can_read(text: str) -> None:
    """One date parser: what a schema lets through, every date operator can use."""
    readable = parse_date(text) is not None
    schema = document_schemas.schema("Waiver")
    example = copy.deepcopy(schema["examples"][0])
    example["expires"] = text
    # The engine checks the format with parse_date itself; the published schema (for
    # editors and other validators) says the same with its pattern.
    assert (document_schemas.problems("Waiver", example) == []) is readable
    python, rust = _validators(schema)
    assert python.is_valid(example) is readable
    assert rust.is_valid(example) is readable


# --- forces ---------------------------------------------------------------------------------

#: domain.md §6.1 (the 43 territorial forces of England and Wales) and §6.2 (the others).
TERRITORIAL_FORCES = [
    "avon-and-somerset", "bedfordshire", "cambridgeshire", "cheshire", "city-of-london",
    "cleveland", "cumbria", "derbyshire", "devon-and-cornwall", "dorset", "durham",
    "dyfed-powys", "essex", "gloucestershire", "greater-manchester", "gwent", "hampshire",
    "hertfordshire", "humberside", "kent", "lancashire", "leicestershire", "lincolnshire",
    "merseyside", "metropolitan", "norfolk", "northamptonshire", "northumbria", "north-wales",
    "north-yorkshire", "nottinghamshire", "south-wales", "south-yorkshire", "staffordshire",
    "suffolk", "surrey", "sussex", "thames-valley", "warwickshire", "west-mercia",
    "west-midlands", "west-yorkshire", "wiltshire",
]  # fmt: skip
OTHER_FORCES = [
    "btp", "northern-ireland", "police-scotland", "mod-police", "civil-nuclear", "nca",
    "ct-policing", "npas",
]  # fmt: skip


def test_force_list_sizes() -> None:
    assert len(TERRITORIAL_FORCES) == 43
    assert len(OTHER_FORCES) == 8
    assert len(set(TERRITORIAL_FORCES + OTHER_FORCES)) == 51


def test_force_id_enum_is_the_domain_list() -> None:
    enum = _load(SCHEMAS / "common.schema.json")["$defs"]["force_id"]["enum"]
    assert len(enum) == len(set(enum))
    assert sorted(enum) == sorted(TERRITORIAL_FORCES + OTHER_FORCES)


@pytest.mark.parametrize("kind", ["Account", "Force", "Strategy", "BrandGuide"])
def test_force_field_uses_the_force_list(kind: str) -> None:
    schema = document_schemas.schema(kind)
    python, rust = _validators(schema)
    example = copy.deepcopy(schema["examples"][0])
    for force in TERRITORIAL_FORCES + OTHER_FORCES:
        example["force"] = force
        assert python.is_valid(example), force
        assert rust.is_valid(example), force
    example["force"] = "glos"
    assert not python.is_valid(example)
    assert not rust.is_valid(example)
