"""Options and steps that `check` and `validate` share, and the pipeline they both run."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path

from tabard.config import Config
from tabard.errors import UsageError
from tabard.findings import FAIL_ON, Finding, fails
from tabard.language.values import parse_date
from tabard.record import Record
from tabard.report import BUILTIN_FORMATS, Formatter, Report
from tabard.run.pipeline import Steps, Targets, check_repository
from tabard.run.session import open_session, require_config
from tabard.suggest import closest


def as_of(text: str) -> date:
    day = parse_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)")
    return day


def today() -> date:
    """Today in the UK, whatever the machine's time zone."""
    return uk_date(datetime.now(UTC))


def uk_date(now: datetime) -> date:
    """The UK's date at the instant *now* (an aware datetime).

    Since 1972 the UK's clocks have been GMT or BST, never behind UTC nor two hours
    ahead of it, so before 22:00 UTC the UK's date is UTC's.  Only later is the time
    zone database asked: importing ``zoneinfo`` and reading Europe/London cost about
    9 million instructions, more than 1% of a check of a small repository.
    (``tests/test_uk_date.py`` compares the two hour by hour, 1972 to 2037.)
    """
    utc = now.astimezone(UTC)
    if utc.hour < 22:
        return utc.date()
    from zoneinfo import ZoneInfo

    return utc.astimezone(ZoneInfo("Europe/London")).date()


def add_check_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or directories to report on (default: the whole repository)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="use this tabard.yaml instead of searching upward",
    )
    parser.add_argument(
        "--format",
        action="append",
        metavar="NAME[:FILE]",
        help=f"output format: {', '.join(sorted(BUILTIN_FORMATS))} or one a plugin adds "
        "(default: text); repeat for several outputs in one run, each NAME:FILE written to "
        "FILE, at most one to standard output",
    )
    parser.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="write the report to FILE instead of standard output (with one --format)",
    )
    parser.add_argument(
        "--hints",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="text output: under each finding, its rule's title and fix in one line, and "
        "where to read more (default: on when printing to a terminal)",
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="text output: print only the summary, and nothing at all when there are no findings",
    )
    parser.add_argument(
        "--fail-on",
        choices=list(FAIL_ON),
        metavar="LEVEL",
        help="lowest severity that fails the run: error, warning, info or never "
        "(default: fail_on in tabard.yaml, else error)",
    )
    parser.add_argument(
        "--as-of",
        type=as_of,
        metavar="YYYY-MM-DD",
        help="check as if today were this date (Europe/London)",
    )


def working_directory() -> Path:
    """The working directory, or a usage error if it is gone or cannot be read."""
    try:
        return Path.cwd()
    except OSError as error:
        raise UsageError(
            f"cannot read the working directory: {error.strerror}; it may have been deleted "
            "or moved (cd into the repository and run tabard again)"
        ) from None


def start_directories(paths: list[Path]) -> list[Path]:
    """Where to look for tabard.yaml, in turn: each path named, then the working directory."""
    starts = []
    for path in paths:
        absolute = path.resolve()
        start = absolute if absolute.is_dir() else absolute.parent
        if start not in starts:
            starts.append(start)
    cwd = working_directory()  # relative paths above resolved against it
    return [*starts, cwd] if cwd not in starts else starts


def find_repository(options: argparse.Namespace) -> Config:
    """The config of the repository `check`, `validate` and `test` work on (never defaults)."""
    return require_config(start_directories(options.paths), options.config)


def resolve_targets(paths: list[Path], root: Path) -> Targets:
    """The named paths inside *root*.

    Paths outside it are left out and said so on stderr: pre-commit, run at the git root,
    names every changed YAML file, ``.github/workflows/ci.yml`` as well as the manifests of
    a repository kept in a sub-folder.  Naming nothing inside the root is an error.
    """
    if not paths:
        return Targets(everything=True)
    files: set[str] = set()
    directories: list[str] = []
    outside: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
        absolute = path.resolve()
        if absolute == root or root.is_relative_to(absolute):
            return Targets(everything=True)
        if not absolute.is_relative_to(root):
            outside.append(path)
            continue
        relative = absolute.relative_to(root).as_posix()
        if absolute.is_dir():
            directories.append(relative + "/")
        else:
            files.add(relative)
    if outside and not (files or directories):
        raise UsageError(
            f"{outside[0]} is outside the repository {root} (the folder of its tabard.yaml)"
        )
    if outside:
        print(
            f"tabard: not checked, outside the repository {_shown(root)}: "
            + ", ".join(str(path) for path in outside),
            file=sys.stderr,
        )
    return Targets(False, frozenset(files), tuple(directories))


def _shown(folder: Path) -> str:
    """*folder* relative to the working directory when it is below it, else in full."""
    cwd = Path.cwd().resolve()
    if folder != cwd and folder.is_relative_to(cwd):
        return folder.relative_to(cwd).as_posix() + "/"
    return str(folder)


class Output(Record):
    """One report a run writes: a format, and a file (None: standard output)."""

    _fields = ("name", "formatter", "file")
    __slots__ = _fields
    name: str
    formatter: Formatter
    file: Path | None

    def __init__(self, name: str, formatter: Formatter, file: Path | None) -> None:
        self._fill(name, formatter, file)


def outputs(options: argparse.Namespace, formats: Mapping[str, Formatter]) -> list[Output]:
    """The ``--format NAME[:FILE]`` options as outputs; a usage error before any work."""
    specs: list[str] = options.format or ["text"]
    found: list[Output] = []
    for spec in specs:
        name, _, file = spec.partition(":")
        if name not in formats:
            close = closest(name, list(formats))
            raise UsageError(
                f"unknown format {name!r}; "
                + (f"did you mean {close!r}? " if close else "")
                + f"formats: {', '.join(sorted(formats))}"
            )
        if _ and not file:
            raise UsageError(f"--format {spec}: name the file after the colon, e.g. {name}:report")
        found.append(Output(name, formats[name], Path(file) if file else None))
    to_stdout = [output for output in found if output.file is None]
    if options.output is not None:
        if len(to_stdout) != 1 or len(found) != 1:
            raise UsageError("--output goes with one --format; write NAME:FILE for several")
        found = [Output(found[0].name, found[0].formatter, options.output)]
    elif len(to_stdout) > 1:
        raise UsageError(
            "at most one --format may go to standard output: "
            + ", ".join(output.name for output in to_stdout)
            + "; write the others to files with NAME:FILE"
        )
    return found


def _colour() -> bool:
    """Colour for a terminal: NO_COLOR (set and not empty) wins, then FORCE_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def emit(
    report: Report, chosen: list[Output], *, quiet: bool = False, hints: bool | None = None
) -> None:
    for output in chosen:
        if quiet and output.name == "text" and output.file is None:
            continue  # the summary below says it all
        # Colour only ever goes to a terminal's text output, never into files or machine formats.
        colour = output.file is None and output.name == "text" and _colour()
        parts: Iterable[str]
        if output.name == "text" and output.formatter is BUILTIN_FORMATS["text"]:
            from tabard.report.text import render_parts

            wanted = hints if hints is not None else output.file is None and sys.stdout.isatty()
            parts = render_parts(report, colour, hints=wanted)
        else:
            parts = (output.formatter(report, colour),)
        if output.file is not None:
            _write(output.file, "".join(parts))
        else:
            for part in parts:
                sys.stdout.write(part)
            sys.stdout.flush()
    names = {output.name for output in chosen}
    if "github" in names:
        _github_step_summary(report)
    if "text" in names and not (quiet and not report.unwaived()):
        from tabard.report.text import summary

        print(summary(report), file=sys.stderr)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None


def _github_step_summary(report: Report) -> None:
    """Append the Markdown summary to the job page, as GitHub Actions asks."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from tabard.report.markdown import render

    try:
        with open(target, "a", encoding="utf-8") as stream:
            stream.write(render(report))
    except OSError as error:
        raise UsageError(f"cannot write GITHUB_STEP_SUMMARY {target}: {error.strerror}") from None


def exit_code(findings: list[Finding], fail_on: str) -> int:
    return 1 if any(fails(finding, fail_on) for finding in findings) else 0


def run_pipeline(options: argparse.Namespace, steps: Steps) -> int:
    """`check` and `validate`: config -> plugins -> packs -> documents -> evaluate ->
    waivers -> report, the exit code from the findings (*steps* say what differs)."""
    day = options.as_of or today()
    config = find_repository(options)
    # Policies must compile: PolicyError is exit 2. A run that caches also remembers them.
    session = open_session(config, day, remember=steps.cache)
    chosen = outputs(options, session.formats)  # an unknown format is a usage error before any work
    targets = resolve_targets(options.paths, config.root)

    def publish(report: Report) -> None:
        emit(report, chosen, quiet=options.quiet, hints=options.hints)

    report = check_repository(session, targets, steps, publish)
    return exit_code(report.findings, options.fail_on or config.fail_on)
