"""tabard's built-in rules judge independently written force registers rightly.

The registers under tests/registers/ were written as each force's communications team
would write them, and their ground truth was decided from the national guidance, not from
tabard's output (tests/registers/README.md). This test fails on any error finding on a
well-governed account, on any breach no rule catches, and on precision under 97 %.
Run ``python -m tests.registers.score`` to see every false finding and missed breach.
"""

from __future__ import annotations

import pytest

from tests.registers.score import RegisterScore, register_dirs, score_register, total

MIN_PRECISION = 0.97
REGISTERS = register_dirs()


def test_there_are_registers_to_score() -> None:
    assert [d.name for d in REGISTERS] == ["north-wales", "north-yorkshire", "west-midlands"]


@pytest.fixture(scope="module")
def scores() -> dict[str, RegisterScore]:
    return {d.name: score_register(d) for d in REGISTERS}


@pytest.mark.parametrize("register", [d.name for d in REGISTERS])
def test_no_error_on_a_well_governed_account(
    register: str, scores: dict[str, RegisterScore]
) -> None:
    false_errors = [
        f"{f.rule} {f.where()}: {f.message}" for f in scores[register].false_errors_on_good
    ]
    assert false_errors == []


@pytest.mark.parametrize("register", [d.name for d in REGISTERS])
def test_every_breach_is_caught(register: str, scores: dict[str, RegisterScore]) -> None:
    missed = [
        f"{b.account} [{', '.join(sorted(b.rules))}]: {b.what}" for b in scores[register].missed
    ]
    assert missed == []


def test_precision_at_least_97_percent(scores: dict[str, RegisterScore]) -> None:
    overall = total(list(scores.values()))
    false_findings = [f"{f.rule} {f.where()}: {f.message}" for f in overall.false_positives]
    assert overall.precision >= MIN_PRECISION, "\n".join(false_findings)
