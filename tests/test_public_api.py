"""Plugins use only the public API: ``tabard``, ``tabard.testing`` and ``tabard.models``.

Everything else under ``tabard`` is internal (docs/architecture.md, "Public API") and may move
or change in any release; a bundled or example plugin that reached into it would break with
the next refactor and teach plugin authors to do the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = ("tabard", "tabard.testing", "tabard.models")
PLUGIN_FILES = sorted(
    [*(ROOT / "plugins").glob("*.py"), *(ROOT / "docs" / "example-plugin").rglob("*.py")]
)


def _is_public(module: str) -> bool:
    """``tabard`` itself, or ``tabard.testing`` / ``tabard.models`` and their modules."""
    return module == "tabard" or any(
        module == name or module.startswith(f"{name}.") for name in PUBLIC[1:]
    )


def _tabard_imports(path: Path) -> list[tuple[int, str]]:
    """Every ``tabard...`` module the file imports, by line: statements and import_module."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return sorted((line, name) for line, name in found if name.split(".")[0] == "tabard")


def test_there_are_plugin_files_to_check() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in PLUGIN_FILES}
    assert {"plugins/gloucestershire.py", "docs/example-plugin/tabard_met/plugin.py"} <= names


@pytest.mark.parametrize("path", PLUGIN_FILES, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_plugins_import_only_the_public_api(path: Path) -> None:
    private = [
        f"line {line}: {name}" for line, name in _tabard_imports(path) if not _is_public(name)
    ]
    assert private == []


def test_the_check_finds_a_private_import(tmp_path: Path) -> None:
    plugin = tmp_path / "plugin.py"
    plugin.write_text(
        "from tabard import hookimpl\n"
        "from tabard.language.operators import Operator\n"
        "import tabard.testing\n"
        "import_module('tabard.run.session')\n",
        encoding="utf-8",
    )
    found = _tabard_imports(plugin)
    assert found == [
        (1, "tabard"),
        (2, "tabard.language.operators"),
        (3, "tabard.testing"),
        (4, "tabard.run.session"),
    ]
    assert [name for _, name in found if not _is_public(name)] == [
        "tabard.language.operators",
        "tabard.run.session",
    ]
