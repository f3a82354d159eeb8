"""The example repositories of the bundled force plugins and what they report.

``examples/staffordshire`` shows the Staffordshire plugin (STAFFS-UNOFF-*) on unofficial
accounts being moved onto official ones; ``examples/dyfed-powys`` shows the Welsh
Language Standards plugin (WALES-LNG-*) and the national language pack (LNG-*) on Welsh
and English twins. Each README prints the output of ``tabard check --as-of 2026-11-24``,
so it is pinned here line by line, with the summary and the exit code. Each run works on
a copy in ``tmp_path`` (tabard writes its cache next to the repository it checks) and
loads the bundled plugins through their entry points, as a user's installation does.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import AS_OF

EXAMPLES = Path(__file__).parent.parent / "examples"

#: (location, "RULE severity", message) of every finding, in the order tabard prints them.
STAFFORDSHIRE = [
    (
        "accounts/facebook/staffs-facebook-leek-beat.yaml:45:21",
        "ACC-005 error",
        "staffs-facebook-leek-beat: an unofficial account must be transferring (with "
        "transfer.target_account naming an official account of the force, and "
        "transfer.due) or closed; lifecycle.status fails",
    ),
    (
        "accounts/facebook/staffs-facebook-leek-beat.yaml:45:21",
        "STAFFS-UNOFF-001 error",
        "staffs-facebook-leek-beat: an unofficial account must be transferring, with "
        "transfer.target_account naming an existing official account of the force",
    ),
    (
        "accounts/x/staffs-x-pd-ember.yaml:47:8",
        "STAFFS-UNOFF-002 error",
        "staffs-x-pd-ember: transfer.due must fall within the strategy's transfer deadline "
        "after lifecycle.created_on (portfolio.unofficial_accounts.transfer_deadline_days, "
        "90 days if not set)",
    ),
    (
        "accounts/x/staffs-x-wilnecote-copper.yaml:48:19",
        "STAFFS-UNOFF-003 error",
        "staffs-x-wilnecote-copper: the transfer target is not owned by the same member "
        "of staff or their accountable officer",
    ),
    (
        "force/strategy.yaml:57:14",
        "STR-014 warning",
        "staffs-comms-2026: area 'EASTSTAFFS' (geography.areas[1].code) has no active "
        "two-way neighbourhood or individual-officer account, though the strategy has a "
        "dialogue objective",
    ),
]

DYFED_POWYS = [
    (
        "accounts/facebook/dpp-facebook-carmarthenshire-cy.yaml:48:3",
        "LNG-003 error",
        "dpp-facebook-carmarthenshire-cy: engagement.monitoring differs from the paired "
        "account's; Welsh and English twins must share monitoring, mode, inbox handling, "
        "response target and lifecycle status",
    ),
    (
        "accounts/facebook/dpp-facebook-carmarthenshire-en.yaml:47:3",
        "LNG-003 error",
        "dpp-facebook-carmarthenshire-en: engagement.monitoring differs from the paired "
        "account's; Welsh and English twins must share monitoring, mode, inbox handling, "
        "response target and lifecycle status",
    ),
    (
        "accounts/facebook/dpp-facebook-powys.yaml:12:6",
        "WALES-LNG-002 warning",
        "dpp-facebook-powys: tabard found no Welsh in the bio of this bilingual account; "
        "it reads as English only",
    ),
    (
        "accounts/x/dpp-x-ceredigion-cy.yaml:11:15",
        "LNG-004 warning",
        "dpp-x-ceredigion-cy: display_name is 'Dyfed-Powys Police Ceredigion'; a Welsh or "
        "bilingual account's display name must contain one of the force's Welsh names "
        "(BrandGuide force_names.cy)",
    ),
    (
        "accounts/x/dpp-x-ceredigion-cy.yaml:11:15",
        "WALES-LNG-001 warning",
        "dpp-x-ceredigion-cy: tabard found no Welsh in display name 'Dyfed-Powys Police "
        "Ceredigion' of this cy account (no Welsh name of the force, and the rest reads as "
        "English)",
    ),
    (
        "accounts/x/dpp-x-pembrokeshire.yaml:56:9",
        "LNG-001 error",
        "dpp-x-pembrokeshire: language.mode is 'en'; this force is bound by the Welsh "
        "Language Standards, so the account must be bilingual, or cy/en with "
        "language.paired_account naming its twin in the other language",
    ),
    (
        "accounts/x/dpp-x-roads-en.yaml:59:1",
        "WALES-LNG-003 error",
        "dpp-x-roads-en: an English account with a Welsh twin needs language.translation_route",
    ),
]

#: force folder -> (findings, summary line, number of accounts, prefixes that must not appear)
EXPECTED = {
    "staffordshire": (
        STAFFORDSHIRE,
        "tabard: 4 errors, 1 warning, 0 info, 0 waived in 14 documents (14 checked)\n",
        11,
        ("WALES-", "GLOS-"),
    ),
    "dyfed-powys": (
        DYFED_POWYS,
        "tabard: 4 errors, 3 warnings, 0 info, 0 waived in 14 documents (14 checked)\n",
        11,
        ("GLOS-DOG-", "STAFFS-"),
    ),
}

#: The plugin each repository shows, by the prefix of its rules.
OWN_PLUGIN = {"staffordshire": "STAFFS-UNOFF-", "dyfed-powys": "WALES-LNG-"}


@pytest.fixture(autouse=True)
def _entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TABARD_DISABLE_PLUGIN_AUTOLOAD")


def _copy(tmp_path: Path, force: str) -> Path:
    """A copy of the example repository (without any cache left in the source tree)."""
    target = tmp_path / force
    shutil.copytree(EXAMPLES / force, target, ignore=shutil.ignore_patterns(".tabard-cache"))
    return target


@pytest.mark.parametrize("force", sorted(EXPECTED))
def test_example_reports_exactly_its_findings(run: Any, tmp_path: Path, force: str) -> None:
    findings, summary, _, _ = EXPECTED[force]
    outcome = run("check", "--as-of", AS_OF, cwd=_copy(tmp_path, force))
    expected = "".join(f"{where}: {rule} {message}\n" for where, rule, message in findings)
    assert outcome.out == expected, outcome
    assert outcome.err == summary, outcome
    assert outcome.code == 1, outcome


@pytest.mark.parametrize("force", sorted(EXPECTED))
def test_other_forces_plugins_stay_silent(run: Any, tmp_path: Path, force: str) -> None:
    findings, _, accounts, foreign = EXPECTED[force]
    example = _copy(tmp_path, force)
    outcome = run("check", "--as-of", AS_OF, "--format", "json", cwd=example)
    assert outcome.code == 1, outcome
    rules = [finding["rule"] for finding in outcome.json()["findings"]]
    assert [rule for rule in rules if rule.startswith(foreign)] == []
    assert any(rule.startswith(OWN_PLUGIN[force]) for rule in rules)
    assert sorted(rules) == sorted(rule.split()[0] for _, rule, _ in findings)
    assert len(list((example / "accounts").glob("*/*.yaml"))) == accounts


@pytest.mark.parametrize("force", sorted(EXPECTED))
def test_example_validates(run: Any, tmp_path: Path, force: str) -> None:
    outcome = run("validate", cwd=_copy(tmp_path, force))
    assert outcome.out == "", outcome
    assert outcome.err == (
        "tabard: 0 errors, 0 warnings, 0 info, 0 waived in 14 documents (14 checked)\n"
    ), outcome
    assert outcome.code == 0, outcome
