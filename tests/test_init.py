"""`tabard init`: a working repository for every force, and never a lost file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tabard.commands.init import known_forces
from tabard.testing import Project

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
    assert result.err.splitlines()[:9] == [
        "tabard: wrote a repository for Gloucestershire Constabulary in new:",
        "  new/tabard.yaml",
        "  new/force/force.yaml",
        "  new/force/strategy.yaml",
        "  new/force/brand.yaml",
        "  new/accounts/x/gloucestershire-x-main.yaml",
        "  new/.pre-commit-config.yaml",
        "  new/.gitignore",
        "  new/README.md",
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
