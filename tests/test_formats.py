"""The CI formats: each checked against its published schema and against the JSON report.

SARIF is validated against the OASIS SARIF 2.1.0 schema and JUnit against the Apache Ant
JUnit XSD, both vendored in ``tests/vendor`` (see its README for their sources).  Every
format must carry the same findings, at the same file:line:col, as the JSON report of the
same run, with waived findings marked.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema

from tests.conftest import AS_OF

ROOT = Path(__file__).resolve().parents[1]
VENDOR = Path(__file__).parent / "vendor"
EXAMPLE = ROOT / "examples" / "gloucestershire"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The Gloucestershire example: findings of every severity and one waived finding."""
    target = tmp_path / "gloucestershire"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".tabard-cache"))
    return target


def _report(run: Any, root: Path, name: str) -> tuple[Any, Any]:
    """The JSON report and the *name* output of the same repository."""
    reference = run("check", "--as-of", AS_OF, "--format", "json", cwd=root)
    outcome = run("check", "--as-of", AS_OF, "--format", name, cwd=root)
    assert outcome.code == reference.code == 1, outcome
    return reference.json(), outcome


def _located(findings: list[dict[str, Any]], *, waived: bool) -> list[tuple[Any, ...]]:
    return sorted(
        (f["rule"], f["file"], f["line"], f["column"])
        for f in findings
        if (f["waived_by"] is not None) == waived
    )


def test_sarif_is_valid_sarif_2_1_0_with_the_same_findings(run: Any, example: Path) -> None:
    report, outcome = _report(run, example, "sarif")
    sarif = json.loads(outcome.out)
    schema = json.loads((VENDOR / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    (sarif_run,) = sarif["runs"]
    results = sarif_run["results"]
    rules = sarif_run["tool"]["driver"]["rules"]

    def located(result: dict[str, Any]) -> tuple[Any, ...]:
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        return (
            result["ruleId"],
            location["artifactLocation"]["uri"],
            region["startLine"],
            region["startColumn"],
        )

    assert sorted(located(r) for r in results if "suppressions" not in r) == _located(
        report["findings"], waived=False
    )
    assert sorted(located(r) for r in results if "suppressions" in r) == _located(
        report["findings"], waived=True
    )
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    (waived,) = [r for r in results if "suppressions" in r]
    (suppression,) = waived["suppressions"]
    assert suppression["kind"] == "external"
    assert suppression["properties"] == {"waiver": "W-2026-004"}
    assert suppression["justification"].startswith("W-2026-004: The 2026-27 recruitment campaign")
    descriptor = next(rule for rule in rules if rule["id"] == "ACC-001")
    assert descriptor["shortDescription"] == {"text": "Account names an accountable owner"}
    assert descriptor["fullDescription"]["text"].startswith("Staffordshire's chief constable")
    assert descriptor["help"]["text"].startswith("Fill in owner.name")
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    assert sarif_run["tool"]["driver"]["version"] == report["tabard"]
    assert [e["name"] for e in sarif_run["tool"]["extensions"]][:7] == [
        pack["name"] for pack in report["packs"]
    ][:7]


def test_sarif_fingerprints_ignore_the_line(run: Any, example: Path) -> None:
    """Code scanning keeps a finding's identity when lines are added above it."""
    first = json.loads(run("check", "--as-of", AS_OF, "--format", "sarif", cwd=example).out)
    manifest = example / "accounts/x/glos-x-cheltenham.yaml"
    manifest.write_text("# a comment line\n" + manifest.read_text(encoding="utf-8"), "utf-8")
    second = json.loads(run("check", "--as-of", AS_OF, "--format", "sarif", cwd=example).out)

    def prints(sarif: Any) -> dict[str, int]:
        return {
            r["partialFingerprints"]["tabardFinding/v1"]: r["locations"][0]["physicalLocation"][
                "region"
            ]["startLine"]
            for r in sarif["runs"][0]["results"]
        }

    before, after = prints(first), prints(second)
    assert before.keys() == after.keys()
    moved = [key for key in before if before[key] != after[key]]
    assert moved, "the edit moved no finding: the test proves nothing"
    assert all(after[key] == before[key] + 1 for key in moved)


def test_junit_is_valid_against_the_junit_xsd(run: Any, example: Path) -> None:
    report, outcome = _report(run, example, "junit")
    xmlschema.XMLSchema(VENDOR / "JUnit.xsd").validate(outcome.out)
    root = ET.fromstring(outcome.out)
    failed = sorted(
        (case.get("name", "").split()[0], suite.get("name"))
        for suite in root
        for case in suite.findall("testcase")
        if case.find("failure") is not None
    )
    assert failed == sorted(
        {(f["rule"], f["file"]) for f in report["findings"] if f["waived_by"] is None}
    )
    skipped = [case for case in root.iter("testcase") if case.find("skipped") is not None]
    assert [case.find("skipped").text for case in skipped] == ["waived by W-2026-004"]  # type: ignore[union-attr]


def test_gitlab_code_quality(run: Any, example: Path) -> None:
    report, outcome = _report(run, example, "gitlab")
    issues = json.loads(outcome.out)
    assert sorted(
        (i["check_name"].split()[0], i["location"]["path"], i["location"]["lines"]["begin"])
        for i in issues
    ) == sorted(
        (f["rule"], f["file"], f["line"]) for f in report["findings"] if f["waived_by"] is None
    )
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_github_annotations_and_step_summary(
    run: Any, example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    report, outcome = _report(run, example, "github")
    commands = outcome.out.splitlines()
    unwaived = [f for f in report["findings"] if f["waived_by"] is None]
    assert len(commands) == len(unwaived)
    levels = {"error": "error", "warning": "warning", "info": "notice"}
    for command, finding in zip(commands, unwaived, strict=True):
        head = (
            f"::{levels[finding['severity']]} file={finding['file']},line={finding['line']},"
            f"col={finding['column']},title={finding['rule']} "
        )
        assert command.startswith(head), command
        assert "%0AFix: " in command or not finding["fix"]
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n## tabard\n")
    assert "| errors | warnings | info | waived |" in written


def test_markdown_groups_findings_by_account(run: Any, tmp_path: Path) -> None:
    from tests.builders import account, policy, project

    project(
        tmp_path,
        {
            "policies/local.yaml": policy(
                """\
                - id: LOC-001
                  title: Accounts have x-a
                  severity: error
                  fix: Add x-a | now.
                  assert: {field: x-a, present: true}
                  message: "{id}: no x-a"
                """
            ),
            "accounts/x/a1.yaml": account("a1"),
            "accounts/x/a2.yaml": account("a2", extra="x-a: 1\n"),
        },
    )
    outcome = run("check", "--as-of", AS_OF, "--format", "markdown", cwd=tmp_path)
    assert outcome.code == 1
    assert outcome.out == (
        "## tabard\n\n"
        "Checked 2 of 2 documents as of 2026-11-24.\n\n"
        "| errors | warnings | info | waived |\n"
        "|---:|---:|---:|---:|\n"
        "| 1 | 0 | 0 | 0 |\n\n"
        "### a1\n\n"
        "`accounts/x/a1.yaml`\n\n"
        "| where | rule | severity | what | how to fix |\n"
        "|---|---|---|---|---|\n"
        "| 1:1 | LOC-001 Accounts have x-a | error | a1: no x-a | Add x-a \\| now. |\n\n"
        "Run `tabard explain RULE` for what a rule checks and why.\n"
    )


def test_three_formats_in_one_run(run: Any, example: Path) -> None:
    outcome = run(
        "check",
        "--as-of",
        AS_OF,
        "--format",
        "text",
        "--format",
        "sarif:out.sarif",
        "--format",
        "junit:out.xml",
        cwd=example,
    )
    assert outcome.code == 1
    assert outcome.out.count("\n") == len(
        json.loads((example / "out.sarif").read_text("utf-8"))["runs"][0]["results"]
    )
    xmlschema.XMLSchema(VENDOR / "JUnit.xsd").validate(str(example / "out.xml"))
    assert outcome.err.startswith("tabard: ")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ("--format", "json", "--format", "sarif"),
            "at most one --format may go to standard output: json, sarif; "
            "write the others to files with NAME:FILE",
        ),
        (
            ("--format", "sarif:"),
            "--format sarif:: name the file after the colon, e.g. sarif:report",
        ),
        (
            ("--format", "json", "--format", "text", "--output", "x"),
            "--output goes with one --format; write NAME:FILE for several",
        ),
        (
            ("--format", "sarf:x.sarif"),
            "unknown format 'sarf'; did you mean 'sarif'? "
            "formats: github, gitlab, json, junit, markdown, sarif, text",
        ),
    ],
)
def test_output_usage_errors(
    run: Any, example: Path, arguments: tuple[str, ...], message: str
) -> None:
    outcome = run("check", "--as-of", AS_OF, *arguments, cwd=example)
    assert outcome.code == 2
    assert outcome.err == f"tabard: error: {message}\n"
    assert outcome.out == ""


def test_quiet_prints_the_summary_only(run: Any, example: Path, tmp_path: Path) -> None:
    outcome = run("check", "--as-of", AS_OF, "--quiet", cwd=example)
    assert outcome.code == 1
    assert outcome.out == ""
    assert outcome.err.startswith("tabard: ")
    assert outcome.err.count("\n") == 1


def test_quiet_prints_nothing_when_clean(run: Any, tmp_path: Path) -> None:
    from tests.builders import account, policy, project

    project(
        tmp_path,
        {
            "policies/local.yaml": policy(
                "- id: LOC-001\n  title: x-a\n  severity: error\n"
                "  assert: {field: x-a, present: true}\n"
            ),
            "accounts/x/a1.yaml": account("a1", extra="x-a: 1\n"),
        },
    )
    outcome = run("check", "--as-of", AS_OF, "-q", cwd=tmp_path)
    assert (outcome.code, outcome.out, outcome.err) == (0, "", "")


def test_hints_give_each_findings_title_and_fix_and_where_to_read_more(
    run: Any, tmp_path: Path
) -> None:
    from tests.builders import account, policy, project

    project(
        tmp_path,
        {
            "policies/local.yaml": policy(
                """\
                - id: LOC-001
                  title: Accounts have x-a.
                  severity: error
                  fix: >-
                    Add x-a to the manifest, with the value the force's register of accounts
                    gives for it; ask the head of communications if the register has none, and
                    record who told you in the account's notes so the next review can check.
                  assert: {field: x-a, present: true}
                  message: "{id}: no x-a"
                - id: LOC-002
                  title: Accounts have x-b
                  severity: warning
                  assert: {field: x-b, present: true}
                  message: "{id}: no x-b"
                """
            ),
            "accounts/x/a1.yaml": account("a1"),
        },
    )
    outcome = run("check", "--as-of", AS_OF, "--hints", cwd=tmp_path)
    assert outcome.code == 1
    assert outcome.out == (
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a\n"
        "    Accounts have x-a. Fix: Add x-a to the manifest, with the value the force's "
        "register of accounts gives for it; ask the head of communications if the register…\n"
        "accounts/x/a1.yaml:1:1: LOC-002 warning a1: no x-b\n"
        "    Accounts have x-b\n"
        "Run `tabard explain RULE` (e.g. `tabard explain LOC-001`) for what a rule checks, "
        "why, and how to fix it.\n"
    )
    # Off by default when the output is not a terminal (machines read it line by line).
    plain = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert plain.out == (
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a\n"
        "accounts/x/a1.yaml:1:1: LOC-002 warning a1: no x-b\n"
    )
    assert run("check", "--as-of", AS_OF, "--hints", "--format", "json", cwd=tmp_path).json()


def test_colour_only_on_a_terminal_and_never_with_no_color(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.builders import account, policy, project

    project(
        tmp_path,
        {
            "policies/local.yaml": policy(
                "- id: LOC-001\n  title: x-a\n  severity: error\n"
                "  assert: {field: x-a, present: true}\n"
            ),
            "accounts/x/a1.yaml": account("a1"),
        },
    )
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert "\x1b[31merror\x1b[0m" in coloured.out
    written = run("check", "--as-of", AS_OF, "--format", "text:out.txt", cwd=tmp_path)
    assert written.out == ""
    assert "\x1b" not in (tmp_path / "out.txt").read_text(encoding="utf-8")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in run("check", "--as-of", AS_OF, cwd=tmp_path).out


@pytest.mark.national_locked
def test_sarif_and_markdown_say_what_the_config_loosened_and_what_audit_uncovers(
    run: Any, example: Path
) -> None:
    config = example / "tabard.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "policies: [accountability, branding, strategy-link, security, engagement, "
            "lifecycle, language]",
            "policies: [accountability, branding, strategy-link, engagement, lifecycle, language]",
        )
        + "  BRD-002: {severity: info}\n",
        encoding="utf-8",
    )
    sarif = json.loads(
        run("check", "--as-of", AS_OF, "--audit", "--format", "sarif", cwd=example).out
    )
    properties = sarif["runs"][0]["properties"]
    assert properties["loosened"] == {
        "packsLeftOut": ["security"],
        "rulesDisabled": [],
        "severitiesLowered": [{"rule": "BRD-002", "from": "warning", "to": "info"}],
        "pluginsDisabled": [],
    }
    uncovered = [r for r in sarif["runs"][0]["results"] if r["properties"].get("wouldBeWaivedBy")]
    assert [(r["ruleId"], r["properties"]["wouldBeWaivedBy"]) for r in uncovered] == [
        ("BRD-002", "W-2026-004")
    ]
    markdown = run("check", "--as-of", AS_OF, "--audit", "--format", "markdown", cwd=example).out
    assert (
        "**This run loosens the rules: national packs left out (their locked rules still "
        "run): security; severities lowered: BRD-002 warning→info**\n"
    ) in markdown
    assert "info (would be waived by W-2026-004)" in markdown
