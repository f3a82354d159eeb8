"""The register scorer (tests/registers/score.py) counts what it says it counts.

Each test builds a one-account repository with ``tabard init`` in a temporary folder,
writes a ground truth for it and scores it with the real ``tabard check``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tabard.cli import main
from tests.registers.score import GroundTruthError, score_register

ACCOUNT = "north-yorkshire-x-main"


@pytest.fixture
def register(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = tmp_path / "nyp"
    assert main(["init", str(root), "--force", "north-yorkshire"]) == 0
    capsys.readouterr()
    return root


def init_date(register: Path) -> str:
    """The day ``tabard init`` wrote the example account (its dates are that day)."""
    manifest = register / "accounts" / "x" / f"{ACCOUNT}.yaml"
    return str(yaml.safe_load(manifest.read_text(encoding="utf-8"))["lifecycle"]["created_on"])


def drop_emergency_number(register: Path) -> None:
    manifest = register / "accounts" / "x" / f"{ACCOUNT}.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "Emergency 999. " in text
    manifest.write_text(text.replace("Emergency 999. ", ""), encoding="utf-8")


def write_truth(register: Path, entry: str) -> None:
    (register / "ground-truth.yaml").write_text(
        f"register: test\naccounts:\n  {ACCOUNT}: {entry}\n", encoding="utf-8"
    )


def test_a_listed_breach_that_fires_is_a_true_positive(register: Path) -> None:
    drop_emergency_number(register)
    write_truth(register, "{breaches: [{rules: [BRD-006], what: no 999 in the bio}]}")
    score = score_register(register, as_of=init_date(register))
    assert [f.rule for f in score.true_positives] == ["BRD-006"]
    assert score.false_positives == []
    assert [b.account for b in score.caught] == [ACCOUNT]
    assert score.missed == []
    assert (score.precision, score.recall) == (1.0, 1.0)


def test_an_error_on_a_good_account_is_a_false_error(register: Path) -> None:
    drop_emergency_number(register)
    write_truth(register, "{good: true}")
    score = score_register(register, as_of=init_date(register))
    assert [f.rule for f in score.false_errors_on_good] == ["BRD-006"]
    assert [f.rule for f in score.false_positives] == ["BRD-006"]
    assert score.precision == 0.0


def test_tolerated_does_not_excuse_an_error_on_a_good_account(register: Path) -> None:
    drop_emergency_number(register)
    write_truth(register, "{good: true, tolerated: [{rule: BRD-006, why: a test}]}")
    score = score_register(register, as_of=init_date(register))
    assert [f.rule for f in score.false_errors_on_good] == ["BRD-006"]
    assert score.tolerated == []


def test_a_breach_no_rule_reports_is_missed(register: Path) -> None:
    write_truth(register, "{breaches: [{rules: [ACC-004], what: approved by its owner}]}")
    score = score_register(register, as_of=init_date(register))
    assert [b.what for b in score.missed] == ["approved by its owner"]
    assert score.recall == 0.0


def test_ground_truth_must_name_every_account(register: Path) -> None:
    (register / "ground-truth.yaml").write_text("register: test\naccounts: {}\n", encoding="utf-8")
    with pytest.raises(
        GroundTruthError, match=r"accounts with no truth: \['north-yorkshire-x-main'\]"
    ):
        score_register(register, as_of=init_date(register))
