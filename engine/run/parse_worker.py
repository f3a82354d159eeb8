"""Read and parse the account files of a full check in a second process.

A full check of 10,000 accounts spends about as much processor time parsing YAML as
evaluating rules.  On a machine with a second processor, a forked worker reads and
parses the account files, in file order, and sends the parsed documents over a pipe
while the main process checks the ones before: the two halves overlap.

What the main process does with each file is unchanged: it gets the same documents,
in the same order, and records what reading the file recorded in the worker (the
problems found, the file's size, time, inode and digest for the cache, the hash of
its bytes that a later re-read is checked against), so every finding, message, exit
code and byte of output is what a one-process run gives.

Nothing but plain values crosses the pipe (dicts, lists, strings, numbers, arrays,
tuples), pickled by the worker the main process forked itself; nothing read from
disk is unpickled.  The worker holds one batch of files at a time and blocks while
the pipe is full, so neither process buffers more than a batch or two.

Fail closed: if the worker dies, sends something that does not decode or raises,
the main process kills and reaps it, and reads the remaining files itself (the run
is then as a one-process run; an error that made the worker stop happens again in
the main process and is reported as it would be).  The worker ignores Ctrl-C (the
main process, interrupted, kills it on the way out), stops when the main process is
gone (the pipe breaks), and leaves with ``os._exit``: no ``atexit`` handler, no
flush of the buffers it inherited.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Generator, Sequence
from dataclasses import fields
from typing import Any, Final

from tabard.documents import schemas as document_schemas
from tabard.documents.cache import Cache
from tabard.documents.checks import document_findings
from tabard.documents.document import Document
from tabard.documents.loaded import LoadedDocument
from tabard.documents.repository import Repository
from tabard.documents.yaml_builder import forget_shared_values
from tabard.findings import Finding
from tabard.language.context import DocumentKey

# ``pickle`` is imported where a worker sends or is read: every check imports this
# module, and most (one account, a pre-commit run) never fork.

#: Account files that one process reads at no cost worth a second (a streaming batch).
BATCH_FILES: Final = 64
#: Files the worker reads at most; the main process reads any after them.  The worker's
#: private memory grows as it runs (pages it or the main process writes to after the
#: fork are copied: about 10 MiB at 10,000 files, 20 MiB at 100,000); ending it half-way
#: through a larger repository keeps it from adding to the main process's peak, which
#: comes at the end.
WORKER_FILES: Final = 50_000
#: Files sent together: one pickle and one write for this many (few, so that neither
#: process holds much more than the documents it works on).
SEND_FILES: Final = 16
#: The length of each batch, before its bytes: an unsigned 64-bit little-endian integer.
_HEADER_BYTES: Final = 8
#: Fields of a Finding in order (it crosses the pipe as a tuple of them).
_FINDING_FIELDS: Final = tuple(field.name for field in fields(Finding))

#: One document as parsed: its number in the file, kind, data, positions, wide
#: positions, and the fields of its TAB-003 and TAB-005 findings (None: not checked).
DocumentRead = tuple[int, str, Any, Any, Any, "list[tuple[Any, ...]] | None"]
#: One file as read: its documents, the hash of its bytes, its cache entry, the
#: problems found reading it (by file, and the folders and files unseen), and whether
#: it held a policy.
FileRead = tuple[
    list[DocumentRead],
    int | None,
    Any,
    list[tuple[Any, ...]],
    list[tuple[Any, ...]],
    bool,
]
#: No batch comes near this: a length above it is not one the worker wrote.
_MAX_BATCH_BYTES: Final = 1 << 30
#: The pipe's capacity asked for (Linux's default is 64 KiB, two or three batches; a
#: user may raise a pipe to ``/proc/sys/fs/pipe-max-size``, 1 MiB by default).  The
#: kernel holds it, in neither process: about 560 files at 10,000 accounts.  Either
#: process's pace wavers from one batch to the next (the other processes of the
#: machine, files of different lengths); with only two batches in the pipe, each
#: waver stalled one process or the other (the main process waited about 2 s of a
#: 10 s check), where a longer queue absorbs it.
_PIPE_BYTES: Final = 1 << 20


class Reading:
    """What to read, and what the worker checks besides: the TAB-003 and TAB-005
    findings of the documents of *checked* kinds (``checks.document_findings``), kept in
    *found* by document key until the caller takes them."""

    def __init__(
        self,
        repository: Repository,
        files: Sequence[str],
        cache: Cache | None,
        checked: frozenset[str],
    ) -> None:
        self.repository = repository
        self.files = files
        self.cache = cache
        self.checked = checked
        self.found: dict[DocumentKey, list[Finding]] = {}
        #: In the worker: it checks the documents of the batch it reads (see
        #: :func:`main_is_behind`).
        self.checking = True


def jobs_for(files: int, asked: int | None) -> int:
    """How many processes read *files* account files: 2 only where forking is safe
    and worth it (*asked* None: decide; 1 forces one process)."""
    if asked == 1 or files <= BATCH_FILES or sys.platform != "linux":
        return 1
    import threading  # here: a check of fewer files never asks, nor imports it

    if threading.active_count() != 1:  # a plugin started a thread: fork is not safe
        return 1
    processors = len(os.sched_getaffinity(0))
    if asked is None and os.getloadavg()[0] >= processors:
        # Every processor busy already (as `make -l`): measured on a 2-core machine at a
        # load of 2.2-3.3, the worker made a check slower (at 1.1-1.6, a quarter faster).
        return 1
    return 2 if processors >= 2 else 1


def read_accounts(reading: Reading, jobs: int | None) -> Generator[list[Document], None, None]:
    """The documents of each file in turn, as ``repository.read_each`` gives them, read
    by a worker process when :func:`jobs_for` says two."""
    repository, files, cache = reading.repository, reading.files, reading.cache
    started: list[_Worker] = []
    try:
        if jobs_for(len(files), jobs) == 2:
            _start_worker(reading, started)
        if not started:
            yield from repository.read_each(files, cache)
            return
        done = yield from _received(started[0], reading)
    finally:
        for worker in started:  # whatever happened, even a Ctrl-C just after the fork
            worker.stop()
    # The files after the worker's share, or after those it sent before it failed.
    yield from repository.read_each(files[done:], cache)


class _Worker:
    """The main process's end: the worker's process id and the pipe it writes to."""

    def __init__(self, pid: int, pipe: int, end: int) -> None:
        self.pid = pid
        self.pipe = os.fdopen(pipe, "rb", buffering=1 << 16)
        self.running = True
        #: It reads the files before this one.
        self.end = end

    def batch(self) -> list[FileRead] | None:
        """The next batch, or None at the end or when what came is not a whole batch."""
        import pickle

        header = self.pipe.read(_HEADER_BYTES)
        if len(header) != _HEADER_BYTES:
            return None
        size = int.from_bytes(header, "little")
        if size > _MAX_BATCH_BYTES:
            return None
        payload = self.pipe.read(size)
        if len(payload) != size:
            return None
        batch = pickle.loads(payload)
        return batch if type(batch) is list else None

    def stop(self) -> None:
        """Kill the worker if it still runs, reap it, and close the pipe."""
        self.pipe.close()
        if self.running:
            self.running = False
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            gc.unfreeze()


def _received(worker: _Worker, reading: Reading) -> Generator[list[Document], None, int]:
    """Yield the documents of the files the worker sends, in order; return how many
    files came (all of them, unless the worker stopped early)."""
    files = reading.files
    done = 0
    while done < worker.end:
        try:
            batch = worker.batch()
            reads = [_checked(read) for read in batch] if batch else None
        except Exception:  # anything undecodable: the rest is read here
            reads = None
        if not reads or done + len(reads) > worker.end:
            break
        for read in reads:
            yield _apply(reading, files[done], read)
            done += 1
    return done


def _checked(read: Any) -> FileRead:
    """*read* if it has the shape of a :data:`FileRead`, else ValueError."""
    if type(read) is not tuple or len(read) != 6 or type(read[0]) is not list:
        raise ValueError("not a file read")
    return read


def _apply(reading: Reading, file: str, read: FileRead) -> list[Document]:
    """Record in the repository what reading *file* recorded in the worker; its documents."""
    repository = reading.repository
    parsed, source, entry, problems, unseen, policy = read
    if problems:
        repository.file_findings[file].extend(Finding(*values) for values in problems)
    if unseen:
        repository.unseen.extend(Finding(*values) for values in unseen)
    if policy:
        repository.policy_files.add(file)
    if entry is not None:
        repository.entries[file] = entry
    documents = []
    for number, kind, data, positions, wide, found in parsed:
        document = Document.parsed(file, number, kind, LoadedDocument(data, positions, wide))
        document.source = source
        documents.append(document)
        if found is not None:
            reading.found[document.key] = [Finding(*values) for values in found]
    return documents


def _start_worker(reading: Reading, started: list[_Worker]) -> None:
    """Fork the worker, added to *started* at once: it reads the files and writes them
    to a pipe the parent reads (none is added if the system will not fork now)."""
    # Built before the fork, the validators stay shared: the worker need not copy them.
    for kind in reading.checked:
        document_schemas.problems(kind, {})
    import fcntl  # POSIX only, as the worker is
    import pickle  # noqa: F401  (imported before the fork: its pages are then shared)
    import termios  # noqa: F401

    readable, writable = os.pipe()
    with contextlib.suppress(OSError):  # above the user's limit: the default size
        fcntl.fcntl(writable, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    # Ctrl-C reaches the whole process group: held back until the worker ignores it, so
    # that it never raises in the worker while it still runs the parent's code.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    # While the worker runs, the main process's collections leave the objects it had
    # before the fork alone: a collection writes to every object it walks, and each
    # page written is copied, the worker's copy then counting as its own memory.
    gc.freeze()
    try:
        pid = os.fork()
        if pid == 0:  # the worker
            _serve(reading, (readable, writable), held)
        # The parent's copy of the write end closed, so the worker's end is the only
        # one: when the worker stops, however it stops, the parent reads the end.
        os.close(writable)
        started.append(_Worker(pid, readable, _share(reading)))
    except OSError:
        gc.unfreeze()
        os.close(readable)
        os.close(writable)
        return
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    worker_started(pid)


def _serve(reading: Reading, pipe: tuple[int, int], held: set[int | signal.Signals]) -> None:
    """The worker's whole life: read, send, leave with ``os._exit`` whatever happens."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(pipe[0])
        # The inherited objects are never garbage: a collection walking them would
        # copy every page they live on into this process.
        gc.freeze()
        # Found before the fork: the main process has them already.
        reading.repository.unseen.clear()
        _send_all(reading, pipe[1])
        status = 0
    except BaseException:  # the main process reads the rest itself
        pass
    finally:
        os._exit(status)


def _share(reading: Reading) -> int:
    """How many files, from the first, the worker reads."""
    return min(len(reading.files), WORKER_FILES)


def _send_all(reading: Reading, pipe: int) -> None:
    files = reading.files[: _share(reading)]
    batch: list[FileRead] = []
    read = reading.repository.read_each(files, reading.cache)
    reading.checking = main_is_behind(pipe)
    for file, documents in zip(files, read, strict=True):
        batch.append(_taken(reading, file, documents))
        if len(batch) == SEND_FILES:
            _send(pipe, batch)
            batch = []
            reading.checking = main_is_behind(pipe)
    if batch:
        _send(pipe, batch)


def _taken(reading: Reading, file: str, documents: list[Document]) -> FileRead:
    """What reading *file* gave and recorded, taken out of the worker's repository (so
    that it holds no more than one batch)."""
    repository = reading.repository
    problems = repository.file_findings.pop(file, [])
    unseen = repository.unseen
    policy = file in repository.policy_files
    repository.policy_files.discard(file)
    read: FileRead = (
        [_document(reading, document, len(documents)) for document in documents],
        documents[0].source if documents else None,
        repository.entries.pop(file, None),
        [_values(finding) for finding in problems],
        [_values(finding) for finding in unseen],
        policy,
    )
    unseen.clear()
    return read


def _document(reading: Reading, document: Document, in_file: int) -> DocumentRead:
    loaded = document.loaded
    found = None
    if reading.checking and document.kind in reading.checked:
        found = [_values(finding) for finding in document_findings(document, in_file)]
    return (document.number, document.kind, loaded.data, loaded.positions, loaded.wide, found)


def main_is_behind(pipe: int) -> bool:
    """Whether the main process has yet to read all that was sent: then the worker has
    time to spare for the checks of the next batch; else the main process is waiting,
    and the worker sends the next batch sooner and leaves the checks to it.  Either way
    the findings are the same; only which process is busier changes."""
    import fcntl  # POSIX only, as the worker is
    import termios

    try:
        unread = fcntl.ioctl(pipe, termios.FIONREAD, b"\0\0\0\0")
    except OSError:
        return True
    return int.from_bytes(unread, sys.byteorder) > 0


def _values(finding: Finding) -> tuple[Any, ...]:
    return tuple(getattr(finding, name) for name in _FINDING_FIELDS)


def _send(pipe: int, batch: list[FileRead]) -> None:
    import pickle

    payload = pickle.dumps(batch, protocol=5)
    batch.clear()  # the parsed data, let go before the write waits for the main process
    # Values are shared within a batch (one pickled copy of each); across batches
    # sharing saves nothing, the main process unpickling each batch apart.
    forget_shared_values()
    for part in (len(payload).to_bytes(_HEADER_BYTES, "little"), payload):
        view = memoryview(part)
        while view:
            view = view[os.write(pipe, view) :]
    batch_sent()


def batch_sent() -> None:
    """Called in the worker after each batch is written (tests replace it to make the
    worker stop part-way, as a crash would)."""


def worker_started(pid: int) -> None:
    """Called in the main process once the worker is forked (tests replace it to see
    that a run used two processes)."""
