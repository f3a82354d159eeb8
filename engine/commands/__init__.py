"""The sub-commands; each module adds its parser and sets ``run``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from importlib import import_module
from typing import Final

from tabard._version import __version__

#: Every sub-command, in the order ``tabard --help`` lists them: each is a module here.
COMMANDS: Final = (
    "check",
    "validate",
    "test",
    "rules",
    "explain",
    "schema",
    "plugins",
    "init",
    "report",
)
#: Options that may come before the command and take no value.
_LEADING: Final = frozenset({"--traceback"})


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line parser; given *argv*, only the command it names is imported.

    Importing a command's module imports everything it uses, and the modules of the
    others are most of tabard: `tabard check` alone must not pay for `tabard report`'s
    HTML page or `tabard test`'s JUnit writer.  Without *argv*, or when *argv* names no
    command plainly (``tabard --help``, a misspelt command), every command is registered,
    so that help and "invalid choice" messages list them all.
    """
    parser = argparse.ArgumentParser(
        prog="tabard",
        description="Policy-as-code for police social media accounts.",
    )
    parser.add_argument("--version", action="version", version=f"tabard {__version__}")
    parser.add_argument(
        "--traceback", action="store_true", help="show the full traceback if tabard itself fails"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _wanted(argv):
        import_module(f"tabard.commands.{name}").register(commands)
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


def _wanted(argv: Sequence[str] | None) -> tuple[str, ...]:
    """The command *argv* names (after options such as --traceback), else all of them."""
    for argument in argv or ():
        if argument in _LEADING:
            continue
        return (argument,) if argument in COMMANDS else COMMANDS
    return COMMANDS
