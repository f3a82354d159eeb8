"""The sub-commands; each module adds its parser and sets ``run``."""

from __future__ import annotations

import argparse

from tabard._version import __version__


def build_parser() -> argparse.ArgumentParser:
    from tabard.commands import (
        check,
        explain,
        init,
        plugins,
        report,
        rules,
        schema,
        test,
        validate,
    )

    parser = argparse.ArgumentParser(
        prog="tabard",
        description="Policy-as-code for police social media accounts.",
    )
    parser.add_argument("--version", action="version", version=f"tabard {__version__}")
    parser.add_argument(
        "--traceback", action="store_true", help="show the full traceback if tabard itself fails"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (check, validate, test, rules, explain, schema, plugins, init, report):
        module.register(commands)
    for command in commands.choices.values():
        # Also after the command (`tabard check --traceback`); SUPPRESS keeps a
        # `tabard --traceback check` from being reset to False by the sub-parser.
        command.add_argument(
            "--traceback",
            action="store_true",
            default=argparse.SUPPRESS,
            help="show the full traceback if tabard itself fails",
        )
    return parser
