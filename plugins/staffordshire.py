"""Staffordshire Police: unofficial accounts become official ones (STAFFS-UNOFF-*).

In 2018 the chief constable said he wanted more staff talking to the public and
planned to transfer "unofficial" accounts to official ones, because staff remain
accountable for what they post (domain.md S01).  The rules in
``staffordshire.yaml`` hold each unofficial account to a transfer plan: a real
official target account, a due date no more than 90 days after the account was
recorded, and continuity of ownership.

Operators:

* ``transfer_due_within`` (collection): ``transfer.due`` falls within the force
  Strategy's ``portfolio.unofficial_accounts.transfer_deadline_days`` after
  ``lifecycle.created_on`` (the argument's ``days`` when the strategy does not say).
* ``transfer_keeps_owner`` (collection): the target account's owner is the same
  member of staff (a staff or collar number in common) or the unofficial account's
  accountable officer, i.e. their supervisor.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from tabard import OperatorSpec, RepositoryView, Violation, hookimpl


def _date(document: Mapping[str, Any], section: str, key: str) -> date | None:
    value = (document.get(section) or {}).get(key)
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _deadline_days(document: Mapping[str, Any], repository: RepositoryView, default: int) -> int:
    """The strategy's transfer deadline, or *default* when it sets none."""
    force = document.get("force")
    strategy = repository.force_document("Strategy", force) if isinstance(force, str) else None
    portfolio = (strategy or {}).get("portfolio")
    unofficial = portfolio.get("unofficial_accounts") if isinstance(portfolio, Mapping) else None
    days = unofficial.get("transfer_deadline_days") if isinstance(unofficial, Mapping) else None
    return days if isinstance(days, int) and not isinstance(days, bool) else default


def transfer_due_within(
    document: Mapping[str, Any], argument: Mapping[str, int], repository: RepositoryView
) -> bool | Violation:
    due = _date(document, "transfer", "due")
    created = _date(document, "lifecycle", "created_on")
    if due is None:
        return Violation("transfer.due")
    if created is None:
        return Violation("lifecycle.created_on")
    days = _deadline_days(document, repository, argument["days"])
    return 0 <= (due - created).days <= days or Violation("transfer.due")


def _identifiers(person: Any) -> set[str]:
    """A person's staff and collar numbers: either one names them."""
    if not isinstance(person, Mapping):
        return set()
    numbers = (person.get("staff_number"), person.get("collar_number"))
    return {number for number in numbers if isinstance(number, str) and number}


def transfer_keeps_owner(
    document: Mapping[str, Any], argument: bool, repository: RepositoryView
) -> bool | Violation:
    target_id = (document.get("transfer") or {}).get("target_account")
    target = repository.document("Account", target_id) if isinstance(target_id, str) else None
    if target is None:
        return Violation("transfer.target_account")
    allowed = _identifiers(document.get("owner")) | _identifiers(
        document.get("accountable_officer")
    )
    new_owner = _identifiers(target.get("owner"))
    return bool(new_owner & allowed) or Violation("transfer.target_account")


@hookimpl
def tabard_add_operators() -> list[OperatorSpec]:
    return [
        OperatorSpec(
            name="transfer_due_within",
            function=transfer_due_within,
            scope="collection",
            argument_schema={
                "type": "object",
                "properties": {"days": {"type": "integer", "minimum": 1}},
                "required": ["days"],
                "additionalProperties": False,
            },
            wording="transfer.due is no later than the strategy's transfer deadline "
            "(or {arg}) after lifecycle.created_on",
        ),
        OperatorSpec(
            name="transfer_keeps_owner",
            function=transfer_keeps_owner,
            scope="collection",
            argument_schema={"const": True},
            wording="the transfer target is owned by the same member of staff or their "
            "accountable officer",
        ),
    ]


@hookimpl
def tabard_add_policies() -> list[Path]:
    # The file beside this module: what importlib.resources.files gives for an
    # installed package, without importing importlib.resources on every check.
    return [Path(__file__).with_name("staffordshire.yaml")]
