"""Builders for the core tests: a config, a local policy pack, account manifests, waivers.

Every CLI test writes its own ``tabard.yaml`` with ``policies: [./policies]`` and a small
local pack, so that it never depends on the built-in packs.

An account written by :func:`account` always has the same first nine lines::

    1 apiVersion: tabard/v1
    2 kind: Account
    3 id: <id>                 (value at column 5)
    4 force: <force>           (value at column 8)
    5 platform: <platform>     (value at column 11)
    6 handle: "<handle>"       (value at column 9)
    7 display_name: Test account
    8 account_type: <type>     (value at column 15)
    9 lifecycle: {status: <status>}

and *extra* starts on line 10.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.conftest import EXAMPLES, write

AS_OF = "2026-11-24"
CONFIG = "apiVersion: tabard/v1\nkind: Config\npolicies: [./policies]\n"


def account(
    id: str,
    *,
    force: str = "gloucestershire",
    platform: str = "x",
    handle: str = "@Glos_Police",
    account_type: str = "corporate",
    status: str = "active",
    extra: str = "",
) -> str:
    return (
        "apiVersion: tabard/v1\n"
        "kind: Account\n"
        f"id: {id}\n"
        f"force: {force}\n"
        f"platform: {platform}\n"
        f'handle: "{handle}"\n'
        "display_name: Test account\n"
        f"account_type: {account_type}\n"
        f"lifecycle: {{status: {status}}}\n" + textwrap.dedent(extra)
    )


def policy(rules: str, name: str = "local") -> str:
    """A Policy document; *rules* is the YAML list of rules (``- id: …``), dedented.

    The first rule starts on line 5.
    """
    return f"apiVersion: tabard/v1\nkind: Policy\nname: {name}\nrules:\n" + textwrap.dedent(rules)


def waiver(
    id: str,
    rules: list[str],
    accounts: list[str],
    *,
    granted: str = "2026-06-01",
    expires: str = "2027-05-01",
) -> str:
    """A Waiver: ``rules`` on line 4 (value column 8), ``accounts`` on line 5, ``expires`` on 9."""
    return (
        "apiVersion: tabard/v1\n"
        "kind: Waiver\n"
        f"id: {id}\n"
        f"rules: [{', '.join(rules)}]\n"
        f"accounts: [{', '.join(accounts)}]\n"
        "reason: Legacy handle kept until the platform allows a rename\n"
        "approved_by: {name: Head of Communications, role: Head of Communications}\n"
        f"granted: {granted}\n"
        f"expires: {expires}\n"
    )


def force_documents() -> dict[str, str]:
    """The default Gloucestershire Force, Strategy and BrandGuide, under ``force/``."""
    return {
        f"force/{source.name}": source.read_text(encoding="utf-8")
        for source in sorted((EXAMPLES / "_force").glob("*.yaml"))
    }


def project(root: Path, files: dict[str, str], *, config: str = CONFIG) -> Path:
    """Write ``tabard.yaml`` (a local-pack config unless told otherwise) and *files*."""
    return write(root, {"tabard.yaml": config, **files})


def lines(*items: str) -> str:
    """Expected output: one line each, each ending in a newline."""
    return "".join(item + "\n" for item in items)
