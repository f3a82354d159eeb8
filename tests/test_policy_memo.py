"""The policy memo: a policy file checked in full once is only compiled on later runs.

Every guarantee of a full check still holds on a run that uses the memo: the same
findings and output, a broken policy reported at its line and column on every run, a
memo this user's tabard did not write never trusted, ``--no-cache`` reading and writing
nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.builders import AS_OF, account, lines, policy, project

MEMO = Path(".tabard-cache") / "policies.json"
SHOUT_PLUGIN = """\
from tabard import OperatorSpec, hookimpl

@hookimpl
def tabard_add_operators():
    return [OperatorSpec("shout", lambda value, argument: value.isupper() is argument,
                         "value", {"type": "boolean"})]
"""
RULE = "- id: LOC-001\n  title: t\n  severity: error\n  assert: {field: handle, matches: '^@G'}\n"


def _never_check_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make checking a rule's paths fail the run: a run that passes did not check them."""

    def refuse(*args: Any) -> None:
        raise AssertionError("paths checked again")

    monkeypatch.setattr("tabard.language.path_check.check_paths", refuse)


def _repository(root: Path, handle: str = "@Glos_Police") -> Path:
    return project(
        root,
        {
            "policies/local.yaml": policy(RULE),
            "accounts/x/a1.yaml": account("a1", handle=handle),
        },
    )


def test_a_second_run_compiles_the_remembered_policy_without_checking_it_again(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repository(tmp_path, handle="@kent")
    first = run("check", "--as-of", AS_OF, "--format", "json", cwd=root)
    assert first.code == 1, first
    assert (root / MEMO).is_file()
    _never_check_paths(monkeypatch)
    second = run("check", "--as-of", AS_OF, "--format", "json", cwd=root)
    assert (second.code, second.out, second.err) == (first.code, first.out, first.err)


def test_no_cache_neither_reads_nor_writes_the_memo(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repository(tmp_path)
    assert run("check", "--as-of", AS_OF, "--no-cache", cwd=root).code == 0
    assert not (root / ".tabard-cache").exists()
    assert run("check", "--as-of", AS_OF, cwd=root).code == 0
    _never_check_paths(monkeypatch)
    outcome = run("check", "--as-of", AS_OF, "--no-cache", cwd=root)
    assert outcome.code == 3, outcome
    assert "AssertionError: paths checked again" in outcome.err


def test_a_broken_policy_is_reported_on_every_run(run: Any, tmp_path: Path) -> None:
    root = _repository(tmp_path)
    assert run("check", "--as-of", AS_OF, cwd=root).code == 0
    broken = "- id: LOC-001\n  title: t\n  severity: error\n  assert: {field: handle, matchez: x}\n"
    (root / "policies" / "local.yaml").write_text(policy(broken), encoding="utf-8")
    expected = lines(
        "tabard: error: policies/local.yaml:8:27: rule LOC-001: unknown operator 'matchez'",
    )
    for _ in range(2):
        outcome = run("check", "--as-of", AS_OF, cwd=root)
        assert (outcome.code, outcome.out) == (2, ""), outcome
        assert outcome.err.startswith(expected.rstrip("\n")), outcome


def test_a_remembered_policy_that_no_longer_compiles_is_checked_in_full(
    run: Any, tmp_path: Path
) -> None:
    """The memo was written while a plugin added `shout`; without the plugin the policy
    that uses it is an error at its line and column, as on a run without the memo."""
    shout = (
        "- id: LOC-002\n  title: t\n  severity: error\n  assert: {field: handle, shout: false}\n"
    )
    root = project(
        tmp_path,
        {
            "shout.py": SHOUT_PLUGIN,
            "policies/local.yaml": policy(RULE + shout),
            "accounts/x/a1.yaml": account("a1"),
        },
        config="apiVersion: tabard/v1\nkind: Config\npolicies: [./policies]\n"
        "plugins: {local: [./shout.py]}\n",
    )
    assert run("check", "--as-of", AS_OF, cwd=root).code == 0, "the plugin's operator compiles"
    (root / "tabard.yaml").write_text(
        "apiVersion: tabard/v1\nkind: Config\npolicies: [./policies]\n", encoding="utf-8"
    )
    with_memo = run("check", "--as-of", AS_OF, cwd=root)
    without = run("check", "--as-of", AS_OF, "--no-cache", cwd=root)
    assert with_memo.code == 2, with_memo
    assert "policies/local.yaml:12:27: rule LOC-002: unknown operator 'shout'" in with_memo.err
    assert (with_memo.code, with_memo.out, with_memo.err) == (
        without.code,
        without.out,
        without.err,
    )


def test_a_memo_this_tabard_did_not_sign_is_never_trusted(run: Any, tmp_path: Path) -> None:
    """An edited memo (here: a rule's severity lowered) is ignored and written again."""
    root = _repository(tmp_path, handle="@kent")
    first = run("check", "--as-of", AS_OF, cwd=root)
    assert first.code == 1, first
    signed = (root / MEMO).read_bytes()
    assert b'"severity":"error"' in signed
    (root / MEMO).write_bytes(signed.replace(b'"severity":"error"', b'"severity":"info"'))
    second = run("check", "--as-of", AS_OF, cwd=root)
    assert (second.code, second.out, second.err) == (first.code, first.out, first.err)
    assert (root / MEMO).read_bytes() == signed


def test_a_memo_of_another_repository_is_never_trusted(run: Any, tmp_path: Path) -> None:
    """The signature binds the memo to its repository: one copied in is written again."""
    here = _repository(tmp_path / "here", handle="@kent")
    there = _repository(tmp_path / "there", handle="@kent")
    assert run("check", "--as-of", AS_OF, cwd=here).code == 1
    assert run("check", "--as-of", AS_OF, cwd=there).code == 1
    ours = (here / MEMO).read_bytes()
    (here / MEMO).write_bytes((there / MEMO).read_bytes())
    assert ours != (there / MEMO).read_bytes()
    assert run("check", "--as-of", AS_OF, cwd=here).code == 1
    assert (here / MEMO).read_bytes() == ours
