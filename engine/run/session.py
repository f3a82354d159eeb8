"""Everything a command needs before it reads documents: config, operators, rules."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Final

from tabard.config import CONFIG_NAME, Config, find_config, load_config
from tabard.documents.cache import fingerprint
from tabard.documents.discovery import YAML_SUFFIXES
from tabard.documents.packaged import package_folder
from tabard.errors import ConfigError, PluginError, Problem, UsageError
from tabard.extend.manager import Plugins, load_plugins
from tabard.findings import Severity
from tabard.language.operators import Operator
from tabard.language.registry import builtin_operators
from tabard.language.rules import Rule
from tabard.policy.memo import PolicyMemo
from tabard.policy.packs import Pack, PackSource, load_packs
from tabard.report import BUILTIN_FORMATS, Formatter, Loosened
from tabard.run.overrides import apply_overrides
from tabard.suggest import closest


def builtin_pack_names() -> list[str]:
    return sorted(
        entry.name.rsplit(".", 1)[0]
        for entry in package_folder("tabard.policies").iterdir()
        if entry.name.endswith(YAML_SUFFIXES)
    )


def _builtin(name: str, *, locked_only: bool = False) -> PackSource:
    resource = package_folder("tabard.policies").joinpath(f"{name}.yaml")
    return PackSource(f"tabard/policies/{name}.yaml", resource.read_bytes, "builtin", locked_only)


def _is_path(entry: str) -> bool:
    return "/" in entry or entry.startswith(".") or entry.endswith(YAML_SUFFIXES)


def _local(config: Config, index: int, entry: str) -> list[PackSource]:
    """The policy files at one ``policies:`` path: a file, or every YAML file in a folder.

    The path must stay inside the repository (``policies: [/]`` once walked the whole
    disk), and only regular files are read: a pipe would block the run, and a link that
    leads out of the repository would check policies nobody reviews with it.
    """
    root = config.root

    def problem(message: str, hint: str | None = None) -> ConfigError:
        return ConfigError(config.problem(("policies", index), message, hint))

    given = root / entry
    if not os.path.lexists(given):
        raise problem(f"policy path {entry!r} does not exist", f"paths are relative to {root}")
    target = _real(given, entry, problem)
    if not target.is_relative_to(root):
        raise problem(
            f"policy path {entry!r} is outside the repository {root}",
            "keep your policies in the repository and list them relative to tabard.yaml, "
            "e.g. ./policies",
        )
    walk = _PolicyWalk(root, problem)
    walk.visit(target, entry, top=True)
    return [PackSource(_relative(path, root), path.read_bytes, "local") for path in walk.files]


def _real(path: Path, shown: str, problem: Callable[..., ConfigError]) -> Path:
    """Where *path* really is, or a clear error for a broken link or a link loop."""
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise problem(f"policy path {shown!r} is a symbolic link to nothing") from None
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python 3.11)
        raise problem(f"policy path {shown!r} is a symbolic link loop") from None
    return real


class _PolicyWalk:
    """The regular YAML files under a policy folder, each folder entered once."""

    def __init__(self, root: Path, problem: Callable[..., ConfigError]) -> None:
        self.root = root
        self.problem = problem
        self.files: list[Path] = []
        self.entered: set[Path] = set()

    def visit(self, path: Path, shown: str, *, top: bool = False) -> None:
        real = _real(path, shown, self.problem) if path.is_symlink() else path
        if not real.is_relative_to(self.root):
            raise self.problem(
                f"policy file {shown!r} is a symbolic link to {real}, outside the repository",
                "copy the policy into the repository instead of linking to it",
            )
        try:
            mode = real.stat().st_mode
            children = sorted(real.iterdir()) if stat.S_ISDIR(mode) else []
        except OSError as error:
            raise self.problem(f"cannot read policy path {shown!r}: {error.strerror}") from None
        if stat.S_ISDIR(mode):
            if real in self.entered:
                return  # a second link to a folder already read, or a loop back up
            self.entered.add(real)
            for child in children:
                self.visit(child, f"{shown.rstrip('/')}/{child.name}")
        elif not top and not _is_yaml(path):
            return
        elif stat.S_ISREG(mode):
            self.files.append(real)
        else:
            raise self.problem(
                f"policy file {shown!r} is not a regular file (a device, pipe or socket)"
            )


def _is_yaml(path: Path) -> bool:
    return path.name.endswith(YAML_SUFFIXES)


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
                close = closest(entry, names)
                hint = (
                    f"did you mean {close!r}? " if close else ""
                ) + f"built-in packs: {', '.join(names)}; local packs are paths like ./policies"
                raise ConfigError(
                    config.problem(("policies", index), f"unknown policy pack {entry!r}", hint)
                )
        # Locked national rules cannot be switched off by leaving their pack out.
        sources += [_builtin(name, locked_only=True) for name in left_out_packs(config)]
    return sources + list(extra or ())


def left_out_packs(config: Config) -> list[str]:
    """Built-in packs that ``policies:`` does not list (none when it is absent)."""
    if config.policies is None:
        return []
    return [name for name in builtin_pack_names() if name not in config.policies]


NATIONAL_PREFIXES: Final = frozenset({"ACC", "BRD", "STR", "SEC", "ENG", "LIF", "LNG", "TAB"})


class Session:
    """What a command has before it reads documents.  A plain class, not a dataclass: a
    dataclass costs millions of instructions at import (docs/architecture.md, Speed)."""

    def __init__(
        self,
        config: Config,
        packs: list[Pack],
        rules: list[Rule],
        today: date,
        plugins: Plugins,
        operators: dict[str, Operator],
        sources: list[PackSource],
        memo: PolicyMemo | None = None,
    ) -> None:
        self.config = config
        self.packs = packs
        #: Rules after the config's overrides (disabled rules removed).
        self.rules = rules
        self.today = today
        self.plugins = plugins
        self.operators = operators
        self.sources = sources
        #: What this run learned about its policy files, for the command to save with
        #: its cache once the run is through (None: nothing is remembered).
        self.memo = memo

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
    def loosened(self) -> Loosened:
        """What the config switches off or softens, for every report to show."""
        original = {rule.id: rule.severity for pack in self.packs for rule in pack.rules}
        disabled = []
        lowered = []
        for rule_id, override in sorted(self.config.rules.items()):
            if override.get("enabled") is False:
                disabled.append(rule_id)
            elif "severity" in override and rule_id in original:
                before, after = original[rule_id], Severity(override["severity"])
                if after.rank < before.rank:
                    lowered.append((rule_id, str(before), str(after)))
        return Loosened(
            packs_left_out=tuple(left_out_packs(self.config)),
            rules_disabled=tuple(disabled),
            severities_lowered=tuple(lowered),
            plugins_disabled=tuple(sorted({*self.config.disabled_plugins, *self.plugins.skipped})),
        )

    @property
    def formats(self) -> dict[str, Formatter]:
        """Built-in formats and the ones plugins add (registered the same way)."""
        return {**BUILTIN_FORMATS, **self.plugins.formats}


def locate_config(start: Path, explicit: Path | None) -> Config:
    """The config for commands that may show the built-in defaults (rules, explain, …)."""
    if explicit is not None:
        return _explicit(explicit)
    found = find_config(start)
    return load_config(found) if found is not None else Config(root=start.resolve())


def _explicit(path: Path) -> Config:
    if not os.path.lexists(path):
        raise UsageError(f"config file {path} does not exist")
    return load_config(path)


def require_config(starts: list[Path], explicit: Path | None) -> Config:
    """The config for commands that check a repository: never the defaults.

    Looked for upward from each start in turn (the named files, then the working
    directory), so that pre-commit, which runs from the git root, finds a ``tabard.yaml``
    kept in a sub-folder from the files it names.
    """
    if explicit is not None:
        return _explicit(explicit)
    for start in starts:
        found = find_config(start)
        if found is not None:
            return load_config(found)
    hint = (
        f"run `tabard init --force FORCE-ID` to start one here, or pass --config PATH/{CONFIG_NAME}"
    )
    if len(starts) > 1:
        where = "the folders of the files named, the working folder"
        # pre-commit names every changed file, also those beside a repository in a sub-folder
        hint += "; for a pre-commit hook on a repository in a sub-folder, add files: ^FOLDER/"
    else:
        where = str(starts[0])
    raise ConfigError(
        Problem(
            f"no {CONFIG_NAME} in {where} or any folder above, so there is no repository to check",
            hint=hint,
        )
    )


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


def open_session(config: Config, today: date, *, remember: bool = False) -> Session:
    """Config, plugins and packs; with *remember*, policy files checked in full by an
    earlier run are only compiled (``policy/memo.py``) and installed plugins are found
    without reading every distribution's metadata (``extend/discovery.py``), both kept in
    ``.tabard-cache``."""
    plugins = load_plugins(config, today, remember=remember)
    operators = {**builtin_operators(), **plugins.operators}
    sources = pack_sources(config, plugins.packs)
    memo = PolicyMemo(config.root) if remember else None
    packs = load_packs(sources, operators=operators, today=today, memo=memo)
    _check_plugin_rules(packs)
    rules = apply_overrides(config, (rule for pack in packs for rule in pack.rules))
    return Session(config, packs, rules, today, plugins, operators, sources, memo)
