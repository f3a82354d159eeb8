"""`tabard report`: the data behind the national page, its CSV matrix, and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.builders import AS_OF, force_documents, policy, project, waiver
from tests.conftest import write

REPO_EXAMPLES = Path(__file__).parent.parent / "examples"

_RULES = """\
- id: LOC-001
  title: Accounts have x-a
  severity: error
  fix: Add x-a.
  assert: {field: x-a, present: true}
  message: "{id}: no x-a"
- id: LOC-002
  title: Accounts have x-b
  severity: warning
  fix: Add x-b.
  assert: {field: x-b, present: true}
  message: "{id}: no x-b"
"""


def _account(id: str, platform: str, account_type: str, status: str, extra: str) -> str:
    return (
        "apiVersion: tabard/v1\nkind: Account\n"
        f"id: {id}\nforce: gloucestershire\nplatform: {platform}\n"
        f'handle: "@{id}"\ndisplay_name: Test account\naccount_type: {account_type}\n'
        "owner: {name: PC Example Secret, email: secret.person@gloucestershire.police.uk, "
        "role: Neighbourhood sergeant}\n" + extra
    )


def _small_force(root: Path) -> Path:
    """Five accounts whose headline figures are worked out by hand in the tests below."""
    return project(
        root,
        {
            **force_documents(),
            "policies/local.yaml": policy(_RULES),
            # linked, two-way, monitored 24/7, review not yet due: clean
            "accounts/x/a1.yaml": _account(
                "a1",
                "x",
                "corporate",
                "active",
                "lifecycle: {status: active, next_review_due: 2027-01-01}\n"
                "engagement: {mode: two_way, monitoring: {always_on: true}}\n"
                "strategy: {objectives: [OBJ-ENG-01]}\nx-a: 1\nx-b: 1\n",
            ),
            # serves only a retired objective; broadcast through the digital desk; overdue;
            # no x-a, waived by W-1 (expires in 16 days)
            "accounts/facebook/a2.yaml": _account(
                "a2",
                "facebook",
                "neighbourhood",
                "active",
                "lifecycle: {status: active, next_review_due: 2026-10-01}\n"
                "engagement: {mode: broadcast, digital_desk: true}\n"
                "strategy: {objectives: [OBJ-ENG-00]}\nx-b: 1\n",
            ),
            # an individual officer, two-way, not monitored; no x-a, no x-b
            "accounts/x/a3.yaml": _account(
                "a3",
                "x",
                "individual_officer",
                "active",
                "lifecycle: {status: active}\nengagement: {mode: two_way}\n"
                "strategy: {objectives: [OBJ-PREV-01]}\n",
            ),
            # unofficial, in transfer to a1
            "accounts/x/a4.yaml": _account(
                "a4",
                "x",
                "unofficial",
                "transferring",
                "lifecycle: {status: transferring}\n"
                "transfer: {target_account: a1, due: 2027-01-31}\nx-a: 1\nx-b: 1\n",
            ),
            # closed: counted, but in none of the shares
            "accounts/youtube/a5.yaml": _account(
                "a5",
                "youtube",
                "corporate",
                "closed",
                "lifecycle: {status: closed, next_review_due: 2020-01-01}\nx-a: 1\nx-b: 1\n",
            ),
            "waivers/W-1.yaml": waiver(
                "W-1", ["LOC-001"], ["a2"], granted="2026-06-01", expires="2026-12-10"
            ),
            "waivers/W-2.yaml": waiver(
                "W-2", ["LOC-002"], ["a3"], granted="2025-10-01", expires="2026-09-30"
            ),
        },
    )


def _copy_example(name: str, target: Path, config_tail: str | None = None) -> Path:
    shutil.copytree(REPO_EXAMPLES / name, target, ignore=shutil.ignore_patterns(".tabard-cache"))
    if config_tail is not None:
        config = target / "tabard.yaml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.split("\npolicies:")[0] + "\n" + config_tail, encoding="utf-8")
    return target


# Gloucestershire, loosened: branding and language left out, a rule disabled, one lowered
# and one raised (raising is not loosening).
_LOOSE_GLOS = """\
policies: [accountability, strategy-link, security, engagement, lifecycle]
accounts: [accounts]
rules:
  LIF-002: {enabled: false}
  SEC-005: {severity: info}
  ENG-010: {severity: warning}
"""


def _json(run: Any, *paths: Path) -> dict[str, Any]:
    outcome = run("report", *map(str, paths), "--format", "json", "--as-of", AS_OF)
    assert outcome.code == 0, outcome
    data: dict[str, Any] = outcome.json()
    return data


def test_headline_figures_of_a_small_force(tmp_path: Path, run: Any) -> None:
    data = _json(run, _small_force(tmp_path / "glos"))
    assert data["scope"] == "force"
    (force,) = data["forces"]
    assert force["force"] == "gloucestershire"
    assert force["name"] == "Gloucestershire Constabulary"
    assert force["headline"] == {
        "accounts": 5,
        "open_accounts": 4,
        "by_status": {"active": 3, "closed": 1, "transferring": 1},
        "by_platform": {"facebook": 1, "x": 3},
        "by_type": {"corporate": 1, "individual_officer": 1, "neighbourhood": 1, "unofficial": 1},
        "strategy_linked": 2,
        "two_way": 2,
        "broadcast": 1,
        "monitored": 2,
        "individual_officer": 1,
        "unofficial": 1,
        "in_transfer": 1,
        "overdue_reviews": 1,
        # a3: LOC-001 (error), LOC-002 (warning); W-1: TAB-102 (warning, expiring soon);
        # W-2: TAB-101 (error, expired)
        "findings": {"error": 2, "warning": 2, "info": 0},
        "waived_findings": 1,
    }
    assert data["national"]["accounts"] == 5
    assert data["national"]["findings"] == {"error": 2, "warning": 2, "info": 0}


def test_strategy_link_and_register_of_a_small_force(tmp_path: Path, run: Any) -> None:
    (force,) = _json(run, _small_force(tmp_path / "glos"))["forces"]
    assert force["strategy"] == {
        "live_objectives": 5,
        "objectives_unserved": [
            {"id": "OBJ-CONF-01", "title": "Public confidence through openness about policing"},
            {"id": "OBJ-ENG-02", "title": "Specialist units talk with the public about their work"},
            {"id": "OBJ-RECRUIT-01", "title": "Recruit officers, staff and volunteers"},
        ],
        "accounts_without_live_objective": ["a2", "a4"],
    }
    assert [entry["id"] for entry in force["register"]] == ["a1", "a2", "a3", "a4", "a5"]
    assert force["register"][2] == {
        "id": "a3",
        "platform": "x",
        "type": "individual_officer",
        "status": "active",
        "owner_role": "Neighbourhood sergeant",
        "objectives": ["OBJ-PREV-01"],
        "next_review_due": None,
        "review_overdue": False,
        "findings": [
            {
                "rule": "LOC-001",
                "severity": "error",
                "title": "Accounts have x-a",
                "fix": "Add x-a.",
                "field": "x-a",
                "waived_by": None,
            },
            {
                "rule": "LOC-002",
                "severity": "warning",
                "title": "Accounts have x-b",
                "fix": "Add x-b.",
                "field": "x-b",
                "waived_by": None,
            },
        ],
        "waivers": ["W-2"],
    }
    assert force["register"][1]["findings"][0]["waived_by"] == "W-1"
    assert force["register"][1]["review_overdue"] is True
    assert force["register"][4]["review_overdue"] is False  # closed accounts are not reviewed
    assert [(f["file"], f["rule"]) for f in force["other_findings"]] == [
        ("waivers/W-1.yaml", "TAB-102"),
        ("waivers/W-2.yaml", "TAB-101"),
    ]


def test_no_name_or_email_reaches_any_output(tmp_path: Path, run: Any) -> None:
    repo = _small_force(tmp_path / "glos")
    for format in ("json", "csv", "html"):
        out = tmp_path / f"report.{format}"
        outcome = run("report", str(repo), "--format", format, "--output", str(out))
        assert outcome.code == 0, outcome
        text = out.read_text(encoding="utf-8")
        assert "Secret" not in text
        assert "secret.person" not in text


def test_loosening_of_a_small_force(tmp_path: Path, run: Any) -> None:
    (force,) = _json(run, _small_force(tmp_path / "glos"))["forces"]
    assert force["loosened"] == {
        # a local pack only: every national pack is left out
        "packs_left_out": [
            "accountability",
            "branding",
            "engagement",
            "language",
            "lifecycle",
            "security",
            "strategy-link",
        ],
        "rules_disabled": [],
        "severities_lowered": [],
        "waivers": {
            "count": 2,
            "active": 0,
            "expiring_soon": 1,
            "expired": 1,
            "invalid": 0,
            "oldest_days": 419,
            "items": [
                {
                    "id": "W-1",
                    "rules": ["LOC-001"],
                    "accounts": ["a2"],
                    "granted": "2026-06-01",
                    "expires": "2026-12-10",
                    "age_days": 176,
                    "state": "expiring_soon",
                },
                {
                    "id": "W-2",
                    "rules": ["LOC-002"],
                    "accounts": ["a3"],
                    "granted": "2025-10-01",
                    "expires": "2026-09-30",
                    "age_days": 419,
                    "state": "expired",
                },
            ],
        },
    }
    assert set(force["matrix"]) == {rule["id"] for rule in _json(run, tmp_path / "glos")["rules"]}
    # Every national pack is left out, but its locked rules still run (so they are "on").
    states = {rule: cell["state"] for rule, cell in force["matrix"].items()}
    assert {rule for rule, state in states.items() if state == "on"} == {
        "ACC-001",
        "ACC-005",
        "SEC-002",
        "SEC-004",
        "SEC-009",
        "STR-001",
    }
    assert set(states.values()) == {"left_out", "on"}


def test_matrix_cells_and_loosening_of_a_collection(tmp_path: Path, run: Any) -> None:
    national = tmp_path / "national"
    _copy_example("gloucestershire", national / "glos", _LOOSE_GLOS)
    _copy_example("dyfed-powys", national / "dpp")
    data = _json(run, national)
    assert data["scope"] == "national"
    assert [force["force"] for force in data["forces"]] == ["dyfed-powys", "gloucestershire"]
    glos = data["forces"][1]
    assert glos["loosened"]["packs_left_out"] == ["branding", "language"]
    assert glos["loosened"]["rules_disabled"] == [{"rule": "LIF-002", "pack": "lifecycle"}]
    assert glos["loosened"]["severities_lowered"] == [
        {"rule": "SEC-005", "pack": "security", "from": "warning", "to": "info"}
    ]
    cells = glos["matrix"]
    assert cells["BRD-001"] == _cell("left_out")
    assert cells["LIF-002"] == _cell("disabled")
    assert cells["SEC-005"] == _cell("on", "info", lowered=True, failing=1)
    assert cells["ENG-010"] == _cell("on", "warning")
    assert cells["ACC-005"] == _cell("on", "error", failing=1)
    # Every rule that fails somewhere, as `tabard check` on the example reports it
    failing = {rule: cell["failing"] for rule, cell in cells.items() if cell["failing"]}
    assert failing == {
        "ACC-005": 1,
        "ACC-006": 1,
        "ENG-002": 1,
        "LIF-005": 1,
        "LIF-013": 1,
        "SEC-002": 1,
        "SEC-004": 1,
        "SEC-005": 1,
        "STR-002": 1,
        "STR-003": 1,
        "STR-012": 1,
    }
    dpp = data["forces"][0]
    assert {
        rule: c for rule, c in dpp["matrix"].items() if c != _cell("on", _default(data, rule))
    } == {
        "LNG-001": _cell("on", "error", failing=1),
        "LNG-003": _cell("on", "error", failing=2),
        "LNG-004": _cell("on", "warning", failing=1),
    }
    assert data["national"]["forces"] == 2
    assert data["national"]["accounts"] == (
        glos["headline"]["accounts"] + dpp["headline"]["accounts"]
    )


def _default(data: dict[str, Any], rule_id: str) -> str:
    return next(str(rule["severity"]) for rule in data["rules"] if rule["id"] == rule_id)


def _cell(
    state: str,
    severity: str | None = None,
    *,
    lowered: bool = False,
    failing: int = 0,
    waived: int = 0,
) -> dict[str, Any]:
    return {
        "state": state,
        "severity": severity,
        "lowered": lowered,
        "failing": failing,
        "waived": waived,
    }


def test_csv_matrix(tmp_path: Path, run: Any) -> None:
    national = tmp_path / "national"
    _copy_example("gloucestershire", national / "glos", _LOOSE_GLOS)
    _copy_example("dyfed-powys", national / "dpp")
    outcome = run("report", str(national), "--format", "csv", "--as-of", AS_OF)
    assert outcome.code == 0, outcome
    rows = [line.split(",") for line in outcome.out.splitlines()]
    header = rows[0]
    assert header[:4] == ["force", "name", "status", "ACC-001"]
    glos = dict(zip(header, rows[2], strict=True))
    assert glos["force"] == "gloucestershire"
    assert glos["BRD-001"] == "left out"
    assert glos["LIF-002"] == "disabled"
    assert glos["SEC-005"] == "1; lowered to info"
    assert glos["ACC-005"] == "1"
    assert glos["ACC-001"] == "0"
    assert len(rows) == 3


def test_several_paths_and_a_single_repository(tmp_path: Path, run: Any) -> None:
    glos = _copy_example("gloucestershire", tmp_path / "one" / "glos")
    dpp = _copy_example("dyfed-powys", tmp_path / "two")
    data = _json(run, glos, dpp)
    assert [force["force"] for force in data["forces"]] == ["gloucestershire", "dyfed-powys"]
    assert [force["path"] for force in data["forces"]] == [str(glos), str(dpp)]
    single = _json(run, glos)
    assert single["scope"] == "force"
    # the force's own register: what `tabard check` finds, account by account
    checked = run("check", str(glos), "--format", "json", "--as-of", AS_OF, "--no-cache").json()
    in_register = sorted(
        (entry["id"], finding["rule"])
        for entry in single["forces"][0]["register"]
        for finding in entry["findings"]
    )
    assert in_register == sorted((f["document"], f["rule"]) for f in checked["findings"])


def test_html_is_the_default_and_goes_to_report_html(tmp_path: Path, run: Any) -> None:
    repo = _small_force(tmp_path / "glos")
    outcome = run("report", str(repo), "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.code == 0, outcome
    assert outcome.err == "tabard: wrote report.html: 1 force(s) reported\n"
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page


def test_a_path_that_is_no_repository(tmp_path: Path, run: Any) -> None:
    write(tmp_path, {"empty/notes.txt": "nothing here\n"})
    outcome = run("report", str(tmp_path / "empty"), "--format", "json")
    assert outcome.code == 2
    assert outcome.out == ""
    assert outcome.err == (
        f"tabard: error: {tmp_path / 'empty'} is no force repository: it has no tabard.yaml, "
        "nor has any folder in it; name a force repository or a folder of them\n"
    )
    outcome = run("report", str(tmp_path / "missing"), "--format", "json")
    assert outcome.code == 2
    assert outcome.err == (
        f"tabard: error: {tmp_path / 'missing'} does not exist; name a force repository "
        "(a folder with tabard.yaml) or a folder of force repositories\n"
    )


def test_a_broken_repository_is_reported_and_the_others_still_are(tmp_path: Path, run: Any) -> None:
    national = tmp_path / "national"
    _copy_example("dyfed-powys", national / "dpp")
    write(
        national,
        {"broken/tabard.yaml": "apiVersion: tabard/v1\nkind: Config\npolicies: [brandng]\n"},
    )
    out = tmp_path / "national.json"
    outcome = run(
        "report", str(national), "--format", "json", "--output", str(out), "--as-of", AS_OF
    )
    assert outcome.code == 2
    problem = (
        f"{national / 'broken' / 'tabard.yaml'}:3:12: unknown policy pack 'brandng'\n"
        "  hint: did you mean 'branding'? built-in packs: accountability, branding, engagement, "
        "language, lifecycle, security, strategy-link; local packs are paths like ./policies"
    )
    assert outcome.err == (
        f"tabard: error: {national / 'broken'} could not be checked:\n"
        + "".join(f"  {line}\n" for line in problem.splitlines())
        + f"tabard: wrote {out}: 1 force(s) reported, 1 broken\n"
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["forces"][0] == {
        "force": "broken",
        "path": str(national / "broken"),
        "status": "broken",
        "problems": [problem],
    }
    assert data["forces"][1]["force"] == "dyfed-powys"
    assert data["forces"][1]["status"] == "ok"


def test_two_repositories_claiming_one_force(tmp_path: Path, run: Any) -> None:
    first = _copy_example("dyfed-powys", tmp_path / "a")
    second = _copy_example("dyfed-powys", tmp_path / "b")
    outcome = run("report", str(first), str(second), "--format", "json")
    assert outcome.code == 2
    assert outcome.out == ""
    assert outcome.err == (
        f"tabard: error: {first} and {second} both claim the force 'dyfed-powys'; "
        "report each force from one repository only\n"
    )


@pytest.mark.parametrize("format", ["json", "csv", "html"])
def test_an_unwritable_output(tmp_path: Path, run: Any, format: str) -> None:
    repo = _small_force(tmp_path / "glos")
    target = tmp_path / "no" / "such" / "folder" / "out"
    outcome = run("report", str(repo), "--format", format, "--output", str(target))
    assert outcome.code == 2
    assert outcome.err == f"tabard: error: cannot write {target}: No such file or directory\n"


def test_the_national_example_is_what_its_seeded_generator_writes(tmp_path: Path) -> None:
    import subprocess
    import sys

    national = REPO_EXAMPLES / "national"
    subprocess.run(
        [sys.executable, str(national / "generate.py"), "--out", str(tmp_path)], check=True
    )
    written = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.yaml")}
    committed = {p.relative_to(national): p.read_bytes() for p in national.rglob("*.yaml")}
    assert len({path.parts[0] for path in written}) == 43
    assert sorted(written) == sorted(committed)
    assert written == committed


def test_json_and_csv_never_import_jinja2(tmp_path: Path) -> None:
    import subprocess
    import sys

    repo = _small_force(tmp_path / "glos")
    script = (
        "import contextlib, io, sys\n"
        "from tabard.cli import main\n"
        "for format in ('json', 'csv'):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        f"        assert main(['report', {str(repo)!r}, '--format', format]) == 0\n"
        "print('jinja2' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "False\n", "")


def test_a_folder_without_tabard_yaml_in_a_collection_is_named(tmp_path: Path, run: Any) -> None:
    national = tmp_path / "national"
    _copy_example("dyfed-powys", national / "dpp")
    write(national, {"gwent/accounts/x/a.yaml": "apiVersion: tabard/v1\n", ".git/HEAD": "x\n"})
    outcome = run("report", str(national), "--format", "json", "--as-of", AS_OF)
    assert outcome.code == 0, outcome
    assert (
        outcome.err
        == f"tabard: note: {national / 'gwent'} has no tabard.yaml; it is not reported\n"
    )
    assert [force["force"] for force in outcome.json()["forces"]] == ["dyfed-powys"]
