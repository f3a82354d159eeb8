"""SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

Each rule in use is described once in ``tool.driver.rules`` (title, rationale, fix,
a link where its references give one); each finding is a result located by line and
column (columns count Unicode code points, ``columnKind``), fingerprinted on rule,
file, document and path so that it keeps its identity when lines move, and a waived
finding carries an external suppression naming the waiver and its reason.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from tabard._version import __version__
from tabard.findings import Finding, Severity
from tabard.report import Report, RuleInfo
from tabard.report.identity import fingerprint

SCHEMA: Final = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVELS: Final = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_URL: Final = re.compile(r"https?://[^\s'\")\]]+")


def _help_uri(rule: RuleInfo) -> str | None:
    for reference in rule.references:
        found = _URL.search(reference)
        if found:
            return found.group(0).rstrip(".,;")
    return None


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "shortDescription": {"text": rule.title or rule.id},
        "fullDescription": {"text": rule.rationale or rule.title or rule.id},
        "help": {"text": rule.fix or "See `tabard explain " + rule.id + "`."},
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"policy": rule.policy},
    }
    uri = _help_uri(rule)
    if uri:
        descriptor["helpUri"] = uri
    return descriptor


def _result(finding: Finding, index: int, report: Report) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.file, "uriBaseId": "SRCROOT"},
                    "region": {"startLine": finding.line, "startColumn": finding.column},
                },
                **(
                    {"logicalLocations": [{"fullyQualifiedName": finding.path, "kind": "member"}]}
                    if finding.path
                    else {}
                ),
            }
        ],
        "partialFingerprints": {"tabardFinding/v1": fingerprint(finding)},
        "properties": {
            "document": finding.document,
            "force": finding.force,
            "path": finding.path,
            "policy": finding.policy,
            **(
                {"wouldBeWaivedBy": finding.would_be_waived_by}
                if finding.would_be_waived_by
                else {}
            ),
        },
    }
    if finding.waived_by is not None:
        reason = report.context.waivers.get(finding.waived_by, "")
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{finding.waived_by}: {reason}" if reason else finding.waived_by,
                "properties": {"waiver": finding.waived_by},
            }
        ]
    return result


def render(report: Report) -> str:
    used = sorted({finding.rule for finding in report.findings})
    known = dict(report.context.rules)
    for rule_id in used:  # a plugin's finding of a rule tabard does not describe
        known.setdefault(rule_id, RuleInfo(rule_id, rule_id, Severity.ERROR, "unknown"))
    ids = sorted(known)
    index = {rule_id: number for number, rule_id in enumerate(ids)}
    run = {
        "tool": {
            "driver": {
                "name": "tabard",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_descriptor(known[rule_id]) for rule_id in ids],
            },
            "extensions": [
                {"name": component.name, "version": component.version}
                for component in (*report.context.packs, *report.context.plugins)
            ],
        },
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"SRCROOT": {"description": {"text": "the repository root"}}},
        "results": [_result(finding, index[finding.rule], report) for finding in report.findings],
        "properties": {
            "asOf": report.today.isoformat(),
            "audit": report.audit,
            "packs": [component.name for component in report.context.packs],
            # What tabard.yaml switched off or softened: an inspector reading only the
            # SARIF must see it too.
            "loosened": {
                "packsLeftOut": list(report.loosened.packs_left_out),
                "rulesDisabled": list(report.loosened.rules_disabled),
                "severitiesLowered": [
                    {"rule": rule, "from": before, "to": after}
                    for rule, before, after in report.loosened.severities_lowered
                ],
                "pluginsDisabled": list(report.loosened.plugins_disabled),
            },
        },
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
