"""`tabard test [PATHS…]`: run the policy tests (kind: PolicyTest) of a repository."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tabard.commands.common import as_of, find_repository, resolve_targets, today
from tabard.documents.discovery import discover
from tabard.documents.globs import compile_globs
from tabard.errors import PolicyError, Problem, UsageError
from tabard.run.policy_tests import read_test_file, rules_under_test, run_case, suites
from tabard.run.session import open_session
from tabard.run.test_results import TEST_FORMATS


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "test",
        help="run the policy tests (kind: PolicyTest) of the repository",
        description="Run every PolicyTest document under PATHS (default: the repository): "
        "each case's inline documents are checked with the policies in use and the findings "
        "of the packs under test are compared with the case's `expect`.",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--config", type=Path, metavar="FILE")
    parser.add_argument(
        "--as-of", type=as_of, metavar="YYYY-MM-DD", help="today, for cases without their own as_of"
    )
    parser.add_argument(
        "--format",
        choices=sorted(TEST_FORMATS),
        default="text",
        help="text (default), json, or junit for CI test pages",
    )
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the results to FILE")
    parser.set_defaults(run=run)


def run(options: argparse.Namespace) -> int:
    day = options.as_of or today()
    config = find_repository(options)
    session = open_session(config, day)
    targets = resolve_targets(options.paths, config.root)
    found = discover(config.root, compile_globs(config.exclude))
    unseen = [path for path in found.problems if targets(path) or targets(path + "/")]
    if unseen:
        # A folder or file tabard cannot read may hold tests: never skip them silently.
        raise PolicyError([Problem(found.problems[path], path) for path in unseen])
    results = []
    for file in (f for f in found.files if targets(f)):
        raw = read_test_file(config.root, file, file in found.links)
        if b"PolicyTest" not in raw:
            continue
        for loaded in suites(raw, file):
            under_test = rules_under_test(session, loaded.data, file, loaded)
            results += [
                run_case(session, loaded, index, file, under_test, day)
                for index in range(len(loaded.data["cases"]))
            ]
    rendered = TEST_FORMATS[options.format](results)
    if options.output is not None:
        try:
            options.output.write_text(rendered, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {options.output}: {error.strerror}") from None
    else:
        sys.stdout.write(rendered)
    failed = sum(1 for result in results if not result.passed)
    print(
        f"tabard: {len(results)} case{'s' if len(results) != 1 else ''}, {failed} failed",
        file=sys.stderr,
    )
    return 1 if failed else 0
