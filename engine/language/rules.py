"""A rule as evaluated: its metadata plus its compiled conditions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tabard.findings import Severity
from tabard.language import parser, tree
from tabard.language.compiler import CompileError, Scope, compile_both
from tabard.language.context import Condition, Decision, IndexSpec
from tabard.language.messages import Message, MessageError, parse_message
from tabard.language.operators import Operator
from tabard.language.path_check import check_paths
from tabard.language.paths import Concrete
from tabard.language.values import parse_date


@dataclass(frozen=True, eq=False)
class Rule:
    id: str
    title: str
    severity: Severity
    policy: str
    kind: str
    check: Condition
    message: Message
    when: Condition | None = None
    #: ``check`` and ``when`` as decisions (``tabard.language.decide``): whether they
    #: hold, without where; ``check`` is run only on a document ``decide`` failed.
    decide: Decision | None = None
    decide_when: Decision | None = None
    forces: frozenset[str] | None = None
    #: Force documents ``when`` and ``assert`` read through ``lookup``: a document the
    #: force lacks is one TAB-007, decided for ``when`` first so that a rule that does
    #: not apply to a document never asks for documents it would need.
    when_lookup_kinds: frozenset[str] = frozenset()
    lookup_kinds: frozenset[str] = frozenset()
    #: The repository indexes ``when`` and ``assert`` read.
    indexes: tuple[IndexSpec, ...] = ()
    rationale: str = ""
    references: tuple[str, ...] = ()
    fix: str = ""
    description: str = ""
    locked: bool = False
    enforce_from: date | None = None
    file: str = ""
    line: int = 0
    column: int = 0
    #: The rule as written.
    source: Mapping[str, Any] = field(default_factory=dict)
    #: ``when`` and ``assert`` parsed, for ``tabard explain`` and the rule docs.
    when_tree: tree.Condition | None = None
    assert_tree: tree.Condition | None = None


def _message(raw: Mapping[str, Any], at: Concrete) -> Message:
    try:
        return parse_message(raw.get("message", raw["title"]))
    except MessageError as error:
        raise CompileError((*at, "message"), str(error)) from None


def compile_rule(
    raw: Mapping[str, Any],
    at: Concrete,
    *,
    policy: str,
    operators: Mapping[str, Operator],
    today: date,
    file: str,
    position: tuple[int, int],
    paths_checked: bool = False,
) -> Rule:
    """Compile one rule mapping (already valid against the policy schema).

    *paths_checked*: an earlier run checked this very rule's paths against the same
    schemas (the policy memo), so they are not checked again.
    """
    kind = raw.get("kind", "Account")
    when_tree = (
        parser.parse_condition(raw["when"], (*at, "when"), operators) if "when" in raw else None
    )
    assert_tree = parser.parse_condition(raw["assert"], (*at, "assert"), operators)
    message = _message(raw, at)
    when_scope = Scope(operators=operators, today=today, rule_kind=kind)
    when, decide_when = (
        compile_both(when_tree, when_scope) if when_tree is not None else (None, None)
    )
    scope = Scope(operators=operators, today=today, rule_kind=kind)
    check, decide = compile_both(assert_tree, scope)
    if not paths_checked:
        check_paths(kind, when_tree, assert_tree, message, (*at, "message"))
    enforce_from = parse_date(raw["enforce_from"]) if "enforce_from" in raw else None
    line, column = position
    return Rule(
        id=raw["id"],
        title=raw["title"],
        severity=Severity(raw["severity"]),
        policy=policy,
        kind=kind,
        check=check,
        message=message,
        when=when,
        decide=decide,
        decide_when=decide_when,
        forces=frozenset(raw["forces"]) if "forces" in raw else None,
        when_lookup_kinds=frozenset(when_scope.lookup_kinds),
        lookup_kinds=frozenset(scope.lookup_kinds),
        indexes=(*when_scope.indexes, *scope.indexes),
        rationale=raw.get("rationale", ""),
        references=tuple(raw.get("references", ())),
        fix=raw.get("fix", ""),
        description=raw.get("description", ""),
        locked=bool(raw.get("locked", False)),
        enforce_from=enforce_from,
        file=file,
        line=line,
        column=column,
        source=raw,
        when_tree=when_tree,
        assert_tree=assert_tree,
    )
