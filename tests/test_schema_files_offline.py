"""The schema files in schemas/ work offline for standard tools, not only inside tabard.

Each file is loaded by path with ``jsonschema`` and a registry that can only read local
files next to it (tests/offline_schemas.py), as check-jsonschema or an editor would
load it: the example repositories' documents pass, a broken document fails, and the
schemas as they were (a ``$id`` on an unreachable host) cannot be resolved that way.
"""

from __future__ import annotations

import copy
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from referencing.exceptions import Unresolvable

from tabard.documents import schemas as document_schemas
from tests.offline_schemas import LocalFiles, errors, offline_validator, yaml_documents

ROOT = Path(__file__).parents[1]
SCHEMAS = ROOT / "schemas"


def _documents_by_kind() -> dict[str, list[tuple[str, Any]]]:
    """Every document of the example repositories (examples/*/) and the built-in policy
    packs, by kind, with where it came from."""
    found: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    paths = [
        *sorted((ROOT / "examples").rglob("*.yaml")),
        *sorted((ROOT / "policies").glob("*.yaml")),
    ]
    for path in paths:
        for index, document in enumerate(yaml_documents(path)):
            if isinstance(document, dict) and document.get("kind") in document_schemas.SCHEMA_FILES:
                found[document["kind"]].append((f"{path.relative_to(ROOT)}#{index}", document))
    return found


DOCUMENTS = _documents_by_kind()


def test_the_examples_hold_documents_of_every_repository_kind() -> None:
    counts = {kind: len(documents) for kind, documents in DOCUMENTS.items()}
    assert set(counts) == {
        "Account",
        "Force",
        "Strategy",
        "BrandGuide",
        "Waiver",
        "Policy",
        "Config",
    }
    assert counts["Account"] > 100
    # PolicyTest documents live in force repositories; the schema's own examples stand in.


@pytest.mark.parametrize("kind", document_schemas.KINDS)
def test_schema_file_validates_the_example_documents_offline(kind: str) -> None:
    schema_file = SCHEMAS / document_schemas.SCHEMA_FILES[kind]
    files = LocalFiles(schema_file)
    validator = offline_validator(schema_file, files)
    own_examples = json.loads(schema_file.read_text(encoding="utf-8"))["examples"]
    documents = [*DOCUMENTS[kind], *((f"example {i}", e) for i, e in enumerate(own_examples))]
    wrong = {
        where: found for where, document in documents if (found := errors(validator, document))
    }
    assert wrong == {}
    # The shared definitions were read from the file beside the schema, and nothing else.
    assert files.read == [(SCHEMAS / "common.schema.json").resolve().as_uri()]


@pytest.mark.parametrize("kind", document_schemas.KINDS)
def test_schema_file_rejects_a_broken_document_offline(kind: str) -> None:
    schema_file = SCHEMAS / document_schemas.SCHEMA_FILES[kind]
    validator = offline_validator(schema_file)
    _, example = (DOCUMENTS[kind] or [("", json.loads(schema_file.read_text())["examples"][0])])[0]
    broken = copy.deepcopy(example)
    broken["apiVersion"] = "tabard/v2"  # checked by common.schema.json#/$defs/api_version
    broken["zzz_unknown"] = 1
    assert errors(validator, broken) == [
        "/apiVersion: 'tabard/v1' was expected",
        "/: 'zzz_unknown' does not match any of the regexes: '^x-'",
    ]


def test_an_account_from_an_unknown_force_fails_offline() -> None:
    validator = offline_validator(SCHEMAS / "account.schema.json")
    _, account = DOCUMENTS["Account"][0]
    broken = copy.deepcopy(account)
    broken["force"] = "glos"
    found = errors(validator, broken)
    assert len(found) == 1
    assert found[0].startswith("/force: 'glos' is not one of ['avon-and-somerset', ")


def test_schemas_named_on_an_unreachable_host_do_not_resolve_offline(tmp_path: Path) -> None:
    # Why the files have no $id: with the one they had, a standard tool resolves
    # common.schema.json against https://tabard.invalid/ and fails without the network.
    for name in ("account.schema.json", "common.schema.json"):
        schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        named = {"$id": f"https://tabard.invalid/schemas/v1/{name}", **schema}
        (tmp_path / name).write_text(json.dumps(named), encoding="utf-8")
    files = LocalFiles(tmp_path / "account.schema.json")
    validator = offline_validator(tmp_path / "account.schema.json", files)
    _, account = DOCUMENTS["Account"][0]
    with pytest.raises(Unresolvable, match=re.escape("Unresolvable: common.schema.json#/$defs/")):
        errors(validator, account)
    assert files.read == []


@pytest.mark.parametrize("path", sorted(SCHEMAS.glob("*.json")), ids=lambda path: path.name)
def test_no_schema_file_names_a_host(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert '"$id"' not in text
    assert "tabard.invalid" not in text
