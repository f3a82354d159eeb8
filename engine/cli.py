"""Command line: ``main(argv) -> exit code``.

Exit codes (design §4.1): 0 nothing at or above ``fail_on``; 1 findings at or
above it; 2 usage, config, policy or plugin error; 3 internal error (a bug).
Imports stay inside functions so that ``tabard --version`` starts in a few
milliseconds.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from tabard._version import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--version"]:  # the hot path: no parser, no imports
        print(f"tabard {__version__}")
        return EXIT_OK
    import gc

    # A run builds millions of small, acyclic containers (documents, findings), and
    # importing a command builds tens of thousands (code objects, classes): with the
    # default thresholds the cyclic collector scans them over and over, about 7% of a
    # large check and 2% of a small one.  Collections still happen, just far less often.
    # Put back what we found on the way out: `tabard.testing` runs the CLI inside the
    # caller's own process, which must not inherit our thresholds.
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        from tabard.commands import build_parser

        parser = build_parser(arguments)
        try:
            options = parser.parse_args(arguments)
        except SystemExit as stop:  # argparse has printed its usage message
            return int(stop.code or 0)
        return _run(options)
    finally:
        gc.set_threshold(*thresholds)


def _run(options: object) -> int:
    from tabard import interrupts
    from tabard.errors import TabardError

    try:
        with interrupts.watching():
            code: int = options.run(options)  # type: ignore[attr-defined]
        return code
    except TabardError as error:
        for problem in error.problems:
            print(problem.render(), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("tabard: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`tabard check | head`); nothing more to say.
        sys.stderr.close()
        return EXIT_FINDINGS
    except BaseException as error:  # SystemExit too: tabard's commands return, never exit
        _report_bug(error, full=getattr(options, "traceback", False))
        return EXIT_INTERNAL


def _report_bug(error: BaseException, *, full: bool) -> None:
    import traceback

    print(f"tabard: internal error: {type(error).__name__}: {error}", file=sys.stderr)
    frames = traceback.extract_tb(error.__traceback__)
    shown = frames if full else frames[-3:]
    print("".join(traceback.format_list(shown)).rstrip(), file=sys.stderr)
    print(
        f"this is a bug in tabard {__version__}; please report it with this output"
        + ("" if full else " (run again with --traceback for the full traceback)"),
        file=sys.stderr,
    )


def script() -> int:
    """The `tabard` command itself (the console script and ``python -m tabard``).

    The interpreter's exit runs the cyclic collector over every object still alive,
    once before the modules are cleared and twice as they are: about 37 million
    instructions after a check, 5% of a check of a fresh repository, to find garbage
    that only a finaliser could care about.  tabard's own objects need none (files are
    closed by ``with``, the parse worker reaped, the output flushed before the
    interpreter's collection), so the process's objects are frozen out of the
    collector's view once the command has returned.  Only here: :func:`main` also runs
    inside other programs (``tabard.testing``, the tests), which must keep their
    collector as it was.
    """
    code = main()
    import gc

    gc.freeze()
    return code
