"""The three bundled force plugins on realistic cases, and their silence on other forces.

Each repository uses ``policies: []`` so only the plugins' own packs run, and the
plugins are loaded the way users get them: through the ``tabard`` entry points.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tabard.testing import Project


@pytest.fixture(autouse=True)
def _entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TABARD_DISABLE_PLUGIN_AUTOLOAD")


def account(identity: str, force: str, **fields: str) -> str:
    lines = [
        "apiVersion: tabard/v1",
        "kind: Account",
        f"id: {identity}",
        f"force: {force}",
        f"platform: {fields.pop('platform', 'x')}",
        f'handle: "{fields.pop("handle", "@" + identity)}"',
        f"display_name: {fields.pop('display_name', identity)}",
        f"account_type: {fields.pop('account_type', 'department')}",
    ]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def _project(tmp_path: Path, accounts: dict[str, str]) -> Project:
    files = {f"accounts/x/{name}.yaml": text for name, text in accounts.items()}
    return Project(tmp_path).write(
        {
            "tabard.yaml": "apiVersion: tabard/v1\nkind: Config\npolicies: []\n",
            **files,
        }
    )


def _found(project: Project) -> list[tuple[str, str, int]]:
    result = project.check()
    assert result.code in (0, 1), result
    return [(f["rule"], f["document"], f["line"]) for f in result.findings]


# --- Gloucestershire: one dogs account ------------------------------------------------------

DOGS = account(
    "glos-x-dogs",
    "gloucestershire",
    handle="@GlosPoliceDogs",
    display_name="Gloucestershire Police Dogs",
    unit="Dog Section",
    lifecycle="{status: active}",
)


def test_handler_account_still_active_is_flagged(tmp_path: Path) -> None:
    handler = account(
        "glos-x-pd-rex",
        "gloucestershire",
        handle="@GlosPD_Rex",
        display_name="PD Rex and handler",
        account_type="individual_officer",
        bio='"Gloucestershire police dog handler. Views my own."',
        lifecycle="{status: active}",
    )
    found = _found(_project(tmp_path, {"glos-x-dogs": DOGS, "glos-x-pd-rex": handler}))
    assert found == [("GLOS-DOG-002", "glos-x-pd-rex", 10)]


def test_handler_account_closing_into_the_dogs_account_passes(tmp_path: Path) -> None:
    handler = account(
        "glos-x-pd-rex",
        "gloucestershire",
        handle="@GlosPD_Rex",
        display_name="PD Rex",
        account_type="individual_officer",
        lifecycle="{status: closing, successor: glos-x-dogs}",
    )
    assert _found(_project(tmp_path, {"glos-x-dogs": DOGS, "glos-x-pd-rex": handler})) == []


def test_successor_must_be_the_corporate_dogs_account(tmp_path: Path) -> None:
    handler = account(
        "glos-x-pd-rex",
        "gloucestershire",
        handle="@GlosPD_Rex",
        display_name="PD Rex",
        account_type="individual_officer",
        lifecycle="{status: closing, successor: glos-x-main}",
    )
    found = _found(_project(tmp_path, {"glos-x-dogs": DOGS, "glos-x-pd-rex": handler}))
    assert found == [("GLOS-DOG-002", "glos-x-pd-rex", 9)]


def test_second_corporate_dogs_account_on_a_platform(tmp_path: Path) -> None:
    second = account(
        "glos-x-k9",
        "gloucestershire",
        handle="@GlosK9",
        display_name="Glos Police K9",
        lifecycle="{status: active}",
    )
    found = _found(_project(tmp_path, {"glos-x-dogs": DOGS, "glos-x-k9": second}))
    assert found == [("GLOS-DOG-001", "glos-x-k9", 5)]


def test_dog_rules_stay_silent_on_other_forces(tmp_path: Path) -> None:
    handler = account(
        "staffs-x-pd-max",
        "staffordshire",
        handle="@StaffsPD_Max",
        display_name="PD Max",
        account_type="individual_officer",
        bio='"Staffordshire police dog handler"',
        lifecycle="{status: active}",
    )
    assert _found(_project(tmp_path, {"staffs-x-pd-max": handler})) == []


# --- Staffordshire: unofficial accounts become official ------------------------------------

OFFICIAL = account(
    "staffs-x-dogs",
    "staffordshire",
    handle="@StaffsPoliceDogs",
    display_name="Staffordshire Police Dogs",
    owner='{name: PC Example One, staff_number: "4001"}',
    lifecycle="{status: active}",
)


def _unofficial(**changes: str) -> str:
    fields = {
        "owner": '{name: PC Example One, staff_number: "4001"}',
        "accountable_officer": '{name: Insp Example Two, staff_number: "4002"}',
        "transfer": "{target_account: staffs-x-dogs, due: 2026-03-01}",
        "lifecycle": "{status: transferring, created_on: 2026-01-10}",
    }
    fields.update(changes)
    return account(
        "staffs-x-pd-luna",
        "staffordshire",
        handle="@PDLuna",
        display_name="PD Luna",
        account_type="unofficial",
        **fields,
    )


def test_unofficial_account_on_plan_passes(tmp_path: Path) -> None:
    project = _project(tmp_path, {"staffs-x-dogs": OFFICIAL, "staffs-x-pd-luna": _unofficial()})
    assert _found(project) == []


def test_unofficial_account_still_active(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            "staffs-x-dogs": OFFICIAL,
            "staffs-x-pd-luna": _unofficial(lifecycle="{status: active, created_on: 2026-01-10}"),
        },
    )
    assert _found(project) == [("STAFFS-UNOFF-001", "staffs-x-pd-luna", 12)]


def test_transfer_due_more_than_90_days_after_creation(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            "staffs-x-dogs": OFFICIAL,
            "staffs-x-pd-luna": _unofficial(
                transfer="{target_account: staffs-x-dogs, due: 2026-06-30}"
            ),
        },
    )
    assert _found(project) == [("STAFFS-UNOFF-002", "staffs-x-pd-luna", 11)]


def test_strategy_sets_the_transfer_deadline(tmp_path: Path) -> None:
    # 2026-01-10 to 2026-06-30 is 171 days: too late for 90 days, in time for 180.
    luna = _unofficial(transfer="{target_account: staffs-x-dogs, due: 2026-06-30}")
    strategy = (
        "apiVersion: tabard/v1\nkind: Strategy\nforce: staffordshire\nid: staffs-comms\n"
        "objectives: [{id: OBJ-1}]\n"
        "portfolio: {unofficial_accounts: {transfer_deadline_days: 180}}\n"
    )
    project = _project(tmp_path, {"staffs-x-dogs": OFFICIAL, "staffs-x-pd-luna": luna})
    assert _found(project.write({"force/strategy.yaml": strategy})) == []
    tight = strategy.replace("180", "30")
    on_time = _unofficial(transfer="{target_account: staffs-x-dogs, due: 2026-03-01}")
    project.write({"force/strategy.yaml": tight, "accounts/x/staffs-x-pd-luna.yaml": on_time})
    assert _found(project) == [("STAFFS-UNOFF-002", "staffs-x-pd-luna", 11)]


def test_transfer_into_an_individual_officer_account_passes(tmp_path: Path) -> None:
    # The chief constable's wish: the officer's unofficial account becomes their own
    # official, accountable individual account.
    own = account(
        "staffs-x-pc-one",
        "staffordshire",
        handle="@StaffsPCOne",
        display_name="Staffordshire Police PC One",
        account_type="individual_officer",
        owner='{name: PC Example One, staff_number: "4001"}',
        lifecycle="{status: active}",
    )
    luna = _unofficial(transfer="{target_account: staffs-x-pc-one, due: 2026-03-01}")
    project = _project(tmp_path, {"staffs-x-pc-one": own, "staffs-x-pd-luna": luna})
    assert _found(project) == []


def test_transfer_to_an_account_someone_else_owns(tmp_path: Path) -> None:
    other = OFFICIAL.replace('staff_number: "4001"', 'staff_number: "9999"')
    project = _project(tmp_path, {"staffs-x-dogs": other, "staffs-x-pd-luna": _unofficial()})
    assert _found(project) == [("STAFFS-UNOFF-003", "staffs-x-pd-luna", 11)]


def test_transfer_to_the_supervisor_passes(tmp_path: Path) -> None:
    supervised = OFFICIAL.replace('staff_number: "4001"', 'staff_number: "4002"')
    project = _project(tmp_path, {"staffs-x-dogs": supervised, "staffs-x-pd-luna": _unofficial()})
    assert _found(project) == []


def test_transfer_due_before_the_account_was_opened(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        {
            "staffs-x-dogs": OFFICIAL,
            "staffs-x-pd-luna": _unofficial(
                transfer="{target_account: staffs-x-dogs, due: 2025-12-01}"
            ),
        },
    )
    assert _found(project) == [("STAFFS-UNOFF-002", "staffs-x-pd-luna", 11)]


def test_no_transfer_plan_is_one_finding_not_two(tmp_path: Path) -> None:
    # STAFFS-UNOFF-001 asks for the plan; STAFFS-UNOFF-002 only judges a plan's date.
    project = _project(
        tmp_path,
        {
            "staffs-x-dogs": OFFICIAL,
            "staffs-x-pd-luna": _unofficial(
                transfer="{target_account: staffs-x-dogs}",
                lifecycle="{status: active, created_on: 2026-01-10}",
            ),
        },
    )
    assert _found(project) == [("STAFFS-UNOFF-001", "staffs-x-pd-luna", 12)]


def test_transfer_owner_matched_by_collar_number(tmp_path: Path) -> None:
    # The official account names its owner by collar number, the unofficial one by both.
    collar = OFFICIAL.replace('staff_number: "4001"', 'collar_number: "PC123"')
    luna = _unofficial(owner='{name: PC Example One, staff_number: "4001", collar_number: "PC123"}')
    project = _project(tmp_path, {"staffs-x-dogs": collar, "staffs-x-pd-luna": luna})
    assert _found(project) == []


def test_unofficial_rules_stay_silent_on_other_forces(tmp_path: Path) -> None:
    glos = account(
        "glos-x-ted",
        "gloucestershire",
        handle="@TedTheCop",
        display_name="Ted",
        account_type="unofficial",
        lifecycle="{status: active}",
    )
    assert _found(_project(tmp_path, {"glos-x-ted": glos})) == []


# --- Welsh Language Standards ---------------------------------------------------------------


def test_welsh_account_with_an_english_name(tmp_path: Path) -> None:
    cy = account(
        "dpp-x-main-cy",
        "dyfed-powys",
        handle="@HeddluDyfedPowys",
        display_name="Dyfed-Powys Police",
        account_type="corporate",
        language="{mode: cy, primary: cy-GB}",
        lifecycle="{status: active}",
    )
    # Without a brand guide, WALES-LNG-005 cannot read welsh.required_mode: one TAB-007.
    assert _found(_project(tmp_path, {"dpp-x-main-cy": cy})) == [
        ("TAB-007", "dpp-x-main-cy", 4),
        ("WALES-LNG-001", "dpp-x-main-cy", 7),
    ]


def test_bilingual_account_with_an_english_bio(tmp_path: Path) -> None:
    both = account(
        "gwent-x-main",
        "gwent",
        handle="@HeddluGwent",
        display_name="Heddlu Gwent Police",
        account_type="corporate",
        bio='"Official account of Gwent Police. Emergency 999."',
        language="{mode: bilingual, primary: cy-GB, secondary: [en-GB]}",
        lifecycle="{status: active}",
    )
    assert _found(_project(tmp_path, {"gwent-x-main": both})) == [
        ("TAB-007", "gwent-x-main", 4),
        ("WALES-LNG-002", "gwent-x-main", 9),
    ]


def test_english_twin_without_a_translation_route(tmp_path: Path) -> None:
    en = account(
        "nwp-x-main-en",
        "north-wales",
        handle="@NWPolice",
        display_name="North Wales Police",
        account_type="corporate",
        language="{mode: en, primary: en-GB, paired_account: nwp-x-main-cy}",
        lifecycle="{status: active}",
    )
    assert _found(_project(tmp_path, {"nwp-x-main-en": en})) == [
        ("TAB-007", "nwp-x-main-en", 4),
        ("WALES-LNG-003", "nwp-x-main-en", 9),
    ]


def test_welsh_rules_stay_silent_on_english_forces(tmp_path: Path) -> None:
    glos = account(
        "glos-x-main-cy",
        "gloucestershire",
        handle="@GlosPolice",
        display_name="Gloucestershire Police",
        account_type="corporate",
        language="{mode: bilingual, primary: en-GB}",
        lifecycle="{status: active}",
    )
    assert _found(_project(tmp_path, {"glos-x-main-cy": glos})) == []


# --- tabard.testing, as docs/plugins.md shows it --------------------------------------------


def test_documented_project_helper_runs_a_plugin_rule(tmp_path: Path) -> None:
    handler = account(
        "glos-x-pd",
        "gloucestershire",
        handle="@GlosPD_Rex",
        display_name="PD Rex",
        account_type="individual_officer",
        bio='"Gloucestershire police dog handler"',
        lifecycle="{status: active}",
    )
    project = Project(tmp_path).with_force_documents("gloucestershire")
    project.write({"accounts/x/glos-x-dogs.yaml": DOGS, "accounts/x/glos-x-pd.yaml": handler})
    result = project.check()
    assert result.code == 1, result
    assert "GLOS-DOG-002" in result.rules
    # The minimal force documents are valid and current: the one finding on them is that
    # no account here serves the strategy's objective.
    on_force_documents = [
        (f["rule"], f["file"]) for f in result.findings if f["file"].startswith("force/")
    ]
    assert on_force_documents == [("STR-010", "force/strategy.yaml")]


# --- Welsh: real bilingual names, the force's own short forms, and lingua's loading -----------

WELSH_BRAND = """apiVersion: tabard/v1
kind: BrandGuide
force: north-wales
force_names: {en: [North Wales Police, NWP], cy: [Heddlu Gogledd Cymru, HGC]}
welsh: {required_mode: [bilingual, paired], bio_must_name_pair: true}
"""


def _welsh_project(tmp_path: Path, accounts: dict[str, str]) -> Project:
    return _project(tmp_path, accounts).write({"force/brand.yaml": WELSH_BRAND})


@pytest.mark.parametrize(
    "name",
    ["HGC Wrecsam / NWP Wrexham", "Sir y Fflint", "Uned Forol", "Cadetiaid", "Ymuno â HGC"],
)
def test_real_welsh_display_names_pass(tmp_path: Path, name: str) -> None:
    cy = account(
        "nwp-x-unit",
        "north-wales",
        handle="@HGCUned",
        display_name=f'"{name}"',
        language="{mode: bilingual, primary: cy-GB}",
        lifecycle="{status: active}",
    )
    assert _found(_welsh_project(tmp_path, {"nwp-x-unit": cy})) == []


def test_english_text_with_a_welsh_looking_word_is_a_warning(tmp_path: Path) -> None:
    cy = account(
        "nwp-x-unit",
        "north-wales",
        handle="@HGCUned",
        display_name='"Report crime in Monitro"',
        language="{mode: cy, primary: cy-GB}",
        lifecycle="{status: active}",
    )
    result = _welsh_project(tmp_path, {"nwp-x-unit": cy}).check()
    assert [(f["rule"], f["severity"], f["message"]) for f in result.findings] == [
        (
            "WALES-LNG-001",
            "warning",
            "nwp-x-unit: tabard found no Welsh in display name 'Report crime in Monitro' of "
            "this cy account (no Welsh name of the force, and the rest reads as English)",
        )
    ]


def test_declared_welsh_display_name_is_not_judged(tmp_path: Path) -> None:
    # "Dogs / Dogs" would read as English; the force has said which part is Welsh.
    cy = account(
        "nwp-x-dogs",
        "north-wales",
        handle="@HGCDogs",
        display_name='"PD Bruno"',
        language="{mode: cy, primary: cy-GB, welsh_display_name: PD Bruno}",
        lifecycle="{status: active}",
    )
    assert _found(_welsh_project(tmp_path, {"nwp-x-dogs": cy})) == []


def test_welsh_account_with_an_english_only_bio(tmp_path: Path) -> None:
    cy = account(
        "nwp-x-main-cy",
        "north-wales",
        handle="@HeddluGogCymru",
        display_name="Heddlu Gogledd Cymru",
        account_type="corporate",
        bio='"Official account of North Wales Police. Emergency 999. English @NWPolice"',
        language="{mode: cy, primary: cy-GB}",
        lifecycle="{status: active}",
    )
    assert _found(_welsh_project(tmp_path, {"nwp-x-main-cy": cy})) == [
        ("WALES-LNG-004", "nwp-x-main-cy", 9)
    ]


def test_brand_guide_welsh_settings_are_enforced(tmp_path: Path) -> None:
    brand = WELSH_BRAND.replace("[bilingual, paired]", "[paired]")
    both = account(
        "nwp-x-main",
        "north-wales",
        handle="@HeddluGogCymru",
        display_name="Heddlu Gogledd Cymru North Wales Police",
        account_type="corporate",
        bio='"Heddlu Gogledd Cymru. Argyfwng 999 / Emergency 999"',
        language="{mode: bilingual, primary: cy-GB}",
        lifecycle="{status: active}",
    )
    en = account(
        "nwp-x-roads-en",
        "north-wales",
        handle="@NWPRoads",
        display_name="NWP Roads Policing",
        bio='"Roads Policing Unit. Emergency 999."',
        language="{mode: en, primary: en-GB, paired_account: nwp-x-roads-cy, "
        "translation_route: Welsh Language Unit}",
        lifecycle="{status: active}",
    )
    cy = account(
        "nwp-x-roads-cy",
        "north-wales",
        handle="@HGCFfyrdd",
        display_name="HGC Plismona Ffyrdd",
        bio='"Uned Plismona Ffyrdd. Argyfwng 999. In English: @NWPRoads"',
        language="{mode: cy, primary: cy-GB, paired_account: nwp-x-roads-en}",
        lifecycle="{status: active}",
    )
    project = _project(
        tmp_path, {"nwp-x-main": both, "nwp-x-roads-en": en, "nwp-x-roads-cy": cy}
    ).write({"force/brand.yaml": brand})
    assert _found(project) == [
        ("WALES-LNG-005", "nwp-x-main", 10),
        ("WALES-LNG-006", "nwp-x-roads-en", 9),
    ]


def _imports_lingua(project: Project) -> bool:
    code = (
        "import sys\n"
        "from tabard.cli import main\n"
        "code = main(['check', '--as-of', '2026-11-24', '--format', 'json'])\n"
        "print('lingua' in sys.modules, code, file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "TABARD_DISABLE_PLUGIN_AUTOLOAD": ""},
    )
    flag, _, code_text = run.stderr.strip().splitlines()[-1].partition(" ")
    assert code_text in ("0", "1"), run.stderr
    return flag == "True"


def test_english_force_run_never_imports_lingua(tmp_path: Path) -> None:
    project = Project(tmp_path).with_force_documents("gloucestershire")
    project.write({"accounts/x/glos-x-dogs.yaml": DOGS})
    assert _imports_lingua(project) is False


def test_force_names_and_declared_welsh_need_no_lingua(tmp_path: Path) -> None:
    # The display name has the force's Welsh name; the bio's Welsh part is declared.
    cy = account(
        "nwp-x-main-cy",
        "north-wales",
        handle="@HeddluGogCymru",
        display_name="Heddlu Gogledd Cymru",
        bio='"Cyfrif swyddogol HGC"',
        language="{mode: cy, primary: cy-GB, welsh_bio: Cyfrif swyddogol}",
        lifecycle="{status: active}",
    )
    assert _imports_lingua(_welsh_project(tmp_path, {"nwp-x-main-cy": cy})) is False


def test_welsh_text_without_a_force_name_loads_lingua(tmp_path: Path) -> None:
    cy = account(
        "nwp-x-marine",
        "north-wales",
        handle="@HGCForol",
        display_name='"Uned Forol"',
        language="{mode: cy, primary: cy-GB}",
        lifecycle="{status: active}",
    )
    assert _imports_lingua(_welsh_project(tmp_path, {"nwp-x-marine": cy})) is True


def test_welsh_text_without_lingua_installed_stops_with_the_fix(tmp_path: Path) -> None:
    # lingua is the optional extra tabard[welsh]: without it, a judgement cannot be made,
    # and the run says how to install it instead of guessing (exit code 2).
    cy = account(
        "nwp-x-marine",
        "north-wales",
        handle="@HGCForol",
        display_name='"Uned Forol"',
        language="{mode: cy, primary: cy-GB}",
        lifecycle="{status: active}",
    )
    project = _welsh_project(tmp_path, {"nwp-x-marine": cy})
    code = (
        "import sys\n"
        "sys.modules['lingua'] = None  # as if the package were not installed\n"
        "from tabard.cli import main\n"
        "sys.exit(main(['check', '--as-of', '2026-11-24']))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=project.root, capture_output=True, text=True, check=False
    )
    assert run.returncode == 2, run
    assert run.stdout == ""
    assert run.stderr == (
        "tabard: error: accounts/x/nwp-x-marine.yaml: plugin 'welsh-language': operator "
        "'has_welsh' raised RuntimeError: judging whether text is Welsh needs the "
        "lingua-language-detector package, which is not installed; install it with: "
        "pip install 'tabard[welsh]' (rule WALES-LNG-001)\n"
        "  hint: fix the plugin, or disable it with TABARD_DISABLE_PLUGINS=welsh-language\n"
    )
