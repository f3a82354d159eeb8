"""How an account is run: engagement and monitoring, operators and security."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from tabard.models.base import Describe, Distinct, Extensible, Text
from tabard.models.common import (
    Date,
    Email,
    StaffStatus,
    Time,
    Url,
    Weekday,
)


class MonitoredWindow(Extensible):
    """One recurring monitored period."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"days": ["mon", "tue", "wed", "thu", "fri"], "end": "17:00", "start": "08:00"}
            ]
        }
    )

    days: Distinct[Annotated[Weekday, Describe("A day of the week.")]] | None = Field(
        default=None,
        description="Days the window applies to.",
        min_length=1,
        examples=[["mon", "tue", "wed", "thu", "fri"]],
    )
    end: Time | None = Field(
        default=None, description="End of monitoring (local time).", examples=["17:00"]
    )
    start: Time | None = Field(
        default=None, description="Start of monitoring (local time).", examples=["08:00"]
    )


class Monitoring(Extensible):
    """When the account is monitored."""

    always_on: bool | None = Field(
        default=None, description="Whether the account is monitored 24/7.", examples=[True, False]
    )
    bank_holidays: bool | None = Field(
        default=None,
        description="Whether the windows also apply on bank holidays.",
        examples=[True, False],
    )
    tz: str | None = Field(
        default=None, description="IANA time zone of the windows.", examples=["Europe/London"]
    )
    windows: list[MonitoredWindow] | None = Field(
        default=None, description="Monitored periods when not always on."
    )


class Engagement(Extensible):
    """How the account is used, monitored and moderated."""

    content_review: Literal["none", "comms_for_appeals", "comms_for_all"] | None = Field(
        default=None, description="Pre-publication review route.", examples=["comms_for_appeals"]
    )
    digital_desk: bool | None = Field(
        default=None,
        description="Whether inbound messages are handled by the force digital desk.",
        examples=[True, False],
    )
    dms_open: bool | None = Field(
        default=None, description="Whether direct messages are accepted.", examples=[True, False]
    )
    election_sensitive: bool | None = Field(
        default=None,
        description=(
            "Whether the account needs pre-election handling (OPCC, chief officer, corporate)."
        ),
        examples=[True, False],
    )
    escalation_route: str | None = Field(
        default=None,
        description=(
            "Out-of-hours route for risk (e.g. control_room, digital_desk, on_call_press_officer)."
        ),
        examples=["control_room"],
    )
    house_rules_url: Url | None = Field(
        default=None,
        description="Community standards / house rules page.",
        examples=["https://example.invalid/house-rules"],
    )
    mode: Literal["broadcast", "two_way", "contact_channel"] | None = Field(
        default=None,
        description="Intended use: broadcast, two_way or contact_channel.",
        examples=["two_way"],
    )
    monitoring: Monitoring | None = None
    pre_election_plan: str | None = Field(
        default=None,
        description="What the account does in a pre-election period.",
        examples=["Pause proactive posts; reactive safety messages only."],
    )
    response_target_hours: int | None = Field(
        default=None, description="Target time to respond, in hours.", ge=0, examples=[24]
    )


class Operator(Extensible):
    """A person with access to the account."""

    access_via: Literal["smmp", "native"] | None = Field(
        default=None,
        description=(
            "How they reach the account: through the social media management platform (smmp) "
            "or by logging in to the platform itself (native)."
        ),
        examples=["smmp"],
    )
    collar_number: str | None = Field(
        default=None,
        description=(
            "Collar number for officers. Quote it in YAML: staff numbers are identifiers, not "
            "numbers (a leading zero must survive)."
        ),
        examples=["PC 1003"],
    )
    email: Email | None = Field(
        default=None,
        description="Work email address.",
        examples=["example.three@gloucestershire.police.uk"],
    )
    languages: Distinct[Text] | None = Field(
        default=None,
        description="Languages they can post and reply in (BCP 47 tags).",
        examples=[["en-GB", "cy-GB"]],
    )
    left_on: Date | None = Field(
        default=None,
        description="Date they left or lost access rights (for leaver checks).",
        examples=["2025-05-31"],
    )
    mfa: bool | None = Field(
        default=None,
        description="Whether their own access is protected by multi-factor authentication.",
        examples=[True, False],
    )
    name: str | None = Field(
        default=None, description="Full name of the operator.", examples=["PC Example Three"]
    )
    role: Literal["publisher", "moderator", "admin"] | None = Field(
        default=None,
        description="What they may do: publisher, moderator or admin.",
        examples=["publisher"],
    )
    signoff: str | None = Field(
        default=None,
        description="Sign-off token they add to posts on shared accounts.",
        examples=["^PC1003"],
    )
    staff_number: str | None = Field(
        default=None,
        description=(
            "HR/staff number. Quote it in YAML: staff numbers are identifiers, not numbers (a "
            "leading zero must survive)."
        ),
        examples=["10003"],
    )
    status: StaffStatus | None = Field(
        default=None,
        description="Employment status: current, leaver or absent.",
        examples=["current"],
    )


class Mfa(Extensible):
    """Multi-factor authentication on the account itself."""

    enabled: bool | None = Field(
        default=None, description="Whether MFA is on.", examples=[True, False]
    )
    method: Literal["authenticator_app", "hardware_key", "sms", "platform_passkey"] | None = Field(
        default=None, description="The second factor.", examples=["authenticator_app"]
    )


class Security(Extensible):
    """How access to the account is secured (never the secrets themselves)."""

    connected_apps: Distinct[Text] | None = Field(
        default=None,
        description="Third-party apps and services connected to the account.",
        examples=[["mynewsdesk"]],
    )
    credential_store: Literal["force_password_manager", "smmp", "other"] | None = Field(
        default=None,
        description="Where the credentials are kept (never the secret itself).",
        examples=["smmp"],
    )
    last_access_review: Date | None = Field(
        default=None,
        description="Date operators were last reconciled against who really has access.",
        examples=["2025-02-10"],
    )
    login_email: Email | None = Field(
        default=None,
        description="Login / recovery mailbox; a corporate role or team mailbox.",
        examples=["socialmedia.dogs@gloucestershire.police.uk"],
    )
    mfa: Mfa | None = None
    shared_login: bool | None = Field(
        default=None,
        description="Whether people share one login (should be false).",
        examples=[True, False],
    )
    smmp: str | None = Field(
        default=None,
        description="Social media management platform product or instance.",
        examples=["orlo"],
    )
