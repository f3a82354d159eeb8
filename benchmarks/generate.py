"""Generate a seeded, realistic tabard repository of N account manifests.

    python benchmarks/generate.py OUT_DIR --accounts 10000 [--seed 7] [--policy twenty|builtin]

Accounts are spread over forces the way a national register would hold them
(a few hundred per force), each force with its Force, Strategy and BrandGuide
documents.  About one manifest in six carries a realistic fault, so the check
has findings to locate and report, as it would on a real repository.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

FORCES = [
    ("gloucestershire", "Gloucestershire Constabulary", "Glos", "GlosPolice"),
    ("staffordshire", "Staffordshire Police", "Staffs", "StaffsPolice"),
    ("west-midlands", "West Midlands Police", "WMP", "WMPolice"),
    ("north-yorkshire", "North Yorkshire Police", "NYP", "NYorksPolice"),
    ("essex", "Essex Police", "Essex", "EssexPoliceUK"),
    ("kent", "Kent Police", "Kent", "KentPolice"),
    ("dorset", "Dorset Police", "Dorset", "DorsetPolice"),
    ("cumbria", "Cumbria Constabulary", "Cumbria", "CumbriaPolice"),
    ("suffolk", "Suffolk Constabulary", "Suffolk", "SuffolkPolice"),
    ("wiltshire", "Wiltshire Police", "Wilts", "WiltsPolice"),
]
PLATFORMS = ["x", "facebook", "instagram", "youtube", "tiktok", "nextdoor"]
TYPES = ["neighbourhood"] * 6 + ["department", "team", "corporate", "senior_officer", "campaign"]
UNITS = ["Dog Section", "Roads Policing", "Rural Crime Team", "Mounted", "Recruitment", "CID"]
AREAS = [f"AREA{n:02d}" for n in range(1, 41)]
OBJECTIVES = ["OBJ-ENG-01", "OBJ-ENG-02", "OBJ-PREV-01", "OBJ-CONF-01", "OBJ-RECRUIT-01"]
FIRST = ["Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Jamie", "Kim", "Lee", "Morgan"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Evans", "Walker", "Wright", "Hughes", "Green"]


def force_documents(force: str, name: str, short: str) -> dict[str, str]:
    domain = f"{force}.police.uk"
    areas = "\n".join(f"    - {{code: {code}, name: Area {code[-2:]}}}" for code in AREAS)
    objectives = "\n".join(
        f"  - {{id: {objective}, title: {objective.title()}, status: active, "
        f"audiences: [residents], engagement: {'dialogue' if 'ENG' in objective else 'broadcast'}}}"
        for objective in OBJECTIVES
    )
    return {
        "force.yaml": f"""apiVersion: tabard/v1
kind: Force
force: {force}
name: {name}
email_domains: ["{domain}"]
non_emergency: {{text: "101", online_url: "https://www.{domain}/report"}}
welsh_standards: false
min_accountable_rank: Inspector
accountable_ranks: [Inspector, Chief Inspector, Superintendent, Head of Communications]
house_rules_url: "https://www.{domain}/social-media-house-rules"
""",
        "strategy.yaml": f"""apiVersion: tabard/v1
kind: Strategy
force: {force}
id: {force}-comms-2026
version: "2026.1"
approved_on: 2026-04-01
review_due: 2027-04-01
objectives:
{objectives}
geography:
  level: district
  areas:
{areas}
units: [{", ".join(UNITS)}]
portfolio:
  allowed_types: [corporate, department, neighbourhood, team, senior_officer, campaign]
  allowed_platforms: [x, facebook, instagram, youtube, tiktok, nextdoor]
  max_per_area: {{facebook: 1, x: 1}}
  max_accounts: {{total: 400}}
""",
        "brand.yaml": f"""apiVersion: tabard/v1
kind: BrandGuide
force: {force}
version: "2026.1"
force_names:
  en: {sorted({name, f"{short} Police", short})}
assets:
  crest-2026: {{kind: avatar}}
bio:
  required:
    emergency: ["999"]
    non_emergency: ["101"]
    not_monitored: ["not monitored 24/7"]
""",
    }


def manifest(
    rng: random.Random, force: str, short: str, handle_stem: str, number: int
) -> tuple[str, str, str]:
    platform = rng.choice(PLATFORMS)
    account_type = rng.choice(TYPES)
    identity = f"{force}-{platform}-{number:05d}"
    area = rng.choice(AREAS)
    unit = rng.choice(UNITS)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    email = f"{first.lower()}.{last.lower()}{number}@{force}.police.uk"
    fault = rng.random() < 0.17 and rng.randrange(8)
    if fault == 1:
        email = f"{first.lower()}{number}@gmail.com"
    bio = (
        f"{short} Police {area.title()}. Not monitored 24/7. Emergency 999. "
        "Non-emergency 101 or online."
    )
    if fault == 2:
        bio = f"{short} Police {area.title()}. Not monitored 24/7. Report online."
    mfa = "false" if fault == 3 else "true"
    shared = "true" if fault == 4 else "false"
    objective = "OBJ-OLD-09" if fault == 5 else rng.choice(OBJECTIVES)
    review = "2025-01-10" if fault == 6 else "2027-02-01"
    access = "2024-05-01" if fault == 7 else "2026-10-01"
    where = (
        f"area: {{code: {area}, name: Area {area[-2:]}, level: district}}\n"
        if account_type == "neighbourhood"
        else f"unit: {unit}\n"
    )
    senior = (
        f"senior: {{role_account: true, office_email: chief.constable@{force}.police.uk}}"
        if account_type == "senior_officer"
        else ""
    )
    text = f"""apiVersion: tabard/v1
kind: Account
id: {identity}
force: {force}
platform: {platform}
handle: "@{handle_stem}{number:05d}"
url: "https://example.invalid/{handle_stem}{number:05d}"
display_name: {short} Police {area.title() if account_type == "neighbourhood" else unit}
bio: "{bio}"
avatar: {{asset: crest-2026}}
account_type: {account_type}
{where}audience: [residents]
owner:
  name: PC {first} {last}
  staff_number: "{10000 + number}"
  rank_or_grade: Constable
  role: Neighbourhood officer
  email: {email}
  status: current
accountable_officer:
  name: Insp {rng.choice(FIRST)} {rng.choice(LAST)}
  staff_number: "{90000 + number}"
  rank_or_grade: Inspector
  role: Neighbourhood inspector
  email: insp{number}@{force}.police.uk
operators:
  - {{name: PC {first} {last}, staff_number: "{10000 + number}", email: {email}, role: publisher, access_via: smmp, mfa: true}}
  - {{name: PCSO {rng.choice(FIRST)} {rng.choice(LAST)}, staff_number: "{20000 + number}", email: pcso{number}@{force}.police.uk, role: publisher, access_via: {rng.choice(["smmp", "native"])}, mfa: {mfa}}}
approval: {{approved_by: Head of Corporate Communications, approved_on: 2024-03-01, reference: CC-SM-{number:05d}}}
strategy: {{objectives: [{objective}]}}
branding: {{listed_on_force_site: true, listing_url: "https://www.{force}.police.uk/social", platform_verification: verified}}
{senior}
security:
  login_email: socialmedia{number}@{force}.police.uk
  mfa: {{enabled: {mfa}, method: authenticator_app}}
  credential_store: smmp
  shared_login: {shared}
  smmp: orlo
  connected_apps: []
  last_access_review: {access}
engagement:
  mode: two_way
  monitoring:
    always_on: false
    windows: [{{days: [mon, tue, wed, thu, fri], start: "08:00", end: "17:00"}}]
    tz: Europe/London
    bank_holidays: false
  dms_open: false
  digital_desk: false
  response_target_hours: 24
  escalation_route: control_room
  house_rules_url: "https://www.{force}.police.uk/social-media-house-rules"
  content_review: comms_for_appeals
accessibility: {{alt_text: required, captions: required}}
language: {{mode: en, primary: en-GB}}
lifecycle:
  status: active
  created_on: 2022-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}
  approved_on: 2022-01-05
  last_reviewed: 2026-02-01
  next_review_due: {review}
  last_post_on: 2026-11-0{rng.randint(1, 9)}
"""
    return platform, identity, text


def generate(out: Path, accounts: int, seed: int, policy: str) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    policies = "[./bench-policy.yaml]" if policy == "twenty" else "null"
    (out / "tabard.yaml").write_text(
        "apiVersion: tabard/v1\nkind: Config\n"
        + (f"policies: {policies}\n" if policy == "twenty" else ""),
        encoding="utf-8",
    )
    if policy == "twenty":
        shutil.copy(Path(__file__).with_name("policy-20.yaml"), out / "bench-policy.yaml")
    for force, name, short, _ in FORCES:
        for file, text in force_documents(force, name, short).items():
            path = out / "forces" / force / file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for number in range(accounts):
        force, _, short, stem = FORCES[number % len(FORCES)]
        platform, identity, text = manifest(rng, force, short, stem, number)
        path = out / "accounts" / platform / f"{identity}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--policy", choices=("twenty", "builtin"), default="twenty")
    options = parser.parse_args()
    generate(options.out, options.accounts, options.seed, options.policy)


if __name__ == "__main__":
    main()
