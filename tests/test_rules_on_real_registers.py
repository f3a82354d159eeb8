"""Built-in rules on values as real registers write them, through the real CLI, with the
exact messages a comms officer reads (ranks, roles, typography, approvals, logins)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.builders import AS_OF, account, force_documents, lines, policy, project

_BUILTIN = "apiVersion: tabard/v1\nkind: Config\npolicies: [accountability, security]\n"


def _messages(run: Any, root: Path, rule: str) -> list[tuple[str, str]]:
    outcome = run("check", "--format", "json", "--as-of", AS_OF, cwd=root)
    assert outcome.code in (0, 1), outcome
    return [
        (finding["path"], finding["message"])
        for finding in outcome.json()["findings"]
        if finding["rule"] == rule
    ]


def _department(extra: str, id: str = "glos-x-dogs") -> str:
    return account(id, handle="@GlosPoliceDogs", account_type="department", extra=extra)


def _officer(rank: str) -> str:
    return (
        "owner: {name: Example One, staff_number: '10001', role: Dog handler,\n"
        "        email: example.one@gloucestershire.police.uk}\n"
        "accountable_officer: {name: Example Seven, collar_number: '77',\n"
        f"                      rank_or_grade: '{rank}', role: Operations,\n"
        "                      email: example.seven@gloucestershire.police.uk}\n"
    )


def test_acc_002_reads_temporary_acting_and_detective_ranks(run: Any, tmp_path: Path) -> None:
    ranks = "T/Inspector|A/Inspector|Insp|Inspector (temporary)|Detective Inspector|T/DCI"
    ranks += "|Detective Chief Superintendent|Ag. Ch Supt|Police staff (Inspector equivalent)"
    files = force_documents()
    for number, rank in enumerate(ranks.split("|")):
        files[f"accounts/x/a{number}.yaml"] = _department(_officer(rank), f"glos-x-a{number}")
    project(tmp_path, files, config=_BUILTIN)
    assert _messages(run, tmp_path, "ACC-002") == []


def test_acc_002_shows_the_rank_given_and_what_was_expected(run: Any, tmp_path: Path) -> None:
    files = {**force_documents(), "accounts/x/a.yaml": _department(_officer("T/DS"))}
    project(tmp_path, files, config=_BUILTIN)
    assert _messages(run, tmp_path, "ACC-002") == [
        (
            "accountable_officer.rank_or_grade",
            "glos-x-dogs: this department account needs a named accountable officer, other "
            "than the owner, whose rank or grade is one of the force's accountable ranks "
            "(Inspector and above unless the Force document lists accountable_ranks); rank or "
            "grade given: T/DS; failed at accountable_officer.rank_or_grade",
        )
    ]


def test_sec_001_says_the_login_is_the_owners_own_address(run: Any, tmp_path: Path) -> None:
    extra = (
        "owner: {email: example.one@gloucestershire.police.uk}\n"
        "security: {login_email: Example.One@gloucestershire.police.uk}\n"
    )
    files = {**force_documents(), "accounts/x/a.yaml": _department(extra)}
    project(tmp_path, files, config=_BUILTIN)
    assert _messages(run, tmp_path, "SEC-001") == [
        (
            "owner.email",
            "glos-x-dogs: the account's login and recovery email must be a shared role or team "
            "mailbox on one of the force's email domains, not one person's own address (except "
            "on an individual officer's or chief officer's own account). It failed at "
            "owner.email: at "
            "security.login_email it is missing or not on a force domain; at an owner, "
            "accountable officer or operator email it is that person's own address.",
        )
    ]


def test_acc_004_reports_an_approver_the_strategy_does_not_name(run: Any, tmp_path: Path) -> None:
    files = force_documents()
    strategy = files["force/gloucestershire-strategy.yaml"]
    extra = (
        "approval: {approved_by: Example Nine, approver_role: Neighbourhood inspector,\n"
        "           approved_on: 2025-03-01, reference: SM-1}\n"
    )
    project(
        tmp_path,
        {
            **files,
            "force/gloucestershire-strategy.yaml": strategy
            + "account_approvers: [Head of Corporate Communications, DCC]\n",
            "accounts/x/a.yaml": _department(extra),
            "accounts/x/b.yaml": _department(
                extra.replace("Neighbourhood inspector", "T/DCC"), "glos-x-roads"
            ),
        },
        config=_BUILTIN,
    )
    messages = _messages(run, tmp_path, "ACC-004")
    assert [path for path, _ in messages] == ["approval.approver_role"]
    assert messages[0][1].startswith(
        "glos-x-dogs: the approval record is missing something or is not independent "
        "(at approval.approver_role)."
    )


def test_a_rank_floor_that_is_not_a_rank_is_a_policy_error(run: Any, tmp_path: Path) -> None:
    rules = (
        "- id: LOC-001\n  title: t\n  severity: error\n"
        "  assert: {field: owner.rank_or_grade, rank_at_least: Head of Comms}\n"
    )
    project(tmp_path, {"policies/local.yaml": policy(rules), "accounts/x/a.yaml": account("a")})
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 2, outcome
    assert outcome.err == lines(
        "tabard: error: policies/local.yaml:8:55: rule LOC-001: rank_at_least: expected a "
        "police rank such as 'Inspector', got 'Head of Comms'"
    )
