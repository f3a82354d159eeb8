"""`tabard rules`: list every rule of the packs in use."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tabard.commands.common import today, working_directory
from tabard.language.rules import Rule
from tabard.policy.packs import Pack
from tabard.policy.rule_docs import markdown, rule_summary
from tabard.run.session import locate_config, open_session


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "rules",
        help="list the rules of every policy pack in use",
        description="List the rules of the packs tabard.yaml selects (every built-in pack "
        "when there is no tabard.yaml).",
    )
    parser.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    parser.add_argument("--config", type=Path, metavar="FILE")
    parser.set_defaults(run=run)


def _table(packs: list[Pack]) -> str:
    rows = [("ID", "SEVERITY", "POLICY", "TITLE", "SOURCE")]
    for pack in packs:
        for rule in pack.rules:
            severity = str(rule.severity) + (" (locked)" if rule.locked else "")
            rows.append((rule.id, severity, pack.name, rule.title, "; ".join(rule.references)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[4]
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _json(packs: list[Pack]) -> str:
    rules: list[dict[str, Any]] = [rule_summary(rule) for pack in packs for rule in pack.rules]
    return json.dumps(rules, indent=2, ensure_ascii=False) + "\n"


def _in_use(packs: list[Pack], rules: list[Rule]) -> list[Pack]:
    """The packs with the rules as tabard.yaml leaves them: overridden, disabled ones gone."""
    effective = {rule.id: rule for rule in rules}
    return [
        pack.with_rules([effective[r.id] for r in pack.rules if r.id in effective])
        for pack in packs
    ]


def run(options: argparse.Namespace) -> int:
    config = locate_config(working_directory(), options.config)
    session = open_session(config, today())
    packs = _in_use(session.packs, session.rules)
    if options.format == "table":
        sys.stdout.write(_table(packs))
    elif options.format == "json":
        sys.stdout.write(_json(packs))
    else:
        sys.stdout.write(markdown(packs, session.operators))
    return 0
