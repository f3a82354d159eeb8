"""`tabard init [DIR] --force ID`: a working manifest repository for a force."""

from __future__ import annotations

import argparse
import difflib
import json
import posixpath
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import Any

import yaml

from tabard.commands.common import today
from tabard.documents.schemas import SCHEMA_FILES
from tabard.errors import UsageError

#: Template (in tabard/data/init) -> where it goes in the new repository.
FILES = {
    "tabard.yaml": "tabard.yaml",
    "force.yaml": "force/force.yaml",
    "strategy.yaml": "force/strategy.yaml",
    "brand.yaml": "force/brand.yaml",
    "account.yaml": "accounts/x/{account}.yaml",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "gitignore": ".gitignore",
    "README.md": "README.md",
}

#: Where the JSON Schemas go, for editors: a hidden folder, so tabard never reads it.
SCHEMA_FOLDER = ".tabard/schemas"
#: The schemas written there (as installed with tabard): every kind's, and the shared
#: definitions their relative $refs name.
SCHEMAS = (*SCHEMA_FILES.values(), "common.schema.json")
#: The kind of each templated YAML document: its schema goes in a modeline on line 1.
KINDS = {
    "tabard.yaml": "Config",
    "force.yaml": "Force",
    "strategy.yaml": "Strategy",
    "brand.yaml": "BrandGuide",
    "account.yaml": "Account",
}
#: VS Code (YAML extension): which files each kind's schema applies to.
EDITOR_GLOBS = {
    "Account": ["accounts/**/*.yaml", "accounts/**/*.yml"],
    "Force": ["force/force.yaml"],
    "Strategy": ["force/strategy.yaml"],
    "BrandGuide": ["force/brand.yaml"],
    "Waiver": ["waivers/*.yaml", "waivers/*.yml"],
    "Policy": ["policies/*.yaml", "policies/*.yml"],
    "Config": ["tabard.yaml"],
}
EDITOR_SETTINGS = ".vscode/settings.json"


@dataclass(frozen=True)
class ForceFacts:
    id: str
    name: str
    code: str
    nation: str
    domain: str
    welsh_name: str | None = None
    non_emergency: str = "101"


def known_forces() -> dict[str, ForceFacts]:
    text = files("tabard.data").joinpath("forces.yaml").read_text(encoding="utf-8")
    return {entry["id"]: ForceFacts(**entry) for entry in yaml.safe_load(text)}


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "init",
        help="write a working manifest repository for a force",
        description="Write tabard.yaml, the force's Force, Strategy and BrandGuide documents, "
        "an example account that passes every built-in rule, a pre-commit configuration, "
        "a README, and editor settings (.vscode/settings.json and the JSON Schemas in "
        ".tabard/schemas) into DIR. Existing files are never overwritten unless --overwrite "
        "is given.",
    )
    parser.add_argument("directory", nargs="?", type=Path, default=Path(), metavar="DIR")
    parser.add_argument(
        "--force",
        required=True,
        metavar="ID",
        dest="force_id",
        help="the force's data.police.uk id, e.g. gloucestershire",
    )
    parser.add_argument("--overwrite", action="store_true", help="replace files that already exist")
    parser.set_defaults(run=run)


def _facts(force_id: str) -> ForceFacts:
    forces = known_forces()
    if force_id in forces:
        return forces[force_id]
    close = difflib.get_close_matches(force_id, list(forces), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise UsageError(f"unknown force {force_id!r}; {hint}known forces: {', '.join(forces)}")


def _initials(name: str) -> str:
    words = [word for word in re.split(r"[\s-]+", name) if word.lower() not in _LINKING]
    return "".join(word[0] for word in words).upper()


_LINKING = frozenset({"and", "&", "of", "the"})


def english_names(facts: ForceFacts) -> list[str]:
    """The force's name, and its code when the code is the name's initials ("TVP" for
    Thames Valley Police): the only short form tabard can vouch for. "TVP Police" would
    read "Thames Valley Police Police"."""
    return [facts.name, facts.code] if _initials(facts.name) == facts.code else [facts.name]


def _variables(facts: ForceFacts, day: date) -> dict[str, str]:
    welsh = facts.welsh_name is not None
    stem = facts.code.title().replace("-", "") + "Police"
    return {
        "force": facts.id,
        "name": facts.name,
        "english_names": ", ".join(english_names(facts)),
        "code": facts.code,
        "domain": facts.domain,
        "non_emergency": facts.non_emergency,
        "welsh_standards": "true" if welsh else "false",
        "welsh_names": facts.welsh_name or "",
        "welsh_name": facts.welsh_name or "",
        "handle_stem": stem,
        "handle": f"@{stem}",
        "account": f"{facts.id}-x-main",
        "today": day.isoformat(),
        "next_year": (day + timedelta(days=365)).isoformat(),
        "year": str(day.year),
    }


def _render(name: str, variables: dict[str, str], welsh: bool) -> str:
    folder = files("tabard.data").joinpath("init")
    source = folder.joinpath(name)
    if welsh and folder.joinpath(f"welsh-{name}").is_file():
        source = folder.joinpath(f"welsh-{name}")  # the bilingual variant
    return Template(source.read_text(encoding="utf-8")).substitute(variables)


def _schema_path(kind: str) -> str:
    """The schema of *kind* in the new repository, relative to its root."""
    return f"{SCHEMA_FOLDER}/{SCHEMA_FILES[kind]}"


def _modeline(target: str, kind: str) -> str:
    """The yaml-language-server modeline for a document at *target* (relative to the
    root): editors without the VS Code settings resolve it from the file's own folder."""
    schema = posixpath.relpath(_schema_path(kind), posixpath.dirname(target) or ".")
    return f"# yaml-language-server: $schema={schema}\n"


def _editor_settings() -> str:
    """.vscode/settings.json: the YAML extension maps each kind's files to its schema."""
    schemas = {f"./{_schema_path(kind)}": globs for kind, globs in EDITOR_GLOBS.items()}
    return json.dumps({"yaml.schemas": schemas}, indent=2) + "\n"


def _documents(variables: dict[str, str], welsh: bool) -> dict[str, str]:
    """Every templated file, by where it goes, with a modeline atop each document."""
    written: dict[str, str] = {}
    for template, target in FILES.items():
        target = target.format(account=variables["account"])
        text = _render(template, variables, welsh)
        if template in KINDS:
            text = _modeline(target, KINDS[template]) + text
        written[target] = text
    return written


def _schemas() -> dict[str, str]:
    """The installed tabard's schema files, so the editor checks what this tabard checks."""
    folder = files("tabard.schemas")
    return {
        f"{SCHEMA_FOLDER}/{name}": folder.joinpath(name).read_text(encoding="utf-8")
        for name in SCHEMAS
    }


def run(options: argparse.Namespace) -> int:
    facts = _facts(options.force_id)
    variables = _variables(facts, today())
    root: Path = options.directory
    contents = {
        **_documents(variables, facts.welsh_name is not None),
        EDITOR_SETTINGS: _editor_settings(),
        **_schemas(),
    }
    rendered = {root / target: text for target, text in contents.items()}
    existing = [path for path in rendered if path.exists()]
    if existing and not options.overwrite:
        shown = ", ".join(str(path) for path in existing)
        raise UsageError(
            f"{shown} already exist{'s' if len(existing) == 1 else ''}; nothing "
            "was written (use --overwrite to replace them)"
        )
    for path, text in rendered.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    listed = [path for path in rendered if path.parent != root / SCHEMA_FOLDER]
    written = "\n".join(f"  {path}" for path in listed)
    written += f"\n  {root / SCHEMA_FOLDER}/ (the JSON Schemas, for editors)"
    print(
        f"tabard: wrote a repository for {facts.name} in {root}:\n{written}\n"
        "next: replace the placeholder objectives and units in force/strategy.yaml, confirm "
        "the email domain in force/force.yaml, then run `tabard check` there.",
        file=sys.stderr,
    )
    return 0
