"""The PolicyTest document: cases of inline documents and the findings expected of them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from tabard.models.base import Describe, Extensible, Open, Text, Unique, examples
from tabard.models.common import ApiVersion, Date, RuleId, Slug


class InlineDocument(Open):
    """An inline tabard document (apiVersion and kind, then its fields); it is validated against
    its kind's schema when the test runs.
    """

    required_order = ("apiVersion", "kind")

    say_open = True

    kind: Literal["Account", "Force", "Strategy", "BrandGuide", "Waiver"] = Field(
        description="Kind of the inline document.", examples=["Account"]
    )
    api_version: ApiVersion = Field(
        alias="apiVersion",
        description="Document format version; always `tabard/v1`.",
        examples=["tabard/v1"],
    )


class ExpectedFinding(Extensible):
    """One expected finding."""

    document: Slug | None = Field(
        default=None, description="Id of the document it is about.", examples=["glos-x-dogs"]
    )
    path: str | None = Field(
        default=None, description="Path of the value it points at.", examples=["owner.email"]
    )
    rule: RuleId = Field(
        description="Rule id of the finding (TAB-nnn for engine findings).",
        examples=["ACC-001", "TAB-003"],
    )


class Case(Extensible):
    """One test case."""

    required_order = ("name", "documents", "expect")

    as_of: Date | None = Field(
        default=None,
        description="The date treated as today (default: the real date).",
        examples=["2026-11-24"],
    )
    documents: list[InlineDocument] = Field(
        description="Inline tabard documents the case checks (accounts, force documents, waivers).",
        min_length=1,
    )
    expect: list[ExpectedFinding] = Field(
        description="Findings expected, in any order; an empty list means no findings."
    )
    name: str = Field(
        description="Name of the case.", min_length=1, examples=["owner with a force email passes"]
    )


class PolicyTest(Extensible):
    """Tests for policies: each case gives inline documents and the findings expected from them, so
    a force can check its own rules (`tabard test`).
    """

    model_config = ConfigDict(
        title="tabard PolicyTest",
        json_schema_extra={"examples": examples("policy-test")},
    )

    required_order = ("apiVersion", "kind", "name", "cases")

    description: str | None = Field(
        default=None,
        description="What the suite tests.",
        examples=["ACC-001 passes a complete owner and fails a personal email address."],
    )
    api_version: ApiVersion = Field(
        alias="apiVersion",
        description="Document format version; always `tabard/v1`.",
        examples=["tabard/v1"],
    )
    cases: list[Case] = Field(description="The test cases.", min_length=1)
    kind: Literal["PolicyTest"] = Field(
        description="Document kind; always `PolicyTest` here.", examples=["PolicyTest"]
    )
    name: str = Field(
        description="Name of the test suite.", min_length=1, examples=["accountability-tests"]
    )
    policies: (
        Annotated[
            list[
                Annotated[
                    Text,
                    Describe("A pack name, as in tabard.yaml or `tabard rules`."),
                ]
            ],
            Unique(),
        ]
        | None
    ) = Field(
        default=None,
        description=(
            "Names of the policy packs under test: only their rules' findings are compared "
            "with `expect` (default: every rule in use)."
        ),
        examples=[["accountability"]],
    )
