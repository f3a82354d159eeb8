"""Plugin operators: an ``OperatorSpec`` checked and turned into a language ``Operator``.

Plugin code runs on read-only views; whatever it raises or returns that is not an answer
becomes a ``PluginCrash``, which evaluation reports against the rule and the document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Final

from tabard.errors import PluginCrash
from tabard.extend.api import OperatorSpec, Violation
from tabard.extend.faults import fault, from_plugin, plugin_error
from tabard.language.context import Condition, Context, Outcome
from tabard.language.operators import Operator
from tabard.language.paths import PathSyntaxError, parse_path
from tabard.language.registry import builtin_operators
from tabard.readonly import readonly

OPERATOR_NAME: Final = re.compile(r"[a-z][a-z0-9_]*\Z")


def plugin_operator(spec: Any, plugin: str, taken: Mapping[str, Operator]) -> Operator:
    if not isinstance(spec, OperatorSpec):
        raise plugin_error(
            plugin, f"tabard_add_operators returned {spec!r}; expected tabard.OperatorSpec objects"
        )
    if not isinstance(spec.name, str) or not OPERATOR_NAME.match(spec.name):
        raise plugin_error(
            plugin, f"operator name {spec.name!r} must be lower case, like 'dog_account'"
        )
    if spec.name in builtin_operators() or spec.name in (
        "satisfies",
        "exists_in",
        "unique",
        "at_most",
    ):
        raise plugin_error(plugin, f"operator {spec.name!r} is built into tabard")
    if spec.name in taken:
        raise plugin_error(
            plugin,
            f"operator {spec.name!r} is also registered by plugin {taken[spec.name].plugin!r}",
        )
    if spec.scope not in ("value", "document", "collection") or not callable(spec.function):
        raise plugin_error(
            plugin,
            f"operator {spec.name!r}: scope must be value, document or "
            "collection and function must be callable",
        )
    _check_schema(spec, plugin)
    make = (_value_make if spec.scope == "value" else _whole_document_make)(spec, plugin)
    wording = spec.wording or ("{field} " + spec.name.replace("_", " ") + " {arg}")
    return Operator(
        name=spec.name,
        make=make,
        argument_schema=dict(spec.argument_schema),
        wording=wording,
        scope=spec.scope,
        plugin=plugin,
        references=spec.scope == "value",
    )


def _check_schema(spec: OperatorSpec, plugin: str) -> None:
    import jsonschema_rs

    try:
        jsonschema_rs.validator_for(dict(spec.argument_schema))
    except Exception as error:
        raise plugin_error(
            plugin, f"operator {spec.name!r} has an invalid argument_schema: {error}"
        ) from None


def _value_make(spec: OperatorSpec, plugin: str) -> Callable[[Any, bool, date], Any]:
    def make(argument: Any, ignore_case: bool, today: date) -> Callable[[Any], bool]:
        argument = readonly(argument)

        def test(value: Any) -> bool:
            try:
                # Text and numbers pass as they are; a mapping or list as a read-only view.
                result = spec.function(readonly(value), argument)
            except BaseException as error:
                if not from_plugin(error):
                    raise
                raise PluginCrash(plugin, spec.name, fault(error)) from None
            if not isinstance(result, bool):
                raise PluginCrash(
                    plugin,
                    spec.name,
                    f"returned {result!r}; a value operator must return True or False",
                )
            return result

        return test

    return make


def _outcome(result: Any, plugin: str, name: str) -> Outcome:
    if result is True or result is None:
        return True, ()
    if result is False:
        return False, ()
    if isinstance(result, Violation):
        try:
            path = parse_path(result.path) if result.path else None
        except PathSyntaxError as error:
            raise PluginCrash(
                plugin, name, f"returned Violation with a bad path: {error}"
            ) from None
        steps = () if path is None else tuple(s for s in path.steps if isinstance(s, str | int))
        return False, steps
    raise PluginCrash(
        plugin, name, f"returned {result!r}; expected True, False, None or tabard.Violation"
    )


def _whole_document_make(spec: OperatorSpec, plugin: str) -> Callable[[Any, bool, date], Condition]:
    """A document operator gets (document, argument); a collection operator also
    gets the view of the repository.  Both are read-only."""
    with_view = spec.scope == "collection"

    def make(argument: Any, ignore_case: bool, today: date) -> Condition:
        argument = readonly(argument)

        def run(context: Context, node: Any) -> Outcome:
            document = readonly(context.data)
            try:
                if with_view:
                    result = spec.function(document, argument, context.documents.view)
                else:
                    result = spec.function(document, argument)
            except BaseException as error:
                if not from_plugin(error):
                    raise
                raise PluginCrash(plugin, spec.name, fault(error)) from None
            return _outcome(result, plugin, spec.name)

        return run

    return make
