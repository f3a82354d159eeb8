"""Load every file of a targeted run that has no usable cache, in two processes.

Without a cache (the first commit after a clone, CI), a targeted run parses every file
of the repository, most of its time in the YAML loader.  Where ``parse_worker.jobs_for``
allows it, the forked worker of a full check reads and parses the first files while the
main process parses the others, taking the worker's files as it goes (the pipe holds
only a few hundred: a worker left unread would wait).  The documents are added in file
order and every file's findings and cache entry are recorded as in one process, so the
output is the same; a worker that fails leaves its files to the main process
(``parse_worker.read_accounts``).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing

from tabard.documents.cache import Cache
from tabard.documents.document import Document
from tabard.documents.repository import Repository
from tabard.findings import Finding
from tabard.run.parse_worker import Reading, jobs_for, read_accounts


def load_cold(
    repository: Repository, files: Sequence[str], cache: Cache | None, jobs: int | None
) -> None:
    """Load *files* as ``repository.load(files, cache=cache)`` does, with a worker
    reading the first half of them when *jobs* and the machine allow it."""
    # The worker's files cost the main process their unpickling besides: it takes half.
    share = len(files) - len(files) // 2
    if jobs_for(share, jobs) != 2:
        repository.load(files, cache=cache)
        return
    theirs, ours = files[:share], files[share:]
    held: list[list[Document]] = []
    # The problems met by our files' paths, put after the worker's: as in file order.
    our_unseen: list[Finding] = []
    reading = Reading(repository, theirs, cache, frozenset())
    with closing(read_accounts(reading, jobs)) as from_worker:
        own = repository.read_each(ours, cache)
        taken = 0
        for done in range(1, len(ours) + 1):
            unseen, repository.unseen = repository.unseen, our_unseen
            try:
                held.append(next(own))
            finally:
                repository.unseen = unseen
            # Take the worker's files at the pace ours are parsed.
            for _ in range(done * len(theirs) // len(ours) - taken):
                _add(repository, next(from_worker))
                taken += 1
        for documents in from_worker:
            _add(repository, documents)
    repository.unseen.extend(our_unseen)
    for documents in held:
        _add(repository, documents)


def _add(repository: Repository, documents: list[Document]) -> None:
    for document in documents:
        repository.add(document)
