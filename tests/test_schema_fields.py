"""Every field a force fills in is either read by a rule or marked informational.

A manager who sets a field believes it is enforced.  This test walks every property path
of the four documents forces write (Account, Strategy, BrandGuide, Force; ``$ref`` s
resolved, list items as ``[*]``, free mapping keys as ``{}``) and collects every path the
built-in packs and the bundled plugins' packs read (``field``, ``lookup``, ``ref``,
``count``, ``exists_in``, ``unique``, ``at_most``, ``satisfies``, list filters, path
placeholders and message placeholders).  A field passes when

* a rule reads it, or a part of it, or compares it whole (``equals``), or
* it, or a field that holds it, is marked ``"x-informational": "<why>"`` (a record for
  people: names, titles, notes, dates kept for the register), or listed with its reason
  in the schema root's ``x-informational-paths`` (for fields of a shared definition), or
* it is marked ``"x-read-by": "<who>"``: read by the engine or by a plugin's Python code,
  which no pack shows.

It also fails when a field marked informational is in fact read by a rule, so the marks
stay true.  Config, Waiver, Policy and PolicyTest documents are the engine's own input
and are not walked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import pytest
import yaml

SCHEMAS = files("tabard.schemas")
PACKS = [*files("tabard.policies").iterdir(), *files("tabard.plugins").iterdir()]
DOCUMENTS = {
    "Account": "account.schema.json",
    "Strategy": "strategy.schema.json",
    "BrandGuide": "brand-guide.schema.json",
    "Force": "force.schema.json",
}
#: Operators that compare the whole value: reading a mapping this way reads all of it.
WHOLE_VALUE = frozenset({"equals", "not_equals"})
REFERENCE_KEYS = frozenset({"field", "lookup", "ref", "count"})
_STEP = re.compile(r"\[(?P<bracket>[^\]]*)\]|\.?(?P<key>\{[^{}]*\}|[^.\[]+)")


@dataclass(frozen=True)
class SchemaField:
    path: str
    marks: tuple[str, ...]  # the x- marks on the field and on the fields that hold it


# --- the schema side -------------------------------------------------------------------


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / name).read_text("utf-8"))
    return loaded


def _resolve(node: dict[str, Any], document: str) -> tuple[dict[str, Any], str]:
    while "$ref" in node:
        target, _, pointer = node["$ref"].partition("#")
        document = target or document
        resolved: Any = _load(document)
        for step in pointer.strip("/").split("/"):
            if step:
                resolved = resolved[step]
        node = {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}
    return node, document


def _marks(node: dict[str, Any]) -> tuple[str, ...]:
    return tuple(key for key in ("x-informational", "x-read-by") if node.get(key))


def _walk(
    node: dict[str, Any], document: str, path: str, inherited: tuple[str, ...]
) -> Iterator[SchemaField]:
    node, document = _resolve(node, document)
    items = node.get("items")
    if isinstance(items, dict):
        yield from _walk(items, document, f"{path}[*]", inherited)
    free = node.get("additionalProperties")
    if isinstance(free, dict):
        yield from _walk(free, document, f"{path}.{{}}", inherited)
    for key, child in (node.get("properties") or {}).items():
        child_path = f"{path}.{key}" if path else key
        resolved, _ = _resolve(child, document)
        marks = _marks(child) + _marks(resolved)
        inherited_here = inherited + tuple(m for m in marks if m == "x-informational")
        yield SchemaField(child_path, inherited + marks)
        yield from _walk(child, document, child_path, inherited_here)


def schema_fields(kind: str) -> list[SchemaField]:
    """Every property path of *kind*, with its marks.  A field reached through a shared
    ``$defs`` entry (a person) is marked for one place in the root's
    ``x-informational-paths``."""
    root = _load(DOCUMENTS[kind])
    by_path = root.get("x-informational-paths", {})
    return [
        SchemaField(f.path, (*f.marks, "x-informational")) if by_path.get(f.path) else f
        for f in _walk(root, DOCUMENTS[kind], "", ())
    ]


# --- the rule side ---------------------------------------------------------------------


@dataclass
class Reads:
    #: kind -> paths read (normalised: list steps as [*], placeholders as {})
    paths: dict[str, set[str]] = field(default_factory=dict)
    #: kind -> paths compared whole
    whole: dict[str, set[str]] = field(default_factory=dict)


class Collector:
    def __init__(self) -> None:
        self.reads = Reads()

    def read(self, kind: str, path: str, root_kind: str, *, whole: bool = False) -> str:
        """Record *path* as read on *kind*; placeholders and filter values are read on
        *root_kind*, the document the rule checks."""
        normal = ""
        for match in _STEP.finditer(path.removeprefix("$.")):
            bracket, key = match["bracket"], match["key"]
            if bracket is not None:
                filter_key, equals, value = bracket.partition("=")
                normal += "[*]"
                if equals:
                    self.reads.paths.setdefault(kind, set()).add(f"{normal}.{filter_key.strip()}")
                    if value.strip().startswith("{"):
                        self.read(root_kind, value.strip()[1:-1], root_kind)
            elif key.startswith("{"):
                self.read(root_kind, key[1:-1], root_kind)
                normal += ".{}"
            else:
                normal += f".{key}" if normal else key
        self.reads.paths.setdefault(kind, set()).add(normal)
        if whole:
            self.reads.whole.setdefault(kind, set()).add(normal)
        return normal

    def rule(self, rule: dict[str, Any]) -> None:
        kind = rule.get("kind", "Account")
        for key in ("when", "assert"):
            if key in rule:
                self.condition(rule[key], kind, kind, "")
        for placeholder in re.findall(
            r"(?<!\{)\{([a-z_][a-z0-9_.\[\]*]*)\}", rule.get("message", "")
        ):
            if placeholder not in ("id", "field", "value"):
                self.read(kind, placeholder, kind)

    def condition(self, node: Any, kind: str, root_kind: str, prefix: str) -> None:
        if not isinstance(node, dict):
            return
        for combinator in ("all", "any", "none"):
            for child in node.get(combinator, []):
                self.condition(child, kind, root_kind, prefix)
        if "not" in node:
            self.condition(node["not"], kind, root_kind, prefix)
        operators = [k for k in node if k not in {"field", "lookup", "ref", "for", "ignore_case"}]
        whole = any(op in WHOLE_VALUE for op in operators)
        subject_kind, subject = self.subject(node, kind, root_kind, prefix, whole=whole)
        for operator in operators:
            argument = node[operator]
            if operator == "satisfies" and subject is not None:
                self.condition(argument, subject_kind, root_kind, subject)
            elif operator == "distinct" and isinstance(argument, str) and subject is not None:
                self.read(subject_kind, f"{subject}[*].{argument}", root_kind)
            elif operator in ("exists_in", "unique", "at_most"):
                self.collection(operator, argument, kind, root_kind)
            else:
                self.argument(argument, kind, root_kind, prefix, whole=whole)

    def _path(self, prefix: str, path: str) -> str:
        return path if path.startswith("$.") or not prefix else f"{prefix}.{path}"

    def subject(
        self, node: dict[str, Any], kind: str, root_kind: str, prefix: str, *, whole: bool
    ) -> tuple[str, str | None]:
        if "field" in node:
            return kind, self.read(kind, self._path(prefix, node["field"]), root_kind, whole=whole)
        if "lookup" in node:
            lookup = node["lookup"]
            return lookup["kind"], self.read(
                lookup["kind"], lookup["field"], root_kind, whole=whole
            )
        if "ref" in node:
            ref = node["ref"]
            self.read(kind, self._path(prefix, ref["by"]), root_kind)
            return ref["kind"], self.read(ref["kind"], ref["field"], root_kind, whole=whole)
        return kind, None

    def argument(
        self, argument: Any, kind: str, root_kind: str, prefix: str, *, whole: bool
    ) -> None:
        if not isinstance(argument, dict) or len(argument) != 1:
            return
        ((key, value),) = argument.items()
        if key not in REFERENCE_KEYS:
            return
        if key == "field":
            self.read(kind, self._path(prefix, value), root_kind, whole=whole)
        elif key == "count":
            self.collection("count", value, kind, root_kind)
        else:
            self.subject({key: value}, kind, root_kind, prefix, whole=whole)

    def collection(self, operator: str, argument: Any, kind: str, root_kind: str) -> None:
        if not isinstance(argument, dict):
            return
        other = argument.get("kind", kind)
        if "field" in argument:
            self.read(other, argument["field"], other)
        for same in argument.get("same", []):
            self.read(kind, same, kind)
            self.read(other, same, other)
        for within in argument.get("within", []):
            self.read(kind, within, kind)
        if "where" in argument:
            self.condition(argument["where"], other, other, "")
        if isinstance(argument.get("count"), dict):
            self.argument(argument["count"], kind, root_kind, "", whole=False)


def rule_reads() -> Reads:
    collector = Collector()
    for pack in PACKS:
        if pack.name.endswith(".yaml"):
            for rule in yaml.safe_load(pack.read_text("utf-8")).get("rules", []):
                collector.rule(rule)
    return collector.reads


# --- matching --------------------------------------------------------------------------


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(path).replace(r"\{\}", r"[^.\[]+"))


def _related(schema_path: str, read: str, whole: bool) -> bool:
    """The read touches the field: it is the field, inside it, or (whole) holds it."""
    pattern = _pattern(read)
    if pattern.fullmatch(schema_path):
        return True
    inside = re.compile(pattern.pattern + r"(?:\.|\[).*")
    holds = re.compile(re.escape(schema_path).replace(r"\{\}", r"[^.\[]+") + r"(?:\.|\[).*")
    return bool(holds.fullmatch(read)) or (whole and bool(inside.fullmatch(schema_path)))


def is_read(kind: str, path: str, reads: Reads) -> bool:
    whole = reads.whole.get(kind, set())
    return any(_related(path, read, read in whole) for read in reads.paths.get(kind, set()))


READS = rule_reads()


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_every_field_is_read_or_marked_informational(kind: str) -> None:
    unread = [
        field.path
        for field in schema_fields(kind)
        if not field.marks and not is_read(kind, field.path, READS)
    ]
    assert unread == [], (
        f"{kind} fields no rule reads: enforce them, remove them, or mark them "
        '"x-informational": "<why>" (or "x-read-by": "<who>") in the schema'
    )


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_fields_marked_informational_are_not_read(kind: str) -> None:
    stale = [
        field.path
        for field in schema_fields(kind)
        if "x-informational" in field.marks and is_read(kind, field.path, READS)
    ]
    assert stale == [], f"{kind} fields marked informational that a rule reads"


def test_the_walk_sees_nested_and_referenced_fields() -> None:
    # Guards against a walk that silently finds nothing: a field behind a $ref, a list
    # item's field and a free mapping's value are all listed.
    account = {field.path for field in schema_fields("Account")}
    assert {"owner.email", "operators[*].mfa", "engagement.monitoring.windows[*].days"} <= account
    assert "assets.{}.kind" in {field.path for field in schema_fields("BrandGuide")}


def test_every_mark_gives_a_reason() -> None:
    for kind, name in DOCUMENTS.items():
        root = _load(name)
        for path, why in root.get("x-informational-paths", {}).items():
            assert isinstance(why, str), (kind, path)
            assert len(why) > 10, (kind, path)
            assert path in {found.path for found in _walk(root, name, "", ())}, (kind, path)
        for found in _walk(root, name, "", ()):
            node = _node(root, name, found.path)
            for mark in ("x-informational", "x-read-by"):
                why = node.get(mark)
                assert why is None or (isinstance(why, str) and len(why) > 10), (kind, found)


def _node(root: dict[str, Any], name: str, path: str) -> dict[str, Any]:
    node, document = root, name
    for match in _STEP.finditer(path):
        node, document = _resolve(node, document)
        if match["bracket"] is not None:
            node = node["items"]
        elif match["key"] == "{}":
            node = node["additionalProperties"]
        else:
            node = node["properties"][match["key"]]
    return node


def test_the_collector_sees_every_kind_of_read() -> None:
    strategy, account = READS.paths["Strategy"], READS.paths["Account"]
    assert "objectives[*].allowed_account_types[*]" in strategy  # a lookup with a filter
    assert "objectives[*].id" in strategy  # the filter's key
    assert "strategy.objectives" in account  # the filter's placeholder
    assert "pre_election_periods[*].start" in strategy  # inside satisfies
    assert "engagement.election_sensitive" in account  # an exists_in where
    assert "operators[*].mfa" in account  # satisfies on a list of mappings
    assert not is_read("Strategy", "objectives[*].title", READS)
