"""The stable text format: ``path:line:col: RULE severity message``, one a line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from tabard.findings import Finding, Severity
from tabard.report import Report

_COLOURS: Final = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def line(finding: Finding, colour: bool = False) -> str:
    severity = str(finding.severity)
    if colour:
        code = "2" if finding.waived_by else _COLOURS[finding.severity]
        severity = f"\x1b[{code}m{severity}\x1b[0m"
    text = (
        f"{finding.file}:{finding.line}:{finding.column}: {finding.rule} {severity} "
        f"{finding.message}"
    )
    if finding.waived_by:
        text += f" (waived by {finding.waived_by})"
    elif finding.would_be_waived_by:
        text += f" (would be waived by {finding.would_be_waived_by})"
    return text


#: Findings written at a time: the text of a large check in one string (and its lines,
#: and the bytes it is encoded to) would be tens of MiB at the very end of the run.
PART_FINDINGS: Final = 2048


def render_parts(report: Report, colour: bool, *, hints: bool = False) -> Iterator[str]:
    """What :func:`render` gives, a few thousand findings at a time."""
    if hints:
        # For people at a terminal (a pre-commit hook): never many findings.
        yield render(report, colour, hints=True)
        return
    findings = report.findings
    for start in range(0, len(findings), PART_FINDINGS):
        part = findings[start : start + PART_FINDINGS]
        yield "".join(line(finding, colour) + "\n" for finding in part)


def render(report: Report, colour: bool, *, hints: bool = False) -> str:
    """One line per finding; with *hints*, the rule's title and fix under each, and a
    last line saying where to read more (for people: pre-commit and terminals)."""
    if not hints:
        return "".join(line(finding, colour) + "\n" for finding in report.findings)
    lines = []
    for finding in report.findings:
        lines.append(line(finding, colour))
        hint = _hint(report, finding.rule)
        if hint:
            lines.append(f"\x1b[2m{hint}\x1b[0m" if colour else hint)
    if report.findings:
        example = report.findings[0].rule
        lines.append(
            f"Run `tabard explain RULE` (e.g. `tabard explain {example}`) for what a rule "
            "checks, why, and how to fix it."
        )
    return "".join(text + "\n" for text in lines)


#: A hint is one line: a fix longer than this is cut at a word, as `tabard explain` has it whole.
HINT_WIDTH: Final = 160


def _hint(report: Report, rule_id: str) -> str:
    rule = report.rule(rule_id)
    if rule is None:
        return ""
    text = rule.title.rstrip(".")
    if rule.fix:
        text += ". Fix: " + " ".join(rule.fix.split())
    if len(text) > HINT_WIDTH:
        text = text[: HINT_WIDTH - 1].rsplit(" ", 1)[0] + "…"
    return "    " + text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 or word == 'info' else 's'}"


def summary(report: Report) -> str:
    """One line for stderr, so stdout stays machine-readable."""
    counts = ", ".join(_plural(report.count(severity), str(severity)) for severity in Severity)
    text = (
        f"tabard: {counts}, {report.waived} waived in {_plural(report.documents, 'document')}"
        f" ({report.targets} checked)"
    )
    if report.audit:
        text += "; --audit: waivers ignored"
    if report.loosened:
        text += "\n" + loosened(report)
    return text


def loosened(report: Report) -> str:
    """A second summary line: what the config switched off, for whoever reads the run."""
    found = report.loosened
    parts = []
    if found.packs_left_out:
        parts.append(
            "national packs left out (their locked rules still run): "
            + ", ".join(found.packs_left_out)
        )
    if found.rules_disabled:
        parts.append("rules disabled: " + ", ".join(found.rules_disabled))
    if found.severities_lowered:
        lowered = (f"{rule} {before}→{after}" for rule, before, after in found.severities_lowered)
        parts.append("severities lowered: " + ", ".join(lowered))
    if found.plugins_disabled:
        parts.append("plugins disabled: " + ", ".join(found.plugins_disabled))
    return "tabard: this run loosens the rules: " + "; ".join(parts)
