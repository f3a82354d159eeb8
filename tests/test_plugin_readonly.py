"""Plugins get read-only data: an operator cannot change what later rules see."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from tabard.readonly import ReadOnlyList, ReadOnlyMapping, readonly
from tabard.testing import Project
from tests.test_plugins import _fails_with, _project

_HINT = "  hint: fix the plugin, or disable it with TABARD_DISABLE_PLUGINS=meddle"

#: LOCAL-001 runs the plugin's operator; LOCAL-002, after it, reports the handle.
_PACK = """\
apiVersion: tabard/v1
kind: Policy
name: local
rules:
  - id: LOCAL-001
    title: The plugin's operator
    severity: error
    assert: CONDITION
    message: "{id}: the plugin says no"
  - id: LOCAL-002
    title: Handle reported
    severity: error
    assert: {field: handle, equals: "@nobody"}
    message: "{id}: handle {value}"
"""

_PLUGIN = """\
from tabard import OperatorSpec, hookimpl

def meddle(*arguments):
    BODY
    return True

@hookimpl
def tabard_add_operators():
    return [OperatorSpec("meddle", meddle, "SCOPE", {})]
"""


def _meddling(tmp_path: Path, scope: str, body: str, condition: str) -> Project:
    plugin = _PLUGIN.replace("SCOPE", scope).replace("BODY", body)
    pack = _PACK.replace("CONDITION", condition)
    return _project(tmp_path, {"meddle.py": plugin}, pack)


@pytest.mark.parametrize(
    ("scope", "body", "condition", "raised"),
    [
        pytest.param(
            "document",
            "arguments[0]['handle'] = '@changed'",
            "{meddle: true}",
            "TypeError: 'ReadOnlyMapping' object does not support item assignment",
            id="document-key",
        ),
        pytest.param(
            "document",
            "arguments[0]['lifecycle']['status'] = 'closed'",
            "{meddle: true}",
            "TypeError: 'ReadOnlyMapping' object does not support item assignment",
            id="document-nested",
        ),
        pytest.param(
            "document",
            "del arguments[0]['handle']",
            "{meddle: true}",
            "TypeError: 'ReadOnlyMapping' object does not support item deletion",
            id="document-delete",
        ),
        pytest.param(
            "value",
            "arguments[0]['status'] = 'closed'",
            "{field: lifecycle, meddle: true}",
            "TypeError: 'ReadOnlyMapping' object does not support item assignment",
            id="value-mapping",
        ),
        pytest.param(
            "value",
            "arguments[1].append('@changed')",
            "{field: handle, meddle: ['@kent_police']}",
            "AttributeError: 'ReadOnlyList' object has no attribute 'append'",
            id="value-argument",
        ),
        pytest.param(
            "collection",
            "arguments[2].document('Account', 'kent-x-main')['handle'] = '@changed'",
            "{meddle: true}",
            "TypeError: 'ReadOnlyMapping' object does not support item assignment",
            id="collection-view",
        ),
        pytest.param(
            "collection",
            "arguments[2].documents('Account')[0]['handle'] = '@changed'",
            "{meddle: true}",
            "TypeError: 'ReadOnlyMapping' object does not support item assignment",
            id="collection-documents",
        ),
    ],
)
def test_plugin_cannot_change_a_document(
    tmp_path: Path, scope: str, body: str, condition: str, raised: str
) -> None:
    _fails_with(
        _meddling(tmp_path, scope, body, condition),
        "tabard: error: accounts/x/kent-x-main.yaml: plugin 'meddle': operator 'meddle' "
        f"raised {raised} (rule LOCAL-001)",
        _HINT,
    )


def test_plugin_reads_documents_through_the_mapping_api(tmp_path: Path) -> None:
    body = (
        "document, argument, repository = arguments\n"
        "    assert document.get('lifecycle') == {'status': 'active'}\n"
        "    assert document['lifecycle'].get('status') == 'active'\n"
        "    assert dict(document)['handle'] == '@kent_police'\n"
        "    assert argument == {'names': ['Kent Police']}\n"
        "    assert argument['names'][0] == 'Kent Police'\n"
        "    assert [d['id'] for d in repository.documents('Account')] == ['kent-x-main']\n"
        "    assert repository.force_document('Force', 'kent') is None"
    )
    project = _meddling(tmp_path, "collection", body, "{meddle: {names: [Kent Police]}}")
    result = project.run("check", "--as-of", "2026-11-24")
    assert result.code == 1, result
    assert result.out == (
        "accounts/x/kent-x-main.yaml:6:9: LOCAL-002 error kent-x-main: handle '@kent_police'\n"
    ), result


def test_configure_settings_are_read_only(tmp_path: Path) -> None:
    plugin = (
        "from tabard import hookimpl\n\n@hookimpl\ndef tabard_configure(config):\n"
        "    config.settings['x-conf']['loud'] = False\n"
    )
    project = _project(tmp_path, {"conf.py": plugin})
    project.write(
        {
            "tabard.yaml": "apiVersion: tabard/v1\nkind: Config\npolicies: []\n"
            "plugins: {local: [./conf.py]}\nx-conf: {loud: true}\n"
        }
    )
    _fails_with(
        project,
        "tabard: error: plugin 'conf': hook tabard_configure raised TypeError: "
        "'ReadOnlyMapping' object does not support item assignment",
    )


# --- the views themselves ---------------------------------------------------------------------


def test_views_wrap_lazily_and_compare_like_the_data() -> None:
    data = {"handle": "@x", "operators": [{"name": "A"}], "n": 1}
    view = readonly(data)
    assert isinstance(view, Mapping)
    assert not isinstance(view, dict)
    assert view == data
    assert repr(view) == repr(data)
    assert sorted(view) == ["handle", "n", "operators"]
    operators = view["operators"]
    assert isinstance(operators, ReadOnlyList)
    assert isinstance(operators, Sequence)
    assert operators == [{"name": "A"}]
    assert {"name": "A"} in operators
    assert isinstance(operators[0], ReadOnlyMapping)
    assert isinstance(operators[:1], ReadOnlyList)
    assert [item["name"] for item in operators] == ["A"]
    assert view.get("missing", 5) == 5
    assert readonly("text") == "text"
    assert readonly(3) == 3


def test_views_refuse_changes() -> None:
    view = readonly({"list": [1, 2]})
    with pytest.raises(TypeError):
        view["new"] = 1  # type: ignore[index]
    with pytest.raises(AttributeError):
        view["list"].append(3)
    with pytest.raises(TypeError):
        view["list"][0] = 5
    with pytest.raises(TypeError):
        hash(view)
