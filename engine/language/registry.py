"""The built-in operators by name: the value operators and the document operator ``no_secrets``.

A module of its own because ``secrets`` imports ``Operator`` from ``operators``, so neither of
them can hold the table without a cycle. The plugin manager (to refuse plugin operators that
reuse a built-in name) and the session (to compile rules) both read it here.
"""

from __future__ import annotations

from tabard.language.operators import BUILTIN_VALUE_OPERATORS, Operator
from tabard.language.secrets import NO_SECRETS


def builtin_operators() -> dict[str, Operator]:
    """Every built-in operator by name; a new dict each call, as callers add plugin operators."""
    return {operator.name: operator for operator in (*BUILTIN_VALUE_OPERATORS, NO_SECRETS)}
