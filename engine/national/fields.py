"""Reading untrusted document data for the national report.

Documents reach the report even when they break the schema (TAB-003 reports that), so
every value is read defensively: a wrong type reads as absent, never as an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from tabard.language.values import as_date

#: Statuses of accounts that no longer exist on the platform: counted, but not in the shares.
GONE: Final = frozenset({"closed", "archived"})


def first_data(documents: Iterable[Any]) -> Mapping[str, Any]:
    for document in documents:
        if isinstance(document.data, Mapping):
            return document.data
    return {}


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def count(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def status(data: Mapping[str, Any]) -> str:
    return text(mapping(data.get("lifecycle")).get("status")) or "unknown"


def account_type(data: Mapping[str, Any]) -> str:
    return text(data.get("account_type")) or "unknown"


def mode(data: Mapping[str, Any]) -> str | None:
    return text(mapping(data.get("engagement")).get("mode"))


def objectives(data: Mapping[str, Any]) -> set[str]:
    return set(strings(mapping(data.get("strategy")).get("objectives")))


def monitored(data: Mapping[str, Any]) -> bool:
    engagement = mapping(data.get("engagement"))
    always_on = mapping(engagement.get("monitoring")).get("always_on") is True
    return always_on or engagement.get("digital_desk") is True


def in_transfer(data: Mapping[str, Any]) -> bool:
    return status(data) == "transferring" or bool(mapping(data.get("transfer")))


def review_overdue(data: Mapping[str, Any], today: date) -> bool:
    if status(data) in GONE:
        return False
    due = as_date(mapping(data.get("lifecycle")).get("next_review_due"))
    return due is not None and due < today
