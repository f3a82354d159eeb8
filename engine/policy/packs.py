"""Load policy packs, validate them, compile their rules — or explain why not.

A broken pack is never skipped: every problem in every pack is collected and
reported together, with file, line and column, before anything is checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from tabard.documents import schemas as document_schemas
from tabard.documents.positions import item_positions, locate
from tabard.documents.yamlio import LoadedDocument, YamlError, load_documents
from tabard.errors import PolicyError, Problem
from tabard.language.compiler import CompileError
from tabard.language.operators import Operator
from tabard.language.paths import Concrete
from tabard.language.rules import Rule, compile_rule
from tabard.policy.memo import PolicyMemo, Remembered, content_key
from tabard.record import Record


class PackSource(Record):
    """Where a pack comes from: *display* is the path shown to users.

    A :class:`Record`, not a dataclass: a check builds it on every run, and
    ``docs/architecture.md`` (Speed) says what a dataclass costs at import.
    """

    _fields = ("display", "read", "origin", "locked_only")
    __slots__ = _fields
    display: str
    read: Callable[[], bytes]
    origin: str  # "builtin", "local", or the plugin's name
    #: A built-in pack the config leaves out: only its locked rules are kept.
    locked_only: bool

    def __init__(
        self,
        display: str,
        read: Callable[[], bytes],
        origin: str = "builtin",
        locked_only: bool = False,
    ) -> None:
        self._fill(display, read, origin, locked_only)


class Pack:
    """One Policy document's pack: its names and its compiled rules (a plain class
    rather than a dataclass, for the same reason as :class:`PackSource`)."""

    __slots__ = ("description", "file", "name", "origin", "rules", "title")

    def __init__(
        self,
        name: str,
        title: str,
        description: str,
        file: str,
        origin: str,
        rules: list[Rule] | None = None,
    ) -> None:
        self.name = name
        self.title = title
        self.description = description
        self.file = file
        self.origin = origin
        self.rules: list[Rule] = [] if rules is None else rules

    def with_rules(self, rules: list[Rule]) -> Pack:
        """The same pack with other rules."""
        return Pack(self.name, self.title, self.description, self.file, self.origin, rules)


def _locator(loaded: LoadedDocument) -> Callable[..., tuple[int, int]]:
    def at(path: Concrete, *, key: bool = False) -> tuple[int, int]:
        line, column, _ = locate(loaded, path, key=key)
        return line, column

    return at


def _owner(source: PackSource) -> str:
    """``plugin 'x': `` for packs a plugin ships, so the message names the plugin."""
    return "" if source.origin in ("builtin", "local") else f"plugin {source.origin!r}: "


def _raw(source: PackSource) -> bytes:
    try:
        return source.read()
    except OSError as error:
        raise PolicyError(
            Problem(f"{_owner(source)}cannot read policy file: {error.strerror}", source.display)
        ) from None


def _parse(raw: bytes, source: PackSource) -> list[LoadedDocument]:
    try:
        return load_documents(raw)
    except YamlError as error:
        raise PolicyError(
            Problem(
                f"{_owner(source)}invalid YAML: {error.message}",
                source.display,
                error.line,
                error.column,
            )
        ) from None


def _pack_from(
    loaded: LoadedDocument,
    source: PackSource,
    operators: Mapping[str, Operator],
    today: date,
    problems: list[Problem],
) -> tuple[Pack, list[tuple[int, int]]] | None:
    """The pack of one Policy document, checked in full, and its rules' positions."""
    at = _locator(loaded)
    found = document_schemas.problems("Policy", loaded.data)
    if found:
        for problem in found:
            line, column = at(problem.path, key=problem.key)
            problems.append(
                Problem(
                    _owner(source) + problem.message, source.display, line, column, problem.hint
                )
            )
        return None
    positions = item_positions(loaded, ("rules",))
    pack = _compiled(loaded.data, positions, source, operators, today, problems, at)
    return pack, positions


def _compiled(
    data: dict[str, Any],
    positions: list[tuple[int, int]],
    source: PackSource,
    operators: Mapping[str, Operator],
    today: date,
    problems: list[Problem],
    at: Callable[..., tuple[int, int]] | None,
) -> Pack:
    """The pack of a valid Policy document, its rules compiled.

    Without *at* the document is one the memo remembers as checked in full: its paths
    are not checked again, and a rule that no longer compiles raises CompileError (the
    caller then checks the file in full, which locates the problem).
    """
    pack = Pack(
        data["name"],
        data.get("title", data["name"]),
        data.get("description", ""),
        source.display,
        source.origin,
    )
    for index, raw in enumerate(data["rules"]):
        try:
            pack.rules.append(
                compile_rule(
                    raw,
                    ("rules", index),
                    policy=pack.name,
                    operators=operators,
                    today=today,
                    file=source.display,
                    position=positions[index],
                    paths_checked=at is None,
                )
            )
        except CompileError as error:
            if at is None:
                raise
            line, column = at(error.at, key=error.key)
            problems.append(
                Problem(
                    f"{_owner(source)}rule {raw['id']}: {error.message}",
                    source.display,
                    line,
                    column,
                    error.hint,
                )
            )
    return pack


def _remembered(
    remembered: Remembered,
    source: PackSource,
    operators: Mapping[str, Operator],
    today: date,
) -> list[Pack] | None:
    """The packs of a policy file the memo holds, or None if they no longer compile."""
    try:
        return [
            _compiled(data, positions, source, operators, today, [], None)
            for data, positions in remembered
        ]
    except CompileError:
        return None


def _packs_of(
    raw: bytes,
    source: PackSource,
    operators: Mapping[str, Operator],
    today: date,
    problems: list[Problem],
) -> tuple[list[Pack], Remembered]:
    """Every pack of one policy file, checked in full; what the memo may keep of them."""
    packs: list[Pack] = []
    checked: Remembered = []
    for loaded in _parse(raw, source):
        kind = loaded.data.get("kind") if isinstance(loaded.data, dict) else None
        if kind == "PolicyTest":
            continue  # policy tests live beside policies; `tabard test` runs them
        if kind != "Policy":
            problems.append(
                Problem(
                    f"expected a policy document (kind: Policy), found kind {kind!r}",
                    source.display,
                    loaded.line,
                    loaded.column,
                )
            )
            continue
        found = _pack_from(loaded, source, operators, today, problems)
        if found is not None:
            packs.append(found[0])
            checked.append((loaded.data, found[1]))
    return packs, checked


def load_packs(
    sources: Iterable[PackSource],
    *,
    operators: Mapping[str, Operator],
    today: date,
    memo: PolicyMemo | None = None,
) -> list[Pack]:
    """Compile every Policy document in *sources*; raise PolicyError listing all problems.

    With a *memo*, a file checked in full by an earlier run is only compiled; a file
    checked in full now, without any problem, is remembered.
    """
    problems: list[Problem] = []
    packs: list[Pack] = []
    for source in sources:
        try:
            found = _source_packs(source, operators, today, problems, memo)
        except PolicyError as error:
            problems.extend(error.problems)
            continue
        for pack in found:
            if source.locked_only:
                pack.rules = [rule for rule in pack.rules if rule.locked]
            packs.append(pack)
    problems.extend(_clashes(packs))
    if problems:
        raise PolicyError(problems)
    return packs


def _source_packs(
    source: PackSource,
    operators: Mapping[str, Operator],
    today: date,
    problems: list[Problem],
    memo: PolicyMemo | None,
) -> list[Pack]:
    raw = _raw(source)
    key = content_key(raw) if memo is not None else ""
    if memo is not None:
        remembered = memo.get(key)
        if remembered is not None:
            packs = _remembered(remembered, source, operators, today)
            if packs is not None:
                memo.keep(key)
                return packs
    before = len(problems)
    packs, checked = _packs_of(raw, source, operators, today, problems)
    if memo is not None and len(problems) == before:
        memo.put(key, checked)
    return packs


def _clashes(packs: list[Pack]) -> list[Problem]:
    problems: list[Problem] = []
    names: dict[str, Pack] = {}
    rules: dict[str, Rule] = {}
    for pack in packs:
        if pack.name in names:
            first = names[pack.name]
            problems.append(
                Problem(
                    f"policy name {pack.name!r} is already used by {first.file}",
                    pack.file,
                    None,
                    None,
                    "give each policy pack its own name",
                )
            )
        names.setdefault(pack.name, pack)
        for rule in pack.rules:
            if rule.id.startswith("TAB-"):
                problems.append(
                    Problem(
                        f"rule id {rule.id} uses the prefix TAB, which is kept "
                        "for tabard's own findings",
                        rule.file,
                        rule.line,
                        rule.column,
                    )
                )
            if rule.id in rules:
                first_rule = rules[rule.id]
                problems.append(
                    Problem(
                        f"duplicate rule id {rule.id} (first defined at "
                        f"{first_rule.file}:{first_rule.line}:{first_rule.column})",
                        rule.file,
                        rule.line,
                        rule.column,
                        "give each rule its own id",
                    )
                )
            rules.setdefault(rule.id, rule)
    return problems
