"""Property-based bad-input tests: no input crashes, hangs or quietly passes a breach.

hypothesis draws one bad value, one bad byte sequence or one random policy at a time
and puts it into a real repository (the Gloucestershire example plus a locked-rule
breach, see ``tests/fuzz/harness.py``); the real ``tabard check`` must then end with
0, 1 or 2, explain an exit 2, never print a traceback, and never exit 0 while the
breach is there.  The example count is bounded and the draw is derandomised so that
CI is repeatable; ``python -m tests.fuzz.campaign`` runs the long random campaign.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import BREACH_FILE, base_files, clear, run_check, write_tree
from tests.fuzz.mutations import EVIL_BYTES, EVIL_VALUES, MUTATIONS, random_policy

BASE = base_files()
#: Every document kind the repository holds, config included.
FILES = sorted(name for name in BASE if name != BREACH_FILE)
_VALUE_LINE = re.compile(rb"^(\s*(?:- )?[A-Za-z_][\w.-]*:[ ])(\S.*)$", re.MULTILINE)

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

yaml_values = st.one_of(
    st.sampled_from(EVIL_VALUES),
    st.integers().map(str),
    st.floats(allow_nan=True).map(repr),
    st.text(max_size=40).map(json.dumps),  # a JSON string is a YAML 1.2 double-quoted scalar
    st.dates().map(str),
)


def outcome(tmp_path: Path, files: dict[str, bytes]) -> None:
    root = tmp_path / "repo"
    clear(root)
    write_tree(root, files)
    verdict = run_check(root, "--no-cache")
    breach_kept = files.get("tabard.yaml") == BASE["tabard.yaml"]
    problems = [p for p in verdict.problems if breach_kept or "locked-rule breach" not in p]
    assert not problems, f"{problems}\n--- stderr\n{verdict.err[-2000:]}"


@SETTINGS
@given(file=st.sampled_from(FILES), which=st.integers(min_value=0), value=yaml_values)
def test_one_bad_value_in_any_document(tmp_path: Path, file: str, which: int, value: str) -> None:
    text = BASE[file]
    lines = list(_VALUE_LINE.finditer(text))
    match = lines[which % len(lines)]
    mutated = text[: match.start(2)] + value.encode() + text[match.end(2) :]
    outcome(tmp_path, {**BASE, file: mutated})


@SETTINGS
@given(
    file=st.sampled_from(FILES),
    at=st.integers(min_value=0),
    blob=st.one_of(st.sampled_from(EVIL_BYTES), st.binary(min_size=1, max_size=6)),
)
def test_bad_bytes_in_any_document(tmp_path: Path, file: str, at: int, blob: bytes) -> None:
    text = BASE[file]
    where = at % (len(text) + 1)
    outcome(tmp_path, {**BASE, file: text[:where] + blob + text[where:]})


@SETTINGS
@given(
    file=st.sampled_from(FILES),
    mutation=st.sampled_from(sorted(MUTATIONS)),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_structural_mutations(tmp_path: Path, file: str, mutation: str, seed: int) -> None:
    mutated = MUTATIONS[mutation][0](BASE[file], random.Random(seed))
    outcome(tmp_path, {**BASE, file: mutated})


@SETTINGS
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_random_local_policies(tmp_path: Path, seed: int) -> None:
    outcome(tmp_path, {**BASE, "policies/fuzz.yaml": random_policy(random.Random(seed))})


def test_the_base_repository_fails_on_its_breach(tmp_path: Path) -> None:
    """The never-green property means something only if the breach is reported."""
    root = tmp_path / "repo"
    write_tree(root, BASE)
    verdict = run_check(root, "--no-cache")
    assert verdict.code == 1, verdict.err
    findings = json.loads(verdict.out)["findings"]
    assert {"rule": "SEC-004", "file": BREACH_FILE} in [
        {"rule": f["rule"], "file": f["file"]} for f in findings
    ]


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_every_mutation_changes_something(name: str) -> None:
    """A mutation that leaves every file as it was would test nothing."""
    changed = sum(
        MUTATIONS[name][0](BASE[file], random.Random(seed)) != BASE[file]
        for file in FILES
        for seed in range(3)
    )
    assert changed > 0
