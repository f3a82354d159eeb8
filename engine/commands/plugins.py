"""`tabard plugins`: the plugins in use, with what each one adds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tabard.commands.common import today, working_directory
from tabard.run.session import locate_config, open_session


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "plugins",
        help="list plugins with their version, hooks, operators and rules",
    )
    parser.add_argument("--config", type=Path, metavar="FILE")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    config = locate_config(working_directory(), options.config)
    session = open_session(config, today())
    if not session.plugins.info:
        print("no plugins loaded")
        return 0
    for info in session.plugins.info:
        rules = [
            f"{rule.id} ({', '.join(sorted(rule.forces or ()))})"
            for pack in session.packs
            if pack.origin == info.name
            for rule in pack.rules
        ]
        lines = [
            f"{info.name} {info.version} ({info.source})",
            f"  hooks:     {', '.join(info.hooks) or '-'}",
            f"  operators: {', '.join(info.operators) or '-'}",
            f"  formats:   {', '.join(info.formats) or '-'}",
            f"  rules:     {', '.join(rules) or '-'}",
        ]
        sys.stdout.write("\n".join(lines) + "\n")
    return 0
