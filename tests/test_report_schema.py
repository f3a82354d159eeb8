"""``schemas/report.schema.json``: generated from ``tabard.models.report``, true of real reports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema

from tabard.models.report import json_schema
from tests.conftest import AS_OF

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "schemas" / "report.schema.json"


def test_committed_schema_is_generated_from_the_model() -> None:
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == json_schema(), (
        "schemas/report.schema.json is stale: regenerate it with `python -m tabard.models`"
    )


def test_real_reports_match_the_schema(run: Any) -> None:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for example in ("gloucestershire", "staffordshire", "dyfed-powys"):
        outcome = run(
            "check",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--no-cache",
            str(ROOT / "examples" / example),
        )
        report = json.loads(outcome.out)
        assert report["findings"], example
        validator.validate(report)


def test_a_check_never_imports_pydantic(tmp_path: Path) -> None:
    """Start-up matters in a pre-commit hook: the models are for authors, not for runs."""
    probe = (
        "import sys\n"
        "from tabard.cli import main\n"
        f"code = main(['check', '--as-of', '{AS_OF}', '--no-cache', '--format', 'json',"
        f" {str(ROOT / 'examples' / 'gloucestershire')!r}])\n"
        "assert code == 1, code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert result.stdout.splitlines()[-1] == "[]"
