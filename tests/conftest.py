"""Shared test helpers: run the real CLI entry point on real files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tabard.cli import main

AS_OF = "2026-11-24"
EXAMPLES = Path(__file__).parent / "examples"


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def __repr__(self) -> str:  # a failing assert shows everything
        return f"Outcome(code={self.code})\n--- stdout\n{self.out}--- stderr\n{self.err}"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """``run(*args, cwd=path)``: call ``tabard.cli.main`` and capture what it prints."""

    def invoke(*args: str, cwd: Path | None = None) -> Outcome:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


def write(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under *root*; return *root*."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TABARD_DISABLE_PLUGIN_AUTOLOAD", "1")
    # The cache-signing key of the tests, never the user's own.
    monkeypatch.setenv("TABARD_CACHE_KEY_FILE", str(tmp_path_factory.getbasetemp() / "cache.key"))


@pytest.fixture(autouse=True)
def _national_locked_rules(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the core tests about their own small packs.

    The locked rules of every built-in pack run whatever ``policies:`` lists, so a test
    repository with ``policies: [./policies]`` would also get ACC-001, SEC-002, … on every
    account.  The tests of a feature other than that one see only the packs their config
    lists; tests marked ``national_locked`` (and every subprocess run) see tabard as
    users do.
    """
    if request.node.get_closest_marker("national_locked") is None:
        monkeypatch.setattr("tabard.run.session.left_out_packs", lambda config: [])


def install_fake_distribution(site: Path, name: str, module: str, source: str) -> Path:
    """A real .dist-info on *site* (what pip leaves behind, without pip) whose ``tabard``
    entry point *name* names *module*, written with *source*; the .dist-info folder."""
    info = site / f"{name.replace('-', '_')}-1.2.3.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2.3\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[tabard]\n{name} = {module}\n", encoding="utf-8")
    (site / f"{module}.py").write_text(source, encoding="utf-8")
    return info


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path for installed plugins, with plugin autoload switched back on."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delenv("TABARD_DISABLE_PLUGIN_AUTOLOAD")
    return folder
