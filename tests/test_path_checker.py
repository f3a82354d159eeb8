"""Every field path a rule reads is checked against the schema of the kind it reads.

A misspelt path would resolve to nothing and the rule would never fire, so it is a
policy error: exit 2, ``FILE:LINE:COL`` of the path in the policy, and a "did you mean".
Rules written here start on line 5 (see :func:`tests.builders.policy`); the condition
is on line 8.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tabard.language import schema_paths
from tabard.language.paths import parse_path
from tests.builders import AS_OF, account, lines, policy, project

_HEAD = "- id: LOC-001\n  title: t\n  severity: error\n"


def _validate(run: Any, root: Path, rule: str) -> Any:
    project(root, {"policies/local.yaml": policy(_HEAD + rule)})
    return run("validate", cwd=root)


REJECTED = [
    pytest.param(
        "  assert: {field: securty.shared_login, not_equals: true}\n",
        lines(
            "tabard: error: policies/local.yaml:8:19: rule LOC-001: unknown field "
            "'securty.shared_login' in Account documents: the document has no key 'securty'",
            "  hint: did you mean 'security.shared_login'?",
        ),
        id="leaf-field",
    ),
    pytest.param(
        "  assert: {field: handle, equals: {field: display_nam}}\n",
        lines(
            "tabard: error: policies/local.yaml:8:43: rule LOC-001: unknown field "
            "'display_nam' in Account documents: the document has no key 'display_nam'",
            "  hint: did you mean 'display_name'?",
        ),
        id="field-argument",
    ),
    pytest.param(
        "  assert: {field: handle, matches: {lookup: {kind: BrandGuide, "
        "field: handle_pattern.corporate}}}\n",
        lines(
            "tabard: error: policies/local.yaml:8:71: rule LOC-001: unknown field "
            "'handle_pattern.corporate' in BrandGuide documents: the document has no key "
            "'handle_pattern'",
            "  hint: did you mean 'handle_patterns.corporate'?",
        ),
        id="lookup-field",
    ),
    pytest.param(
        "  assert: {field: handle, present: true}\n  message: '{id}: {handel} is wrong'\n",
        lines(
            "tabard: error: policies/local.yaml:9:12: rule LOC-001: unknown field 'handel' in "
            "Account documents: the document has no key 'handel'",
            "  hint: did you mean 'handle'?",
        ),
        id="message-placeholder",
    ),
    pytest.param(
        "  when: {field: acount_type, equals: neighbourhood}\n"
        "  assert: {field: handle, present: true}\n",
        lines(
            "tabard: error: policies/local.yaml:8:17: rule LOC-001: unknown field "
            "'acount_type' in Account documents: the document has no key 'acount_type'",
            "  hint: did you mean 'account_type'?",
        ),
        id="when",
    ),
    pytest.param(
        "  assert: {field: 'operators[*].emial', present: true}\n",
        lines(
            "tabard: error: policies/local.yaml:8:19: rule LOC-001: unknown field "
            "'operators[*].emial' in Account documents: 'operators[*]' has no key 'emial'",
            "  hint: did you mean 'operators[*].email'?",
        ),
        id="after-wildcard",
    ),
    pytest.param(
        "  assert: {field: 'operators[stauts=current].mfa', equals: true}\n",
        lines(
            "tabard: error: policies/local.yaml:8:19: rule LOC-001: unknown field "
            "'operators[stauts=current].mfa' in Account documents: the items of 'operators' "
            "have no key 'stauts'",
            "  hint: did you mean 'operators[status=current].mfa'?",
        ),
        id="filter-key",
    ),
    pytest.param(
        "  assert: {field: operators.mfa, equals: true}\n",
        lines(
            "tabard: error: policies/local.yaml:8:19: rule LOC-001: unknown field "
            "'operators.mfa' in Account documents: 'operators' is a list",
            "  hint: write 'operators[*].mfa' to read every item",
        ),
        id="key-of-a-list",
    ),
    pytest.param(
        "  assert: {field: 'operators[*]', satisfies: {field: acess_via, present: true}}\n",
        lines(
            "tabard: error: policies/local.yaml:8:54: rule LOC-001: unknown field 'acess_via' "
            "in Account documents (inside 'operators[*]'): 'operators[*]' has no key "
            "'acess_via'",
            "  hint: did you mean 'access_via'?",
        ),
        id="inside-satisfies",
    ),
    pytest.param(
        "  assert: {field: 'operators[*]', satisfies: {field: '$.securty', present: true}}\n",
        lines(
            "tabard: error: policies/local.yaml:8:54: rule LOC-001: unknown field '$.securty' "
            "in Account documents: the document has no key 'securty'",
            "  hint: did you mean '$.security'?",
        ),
        id="absolute-inside-satisfies",
    ),
    pytest.param(
        "  assert: {lookup: {kind: Strategy, field: 'objectives[*]'}, "
        "satisfies: {field: status, present: true}}\n",
        lines(
            "tabard: error: policies/local.yaml:8:44: rule LOC-001: satisfies on a lookup of "
            "'objectives[*]' tests one list of every value found, so no field inside it can "
            "ever be read",
            "  hint: look up the list without [*] or a filter and test it with an operator "
            "such as `contains`, or use satisfies on a field of the document",
        ),
        id="satisfies-on-a-lookup-of-many",
    ),
    pytest.param(
        "  assert: {lookup: {kind: Strategy, field: geography}, "
        "satisfies: {field: 'areas[*].cod', present: true}}\n",
        lines(
            "tabard: error: policies/local.yaml:8:75: rule LOC-001: unknown field "
            "'areas[*].cod' in Strategy documents (inside 'geography'): "
            "'geography.areas[*]' has no key 'cod'",
            "  hint: did you mean 'areas[*].code'?",
        ),
        id="satisfies-on-a-lookup",
    ),
    pytest.param(
        "  assert: {field: area.code, exists_in: {kind: Strategy, "
        "field: 'geography.area[*].code'}}\n",
        lines(
            "tabard: error: policies/local.yaml:8:65: rule LOC-001: unknown field "
            "'geography.area[*].code' in Strategy documents: 'geography' has no key 'area'",
            "  hint: did you mean 'geography.areas[*].code'?",
        ),
        id="exists-in-field",
    ),
    pytest.param(
        "  assert: {field: x-cap, gte: {count: {kind: Account, same: [force], "
        "where: {field: lifecycle.stauts, equals: active}}}}\n",
        lines(
            "tabard: error: policies/local.yaml:8:85: rule LOC-001: unknown field "
            "'lifecycle.stauts' in Account documents: 'lifecycle' has no key 'stauts'",
            "  hint: did you mean 'lifecycle.status'?",
        ),
        id="count-where",
    ),
    pytest.param(
        "  assert: {field: handle, unique: {within: [forse]}}\n",
        lines(
            "tabard: error: policies/local.yaml:8:45: rule LOC-001: unknown field 'forse' in "
            "Account documents: the document has no key 'forse'",
            "  hint: did you mean 'force'?",
        ),
        id="unique-within",
    ),
    pytest.param(
        "  assert: {lookup: {kind: BrandGuide, field: 'assets.{avatar.aset}.kind'}, "
        "present: true}\n",
        lines(
            "tabard: error: policies/local.yaml:8:46: rule LOC-001: unknown field "
            "'avatar.aset' in Account documents: 'avatar' has no key 'aset'",
            "  hint: did you mean 'avatar.asset'?",
        ),
        id="placeholder-reads-the-checked-document",
    ),
    pytest.param(
        "  assert: {lookup: {kind: BrandGuide, field: 'assets.{avatar.asset}.sha265'}, "
        "present: true}\n",
        lines(
            "tabard: error: policies/local.yaml:8:46: rule LOC-001: unknown field "
            "'assets.{avatar.asset}.sha265' in BrandGuide documents: "
            "'assets.{avatar.asset}' has no key 'sha265'",
            "  hint: did you mean 'assets.{avatar.asset}.sha256'?",
        ),
        id="after-a-placeholder",
    ),
    pytest.param(
        "  assert: {field: handle.text, present: true}\n",
        lines(
            "tabard: error: policies/local.yaml:8:19: rule LOC-001: unknown field "
            "'handle.text' in Account documents: 'handle' holds a single value, not a mapping "
            "or a list",
            "  hint: `tabard schema Account` lists the fields of Account documents",
        ),
        id="key-of-a-single-value",
    ),
]


@pytest.mark.parametrize(("rule", "expected"), REJECTED)
def test_an_unknown_path_is_a_policy_error(
    run: Any, tmp_path: Path, rule: str, expected: str
) -> None:
    outcome = _validate(run, tmp_path, rule)
    assert (outcome.code, outcome.out, outcome.err) == (2, "", expected), outcome


def test_check_stops_on_an_unknown_path_too(run: Any, tmp_path: Path) -> None:
    project(
        tmp_path,
        {
            "policies/local.yaml": policy(
                _HEAD + "  assert: {field: securty.shared_login, not_equals: true}\n"
            ),
            "accounts/x/a1.yaml": account("a1"),
        },
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert (outcome.code, outcome.out) == (2, ""), outcome
    assert outcome.err.startswith("tabard: error: policies/local.yaml:8:19: rule LOC-001: ")


ACCEPTED = [
    pytest.param("  assert: {field: security.x-vault, present: true}\n", id="x-key"),
    pytest.param("  assert: {field: x-glos.kennel.code, present: true}\n", id="below-an-x-key"),
    pytest.param(
        "  assert: {lookup: {kind: BrandGuide, field: assets.crest-2025.sha256}, present: true}\n",
        id="mapping-keyed-by-id",
    ),
    pytest.param(
        "  assert: {field: 'operators[status=current].mfa', for: any, equals: true}\n",
        id="filter",
    ),
    pytest.param(
        "  assert: {field: 'operators[*]', satisfies: {field: '$.security.shared_login', "
        "equals: false}}\n",
        id="absolute-path-inside-satisfies",
    ),
    pytest.param(
        "  assert: {field: handle, present: true}\n  message: '{id}: {field} is {value}'\n",
        id="reserved-placeholders",
    ),
]


@pytest.mark.parametrize("rule", ACCEPTED)
def test_a_known_path_is_accepted(run: Any, tmp_path: Path, rule: str) -> None:
    outcome = _validate(run, tmp_path, rule)
    assert (outcome.code, outcome.out) == (0, ""), outcome
    assert (
        outcome.err == "tabard: 0 errors, 0 warnings, 0 info, 0 waived in 0 documents (0 checked)\n"
    )


def test_a_rule_on_an_x_key_fires(run: Any, tmp_path: Path) -> None:
    project(
        tmp_path,
        {
            "policies/local.yaml": policy(
                _HEAD + "  assert: {field: x-glos.kennel, equals: K9}\n  message: '{id}: {field}'\n"
            ),
            "accounts/x/a1.yaml": account("a1", extra="x-glos: {kennel: K8}\n"),
        },
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 1, outcome
    assert outcome.out.splitlines()[0] == (
        "accounts/x/a1.yaml:10:18: LOC-001 error a1: x-glos.kennel"
    )


# --- free-form values -------------------------------------------------------------------


_FREE_FORM = {
    "type": "object",
    "properties": {
        "anything": {},
        "bag": {"type": "object"},
        "open": {"type": "object", "properties": {"a": {"type": "string"}}},
        "closed": {
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "additionalProperties": False,
        },
        "either": {
            "oneOf": [
                {"type": "object", "properties": {"a": {}}, "additionalProperties": False},
                {"type": "object", "properties": {"b": {}}, "additionalProperties": False},
            ]
        },
    },
    "additionalProperties": False,
}


@pytest.fixture
def free_form_kind(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A made-up kind whose schema has free-form values (the bundled kinds have none)."""
    real = schema_paths.document_schemas.schema
    monkeypatch.setattr(
        schema_paths.document_schemas,
        "schema",
        lambda kind: _FREE_FORM if kind == "FreeForm" else real(kind),
    )
    schema_paths._schemas_at.cache_clear()
    yield "FreeForm"
    schema_paths._schemas_at.cache_clear()


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("anything.deep[*].er", None),
        ("bag.x[key=value].y", None),
        ("open.b.c", None),
        ("either.a", None),
        ("either.b", None),
        ("closed.a", None),
        ("closed.b", "'closed' has no key 'b'"),
        ("either.c", "'either' has no key 'c'"),
        ("shut", "the document has no key 'shut'"),
    ],
)
def test_free_form_values_accept_any_path_below_them(
    free_form_kind: str, path: str, problem: str | None
) -> None:
    found = schema_paths.path_problem(free_form_kind, parse_path(path).steps)
    assert (found.reason if found else None) == problem
