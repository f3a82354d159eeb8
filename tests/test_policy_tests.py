"""`tabard test`: policy tests written as PolicyTest documents."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import xmlschema

from tabard.testing import Project

CONFIG = "apiVersion: tabard/v1\nkind: Config\npolicies: [./policies]\n"
PACK = """\
apiVersion: tabard/v1
kind: Policy
name: glos-local
rules:
  - id: GLOS-LOCAL-001
    title: Neighbourhood accounts name their district
    severity: warning
    when: {field: account_type, equals: neighbourhood}
    assert:
      field: display_name
      contains_any: {lookup: {kind: Strategy, field: "geography.areas[code={area.code}].name"}}
    message: "{id}: display name does not name the district"
"""
STRATEGY = (
    "{apiVersion: tabard/v1, kind: Strategy, force: gloucestershire, id: s,\n"
    "         objectives: [{id: OBJ-1}], geography: {areas: [{code: STROUD, name: Stroud}]}}"
)


def _account(name: str) -> str:
    return (
        "{apiVersion: tabard/v1, kind: Account, id: glos-x-stroud, force: gloucestershire,\n"
        '         platform: x, handle: "@GlosPoliceStroud", display_name: ' + name + ",\n"
        "         account_type: neighbourhood, area: {code: STROUD}, lifecycle: {status: active}}"
    )


def _suite(*cases: tuple[str, str, str]) -> str:
    text = "apiVersion: tabard/v1\nkind: PolicyTest\nname: glos\npolicies: [glos-local]\ncases:\n"
    for name, display, expect in cases:
        text += (
            f"  - name: {name}\n    documents:\n      - {STRATEGY}\n"
            f"      - {_account(display)}\n    expect: {expect}\n"
        )
    return text


def _project(tmp_path: Path, suite: str) -> Project:
    return Project(tmp_path).write(
        {"tabard.yaml": CONFIG, "policies/glos.yaml": PACK, "policies/glos.test.yaml": suite}
    )


def test_passing_and_failing_cases(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        _suite(
            ("named after its district", "Glos Police Stroud", "[]"),
            (
                "not named",
                "Glos Police",
                "[{rule: GLOS-LOCAL-001, document: glos-x-stroud, path: display_name}]",
            ),
        ),
    )
    result = project.run("test")
    assert result.code == 0, result
    assert result.out == (
        "policies/glos.test.yaml:6:11: passed named after its district\n"
        "policies/glos.test.yaml:14:11: passed not named\n"
    )
    assert result.err == "tabard: 2 cases, 0 failed\n"


def test_a_failing_case_says_what_differed(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        _suite(
            ("wrongly expected clean", "Glos Police", "[]"),
            ("wrongly expected a finding", "Glos Police Stroud", "[{rule: GLOS-LOCAL-001}]"),
        ),
    )
    result = project.run("test")
    assert result.code == 1, result
    assert result.out == (
        "policies/glos.test.yaml:6:11: FAILED wrongly expected clean\n"
        "  unexpected policies/glos.test.yaml:11:66: GLOS-LOCAL-001 warning glos-x-stroud: "
        "display name does not name the district\n"
        "policies/glos.test.yaml:14:11: FAILED wrongly expected a finding\n"
        "  expected GLOS-LOCAL-001, but it was not reported\n"
    )
    assert result.err == "tabard: 2 cases, 2 failed\n"


def test_inline_documents_are_validated(tmp_path: Path) -> None:
    suite = _suite(("misspelt", "Glos Police Stroud", "[]")).replace("platform: x", "platfrom: x")
    result = _project(tmp_path, suite).run("test")
    assert result.code == 1, result
    assert (
        "TAB-003 error unknown key 'platfrom' in the document (did you mean 'platform'?)"
        in result.out
    )


def test_unknown_pack_under_test(tmp_path: Path) -> None:
    suite = _suite(("x", "Glos Police Stroud", "[]")).replace("[glos-local]", "[glos-locl]")
    result = _project(tmp_path, suite).run("test")
    assert result.code == 2, result
    assert result.err == (
        "tabard: error: policies/glos.test.yaml:4:12: no policy pack named "
        "'glos-locl' is in use\n  hint: packs in use: glos-local\n"
    )


def test_invalid_suite_is_a_policy_error(tmp_path: Path) -> None:
    suite = _suite(("x", "Glos Police Stroud", "[]")).replace("    expect: []\n", "")
    result = _project(tmp_path, suite).run("test")
    assert result.code == 2, result
    assert result.err == (
        "tabard: error: policies/glos.test.yaml:6:5: cases[0] is missing required key 'expect'\n"
    )


def _mixed(tmp_path: Path) -> Project:
    return _project(
        tmp_path,
        _suite(
            ("named after its district", "Glos Police Stroud", "[]"),
            ("wrongly expected a finding", "Glos Police Stroud", "[{rule: GLOS-LOCAL-001}]"),
        ),
    )


def test_json_results(tmp_path: Path) -> None:
    result = _mixed(tmp_path).run("test", "--format", "json")
    assert result.code == 1, result
    assert json.loads(result.out) == {
        "summary": {"cases": 2, "failed": 1},
        "cases": [
            {
                "name": "named after its district",
                "file": "policies/glos.test.yaml",
                "line": 6,
                "column": 11,
                "passed": True,
                "missing": [],
                "unexpected": [],
            },
            {
                "name": "wrongly expected a finding",
                "file": "policies/glos.test.yaml",
                "line": 14,
                "column": 11,
                "passed": False,
                "missing": [{"rule": "GLOS-LOCAL-001", "document": None, "path": None}],
                "unexpected": [],
            },
        ],
    }


def test_junit_results_match_the_junit_xsd(tmp_path: Path) -> None:
    result = _mixed(tmp_path).run("test", "--format", "junit", "--output", "results.xml")
    assert result.code == 1, result
    assert result.out == ""
    written = tmp_path / "results.xml"
    xmlschema.XMLSchema(Path(__file__).parent / "vendor" / "JUnit.xsd").validate(str(written))
    root = ET.parse(written).getroot()
    (suite,) = root
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == (
        "policies/glos.test.yaml",
        "2",
        "1",
    )
    failure = suite.findall("testcase")[1].find("failure")
    assert failure is not None
    assert failure.get("message") == "expected GLOS-LOCAL-001, but it was not reported"
