"""The JSON report of ``tabard check --format json``, as a pydantic model.

``schemas/report.schema.json`` is generated from :class:`Report` with every other
schema (``python -m tabard.models``); ``tests/test_models.py`` fails when the two differ,
and ``tests/test_report_schema.py`` validates real reports against the committed schema.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "info"]

_EXAMPLE: dict[str, Any] = {
    "tabard": "0.1.0",
    "as_of": "2026-11-24",
    "packs": [{"name": "accountability", "version": "0.1.0", "origin": "builtin"}],
    "plugins": [],
    "summary": {"documents": 2, "targets": 2, "error": 1, "warning": 0, "info": 0, "waived": 0},
    "loosened": {
        "packs_left_out": ["security"],
        "rules_disabled": ["ENG-006"],
        "severities_lowered": [{"rule": "BRD-001", "from": "error", "to": "info"}],
        "plugins_disabled": [],
    },
    "findings": [
        {
            "rule": "ACC-001",
            "title": "Account names an accountable owner",
            "severity": "error",
            "policy": "accountability",
            "file": "accounts/x/glos-x-dogs.yaml",
            "line": 12,
            "column": 3,
            "path": "owner.email",
            "document": "glos-x-dogs",
            "force": "gloucestershire",
            "message": "glos-x-dogs: no accountable owner with a force email address",
            "fix": "Add owner.name and owner.email for the member of staff who runs the account.",
            "waived_by": None,
            "would_be_waived_by": None,
        }
    ],
}


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Component(_Closed):
    """A policy pack or plugin the run used."""

    name: str = Field(description="The pack's or plugin's name.")
    version: str = Field(
        description="tabard's version for built-in packs, a plugin's own version, or 'local'."
    )


class Pack(Component):
    origin: str = Field(
        description="'builtin', 'local', or the name of the plugin that ships the pack."
    )


class Summary(_Closed):
    documents: int = Field(ge=0, description="Documents loaded from the repository.")
    targets: int = Field(ge=0, description="Documents reported on (the files named, or all).")
    error: int = Field(ge=0, description="Unwaived error findings.")
    warning: int = Field(ge=0, description="Unwaived warning findings.")
    info: int = Field(ge=0, description="Unwaived info findings.")
    waived: int = Field(ge=0, description="Findings a waiver excuses (reported, never failing).")


class Finding(_Closed):
    """One problem in one document."""

    rule: str = Field(description="The rule id, e.g. ACC-001; TAB-* are tabard's own.")
    title: str = Field(description="The rule's title.")
    severity: Severity = Field(description="error, warning or info, after the config's overrides.")
    policy: str = Field(description="The policy pack of the rule ('tabard' for TAB-*).")
    file: str = Field(description="Path relative to the repository root, with '/' separators.")
    line: int = Field(ge=1, description="1-based line, counted as editors count (LF, CRLF or CR).")
    column: int = Field(ge=1, description="1-based column, in Unicode code points.")
    path: str = Field(description="The field that failed, e.g. owner.email or operators[0].mfa.")
    document: str | None = Field(description="The document's id, when it has one.")
    force: str | None = Field(description="The force the document belongs to.")
    message: str = Field(description="What is wrong, in plain English; never personal data.")
    fix: str = Field(description="How to put it right (the rule's fix).")
    waived_by: str | None = Field(description="The id of the waiver that excuses it, or null.")
    would_be_waived_by: str | None = Field(
        description="With --audit (nothing waived): the id of the waiver that would excuse "
        "it on an ordinary run; else null."
    )


class Lowered(_Closed):
    rule: str = Field(description="The rule whose severity the config lowers.")
    from_: Severity = Field(alias="from", description="The rule's own severity.")
    to: Severity = Field(description="The severity tabard.yaml gives it.")


class Loosened(_Closed):
    """What tabard.yaml switches off or softens (empty lists when nothing)."""

    packs_left_out: list[str] = Field(
        description="Built-in packs policies: leaves out (their locked rules still run)."
    )
    rules_disabled: list[str] = Field(description="Rules tabard.yaml disables.")
    severities_lowered: list[Lowered] = Field(description="Rules tabard.yaml makes less severe.")
    plugins_disabled: list[str] = Field(
        description="Plugins tabard.yaml disables, and installed or local plugins that "
        "TABARD_DISABLE_PLUGINS kept from loading."
    )


class Report(_Closed):
    """The report of one ``tabard check`` (or ``tabard validate``) run."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="tabard report",
        # No $id: a validator that loads the file from disk resolves it where it lies.
        json_schema_extra={"examples": [_EXAMPLE]},
    )

    tabard: str = Field(description="The tabard version that wrote the report.")
    as_of: str = Field(
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        description="The date the run checked as of (Europe/London).",
    )
    packs: list[Pack] = Field(description="The policy packs the run used.")
    plugins: list[Component] = Field(description="The plugins the run loaded.")
    summary: Summary = Field(description="Counts of documents and findings.")
    loosened: Loosened = Field(description="What the config loosened, for whoever reads the run.")
    findings: list[Finding] = Field(description="Every finding, sorted by file, line and column.")


def json_schema() -> dict[str, object]:
    schema = Report.model_json_schema()
    # pydantic writes no $schema key; the published file names its dialect.
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


if __name__ == "__main__":
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
