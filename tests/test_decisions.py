"""Decisions (whether a rule holds, ``language/decide.py``), fused leaves
(``language/fused.py``) and remembered lookups (``language/placed.py``) give exactly the
answers of the generic conditions they stand in for.

The condition ``(context, node) -> (holds, where)`` is the generic path: the evaluation
runs the decision first and the condition only where the decision failed, so the two
must agree on every value, including missing paths, lists, wildcards, null and values
of the wrong type, and must raise the same errors.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabard.language.codegen import generated, generated_rule
from tabard.language.compiler import RuleCannotRun, Scope, compile_both
from tabard.language.context import Context, IndexSpec
from tabard.language.fused import fused_decision
from tabard.language.parser import parse_condition
from tabard.language.paths import ABSENT, compile_many, parse_path
from tabard.language.placed import remembered, strict_key
from tabard.language.registry import builtin_operators

TODAY = date(2026, 11, 24)


class _NoIndexes:
    """Only field and lookup leaves are compiled here: no index is ever read."""

    def force_document(self, kind: str, force: Any) -> Any:
        raise AssertionError("read a force document outside the context")

    def force_documents(self, force: Any) -> dict[str, Any]:
        raise AssertionError("the tests give the context its force documents")

    def index(self, spec: IndexSpec) -> Any:
        raise AssertionError("read an index")

    @property
    def view(self) -> Any:
        raise AssertionError("read the repository")


def _both(condition: dict[str, Any]) -> Any:
    scope = Scope(operators=builtin_operators(), today=TODAY)
    return compile_both(parse_condition(condition, ("assert",), scope.operators), scope)


def _context(data: Any, strategy: Any = None) -> Context:
    documents = {} if strategy is None else {"Strategy": strategy}
    return Context(data, ("accounts/x/a.yaml", 0), _NoIndexes(), TODAY, documents)


def _answer(run: Any, context: Context, data: Any) -> Any:
    """What a compiled closure says, or the error it raises (as its type and text)."""
    try:
        return run(context, data)
    except RuleCannotRun as problem:
        return ("cannot run", str(problem))


def _agree(condition: dict[str, Any], data: Any, strategy: Any = None) -> bool:
    """The decision, its generated function (``tabard.language.codegen``) and the
    condition agree on *data*; returns whether it held."""
    compiled, decision = _both(condition)
    context = _context(data, strategy)
    outcome = _answer(compiled, context, data)
    decided = _answer(decision, context, data)
    written = _answer(generated(decision), context, data)
    if outcome and outcome[0] == "cannot run":
        assert decided == outcome, condition
        assert written == outcome, condition
        return False
    assert bool(decided) is bool(outcome[0]), (condition, data, decided, outcome)
    assert written is bool(outcome[0]), (condition, data, written, outcome)
    return bool(outcome[0])


# --- fused leaves against the generic condition, value by value -----------------------------

#: Every kind of value a document may hold where a text is expected, and the nodes a path
#: may meet on its way (a list, a text, null where a mapping is expected).
VALUES: list[Any] = [
    "a",
    "b",
    "A",
    "",
    None,
    True,
    False,
    1,
    1.0,
    0,
    ["a"],
    [],
    {"a": 1},
    {},
    ABSENT,
]
FUSED = [
    ("equals", "a"),
    ("equals", ""),
    ("not_equals", "a"),
    ("in", ["a", "b"]),
    ("in", []),
    ("not_in", ["a", "b"]),
    ("not_in", []),
]
#: Leaves of the same operators that keep the generic decision.
NOT_FUSED = [
    ("equals", 1),
    ("equals", True),
    ("equals", ["a"]),
    ("not_equals", None),
    ("in", ["a", 1]),
    ("in", {"a": 1, "b": 2}),
    ("not_in", [True]),
]


def _documents(path: str) -> list[Any]:
    """Documents putting each value at *path* (``v`` or ``o.v``), and the ways the
    path can fail to resolve on the way."""
    if path == "v":
        return [{} if value is ABSENT else {"v": value} for value in VALUES] + [[], "v", None]
    inner = [{} if value is ABSENT else {"v": value} for value in VALUES]
    return [{"o": node} for node in inner] + [{}, {"o": None}, {"o": ["v"]}, {"o": "v"}, []]


@pytest.mark.parametrize("path", ["v", "o.v"])
@pytest.mark.parametrize(("operator", "argument"), FUSED + NOT_FUSED)
def test_fused_leaves_agree_with_the_generic_condition(
    path: str, operator: str, argument: Any
) -> None:
    held = [_agree({"field": path, operator: argument}, data) for data in _documents(path)]
    if argument == []:  # nothing is in an empty list
        assert all(held) if operator == "not_in" else not any(held)
    else:  # the values tried make each leaf both hold and fail
        assert any(held)
        assert not all(held)


#: Operators of every kind, positive and negated, and those that decide absent values.
INLINE = [
    ("present", True),
    ("present", False),
    ("empty", True),
    ("empty", False),
    ("matches", "^a"),
    ("not_matches", "^a"),
    ("min_length", 1),
    ("type", "string"),
    ("type", "null"),
    ("gt", 0),
    ("contains", "a"),
    ("not_contains", "a"),
    ("equals", 1),
    ("in", ["a", 1]),
    ("equals", "a"),  # with ignore_case below: not fused, but inline
]


_IGNORING_CASE = [case for case in INLINE if builtin_operators()[case[0]].ignore_case]


@pytest.mark.parametrize("path", ["v", "o.v"])
@pytest.mark.parametrize(
    ("operator", "argument", "ignore_case"),
    [(*case, False) for case in INLINE] + [(*case, True) for case in _IGNORING_CASE],
)
def test_inline_leaves_agree_with_the_generic_condition(
    path: str, operator: str, argument: Any, ignore_case: bool
) -> None:
    condition = {"field": path, operator: argument, "ignore_case": ignore_case}
    held = [_agree(condition, data) for data in _documents(path)]
    assert any(held)
    assert not all(held)


@pytest.mark.parametrize(("operator", "argument"), FUSED)
def test_the_commonest_leaves_are_fused(operator: str, argument: Any) -> None:
    operators = builtin_operators()
    for path in ("v", "o.v"):
        fused = fused_decision(operators[operator], argument, False, parse_path(path), "all")
        assert fused is not None


@pytest.mark.parametrize(
    ("path", "argument", "ignore_case"),
    [
        ("o.p.v", "a", False),  # three keys deep
        ("l[*]", "a", False),  # a wildcard
        ("l[0]", "a", False),  # an index
        ("$.v", "a", False),  # absolute
        ("{k}", "a", False),  # a placeholder
        ("v", "a", True),  # ignore_case folds text first
    ],
)
def test_other_leaves_keep_the_generic_decision(
    path: str, argument: Any, ignore_case: bool
) -> None:
    equals = builtin_operators()["equals"]
    assert fused_decision(equals, argument, ignore_case, parse_path(path), "all") is None


def test_a_plugin_operator_named_like_a_builtin_is_not_fused() -> None:
    builtin = builtin_operators()["equals"]
    plugin = type(builtin)(
        name="equals", make=builtin.make, argument_schema={}, wording="x", plugin="p"
    )
    assert fused_decision(plugin, "a", False, parse_path("v"), "all") is None


@pytest.mark.parametrize("quantifier", ["all", "any", "none"])
@pytest.mark.parametrize("operator", ["equals", "not_in", "present", "min_length"])
def test_wildcards_agree_with_the_generic_condition(quantifier: str, operator: str) -> None:
    argument = {"equals": "a", "not_in": ["a"], "present": True, "min_length": 1}[operator]
    condition = {"field": "l[*].v", operator: argument, "for": quantifier}
    lists: list[Any] = [[], None, "a", [{"v": "a"}, {"v": "b"}], [{"v": "a"}], [{}, "x"]]
    for items in lists:
        _agree(condition, {"l": items})
    _agree(condition, {})


# --- decisions of whole trees ----------------------------------------------------------------

_LEAVES = st.sampled_from(
    [
        {"field": "a", "equals": "x"},
        {"field": "a", "in": ["x", "y"]},
        {"field": "b.c", "not_in": ["x"]},
        {"field": "b.c", "present": True},
        {"field": "a", "empty": False},
        {"field": "l[*]", "for": "any", "equals": "x"},
        {"field": "l[*]", "for": "none", "in": ["y"]},
        {"field": "l[*]", "min_length": 1},
        {"field": "a", "equals": {"field": "b.c"}},
        {"field": "a", "in": {"field": "l"}},  # a text where a list is wanted cannot run
        {"field": "a", "matches": {"field": "b.c"}},  # nor can a bad pattern
        {"field": "d[*]", "satisfies": {"field": "e", "equals": "x"}},
        {"field": "d[*]", "for": "any", "satisfies": {"field": "$.a", "equals": "x"}},
        {"field": "a", "in": {"lookup": {"kind": "Strategy", "field": "o[id={l}].t[*]"}}},
        {"lookup": {"kind": "Strategy", "field": "o[id={a}].t[*]"}, "empty": True},
    ]
)
_TREES = st.recursive(
    _LEAVES,
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3).map(lambda c: {"all": c}),
        st.lists(children, min_size=1, max_size=3).map(lambda c: {"any": c}),
        st.lists(children, min_size=1, max_size=3).map(lambda c: {"none": c}),
        children.map(lambda c: {"not": c}),
    ),
    max_leaves=6,
)
_TEXT = st.sampled_from(["x", "y", "(", "", "X"])
_SCALAR = st.one_of(_TEXT, st.none(), st.booleans(), st.integers(0, 2))
_DOCUMENTS = st.fixed_dictionaries(
    {},
    optional={
        "a": _SCALAR,
        "b": st.one_of(st.fixed_dictionaries({}, optional={"c": _SCALAR}), _SCALAR),
        "l": st.one_of(st.lists(_SCALAR, max_size=3), _SCALAR),
        "d": st.lists(
            st.one_of(st.fixed_dictionaries({}, optional={"e": _SCALAR}), _SCALAR), max_size=3
        ),
    },
)
_STRATEGY = {
    "o": [
        {"id": "x", "t": ["x", "y"]},
        {"id": "y", "t": []},
        {"id": "1", "t": ["x"]},
        {"id": "true", "t": ["y"]},
    ]
}


@settings(max_examples=400, deadline=None)
@given(tree=_TREES, data=_DOCUMENTS)
def test_decisions_agree_with_conditions_on_any_tree(tree: dict[str, Any], data: Any) -> None:
    _agree(tree, data, _STRATEGY)


# --- lookups remembered by their placeholders' values ---------------------------------------


def test_strict_keys_keep_apart_what_paths_treat_apart() -> None:
    keys = [strict_key(v) for v in ("1", 1, 1.0, True, None, ["1"], [1], {"a": 1, "b": 2})]
    assert len(set(keys)) == len(keys)
    assert strict_key({"a": 1, "b": 2}) != strict_key({"b": 2, "a": 1})
    assert strict_key(["a", ["b"]]) == strict_key(["a", ["b"]])


@pytest.mark.parametrize(
    "cited",
    ["x", "1", 1, 1.0, True, "true", None, ["x", "y"], ["y", "x"], [], {"id": "x"}, ABSENT],
)
def test_remembered_lookups_answer_as_the_walk_does(cited: Any) -> None:
    path = parse_path("o[id={cites}].t[*]")
    expand = compile_many(path)

    def walk(document: Any, root: Any) -> list[Any]:
        return [v for _, v in expand(document, root) if v is not ABSENT]

    read = remembered(path, walk)
    others: list[Any] = ["x", 1, True, ["y", "x"], None]
    for first in [cited, *others, cited]:
        root = {} if first is ABSENT else {"cites": first}
        assert read(_STRATEGY, root) == walk(_STRATEGY, root)
    root = {} if cited is ABSENT else {"cites": cited}
    assert read(_STRATEGY, root) is read(_STRATEGY, dict(root))  # one answer, shared
    other_strategy = {"o": [{"id": "x", "t": ["z"]}]}
    assert read(other_strategy, root) == walk(other_strategy, root)


# --- arguments read at run time ----------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "data", "expected"),
    [
        # an absent value fails a positive operator and satisfies a negated one ...
        ({"field": "v", "equals": {"field": "w"}}, {"w": "a"}, False),
        ({"field": "v", "not_equals": {"field": "w"}}, {"w": "a"}, True),
        ({"field": "v", "not_in": {"field": "w"}}, {"w": ["a"]}, True),
        # ... once the argument is known to be usable: a text where a list is wanted
        # cannot run, whether or not the value is there
        ({"field": "v", "not_in": {"field": "w"}}, {"w": "a"}, None),
        ({"field": "v", "not_in": {"field": "w"}}, {"v": "a", "w": "a"}, None),
        # an absent argument fails the leaf, negated or not
        ({"field": "v", "not_equals": {"field": "w"}}, {"v": "a"}, False),
        ({"field": "v", "equals": {"field": "w"}}, {"v": "a", "w": "a"}, True),
        ({"field": "v", "not_in": {"field": "w"}}, {"v": "b", "w": ["a"]}, True),
        ({"field": "v", "not_in": {"field": "w"}}, {"v": "a", "w": ["a"]}, False),
    ],
)
def test_run_time_arguments_and_absent_values(
    condition: dict[str, Any], data: Any, expected: bool | None
) -> None:
    compiled, decision = _both(condition)
    context = _context(data)
    if expected is None:
        message = re.escape('not_in argument \'a\': "a" is not of types "array", "object"')
        with pytest.raises(RuleCannotRun, match=f"^{message}$"):
            decision(context, data)
        with pytest.raises(RuleCannotRun, match=f"^{message}$"):
            compiled(context, data)
        return
    assert _agree(condition, data) is expected


@settings(max_examples=300, deadline=None)
@given(when=_TREES, check=_TREES, data=_DOCUMENTS)
def test_a_rule_generated_whole_agrees_with_its_when_and_assert(
    when: dict[str, Any], check: dict[str, Any], data: Any
) -> None:
    """The evaluation asks ``not when or assert`` of a rule in one generated call."""
    decide_when, decide = _both(when)[1], _both(check)[1]

    def closures(context: Context, node: Any) -> bool:
        return not decide_when(context, node) or bool(decide(context, node))

    context = _context(data, _STRATEGY)
    whole = _answer(generated_rule(decide_when, decide), context, data)
    assert whole == _answer(closures, context, data), (when, check, data)


@pytest.mark.parametrize("depth", [1, 2, 41, 120])
def test_deep_trees_are_written_out_only_so_deep(depth: int) -> None:
    """Past ``codegen.MAX_DEPTH`` the rest of a tree is called as its closure, so a deep
    policy never meets Python's limit on nested parentheses."""
    condition: dict[str, Any] = {"field": "a", "in": ["x", "y"]}
    for _ in range(depth):
        condition = {"not": condition}
    samples: list[Any] = [{"a": "x"}, {"a": "z"}, {}, []]
    for data in samples:
        assert _agree(condition, data) is ((data == {"a": "x"}) == (depth % 2 == 0))
