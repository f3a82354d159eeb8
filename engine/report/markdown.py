"""Markdown for a pull-request comment or a CI step summary: totals, then each account."""

from __future__ import annotations

from collections import defaultdict

from tabard.findings import Finding, Severity
from tabard.report import Report


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(report: Report) -> str:
    lines = [
        "## tabard",
        "",
        f"Checked {report.targets} of {report.documents} documents as of "
        f"{report.today.isoformat()}" + (" (audit: waivers ignored)" if report.audit else "") + ".",
        "",
        "| errors | warnings | info | waived |",
        "|---:|---:|---:|---:|",
        f"| {report.count(Severity.ERROR)} | {report.count(Severity.WARNING)} | "
        f"{report.count(Severity.INFO)} | {report.waived} |",
        "",
    ]
    if report.loosened:
        from tabard.report.text import loosened

        said = loosened(report).removeprefix("tabard: ")
        lines += ["**" + said[0].upper() + said[1:] + "**", ""]
    if not report.findings:
        lines.append("No findings: every checked document passes every rule.")
        return "\n".join(lines) + "\n"
    by_document: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_document[finding.document or finding.file].append(finding)
    for name in sorted(by_document):
        found = by_document[name]
        lines += [f"### {_cell(name)}", "", f"`{found[0].file}`", ""]
        lines += ["| where | rule | severity | what | how to fix |", "|---|---|---|---|---|"]
        for finding in found:
            rule = report.rule(finding.rule)
            title = f"{finding.rule} {rule.title}" if rule else finding.rule
            severity = str(finding.severity)
            if finding.waived_by:
                severity += f" (waived by {finding.waived_by})"
            elif finding.would_be_waived_by:
                severity += f" (would be waived by {finding.would_be_waived_by})"
            lines.append(
                f"| {finding.line}:{finding.column} | {_cell(title)} | {severity} | "
                f"{_cell(finding.message)} | {_cell(rule.fix if rule else '')} |"
            )
        lines.append("")
    lines.append("Run `tabard explain RULE` for what a rule checks and why.")
    return "\n".join(lines) + "\n"
