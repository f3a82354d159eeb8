"""What a plugin author imports: ``from tabard import OperatorSpec, Violation, hookimpl``.

Operator functions, by scope:

* ``value``: ``function(value, argument) -> bool``.  Called for each value at
  the rule's ``field`` (never for an absent value: that fails the condition).
* ``document``: ``function(document, argument) -> result``, with the whole
  document as a mapping and no ``field``.
* ``collection``: ``function(document, argument, repository) -> result``,
  where *repository* is a :class:`RepositoryView` of every document.

Documents, mapping or list values, arguments and what the repository view
returns are read-only views (``Mapping`` and ``Sequence``, see
``tabard.readonly``): every rule reads the same documents, so a plugin may not
change them.

A *result* is ``True`` or ``None`` (the condition holds), ``False`` (it fails,
located at the document) or a :class:`Violation` naming the failing path.
Anything else, or an exception, stops the run with exit code 2 naming the
plugin, the operator and the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, Protocol

from tabard.report import Report

Scope = Literal["value", "document", "collection"]
#: A plugin output format: ``function(report) -> text``.
FormatFunction = Callable[[Report], str]


@dataclass(frozen=True)
class OperatorSpec:
    """An operator a plugin adds to the policy language.

    :param name: the key policies write, e.g. ``dog_account``; lower case.
    :param function: see the module documentation for its signature per scope.
    :param scope: ``value``, ``document`` or ``collection``.
    :param argument_schema: JSON Schema (Draft 2020-12) for the argument;
        a policy whose argument does not match is rejected before anything runs.
    :param wording: plain words for ``tabard explain``, with ``{field}`` and
        ``{arg}`` filled in, e.g. ``"{field} names a police dog"``.
    """

    name: str
    function: Callable[..., Any]
    scope: Scope = "value"
    argument_schema: Mapping[str, Any] = field(default_factory=dict)
    wording: str = ""


@dataclass(frozen=True)
class Violation:
    """A failed check, located at *path* (dotted, e.g. ``operators[1].mfa``)."""

    path: str = ""


class RepositoryView(Protocol):
    """Every document in the repository, as collection operators see it."""

    def documents(self, kind: str) -> list[Mapping[str, Any]]:
        """Every document of *kind* (``Account``, ``Strategy``, …), in file order."""
        ...

    def document(self, kind: str, id: str) -> Mapping[str, Any] | None:
        """The document of *kind* with this ``id``, or None."""
        ...

    def force_document(self, kind: str, force: str) -> Mapping[str, Any] | None:
        """The force's ``Force``, ``Strategy`` or ``BrandGuide`` document, or None."""
        ...


@dataclass(frozen=True)
class PluginConfig:
    """What ``tabard_configure`` receives.

    :param root: the repository root (the folder of ``tabard.yaml``).
    :param today: the date checks are made against (``--as-of`` or today).
    :param settings: the ``x-`` keys of ``tabard.yaml``, where plugins keep
        their own settings (``x-gloucestershire: {…}``), read-only.
    """

    root: Path
    today: date
    settings: Mapping[str, Any] = field(default_factory=dict)
