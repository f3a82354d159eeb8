"""A full check whose account files a second process reads (`check --jobs 2`).

The worker must change nothing a user sees: every test compares a run with the worker
against a run in one process (`--jobs 1`), byte for byte, and checks through a hook
that the worker really was forked.  Where the worker dies or sends nonsense, the main
process reads the rest itself and the verdict is still complete.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tabard.run import parse_worker, pipeline, streaming
from tests.builders import AS_OF, account, force_documents, lines, policy, project
from tests.conftest import Outcome
from tests.test_file_system import _tabard, modes_apply  # noqa: F401 - a fixture

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
from generate import generate

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
    reason="the worker is forked only on Linux with two processors",
)

EXAMPLES = Path(__file__).parent.parent / "examples"
#: Small batches, so that a repository of a few files is read in many batches.
SMALL_BATCH = 3


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The process id of every worker forked (the machine as if idle, whatever else runs)."""
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    started: list[int] = []
    monkeypatch.setattr(parse_worker, "worker_started", started.append)
    return started


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_worker, "BATCH_FILES", SMALL_BATCH)
    monkeypatch.setattr(parse_worker, "SEND_FILES", SMALL_BATCH)


def _check(run: Any, root: Path, jobs: str, *extra: str) -> Outcome:
    return run("check", "--no-cache", "--as-of", AS_OF, "--jobs", jobs, *extra, cwd=root)


def _same_either_way(run: Any, root: Path, forks: list[int], *extra: str) -> Outcome:
    """The outcome of `--jobs 1`, once `--jobs 2` has given exactly the same with a worker."""
    alone = _check(run, root, "1", *extra)
    assert forks == []
    together = _check(run, root, "2", *extra)
    assert len(forks) == 1, "the run with --jobs 2 did not fork a worker"
    assert (together.code, together.out, together.err) == (alone.code, alone.out, alone.err)
    forks.clear()
    return alone


def _gone(pid: int) -> bool:
    """Whether *pid* is no child of this process any more (reaped)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.national_locked
@pytest.mark.parametrize("output", ["text", "json"])
def test_a_generated_repository_gives_the_same_output(
    run: Any, tmp_path: Path, forks: list[int], output: str
) -> None:
    generate(tmp_path, 300, seed=7, policy="builtin")
    outcome = _same_either_way(run, tmp_path, forks, "--format", output)
    assert outcome.code == 1
    assert outcome.out.count("accounts/") > 50  # a repository with faults


@pytest.mark.national_locked
@pytest.mark.usefixtures("small_batches")
@pytest.mark.parametrize("example", ["gloucestershire", "dyfed-powys", "staffordshire"])
def test_the_example_repositories_give_the_same_output(
    run: Any, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch, example: str
) -> None:
    monkeypatch.delenv("TABARD_DISABLE_PLUGIN_AUTOLOAD")  # the bundled plugins, as users have
    root = tmp_path / example
    shutil.copytree(EXAMPLES / example, root)
    for output in ("text", "json"):
        outcome = _same_either_way(run, root, forks, "--format", output)
        assert outcome.code == 1


@pytest.mark.national_locked
@pytest.mark.usefixtures("small_batches")
@pytest.mark.parametrize("behind", [True, False], ids=["worker-checks", "main-checks"])
def test_the_same_whichever_process_checks_the_schemas(
    run: Any, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch, behind: bool
) -> None:
    checked: list[bool] = []
    found = parse_worker._apply

    def seen(reading: Any, file: str, read: Any) -> Any:
        checked.extend(document[5] is not None for document in read[0])
        return found(reading, file, read)

    monkeypatch.setattr(parse_worker, "_apply", seen)
    monkeypatch.setattr(parse_worker, "main_is_behind", lambda pipe: behind)
    root = tmp_path / "gloucestershire"
    shutil.copytree(EXAMPLES / "gloucestershire", root)
    assert _same_either_way(run, root, forks).code == 1
    assert set(checked) == {behind}


_QUIET = """\
- id: LOC-001
  title: Handle present
  severity: info
  assert: {field: handle, present: true}
"""


def _accounts(root: Path, count: int) -> Path:
    files = {f"accounts/x/a{n:02}.yaml": account(f"a{n:02}", handle=f"@A{n}") for n in range(count)}
    return project(root, {**force_documents(), "policies/local.yaml": policy(_QUIET), **files})


_NOT_REGULAR = "not a regular file; tabard reads only regular files"
_ODD = [
    f"a02-fifo.yaml:1:1: TAB-001 error cannot read file: it is a named pipe (FIFO), {_NOT_REGULAR}",
    "a04-loop.yaml:1:1: TAB-001 error cannot read file: it is a symbolic link that leads "
    "round in a loop",
    "a05-large.yaml:1:1: TAB-001 error file is larger than 1 MiB; a tabard document is a few "
    "kilobytes, so this is not one",
    "a06-utf16.yaml:1:1: TAB-001 error file is not UTF-8 (it starts with a UTF-16 byte order "
    "mark); save it as UTF-8",
    "a07-latin1.yaml:6:14: TAB-001 error file is not valid UTF-8 (byte 0xe9); save it as UTF-8",
    "a08-broken.yaml:3:1: TAB-001 error did not find expected ',' or ']'",
    "a09-twice.yaml:10:1: TAB-002 error duplicate key 'id' (first on line 3); YAML keeps only "
    "one of them, so remove or rename one",
    "a10-notes.yaml:1:1: TAB-006 error not a tabard document: every YAML file under accounts/ "
    "must be one (an Account manifest starts with `apiVersion: tabard/v1` and `kind: Account`)",
]


def _odd_files(folder: Path) -> None:
    """Among the accounts: what a repository may hold that is not a manifest."""
    os.mkfifo(folder / "a02-fifo.yaml")
    (folder / "a03-folder.yaml").mkdir()  # a folder: walked into, nothing in it
    (folder / "a04-loop.yaml").symlink_to("a04-loop.yaml")
    (folder / "a05-large.yaml").write_bytes(b"apiVersion: tabard/v1\n" + b"#" * (1 << 20))
    (folder / "a06-utf16.yaml").write_bytes(account("a06-utf16").encode("utf-16"))
    latin1 = account("a07-latin1", handle="@Caf\xe9").encode("latin-1")
    (folder / "a07-latin1.yaml").write_bytes(latin1)
    (folder / "a08-broken.yaml").write_text("apiVersion: tabard/v1\nkind: [Account\n")
    (folder / "a09-twice.yaml").write_text(account("a09-twice") + "id: again\n")
    (folder / "a10-notes.yaml").write_text("just: notes\n")


@pytest.mark.usefixtures("small_batches")
def test_odd_files_among_the_accounts_give_the_same_findings(
    run: Any, tmp_path: Path, forks: list[int]
) -> None:
    root = _accounts(tmp_path, 12)
    _odd_files(root / "accounts" / "x")
    outcome = _same_either_way(run, root, forks)
    assert (outcome.code, outcome.out) == (1, lines(*(f"accounts/x/{line}" for line in _ODD)))


@pytest.mark.usefixtures("modes_apply")
def test_an_unreadable_account_gives_the_same_finding(tmp_path: Path) -> None:
    # In a subprocess, where file modes apply even to root: more accounts than a batch.
    root = _accounts(tmp_path, parse_worker.BATCH_FILES + 6)
    unreadable = root / "accounts" / "x" / "a03.yaml"
    unreadable.chmod(0)
    try:
        alone, together = (
            _tabard(root, "check", "--no-cache", "--as-of", AS_OF, "--jobs", jobs)
            for jobs in ("1", "2")
        )
    finally:
        unreadable.chmod(0o644)
    assert (alone.returncode, alone.stdout) == (
        1,
        lines("accounts/x/a03.yaml:1:1: TAB-001 error cannot read file: Permission denied"),
    ), alone
    assert (together.returncode, together.stdout, together.stderr) == (
        alone.returncode,
        alone.stdout,
        alone.stderr,
    )


@pytest.mark.usefixtures("small_batches")
def test_the_main_process_reads_the_files_after_the_workers_share(
    run: Any, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse_worker, "WORKER_FILES", 7)
    received: list[str] = []
    apply = parse_worker._apply

    def count(reading: Any, file: str, read: Any) -> Any:
        received.append(file)
        return apply(reading, file, read)

    monkeypatch.setattr(parse_worker, "_apply", count)
    root = _accounts(tmp_path, 12)
    _odd_files(root / "accounts" / "x")
    outcome = _same_either_way(run, root, forks)
    assert received[:3] == ["accounts/x/a00.yaml", "accounts/x/a01.yaml", "accounts/x/a02.yaml"]
    assert len(set(received)) == len(received) == 7  # the rest from the main process
    assert outcome.code == 1


_SUMMARY_OF_TWELVE = "tabard: 0 errors, 0 warnings, 0 info, 0 waived in 15 documents (15 checked)"


@pytest.mark.usefixtures("small_batches")
@pytest.mark.parametrize("refused", [True, False], ids=["pipe-size-refused", "pipe-of-1-MiB"])
def test_the_pipe_is_widened_where_the_system_allows(
    run: Any, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch, refused: bool
) -> None:
    import fcntl

    sizes: list[int] = []
    control = fcntl.fcntl

    def widen(fd: int, command: int, argument: int = 0) -> Any:
        if command == fcntl.F_SETPIPE_SZ:
            if refused:  # as above /proc/sys/fs/pipe-max-size
                raise PermissionError(1, "Operation not permitted")
            sizes.append(argument)
        return control(fd, command, argument)

    monkeypatch.setattr(fcntl, "fcntl", widen)
    outcome = _same_either_way(run, _accounts(tmp_path, 12), forks)
    assert (outcome.code, outcome.err) == (0, lines(_SUMMARY_OF_TWELVE))
    assert sizes == ([] if refused else [1 << 20])


@pytest.mark.usefixtures("small_batches")
def test_a_worker_that_dies_part_way_leaves_the_rest_to_the_main_process(
    run: Any, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _accounts(tmp_path, 20)
    (root / "accounts" / "x" / "a15.yaml").write_text("apiVersion: tabard/v1\nkind: [Account\n")
    sent = iter(range(100))

    def die_after_two_batches() -> None:  # runs in the worker
        if next(sent) == 1:
            os._exit(0)

    monkeypatch.setattr(parse_worker, "batch_sent", die_after_two_batches)
    received: list[int] = []
    apply = parse_worker._apply

    def count(reading: Any, file: str, read: Any) -> Any:
        received.append(1)
        return apply(reading, file, read)

    monkeypatch.setattr(parse_worker, "_apply", count)
    outcome = _same_either_way(run, root, forks)
    assert len(received) == 2 * SMALL_BATCH  # the rest came from the main process
    assert (outcome.code, outcome.out) == (
        1,
        lines("accounts/x/a15.yaml:3:1: TAB-001 error did not find expected ',' or ']'"),
    )


@pytest.mark.usefixtures("small_batches")
@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"\x05\x00\x00\x00\x00\x00\x00\x00nope!", id="not-a-pickle"),
        pytest.param(b"\xff" * 8, id="absurd-length"),
        pytest.param(b"\x02\x00", id="cut-short"),
    ],
)
def test_a_worker_that_sends_nonsense_leaves_the_rest_to_the_main_process(
    run: Any, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch, garbage: bytes
) -> None:
    root = _accounts(tmp_path, 10)
    _send_nonsense_second(monkeypatch, garbage)
    assert _same_either_way(run, root, forks).code == 0


def _send_nonsense_second(monkeypatch: pytest.MonkeyPatch, garbage: bytes) -> None:
    """Make the worker write *garbage* instead of its second batch, then leave."""
    send = parse_worker._send
    sent = iter(range(100))

    def nonsense_second(pipe: int, batch: list[Any]) -> None:  # runs in the worker
        if next(sent) == 1:
            os.write(pipe, garbage)
            os._exit(0)
        send(pipe, batch)

    monkeypatch.setattr(parse_worker, "_send", nonsense_second)


@pytest.mark.usefixtures("small_batches")
def test_a_worker_that_raises_leaves_the_rest_to_the_main_process(
    run: Any, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _accounts(tmp_path, 10)
    taken = parse_worker._taken
    parent = os.getpid()

    def broken(reading: Any, file: str, documents: Any) -> Any:
        if os.getpid() != parent and file.endswith("a05.yaml"):
            raise RuntimeError("a bug in the worker")
        return taken(reading, file, documents)

    monkeypatch.setattr(parse_worker, "_taken", broken)
    assert _same_either_way(run, root, forks).code == 0


@pytest.mark.usefixtures("small_batches")
def test_an_interrupted_check_leaves_no_worker_behind(
    run: Any, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _accounts(tmp_path, 12)
    monkeypatch.setattr(streaming, "BATCH_FILES", SMALL_BATCH)  # checked while still reading
    stream = streaming._Streamer.stream
    calls = iter(range(100))

    def interrupted(self: Any, batch: Any) -> None:
        if next(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C: the whole process group gets it
        stream(self, batch)

    monkeypatch.setattr(streaming._Streamer, "stream", interrupted)
    outcome = _check(run, root, "2")
    assert outcome.code == 130, outcome
    assert len(forks) == 1
    assert _gone(forks[0])  # killed and reaped on the way out


@pytest.mark.usefixtures("small_batches")
def test_a_worker_whose_main_process_is_gone_stops(tmp_path: Path, forks: list[int]) -> None:
    from tabard.documents.repository import Repository

    root = _accounts(tmp_path, 30)
    repository = Repository(root, date(2026, 11, 24), ["accounts"])
    files = sorted(str(path.relative_to(root)) for path in (root / "accounts").rglob("*.yaml"))
    reading = parse_worker.Reading(repository, files, None, frozenset({"Account"}))
    started: list[Any] = []
    parse_worker._start_worker(reading, started)
    [worker] = started
    assert worker.batch() is not None
    worker.pipe.close()  # as the main process's end does when it dies
    for _ in range(600):  # a bound, not a timing assertion: a hang fails instead of hanging
        pid, status = os.waitpid(worker.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.05)
    else:
        os.kill(worker.pid, signal.SIGKILL)
        os.waitpid(worker.pid, 0)
        pytest.fail("the worker did not stop when its pipe broke")
    assert os.waitstatus_to_exitcode(status) == 1  # it ended itself, unkilled


def test_one_process_where_forking_is_unsafe_or_useless(
    run: Any, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _accounts(tmp_path, parse_worker.BATCH_FILES + 1)
    assert _check(run, root, "1").code == 0
    assert forks == []  # --jobs 1
    release = threading.Event()
    thread = threading.Thread(target=release.wait)  # as a plugin's thread would be
    thread.start()
    try:
        assert _check(run, root, "2").code == 0
    finally:
        release.set()
        thread.join()
    assert forks == []  # another thread runs: no fork
    processors = os.sched_getaffinity
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert run("check", "--no-cache", "--as-of", AS_OF, cwd=root).code == 0
    assert forks == []  # one processor
    monkeypatch.setattr(os, "sched_getaffinity", processors)
    monkeypatch.setattr(os, "getloadavg", lambda: (len(processors(0)), 1.0, 1.0))
    assert run("check", "--no-cache", "--as-of", AS_OF, cwd=root).code == 0
    assert forks == []  # by default: every processor busy already
    assert _check(run, root, "2").code == 0
    assert len(forks) == 1  # asked for: the worker whatever the load
    forks.clear()
    monkeypatch.setattr(os, "getloadavg", lambda: (len(processors(0)) - 0.5, 1.0, 1.0))
    assert run("check", "--no-cache", "--as-of", AS_OF, cwd=root).code == 0
    assert len(forks) == 1  # the default: two processes
    small = _accounts(tmp_path / "small", parse_worker.BATCH_FILES)
    assert _check(run, small, "2").code == 0
    assert len(forks) == 1  # no more files than one batch: not worth a process


@pytest.mark.parametrize("value", ["0", "-1", "3", "two", "", "1.5"])
def test_a_bad_jobs_value_is_a_usage_error(run: Any, tmp_path: Path, value: str) -> None:
    root = _accounts(tmp_path, 1)
    outcome = run("check", "--jobs", value, cwd=root)
    assert (outcome.code, outcome.out) == (2, "")
    assert outcome.err.endswith(
        f"tabard check: error: argument --jobs/-j: {value!r} is not a number of processes: "
        "use 1 (one process) or 2 (a second process reads the files)\n"
    ), outcome


def _targeted(run: Any, root: Path, jobs: str, *extra: str) -> tuple[Outcome, bytes | None]:
    """A targeted run with no cache to start from (a first commit after a clone, CI),
    and the cache it wrote (None: none written), less the time the run started and the
    digest of the header holding it."""
    shutil.rmtree(root / ".tabard-cache", ignore_errors=True)
    outcome = run("check", "--as-of", AS_OF, "--jobs", jobs, *extra, cwd=root)
    written = root / ".tabard-cache" / "documents.cache"
    if not written.exists():
        return outcome, None
    _digest, rest = written.read_bytes().split(b"\n", 1)
    return outcome, re.sub(rb'"started_ns":[0-9]+,', b"", rest, count=1)


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[str, int]]]:
    """The documents of each repository loaded, in the order they were added."""
    orders: list[list[tuple[str, int]]] = []
    load = pipeline.load_repository

    def recorded(*args: Any, **options: Any) -> Any:
        repository = load(*args, **options)
        orders.append([(document.file, document.number) for document in repository.documents])
        return repository

    monkeypatch.setattr(pipeline, "load_repository", recorded)
    return orders


def _same_targeted(
    run: Any, root: Path, forks: list[int], loaded: list[Any], *extra: str
) -> Outcome:
    """The outcome of a cold targeted run with `--jobs 1`, once `--jobs 2` has forked a
    worker, added the documents in the same order (file order), and given exactly the
    same output and written exactly the same cache."""
    alone, alone_cache = _targeted(run, root, "1", *extra)
    assert forks == []
    together, together_cache = _targeted(run, root, "2", *extra)
    assert len(forks) == 1, "the run with --jobs 2 did not fork a worker"
    assert (together.code, together.out, together.err) == (alone.code, alone.out, alone.err)
    assert together_cache == alone_cache
    assert len(loaded) == 2
    assert loaded[1] == loaded[0] == sorted(loaded[0])
    forks.clear()
    loaded.clear()
    return alone


@pytest.mark.national_locked
@pytest.mark.parametrize("output", ["text", "json"])
@pytest.mark.parametrize("cache", [True, False], ids=["cache-written", "no-cache"])
def test_a_cold_targeted_run_gives_the_same_output(
    run: Any, tmp_path: Path, forks: list[int], loaded: list[Any], output: str, cache: bool
) -> None:
    generate(tmp_path, 300, seed=7, policy="builtin")
    targets = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.glob("accounts/*/*"))
    extra = ["--format", output, *([] if cache else ["--no-cache"]), *targets[::10]]
    outcome = _same_targeted(run, tmp_path, forks, loaded, *extra)
    assert outcome.code == 1
    if output == "text":
        assert outcome.err.endswith(" in 330 documents (30 checked)\n")
    assert (tmp_path / ".tabard-cache" / "documents.cache").exists() == cache
    if cache:
        warm = run("check", "--as-of", AS_OF, "--jobs", "2", *extra, cwd=tmp_path)
        assert forks == []  # a usable cache: nothing to parse but the targets
        assert (warm.code, warm.out) == (outcome.code, outcome.out)


@pytest.mark.national_locked
@pytest.mark.usefixtures("small_batches")
def test_a_cold_targeted_run_of_an_example_gives_the_same_output(
    run: Any, tmp_path: Path, forks: list[int], loaded: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TABARD_DISABLE_PLUGIN_AUTOLOAD")  # the bundled plugins, as users have
    root = tmp_path / "gloucestershire"
    shutil.copytree(EXAMPLES / "gloucestershire", root)
    targets = sorted(str(path.relative_to(root)) for path in root.glob("accounts/**/*.yaml"))
    assert len(targets) > 4
    for output in ("text", "json"):
        _same_targeted(run, root, forks, loaded, "--format", output, *targets[::3])


def _two_broken(root: Path) -> list[str]:
    """Break an account in the worker's half of the files and one in the main process's."""
    broken = ["accounts/x/a03.yaml", "accounts/x/a17.yaml"]
    for file in broken:
        (root / file).write_text("apiVersion: tabard/v1\nkind: [Account\n")
    return broken


_BROKEN = [
    f"accounts/x/{name}.yaml:3:1: TAB-001 error did not find expected ',' or ']'"
    for name in ("a03", "a17")
]


@pytest.mark.usefixtures("small_batches")
def test_a_cold_targeted_run_whose_worker_dies_gives_the_whole_verdict(
    run: Any, tmp_path: Path, forks: list[int], loaded: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _accounts(tmp_path, 24)
    targets = _two_broken(root)
    sent = iter(range(100))

    def die_after_two_batches() -> None:  # runs in the worker
        if next(sent) == 1:
            os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(parse_worker, "batch_sent", die_after_two_batches)
    received: list[int] = []
    apply = parse_worker._apply

    def count(reading: Any, file: str, read: Any) -> Any:
        received.append(1)
        return apply(reading, file, read)

    monkeypatch.setattr(parse_worker, "_apply", count)
    outcome = _same_targeted(run, root, forks, loaded, *targets)
    assert len(received) == 2 * SMALL_BATCH  # the rest came from the main process
    assert (outcome.code, outcome.out) == (1, lines(*_BROKEN))


@pytest.mark.usefixtures("small_batches")
@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"\x05\x00\x00\x00\x00\x00\x00\x00nope!", id="not-a-pickle"),
        pytest.param(b"\x02\x00", id="cut-short"),
    ],
)
def test_a_cold_targeted_run_whose_worker_sends_nonsense_gives_the_whole_verdict(
    run: Any,
    tmp_path: Path,
    forks: list[int],
    loaded: list[Any],
    monkeypatch: pytest.MonkeyPatch,
    garbage: bytes,
) -> None:
    root = _accounts(tmp_path, 24)
    targets = _two_broken(root)
    _send_nonsense_second(monkeypatch, garbage)
    outcome = _same_targeted(run, root, forks, loaded, *targets)
    assert (outcome.code, outcome.out) == (1, lines(*_BROKEN))
