"""The Config document: ``tabard.yaml``, how a repository is checked."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from tabard.models.base import Distinct, Extensible, Text, examples
from tabard.models.common import ApiVersion, RuleId, Severity


class Plugins(Extensible):
    """Plugin loading."""

    disable: Distinct[Text] | None = Field(
        default=None, description="Installed plugins not to load.", examples=[["tabard-glos"]]
    )
    local: Distinct[Text] | None = Field(
        default=None,
        description="Paths of local .py plugin files to load.",
        examples=[["./plugins/glos_dogs.py"]],
    )


class RuleOverride(Extensible):
    """Override for one rule."""

    enabled: bool | None = Field(
        default=None, description="false switches the rule off.", examples=[True, False]
    )
    severity: Severity | None = Field(
        default=None, description="Severity to use instead of the pack's.", examples=["warning"]
    )


class Config(Extensible):
    """Repository configuration (`tabard.yaml`): which policies and plugins run, per-rule
    overrides, where account manifests live and what fails the run.
    """

    model_config = ConfigDict(
        title="tabard Config",
        json_schema_extra={"examples": examples("config")},
    )

    accounts: Distinct[Text] = Field(
        default=["accounts"],
        description="Directories whose YAML files must all be tabard documents.",
        examples=[["accounts"]],
    )
    api_version: ApiVersion = Field(
        alias="apiVersion",
        description="Document format version; always `tabard/v1`.",
        examples=["tabard/v1"],
    )
    exclude: Distinct[Text] | None = Field(
        default=None, description="Glob patterns of files to ignore.", examples=[["archive/**"]]
    )
    fail_on: Literal["error", "warning", "info", "never"] = Field(
        default="error",
        description=(
            "Lowest severity that makes the run fail (exit 1); never means findings never fail it."
        ),
        examples=["error", "warning"],
    )
    kind: Literal["Config"] = Field(
        description="Document kind; always `Config` here.", examples=["Config"]
    )
    plugins: Plugins | None = None
    policies: Distinct[Text] | None = Field(
        default=None,
        description=(
            "Built-in pack names and ./relative paths of policy files or folders (default: "
            "every built-in pack)."
        ),
        examples=[["accountability", "branding", "strategy-link", "./policies"]],
    )
    rules: dict[RuleId, RuleOverride] | None = Field(
        default=None,
        description=(
            "Per-rule overrides, keyed by rule id. Locked rules cannot be disabled or downgraded."
        ),
        examples=[{"BRD-002": {"severity": "warning"}, "ENG-006": {"enabled": False}}],
    )
