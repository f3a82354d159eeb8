"""Documentation that is generated or promised stays true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tabard.testing import Project

ROOT = Path(__file__).parents[1]


def test_rules_md_is_generated_from_the_packs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TABARD_DISABLE_PLUGIN_AUTOLOAD")  # the bundled plugins' rules too
    result = Project(tmp_path).run("rules", "--format", "markdown")
    assert result.code == 0, result
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == result.out, (
        "docs/rules.md is stale: regenerate it with "
        "`tabard rules --format markdown > docs/rules.md` (outside any repository)"
    )


def test_every_builtin_rule_is_explained(tmp_path: Path) -> None:
    rules = Project(tmp_path).run("rules", "--format", "json")
    for rule in yaml.safe_load(rules.out):
        explained = Project(tmp_path).run("explain", rule["id"])
        assert explained.code == 0, explained
        assert "why:" in explained.out, rule["id"]
        assert "sources:" in explained.out, rule["id"]
        assert rule["rationale"], rule["id"]
        assert rule["references"], rule["id"]
        assert rule["fix"], rule["id"]


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, re.DOTALL)
    assert first_block is not None
    commands = [line for line in first_block[1].splitlines() if line and line[0] != "#"]
    assert len(commands) == 2
    assert "tabard check examples/gloucestershire" in commands[0]
    assert "python -m pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1].split("&& ", 2)[-1] in ci, ".ci/run must run the README's tests"


def test_readme_names_every_pre_commit_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for hook in hooks:
        assert f"`{hook['id']}`" in readme, hook["id"]


def test_readme_names_every_command() -> None:
    from tabard.commands import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in commands:
        assert f"tabard {name}" in readme, name


def test_readme_policy_example_works(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    policy = re.search(r"```yaml\n(apiVersion: tabard/v1\nkind: Policy\n.*?)```", readme, re.DOTALL)
    assert policy is not None
    account = (
        "apiVersion: tabard/v1\nkind: Account\nid: glos-x-{slug}\nforce: gloucestershire\n"
        "platform: x\nhandle: '@GlosPolice{area}'\ndisplay_name: {name}\n"
        "account_type: neighbourhood\narea: {{code: {code}, name: {area}}}\n"
        "lifecycle: {{status: active}}\n"
    )
    project = Project(tmp_path).write(
        {
            "tabard.yaml": "apiVersion: tabard/v1\nkind: Config\npolicies: [./policies]\n",
            "policies/our-force.yaml": policy[1],
            "force/strategy.yaml": (
                ROOT / "tests/examples/_force/gloucestershire-strategy.yaml"
            ).read_text(encoding="utf-8"),
            "accounts/x/glos-x-stroud.yaml": account.format(
                slug="stroud", area="Stroud", code="STROUD", name="Glos Police Stroud"
            ),
            "accounts/x/glos-x-chelt.yaml": account.format(
                slug="chelt", area="Cheltenham", code="CHELT", name="Glos Police Town"
            ),
        }
    )
    result = project.run("check", "--as-of", "2026-11-24")
    assert result.out == (
        "accounts/x/glos-x-chelt.yaml:7:15: GLOS-LOCAL-001 warning "
        "glos-x-chelt: display name does not name the district "
        "Cheltenham\n"
    ), result
