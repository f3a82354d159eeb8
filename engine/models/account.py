"""The Account document: one social media account run by or for a force."""

from __future__ import annotations

from typing import Final, Literal

from pydantic import ConfigDict, Field, JsonValue

from tabard.models.account_lifecycle import Approval, Handover, Lifecycle, Retention, Transfer
from tabard.models.account_operation import (
    Engagement,
    Operator,
    Security,
)
from tabard.models.account_profile import Accessibility, Avatar, Banner, Branding, Language
from tabard.models.base import Distinct, Extensible, Text, examples
from tabard.models.common import (
    AccountType,
    ApiVersion,
    AreaLevel,
    Email,
    ForceId,
    PersonRef,
    Platform,
    Slug,
    Url,
)


class Area(Extensible):
    """Geography of a neighbourhood account, keyed to the strategy's geography."""

    code: str | None = Field(
        default=None, description="Area code from the strategy's geography.", examples=["STROUD"]
    )
    level: AreaLevel | None = Field(
        default=None,
        description="Level of the area.",
        examples=["district"],
        json_schema_extra={
            "x-informational": (
                "Describes the area for people; the strategy's geography.level is the force's "
                "level."
            )
        },
    )
    name: str | None = Field(
        default=None,
        description="Area name.",
        examples=["Stroud"],
        json_schema_extra={
            "x-read-by": (
                "WALES-LNG-001/002/004 (plugin code): the area name is taken out before the "
                "language is judged, since place names read as Welsh in both languages."
            )
        },
    )


class SeniorAccount(Extensible):
    """Senior-officer accounts: role account or personal account."""

    office_email: Email | None = Field(
        default=None,
        description="Office mailbox of a role account.",
        examples=["chief.constable@gloucestershire.police.uk"],
    )
    role_account: bool | None = Field(
        default=None,
        description=(
            "True for a role account that passes to the next office holder; false for a named "
            "officer's own account."
        ),
        examples=[True, False],
    )


class StrategyLink(Extensible):
    """Link to the force communications strategy."""

    document: str | None = Field(
        default=None,
        description="Strategy id being referenced; defaults to the force's current strategy.",
        examples=["glos-comms-2025"],
    )
    kpis: Distinct[Text] | None = Field(
        default=None,
        description="Measures the account reports.",
        examples=[["replies_within_target", "reach_local"]],
        json_schema_extra={"x-informational": "What the account reports; measured outside tabard."},
    )
    objectives: Distinct[Text] | None = Field(
        default=None,
        description="Objective ids from the strategy that this account serves.",
        examples=[["OBJ-ENG-02", "OBJ-PREV-01"]],
    )
    rationale: str | None = Field(
        default=None,
        description="Why this account is needed and why an existing one cannot serve the need.",
        examples=["No existing account reaches rural dog owners."],
    )


#: Marks for fields of a shared definition, which cannot carry a mark of their own.
INFORMATIONAL_PATHS: Final[dict[str, JsonValue]] = {
    "owner.rank_or_grade": (
        "The owner's rank, for people; ACC-002 reads the accountable officer's rank (the "
        "person definition is shared, so the mark is here)."
    )
}


class Account(Extensible):
    """An account manifest: one official (or unofficial) social media account run by or for a UK
    police force, with the people accountable for it, its link to the force communications
    strategy, branding, security, engagement, language and lifecycle. Only identity,
    classification and lifecycle.status are required by the schema; policies demand the
    rest. Keys starting with `x-` are free for forces.
    """

    model_config = ConfigDict(
        title="tabard Account",
        json_schema_extra={
            "examples": examples("account"),
            "x-informational-paths": INFORMATIONAL_PATHS,
        },
    )

    required_order = (
        "apiVersion",
        "kind",
        "id",
        "force",
        "platform",
        "handle",
        "display_name",
        "account_type",
        "lifecycle",
    )

    accessibility: Accessibility | None = None
    account_type: AccountType = Field(
        description="What kind of account this is.", examples=["department"]
    )
    accountable_officer: PersonRef | None = Field(
        default=None,
        description=(
            "The supervisor accountable for the account (at least the force's minimum rank)."
        ),
        examples=[
            {
                "collar_number": "I 2002",
                "email": "example.two@gloucestershire.police.uk",
                "name": "Insp Example Two",
                "rank_or_grade": "Inspector",
                "role": "Dog Section inspector",
                "status": "current",
            }
        ],
    )
    api_version: ApiVersion = Field(
        alias="apiVersion",
        description="Document format version; always `tabard/v1`.",
        examples=["tabard/v1"],
        json_schema_extra={"x-read-by": "tabard engine: the document format version"},
    )
    approval: Approval | None = None
    area: Area | None = None
    audience: Distinct[Text] | None = Field(
        default=None,
        description="Audience tags from the strategy.",
        examples=[["residents", "dog-owners"]],
    )
    avatar: Avatar | None = None
    banner: Banner | None = None
    bio: str | None = Field(
        default=None,
        description="Profile text as published.",
        examples=[
            "Gloucestershire Constabulary dog section. Not monitored 24/7 \N{EN DASH} don't "
            "report crime here. Emergency 999. Non-emergency 101 or online."
        ],
    )
    branding: Branding | None = None
    display_name: str = Field(
        description="Name shown on the profile.",
        min_length=1,
        examples=["Gloucestershire Police Dogs"],
    )
    engagement: Engagement | None = None
    force: ForceId = Field(
        description="The owning force (data.police.uk id).", examples=["gloucestershire"]
    )
    handle: str = Field(
        description=(
            "Public handle as shown on the platform, without the URL. For Facebook pages, the "
            "page's vanity name."
        ),
        min_length=1,
        examples=["@GlosPoliceDogs"],
    )
    handover: list[Handover] | None = Field(
        default=None, description="Changes of owner, oldest first."
    )
    id: Slug = Field(
        description=(
            "Stable id, unique in the repository and equal to the file name stem; survives "
            "handle changes."
        ),
        examples=["glos-x-dogs"],
    )
    kind: Literal["Account"] = Field(
        description="Document kind; always `Account` here.",
        examples=["Account"],
        json_schema_extra={"x-read-by": "tabard engine: selects the schema and the document kind"},
    )
    language: Language | None = None
    lifecycle: Lifecycle
    notes: str | None = Field(
        default=None,
        description="Free text.",
        examples=["Single corporate dogs account since the 2018 review."],
    )
    operators: list[Operator] | None = Field(
        default=None,
        description="Everyone with publishing, moderation or admin access, one entry each.",
    )
    owner: PersonRef | None = Field(
        default=None,
        description="The person who runs the account day to day.",
        examples=[
            {
                "collar_number": "PC 1001",
                "email": "example.one@gloucestershire.police.uk",
                "name": "PC Example One",
                "rank_or_grade": "Constable",
                "role": "Dog handler",
                "staff_number": "10001",
                "status": "current",
            }
        ],
    )
    parent_account: Slug | None = Field(
        default=None,
        description="Id of the account this one rolls up to.",
        examples=["glos-x-main"],
        json_schema_extra={
            "x-informational": (
                "Shows people how accounts roll up; no rule depends on the hierarchy."
            )
        },
    )
    platform: Platform = Field(description="The platform the account is on.", examples=["x"])
    platform_id: str | None = Field(
        default=None,
        description=(
            "Immutable id the platform gives the account. Quote it: ids are identifiers, not "
            "numbers."
        ),
        examples=["1234567890"],
        json_schema_extra={
            "x-informational": (
                "The platform's own id, for people tracing an account after a handle change; "
                "tabard never calls platforms."
            )
        },
    )
    retention: Retention | None = None
    security: Security | None = None
    senior: SeniorAccount | None = None
    strategy: StrategyLink | None = None
    transfer: Transfer | None = None
    unit: str | None = Field(
        default=None,
        description="Unit name from the strategy's unit list (department and team accounts).",
        examples=["Dog Section"],
    )
    url: Url | None = Field(
        default=None,
        description="Canonical profile URL.",
        examples=["https://x.com/GlosPoliceDogs"],
        json_schema_extra={"x-informational": "A link for people; tabard never calls platforms."},
    )
