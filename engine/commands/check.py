"""`tabard check`: evaluate every policy on the repository and report findings."""

from __future__ import annotations

import argparse
from typing import Any

from tabard.commands.common import add_check_options, run_pipeline
from tabard.run.pipeline import Steps


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
    parser.add_argument(
        "--jobs",
        "-j",
        type=jobs,
        metavar="N",
        help="processes for a check of the whole repository or a run without a cache: 1, or "
        "2 to read and parse files in a second process (default: 2 on Linux with a "
        "processor to spare, else 1)",
    )
    parser.set_defaults(run=run)


def jobs(text: str) -> int:
    """``--jobs``: 1 or 2 (a second process reads and parses; more would not be used)."""
    if text.strip() not in ("1", "2"):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of processes: use 1 (one process) or 2 (a second "
            "process reads the files)"
        )
    return int(text)


def run(options: argparse.Namespace) -> int:
    return run_pipeline(
        options,
        Steps(rules=True, audit=options.audit, cache=not options.no_cache, jobs=options.jobs),
    )
