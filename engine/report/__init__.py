"""Output formats for `tabard check` and `tabard validate`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Final

from tabard.findings import Finding, Severity


@dataclass(frozen=True)
class Loosened:
    """What ``tabard.yaml`` switched off or softened, so every report can say so."""

    #: Built-in packs ``policies:`` leaves out (their locked rules still run).
    packs_left_out: tuple[str, ...] = ()
    rules_disabled: tuple[str, ...] = ()
    #: ``(rule, from, to)`` for every severity the config lowers.
    severities_lowered: tuple[tuple[str, str, str], ...] = ()
    plugins_disabled: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.packs_left_out
            or self.rules_disabled
            or self.severities_lowered
            or self.plugins_disabled
        )


@dataclass(frozen=True)
class Report:
    findings: list[Finding]
    documents: int
    targets: int
    today: date
    audit: bool = False
    loosened: Loosened = Loosened()

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


BUILTIN_FORMATS: Final[dict[str, Formatter]] = {"text": _text, "json": _json}
