"""Golden examples: every built-in rule passes its pass/ cases and fires on its fail/ cases.

Layout (tests/examples/README.md):

    tests/examples/_force/*.yaml          default force documents (Gloucestershire)
    tests/examples/<RULE>/force/*.yaml    force documents this rule's cases need (optional)
    tests/examples/<RULE>/pass/<case>.yaml or pass/<case>/*.yaml
    tests/examples/<RULE>/fail/<case>.yaml or fail/<case>/*.yaml

A failing case marks each expected finding with a comment `# expect: RULE line N`
in the file that must carry it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tabard.config import Config
from tabard.run.session import open_session
from tests.conftest import AS_OF, EXAMPLES

_EXPECT = re.compile(r"#\s*expect:\s*(?P<rule>[A-Z][A-Z0-9-]*-[0-9]{3})\s+line\s+(?P<line>[0-9]+)")
_FORCE_KINDS = {"Force": "force", "Strategy": "strategy", "BrandGuide": "brand"}


def _placement(text: str, name: str) -> str:
    """Where a document goes in the repository, by its kind."""
    data = yaml.safe_load(text)
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "Account":
        return f"accounts/{data.get('platform', 'other')}/{data.get('id', Path(name).stem)}.yaml"
    if kind in _FORCE_KINDS:
        return f"force/{data['force']}-{_FORCE_KINDS[kind]}.yaml"
    if kind == "Waiver":
        return f"waivers/{data.get('id', Path(name).stem)}.yaml"
    return f"other/{name}"


def _files(case: Path) -> list[Path]:
    return sorted(case.glob("*.yaml")) if case.is_dir() else [case]


def _build(tmp_path: Path, rule_dir: Path, case: Path) -> dict[str, str]:
    """Write the case's repository; return {placed path: source text} of the case files."""
    (tmp_path / "tabard.yaml").write_text("apiVersion: tabard/v1\nkind: Config\n", "utf-8")
    sources = sorted((EXAMPLES / "_force").glob("*.yaml")) + sorted(rule_dir.glob("force/*.yaml"))
    for source in sources:
        text = source.read_text(encoding="utf-8")
        target = tmp_path / _placement(text, source.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    placed = {}
    for source in _files(case):
        text = source.read_text(encoding="utf-8")
        relative = _placement(text, source.name)
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        placed[relative] = text
    return placed


def _cases(kind: str) -> list[Any]:
    found = []
    for rule_dir in sorted(p for p in EXAMPLES.iterdir() if p.is_dir() and p.name[0] != "_"):
        for case in sorted((rule_dir / kind).glob("*")):
            if case.suffix == ".yaml" or case.is_dir():
                found.append(pytest.param(rule_dir, case, id=f"{rule_dir.name}-{case.stem}"))
    return found


def _findings(run: Any, root: Path, rule: str) -> set[tuple[str, str, int]]:
    outcome = run("check", "--format", "json", "--as-of", AS_OF, cwd=root)
    assert outcome.code in (0, 1), outcome
    return {
        (f["rule"], f["file"], f["line"]) for f in outcome.json()["findings"] if f["rule"] == rule
    }


@pytest.mark.parametrize(("rule_dir", "case"), _cases("pass"))
def test_pass_case(run: Any, tmp_path: Path, rule_dir: Path, case: Path) -> None:
    _build(tmp_path, rule_dir, case)
    assert _findings(run, tmp_path, rule_dir.name) == set()


@pytest.mark.parametrize(("rule_dir", "case"), _cases("fail"))
def test_fail_case(run: Any, tmp_path: Path, rule_dir: Path, case: Path) -> None:
    placed = _build(tmp_path, rule_dir, case)
    expected = {
        (match["rule"], relative, int(match["line"]))
        for relative, text in placed.items()
        for match in _EXPECT.finditer(text)
    }
    assert expected, f"{case} has no `# expect: RULE line N` comment"
    assert {rule for rule, _, _ in expected} == {rule_dir.name}, "expect the rule under test"
    assert _findings(run, tmp_path, rule_dir.name) == expected


def _builtin_rules(root: Path) -> list[str]:
    session = open_session(Config(root=root), date.fromisoformat(AS_OF))
    return [rule.id for pack in session.packs for rule in pack.rules]


def test_every_builtin_rule_has_golden_examples(tmp_path: Path) -> None:
    rules = _builtin_rules(tmp_path)
    assert rules, "no built-in rules found"
    missing = [
        f"{rule} has no {kind} example"
        for rule in rules
        for kind in ("pass", "fail")
        if not any((EXAMPLES / rule / kind).glob("*"))
    ]
    assert missing == []


def test_example_folders_name_real_rules(tmp_path: Path) -> None:
    folders = {p.name for p in EXAMPLES.iterdir() if p.is_dir() and p.name[0] != "_"}
    assert folders - set(_builtin_rules(tmp_path)) == set()
