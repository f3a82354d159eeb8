"""How an account presents itself: accessibility, pictures, branding and language."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tabard.models.base import Distinct, Extensible, Text
from tabard.models.common import (
    Sha256,
    Slug,
    Url,
)


class Accessibility(Extensible):
    """Accessibility commitments."""

    alt_text: Literal["required", "best_effort"] | None = Field(
        default=None, description="Alt text on images.", examples=["required"]
    )
    captions: Literal["required", "best_effort"] | None = Field(
        default=None, description="Captions on video.", examples=["required"]
    )


class Avatar(Extensible):
    """Profile picture."""

    asset: str | None = Field(
        default=None,
        description="Id of an approved asset in the force brand guide.",
        examples=["crest-roundel-dogs"],
    )
    sha256: Sha256 | None = Field(
        default=None,
        description=(
            "Optional SHA-256 of the uploaded image, checked against the brand guide's asset."
        ),
        examples=["889d566a95e5f3dd29c3d27afeae1f2bce1608552fc5e4a05eaba728d3a5db8d"],
    )


class Banner(Extensible):
    """Header / banner image."""

    asset: str | None = Field(
        default=None,
        description="Id of an approved banner asset in the force brand guide.",
        examples=["banner-dogs-2025"],
    )


class Branding(Extensible):
    """Identification as an official account."""

    listed_on_force_site: bool | None = Field(
        default=None,
        description="Whether the account is in the force's public directory of official accounts.",
        examples=[True, False],
    )
    listing_url: Url | None = Field(
        default=None, description="Where it is listed.", examples=["https://example.invalid/social"]
    )
    platform_verification: Literal["verified", "not_available", "pending", "none"] | None = Field(
        default=None, description="Platform verification badge state.", examples=["verified"]
    )
    signoff_convention: Literal["none", "optional", "required"] | None = Field(
        default=None, description="Whether operators sign their posts.", examples=["required"]
    )


class Language(Extensible):
    """Language of the account."""

    mode: Literal["en", "cy", "bilingual", "other"] | None = Field(
        default=None,
        description="en, cy (Welsh), bilingual or other.",
        examples=["en", "bilingual"],
    )
    paired_account: Slug | None = Field(
        default=None,
        description="Id of the twin account in the other language.",
        examples=["dpp-x-main-en"],
    )
    primary: str | None = Field(
        default=None, description="Main language (BCP 47 tag).", examples=["en-GB", "cy-GB"]
    )
    secondary: Distinct[Text] | None = Field(
        default=None, description="Other languages used (BCP 47 tags).", examples=[["en-GB"]]
    )
    translation_route: str | None = Field(
        default=None,
        description="How content and replies in the other language are produced.",
        examples=["In-team Welsh speakers; Welsh Language Unit fallback"],
    )
    welsh_bio: str | None = Field(
        default=None,
        description=(
            "The Welsh part of the bio, as published (WALES-LNG-002 and -004 accept a bio "
            "that contains it without judging its language)."
        ),
        min_length=1,
        examples=["Argyfwng 999"],
        json_schema_extra={"x-read-by": "WALES-LNG-002/004 (plugin code)."},
    )
    welsh_display_name: str | None = Field(
        default=None,
        description=(
            "The Welsh part of the display name, as published (Welsh Language Standards: "
            "WALES-LNG-001 accepts a display name that contains it without judging its "
            "language)."
        ),
        min_length=1,
        examples=["Uned Forol"],
        json_schema_extra={"x-read-by": "WALES-LNG-001 (plugin code)."},
    )
