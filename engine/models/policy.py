"""The Policy document: a pack of rules, each a declarative condition."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from tabard.models.base import Closed, Describe, Distinct, Extensible, Open, Text, examples
from tabard.models.common import ApiVersion, Date, ForceId, RuleId, Severity, Slug


class Lookup(Closed):
    """Test a value from the force's own Force, Strategy or BrandGuide document instead of a field
    of this document.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"default": False, "field": "welsh_standards", "kind": "Force"}]
        }
    )

    required_order = ("kind", "field")

    default: Any = Field(
        default=None,
        description="Value used when the document or field is missing.",
        examples=[False],
    )
    field: str = Field(
        description="Path in that document.", min_length=1, examples=["welsh_standards"]
    )
    kind: Literal["Force", "Strategy", "BrandGuide"] = Field(
        description="Kind of force document.", examples=["Force"]
    )


class Ref(Closed):
    """Test a value from another document, found by the id at `by` in this one."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"by": "language.paired_account", "field": "lifecycle.status", "kind": "Account"}
            ]
        }
    )

    required_order = ("kind", "by", "field")

    default: Any = Field(
        default=None,
        description="Value used when the referenced document or field is missing.",
        examples=["closed"],
    )
    by: str = Field(
        description="Path in this document that holds the other document's id.",
        min_length=1,
        examples=["language.paired_account"],
    )
    field: str = Field(
        description="Path in the referenced document.", min_length=1, examples=["lifecycle.status"]
    )
    kind: Literal["Account", "Force", "Strategy", "BrandGuide"] = Field(
        description="Kind of the referenced document.", examples=["Account"]
    )


class Condition(Open):
    """A condition. One of: `{all: [c, …]}`, `{any: [c, …]}`, `{none: [c, …]}`, `{not: c}`; or a
    leaf: a mapping with exactly one operator key (present, empty, equals, not_equals, in,
    not_in, matches, not_matches, contains, not_contains, contains_any, contains_all,
    starts_with, ends_with, gt, gte, lt, lte, min_length, max_length, type, within_days,
    older_than_days, before, after, exists_in, unique, or one a plugin adds), an optional
    subject (`field` path, or `lookup` / `ref` to another document), an optional `for:
    all|any|none` where the path has [*], and an optional `ignore_case: true`. Operator
    names are open (plugins add them), so the engine, not this schema, checks operators and
    their arguments.
    """

    min_keys = 1

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "all": [
                        {"field": "owner.name", "present": True},
                        {"field": "owner.email", "matches": "@[a-z0-9.-]+\\.police\\.uk$"},
                    ]
                },
                {"equals": True, "field": "operators[*].mfa", "for": "all"},
            ],
        }
    )

    all: list[Annotated[Condition, Describe("A condition.")]] | None = Field(
        default=None, description="Holds when every condition holds.", min_length=1
    )
    any: list[Annotated[Condition, Describe("A condition.")]] | None = Field(
        default=None, description="Holds when at least one condition holds.", min_length=1
    )
    field: str | None = Field(
        default=None,
        description="Path of the value tested: dotted keys, [*] for every list item, [N] for one.",
        min_length=1,
        examples=["owner.email", "operators[*].mfa"],
    )
    for_: Literal["all", "any", "none"] | None = Field(
        default=None,
        alias="for",
        description="How a [*] path is quantified: all (default), any or none.",
        examples=["all"],
    )
    ignore_case: bool | None = Field(
        default=None, description="Compare strings case-insensitively.", examples=[True, False]
    )
    lookup: Lookup | None = None
    none: list[Annotated[Condition, Describe("A condition.")]] | None = Field(
        default=None, description="Holds when no condition holds.", min_length=1
    )
    not_: Condition | None = Field(
        default=None,
        alias="not",
        description="Holds when the condition does not.",
        examples=[{"field": "lifecycle.status", "in": ["closed", "archived"]}],
    )
    ref: Ref | None = None


class Rule(Extensible):
    """One rule."""

    required_order = ("id", "title", "severity", "assert")

    title: str = Field(
        description="Short statement of what the rule requires.",
        min_length=1,
        examples=["Account names an accountable owner"],
    )
    description: str | None = Field(
        default=None,
        description="Longer explanation of the rule.",
        examples=["Checks the owner block of every live account."],
    )
    assert_: Condition = Field(
        alias="assert",
        description="What a document must satisfy.",
        examples=[{"field": "owner.email", "matches": "@[a-z0-9.-]+\\.police\\.uk$"}],
    )
    enforce_from: Date | None = Field(
        default=None,
        description="Before this date a failure is reported as a warning.",
        examples=["2027-01-01"],
    )
    fix: str | None = Field(
        default=None,
        description="How to fix a failure.",
        examples=["Add owner.name and owner.email for the member of staff who runs the account."],
    )
    forces: Distinct[Annotated[ForceId, Describe("A force id.")]] | None = Field(
        default=None,
        description="Only these forces' documents are checked (default: every force).",
        min_length=1,
        examples=[["gloucestershire"]],
    )
    id: RuleId = Field(
        description="Rule id, unique across every loaded pack.", examples=["ACC-001"]
    )
    kind: Literal["Account", "Force", "Strategy", "BrandGuide"] = Field(
        default="Account",
        description="Which documents the rule targets (default Account).",
        examples=["Account", "Strategy"],
    )
    locked: bool | None = Field(
        default=None,
        description=(
            "A locked rule cannot be disabled or downgraded by config; only a waiver can excuse it."
        ),
        examples=[True, False],
    )
    message: str | None = Field(
        default=None,
        description=(
            "Finding message; may use {path} placeholders and {value}. Defaults to the title."
        ),
        examples=["{id}: no accountable owner with a force email address"],
    )
    rationale: str | None = Field(
        default=None,
        description="Why the rule exists.",
        examples=["Staff are accountable and responsible for the content they publish."],
    )
    references: list[Text] | None = Field(
        default=None,
        description="Sources behind the rule.",
        examples=[["HMICFRS PEEL: Police effectiveness 2017"]],
    )
    severity: Severity = Field(description="Severity of a failure.", examples=["error"])
    when: Condition | None = Field(
        default=None,
        description="Optional precondition; a document failing it is not checked.",
        examples=[{"field": "lifecycle.status", "in": ["active", "dormant", "transferring"]}],
    )


class Policy(Extensible):
    """A policy pack: a named set of rules, each a declarative condition evaluated against tabard
    documents (accounts by default).
    """

    model_config = ConfigDict(
        title="tabard Policy",
        json_schema_extra={"examples": examples("policy")},
    )

    title: str | None = Field(
        default=None, description="Human title of the pack.", examples=["Accountability"]
    )
    description: str | None = Field(
        default=None,
        description="What the pack is for.",
        examples=["Every account has named staff who are accountable for its content."],
    )
    api_version: ApiVersion = Field(
        alias="apiVersion",
        description="Document format version; always `tabard/v1`.",
        examples=["tabard/v1"],
    )
    kind: Literal["Policy"] = Field(
        description="Document kind; always `Policy` here.", examples=["Policy"]
    )
    name: Slug = Field(
        description="Pack name, used in config `policies:` and in findings.",
        examples=["accountability"],
    )
    rules: list[Rule] = Field(description="The pack's rules.", min_length=1)
    version: str | None = Field(
        default=None,
        description="Version of the pack. Quote it so YAML keeps it a string.",
        examples=["1.0.0"],
    )
