"""`tabard validate`: config, policies and documents against their schemas, no rules."""

from __future__ import annotations

import argparse
from typing import Any

from tabard.commands.common import (
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
from tabard.documents.checks import check_documents
from tabard.report import Report
from tabard.report.context import report_context
from tabard.run.policy_files import check_policy_files
from tabard.run.session import open_session


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "validate",
        help="check config, policies and documents against their schemas only",
        description="Validate tabard.yaml and every policy pack (exit 2 on a problem), then "
        "every document against the schema of its kind. No rules are evaluated.",
    )
    add_check_options(parser)
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    day = options.as_of or today()
    config = find_repository(options)
    session = open_session(config, day)  # policies must compile: PolicyError is exit 2
    chosen = outputs(options, session.formats)
    targets = resolve_targets(options.paths, config.root)
    repository = load_repository(config, day)
    findings = (
        file_findings(repository, targets)
        + check_documents(repository, targets)
        + check_policy_files(session, repository, targets)
    )
    findings.sort(key=lambda finding: finding.sort_key)
    context = report_context(session.packs, session.plugins.info)
    report = Report(
        findings,
        len(repository.documents),
        count_targets(repository, targets),
        day,
        context=context,
        loosened=session.loosened,
    )
    emit(report, chosen, quiet=options.quiet, hints=options.hints)
    return exit_code(findings, options.fail_on or config.fail_on)
