"""tabard: policy-as-code for police social media accounts.

The public API for plugin authors::

    from tabard import OperatorSpec, Violation, hookimpl

Names are imported on first use, so that ``tabard --version`` (and a plugin
that needs only ``hookimpl``) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from tabard._version import __version__

if TYPE_CHECKING:
    from tabard.extend.api import OperatorSpec, PluginConfig, RepositoryView, Violation
    from tabard.extend.hookspecs import hookimpl
    from tabard.findings import Finding, Severity
    from tabard.report import Report

_EXPORTS = {
    "hookimpl": "tabard.extend.hookspecs",
    "OperatorSpec": "tabard.extend.api",
    "PluginConfig": "tabard.extend.api",
    "RepositoryView": "tabard.extend.api",
    "Violation": "tabard.extend.api",
    "Finding": "tabard.findings",
    "Severity": "tabard.findings",
    "Report": "tabard.report",
}

__all__ = [
    "Finding",
    "OperatorSpec",
    "PluginConfig",
    "Report",
    "RepositoryView",
    "Severity",
    "Violation",
    "__version__",
    "hookimpl",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'tabard' has no attribute {name!r}")
