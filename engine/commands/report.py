"""`tabard report`: what each force runs and what it finds, over one or many repositories."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tabard.commands.common import as_of, today
from tabard.errors import UsageError

FORMATS = ("html", "json", "csv")
DEFAULT_HTML = Path("report.html")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "report",
        help="one page over force repositories: national figures, rules matrix, registers",
        description="Check each force repository with its own tabard.yaml and report them "
        "together: a self-contained HTML page (default), the data behind it (json) or the "
        "forces x rules matrix (csv). A PATH is a force repository or a folder of them.",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="a force repository (a folder with tabard.yaml) or a folder of force repositories",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="html",
        metavar="FORMAT",
        help="html (default), json or csv",
    )
    parser.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help=f"write to FILE ('-' for standard output); default: {DEFAULT_HTML} for html, "
        "standard output for json and csv",
    )
    parser.add_argument(
        "--as-of",
        type=as_of,
        metavar="YYYY-MM-DD",
        help="report as if today were this date (Europe/London)",
    )
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    from tabard.national.collect import (
        Broken,
        check_all,
        national_catalogue,
        repositories,
    )
    from tabard.national.data import build

    day = options.as_of or today()
    paths = repositories(options.paths)
    results = check_all(paths, day)
    data = build(results, national_catalogue(day), day)
    target = options.output
    if target is None and options.format == "html":
        target = DEFAULT_HTML
    _write(_render(data, options.format), None if target == Path("-") else target)
    broken = [result for result in results if isinstance(result, Broken)]
    for result in broken:
        print(f"tabard: error: {result.path} could not be checked:", file=sys.stderr)
        for problem in result.problems:
            text = problem.render().removeprefix("tabard: error: ")
            print("\n".join("  " + line for line in text.splitlines()), file=sys.stderr)
    checked = len(results) - len(broken)
    if target is not None and target != Path("-"):
        print(
            f"tabard: wrote {target}: {checked} force(s) reported"
            + (f", {len(broken)} broken" if broken else ""),
            file=sys.stderr,
        )
    return 2 if broken else 0


def _render(data: dict[str, Any], format: str) -> str:
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if format == "csv":
        from tabard.national.csv_format import render

        return render(data)
    from tabard.national.html import render as render_html

    return render_html(data)


def _write(text: str, target: Path | None) -> None:
    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror}") from None
