"""Output formats for `tabard check` and `tabard validate`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Final

from tabard.findings import Finding, Severity
from tabard.record import Record


class Loosened(Record):
    """What ``tabard.yaml`` switched off or softened, so every report can say so."""

    _fields = ("packs_left_out", "rules_disabled", "severities_lowered", "plugins_disabled")
    __slots__ = _fields
    #: Built-in packs ``policies:`` leaves out (their locked rules still run).
    packs_left_out: tuple[str, ...]
    rules_disabled: tuple[str, ...]
    #: ``(rule, from, to)`` for every severity the config lowers.
    severities_lowered: tuple[tuple[str, str, str], ...]
    plugins_disabled: tuple[str, ...]

    def __init__(
        self,
        packs_left_out: tuple[str, ...] = (),
        rules_disabled: tuple[str, ...] = (),
        severities_lowered: tuple[tuple[str, str, str], ...] = (),
        plugins_disabled: tuple[str, ...] = (),
    ) -> None:
        self._fill(packs_left_out, rules_disabled, severities_lowered, plugins_disabled)

    def __bool__(self) -> bool:
        return bool(
            self.packs_left_out
            or self.rules_disabled
            or self.severities_lowered
            or self.plugins_disabled
        )


#: The default of :attr:`Report.loosened`: a config that loosens nothing.
NOTHING_LOOSENED: Final = Loosened()


class RuleInfo(Record):
    """What a reader needs to act on a finding of one rule."""

    _fields = ("id", "title", "severity", "policy", "fix", "rationale", "references")
    __slots__ = _fields
    id: str
    title: str
    severity: Severity
    policy: str
    fix: str
    rationale: str
    references: tuple[str, ...]

    def __init__(
        self,
        id: str,
        title: str,
        severity: Severity,
        policy: str,
        fix: str = "",
        rationale: str = "",
        references: tuple[str, ...] = (),
    ) -> None:
        self._fill(id, title, severity, policy, fix, rationale, references)


class Component(Record):
    """A pack or plugin a run used, with its version."""

    _fields = ("name", "version", "origin")
    __slots__ = _fields
    name: str
    version: str
    origin: str

    def __init__(self, name: str, version: str, origin: str = "") -> None:
        self._fill(name, version, origin)


class Context(Record):
    """Everything a report says besides its findings: the rules, packs, plugins, waivers."""

    _fields = ("rules", "packs", "plugins", "waivers")
    __slots__ = _fields
    rules: Mapping[str, RuleInfo]
    packs: tuple[Component, ...]
    plugins: tuple[Component, ...]
    #: Waiver id -> its reason, for formats that show why a finding is excused.
    waivers: Mapping[str, str]

    def __init__(
        self,
        rules: Mapping[str, RuleInfo] | None = None,
        packs: tuple[Component, ...] = (),
        plugins: tuple[Component, ...] = (),
        waivers: Mapping[str, str] | None = None,
    ) -> None:
        self._fill(
            {} if rules is None else rules, packs, plugins, {} if waivers is None else waivers
        )


class Report(Record):
    _fields = ("findings", "documents", "targets", "today", "audit", "context", "loosened")
    __slots__ = _fields
    findings: list[Finding]
    documents: int
    targets: int
    today: date
    audit: bool
    context: Context
    loosened: Loosened

    def __init__(
        self,
        findings: list[Finding],
        documents: int,
        targets: int,
        today: date,
        audit: bool = False,
        context: Context | None = None,
        loosened: Loosened = NOTHING_LOOSENED,
    ) -> None:
        self._fill(
            findings,
            documents,
            targets,
            today,
            audit,
            Context() if context is None else context,
            loosened,
        )

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
