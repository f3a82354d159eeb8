"""The pipeline after the session, written once: documents -> evaluate -> waivers -> report.

`check` and `validate` open a session (config -> plugins -> packs, ``session.py``) and
hand it to :func:`check_repository` with the :class:`Steps` that tell them apart.  Policy
tests and ``tabard.testing.check_documents`` check documents held in memory through
``in_memory.check_in_memory``: the same document, rule and waiver checks, with no files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from tabard.config import Config
from tabard.documents import cache_writer
from tabard.documents.cache import Cache
from tabard.documents.checks import check_documents
from tabard.documents.discovery import discover
from tabard.documents.globs import compile_globs
from tabard.documents.repository import Repository
from tabard.findings import Finding
from tabard.record import Record
from tabard.report import Report
from tabard.report.context import report_context
from tabard.run.cold_load import load_cold
from tabard.run.evaluate import RuleRunner, run_rules
from tabard.run.policy_files import check_policy_files
from tabard.run.session import Session
from tabard.run.streaming import stream_repository
from tabard.run.waivers import accounts_named, apply_waivers


class Targets(Record):
    """The files being reported on: everything, or the named files and directories."""

    _fields = ("everything", "files", "directories")
    __slots__ = _fields
    everything: bool
    files: frozenset[str]
    directories: tuple[str, ...]

    def __init__(
        self,
        everything: bool,
        files: frozenset[str] = frozenset(),
        directories: tuple[str, ...] = (),
    ) -> None:
        self._fill(everything, files, directories)

    def __call__(self, file: str) -> bool:
        return self.everything or file in self.files or file.startswith(self.directories)


EVERYTHING = Targets(everything=True)


class Steps(Record):
    """What differs between the commands that run the pipeline."""

    _fields = ("rules", "audit", "cache", "jobs")
    __slots__ = _fields
    #: Evaluate the rules and apply the waivers (`validate` checks schemas only).
    rules: bool
    #: Ignore every waiver and report what it hides (`check --audit`).
    audit: bool
    #: Read and write ``.tabard-cache`` (`check` without ``--no-cache``).
    cache: bool
    #: Processes reading the files (`check --jobs`): None decides, 1 is one process.
    jobs: int | None

    def __init__(
        self, rules: bool, audit: bool = False, cache: bool = False, jobs: int | None = None
    ) -> None:
        self._fill(rules, audit, cache, jobs)


def load_repository(
    config: Config,
    today: date,
    cache: Cache | None = None,
    targets: Targets | None = None,
    jobs: int | None = 1,
) -> Repository:
    """Every document under the root; with a *cache*, files outside *targets* may come
    from it.  Without a usable cache, a second process parses half of the files when
    *jobs* allows it (``parse_worker.jobs_for``)."""
    repository = Repository(config.root, today, config.accounts)
    found = discover(config.root, compile_globs(config.exclude))
    repository.note(found)
    if targets is not None and (cache is None or cache.stored is None):
        load_cold(repository, found.files, cache, jobs)
    else:
        repository.load(found.files, cache=cache, fresh=None if targets is None else targets)
    return repository


def file_findings(repository: Repository, targets: Targets) -> list[Finding]:
    """Problems reading the target files, and every path that hid documents from tabard."""
    return repository.unseen + [
        finding
        for file, found in repository.file_findings.items()
        if targets(file)
        for finding in found
    ]


def count_targets(repository: Repository, targets: Targets) -> int:
    # The documents the cache stands for are never targets: targets are always read.
    return sum(1 for document in repository.documents if targets(document.file))


def rule_findings(
    session: Session,
    repository: Repository,
    targets: Targets,
    *,
    audit: bool = False,
    runner: RuleRunner | None = None,
) -> list[Finding]:
    """The findings of every rule in use on the *targets*, waived or not (with the
    *runner* that checked the documents streamed as they were read)."""
    # An account a target waiver names is evaluated too, so the waiver can be judged.
    named = accounts_named(repository, targets)
    owners = repository.owners({("Account", name) for name in named})
    extra = frozenset(file for keys in owners.values() for file, _ in keys)
    repository.load_cached_documents(extra)
    evaluated = Targets(targets.everything, targets.files | extra, targets.directories)
    found = apply_waivers(
        run_rules(repository, session.rules, evaluated, session.today, runner),
        repository,
        rule_ids={rule.id for pack in session.packs for rule in pack.rules},
        evaluated=evaluated,
        today=session.today,
        audit=audit,
    )
    return [finding for finding in found if targets(finding.file)]


def _open_cache(session: Session, targets: Targets) -> Cache:
    # A full run parses everything anyway: it only writes the cache for the next one.
    if targets.everything:
        return Cache(session.config.root, session.fingerprint)
    return Cache.open(session.config.root, session.fingerprint)


def _keep_cache(cache: Cache, repository: Repository, session: Session) -> None:
    # Decided from counts alone: writing the cache costs as much as a small run.
    if repository.new_projections or cache.worth_saving(cache_writer.changes(repository)):
        specs = {spec.key: spec for rule in session.rules for spec in rule.indexes}
        contents = cache_writer.cache_contents(repository, specs)
        if contents is not None:
            cache.save(contents)


def check_repository(
    session: Session, targets: Targets, steps: Steps, publish: Callable[[Report], None]
) -> Report:
    """Load the repository, check it, and hand the report to *publish*.

    The cache is written after *publish*, so a pre-commit run shows its findings first.
    """
    cache = _open_cache(session, targets) if steps.cache else None
    runner = None
    checked: list[Finding] = []
    if targets.everything:
        # Every account is checked as it is read and then let go: memory stays flat.
        rules = session.rules if steps.rules else []
        streamed = stream_repository(session.config, session.today, cache, rules, steps.jobs)
        repository, runner, checked = streamed.repository, streamed.runner, streamed.checked
    else:
        repository = load_repository(session.config, session.today, cache, targets, steps.jobs)
    findings = (
        file_findings(repository, targets)
        + check_documents(repository, targets, streamed=checked)
        + check_policy_files(session, repository, targets)
    )
    waivers: Iterable[Mapping[str, Any]] = ()
    if steps.rules:
        findings += rule_findings(session, repository, targets, audit=steps.audit, runner=runner)
        waivers = (document.data for document in repository.by_kind.get("Waiver", ()))
    findings.sort(key=lambda finding: finding.sort_key)
    report = Report(
        findings,
        repository.document_count,
        count_targets(repository, targets),
        session.today,
        steps.audit,
        report_context(session.packs, session.plugins.info, waivers),
        session.loosened,
    )
    publish(report)
    if session.memo is not None:
        session.memo.save()
    if cache is not None:
        _keep_cache(cache, repository, session)
    return report
