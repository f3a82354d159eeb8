"""Run compiled rules over the documents being checked (design §4, steps 4 and 5)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Final

from tabard.documents.document import Document
from tabard.documents.engine_rules import engine_finding
from tabard.documents.repository import Repository
from tabard.errors import PluginCrash, PluginError, Problem
from tabard.findings import Finding, Severity
from tabard.language.codegen import generated, generated_rule
from tabard.language.compiler import RuleCannotRun, from_root
from tabard.language.context import Condition, Context, Decision, DocumentKey, Documents
from tabard.language.decide import holds_of
from tabard.language.paths import Concrete, format_path
from tabard.language.rules import Rule

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
    where = from_root(where)
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
    """Force documents that rules needed but the repository lacks (one TAB-007 each).

    Each is reported at the first document, in file order, whose rules needed it, and
    they are listed in that order, whatever order the documents were evaluated in.
    """

    def __init__(self) -> None:
        #: (force, kind) -> ((document key, order within its evaluation), document)
        self.first: dict[tuple[str, str], tuple[tuple[DocumentKey, int], Document]] = {}
        self.rules: dict[tuple[str, str], set[str]] = defaultdict(set)

    def add(self, lacking: Lacking, document: Document) -> None:
        for order, (force, kind, rule) in enumerate(lacking):
            place = (document.key, order)
            known = self.first.get((force, kind))
            if known is None or place < known[0]:
                self.first[(force, kind)] = (place, document)
            self.rules[(force, kind)].add(rule)

    def findings(self) -> list[Finding]:
        found = []
        for (force, kind), (_, document) in sorted(self.first.items(), key=lambda i: i[1][0]):
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


#: (force, kind, rule id) for each force document a rule needed and the force lacks.
Lacking = list[tuple[str, str, str]]


#: Each rule with its decisions (whether ``when`` and ``assert`` hold), its condition (which
#: says where ``assert`` fails) and the force documents it lacks for each.
Plan = list[tuple[Rule, Decision | None, Decision, Condition, tuple[str, ...], tuple[str, ...]]]


#: Documents evaluated before the rules' decisions are generated as Python
#: (:mod:`tabard.language.codegen`).  Compiling the built-in and bundled rules (about 85
#: functions) takes about 25 ms, which the generated decisions win back over about 350
#: accounts: a run over fewer documents than this never pays it.
GENERATE_AFTER: Final = 500


def _plan(
    rules: list[Rule],
    force: object,
    has_document: Callable[[str, object], bool],
    written: Written | None,
) -> Plan:
    """The rules that apply to one force's documents, each with the force documents it
    lacks (for ``when``, then for ``assert``): worked out once per force, not per document.
    With *written*, each decision is its generated function, written once per rule."""
    plan: Plan = []
    for rule in rules:
        if rule.forces is not None and force not in rule.forces:
            continue
        if not isinstance(force, str) and (rule.when_lookup_kinds or rule.lookup_kinds):
            continue  # the schema finding for `force` says what to fix
        lacking_when = tuple(k for k in rule.when_lookup_kinds if not has_document(k, force))
        lacking = tuple(k for k in rule.lookup_kinds if not has_document(k, force))
        decide = rule.decide if rule.decide is not None else holds_of(rule.check)
        if rule.when is not None and rule.decide_when is None:
            decide_when: Decision | None = holds_of(rule.when)
        else:
            decide_when = rule.decide_when
        if written is not None:
            decide_when, decide = _written(
                written, rule, decide_when, decide, lacking_when + lacking
            )
        plan.append((rule, decide_when, decide, rule.check, lacking_when, lacking))
    return plan


#: (id of a rule, whether it was written whole) -> its generated ``when`` and ``assert``.
Written = dict[tuple[int, bool], tuple[Decision | None, Decision]]


def _written(
    written: Written, rule: Rule, when: Decision | None, decide: Decision, lacking: tuple[str, ...]
) -> tuple[Decision | None, Decision]:
    """A rule's decisions generated (``tabard.language.codegen``): a rule that lacks no
    force document as one function, ``not when or assert``; forces share them."""
    whole = when is not None and not lacking
    key = (id(rule), whole)
    found = written.get(key)
    if found is None:
        if whole:
            assert when is not None
            found = (None, generated_rule(when, decide))
        else:
            found = (None if when is None else generated(when), generated(decide))
        written[key] = found
    return found


def _crash(crash: PluginCrash, rule: Rule, document: Document) -> PluginError:
    return PluginError(
        Problem(
            f"plugin {crash.plugin!r}: operator {crash.operator!r} {crash.cause} (rule {rule.id})",
            document.file,
            hint=f"fix the plugin, or disable it with TABARD_DISABLE_PLUGINS={crash.plugin}",
        )
    )


class Outcomes:
    """What the rules found on one document, before it is committed to the run (a plain
    class: a dataclass's methods are compiled on every import)."""

    __slots__ = ("document", "findings", "lacking")

    def __init__(self, document: Document, findings: list[Finding], lacking: Lacking) -> None:
        self.document = document
        self.findings = findings
        self.lacking = lacking


class RuleRunner:
    """Evaluates the rules on one document at a time, so that a repository can be checked
    while it is read (``tabard.run.streaming``) as well as once it is all loaded."""

    def __init__(self, repository: Repository, rules: Iterable[Rule], today: date) -> None:
        self.repository = repository
        self.today = today
        self.by_kind: dict[str, list[Rule]] = defaultdict(list)
        for rule in rules:
            self.by_kind[rule.kind].append(rule)
        self.plans: dict[tuple[str, object], Plan] = {}
        self.missing = _MissingDocuments()
        self.found: list[Finding] = []
        #: Documents evaluated so far, until the decisions are generated.
        self.evaluated = 0
        #: The generated decisions, once there are (the rules, held above, keep their ids).
        self.written: Written | None = None

    def forget_plans(self) -> None:
        """Plans depend on the force documents: work them out again once all are read."""
        self.plans.clear()

    def evaluate(self, document: Document, documents: Documents | None = None) -> Outcomes:
        """The rules' findings on *document*, reading the repository through *documents*."""
        outcomes = Outcomes(document, [], [])
        kind_rules = self.by_kind.get(document.kind)
        if not kind_rules:
            return outcomes
        if self.written is None:
            self.count_evaluation()
        repository = self.repository
        today = self.today
        data = document.data
        force = data.get("force") if type(data) is dict else None
        if not isinstance(force, str):
            force = None  # a list or mapping here is a schema finding, not a force
        plan = self.plans.get((document.kind, force))
        if plan is None:
            plan = self.plans[(document.kind, force)] = _plan(
                kind_rules, force, repository.has_force_document, self.written
            )
        context = Context(
            data, document.key, documents or repository, today, repository.force_documents(force)
        )
        findings = outcomes.findings
        for rule, when, decide, check, lacking_when, lacking in plan:
            try:
                if lacking_when:
                    outcomes.lacking += [(force, kind, rule.id) for kind in lacking_when]  # type: ignore[misc]
                    continue
                if when is not None and not when(context, data):
                    continue
                if lacking:
                    outcomes.lacking += [(force, kind, rule.id) for kind in lacking]  # type: ignore[misc]
                    continue
                if decide(context, data):
                    continue
                # Failed: the condition, which evaluates the same way, says where.
                holds, where = check(context, data)
            except PluginCrash as crash:
                raise _crash(crash, rule, document) from None
            except RuleCannotRun as problem:
                findings.append(
                    rule_finding(rule, document, (), today, f"cannot check {rule.id}: {problem}")
                )
                continue
            if not holds:
                findings.append(rule_finding(rule, document, where, today))
        return outcomes

    def count_evaluation(self) -> None:
        """Generate the decisions once enough documents show the run is a long one."""
        self.evaluated += 1
        if self.evaluated >= GENERATE_AFTER:
            self.written = {}
            self.plans.clear()

    def commit(self, outcomes: Outcomes) -> None:
        self.found += outcomes.findings
        if outcomes.lacking:
            self.missing.add(outcomes.lacking, outcomes.document)

    def findings(self) -> list[Finding]:
        return self.found + self.missing.findings()


def run_rules(
    repository: Repository,
    rules: Iterable[Rule],
    evaluated: Callable[[str], bool],
    today: date,
    runner: RuleRunner | None = None,
) -> list[Finding]:
    """Every finding of *rules* on the documents in *evaluated* files; with a *runner*
    that already evaluated some documents while they were read, the rest."""
    if runner is None:
        runner = RuleRunner(repository, rules, today)
    by_kind = runner.by_kind
    for document in repository.documents:
        # A plain loop over every document of a targeted run: no call for the others.
        if document.kind not in by_kind or document.streamed or not evaluated(document.file):
            continue
        runner.commit(runner.evaluate(document))
    return runner.findings()
