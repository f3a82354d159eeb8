"""Typed models (pydantic) of what tabard reads and writes: the source of ``schemas/``.

Every document kind has a model, and ``schemas/*.json`` are generated from them
(``python -m tabard.models``; docs/architecture.md)::

    from tabard.models import Account
    account = Account.model_validate(document)   # a loaded YAML document (a dict)
    account.owner.email if account.owner else None

Nothing on the run-time path imports this package: ``tabard check`` validates with the
compiled JSON Schemas and must start fast in a pre-commit hook (a test asserts that
pydantic is never imported by a check).  Install ``tabard[models]`` to use it.
"""

from __future__ import annotations

from tabard.models.account import Account
from tabard.models.brand_guide import BrandGuide
from tabard.models.common import Person
from tabard.models.config import Config
from tabard.models.force import Force
from tabard.models.policy import Condition, Policy, Rule
from tabard.models.policy_test import PolicyTest
from tabard.models.report import Finding, Report
from tabard.models.strategy import Strategy
from tabard.models.waiver import Waiver

__all__ = [
    "Account",
    "BrandGuide",
    "Condition",
    "Config",
    "Finding",
    "Force",
    "Person",
    "Policy",
    "PolicyTest",
    "Report",
    "Rule",
    "Strategy",
    "Waiver",
]
