"""Generate the national example collection: the 43 territorial forces of England and Wales.

    python examples/national/generate.py            # rewrites examples/national/<force>/
    tabard report examples/national --as-of 2026-11-24 --output national-report.html

Seeded (the same files every run). Each force is its own repository with its own
``tabard.yaml``, force profile, strategy and brand guide, and a portfolio of realistic
size and shape (domain notes §6.4: small forces 10-25 accounts, large ones far more;
here scaled to at most 60 a force so that the example stays small). Forces differ the
way real ones do: some centralised (a few corporate and district accounts, a digital
desk), some with many neighbourhood and individual officer accounts, the four Welsh
forces bilingual. Each config loosens a few things (a pack left out, a rule off or
lowered) and some forces hold waivers. About one account in five carries a realistic
fault. Every name and email address is made up ("Example ...").
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

SEED = 2026
AS_OF = date(2026, 11, 24)
HERE = Path(__file__).parent
PACKS = ["accountability", "branding", "strategy-link", "security", "engagement", "lifecycle", "language"]


@dataclass(frozen=True)
class Force:
    id: str
    name: str
    code: str
    stem: str  # handle stem, e.g. GlosPolice
    accounts: int
    style: str  # centralised | mixed | local
    welsh: bool = False
    welsh_name: str = ""


# (id, name, code, handle stem, accounts, style); sizes and shapes from domain.md §6.4
# where a source gives them, otherwise sized by the force's population.
FORCES = [
    Force("avon-and-somerset", "Avon and Somerset Police", "ASP", "ASPolice", 34, "mixed"),
    Force("bedfordshire", "Bedfordshire Police", "BEDS", "BedsPolice", 14, "mixed"),
    Force("cambridgeshire", "Cambridgeshire Constabulary", "CAMBS", "CambsCops", 18, "mixed"),
    Force("cheshire", "Cheshire Constabulary", "CHES", "CheshirePolice", 22, "local"),
    Force("city-of-london", "City of London Police", "COLP", "CityPolice", 6, "centralised"),
    Force("cleveland", "Cleveland Police", "CLEV", "ClevelandPolice", 14, "mixed"),
    Force("cumbria", "Cumbria Constabulary", "CUMB", "CumbriaPolice", 12, "mixed"),
    Force("derbyshire", "Derbyshire Constabulary", "DERBS", "DerbysPolice", 40, "local"),
    Force("devon-and-cornwall", "Devon & Cornwall Police", "DCP", "DCPolice", 36, "local"),
    Force("dorset", "Dorset Police", "DOR", "DorsetPolice", 14, "mixed"),
    Force("durham", "Durham Constabulary", "DUR", "DurhamPolice", 15, "centralised"),
    Force("dyfed-powys", "Dyfed-Powys Police", "DPP", "DyfedPowysPolice", 16, "mixed", True, "Heddlu Dyfed-Powys"),
    Force("essex", "Essex Police", "ESX", "EssexPoliceUK", 46, "local"),
    Force("gloucestershire", "Gloucestershire Constabulary", "GLOS", "GlosPolice", 16, "mixed"),
    Force("greater-manchester", "Greater Manchester Police", "GMP", "GMPolice", 48, "mixed"),
    Force("gwent", "Gwent Police", "GWENT", "GwentPolice", 12, "centralised", True, "Heddlu Gwent"),
    Force("hampshire", "Hampshire and Isle of Wight Constabulary", "HANTS", "HantsPolice", 36, "local"),
    Force("hertfordshire", "Hertfordshire Constabulary", "HERTS", "HertsPolice", 22, "mixed"),
    Force("humberside", "Humberside Police", "HUMB", "HumbersidePolice", 18, "mixed"),
    Force("kent", "Kent Police", "KENT", "KentPolice", 34, "mixed"),
    Force("lancashire", "Lancashire Constabulary", "LANCS", "LancsPolice", 32, "mixed"),
    Force("leicestershire", "Leicestershire Police", "LEICS", "LeicsPolice", 26, "local"),
    Force("lincolnshire", "Lincolnshire Police", "LINCS", "LincsPolice", 16, "mixed"),
    Force("merseyside", "Merseyside Police", "MERS", "MerseyPolice", 30, "mixed"),
    Force("metropolitan", "Metropolitan Police Service", "MPS", "MetPolice", 60, "local"),
    Force("norfolk", "Norfolk Constabulary", "NORF", "NorfolkPolice", 18, "mixed"),
    Force("northamptonshire", "Northamptonshire Police", "NHANTS", "NorthantsPolice", 16, "mixed"),
    Force("northumbria", "Northumbria Police", "NBRIA", "NorthumbriaPol", 7, "centralised"),
    Force("north-wales", "North Wales Police", "NWP", "NWPolice", 18, "mixed", True, "Heddlu Gogledd Cymru"),
    Force("north-yorkshire", "North Yorkshire Police", "NYP", "NYorksPolice", 11, "centralised"),
    Force("nottinghamshire", "Nottinghamshire Police", "NOTTS", "NottsPolice", 24, "mixed"),
    Force("south-wales", "South Wales Police", "SWP", "SWPolice", 28, "mixed", True, "Heddlu De Cymru"),
    Force("south-yorkshire", "South Yorkshire Police", "SYP", "SYPolice", 26, "mixed"),
    Force("staffordshire", "Staffordshire Police", "STAFFS", "StaffsPolice", 20, "local"),
    Force("suffolk", "Suffolk Constabulary", "SUFF", "SuffolkPolice", 14, "mixed"),
    Force("surrey", "Surrey Police", "SURR", "SurreyPolice", 16, "centralised"),
    Force("sussex", "Sussex Police", "SUSX", "SussexPolice", 24, "mixed"),
    Force("thames-valley", "Thames Valley Police", "TVP", "TVP", 40, "mixed"),
    Force("warwickshire", "Warwickshire Police", "WARKS", "WarksPolice", 10, "mixed"),
    Force("west-mercia", "West Mercia Police", "WMERC", "WMerciaPolice", 24, "mixed"),
    Force("west-midlands", "West Midlands Police", "WMP", "WMPolice", 56, "local"),
    Force("west-yorkshire", "West Yorkshire Police", "WYP", "WYP", 52, "local"),
    Force("wiltshire", "Wiltshire Police", "WILTS", "WiltsPolice", 12, "mixed"),
]

AREA_NAMES = ["North", "South", "East", "West", "Central", "City", "Coast", "Valleys", "Rural North",
              "Rural South", "Riverside", "Moorlands", "Vale", "Forest", "Borough East", "Borough West",
              "Harbour", "Downs", "Fens", "Peaks", "Marches", "Heath", "Wolds", "Levels"]
UNITS = [("Dog Section", "Dogs"), ("Roads Policing Unit", "Roads"), ("Rural Crime Team", "Rural"),
         ("Mounted Section", "Mounted"), ("Marine Unit", "Marine"), ("Cyber Crime Unit", "Cyber"),
         ("Volunteer Police Cadets", "Cadets"), ("Recruitment", "Jobs")]
OBJECTIVES = [
    ("OBJ-CONTACT-01", "Social media as a contact channel", "contact", ["corporate"]),
    ("OBJ-ENG-01", "Two-way local engagement in every area", "dialogue", ["neighbourhood", "team", "individual_officer"]),
    ("OBJ-ENG-02", "Specialist units talk with the public about their work", "dialogue", ["department", "team"]),
    ("OBJ-PREV-01", "Crime prevention, warning and informing", "broadcast", ["corporate", "department", "neighbourhood"]),
    ("OBJ-CONF-01", "Public confidence through openness about policing", "broadcast", ["corporate", "department", "senior_officer"]),
    ("OBJ-RECRUIT-01", "Recruit officers, staff, specials and volunteers", "broadcast", ["corporate", "campaign", "department"]),
    ("OBJ-YOUTH-01", "Reach children and young people where they are", "dialogue", ["corporate", "campaign", "department"]),
]
#: Rules a force may switch off or turn down (none of them locked).
LOOSENABLE = ["BRD-002", "BRD-005", "ENG-005", "LIF-003", "SEC-005", "STR-005", "ENG-003", "BRD-011", "ACC-009"]
LOWERABLE = {"BRD-006": "warning", "BRD-007": "warning", "SEC-003": "warning", "LIF-002": "info",
             "ENG-004": "info", "STR-003": "warning", "ENG-001": "warning"}
STEM_RULES = ["LIF-002", "SEC-005", "BRD-002", "STR-002"]


class Writer:
    def __init__(self, force: Force, rng: random.Random, out: Path) -> None:
        self.force = force
        self.rng = rng
        self.root = out / force.id
        self.domain = f"{force.id}.police.uk"
        self.person = 0
        self.areas = AREA_NAMES[: {"centralised": 4, "mixed": 8, "local": 14}[force.style]]
        self.individuals_allowed = force.style == "local"
        self.unofficial_allowed = False
        self.accounts: list[str] = []
        self.waivable: list[tuple[str, str]] = []
        self.switched_off: set[str] = set()

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def someone(self, rank: str) -> str:
        """A made-up member of staff: a name and email that say they are examples."""
        self.person += 1
        number = self.person
        grade = "" if rank == "operator" else f"rank_or_grade: {rank}, "
        title = "PC" if rank == "operator" else rank
        return (f"{{name: {title} Example {number}, staff_number: \"{40000 + number}\", "
                f"{grade}email: example.{number}@{self.domain}")

    # -- force documents -----------------------------------------------------------------

    def documents(self) -> None:
        f = self.force
        welsh = f.welsh
        self.write("force/force.yaml", f"""apiVersion: tabard/v1
kind: Force
force: {f.id}
name: {f.name}
short_code: {f.code}
email_domains: [{self.domain}, {f.id}.pnn.police.uk]
non_emergency: {{text: "101", online_url: "https://www.{self.domain}/ro/report/"}}
welsh_standards: {str(welsh).lower()}
min_accountable_rank: Inspector
accountable_ranks: [Inspector, Chief Inspector, Superintendent, Chief Superintendent,
                    Assistant Chief Constable, Deputy Chief Constable, Chief Constable,
                    Head of Communications, Communications Manager]
smmp: orlo
house_rules_url: "https://www.{self.domain}/social-media-house-rules"
directory_url: "https://www.{self.domain}/our-social-media"
approved_apps: [orlo]
political_terms: [vote for, labour party, conservative party, liberal democrats, reform uk, green party]
""")
        objectives = OBJECTIVES if self.rng.random() < 0.6 else OBJECTIVES[:-1]
        lines = []
        for identity, title, engagement, types in objectives:
            lines.append(f"  - {{id: {identity}, title: \"{title}\", engagement: {engagement}, "
                         f"audiences: [residents, young-people, businesses, job-seekers], "
                         f"allowed_account_types: [{', '.join(types)}], status: active}}")
        lines.append("  - {id: OBJ-ENG-00, title: Twitter-first engagement (2018 strategy), "
                     "engagement: dialogue, audiences: [residents], status: retired}")
        areas = "\n".join(f"    - {{code: {self.area_code(a)}, name: {a}}}" for a in self.areas)
        types = ["corporate", "department", "neighbourhood", "team", "senior_officer", "campaign"]
        if self.individuals_allowed:
            types.append("individual_officer")
        self.write("force/strategy.yaml", f"""apiVersion: tabard/v1
kind: Strategy
force: {f.id}
id: {f.id}-comms-2026
version: "2026.1"
title: {f.name} communications and engagement strategy 2026-2029
owner: {{role: Head of Communications}}
approved_by: {{role: Deputy Chief Constable}}
approved_on: 2026-04-01
review_due: 2027-04-01
objectives:
{chr(10).join(lines)}
geography:
  level: district
  areas:
{areas}
units: [Corporate Communications, {', '.join(unit for unit, _ in UNITS)}]
portfolio:
  allowed_types: [{', '.join(types)}]
  allowed_platforms: [x, facebook, instagram, youtube, tiktok, nextdoor, linkedin]
  individual_accounts: {{allowed: {str(self.individuals_allowed).lower()}, allowed_roles: [{'Neighbourhood beat manager' if self.individuals_allowed else ''}]}}
  unofficial_accounts: {{allowed: false, transfer_deadline_days: 90}}
  max_per_area: {{facebook: 1, x: 1, nextdoor: 1}}
  max_accounts: {{total: 80}}
monitoring_model:
  digital_desk: {{exists: {str(f.style != 'local').lower()}, hours: "24/7", channels: [corporate]}}
review_cycle: {{account_review_months: 12, access_review_days: 90, dormancy_days: 90, close_after_days: 180}}
""")
        cy = f"[{f.welsh_name}]" if welsh else "[]"
        welsh_block = "welsh: {required_mode: [bilingual, paired], bio_must_name_pair: true}\n" if welsh else ""
        self.write("force/brand.yaml", f"""apiVersion: tabard/v1
kind: BrandGuide
force: {f.id}
version: "2026.1"
force_names:
  en: [{f.name}, {f.code} Police]
  cy: {cy}
handle_patterns:
  corporate: ["^@?{f.stem}$"]
  department: ["^@?{f.stem}[A-Z][A-Za-z]+$"]
  neighbourhood: ["^@?{f.stem}[A-Z][A-Za-z]+$"]
  team: ["^@?{f.stem}[A-Z][A-Za-z]+$"]
  senior_officer: ["^@?{f.stem}Chief$"]
  campaign: ["^@?{f.stem}[A-Z][A-Za-z]+$"]
handle_exceptions: []
assets:
  crest: {{kind: avatar, allowed_types: [corporate, department, neighbourhood, team, campaign, individual_officer]}}
  crest-mono: {{kind: avatar, allowed_types: [senior_officer]}}
  banner-2026: {{kind: banner}}
bio:
  required:
    emergency: ["999"]
    non_emergency: ["101", "online"{', "ar-lein"' if welsh else ''}]
    not_monitored: ["not monitored 24/7", "don't report crime here"{', "ddim yn cael ei fonitro 24/7"' if welsh else ''}]
  forbidden: ["views are my own", "views my own"]
directory_url: "https://www.{self.domain}/our-social-media"
{welsh_block}platform_limits:
  x: {{display_name: 50, bio: 160}}
  instagram: {{display_name: 30, bio: 150}}
  tiktok: {{display_name: 30, bio: 80}}
  facebook: {{display_name: 75, bio: 255}}
  youtube: {{display_name: 100, bio: 1000}}
""")

    def area_code(self, area: str) -> str:
        return area.upper().replace(" ", "")[:8]

    # -- accounts --------------------------------------------------------------------------

    def portfolio(self) -> list[dict[str, str]]:
        """The force's accounts: corporate first, then units, areas, people, strays."""
        f, rng = self.force, self.rng
        plan: list[dict[str, str]] = []
        corporate = ["x", "facebook", "instagram", "youtube"] + (["tiktok", "linkedin"] if f.accounts > 20 else [])
        for platform in corporate[: max(2, min(len(corporate), f.accounts // 4))]:
            plan.append({"type": "corporate", "platform": platform, "name": "main"})
        if f.accounts >= 12:
            plan.append({"type": "senior_officer", "platform": "x", "name": "chief"})
        units = UNITS[: {"centralised": 2, "mixed": 5, "local": 8}[f.style]]
        for unit, short in units:
            if len(plan) >= f.accounts:
                break
            plan.append({"type": "department", "platform": rng.choice(["x", "instagram", "facebook"]),
                         "name": short.lower(), "unit": unit, "short": short})
        platforms = ["facebook", "x", "nextdoor"] if f.style == "local" else ["facebook", "x"]
        for area in self.areas:
            for platform in platforms:
                if len(plan) < f.accounts - (4 if f.style == "local" else 1):
                    plan.append({"type": "neighbourhood", "platform": platform,
                                 "name": self.area_code(area).lower(), "area": area})
        number = 0
        while len(plan) < f.accounts:
            number += 1
            roll = rng.random()
            if f.style == "local" and roll < 0.55:
                plan.append({"type": "individual_officer", "platform": "x", "name": f"beat{number}",
                             "area": rng.choice(self.areas)})
            elif roll < 0.75:
                plan.append({"type": "unofficial", "platform": rng.choice(["facebook", "x"]),
                             "name": f"stray{number}", "area": rng.choice(self.areas)})
            elif roll < 0.9:
                plan.append({"type": "campaign", "platform": rng.choice(["tiktok", "instagram"]),
                             "name": f"campaign{number}"})
            else:
                plan.append({"type": "team", "platform": "x", "name": f"team{number}"})
        return plan

    def account(self, spec: dict[str, str]) -> None:
        f, rng = self.force, self.rng
        kind, platform = spec["type"], spec["platform"]
        identity = f"{f.code.lower()}-{platform}-{spec['name']}"
        if identity in self.accounts:
            identity += f"-{len(self.accounts)}"
        self.accounts.append(identity)
        suffix = spec.get("short") or spec.get("area", "").replace(" ", "") or spec["name"].title()
        handle = {"corporate": f.stem, "senior_officer": f"{f.stem}Chief"}.get(kind, f"{f.stem}{suffix}")
        if kind in ("unofficial", "individual_officer"):
            handle = f"PC{rng.choice(['Beat', 'Copper', 'Bobby'])}{suffix}{rng.randint(1, 99)}"
        if platform in ("facebook", "instagram", "linkedin", "youtube") and kind == "corporate":
            handle = f.stem
        fault = rng.random() < {"centralised": 0.12, "mixed": 0.2, "local": 0.3}[f.style]
        fault_kind = rng.choice(["overdue", "mfa", "shared", "objective", "bio", "access", "dormant", "email"]) if fault else ""
        label = {"corporate": f.name if platform not in ("instagram", "tiktok") else f"{f.code} Police",
                 "senior_officer": f"Chief Constable, {f.code} Police",
                 "department": f"{f.code} Police {spec.get('short', '')}",
                 "neighbourhood": f"{f.code} Police {spec.get('area', '')}",
                 "team": f"{f.code} Police Team", "campaign": f"{f.code} Police Careers",
                 "individual_officer": f"{f.code} Police Beat {spec.get('area', '')}",
                 "unofficial": f"{spec.get('area', '')} Community Beat"}[kind]
        always_on = kind == "corporate" and f.style != "local"
        monitored = "Messages answered 24/7" if always_on else "Not monitored 24/7"
        bio = f"{label}. {monitored}. Emergency 999. Non-emergency 101 or online."
        if f.welsh:
            welsh = "Negeseuon 24/7" if always_on else "Ddim yn cael ei fonitro 24/7"
            bio = f"{welsh}. {monitored}. Argyfwng/Emergency 999. 101 neu ar-lein/online."
            label = f"{f.welsh_name} | {label}" if kind != "unofficial" else label
        if fault_kind == "bio":
            bio = f"{label}. Pop in to see us at the station."
        objectives = self.objectives_for(kind)
        if fault_kind == "objective":
            objectives = ["OBJ-ENG-00"]
        mode = "contact_channel" if always_on and platform in ("x", "facebook") else (
            "broadcast" if kind in ("campaign", "senior_officer") or (kind == "corporate" and platform in ("youtube", "linkedin")) else "two_way")
        if mode == "contact_channel":
            objectives = sorted(set(objectives) | {"OBJ-CONTACT-01"})
        role = {"corporate": "Digital engagement manager", "senior_officer": "Chief Constable's staff officer",
                "department": f"{spec.get('unit', 'Unit')} sergeant", "neighbourhood": f"{spec.get('area', '')} neighbourhood sergeant",
                "team": "Team sergeant", "campaign": "Recruitment marketing officer",
                "individual_officer": "Neighbourhood beat manager", "unofficial": "Neighbourhood constable"}[kind]
        owner = self.someone("PC" if kind in ("unofficial", "individual_officer") else "Sgt")
        email_fault = fault_kind == "email"
        if email_fault:
            owner = owner.rsplit("email: ", 1)[0] + f"email: example.{self.person}@gmail.example"
        accountable = self.someone("Inspector")
        operator = self.someone("operator")
        mfa = "false" if fault_kind == "mfa" else "true"
        shared = "true" if fault_kind == "shared" else "false"
        access = (AS_OF - timedelta(days=rng.randint(200, 400) if fault_kind == "access" else rng.randint(5, 80))).isoformat()
        review = (AS_OF - timedelta(days=rng.randint(40, 300)) if fault_kind == "overdue" else AS_OF + timedelta(days=rng.randint(30, 360))).isoformat()
        last_post = (AS_OF - timedelta(days=rng.randint(200, 500) if fault_kind == "dormant" else rng.randint(0, 20))).isoformat()
        created = date(rng.randint(2010, 2024), rng.randint(1, 12), rng.randint(1, 28)).isoformat()
        status = "active"
        transfer = ""
        if kind == "unofficial":
            status = "transferring" if rng.random() < 0.7 else "active"
            if status == "transferring":
                due = AS_OF + timedelta(days=rng.randint(-20, 90))
                transfer = f"transfer: {{target_account: {f.code.lower()}-facebook-main, due: {due.isoformat()}, plan: Hand the page to corporate communications and merge into the area account}}\n"
        closed = kind == "neighbourhood" and rng.random() < 0.05
        if closed:
            status = "closed"
        where = ""
        if spec.get("area") and kind in ("neighbourhood", "individual_officer", "unofficial"):
            where = f"area: {{code: {self.area_code(spec['area'])}, name: {spec['area']}, level: district}}\n"
        if spec.get("unit"):
            where += f"unit: {spec['unit']}\n"
        avatar = f"avatar: {{asset: {'crest-mono' if kind == 'senior_officer' else 'crest'}}}\n"
        if kind == "unofficial" and rng.random() < 0.7:
            avatar = ""  # most strays use a photo of their own, not the crest
        senior = f"senior: {{role_account: true, office_email: chief.constable@{self.domain}}}\n" if kind == "senior_officer" else ""
        language = "{mode: en, primary: en-GB}"
        if f.welsh:
            language = "{mode: bilingual, primary: cy-GB, secondary: [en-GB], translation_route: Welsh Language Unit}"
        lifecycle = f"{{status: {status}, created_on: {created}, approved_on: {created}, last_reviewed: {(AS_OF - timedelta(days=200)).isoformat()}, next_review_due: {review}, last_post_on: {last_post}"
        if closed:
            lifecycle = lifecycle.replace(f"last_post_on: {last_post}", "last_post_on: 2026-03-30")
            lifecycle += f", closed_on: 2026-03-31, handle_disposition: retained_locked, successor: {f.code.lower()}-facebook-main"
        lifecycle += "}"
        retention = "retention: {archive_location: Records store (social media archive), schedule_ref: NRS-COMMS-7}\n" if closed else ""
        approval = "" if kind == "unofficial" else f"approval: {{approved_by: Head of Communications, approver_role: Head of Communications, approved_on: {created}, reference: {f.code}-SM-{len(self.accounts):03d}}}\n"
        monitoring = "{always_on: true}" if always_on else "{always_on: false, windows: [{days: [mon, tue, wed, thu, fri], start: \"08:00\", end: \"18:00\"}], tz: Europe/London, bank_holidays: false}"
        text = f"""# Generated by examples/national/generate.py (seed {SEED}): a made-up account.
apiVersion: tabard/v1
kind: Account
id: {identity}
force: {f.id}
platform: {platform}
handle: "@{handle}"
display_name: {label}
bio: "{bio}"
{avatar}account_type: {kind}
{where}{senior}audience: [residents]
owner: {owner}, role: {role}, status: current}}
accountable_officer: {accountable}, role: {spec.get('area', 'Local')} policing inspector}}
operators:
  - {operator}, role: publisher, access_via: smmp, mfa: true, status: current}}
{approval}strategy: {{objectives: [{', '.join(objectives)}]}}
branding: {{listed_on_force_site: {str(kind != 'unofficial').lower()}, listing_url: "https://www.{self.domain}/our-social-media", platform_verification: verified}}
security: {{login_email: socialmedia.{spec['name']}@{self.domain}, mfa: {{enabled: {mfa}, method: authenticator_app}}, credential_store: smmp, shared_login: {shared}, smmp: orlo, connected_apps: [orlo], last_access_review: {access}}}
engagement:
  mode: {mode}
  monitoring: {monitoring}
  dms_open: {str(always_on).lower()}
  digital_desk: {str(always_on).lower()}
  response_target_hours: {1 if always_on else 24}
  escalation_route: {'digital_desk' if always_on else 'control_room'}
  house_rules_url: "https://www.{self.domain}/social-media-house-rules"
  content_review: comms_for_appeals
accessibility: {{alt_text: required, captions: required}}
language: {language}
{transfer}lifecycle: {lifecycle}
{retention}"""
        self.write(f"accounts/{platform}/{identity}.yaml", text)
        if fault_kind in ("overdue", "access", "objective"):
            self.waivable.append((identity, {"overdue": "LIF-009", "access": "SEC-005", "objective": "STR-002"}[fault_kind]))

    def objectives_for(self, kind: str) -> list[str]:
        return {
            "corporate": ["OBJ-PREV-01", "OBJ-CONF-01"],
            "senior_officer": ["OBJ-CONF-01"],
            "department": ["OBJ-ENG-02", "OBJ-PREV-01"],
            "neighbourhood": ["OBJ-ENG-01", "OBJ-PREV-01"],
            "team": ["OBJ-ENG-02"],
            "campaign": ["OBJ-RECRUIT-01"],
            "individual_officer": ["OBJ-ENG-01"],
            "unofficial": [],
        }[kind] or ["OBJ-ENG-01"]

    # -- config and waivers ----------------------------------------------------------------

    def config(self) -> None:
        rng = self.rng
        packs = list(PACKS)
        notes = []
        if not self.force.welsh and rng.random() < 0.35:
            packs.remove("language")
            notes.append("language left out: the force is not bound by the Welsh Language Standards")
        if rng.random() < 0.15:
            packs.remove("branding")
            notes.append("branding left out while the brand guide is rewritten")
        prefixes = {pack: pack[:3].upper() for pack in packs}
        prefixes["strategy-link"] = "STR"
        kept = set(prefixes.values())
        rules = []
        for rule in rng.sample(LOOSENABLE, rng.choice([0, 0, 1, 1, 2, 3])):
            if rule[:3] not in kept:
                continue  # a rule of a pack left out cannot be configured
            rules.append(f"  {rule}: {{enabled: false}}")
        for rule in rng.sample(sorted(LOWERABLE), rng.choice([0, 0, 0, 1, 2])):
            if rule[:3] not in kept:
                continue
            rules.append(f"  {rule}: {{severity: {LOWERABLE[rule]}}}")
        if rng.random() < 0.3:
            rules.append("  ENG-010: {severity: warning}")
        self.switched_off = {line.split(":")[0].strip() for line in rules if "enabled: false" in line}
        self.write("tabard.yaml", "# Generated by examples/national/generate.py: this force's own choices.\n"
                   + "".join(f"# {note}\n" for note in notes)
                   + "apiVersion: tabard/v1\nkind: Config\n"
                   + f"policies: [{', '.join(packs)}]\naccounts: [accounts]\nfail_on: error\n"
                   + ("rules:\n" + "\n".join(sorted(rules)) + "\n" if rules else ""))

    def waivers(self) -> None:
        rng = self.rng
        waivable = [(identity, rule) for identity, rule in self.waivable if rule not in self.switched_off]
        for number, (identity, rule) in enumerate(rng.sample(waivable, min(len(waivable), rng.choice([0, 0, 1, 2, 3]))), 1):
            # Most waivers still run; a few have lapsed or are about to.
            granted = AS_OF - timedelta(days=rng.randint(20, 200))
            expires = granted + timedelta(days=rng.choice([90, 180, 210, 365, 365]))
            self.write(f"waivers/W-2026-{number:03d}.yaml", f"""# Generated by examples/national/generate.py: a made-up, approved exception.
apiVersion: tabard/v1
kind: Waiver
id: W-2026-{number:03d}
force: {self.force.id}
rules: [{rule}]
accounts: [{identity}]
reason: Agreed while the account is handed to a new team; the fix is planned for the next review.
approved_by: {{name: Head of Communications, role: Head of Communications}}
reference: {self.force.code}-WV-{number:03d}
granted: {granted.isoformat()}
expires: {expires.isoformat()}
""")


def generate(out: Path) -> None:
    rng = random.Random(SEED)
    for force in FORCES:
        target = out / force.id
        if target.exists():
            shutil.rmtree(target)
        writer = Writer(force, rng, out)
        writer.documents()
        for spec in writer.portfolio():
            writer.account(spec)
        writer.config()
        writer.waivers()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="where to write (default: beside this script)")
    generate(parser.parse_args().out)
