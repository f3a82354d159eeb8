"""The checks of a leaf: an operator's predicate, and the collection operators.

A check is ``(value, context, node) -> bool``; ``quantified`` runs it over the values of a
subject (``all``, ``any`` or ``none``) and says where the rule holds or fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Final

from tabard.language import tree
from tabard.language.context import Condition, Context, Outcome
from tabard.language.indexes import GroupIndex, ValuesIndex, group_reader
from tabard.language.operators.base import ArgumentProblem, Operator
from tabard.language.paths import ABSENT, Concrete, FieldPath
from tabard.language.schema_check import argument_problem
from tabard.language.scope import RuleCannotRun, Scope
from tabard.language.subjects import Subject, argument_source, paths_of, where_condition
from tabard.language.tree import CompileError
from tabard.language.values import fold, hashable, show

Check = Callable[[Any, Context, Any], bool]


def dynamic_check(
    operator: Operator, reference: tree.Reference, ignore_case: bool, scope: Scope
) -> Check:
    """``(value, context, node) -> bool`` for an argument read from a document at run time."""
    source = argument_source(reference, scope)
    #: id(argument) -> (argument, predicate): the arguments seen last, each compiled once.
    #: A lookup hands every account of a force the same object; holding it keeps its id
    #: from being given to another object while the entry lives.
    compiled: dict[int, tuple[Any, Callable[[Any], bool]]] = {}
    #: What an absent value gives, decided here as ``absent_aware`` does (None: the
    #: operator decides); only once the argument is known to be usable.
    absent = None if operator.handles_absent else operator.negated

    def dynamic(value: Any, context: Context, node: Any) -> bool:
        argument = source(context, node)
        if argument is ABSENT:
            return False
        hit = compiled.get(id(argument))
        if hit is None or hit[0] is not argument:
            if len(compiled) >= MAX_ARGUMENTS:
                compiled.clear()
            hit = compiled[id(argument)] = (
                argument,
                _compile_argument(operator, argument, ignore_case, context.today),
            )
        if value is ABSENT and absent is not None:
            return absent
        return hit[1](value)

    return dynamic


#: Run-time arguments remembered by one leaf (a lookup gives one per force, or one per
#: set of objectives an account cites).
MAX_ARGUMENTS: Final = 64


def _compile_argument(
    operator: Operator, argument: Any, ignore_case: bool, today: date
) -> Callable[[Any], bool]:
    problem = argument_problem(operator, argument)
    if problem:
        raise RuleCannotRun(f"{operator.name} argument {show(argument)}: {problem}")
    try:
        return operator.make(argument, ignore_case, today)
    except ArgumentProblem as error:
        raise RuleCannotRun(f"{operator.name} argument: {error}") from None


def static_test(
    operator: Operator, raw: Any, ignore_case: bool, at: Concrete, scope: Scope
) -> Callable[[Any], bool]:
    """The predicate of an operator whose argument is written in the policy, as the
    operator makes it: :func:`absent_aware` says what an absent value gives."""
    problem = argument_problem(operator, raw)
    if problem:
        raise CompileError((*at, operator.name), f"{operator.name}: {problem}")
    try:
        return operator.make(raw, ignore_case, scope.today)
    except ArgumentProblem as error:
        raise CompileError((*at, operator.name), f"{operator.name}: {error}") from None


def absent_aware(operator: Operator, test: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """An absent value fails a positive operator and satisfies a negated one (§3.2)."""
    if operator.handles_absent:
        return test
    if operator.negated:
        return lambda v: True if v is ABSENT else test(v)
    return lambda v: False if v is ABSENT else test(v)


def exists_in(spec: tree.ExistsIn, ignore_case: bool, scope: Scope) -> Check:
    norm = fold if ignore_case else (lambda value: value)
    same = paths_of(spec.same)
    values = ValuesIndex(
        spec.kind,
        spec.field.path,
        same,
        where_condition(spec.where, scope),
        spec.where_source,
        ignore_case,
    )
    scope.indexes.append(values)
    group_of = group_reader(same)

    def exists(value: Any, context: Context, node: Any) -> bool:
        if value is ABSENT:
            return False
        table = context.documents.index(values)
        return hashable(norm(value)) in table.get(group_of(context.data), ())

    return exists


def group_check(
    name: str, spec: tree.Group, ignore_case: bool, path: FieldPath, scope: Scope
) -> Check:
    """``unique`` and ``at_most``: compare this document with the others of its group."""
    if scope.relative or path.absolute:
        raise CompileError(
            spec.at, f"{name} compares whole documents: it cannot be used inside `satisfies`"
        )
    norm = fold if ignore_case else (lambda value: value)
    within = paths_of(spec.within)
    groups = GroupIndex(
        scope.rule_kind,
        path,
        within,
        where_condition(spec.where, scope),
        spec.where_source,
        ignore_case,
    )
    scope.indexes.append(groups)
    group_of = group_reader(within)

    def members(value: Any, context: Context) -> Sequence[Any]:
        key = (group_of(context.data), hashable(norm(value)))
        found: Sequence[Any] = context.documents.index(groups).get(key, ())
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
        limit_source = argument_source(limit, scope)

    def at_most(value: Any, context: Context, node: Any) -> bool:
        if value is ABSENT:
            return False
        cap = limit_source(context, node)
        if not isinstance(cap, int) or isinstance(cap, bool):
            return False
        group = members(value, context)
        return context.key not in group or group.index(context.key) < cap

    return at_most


def collection_check(leaf: tree.Leaf, subject: Subject, scope: Scope) -> Check:
    if scope.pure:
        raise CompileError(
            (*leaf.at, leaf.operator), f"{leaf.operator} cannot be used inside a `where` condition"
        )
    if isinstance(leaf.argument, tree.ExistsIn):
        return exists_in(leaf.argument, leaf.ignore_case, scope)
    assert subject.path is not None
    return group_check(leaf.operator, leaf.argument, leaf.ignore_case, subject.path, scope)


def quantified(subject: Subject, check: Check, quantifier: str) -> Condition:
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
