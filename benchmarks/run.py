"""Measure tabard against the parse-only floor, in one run, on this machine.

    python benchmarks/run.py [--sizes 1000,10000] [--policy builtin|twenty] [--repeat 3]

For each size it generates a seeded repository (benchmarks/generate.py), then:

* floor: one process that walks the repository and parses every YAML file
  with libyaml's CSafeLoader, and nothing else;
* check: ``tabard check`` on the same repository, one process, output to
  /dev/null (``--no-cache``, so it is the full work every time);
* peak memory (max RSS) of that check.

On the largest size it then measures a pre-commit run: ``tabard check`` on 10
changed manifests, warm (the cache written by a full run) and cold (no cache).
It also times ``tabard --version`` against ``python -c pass``.  Times are the
best of --repeat runs; ratios are what the targets are stated in.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

FLOOR = """
import os, sys, yaml
for directory, subdirectories, names in os.walk(sys.argv[1]):
    subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
    for name in names:
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(directory, name), "rb") as stream:
                list(yaml.load_all(stream.read(), Loader=yaml.CSafeLoader))
"""

PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def tabard_command() -> list[str]:
    found = shutil.which("tabard")
    if found is None:
        sys.exit("tabard is not installed in this environment (pip install .)")
    return [found]


def best(command: list[str], repeat: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mib(command: list[str], cwd: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", PEAK, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.strip()) / 1024


def check_command(extra: list[str]) -> list[str]:
    """``tabard check`` as a user runs it in the repository (run with cwd=repository)."""
    return [*tabard_command(), "check", "--as-of", "2026-11-24", *extra]


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def pre_commit(repository: Path, repeat: int, python: float) -> None:
    """A commit of 10 changed manifests in the repository, with and without the cache."""
    accounts = sorted((repository / "accounts").rglob("*.yaml"))
    changed = accounts[:: max(1, len(accounts) // 10)][:10]
    targets = [str(path.relative_to(repository)) for path in changed]
    command = check_command(targets)
    cache = repository / ".tabard-cache"
    shutil.rmtree(cache, ignore_errors=True)
    subprocess.run(
        check_command([]),
        cwd=repository,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )  # a full run writes the cache
    for path in changed:  # the commit's edits
        path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    warm = min(_timed(command, repository) for _ in range(repeat))
    cold = []
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(_timed(command, repository))
    full = best(check_command(["--no-cache"]), repeat, repository)
    print(
        f"pre-commit, 10 changed of {len(accounts)}: warm {warm * 1000:4.0f} ms "
        f"({warm / python:4.1f}x python -c pass)  cold {min(cold):5.2f} s "
        f"(full check {full:5.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--policy", choices=("builtin", "twenty"), default="builtin")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, policy={options.policy}")
    python = best([sys.executable, "-c", "pass"], 20)
    version = best([*tabard_command(), "--version"], 20)
    with tempfile.TemporaryDirectory(prefix="tabard-bench-") as scratch:
        repository = Path(scratch)
        for size in (int(s) for s in options.sizes.split(",")):
            repository = Path(scratch) / f"repo-{size}"
            generate(repository, size, seed=7, policy=options.policy)
            full = check_command(["--no-cache"])
            floor = best([sys.executable, "-c", FLOOR, str(repository)], options.repeat)
            check = best(full, options.repeat, repository)
            memory = peak_mib(full, repository)
            findings = subprocess.run(
                full, cwd=repository, capture_output=True, text=True, check=False
            ).stdout.count("\n")
            print(
                f"{size:>6} manifests: floor {floor:6.2f} s  check {check:6.2f} s  "
                f"ratio {check / floor:4.2f}x  peak {memory:5.1f} MiB  findings {findings}"
            )
        pre_commit(repository, options.repeat, python)
    print(
        f"start-up: python -c pass {python * 1000:5.1f} ms  tabard --version "
        f"{version * 1000:5.1f} ms  ratio {version / python:4.2f}x"
    )


if __name__ == "__main__":
    main()
