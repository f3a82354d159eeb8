"""A rule as evaluated: its metadata plus its compiled conditions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import FrozenInstanceError
from datetime import date
from typing import Any

from tabard.findings import Severity
from tabard.language import parser, tree
from tabard.language.compiler import CompileError, Scope, compile_both
from tabard.language.context import Condition, Decision, IndexSpec
from tabard.language.messages import Message, MessageError, parse_message
from tabard.language.operators import Operator
from tabard.language.paths import Concrete
from tabard.language.values import parse_date


class Rule:
    """A compiled rule.  Frozen, and equal only to itself.

    A plain class rather than ``@dataclass(frozen=True, eq=False)``: the dataclass wrote
    and compiled its 24-argument ``__init__``, ``__repr__``, ``__setattr__`` and
    ``__delattr__`` on every check's import (docs/architecture.md, Speed).
    """

    __slots__ = (
        "assert_tree",
        "check",
        "column",
        "decide",
        "decide_when",
        "description",
        "enforce_from",
        "file",
        "fix",
        "forces",
        "id",
        "indexes",
        "kind",
        "line",
        "locked",
        "lookup_kinds",
        "message",
        "policy",
        "rationale",
        "references",
        "severity",
        "source",
        "title",
        "when",
        "when_lookup_kinds",
        "when_tree",
    )
    id: str
    title: str
    severity: Severity
    policy: str
    kind: str
    check: Condition
    message: Message
    when: Condition | None
    #: ``check`` and ``when`` as decisions (``tabard.language.decide``): whether they
    #: hold, without where; ``check`` is run only on a document ``decide`` failed.
    decide: Decision | None
    decide_when: Decision | None
    forces: frozenset[str] | None
    #: Force documents ``when`` and ``assert`` read through ``lookup``: a document the
    #: force lacks is one TAB-007, decided for ``when`` first so that a rule that does
    #: not apply to a document never asks for documents it would need.
    when_lookup_kinds: frozenset[str]
    lookup_kinds: frozenset[str]
    #: The repository indexes ``when`` and ``assert`` read.
    indexes: tuple[IndexSpec, ...]
    rationale: str
    references: tuple[str, ...]
    fix: str
    description: str
    locked: bool
    enforce_from: date | None
    file: str
    line: int
    column: int
    #: The rule as written.
    source: Mapping[str, Any]
    #: ``when`` and ``assert`` parsed, for ``tabard explain`` and the rule docs.
    when_tree: tree.Condition | None
    assert_tree: tree.Condition | None

    def __init__(
        self,
        *,
        id: str,
        title: str,
        severity: Severity,
        policy: str,
        kind: str,
        check: Condition,
        message: Message,
        when: Condition | None = None,
        decide: Decision | None = None,
        decide_when: Decision | None = None,
        forces: frozenset[str] | None = None,
        when_lookup_kinds: frozenset[str] = frozenset(),
        lookup_kinds: frozenset[str] = frozenset(),
        indexes: tuple[IndexSpec, ...] = (),
        rationale: str = "",
        references: tuple[str, ...] = (),
        fix: str = "",
        description: str = "",
        locked: bool = False,
        enforce_from: date | None = None,
        file: str = "",
        line: int = 0,
        column: int = 0,
        source: Mapping[str, Any] | None = None,
        when_tree: tree.Condition | None = None,
        assert_tree: tree.Condition | None = None,
    ) -> None:
        fill = object.__setattr__
        fill(self, "id", id)
        fill(self, "title", title)
        fill(self, "severity", severity)
        fill(self, "policy", policy)
        fill(self, "kind", kind)
        fill(self, "check", check)
        fill(self, "message", message)
        fill(self, "when", when)
        fill(self, "decide", decide)
        fill(self, "decide_when", decide_when)
        fill(self, "forces", forces)
        fill(self, "when_lookup_kinds", when_lookup_kinds)
        fill(self, "lookup_kinds", lookup_kinds)
        fill(self, "indexes", indexes)
        fill(self, "rationale", rationale)
        fill(self, "references", references)
        fill(self, "fix", fix)
        fill(self, "description", description)
        fill(self, "locked", locked)
        fill(self, "enforce_from", enforce_from)
        fill(self, "file", file)
        fill(self, "line", line)
        fill(self, "column", column)
        fill(self, "source", {} if source is None else source)
        fill(self, "when_tree", when_tree)
        fill(self, "assert_tree", assert_tree)

    def with_severity(self, severity: Severity) -> Rule:
        """The same rule at another severity (the config's ``rules:`` overrides)."""
        changed = Rule.__new__(Rule)
        for name in Rule.__slots__:
            object.__setattr__(changed, name, getattr(self, name))
        object.__setattr__(changed, "severity", severity)
        return changed

    def __repr__(self) -> str:
        return f"Rule(id={self.id!r}, policy={self.policy!r}, severity={self.severity!r})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


def _message(raw: Mapping[str, Any], at: Concrete) -> Message:
    try:
        return parse_message(raw.get("message", raw["title"]))
    except MessageError as error:
        raise CompileError((*at, "message"), str(error)) from None


def _check_paths(
    kind: str,
    when: tree.Condition | None,
    check: tree.Condition,
    message: Message,
    message_at: Concrete,
) -> None:
    """``path_check.check_paths``, imported here: a rule the policy memo remembers had
    its paths checked when it was remembered, so a check of unchanged policies never
    loads the checker or its schema walk."""
    from tabard.language.path_check import check_paths

    check_paths(kind, when, check, message, message_at)


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
        _check_paths(kind, when_tree, assert_tree, message, (*at, "message"))
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
