"""The BrandGuide document: a force's approved images, bio wording, handle patterns and limits."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from tabard.models.base import Describe, Distinct, Extensible, Text, Unique, Untyped, examples
from tabard.models.common import AccountType, ApiVersion, ForceId, Platform, Sha256, Url


class Asset(Extensible):
    """One approved image; its key in `assets` is the id that accounts cite."""

    allowed_types: Distinct[Annotated[AccountType, Describe("An account type.")]] | None = Field(
        default=None,
        description="Account types that may use it (all, if left out).",
        examples=[["corporate", "department"]],
    )
    kind: Literal["avatar", "banner"] | None = Field(
        default=None, description="avatar or banner.", examples=["avatar"]
    )
    sha256: Sha256 | None = Field(
        default=None,
        description="SHA-256 of the approved image file.",
        examples=["92f83595518c1c02b8b5f653393c5628ff289cf1b557e90e741ce54e68d62280"],
    )


class Required(Extensible):
    """Phrases a bio must contain; any one phrase of each list satisfies that requirement. Each
    list adds to the national defaults unless bio.replace_defaults names it.
    """

    emergency: Distinct[Text] | None = Field(
        default=None, description="Emergency wording.", examples=[["999"]]
    )
    non_emergency: Distinct[Text] | None = Field(
        default=None,
        description="Non-emergency route wording.",
        examples=[["101", "met.police.uk"]],
    )
    not_monitored: Distinct[Text] | None = Field(
        default=None,
        description="Not-monitored wording.",
        examples=[["not monitored 24/7", "don't report crime here"]],
    )


class RequiredWhen(Extensible):
    """When a requirement applies, written as a readable expression (documentation; the rules
    encode the logic).
    """

    emergency: str | None = Field(
        default=None, description="When the emergency wording is required.", examples=["always"]
    )
    non_emergency: str | None = Field(
        default=None, description="When the non-emergency wording is required.", examples=["always"]
    )
    not_monitored: str | None = Field(
        default=None,
        description="When the not-monitored wording is required.",
        examples=["engagement.monitoring.always_on == false"],
    )


class Bio(Extensible):
    """What account bios must and must not say."""

    replace_defaults: (
        Annotated[
            list[
                Annotated[
                    Literal["emergency", "non_emergency", "not_monitored", "forbidden"], Untyped()
                ]
            ],
            Unique(),
        ]
        | None
    ) = Field(
        default=None,
        description=(
            "Phrase lists of this brand guide that replace tabard's national defaults instead "
            "of adding to them. Without this, each list here (bio.required.emergency, "
            "non_emergency, not_monitored and bio.forbidden) adds to the national wordings "
            "(999; 101; 'not monitored 24/7', 'don't report crime here' and the like; 'views "
            "are my own' and the like)."
        ),
        examples=[["non_emergency"]],
    )
    required: Required | None = None
    forbidden: Distinct[Text] | None = Field(
        default=None,
        description=(
            "Phrases no official bio may contain, in addition to the national defaults unless "
            "bio.replace_defaults names forbidden."
        ),
        examples=[["views are my own", "RT ≠ endorsement"]],
    )
    required_when: RequiredWhen | None = None


class ForceNames(Extensible):
    """Names and approved short forms of the force."""

    cy: Distinct[Text] | None = Field(
        default=None, description="Welsh names.", examples=[["Heddlu Gogledd Cymru"]]
    )
    en: Distinct[Text] | None = Field(
        default=None,
        description="English names.",
        examples=[["Metropolitan Police", "Met Police", "MPS"]],
    )


class PlatformLimit(Extensible):
    """Limits on one platform."""

    bio: int | None = Field(
        default=None, description="Most characters in a bio.", ge=0, examples=[160]
    )
    display_name: int | None = Field(
        default=None, description="Most characters in a display name.", ge=0, examples=[50]
    )


class Welsh(Extensible):
    """Welsh-language requirements (forces bound by the Welsh Language Standards)."""

    bio_must_name_pair: bool | None = Field(
        default=None,
        description="Whether each bio of a paired account must name the other-language account.",
        examples=[True, False],
    )
    required_mode: (
        Annotated[
            list[
                Annotated[
                    Literal["bilingual", "paired"],
                    Field(description="bilingual or paired.", examples=["bilingual"]),
                ]
            ],
            Unique(),
        ]
        | None
    ) = Field(
        default=None,
        description="Accepted ways of serving Welsh speakers.",
        examples=[["bilingual", "paired"]],
    )


class BrandGuide(Extensible):
    """A force brand guide: the names, display-name and handle patterns, approved images, required
    and forbidden bio phrases, Welsh-language requirements and platform limits that branding
    rules check accounts against. One per force.
    """

    model_config = ConfigDict(
        title="tabard BrandGuide",
        json_schema_extra={"examples": examples("brand-guide")},
    )

    required_order = ("apiVersion", "kind", "force")

    api_version: ApiVersion = Field(
        alias="apiVersion",
        description="Document format version; always `tabard/v1`.",
        examples=["tabard/v1"],
        json_schema_extra={"x-read-by": "tabard engine: the document format version"},
    )
    assets: (
        dict[
            Annotated[
                str,
                StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"),
                Describe("Asset id."),
            ],
            Asset,
        ]
        | None
    ) = Field(
        default=None,
        description=(
            "Approved images, keyed by asset id (the id accounts cite in avatar.asset and "
            "banner.asset)."
        ),
        examples=[
            {
                "crest-2025": {
                    "kind": "avatar",
                    "allowed_types": ["corporate", "department", "neighbourhood"],
                }
            }
        ],
    )
    bio: Bio | None = None
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
    display_name_patterns: (
        dict[
            AccountType,
            Annotated[
                Text,
                Describe("A Python regular expression (search)."),
            ],
        ]
        | None
    ) = Field(
        default=None,
        description="Python regular expression each account type's display name must match.",
        examples=[
            {
                "corporate": "^Metropolitan Police$",
                "neighbourhood": "^MPS (?P<borough>[A-Z][A-Za-z &-]+)$",
            }
        ],
    )
    force: ForceId = Field(
        description="The force this brand guide belongs to.",
        examples=["metropolitan"],
        json_schema_extra={
            "x-read-by": "tabard engine: ties the document to its force (rules' forces:, lookups)"
        },
    )
    force_names: ForceNames | None = None
    handle_exceptions: Distinct[Text] | None = Field(
        default=None,
        description="Legacy handles allowed despite the patterns.",
        examples=[["EalingMPS", "LambethMPS"]],
    )
    handle_patterns: (
        dict[
            AccountType,
            Annotated[
                Annotated[list[Text], Field(min_length=1)],
                Describe("Alternative Python regular expressions."),
            ],
        ]
        | None
    ) = Field(
        default=None,
        description=(
            "Python regular expressions for each account type's handle (any one may match), "
            "compared ignoring case as the platforms do. platform_handle_patterns overrides "
            "them for one platform."
        ),
        examples=[
            {
                "corporate": ["^metpoliceuk$"],
                "department": ["^MPS[A-Za-z]+$", "^Met[A-Za-z]+$"],
                "neighbourhood": ["^MPS(?P<borough>[A-Za-z]+)$"],
            }
        ],
    )
    kind: Literal["BrandGuide"] = Field(
        description="Document kind; always `BrandGuide` here.",
        examples=["BrandGuide"],
        json_schema_extra={"x-read-by": "tabard engine: selects the schema and the document kind"},
    )
    platform_handle_patterns: (
        dict[
            Platform,
            Annotated[
                dict[
                    AccountType,
                    Annotated[
                        Annotated[
                            list[Text],
                            Field(min_length=1),
                        ],
                        Describe("Alternative Python regular expressions."),
                    ],
                ],
                Describe("Patterns for this platform, by account type."),
            ],
        ]
        | None
    ) = Field(
        default=None,
        description=(
            "Handle patterns for one platform, by account type, where that platform's handles "
            "differ from handle_patterns (Facebook, Instagram, Snapchat and Nextdoor name "
            "things differently). For an account on that platform and of that type these "
            "replace handle_patterns; other types and platforms use handle_patterns. Python "
            "regular expressions, compared ignoring case."
        ),
        examples=[{"facebook": {"neighbourhood": ["^MPS[A-Za-z]+$", "^Met Police [A-Za-z ]+$"]}}],
    )
    platform_limits: dict[Platform, PlatformLimit] | None = Field(
        default=None,
        description="Length limits per platform, maintained from platform documentation.",
        examples=[
            {"instagram": {"bio": 150, "display_name": 30}, "x": {"bio": 160, "display_name": 50}}
        ],
    )
    version: str | None = Field(
        default=None,
        description="Version of the brand guide. Quote it so YAML keeps it a string.",
        examples=["2025.2"],
        json_schema_extra={"x-informational": "The brand guide's own version, for people."},
    )
    welsh: Welsh | None = None
