"""A broken policy stops the run: exit 2, ``FILE:LINE:COL: message`` on stderr, nothing checked.

Rules written by :func:`tests.builders.policy` start on line 5::

    5 - id: LOC-001
    6   title: t
    7   severity: error
    8   assert: ...
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builders import AS_OF, account, lines, policy, project

_HEAD = "- id: LOC-001\n  title: t\n  severity: error\n"


def _fails(run: Any, root: Path, files: dict[str, str], expected: str) -> None:
    # A manifest that every pack would find fault with: it must not be checked.
    project(root, {"accounts/x/a1.yaml": account("a1", extra="ownr: 1\n"), **files})
    outcome = run("check", "--as-of", AS_OF, cwd=root)
    assert outcome.code == 2, outcome
    assert outcome.out == "", outcome
    assert outcome.err == expected, outcome
    assert not (root / ".tabard-cache").exists()


CASES = [
    pytest.param(
        _HEAD + "  assert: {field: handle, matchez: '^@'}\n",
        lines(
            "tabard: error: policies/local.yaml:8:27: rule LOC-001: unknown operator 'matchez'",
            "  hint: did you mean 'matches'?",
        ),
        id="unknown-operator",
    ),
    pytest.param(
        # Past 2**20 lines, positions no longer fit the packed table of the loader.
        "\n" * (1 << 20) + _HEAD + "  assert: {field: handle, matchez: '^@'}\n",
        lines(
            "tabard: error: policies/local.yaml:1048584:27: rule LOC-001: unknown operator "
            "'matchez'",
            "  hint: did you mean 'matches'?",
        ),
        id="past-a-million-lines",
    ),
    pytest.param(
        # Year 0000 passed the schema and was then silently dropped.
        _HEAD + "  enforce_from: 0000-01-01\n  assert: {field: handle, present: true}\n",
        lines(
            "tabard: error: policies/local.yaml:8:17: rules[0].enforce_from: expected a date "
            "written YYYY-MM-DD (a real day from 0001-01-01 to 9999-12-31), got '0000-01-01'"
        ),
        id="enforce-from-year-zero",
    ),
    pytest.param(
        _HEAD + "  enforce_from: 2027-W01-1\n  assert: {field: handle, present: true}\n",
        lines(
            "tabard: error: policies/local.yaml:8:17: rules[0].enforce_from: expected a date "
            "written YYYY-MM-DD (a real day from 0001-01-01 to 9999-12-31), got '2027-W01-1'"
        ),
        id="enforce-from-week-date",
    ),
    pytest.param(
        _HEAD + "  assert: {field: handle, matches: '^(@'}\n",
        lines(
            "tabard: error: policies/local.yaml:8:36: rule LOC-001: matches: invalid regular "
            "expression '^(@': a group opened with ( is not closed"
        ),
        id="bad-regex",
    ),
    pytest.param(
        _HEAD + "  assert: {field: handle, min_length: two}\n",
        lines(
            'tabard: error: policies/local.yaml:8:39: rule LOC-001: min_length: "two" is not '
            'of type "integer"'
        ),
        id="wrongly-typed-argument",
    ),
    pytest.param(
        _HEAD + "  assert: {field: x-since, before: yesterday}\n",
        lines(
            "tabard: error: policies/local.yaml:8:36: rule LOC-001: before: expected a date "
            "(YYYY-MM-DD) or 'today', got 'yesterday'"
        ),
        id="bad-date-argument",
    ),
    pytest.param(
        "- id: LOC-001\n  title: t\n  severity: error\n  asert: {field: handle, present: true}\n",
        lines(
            "tabard: error: policies/local.yaml:5:3: rules[0] is missing required key 'assert'",
            "tabard: error: policies/local.yaml:8:3: unknown key 'asert' in rules[0]",
            "  hint: did you mean 'assert'?",
        ),
        id="misspelt-assert",
    ),
    pytest.param(
        "- id: LOC-001\n  title: t\n  serverity: error\n  assert: {field: handle, present: true}\n",
        lines(
            "tabard: error: policies/local.yaml:5:3: rules[0] is missing required key 'severity'",
            "tabard: error: policies/local.yaml:7:3: unknown key 'serverity' in rules[0]",
            "  hint: did you mean 'severity'?",
        ),
        id="misspelt-severity",
    ),
    pytest.param(
        "- id: LOC-001\n  title: t\n  severity: fatal\n  assert: {field: handle, present: true}\n",
        lines(
            'tabard: error: policies/local.yaml:7:13: rules[0].severity: "fatal" is not one of '
            '"error", "warning" or "info"'
        ),
        id="unknown-severity",
    ),
    pytest.param(
        _HEAD + "  assert:\n    alll:\n      - {field: handle, present: true}\n",
        lines(
            "tabard: error: policies/local.yaml:9:5: rule LOC-001: unknown operator 'alll'",
            "  hint: did you mean 'all'?",
        ),
        id="misspelt-combinator",
    ),
    pytest.param(
        _HEAD + "  assert:\n    all: {field: handle, present: true}\n",
        lines(
            "tabard: error: policies/local.yaml:9:5: rules[0].assert.all: {field: 'handle', "
            'present: true} is not of type "array"'
        ),
        id="combinator-without-a-list",
    ),
    pytest.param(
        _HEAD + "  assert: {field: handle, present: true, matches: x}\n",
        lines(
            "tabard: error: policies/local.yaml:8:51: rule LOC-001: a condition takes one "
            "operator, found 'present' and 'matches'",
            "  hint: combine several checks with `all:`",
        ),
        id="two-operators",
    ),
    pytest.param(
        _HEAD + "  assert: {field: handle}\n",
        lines(
            "tabard: error: policies/local.yaml:8:3: rule LOC-001: this condition has no operator",
            "  hint: add one, e.g. `present: true`, `equals: …` or `matches: …`",
        ),
        id="no-operator",
    ),
    pytest.param(
        _HEAD + "  assert: {field: handle, present: true, for: any}\n",
        lines(
            "tabard: error: policies/local.yaml:8:47: rule LOC-001: `for` needs a field path "
            "with [*] to range over"
        ),
        id="for-without-wildcard",
    ),
    pytest.param(
        _HEAD + "  assert: {field: 'operators[*].mfa', equals: true, for: every}\n",
        lines(
            'tabard: error: policies/local.yaml:8:58: rules[0].assert.for: "every" is not one '
            'of "all", "any" or "none"'
        ),
        id="unknown-quantifier",
    ),
    pytest.param(
        _HEAD + "  assert: {field: x-n, gt: 1, ignore_case: true}\n",
        lines(
            "tabard: error: policies/local.yaml:8:44: rule LOC-001: ignore_case does not apply "
            "to 'gt'"
        ),
        id="ignore-case-on-gt",
    ),
    pytest.param(
        _HEAD + "  assert: {field: 'a..b', present: true}\n",
        lines("tabard: error: policies/local.yaml:8:19: rule LOC-001: empty step in path 'a..b'"),
        id="bad-path",
    ),
    pytest.param(
        _HEAD + "  assert: {field: handle, present: true}\n"
        '  message: "{id}: {owner.name} has no handle"\n',
        lines(
            "tabard: error: policies/local.yaml:9:12: rule LOC-001: placeholder {owner.name} "
            "would copy personal data into findings; name the account ({id}) and the field "
            "instead"
        ),
        id="personal-placeholder",
    ),
    pytest.param(
        _HEAD + "  assert: {field: handle, present: true}\n"
        '  message: "{id}: {operators[*].email}"\n',
        lines(
            "tabard: error: policies/local.yaml:9:12: rule LOC-001: placeholder "
            "{operators[*].email} must name a single field"
        ),
        id="wildcard-placeholder",
    ),
    pytest.param(
        _HEAD + '  assert: {field: handle, present: true}\n  message: "{id} has {no handle"\n',
        lines(
            "tabard: error: policies/local.yaml:9:12: rule LOC-001: unbalanced '{' or '}' "
            "(write '{{' or '}}' for a literal brace)"
        ),
        id="unbalanced-brace",
    ),
    pytest.param(
        _HEAD + "  assert:\n    field: handle\n    unique:\n"
        "      where: {lookup: {kind: Force, field: name}, equals: x}\n",
        lines(
            "tabard: error: policies/local.yaml:11:15: rule LOC-001: a `where` condition may "
            "only read the document itself, not a lookup"
        ),
        id="where-with-lookup",
    ),
    pytest.param(
        _HEAD + "  assert:\n    field: handle\n    unique:\n"
        "      where: {field: handle, unique: {}}\n",
        lines(
            "tabard: error: policies/local.yaml:11:30: rule LOC-001: unique cannot be used "
            "inside a `where` condition"
        ),
        id="where-with-collection-operator",
    ),
    pytest.param(
        _HEAD + "  assert:\n    field: handle\n    equals: {lookup: {kind: Brand, field: name}}\n",
        lines(
            "tabard: error: policies/local.yaml:10:29: rule LOC-001: unknown document kind 'Brand'",
            "  hint: did you mean 'BrandGuide'?",
        ),
        id="unknown-lookup-kind",
    ),
    pytest.param(
        _HEAD + "  assert:\n    field: handle\n    equals: {lookup: {kind: BrandGuide, feld: x}}\n",
        lines(
            "tabard: error: policies/local.yaml:10:41: rule LOC-001: unknown key 'feld' in lookup",
            "  hint: did you mean 'field'?",
        ),
        id="misspelt-lookup-key",
    ),
    pytest.param(
        "- id: TAB-900\n  title: t\n  severity: error\n  assert: {field: handle, present: true}\n",
        lines(
            "tabard: error: policies/local.yaml:5:3: rule id TAB-900 uses the prefix TAB, which "
            "is kept for tabard's own findings"
        ),
        id="tab-prefix",
    ),
    pytest.param(
        "- id: loc-1\n  title: t\n  severity: error\n  assert: {field: handle, present: true}\n",
        lines(
            'tabard: error: policies/local.yaml:5:7: rules[0].id: "loc-1" does not match '
            '"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9]{3}$"'
        ),
        id="bad-rule-id",
    ),
]


@pytest.mark.parametrize(("rules", "expected"), CASES)
def test_broken_rule(run: Any, tmp_path: Path, rules: str, expected: str) -> None:
    _fails(run, tmp_path, {"policies/local.yaml": policy(rules)}, expected)


_RULE = "- id: LOC-001\n  title: t\n  severity: error\n  assert: {field: handle, present: true}\n"


def test_duplicate_rule_id_across_two_files(run: Any, tmp_path: Path) -> None:
    _fails(
        run,
        tmp_path,
        {
            "policies/a.yaml": policy(_RULE, name="first"),
            "policies/b.yaml": policy(_RULE, name="second"),
        },
        lines(
            "tabard: error: policies/b.yaml:5:3: duplicate rule id LOC-001 (first defined at "
            "policies/a.yaml:5:3)",
            "  hint: give each rule its own id",
        ),
    )


def test_duplicate_policy_name(run: Any, tmp_path: Path) -> None:
    _fails(
        run,
        tmp_path,
        {
            "policies/a.yaml": policy(_RULE, name="same"),
            "policies/b.yaml": policy(_RULE.replace("LOC-001", "LOC-002"), name="same"),
        },
        lines(
            "tabard: error: policies/b.yaml: policy name 'same' is already used by policies/a.yaml",
            "  hint: give each policy pack its own name",
        ),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "apiVersion: tabard/v1\nkind: Policy\nname: x\nrules:\n  - id: LOC-001\n"
            "    title: [unclosed\n",
            "tabard: error: policies/local.yaml:7:1: invalid YAML: did not find expected ',' "
            "or ']'",
            id="syntax",
        ),
        pytest.param(
            "apiVersion: tabard/v1\nkind: Policy\nname: x\nname: y\nrules: []\n",
            "tabard: error: policies/local.yaml:4:1: invalid YAML: duplicate key 'name' (first "
            "on line 3); YAML keeps only one of them, so remove or rename one",
            id="duplicate-key",
        ),
        pytest.param(
            "apiVersion: tabard/v1\nkind: Policy\nname: !!binary eA==\nrules: []\n",
            "tabard: error: policies/local.yaml:3:7: invalid YAML: tag !!binary is not allowed: "
            "tabard documents hold only strings, numbers, booleans, null, lists and mappings",
            id="tag",
        ),
        pytest.param(
            "apiVersion: tabard/v1\nkind: Account\nname: x\n",
            "tabard: error: policies/local.yaml:1:1: expected a policy document (kind: Policy), "
            "found kind 'Account'",
            id="not-a-policy",
        ),
    ],
)
def test_invalid_policy_file(run: Any, tmp_path: Path, text: str, expected: str) -> None:
    _fails(run, tmp_path, {"policies/local.yaml": text}, expected + "\n")


def test_every_problem_in_every_pack_is_reported(run: Any, tmp_path: Path) -> None:
    _fails(
        run,
        tmp_path,
        {
            "policies/a.yaml": policy(
                _HEAD + "  assert: {field: handle, matches: '('}\n"
                "- id: LOC-002\n  title: t\n  severity: error\n"
                "  assert: {field: handle, gt: x}\n",
                name="first",
            ),
            "policies/b.yaml": policy(
                "- id: LOC-003\n  title: t\n  severity: error\n"
                "  assert: {field: handle, min_length: -1}\n",
                name="second",
            ),
        },
        lines(
            "tabard: error: policies/a.yaml:8:36: rule LOC-001: matches: invalid regular "
            "expression '(': a group opened with ( is not closed",
            'tabard: error: policies/a.yaml:12:31: rule LOC-002: gt: "x" is not of type "number"',
            "tabard: error: policies/b.yaml:8:39: rule LOC-003: min_length: -1 is less than the "
            "minimum of 0",
        ),
    )


def test_validate_also_stops_on_a_broken_policy(run: Any, tmp_path: Path) -> None:
    project(
        tmp_path,
        {
            "policies/local.yaml": policy(_HEAD + "  assert: {field: handle, matches: '('}\n"),
            "accounts/x/a1.yaml": account("a1", extra="ownr: 1\n"),
        },
    )
    outcome = run("validate", cwd=tmp_path)
    assert outcome.code == 2, outcome
    assert outcome.out == ""
    assert outcome.err.startswith(
        "tabard: error: policies/local.yaml:8:36: rule LOC-001: matches: invalid regular "
        "expression '(': a group opened with ( is not closed\n"
    ), outcome


def test_rules_and_explain_stop_on_a_broken_policy(run: Any, tmp_path: Path) -> None:
    project(tmp_path, {"policies/local.yaml": policy(_HEAD + "  assert: {field: handle}\n")})
    for command in (("rules",), ("explain", "LOC-001")):
        outcome = run(*command, cwd=tmp_path)
        assert outcome.code == 2, outcome
        assert outcome.out == ""
        assert outcome.err.startswith(
            "tabard: error: policies/local.yaml:8:3: rule LOC-001: this condition has no operator\n"
        ), outcome


def test_bad_key_path_in_an_operator_argument_is_a_policy_error(run: Any, tmp_path: Path) -> None:
    project(
        tmp_path,
        {
            "policies/local.yaml": policy(_HEAD + "  assert: {field: operators, distinct: '[x'}\n"),
            "accounts/x/a1.yaml": account("a1"),
        },
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 2, outcome
    assert outcome.out == ""
    assert outcome.err.startswith("tabard: error: policies/local.yaml:8:"), outcome
    assert "distinct" in outcome.err
