"""The bundled example repository (examples/gloucestershire) and what it reports.

The README's first command runs ``tabard check`` on it, so its output is pinned here:
every finding line, the summary and the exit code. Each run works on a copy in
``tmp_path`` (tabard writes its cache next to the repository it checks) and loads the
bundled force plugins through their entry points, as a user's installation does.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tabard.language import codegen
from tabard.run import evaluate
from tests.conftest import AS_OF

EXAMPLE = Path(__file__).parent.parent / "examples" / "gloucestershire"

#: (location, "RULE severity", message) of every finding, in the order tabard prints them.
FINDINGS = [
    (
        "accounts/facebook/glos-facebook-tewkesbury.yaml:45:13",
        "ENG-002 error",
        "glos-facebook-tewkesbury: engagement.dms_open is true but the account is"
        " neither monitored 24/7 (engagement.monitoring.always_on) nor handled by"
        " the digital desk (engagement.digital_desk)",
    ),
    (
        "accounts/facebook/glos-facebook-tewkesbury.yaml:54:30",
        "LIF-002 warning",
        "glos-facebook-tewkesbury: lifecycle.next_review_due is '2026-11-02': an "
        "active account needs a review date that has not passed",
    ),
    (
        "accounts/facebook/glos-facebook-winchcombe.yaml:47:1",
        "ACC-005 error",
        "glos-facebook-winchcombe: an unofficial account must be transferring "
        "(with transfer.target_account naming an official account of the force, "
        "and transfer.due) or closed; transfer.target_account fails",
    ),
    (
        "accounts/instagram/glos-instagram-cadets.yaml:37:68",
        "SEC-004 error",
        "glos-instagram-cadets: security.shared_login breaks individual access: "
        "security.shared_login must be false and every operator needs their own access "
        "route (access_via: smmp or native)",
    ),
    (
        "accounts/nextdoor/glos-nextdoor-stroud.yaml:10:15",
        "BRD-001 error",
        "glos-nextdoor-stroud: display_name 'Stroud Neighbourhood Policing Team' "
        "does not contain the force's name or an approved short form from the "
        "brand guide (force_names)",
    ),
    (
        "accounts/nextdoor/glos-nextdoor-stroud.yaml:11:6",
        "BRD-006 error",
        "glos-nextdoor-stroud: the bio does not give the emergency number: it needs "
        '"999" or one of the brand guide\'s bio.required.emergency phrases',
    ),
    (
        "accounts/tiktok/glos-tiktok-recruitment.yaml:7:9",
        "BRD-002 warning",
        "glos-tiktok-recruitment: the handle '@joinglospolice' does not follow the "
        "brand guide's pattern for campaign accounts on tiktok (platform_handle_patterns, "
        "or handle_patterns) and is not a listed exception (waived by W-2026-004)",
    ),
    (
        "accounts/tiktok/glos-tiktok-recruitment.yaml:51:1",
        "LIF-013 warning",
        "glos-tiktok-recruitment: a campaign account needs lifecycle.campaign_ends_on,"
        " the date its campaign ends",
    ),
    (
        "accounts/x/glos-x-cheltenham.yaml:31:25",
        "STR-002 error",
        "glos-x-cheltenham: strategy.objectives[0] 'OBJ-ENG-00' is not an active "
        "objective of the force strategy (retired, draft or unknown)",
    ),
    (
        "accounts/x/glos-x-cheltenham.yaml:51:31",
        "LNG-006 error",
        "glos-x-cheltenham: language.primary is 'en_GB', not a valid BCP 47 "
        "language tag such as en-GB or cy-GB (language.primary is required)",
    ),
    (
        "accounts/x/glos-x-forest-of-dean.yaml:38:21",
        "LIF-005 error",
        "glos-x-forest-of-dean: retention.archive_location is missing or empty: a"
        " closed account records lifecycle.closed_on, retention.archive_location "
        "and retention.schedule_ref (NPCC National Retention Schedule class)",
    ),
    (
        "accounts/x/glos-x-pd-bruno.yaml:6:8",
        "ACC-006 error",
        "glos-x-pd-bruno: the force strategy does not allow individual-officer "
        "accounts, or not for the owner's role (Strategy "
        "portfolio.individual_accounts.allowed / allowed_roles)",
    ),
    (
        "accounts/x/glos-x-pd-bruno.yaml:14:17",
        "BRD-003 error",
        "glos-x-pd-bruno: avatar photo-pd-bruno / banner (absent) must be "
        "approved brand-guide assets of the right kind, allowed for "
        "individual_officer accounts, with a matching sha256 where one is "
        "recorded",
    ),
    (
        "accounts/x/glos-x-pd-bruno.yaml:15:15",
        "STR-003 error",
        "glos-x-pd-bruno: account_type 'individual_officer' is not allowed by the"
        " strategy's account portfolio (portfolio.allowed_types / "
        "allowed_platforms)",
    ),
    (
        "accounts/x/glos-x-pd-bruno.yaml:15:15",
        "STR-012 error",
        "glos-x-pd-bruno: account_type 'individual_officer' is not allowed by the"
        " objectives this account serves (objectives[].allowed_account_types /"
        " allowed_platforms in the strategy)",
    ),
    (
        "accounts/x/glos-x-pd-bruno.yaml:49:21",
        "GLOS-DOG-002 error",
        "glos-x-pd-bruno: a dog account that is not the corporate dogs account "
        "must be closing or closed with the corporate dogs account as "
        "lifecycle.successor",
    ),
    (
        "accounts/x/glos-x-roads.yaml:27:48",
        "SEC-002 error",
        "glos-x-roads: operators[1].mfa: multi-factor authentication must be on "
        "for the account (security.mfa.enabled) and for every operator who logs "
        "in natively",
    ),
    (
        "accounts/x/glos-x-roads.yaml:35:32",
        "SEC-005 warning",
        "glos-x-roads: security.last_access_review is '2025-08-14': no access "
        "review within the force's interval (Strategy "
        "review_cycle.access_review_days, 90 days by default), or a date in the "
        "future",
    ),
]

SUMMARY = "tabard: 14 errors, 3 warnings, 0 info, 1 waived in 29 documents (29 checked)\n"

#: The accounts with something wrong; the other 16 must stay clean.
ACCOUNTS_WITH_FINDINGS = {
    "glos-facebook-tewkesbury",
    "glos-facebook-winchcombe",
    "glos-instagram-cadets",
    "glos-nextdoor-stroud",
    "glos-tiktok-recruitment",
    "glos-x-cheltenham",
    "glos-x-forest-of-dean",
    "glos-x-pd-bruno",
    "glos-x-roads",
}


@pytest.fixture(autouse=True)
def _entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TABARD_DISABLE_PLUGIN_AUTOLOAD")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example repository (without any cache left in the source tree)."""
    target = tmp_path / "gloucestershire"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".tabard-cache"))
    return target


def test_example_reports_exactly_its_findings(run: Any, example: Path) -> None:
    outcome = run("check", "--as-of", AS_OF, cwd=example)
    expected = "".join(f"{where}: {rule} {message}\n" for where, rule, message in FINDINGS)
    assert outcome.out == expected, outcome
    assert outcome.err == SUMMARY, outcome
    assert outcome.code == 1, outcome


def test_generated_decisions_report_exactly_the_same(
    run: Any, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run over many documents decides the rules with generated Python
    (``tabard.language.codegen``); here it does from the first document."""
    before = run("check", "--as-of", AS_OF, "--no-cache", "--format", "json", cwd=example)
    written: list[Any] = []
    compile_function = codegen._Writer.function

    def spy(writer: Any, expression: str) -> Any:
        written.append(expression)
        return compile_function(writer, expression)

    monkeypatch.setattr(codegen._Writer, "function", spy)
    monkeypatch.setattr(evaluate, "GENERATE_AFTER", 1)
    outcome = run("check", "--as-of", AS_OF, "--no-cache", cwd=example)
    expected = "".join(f"{where}: {rule} {message}\n" for where, rule, message in FINDINGS)
    assert (outcome.out, outcome.err, outcome.code) == (expected, SUMMARY, 1), outcome
    assert len(written) > 50  # every rule of the packs, nearly
    after = run("check", "--as-of", AS_OF, "--no-cache", "--format", "json", cwd=example)
    assert after == before


def test_clean_accounts_stay_clean_and_every_pack_reports(run: Any, example: Path) -> None:
    outcome = run("check", "--as-of", AS_OF, "--format", "json", cwd=example)
    assert outcome.code == 1, outcome
    findings = outcome.json()["findings"]
    assert {f["document"] for f in findings} == ACCOUNTS_WITH_FINDINGS
    accounts = {path.stem for path in (example / "accounts").glob("*/*.yaml")}
    assert len(accounts) == 25
    assert len(accounts - ACCOUNTS_WITH_FINDINGS) == 16
    prefixes = {f["rule"].rsplit("-", 1)[0] for f in findings}
    assert {"ACC", "BRD", "STR", "SEC", "ENG", "LIF", "LNG", "GLOS-DOG"} <= prefixes
    waived = [(f["rule"], f["document"], f["waived_by"]) for f in findings if f["waived_by"]]
    assert waived == [("BRD-002", "glos-tiktok-recruitment", "W-2026-004")]


def test_audit_unwaives_the_recruitment_handle(run: Any, example: Path) -> None:
    outcome = run("check", "--as-of", AS_OF, "--audit", "--format", "json", cwd=example)
    assert outcome.code == 1, outcome
    summary = outcome.json()["summary"]
    assert (summary["error"], summary["warning"], summary["waived"]) == (14, 4, 0)
    handle = [f for f in outcome.json()["findings"] if f["rule"] == "BRD-002"]
    assert len(handle) == 1
    assert handle[0]["document"] == "glos-tiktok-recruitment"
    assert handle[0]["waived_by"] is None
    assert handle[0]["would_be_waived_by"] == "W-2026-004"

    text = run("check", "--as-of", AS_OF, "--audit", cwd=example)
    line = next(line for line in text.out.splitlines() if " BRD-002 " in line)
    assert line.startswith("accounts/tiktok/glos-tiktok-recruitment.yaml:7:9: BRD-002 warning ")
    assert line.endswith(" (would be waived by W-2026-004)")
    assert " (waived by " not in line
    assert text.err.endswith("; --audit: waivers ignored\n"), text


def test_example_validates(run: Any, example: Path) -> None:
    outcome = run("validate", cwd=example)
    assert outcome.out == "", outcome
    assert outcome.code == 0, outcome
