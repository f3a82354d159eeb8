"""Compile conditions (design §3.1 to §3.4) into closures, once per run.

The compiler reads the parsed tree of :mod:`tabard.language.tree`, which has already
checked each condition's shape; it adds the checks that depend on where a condition
sits (inside ``where`` only the document itself may be read; ``unique`` and ``at_most``
cannot sit inside ``satisfies``).  Every problem is raised as :class:`CompileError`
carrying the path of the offending node inside the policy document, so the caller can
point at the exact line and column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final

from tabard.language import tree
from tabard.language.context import Condition, Context, IndexSpec, Outcome
from tabard.language.indexes import CountIndex, GroupIndex, RefIndex, ValuesIndex, group_of
from tabard.language.operators import ArgumentProblem, Operator
from tabard.language.parser import parse_condition
from tabard.language.paths import (
    ABSENT,
    Concrete,
    FieldPath,
    compile_many,
    compile_single,
    concrete_path,
)
from tabard.language.schema_check import argument_problem
from tabard.language.tree import COLLECTION_OPERATORS, CompileError
from tabard.language.values import fold, hashable, show

#: CompileError lives with the parser; the compiler raises it too and callers import it here.
__all__ = ["CompileError", "RuleCannotRun", "Scope", "compile_condition", "compile_tree"]


class RuleCannotRun(Exception):
    """An argument read from a document at run time cannot be used."""


@dataclass
class Scope:
    """What the compiler knows while compiling one rule."""

    operators: Mapping[str, Operator]
    today: date
    rule_kind: str = "Account"
    lookup_kinds: set[str] = field(default_factory=set)
    #: The repository indexes the rule reads (a streaming run builds them as it reads).
    indexes: list[IndexSpec] = field(default_factory=list)
    #: Inside ``where``: only the document itself may be read (it is cached).
    pure: bool = False
    #: Inside ``satisfies``: field paths are relative to a list item.
    relative: bool = False


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
    """Parse the raw condition *node* (found at *at*) and compile it."""
    return compile_tree(parse_condition(node, at, scope.operators), scope)


def compile_tree(node: tree.Condition, scope: Scope) -> Condition:
    """The closure that evaluates the parsed condition *node*."""
    if isinstance(node, tree.Leaf):
        return _compile_leaf(node, scope)
    if isinstance(node, tree.Not):
        return _not(compile_tree(node.child, scope))
    children = [compile_tree(child, scope) for child in node.children]
    if isinstance(node, tree.AllOf):
        return _all(children)
    if isinstance(node, tree.AnyOf):
        return _any(children)
    return _none(children)


# --- leaves -------------------------------------------------------------------------------


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


def _field_subject(path: FieldPath, scope: Scope) -> Subject:
    if path.absolute and scope.relative:
        plain = _field_subject(replace(path, absolute=False), replace(scope, relative=False))
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


def _lookup(spec: tree.Lookup, scope: Scope) -> Callable[[Context, Any], Any]:
    if scope.pure:
        raise CompileError(
            spec.at, "a `where` condition may only read the document itself, not a lookup"
        )
    kind, path, default = spec.kind, spec.field.path, spec.default
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


def _ref(spec: tree.Ref, scope: Scope) -> Callable[[Context, Any], Any]:
    if scope.pure:
        raise CompileError(
            spec.at, "a `where` condition may only read the document itself, not a ref"
        )
    default = spec.default
    index = RefIndex(spec.kind, spec.field.path)
    scope.indexes.append(index)
    by_value = compile_single(spec.by.path)

    def ref(context: Context, node: Any) -> Any:
        identity = by_value(node, context.data)
        if not isinstance(identity, str):
            return default
        value = context.documents.index(index).get(identity, ABSENT)
        return default if value is ABSENT else value

    return ref


def _paths(refs: tuple[tree.FieldRef, ...]) -> tuple[FieldPath, ...]:
    return tuple(ref.path for ref in refs)


def _where(where: tree.Condition | None, scope: Scope) -> Condition | None:
    if where is None:
        return None
    return compile_tree(where, replace(scope, pure=True, relative=False))


def _count(spec: tree.Count, scope: Scope) -> Callable[[Context, Any], Any]:
    if scope.pure:
        raise CompileError(spec.at, "a `where` condition may not count documents")
    same = _paths(spec.same)
    index = CountIndex(spec.kind, same, _where(spec.where, scope), spec.where_source)
    scope.indexes.append(index)

    def count(context: Context, node: Any) -> Any:
        return context.documents.index(index).get(group_of(same, context.data), 0)

    return count


def _subject(subject: tree.Subject | None, scope: Scope) -> Subject | None:
    if isinstance(subject, tree.FieldRef):
        return _field_subject(subject.path, scope)
    if isinstance(subject, tree.Lookup):
        lookup = _lookup(subject, scope)
        return Subject(lambda context, n: [(("force",), lookup(context, n))], False, ("force",))
    if isinstance(subject, tree.Ref):
        ref = _ref(subject, scope)
        by_path = _base(subject.by.path)
        return Subject(lambda context, n: [(by_path, ref(context, n))], False, by_path)
    return None


Check = Callable[[Any, Context, Any], bool]


def _argument_source(reference: tree.Reference, scope: Scope) -> Callable[[Context, Any], Any]:
    if isinstance(reference, tree.FieldRef):
        get = compile_single(reference.path)
        return lambda context, node: get(node, context.data)
    if isinstance(reference, tree.Lookup):
        return _lookup(reference, scope)
    if isinstance(reference, tree.Ref):
        return _ref(reference, scope)
    return _count(reference, scope)


def _is_reference(argument: Any) -> bool:
    return isinstance(argument, tree.FieldRef | tree.Lookup | tree.Ref | tree.Count)


def _dynamic_check(
    operator: Operator, reference: tree.Reference, ignore_case: bool, scope: Scope
) -> Check:
    """``(value, context, node) -> bool`` for an argument read from a document at run time."""
    source = _argument_source(reference, scope)
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


def _exists_in(spec: tree.ExistsIn, ignore_case: bool, scope: Scope) -> Check:
    norm = fold if ignore_case else (lambda value: value)
    same = _paths(spec.same)
    values = ValuesIndex(
        spec.kind,
        spec.field.path,
        same,
        _where(spec.where, scope),
        spec.where_source,
        ignore_case,
    )
    scope.indexes.append(values)

    def exists(value: Any, context: Context, node: Any) -> bool:
        if value is ABSENT:
            return False
        table = context.documents.index(values)
        return hashable(norm(value)) in table.get(group_of(same, context.data), ())

    return exists


def _group_check(
    name: str, spec: tree.Group, ignore_case: bool, path: FieldPath, scope: Scope
) -> Check:
    """``unique`` and ``at_most``: compare this document with the others of its group."""
    if scope.relative or path.absolute:
        raise CompileError(
            spec.at, f"{name} compares whole documents: it cannot be used inside `satisfies`"
        )
    norm = fold if ignore_case else (lambda value: value)
    within = _paths(spec.within)
    groups = GroupIndex(
        scope.rule_kind, path, within, _where(spec.where, scope), spec.where_source, ignore_case
    )
    scope.indexes.append(groups)

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
    limit = spec.count
    if isinstance(limit, int):
        limit_source: Callable[[Context, Any], Any] = lambda context, node: limit  # noqa: E731
    else:
        assert limit is not None
        limit_source = _argument_source(limit, scope)

    def at_most(value: Any, context: Context, node: Any) -> bool:
        if value is ABSENT:
            return False
        cap = limit_source(context, node)
        if not isinstance(cap, int) or isinstance(cap, bool):
            return False
        group = members(value, context)
        return context.key not in group or group.index(context.key) < cap

    return at_most


def _collection_check(leaf: tree.Leaf, subject: Subject, scope: Scope) -> Check:
    if scope.pure:
        raise CompileError(
            (*leaf.at, leaf.operator), f"{leaf.operator} cannot be used inside a `where` condition"
        )
    if isinstance(leaf.argument, tree.ExistsIn):
        return _exists_in(leaf.argument, leaf.ignore_case, scope)
    assert subject.path is not None
    return _group_check(leaf.operator, leaf.argument, leaf.ignore_case, subject.path, scope)


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
    inner_node: tree.Condition, subject: Subject, quantifier: str, scope: Scope
) -> Condition:
    inner = compile_tree(inner_node, replace(scope, relative=True))
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


def _compile_leaf(leaf: tree.Leaf, scope: Scope) -> Condition:
    name, at = leaf.operator, leaf.at
    subject = _subject(leaf.subject, scope)
    if name == "satisfies":
        assert subject is not None
        return _satisfies(leaf.argument, subject, leaf.quantifier, scope)
    if name in COLLECTION_OPERATORS:
        assert subject is not None
        return _quantified(subject, _collection_check(leaf, subject, scope), leaf.quantifier)
    operator = scope.operators[name]
    if operator.scope != "value":
        return _document_operator(operator, leaf.argument, at, scope)
    assert subject is not None
    if _is_reference(leaf.argument):
        check = _dynamic_check(operator, leaf.argument, leaf.ignore_case, scope)
        return _quantified(subject, check, leaf.quantifier)
    test = _static_test(operator, leaf.argument, leaf.ignore_case, at, scope)
    if subject.get is not None:
        # The commonest leaf, a plain field against a written argument: one call, no lists.
        get, where = subject.get, subject.base

        def leaf_check(context: Context, node: Any) -> Outcome:
            return test(get(node, context.data)), where

        return leaf_check
    if subject.many and leaf.quantifier == "all":
        # [*] against a written argument, every item: the predicate without the wrapper.
        items, base = subject.items, subject.base

        def every_item(context: Context, node: Any) -> Outcome:
            for where, value in items(context, node):
                if not test(value):
                    return False, where
            return True, base

        return every_item
    return _quantified(subject, lambda value, context, node: test(value), leaf.quantifier)


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
