"""Every row of the performance table, in one run, as paired ratios on this machine.

    python benchmarks/run.py [--sizes 1000,10000] [--large] [--rounds 5]
                             [--policy builtin|twenty] [--against OTHER_TABARD]

Run it with the Python of the environment tabard is installed in (it needs PyYAML for
the floor).  A shared machine's speed drifts from one second to the next, so nothing is
timed alone: each row runs its commands in turn, alternating which goes first, for
--rounds rounds, and reports the median of the per-round ratios with their min and max.

Rows (benchmarks/README.md says what each means):

* ``tabard --version`` against ``python -c pass``;
* ``tabard check`` in a fresh one-account repository made by ``tabard init``, against
  ``python -c pass``, beside the imports every check needs (PyYAML, jsonschema_rs,
  google-re2, pluggy) alone;
* at each size: ``tabard check --no-cache`` against the floor (one Python process that
  parses every YAML file with libyaml's CSafeLoader and does nothing else), and the
  check's peak memory, every process counted (the main process's max RSS, or its RSS
  plus its workers' private memory sampled together, whichever is larger);
* at the largest size: a pre-commit run, ``tabard check`` on 10 changed manifests,
  warm (the cache a full run wrote; beside those imports alone) and cold (no cache),
  against ``python -c pass``.

``--large`` adds 100,000 accounts; ``--sizes 1000000 --rounds 1`` runs a million (about
4 GB of disk).  ``--against`` runs a second tabard (another install) beside the
first in every row and adds its ratios and the ratio of the two.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
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
PYTHON = [sys.executable, "-c", "pass"]
# The libraries every check imports (parsing, schemas, patterns, plugins): the floor of a
# small run, beside which the start-up rows show what tabard's own code costs.
IMPORTS = [sys.executable, "-c", "import yaml, jsonschema_rs, re2, pluggy"]
AS_OF = ["--as-of", "2026-11-24"]  # the generated repositories' findings do not age


@dataclass
class Run:
    seconds: float
    #: The max RSS wait4 reports: the main process's peak (or a worker's, if larger).
    main_mib: float
    #: The sampled peak of the worker processes' private memory, together.
    workers_mib: float
    #: The sampled peak of the main process's RSS and its workers' private memory at
    #: the same moment.
    together_mib: float
    last_line: str
    exit_code: int

    @property
    def peak_mib(self) -> float:
        """Every process counted: the largest of the main process's own peak and of the
        main process and its workers sampled together."""
        return max(self.main_mib, self.together_mib)


class TreeMemory:
    """Sample, about every 10 ms while a process runs, its memory and its children's.

    wait4's max RSS is that of one process (the largest of the process and the children
    it reaped), not of the tree: a forked worker's own pages would go uncounted.  A
    worker shares the pages it inherited and never wrote with the main process, so its
    own cost is its private memory (``Private_Clean + Private_Dirty`` in
    ``/proc/PID/smaps_rollup``), added to the main process's RSS sampled at the same time.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.workers_kib = 0
        self.together_kib = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        pause = 0.01
        while not self.done.wait(pause):
            start = time.perf_counter()
            workers = sum(map(private_kib, children(self.pid)))
            # The kernel walks a worker's whole memory map to sum it (a millisecond or
            # more): sample less often than every 10 ms rather than take more than a
            # tenth of a processor from the run measured.
            pause = max(0.01, 9 * (time.perf_counter() - start))
            main = rss_kib(self.pid)
            self.workers_kib = max(self.workers_kib, workers)
            if main:  # not yet ended
                self.together_kib = max(self.together_kib, main + workers)

    def stop(self) -> tuple[float, float]:
        """The peaks in MiB: the workers' private memory, and the tree's."""
        self.done.set()
        self.thread.join()
        return self.workers_kib / 1024, self.together_kib / 1024


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:  # gone, or not Linux
        return []
    return [int(child) for child in text.split()]


def private_kib(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:  # the worker has just ended
        return 0
    return sum(int(line.split()[1]) for line in lines if line.startswith("Private_"))


def rss_kib(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith("VmRSS:")), 0)


def run_once(command: list[str], cwd: Path) -> Run:
    """Time one process and measure the peak memory of it and its workers."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=output)
        tree = TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4 already
        output.seek(0)
        lines = output.read().decode("utf-8", "replace").strip().splitlines()
    return Run(
        seconds,
        usage.ru_maxrss / 1024,
        *tree.stop(),
        lines[-1] if lines else "",
        process.returncode,
    )


def paired(
    commands: dict[str, list[str]],
    rounds: int,
    cwd: Path,
    before: Callable[[str], None] | None = None,
    *,
    warm_up: bool = True,
) -> dict[str, list[Run]]:
    """Run *commands* in turn for *rounds* rounds, rotating which one goes first.

    *before*, if given, is called with a command's name before each of its runs,
    untimed (a pre-commit run's edits and cache).  A first, untimed run of each
    command warms the caches, unless *warm_up* is false (the long rows).
    """
    names = list(commands)
    runs: dict[str, list[Run]] = {name: [] for name in names}
    for name in names if warm_up else ():  # untimed: fills the file and bytecode caches
        if before is not None:
            before(name)
        run_once(commands[name], cwd)
    for number in range(rounds):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            if before is not None:
                before(name)
            runs[name].append(run_once(commands[name], cwd))
    return runs


def ratio(runs: dict[str, list[Run]], name: str, reference: str) -> str:
    ratios = [a.seconds / b.seconds for a, b in zip(runs[name], runs[reference], strict=True)]
    return f"{statistics.median(ratios):5.2f}x {reference} ({min(ratios):.2f}-{max(ratios):.2f})"


def report(title: str, runs: dict[str, list[Run]], reference: str) -> None:
    """One row: each tabard's median time and ratio, and the ratio of the two."""
    base = statistics.median(run.seconds for run in runs[reference])
    print(f"{title}  [{reference} {base * 1000:.0f} ms]")
    for name in runs:
        if name == reference:
            continue
        median = statistics.median(run.seconds for run in runs[name])
        print(f"    {name:8s} {median * 1000:8.0f} ms  {ratio(runs, name, reference)}")
        failed = sorted({run.exit_code for run in runs[name]} - {0, 1})
        if failed:  # a crash or a usage error is fast: it must not pass for a result
            print(f"    !! {name} exited with {failed}: these rounds did not check anything")
    tabards = [name for name in runs if name in ("tabard", "against")]
    if len(tabards) == 2:
        print(f"    {tabards[0]} against {tabards[1]}: {ratio(runs, tabards[0], tabards[1])}")


def tabards(options: argparse.Namespace, *arguments: str) -> dict[str, list[str]]:
    found = {"tabard": options.tabard}
    if options.against:
        found["against"] = options.against
    return {name: [path, *arguments] for name, path in found.items()}


def start_up(options: argparse.Namespace, scratch: Path) -> None:
    runs = paired({"python": PYTHON, **tabards(options, "--version")}, options.quick, scratch)
    report("tabard --version", runs, "python")
    fresh = scratch / "fresh"
    fresh.mkdir()
    subprocess.run(["git", "init", "-q", str(fresh)], check=True)
    subprocess.run(
        [options.tabard, "init", "--force", "gloucestershire", str(fresh)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    commands = {"python": PYTHON, "imports": IMPORTS, **tabards(options, "check")}
    runs = paired(commands, options.quick, fresh)
    report("tabard check, fresh one-account repository (tabard init)", runs, "python")


def full_check(options: argparse.Namespace, repository: Path, size: int) -> None:
    floor = [sys.executable, "-c", FLOOR, str(repository)]
    commands = {"floor": floor, **tabards(options, "check", "--no-cache", *AS_OF)}
    runs = paired(commands, options.rounds, repository, warm_up=False)
    report(f"full check, {size:,} accounts (--no-cache)", runs, "floor")
    for name in commands:
        if name != "floor":
            peak = statistics.median(run.peak_mib for run in runs[name])
            main = statistics.median(run.main_mib for run in runs[name])
            workers = statistics.median(run.workers_mib for run in runs[name])
            print(
                f"    {name:8s} peak memory {peak:6.1f} MiB (main process {main:.1f}, its "
                f"workers {workers:.1f} at their peak)   {runs[name][-1].last_line}"
            )


def pre_commit(options: argparse.Namespace, repository: Path) -> None:
    """A commit of 10 changed manifests: warm (cache from a full run) and cold."""
    accounts = sorted((repository / "accounts").rglob("*.yaml"))
    changed = accounts[:: max(1, len(accounts) // 10)][:10]
    originals = {path: path.read_text(encoding="utf-8") for path in changed}
    targets = [str(path.relative_to(repository)) for path in changed]
    edits = iter(range(10**9))
    cache = repository / ".tabard-cache"
    kept = {
        name: repository.parent / f"cache-{name}-{repository.name}" for name in tabards(options)
    }

    def edit() -> None:  # a new edit before every run, so the 10 files differ from the cache
        number = next(edits)
        for path, text in originals.items():
            path.write_text(f"{text}# edit {number}\n", encoding="utf-8")

    def warm(name: str) -> None:  # the cache as that tabard's own full run left it
        if name in kept:  # not the reference commands
            shutil.rmtree(cache, ignore_errors=True)
            shutil.copytree(kept[name], cache)
            edit()

    def cold(name: str) -> None:
        if name != "python":
            shutil.rmtree(cache, ignore_errors=True)
            edit()

    commands = tabards(options, "check", *AS_OF, *targets)
    for name, command in tabards(options, "check", *AS_OF).items():
        cold(name)
        subprocess.run(
            command,
            cwd=repository,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        if not cache.is_dir():  # e.g. the cache key could not be read: say so, do not crash
            print(f"    !! {name}'s full run wrote no .tabard-cache: no warm row")
            kept.pop(name)
            continue
        shutil.rmtree(kept[name], ignore_errors=True)
        shutil.copytree(cache, kept[name])
    title = f"pre-commit, 10 changed of {len(accounts):,}"
    if len(kept) == len(commands):
        both = {"python": PYTHON, "imports": IMPORTS, **commands}
        runs = paired(both, options.quick, repository, before=warm)
        report(f"{title}, warm cache", runs, "python")
    runs = paired({"python": PYTHON, **commands}, options.rounds, repository, before=cold)
    report(f"{title}, cold (no cache)", runs, "python")
    for path, text in originals.items():
        path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--large", action="store_true", help="add 100,000 accounts")
    parser.add_argument("--policy", choices=("builtin", "twenty"), default="builtin")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the larger rows")
    parser.add_argument("--quick", type=int, default=20, help="rounds of the sub-second rows")
    parser.add_argument("--tabard", default=shutil.which("tabard"))
    parser.add_argument("--against", help="another tabard executable to run beside it")
    options = parser.parse_args()
    if options.tabard is None:
        sys.exit("tabard is not installed in this environment (pip install .)")
    sizes = [int(size) for size in options.sizes.split(",")] + ([100_000] if options.large else [])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, policy={options.policy}")
    print(f"tabard={options.tabard}" + (f", against={options.against}" if options.against else ""))
    with tempfile.TemporaryDirectory(prefix="tabard-bench-") as name:
        scratch = Path(name)
        # Every run reads compiled bytecode, kept in the scratch folder (so that no install
        # is written to): an install compiling its modules on every run, as it does under
        # PYTHONDONTWRITEBYTECODE when it was never compiled, costs more than some rows.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(scratch / "bytecode")
        start_up(options, scratch)
        repository = scratch
        for size in sizes:
            repository = scratch / f"repo-{size}"
            generate(repository, size, seed=7, policy=options.policy)
            full_check(options, repository, size)
        pre_commit(options, repository)


if __name__ == "__main__":
    main()
