"""A full check reads and checks each account in one pass, then lets its data go.

Rules that compare accounts run while the indexes of accounts are still filling up, so
an account whose answer a later account changes must be checked again.  Each test
compares a full check (streamed) with a check that names every file (which loads the
whole repository first, as tabard always did): the findings must be the same.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tabard.config import load_config
from tabard.errors import UsageError
from tabard.run.session import open_session
from tabard.run.streaming import stream_repository
from tests.builders import AS_OF, account, force_documents, lines, policy, project

_RULES = """\
- id: STM-001
  title: Handles are unique on a platform
  severity: error
  assert: {field: handle, unique: {within: [platform]}}
  message: "{id}: handle {value} is taken"
- id: STM-002
  title: The twin is in the repository
  severity: warning
  when: {field: x-twin, present: true}
  assert: {field: x-twin, exists_in: {kind: Account, field: id}}
  message: "{id}: no account {value}"
- id: STM-003
  title: The twin names this account back
  severity: warning
  when: {field: x-twin, present: true}
  assert:
    ref: {kind: Account, by: x-twin, field: x-twin}
    equals: {field: id}
  message: "{id}: its twin does not name it back"
- id: STM-004
  title: The platform cap covers every account on the platform
  severity: info
  when: {field: x-cap, present: true}
  assert: {field: x-cap, gte: {count: {kind: Account, same: [platform]}}}
  message: "{id}: cap {value} is below the accounts on the platform"
"""


def _files() -> dict[str, str]:
    # a1 comes first in file order, and every account that changes its answers later.
    return {
        **force_documents(),
        "accounts/x/a1.yaml": account("a1", handle="@Same", extra="x-twin: a3\nx-cap: 2\n"),
        "accounts/x/a2.yaml": account("a2", handle="@Other", extra="x-twin: a9\n"),
        "accounts/x/a3.yaml": account("a3", handle="@Same", extra="x-twin: a1\n"),
        "accounts/x/a4.yaml": account("a4", handle="@Fourth", extra="x-twin: a2\n"),
    }


_EXPECTED = lines(
    "accounts/x/a1.yaml:6:9: STM-001 error a1: handle '@Same' is taken",
    "accounts/x/a1.yaml:11:8: STM-004 info a1: cap 2 is below the accounts on the platform",
    "accounts/x/a2.yaml:10:9: STM-002 warning a2: no account 'a9'",
    "accounts/x/a2.yaml:10:9: STM-003 warning a2: its twin does not name it back",
    "accounts/x/a3.yaml:6:9: STM-001 error a3: handle '@Same' is taken",
    "accounts/x/a4.yaml:10:9: STM-003 warning a4: its twin does not name it back",
)


def _every_file(root: Path) -> list[str]:
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*.yaml")
        if path.name != "tabard.yaml" and not path.is_relative_to(root / "policies")
    )


def _both(run: Any, root: Path) -> tuple[Any, Any]:
    """A full (streamed) check, and one naming every file (loaded whole)."""
    full = run("check", "--as-of", AS_OF, "--no-cache", cwd=root)
    named = run("check", "--as-of", AS_OF, "--no-cache", *_every_file(root), cwd=root)
    return full, named


def test_a_later_account_changes_an_earlier_answer(run: Any, tmp_path: Path) -> None:
    project(tmp_path, {"policies/local.yaml": policy(_RULES), **_files()})
    full, named = _both(run, tmp_path)
    assert (full.code, full.out) == (1, _EXPECTED), full
    assert (named.code, named.out) == (full.code, full.out), named


def test_the_same_with_the_cache_written_and_read(run: Any, tmp_path: Path) -> None:
    project(tmp_path, {"policies/local.yaml": policy(_RULES), **_files()})
    first = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert (tmp_path / ".tabard-cache/documents.cache").is_file()
    # A targeted run reads the indexes' projections from the cache the full run wrote.
    targeted = run("check", "--as-of", AS_OF, "accounts/x/a1.yaml", cwd=tmp_path)
    assert (first.code, first.out) == (1, _EXPECTED), first
    assert targeted.out == lines(
        "accounts/x/a1.yaml:6:9: STM-001 error a1: handle '@Same' is taken",
        "accounts/x/a1.yaml:11:8: STM-004 info a1: cap 2 is below the accounts on the platform",
    ), targeted


def test_force_documents_inside_the_account_folders(run: Any, tmp_path: Path) -> None:
    # The strategy is read among the accounts, after a1 was checked without it.
    files = _files()
    files["accounts/x/zz-strategy.yaml"] = files.pop("force/gloucestershire-strategy.yaml")
    files["accounts/x/a0.yaml"] = account(
        "a0", handle="@Zero", extra='strategy: {objectives: ["OBJ-ENG-01"]}\n'
    )
    rules = (
        _RULES
        + """\
- id: STM-005
  title: Objectives are in the strategy
  severity: error
  when: {field: strategy, present: true}
  assert:
    field: "strategy.objectives[*]"
    exists_in: {kind: Strategy, field: "objectives[*].id", same: [force]}
  message: "{id}: objective {value} is not in the strategy"
"""
    )
    project(tmp_path, {"policies/local.yaml": policy(rules), **files})
    full, named = _both(run, tmp_path)
    # a0's objective is in the strategy, although a0 was read before it.
    assert full.out == _EXPECTED, full
    assert (named.code, named.out) == (full.code, full.out), named


def test_an_account_outside_the_account_folders(run: Any, tmp_path: Path) -> None:
    # Read before the account folders, but first in file order only by its path.
    files = _files()
    files["zz/a5.yaml"] = account("a5", handle="@Same")
    project(tmp_path, {"policies/local.yaml": policy(_RULES), **files})
    full, named = _both(run, tmp_path)
    assert "zz/a5.yaml:6:9: STM-001 error a5: handle '@Same' is taken\n" in full.out, full
    assert (named.code, named.out) == (full.code, full.out), named


def test_accounts_are_let_go_once_checked(tmp_path: Path) -> None:
    project(tmp_path, {"policies/local.yaml": policy(_RULES), **_files()})
    config = load_config(tmp_path / "tabard.yaml")
    day = date.fromisoformat(AS_OF)
    session = open_session(config, day)
    streamed = stream_repository(config, day, None, session.rules)
    accounts = streamed.repository.by_kind["Account"]
    assert [document.id for document in accounts] == ["a1", "a2", "a3", "a4"]
    assert all(document.streamed for document in accounts)
    # Nothing holds their parsed data any more; it is read again only if asked for.
    assert all(document._loaded is None for document in accounts)
    assert accounts[0].data["handle"] == "@Same"
    # Read again only from the same bytes: a file changed meanwhile is an error (exit 2).
    (tmp_path / "accounts/x/a2.yaml").write_text(account("a2", handle="@New"), encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        accounts[1].locate(("handle",))
    assert str(raised.value) == (
        "tabard: error: accounts/x/a2.yaml: the file changed while tabard was checking it\n"
        "  hint: run tabard again once the file is saved"
    )


_STRATEGY_RULE = """\
- id: STM-006
  title: The strategy allows at least as many accounts as the force has
  severity: warning
  kind: Strategy
  assert: {field: x-ceiling, gte: {count: {kind: Account, same: [force]}}}
  message: "{id}: ceiling {value} is below the force's accounts"
"""


def test_a_full_run_caches_what_a_targeted_run_reads(run: Any, tmp_path: Path) -> None:
    # STM-006 reads its index only after the accounts were streamed (the strategy is
    # checked at the end): the cache must still keep every account's projection for it,
    # or a targeted run would parse every account again and rewrite the cache.
    files = _files()
    strategy = "force/gloucestershire-strategy.yaml"
    files[strategy] += "x-ceiling: 3\n"
    project(tmp_path, {"policies/local.yaml": policy(_RULES + _STRATEGY_RULE), **files})
    full = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert "STM-006 warning glos-comms-2026: ceiling 3 is below the force's accounts" in full.out
    cache = tmp_path / ".tabard-cache/documents.cache"
    written = cache.read_bytes()
    targeted = run("check", "--as-of", AS_OF, strategy, cwd=tmp_path)
    line = files[strategy].count("\n")
    assert targeted.out == lines(
        f"{strategy}:{line}:12: STM-006 warning glos-comms-2026: ceiling 3 is below the "
        "force's accounts"
    ), targeted
    assert cache.read_bytes() == written
