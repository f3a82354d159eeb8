"""A plugin cannot end the run green: SystemExit, KeyboardInterrupt and GeneratorExit from
plugin code, and generator hooks, are plugin errors (exit 2) naming the plugin and the hook
or operator.  A real Ctrl-C still ends the run with exit 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tabard.testing import Project
from tests.conftest import install_fake_distribution
from tests.test_plugins import (
    SHOUT_PACK,
    SHOUT_PLUGIN,
    _fails_with,
    _project,
)

_STOP = "a plugin may not stop tabard"
_HINT = "  hint: fix the plugin, or disable it with TABARD_DISABLE_PLUGINS={}"


def _hook(name: str, body: str, arguments: str = "") -> str:
    return f"import sys\nfrom tabard import hookimpl\n\n@hookimpl\ndef {name}({arguments}):\n{body}"


# --- at import -------------------------------------------------------------------------------


def test_sys_exit_at_import_of_a_local_plugin(tmp_path: Path) -> None:
    _fails_with(
        _project(tmp_path, {"quits.py": "import sys\nsys.exit(0)\n"}),
        f"tabard: error: plugin 'quits': failed to import ./quits.py: SystemExit: 0 ({_STOP})",
    )


def test_keyboard_interrupt_raised_at_import(tmp_path: Path) -> None:
    _fails_with(
        _project(tmp_path, {"stops.py": "raise KeyboardInterrupt\n"}),
        f"tabard: error: plugin 'stops': failed to import ./stops.py: KeyboardInterrupt ({_STOP})",
    )


# --- in a hook -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hook", "arguments", "body", "raised"),
    [
        ("tabard_add_operators", "", "    sys.exit(0)\n", "SystemExit: 0"),
        ("tabard_add_policies", "", "    sys.exit()\n", "SystemExit"),
        ("tabard_add_formats", "", "    raise KeyboardInterrupt\n", "KeyboardInterrupt"),
        ("tabard_configure", "config", "    raise GeneratorExit\n", "GeneratorExit"),
    ],
)
def test_stopping_inside_a_hook(
    tmp_path: Path, hook: str, arguments: str, body: str, raised: str
) -> None:
    _fails_with(
        _project(tmp_path, {"quits.py": _hook(hook, body, arguments)}),
        f"tabard: error: plugin 'quits': hook {hook} raised {raised} ({_STOP})",
    )


def test_generator_hook_that_raises_while_it_is_read(tmp_path: Path) -> None:
    plugin = _hook(
        "tabard_add_operators",
        "    yield from []\n    raise ValueError('no operators today')\n",
    )
    _fails_with(
        _project(tmp_path, {"lazy.py": plugin}),
        "tabard: error: plugin 'lazy': hook tabard_add_operators raised ValueError: "
        "no operators today",
    )


def test_generator_hook_that_exits_while_it_is_read(tmp_path: Path) -> None:
    plugin = _hook("tabard_add_policies", "    yield from []\n    sys.exit(0)\n")
    _fails_with(
        _project(tmp_path, {"lazy.py": plugin}),
        f"tabard: error: plugin 'lazy': hook tabard_add_policies raised SystemExit: 0 ({_STOP})",
    )


def test_generator_configure_hook_never_runs_and_says_so(tmp_path: Path) -> None:
    plugin = _hook("tabard_configure", "    yield\n    sys.exit(0)\n", "config")
    _fails_with(
        _project(tmp_path, {"lazy.py": plugin}),
        "tabard: error: plugin 'lazy': hook tabard_configure returned a generator, "
        "so its body never ran",
        "  hint: write it as a plain function (no yield, no async)",
    )


def test_hook_wrapper_is_refused(tmp_path: Path) -> None:
    plugin = (
        "from tabard import hookimpl\n\n@hookimpl(wrapper=True)\n"
        "def tabard_add_operators():\n    yield\n    return []\n"
    )
    _fails_with(
        _project(tmp_path, {"wraps.py": plugin}),
        "tabard: error: plugin 'wraps': hook tabard_add_operators is a hook wrapper; tabard's "
        "hooks are plain functions",
        "  hint: remove wrapper=True / hookwrapper=True from its @hookimpl",
    )


def test_format_that_exits(tmp_path: Path) -> None:
    plugin = _hook("tabard_add_formats", "    return {'quiet': lambda report: sys.exit(0)}\n")
    project = _project(tmp_path, {"fmt.py": plugin, "shout.py": SHOUT_PLUGIN})
    result = project.run("check", "--format", "quiet")
    assert (result.code, result.out) == (2, ""), result
    assert (
        result.err
        == f"tabard: error: plugin 'fmt': format 'quiet' raised SystemExit: 0 ({_STOP})\n"
    )


# --- in an operator, while a rule runs -------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "raised"),
    [
        ("sys.exit(0)", "SystemExit: 0"),
        ("sys.exit('done')", "SystemExit: done"),
        ("(_ for _ in ()).throw(KeyboardInterrupt())", "KeyboardInterrupt"),
        ("(_ for _ in ()).throw(GeneratorExit())", "GeneratorExit"),
    ],
)
def test_value_operator_that_stops(tmp_path: Path, call: str, raised: str) -> None:
    plugin = "import sys\n" + SHOUT_PLUGIN.replace("value.isupper() is argument", call)
    _fails_with(
        _project(tmp_path, {"quits.py": plugin}),
        "tabard: error: accounts/x/kent-x-main.yaml: plugin 'quits': operator 'shout' "
        f"raised {raised} ({_STOP}) (rule LOCAL-001)",
        _HINT.format("quits"),
    )


def test_document_operator_that_exits(tmp_path: Path) -> None:
    plugin = (
        "import sys\nfrom tabard import OperatorSpec, hookimpl\n\n@hookimpl\n"
        "def tabard_add_operators():\n"
        "    return [OperatorSpec('whole', lambda document, argument: sys.exit(0), 'document',"
        " {'type': 'boolean'})]\n"
    )
    pack = SHOUT_PACK.replace("{field: handle, shout: true}", "{whole: true}")
    _fails_with(
        _project(tmp_path, {"quits.py": plugin}, pack),
        "tabard: error: accounts/x/kent-x-main.yaml: plugin 'quits': operator 'whole' "
        f"raised SystemExit: 0 ({_STOP}) (rule LOCAL-001)",
        _HINT.format("quits"),
    )


def test_value_operator_that_is_a_generator_function(tmp_path: Path) -> None:
    plugin = SHOUT_PLUGIN.replace(
        "lambda value, argument: value.isupper() is argument", "lambda value, argument: (yield)"
    )
    result = _project(tmp_path, {"gen.py": plugin}).run("check")
    assert result.code == 2, result
    assert result.err.startswith(
        "tabard: error: accounts/x/kent-x-main.yaml: plugin 'gen': operator 'shout' returned "
        "<generator object"
    ), result


# --- installed plugins -----------------------------------------------------------------------


def test_installed_plugin_that_exits_at_import(site: Path, tmp_path: Path) -> None:
    install_fake_distribution(site, "kent-quits", "kent_quits_import", "raise SystemExit(0)\n")
    result = Project(tmp_path).write({}).run("check")  # write() gives it a tabard.yaml
    assert (result.code, result.out) == (2, ""), result
    assert result.err == (
        "tabard: error: plugin 'kent-quits': failed to import kent_quits_import: "
        f"SystemExit: 0 ({_STOP})\n" + _HINT.format("kent-quits") + "\n"
    ), result


def test_installed_plugin_that_exits_in_a_hook(site: Path, tmp_path: Path) -> None:
    install_fake_distribution(
        site, "kent-quits", "kent_quits_hook", _hook("tabard_add_operators", "    sys.exit(0)\n")
    )
    result = Project(tmp_path).write({}).run("check")
    assert (result.code, result.out) == (2, ""), result
    assert result.err == (
        f"tabard: error: plugin 'kent-quits': hook tabard_add_operators raised SystemExit: 0 "
        f"({_STOP})\n"
    ), result


def test_installed_plugin_operator_that_exits(site: Path, tmp_path: Path) -> None:
    plugin = "import sys\n" + SHOUT_PLUGIN.replace("value.isupper() is argument", "sys.exit(0)")
    install_fake_distribution(site, "kent-quits", "kent_quits_operator", plugin)
    project = _project(tmp_path, {})
    result = project.run("check")
    assert (result.code, result.out) == (2, ""), result
    assert result.err == (
        "tabard: error: accounts/x/kent-x-main.yaml: plugin 'kent-quits': operator 'shout' "
        f"raised SystemExit: 0 ({_STOP}) (rule LOCAL-001)\n" + _HINT.format("kent-quits") + "\n"
    ), result


# --- a real Ctrl-C ---------------------------------------------------------------------------

_SLOW_OPERATOR = """\
import pathlib, time
from tabard import OperatorSpec, hookimpl

def slow(value, argument):
    pathlib.Path("started").write_text("yes")
    time.sleep(60)
    return True

@hookimpl
def tabard_add_operators():
    return [OperatorSpec("shout", slow, "value", {"type": "boolean"})]
"""


def _default_sigint() -> None:
    # A test runner started in the background may ignore SIGINT; tabard's user does not.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_real_ctrl_c_inside_plugin_code_still_interrupts(tmp_path: Path) -> None:
    _project(tmp_path, {"slow.py": _SLOW_OPERATOR})
    child = subprocess.Popen(
        [sys.executable, "-m", "tabard", "check", "--as-of", "2026-11-24"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TABARD_DISABLE_PLUGIN_AUTOLOAD": "1"},
        preexec_fn=_default_sigint,
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "started").exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert (child.returncode, out, err) == (130, "", "tabard: interrupted\n")
