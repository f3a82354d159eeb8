"""The sub-commands; each module adds its parser and sets ``run``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from importlib import import_module
from typing import Any, Final

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
    parser = _Parser(prog="tabard", description="Policy-as-code for police social media accounts.")
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


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's own layout, with the terminal measured only when it is used.

    argparse makes a formatter for every option added (to check its metavar), and the
    stock one measures the terminal each time, importing ``shutil`` (with ``bz2`` and
    ``lzma``) for a width that only help and usage messages read.  Here the width and
    the help column the base works out from it are worked out the same way, when read.
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        self._asked = (indent_increment, max_help_position, width)
        self._layout: tuple[int, int] | None = None
        # A stand-in width: the base stores it and the help column it gives through the
        # setters below, which keep nothing.
        super().__init__(prog, indent_increment, max_help_position, width=80)

    def _measured(self) -> tuple[int, int]:
        if self._layout is None:
            indent_increment, max_help_position, width = self._asked
            if width is None:  # as argparse.HelpFormatter does
                import shutil

                width = shutil.get_terminal_size().columns - 2
            column = min(max_help_position, max(width - 20, indent_increment * 2))
            self._layout = (width, column)
        return self._layout

    @property
    def _width(self) -> int:
        return self._measured()[0]

    @_width.setter
    def _width(self, stand_in: int) -> None:
        pass

    @property
    def _max_help_position(self) -> int:
        return self._measured()[1]

    @_max_help_position.setter
    def _max_help_position(self, stand_in: int) -> None:
        pass


class _Parser(argparse.ArgumentParser):
    """An argument parser whose help is laid out by :class:`_HelpFormatter`; the
    commands' parsers are of the same class (``add_subparsers`` makes them so)."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("formatter_class", _HelpFormatter)
        super().__init__(**options)


def _wanted(argv: Sequence[str] | None) -> tuple[str, ...]:
    """The command *argv* names (after options such as --traceback), else all of them."""
    for argument in argv or ():
        if argument in _LEADING:
            continue
        return (argument,) if argument in COMMANDS else COMMANDS
    return COMMANDS
