"""Compile conditions (design §3.1 to §3.4) into closures, once per run.

Every problem is raised as :class:`CompileError` carrying the path of the
offending node inside the policy document, so the caller can point at the
exact line and column.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final

from tabard.language.context import Condition, Context, Outcome
from tabard.language.indexes import CountIndex, GroupIndex, RefIndex, ValuesIndex, group_of
from tabard.language.operators import ArgumentProblem, Operator
from tabard.language.paths import (
    ABSENT,
    Concrete,
    FieldPath,
    PathSyntaxError,
    compile_many,
    compile_single,
    concrete_path,
    parse_path,
)
from tabard.language.schema_check import argument_problem
from tabard.language.values import fold, hashable, show

COMBINATORS: Final = ("all", "any", "none", "not")
SUBJECTS: Final = ("field", "lookup", "ref")
LEAF_OPTIONS: Final = ("for", "ignore_case")
REFERENCES: Final = ("field", "lookup", "ref", "count")
FORCE_KINDS: Final = ("Force", "Strategy", "BrandGuide")
DOCUMENT_KINDS: Final = ("Account", "Force", "Strategy", "BrandGuide")
COLLECTION_OPERATORS: Final = ("exists_in", "unique", "at_most")
STRUCTURAL_OPERATORS: Final = ("satisfies", *COLLECTION_OPERATORS)
QUANTIFIERS: Final = ("all", "any", "none")


class CompileError(Exception):
    """A policy problem at *at* (a path inside the policy document)."""

    def __init__(
        self, at: Concrete, message: str, hint: str | None = None, *, key: bool = False
    ) -> None:
        super().__init__(message)
        self.at = at
        self.message = message
        self.hint = hint
        #: The problem is the key at *at* (unknown, misspelt), not its value.
        self.key = key


class RuleCannotRun(Exception):
    """An argument read from a document at run time cannot be used."""


@dataclass
class Scope:
    """What the compiler knows while compiling one rule."""

    operators: Mapping[str, Operator]
    today: date
    rule_kind: str = "Account"
    lookup_kinds: set[str] = field(default_factory=set)
    #: Inside ``where``: only the document itself may be read (it is cached).
    pure: bool = False
    #: Inside ``satisfies``: field paths are relative to a list item.
    relative: bool = False


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


# --- combinators --------------------------------------------------------------------------


def _all(children: list[Condition]) -> Condition:
    def run(context: Context, node: Any) -> Outcome:
        where: Concrete = ()
        for child in children:
            holds, where = child(context, node)
            if not holds:
                return False, where
        return True, where

    return run


def _any(children: list[Condition]) -> Condition:
    def run(context: Context, node: Any) -> Outcome:
        first: Concrete | None = None
        for child in children:
            holds, where = child(context, node)
            if holds:
                return True, where
            if first is None:
                first = where
        return False, first or ()

    return run


def _none(children: list[Condition]) -> Condition:
    def run(context: Context, node: Any) -> Outcome:
        for child in children:
            holds, where = child(context, node)
            if holds:
                return False, where
        return True, ()

    return run


def _not(child: Condition) -> Condition:
    def run(context: Context, node: Any) -> Outcome:
        holds, where = child(context, node)
        return not holds, where

    return run


def compile_condition(node: Any, at: Concrete, scope: Scope) -> Condition:
    if not isinstance(node, dict) or not node:
        raise CompileError(at, f"a condition must be a non-empty mapping, not {show(node)}")
    keys = [key for key in node if not key.startswith("x-")]
    combinators = [key for key in keys if key in COMBINATORS]
    if combinators:
        key = combinators[0]
        if len(keys) > 1:
            others = ", ".join(repr(k) for k in keys if k != key)
            raise CompileError(
                at,
                f"{key!r} cannot share a condition with {others}",
                f"put each condition in its own list item under {key!r}",
            )
        if key == "not":
            return _not(compile_condition(node["not"], (*at, "not"), scope))
        items = node[key]
        if not isinstance(items, list) or not items:
            raise CompileError((*at, key), f"{key!r} takes a non-empty list of conditions")
        children = [
            compile_condition(item, (*at, key, index), scope) for index, item in enumerate(items)
        ]
        return {"all": _all, "any": _any, "none": _none}[key](children)
    return _compile_leaf(node, keys, at, scope)


# --- leaves -------------------------------------------------------------------------------


def _known_words(scope: Scope) -> list[str]:
    return [*scope.operators, *STRUCTURAL_OPERATORS, *COMBINATORS, *SUBJECTS, *LEAF_OPTIONS]


def _operator_key(node: dict[str, Any], keys: list[str], at: Concrete, scope: Scope) -> str:
    operators = [key for key in keys if key not in SUBJECTS and key not in LEAF_OPTIONS]
    for key in operators:
        if key not in scope.operators and key not in STRUCTURAL_OPERATORS:
            raise CompileError(
                (*at, key),
                f"unknown operator {key!r}",
                suggest(key, _known_words(scope)),
                key=True,
            )
    if not operators:
        raise CompileError(
            at,
            "this condition has no operator",
            "add one, e.g. `present: true`, `equals: …` or `matches: …`",
        )
    if len(operators) > 1:
        raise CompileError(
            (*at, operators[1]),
            f"a condition takes one operator, found {operators[0]!r} and {operators[1]!r}",
            "combine several checks with `all:`",
        )
    subjects = [key for key in keys if key in SUBJECTS]
    if len(subjects) > 1:
        raise CompileError(
            (*at, subjects[1]),
            f"use one of {', '.join(SUBJECTS)}, not both {subjects[0]!r} and {subjects[1]!r}",
        )
    return operators[0]


def _path(raw: Any, at: Concrete, *, wildcard: bool = True, placeholder: bool = True) -> FieldPath:
    try:
        path = parse_path(raw)
    except PathSyntaxError as error:
        raise CompileError(at, str(error)) from None
    if not wildcard and path.has_wildcard:
        raise CompileError(at, f"path {raw!r} may not contain [*] here")
    if not placeholder and path.reads_document:
        raise CompileError(
            at,
            f"path {raw!r} may not contain {{placeholders}} here: it is read from other "
            "documents, not the one being checked",
        )
    return path


def _base(path: FieldPath) -> Concrete:
    prefix: list[str | int] = []
    for step in path.steps:
        if not isinstance(step, str | int):
            break  # [*], a filter or a placeholder: the rest depends on the data
        assert isinstance(step, str | int)
        prefix.append(step)
    return tuple(prefix)


Items = Callable[[Context, Any], list[tuple[Concrete, Any]]]


@dataclass
class Subject:
    """Where a leaf's values come from."""

    items: Items
    many: bool
    base: Concrete
    path: FieldPath | None = None
    #: For a plain single-valued field: ``get(node, root)``, located at ``base``.
    get: Callable[[Any, Any], Any] | None = None


#: Leads a location that is already from the document root (a ``$.`` path inside
#: ``satisfies``), so that the list item's path is not put in front of it.
ROOT: Final = "$"


def from_root(where: Concrete) -> Concrete:
    """A location without its ROOT mark, ready to be located in the document."""
    return where[1:] if where[:1] == (ROOT,) else where


def _field_subject(raw: Any, at: Concrete, scope: Scope) -> Subject:
    path = _path(raw, (*at, "field"))
    if path.absolute and scope.relative:
        plain = _field_subject(
            raw[2:] if raw.startswith("$.") else raw, at, replace(scope, relative=False)
        )
        root_items = plain.items
        return Subject(
            lambda context, node: [
                ((ROOT, *where), value) for where, value in root_items(context, context.data)
            ],
            plain.many,
            (ROOT, *plain.base),
            path,
        )
    if path.has_wildcard:
        expand = compile_many(path)
        return Subject(lambda context, node: expand(node, context.data), True, _base(path), path)
    get = compile_single(path)
    if path.has_placeholder:
        return Subject(
            lambda context, node: [(concrete_path(path, context.data), get(node, context.data))],
            False,
            _base(path),
            path,
        )
    static = _base(path)
    return Subject(
        lambda context, node: [(static, get(node, context.data))], False, static, path, get
    )


def _check_kind(raw: Any, allowed: tuple[str, ...], at: Concrete) -> str:
    if raw not in allowed:
        hint = suggest(str(raw), allowed) or f"use one of {', '.join(allowed)}"
        raise CompileError(at, f"unknown document kind {raw!r}", hint)
    return str(raw)


def _mapping(
    raw: Any, at: Concrete, what: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise CompileError(at, f"{what} takes a mapping with {', '.join(required)}")
    for key in raw:
        if key not in required and key not in optional:
            raise CompileError(
                (*at, key),
                f"unknown key {key!r} in {what}",
                suggest(key, [*required, *optional]),
                key=True,
            )
    for key in required:
        if key not in raw:
            raise CompileError(at, f"{what} needs {key!r}")
    return raw


def _lookup(raw: Any, at: Concrete, scope: Scope) -> Callable[[Context, Any], Any]:
    spec = _mapping(raw, at, "lookup", ("kind", "field"), ("default",))
    if scope.pure:
        raise CompileError(
            at, "a `where` condition may only read the document itself, not a lookup"
        )
    kind = _check_kind(spec["kind"], FORCE_KINDS, (*at, "kind"))
    path = _path(spec["field"], (*at, "field"))
    default = spec.get("default", ABSENT)
    scope.lookup_kinds.add(kind)
    if path.has_wildcard:
        # [*] or a filter: the argument is the list of every value found (maybe empty).
        expand = compile_many(path)

        def lookup_many(context: Context, node: Any) -> Any:
            document = context.force_documents.get(kind)
            if document is None:
                return default
            return [v for _, v in expand(document, context.data) if v is not ABSENT]

        return lookup_many
    get = compile_single(path)
    if path.reads_document:

        def lookup_placed(context: Context, node: Any) -> Any:
            document = context.force_documents.get(kind)
            if document is None:
                return default
            value = get(document, context.data)
            return default if value is ABSENT else value

        return lookup_placed
    # The value depends only on the force document: remember it per document, so every
    # account of a force shares one argument (and one compiled predicate).
    memo: dict[int, tuple[Any, Any]] = {}

    def lookup(context: Context, node: Any) -> Any:
        document = context.force_documents.get(kind)
        if document is None:
            return default
        hit = memo.get(id(document))
        if hit is not None and hit[0] is document:
            return hit[1]
        value = get(document, context.data)
        value = default if value is ABSENT else value
        memo[id(document)] = (document, value)
        return value

    return lookup


def _ref(raw: Any, at: Concrete, scope: Scope) -> tuple[Callable[[Context, Any], Any], FieldPath]:
    spec = _mapping(raw, at, "ref", ("kind", "by", "field"), ("default",))
    if scope.pure:
        raise CompileError(at, "a `where` condition may only read the document itself, not a ref")
    kind = _check_kind(spec["kind"], DOCUMENT_KINDS, (*at, "kind"))
    by = _path(spec["by"], (*at, "by"), wildcard=False)
    path = _path(spec["field"], (*at, "field"), wildcard=False, placeholder=False)
    default = spec.get("default", ABSENT)
    index = RefIndex(kind, path)
    by_value = compile_single(by)

    def ref(context: Context, node: Any) -> Any:
        identity = by_value(node, context.data)
        if not isinstance(identity, str):
            return default
        value = context.documents.index(index).get(identity, ABSENT)
        return default if value is ABSENT else value

    return ref, by


def _count(raw: Any, at: Concrete, scope: Scope) -> Callable[[Context, Any], Any]:
    spec = _mapping(raw, at, "count", ("kind",), ("same", "where"))
    if scope.pure:
        raise CompileError(at, "a `where` condition may not count documents")
    kind = _check_kind(spec["kind"], DOCUMENT_KINDS, (*at, "kind"))
    same = _paths(spec.get("same", []), (*at, "same"))
    where = _where(spec, at, scope)
    index = CountIndex(kind, same, where, spec.get("where"))

    def count(context: Context, node: Any) -> Any:
        return context.documents.index(index).get(group_of(same, context.data), 0)

    return count


def _paths(raw: Any, at: Concrete) -> tuple[FieldPath, ...]:
    if not isinstance(raw, list):
        raise CompileError(at, "expected a list of field paths, e.g. [force, platform]")
    return tuple(
        _path(item, (*at, index), wildcard=False, placeholder=False)
        for index, item in enumerate(raw)
    )


def _where(spec: dict[str, Any], at: Concrete, scope: Scope) -> Condition | None:
    if "where" not in spec:
        return None
    return compile_condition(
        spec["where"], (*at, "where"), replace(scope, pure=True, relative=False)
    )


def _subject(node: dict[str, Any], at: Concrete, scope: Scope) -> Subject | None:
    if "field" in node:
        return _field_subject(node["field"], at, scope)
    if "lookup" in node:
        lookup = _lookup(node["lookup"], (*at, "lookup"), scope)
        return Subject(lambda context, n: [(("force",), lookup(context, n))], False, ("force",))
    if "ref" in node:
        ref, by = _ref(node["ref"], (*at, "ref"), scope)
        by_path = _base(by)
        return Subject(lambda context, n: [(by_path, ref(context, n))], False, by_path)
    return None


Check = Callable[[Any, Context, Any], bool]


def _is_reference(raw: Any) -> bool:
    return isinstance(raw, dict) and len(raw) == 1 and next(iter(raw)) in REFERENCES


def _argument_source(
    raw: dict[str, Any], at: Concrete, scope: Scope
) -> Callable[[Context, Any], Any]:
    ((kind, spec),) = raw.items()
    where = (*at, kind)
    if kind == "field":
        path = _path(spec, where, wildcard=False)
        get = compile_single(path)
        return lambda context, node: get(node, context.data)
    if kind == "lookup":
        return _lookup(spec, where, scope)
    if kind == "ref":
        return _ref(spec, where, scope)[0]
    return _count(spec, where, scope)


def _value_check(
    operator: Operator, raw: Any, ignore_case: bool, at: Concrete, scope: Scope
) -> Check:
    """``(value, context, node) -> bool`` for a value operator and its argument."""
    if operator.references and _is_reference(raw):
        source = _argument_source(raw, (*at, operator.name), scope)
        cache: list[Any] = [ABSENT, None]

        def dynamic(value: Any, context: Context, node: Any) -> bool:
            argument = source(context, node)
            if argument is ABSENT:
                return False
            if argument is not cache[0]:
                problem = argument_problem(operator, argument)
                if problem:
                    raise RuleCannotRun(f"{operator.name} argument {show(argument)}: {problem}")
                try:
                    cache[1] = _absent_aware(
                        operator, operator.make(argument, ignore_case, context.today)
                    )
                except ArgumentProblem as error:
                    raise RuleCannotRun(f"{operator.name} argument: {error}") from None
                cache[0] = argument
            test: Callable[[Any], bool] = cache[1]
            return test(value)

        return dynamic
    test = _static_test(operator, raw, ignore_case, at, scope)
    return lambda value, context, node: test(value)


def _static_test(
    operator: Operator, raw: Any, ignore_case: bool, at: Concrete, scope: Scope
) -> Callable[[Any], bool]:
    """The predicate of an operator whose argument is written in the policy."""
    problem = argument_problem(operator, raw)
    if problem:
        raise CompileError((*at, operator.name), f"{operator.name}: {problem}")
    try:
        test = operator.make(raw, ignore_case, scope.today)
    except ArgumentProblem as error:
        raise CompileError((*at, operator.name), f"{operator.name}: {error}") from None
    return _absent_aware(operator, test)


def _absent_aware(operator: Operator, test: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """An absent value fails a positive operator and satisfies a negated one (§3.2)."""
    if operator.handles_absent:
        return test
    if operator.negated:
        return lambda v: True if v is ABSENT else test(v)
    return lambda v: False if v is ABSENT else test(v)


def _collection_check(
    name: str, raw: Any, ignore_case: bool, subject: Subject | None, at: Concrete, scope: Scope
) -> Check:
    where_at = (*at, name)
    if scope.pure:
        raise CompileError(where_at, f"{name} cannot be used inside a `where` condition")
    norm = fold if ignore_case else (lambda value: value)
    if name == "exists_in":
        spec = _mapping(raw, where_at, "exists_in", ("kind", "field"), ("same", "where"))
        kind = _check_kind(spec["kind"], DOCUMENT_KINDS, (*where_at, "kind"))
        path = _path(spec["field"], (*where_at, "field"), placeholder=False)
        same = _paths(spec.get("same", []), (*where_at, "same"))
        values = ValuesIndex(
            kind, path, same, _where(spec, where_at, scope), spec.get("where"), ignore_case
        )

        def exists(value: Any, context: Context, node: Any) -> bool:
            if value is ABSENT:
                return False
            table = context.documents.index(values)
            return hashable(norm(value)) in table.get(group_of(same, context.data), ())

        return exists
    if subject is None or subject.path is None or subject.path.has_placeholder:
        raise CompileError(where_at, f"{name} needs a plain `field:` path to compare")
    if scope.relative or subject.path.absolute:
        raise CompileError(
            where_at, f"{name} compares whole documents: it cannot be used inside `satisfies`"
        )
    spec = _mapping(
        {} if raw is True else raw,
        where_at,
        name,
        ("count",) if name == "at_most" else (),
        ("within", "where"),
    )
    within = _paths(spec.get("within", []), (*where_at, "within"))
    groups = GroupIndex(
        scope.rule_kind,
        subject.path,
        within,
        _where(spec, where_at, scope),
        spec.get("where"),
        ignore_case,
    )

    def members(value: Any, context: Context) -> list[Any]:
        key = (group_of(within, context.data), hashable(norm(value)))
        found: list[Any] = context.documents.index(groups).get(key, [])
        return found

    if name == "unique":

        def unique(value: Any, context: Context, node: Any) -> bool:
            if value is ABSENT:
                return False
            return all(member == context.key for member in members(value, context))

        return unique
    limit = spec["count"]
    if _is_reference(limit):
        limit_source = _argument_source(limit, (*where_at, "count"), scope)
    elif isinstance(limit, int) and not isinstance(limit, bool) and limit >= 0:
        limit_source = lambda context, node: limit  # noqa: E731
    else:
        raise CompileError(
            (*where_at, "count"),
            "count must be a whole number of 0 or more, or a {lookup: …} / {field: …} reference",
        )

    def at_most(value: Any, context: Context, node: Any) -> bool:
        if value is ABSENT:
            return False
        cap = limit_source(context, node)
        if not isinstance(cap, int) or isinstance(cap, bool):
            return False
        group = members(value, context)
        return context.key not in group or group.index(context.key) < cap

    return at_most


def _quantified(subject: Subject, check: Check, quantifier: str) -> Condition:
    items, base = subject.items, subject.base
    if quantifier == "all":

        def every(context: Context, node: Any) -> Outcome:
            for where, value in items(context, node):
                if not check(value, context, node):
                    return False, where
            return True, base

        return every
    if quantifier == "any":

        def some(context: Context, node: Any) -> Outcome:
            found = items(context, node)
            for where, value in found:
                if check(value, context, node):
                    return True, where
            return False, found[0][0] if found else base

        return some

    def no(context: Context, node: Any) -> Outcome:
        for where, value in items(context, node):
            if check(value, context, node):
                return False, where
        return True, base

    return no


def _satisfies(
    raw: Any, subject: Subject, quantifier: str, at: Concrete, scope: Scope
) -> Condition:
    inner = compile_condition(raw, (*at, "satisfies"), replace(scope, relative=True))
    items, base = subject.items, subject.base

    def each(context: Context, node: Any) -> list[tuple[bool, Concrete]]:
        results = []
        for where, value in items(context, node):
            if value is ABSENT or value is None:
                results.append((False, where))
            else:
                holds, inside = inner(context, value)
                results.append((holds, inside if inside[:1] == (ROOT,) else (*where, *inside)))
        return results

    def run(context: Context, node: Any) -> Outcome:
        results = each(context, node)
        if quantifier == "all":
            return next(((False, w) for ok, w in results if not ok), (True, base))
        if quantifier == "any":
            return next(
                ((True, w) for ok, w in results if ok), (False, results[0][1] if results else base)
            )
        return next(((False, w) for ok, w in results if ok), (True, base))

    return run


def _compile_leaf(node: dict[str, Any], keys: list[str], at: Concrete, scope: Scope) -> Condition:
    name = _operator_key(node, keys, at, scope)
    subject = _subject(node, at, scope)
    quantifier = node.get("for", "all")
    if quantifier not in QUANTIFIERS:
        raise CompileError(
            (*at, "for"),
            f"`for` must be one of {', '.join(QUANTIFIERS)}",
            suggest(str(quantifier), QUANTIFIERS),
        )
    if "for" in node and not (subject and subject.many):
        raise CompileError((*at, "for"), "`for` needs a field path with [*] to range over")
    ignore_case = node.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        raise CompileError((*at, "ignore_case"), "ignore_case must be true or false")
    operator = scope.operators.get(name)
    if ignore_case and not (
        name in ("exists_in", "unique", "at_most") or (operator and operator.ignore_case)
    ):
        raise CompileError((*at, "ignore_case"), f"ignore_case does not apply to {name!r}")
    raw = node[name]
    if name == "satisfies":
        if subject is None:
            raise CompileError((*at, name), "satisfies needs a `field:` holding mappings")
        return _satisfies(raw, subject, quantifier, at, scope)
    if name in COLLECTION_OPERATORS:
        check = _collection_check(name, raw, ignore_case, subject, at, scope)
        if subject is None:
            raise CompileError((*at, name), f"{name} needs a `field:` to take values from")
        return _quantified(subject, check, quantifier)
    assert operator is not None
    if operator.scope != "value":
        if subject is not None:
            raise CompileError(
                (*at, name),
                f"{name} works on the whole document: remove "
                f"{next(k for k in SUBJECTS if k in node)!r}",
            )
        return _document_operator(operator, raw, at, scope)
    if subject is None:
        raise CompileError((*at, name), f"{name!r} needs a `field:` (or `lookup:`/`ref:`) to test")
    if subject.get is not None and not (operator.references and _is_reference(raw)):
        # The commonest leaf, a plain field against a written argument: one call, no lists.
        test, get, where = (
            _static_test(operator, raw, ignore_case, at, scope),
            subject.get,
            subject.base,
        )

        def leaf(context: Context, node: Any) -> Outcome:
            return test(get(node, context.data)), where

        return leaf
    if subject.many and quantifier == "all" and not (operator.references and _is_reference(raw)):
        # [*] against a written argument, every item: the predicate without the wrapper.
        predicate, items, base = (
            _static_test(operator, raw, ignore_case, at, scope),
            subject.items,
            subject.base,
        )

        def every_item(context: Context, node: Any) -> Outcome:
            for where, value in items(context, node):
                if not predicate(value):
                    return False, where
            return True, base

        return every_item
    check = _value_check(operator, raw, ignore_case, at, scope)
    return _quantified(subject, check, quantifier)


def _document_operator(operator: Operator, raw: Any, at: Concrete, scope: Scope) -> Condition:
    """Operators that look at a whole document (``no_secrets``, plugin operators)."""
    problem = argument_problem(operator, raw)
    if problem:
        raise CompileError((*at, operator.name), f"{operator.name}: {problem}")
    if operator.scope == "collection" and scope.pure:
        raise CompileError(
            (*at, operator.name), f"{operator.name} cannot be used inside a `where` condition"
        )
    run: Condition = operator.make(raw, False, scope.today)
    return run
