"""Findings: what tabard reports, and how serious each one is."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Final


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK: Final = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}
#: ``fail_on`` values and the lowest rank that fails; ``never`` fails on nothing.
FAIL_ON: Final = {"error": 3, "warning": 2, "info": 1, "never": 4}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one document, located 1-based in its file."""

    rule: str
    severity: Severity
    file: str
    line: int
    column: int
    message: str
    path: str = ""
    document: str | None = None
    force: str | None = None
    policy: str = "tabard"
    waived_by: str | None = None
    #: With ``--audit``: the waiver that would hide this finding on an ordinary run.
    would_be_waived_by: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.rule)

    def waived(self, waiver: str, *, audit: bool = False) -> Finding:
        """Hidden by *waiver*; with *audit*, still reported but naming the waiver."""
        if audit:
            return replace(self, would_be_waived_by=waiver)
        return replace(self, waived_by=waiver)


def fails(finding: Finding, fail_on: str) -> bool:
    """Whether *finding* makes the run fail under ``fail_on``."""
    return finding.waived_by is None and finding.severity.rank >= FAIL_ON[fail_on]
