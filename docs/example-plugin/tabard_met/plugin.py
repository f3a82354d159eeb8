"""The Met names its borough accounts MPS<Borough> (@MPSHackney, @MPSWestminster).

Two boroughs kept older handles (@EalingMPS, @LambethMPS); domain.md S41 and §5.4.
"""

from __future__ import annotations

import re
from importlib.resources import files
from importlib.resources.abc import Traversable

from tabard import OperatorSpec, hookimpl

_BOROUGH_HANDLE = re.compile(r"@?MPS[A-Z][A-Za-z]+\Z")
LEGACY = frozenset({"@EalingMPS", "@LambethMPS", "EalingMPS", "LambethMPS"})


def met_borough_handle(handle: object, argument: bool) -> bool:
    """Whether *handle* follows the Met's borough pattern (or is a legacy exception)."""
    if not isinstance(handle, str):
        return False
    follows = handle in LEGACY or _BOROUGH_HANDLE.match(handle) is not None
    return follows is argument


@hookimpl
def tabard_add_operators() -> list[OperatorSpec]:
    return [
        OperatorSpec(
            name="met_borough_handle",
            function=met_borough_handle,
            scope="value",
            argument_schema={"type": "boolean"},
            wording="{field} follows the Met borough pattern MPS<Borough>",
        )
    ]


@hookimpl
def tabard_add_policies() -> list[Traversable]:
    return [files("tabard_met") / "met.yaml"]
