"""An account's life: approval, lifecycle dates, handovers, transfer and retention."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tabard.models.base import Extensible
from tabard.models.common import (
    Date,
    LifecycleStatus,
    Slug,
)


class Approval(Extensible):
    """Corporate-communications approval of the account."""

    approved_by: str | None = Field(
        default=None,
        description="Who approved the account.",
        examples=["Head of Communications and Engagement"],
    )
    approved_on: Date | None = Field(
        default=None, description="Date of approval.", examples=["2025-03-01"]
    )
    approver_role: str | None = Field(
        default=None,
        description="The approver's role.",
        examples=["Head of Corporate Communications"],
    )
    reference: str | None = Field(
        default=None, description="Reference of the approval record.", examples=["CE-SM-014"]
    )


class Handover(Extensible):
    """One change of owner."""

    date: Date | None = Field(
        default=None,
        description="Date of the handover.",
        examples=["2024-09-02"],
        json_schema_extra={
            "x-informational": (
                "A record date for people; tabard cannot see the git history a handover check "
                "needs (catalogue LIF-007)."
            )
        },
    )
    from_: str | None = Field(
        default=None,
        alias="from",
        description="Previous owner (name or staff number).",
        examples=["PC Example Five"],
    )
    note: str | None = Field(
        default=None,
        description="Anything worth recording about the handover.",
        examples=["Handler retired; account passed to the new lead handler."],
    )
    to: str | None = Field(
        default=None, description="New owner (name or staff number).", examples=["PC Example One"]
    )


class Lifecycle(Extensible):
    """Where the account is in its life, and its key dates."""

    approved_on: Date | None = Field(
        default=None,
        description="Date the account was approved.",
        examples=["2018-03-01"],
        json_schema_extra={"x-informational": "A record date; ACC-004 reads approval.approved_on."},
    )
    campaign_ends_on: Date | None = Field(
        default=None,
        description=(
            "Date the campaign of a `campaign` account ends (LIF-011: the account closes "
            "within 30 days of it)."
        ),
        examples=["2026-06-30"],
    )
    closed_on: Date | None = Field(
        default=None, description="Date the account was closed.", examples=["2025-12-31"]
    )
    created_on: Date | None = Field(
        default=None, description="Date the account was created.", examples=["2018-03-01"]
    )
    handle_disposition: Literal["retained_locked", "released", "deleted"] | None = Field(
        default=None,
        description="What happened to the handle after closure.",
        examples=["retained_locked"],
    )
    last_post_on: Date | None = Field(
        default=None, description="Date of the latest post.", examples=["2025-03-20"]
    )
    last_reviewed: Date | None = Field(
        default=None,
        description="Date of the last account review.",
        examples=["2025-03-01"],
        json_schema_extra={
            "x-informational": (
                "A record date; LIF-002 enforces the review through lifecycle.next_review_due."
            )
        },
    )
    next_review_due: Date | None = Field(
        default=None, description="Date the next review is due.", examples=["2026-03-01"]
    )
    status: LifecycleStatus = Field(description="Current state.", examples=["active"])
    successor: str | None = Field(
        default=None,
        description="Id of the account followers should go to, or `none`.",
        pattern=r"^(none|[a-z0-9]+(-[a-z0-9]+)*)$",
        examples=["glos-x-dogs", "none"],
    )


class Retention(Extensible):
    """Archive and retention of a closed account's content."""

    archive_location: str | None = Field(
        default=None,
        description="Where the archive is kept.",
        examples=["records://comms/social/glos-x-dogs"],
    )
    archived_on: Date | None = Field(
        default=None, description="Date the content was archived.", examples=["2026-01-15"]
    )
    schedule_ref: str | None = Field(
        default=None,
        description="Retention schedule reference (NPCC National Retention Schedule class).",
        examples=["NRS 2.1"],
    )


class Transfer(Extensible):
    """Transfer of an unofficial account to official status."""

    due: Date | None = Field(
        default=None,
        description="Date by which the transfer must be complete.",
        examples=["2025-06-30"],
    )
    plan: str | None = Field(
        default=None,
        description="How the transfer will happen.",
        examples=["Rename handle, move followers, hand admin to corporate comms"],
        json_schema_extra={
            "x-informational": (
                "Free text for people; STAFFS-UNOFF-* and ACC-005 read transfer.target_account "
                "and transfer.due."
            )
        },
    )
    target_account: Slug | None = Field(
        default=None,
        description="Id of the official account it becomes or moves to.",
        examples=["staffs-x-dogs"],
    )
