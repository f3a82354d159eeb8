"""`tabard explain RULE`: what a rule checks, why, and how to fix a finding."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tabard.commands.common import today, working_directory
from tabard.documents.engine_rules import ENGINE_RULES
from tabard.errors import UsageError
from tabard.language.registry import builtin_operators
from tabard.policy.rule_docs import explain_engine_rule, explain_rule
from tabard.run.session import locate_config, open_session
from tabard.suggest import closest


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "explain",
        help="explain one rule: rationale, source, condition and fix",
    )
    parser.add_argument("rule", metavar="RULE", help="a rule id such as ACC-001 or TAB-003")
    parser.add_argument("--config", type=Path, metavar="FILE")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    wanted = options.rule.upper()
    if wanted in ENGINE_RULES:
        sys.stdout.write(explain_engine_rule(ENGINE_RULES[wanted]))
        return 0
    config = locate_config(working_directory(), options.config)
    session = open_session(config, today())
    rules = {rule.id: rule for pack in session.packs for rule in pack.rules}
    if wanted not in rules:
        close = closest(wanted, [*rules, *ENGINE_RULES])
        raise UsageError(
            f"unknown rule {options.rule!r}"
            + (f"; did you mean {close!r}?" if close else "; `tabard rules` lists every rule")
        )
    sys.stdout.write(explain_rule(rules[wanted], builtin_operators()))
    return 0
