"""End to end with the real pre-commit: a repository from `tabard init`, the hook installed
from this checkout, and four commits.

pre-commit installs the hook by cloning the hook repository at a revision and running
``pip install .`` in a virtual environment of its own, so these tests build a throwaway
git repository from the current working tree (committed or not) and point
``.pre-commit-config.yaml`` at it.  The first test pays for that environment (it needs
the network to reach PyPI); the others reuse it.  Select them with ``-m precommit``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tabard.cli import main

pytestmark = pytest.mark.precommit

CHECKOUT = Path(__file__).parents[1]
_IGNORED = shutil.ignore_patterns(
    ".git",
    "build",
    "*.egg-info",
    "__pycache__",
    ".venv",
    "venv*",
    ".tabard-cache",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
)
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Officer",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test Officer",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_IDENTITY},
        check=False,
    )


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout's working tree as a git repository pre-commit can clone."""
    target = tmp_path_factory.mktemp("hook") / "tabard"
    shutil.copytree(CHECKOUT, target, ignore=_IGNORED)
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "tabard under test")):
        result = _git(target, *args)
        assert result.returncode == 0, result.stderr
    sha = _git(target, "rev-parse", "HEAD").stdout.strip()
    return target, sha


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def force_repository(
    tmp_path: Path,
    hook_repository: tuple[Path, str],
    pre_commit_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """`tabard init` for Gloucestershire, with the hook from this checkout installed."""
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    monkeypatch.delenv("TABARD_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    root = tmp_path / "glos-accounts"
    assert main(["init", str(root), "--force", "gloucestershire"]) == 0
    repository, sha = hook_repository
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repository}\n    rev: {sha}\n    hooks:\n"
        "      - id: tabard\n      - id: tabard-validate\n",
        encoding="utf-8",
    )
    assert _git(root, "init", "-q").returncode == 0
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return root


def _commit(root: Path, message: str) -> subprocess.CompletedProcess[str]:
    """Commit everything; the hook's report is in ``stdout`` (git sends it to stderr)."""
    assert _git(root, "add", "-A").returncode == 0
    result = _git(root, "commit", "-m", message)
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout + result.stderr, ""
    )


def test_clean_commit_passes(force_repository: Path) -> None:
    result = _commit(force_repository, "Register of accounts")
    assert result.returncode == 0, result.stdout
    assert "tabard check...." in result.stdout
    assert "tabard validate....." in result.stdout


def _account(root: Path, identity: str, handle: str, bio: str) -> str:
    template = (root / "accounts/x/gloucestershire-x-main.yaml").read_text(encoding="utf-8")
    text = template.replace("gloucestershire-x-main", identity).replace(
        'handle: "@GlosPolice"', f'handle: "{handle}"'
    )
    start = text.index("bio: >-")
    end = text.index("avatar:")
    return text[:start] + f"bio: {bio}\n" + text[end:]


def test_commit_breaking_a_rule_is_blocked(force_repository: Path) -> None:
    assert _commit(force_repository, "Register of accounts").returncode == 0
    bad = _account(
        force_repository,
        "gloucestershire-x-news",
        "@GlosPoliceNews",
        "News from Gloucestershire Constabulary. Not monitored 24/7. Non-emergency 101 or online.",
    )
    path = force_repository / "accounts/x/gloucestershire-x-news.yaml"
    path.write_text(bad, encoding="utf-8")
    result = _commit(force_repository, "News account")
    assert result.returncode != 0, result.stdout
    line = next(
        number for number, text in enumerate(bad.splitlines(), 1) if text.startswith("bio:")
    )
    assert f"accounts/x/gloucestershire-x-news.yaml:{line}:6: BRD-006 error" in result.stdout
    assert "Failed" in result.stdout


def test_commit_touching_unrelated_yaml_passes(force_repository: Path) -> None:
    assert _commit(force_repository, "Register of accounts").returncode == 0
    workflow = force_repository / ".github/workflows/check.yaml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        "on: [push]\njobs: {check: {runs-on: ubuntu-latest, steps: []}}\n", encoding="utf-8"
    )
    (force_repository / "notes.yaml").write_text(
        "meeting: 2026-11-24\nagenda: [dogs]\n", encoding="utf-8"
    )
    result = _commit(force_repository, "CI and notes")
    assert result.returncode == 0, result.stdout
    assert re.search(r"tabard check\.+Passed", result.stdout), result.stdout


def test_commit_breaking_a_cross_account_rule_is_blocked(force_repository: Path) -> None:
    assert _commit(force_repository, "Register of accounts").returncode == 0
    twin = _account(
        force_repository,
        "gloucestershire-x-copy",
        "@glospolice",
        "Official account of Gloucestershire Constabulary. Not monitored 24/7 - "
        "don't report crime here. Emergency 999. Non-emergency 101 or online.",
    )
    (force_repository / "accounts/x/gloucestershire-x-copy.yaml").write_text(twin, encoding="utf-8")
    result = _commit(force_repository, "Copy of the main account")
    assert result.returncode != 0, result.stdout
    line = next(
        number for number, text in enumerate(twin.splitlines(), 1) if text.startswith("handle:")
    )
    assert (
        f"accounts/x/gloucestershire-x-copy.yaml:{line}:9: BRD-013 error "
        "gloucestershire-x-copy: handle '@glospolice' is recorded by another account "
        "on this platform"
    ) in result.stdout
    # Only the committed file is reported on, although the whole repository was loaded.
    assert "gloucestershire-x-main.yaml" not in result.stdout
