"""Decisions: compiled conditions that say only whether they hold.

A rule holds on almost every document it is evaluated on, and then where it failed is
never asked.  So each condition is compiled twice from one parse: as a decision
``(context, node) -> bool``, which builds no locations, and as the condition of
:mod:`tabard.language.compiler`, ``(context, node) -> (holds, where)``, which the
evaluation runs only on a document the decision failed, to say where.

A decision evaluates the same children, in the same order and with the same short
cuts, as its condition: the two raise the same errors (a run-time argument that cannot
be used, a plugin crash) at the same point, and read the same index entries.

The loops are plain ``for`` loops, not ``all()`` or ``any()`` over a generator, which
costs a generator and a call per evaluation (``noqa: SIM110``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tabard.language.codegen import describe, plain_keys
from tabard.language.context import Condition, Context, Decision
from tabard.language.subjects import Subject

#: ``(value, context, node) -> bool``, as in :mod:`tabard.language.leaf_checks`.
Check = Callable[[Any, Context, Any], bool]


def decide_all(children: list[Decision]) -> Decision:
    if len(children) == 1:
        return children[0]
    if len(children) == 2:
        first, second = children
        return describe(
            lambda context, node: bool(first(context, node)) and bool(second(context, node)),
            "all",
            children,
        )

    def every(context: Context, node: Any) -> bool:
        for child in children:  # noqa: SIM110
            if not child(context, node):
                return False
        return True

    return describe(every, "all", children)


def decide_any(children: list[Decision]) -> Decision:
    if len(children) == 1:
        return children[0]

    def some(context: Context, node: Any) -> bool:
        for child in children:  # noqa: SIM110
            if child(context, node):
                return True
        return False

    return describe(some, "any", children)


def decide_none(children: list[Decision]) -> Decision:
    def none(context: Context, node: Any) -> bool:
        for child in children:  # noqa: SIM110
            if child(context, node):
                return False
        return True

    return describe(none, "none", children)


def decide_not(child: Decision) -> Decision:
    return describe(lambda context, node: not child(context, node), "not", child)


def holds_of(condition: Condition) -> Decision:
    """The decision of a condition that has no cheaper form (``satisfies``, a document
    operator): run it and keep only whether it held."""
    return describe(lambda context, node: condition(context, node)[0], "holds", condition)


def decide_checked(subject: Subject, check: Check, quantifier: str) -> Decision:
    """``quantified(subject, check, quantifier)`` as a decision."""
    get = subject.get
    if get is not None:
        # One value: all, any and none ask about it alone.
        keys = _keys(subject)
        if quantifier == "none":
            return describe(
                lambda context, node: not check(get(node, context.data), context, node),
                *("checked", keys, get, check, True),
            )
        return describe(
            lambda context, node: check(get(node, context.data), context, node),
            *("checked", keys, get, check, False),
        )
    items = subject.items
    if quantifier == "all":

        def every(context: Context, node: Any) -> bool:
            for _, value in items(context, node):  # noqa: SIM110
                if not check(value, context, node):
                    return False
            return True

        return every
    wanted = quantifier == "any"

    def some_or_none(context: Context, node: Any) -> bool:
        for _, value in items(context, node):
            if check(value, context, node):
                return wanted
        return not wanted

    return some_or_none


def decide_tested(subject: Subject, test: Callable[[Any], bool], quantifier: str) -> Decision:
    """A value predicate with its argument written in the policy, as a decision."""
    get = subject.get
    if get is not None:
        keys = _keys(subject)
        if quantifier == "none":
            return describe(
                lambda context, node: not test(get(node, context.data)),
                *("tested", keys, get, test, None, True),
            )
        return describe(
            lambda context, node: test(get(node, context.data)),
            *("tested", keys, get, test, None, False),
        )
    items = subject.items
    if quantifier == "all":

        def every(context: Context, node: Any) -> bool:
            for _, value in items(context, node):  # noqa: SIM110
                if not test(value):
                    return False
            return True

        return every
    wanted = quantifier == "any"

    def some_or_none(context: Context, node: Any) -> bool:
        for _, value in items(context, node):
            if test(value):
                return wanted
        return not wanted

    return some_or_none


def _keys(subject: Subject) -> tuple[str, ...] | None:
    """The keys a single-valued field's ``get`` reads, when it is one or two plain keys
    (``get`` is then :func:`tabard.language.paths.compile_single`'s, which the generated
    code writes out); None for any other path, whose ``get`` is called."""
    path = subject.path
    if path is None or path.absolute or path.has_placeholder or path.has_wildcard:
        return None
    return plain_keys(path.steps)
