"""`tabard schema KIND`: print the JSON Schema of a document kind (for editors)."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from typing import Any

from tabard.documents.schemas import KINDS, schema
from tabard.errors import UsageError


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
        close = difflib.get_close_matches(options.kind, KINDS, n=1)
        raise UsageError(
            f"unknown document kind {options.kind!r}; "
            + (f"did you mean {close[0]!r}? " if close else "")
            + f"kinds: {', '.join(KINDS)}"
        )
    sys.stdout.write(json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n")
    return 0
