"""Output formats for `tabard check` and `tabard validate`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from tabard.findings import Finding, Severity


@dataclass(frozen=True)
class RuleInfo:
    """What a reader needs to act on a finding of one rule."""

    id: str
    title: str
    severity: Severity
    policy: str
    fix: str = ""
    rationale: str = ""
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class Component:
    """A pack or plugin a run used, with its version."""

    name: str
    version: str
    origin: str = ""


@dataclass(frozen=True)
class Context:
    """Everything a report says besides its findings: the rules, packs, plugins, waivers."""

    rules: Mapping[str, RuleInfo] = field(default_factory=dict)
    packs: tuple[Component, ...] = ()
    plugins: tuple[Component, ...] = ()
    #: Waiver id -> its reason, for formats that show why a finding is excused.
    waivers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    findings: list[Finding]
    documents: int
    targets: int
    today: date
    audit: bool = False
    context: Context = field(default_factory=Context)

    def rule(self, rule_id: str) -> RuleInfo | None:
        return self.context.rules.get(rule_id)

    def unwaived(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.waived_by is None]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.waived_by is None and f.severity is severity)

    @property
    def waived(self) -> int:
        return sum(1 for f in self.findings if f.waived_by is not None)


#: A format turns a report into text; ``colour`` is only ever true on a terminal.
Formatter = Callable[[Report, bool], str]


def _text(report: Report, colour: bool) -> str:
    from tabard.report.text import render

    return render(report, colour)


def _json(report: Report, colour: bool) -> str:
    from tabard.report.json_format import render

    return render(report)


def _lazy(module: str) -> Formatter:
    """A format whose module is imported only when a run asks for it."""

    def render(report: Report, colour: bool) -> str:
        from importlib import import_module

        function: Callable[[Report], str] = import_module(f"tabard.report.{module}").render
        return function(report)

    return render


BUILTIN_FORMATS: Final[dict[str, Formatter]] = {
    "text": _text,
    "json": _json,
    "sarif": _lazy("sarif"),
    "junit": _lazy("junit"),
    "github": _lazy("github"),
    "gitlab": _lazy("gitlab"),
    "markdown": _lazy("markdown"),
}
