"""A long bad-input campaign against the real ``tabard check``.

    python -m tests.fuzz.campaign --minutes 30            # or --cases 100000
    python -m tests.fuzz.campaign --seed 7 --cases 2000   # reproducible

Each run copies the Gloucestershire example (plus a locked-rule breach and a local
pack) into a temporary folder, mutates several of its files (see ``mutations``),
sometimes plants odd files (a FIFO, a symlink to /dev/zero, a symlink loop, a
symlink out of the repository, a folder named like a YAML file) and a random local
policy, runs ``tabard check`` and judges the outcome (see ``harness``).  A *case* is
one mutated or planted file.  A failing run is shrunk to the single mutation that
fails on its own, and kept under ``--keep`` with a note of what was done.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.fuzz.harness import (
    BREACH_FILE,
    Verdict,
    base_files,
    clear,
    run_check,
    write_tree,
)
from tests.fuzz.mutations import mutate, random_policy

Change = tuple[str, str, bytes | None]  # (file, what was done, new content or None for odd files)


def plant_odd_file(root: Path, rng: random.Random) -> str:
    """An odd file-system entry under the root; returns a description."""
    target = root / "accounts" / "x" / f"odd-{rng.randrange(10**6)}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    kind = rng.choice(("fifo", "dev-zero", "loop", "outside", "directory", "empty", "dangling"))
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "loop":
        target.symlink_to(target.name)
    elif kind == "outside":
        target.symlink_to("/etc/hostname")
    elif kind == "directory":
        target.mkdir()
    elif kind == "empty":
        target.write_bytes(b"")
    else:
        target.symlink_to("no-such-file.yaml")
    return f"{kind} at {target.relative_to(root)}"


def plan(files: dict[str, bytes], rng: random.Random, per_run: int) -> list[Change]:
    """The mutations of one run: which files, how, and their new text."""
    candidates = [name for name in files if name != BREACH_FILE]
    changes: list[Change] = []
    for name in rng.sample(candidates, min(per_run, len(candidates))):
        if name == "tabard.yaml" and rng.random() < 0.7:
            continue  # the config is mutated in a few runs only: it may legitimately loosen
        text, applied = mutate(files[name], rng, rounds=rng.choice((1, 1, 1, 2, 3)))
        changes.append((name, "+".join(applied), text))
    if rng.random() < 0.5:
        changes.append(
            (f"policies/fuzz-{rng.randrange(10**6)}.yaml", "random_policy", random_policy(rng))
        )
    if rng.random() < 0.15:
        changes.append(("<odd file>", "odd", None))
    return changes


def execute(
    base: dict[str, bytes], changes: list[Change], rng: random.Random
) -> tuple[Verdict, list[str]]:
    with tempfile.TemporaryDirectory(prefix="tabard-fuzz-") as folder:
        root = Path(folder) / "repo"
        files = dict(base)
        for name, _, text in changes:
            if text is not None:
                files[name] = text
        write_tree(root, files)
        notes = [plant_odd_file(root, rng) for name, _, text in changes if text is None]
        if rng.random() < 0.2:
            # The pre-commit path: a full run writes the cache, the cache may then be
            # tampered with, and a targeted run on the breach must still fail.
            first = run_check(root)
            cache = root / ".tabard-cache" / "documents.cache"
            if cache.is_file() and rng.random() < 0.5:
                cache.write_bytes(mutate(cache.read_bytes(), rng)[0])
                notes.append("mutated cache")
            named = [name for name, _, text in changes if text is not None]
            verdict = run_check(root, BREACH_FILE, *named[:2])
            if not first.ok:
                verdict = first
        else:
            verdict = run_check(root, "--no-cache")
        # Config mutations may legitimately loosen the verdict (fail_on, exclude, …).
        if any(name == "tabard.yaml" for name, _, _ in changes):
            verdict.problems = [p for p in verdict.problems if "locked-rule breach" not in p]
        clear(root)
    return verdict, notes


def keep(
    folder: Path,
    number: int,
    base: dict[str, bytes],
    changes: list[Change],
    verdict: Verdict,
    notes: list[str],
) -> Path:
    target = folder / f"failure-{number:05d}"
    files = dict(base)
    for name, _, text in changes:
        if text is not None:
            files[name] = text
    write_tree(target / "repo", files)
    (target / "README.txt").write_text(
        "changes:\n"
        + "".join(f"  {name}: {what}\n" for name, what, _ in changes)
        + "".join(f"  planted: {note}\n" for note in notes)
        + f"problems: {verdict.problems}\n"
        + f"exit: {verdict.code}\nstderr:\n{verdict.err[-3000:]}\n",
        encoding="utf-8",
    )
    return target


def shrink(base: dict[str, bytes], changes: list[Change], seed: int) -> list[Change]:
    """The first single change that fails alone (else all of them)."""
    for change in changes:
        verdict, _ = execute(base, [change], random.Random(seed))
        if not verdict.ok:
            return [change]
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=None, help="stop after this many cases")
    parser.add_argument("--minutes", type=float, default=None, help="stop after this long")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--per-run", type=int, default=20, help="files mutated per run")
    parser.add_argument("--keep", type=Path, default=Path("fuzz-failures"))
    options = parser.parse_args(argv)
    if options.cases is None and options.minutes is None:
        options.minutes = 5.0
    seed = options.seed if options.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    base = base_files()
    deadline = time.monotonic() + options.minutes * 60 if options.minutes else float("inf")
    cases = runs = failures = 0
    by_mutation: Counter[str] = Counter()
    started = time.monotonic()
    print(f"seed {seed}", flush=True)
    while time.monotonic() < deadline and (options.cases is None or cases < options.cases):
        run_seed = rng.randrange(2**32)
        changes = plan(base, random.Random(run_seed), options.per_run)
        verdict, notes = execute(base, changes, random.Random(run_seed))
        runs += 1
        cases += len(changes)
        for _, what, _ in changes:
            for name in what.split("+"):
                by_mutation[name] += 1
        if not verdict.ok:
            failures += 1
            smallest = shrink(base, changes, run_seed)
            folder = keep(options.keep, failures, base, smallest, verdict, notes)
            print(
                f"FAIL run {runs} (seed {run_seed}): {verdict.problems[0][:200]} -> {folder}",
                flush=True,
            )
        if runs % 100 == 0:
            print(
                f"{cases} cases in {runs} runs, {failures} failing runs, "
                f"{time.monotonic() - started:.0f} s",
                flush=True,
            )
    elapsed = time.monotonic() - started
    print(
        f"done: {cases} cases in {runs} runs, {failures} failing runs, {elapsed:.0f} s, seed {seed}"
    )
    print(
        "mutations drawn: "
        + ", ".join(f"{name} {count}" for name, count in by_mutation.most_common())
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
