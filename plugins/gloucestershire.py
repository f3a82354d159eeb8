"""Gloucestershire Constabulary: one corporate dogs account (GLOS-DOG-*).

Early in 2018 the force folded its dog handlers' personal accounts into one
corporate dogs account after some had breached copyright, posted ill-judged
comments and leaked operational detail (Police Oracle, domain.md S04).  The
rules in ``gloucestershire.yaml`` keep it that way: exactly one active
corporate dogs account, and every other account about police dogs closing or
closed with that account as its successor.

The ``dog_account`` operator recognises an account about police dogs: its unit
is a dog unit, or its handle, display name or bio talks about police dogs —
which is how the old personal accounts ("Gloucestershire PD") looked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from tabard import OperatorSpec, hookimpl

_DOG_UNIT: Final = re.compile(r"\bdogs?\b|\bk-?9\b|\bcanine\b", re.IGNORECASE)
_DOG_TEXT: Final = re.compile(
    r"\bpolice ?dogs?\b|\bdog (?:section|unit|handlers?|team)\b|\bk-?9\b|\bcanine\b",
    re.IGNORECASE,
)
#: "Gloucestershire PD": what handlers called their personal accounts (S04).  Only in a
#: name: "PD" in free text (a bio) means too many other things.
_PD_NAME: Final = re.compile(r"\bPD\b")
#: Handles such as @GlosPoliceDogs, @GlosK9 or @GlosPD.
_DOG_HANDLE: Final = re.compile(r"dogs?|k9|canine|PD$|PD_")


def is_dog_account(document: Mapping[str, Any]) -> bool:
    """Whether *document* is an account about police dogs."""
    unit = document.get("unit")
    if isinstance(unit, str) and _DOG_UNIT.search(unit):
        return True
    handle = document.get("handle")
    if isinstance(handle, str) and _DOG_HANDLE.search(handle.lstrip("@").replace("Dog", "dog")):
        return True
    name = document.get("display_name")
    if isinstance(name, str) and (_DOG_TEXT.search(name) or _PD_NAME.search(name)):
        return True
    bio = document.get("bio")
    return isinstance(bio, str) and _DOG_TEXT.search(bio) is not None


def _dog_account(document: Mapping[str, Any], argument: bool) -> bool:
    return is_dog_account(document) is argument


@hookimpl
def tabard_add_operators() -> list[OperatorSpec]:
    return [
        OperatorSpec(
            name="dog_account",
            function=_dog_account,
            scope="document",
            argument_schema={"type": "boolean"},
            wording="the account is about police dogs (unit, handle, display name or bio)",
        )
    ]


@hookimpl
def tabard_add_policies() -> list[Path]:
    # The file beside this module: what importlib.resources.files gives for an
    # installed package, without importing importlib.resources on every check.
    return [Path(__file__).with_name("gloucestershire.yaml")]
