"""A warm targeted run gives exactly what the same run without the cache gives.

A generated repository (every built-in pack, a few accounts per force) is checked in
full, which writes the cache; then, round after round, files are edited, added,
deleted and renamed at random, including edits that change cross-file answers
(duplicate handles and ids, a force's count of active accounts, a second dogs account)
and edits of the force documents, which the cache keeps parsed while they are unchanged,
and targeted runs with the cache are compared, byte for byte, with ``--no-cache`` runs.
Some rounds change enough files for the targeted run to write the cache again, so
later rounds read a cache written by a targeted run, not only by a full one.
"""

from __future__ import annotations

import importlib.util
import os
import random
import re
import time
from pathlib import Path
from types import ModuleType

import pytest

from tabard.testing import Project

_GENERATOR = Path(__file__).parent.parent / "benchmarks" / "generate.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tabard_bench_generate", _GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _accounts(root: Path) -> list[Path]:
    return sorted((root / "accounts").rglob("*.yaml"))


def _set(path: Path, field: str, value: str) -> None:
    """Give the top-level *field* of a manifest another value."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(rf"(?m)^{field}: .*$", f"{field}: {value}", text, count=1)
    path.write_text(text, encoding="utf-8")


def _field(path: Path, field: str) -> str:
    found = re.search(rf"(?m)^{field}: (.*)$", path.read_text(encoding="utf-8"))
    assert found is not None
    return found.group(1)


def _mutate(root: Path, rng: random.Random, changes: int) -> set[Path]:
    """*changes* random changes; the files they leave changed or new."""
    changed: set[Path] = set()
    for _ in range(changes):
        accounts = _accounts(root)
        path, other = rng.choice(accounts), rng.choice(accounts)
        action = rng.choice(
            ["comment", "handle", "id", "status", "type", "force", "add", "delete", "rename"]
            + ["force document"] * 3
        )
        if action == "force document":  # read from the cache while unchanged: not a target
            _edit_force_document(root, rng)
            continue
        if action == "comment":
            with path.open("a", encoding="utf-8") as stream:
                stream.write(f"# reviewed {rng.randrange(10**6)}\n")
        elif action == "handle":  # unique handles: a duplicate, or a duplicate undone
            _set(path, "handle", _field(other, "handle"))
        elif action == "id":  # TAB-004 and ref lookups by id
            _set(path, "id", _field(other, "id"))
        elif action == "status":  # counts of active accounts per force and area
            text = path.read_text(encoding="utf-8")
            status = rng.choice(["active", "dormant", "closed"])
            path.write_text(re.sub(r"(?m)^  status: \w+$", f"  status: {status}", text, count=1))
        elif action == "type":  # at most one dogs account per force and platform
            _set(path, "account_type", rng.choice(["dogs", "corporate", "neighbourhood"]))
        elif action == "force":
            _set(path, "force", _field(other, "force"))
        elif action == "add":
            path = path.with_name(f"copy-{rng.randrange(10**6)}.yaml")
            path.write_text(other.read_text(encoding="utf-8"), encoding="utf-8")
        elif action == "delete":
            path.unlink()
            changed.discard(path)
            continue
        else:
            renamed = path.with_name(f"renamed-{rng.randrange(10**6)}.yaml")
            path.rename(renamed)
            changed.discard(path)
            path = renamed
        changed.add(path)
    return changed


def _edit_force_document(root: Path, rng: random.Random) -> None:
    """Edit one force's Force, Strategy or BrandGuide document: a comment, or a change
    that rules read (the force's e-mail domains, Welsh standards, brand guide)."""
    path = rng.choice(sorted((root / "forces").rglob("*.yaml")))
    text = path.read_text(encoding="utf-8")
    edits = [
        (r'(?m)^email_domains: \["', 'email_domains: ["x'),
        (r"(?m)^welsh_standards: false$", "welsh_standards: true"),
        (r"(?m)^welsh_standards: true$", "welsh_standards: false"),
        (r"(?m)^apiVersion: tabard/v1$", "apiVersion: tabard/v1\nx-reviewed: true"),
    ]
    pattern, replacement = rng.choice(edits)
    edited = re.sub(pattern, replacement, text, count=1)
    if edited == text:
        edited = f"{text}# reviewed {rng.randrange(10**6)}\n"
    path.write_text(edited, encoding="utf-8")


def _age_everything(root: Path) -> None:
    """Every file an hour old: the cache may then stand for them on their status alone."""
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in root.rglob("*.yaml"):
        os.utime(path, ns=(hour_ago, hour_ago))


def _touch_everything(root: Path) -> None:
    """New times, same contents: every file is hashed again, and the cache rewritten."""
    for path in root.rglob("*.yaml"):
        status = path.stat()
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))


def _compare(project: Project, targets: list[str]) -> None:
    for output in ("json", "text"):
        check = ("check", "--as-of", "2026-11-24", "--format", output)
        warm = project.run(*check, *targets)
        cold = project.run(*check, "--no-cache", *targets)
        assert (warm.code, warm.err) == (cold.code, cold.err), targets
        assert warm.out == cold.out, targets


@pytest.mark.parametrize("seed", [1, 2])
def test_warm_targeted_runs_match_runs_without_the_cache(tmp_path: Path, seed: int) -> None:
    root = tmp_path / "repository"
    _generator().generate(root, 120, seed=seed, policy="builtin")
    _age_everything(root)
    project = Project(root)
    assert project.run("check", "--as-of", "2026-11-24").code == 1  # writes the cache
    cache = root / ".tabard-cache" / "documents.cache"
    assert cache.is_file()
    rng = random.Random(seed)
    for round_number in range(6):
        if round_number == 3:
            _touch_everything(root)
        changed = _mutate(root, rng, rng.randrange(1, 12))
        files = [str(path.relative_to(root)) for path in sorted(changed)]
        others = [str(path.relative_to(root)) for path in rng.sample(_accounts(root), 3)]
        before = cache.read_bytes()
        _compare(project, sorted({*files, *others}))
        if round_number == 3:
            # Every file touched: the targeted run wrote the cache again.
            assert cache.read_bytes() != before
    # A folder as a target, and a full run, agree too.
    _compare(project, ["accounts/x"])
    _compare(project, [])
