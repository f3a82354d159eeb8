"""GitHub Actions workflow commands: one annotation per unwaived finding.

``::error file=…,line=…,col=…,title=RULE title::message`` puts the finding on the
changed line of a pull request.  The Markdown summary for ``$GITHUB_STEP_SUMMARY`` is
written by the command (see ``commands/common.emit``), not here.
"""

from __future__ import annotations

from typing import Final

from tabard.findings import Severity
from tabard.report import Report

_LEVELS: Final = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    """Escape a command's message (GitHub's toolkit: %, CR, LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a command property value (also ``:`` and ``,``, which end it)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for finding in report.unwaived():
        rule = report.rule(finding.rule)
        title = f"{finding.rule} {rule.title}" if rule else finding.rule
        message = finding.message + (f"\nFix: {rule.fix}" if rule and rule.fix else "")
        lines.append(
            f"::{_LEVELS[finding.severity]} file={_property(finding.file)},"
            f"line={finding.line},col={finding.column},title={_property(title)}::{_data(message)}"
        )
    return "".join(line + "\n" for line in lines)
