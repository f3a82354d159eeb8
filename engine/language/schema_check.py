"""Check operator arguments against the JSON Schema each operator declares."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
from tabard.language.operators import Operator
from tabard.schema_messages import describe

_validators: dict[int, Any] = {}


def _validator(schema: Any) -> Any:
    key = id(schema)
    if key not in _validators:
        _validators[key] = jsonschema_rs.validator_for(dict(schema), validate_formats=True)
    return _validators[key]


def argument_problem(operator: Operator, argument: Any) -> str | None:
    """Why *argument* does not fit *operator*'s argument schema, or None."""
    if not operator.argument_schema:
        return None
    validator = _validator(operator.argument_schema)
    if validator.is_valid(argument):
        return None
    error = next(iter(validator.iter_errors(argument)))
    problem = describe(error, operator.argument_schema)
    return problem.message.removeprefix("the document: ")
