"""Everything a command needs before it reads documents: config, operators, rules."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Final

from tabard.cache import fingerprint
from tabard.config import Config, apply_overrides, find_config, load_config
from tabard.errors import ConfigError, PluginError, Problem, UsageError
from tabard.language.operators import BUILTIN_VALUE_OPERATORS, Operator
from tabard.language.rules import Rule
from tabard.language.secrets import NO_SECRETS
from tabard.packs import Pack, PackSource, load_packs
from tabard.plugin_manager import Plugins, load_plugins
from tabard.report import BUILTIN_FORMATS, Formatter
from tabard.repository import YAML_SUFFIXES


def builtin_pack_names() -> list[str]:
    return sorted(
        entry.name.rsplit(".", 1)[0]
        for entry in files("tabard.policies").iterdir()
        if entry.name.endswith(YAML_SUFFIXES)
    )


def _builtin(name: str) -> PackSource:
    resource = files("tabard.policies").joinpath(f"{name}.yaml")
    return PackSource(f"tabard/policies/{name}.yaml", resource.read_bytes, "builtin")


def _is_path(entry: str) -> bool:
    return "/" in entry or entry.startswith(".") or entry.endswith(YAML_SUFFIXES)


def _local(config: Config, index: int, entry: str) -> list[PackSource]:
    target = (config.root / entry).resolve()
    if target.is_dir():
        paths = sorted(p for p in target.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
    elif target.is_file():
        paths = [target]
    else:
        raise ConfigError(
            config.problem(
                ("policies", index),
                f"policy path {entry!r} does not exist",
                f"paths are relative to {config.root}",
            )
        )
    return [PackSource(_relative(path, config.root), path.read_bytes, "local") for path in paths]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def pack_sources(config: Config, extra: list[PackSource] | None = None) -> list[PackSource]:
    """The packs a run uses: as listed in the config, or every built-in pack."""
    names = builtin_pack_names()
    if config.policies is None:
        sources = [_builtin(name) for name in names]
    else:
        sources = []
        for index, entry in enumerate(config.policies):
            if _is_path(entry):
                sources.extend(_local(config, index, entry))
            elif entry in names:
                sources.append(_builtin(entry))
            else:
                close = difflib.get_close_matches(entry, names, n=1)
                hint = (
                    f"did you mean {close[0]!r}? " if close else ""
                ) + f"built-in packs: {', '.join(names)}; local packs are paths like ./policies"
                raise ConfigError(
                    config.problem(("policies", index), f"unknown policy pack {entry!r}", hint)
                )
    return sources + list(extra or ())


NATIONAL_PREFIXES: Final = frozenset({"ACC", "BRD", "STR", "SEC", "ENG", "LIF", "LNG", "TAB"})


def builtin_operators() -> dict[str, Operator]:
    return {operator.name: operator for operator in (*BUILTIN_VALUE_OPERATORS, NO_SECRETS)}


@dataclass
class Session:
    config: Config
    packs: list[Pack]
    #: Rules after the config's overrides (disabled rules removed).
    rules: list[Rule]
    today: date
    plugins: Plugins
    operators: dict[str, Operator]
    sources: list[PackSource]

    @property
    def fingerprint(self) -> str:
        """What cached index projections depend on: the policies and plugins in use."""
        parts: list[bytes | str] = []
        for source in self.sources:
            parts += [source.display, source.origin, source.read()]
        for info in self.plugins.info:
            parts += [info.name, info.version, info.source]
            if info.version == "local":
                parts.append((self.config.root / info.source).read_bytes())
        return fingerprint(parts)

    @property
    def formats(self) -> dict[str, Formatter]:
        """Built-in formats and the ones plugins add (registered the same way)."""
        return {**BUILTIN_FORMATS, **self.plugins.formats}


def locate_config(start: Path, explicit: Path | None) -> Config:
    if explicit is not None:
        if not explicit.is_file():
            raise UsageError(f"config file {explicit} does not exist")
        return load_config(explicit)
    found = find_config(start)
    return load_config(found) if found is not None else Config(root=start.resolve())


def _check_plugin_rules(packs: list[Pack]) -> None:
    """A plugin's rules name their forces and use a rule prefix of the plugin's own."""
    owners: dict[str, str] = {}
    problems = []
    for pack in packs:
        if pack.origin in ("builtin", "local"):
            continue
        for rule in pack.rules:
            prefix = rule.id.split("-")[0]
            where = (rule.file, rule.line, rule.column)
            if rule.forces is None:
                problems.append(
                    Problem(
                        f"plugin {pack.origin!r}: rule {rule.id} must name the "
                        "forces it applies to (forces: [...])",
                        *where,
                    )
                )
            if prefix in NATIONAL_PREFIXES:
                problems.append(
                    Problem(
                        f"plugin {pack.origin!r}: rule {rule.id} uses the national prefix {prefix}",
                        *where,
                        "a force plugin uses its own prefix, e.g. GLOS-DOG-001",
                    )
                )
            elif owners.setdefault(prefix, pack.origin) != pack.origin:
                problems.append(
                    Problem(
                        f"plugin {pack.origin!r}: rule {rule.id} uses the prefix "
                        f"{prefix} of plugin {owners[prefix]!r}",
                        *where,
                    )
                )
    if problems:
        raise PluginError(problems)


def open_session(config: Config, today: date) -> Session:
    plugins = load_plugins(config, today)
    operators = {**builtin_operators(), **plugins.operators}
    sources = pack_sources(config, plugins.packs)
    packs = load_packs(sources, operators=operators, today=today)
    _check_plugin_rules(packs)
    rules = apply_overrides(config, (rule for pack in packs for rule in pack.rules))
    return Session(config, packs, rules, today, plugins, operators, sources)
