"""GitLab Code Quality JSON (the ``codequality`` report artifact).

Severities map error -> major, warning -> minor, info -> info; waived findings are
left out, as GitLab has no notion of an accepted finding.  The fingerprint is the one
SARIF uses (rule, file, document, path), so a finding keeps its identity across edits.
"""

from __future__ import annotations

import json
from typing import Any, Final

from tabard.findings import Severity
from tabard.report import Report
from tabard.report.identity import fingerprint

_SEVERITIES: Final = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report) -> str:
    issues: list[dict[str, Any]] = []
    for finding in report.unwaived():
        rule = report.rule(finding.rule)
        issues.append(
            {
                "type": "issue",
                "description": finding.message,
                "check_name": f"{finding.rule} {rule.title}" if rule else finding.rule,
                "categories": ["Style"],
                "content": {"body": rule.fix} if rule and rule.fix else {"body": ""},
                "fingerprint": fingerprint(finding),
                "severity": _SEVERITIES[finding.severity],
                "location": {"path": finding.file, "lines": {"begin": finding.line}},
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
