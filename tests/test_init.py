"""`tabard init`: a working repository for every force, and never a lost file."""

from __future__ import annotations

import json
import subprocess
import sys
from fnmatch import fnmatch
from importlib.resources import files
from pathlib import Path

import pytest
import yaml

from tabard.commands.common import today
from tabard.commands.init import known_forces
from tabard.documents import schemas as document_schemas
from tabard.testing import Project, Result
from tests.offline_schemas import LocalFiles, errors, offline_validator, yaml_documents

FORCES = sorted(known_forces())


@pytest.fixture(autouse=True)
def _entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    # Users get the bundled force plugins, so the new repository must satisfy them too.
    monkeypatch.delenv("TABARD_DISABLE_PLUGIN_AUTOLOAD")


def test_every_force_of_domain_md_is_known() -> None:
    assert len(FORCES) == 51
    welsh = {force for force, facts in known_forces().items() if facts.welsh_name}
    assert welsh == {"dyfed-powys", "gwent", "north-wales", "south-wales"}


@pytest.mark.parametrize("force", FORCES)
def test_init_writes_a_repository_whose_check_passes(tmp_path: Path, force: str) -> None:
    project = Project(tmp_path)
    written = project.run("init", "--force", force)
    assert written.code == 0, written
    result = project.run("check")  # today's date: the example's dates are today's
    assert result.code == 0, result
    assert result.out == "", result
    assert (
        result.err == "tabard: 0 errors, 0 warnings, 0 info, 0 waived in 4 documents (4 checked)\n"
    )


def test_init_lists_what_it_wrote(tmp_path: Path) -> None:
    result = Project(tmp_path).run("init", "new", "--force", "gloucestershire")
    assert result.code == 0, result
    assert result.err.splitlines()[:11] == [
        "tabard: wrote a repository for Gloucestershire Constabulary in new:",
        "  new/tabard.yaml",
        "  new/force/force.yaml",
        "  new/force/strategy.yaml",
        "  new/force/brand.yaml",
        "  new/accounts/x/gloucestershire-x-main.yaml",
        "  new/.pre-commit-config.yaml",
        "  new/.gitignore",
        "  new/README.md",
        "  new/.vscode/settings.json",
        "  new/.tabard/schemas/ (the JSON Schemas, for editors)",
    ]
    force = (tmp_path / "new/force/force.yaml").read_text(encoding="utf-8")
    assert "name: Gloucestershire Constabulary" in force
    assert "email_domains: [gloucestershire.police.uk]" in force
    assert "welsh_standards: false" in force


def test_welsh_force_gets_a_bilingual_repository(tmp_path: Path) -> None:
    assert Project(tmp_path).run("init", "--force", "north-wales").code == 0
    force = (tmp_path / "force/force.yaml").read_text(encoding="utf-8")
    account = (tmp_path / "accounts/x/north-wales-x-main.yaml").read_text(encoding="utf-8")
    assert "welsh_standards: true" in force
    assert "display_name: Heddlu Gogledd Cymru | North Wales Police" in account
    assert "mode: bilingual" in account


def test_init_never_overwrites(tmp_path: Path) -> None:
    project = Project(tmp_path).write({"README.md": "our notes\n", "tabard.yaml": "mine\n"})
    result = project.run("init", "--force", "kent")
    assert result.code == 2, result
    assert result.err == (
        "tabard: error: tabard.yaml, README.md already exist; nothing was "
        "written (use --overwrite to replace them)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "tabard.yaml"]
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "our notes\n"


def test_init_never_overwrites_editor_settings(tmp_path: Path) -> None:
    # A folder that already has an editor's settings (and nothing else).
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode/settings.json").write_text('{"editor.tabSize": 2}\n', encoding="utf-8")
    result = Project(tmp_path).run("init", "--force", "kent")
    assert result.code == 2, result
    assert result.err == (
        "tabard: error: .vscode/settings.json already exists; nothing was written "
        "(use --overwrite to replace them)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [".vscode"]
    assert (tmp_path / ".vscode/settings.json").read_text(encoding="utf-8") == (
        '{"editor.tabSize": 2}\n'
    )


def test_init_overwrites_when_asked(tmp_path: Path) -> None:
    project = Project(tmp_path).write({"README.md": "our notes\n"})
    assert project.run("init", "--force", "kent", "--overwrite").code == 0
    assert (tmp_path / "README.md").read_text(encoding="utf-8").startswith("# Kent Police")


def test_unknown_force_suggests_close_matches(tmp_path: Path) -> None:
    result = Project(tmp_path).run("init", "--force", "west-midland")
    assert result.code == 2, result
    assert result.err.startswith(
        "tabard: error: unknown force 'west-midland'; did you mean west-midlands, west-mercia, "
    ), result
    assert "? known forces: avon-and-somerset, bedfordshire, " in result.err
    assert list(tmp_path.iterdir()) == []


def test_generated_pre_commit_config_is_valid(tmp_path: Path) -> None:
    assert Project(tmp_path).run("init", "--force", "essex").code == 0
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "validate-config",
            str(tmp_path / ".pre-commit-config.yaml"),
        ],
        check=True,
        capture_output=True,
    )


# --- what init writes is right for real forces ----------------------------------------------


def _init(tmp_path: Path, force: str) -> Project:
    project = Project(tmp_path)
    assert project.run("init", "--force", force).code == 0
    return project


def _check(project: Project) -> Result:
    # init dates the example account today, so check it as of today.
    return project.check(as_of=today().isoformat())


@pytest.mark.parametrize("force", ["north-wales", "south-wales", "dyfed-powys", "gwent"])
def test_welsh_bilingual_bio_fits_on_x(tmp_path: Path, force: str) -> None:
    _init(tmp_path, force)
    account = yaml.safe_load(
        (tmp_path / f"accounts/x/{force}-x-main.yaml").read_text(encoding="utf-8")
    )
    assert len(account["bio"]) <= 160, account["bio"]


def test_init_writes_platform_limits_that_brd_010_enforces(tmp_path: Path) -> None:
    project = _init(tmp_path, "north-wales")
    path = tmp_path / "accounts/x/north-wales-x-main.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Di-argyfwng", "Di-argyfwng " + "x" * 40), encoding="utf-8")
    result = _check(project)
    assert [(f["rule"], f["document"]) for f in result.findings] == [
        ("BRD-010", "north-wales-x-main")
    ]


@pytest.mark.parametrize(
    ("force", "names"),
    [
        ("thames-valley", "en: [Thames Valley Police, TVP]"),
        ("devon-and-cornwall", "en: [Devon & Cornwall Police, DCP]"),
        ("kent", "en: [Kent Police]"),
        ("gloucestershire", "en: [Gloucestershire Constabulary]"),
    ],
)
def test_short_forms_are_only_the_force_initials(tmp_path: Path, force: str, names: str) -> None:
    _init(tmp_path, force)
    brand = (tmp_path / "force/brand.yaml").read_text(encoding="utf-8")
    assert f"  {names}    # add the short forms your brand guide approves\n" in brand
    assert "Police Police" not in brand


def test_invented_handles_are_said_to_be_invented(tmp_path: Path) -> None:
    _init(tmp_path, "kent")
    brand = (tmp_path / "force/brand.yaml").read_text(encoding="utf-8")
    account = (tmp_path / "accounts/x/kent-x-main.yaml").read_text(encoding="utf-8")
    assert "tabard made these handle patterns up from the force's code" in brand
    assert "made up from the force's code: use the real handle" in account


def test_accountable_individual_officer_account_passes_in_a_new_repository(
    tmp_path: Path,
) -> None:
    # The init strategy allows individual accounts for named roles: a neighbourhood
    # sergeant's own account, run like any other, gives no finding.
    project = _init(tmp_path, "kent")
    main = tmp_path / "accounts/x/kent-x-main.yaml"
    officer = yaml.safe_load(main.read_text(encoding="utf-8"))
    officer.update(
        id="kent-x-sgt-example",
        handle="@KentPoliceSgtExample",
        url="https://x.com/KentPoliceSgtExample",
        display_name="Kent Police Sgt Example",
        account_type="individual_officer",
        strategy={"objectives": ["OBJ-ENG-01"]},
    )
    officer["owner"].update(role="Neighbourhood Sergeant", rank_or_grade="Sergeant")
    officer["engagement"].update(mode="two_way", digital_desk=False, election_sensitive=False)
    officer["engagement"].pop("pre_election_plan", None)
    (tmp_path / "accounts/x/kent-x-sgt-example.yaml").write_text(
        yaml.safe_dump(officer, sort_keys=False), encoding="utf-8"
    )
    result = _check(project)
    assert result.findings == [], result
    assert result.code == 0


def test_objective_restrictions_are_enforced_in_a_new_repository(tmp_path: Path) -> None:
    # Every objective for senior officers only, with 24/7 monitoring on the desk: the
    # corporate office-hours example account no longer passes.
    project = _init(tmp_path, "kent")
    path = tmp_path / "force/strategy.yaml"
    strategy = yaml.safe_load(path.read_text(encoding="utf-8"))
    for objective in strategy["objectives"]:
        objective["allowed_account_types"] = ["senior_officer"]
        objective["requires"] = {"always_on": True, "digital_desk": True}
    path.write_text(yaml.safe_dump(strategy, sort_keys=False), encoding="utf-8")
    result = _check(project)
    assert sorted({f["rule"] for f in result.findings}) == ["STR-012", "STR-013"]
    assert result.code == 1


def test_welsh_force_is_told_to_install_the_welsh_extra(tmp_path: Path) -> None:
    _init(tmp_path, "gwent")
    hooks = (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "pip install 'tabard[welsh]'" in hooks
    (tmp_path / "kent").mkdir()
    _init(tmp_path / "kent", "kent")
    assert "tabard[welsh]" not in (tmp_path / "kent/.pre-commit-config.yaml").read_text(
        encoding="utf-8"
    )


# --- editor settings ------------------------------------------------------------------------

SETTINGS = """\
{
  "yaml.schemas": {
    "./.tabard/schemas/account.schema.json": [
      "accounts/**/*.yaml",
      "accounts/**/*.yml"
    ],
    "./.tabard/schemas/force.schema.json": [
      "force/force.yaml"
    ],
    "./.tabard/schemas/strategy.schema.json": [
      "force/strategy.yaml"
    ],
    "./.tabard/schemas/brand-guide.schema.json": [
      "force/brand.yaml"
    ],
    "./.tabard/schemas/waiver.schema.json": [
      "waivers/*.yaml",
      "waivers/*.yml"
    ],
    "./.tabard/schemas/policy.schema.json": [
      "policies/*.yaml",
      "policies/*.yml"
    ],
    "./.tabard/schemas/config.schema.json": [
      "tabard.yaml"
    ]
  }
}
"""
MODELINE = "# yaml-language-server: $schema="
#: The tabard documents init writes, and the schema each must name.
WRITTEN_DOCUMENTS = {
    "tabard.yaml": "config.schema.json",
    "force/force.yaml": "force.schema.json",
    "force/strategy.yaml": "strategy.schema.json",
    "force/brand.yaml": "brand-guide.schema.json",
    "accounts/x/gloucestershire-x-main.yaml": "account.schema.json",
}


def test_init_writes_vs_code_settings_for_the_written_schemas(tmp_path: Path) -> None:
    _init(tmp_path, "gloucestershire")
    settings = (tmp_path / ".vscode/settings.json").read_text(encoding="utf-8")
    assert settings == SETTINGS
    for schema in json.loads(settings)["yaml.schemas"]:
        assert (tmp_path / schema).is_file(), schema
    # Every tabard document written is matched by the glob of the schema its modeline names.
    for name, schema in WRITTEN_DOCUMENTS.items():
        globs = json.loads(settings)["yaml.schemas"][f"./.tabard/schemas/{schema}"]
        assert any(fnmatch(name, glob) for glob in globs), name


def test_init_writes_the_installed_schemas(tmp_path: Path) -> None:
    _init(tmp_path, "gloucestershire")
    written = sorted(path.name for path in (tmp_path / ".tabard/schemas").iterdir())
    assert written == sorted([*document_schemas.SCHEMA_FILES.values(), "common.schema.json"])
    for name in written:
        installed = files("tabard.schemas").joinpath(name).read_text(encoding="utf-8")
        assert (tmp_path / ".tabard/schemas" / name).read_text(encoding="utf-8") == installed


@pytest.mark.parametrize("force", ["gloucestershire", "north-wales"])
def test_every_written_document_names_its_schema_and_passes_it_offline(
    tmp_path: Path, force: str
) -> None:
    _init(tmp_path, force)
    documents = {
        name.replace("gloucestershire", force): schema for name, schema in WRITTEN_DOCUMENTS.items()
    }
    yaml_files = {str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.yaml")} - {
        ".pre-commit-config.yaml"
    }  # pre-commit's own file, not a tabard document
    assert yaml_files == set(documents)
    schemas = (tmp_path / ".tabard/schemas").resolve()
    for name, schema_name in documents.items():
        path = tmp_path / name
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith(MODELINE), name
        # yaml-language-server resolves the modeline from the document's own folder.
        schema_file = (path.parent / first_line.removeprefix(MODELINE)).resolve()
        assert schema_file == schemas / schema_name, name
        files_read = LocalFiles(schema_file)
        validator = offline_validator(schema_file, files_read)
        (document,) = yaml_documents(path)
        assert errors(validator, document) == [], name
        assert files_read.read == [(schemas / "common.schema.json").as_uri()], name


def test_written_schemas_reject_a_broken_account_offline(tmp_path: Path) -> None:
    _init(tmp_path, "kent")
    path = tmp_path / "accounts/x/kent-x-main.yaml"
    (account,) = yaml_documents(path)
    account["force"] = "kent-police"
    account["lifecycle"]["status"] = "paused"
    validator = offline_validator(tmp_path / ".tabard/schemas/account.schema.json")
    found = errors(validator, account)
    assert [message.split(":")[0] for message in found] == ["/force", "/lifecycle/status"]
    assert found[0].startswith("/force: 'kent-police' is not one of ['avon-and-somerset', ")


def test_tabard_does_not_read_the_schema_folder(tmp_path: Path) -> None:
    # Hidden folders are never walked: not even a broken YAML file there is a finding.
    project = _init(tmp_path, "essex")
    (tmp_path / ".tabard/schemas/stray.yaml").write_text("kind: [\n", encoding="utf-8")
    result = project.run("check")
    assert result.code == 0, result
    assert result.err == (
        "tabard: 0 errors, 0 warnings, 0 info, 0 waived in 4 documents (4 checked)\n"
    )
