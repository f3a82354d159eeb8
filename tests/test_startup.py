"""Small runs stay small: a check imports only what a check needs.

A pre-commit hook pays tabard's start-up on every commit, so these tests pin what a
`tabard check` of a fresh repository leaves out of ``sys.modules``: the other commands,
the national report and its HTML templates, the other output formats.  No timing: a
module that is not imported costs nothing on any machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tabard.cli import main

#: Modules a `tabard check` with the text format has no use for.
NOT_FOR_A_CHECK = (
    "tabard.commands.explain",
    "tabard.commands.init",
    "tabard.commands.plugins",
    "tabard.commands.report",
    "tabard.commands.rules",
    "tabard.commands.schema",
    "tabard.commands.test",
    "tabard.commands.validate",
    "tabard.national",
    "tabard.models",
    "tabard.policy.rule_docs",
    "tabard.run.test_results",
    "tabard.run.policy_tests",
    "tabard.run.in_memory",
    "tabard.report.json_format",
    "tabard.report.sarif",
    "tabard.report.junit",
    "tabard.report.github",
    "tabard.report.gitlab",
    "tabard.report.markdown",
    "jinja2",
    "pydantic",
    "xml.etree",
    # tabard's data folders are found without it (documents/packaged.py), and installed
    # plugins through the memo (tests/test_plugin_memo.py pins that).
    "importlib.resources",
    "importlib.metadata",
    # Only a full check of more than one batch of accounts forks a parse worker.
    "pickle",
    "threading",
    # Only a mistake is given a "did you mean" suggestion.
    "difflib",
    # (zoneinfo is left out only before 22:00 UTC: tests/test_uk_date.py.)
)

#: Modules a check of policies the policy memo remembers has no use for.
NOT_FOR_A_REMEMBERED_CHECK = ("tabard.language.path_check", "tabard.language.schema_paths")


def _probe(argv: list[str], cwd: Path, then: str) -> str:
    """Run `tabard ARGV` in a fresh process, then print *then* (an expression that may
    use ``code``, the exit code); what it printed."""
    probe = f"import sys\nfrom tabard.cli import main\ncode = main({argv!r})\nprint({then})\n"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=cwd
    )
    return result.stdout.splitlines()[-1]


def _imported_by(argv: list[str], cwd: Path) -> str:
    """`tabard ARGV`'s exit code and the modules of NOT_FOR_A_CHECK it imports."""
    return _probe(argv, cwd, f"code, sorted(m for m in {NOT_FOR_A_CHECK!r} if m in sys.modules)")


def _fresh_repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    assert main(["init", "--force", "gloucestershire", str(root)]) == 0
    return root


def test_a_check_of_a_fresh_repository_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    root = _fresh_repository(tmp_path)
    assert _imported_by(["check", "--quiet"], root) == "0 []"


def test_a_traceback_option_before_the_command_still_imports_only_the_check(
    tmp_path: Path,
) -> None:
    root = _fresh_repository(tmp_path)
    assert _imported_by(["--traceback", "check", "--quiet"], root) == "0 []"


def test_version_imports_no_command(tmp_path: Path) -> None:
    then = "sorted(m for m in sys.modules if m.startswith('tabard.commands'))"
    assert _probe(["--version"], tmp_path, then) == "[]"


def test_a_clean_check_never_compiles_the_secret_value_pattern(tmp_path: Path) -> None:
    # About 13 million instructions, needed only for a document that holds one of the
    # pattern's anchors; the operator tests show it is compiled, and finds, when it is.
    root = _fresh_repository(tmp_path)
    then = (
        "code, sys.modules['tabard.language.operators.secrets']._secret_value.cache_info().currsize"
    )
    assert _probe(["check", "--quiet"], root, then) == "0 0"


def test_the_command_leaves_its_objects_out_of_the_exit_collection(tmp_path: Path) -> None:
    # The interpreter's exit would scan every object a check left alive (about 37
    # million instructions); `python -m tabard` and the console script freeze them first.
    root = _fresh_repository(tmp_path)
    probe = (
        "import atexit, gc, runpy, sys\n"
        "sys.argv = ['tabard', 'check', '--quiet']\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        "runpy.run_module('tabard', run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=root, check=False
    )
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "frozen True")


def test_the_console_script_is_the_command_that_freezes() -> None:
    pyproject = Path(__file__).parent.parent / "pyproject.toml"
    assert 'tabard = "tabard.cli:script"' in pyproject.read_text(encoding="utf-8").splitlines()


#: The dataclasses a check may define: callers may hand these to `dataclasses`
#: functions (the plugin API, findings) or copy them with `replace()`.
DATACLASSES_KEPT = [
    "tabard.extend.api.OperatorSpec",
    "tabard.extend.api.PluginConfig",
    "tabard.extend.api.Violation",
    "tabard.findings.Finding",
]


def test_a_check_compiles_no_other_dataclass(tmp_path: Path) -> None:
    # A dataclass writes and compiles its methods when its module is imported (about 3.4
    # million instructions a class); the others are `record.Record`s or plain classes.
    root = _fresh_repository(tmp_path)
    then = (
        "code, sorted(f'{name}.{k}' for name, module in list(sys.modules.items())"
        " if name.startswith('tabard') for k, v in vars(module).items()"
        " if isinstance(v, type) and v.__module__ == name"
        " and hasattr(v, '__dataclass_fields__'))"
    )
    assert _probe(["check", "--quiet"], root, then) == f"0 {DATACLASSES_KEPT!r}"


def test_a_check_of_remembered_policies_does_not_load_the_path_checker(tmp_path: Path) -> None:
    root = _fresh_repository(tmp_path)
    then = f"code, sorted(m for m in {NOT_FOR_A_REMEMBERED_CHECK!r} if m in sys.modules)"
    # The first check checks the policies' paths and remembers them; the next does not.
    assert _probe(["check", "--quiet"], root, then) == f"0 {sorted(NOT_FOR_A_REMEMBERED_CHECK)!r}"
    assert _probe(["check", "--quiet"], root, then) == "0 []"
