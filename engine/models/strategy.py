"""The Strategy document: a force's communications strategy, its objectives and geography."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from tabard.models.base import Describe, Distinct, Extensible, Text, Untyped, examples
from tabard.models.common import (
    AccountType,
    ApiVersion,
    AreaLevel,
    Date,
    ForceId,
    Platform,
    Slug,
    Time,
    Url,
    Weekday,
)
from tabard.models.strategy_portfolio import Portfolio, ReviewCycle


class ApprovedBy(Extensible):
    """Who approved the strategy."""

    model_config = ConfigDict(
        json_schema_extra={
            "x-informational": "A record of approval, for people; STR-011 enforces the review date."
        }
    )

    role: str | None = Field(
        default=None, description="Approver's role.", examples=["Deputy Chief Constable"]
    )


class Area(Extensible):
    """One area."""

    code: str = Field(
        description="Area code, cited by accounts in area.code.", min_length=1, examples=["CANNOCK"]
    )
    name: str | None = Field(
        default=None,
        description="Area name.",
        examples=["Cannock Chase"],
        json_schema_extra={
            "x-informational": "The area's name, for people; accounts cite area codes."
        },
    )


class Geography(Extensible):
    """The areas neighbourhood accounts are keyed to."""

    areas: list[Area] | None = Field(default=None, description="The areas.")
    level: AreaLevel | None = Field(
        default=None,
        description="The level of the areas.",
        examples=["district"],
        json_schema_extra={"x-informational": "Describes the areas, for people."},
    )


class Link(Extensible):
    """A linked document."""

    title: str | None = Field(
        default=None,
        description="Title of the linked document.",
        examples=["Police, Fire and Crime Plan 2024\N{EN DASH}2028"],
    )
    priorities: Distinct[Text] | None = Field(
        default=None,
        description="Priority ids in the linked document.",
        examples=[["PCP-1", "PCP-2"]],
    )
    url: Url | None = Field(
        default=None,
        description="Where it is published.",
        examples=["https://example.invalid/plan"],
    )


class DefaultMonitoredHours(Extensible):
    """Monitored hours of accounts not on the desk."""

    bank_holidays: bool | None = Field(
        default=None, description="Whether bank holidays are monitored.", examples=[True, False]
    )
    days: Distinct[Annotated[Weekday, Describe("A day of the week.")]] | None = Field(
        default=None,
        description="Days monitored.",
        examples=[["mon", "tue", "wed", "thu", "fri"]],
    )
    end: Time | None = Field(default=None, description="End of monitoring.", examples=["17:00"])
    start: Time | None = Field(default=None, description="Start of monitoring.", examples=["08:00"])
    tz: str | None = Field(default=None, description="IANA time zone.", examples=["Europe/London"])


class DigitalDesk(Extensible):
    """The force digital desk."""

    channels: Distinct[Text] | None = Field(
        default=None,
        description="Accounts or account types it handles.",
        examples=[["corporate"]],
    )
    exists: bool | None = Field(
        default=None, description="Whether the force has a digital desk.", examples=[True, False]
    )
    hours: str | None = Field(default=None, description="Its hours.", examples=["24/7"])


class MonitoringModel(Extensible):
    """How the force monitors its accounts."""

    default_monitored_hours: DefaultMonitoredHours | None = None
    digital_desk: DigitalDesk | None = None


class Requires(Extensible):
    """What accounts serving it must provide."""

    always_on: bool | None = Field(
        default=None, description="Accounts must be monitored 24/7.", examples=[True, False]
    )
    digital_desk: bool | None = Field(
        default=None,
        description="Accounts must be handled by the digital desk.",
        examples=[True, False],
    )


class Objective(Extensible):
    """One objective of the strategy."""

    title: str | None = Field(
        default=None,
        description="Short title.",
        examples=["Two-way local engagement"],
        json_schema_extra={"x-informational": "The objective's title, for people."},
    )
    description: str | None = Field(
        default=None,
        description="What the objective is for.",
        examples=["Hear and answer local concerns in each district."],
        json_schema_extra={"x-informational": "What the objective is for, in words."},
    )
    allowed_account_types: Distinct[Annotated[AccountType, Describe("An account type.")]] | None = (
        Field(
            default=None,
            description="Account types that may serve it.",
            examples=[["neighbourhood", "team"]],
        )
    )
    allowed_platforms: Distinct[Annotated[Platform, Describe("A platform.")]] | None = Field(
        default=None,
        description="Platforms that may serve it.",
        examples=[["facebook", "x", "nextdoor"]],
    )
    audiences: Distinct[Text] | None = Field(
        default=None,
        description="Audience tags it serves.",
        examples=[["residents", "young-people"]],
    )
    engagement: Literal["dialogue", "broadcast", "contact"] | None = Field(
        default=None,
        description="The kind of engagement: dialogue, broadcast or contact.",
        examples=["dialogue"],
    )
    id: str = Field(
        description="Objective id, cited by accounts in strategy.objectives.",
        pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$",
        examples=["OBJ-ENG-01"],
    )
    measures: Distinct[Text] | None = Field(
        default=None,
        description="How it is measured.",
        examples=[["share_of_comments_answered", "replies_within_target"]],
        json_schema_extra={"x-informational": "How the objective is measured, outside tabard."},
    )
    pcc_priorities: Distinct[Text] | None = Field(
        default=None,
        description="Police and crime plan priorities it serves.",
        examples=[["PCP-2"]],
        json_schema_extra={
            "x-informational": "Links the objective to the police and crime plan, for people."
        },
    )
    requires: Requires | None = None
    status: Literal["active", "retired", "draft"] | None = Field(
        default=None, description="active, retired or draft.", examples=["active"]
    )


class Owner(Extensible):
    """Who owns the strategy."""

    model_config = ConfigDict(
        json_schema_extra={"x-informational": "Who owns the strategy, for people."}
    )

    role: str | None = Field(
        default=None, description="Owner's role.", examples=["Head of Corporate Communications"]
    )


class PreElectionPeriod(Extensible):
    """One pre-election period."""

    required_order = ("start", "end")

    end: Date = Field(description="Last day of the period.", examples=["2024-05-02"])
    name: str | None = Field(
        default=None,
        description="Name of the election period.",
        examples=["PFCC and local elections 2024"],
        json_schema_extra={
            "x-informational": "The election's name, for people; ENG-011 reads start and end."
        },
    )
    start: Date = Field(description="First day of the period.", examples=["2024-03-18"])


class Strategy(Extensible):
    """A force communications strategy: objectives accounts must cite, the account portfolio the
    force allows (types, platforms, caps), its geography and units, the monitoring model,
    pre-election periods and review cycle. One current strategy per force.
    """

    model_config = ConfigDict(
        title="tabard Strategy",
        json_schema_extra={"examples": examples("strategy")},
    )

    required_order = ("apiVersion", "kind", "force", "id", "objectives")

    title: str | None = Field(
        default=None,
        description="Title of the strategy.",
        examples=["Staffordshire Police Communications and Engagement Strategy 2025"],
        json_schema_extra={"x-informational": "The strategy's title, for people."},
    )
    api_version: ApiVersion = Field(
        alias="apiVersion",
        description="Document format version; always `tabard/v1`.",
        examples=["tabard/v1"],
        json_schema_extra={"x-read-by": "tabard engine: the document format version"},
    )
    account_approvers: Distinct[Text] | None = Field(
        default=None,
        description=(
            "Roles that may approve a new account (ACC-004): an account's "
            "approval.approver_role must be one of them. Usually corporate communications, "
            "e.g. Head of Corporate Communications; ranks may be written in any common form "
            "(DCC, Deputy Chief Constable)."
        ),
        min_length=1,
        examples=[["Head of Corporate Communications", "Digital Communications Manager"]],
    )
    approved_by: ApprovedBy | None = Field(
        default=None,
        json_schema_extra={
            "x-informational": "A record of approval, for people; STR-011 enforces the review date."
        },
    )
    approved_on: Date | None = Field(
        default=None,
        description="Date of approval.",
        examples=["2025-04-01"],
        json_schema_extra={"x-informational": "A record date; STR-011 enforces review_due."},
    )
    force: ForceId = Field(
        description="The force this strategy belongs to.", examples=["staffordshire"]
    )
    geography: Geography | None = None
    id: Slug = Field(
        description="Strategy id, cited by accounts in strategy.document.",
        examples=["staffs-comms-2025"],
    )
    kind: Literal["Strategy"] = Field(
        description="Document kind; always `Strategy` here.",
        examples=["Strategy"],
        json_schema_extra={"x-read-by": "tabard engine: selects the schema and the document kind"},
    )
    links: (
        dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$"), Untyped()], Link]
        | None
    ) = Field(
        default=None,
        description=(
            "Documents the strategy links to, keyed by a lowercase name (e.g. "
            "police_and_crime_plan)."
        ),
        examples=[
            {
                "police_and_crime_plan": {
                    "priorities": ["PCP-1", "PCP-2", "PCP-3"],
                    "title": "Police, Fire and Crime Plan 2024\N{EN DASH}2028",
                }
            }
        ],
        json_schema_extra={
            "x-informational": (
                "Documents the strategy answers to, for people; objectives cite their "
                "priorities in pcc_priorities."
            )
        },
    )
    monitoring_model: MonitoringModel | None = None
    objectives: list[Objective] = Field(description="The strategy's objectives.", min_length=1)
    owner: Owner | None = Field(
        default=None, json_schema_extra={"x-informational": "Who owns the strategy, for people."}
    )
    portfolio: Portfolio | None = None
    pre_election_periods: list[PreElectionPeriod] | None = Field(
        default=None, description="Pre-election (purdah) periods."
    )
    review_cycle: ReviewCycle | None = None
    review_due: Date | None = Field(
        default=None, description="Date the strategy is due for review.", examples=["2026-04-01"]
    )
    units: Distinct[Text] | None = Field(
        default=None,
        description="Units that may run department or team accounts, cited in unit.",
        examples=[["Dog Section", "Roads Policing"]],
    )
    version: str | None = Field(
        default=None,
        description="Version of the strategy. Quote it so YAML keeps it a string.",
        examples=["2025.1"],
        json_schema_extra={"x-informational": "The strategy's own version, for people."},
    )
