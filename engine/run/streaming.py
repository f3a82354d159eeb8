"""Check a whole repository while reading it, so that memory does not grow with it.

A full check used to parse every document, keep them all, then run the rules: about
5 KiB per account.  Here each Account is checked as soon as it is read (its schema,
its file name, every rule on it) and its parsed data is let go; what stays is what
rules about the whole repository need: the document's kind, id and force, and the
repository indexes (``tabard.language.indexes``), built as the documents come.

Rules that read an index of accounts (``unique``, ``ref`` to another account, …) are
run while that index is still filling up.  Each lookup an account makes is recorded;
when a later account adds to an entry an earlier one read, that earlier account is
checked again at the end, against the finished indexes (read again from its file).
A repository where no account shares a handle or points at one further on checks
every account once; the findings are the same as a check of the loaded repository.

The files outside the account folders (forces, strategies, waivers: few, and read
whole by rules) are read first and kept, and checked at the end as before.  Should
one of those kinds turn up inside an account folder, every account read before it is
checked again at the end.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from contextlib import closing
from datetime import date
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any, Final

from tabard.config import Config
from tabard.documents.cache import Cache
from tabard.documents.checks import document_findings
from tabard.documents.discovery import discover
from tabard.documents.document import Document
from tabard.documents.globs import compile_globs
from tabard.documents.repository import Repository
from tabard.findings import Finding
from tabard.language.context import Context, IndexSpec
from tabard.language.indexes import RefIndex
from tabard.language.paths import compile_single
from tabard.language.rules import Rule
from tabard.run.evaluate import Lacking, Outcomes, RuleRunner
from tabard.run.lookups import Lookups, RecordedTable
from tabard.run.parse_worker import Reading, read_accounts

#: Kinds checked as they are read and then let go: the ones a repository has thousands of.
STREAMED_KINDS: Final = frozenset({"Account"})
#: Account files read, then checked, together: a few hundred KiB of parsed data at most.
BATCH_FILES: Final = 64
#: Kinds whose documents rules read whole (``lookup``): they must all be known first.
_FORCE_KINDS: Final = frozenset({"Force", "Strategy", "BrandGuide"})


class _UnsureView:
    """The plugin view while accounts are still being read: a plugin that looks at
    accounts sees only those read so far, so the account it checks is checked again."""

    def __init__(self, view: Any, lookups: Lookups) -> None:
        self._view = view
        self._lookups = lookups

    def documents(self, kind: str) -> list[Any]:
        if kind in STREAMED_KINDS:
            self._lookups.unsure()
        return self._view.documents(kind)  # type: ignore[no-any-return]

    def document(self, kind: str, id: str) -> Any:
        if kind in STREAMED_KINDS:
            self._lookups.unsure()
        return self._view.document(kind, id)

    def force_document(self, kind: str, force: str) -> Any:
        return self._view.force_document(kind, force)


class _StreamingDocuments:
    """The repository as rules see it while accounts are being read."""

    def __init__(self, repository: Repository, recorded: dict[str, Any], lookups: Lookups):
        self.repository = repository
        self.recorded = recorded
        self.lookups = lookups

    def force_document(self, kind: str, force: Any) -> Any:
        return self.repository.force_document(kind, force)

    def force_documents(self, force: Any) -> dict[str, Any]:
        return self.repository.force_documents(force)

    def index(self, spec: IndexSpec) -> Any:
        self.repository.indexes_read.add(spec.key)
        recorded = self.recorded.get(spec.key)
        if recorded is not None:
            return recorded
        if spec.kind in STREAMED_KINDS:
            # Not among the rules' indexes (it cannot be built from documents let go).
            self.lookups.unsure()
            return spec.new_table()
        return self.repository.index(spec)

    @property
    def view(self) -> Any:
        return _UnsureView(self.repository.view, self.lookups)


class _ById:
    """The documents of a streamed kind by id, the first in file order winning (as an
    index of them would hold), so that ``ref`` needs no table of every value."""

    def __init__(self) -> None:
        self.documents: dict[str, Document] = {}

    def add(self, document: Document) -> bool:
        """Whether *document* now answers for its id."""
        identity = document.id
        if identity is None:
            return False
        known = self.documents.get(identity)
        if known is not None and known.key < document.key:
            return False
        self.documents[identity] = document
        return True


class _RefTable:
    """A ``ref`` index over a streamed kind: the value at the field is read from the
    document named when a rule asks (a few accounts point at another), not kept for
    every document; the data of documents let go is read again, the last few kept."""

    def __init__(self, spec: RefIndex, by_id: _ById) -> None:
        self.by_id = by_id
        self.value_at = compile_single(spec.field)

    def get(self, identity: Any, default: Any = None) -> Any:
        document = self.by_id.documents.get(identity) if isinstance(identity, str) else None
        if document is None:
            return default
        data = _data(document)
        return self.value_at(data, data)  # ABSENT when the field is, as the index holds


@lru_cache(maxsize=16)
def _data(document: Document) -> Any:
    return document.data_without_keeping()


class Streamed:
    """A repository checked as it was read: what is left to do is in the usual steps.

    A plain class: a dataclass's methods are compiled on every import (Speed, in
    docs/architecture.md)."""

    __slots__ = ("checked", "repository", "runner")

    def __init__(self, repository: Repository, runner: RuleRunner, checked: list[Finding]) -> None:
        self.repository = repository
        #: Holds the rule findings of the documents already checked.
        self.runner = runner
        #: TAB-003 and TAB-005 of the documents already checked.
        self.checked = checked


class _Streamer:
    #: TAB-003 and TAB-005 of documents not yet checked, found by the process that read
    #: them (``parse_worker.Reading.found``), by document key; set before streaming.
    checked_elsewhere: dict[tuple[str, int], list[Finding]]

    def __init__(
        self, repository: Repository, rules: list[Rule], today: date, *, keep_projections: bool
    ) -> None:
        self.repository = repository
        self.today = today
        self.keep_projections = keep_projections
        #: One bound method for every document let go (not one each: 64 bytes an account).
        self.reload = repository.reload
        specs: dict[str, IndexSpec] = {}
        for rule in rules:
            for spec in rule.indexes:
                specs.setdefault(spec.key, spec)
        self.specs_by_kind: dict[str, list[IndexSpec]] = {}
        for spec in specs.values():
            self.specs_by_kind.setdefault(spec.kind, []).append(spec)
        self.by_id = _ById()
        #: ``ref`` indexes over streamed kinds: answered from the documents by id.
        refs = {
            key: spec
            for key, spec in specs.items()
            if isinstance(spec, RefIndex) and spec.kind in STREAMED_KINDS
        }
        self.refs = list(refs)
        self.tables = {
            key: _RefTable(refs[key], self.by_id) if key in refs else spec.new_table()
            for key, spec in specs.items()
        }
        repository.use_indexes(self.tables)
        #: What ``project`` does for each kind, worked out once: (spec, its key, its
        #: table, whether it is a lazy ``ref``, whether its kind is streamed).
        self.projecting = {
            kind: [
                (spec, spec.key, self.tables[spec.key], spec.key in refs, kind in STREAMED_KINDS)
                for spec in kind_specs
                if keep_projections or spec.key not in refs
            ]
            for kind, kind_specs in self.specs_by_kind.items()
        }
        self.lookups = Lookups()
        recorded = {
            key: RecordedTable(self.tables[key], key, self.lookups)
            for key, spec in specs.items()
            if spec.kind in STREAMED_KINDS
        }
        self.documents = _StreamingDocuments(repository, recorded, self.lookups)
        self.runner = RuleRunner(repository, rules, today)
        self.document_findings: list[Finding] = []
        #: Every document checked as it was read, numbered in that order.
        self.streamed: list[Document] = []
        #: Their rule findings, committed at the end unless they turn out stale: one flat
        #: list, each finding with its document's number beside it (an ``Outcomes`` record
        #: and two lists for every account with a finding was about 300 bytes), and the
        #: force documents rules lacked, by number (few).
        self.pending: list[Finding] = []
        self.pending_numbers: array[int] = array("I")
        self.pending_lacking: dict[int, Lacking] = {}
        #: Reading the account folders has begun.
        self.streaming = False
        #: A force document or an indexed kind turned up among the accounts.
        self.unsettled = False

    def project(self, document: Document) -> None:
        """Add *document* to every index over its kind."""
        if document.kind in STREAMED_KINDS and self.refs and self.by_id.add(document):
            for ref in self.refs:
                self.lookups.grew(ref, (document.id,))
        projecting = self.projecting.get(document.kind)
        if not projecting:
            return
        context = Context(document.data, document.key, self.repository, self.today)
        key = document.key
        keep = self.keep_projections
        for spec, spec_key, table, lazy, streamed in projecting:
            projection = spec.project(context)
            if keep:
                document.known_projections()[spec_key] = projection
            if projection is not None and not lazy:
                grew = spec.add(table, key, projection)
                if streamed:
                    self.lookups.grew(spec_key, grew)

    def keep(self, document: Document) -> None:
        self.repository.add(document)
        self.project(document)
        if self.streaming and (
            document.kind in _FORCE_KINDS or document.kind in self.specs_by_kind
        ):
            self.unsettled = True

    def stream(self, batch: list[list[Document]]) -> None:
        """Check the accounts of a few files read in a row, then let them go.

        Every file of the batch is read first, then every document added to the
        indexes, then the accounts checked: each step runs many times in a row, which
        keeps the processor's caches warm (one document at a time is about 40% slower).
        """
        for documents in batch:
            for document in documents:
                if document.kind in STREAMED_KINDS:
                    self.repository.add(document)
                    self.project(document)
                else:
                    self.keep(document)
        for documents in batch:
            for document in documents:
                if document.kind in STREAMED_KINDS:
                    self.check(document, len(documents))

    def check(self, document: Document, documents_in_file: int) -> None:
        found = self.checked_elsewhere.pop(document.key, None)  # by the worker that read it
        if found is None:
            found = document_findings(document, documents_in_file)
        self.document_findings += found
        number = len(self.streamed)
        self.streamed.append(document)
        self.lookups.current = number
        try:
            outcomes = self.runner.evaluate(document, self.documents)
        finally:
            self.lookups.current = None
        if outcomes.findings:
            self.pending += outcomes.findings
            self.pending_numbers.extend([number] * len(outcomes.findings))
        if outcomes.lacking:
            self.pending_lacking[number] = outcomes.lacking
        document.let_go(self.reload)

    def settle(self) -> None:
        """Commit what held, and check again what the finished indexes may change."""
        self.repository.put_in_file_order()
        if self.unsettled:
            self.runner.forget_plans()
            stale: Iterable[int] = range(len(self.streamed))
        else:
            stale = sorted(self.lookups.stale)
        self.commit_pending(set(stale))
        for number in stale:
            document = self.streamed[number]
            self.runner.commit(self.runner.evaluate(document))
            document.let_go(self.reload)
        self.lookups = Lookups()
        _data.cache_clear()

    def commit_pending(self, stale: set[int]) -> None:
        """Commit the outcomes of the accounts not *stale*, in the order they were read."""
        lacking = self.pending_lacking
        pairs = zip(self.pending_numbers, self.pending, strict=True)
        for number, found in groupby(pairs, key=itemgetter(0)):
            if number not in stale:
                findings = [finding for _, finding in found]
                self.commit(number, findings, lacking.pop(number, []))
        for number, lacks in lacking.items():
            if number not in stale:
                self.commit(number, [], lacks)
        self.pending, self.pending_numbers, self.pending_lacking = [], array("I"), {}

    def commit(self, number: int, findings: list[Finding], lacking: Lacking) -> None:
        self.runner.commit(Outcomes(self.streamed[number], findings, lacking))


def stream_repository(
    config: Config, today: date, cache: Cache | None, rules: list[Rule], jobs: int | None = None
) -> Streamed:
    """Read every document under the root and check each account as it comes.

    Every file is a target (a full run); with a *cache*, what it needs is kept to
    write it afterwards.  The account files are read by a second process when *jobs*
    allows it (``parse_worker.jobs_for``).
    """
    repository = Repository(config.root, today, config.accounts)
    found = discover(config.root, compile_globs(config.exclude))
    repository.note(found)
    streamer = _Streamer(repository, rules, today, keep_projections=cache is not None)
    others = [file for file in found.files if not repository.under_account_dir(file)]
    for documents in repository.read_each(others, cache):
        for document in documents:
            streamer.keep(document)
    streamer.streaming = True
    accounts = [file for file in found.files if repository.under_account_dir(file)]
    batch: list[list[Document]] = []
    # Closed on the way out, whatever happens: a worker process reading them stops.
    reading = Reading(repository, accounts, cache, STREAMED_KINDS)
    streamer.checked_elsewhere = reading.found
    with closing(read_accounts(reading, jobs)) as read:
        for documents in read:
            batch.append(documents)
            if len(batch) == BATCH_FILES:
                streamer.stream(batch)
                batch = []
    streamer.stream(batch)
    streamer.settle()
    return Streamed(repository, streamer.runner, streamer.document_findings)
