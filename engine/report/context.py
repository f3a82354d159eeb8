"""Build a report's :class:`~tabard.report.Context` from the packs and plugins in use."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tabard._version import __version__
from tabard.documents.engine_rules import ENGINE_RULES
from tabard.policy.packs import Pack
from tabard.report import Component, Context, RuleInfo


def report_context(
    packs: Iterable[Pack], plugins: Iterable[Any], waivers: Iterable[Mapping[str, Any]] = ()
) -> Context:
    """*plugins* are ``PluginInfo``s; *waivers* the data of the repository's Waiver documents."""
    rules = {
        rule.id: RuleInfo(rule.id, rule.title, rule.severity, "tabard", rule.fix)
        for rule in ENGINE_RULES.values()
    }
    plugins = list(plugins)
    versions = {info.name: info.version for info in plugins}
    used_packs = []
    for pack in packs:
        used_packs.append(Component(pack.name, _pack_version(pack.origin, versions), pack.origin))
        for rule in pack.rules:
            rules[rule.id] = RuleInfo(
                rule.id,
                rule.title,
                rule.severity,
                rule.policy,
                rule.fix,
                rule.rationale,
                tuple(rule.references),
            )
    return Context(
        rules=rules,
        packs=tuple(used_packs),
        plugins=tuple(Component(info.name, info.version, info.source) for info in plugins),
        waivers={
            str(data["id"]): str(data.get("reason", ""))
            for data in waivers
            if isinstance(data, Mapping) and "id" in data
        },
    )


def _pack_version(origin: str, plugin_versions: Mapping[str, str]) -> str:
    """Built-in packs have tabard's version, a plugin's packs the plugin's, local ones none."""
    if origin == "builtin":
        return __version__
    return plugin_versions.get(origin, "local")
