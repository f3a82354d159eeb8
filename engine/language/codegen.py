"""Decisions as generated Python: one function per rule, for a run over many documents.

A decision (:mod:`tabard.language.decide`) is a tree of closures: every ``all``, ``any``,
``none`` and ``not`` is a call, and so is every leaf and the path it reads.  A rule is
decided on every document of its kind, so in a full check those calls are most of the
cost of evaluation.  Here a decision tree is written out as one Python expression, with
the combinators as ``and``, ``or`` and ``not`` and the commonest leaves (a field one or two
keys deep against a written argument) read inline, and compiled once with ``compile()``.
What is not written out (a run-time argument, a wildcard, a document operator, a
plugin's operator) is called as the closure it already is.

The generated function evaluates the same leaves, in the same order and with the same
short cuts, as the closures it replaces, so it gives the same answer and raises the
same errors at the same point; ``tests/test_decisions.py`` runs both on the same trees.

Nothing from a policy is written into the source: keys, texts, predicates and closures
are handed to it by name (``k0``, ``k1``, …) in the namespace it is compiled with, so the
source holds only names made here and Python's own syntax.

Each closure that can be written out is described when it is made (:func:`describe`),
by what it does and with what; a decision with no description is called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final
from weakref import WeakKeyDictionary

from tabard.language.context import Decision
from tabard.language.paths import ABSENT

#: decision -> what it computes: ``(shape, parts...)``, see :class:`_Writer`.
_DESCRIBED: WeakKeyDictionary[Callable[..., Any], tuple[Any, ...]] = WeakKeyDictionary()
#: Combinators nested deeper than this are called, not written out: Python's parser
#: refuses expressions nested about 200 deep, and a tree this deep is rare.
MAX_DEPTH: Final = 40


def describe(decision: Decision, *recipe: Any) -> Decision:
    """Record what *decision* computes, so it can be written out; returns it."""
    _DESCRIBED[decision] = recipe
    return decision


def generated(decision: Decision) -> Decision:
    """*decision* as one generated function, or *decision* itself when there is nothing
    to write out (a leaf called as it is gains nothing)."""
    if decision not in _DESCRIBED:
        return decision
    writer = _Writer()
    return writer.function(writer.expression(decision, 0))


def generated_rule(when: Decision, decide: Decision) -> Decision:
    """A rule with a ``when`` as one generated function that holds when ``when`` does not
    or ``assert`` does, evaluated in that order: what the evaluation asks of a rule that
    lacks no force document, in one call."""
    writer = _Writer()
    condition = writer.expression(when, 0)
    return writer.function(f"not ({condition}) or ({writer.expression(decide, 0)})")


def plain_keys(steps: tuple[Any, ...]) -> tuple[str, ...] | None:
    """The keys of a path one or two plain keys deep, which are read inline."""
    if 1 <= len(steps) <= 2 and all(type(step) is str for step in steps):
        return steps
    return None


class _Writer:
    """Writes one decision tree as an expression over ``context`` and ``node``."""

    def __init__(self) -> None:
        #: The only builtins the source uses; everything else is a constant handed in.
        builtins = {"type": type, "dict": dict, "str": str}
        self.names: dict[str, Any] = {"ABSENT": ABSENT, "__builtins__": builtins}
        self.count = 0

    def constant(self, value: Any) -> str:
        """A name for *value* in the generated function's namespace."""
        name = f"k{len(self.names)}"
        self.names[name] = value
        return name

    def temporary(self) -> str:
        self.count += 1
        return f"v{self.count}"

    def function(self, expression: str) -> Decision:
        """``decide(context, node)``: whether *expression* holds, as True or False."""
        source = (
            f"def decide(context, node):\n    if {expression}:\n        return True\n"
            "    return False\n"
        )
        namespace = self.names
        # The source holds only names made here: policy values are in *namespace*.
        exec(compile(source, "<tabard decision>", "exec"), namespace)
        result: Decision = namespace["decide"]
        return result

    def call(self, decision: Decision) -> str:
        return f"{self.constant(decision)}(context, node)"

    def expression(self, decision: Decision, depth: int) -> str:
        recipe = _DESCRIBED.get(decision)
        if recipe is None or depth > MAX_DEPTH:
            return self.call(decision)
        shape, *parts = recipe
        if shape in ("all", "any", "none"):
            inner = [self.expression(child, depth + 1) for child in parts[0]]
            joined = (" and " if shape == "all" else " or ").join(inner)
            return f"(not ({joined}))" if shape == "none" else f"({joined})"
        if shape == "not":
            return f"(not {self.expression(parts[0], depth + 1)})"
        if shape == "holds":
            return f"{self.constant(parts[0])}(context, node)[0]"
        if shape == "in":
            return self.membership(*parts)
        if shape == "tested":
            return self.tested(*parts)
        if shape == "checked":
            return self.checked(*parts)
        raise AssertionError(f"no way to write {shape!r}")

    def value(self, keys: tuple[str, ...] | None, get: Any) -> str:
        """The value a plain field's ``get(node, root)`` gives (ABSENT when missing)."""
        if keys is None:
            return f"{self.constant(get)}(node, context.data)"
        first = self.constant(keys[0])
        one = f"(node.get({first}, ABSENT) if type(node) is dict else ABSENT)"
        if len(keys) == 1:
            return one
        outer, second = self.temporary(), self.constant(keys[1])
        return f"({outer}.get({second}, ABSENT) if type({outer} := {one}) is dict else ABSENT)"

    def membership(self, keys: tuple[str, ...], texts: frozenset[str], inside: bool) -> str:
        """A fused leaf (:mod:`tabard.language.fused`): only a text in *texts* is in."""
        steps, node = [], "node"
        for key in keys[:-1]:
            step = self.temporary()
            steps.append(f"type({step} := {node}.get({self.constant(key)})) is dict")
            node = step
        last, wanted = self.temporary(), self.constant(texts)
        read = f"{node}.get({self.constant(keys[-1])})"
        if inside:
            tests = ["type(node) is dict", *steps]
            tests += [f"type({last} := {read}) is str", f"{last} in {wanted}"]
            return "(" + " and ".join(tests) + ")"
        tests = ["type(node) is not dict", *[f"not {test}" for test in steps]]
        tests += [f"type({last} := {read}) is not str", f"{last} not in {wanted}"]
        return "(" + " or ".join(tests) + ")"

    def tested(
        self, keys: tuple[str, ...] | None, get: Any, test: Any, absent: bool | None, negate: bool
    ) -> str:
        """``test(value)``, with an absent value deciding alone when *absent* is given."""
        value = self.value(keys, get)
        predicate = self.constant(test)
        if absent is None:
            written = f"{predicate}({value})"
        else:
            held = self.temporary()
            if absent:
                written = f"(({held} := {value}) is ABSENT or {predicate}({held}))"
            else:
                written = f"(({held} := {value}) is not ABSENT and {predicate}({held}))"
        return f"(not {written})" if negate else written

    def checked(self, keys: tuple[str, ...] | None, get: Any, check: Any, negate: bool) -> str:
        """``check(value, context, node)`` on a plain field's value."""
        written = f"{self.constant(check)}({self.value(keys, get)}, context, node)"
        return f"(not {written})" if negate else written
