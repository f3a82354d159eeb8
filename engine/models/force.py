"""The Force document: a force's identity and the facts its rules need."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from tabard.models.base import Distinct, Extensible, Nullable, Text, Unique, examples
from tabard.models.common import ApiVersion, ForceId, Url


class NonEmergency(Extensible):
    """The force's non-emergency contact route."""

    model_config = ConfigDict(
        json_schema_extra={
            "x-informational": (
                "Contact facts for people and templates; the bio wording rules read the brand "
                "guide's bio.required.non_emergency."
            )
        }
    )

    online_url: Url | None = Field(
        default=None,
        description="Online reporting page.",
        examples=["https://www.police.uk/pu/contact-the-police/"],
    )
    phone: str | None = Field(
        default=None,
        description="Non-emergency phone number. Quote it.",
        examples=["101", "0800 40 50 40"],
    )
    text: str | None = Field(
        default=None, description="Non-emergency text number. Quote it.", examples=["61016"]
    )


class Force(Extensible):
    """A force profile: the force's identity and the facts rules need about it (email domains,
    non-emergency route, Welsh Language Standards, minimum accountable rank, SMMP, approved
    apps). One per force.
    """

    model_config = ConfigDict(
        title="tabard Force",
        json_schema_extra={"examples": examples("force")},
    )

    required_order = ("apiVersion", "kind", "force", "name")

    accountable_ranks: Distinct[Text] | None = Field(
        default=None,
        description=(
            "Ranks and police-staff grades that may be an account's accountable officer "
            "(ACC-002). Written out rather than ordered, because police ranks and staff "
            "grades do not share one ladder."
        ),
        examples=[
            [
                "Inspector",
                "Chief Inspector",
                "Superintendent",
                "Chief Superintendent",
                "Head of Communications",
            ]
        ],
    )
    api_version: ApiVersion = Field(
        alias="apiVersion",
        description="Document format version; always `tabard/v1`.",
        examples=["tabard/v1"],
        json_schema_extra={"x-read-by": "tabard engine: the document format version"},
    )
    approved_apps: Distinct[Text] | None = Field(
        default=None,
        description="Third-party apps and services approved for connection to force accounts.",
        examples=[["mynewsdesk", "orlo"]],
    )
    directory_url: Url | None = Field(
        default=None,
        description="The force's public directory of official accounts.",
        examples=["https://example.invalid/our-social-media"],
        json_schema_extra={
            "x-informational": (
                "The published directory, for people; each account's listing is checked through "
                "branding.listed_on_force_site and listing_url."
            )
        },
    )
    email_domains: (
        Annotated[
            list[
                Annotated[
                    Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")],
                    Field(
                        description="A lowercase domain name without `@`.",
                        examples=["gloucestershire.police.uk"],
                    ),
                ]
            ],
            Unique(),
        ]
        | None
    ) = Field(
        default=None,
        description=(
            "Email domains of the force, without `@`; staff and login emails must end with "
            "one of them."
        ),
        examples=[["gloucestershire.police.uk", "gloucestershire.pnn.police.uk"]],
    )
    force: ForceId = Field(
        description="The force this profile describes.",
        examples=["btp"],
        json_schema_extra={
            "x-read-by": "tabard engine: ties the document to its force (rules' forces:, lookups)"
        },
    )
    house_rules_url: Url | None = Field(
        default=None,
        description="The force's social media house rules page.",
        examples=["https://example.invalid/house-rules"],
    )
    kind: Literal["Force"] = Field(
        description="Document kind; always `Force` here.",
        examples=["Force"],
        json_schema_extra={"x-read-by": "tabard engine: selects the schema and the document kind"},
    )
    min_accountable_rank: str | None = Field(
        default=None,
        description="Lowest rank or grade that may be an account's accountable officer.",
        examples=["Inspector"],
    )
    name: str = Field(
        description="The force's name for display.",
        min_length=1,
        examples=["British Transport Police"],
    )
    non_emergency: NonEmergency | None = Field(
        default=None,
        json_schema_extra={
            "x-informational": (
                "Contact facts for people and templates; the bio wording rules read the brand "
                "guide's bio.required.non_emergency."
            )
        },
    )
    political_terms: Distinct[Text] | None = Field(
        default=None,
        description="Party-political terms that must not appear in display names or bios.",
        examples=[["vote for", "Labour", "Conservative"]],
    )
    short_code: str | None = Field(
        default=None,
        description="Short upper-case code for display, file names and rule ids.",
        examples=["BTP", "GLOS"],
        json_schema_extra={"x-informational": "A label for people and file names."},
    )
    smmp: Annotated[str | None, Nullable()] = Field(
        default=None,
        description="The force's social media management platform, or null if it has none.",
        examples=["orlo", None],
    )
    welsh_standards: bool | None = Field(
        default=None,
        description=(
            "Whether the force is bound by the Welsh Language Standards (dyfed-powys, gwent, "
            "north-wales, south-wales)."
        ),
        examples=[True, False],
    )
