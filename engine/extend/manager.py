"""Find, load and check plugins; collect their operators, packs and formats.

Order: blocked names (``TABARD_DISABLE_PLUGINS``, ``plugins.disable``), then
installed plugins from the ``tabard`` entry-point group (unless
``TABARD_DISABLE_PLUGIN_AUTOLOAD`` is set), then local plugin files listed in
``tabard.yaml``.  Every failure names the plugin and exits 2: a plugin is
never skipped silently.  (This module is not called ``plugins.py`` because
``tabard.plugins`` is the package of bundled plugins.)
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any, Final

import pluggy

from tabard.config import Config
from tabard.documents.files import Refused, read_regular
from tabard.errors import PluginError
from tabard.extend import hookspecs
from tabard.extend.api import PluginConfig
from tabard.extend.discovery import PluginMemo, installed_entry_points
from tabard.extend.faults import Blame, fault, from_plugin, plugin_error
from tabard.extend.operators import plugin_operator
from tabard.language.operators import Operator
from tabard.policy.packs import PackSource
from tabard.readonly import ReadOnlyMapping
from tabard.report import Formatter, Report
from tabard.suggest import closest

#: A plugin is a few hundred lines of Python; anything this big is not one.
MAX_PLUGIN_BYTES: Final = 4 << 20
HOOKS: Final = (
    "tabard_add_operators",
    "tabard_add_policies",
    "tabard_add_formats",
    "tabard_configure",
)


class PluginInfo:
    """One loaded plugin and what it adds.  Plain classes here, not dataclasses: a check
    builds them on every run, and a dataclass costs millions of instructions at import
    (docs/architecture.md, Speed)."""

    __slots__ = ("formats", "hooks", "name", "operators", "source", "version")

    def __init__(self, name: str, source: str, version: str = "") -> None:
        self.name = name
        self.source = source
        self.version = version
        self.hooks: list[str] = []
        self.operators: list[str] = []
        self.formats: list[str] = []


class Plugins:
    """Everything the loaded plugins contribute to a run."""

    __slots__ = ("formats", "info", "operators", "packs", "skipped")

    def __init__(
        self, info: list[PluginInfo] | None = None, skipped: list[str] | None = None
    ) -> None:
        self.info: list[PluginInfo] = [] if info is None else info
        self.operators: dict[str, Operator] = {}
        self.packs: list[PackSource] = []
        self.formats: dict[str, Formatter] = {}
        #: Installed or local plugins not loaded because TABARD_DISABLE_PLUGINS or
        #: ``plugins.disable`` named them: a report must say so.
        #: TABARD_DISABLE_PLUGIN_AUTOLOAD is left out: like pytest's
        #: PYTEST_DISABLE_PLUGIN_AUTOLOAD it isolates a plugin author's tests, and listing
        #: every installed plugin would bury the real entries.
        self.skipped: list[str] = [] if skipped is None else skipped


def _blocked(config: Config) -> set[str]:
    names = {n.strip() for n in os.environ.get("TABARD_DISABLE_PLUGINS", "").split(",")}
    return (names | set(config.disabled_plugins)) - {""}


def _load_entry_points(
    manager: pluggy.PluginManager,
    blocked: set[str],
    skipped: list[str],
    memo: PluginMemo | None,
) -> list[PluginInfo]:
    found = []
    for entry in installed_entry_points(memo):
        if entry.name in blocked:
            skipped.append(entry.name)
            continue
        with Blame(
            entry.name,
            f"failed to import {entry.value}:",
            f"fix the plugin, or disable it with TABARD_DISABLE_PLUGINS={entry.name}",
            verb="",
        ):
            module = entry.load()
        _register(manager, module, entry.name)
        found.append(PluginInfo(entry.name, entry.value, entry.version))
    return found


def _load_local(
    manager: pluggy.PluginManager, config: Config, blocked: set[str], skipped: list[str]
) -> list[PluginInfo]:
    found = []
    for index, entry in enumerate(config.local_plugins):
        path = (config.root / entry).resolve()
        name = path.stem
        if name in blocked:
            skipped.append(name)
            continue
        if not path.exists():
            raise PluginError(
                config.problem(
                    ("plugins", "local", index), f"local plugin {entry!r} does not exist"
                )
            )
        spec = importlib.util.spec_from_file_location(f"tabard_local_plugin_{name}", path)
        if spec is None or spec.loader is None or path.suffix != ".py":
            raise PluginError(
                config.problem(
                    ("plugins", "local", index), f"local plugin {entry!r} is not a Python file"
                )
            )
        source = _local_source(config, index, path)
        module = importlib.util.module_from_spec(spec)
        with Blame(name, f"failed to import {entry}:", verb=""):
            # Run the bytes checked above: the import system would open the path again.
            exec(compile(source, str(path), "exec"), module.__dict__)
        _register(manager, module, name)
        found.append(PluginInfo(name, entry, "local"))
    return found


def _local_source(config: Config, index: int, path: Path) -> bytes:
    """A local plugin's code: a regular file inside the repository, read once."""
    entry = config.local_plugins[index]
    if not path.is_relative_to(config.root):
        raise PluginError(
            config.problem(
                ("plugins", "local", index),
                f"local plugin {entry!r} leads outside the repository {config.root}; "
                "tabard runs only plugin files inside it (copy the file in)",
            )
        )
    try:
        # *path* is resolved: no symbolic link is left to follow.
        return read_regular(str(path), MAX_PLUGIN_BYTES)[0]
    except Refused as refused:
        raise PluginError(
            config.problem(
                ("plugins", "local", index),
                f"cannot read local plugin {entry!r}: {refused.reason}",
            )
        ) from None


def _register(manager: pluggy.PluginManager, module: ModuleType, name: str) -> None:
    existing = manager.get_plugin(name)
    if existing is not None:
        raise plugin_error(
            name, f"the name is used by two plugins ({existing.__name__} and {module.__name__})"
        )
    try:
        manager.register(module, name=name)
    except pluggy.PluginValidationError as error:
        raise _validation_error(name, error) from None


def _validation_error(name: str, error: pluggy.PluginValidationError) -> PluginError:
    """Misspelt hooks get a suggestion; pluggy's signature messages are kept as they are."""
    unknown = re.match(r"unknown hook '([^']+)'", str(error))
    if unknown is None:
        return plugin_error(name, " ".join(str(error).split()))
    close = closest(unknown[1], HOOKS)
    suggestion = f"did you mean {close!r}? " if close else ""
    return plugin_error(
        name, f"unknown hook {unknown[1]!r}", f"{suggestion}the hooks are {', '.join(HOOKS)}"
    )


def _call(manager: pluggy.PluginManager, hook: str, plugin: str) -> list[Any]:
    """The results of *plugin*'s own implementation of *hook* (none if it has none).

    Each plugin is called on its own, so whatever its code raises is caught here and
    names it, without changing pluggy's objects.
    """
    with Blame(plugin, f"hook {hook}"):
        results: list[Any] = _only(manager, hook, plugin)()
    return results


def _only(manager: pluggy.PluginManager, hook: str, plugin: str) -> Any:
    others = [p for name, p in manager.list_name_plugin() if name != plugin and p is not None]
    return manager.subset_hook_caller(hook, remove_plugins=others)


def _check_plain_functions(manager: pluggy.PluginManager, info: PluginInfo) -> None:
    """A hook wrapper would run around other code; tabard's hooks are plain functions."""
    for hook in HOOKS:
        for implementation in getattr(manager.hook, hook).get_hookimpls():
            if implementation.plugin_name == info.name and (
                implementation.hookwrapper or implementation.wrapper
            ):
                raise plugin_error(
                    info.name,
                    f"hook {hook} is a hook wrapper; tabard's hooks are plain functions",
                    "remove wrapper=True / hookwrapper=True from its @hookimpl",
                )


def _configure(
    manager: pluggy.PluginManager, infos: list[PluginInfo], config: PluginConfig
) -> None:
    """``tabard_configure``, plugin by plugin.  Every plugin is registered by now, so the
    hook's history (for plugins registered later) is never replayed."""
    for info in infos:
        if "tabard_configure" not in info.hooks:
            continue
        results: list[Any] = []
        with Blame(info.name, "hook tabard_configure"):
            _only(manager, "tabard_configure", info.name).call_historic(
                result_callback=results.append, kwargs={"config": config}
            )
        for result in results:
            _never_ran(result, info.name, "tabard_configure")


def _never_ran(result: Any, plugin: str, hook: str) -> None:
    """A generator or coroutine returned where tabard uses no result: its body never ran."""
    if inspect.isgenerator(result) or inspect.iscoroutine(result):
        result.close()
        raise plugin_error(
            plugin,
            f"hook {hook} returned a {type(result).__name__}, so its body never ran",
            "write it as a plain function (no yield, no async)",
        )


def load_plugins(config: Config, today: date, *, remember: bool = False) -> Plugins:
    """Every plugin a run uses; with *remember*, installed plugins are found through the
    memo in ``.tabard-cache`` (``discovery.py``) while the installed distributions are
    unchanged."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    if os.environ.get("TABARD_TRACE_PLUGINS"):
        manager.trace.root.setwriter(lambda text: sys.stderr.write(f"tabard plugins: {text}"))
        manager.enable_tracing()
    blocked = _blocked(config)
    for name in blocked:
        manager.set_blocked(name)
    skipped: list[str] = []
    infos = (
        []
        if os.environ.get("TABARD_DISABLE_PLUGIN_AUTOLOAD")
        else _load_entry_points(
            manager, blocked, skipped, PluginMemo(config.root) if remember else None
        )
    )
    infos += _load_local(manager, config, blocked, skipped)
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        raise _validation_error(manager.get_name(error.plugin) or "?", error) from None
    plugins = Plugins(info=infos, skipped=skipped)
    for info in infos:
        info.hooks = sorted(
            hook
            for hook in HOOKS
            if any(i.plugin_name == info.name for i in getattr(manager.hook, hook).get_hookimpls())
        )
        _check_plain_functions(manager, info)
        _collect(manager, info, plugins)
    settings = (
        {}
        if config.loaded is None
        else {key: value for key, value in config.loaded.data.items() if key.startswith("x-")}
    )
    _configure(manager, infos, PluginConfig(config.root, today, ReadOnlyMapping(settings)))
    return plugins


def _collect(manager: pluggy.PluginManager, info: PluginInfo, plugins: Plugins) -> None:
    for result in _call(manager, "tabard_add_operators", info.name):
        for spec in _iterable(result, info.name, "tabard_add_operators", "OperatorSpec objects"):
            operator = plugin_operator(spec, info.name, plugins.operators)
            plugins.operators[operator.name] = operator
            info.operators.append(operator.name)
    for result in _call(manager, "tabard_add_policies", info.name):
        for item in _iterable(result, info.name, "tabard_add_policies", "paths"):
            if not hasattr(item, "read_bytes") or not hasattr(item, "name"):
                raise plugin_error(
                    info.name,
                    f"tabard_add_policies returned {item!r}; expected paths of policy files",
                )
            shown = str(item) if isinstance(item, Path) else f"{info.name}:{item.name}"
            plugins.packs.append(PackSource(shown, _reader(item, shown, info.name), info.name))
    for result in _call(manager, "tabard_add_formats", info.name):
        if not isinstance(result, Mapping):
            raise plugin_error(
                info.name,
                f"tabard_add_formats returned {type(result).__name__}; "
                "expected a mapping of format name to function",
            )
        for name, function in result.items():
            _check_format(name, function, info.name, plugins.formats)
            plugins.formats[name] = _formatter(info.name, name, function)
            info.formats.append(name)


def _iterable(result: Any, plugin: str, hook: str, expected: str) -> Iterable[Any]:
    if isinstance(result, str | bytes | Mapping) or not isinstance(result, Iterable):
        raise plugin_error(
            plugin, f"{hook} returned {type(result).__name__}; expected a list of {expected}"
        )
    # A generator's body runs only now: what it raises is still the hook's doing.
    with Blame(plugin, f"hook {hook}"):
        return list(result)


def _reader(item: Any, shown: str, plugin: str) -> Callable[[], bytes]:
    """``item.read_bytes``, answerable for what a plugin's own traversable does."""

    def read() -> bytes:
        try:
            data = item.read_bytes()
        except OSError:
            raise  # the pack loader says which file it cannot read, and why
        except BaseException as error:
            if not from_plugin(error):
                raise
            raise plugin_error(plugin, f"reading policy file {shown} {fault(error)}") from None
        if not isinstance(data, bytes):
            raise plugin_error(
                plugin, f"reading policy file {shown} returned {type(data).__name__}"
            )
        return data

    return read


def _check_format(name: Any, function: Any, plugin: str, taken: Mapping[str, Any]) -> None:
    from tabard.report import BUILTIN_FORMATS

    if not isinstance(name, str) or not callable(function):
        raise plugin_error(plugin, "tabard_add_formats must map format names to functions")
    if name in BUILTIN_FORMATS:
        raise plugin_error(plugin, f"format {name!r} is built into tabard")
    if name in taken:
        raise plugin_error(plugin, f"format {name!r} is also added by another plugin")


def _formatter(plugin: str, name: str, function: Callable[[Report], str]) -> Formatter:
    def render(report: Report, colour: bool) -> str:
        with Blame(plugin, f"format {name!r}"):
            text = function(report)
        if not isinstance(text, str):
            raise plugin_error(
                plugin, f"format {name!r} returned {type(text).__name__}; expected str"
            )
        return text

    return render
