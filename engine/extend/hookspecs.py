"""The hooks a tabard plugin may implement (design §5).

A plugin is a module (or any object) with functions decorated by
``tabard.hookimpl`` whose names are the hooks below.  Installed plugins are
found through the ``tabard`` entry-point group::

    [project.entry-points.tabard]
    my-force = "my_force_plugin"

A force that does not package code can list plugin files in ``tabard.yaml``
(``plugins: {local: [./plugins/my_force.py]}``).  An implementation may take
fewer arguments than its hook; tabard always calls hooks with keyword
arguments.  A misspelt hook name or an unknown argument stops the run with
exit code 2 naming the plugin.  Implementations are plain functions: a hook
wrapper, or a generator where tabard uses no result, is refused the same way.
Each plugin's implementation is called on its own, so anything it raises
(``SystemExit`` and ``KeyboardInterrupt`` included) names it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from tabard.extend.api import FormatFunction, OperatorSpec, PluginConfig

PROJECT = "tabard"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def tabard_add_operators() -> Iterable[OperatorSpec]:  # type: ignore[empty-body]
    """Return operators that policies may use next to the built-in ones.

    :return: :class:`tabard.OperatorSpec` objects.  Each declares its name,
        its function, its scope (``value``, ``document`` or ``collection``)
        and a JSON Schema for its argument, which tabard checks when a policy
        is loaded.  An operator name may be registered by one plugin only.

    Called once per run, before any policy is compiled.
    """


@hookspec
def tabard_add_policies() -> Iterable[Path | Traversable]:  # type: ignore[empty-body]
    """Return the policy packs (YAML files of ``kind: Policy``) the plugin ships.

    :return: paths, or ``importlib.resources`` traversables such as
        ``files(__package__) / "my_force.yaml"``.  Every rule in them must name
        the ``forces:`` it applies to and use a rule-id prefix of its own
        (not a national one such as ACC, nor another plugin's).

    Called once per run.  The packs are validated like any other policy.
    """


@hookspec
def tabard_add_formats() -> Mapping[str, FormatFunction]:  # type: ignore[empty-body]
    """Return extra output formats for ``tabard check --format NAME``.

    :return: a mapping of format name to ``function(report) -> str``, where
        ``report`` is a :class:`tabard.Report` (findings, counts, date).
        A name may not clash with a built-in format or another plugin's.

    Called once per run of ``check`` or ``validate``.
    """


@hookspec(historic=True)
def tabard_configure(config: PluginConfig) -> None:
    """Receive the run's configuration before anything is checked.

    :param config: a read-only :class:`tabard.PluginConfig`: the repository
        root, the date checked against, and the ``x-`` keys of
        ``tabard.yaml`` (where a plugin's own settings live).

    Historic: plugins registered later (local plugin files) receive it too.
    """
