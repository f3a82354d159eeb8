"""tabard's own findings (design §4.3): problems with documents, not with policies."""

from __future__ import annotations

from typing import Final

from tabard.findings import Finding, Severity
from tabard.record import Record


class EngineRule(Record):
    _fields = ("id", "severity", "title", "fix")
    __slots__ = _fields
    id: str
    severity: Severity
    title: str
    fix: str

    def __init__(self, id: str, severity: Severity, title: str, fix: str) -> None:
        self._fill(id, severity, title, fix)


ENGINE_RULES: Final = {
    rule.id: rule
    for rule in (
        EngineRule(
            "TAB-001",
            Severity.ERROR,
            "YAML cannot be read",
            "Fix the YAML syntax at the reported position (or save the file as UTF-8). For a "
            "file or folder tabard cannot read, make it a readable regular file or folder "
            "inside the repository, or add it to exclude in tabard.yaml.",
        ),
        EngineRule(
            "TAB-002",
            Severity.ERROR,
            "Duplicate key",
            "Keep one of the two keys: YAML would silently drop the other.",
        ),
        EngineRule(
            "TAB-003",
            Severity.ERROR,
            "Document does not match its schema",
            "Correct the field named in the message; `tabard schema KIND` shows every "
            "field a document kind may have.",
        ),
        EngineRule(
            "TAB-004",
            Severity.ERROR,
            "Duplicate document id",
            "Give each document its own id (and each force one document of each kind).",
        ),
        EngineRule(
            "TAB-005",
            Severity.ERROR,
            "Account id differs from its file name",
            "Rename the file to <id>.yaml or change the id so they match.",
        ),
        EngineRule(
            "TAB-006",
            Severity.ERROR,
            "Not a tabard document under an account directory",
            "Make the file an Account manifest, or move it out of the account directory.",
        ),
        EngineRule(
            "TAB-007",
            Severity.ERROR,
            "Force document missing",
            "Write the force document named in the message; rules that read it cannot "
            "be checked until it exists.",
        ),
        EngineRule(
            "TAB-008",
            Severity.WARNING,
            "Policy file not used by the config",
            "List the file (or its folder) under policies: in tabard.yaml so its rules run, "
            "or delete it.",
        ),
        EngineRule(
            "TAB-101",
            Severity.ERROR,
            "Waiver expired",
            "Fix the findings it covered, or have a new waiver approved.",
        ),
        EngineRule(
            "TAB-102",
            Severity.WARNING,
            "Waiver expires within 30 days",
            "Fix the findings it covers before it expires, or seek a renewal.",
        ),
        EngineRule(
            "TAB-103",
            Severity.WARNING,
            "Waiver matches no finding",
            "Delete the waiver: what it excused has been fixed.",
        ),
        EngineRule(
            "TAB-104",
            Severity.ERROR,
            "Waiver names an unknown rule or account",
            "Correct the rule or account id (ids are case-sensitive).",
        ),
    )
}


def engine_finding(
    code: str,
    file: str,
    line: int,
    column: int,
    message: str,
    *,
    path: str = "",
    document: str | None = None,
    force: str | None = None,
) -> Finding:
    return Finding(
        rule=code,
        severity=ENGINE_RULES[code].severity,
        file=file,
        line=line,
        column=column,
        message=message,
        path=path,
        document=document,
        force=force,
        policy="tabard",
    )
