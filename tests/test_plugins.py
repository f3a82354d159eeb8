"""The plugin system: discovery, switches, and every way a plugin can fail (exit 2)."""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import pytest

from tabard.extend import hookspecs
from tabard.testing import Project
from tests.conftest import install_fake_distribution

ACCOUNT = """\
apiVersion: tabard/v1
kind: Account
id: {id}
force: {force}
platform: x
handle: "{handle}"
display_name: {name}
account_type: corporate
lifecycle: {{status: active}}
"""

SHOUT_PACK = """\
apiVersion: tabard/v1
kind: Policy
name: local
rules:
  - id: LOCAL-001
    title: Handles shout
    severity: error
    assert: {field: handle, shout: true}
    message: "{id}: handle is not in capitals"
"""

PRESENT_PACK = SHOUT_PACK.replace("shout: true", "present: true")

SHOUT_PLUGIN = """\
from tabard import OperatorSpec, hookimpl

@hookimpl
def tabard_add_operators():
    return [OperatorSpec("shout", lambda value, argument: value.isupper() is argument,
                         "value", {"type": "boolean"})]
"""


def _project(tmp_path: Path, plugins: dict[str, str], pack: str = SHOUT_PACK) -> Project:
    local = ", ".join(f"./{name}" for name in plugins if name.endswith(".py"))
    return Project(tmp_path).write(
        {
            "tabard.yaml": "apiVersion: tabard/v1\nkind: Config\npolicies: [./policies]\n"
            f"plugins: {{local: [{local}]}}\n",
            "policies/local.yaml": pack,
            "accounts/x/kent-x-main.yaml": ACCOUNT.format(
                id="kent-x-main", force="kent", handle="@kent_police", name="Kent Police"
            ),
            **plugins,
        }
    )


def _fails_with(project: Project, *lines: str) -> None:
    result = project.run("check")
    assert result.code == 2, result
    assert result.out == "", result
    assert result.err == "".join(line + "\n" for line in lines), result


def test_local_plugin_adds_an_operator(tmp_path: Path) -> None:
    result = _project(tmp_path, {"shout.py": SHOUT_PLUGIN}).run("check", "--as-of", "2026-11-24")
    assert result.code == 1, result
    assert (
        result.out == "accounts/x/kent-x-main.yaml:6:9: LOCAL-001 error kent-x-main: "
        "handle is not in capitals\n"
    )


def test_plugin_that_fails_to_import(tmp_path: Path) -> None:
    project = _project(tmp_path, {"broken.py": "import not_a_module_anywhere\n"})
    _fails_with(
        project,
        "tabard: error: plugin 'broken': failed to import ./broken.py: "
        "ModuleNotFoundError: No module named 'not_a_module_anywhere'",
    )


def test_misspelt_hook(tmp_path: Path) -> None:
    plugin = (
        "from tabard import hookimpl\n\n@hookimpl\ndef tabard_add_operatorz():\n    return []\n"
    )
    _fails_with(
        _project(tmp_path, {"typo.py": plugin}),
        "tabard: error: plugin 'typo': unknown hook 'tabard_add_operatorz'",
        "  hint: did you mean 'tabard_add_operators'? the hooks are tabard_add_operators, "
        "tabard_add_policies, tabard_add_formats, tabard_configure",
    )


def test_hook_with_an_unknown_argument(tmp_path: Path) -> None:
    plugin = (
        "from tabard import hookimpl\n\n@hookimpl\ndef tabard_add_operators(config):\n"
        "    return []\n"
    )
    result = _project(tmp_path, {"args.py": plugin}).run("check")
    assert result.code == 2, result
    assert result.err.startswith("tabard: error: plugin 'args': "), result
    assert "tabard_add_operators(config)" in result.err
    assert "{'config'}" in result.err


def test_two_plugins_register_one_operator(tmp_path: Path) -> None:
    _fails_with(
        _project(tmp_path, {"first.py": SHOUT_PLUGIN, "second.py": SHOUT_PLUGIN}),
        "tabard: error: plugin 'second': operator 'shout' is also registered by plugin 'first'",
    )


def test_plugin_may_not_replace_a_builtin_operator(tmp_path: Path) -> None:
    plugin = SHOUT_PLUGIN.replace('"shout"', '"matches"')
    _fails_with(
        _project(tmp_path, {"clash.py": plugin}),
        "tabard: error: plugin 'clash': operator 'matches' is built into tabard",
    )


def test_hook_returns_the_wrong_type(tmp_path: Path) -> None:
    plugin = (
        "from tabard import hookimpl\n\n@hookimpl\ndef tabard_add_operators():\n"
        "    return 'shout'\n"
    )
    _fails_with(
        _project(tmp_path, {"wrong.py": plugin}),
        "tabard: error: plugin 'wrong': tabard_add_operators returned str; expected a "
        "list of OperatorSpec objects",
    )


def test_hook_raises(tmp_path: Path) -> None:
    plugin = (
        "from tabard import hookimpl\n\n@hookimpl\ndef tabard_configure(config):\n"
        "    raise KeyError('x-shout')\n"
    )
    _fails_with(
        _project(tmp_path, {"raises.py": plugin}),
        "tabard: error: plugin 'raises': hook tabard_configure raised KeyError: 'x-shout'",
    )


def test_operator_raises_while_a_rule_runs(tmp_path: Path) -> None:
    plugin = SHOUT_PLUGIN.replace("value.isupper() is argument", "1 / 0")
    _fails_with(
        _project(tmp_path, {"crash.py": plugin}),
        "tabard: error: accounts/x/kent-x-main.yaml: plugin 'crash': operator 'shout' "
        "raised ZeroDivisionError: division by zero (rule LOCAL-001)",
        "  hint: fix the plugin, or disable it with TABARD_DISABLE_PLUGINS=crash",
    )


def test_operator_returns_the_wrong_type(tmp_path: Path) -> None:
    plugin = SHOUT_PLUGIN.replace("value.isupper() is argument", "'yes'")
    _fails_with(
        _project(tmp_path, {"odd.py": plugin}),
        "tabard: error: accounts/x/kent-x-main.yaml: plugin 'odd': operator 'shout' "
        "returned 'yes'; a value operator must return True or False (rule LOCAL-001)",
        "  hint: fix the plugin, or disable it with TABARD_DISABLE_PLUGINS=odd",
    )


def test_operator_argument_checked_against_its_schema(tmp_path: Path) -> None:
    pack = SHOUT_PACK.replace("shout: true", "shout: loudly")
    _fails_with(
        _project(tmp_path, {"shout.py": SHOUT_PLUGIN}, pack),
        'tabard: error: policies/local.yaml:8:36: rule LOCAL-001: shout: "loudly" is not '
        'of type "boolean"',
    )


def test_invalid_argument_schema(tmp_path: Path) -> None:
    plugin = SHOUT_PLUGIN.replace('{"type": "boolean"}', '{"type": "bool"}')
    result = _project(tmp_path, {"schema.py": plugin}).run("check")
    assert result.code == 2, result
    assert result.err.startswith(
        "tabard: error: plugin 'schema': operator 'shout' has an invalid argument_schema: "
    ), result


PACK_PLUGIN = """\
from pathlib import Path
from tabard import hookimpl

@hookimpl
def tabard_add_policies():
    return [Path(__file__).with_name("{pack}")]
"""

PLUGIN_RULE = """\
apiVersion: tabard/v1
kind: Policy
name: {name}
rules:
  - id: {id}
    title: Kent corporate handle
    severity: error
{forces}    assert: {{field: handle, equals: "@kent_police"}}
"""


def _pack_plugin(
    tmp_path: Path, name: str, rule_id: str, forces: str = "    forces: [kent]\n"
) -> dict[str, str]:
    return {
        f"{name}.py": PACK_PLUGIN.format(pack=f"{name}.yaml"),
        f"{name}.yaml": PLUGIN_RULE.format(name=name, id=rule_id, forces=forces),
    }


def test_invalid_pack_names_the_plugin(tmp_path: Path) -> None:
    files = _pack_plugin(tmp_path, "kent", "KENT-001")
    files["kent.yaml"] = files["kent.yaml"].replace("severity: error", "severity: fatal")
    project = _project(tmp_path, files, PRESENT_PACK)
    result = project.run("check")
    assert result.code == 2, result
    assert result.err == (
        f"tabard: error: {tmp_path / 'kent.yaml'}:7:15: plugin 'kent': "
        'rules[0].severity: "fatal" is not one of "error", "warning" or '
        '"info"\n'
    ), result


def test_plugin_rules_must_name_their_forces(tmp_path: Path) -> None:
    project = _project(
        tmp_path, _pack_plugin(tmp_path, "kent", "KENT-001", forces=""), PRESENT_PACK
    )
    _fails_with(
        project,
        f"tabard: error: {tmp_path / 'kent.yaml'}:5:5: plugin 'kent': rule "
        "KENT-001 must name the forces it applies to (forces: [...])",
    )


def test_plugin_may_not_use_a_national_prefix(tmp_path: Path) -> None:
    project = _project(tmp_path, _pack_plugin(tmp_path, "kent", "ACC-900"), PRESENT_PACK)
    _fails_with(
        project,
        f"tabard: error: {tmp_path / 'kent.yaml'}:5:5: plugin 'kent': rule "
        "ACC-900 uses the national prefix ACC",
        "  hint: a force plugin uses its own prefix, e.g. GLOS-DOG-001",
    )


def test_two_plugins_may_not_share_a_prefix(tmp_path: Path) -> None:
    files = {
        **_pack_plugin(tmp_path, "kent", "KENT-001"),
        **_pack_plugin(tmp_path, "kent2", "KENT-002"),
    }
    _fails_with(
        _project(tmp_path, files, PRESENT_PACK),
        f"tabard: error: {tmp_path / 'kent2.yaml'}:5:5: plugin 'kent2': rule KENT-002 "
        "uses the prefix KENT of plugin 'kent'",
    )


def test_plugin_rules_apply_only_to_their_forces(tmp_path: Path) -> None:
    files = _pack_plugin(tmp_path, "kent", "KENT-001")
    project = _project(tmp_path, files, PRESENT_PACK).write(
        {
            "accounts/x/kent-x-other.yaml": ACCOUNT.format(
                id="kent-x-other", force="kent", handle="@kentpolice", name="Kent"
            ),
            "accounts/x/essex-x-other.yaml": ACCOUNT.format(
                id="essex-x-other", force="essex", handle="@essexpolice", name="Essex"
            ),
        }
    )
    result = project.check()
    assert result.code == 1, result
    assert [(f["rule"], f["document"]) for f in result.findings] == [("KENT-001", "kent-x-other")]


def test_plugin_adds_an_output_format(tmp_path: Path) -> None:
    plugin = (
        "from tabard import hookimpl\n\n@hookimpl\ndef tabard_add_formats():\n"
        "    return {'count': lambda report: f'{len(report.findings)} findings\\n'}\n"
    )
    result = _project(tmp_path, {"fmt.py": plugin, "shout.py": SHOUT_PLUGIN}).run(
        "check", "--format", "count"
    )
    assert (result.code, result.out) == (1, "1 findings\n"), result


def test_plugin_format_may_not_replace_a_builtin(tmp_path: Path) -> None:
    plugin = (
        "from tabard import hookimpl\n\n@hookimpl\ndef tabard_add_formats():\n"
        "    return {'json': lambda report: ''}\n"
    )
    _fails_with(
        _project(tmp_path, {"fmt.py": plugin}),
        "tabard: error: plugin 'fmt': format 'json' is built into tabard",
    )


def test_configure_receives_the_x_settings(tmp_path: Path) -> None:
    plugin = (
        "from tabard import hookimpl\n\n@hookimpl\ndef tabard_configure(config):\n"
        "    print('settings', dict(config.settings), config.today)\n"
    )
    project = _project(tmp_path, {"conf.py": plugin})
    project.write(
        {
            "tabard.yaml": "apiVersion: tabard/v1\nkind: Config\npolicies: []\n"
            "plugins: {local: [./conf.py]}\nx-conf: {loud: true}\n"
        }
    )
    result = project.run("check", "--as-of", "2026-11-24")
    assert result.out == "settings {'x-conf': {'loud': True}} 2026-11-24\n", result


def test_local_plugin_file_missing(tmp_path: Path) -> None:
    project = _project(tmp_path, {})
    project.write(
        {"tabard.yaml": "apiVersion: tabard/v1\nkind: Config\nplugins: {local: [./nowhere.py]}\n"}
    )
    _fails_with(
        project, "tabard: error: tabard.yaml:3:19: local plugin './nowhere.py' does not exist"
    )


# --- installed plugins ---------------------------------------------------------------------


def test_entry_point_plugin_is_discovered(site: Path, tmp_path: Path) -> None:
    install_fake_distribution(site, "kent-shout", "kent_shout", SHOUT_PLUGIN)
    result = Project(tmp_path).run("plugins")
    assert result.code == 0, result
    assert (
        "kent-shout 1.2.3 (kent_shout)\n  hooks:     tabard_add_operators\n"
        "  operators: shout\n" in result.out
    )


def test_entry_point_that_fails_to_import(site: Path, tmp_path: Path) -> None:
    install_fake_distribution(site, "kent-broken", "kent_broken", "raise ImportError('no')\n")
    result = Project(tmp_path).write({}).run("check")
    assert result.code == 2, result
    assert result.err == (
        "tabard: error: plugin 'kent-broken': failed to import kent_broken: "
        "ImportError: no\n  hint: fix the plugin, or disable it with "
        "TABARD_DISABLE_PLUGINS=kent-broken\n"
    ), result


def test_disabled_plugin_is_not_imported(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_fake_distribution(site, "kent-broken", "kent_broken", "raise ImportError('no')\n")
    monkeypatch.setenv("TABARD_DISABLE_PLUGINS", "kent-broken, staffordshire")
    result = Project(tmp_path).run("plugins")
    assert result.code == 0, result
    assert "kent-broken" not in result.out
    assert "staffordshire" not in result.out
    assert "gloucestershire" in result.out


def test_config_can_disable_a_plugin(site: Path, tmp_path: Path) -> None:
    project = Project(tmp_path).write(
        {
            "tabard.yaml": "apiVersion: tabard/v1\nkind: Config\n"
            "plugins: {disable: [gloucestershire]}\n"
        }
    )
    result = project.run("plugins")
    assert "gloucestershire" not in result.out, result
    assert "staffordshire" in result.out


def test_autoload_can_be_switched_off(tmp_path: Path) -> None:
    result = Project(tmp_path).run("plugins")
    assert (result.code, result.out) == (0, "no plugins loaded\n"), result


def test_tracing_shows_hook_calls(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TABARD_TRACE_PLUGINS", "1")
    result = Project(tmp_path).run("plugins")
    assert "tabard plugins:   tabard_add_operators [hook]" in result.err, result
    assert "tabard plugins:   finish tabard_add_policies --> " in result.err


def test_bundled_plugins_are_listed(site: Path, tmp_path: Path) -> None:
    result = Project(tmp_path).run("plugins")
    assert result.code == 0, result
    assert (
        "gloucestershire 0.1.0 (tabard.plugins.gloucestershire)\n"
        "  hooks:     tabard_add_operators, tabard_add_policies\n"
        "  operators: dog_account\n"
        "  formats:   -\n"
        "  rules:     GLOS-DOG-001 (gloucestershire), GLOS-DOG-002 (gloucestershire)\n"
    ) in result.out


# --- the documentation stays true ----------------------------------------------------------


def test_every_hook_is_documented_with_its_signature() -> None:
    text = (Path(__file__).parents[1] / "docs" / "plugins.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^### `(tabard_\w+)\(([^)]*)\)`$", text, re.MULTILINE))
    specs = {
        name: ", ".join(inspect.signature(function).parameters)
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("tabard_")
    }
    assert documented == specs


def test_public_api_imports_lazily() -> None:
    import subprocess

    code = (
        "import sys, tabard; assert 'pluggy' not in sys.modules; "
        "from tabard import hookimpl, OperatorSpec, Violation; assert 'pluggy' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
