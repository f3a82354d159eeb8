"""The built-in operators by name: the value operators and the document operator ``no_secrets``.

The plugin manager (to refuse plugin operators that reuse a built-in name) and the session
(to compile rules) both read it here; the operators themselves are in
:mod:`tabard.language.operators`.
"""

from __future__ import annotations

from tabard.language.operators.base import Operator
from tabard.language.operators.secrets import NO_SECRETS
from tabard.language.operators.table import BUILTIN_VALUE_OPERATORS


def builtin_operators() -> dict[str, Operator]:
    """Every built-in operator by name; a new dict each call, as callers add plugin operators."""
    return {operator.name: operator for operator in (*BUILTIN_VALUE_OPERATORS, NO_SECRETS)}
