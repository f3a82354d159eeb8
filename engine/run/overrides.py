"""The config's ``rules:`` overrides applied to the compiled rules (design §2.4).

Run-time policy, not config parsing: the config only reads and checks the overrides' shape,
and this module needs the compiled rules to know which are locked.
"""

from __future__ import annotations

from collections.abc import Iterable

from tabard.config import Config
from tabard.errors import ConfigError, Problem
from tabard.findings import Severity
from tabard.language.rules import Rule
from tabard.suggest import closest


def apply_overrides(config: Config, rules: Iterable[Rule]) -> list[Rule]:
    """Rules with the config's severities and switches applied; locked rules are guarded."""
    by_id = {rule.id: rule for rule in rules}
    problems: list[Problem] = []
    for rule_id, override in config.rules.items():
        rule = by_id.get(rule_id)
        if rule is None:
            close = closest(rule_id, list(by_id))
            problems.append(
                config.problem(
                    ("rules", rule_id),
                    f"unknown rule {rule_id!r} in rules:",
                    f"did you mean {close!r}?" if close else "`tabard rules` lists every rule",
                    key=True,
                )
            )
            continue
        if not rule.locked:
            continue
        if override.get("enabled") is False:
            problems.append(
                config.problem(
                    ("rules", rule_id, "enabled"),
                    f"{rule_id} is locked by policy {rule.policy!r} and cannot be disabled",
                    "only a waiver (kind: Waiver) can excuse a finding of a locked rule",
                )
            )
        severity = override.get("severity")
        if severity is not None and Severity(severity).rank < rule.severity.rank:
            problems.append(
                config.problem(
                    ("rules", rule_id, "severity"),
                    f"{rule_id} is locked by policy {rule.policy!r} and cannot be lowered from "
                    f"{rule.severity} to {severity}",
                    "a locked rule's severity may only be raised",
                )
            )
    if problems:
        raise ConfigError(problems)
    result = []
    for rule in by_id.values():
        override = config.rules.get(rule.id, {})
        if override.get("enabled") is False:
            continue
        if "severity" in override:
            rule = rule.with_severity(Severity(override["severity"]))
        result.append(rule)
    return result
