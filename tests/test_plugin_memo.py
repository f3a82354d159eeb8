"""Installed plugins are remembered while the installed distributions stay the same.

A `tabard check` that caches keeps the ``tabard`` entry points it found in
``.tabard-cache/plugins.json`` with a fingerprint of the installed distributions
(``extend/discovery.py``); these tests install, remove and edit a real distribution in a
folder on ``sys.path`` after the memo was written, and the next run must see it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tabard.documents.cache import RACY_NS
from tabard.testing import Project
from tests.conftest import install_fake_distribution

MEMO = Path(".tabard-cache") / "plugins.json"

FORMAT_PLUGIN = """\
from tabard import hookimpl

@hookimpl
def tabard_add_formats():
    return {{"kent": lambda report: "{text}\\n"}}
"""


def _install(site: Path, module: str, text: str) -> Path:
    """A real distribution on *site* whose entry point ``kent`` names *module*."""
    return install_fake_distribution(site, "kent", module, FORMAT_PLUGIN.format(text=text))


def _settle() -> None:
    """Wait until every file written so far is too old for an unseen edit (the memo is
    never written while one is newer than that)."""
    time.sleep(RACY_NS / 1e9 + 0.2)


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    return Project(tmp_path / "repo").write({}).root


def _check_kent(run: Any, repository: Path) -> tuple[int, str, str]:
    outcome = run("check", "--format", "kent", cwd=repository)
    return outcome.code, outcome.out, outcome.err


def test_a_plugin_installed_after_the_memo_was_written_is_found(
    run: Any, site: Path, repository: Path
) -> None:
    _settle()
    code, _, err = _check_kent(run, repository)
    assert code == 2
    assert err.startswith("tabard: error: unknown format 'kent'; formats: "), err
    assert (repository / MEMO).is_file()
    _install(site, "kent_one", "one")
    assert _check_kent(run, repository) == (0, "one\n", "")


def test_a_plugin_removed_after_the_memo_was_written_is_gone(
    run: Any, site: Path, repository: Path
) -> None:
    info = _install(site, "kent_two", "two")
    _settle()
    assert _check_kent(run, repository) == (0, "two\n", "")
    assert (repository / MEMO).is_file()
    for file in info.iterdir():
        file.unlink()
    info.rmdir()
    code, _, err = _check_kent(run, repository)
    assert code == 2
    assert err.startswith("tabard: error: unknown format 'kent'; formats: "), err


def test_an_entry_point_edited_after_the_memo_was_written_is_followed(
    run: Any, site: Path, repository: Path
) -> None:
    info = _install(site, "kent_old", "old")
    (site / "kent_new.py").write_text(FORMAT_PLUGIN.format(text="new"), encoding="utf-8")
    _settle()
    assert _check_kent(run, repository) == (0, "old\n", "")
    assert (repository / MEMO).is_file()
    # The same size and the same inode: only the file's times tell the edit.
    with open(info / "entry_points.txt", "r+", encoding="utf-8") as stream:
        stream.write("[tabard]\nkent = kent_new\n")
    assert _check_kent(run, repository) == (0, "new\n", "")


def test_no_memo_is_written_while_a_distribution_is_freshly_changed(
    run: Any, site: Path, repository: Path
) -> None:
    _install(site, "kent_fresh", "fresh")
    assert _check_kent(run, repository) == (0, "fresh\n", "")
    assert not (repository / MEMO).exists()


def test_a_memo_this_user_did_not_sign_is_not_used(run: Any, site: Path, repository: Path) -> None:
    _install(site, "kent_real", "real")
    (site / "kent_planted.py").write_text(FORMAT_PLUGIN.format(text="planted"), encoding="utf-8")
    _settle()
    assert _check_kent(run, repository) == (0, "real\n", "")
    memo = (repository / MEMO).read_bytes()
    planted = memo.replace(b'"kent_real"', b'"kent_planted"')
    assert planted != memo
    (repository / MEMO).write_bytes(planted)
    assert _check_kent(run, repository) == (0, "real\n", "")


def test_no_cache_neither_reads_nor_writes_the_memo(run: Any, site: Path, repository: Path) -> None:
    _install(site, "kent_plain", "plain")
    _settle()
    outcome = run("check", "--no-cache", "--format", "kent", cwd=repository)
    assert (outcome.code, outcome.out) == (0, "plain\n")
    assert not (repository / ".tabard-cache").exists()


def _metadata_imported(root: Path) -> str:
    probe = (
        "import sys\n"
        "from tabard.cli import main\n"
        "code = main(['check', '--quiet'])\n"
        "print(code, 'importlib.metadata' in sys.modules, 'importlib.resources' in sys.modules)\n"
    )
    environment = {**os.environ}
    environment.pop("TABARD_DISABLE_PLUGIN_AUTOLOAD", None)
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env=environment,
    )
    return result.stdout.splitlines()[-1]


def test_a_run_whose_memo_matches_reads_neither_the_installed_metadata_nor_resources(
    repository: Path,
) -> None:
    # Discovery imports importlib.metadata (and, through it, importlib.resources).
    assert _metadata_imported(repository).startswith("0 True ")
    if not (repository / MEMO).is_file():  # the install is younger than the racy window
        _settle()
        assert _metadata_imported(repository).startswith("0 True ")
    assert (repository / MEMO).is_file()
    # The bundled plugins are loaded, and find their packs without importlib.resources.
    assert _metadata_imported(repository) == "0 False False"
