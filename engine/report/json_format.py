"""The JSON report of design §4.2, with each finding's rule title and fix."""

from __future__ import annotations

import json
from typing import Any

from tabard._version import __version__
from tabard.findings import Finding, Severity
from tabard.report import Report


def _finding(finding: Finding, report: Report) -> dict[str, Any]:
    rule = report.rule(finding.rule)
    return {
        "rule": finding.rule,
        "title": rule.title if rule else "",
        "severity": str(finding.severity),
        "policy": finding.policy,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "path": finding.path,
        "document": finding.document,
        "force": finding.force,
        "message": finding.message,
        "fix": rule.fix if rule else "",
        "waived_by": finding.waived_by,
    }


def render(report: Report) -> str:
    context = report.context
    document = {
        "tabard": __version__,
        "as_of": report.today.isoformat(),
        "packs": [
            {"name": pack.name, "version": pack.version, "origin": pack.origin}
            for pack in context.packs
        ],
        "plugins": [{"name": plugin.name, "version": plugin.version} for plugin in context.plugins],
        "summary": {
            "documents": report.documents,
            "targets": report.targets,
            "error": report.count(Severity.ERROR),
            "warning": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "waived": report.waived,
        },
        "findings": [_finding(finding, report) for finding in report.findings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
