"""Waivers (design §2.3): approved, dated exceptions — and their health (TAB-101..104)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, timedelta
from typing import Final

from tabard.documents import schemas as document_schemas
from tabard.documents.document import Document
from tabard.documents.engine_rules import engine_finding
from tabard.documents.repository import Repository
from tabard.findings import Finding
from tabard.language.values import parse_date

MAX_DAYS: Final = 365
EXPIRY_WARNING_DAYS: Final = 30


class _Waiver:
    """One waiver as read (a plain class: a dataclass costs every check's import more
    than it gives, docs/architecture.md, Speed)."""

    __slots__ = ("accounts", "active", "document", "expires", "id", "rules", "used")

    def __init__(
        self,
        document: Document,
        id: str,
        rules: list[str],
        accounts: list[str],
        expires: date,
        active: bool,
    ) -> None:
        self.document = document
        self.id = id
        self.rules = rules
        self.accounts = accounts
        self.expires = expires
        self.active = active
        self.used = False


def accounts_named(repository: Repository, is_target: Callable[[str], bool]) -> set[str]:
    """Account ids named by the waivers in target files (they must be evaluated too)."""
    named: set[str] = set()
    for document in repository.by_kind.get("Waiver", ()):
        if is_target(document.file):
            accounts = document.data.get("accounts")
            if isinstance(accounts, list):
                named.update(item for item in accounts if isinstance(item, str))
    return named


def _finding(code: str, waiver: Document, where: tuple[str | int, ...], message: str) -> Finding:
    line, column = waiver.locate(where)
    path = ".".join(str(step) for step in where) if where else ""
    return engine_finding(
        code, waiver.file, line, column, message, path=path, document=waiver.id, force=waiver.force
    )


def _read(document: Document, today: date, findings: list[Finding]) -> _Waiver | None:
    if document_schemas.problems("Waiver", document.data):
        return None  # TAB-003 reports it; an invalid waiver waives nothing
    data = document.data
    granted, expires = parse_date(data["granted"]), parse_date(data["expires"])
    assert granted is not None  # the schema has checked both dates
    assert expires is not None
    waiver = _Waiver(
        document, data["id"], list(data["rules"]), list(data["accounts"]), expires, active=True
    )
    if expires - granted > timedelta(days=MAX_DAYS):
        findings.append(
            _finding(
                "TAB-003",
                document,
                ("expires",),
                f"waiver {waiver.id} runs {(expires - granted).days} days; a "
                f"waiver may last at most {MAX_DAYS} days, so it waives nothing",
            )
        )
        waiver.active = False
    elif expires < today:
        findings.append(
            _finding(
                "TAB-101",
                document,
                ("expires",),
                f"waiver {waiver.id} expired on {expires.isoformat()} and no "
                "longer waives anything",
            )
        )
        waiver.active = False
    elif expires - today <= timedelta(days=EXPIRY_WARNING_DAYS):
        findings.append(
            _finding(
                "TAB-102",
                document,
                ("expires",),
                f"waiver {waiver.id} expires on {expires.isoformat()} "
                f"({(expires - today).days} days)",
            )
        )
    return waiver


def _account_files(repository: Repository) -> dict[str, str]:
    """The file of each account a waiver names (the last in file order), loaded or
    cached: only the names waivers use are looked up."""
    named: set[tuple[str, str]] = set()
    for document in repository.by_kind.get("Waiver", ()):
        accounts = document.data.get("accounts") if type(document.data) is dict else None
        if isinstance(accounts, list):
            named.update(("Account", item) for item in accounts if isinstance(item, str))
    if not named:
        return {}
    return {name: keys[-1][0] for (_, name), keys in repository.owners(named).items() if keys}


def apply_waivers(
    findings: list[Finding],
    repository: Repository,
    *,
    rule_ids: Collection[str],
    evaluated: Callable[[str], bool],
    today: date,
    audit: bool,
) -> list[Finding]:
    """Mark waived findings and add the waivers' own findings.

    With *audit*, nothing is waived: every finding a waiver hides is reported, naming the
    waiver that would hide it.
    """
    account_files = _account_files(repository)
    health: list[Finding] = []
    waivers: list[_Waiver] = []
    for document in repository.by_kind.get("Waiver", ()):
        waiver = _read(document, today, health)
        if waiver is None:
            continue
        waivers.append(waiver)
        named = (
            ("rules", "rule", waiver.rules, rule_ids),
            ("accounts", "account", waiver.accounts, account_files),
        )
        for key, noun, names, known in named:
            for index, name in enumerate(names):
                if name not in known:
                    message = f"waiver {waiver.id} names unknown {noun} {name!r}"
                    health.append(_finding("TAB-104", document, (key, index), message))
    result = []
    for finding in findings:
        for waiver in waivers:
            if (
                waiver.active
                and finding.rule in waiver.rules
                and finding.document in waiver.accounts
            ):
                waiver.used = True
                finding = finding.waived(waiver.id, audit=audit)
                break
        result.append(finding)
    for waiver in waivers:
        files = [account_files[a] for a in waiver.accounts if a in account_files]
        if waiver.active and not waiver.used and files and all(evaluated(f) for f in files):
            health.append(
                _finding(
                    "TAB-103",
                    waiver.document,
                    ("rules",),
                    f"waiver {waiver.id} matches no finding: what it excused "
                    "is fixed, so delete it",
                )
            )
    return result + health
