"""`tabard schema KIND`: print the JSON Schema of a document kind (for editors)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from tabard.documents.schemas import KINDS, schema
from tabard.errors import UsageError
from tabard.suggest import closest


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "schema",
        help="print the JSON Schema of a document kind",
        description="Print the self-contained JSON Schema (Draft 2020-12) of KIND, e.g. for "
        "yaml-language-server. Kinds: " + ", ".join(KINDS) + ".",
    )
    parser.add_argument("kind", metavar="KIND")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    kinds = {kind.lower(): kind for kind in KINDS}
    kind = kinds.get(options.kind.lower())
    if kind is None:
        close = closest(options.kind, KINDS)
        raise UsageError(
            f"unknown document kind {options.kind!r}; "
            + (f"did you mean {close!r}? " if close else "")
            + f"kinds: {', '.join(KINDS)}"
        )
    sys.stdout.write(json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n")
    return 0
