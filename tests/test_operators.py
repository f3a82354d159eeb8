"""Every value operator of docs/policy-language.md, through the compiler and end to end."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tabard.language.compiler import CompileError, Scope, compile_condition
from tabard.language.context import Context, IndexSpec
from tabard.language.paths import ABSENT
from tabard.language.registry import builtin_operators
from tests.builders import AS_OF, account, force_documents, lines, policy, project

TODAY = date(2026, 11, 24)


class _NoDocuments:
    """Value operators never look at other documents."""

    def force_document(self, kind: str, force: Any) -> Any:
        raise AssertionError("a value operator read a force document")

    def force_documents(self, force: Any) -> dict[str, Any]:
        return {}  # the context asks for them up front; value operators never read them

    def index(self, spec: IndexSpec) -> Any:
        raise AssertionError("a value operator read an index")

    @property
    def view(self) -> Any:
        raise AssertionError("a value operator read the repository")


def _scope() -> Scope:
    return Scope(operators=builtin_operators(), today=TODAY)


def _holds(condition: dict[str, Any], data: dict[str, Any]) -> bool:
    compiled = compile_condition(condition, ("assert",), _scope())
    holds, _ = compiled(Context(data, ("accounts/x/a.yaml", 0), _NoDocuments(), TODAY), data)
    return holds


def _test(operator: str, argument: Any, value: Any, **options: Any) -> bool:
    data = {} if value is ABSENT else {"v": value}
    return _holds({"field": "v", operator: argument, **options}, data)


# --- every operator passes and fails --------------------------------------------------------

CASES = [
    # operator, argument, value, holds
    ("present", True, "x", True),
    ("present", True, None, False),
    ("present", True, "", True),
    ("present", False, None, True),
    ("present", False, "x", False),
    ("empty", True, "   ", True),
    ("empty", True, [], True),
    ("empty", True, {}, True),
    ("empty", True, None, True),
    ("empty", True, "x", False),
    ("empty", True, 0, False),
    ("empty", True, False, False),
    ("empty", False, "x", True),
    ("empty", False, [], False),
    ("equals", "a", "a", True),
    ("equals", "a", "A", False),
    ("equals", 1, 1, True),
    ("equals", 1, 1.0, True),
    ("equals", 1, "1", False),
    ("equals", [1, 2], [1, 2], True),
    ("equals", [1, 2], [2, 1], False),
    ("equals", {"a": 1}, {"a": 1}, True),
    ("equals", None, None, True),
    ("equals", None, "null", False),
    ("not_equals", "a", "b", True),
    ("not_equals", "a", "a", False),
    ("in", ["a", "b"], "b", True),
    ("in", ["a", "b"], "c", False),
    ("in", [1, 2], 2, True),
    ("not_in", ["a", "b"], "c", True),
    ("not_in", ["a", "b"], "a", False),
    ("matches", "^@Glos", "@GlosPolice", True),
    ("matches", "Police$", "@GlosPolice", True),
    ("matches", "olice", "@GlosPolice", True),  # re.search, not re.match
    ("matches", "^Police", "@GlosPolice", False),
    ("matches", "1", 1, False),  # a number is not text
    ("not_matches", "^@", "Glos", True),
    ("not_matches", "^@", "@Glos", False),
    ("not_matches", "^@", 5, True),
    ("matches_any", ["^a", "^b"], "bc", True),
    ("matches_any", ["^a", "^b"], "cb", False),
    ("matches_any", "^a", "ab", True),
    ("matches_any", "^a", ["ab"], False),
    ("handle_in", ["CMPG"], "@cmpg", True),
    ("handle_in", ["@SolihullPolice"], "solihullpolice", True),
    ("handle_in", ["@SolihullPolice"], "@SolihullPolice2", False),
    ("handle_in", ["CMPG"], None, False),
    ("handle_matches_any", ["^northwalespolice$"], "@NorthWalesPolice", True),
    ("handle_matches_any", ["^@?GlosPolice[A-Z]"], "glospolicestroud", True),
    ("handle_matches_any", ["^@GlosPolice"], "GlosPoliceStroud", True),
    ("handle_matches_any", ["^GlosPolice$"], "@GlosPoliceStroud", False),
    ("email_domain_in", ["glos.police.uk", "glos.pnn.police.uk"], "a@glos.pnn.police.uk", True),
    ("email_domain_in", "glos.police.uk", "a@GLOS.Police.uk", True),
    ("email_domain_in", "@glos.police.uk", "a@glos.police.uk", True),
    ("email_domain_in", "glos.police.uk", "a@gmail.com", False),
    ("email_domain_in", "glos.police.uk", "a@evil.glos.police.uk", False),
    ("email_domain_in", "glos.police.uk", "a@glos.police.uk.evil.com", False),
    ("email_domain_in", "glos.police.uk", "@glos.police.uk", False),
    ("email_domain_in", "glos.police.uk", "a@b@glos.police.uk", False),
    ("email_domain_in", "glos.police.uk", "glos.police.uk", False),
    ("distinct", True, ["a", "b"], True),
    ("distinct", True, ["a", "a"], False),
    ("distinct", True, [True, 1], True),
    ("distinct", True, [{"a": 1}, {"a": 1}], False),
    ("distinct", True, "ab", False),
    ("contains", "999", "Call 999", True),
    ("contains", "999", "Call 101", False),
    ("contains", "b", ["a", "b"], True),
    ("contains", "b", ["ab"], False),
    ("contains", 1, [1, 2], True),
    ("contains", 1, "a1", False),
    ("not_contains", "views my own", "Official account", True),
    ("not_contains", "views my own", "All views my own", False),
    ("not_contains", "b", ["a"], True),
    ("not_contains", "b", ["b"], False),
    ("contains_any", ["999", "112"], "Dial 112", True),
    ("contains_any", ["999", "112"], "Dial 101", False),
    ("contains_any", ["x", "y"], ["y", "z"], True),
    ("contains_any", ["x", "y"], ["z"], False),
    ("contains_all", ["101", "online"], "101 or online", True),
    ("contains_all", ["101", "online"], "101 only", False),
    ("contains_all", ["a", "b"], ["b", "c", "a"], True),
    ("contains_all", ["a", "b"], ["a"], False),
    ("starts_with", "@Glos", "@GlosPolice", True),
    ("starts_with", "@Glos", "GlosPolice", False),
    ("starts_with", ["@Glos", "@Heddlu"], "@HeddluDP", True),
    ("starts_with", "a", ["a"], False),
    ("ends_with", "Police", "@GlosPolice", True),
    ("ends_with", ["Police", "Heddlu"], "@GlosPoliceDogs", False),
    ("gt", 5, 6, True),
    ("gt", 5, 5, False),
    ("gt", 5, 5.5, True),
    ("gt", 5, "6", False),
    ("gt", 0, True, False),
    ("gte", 5, 5, True),
    ("gte", 5, 4.99, False),
    ("lt", 5, 4, True),
    ("lt", 5, 5, False),
    ("lte", 5, 5, True),
    ("lte", 5, 6, False),
    ("lte", 5.5, 5.5, True),
    ("min_length", 2, "ab", True),
    ("min_length", 2, "a", False),
    ("min_length", 2, [1, 2], True),
    ("min_length", 2, [1], False),
    ("min_length", 1, {"a": 1}, True),
    ("min_length", 1, {}, False),
    ("min_length", 1, 5, False),
    ("max_length", 3, "abc", True),
    ("max_length", 3, "abcd", False),
    ("max_length", 1, [1], True),
    ("max_length", 1, [1, 2], False),
    ("max_length", 0, 0, False),
    ("within_days", 30, "2026-10-25", True),
    ("within_days", 30, "2026-10-24", False),
    ("within_days", 0, "2026-11-24", True),
    ("within_days", 0, "2026-11-23", False),
    ("within_days", 30, "soon", False),
    ("older_than_days", 30, "2026-10-24", True),
    ("older_than_days", 30, "2026-10-25", False),
    ("older_than_days", 30, 20261024, False),
    ("before", "2026-01-01", "2025-12-31", True),
    ("before", "2026-01-01", "2026-01-01", False),
    ("before", "today", "2026-11-23", True),
    ("before", "today", "2026-11-24", False),
    ("before", "2026-01-01", "2025-13-01", False),
    ("after", "2026-01-01", "2026-01-02", True),
    ("after", "2026-01-01", "2026-01-01", False),
    ("after", "today", "2026-11-25", True),
    ("after", "today", "2026-11-24", False),
    ("rank_in", ["Inspector", "Chief Inspector"], "T/Inspector", True),
    ("rank_in", ["Inspector", "Chief Inspector"], "A/Insp", True),
    ("rank_in", ["Inspector"], "Inspector (temporary)", True),
    ("rank_in", ["Inspector"], "Acting Inspector", True),
    ("rank_in", ["Inspector"], "Detective Inspector", True),
    ("rank_in", ["Chief Superintendent"], "Detective Chief Superintendent", True),
    ("rank_in", ["Chief Superintendent"], "DCS", True),
    ("rank_in", ["Insp", "DCI"], "chief inspector", True),
    ("rank_in", ["Inspector"], "Police staff (Inspector equivalent)", True),
    ("rank_in", ["Head of Communications"], "head of  communications", True),
    ("rank_in", ["Inspector"], "Chief Inspector", False),
    ("rank_in", ["Inspector"], "Sergeant", False),
    ("rank_in", ["Inspector"], "T/Sgt", False),
    ("rank_in", ["Inspector"], 3, False),
    ("rank_at_least", "Inspector", "T/Ch Supt", True),
    ("rank_at_least", "Inspector", "Insp", True),
    ("rank_at_least", "Inspector", "Superintendent equivalent", True),
    ("rank_at_least", "Inspector", "Assistant Chief Constable", True),
    ("rank_at_least", "Inspector", "DS", False),
    ("rank_at_least", "Inspector", "PCSO", False),
    ("rank_at_least", "Inspector", "Head of Communications", False),
    ("role_in", ["PCSO"], "Neighbourhood PCSO", True),
    ("role_in", ["PCSO"], "Police Community Support Officer (Banbury NPT)", True),
    ("role_in", ["Police Community Support Officer"], "PCSO", True),
    ("role_in", ["Inspector"], "Neighbourhood Inspector", True),
    ("role_in", ["Dog Handler"], "Police dog handler (Stroud)", True),
    ("role_in", ["Inspector"], "Chief Inspector", False),
    ("role_in", ["Inspector"], "Special Inspector", False),
    ("role_in", ["PCSO"], "Neighbourhood Sergeant", False),
    ("role_in", ["Dog Handler"], "Dog section", False),
]


@pytest.mark.parametrize(
    ("operator", "argument", "value", "expected"),
    [
        pytest.param(
            *case, id=f"{case[0]}-{case[1]!r}-{case[2]!r}-{'holds' if case[3] else 'fails'}"
        )
        for case in CASES
    ],
)
def test_operator(operator: str, argument: Any, value: Any, expected: bool) -> None:
    assert _test(operator, argument, value) is expected


def test_every_documented_operator_has_a_passing_and_a_failing_case() -> None:
    documented = {
        "present", "empty", "equals", "not_equals", "in", "not_in", "matches", "not_matches",
        "matches_any", "handle_in", "handle_matches_any", "email_domain_in", "distinct",
        "contains", "not_contains",
        "contains_any", "contains_all", "starts_with", "ends_with", "gt", "gte", "lt", "lte",
        "min_length", "max_length", "type", "within_days", "older_than_days", "before", "after",
        "rank_in", "rank_at_least", "role_in",
    }  # fmt: skip
    value_operators = {
        name for name, operator in builtin_operators().items() if operator.scope == "value"
    }
    assert value_operators == documented
    covered = {(case[0], case[3]) for case in CASES} | {("type", True), ("type", False)}
    assert {(name, outcome) for name in documented for outcome in (True, False)} <= covered


# --- type ---------------------------------------------------------------------------------

TYPE_CASES = [
    ("string", "text", 12),
    ("integer", 12, 12.5),
    ("integer", -3, True),
    ("number", 12.5, "12"),
    ("number", 12, False),
    ("boolean", False, 0),
    ("list", [], {}),
    ("mapping", {}, []),
    ("date", "2026-02-28", "2026-02-30"),
    ("date", "2026-01-01", "2026-1-1"),
    ("null", None, "null"),
]


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [pytest.param(*case, id=f"{case[0]}-{case[2]!r}") for case in TYPE_CASES],
)
def test_type(name: str, good: Any, bad: Any) -> None:
    assert _test("type", name, good) is True
    assert _test("type", name, bad) is False


def test_type_covers_every_type_name() -> None:
    assert {case[0] for case in TYPE_CASES} == {
        "string", "integer", "number", "boolean", "list", "mapping", "date", "null",
    }  # fmt: skip


# --- absent values --------------------------------------------------------------------------

ABSENT_CASES = [
    ("present", True, False),
    ("present", False, True),
    ("empty", True, True),
    ("empty", False, False),
    ("equals", "x", False),
    ("equals", None, False),
    ("not_equals", "x", True),
    ("in", ["x"], False),
    ("not_in", ["x"], True),
    ("matches", ".*", False),
    ("not_matches", "x", True),
    ("matches_any", [".*"], False),
    ("handle_in", ["x"], False),
    ("handle_matches_any", [".*"], False),
    ("email_domain_in", "glos.police.uk", False),
    ("distinct", True, False),
    ("contains", "x", False),
    ("not_contains", "x", True),
    ("contains_any", ["x"], False),
    ("contains_all", ["x"], False),
    ("starts_with", "", False),
    ("ends_with", "", False),
    ("gt", 0, False),
    ("gte", 0, False),
    ("lt", 0, False),
    ("lte", 0, False),
    ("min_length", 0, False),
    ("max_length", 10, False),
    ("type", "null", False),
    ("type", "string", False),
    ("within_days", 30, False),
    ("older_than_days", 0, False),
    ("before", "today", False),
    ("after", "2000-01-01", False),
    ("rank_in", ["Inspector"], False),
    ("rank_at_least", "Inspector", False),
    ("role_in", ["PCSO"], False),
]


@pytest.mark.parametrize(
    ("operator", "argument", "expected"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]!r}") for case in ABSENT_CASES],
)
def test_absent_value(operator: str, argument: Any, expected: bool) -> None:
    assert _test(operator, argument, ABSENT) is expected


def test_absent_cases_cover_every_operator() -> None:
    names = {name for name, op in builtin_operators().items() if op.scope == "value"}
    assert {case[0] for case in ABSENT_CASES} == names


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        pytest.param({"present": True}, False, id="present"),
        pytest.param({"present": False}, True, id="not-present"),
        pytest.param({"empty": True}, True, id="empty"),
        pytest.param({"equals": None}, True, id="equals-null"),
        pytest.param({"type": "null"}, True, id="type-null"),
        pytest.param({"not_equals": "x"}, True, id="not-equals"),
        pytest.param({"matches": ".*"}, False, id="matches"),
    ],
)
def test_null_is_not_absent(condition: dict[str, Any], expected: bool) -> None:
    assert _holds({"field": "v", **condition}, {"v": None}) is expected


def test_absent_parent_is_absent() -> None:
    assert _holds({"field": "owner.email", "not_equals": "x"}, {"owner": "text"}) is True
    assert _holds({"field": "owner.email", "equals": "x"}, {"owner": "text"}) is False


# --- true is never 1 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "argument", "value", "expected"),
    [
        pytest.param("equals", 1, True, False, id="equals-1-true"),
        pytest.param("equals", True, 1, False, id="equals-true-1"),
        pytest.param("equals", False, 0, False, id="equals-false-0"),
        pytest.param("equals", True, True, True, id="equals-true-true"),
        pytest.param("not_equals", True, 1, True, id="not-equals-true-1"),
        pytest.param("in", [1, 2], True, False, id="in"),
        pytest.param("in", [True], 1, False, id="in-true"),
        pytest.param("not_in", [1], True, True, id="not-in"),
        pytest.param("contains", 1, [True], False, id="contains"),
        pytest.param("contains", True, [1], False, id="contains-true"),
        pytest.param("contains_any", [1], [True], False, id="contains-any"),
        pytest.param("contains_all", [0], [False], False, id="contains-all"),
        pytest.param("distinct", True, [1, True, 0, False], True, id="distinct"),
        pytest.param("gte", 1, True, False, id="gte"),
        pytest.param("type", "integer", True, False, id="type-integer"),
        pytest.param("type", "number", False, False, id="type-number"),
    ],
)
def test_true_is_never_one(operator: str, argument: Any, value: Any, expected: bool) -> None:
    assert _test(operator, argument, value) is expected


# --- ignore_case --------------------------------------------------------------------------

IGNORE_CASE = [
    ("equals", "ABC", "abc", True),
    ("equals", "ABC", "abd", False),
    ("not_equals", "ABC", "abc", False),
    ("in", ["ABC"], "abc", True),
    ("not_in", ["ABC"], "abc", False),
    ("matches", "^glos", "GlosPolice", True),
    ("not_matches", "^glos", "GlosPolice", False),
    ("matches_any", ["^x", "^glos"], "GLOS", True),
    ("contains", "NOT MONITORED", "Not monitored 24/7", True),
    ("not_contains", "VIEWS MY OWN", "views my own", False),
    ("contains", "A", ["a"], True),
    ("contains_any", ["ONLINE"], "101 or online", True),
    ("contains_all", ["ONLINE", "101"], "101 or Online", True),
    ("starts_with", "@GLOS", "@glosPolice", True),
    ("ends_with", ["POLICE"], "@GlosPolice", True),
    ("distinct", True, ["a", "A"], False),
    # ignore_case also reads typographic variants as the plain character
    ("contains", "don't report crime here", "Please don\u2019t report crime here", True),
    ("contains_any", ["not monitored 24-7"], "Not\u00a0monitored 24\u20137", True),
    ("equals", '"Glos Police"', "\u201cGlos  Police\u201d", True),
    ("in", ["Please don't"], "please DON\u2018T", True),
    ("not_contains", "views my own", "Views  my\u00a0own", False),
    ("starts_with", "don't", "Don\u2019t report", True),
]


@pytest.mark.parametrize(
    ("operator", "argument", "value", "expected"),
    [pytest.param(*case, id=f"{case[0]}-{case[2]!r}") for case in IGNORE_CASE],
)
def test_ignore_case(operator: str, argument: Any, value: Any, expected: bool) -> None:
    assert _test(operator, argument, value, ignore_case=True) is expected


@pytest.mark.parametrize(
    ("operator", "argument", "value"),
    [
        pytest.param("equals", "ABC", "abc", id="equals"),
        pytest.param("in", ["ABC"], "abc", id="in"),
        pytest.param("matches", "^glos", "GlosPolice", id="matches"),
        pytest.param("contains", "NOT", "not", id="contains"),
        pytest.param("starts_with", "@GLOS", "@glos", id="starts-with"),
    ],
)
def test_case_matters_without_ignore_case(operator: str, argument: Any, value: Any) -> None:
    assert _test(operator, argument, value) is False
    assert _test(operator, argument, value, ignore_case=False) is False


@pytest.mark.parametrize(
    ("operator", "argument"),
    [
        pytest.param("present", True, id="present"),
        pytest.param("empty", True, id="empty"),
        pytest.param("gt", 1, id="gt"),
        pytest.param("gte", 1, id="gte"),
        pytest.param("lt", 1, id="lt"),
        pytest.param("lte", 1, id="lte"),
        pytest.param("min_length", 1, id="min_length"),
        pytest.param("max_length", 1, id="max_length"),
        pytest.param("type", "string", id="type"),
        pytest.param("within_days", 1, id="within_days"),
        pytest.param("older_than_days", 1, id="older_than_days"),
        pytest.param("before", "today", id="before"),
        pytest.param("after", "today", id="after"),
    ],
)
def test_ignore_case_is_an_error_elsewhere(operator: str, argument: Any) -> None:
    with pytest.raises(CompileError) as caught:
        compile_condition(
            {"field": "v", operator: argument, "ignore_case": True}, ("assert",), _scope()
        )
    assert caught.value.at == ("assert", "ignore_case")
    assert caught.value.message == f"ignore_case does not apply to {operator!r}"


def test_ignore_case_must_be_a_boolean() -> None:
    with pytest.raises(CompileError) as caught:
        compile_condition(
            {"field": "v", "equals": "a", "ignore_case": "yes"}, ("assert",), _scope()
        )
    assert (caught.value.at, caught.value.message) == (
        ("assert", "ignore_case"),
        "ignore_case must be true or false",
    )


# --- wrong arguments are rejected when the policy is compiled --------------------------------

BAD_ARGUMENTS = [
    # operator, argument, what the message says after "operator: "
    ("present", "yes", '"yes" is not of type "boolean"'),
    ("empty", 1, '1 is not of type "boolean"'),
    ("in", "a", '"a" is not of type'),
    ("not_in", 5, "5 is not of type"),
    ("matches", 5, '5 is not of type "string"'),
    (
        "matches",
        "^(@",
        "invalid regular expression '^(@': a group opened with ( is not closed",
    ),
    (
        "not_matches",
        "[a",
        "invalid regular expression '[a': a character set opened with [ is not closed",
    ),
    ("matches_any", ["a", "("], "invalid regular expression '('"),
    ("matches_any", 5, "expected a string or a list of strings, got 5"),
    ("email_domain_in", 5, "expected a string or a list of strings, got 5"),
    ("email_domain_in", [1], "expected a string or a list of strings, got [1]"),
    ("distinct", False, "false"),
    ("contains_any", "a", '"a" is not of type "array"'),
    ("contains_all", 3, '3 is not of type "array"'),
    ("starts_with", 5, "expected a string or a list of strings, got 5"),
    ("ends_with", [1], "expected a string or a list of strings, got [1]"),
    ("gt", "5", '"5" is not of type "number"'),
    ("gte", True, 'true is not of type "number"'),
    ("lt", None, 'null is not of type "number"'),
    ("lte", [1], '[1] is not of type "number"'),
    ("min_length", -1, "-1 is less than the minimum of 0"),
    ("min_length", 1.5, '1.5 is not of type "integer"'),
    ("max_length", "2", '"2" is not of type "integer"'),
    ("type", "str", '"str" is not one of "string", "integer"'),
    ("within_days", -3, "-3 is less than the minimum of 0"),
    ("older_than_days", "30", '"30" is not of type "integer"'),
    ("before", "2026-13-01", "expected a date (YYYY-MM-DD) or 'today', got '2026-13-01'"),
    ("before", "tomorrow", "expected a date (YYYY-MM-DD) or 'today', got 'tomorrow'"),
    ("after", "2026-1-1", "expected a date (YYYY-MM-DD) or 'today', got '2026-1-1'"),
    ("after", 20260101, '20260101 is not of type "string"'),
    ("rank_in", "Inspector", '"Inspector" is not of type "array"'),
    ("rank_in", [3], "expected a list of ranks, grades or roles, got [3]"),
    ("rank_at_least", "Head of Communications", "expected a police rank such as 'Inspector'"),
    ("rank_at_least", ["Inspector"], 'is not of type "string"'),
    ("role_in", [None], "expected a list of ranks, grades or roles, got [null]"),
]


@pytest.mark.parametrize(
    ("operator", "argument", "problem"),
    [pytest.param(*case, id=f"{case[0]}-{case[1]!r}") for case in BAD_ARGUMENTS],
)
def test_wrong_argument_is_a_compile_error(operator: str, argument: Any, problem: str) -> None:
    with pytest.raises(CompileError) as caught:
        compile_condition({"field": "v", operator: argument}, ("assert",), _scope())
    assert caught.value.at == ("assert", operator)
    assert caught.value.message.startswith(f"{operator}: "), caught.value.message
    assert problem in caught.value.message


def test_value_operator_needs_a_subject() -> None:
    with pytest.raises(CompileError) as caught:
        compile_condition({"equals": 1}, ("assert",), _scope())
    assert (caught.value.at, caught.value.message) == (
        ("assert", "equals"),
        "'equals' needs a `field:` (or `lookup:`/`ref:`) to test",
    )


def test_reference_arguments_are_checked_when_the_rule_runs() -> None:
    condition = {"field": "v", "in": {"field": "allowed"}}
    assert _holds(condition, {"v": "a", "allowed": ["a", "b"]}) is True
    assert _holds(condition, {"v": "c", "allowed": ["a", "b"]}) is False
    assert _holds(condition, {"v": "a"}) is False  # a reference to nothing fails


# --- end to end -----------------------------------------------------------------------------

_RULES = """\
- id: OPS-001
  title: Handle spells the force
  severity: error
  assert: {field: handle, matches: '^@glos', ignore_case: true}
  message: "{id}: handle {value} does not start with @Glos"
- id: OPS-002
  title: Access reviewed
  severity: warning
  assert: {field: security.last_access_review, within_days: 90}
  message: "{id}: last access review {value} is more than 90 days ago"
- id: OPS-003
  title: Login mailbox on a force domain
  severity: error
  assert: {field: security.login_email, email_domain_in: [gloucestershire.police.uk]}
  message: "{id}: {field} is not a force mailbox"
- id: OPS-004
  title: Kennel date is a date
  severity: info
  assert: {field: x-kennel-date, type: date}
  message: "{id}: {field} {value} is not a YYYY-MM-DD date"
- id: OPS-005
  title: No shared login
  severity: error
  assert: {field: security.shared_login, equals: false}
  message: "{id}: shared_login is {value}"
- id: OPS-006
  title: Next review is in the future
  severity: warning
  assert: {field: lifecycle.next_review_due, after: today}
  message: "{id}: next review {value} is overdue"
"""

_GOOD = """\
security:
  last_access_review: 2026-10-01
  login_email: sm@gloucestershire.police.uk
  shared_login: false
x-kennel-date: 2020-05-01
"""


def test_operators_end_to_end(run: Any, tmp_path: Path) -> None:
    project(
        tmp_path,
        {
            "policies/local.yaml": policy(_RULES),
            "accounts/x/glos-x-good.yaml": account(
                "glos-x-good",
                handle="@GLOS_Police",
                status="active, next_review_due: 2027-03-01",
                extra=_GOOD,
            ),
            "accounts/x/glos-x-bad.yaml": account(
                "glos-x-bad",
                handle="@Avon",
                status="active, next_review_due: 2026-11-24",
                extra="""\
                security:
                  last_access_review: 2026-01-01
                  login_email: someone@gmail.com
                  shared_login: true
                x-kennel-date: 1st May
                """,
            ),
        },
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 1, outcome
    assert outcome.out == lines(
        "accounts/x/glos-x-bad.yaml:6:9: OPS-001 error glos-x-bad: handle '@Avon' does not "
        "start with @Glos",
        "accounts/x/glos-x-bad.yaml:9:46: OPS-006 warning glos-x-bad: next review '2026-11-24' "
        "is overdue",
        "accounts/x/glos-x-bad.yaml:11:23: OPS-002 warning glos-x-bad: last access review "
        "'2026-01-01' is more than 90 days ago",
        "accounts/x/glos-x-bad.yaml:12:16: OPS-003 error glos-x-bad: security.login_email is "
        "not a force mailbox",
        "accounts/x/glos-x-bad.yaml:13:17: OPS-005 error glos-x-bad: shared_login is true",
        "accounts/x/glos-x-bad.yaml:14:16: OPS-004 info glos-x-bad: x-kennel-date '1st May' is "
        "not a YYYY-MM-DD date",
    ), outcome
    assert outcome.err == (
        "tabard: 3 errors, 2 warnings, 1 info, 0 waived in 2 documents (2 checked)\n"
    )


def test_as_of_moves_today(run: Any, tmp_path: Path) -> None:
    project(
        tmp_path,
        {
            "policies/local.yaml": policy(_RULES),
            "accounts/x/glos-x-good.yaml": account(
                "glos-x-good", status="active, next_review_due: 2027-03-01", extra=_GOOD
            ),
        },
    )
    assert run("check", "--as-of", AS_OF, cwd=tmp_path).out == ""
    outcome = run("check", "--as-of", "2027-03-01", cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/glos-x-good.yaml:9:46: OPS-006 warning glos-x-good: next review "
        "'2027-03-01' is overdue",
        "accounts/x/glos-x-good.yaml:11:23: OPS-002 warning glos-x-good: last access review "
        "'2026-10-01' is more than 90 days ago",
    ), outcome
    assert outcome.code == 0


# --- day counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["within_days", "older_than_days"])
def test_day_count_past_a_hundred_years_is_a_policy_error(
    run: Any, tmp_path: Path, name: str
) -> None:
    # 1,000,000,000 days once overflowed the date arithmetic: exit 3.
    rules = (
        "- id: LOC-001\n  title: t\n  severity: error\n"
        f"  assert: {{field: x-since, {name}: 1000000000}}\n"
    )
    project(tmp_path, {"policies/local.yaml": policy(rules), "accounts/x/a.yaml": account("a")})
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 2, outcome
    assert outcome.err == lines(
        f"tabard: error: policies/local.yaml:8:{30 + len(name)}: rule LOC-001: {name}: "
        "1000000000 is greater than the maximum of 36500"
    ), outcome


def test_a_hundred_years_is_the_longest_day_count() -> None:
    assert _test("within_days", 36500, "1926-12-19") is True
    assert _test("within_days", 36500, "1926-12-18") is False
    assert _test("older_than_days", 36500, "1926-12-18") is True


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("within_days", "0001-01-01", True),
        ("within_days", "9999-12-31", True),
        ("older_than_days", "0001-01-01", False),
    ],
)
def test_date_arithmetic_never_overflows(name: str, value: str, expected: bool) -> None:
    # A plugin or a caller that skips the argument schema still gets an answer, not an
    # OverflowError: the earliest date is the first day there is.
    test = builtin_operators()[name].make(10**9, False, TODAY)
    assert test(value) is expected


def test_day_count_past_a_hundred_years_in_a_strategy(run: Any, tmp_path: Path) -> None:
    # The Strategy's own value is TAB-003; a rule that reads it cannot run (exit 1, not 3).
    files = force_documents()
    strategy = "force/gloucestershire-strategy.yaml"
    files[strategy] = files[strategy].replace("dormancy_days: 90", "dormancy_days: 1000000000")
    rules = (
        "- id: LOC-001\n  title: t\n  severity: error\n  assert:\n    field: x-since\n"
        "    within_days: {lookup: {kind: Strategy, field: review_cycle.dormancy_days}}\n"
    )
    project(
        tmp_path,
        {"policies/local.yaml": policy(rules), "accounts/x/a.yaml": account("a"), **files},
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/a.yaml:1:1: LOC-001 error cannot check LOC-001: within_days argument "
        "1000000000: 1000000000 is greater than the maximum of 36500",
        "force/gloucestershire-strategy.yaml:67:82: TAB-003 error review_cycle.dormancy_days: "
        "1000000000 is greater than the maximum of 36500",
    ), outcome
    assert outcome.code == 1
