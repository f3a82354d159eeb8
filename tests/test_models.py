"""``tabard.models``: the typed models are the source of ``schemas/`` and read real documents.

* every committed schema is exactly what the models generate (``python -m tabard.models``);
* every document of the example repository validates through its kind's model, and the
  models agree with the compiled schemas on broken variants of those documents;
* a bad document raises a ``ValidationError`` that names the field.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from tabard.documents import schemas as document_schemas
from tabard.models import Account, Config, Force, Person, Policy, Waiver
from tabard.models.catalogue import FILES, KINDS, all_schemas
from tabard.models.generate import dumps
from tabard.readonly import readonly
from tests.offline_schemas import yaml_documents

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
GLOUCESTERSHIRE = ROOT / "examples" / "gloucestershire"
GENERATED = all_schemas()


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_committed_schema_is_generated_from_the_models(name: str) -> None:
    committed = (SCHEMAS / name).read_text(encoding="utf-8")
    assert committed == dumps(GENERATED[name]), (
        f"schemas/{name} is stale: the models in engine/models/ are the source of truth; "
        "regenerate the files with `python -m tabard.models`"
    )


def test_every_schema_file_comes_from_a_model() -> None:
    assert {path.name for path in SCHEMAS.glob("*.json")} == set(GENERATED)
    assert set(KINDS) == set(document_schemas.SCHEMA_FILES)
    assert FILES == document_schemas.SCHEMA_FILES


def _generate(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tabard.models", *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def test_the_generator_writes_and_checks_the_files(tmp_path: Path) -> None:
    written = _generate(str(tmp_path), cwd=tmp_path)
    assert (written.returncode, written.stderr) == (0, "")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(GENERATED)
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (SCHEMAS / path.name).read_bytes(), path.name

    assert _generate("--check", str(tmp_path), cwd=tmp_path).returncode == 0
    (tmp_path / "force.schema.json").write_text("{}\n", encoding="utf-8")
    stale = _generate("--check", str(tmp_path), cwd=tmp_path)
    assert (stale.returncode, stale.stdout) == (1, f"stale: {tmp_path / 'force.schema.json'}\n")
    assert (tmp_path / "force.schema.json").read_text(encoding="utf-8") == "{}\n"


def _repository_documents() -> Iterator[tuple[Path, str, Any]]:
    for path in sorted(GLOUCESTERSHIRE.rglob("*.yaml")):
        for document in yaml_documents(path):
            kind = "Config" if path.name == "tabard.yaml" else document["kind"]
            yield path, kind, document


def test_every_example_document_validates_through_its_model() -> None:
    seen: dict[str, int] = {}
    for path, kind, document in _repository_documents():
        model = KINDS[kind].model_validate(document)
        assert isinstance(model, KINDS[kind]), path
        seen[kind] = seen.get(kind, 0) + 1
    assert set(seen) == {"Account", "Force", "Strategy", "BrandGuide", "Waiver", "Config"}
    assert seen["Account"] >= 10


def test_typed_objects_carry_the_documents_values() -> None:
    path = GLOUCESTERSHIRE / "accounts" / "x" / "glos-x-dogs.yaml"
    document = next(yaml_documents(path))
    # A plugin sees documents through read-only views; the models read those too.
    assert Account.model_validate(readonly(document)) == Account.model_validate(document)
    account = Account.model_validate(document)
    assert (account.id, account.platform, account.api_version) == ("glos-x-dogs", "x", "tabard/v1")
    assert isinstance(account.owner, Person)
    assert account.owner.email is not None
    assert account.owner.email.endswith("@gloucestershire.police.uk")
    config = Config.model_validate(next(yaml_documents(GLOUCESTERSHIRE / "tabard.yaml")))
    assert config.fail_on in ("error", "warning", "info")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_examples_validate_through_the_models(kind: str) -> None:
    for example in json.loads((SCHEMAS / FILES[kind]).read_text(encoding="utf-8"))["examples"]:
        KINDS[kind].model_validate(example)


def _glos_dogs() -> dict[str, Any]:
    path = GLOUCESTERSHIRE / "accounts" / "x" / "glos-x-dogs.yaml"
    document: dict[str, Any] = next(yaml_documents(path))
    return document


def _error(model: type[BaseModel], document: Any) -> tuple[tuple[str | int, ...], str, str]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(document)
    first = raised.value.errors()[0]
    return first["loc"], first["type"], first["msg"]


def test_a_bad_platform_raises_a_validation_error() -> None:
    document = _glos_dogs() | {"platform": "twitter"}
    location, kind, message = _error(Account, document)
    assert (location, kind) == (("platform",), "literal_error")
    assert message.startswith("Input should be 'x', 'facebook'")


def test_unknown_keys_are_refused_and_x_keys_are_free() -> None:
    document = _glos_dogs()
    Account.model_validate(document | {"x-kennel": {"code": 7}})
    location, kind, message = _error(Account, document | {"ownr": {}})
    assert (location, kind, message) == (
        (),
        "extra_forbidden",
        "unknown key 'ownr'; keys starting with 'x-' are free",
    )


def test_a_null_is_refused_where_the_schema_refuses_it() -> None:
    location, kind, message = _error(Account, _glos_dogs() | {"notes": None})
    assert (location, kind, message) == ((), "no_null", "notes is null: leave the key out instead")
    force = next(yaml_documents(GLOUCESTERSHIRE / "force" / "force.yaml"))
    assert Force.model_validate(force | {"smmp": None}).smmp is None  # the schema allows null


def test_duplicates_dates_and_empty_conditions_are_refused() -> None:
    waiver = next(yaml_documents(GLOUCESTERSHIRE / "waivers" / "W-2026-004.yaml"))
    assert _error(Waiver, waiver | {"rules": ["BRD-002", "BRD-002"]})[1] == "unique_items"
    assert _error(Waiver, waiver | {"expires": "2026-02-30"})[0] == ("expires",)
    policy = {
        "apiVersion": "tabard/v1",
        "kind": "Policy",
        "name": "p",
        "rules": [{"id": "ACC-001", "title": "t", "severity": "error", "assert": {}}],
    }
    assert _error(Policy, policy)[1:] == ("too_few_keys", "needs at least 1 key(s)")


_BAD_VALUES: tuple[Any, ...] = (None, 7, "zz", [], {}, True, "2026-02-30")


def _variants(document: Any) -> Iterator[Any]:
    """*document* with one value removed or replaced, at every place it has one."""
    children = (
        list(document.items())
        if isinstance(document, dict)
        else list(enumerate(document))
        if isinstance(document, list)
        else []
    )
    for key, child in children:
        for value in (..., *_BAD_VALUES):
            variant = copy.deepcopy(document)
            if value is ...:
                del variant[key]
            else:
                variant[key] = value
            yield variant
        for inner in _variants(child):
            variant = copy.deepcopy(document)
            variant[key] = inner
            yield variant
    if isinstance(document, dict):
        yield {**document, "x-free": 1}
        yield {**document, "not_a_key": 1}


def _valid_by_model(model: type[BaseModel], document: Any) -> bool:
    try:
        model.model_validate(document)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    "path",
    [
        "accounts/x/glos-x-dogs.yaml",
        "force/force.yaml",
        "force/strategy.yaml",
        "force/brand.yaml",
        "waivers/W-2026-004.yaml",
        "tabard.yaml",
    ],
)
def test_models_and_schemas_agree_on_broken_documents(path: str) -> None:
    """No verdict changed: what the compiled schema refuses, the model refuses, and back."""
    file = GLOUCESTERSHIRE / path
    document = next(yaml_documents(file))
    kind = "Config" if file.name == "tabard.yaml" else document["kind"]
    disagreements = [
        variant
        for variant in _variants(document)
        if (not document_schemas.problems(kind, variant)) != _valid_by_model(KINDS[kind], variant)
    ]
    assert disagreements == []
