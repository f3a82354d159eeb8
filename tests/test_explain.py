"""`tabard explain` words a rule from its parsed condition: exactly what the rule checks.

Each test writes a local pack with one rule and compares the ``checks:`` part of the
explanation line for line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builders import lines, policy, project


def _checks(run: Any, root: Path, rule: str) -> str:
    project(root, {"policies/local.yaml": policy(rule)})
    outcome = run("explain", "LOC-001", cwd=root)
    assert outcome.code == 0, outcome
    assert outcome.err == "", outcome
    _, _, checks = outcome.out.partition("checks:\n")
    return checks


CASES = [
    pytest.param(
        "  assert: {field: 'operators[status=current].mfa', for: none, equals: false}\n",
        lines("  no operators[status=current].mfa equals false"),
        id="for-none-on-a-filter",
    ),
    pytest.param(
        "  assert: {field: 'operators[status=current].mfa', equals: true}\n",
        lines("  every operators[status=current].mfa equals true"),
        id="filter-means-every",
    ),
    pytest.param(
        "  assert: {field: 'operators[*].email', for: any, matches: '@example\\.org$'}\n",
        lines("  at least one operators[*].email matches the pattern '@example\\.org$'"),
        id="for-any",
    ),
    pytest.param(
        "  assert: {field: 'handover[*].note', for: none, present: true}\n",
        lines("  no handover[*].note is present"),
        id="for-none",
    ),
    pytest.param(
        "  when: {field: account_type, equals: neighbourhood}\n"
        "  assert:\n"
        "    any:\n"
        "      - field: area.code\n"
        "        exists_in: {kind: Strategy, field: 'geography.areas[*].code'}\n"
        "      - not: {field: security.shared_login, equals: true}\n"
        "      - field: handle\n"
        "        matches: {lookup: {kind: BrandGuide, field: 'handle_patterns.{account_type}',"
        " default: '.'}}\n",
        lines(
            "  only when:",
            "    account_type equals 'neighbourhood'",
            "  it requires:",
            "    any of:",
            "      - area.code is one of the values of geography.areas[*].code in Strategy "
            "documents",
            "      - not:",
            "          security.shared_login equals true",
            "      - handle matches the pattern the force's BrandGuide "
            "handle_patterns.{account_type} (default '.')",
        ),
        id="when-references-and-nesting",
    ),
]


@pytest.mark.parametrize(("assertion", "expected"), CASES)
def test_explain_words_the_condition_exactly(
    run: Any, tmp_path: Path, assertion: str, expected: str
) -> None:
    rule = "- id: LOC-001\n  title: t\n  severity: error\n" + assertion
    assert _checks(run, tmp_path, rule) == expected
