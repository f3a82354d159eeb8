"""``tabard.yaml`` (design §2.4, §4 step 1): discovery, packs, overrides, fail_on, files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tabard.run.session import builtin_pack_names
from tests.builders import AS_OF, CONFIG, account, force_documents, lines, policy, project
from tests.conftest import write

_RULES = """\
- id: LOC-001
  title: Accounts have x-a
  severity: error
  assert: {field: x-a, present: true}
  message: "{id}: no x-a"
- id: LOC-002
  title: Accounts have x-b
  severity: warning
  assert: {field: x-b, present: true}
  message: "{id}: no x-b"
- id: LOC-003
  title: Accounts have x-c
  severity: info
  assert: {field: x-c, present: true}
  message: "{id}: no x-c"
- id: LOC-004
  title: Accounts have x-d
  severity: warning
  locked: true
  assert: {field: x-d, present: true}
  message: "{id}: no x-d"
"""

_ALL = lines(
    "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a",
    "accounts/x/a1.yaml:1:1: LOC-002 warning a1: no x-b",
    "accounts/x/a1.yaml:1:1: LOC-003 info a1: no x-c",
    "accounts/x/a1.yaml:1:1: LOC-004 warning a1: no x-d",
)


def _repo(root: Path, config: str = CONFIG, **files: str) -> Path:
    return project(
        root,
        {"policies/local.yaml": policy(_RULES), "accounts/x/a1.yaml": account("a1"), **files},
        config=config,
    )


def _config(extra: str) -> str:
    return CONFIG + extra


# --- discovery ----------------------------------------------------------------------------


def test_config_found_upward_from_the_working_directory(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path / "accounts" / "x")
    assert outcome.out == _ALL, outcome
    assert outcome.code == 1


def test_config_found_from_the_first_path(run: Any, tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outcome = run("check", "--as-of", AS_OF, str(repo / "accounts/x/a1.yaml"), cwd=elsewhere)
    assert outcome.out == _ALL, outcome
    assert outcome.code == 1


def test_config_found_from_a_directory_path(run: Any, tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outcome = run("check", "--as-of", AS_OF, str(repo / "accounts"), cwd=elsewhere)
    assert outcome.out == _ALL, outcome


def test_nearest_config_wins(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path, config=_config("rules:\n  LOC-001: {enabled: false}\n"))
    inner = project(
        tmp_path / "inner",
        {"policies/local.yaml": policy(_RULES), "accounts/x/b1.yaml": account("b1")},
        config=_config("rules:\n  LOC-002: {enabled: false}\n"),
    )
    outcome = run("check", "--as-of", AS_OF, cwd=inner / "accounts")
    assert outcome.out == lines(
        "accounts/x/b1.yaml:1:1: LOC-001 error b1: no x-a",
        "accounts/x/b1.yaml:1:1: LOC-003 info b1: no x-c",
        "accounts/x/b1.yaml:1:1: LOC-004 warning b1: no x-d",
    ), outcome


def test_explicit_config(run: Any, tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    (repo / "strict.yaml").write_text(
        _config("rules:\n  LOC-002: {severity: error}\n"), encoding="utf-8"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outcome = run("check", "--as-of", AS_OF, "--config", str(repo / "strict.yaml"), cwd=elsewhere)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a",
        "accounts/x/a1.yaml:1:1: LOC-002 error a1: no x-b",
        "accounts/x/a1.yaml:1:1: LOC-003 info a1: no x-c",
        "accounts/x/a1.yaml:1:1: LOC-004 warning a1: no x-d",
    ), outcome


def test_explicit_config_that_does_not_exist(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("check", "--config", "nope.yaml", cwd=tmp_path)
    assert outcome.code == 2, outcome
    assert outcome.out == ""
    assert outcome.err == "tabard: error: config file nope.yaml does not exist\n"


# --- packs ----------------------------------------------------------------------------------


def test_unknown_pack(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path, config="apiVersion: tabard/v1\nkind: Config\npolicies: [accountabilty]\n")
    outcome = run("check", cwd=tmp_path)
    assert outcome.code == 2, outcome
    assert outcome.out == ""
    assert outcome.err == lines(
        "tabard: error: tabard.yaml:3:12: unknown policy pack 'accountabilty'",
        "  hint: did you mean 'accountability'? built-in packs: "
        + ", ".join(builtin_pack_names())
        + "; local packs are paths like ./policies",
    )


def test_local_pack_file_and_directory(run: Any, tmp_path: Path) -> None:
    one = "- id: ONE-001\n  title: One\n  severity: info\n  assert: {field: x-a, present: true}\n"
    two = "- id: TWO-001\n  title: Two\n  severity: info\n  assert: {field: x-b, present: true}\n"
    three = one.replace("ONE-001", "THR-001").replace("One", "Three")
    project(
        tmp_path,
        {
            "checks/one.yaml": policy(one, name="one"),
            "more/deeper/two.yaml": policy(two, name="two"),
            "more/three.yml": policy(three, name="three"),
            "unused/four.yaml": policy(one.replace("ONE-001", "FOU-001"), name="four"),
            "accounts/x/a1.yaml": account("a1"),
        },
        config="apiVersion: tabard/v1\nkind: Config\npolicies: [checks/one.yaml, ./more]\n",
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: ONE-001 info One",
        "accounts/x/a1.yaml:1:1: THR-001 info Three",
        "accounts/x/a1.yaml:1:1: TWO-001 info Two",
        "unused/four.yaml:3:7: TAB-008 warning policy 'four' is not used: the policies: list "
        "in tabard.yaml does not name this file or its folder, so its rules never run",
    ), outcome
    assert outcome.code == 0


def test_missing_local_pack_path(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path, config="apiVersion: tabard/v1\nkind: Config\npolicies: [./policies, ./nope]\n")
    outcome = run("check", cwd=tmp_path)
    assert outcome.code == 2, outcome
    assert outcome.out == ""
    assert outcome.err == lines(
        "tabard: error: tabard.yaml:3:24: policy path './nope' does not exist",
        f"  hint: paths are relative to {tmp_path.resolve()}",
    )


def test_policy_test_documents_beside_policies_are_not_policies(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        **{"policies/local.test.yaml": _POLICY_TEST},
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == _ALL, outcome


_POLICY_TEST = """\
apiVersion: tabard/v1
kind: PolicyTest
name: t
cases:
  - name: an account without x-a
    documents:
      - {apiVersion: tabard/v1, kind: Account, id: t1, force: gloucestershire, platform: x,
         handle: "@T", display_name: T, account_type: corporate, lifecycle: {status: active}}
    expect: [{rule: LOC-001}]
"""


# --- rule overrides -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        pytest.param(
            "  LOC-002: {severity: error}\n  LOC-001: {severity: info}\n",
            lines(
                "accounts/x/a1.yaml:1:1: LOC-001 info a1: no x-a",
                "accounts/x/a1.yaml:1:1: LOC-002 error a1: no x-b",
                "accounts/x/a1.yaml:1:1: LOC-003 info a1: no x-c",
                "accounts/x/a1.yaml:1:1: LOC-004 warning a1: no x-d",
            ),
            id="severity",
        ),
        pytest.param(
            "  LOC-001: {enabled: false}\n  LOC-003: {enabled: false}\n",
            lines(
                "accounts/x/a1.yaml:1:1: LOC-002 warning a1: no x-b",
                "accounts/x/a1.yaml:1:1: LOC-004 warning a1: no x-d",
            ),
            id="disabled",
        ),
        pytest.param(
            "  LOC-002: {enabled: true}\n",
            _ALL,
            id="enabled-true-changes-nothing",
        ),
        pytest.param(
            "  LOC-004: {severity: error}\n",
            lines(
                "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a",
                "accounts/x/a1.yaml:1:1: LOC-002 warning a1: no x-b",
                "accounts/x/a1.yaml:1:1: LOC-003 info a1: no x-c",
                "accounts/x/a1.yaml:1:1: LOC-004 error a1: no x-d",
            ),
            id="locked-rule-raised",
        ),
        pytest.param(
            "  LOC-004: {severity: warning, enabled: true}\n",
            _ALL,
            id="locked-rule-kept",
        ),
    ],
)
def test_rule_overrides(run: Any, tmp_path: Path, rules: str, expected: str) -> None:
    _repo(tmp_path, config=_config("rules:\n" + rules))
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == expected, outcome


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        pytest.param(
            "  LOC-004: {enabled: false}\n",
            lines(
                "tabard: error: tabard.yaml:5:22: LOC-004 is locked by policy 'local' and "
                "cannot be disabled",
                "  hint: only a waiver (kind: Waiver) can excuse a finding of a locked rule",
            ),
            id="locked-disabled",
        ),
        pytest.param(
            "  LOC-004: {severity: info}\n",
            lines(
                "tabard: error: tabard.yaml:5:23: LOC-004 is locked by policy 'local' and "
                "cannot be lowered from warning to info",
                "  hint: a locked rule's severity may only be raised",
            ),
            id="locked-lowered",
        ),
        pytest.param(
            "  LOC-009: {enabled: false}\n",
            lines(
                "tabard: error: tabard.yaml:5:3: unknown rule 'LOC-009' in rules:",
                "  hint: did you mean 'LOC-004'?",
            ),
            id="unknown-rule",
        ),
        pytest.param(
            "  XYZ-999: {severity: error}\n",
            lines(
                "tabard: error: tabard.yaml:5:3: unknown rule 'XYZ-999' in rules:",
                "  hint: `tabard rules` lists every rule",
            ),
            id="unknown-rule-without-suggestion",
        ),
        pytest.param(
            "  LOC-001: {severity: fatal}\n",
            lines(
                'tabard: error: tabard.yaml:5:23: rules.LOC-001.severity: "fatal" is not one of '
                '"error", "warning" or "info"'
            ),
            id="unknown-severity",
        ),
        pytest.param(
            "  LOC-001: {disabled: true}\n",
            lines(
                "tabard: error: tabard.yaml:5:13: unknown key 'disabled' in rules.LOC-001",
                "  hint: did you mean 'enabled'?",
            ),
            id="unknown-override-key",
        ),
    ],
)
def test_bad_rule_overrides(run: Any, tmp_path: Path, rules: str, expected: str) -> None:
    _repo(tmp_path, config=_config("rules:\n" + rules))
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 2, outcome
    assert outcome.out == ""
    assert outcome.err == expected


# --- fail_on ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "fail_on", "code"),
    [
        pytest.param({"x-a": 1, "x-b": 1, "x-c": 1, "x-d": 1}, "error", 0, id="clean"),
        pytest.param({"x-b": 1, "x-c": 1, "x-d": 1}, "error", 1, id="error-fails-on-error"),
        pytest.param({"x-a": 1, "x-c": 1, "x-d": 1}, "error", 0, id="warning-passes-on-error"),
        pytest.param({"x-a": 1, "x-c": 1, "x-d": 1}, "warning", 1, id="warning-fails-on-warning"),
        pytest.param({"x-a": 1, "x-b": 1, "x-d": 1}, "warning", 0, id="info-passes-on-warning"),
        pytest.param({"x-a": 1, "x-b": 1, "x-d": 1}, "info", 1, id="info-fails-on-info"),
        pytest.param({}, "never", 0, id="never"),
    ],
)
def test_fail_on(run: Any, tmp_path: Path, files: dict[str, int], fail_on: str, code: int) -> None:
    extra = "".join(f"{key}: {value}\n" for key, value in files.items())
    _repo(
        tmp_path,
        config=_config(f"fail_on: {fail_on}\n"),
        **{"accounts/x/a1.yaml": account("a1", extra=extra)},
    )
    assert run("check", "--as-of", AS_OF, cwd=tmp_path).code == code


@pytest.mark.parametrize(
    ("config_level", "option", "code"),
    [
        pytest.param("never", "warning", 1, id="option-stricter"),
        pytest.param("warning", "never", 0, id="option-never"),
        pytest.param("warning", "error", 0, id="option-looser"),
        pytest.param("error", "info", 1, id="option-info"),
    ],
)
def test_fail_on_option_overrides_the_config(
    run: Any, tmp_path: Path, config_level: str, option: str, code: int
) -> None:
    # a1 has only a warning (LOC-002)
    _repo(
        tmp_path,
        config=_config(f"fail_on: {config_level}\n"),
        **{"accounts/x/a1.yaml": account("a1", extra="x-a: 1\nx-c: 1\nx-d: 1\n")},
    )
    outcome = run("check", "--as-of", AS_OF, "--fail-on", option, cwd=tmp_path)
    assert outcome.code == code, outcome


def test_fail_on_option_rejects_unknown_levels(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    outcome = run("check", "--fail-on", "sometimes", cwd=tmp_path)
    assert outcome.code == 2
    assert outcome.out == ""
    assert "tabard check: error: argument --fail-on: invalid choice: 'sometimes'" in outcome.err


# --- exclude and account directories -------------------------------------------------------


def test_exclude(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        config=_config("exclude: [archive/**, '*.draft.yaml', accounts/x/old]\n"),
        **{
            "archive/accounts/x/gone.yaml": account("gone"),
            "archive/notes.yaml": "just: notes\n",
            "accounts/x/a2.draft.yaml": account("a2"),
            "accounts/facebook/deep/a3.draft.yaml": account("a3"),
            "accounts/x/old/a4.yaml": account("a4"),
            "accounts/x/old/junk.yaml": "not: tabard\n",
        },
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == _ALL, outcome
    assert outcome.err.endswith("in 1 document (1 checked)\n"), outcome


def test_without_exclude_everything_is_loaded(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path, **{"archive/accounts/x/gone.yaml": account("gone", extra="x-a: 1\nx-b: 1\n")})
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == _ALL + lines(
        "archive/accounts/x/gone.yaml:1:1: LOC-003 info gone: no x-c",
        "archive/accounts/x/gone.yaml:1:1: LOC-004 warning gone: no x-d",
    ), outcome


_NOT_TABARD = (
    "{file}:1:1: TAB-006 error not a tabard document: every YAML file under {directory} must "
    "be one (an Account manifest starts with `apiVersion: tabard/v1` and `kind: Account`)"
)


def test_non_tabard_yaml_under_account_directories(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        **{
            "accounts/x/notes.yaml": "just: notes\n",
            "accounts/x/empty.yml": "",
            "accounts/x/compose.yaml": "services: {web: {image: nginx}}\n# tabard/v1\n",
            "accounts/x/readme.txt": "not yaml at all: [\n",
            "docs/other.yaml": "just: notes\n",
            "ci/workflow.yml": "on: push\n",
        },
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a",
        "accounts/x/a1.yaml:1:1: LOC-002 warning a1: no x-b",
        "accounts/x/a1.yaml:1:1: LOC-003 info a1: no x-c",
        "accounts/x/a1.yaml:1:1: LOC-004 warning a1: no x-d",
        _NOT_TABARD.format(file="accounts/x/compose.yaml", directory="accounts/"),
        _NOT_TABARD.format(file="accounts/x/empty.yml", directory="accounts/"),
        _NOT_TABARD.format(file="accounts/x/notes.yaml", directory="accounts/"),
    ), outcome


def test_configured_account_directories(run: Any, tmp_path: Path) -> None:
    project(
        tmp_path,
        {
            "policies/local.yaml": policy(_RULES),
            "manifests/x/a1.yaml": account("a1", extra="x-a: 1\nx-b: 1\nx-c: 1\nx-d: 1\n"),
            "manifests/notes.yaml": "just: notes\n",
            "accounts/notes.yaml": "just: notes\n",
        },
        config=_config("accounts: [manifests/]\n"),
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        _NOT_TABARD.format(file="manifests/notes.yaml", directory="manifests/")
    ), outcome


# --- invalid configs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        pytest.param(
            CONFIG + "polices: []\n",
            lines(
                "tabard: error: tabard.yaml:4:1: unknown key 'polices' in the document",
                "  hint: did you mean 'policies'?",
            ),
            id="unknown-key",
        ),
        pytest.param(
            CONFIG + "fail_on: sometimes\n",
            lines(
                'tabard: error: tabard.yaml:4:10: fail_on: "sometimes" is not one of "error", '
                '"warning" or 2 other candidates'
            ),
            id="bad-fail-on",
        ),
        pytest.param(
            "apiVersion: tabard/v2\nkind: Config\n",
            lines('tabard: error: tabard.yaml:1:13: apiVersion: "tabard/v1" was expected'),
            id="wrong-api-version",
        ),
        pytest.param(
            "apiVersion: tabard/v1\nkind: Config\npolicies: ./policies\n",
            lines(
                "tabard: error: tabard.yaml:3:11: policies: './policies' is not of type \"array\""
            ),
            id="policies-not-a-list",
        ),
        pytest.param(
            CONFIG + "rules: [1\n",
            lines("tabard: error: tabard.yaml:5:1: invalid YAML: did not find expected ',' or ']'"),
            id="yaml-syntax",
        ),
        pytest.param(
            CONFIG + "fail_on: error\nfail_on: never\n",
            lines(
                "tabard: error: tabard.yaml:5:1: invalid YAML: duplicate key 'fail_on' (first on "
                "line 4); YAML keeps only one of them, so remove or rename one"
            ),
            id="duplicate-key",
        ),
        pytest.param(
            "- policies\n",
            lines(
                "tabard: error: tabard.yaml:1:1: the config must be one mapping (apiVersion: "
                "tabard/v1, kind: Config)"
            ),
            id="not-a-mapping",
        ),
        pytest.param(
            CONFIG + "---\n" + CONFIG,
            lines(
                "tabard: error: tabard.yaml:1:1: the config must be one mapping (apiVersion: "
                "tabard/v1, kind: Config)"
            ),
            id="two-documents",
        ),
    ],
)
def test_invalid_config(run: Any, tmp_path: Path, config: str, expected: str) -> None:
    _repo(tmp_path, config=config)
    for command in ("check", "validate", "rules"):
        outcome = run(command, cwd=tmp_path)
        assert outcome.code == 2, (command, outcome)
        assert outcome.out == "", (command, outcome)
        assert outcome.err == expected, (command, outcome)


def test_config_file_shown_relative_to_the_working_directory(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path, config=CONFIG + "fail_on: sometimes\n")
    outcome = run("check", str(tmp_path / "accounts"), cwd=tmp_path / "accounts")
    assert outcome.code == 2
    assert outcome.err.startswith(f"tabard: error: {tmp_path.resolve() / 'tabard.yaml'}:4:10: ")


def test_no_config_uses_every_builtin_pack(run: Any, tmp_path: Path) -> None:
    """Explicitly about defaults: without tabard.yaml every built-in pack is in use."""
    outcome = run("rules", "--format", "json", cwd=tmp_path)
    assert outcome.code == 0, outcome
    policies = {rule["policy"] for rule in outcome.json()}
    files = {rule["file"] for rule in outcome.json()}
    assert files <= {f"tabard/policies/{name}.yaml" for name in builtin_pack_names()}
    assert policies  # at least one built-in pack has rules


# --- locked national rules, and what a config loosens --------------------------------------

_CLEAN = (Path(__file__).parent / "examples" / "_clean" / "glos-x-dogs.yaml").read_text(
    encoding="utf-8"
)


@pytest.mark.national_locked
def test_locked_rules_of_a_pack_left_out_still_run(run: Any, tmp_path: Path) -> None:
    """The very line docs/policy-language.md shows leaves out security: SEC-002 still runs."""
    unprotected = _CLEAN.replace(
        "mfa: {enabled: true, method: authenticator_app}", "mfa: {enabled: false}"
    )
    project(
        tmp_path,
        {**force_documents(), "accounts/x/glos-x-dogs.yaml": unprotected},
        config="apiVersion: tabard/v1\nkind: Config\n"
        "policies: [accountability, branding, strategy-link]\n",
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 1, outcome
    assert outcome.out == lines(
        "accounts/x/glos-x-dogs.yaml:32:84: SEC-002 error glos-x-dogs: security.mfa.enabled: "
        "multi-factor authentication must be on for the account (security.mfa.enabled) and "
        "for every operator who logs in natively",
        "force/gloucestershire-strategy.yaml:12:9: STR-010 info glos-comms-2026: active "
        "objective 'OBJ-ENG-01' (objectives[0].id) is not served by any active account",
        "force/gloucestershire-strategy.yaml:50:14: STR-014 warning glos-comms-2026: area "
        "'CHELT' (geography.areas[0].code) has no active two-way neighbourhood or "
        "individual-officer account, though the strategy has a dialogue objective",
    ), outcome
    assert outcome.err == lines(
        "tabard: 1 error, 1 warning, 1 info, 0 waived in 4 documents (4 checked)",
        "tabard: this run loosens the rules: national packs left out (their locked rules "
        "still run): engagement, language, lifecycle, security",
    )


@pytest.mark.national_locked
def test_only_the_locked_rules_of_a_pack_left_out_run(run: Any, tmp_path: Path) -> None:
    project(
        tmp_path,
        {**force_documents(), "policies/local.yaml": policy(_RULES)},
        config="apiVersion: tabard/v1\nkind: Config\npolicies: [./policies]\n",
    )
    outcome = run("rules", "--format", "json", cwd=tmp_path)
    assert outcome.code == 0, outcome
    assert sorted(rule["id"] for rule in outcome.json()) == [
        "ACC-001",
        "ACC-005",
        "LOC-001",
        "LOC-002",
        "LOC-003",
        "LOC-004",
        "SEC-002",
        "SEC-004",
        "SEC-009",
        "STR-001",
    ]


@pytest.mark.national_locked
def test_json_report_says_what_the_config_loosens(run: Any, tmp_path: Path) -> None:
    project(
        tmp_path,
        {**force_documents(), "accounts/x/glos-x-dogs.yaml": _CLEAN},
        config="apiVersion: tabard/v1\nkind: Config\n"
        "policies: [accountability, branding, strategy-link, engagement, lifecycle, language]\n"
        "rules:\n  BRD-001: {severity: info}\n  ENG-006: {enabled: false}\n"
        "  ACC-001: {severity: error}\n"
        "plugins: {disable: [welsh-language]}\n",
    )
    outcome = run("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    assert outcome.code == 0, outcome
    assert outcome.json()["loosened"] == {
        "packs_left_out": ["security"],
        "rules_disabled": ["ENG-006"],
        "severities_lowered": [{"rule": "BRD-001", "from": "error", "to": "info"}],
        "plugins_disabled": ["welsh-language"],
    }
    text = run("validate", "--as-of", AS_OF, cwd=tmp_path)
    assert text.code == 0, text
    assert text.err == lines(
        "tabard: 0 errors, 0 warnings, 0 info, 0 waived in 4 documents (4 checked)",
        "tabard: this run loosens the rules: national packs left out (their locked rules "
        "still run): security; rules disabled: ENG-006; severities lowered: BRD-001 "
        "error→info; plugins disabled: welsh-language",
    )


def test_nothing_loosened_is_an_empty_record(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path, config=_config("rules:\n  LOC-002: {severity: error}\n"))
    outcome = run("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    assert outcome.json()["loosened"] == {
        "packs_left_out": [],
        "rules_disabled": [],
        "severities_lowered": [],
        "plugins_disabled": [],
    }
    text = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert text.err == lines(
        "tabard: 2 errors, 1 warning, 1 info, 0 waived in 1 document (1 checked)"
    )


# --- no config, or a config that is not a file --------------------------------------------


@pytest.mark.parametrize("command", ["check", "validate", "test"])
def test_no_config_is_an_error_not_a_green_run(run: Any, tmp_path: Path, command: str) -> None:
    write(tmp_path, {"accounts/x/a1.yaml": account("a1")})
    outcome = run(command, cwd=tmp_path)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err == lines(
        f"tabard: error: no tabard.yaml in {tmp_path} or any folder above, so there is "
        "no repository to check",
        "  hint: run `tabard init --force FORCE-ID` to start one here, or pass "
        "--config PATH/tabard.yaml",
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["accounts"]  # nothing written


def test_no_config_for_the_files_named(run: Any, tmp_path: Path) -> None:
    write(tmp_path, {"accounts/x/a1.yaml": account("a1")})
    outcome = run("check", "accounts/x/a1.yaml", cwd=tmp_path)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err == lines(
        "tabard: error: no tabard.yaml in the folders of the files named, the working folder "
        "or any folder above, so there is no repository to check",
        "  hint: run `tabard init --force FORCE-ID` to start one here, or pass "
        "--config PATH/tabard.yaml; for a pre-commit hook on a repository in a sub-folder, "
        "add files: ^FOLDER/",
    )


@pytest.mark.parametrize("command", ["check", "validate", "test", "rules"])
def test_config_that_is_a_folder(run: Any, tmp_path: Path, command: str) -> None:
    (tmp_path / "tabard.yaml").mkdir()
    outcome = run(command, cwd=tmp_path)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err == lines(
        "tabard: error: tabard.yaml: the config is a folder, not a file",
        "  hint: make tabard.yaml the repository's config file (`tabard init` writes one)",
    )


def test_config_folder_is_not_skipped_for_one_further_up(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    (tmp_path / "accounts" / "tabard.yaml").mkdir()
    outcome = run("check", cwd=tmp_path / "accounts")
    assert outcome.code == 2, outcome
    assert outcome.err.startswith("tabard: error: tabard.yaml: the config is a folder")


def test_config_that_is_a_pipe(run: Any, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "tabard.yaml")  # reading it would wait for a writer for ever
    outcome = run("check", cwd=tmp_path)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err.startswith(
        "tabard: error: tabard.yaml: the config is not a regular file (a device, pipe or socket)"
    )


def test_config_that_is_a_broken_link(run: Any, tmp_path: Path) -> None:
    (tmp_path / "tabard.yaml").symlink_to(tmp_path / "gone.yaml")
    outcome = run("validate", cwd=tmp_path)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err.startswith(
        "tabard: error: tabard.yaml: the config is a symbolic link to a file that does not exist"
    )


def test_explicit_config_that_is_a_folder(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path)
    (tmp_path / "other").mkdir()
    outcome = run("check", "--config", "other", cwd=tmp_path)
    assert outcome.code == 2, outcome
    assert outcome.err.startswith("tabard: error: other: the config is a folder, not a file")


# --- a tabard.yaml below the git root (pre-commit names every changed file) ----------------


def _site(root: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    write(root, {".github/workflows/ci.yml": "on: [push]\njobs: {}\n"})
    return _repo(root / "site")


@pytest.mark.parametrize(
    "paths",
    [
        ("site/accounts/x/a1.yaml", ".github/workflows/ci.yml"),
        (".github/workflows/ci.yml", "site/accounts/x/a1.yaml"),
    ],
    ids=["manifest-first", "workflow-first"],
)
def test_files_outside_a_sub_folder_repository_are_left_out(
    run: Any, tmp_path: Path, paths: tuple[str, str]
) -> None:
    _site(tmp_path)
    outcome = run("check", "--as-of", AS_OF, *paths, cwd=tmp_path)
    assert outcome.code == 1, outcome
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a",
        "accounts/x/a1.yaml:1:1: LOC-002 warning a1: no x-b",
        "accounts/x/a1.yaml:1:1: LOC-003 info a1: no x-c",
        "accounts/x/a1.yaml:1:1: LOC-004 warning a1: no x-d",
    )
    assert outcome.err == lines(
        "tabard: not checked, outside the repository site/: .github/workflows/ci.yml",
        "tabard: 1 error, 2 warnings, 1 info, 0 waived in 1 document (1 checked)",
    )
    validated = run("validate", *paths, cwd=tmp_path)
    assert validated.code == 0, validated


# --- policies: paths stay inside the repository --------------------------------------------

_LOCAL_CONFIG = "apiVersion: tabard/v1\nkind: Config\npolicies: [{}]\n"


@pytest.mark.parametrize("entry", ["/", "..", "../elsewhere", "policies/../../elsewhere"])
def test_policy_path_outside_the_repository(run: Any, tmp_path: Path, entry: str) -> None:
    (tmp_path / "elsewhere").mkdir()
    repo = _repo(tmp_path / "repo", config=_LOCAL_CONFIG.format(entry))
    outcome = run("check", cwd=repo)  # `/` used to walk the whole disk
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err == lines(
        f"tabard: error: tabard.yaml:3:12: policy path {entry!r} is outside the repository "
        f"{repo.resolve()}",
        "  hint: keep your policies in the repository and list them relative to tabard.yaml, "
        "e.g. ./policies",
    )


def test_policy_file_linking_out_of_the_repository(run: Any, tmp_path: Path) -> None:
    outside = tmp_path / "shared.yaml"
    outside.write_text(policy(_RULES, name="shared"), encoding="utf-8")
    repo = _repo(tmp_path / "repo", config=_LOCAL_CONFIG.format("./policies"))
    (repo / "policies" / "shared.yaml").symlink_to(outside)
    outcome = run("validate", cwd=repo)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err == lines(
        "tabard: error: tabard.yaml:3:12: policy file './policies/shared.yaml' is a symbolic "
        f"link to {outside}, outside the repository",
        "  hint: copy the policy into the repository instead of linking to it",
    )


def test_policy_path_linking_out_of_the_repository(run: Any, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    repo = _repo(tmp_path / "repo", config=_LOCAL_CONFIG.format("./linked"))
    (repo / "linked").symlink_to(tmp_path / "elsewhere")
    outcome = run("check", cwd=repo)
    assert outcome.code == 2, outcome
    assert outcome.err.startswith(
        "tabard: error: tabard.yaml:3:12: policy path './linked' is outside the repository"
    )


def test_policy_pipe_is_refused_unread(run: Any, tmp_path: Path) -> None:
    repo = _repo(tmp_path, config=_LOCAL_CONFIG.format("./policies"))
    os.mkfifo(repo / "policies" / "pipe.yaml")  # reading it would wait for ever
    outcome = run("check", cwd=repo)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err == lines(
        "tabard: error: tabard.yaml:3:12: policy file './policies/pipe.yaml' is not a regular "
        "file (a device, pipe or socket)"
    )


def test_policy_folder_link_loop_is_read_once(run: Any, tmp_path: Path) -> None:
    repo = _repo(tmp_path, config=_LOCAL_CONFIG.format("./policies"))
    (repo / "policies" / "again").symlink_to(repo / "policies")  # a loop back up
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == _ALL, outcome  # not a duplicate rule id: each file read once
    assert outcome.code == 1


def test_policy_file_link_loop(run: Any, tmp_path: Path) -> None:
    repo = _repo(tmp_path, config=_LOCAL_CONFIG.format("./policies"))
    (repo / "policies" / "a.yaml").symlink_to(repo / "policies" / "b.yaml")
    (repo / "policies" / "b.yaml").symlink_to(repo / "policies" / "a.yaml")
    outcome = run("check", cwd=repo)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err == lines(
        "tabard: error: tabard.yaml:3:12: policy path './policies/a.yaml' is a symbolic link loop"
    )


# --- policy files the config does not list ---------------------------------------------------

_BROKEN_RULE = (
    "- id: LOC-101\n  title: Broken\n  severity: error\n  assert: {field: x-a, present: yes}\n"
)
_NOT_LISTED = "apiVersion: tabard/v1\nkind: Config\npolicies: [./policies/local.yaml]\n"


@pytest.mark.parametrize(
    "arguments",
    [
        ("validate", "extra/local.yaml"),
        ("check", "extra/local.yaml"),
        ("validate",),
        ("check",),
        ("check", "accounts/x/a1.yaml"),
    ],
    ids=" ".join,
)
def test_broken_policy_file_not_listed_is_a_policy_error(
    run: Any, tmp_path: Path, arguments: tuple[str, ...]
) -> None:
    _repo(tmp_path, config=_NOT_LISTED, **{"extra/local.yaml": policy(_BROKEN_RULE, "extra")})
    outcome = run(*arguments, "--as-of", AS_OF, cwd=tmp_path)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err == lines(
        "tabard: error: extra/local.yaml:8:33: rule LOC-101: present: "
        '"yes" is not of type "boolean"'
    )


def test_policy_file_not_listed_is_a_warning(run: Any, tmp_path: Path) -> None:
    extra = _RULES.replace("LOC-00", "EXT-00")
    _repo(tmp_path, config=_NOT_LISTED, **{"extra/local.yaml": policy(extra, "extra")})
    outcome = run("validate", "extra/local.yaml", cwd=tmp_path)
    assert outcome.code == 0, outcome
    assert outcome.out == lines(
        "extra/local.yaml:3:7: TAB-008 warning policy 'extra' is not used: the policies: list "
        "in tabard.yaml does not name this file or its folder, so its rules never run"
    )
    full = run("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    assert full.code == 1, full
    assert [(f["rule"], f["file"]) for f in full.json()["findings"]] == [
        ("LOC-001", "accounts/x/a1.yaml"),
        ("LOC-002", "accounts/x/a1.yaml"),
        ("LOC-003", "accounts/x/a1.yaml"),
        ("LOC-004", "accounts/x/a1.yaml"),
        ("TAB-008", "extra/local.yaml"),
    ]
    # A run on other files does not report it: like any finding, it belongs to its file.
    targeted = run("check", "--as-of", AS_OF, "accounts/x/a1.yaml", cwd=tmp_path)
    assert "TAB-008" not in targeted.out, targeted


@pytest.mark.parametrize("command", ["check", "validate"])
def test_broken_policy_test_is_a_policy_error(run: Any, tmp_path: Path, command: str) -> None:
    _repo(
        tmp_path, **{"tests/local.test.yaml": "apiVersion: tabard/v1\nkind: PolicyTest\nname: t\n"}
    )
    outcome = run(command, "--as-of", AS_OF, "accounts/x/a1.yaml", cwd=tmp_path)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err == lines(
        "tabard: error: tests/local.test.yaml:1:1: the document is missing required key 'cases'"
    )


def test_unused_policy_file_is_seen_on_a_warm_cached_run(run: Any, tmp_path: Path) -> None:
    """A cached policy file is parsed again on every run, so a change is never hidden."""
    extra = tmp_path / "extra/local.yaml"
    _repo(tmp_path, config=_NOT_LISTED, **{"extra/local.yaml": policy(_RULES, "extra")})
    assert run("check", "--as-of", AS_OF, cwd=tmp_path).code == 1  # writes the cache
    assert (tmp_path / ".tabard-cache/documents.cache").is_file()
    # Broken, with the same size and modification time: the cache would take it as unchanged.
    before = extra.stat()
    extra.write_text(policy(_RULES, "extra").replace("present: true}", "present: 1234}", 1))
    os.utime(extra, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert extra.stat().st_size == before.st_size
    outcome = run("check", "--as-of", AS_OF, "accounts/x/a1.yaml", cwd=tmp_path)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err == lines(
        'tabard: error: extra/local.yaml:8:33: rule LOC-001: present: 1234 is not of type "boolean"'
    )


def test_policy_folder_that_cannot_be_read(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path, config=_LOCAL_CONFIG.format("./checks"))
    (repo / "checks").mkdir()
    real_iterdir = Path.iterdir

    def refused(self: Path) -> Any:
        if self.name == "checks":  # what chmod 000 does for anyone but root
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", refused)
    outcome = run("check", cwd=repo)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err == lines(
        "tabard: error: tabard.yaml:3:12: cannot read policy path './checks': Permission denied"
    )


def test_plugins_switched_off_from_the_environment_are_reported(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CI job can switch a plugin off without touching the repository: every report
    still says it did not run."""
    _repo(tmp_path)
    monkeypatch.delenv("TABARD_DISABLE_PLUGIN_AUTOLOAD")
    monkeypatch.setenv("TABARD_DISABLE_PLUGINS", "welsh-language,no-such-plugin")
    outcome = run("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    assert outcome.json()["loosened"]["plugins_disabled"] == ["welsh-language"]
    text = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert text.err.splitlines()[-1] == (
        "tabard: this run loosens the rules: plugins disabled: welsh-language"
    )
