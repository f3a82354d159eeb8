"""`tabard report` over the 43-force example against checking its repositories one by one.

    pip install .                       # the benchmark runs the installed `tabard`
    python benchmarks/national.py       # best of three runs of each

Measures, on examples/national (regenerate it with examples/national/generate.py):

- **one by one**: `tabard check --no-cache` in each of the 43 repositories, one after
  another (43 processes, output to /dev/null), as a national team would without `report`;
- **one by one, one process**: the same checks by `tabard.cli.main` in one Python
  process (no start-up per repository): the pure cost of the checks;
- **report html** and **report json**: `tabard report examples/national` (one process).

The issue's target: the report takes at most 1.5x the time of checking one by one.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT / "examples" / "national"
AS_OF = "2026-11-24"
RUNS = 3


def _tabard() -> str:
    return str(Path(sys.executable).with_name("tabard"))


def one_by_one(repositories: list[Path]) -> float:
    start = time.perf_counter()
    for repository in repositories:
        subprocess.run(
            [_tabard(), "check", "--no-cache", "--as-of", AS_OF],
            cwd=repository,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,  # findings exit 1
        )
    return time.perf_counter() - start


_IN_PROCESS = """
import contextlib, io, os, sys, time
from tabard.cli import main
start = time.perf_counter()
for repository in sys.argv[2:]:
    os.chdir(repository)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(["check", "--no-cache", "--as-of", sys.argv[1]])
print(time.perf_counter() - start)
"""


def one_process(repositories: list[Path]) -> float:
    result = subprocess.run(
        [sys.executable, "-c", _IN_PROCESS, AS_OF, *map(str, repositories)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout)


def report(format: str, output: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            _tabard(),
            "report",
            str(NATIONAL),
            "--as-of",
            AS_OF,
            "--format",
            format,
            "--output",
            str(output),
        ],
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    repositories = sorted(path.parent for path in NATIONAL.glob("*/tabard.yaml"))
    accounts = sum(len(list((path / "accounts").glob("*/*.yaml"))) for path in repositories)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        checks = min(one_by_one(repositories) for _ in range(RUNS))
        inside = min(one_process(repositories) for _ in range(RUNS))
        html = min(report("html", out / "report.html") for _ in range(RUNS))
        data = min(report("json", out / "report.json") for _ in range(RUNS))
        size = (out / "report.html").stat().st_size
    print(f"{len(repositories)} repositories, {accounts} accounts (best of {RUNS})")
    print(f"check one by one : {checks:6.2f} s")
    print(f"  in one process : {inside:6.2f} s")
    print(
        f"report html      : {html:6.2f} s  ({html / checks:.2f}x one by one, "
        f"{html / inside:.2f}x in one process; page {size / 1e6:.1f} MB)"
    )
    print(
        f"report json      : {data:6.2f} s  ({data / checks:.2f}x one by one, "
        f"{data / inside:.2f}x in one process)"
    )


if __name__ == "__main__":
    main()
