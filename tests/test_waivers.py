"""Waivers (design §2.3): waived findings and the waivers' own health (TAB-101 to TAB-104)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builders import AS_OF, account, lines, policy, project, waiver

_RULES = """\
- id: LOC-001
  title: Accounts have x-a
  severity: error
  locked: true
  assert: {field: x-a, present: true}
  message: "{id}: no x-a"
- id: LOC-002
  title: Accounts have x-b
  severity: warning
  assert: {field: x-b, present: true}
  message: "{id}: no x-b"
"""

_SUMMARY = "tabard: {} errors, {} warnings, 0 info, {} waived in {} documents ({} checked)\n"


def _repo(root: Path, files: dict[str, str]) -> Path:
    return project(
        root,
        {
            "policies/local.yaml": policy(_RULES),
            # a1 and a2 lack x-a (LOC-001); a3 is clean
            "accounts/x/a1.yaml": account("a1", extra="x-b: 1\n"),
            "accounts/x/a2.yaml": account("a2", extra="x-b: 1\n"),
            "accounts/x/a3.yaml": account("a3", extra="x-a: 1\nx-b: 1\n"),
            **files,
        },
    )


def test_waived_finding(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path, {"waivers/w1.yaml": waiver("W-2026-001", ["LOC-001"], ["a1", "a2"])})
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a (waived by W-2026-001)",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a (waived by W-2026-001)",
    ), outcome
    assert outcome.err == _SUMMARY.format(0, 0, 2, 4, 4)
    assert outcome.code == 0

    report = run("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path).json()
    assert report["summary"] == {
        "documents": 4,
        "targets": 4,
        "error": 0,
        "warning": 0,
        "info": 0,
        "waived": 2,
    }
    assert [
        (f["rule"], f["document"], f["severity"], f["waived_by"]) for f in report["findings"]
    ] == [
        ("LOC-001", "a1", "error", "W-2026-001"),
        ("LOC-001", "a2", "error", "W-2026-001"),
    ]


def test_waiver_covers_only_its_rules_and_accounts(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        {
            "accounts/x/a4.yaml": account("a4"),
            "waivers/w1.yaml": waiver("W-2026-001", ["LOC-001"], ["a1", "a4"]),
        },
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a (waived by W-2026-001)",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a",
        "accounts/x/a4.yaml:1:1: LOC-001 error a4: no x-a (waived by W-2026-001)",
        "accounts/x/a4.yaml:1:1: LOC-002 warning a4: no x-b",
    ), outcome
    assert outcome.code == 1


def test_expired_waiver(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        {
            "waivers/w1.yaml": waiver(
                "W-2025-009", ["LOC-001"], ["a1"], granted="2025-12-01", expires="2026-11-23"
            )
        },
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a",
        "waivers/w1.yaml:9:10: TAB-101 error waiver W-2025-009 expired on 2026-11-23 and no "
        "longer waives anything",
    ), outcome
    assert outcome.err == _SUMMARY.format(3, 0, 0, 4, 4)
    assert outcome.code == 1


def test_waiver_expiring_within_30_days(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        {
            "waivers/w1.yaml": waiver("W-2026-001", ["LOC-001"], ["a1"], expires="2026-12-24"),
            "waivers/w2.yaml": waiver("W-2026-002", ["LOC-001"], ["a2"], expires="2026-11-24"),
        },
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a (waived by W-2026-001)",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a (waived by W-2026-002)",
        "waivers/w1.yaml:9:10: TAB-102 warning waiver W-2026-001 expires on 2026-12-24 (30 days)",
        "waivers/w2.yaml:9:10: TAB-102 warning waiver W-2026-002 expires on 2026-11-24 (0 days)",
    ), outcome
    assert outcome.code == 0


def test_waiver_expiring_in_31_days_is_quiet(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        {"waivers/w1.yaml": waiver("W-2026-001", ["LOC-001"], ["a1", "a2"], expires="2026-12-25")},
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a (waived by W-2026-001)",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a (waived by W-2026-001)",
    ), outcome


def test_unused_waiver(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path, {"waivers/w1.yaml": waiver("W-2026-001", ["LOC-001", "LOC-002"], ["a3"])})
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a",
        "waivers/w1.yaml:4:1: TAB-103 warning waiver W-2026-001 matches no finding: what it "
        "excused is fixed, so delete it",
    ), outcome


def test_waiver_naming_unknown_rule_and_account(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        {"waivers/w1.yaml": waiver("W-2026-001", ["LOC-001", "LOC-009"], ["a1", "nobody"])},
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a (waived by W-2026-001)",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a",
        "waivers/w1.yaml:4:18: TAB-104 error waiver W-2026-001 names unknown rule 'LOC-009'",
        "waivers/w1.yaml:5:16: TAB-104 error waiver W-2026-001 names unknown account 'nobody'",
    ), outcome


def test_rule_of_a_pack_not_in_use_is_unknown(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path, {"waivers/w1.yaml": waiver("W-2026-001", ["ACC-001"], ["a1"])})
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert (
        "waivers/w1.yaml:4:9: TAB-104 error waiver W-2026-001 names unknown rule 'ACC-001'\n"
        in outcome.out
    ), outcome


def test_disabled_rule_is_still_known(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        {
            "tabard.yaml": "apiVersion: tabard/v1\nkind: Config\npolicies: [./policies]\n"
            "rules:\n  LOC-002: {enabled: false}\n",
            "accounts/x/a4.yaml": account("a4", extra="x-a: 1\n"),
            "waivers/w1.yaml": waiver("W-2026-001", ["LOC-002"], ["a4"]),
        },
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert "TAB-104" not in outcome.out, outcome


def test_waiver_longer_than_365_days(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        {
            "waivers/w1.yaml": waiver(
                "W-2026-001", ["LOC-001"], ["a1"], granted="2026-01-01", expires="2027-01-02"
            ),
            "waivers/w2.yaml": waiver(
                "W-2026-002", ["LOC-001"], ["a2"], granted="2026-01-01", expires="2027-01-01"
            ),
        },
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a (waived by W-2026-002)",
        "waivers/w1.yaml:9:10: TAB-003 error waiver W-2026-001 runs 366 days; a waiver may last "
        "at most 365 days, so it waives nothing",
    ), outcome


def test_invalid_waiver_waives_nothing(run: Any, tmp_path: Path) -> None:
    broken = waiver("W-2026-001", ["LOC-001"], ["a1"]).replace(
        "reason: Legacy handle kept until the platform allows a rename", "reason: Legacy"
    )
    _repo(tmp_path, {"waivers/w1.yaml": broken})
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a",
        'waivers/w1.yaml:6:9: TAB-003 error reason: "Legacy" is shorter than 10 characters',
    ), outcome


def test_waiver_that_cannot_be_read_waives_nothing_and_says_so(run: Any, tmp_path: Path) -> None:
    broken = waiver("W-2026-001", ["LOC-001"], ["a1"]).replace("rules: [", "rules: [[")
    _repo(tmp_path, {"waivers/w1.yaml": broken})
    targeted = run("check", "--as-of", AS_OF, "accounts/x/a1.yaml", cwd=tmp_path)
    assert targeted.code == 1, targeted
    assert targeted.out == lines("accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a")
    full = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert full.code == 1, full
    assert full.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a",
        "waivers/w1.yaml:5:1: TAB-001 error did not find expected ',' or ']'",
    ), full


_NOT_A_DATE = (
    "TAB-003 error {key}: expected a date written YYYY-MM-DD (a real day from 0001-01-01 to "
    "9999-12-31), got '{value}'"
)


@pytest.mark.parametrize(
    ("key", "value", "where"),
    [
        # Year 0000 passed the schema and then stopped the run at an assert (exit 3).
        pytest.param("granted", "0000-01-01", "8:10", id="year-zero-granted"),
        pytest.param("expires", "0000-12-31", "9:10", id="year-zero-expires"),
        pytest.param("expires", '"20270501"', "9:10", id="basic-iso-form"),
        pytest.param("expires", "2027-W18-1", "9:10", id="week-date"),
        pytest.param("expires", "2027-02-29", "9:10", id="no-such-day"),
    ],
)
def test_waiver_with_an_unusable_date_waives_nothing(
    run: Any, tmp_path: Path, key: str, value: str, where: str
) -> None:
    dated = waiver("W-2026-001", ["LOC-001"], ["a1"], **{key: value})
    _repo(tmp_path, {"waivers/w1.yaml": dated})
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a",
        f"waivers/w1.yaml:{where}: " + _NOT_A_DATE.format(key=key, value=value.strip('"')),
    ), outcome
    assert outcome.code == 1


def test_audit_ignores_waivers(run: Any, tmp_path: Path) -> None:
    _repo(tmp_path, {"waivers/w1.yaml": waiver("W-2026-001", ["LOC-001"], ["a1", "a2"])})
    outcome = run("check", "--as-of", AS_OF, "--audit", cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a (would be waived by W-2026-001)",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a (would be waived by W-2026-001)",
    ), outcome
    assert outcome.err == (
        "tabard: 2 errors, 0 warnings, 0 info, 0 waived in 4 documents (4 checked); "
        "--audit: waivers ignored\n"
    )
    assert outcome.code == 1
    report = run("check", "--as-of", AS_OF, "--audit", "--format", "json", cwd=tmp_path).json()
    assert [(f["waived_by"], f["would_be_waived_by"]) for f in report["findings"]] == [
        (None, "W-2026-001"),
        (None, "W-2026-001"),
    ]
    assert report["summary"]["waived"] == 0


def test_audit_names_only_the_waivers_that_apply(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        {
            "waivers/w1.yaml": waiver("W-2026-001", ["LOC-001"], ["a1"]),
            "waivers/w2.yaml": waiver("W-2026-002", ["LOC-001"], ["a2"], expires="2026-11-01"),
        },
    )
    outcome = run("check", "--as-of", AS_OF, "--audit", cwd=tmp_path)
    assert outcome.code == 1, outcome
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a (would be waived by W-2026-001)",
        "accounts/x/a2.yaml:1:1: LOC-001 error a2: no x-a",
        "waivers/w2.yaml:9:10: TAB-101 error waiver W-2026-002 expired on 2026-11-01 and no "
        "longer waives anything",
    ), outcome
    plain = run("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path).json()
    assert [f["would_be_waived_by"] for f in plain["findings"]] == [None, None, None]


# --- targeted runs --------------------------------------------------------------------------


def test_targeted_account_keeps_its_waiver(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        {
            "waivers/w1.yaml": waiver("W-2026-001", ["LOC-001"], ["a1"]),
            "waivers/w2.yaml": waiver("W-2026-002", ["LOC-009"], ["a2"]),
        },
    )
    outcome = run("check", "--as-of", AS_OF, "accounts/x/a1.yaml", cwd=tmp_path)
    # w2's own problems are not reported: it is not a target
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: LOC-001 error a1: no x-a (waived by W-2026-001)"
    ), outcome
    assert outcome.err == _SUMMARY.format(0, 0, 1, 5, 1)
    assert outcome.code == 0


def test_targeted_waiver_pulls_its_accounts_into_evaluation(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        {
            "waivers/used.yaml": waiver("W-2026-001", ["LOC-001"], ["a1"], expires="2026-12-01"),
            "waivers/unused.yaml": waiver("W-2026-002", ["LOC-001"], ["a3"]),
        },
    )
    used = run("check", "--as-of", AS_OF, "waivers/used.yaml", cwd=tmp_path)
    assert used.out == lines(
        "waivers/used.yaml:9:10: TAB-102 warning waiver W-2026-001 expires on 2026-12-01 (7 days)"
    ), used
    assert used.code == 0
    # a3 is clean: only evaluating it shows that W-2026-002 matches nothing
    unused = run("check", "--as-of", AS_OF, "waivers/unused.yaml", cwd=tmp_path)
    assert unused.out == lines(
        "waivers/unused.yaml:4:1: TAB-103 warning waiver W-2026-002 matches no finding: what it "
        "excused is fixed, so delete it"
    ), unused
    # findings on the pulled-in accounts are not reported: they are not targets
    assert "accounts/" not in used.out + unused.out


def test_targeted_waiver_directory(run: Any, tmp_path: Path) -> None:
    _repo(
        tmp_path,
        {
            "waivers/w1.yaml": waiver("W-2026-001", ["LOC-001"], ["a1"]),
            "waivers/w2.yaml": waiver("W-2026-002", ["LOC-002"], ["a2"]),
        },
    )
    outcome = run("check", "--as-of", AS_OF, "waivers", cwd=tmp_path)
    assert outcome.out == lines(
        "waivers/w2.yaml:4:1: TAB-103 warning waiver W-2026-002 matches no finding: what it "
        "excused is fixed, so delete it"
    ), outcome
