"""The command line (design §4.1, §4.2): exit codes, formats, targets and sub-commands."""

from __future__ import annotations

import gc
import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tabard._version import __version__
from tabard.documents.repository import Repository
from tests.builders import AS_OF, account, lines, policy, project, waiver

_RULES = """\
- id: LOC-001
  title: Accounts have x-a
  severity: error
  rationale: Every account needs an x-a.
  references: ["Local standard 1", "Local standard 2"]
  fix: Add x-a.
  when: {field: lifecycle.status, in: [active, dormant]}
  assert:
    all:
      - {field: x-a, present: true}
      - {field: "operators[*].mfa", equals: true}
  message: "{id}: {field} is missing or false"
- id: LOC-002
  title: Accounts have x-b
  severity: warning
  locked: true
  forces: [gloucestershire]
  enforce_from: 2027-01-01
  assert: {field: x-b, matches: '^b', ignore_case: true}
  message: "{id}: no x-b"
- id: LOC-003
  title: Accounts have x-c
  severity: info
  assert: {field: x-c, present: true}
"""


def _repo(root: Path, **files: str) -> Path:
    return project(
        root,
        {
            "policies/local.yaml": policy(_RULES),
            "accounts/x/a1.yaml": account("a1", extra="x-b: b\nx-c: 1\n"),
            "accounts/x/a2.yaml": account(
                "a2", extra="x-a: 1\nx-b: B\noperators: [{role: admin, mfa: true}]\n"
            ),
            "accounts/x/a3.yaml": account(
                "a3", extra="x-a: 1\nx-b: b\nx-c: 1\noperators:\n  - {role: admin, mfa: false}\n"
            ),
            **files,
        },
    )


# --- exit codes -----------------------------------------------------------------------------


def test_exit_0_when_nothing_reaches_fail_on(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("check", "--as-of", AS_OF, "accounts/x/a2.yaml", cwd=tmp_path)
    assert outcome.out == lines("accounts/x/a2.yaml:1:1: LOC-003 info Accounts have x-c")
    assert outcome.code == 0


def test_exit_1_with_findings(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 1, outcome
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: x-a is missing or false",
        "accounts/x/a2.yaml:1:1: LOC-003 info Accounts have x-c",
        "accounts/x/a3.yaml:14:24: LOC-001 error a3: operators[0].mfa is missing or false",
    ), outcome
    assert outcome.err == (
        "tabard: 2 errors, 0 warnings, 1 info, 0 waived in 3 documents (3 checked)\n"
    )


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param((), id="no-command"),
        pytest.param(("frobnicate",), id="unknown-command"),
        pytest.param(("check", "--no-such-option"), id="unknown-option"),
        pytest.param(("check", "--as-of", "2026-13-01"), id="bad-as-of"),
        pytest.param(("check", "--as-of", "24/11/2026"), id="uk-date-as-of"),
        pytest.param(("check", "--format", "xml"), id="unknown-format"),
        pytest.param(("check", "nothere.yaml"), id="missing-path"),
    ],
)
def test_exit_2_on_usage_errors(run: Any, tmp_path: Path, arguments: tuple[str, ...]) -> None:
    _repo(tmp_path)
    outcome = run(*arguments, cwd=tmp_path)
    assert outcome.code == 2, outcome
    assert outcome.out == ""
    assert outcome.err


def test_usage_error_messages(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    bad_date = run("check", "--as-of", "2026-13-01", cwd=tmp_path)
    assert bad_date.err.endswith(
        "tabard check: error: argument --as-of: '2026-13-01' is not a date (YYYY-MM-DD)\n"
    ), bad_date
    assert run("check", "--format", "xml", cwd=tmp_path).err == (
        "tabard: error: unknown format 'xml'; "
        "formats: github, gitlab, json, junit, markdown, sarif, text\n"
    )
    assert run("check", "--format", "jsn", cwd=tmp_path).err == (
        "tabard: error: unknown format 'jsn'; did you mean 'json'? "
        "formats: github, gitlab, json, junit, markdown, sarif, text\n"
    )
    assert run("check", "nothere.yaml", cwd=tmp_path).err == (
        "tabard: error: nothere.yaml: no such file or directory\n"
    )


@pytest.mark.parametrize("day", ["0000-01-01", "20261124", "2026-W48-2", "2026-02-29"])
def test_as_of_takes_the_dates_the_schemas_take(run: Any, tmp_path: Path, day: str) -> None:
    _repo(tmp_path)
    for command in ("check", "test"):
        outcome = run(command, "--as-of", day, cwd=tmp_path)
        assert outcome.code == 2, outcome
        assert outcome.err.endswith(
            f"tabard {command}: error: argument --as-of: '{day}' is not a date (YYYY-MM-DD)\n"
        ), outcome


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("kaboom")


_BUG = f"this is a bug in tabard {__version__}; please report it with this output"


def test_exit_3_on_an_internal_error(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(tmp_path)
    monkeypatch.setattr(Repository, "_parse", _boom)
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 3, outcome
    assert outcome.out == ""
    err = outcome.err.splitlines()
    assert err[0] == "tabard: internal error: RuntimeError: kaboom"
    assert err[-1] == _BUG + " (run again with --traceback for the full traceback)"
    frames = [line for line in err if line.startswith('  File "')]
    assert len(frames) == 3, outcome
    assert frames[-1].endswith("in _boom")
    assert not any(frame.endswith("in _run") for frame in frames), outcome


def test_traceback_option_shows_the_full_traceback(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(tmp_path)
    monkeypatch.setattr(Repository, "_parse", _boom)
    outcome = run("--traceback", "check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 3, outcome
    err = outcome.err.splitlines()
    assert err[0] == "tabard: internal error: RuntimeError: kaboom"
    assert err[-1] == _BUG
    frames = [line for line in err if line.startswith('  File "')]
    assert len(frames) > 3, outcome
    assert frames[0].endswith("in _run")
    assert "cli.py" in frames[0]
    assert frames[-1].endswith("in _boom")


def test_policy_errors_win_over_findings(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path, **{"policies/broken.yaml": "apiVersion: tabard/v1\nkind: Policy\n"})
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 2
    assert outcome.out == ""


# --- --version ----------------------------------------------------------------------------


def test_version(run: Any, tmp_path: Path) -> None:
    outcome = run("--version", cwd=tmp_path)
    assert (outcome.code, outcome.out, outcome.err) == (0, f"tabard {__version__}\n", "")


def _environment() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "TABARD_DISABLE_PLUGIN_AUTOLOAD": "1"}


@pytest.mark.parametrize("launcher", ["python -m tabard", "console script"])
def test_version_from_the_command_line(tmp_path: Path, launcher: str) -> None:
    if launcher == "console script":
        script = Path(sys.executable).parent / "tabard"
        assert script.exists(), "the `tabard` console script is not installed beside python"
        command = [str(script)]
    else:
        command = [sys.executable, "-m", "tabard"]
    result = subprocess.run(
        [*command, "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_environment(),
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"tabard {__version__}\n",
        "",
    )


def test_python_m_runs_a_check(tmp_path: Path) -> None:
    _repo(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "tabard", "check", "--as-of", AS_OF, "accounts/x/a2.yaml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_environment(),
        check=False,
    )
    # A real process: the locked rules of the national packs this config leaves out run too.
    assert result.returncode == 1, result
    assert result.stdout == lines(
        "accounts/x/a2.yaml:1:1: ACC-001 error a2: owner.name is missing or not a person's "
        "details; the owner needs a full name, a staff or collar number, a role and an email "
        "address",
        "accounts/x/a2.yaml:1:1: LOC-003 info Accounts have x-c",
        "accounts/x/a2.yaml:1:1: SEC-002 error a2: security.mfa.enabled: multi-factor "
        "authentication must be on for the account (security.mfa.enabled) and for every "
        "operator who logs in natively",
        "accounts/x/a2.yaml:1:1: SEC-004 error a2: security.shared_login breaks individual "
        "access: security.shared_login must be false and every operator needs their own access "
        "route (access_via: smmp or native)",
        "accounts/x/a2.yaml:4:8: TAB-007 error force 'gloucestershire' has no Strategy "
        "document, so 2 rules cannot be checked (ACC-005, STR-001): write one (kind: Strategy, "
        "force: gloucestershire), e.g. force/strategy.yaml",
    )
    assert result.stderr == lines(
        "tabard: 4 errors, 0 warnings, 1 info, 0 waived in 3 documents (1 checked)",
        "tabard: this run loosens the rules: national packs left out (their locked rules "
        "still run): accountability, branding, engagement, language, lifecycle, security, "
        "strategy-link",
    )


def test_today_without_a_system_time_zone_database(tmp_path: Path) -> None:
    """Europe/London comes from the tzdata package when the machine has no zoneinfo."""
    assert any(
        requirement.startswith("tzdata")
        for requirement in importlib.metadata.requires("tabard") or ()
    )
    _repo(tmp_path)
    empty = tmp_path / "no-zoneinfo"
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "tabard", "validate", "accounts/x/a2.yaml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**_environment(), "PYTHONTZPATH": str(empty)},
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, ""), result
    assert result.stderr.startswith(
        "tabard: 0 errors, 0 warnings, 0 info, 0 waived in 3 documents (1 checked)\n"
    ), result


def test_garbage_collector_thresholds_are_restored(run: Any, tmp_path: Path) -> None:
    """`tabard.testing` runs the CLI in its caller's process: it must leave gc as it was."""
    before = gc.get_threshold()
    _repo(tmp_path)
    assert run("check", "--as-of", AS_OF, cwd=tmp_path).code == 1
    assert gc.get_threshold() == before
    assert run("check", "--format", "nonsense", cwd=tmp_path).code == 2
    assert gc.get_threshold() == before


# --- JSON output --------------------------------------------------------------------------


def test_json_report(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        **{
            "accounts/facebook/b1.yaml": account("b1", platform="facebook", extra="x-c: 1\n"),
            "accounts/x/bad.yaml": account(
                "bad", extra="x-a: 1\nx-b: b\nownr:\n  name: A\nx-c: 1\noperators: [{mfa: true}]\n"
            ),
            "waivers/w1.yaml": waiver("W-2026-001", ["LOC-001"], ["a1"]),
        },
    )
    outcome = run("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    assert outcome.code == 1, outcome
    assert outcome.err == "", outcome
    report = outcome.json()
    assert list(report) == [
        "tabard",
        "as_of",
        "packs",
        "plugins",
        "summary",
        "loosened",
        "findings",
    ]
    assert list(report["summary"]) == ["documents", "targets", "error", "warning", "info", "waived"]

    titles = {
        "LOC-001": ("Accounts have x-a", "Add x-a."),
        "LOC-002": ("Accounts have x-b", ""),
        "LOC-003": ("Accounts have x-c", ""),
        "TAB-003": (
            "Document does not match its schema",
            "Correct the field named in the message; `tabard schema KIND` shows every "
            "field a document kind may have.",
        ),
    }

    def finding(**values: Any) -> dict[str, Any]:
        rule = values.get("rule", "LOC-001")
        base = {
            "rule": "LOC-001",
            "title": titles[rule][0],
            "severity": "error",
            "policy": "local",
            "file": "",
            "line": 1,
            "column": 1,
            "path": "",
            "document": None,
            "force": "gloucestershire",
            "message": "",
            "fix": titles[rule][1],
            "waived_by": None,
            "would_be_waived_by": None,
        }
        assert set(values) <= set(base)
        return {**base, **values}

    assert report == {
        "tabard": __version__,
        "as_of": AS_OF,
        "packs": [{"name": "local", "version": "local", "origin": "local"}],
        "plugins": [],
        "summary": {
            "documents": 6,
            "targets": 6,
            "error": 3,
            "warning": 1,
            "info": 1,
            "waived": 1,
        },
        "loosened": {
            "packs_left_out": [],
            "rules_disabled": [],
            "severities_lowered": [],
            "plugins_disabled": [],
        },
        "findings": [
            finding(
                file="accounts/facebook/b1.yaml",
                path="x-a",
                document="b1",
                message="b1: x-a is missing or false",
            ),
            finding(
                rule="LOC-002",
                severity="warning",
                file="accounts/facebook/b1.yaml",
                path="x-b",
                document="b1",
                message="b1: no x-b",
            ),
            finding(
                file="accounts/x/a1.yaml",
                path="x-a",
                document="a1",
                message="a1: x-a is missing or false",
                waived_by="W-2026-001",
            ),
            finding(
                rule="LOC-003",
                severity="info",
                file="accounts/x/a2.yaml",
                path="x-c",
                document="a2",
                message="Accounts have x-c",
            ),
            finding(
                file="accounts/x/a3.yaml",
                line=14,
                column=24,
                path="operators[0].mfa",
                document="a3",
                message="a3: operators[0].mfa is missing or false",
            ),
            finding(
                rule="TAB-003",
                policy="tabard",
                file="accounts/x/bad.yaml",
                line=12,
                column=1,
                path="ownr",
                document="bad",
                message="unknown key 'ownr' in the document (did you mean 'owner'?)",
            ),
        ],
    }
    for item in report["findings"]:
        assert type(item["line"]) is int
        assert type(item["column"]) is int


def test_json_report_of_a_targeted_run(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("check", "--as-of", AS_OF, "--format", "json", "accounts/x/a2.yaml", cwd=tmp_path)
    assert outcome.code == 0, outcome
    report = json.loads(outcome.out)
    assert report["summary"] == {
        "documents": 3,
        "targets": 1,
        "error": 0,
        "warning": 0,
        "info": 1,
        "waived": 0,
    }
    assert [(f["rule"], f["file"]) for f in report["findings"]] == [
        ("LOC-003", "accounts/x/a2.yaml")
    ]


def test_output_file(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("check", "--as-of", AS_OF, "--output", "report.txt", cwd=tmp_path)
    assert outcome.code == 1
    assert outcome.out == ""
    assert outcome.err == (
        "tabard: 2 errors, 0 warnings, 1 info, 0 waived in 3 documents (3 checked)\n"
    )
    assert (tmp_path / "report.txt").read_text(encoding="utf-8") == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: x-a is missing or false",
        "accounts/x/a2.yaml:1:1: LOC-003 info Accounts have x-c",
        "accounts/x/a3.yaml:14:24: LOC-001 error a3: operators[0].mfa is missing or false",
    )


def test_output_file_json(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run(
        "check", "--as-of", AS_OF, "--format", "json", "--output", "out/report.json", cwd=tmp_path
    )
    assert outcome.code == 2
    assert outcome.out == ""
    assert outcome.err.startswith("tabard: error: cannot write out/report.json: ")
    (tmp_path / "out").mkdir()
    outcome = run(
        "check", "--as-of", AS_OF, "--format", "json", "--output", "out/report.json", cwd=tmp_path
    )
    assert (outcome.code, outcome.out, outcome.err) == (1, "", "")
    report = json.loads((tmp_path / "out/report.json").read_text(encoding="utf-8"))
    assert report["summary"]["error"] == 2


# --- the summary line and colour ----------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "summary"),
    [
        pytest.param(
            "x-a: 1\nx-b: b\nx-c: 1\noperators: [{mfa: true}]\n",
            "tabard: 0 errors, 0 warnings, 0 info, 0 waived in 1 document (1 checked)",
            id="clean",
        ),
        pytest.param(
            "x-c: 1\n",
            "tabard: 1 error, 1 warning, 0 info, 0 waived in 1 document (1 checked)",
            id="singular",
        ),
    ],
)
def test_summary_line(run: Any, tmp_path: Path, extra: str, summary: str) -> None:
    project(
        tmp_path,
        {"policies/local.yaml": policy(_RULES), "accounts/x/a1.yaml": account("a1", extra=extra)},
    )
    assert run("check", "--as-of", AS_OF, cwd=tmp_path).err == summary + "\n"


def _fake_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)


def test_colour_on_a_terminal(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _repo(tmp_path)
    monkeypatch.delenv("NO_COLOR")
    _fake_terminal(monkeypatch)
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    # On a terminal each finding also gets its rule's title and fix (dimmed), and a last
    # line says where to read more.
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 \x1b[31merror\x1b[0m a1: x-a is missing or false",
        "\x1b[2m    Accounts have x-a. Fix: Add x-a.\x1b[0m",
        "accounts/x/a2.yaml:1:1: LOC-003 \x1b[36minfo\x1b[0m Accounts have x-c",
        "\x1b[2m    Accounts have x-c\x1b[0m",
        "accounts/x/a3.yaml:14:24: LOC-001 \x1b[31merror\x1b[0m a3: operators[0].mfa is missing "
        "or false",
        "\x1b[2m    Accounts have x-a. Fix: Add x-a.\x1b[0m",
        "Run `tabard explain RULE` (e.g. `tabard explain LOC-001`) for what a rule checks, why, "
        "and how to fix it.",
    ), outcome


def test_no_colour_with_no_color(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _repo(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    _fake_terminal(monkeypatch)
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert "\x1b" not in outcome.out + outcome.err
    assert outcome.out.startswith("accounts/x/a1.yaml:1:1: LOC-001 error a1: "), outcome


def test_no_colour_when_not_a_terminal(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(tmp_path)
    monkeypatch.delenv("NO_COLOR")
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert "\x1b" not in outcome.out + outcome.err


def test_no_colour_in_an_output_file(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(tmp_path)
    monkeypatch.delenv("NO_COLOR")
    _fake_terminal(monkeypatch)
    run("check", "--as-of", AS_OF, "--output", "report.txt", cwd=tmp_path)
    assert "\x1b" not in (tmp_path / "report.txt").read_text(encoding="utf-8")


# --- targets --------------------------------------------------------------------------------


def test_target_file(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("check", "--as-of", AS_OF, "accounts/x/a3.yaml", cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a3.yaml:14:24: LOC-001 error a3: operators[0].mfa is missing or false"
    ), outcome
    assert outcome.err.endswith("in 3 documents (1 checked)\n")


def test_several_target_files(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run(
        "check", "--as-of", AS_OF, "accounts/x/a3.yaml", "accounts/x/a2.yaml", cwd=tmp_path
    )
    assert outcome.out == lines(
        "accounts/x/a2.yaml:1:1: LOC-003 info Accounts have x-c",
        "accounts/x/a3.yaml:14:24: LOC-001 error a3: operators[0].mfa is missing or false",
    ), outcome
    assert outcome.err.endswith("in 3 documents (2 checked)\n")


def test_target_directory(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path, **{"accounts/facebook/b1.yaml": account("b1", platform="facebook")})
    outcome = run("check", "--as-of", AS_OF, "accounts/facebook", cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/facebook/b1.yaml:1:1: LOC-001 error b1: x-a is missing or false",
        "accounts/facebook/b1.yaml:1:1: LOC-002 warning b1: no x-b",
        "accounts/facebook/b1.yaml:1:1: LOC-003 info Accounts have x-c",
    ), outcome
    assert outcome.err.endswith("in 4 documents (1 checked)\n")


def test_target_the_root_is_everything(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    everything = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert run("check", "--as-of", AS_OF, ".", cwd=tmp_path).out == everything.out


def test_target_path_relative_to_a_subdirectory(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("check", "--as-of", AS_OF, "a3.yaml", cwd=tmp_path / "accounts" / "x")
    assert outcome.out == lines(
        "accounts/x/a3.yaml:14:24: LOC-001 error a3: operators[0].mfa is missing or false"
    ), outcome


def test_target_outside_the_repository(run: Any, tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text(account("x"), encoding="utf-8")
    outcome = run("check", "--as-of", AS_OF, "accounts/x/a1.yaml", "../outside/x.yaml", cwd=repo)
    assert outcome.code == 1, outcome
    assert outcome.out == lines("accounts/x/a1.yaml:1:1: LOC-001 error a1: x-a is missing or false")
    assert outcome.err == lines(
        f"tabard: not checked, outside the repository {repo.resolve()}: ../outside/x.yaml",
        "tabard: 1 error, 0 warnings, 0 info, 0 waived in 3 documents (1 checked)",
    )


def test_only_targets_outside_the_repository(run: Any, tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text(account("x"), encoding="utf-8")
    outcome = run("check", "../outside/x.yaml", "--config", "tabard.yaml", cwd=repo)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err == (
        f"tabard: error: ../outside/x.yaml is outside the repository {repo.resolve()} (the "
        "folder of its tabard.yaml)\n"
    )


def test_target_that_does_not_exist(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("check", "accounts/x/a1.yaml", "accounts/x/gone.yaml", cwd=tmp_path)
    assert (outcome.code, outcome.out) == (2, "")
    assert outcome.err == "tabard: error: accounts/x/gone.yaml: no such file or directory\n"


def test_non_yaml_and_non_tabard_targets_are_ignored(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        **{
            "README.md": "# accounts\n",
            "ci/pipeline.yaml": "steps: [build]\n",
            ".pre-commit-config.yaml": "repos: []\n",
        },
    )
    outcome = run(
        "check",
        "--as-of",
        AS_OF,
        "README.md",
        "ci/pipeline.yaml",
        ".pre-commit-config.yaml",
        "tabard.yaml",
        "policies/local.yaml",
        cwd=tmp_path,
    )
    assert outcome.code == 0, outcome
    assert outcome.out == ""
    assert outcome.err == (
        "tabard: 0 errors, 0 warnings, 0 info, 0 waived in 3 documents (0 checked)\n"
    )


# --- schema ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["Account", "Force", "Strategy", "BrandGuide", "Waiver", "Policy", "Config"]
)
def test_schema_command(run: Any, tmp_path: Path, kind: str) -> None:
    outcome = run("schema", kind, cwd=tmp_path)
    assert outcome.code == 0, outcome
    assert outcome.err == ""
    schema = json.loads(outcome.out)
    assert "$id" not in schema  # saved anywhere, it needs no host to resolve
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "common.schema.json" not in outcome.out  # self-contained


def test_schema_kind_ignores_case(run: Any, tmp_path: Path) -> None:
    assert (
        run("schema", "brandguide", cwd=tmp_path).out
        == run("schema", "BrandGuide", cwd=tmp_path).out
    )


def test_schema_of_an_unknown_kind(run: Any, tmp_path: Path) -> None:
    outcome = run("schema", "Acount", cwd=tmp_path)
    assert (outcome.code, outcome.out) == (2, "")
    assert outcome.err == (
        "tabard: error: unknown document kind 'Acount'; did you mean 'Account'? kinds: Account, "
        "Force, Strategy, BrandGuide, Waiver, Policy, PolicyTest, Config\n"
    )


# --- explain --------------------------------------------------------------------------------


def test_explain_a_local_rule(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("explain", "LOC-001", cwd=tmp_path)
    assert outcome.code == 0, outcome
    assert outcome.out == lines(
        "LOC-001: Accounts have x-a",
        "",
        "policy:      local (policies/local.yaml:5:3)",
        "severity:    error",
        "applies to:  Account documents",
        "",
        "why:",
        "  Every account needs an x-a.",
        "",
        "sources:",
        "  - Local standard 1",
        "  - Local standard 2",
        "",
        "checks:",
        "  only when:",
        "    lifecycle.status is one of ['active', 'dormant']",
        "  it requires:",
        "    all of:",
        "      - x-a is present",
        "      - every operators[*].mfa equals true",
        "",
        "fix:",
        "  Add x-a.",
    ), outcome


def test_explain_a_locked_rule_in_lower_case(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("explain", "loc-002", cwd=tmp_path)
    assert outcome.out == lines(
        "LOC-002: Accounts have x-b",
        "",
        "policy:      local (policies/local.yaml:17:3)",
        "severity:    warning, locked (config cannot disable or lower it)",
        "applies to:  Account documents of gloucestershire",
        "enforced:    from 2027-01-01 (a warning until then)",
        "",
        "checks:",
        "  x-b matches the pattern '^b' (ignoring case)",
    ), outcome


def test_explain_an_engine_rule(run: Any, tmp_path: Path) -> None:
    outcome = run("explain", "TAB-003", cwd=tmp_path)
    assert outcome.code == 0
    assert outcome.out == lines(
        "TAB-003: Document does not match its schema",
        "",
        "policy:      tabard (built into the engine)",
        "severity:    error",
        "",
        "fix:",
        "  Correct the field named in the message; `tabard schema KIND` shows every field a "
        "document kind may have.",
    )


def test_explain_an_unknown_rule(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("explain", "LOC-009", cwd=tmp_path)
    assert (outcome.code, outcome.out) == (2, "")
    assert outcome.err == "tabard: error: unknown rule 'LOC-009'; did you mean 'LOC-003'?\n"


# --- rules ----------------------------------------------------------------------------------


def test_rules_table(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("rules", cwd=tmp_path)
    assert outcome.code == 0
    assert outcome.out == lines(
        "ID       SEVERITY          POLICY  TITLE              SOURCE",
        "LOC-001  error             local   Accounts have x-a  Local standard 1; Local standard 2",
        "LOC-002  warning (locked)  local   Accounts have x-b",
        "LOC-003  info              local   Accounts have x-c",
    ), outcome
    assert run("rules", "--format", "table", cwd=tmp_path).out == outcome.out


def test_rules_markdown(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("rules", "--format", "markdown", cwd=tmp_path)
    assert outcome.code == 0
    text = outcome.out
    assert text.startswith(
        "# Rules\n\n<!-- Generated by `tabard rules --format markdown`; do not edit by hand. -->\n"
    )
    assert "### LOC-001: Accounts have x-a\n\n- Severity: `error`\n" in text
    assert "### LOC-002: Accounts have x-b\n\n- Severity: `warning` (locked)\n" in text
    assert "- Enforced from: 2027-01-01 (a warning until then)\n" in text
    assert "**Why.** Every account needs an x-a.\n" in text
    assert "```text\nx-b matches the pattern '^b' (ignoring case)\n```\n" in text
    assert text.endswith("```\n")


def test_rules_json(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("rules", "--format", "json", cwd=tmp_path)
    assert outcome.code == 0
    rules = outcome.json()
    assert [rule["id"] for rule in rules] == ["LOC-001", "LOC-002", "LOC-003"]
    assert rules[1] == {
        "id": "LOC-002",
        "title": "Accounts have x-b",
        "severity": "warning",
        "policy": "local",
        "kind": "Account",
        "forces": ["gloucestershire"],
        "locked": True,
        "enforce_from": "2027-01-01",
        "rationale": "",
        "references": [],
        "fix": "",
        "file": "policies/local.yaml",
        "line": 17,
    }


def test_rules_reflect_config_overrides(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        **{
            "tabard.yaml": "apiVersion: tabard/v1\nkind: Config\npolicies: [./policies]\n"
            "rules:\n  LOC-003: {enabled: false}\n  LOC-001: {severity: warning}\n"
        },
    )
    rules = run("rules", "--format", "json", cwd=tmp_path).json()
    assert [(rule["id"], rule["severity"]) for rule in rules] == [
        ("LOC-001", "warning"),
        ("LOC-002", "warning"),
    ]


# --- validate ---------------------------------------------------------------------------------


def test_validate_reports_only_schema_findings(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        **{
            "accounts/x/bad.yaml": account("bad", extra="ownr:\n  name: A\n"),
            "accounts/x/wrong-name.yaml": account("right-name"),
            "accounts/x/broken.yaml": account("broken") + "bio: [\n",
        },
    )
    outcome = run("validate", cwd=tmp_path)
    assert outcome.code == 1, outcome
    assert outcome.out == lines(
        "accounts/x/bad.yaml:10:1: TAB-003 error unknown key 'ownr' in the document (did you "
        "mean 'owner'?)",
        "accounts/x/broken.yaml:11:1: TAB-001 error did not find expected node content",
        "accounts/x/wrong-name.yaml:3:5: TAB-005 error account id 'right-name' differs from the "
        "file name 'wrong-name'; rename the file to right-name.yaml or change the id",
    ), outcome
    assert outcome.err == (
        "tabard: 3 errors, 0 warnings, 0 info, 0 waived in 5 documents (5 checked)\n"
    )


def test_validate_clean_repository(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("validate", "--format", "json", cwd=tmp_path)
    assert outcome.code == 0, outcome
    assert outcome.json()["findings"] == []


def test_a_check_run_outside_the_main_thread_leaves_ctrl_c_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the main thread may set a signal handler: elsewhere the interrupt watch stands
    # aside (signal refuses it) and the check runs as in the main thread.
    import signal
    import threading

    from tabard.cli import main

    _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    target = ["check", "--as-of", AS_OF, "accounts/x/a2.yaml"]  # exit 0, as in the main thread
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(main(target)))
    thread.start()
    thread.join()
    assert codes == [0]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
