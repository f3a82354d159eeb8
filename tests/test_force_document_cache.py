"""The cache keeps the parsed Force, Strategy and BrandGuide documents (format 5).

A warm targeted run rebuilds a force's documents from the cache while their files are
unchanged, and parses them again otherwise; either way it gives exactly what a run
without the cache gives.  A cache entry that is damaged, planted or stale is never
believed.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from tabard.documents import repository
from tabard.testing import Project
from tests.test_cache import _cache, _key, _parts, _seal
from tests.test_warm_runs import _generator

AS_OF = "2026-11-24"
TARGET = "accounts/x"
FORCE_FILE = b"kind: Force\n"


def _repository(tmp_path: Path) -> Project:
    """A generated repository (ten forces), its files an hour old, checked in full once
    (which writes the cache)."""
    _generator().generate(tmp_path, 40, seed=3, policy="builtin")
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in tmp_path.rglob("*.yaml"):
        os.utime(path, ns=(hour_ago, hour_ago))
    project = Project(tmp_path)
    assert project.run("check", "--as-of", AS_OF).code == 1
    return project


def _same_as_without_the_cache(project: Project, *targets: str) -> Any:
    for output in ("json", "text"):
        check = ("check", "--as-of", AS_OF, "--format", output, *targets)
        warm = project.run(*check)
        cold = project.run(*check, "--no-cache")
        assert (warm.code, warm.out, warm.err) == (cold.code, cold.out, cold.err)
    return json.loads(project.run("check", "--as-of", AS_OF, "--format", "json", *targets).out)


def _parsed_force_files(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Record the Force files the runs after this call parse."""
    parsed: list[bytes] = []
    real = repository.load_documents

    def counting(raw: bytes) -> Any:
        if FORCE_FILE in raw:
            parsed.append(raw)
        return real(raw)

    monkeypatch.setattr(repository, "load_documents", counting)
    return parsed


def _targets(root: Path) -> list[str]:
    return [str(path.relative_to(root)) for path in sorted((root / TARGET).rglob("*.yaml"))]


def _force_file(root: Path) -> Path:
    """The Force file of the force of the first target account."""
    account = (root / _targets(root)[0]).read_text(encoding="utf-8")
    found = re.search(r"(?m)^force: (\S+)$", account)
    assert found is not None
    return root / "forces" / found.group(1) / "force.yaml"


def test_unchanged_force_documents_come_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _repository(tmp_path)
    parsed = _parsed_force_files(monkeypatch)
    _same_as_without_the_cache(project, *_targets(tmp_path))
    # Two warm runs (text and JSON) parsed no Force file; the runs without the cache
    # parsed all ten, twice.
    assert len(parsed) == 2 * 10


def test_an_edited_force_document_is_parsed_again(tmp_path: Path) -> None:
    project = _repository(tmp_path)
    targets = _targets(tmp_path)
    before = _same_as_without_the_cache(project, *targets)
    for path in sorted(tmp_path.glob("forces/*/force.yaml")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('email_domains: ["', 'email_domains: ["x'), encoding="utf-8")
    after = _same_as_without_the_cache(project, *targets)
    assert after != before  # the edit changed findings, and the warm run saw it


def test_a_same_size_edit_within_the_clock_tick_is_not_missed(tmp_path: Path) -> None:
    _generator().generate(tmp_path, 40, seed=3, policy="builtin")
    path = _force_file(tmp_path)
    saved = time.time_ns() + 10**9  # saved while the full run was reading
    os.utime(path, ns=(saved, saved))
    project = Project(tmp_path)
    targets = _targets(tmp_path)
    before = _same_as_without_the_cache(project, *targets)
    text = path.read_text(encoding="utf-8")
    # Another e-mail domain, and the last line break dropped to keep the size.
    edited = text.replace('email_domains: ["', 'email_domains: ["x', 1)[:-1]
    assert edited != text
    assert len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(saved, saved))
    assert _same_as_without_the_cache(project, *targets) != before


def _plant_in_chunks(tmp_path: Path, old: bytes, new: bytes, key: bytes) -> None:
    """Replace *old* by *new* in the cached documents and sign the cache with *key*."""
    _, header, sections = _parts(tmp_path)
    assert sections.count(old) >= 1
    _seal(tmp_path, header, sections.replace(old, new), key)


def test_planted_force_data_is_never_believed(tmp_path: Path) -> None:
    project = _repository(tmp_path)
    targets = _targets(tmp_path)
    honest = _same_as_without_the_cache(project, *targets)
    # The cached Force documents now name a rank that hides findings: signed with a key
    # that is not this user's, the cache is not used at all.
    _plant_in_chunks(tmp_path, b'"Inspector"', b'"Constable"', b"k" * 32)
    assert _same_as_without_the_cache(project, *targets) == honest


def test_the_planted_data_would_change_the_findings(tmp_path: Path) -> None:
    # The same plant signed with this user's own key is believed: the test above would
    # fail if the signature were not checked.
    project = _repository(tmp_path)
    targets = _targets(tmp_path)
    check = ("check", "--as-of", AS_OF, "--format", "json", *targets)
    honest = project.run(*check).out
    _plant_in_chunks(tmp_path, b'"Inspector"', b'"Constable"', _key())
    assert project.run(*check).out != honest


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'[0,"Force",null', b'[0,"Forcf",null'),  # not a force document's kind
        (b"},[0,0,12,", b"},[0,0,-2,"),  # not a position table
    ],
)
def test_a_damaged_force_entry_is_parsed_from_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: bytes, new: bytes
) -> None:
    project = _repository(tmp_path)
    damaged = _parts(tmp_path)[2].count(old)
    _plant_in_chunks(tmp_path, old, new, _key())
    parsed = _parsed_force_files(monkeypatch)
    targets = _targets(tmp_path)
    check = ("check", "--as-of", AS_OF, "--format", "json", *targets)
    warm = project.run(*check)
    cold = project.run(*check, "--no-cache")
    assert (warm.code, warm.out, warm.err) == (cold.code, cold.out, cold.err)
    # Every Force file's entry is damaged: the ten are parsed from their files by the
    # warm run (the cache is signed by this user, so nothing else stops it), and again
    # by the run without the cache.
    assert damaged >= 10
    assert len(parsed) == 2 * 10


def test_data_json_cannot_hold_is_not_kept(tmp_path: Path) -> None:
    # A NaN is not equal to itself, so it cannot be shown to come back from JSON as it
    # was: the file is not kept, and is parsed on every run.
    project = _repository(tmp_path)
    path = _force_file(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "x-notes: .nan\n", encoding="utf-8")
    hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(hour_ago, hour_ago))
    assert project.run("check", "--as-of", AS_OF).code == 1
    assert b"x-notes" not in _cache(tmp_path).read_bytes()
    _same_as_without_the_cache(project, *_targets(tmp_path))
