"""Check operator arguments against the JSON Schema each operator declares."""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from tabard.documents.schema_messages import describe
from tabard.language.operators import Operator
from tabard.language.values import SCHEMA_FORMATS

#: id(schema) -> (schema, validator).  Keeping the schema alive keeps its id from being
#: reused by another object, which would hand that object the wrong validator.
_validators: dict[int, tuple[Any, Any]] = {}


def _validator(schema: Any) -> Any:
    entry = _validators.get(id(schema))
    if entry is None:
        validator = jsonschema_rs.validator_for(
            dict(schema), validate_formats=True, formats=SCHEMA_FORMATS
        )
        entry = (schema, validator)
        _validators[id(schema)] = entry
    return entry[1]


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
