"""The cache of document projections: correct results, never trusted, never committed."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tabard import repository
from tabard.testing import Project

POLICY = """\
apiVersion: tabard/v1
kind: Policy
name: local
rules:
  - id: LOC-001
    title: One manifest per handle
    severity: error
    assert: {field: handle, unique: {within: [platform]}, ignore_case: true}
    message: "{id}: handle {value} is used by another account"
"""


def _account(identity: str, handle: str) -> str:
    return (
        f"apiVersion: tabard/v1\nkind: Account\nid: {identity}\nforce: kent\nplatform: x\n"
        f'handle: "{handle}"\ndisplay_name: Kent Police\naccount_type: corporate\n'
        "lifecycle: {status: active}\n"
    )


def _project(tmp_path: Path, accounts: int = 30) -> Project:
    files = {
        "tabard.yaml": "apiVersion: tabard/v1\nkind: Config\npolicies: [./policies]\n",
        "policies/local.yaml": POLICY,
    }
    for number in range(accounts):
        name = f"kent-x-{number:03d}"
        files[f"accounts/x/{name}.yaml"] = _account(name, f"@Kent{number:03d}")
    return Project(tmp_path).write(files)


def _cache(tmp_path: Path) -> Path:
    return tmp_path / ".tabard-cache" / "documents.json"


def _findings(result: Any) -> list[tuple[str, str, int]]:
    assert result.code in (0, 1), result
    return [(f["rule"], f["file"], f["line"]) for f in result.findings]


def test_full_run_writes_a_cache_that_ignores_itself(tmp_path: Path) -> None:
    _project(tmp_path).check()
    assert _cache(tmp_path).is_file()
    assert (tmp_path / ".tabard-cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    header = json.loads(_cache(tmp_path).read_bytes().split(b"\n", 1)[0])
    assert sorted(header) == ["fingerprint", "format", "sha256", "tabard"]


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    _project(tmp_path).check("--no-cache")
    assert not (tmp_path / ".tabard-cache").exists()


def test_changed_file_sees_a_duplicate_in_a_cached_file(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.check()  # writes the cache
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    targeted = project.check("accounts/x/kent-x-029.yaml")
    assert _findings(targeted) == [("LOC-001", "accounts/x/kent-x-029.yaml", 6)]
    assert targeted.report["summary"]["documents"] == 30


def test_an_edited_cached_file_is_read_again(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()  # the cache remembers kent-x-007 holding @Kent007
    project.write({"accounts/x/kent-x-007.yaml": _account("kent-x-007", "@KentSeven")})
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == []


def test_a_touched_but_unchanged_file_is_still_right(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()
    other = tmp_path / "accounts/x/kent-x-007.yaml"
    os.utime(other, ns=(other.stat().st_atime_ns, other.stat().st_mtime_ns + 10**9))
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == [
        ("LOC-001", "accounts/x/kent-x-029.yaml", 6)
    ]


def test_corrupt_cache_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()
    _cache(tmp_path).write_bytes(b"\x00\xffnot json at all")
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == [
        ("LOC-001", "accounts/x/kent-x-029.yaml", 6)
    ]
    # The next full run writes a good cache again.
    project.check()
    assert json.loads(_cache(tmp_path).read_bytes().split(b"\n", 1)[0])["format"] == 1


def test_edited_cache_fails_its_checksum(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()
    # Someone edits the cache to hide the duplicate: the checksum no longer matches.
    header, payload = _cache(tmp_path).read_bytes().split(b"\n", 1)
    _cache(tmp_path).write_bytes(header + b"\n" + payload.replace(b"@kent007", b"@Elsewhere"))
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == [
        ("LOC-001", "accounts/x/kent-x-029.yaml", 6)
    ]


def test_a_policy_change_invalidates_the_cache(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()
    project.write(
        {"policies/local.yaml": POLICY.replace("ignore_case: true", "ignore_case: false")}
    )
    # Case now matters: @kent007 and @Kent007 differ, which stale projections would hide.
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == []


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (tmp_path / ".tabard-cache").write_text("a file where the folder should be\n", encoding="utf-8")
    result = project.check()
    assert result.code == 0, result
    assert result.err == "", result


def test_a_warm_targeted_run_parses_only_its_targets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    project.check()
    parsed: list[int] = []
    real = repository.load_documents

    def counting(raw: bytes) -> Any:
        parsed.append(len(raw))
        return real(raw)

    monkeypatch.setattr(repository, "load_documents", counting)
    assert _findings(project.check("accounts/x/kent-x-003.yaml")) == []
    # 30 accounts in the repository, one of them read; and the policy file, which is
    # validated on every run whether tabard.yaml lists it or not.
    assert len(parsed) == 2
