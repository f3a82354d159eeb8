"""Compile conditions (design §3.1 to §3.4) into closures, once per run.

The compiler reads the parsed tree of :mod:`tabard.language.tree`, which has already
checked each condition's shape; it adds the checks that depend on where a condition
sits (inside ``where`` only the document itself may be read; ``unique`` and ``at_most``
cannot sit inside ``satisfies``).  Every problem is raised as :class:`CompileError`
carrying the path of the offending node inside the policy document, so the caller can
point at the exact line and column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tabard.language import tree
from tabard.language.context import Condition, Context, Decision, Outcome
from tabard.language.decide import (
    decide_all,
    decide_any,
    decide_checked,
    decide_none,
    decide_not,
    decide_tested,
    holds_of,
)
from tabard.language.fused import fused_decision, inline_decision
from tabard.language.leaf_checks import (
    Check,
    absent_aware,
    collection_check,
    dynamic_check,
    quantified,
    static_test,
)
from tabard.language.operators.base import Operator
from tabard.language.parser import parse_condition
from tabard.language.paths import ABSENT, Concrete
from tabard.language.schema_check import argument_problem
from tabard.language.scope import RuleCannotRun, Scope
from tabard.language.subjects import ROOT, Subject, from_root, is_reference, subject_of
from tabard.language.tree import COLLECTION_OPERATORS, CompileError

#: The compiler's names, in one place for its callers: CompileError lives with the parser,
#: Scope and RuleCannotRun in ``scope``, from_root with the subjects.
__all__ = [
    "CompileError",
    "RuleCannotRun",
    "Scope",
    "compile_both",
    "compile_condition",
    "compile_tree",
    "from_root",
]

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
    return compile_both(node, scope)[0]


#: A condition compiled both ways: where it holds or fails, and whether it holds.
Compiled = tuple[Condition, Decision]


def compile_both(node: tree.Condition, scope: Scope) -> Compiled:
    """The condition and the decision (:mod:`tabard.language.decide`) of *node*."""
    if isinstance(node, tree.Leaf):
        return _compile_leaf(node, scope)
    if isinstance(node, tree.Not):
        condition, decision = compile_both(node.child, scope)
        return _not(condition), decide_not(decision)
    compiled = [compile_both(child, scope) for child in node.children]
    children = [condition for condition, _ in compiled]
    decisions = [decision for _, decision in compiled]
    if isinstance(node, tree.AllOf):
        return _all(children), decide_all(decisions)
    if isinstance(node, tree.AnyOf):
        return _any(children), decide_any(decisions)
    return _none(children), decide_none(decisions)


# --- leaves -------------------------------------------------------------------------------


def _satisfies(
    inner_node: tree.Condition, subject: Subject, quantifier: str, scope: Scope
) -> Condition:
    inner = compile_tree(inner_node, scope.but(relative=True))
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


def _compile_leaf(leaf: tree.Leaf, scope: Scope) -> Compiled:
    name, at = leaf.operator, leaf.at
    subject = subject_of(leaf.subject, scope)
    if name == "satisfies":
        assert subject is not None
        condition = _satisfies(leaf.argument, subject, leaf.quantifier, scope)
        return condition, holds_of(condition)
    if name in COLLECTION_OPERATORS:
        assert subject is not None
        check = collection_check(leaf, subject, scope)
        return _checked(subject, check, leaf.quantifier)
    operator = scope.operators[name]
    if operator.scope != "value":
        condition = _document_operator(operator, leaf.argument, at, scope)
        return condition, holds_of(condition)
    assert subject is not None
    if is_reference(leaf.argument):
        check = dynamic_check(operator, leaf.argument, leaf.ignore_case, scope)
        return _checked(subject, check, leaf.quantifier)
    predicate = static_test(operator, leaf.argument, leaf.ignore_case, at, scope)
    test = absent_aware(operator, predicate)
    plain = subject.path if subject.get is not None and leaf.quantifier == "all" else None
    decision = (
        fused_decision(operator, leaf.argument, leaf.ignore_case, plain, leaf.quantifier)
        or inline_decision(operator, predicate, plain)
        or decide_tested(subject, test, leaf.quantifier)
    )
    return _tested(subject, test, leaf.quantifier), decision


def _checked(subject: Subject, check: Check, quantifier: str) -> Compiled:
    return quantified(subject, check, quantifier), decide_checked(subject, check, quantifier)


def _tested(subject: Subject, test: Callable[[Any], bool], quantifier: str) -> Condition:
    """The condition of a value predicate whose argument is written in the policy."""
    if subject.get is not None:
        # The commonest leaf, a plain field against a written argument: one call, no lists.
        get, where = subject.get, subject.base

        def leaf_check(context: Context, node: Any) -> Outcome:
            return test(get(node, context.data)), where

        return leaf_check
    if subject.many and quantifier == "all":
        # [*] against a written argument, every item: the predicate without the wrapper.
        items, base = subject.items, subject.base

        def every_item(context: Context, node: Any) -> Outcome:
            for where, value in items(context, node):
                if not test(value):
                    return False, where
            return True, base

        return every_item
    return quantified(subject, lambda value, context, node: test(value), quantifier)


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
