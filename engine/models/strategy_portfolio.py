"""What a strategy allows: the account portfolio and the review cycle."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tabard.models.base import Describe, Distinct, Extensible, Text
from tabard.models.common import (
    AccountType,
    Platform,
)


class IndividualAccounts(Extensible):
    """Individual-officer accounts."""

    allowed: bool | None = Field(
        default=None,
        description="Whether individual-officer accounts are allowed.",
        examples=[True, False],
    )
    allowed_roles: Distinct[Text] | None = Field(
        default=None,
        description="Roles that may have one.",
        examples=[["Neighbourhood Sergeant", "Wildlife Crime Officer"]],
    )


class MaxAccounts(Extensible):
    """Ceiling on active accounts: overall and per platform."""

    bluesky: int | None = Field(
        default=None, description="Ceiling on active accounts on bluesky.", ge=0, examples=[10]
    )
    facebook: int | None = Field(
        default=None, description="Ceiling on active accounts on facebook.", ge=0, examples=[10]
    )
    flickr: int | None = Field(
        default=None, description="Ceiling on active accounts on flickr.", ge=0, examples=[10]
    )
    instagram: int | None = Field(
        default=None, description="Ceiling on active accounts on instagram.", ge=0, examples=[10]
    )
    linkedin: int | None = Field(
        default=None, description="Ceiling on active accounts on linkedin.", ge=0, examples=[10]
    )
    nextdoor: int | None = Field(
        default=None, description="Ceiling on active accounts on nextdoor.", ge=0, examples=[10]
    )
    other: int | None = Field(
        default=None, description="Ceiling on active accounts on other.", ge=0, examples=[10]
    )
    snapchat: int | None = Field(
        default=None, description="Ceiling on active accounts on snapchat.", ge=0, examples=[10]
    )
    threads: int | None = Field(
        default=None, description="Ceiling on active accounts on threads.", ge=0, examples=[10]
    )
    tiktok: int | None = Field(
        default=None, description="Ceiling on active accounts on tiktok.", ge=0, examples=[10]
    )
    total: int | None = Field(
        default=None, description="Ceiling on active accounts overall.", ge=0, examples=[60]
    )
    whatsapp_channel: int | None = Field(
        default=None,
        description="Ceiling on active accounts on whatsapp_channel.",
        ge=0,
        examples=[10],
    )
    x: int | None = Field(
        default=None, description="Ceiling on active accounts on x.", ge=0, examples=[10]
    )
    youtube: int | None = Field(
        default=None, description="Ceiling on active accounts on youtube.", ge=0, examples=[10]
    )


class UnofficialAccounts(Extensible):
    """Unofficial accounts."""

    allowed: bool | None = Field(
        default=None,
        description="Whether unofficial accounts are tolerated at all.",
        examples=[True, False],
    )
    transfer_deadline_days: int | None = Field(
        default=None,
        description="Days an unofficial account has to transfer to official status.",
        ge=0,
        le=36500,
        examples=[90],
        json_schema_extra={
            "x-read-by": (
                "STAFFS-UNOFF-002 (plugin code); forces without a plugin rule on it keep it as "
                "their written deadline."
            )
        },
    )


class Portfolio(Extensible):
    """The account portfolio the force allows."""

    allowed_platforms: Distinct[Annotated[Platform, Describe("A platform.")]] | None = Field(
        default=None,
        description="Platforms the force uses.",
        examples=[["x", "facebook", "instagram"]],
    )
    allowed_types: Distinct[Annotated[AccountType, Describe("An account type.")]] | None = Field(
        default=None,
        description="Account types the force runs.",
        examples=[["corporate", "department", "neighbourhood"]],
    )
    individual_accounts: IndividualAccounts | None = None
    max_accounts: MaxAccounts | None = None
    max_per_area: (
        dict[
            Platform,
            Annotated[int, Field(ge=0), Describe("The number for that platform.")],
        ]
        | None
    ) = Field(
        default=None,
        description="Most active accounts per area on each platform.",
        examples=[{"facebook": 1, "x": 1}],
    )
    max_per_unit: (
        dict[
            Platform,
            Annotated[int, Field(ge=0), Describe("The number for that platform.")],
        ]
        | None
    ) = Field(
        default=None,
        description="Most active accounts per unit on each platform.",
        examples=[{"x": 1}],
    )
    unofficial_accounts: UnofficialAccounts | None = None


class ReviewCycle(Extensible):
    """Review intervals and thresholds for accounts."""

    access_review_days: int | None = Field(
        default=None, description="Days between access reviews.", ge=1, le=36500, examples=[90]
    )
    account_review_months: int | None = Field(
        default=None,
        description="Months between account reviews.",
        ge=1,
        examples=[12],
        json_schema_extra={
            "x-informational": (
                "The cycle people use to set each account's lifecycle.next_review_due, which "
                "LIF-002 enforces; the language cannot add months to a date."
            )
        },
    )
    close_after_days: int | None = Field(
        default=None,
        description="Days without a post before an account must be closed.",
        ge=1,
        le=36500,
        examples=[180],
    )
    dormancy_days: int | None = Field(
        default=None,
        description="Days without a post before an account is dormant.",
        ge=1,
        le=36500,
        examples=[90],
    )
