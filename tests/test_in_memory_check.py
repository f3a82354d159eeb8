"""``tabard.testing.check_documents``: rule tests on documents held in memory, no files.

It must give the findings ``tabard check`` gives on the same documents in files, and
refuse, with the place named, anything it cannot read as a tabard document.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tabard.errors import ConfigError
from tabard.testing import check_documents
from tests.builders import AS_OF, CONFIG, account, force_documents, policy, project, waiver
from tests.conftest import EXAMPLES
from tests.test_force_plugins import DOGS
from tests.test_force_plugins import account as plugin_account

FORCE = list(force_documents().values())  # Force, BrandGuide, Strategy of Gloucestershire
_EXPECT = re.compile(r"#\s*expect:\s*(?P<rule>[A-Z]+-[0-9]{3})\s+line\s+(?P<line>[0-9]+)")
#: The first rule of each built-in pack family: each pack's rules run in memory.
FIRST_RULES = ["ACC-001", "BRD-001", "ENG-001", "LIF-001", "LNG-001", "SEC-001", "STR-001"]

LOCAL_RULES = """\
- id: LOC-001
  title: Accounts have x-a
  severity: error
  assert: {field: x-a, present: true}
  message: "{id}: no x-a"
"""


def _first_case(rule: str, kind: str) -> Path:
    return sorted((EXAMPLES / rule / kind).glob("*.yaml"))[0]


def _force(rule: str) -> list[str]:
    """The force documents a rule's golden cases are checked with (its own, if it has any)."""
    own = sorted((EXAMPLES / rule / "force").glob("*.yaml"))
    return [path.read_text(encoding="utf-8") for path in own] or FORCE


@pytest.mark.parametrize("rule", FIRST_RULES)
def test_a_golden_fail_case_fires_in_memory(rule: str) -> None:
    text = _first_case(rule, "fail").read_text(encoding="utf-8")
    force = _force(rule)
    name = f"<documents[{len(force)}]>"
    expected = {(m["rule"], name, int(m["line"])) for m in _EXPECT.finditer(text)}
    findings = check_documents([*force, text], as_of=AS_OF)
    assert expected
    assert {(f.rule, f.file, f.line) for f in findings if f.rule == rule} == expected


@pytest.mark.parametrize("rule", FIRST_RULES)
def test_a_golden_pass_case_is_quiet_in_memory(rule: str) -> None:
    text = _first_case(rule, "pass").read_text(encoding="utf-8")
    findings = check_documents([*_force(rule), text], as_of=AS_OF)
    assert [f for f in findings if f.rule == rule] == []


def _shown(finding: Any) -> tuple[Any, ...]:
    return (
        finding["rule"],
        finding["severity"],
        finding["line"],
        finding["column"],
        finding["message"],
        finding["path"],
        finding["document"],
        finding.get("waived_by"),
    )


def test_same_findings_as_check_on_files(run: Any, tmp_path: Path) -> None:
    text = _first_case("ACC-001", "fail").read_text(encoding="utf-8")
    identity = yaml.safe_load(text)["id"]
    files = {**force_documents(), f"accounts/x/{identity}.yaml": text}
    project(tmp_path, files, config="apiVersion: tabard/v1\nkind: Config\n")
    outcome = run("check", "--format", "json", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 1, outcome
    on_files = sorted(_shown(f) for f in outcome.json()["findings"])
    in_memory = check_documents(list(files.values()), as_of=AS_OF)
    assert sorted(_shown({**asdict(f), "severity": str(f.severity)}) for f in in_memory) == on_files
    assert len(on_files) > 20  # the whole national catalogue ran, not one rule


@pytest.fixture
def local_root(tmp_path: Path) -> Path:
    """A folder holding ``policies/local.yaml`` (LOC-001: accounts have x-a)."""
    project(tmp_path, {"policies/local.yaml": policy(LOCAL_RULES)})
    return tmp_path


def test_findings_come_in_document_then_line_order(local_root: Path) -> None:
    findings = check_documents(
        [account("a2"), account("a1", extra="x-a: 1\n"), account("a3")],
        config=CONFIG,
        root=local_root,
        as_of=AS_OF,
    )
    assert [(f.file, f.document, f.line, f.column) for f in findings] == [
        ("<documents[0]>", "a2", 1, 1),
        ("<documents[2]>", "a3", 1, 1),
    ]


def test_a_local_policy_is_read_under_root(local_root: Path) -> None:
    findings = check_documents(
        [account("a1"), account("a2", extra="x-a: 1\n")], config=CONFIG, root=local_root
    )
    assert [(f.rule, f.document, f.file, f.line, f.column, f.message) for f in findings] == [
        ("LOC-001", "a1", "<documents[0]>", 1, 1, "a1: no x-a")
    ]


def test_a_dict_is_checked_like_its_yaml(local_root: Path) -> None:
    text = account("a1", extra="x-b: 2026-11-01\n")
    data = yaml.safe_load(text)
    assert data["x-b"] == date(2026, 11, 1)  # PyYAML's own type: a date, written as text
    as_text = check_documents([text], config=CONFIG, root=local_root)
    as_dict = check_documents([data], config=CONFIG, root=local_root)
    assert [(f.rule, f.document, f.message) for f in as_dict] == [("LOC-001", "a1", "a1: no x-a")]
    assert [(f.rule, f.document, f.message) for f in as_text] == [
        (f.rule, f.document, f.message) for f in as_dict
    ]


def test_a_waiver_among_the_documents_waives(local_root: Path) -> None:
    documents = [account("a1"), account("a2"), waiver("W-2026-001", ["LOC-001"], ["a1"])]
    findings = check_documents(documents, config=CONFIG, root=local_root, as_of=AS_OF)
    assert [(f.rule, f.document, f.waived_by) for f in findings] == [
        ("LOC-001", "a1", "W-2026-001"),
        ("LOC-001", "a2", None),
    ]


def test_several_documents_in_one_string_share_its_name(local_root: Path) -> None:
    both = account("a1") + "---\n" + account("a2")
    findings = check_documents([both], config=CONFIG, root=local_root)
    assert [(f.file, f.document, f.line) for f in findings] == [
        ("<documents[0]>", "a1", 1),
        ("<documents[0]>", "a2", 11),
    ]


def test_schema_and_duplicate_findings_are_reported(local_root: Path) -> None:
    findings = check_documents(
        [account("a1", extra="x-a: 1\n"), account("a1", extra="x-a: 1\nbogus: 1\n")],
        config=CONFIG,
        root=local_root,
    )
    assert [(f.rule, f.file, f.line, f.path) for f in findings] == [
        ("TAB-004", "<documents[0]>", 3, "id"),
        ("TAB-004", "<documents[1]>", 3, "id"),
        ("TAB-003", "<documents[1]>", 11, "bogus"),
    ]


def test_invalid_yaml_names_the_document_line_and_column() -> None:
    with pytest.raises(ValueError, match="invalid YAML") as raised:
        check_documents([account("a1"), "kind: Account\nid: [a\n"])
    assert str(raised.value) == (
        "<documents[1]>:3:1: invalid YAML: did not find expected ',' or ']'"
    )


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            "- a\n- b\n",
            "<documents[0]>:1:1: a tabard document is a mapping "
            "(apiVersion: tabard/v1, kind: ...), not list",
        ),
        ("", "<documents[0]> holds no document"),
        (
            "---\n",
            "<documents[0]>:2:1: a tabard document is a mapping "
            "(apiVersion: tabard/v1, kind: ...), not nothing",
        ),
    ],
)
def test_what_is_not_a_document_is_refused(item: str, message: str) -> None:
    with pytest.raises(ValueError, match="document") as raised:
        check_documents([item])
    assert str(raised.value) == message


def test_a_value_json_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError) as raised:
        check_documents([{"apiVersion": "tabard/v1", "kind": "Account", "tags": {1, 2}}])
    assert str(raised.value) == (
        "<documents[0]> holds {1, 2}, a set; a document holds only text, numbers, "
        "true/false, null, dates, lists and dicts"
    )


def test_a_document_neither_text_nor_dict_is_refused() -> None:
    with pytest.raises(TypeError) as raised:
        check_documents([b"apiVersion: tabard/v1\n"])  # type: ignore[list-item]
    assert str(raised.value) == "<documents[0]> is a bytes; give a YAML string or a dict"


def test_a_bad_date_is_refused() -> None:
    with pytest.raises(ValueError, match="as_of") as raised:
        check_documents([account("a1")], as_of="24/11/2026")
    assert str(raised.value) == "as_of '24/11/2026' is not a date (YYYY-MM-DD)"


def test_a_config_problem_is_located_in_the_config(tmp_path: Path) -> None:
    config = textwrap.dedent(
        """\
        apiVersion: tabard/v1
        kind: Config
        policies: [no-such-pack]
        """
    )
    with pytest.raises(ConfigError) as raised:
        check_documents([account("a1")], config=config, root=tmp_path)
    assert str(raised.value).startswith(
        "tabard: error: <config>:3:12: unknown policy pack 'no-such-pack'"
    )


def test_an_installed_plugin_rule_runs_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TABARD_DISABLE_PLUGIN_AUTOLOAD")  # load them as users get them
    second = plugin_account(
        "glos-x-k9",
        "gloucestershire",
        handle="@GlosK9",
        display_name="Glos Police K9",
        lifecycle="{status: active}",
    )
    findings = check_documents(
        [DOGS, second], config="apiVersion: tabard/v1\nkind: Config\npolicies: []\n"
    )
    assert [(f.rule, f.document, f.file, f.line, f.path) for f in findings] == [
        ("GLOS-DOG-001", "glos-x-k9", "<documents[1]>", 5, "platform")
    ]
