"""A fully and correctly filled manifest (domain.md §3.9) gives no finding from any pack."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES


def test_clean_account_stays_clean(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TABARD_DISABLE_PLUGIN_AUTOLOAD")  # the bundled plugins run as well
    (tmp_path / "tabard.yaml").write_text("apiVersion: tabard/v1\nkind: Config\n", "utf-8")
    for source in (EXAMPLES / "_force").glob("*.yaml"):
        shutil.copy(source, tmp_path / source.name)
    for source in (EXAMPLES / "_clean").glob("*.yaml"):
        (tmp_path / "accounts/x").mkdir(parents=True, exist_ok=True)
        shutil.copy(source, tmp_path / "accounts/x" / source.name)
    outcome = run("check", "--format", "json", "--as-of", "2026-11-24", cwd=tmp_path)
    findings = outcome.json()["findings"]
    assert [f for f in findings if f["file"].startswith("accounts/")] == [], outcome
    # The only other findings are the strategy's own, as in any repository with a single
    # account: objectives no account here serves yet (STR-010, advice) and districts with
    # no two-way local account (STR-014, a warning that does not fail the run).
    assert {(f["rule"], f["severity"]) for f in findings} <= {
        ("STR-010", "info"),
        ("STR-014", "warning"),
    }
    assert outcome.code == 0, outcome
