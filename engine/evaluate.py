"""Run compiled rules over the documents being checked (design §4, steps 4 and 5)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from tabard.documents import Document
from tabard.engine_findings import engine_finding
from tabard.errors import PluginError, Problem
from tabard.findings import Finding, Severity
from tabard.language.compiler import RuleCannotRun
from tabard.language.context import Context
from tabard.language.paths import Concrete, format_path
from tabard.language.rules import Rule
from tabard.plugin_manager import PluginCrash
from tabard.repository import Repository

_DOCUMENT_FILES = {
    "Force": "force/force.yaml",
    "Strategy": "force/strategy.yaml",
    "BrandGuide": "force/brand.yaml",
}


def _severity(rule: Rule, today: date) -> tuple[Severity, str]:
    pending = rule.enforce_from is not None and today < rule.enforce_from
    if pending and rule.severity is Severity.ERROR:
        assert rule.enforce_from is not None
        return Severity.WARNING, f" (an error from {rule.enforce_from.isoformat()})"
    return rule.severity, ""


def rule_finding(
    rule: Rule, document: Document, where: Concrete, today: date, message: str | None = None
) -> Finding:
    line, column = document.locate(where)
    severity, note = _severity(rule, today)
    text = rule.message.render(document.data, where) if message is None else message
    return Finding(
        rule=rule.id,
        severity=severity,
        file=document.file,
        line=line,
        column=column,
        message=text + note,
        path=format_path(where),
        document=document.id,
        force=document.force,
        policy=rule.policy,
    )


class _MissingDocuments:
    """Force documents that rules needed but the repository lacks (one TAB-007 each)."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], Document] = {}
        self.rules: dict[tuple[str, str], set[str]] = defaultdict(set)

    def add(self, force: str, kind: str, rule: str, document: Document) -> None:
        self.first.setdefault((force, kind), document)
        self.rules[(force, kind)].add(rule)

    def findings(self) -> list[Finding]:
        found = []
        for (force, kind), document in self.first.items():
            rules = sorted(self.rules[(force, kind)])
            line, column = document.locate(("force",))
            found.append(
                engine_finding(
                    "TAB-007",
                    document.file,
                    line,
                    column,
                    f"force {force!r} has no {kind} document, so {len(rules)} rule"
                    f"{'s' if len(rules) != 1 else ''} cannot be checked ({', '.join(rules)}): "
                    f"write one (kind: {kind}, force: {force}), e.g. {_DOCUMENT_FILES[kind]}",
                    path="force",
                    document=document.id,
                    force=force,
                )
            )
        return found


def _has(
    kinds: frozenset[str],
    force: object,
    rule: Rule,
    document: Document,
    missing: _MissingDocuments,
    has_document: Callable[[str, object], bool],
) -> bool:
    """Whether the force has every document *kinds* names; record those it lacks."""
    if not kinds:
        return True
    if not isinstance(force, str):
        return False  # the schema finding for `force` says what to fix
    lacking = [kind for kind in kinds if not has_document(kind, force)]
    for kind in lacking:
        missing.add(force, kind, rule.id, document)
    return not lacking


def run_rules(
    repository: Repository,
    rules: Iterable[Rule],
    evaluated: Callable[[str], bool],
    today: date,
) -> list[Finding]:
    """Every finding of *rules* on the documents in *evaluated* files."""
    by_kind: dict[str, list[Rule]] = defaultdict(list)
    for rule in rules:
        by_kind[rule.kind].append(rule)
    missing = _MissingDocuments()
    findings: list[Finding] = []
    has_document = repository.has_force_document
    for document in repository.documents:
        kind_rules = by_kind.get(document.kind)
        if not kind_rules or not evaluated(document.file):
            continue
        data = document.data
        context = Context(data, document.key, repository, today)
        force = context.force
        for rule in kind_rules:
            if rule.forces is not None and force not in rule.forces:
                continue
            try:
                if rule.when is not None:
                    if not _has(
                        rule.when_lookup_kinds, force, rule, document, missing, has_document
                    ):
                        continue
                    if not rule.when(context, data)[0]:
                        continue
                if not _has(rule.lookup_kinds, force, rule, document, missing, has_document):
                    continue
                holds, where = rule.check(context, data)
            except PluginCrash as crash:
                raise PluginError(
                    Problem(
                        f"plugin {crash.plugin!r}: operator {crash.operator!r} {crash.cause} "
                        f"(rule {rule.id})",
                        document.file,
                        hint="fix the plugin, or disable it with "
                        f"TABARD_DISABLE_PLUGINS={crash.plugin}",
                    )
                ) from None
            except RuleCannotRun as problem:
                findings.append(
                    rule_finding(rule, document, (), today, f"cannot check {rule.id}: {problem}")
                )
                continue
            if not holds:
                findings.append(rule_finding(rule, document, where, today))
    findings.extend(missing.findings())
    return findings
