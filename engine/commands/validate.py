"""`tabard validate`: config, policies and documents against their schemas, no rules."""

from __future__ import annotations

import argparse
from typing import Any

from tabard.commands.common import add_check_options, run_pipeline
from tabard.run.pipeline import Steps


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
    return run_pipeline(options, Steps(rules=False))
