"""`tabard check`: evaluate every policy on the repository and report findings."""

from __future__ import annotations

import argparse
from typing import Any

from tabard.commands.common import (
    Targets,
    add_check_options,
    count_targets,
    emit,
    exit_code,
    file_findings,
    find_repository,
    load_repository,
    outputs,
    resolve_targets,
    today,
)
from tabard.documents.cache import Cache
from tabard.documents.checks import check_documents
from tabard.report import Report
from tabard.report.context import report_context
from tabard.run.evaluate import run_rules
from tabard.run.policy_files import check_policy_files
from tabard.run.session import open_session
from tabard.run.streaming import stream_repository
from tabard.run.waivers import accounts_named, apply_waivers


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "check",
        help="check documents against every policy",
        description="Load the whole repository, evaluate every rule and report findings on "
        "the files named (default: all).",
    )
    add_check_options(parser)
    parser.add_argument(
        "--audit", action="store_true", help="ignore every waiver and report what they hide"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write .tabard-cache (parse every file)",
    )
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    day = options.as_of or today()
    config = find_repository(options)
    session = open_session(config, day)
    chosen = outputs(options, session.formats)  # an unknown format is a usage error before any work
    targets = resolve_targets(options.paths, config.root)
    cache = None
    if not options.no_cache:
        # A full run parses everything anyway: it only writes the cache for the next one.
        cache = (
            Cache(config.root, session.fingerprint)
            if targets.everything
            else Cache.open(config.root, session.fingerprint)
        )
    if targets.everything:
        # Every account is checked as it is read, and let go: memory stays flat.
        streamed = stream_repository(config, day, cache, session.rules)
        repository, runner, checked = (
            streamed.repository,
            streamed.runner,
            streamed.document_findings,
        )
    else:
        repository, runner, checked = load_repository(config, day, cache, targets), None, []

    named = accounts_named(repository, targets)
    extra = frozenset(d.file for d in repository.by_kind.get("Account", ()) if d.id in named)
    evaluated = Targets(targets.everything, targets.files | extra, targets.directories)

    findings = (
        file_findings(repository, targets)
        + check_documents(repository, targets, streamed=checked)
        + check_policy_files(session, repository, targets)
    )
    rule_findings = run_rules(repository, session.rules, evaluated, day, runner)
    rule_findings = apply_waivers(
        rule_findings,
        repository,
        rule_ids={rule.id for pack in session.packs for rule in pack.rules},
        evaluated=evaluated,
        today=day,
        audit=options.audit,
    )
    findings += [finding for finding in rule_findings if targets(finding.file)]
    findings.sort(key=lambda finding: finding.sort_key)
    waivers = (document.data for document in repository.by_kind.get("Waiver", ()))
    report = Report(
        findings,
        len(repository.documents),
        count_targets(repository, targets),
        day,
        options.audit,
        report_context(session.packs, session.plugins.info, waivers),
        session.loosened,
    )
    emit(report, chosen, quiet=options.quiet, hints=options.hints)
    if cache is not None:
        entries = repository.cache_entries()
        if repository.new_projections or cache.worth_saving(entries, repository.changed_files):
            cache.save(entries)
    return exit_code(findings, options.fail_on or config.fail_on)
