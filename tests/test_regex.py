"""Patterns from policies and brand guides run on RE2: bounded time, no crash, no silent pass.

A policy's pattern that RE2 cannot run is a policy error (exit 2) at the pattern; a brand
guide's is a finding on every account the rule could not check (exit 1).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tabard.language.regex import MEMO_SIZE, PatternProblem, compile_search
from tabard.testing import Project
from tests.builders import CONFIG, account, lines, policy

#: A rule whose assert starts on line 9 (`matches: ` value at column 36).
_HANDLE_RULE = """\
- id: LOC-001
  title: Handle pattern
  severity: error
  assert: {field: handle, matches: 'PATTERN'}
  message: "{id}: handle {value}"
"""

#: BrandGuide line 5 is the corporate handle pattern (value at column 15).
_BRAND = """\
apiVersion: tabard/v1
kind: BrandGuide
force: gloucestershire
handle_patterns:
  corporate: ['PATTERN']
"""

_BRAND_RULE = """\
- id: LOC-002
  title: Handle follows the brand guide
  severity: error
  assert:
    field: handle
    matches_any: {lookup: {kind: BrandGuide, field: "handle_patterns.{account_type}"}}
  message: "{id}: handle {value}"
"""

_SUMMARY = "tabard: 1 error, 0 warnings, 0 info, 0 waived in 2 documents (2 checked)\n"


def _policy_project(tmp_path: Path, pattern: str, handle: str = "@Glos_Police") -> Project:
    return Project(tmp_path).write(
        {
            "tabard.yaml": CONFIG,
            "policies/local.yaml": policy(_HANDLE_RULE.replace("PATTERN", pattern)),
            "accounts/x/main.yaml": account("main", handle=handle),
        }
    )


def _brand_project(tmp_path: Path, pattern: str, handle: str = "@Glos_Police") -> Project:
    return Project(tmp_path).write(
        {
            "tabard.yaml": CONFIG,
            "policies/local.yaml": policy(_BRAND_RULE),
            "force/brand.yaml": _BRAND.replace("PATTERN", pattern),
            "accounts/x/main.yaml": account("main", handle=handle),
        }
    )


# --- policy patterns: checked when the policy is loaded ------------------------------------


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        pytest.param(
            "a{4294967296}",
            "a repetition count must be at most 1000, got {4294967296}",
            id="huge-repeat",
        ),
        pytest.param(
            r"(a)\1",
            "backreferences (\\1, \\2, …) are not supported (tabard uses RE2 syntax)",
            id="backreference",
        ),
        pytest.param(
            "^(?!Glos)",
            "negative lookahead (?!…) is not supported (tabard uses RE2 syntax)",
            id="lookahead",
        ),
        pytest.param(
            "(?<=@)Glos",
            "lookbehind (?<=…) is not supported (tabard uses RE2 syntax)",
            id="lookbehind",
        ),
        pytest.param(
            "((a{100}){100}){100}",
            "a repetition count is out of range (at most 1000, with nested repeats multiplied, "
            "and {n,m} needs n ≤ m) at '{100}'",
            id="too-large",
        ),
    ],
)
def test_pattern_re2_cannot_run_is_a_policy_error(
    tmp_path: Path, pattern: str, problem: str
) -> None:
    result = _policy_project(tmp_path, pattern).run("check")
    assert (result.code, result.out) == (2, ""), result
    assert result.err == (
        f"tabard: error: policies/local.yaml:8:36: rule LOC-001: matches: "
        f"invalid regular expression {pattern!r}: {problem}\n"
    ), result


def test_thousands_of_nested_groups_compile(tmp_path: Path) -> None:
    """Python's parser recursed once per group and crashed (exit 3); RE2 runs it."""
    pattern = "(" * 3000 + "Glos" + ")" * 3000
    result = _policy_project(tmp_path, pattern, handle="@Kent").run(
        "check", "--as-of", "2026-11-24"
    )
    assert result.code == 1, result
    assert result.out == "accounts/x/main.yaml:6:9: LOC-001 error main: handle '@Kent'\n", result


def test_ignore_case_applies_to_re2(tmp_path: Path) -> None:
    project = _policy_project(tmp_path, "^@glos_police$")
    rules = project.root / "policies/local.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace("'}", "', ignore_case: true}"), encoding="utf-8"
    )
    assert project.run("check", "--as-of", "2026-11-24").code == 0


# --- brand-guide patterns: checked when the lookup is resolved -------------------------------


def test_catastrophic_pattern_in_a_brand_guide_does_not_hang(tmp_path: Path) -> None:
    """`^(a+)+$` against 41 a's and a `!` took Python's re longer than the age of the universe."""
    _brand_project(tmp_path, "^(a+)+$", handle="a" * 41 + "!")
    done = subprocess.run(
        [sys.executable, "-m", "tabard", "check", "--as-of", "2026-11-24"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done
    assert done.stdout == f"accounts/x/main.yaml:6:9: LOC-002 error main: handle '{'a' * 41}!'\n"
    assert done.stderr == _SUMMARY, done


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        pytest.param(
            "a{4294967296}",
            "a repetition count must be at most 1000, got {4294967296}",
            id="huge-repeat",
        ),
        pytest.param(
            "^@?(?!Kent)Glos",
            "negative lookahead (?!…) is not supported (tabard uses RE2 syntax)",
            id="lookahead",
        ),
        pytest.param("^@?(Glos", "a group opened with ( is not closed", id="unclosed"),
    ],
)
def test_bad_brand_guide_pattern_is_a_finding_not_a_pass(
    tmp_path: Path, pattern: str, problem: str
) -> None:
    # The handle would match the pattern's readable part: the rule must still not pass.
    result = _brand_project(tmp_path, pattern).run("check", "--as-of", "2026-11-24")
    assert (result.code, result.err) == (1, _SUMMARY), result
    assert result.out == lines(
        f"accounts/x/main.yaml:1:1: LOC-002 error cannot check LOC-002: matches_any argument: "
        f"invalid regular expression '{pattern}': {problem}"
    ), result


# --- the engine itself ------------------------------------------------------------------------


def test_search_is_a_search_not_a_full_match() -> None:
    search = compile_search(r"@[a-z0-9.-]+\.police\.uk$", False)
    for _ in range(2):  # the second answers come from the memo
        assert search("jane.smith@kent.police.uk")
        assert not search("jane.smith@kent.police.uk.example.com")
        assert not search("jane.smith@gmail.com")


def test_answers_past_the_memo_are_still_computed() -> None:
    search = compile_search("^[0-9]*5$", False)
    answers = [search(str(number)) for number in range(MEMO_SIZE + 50)]
    assert answers == [str(number).endswith("5") for number in range(MEMO_SIZE + 50)]
    assert search(str(MEMO_SIZE * 10 + 5))
    assert not search(str(MEMO_SIZE * 10 + 6))


def test_rejected_pattern_raises_pattern_problem() -> None:
    with pytest.raises(PatternProblem, match="backreferences"):
        compile_search(r"(a)\1", False)


def test_every_bundled_pattern_compiles_under_re2() -> None:
    """Policies, plugin packs, example brand guides, init templates, the benchmark policy, the
    golden examples and the test registers: every pattern they hold runs on RE2."""
    import yaml

    root = Path(__file__).parents[1]
    files = [
        *root.glob("policies/*.yaml"),
        *root.glob("plugins/*.yaml"),
        *root.glob("examples/*/force/*.yaml"),
        *root.glob("engine/data/init/*.yaml"),
        root / "benchmarks/policy-20.yaml",
        *root.glob("tests/examples/**/*.yaml"),
        *root.glob("tests/registers/*/force/*.yaml"),
    ]
    patterns: set[str] = set()

    def collect(node: object, under_pattern: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                pattern_key = key in ("matches", "not_matches", "matches_any", "handle_patterns")
                collect(value, under_pattern or pattern_key)
        elif isinstance(node, list):
            for item in node:
                collect(item, under_pattern)
        elif isinstance(node, str) and under_pattern:
            patterns.add(node)

    for file in files:
        for document in yaml.safe_load_all(file.read_text(encoding="utf-8")):
            collect(document, False)
    assert len(patterns) > 30
    for pattern in sorted(patterns):
        compile_search(pattern, False)
