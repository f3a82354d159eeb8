"""The data behind the national report: checked repositories in, plain JSON-ready dicts out.

This is what ``tabard report --format json`` prints; the HTML page and the CSV matrix are
drawn from it and from nothing else.  Personal data never enters it: accounts are named by
their id, owners by their role, and finding messages (which quote values) are left out in
favour of each rule's title and fix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, Final

from tabard._version import __version__
from tabard.findings import Finding, Severity
from tabard.language.values import as_date
from tabard.national import fields
from tabard.national.collect import Broken, Checked
from tabard.policy.packs import Pack

#: Engagement modes that answer the public.
TWO_WAY: Final = frozenset({"two_way", "contact_channel"})
#: A waiver this close to its expiry date is "expiring soon" (as TAB-102 warns).
EXPIRING_DAYS: Final = 30
SEVERITIES: Final = tuple(severity.value for severity in Severity)


def build(results: list[Checked | Broken], catalogue: list[Pack], today: date) -> dict[str, Any]:
    """The whole report: the national rules, the totals, and one entry per repository."""
    forces = [
        _broken(result) if isinstance(result, Broken) else _force(result, catalogue, today)
        for result in results
    ]
    checked = [force for force in forces if force["status"] == "ok"]
    return {
        "tabard": __version__,
        "as_of": today.isoformat(),
        "scope": "force" if len(forces) == 1 else "national",
        "packs": [{"name": pack.name, "title": pack.title} for pack in catalogue],
        "rules": [
            {
                "id": rule.id,
                "title": rule.title,
                "pack": pack.name,
                "severity": rule.severity.value,
                "locked": rule.locked,
            }
            for pack in catalogue
            for rule in pack.rules
        ],
        "national": _national(checked),
        "forces": forces,
    }


def _broken(result: Broken) -> dict[str, Any]:
    return {
        "force": result.force,
        "path": str(result.path),
        "status": "broken",
        "problems": [
            problem.render().removeprefix("tabard: error: ") for problem in result.problems
        ],
    }


def _force(result: Checked, catalogue: list[Pack], today: date) -> dict[str, Any]:
    repository = result.repository
    accounts = sorted(
        (
            document
            for document in repository.by_kind.get("Account", ())
            if isinstance(document.data, Mapping)
        ),
        key=lambda document: str(document.id),
    )
    profile = fields.first_data(repository.by_kind.get("Force", ()))
    live = _live_objectives(repository.by_kind.get("Strategy", ()))
    open_accounts = [
        document.data for document in accounts if fields.status(document.data) not in fields.GONE
    ]
    return {
        "force": result.force,
        "path": str(result.path),
        "status": "ok",
        "name": fields.text(profile.get("name")) or result.force,
        "short_code": fields.text(profile.get("short_code")),
        "welsh_standards": profile.get("welsh_standards") is True,
        "config": result.config.file,
        "plugins": [plugin.name for plugin in result.context.plugins],
        "headline": _headline(accounts, open_accounts, live, result.findings, today),
        "matrix": _matrix(result, catalogue),
        "loosened": _loosened(result, catalogue, today),
        "strategy": _strategy(open_accounts, live),
        "register": [_entry(document.data, result, today) for document in accounts],
        "other_findings": _other_findings(result),
    }


# -- headline figures ---------------------------------------------------------------------


def _headline(
    accounts: list[Any],
    open_accounts: list[Mapping[str, Any]],
    live: Mapping[str, str],
    findings: list[Finding],
    today: date,
) -> dict[str, Any]:
    unwaived = Counter(f.severity.value for f in findings if f.waived_by is None)
    return {
        "accounts": len(accounts),
        "open_accounts": len(open_accounts),
        "by_status": fields.count(fields.status(document.data) for document in accounts),
        "by_platform": fields.count(
            fields.text(data.get("platform")) or "unknown" for data in open_accounts
        ),
        "by_type": fields.count(
            fields.text(data.get("account_type")) or "unknown" for data in open_accounts
        ),
        "strategy_linked": sum(
            1 for data in open_accounts if fields.objectives(data) & live.keys()
        ),
        "two_way": sum(1 for data in open_accounts if fields.mode(data) in TWO_WAY),
        "broadcast": sum(1 for data in open_accounts if fields.mode(data) == "broadcast"),
        "monitored": sum(1 for data in open_accounts if fields.monitored(data)),
        "individual_officer": sum(
            1 for data in open_accounts if fields.account_type(data) == "individual_officer"
        ),
        "unofficial": sum(1 for data in open_accounts if fields.account_type(data) == "unofficial"),
        "in_transfer": sum(1 for data in open_accounts if fields.in_transfer(data)),
        "overdue_reviews": sum(1 for data in open_accounts if fields.review_overdue(data, today)),
        "findings": {severity: unwaived.get(severity, 0) for severity in SEVERITIES},
        "waived_findings": sum(1 for f in findings if f.waived_by is not None),
    }


_SUMMED: Final = (
    "accounts",
    "open_accounts",
    "strategy_linked",
    "two_way",
    "broadcast",
    "monitored",
    "individual_officer",
    "unofficial",
    "in_transfer",
    "overdue_reviews",
    "waived_findings",
)


def _national(forces: list[dict[str, Any]]) -> dict[str, Any]:
    """The headline figures summed over the forces that could be checked."""
    heads = [force["headline"] for force in forces]
    totals: dict[str, Any] = {"forces": len(forces)}
    totals.update({key: sum(head[key] for head in heads) for key in _SUMMED})
    for key in ("by_status", "by_platform", "by_type", "findings"):
        merged: Counter[str] = Counter()
        for head in heads:
            merged.update(head[key])
        totals[key] = (
            dict(sorted(merged.items()))
            if key != "findings"
            else {severity: merged.get(severity, 0) for severity in SEVERITIES}
        )
    return totals


# -- forces x rules matrix ----------------------------------------------------------------


def _matrix(result: Checked, catalogue: list[Pack]) -> dict[str, dict[str, Any]]:
    """One cell per national rule: left out, disabled, or on with its failures and waivers."""
    used = _packs_used(result)
    failing: dict[str, set[str]] = {}
    waived: Counter[str] = Counter()
    for finding in result.findings:
        if finding.waived_by is not None:
            waived[finding.rule] += 1
        else:
            failing.setdefault(finding.rule, set()).add(finding.document or finding.file)
    cells: dict[str, dict[str, Any]] = {}
    for pack in catalogue:
        for rule in pack.rules:
            override = result.config.rules.get(rule.id, {})
            severity = Severity(override.get("severity", rule.severity))
            if pack.name not in used and not rule.locked:
                state = "left_out"  # a locked rule runs even when its pack is left out
            elif override.get("enabled") is False:
                state = "disabled"
            else:
                state = "on"
            on = state == "on"
            cells[rule.id] = {
                "state": state,
                "severity": severity.value if on else None,
                "lowered": on and severity.rank < rule.severity.rank,
                "failing": len(failing.get(rule.id, ())) if on else 0,
                "waived": waived[rule.id] if on else 0,
            }
    return cells


# -- what each force loosened -------------------------------------------------------------


def _loosened(result: Checked, catalogue: list[Pack], today: date) -> dict[str, Any]:
    used = _packs_used(result)
    defaults = {rule.id: (pack.name, rule.severity) for pack in result.packs for rule in pack.rules}
    disabled, lowered = [], []
    for rule_id, override in sorted(result.config.rules.items()):
        if rule_id not in defaults:
            continue  # only possible for a rule of a pack left out; the config check names it
        pack, default = defaults[rule_id]
        if override.get("enabled") is False:
            disabled.append({"rule": rule_id, "pack": pack})
        elif "severity" in override and Severity(override["severity"]).rank < default.rank:
            lowered.append(
                {"rule": rule_id, "pack": pack, "from": default.value, "to": override["severity"]}
            )
    return {
        "packs_left_out": [pack.name for pack in catalogue if pack.name not in used],
        "rules_disabled": disabled,
        "severities_lowered": lowered,
        "waivers": _waivers(result, today),
    }


def _waivers(result: Checked, today: date) -> dict[str, Any]:
    items = []
    for document in sorted(result.repository.by_kind.get("Waiver", ()), key=lambda d: str(d.id)):
        data = document.data if isinstance(document.data, Mapping) else {}
        granted, expires = as_date(data.get("granted")), as_date(data.get("expires"))
        items.append(
            {
                "id": document.id,
                "rules": fields.strings(data.get("rules")),
                "accounts": fields.strings(data.get("accounts")),
                "granted": granted.isoformat() if granted else None,
                "expires": expires.isoformat() if expires else None,
                "age_days": (today - granted).days if granted else None,
                "state": _waiver_state(expires, today),
            }
        )
    states = Counter(item["state"] for item in items)
    ages = [item["age_days"] for item in items if item["age_days"] is not None]
    return {
        "count": len(items),
        "active": states["active"],
        "expiring_soon": states["expiring_soon"],
        "expired": states["expired"],
        "invalid": states["invalid"],
        "oldest_days": max(ages, default=None),
        "items": items,
    }


def _waiver_state(expires: date | None, today: date) -> str:
    if expires is None:
        return "invalid"
    if expires < today:
        return "expired"
    if expires - today <= timedelta(days=EXPIRING_DAYS):
        return "expiring_soon"
    return "active"


# -- strategy link ------------------------------------------------------------------------


def _live_objectives(strategies: Iterable[Any]) -> dict[str, str]:
    """Active objectives of the force's strategy: id -> title."""
    data = fields.first_data(strategies)
    live: dict[str, str] = {}
    objectives = data.get("objectives")
    for objective in objectives if isinstance(objectives, list) else ():
        if isinstance(objective, Mapping) and objective.get("status", "active") == "active":
            identity = fields.text(objective.get("id"))
            if identity:
                live[identity] = fields.text(objective.get("title")) or identity
    return live


def _strategy(open_accounts: list[Mapping[str, Any]], live: Mapping[str, str]) -> dict[str, Any]:
    served = (
        set().union(*(fields.objectives(data) for data in open_accounts))
        if open_accounts
        else set()
    )
    return {
        "live_objectives": len(live),
        "objectives_unserved": [
            {"id": identity, "title": title}
            for identity, title in sorted(live.items())
            if identity not in served
        ],
        "accounts_without_live_objective": sorted(
            str(data.get("id"))
            for data in open_accounts
            if not fields.objectives(data) & live.keys()
        ),
    }


# -- per-force register -------------------------------------------------------------------


def _entry(data: Mapping[str, Any], result: Checked, today: date) -> dict[str, Any]:
    identity = str(data.get("id"))
    lifecycle = fields.mapping(data.get("lifecycle"))
    review = as_date(lifecycle.get("next_review_due"))
    return {
        "id": identity,
        "platform": fields.text(data.get("platform")),
        "type": fields.account_type(data),
        "status": fields.status(data),
        "owner_role": fields.text(fields.mapping(data.get("owner")).get("role")),
        "objectives": sorted(fields.objectives(data)),
        "next_review_due": review.isoformat() if review else None,
        "review_overdue": fields.review_overdue(data, today),
        "findings": [_finding(f, result) for f in result.findings if f.document == identity],
        "waivers": sorted(
            str(document.id)
            for document in result.repository.by_kind.get("Waiver", ())
            if identity in fields.strings(fields.mapping(document.data).get("accounts"))
        ),
    }


def _other_findings(result: Checked) -> list[dict[str, Any]]:
    """Findings not on an account: the force profile, strategy, waivers, unreadable files."""
    accounts = {document.id for document in result.repository.by_kind.get("Account", ())}
    return [
        {"file": f.file, **_finding(f, result)}
        for f in result.findings
        if f.document is None or f.document not in accounts
    ]


def _finding(finding: Finding, result: Checked) -> dict[str, Any]:
    rule = result.context.rules.get(finding.rule)
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "title": rule.title if rule else finding.rule,
        "fix": rule.fix if rule else "",
        "field": finding.path,
        "waived_by": finding.waived_by,
    }


# -- the packs a force uses -----------------------------------------------------------------


def _packs_used(result: Checked) -> set[str]:
    """Built-in packs the force's ``policies:`` lists (all when it lists none). A pack it
    leaves out is still loaded for its locked rules, so ``result.packs`` cannot tell."""
    listed = result.config.policies
    return {
        pack.name
        for pack in result.packs
        if pack.origin == "builtin" and (listed is None or pack.name in listed)
    }
