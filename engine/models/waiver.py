"""The Waiver document: an approved, time-limited exception to rules for named accounts."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from tabard.models.base import Describe, Distinct, Extensible, examples
from tabard.models.common import ApiVersion, Date, ForceId, RuleId, Slug


class ApprovedBy(Extensible):
    """Who approved the waiver."""

    name: str = Field(
        description="Approver's name or post.", min_length=1, examples=["Head of Communications"]
    )
    role: str = Field(
        description="Approver's role.", min_length=1, examples=["Head of Communications"]
    )


class Waiver(Extensible):
    """A waiver: approved, time-limited permission for named accounts to fail named rules. Matching
    findings are reported as waived and never fail the run; an expired waiver waives
    nothing.
    """

    model_config = ConfigDict(
        title="tabard Waiver",
        json_schema_extra={"examples": examples("waiver")},
    )

    required_order = (
        "apiVersion",
        "kind",
        "id",
        "rules",
        "accounts",
        "reason",
        "approved_by",
        "granted",
        "expires",
    )

    accounts: Distinct[Annotated[Slug, Describe("An account id.")]] = Field(
        description="Ids of the accounts the waiver covers (no wildcards).",
        min_length=1,
        examples=[["glos-x-dogs"]],
    )
    api_version: ApiVersion = Field(
        alias="apiVersion",
        description="Document format version; always `tabard/v1`.",
        examples=["tabard/v1"],
    )
    approved_by: ApprovedBy
    expires: Date = Field(
        description="Date it expires; at most 365 days after granted.", examples=["2026-07-10"]
    )
    force: ForceId | None = Field(
        default=None, description="The force the waiver belongs to.", examples=["gloucestershire"]
    )
    granted: Date = Field(description="Date the waiver was granted.", examples=["2026-01-10"])
    id: str = Field(
        description="Waiver id, shown as waived_by on the findings it waives.",
        pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$",
        examples=["W-2026-004"],
    )
    kind: Literal["Waiver"] = Field(
        description="Document kind; always `Waiver` here.", examples=["Waiver"]
    )
    reason: str = Field(
        description="Why the rule cannot be met yet.",
        min_length=10,
        examples=["Legacy handle kept until the platform allows a rename"],
    )
    reference: str | None = Field(
        default=None, description="Reference of the approval record.", examples=["CE-SM-2026-011"]
    )
    rules: Distinct[Annotated[RuleId, Describe("A rule id.")]] = Field(
        description="Ids of the rules waived.", min_length=1, examples=[["BRD-002"]]
    )
