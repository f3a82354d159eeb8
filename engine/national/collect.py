"""Find the force repositories under the PATHs of `tabard report`, and check each one.

Each repository is checked exactly as `tabard check` would check it, with its own
``tabard.yaml``: the report shows what each force runs, not a uniform re-check.  A
repository whose config, policies or plugins fail to load is kept as *broken*, with its
problems, so that one bad repository never hides the others.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tabard.config import CONFIG_NAME, Config
from tabard.documents.checks import check_documents
from tabard.documents.repository import Repository
from tabard.errors import Problem, TabardError, UsageError
from tabard.findings import Finding
from tabard.policy.packs import Pack
from tabard.report import Context
from tabard.report.context import report_context
from tabard.run.pipeline import EVERYTHING, load_repository, rule_findings
from tabard.run.session import locate_config, open_session


@dataclass(frozen=True)
class Checked:
    """A force repository checked with its own config."""

    path: Path
    config: Config
    packs: list[Pack]
    repository: Repository
    findings: list[Finding]
    context: Context

    @property
    def force(self) -> str:
        return force_of(self.repository, self.path)


@dataclass(frozen=True)
class Broken:
    """A force repository that could not be checked, and why."""

    path: Path
    problems: list[Problem]

    @property
    def force(self) -> str:
        return self.path.name


def repositories(paths: Iterable[Path]) -> list[Path]:
    """The force repositories the PATHs name, in order; a usage error for anything else."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            what = "is not a folder" if path.exists() else "does not exist"
            raise UsageError(
                f"{path} {what}; name a force repository (a folder with {CONFIG_NAME}) "
                "or a folder of force repositories"
            )
        if (path / CONFIG_NAME).is_file():
            found.append(path)
            continue
        folders = sorted(
            child for child in path.iterdir() if child.is_dir() and child.name[0] not in "._"
        )
        children = [child for child in folders if (child / CONFIG_NAME).is_file()]
        if children:
            for child in folders:
                if child not in children:
                    # Said aloud, not skipped in silence: a force whose tabard.yaml went
                    # missing must not simply drop out of a national report.
                    print(
                        f"tabard: note: {child} has no {CONFIG_NAME}; it is not reported",
                        file=sys.stderr,
                    )
        if not children:
            raise UsageError(
                f"{path} is no force repository: it has no {CONFIG_NAME}, nor has any "
                f"folder in it; name a force repository or a folder of them"
            )
        found.extend(children)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)  # the same repository named twice counts once
    return list(unique.values())


def check(path: Path, today: date) -> Checked | Broken:
    """Check one repository as `tabard check` does; a broken one keeps its problems."""
    try:
        config = locate_config(path, path / CONFIG_NAME)
        session = open_session(config, today)
        repository = load_repository(config, today)
    except TabardError as error:
        return Broken(path, error.problems)
    # Unlike `check`, no paths that hid documents (repository.unseen) and no TAB-008:
    # the national report counts findings on the documents each force holds.
    findings = [f for found in repository.file_findings.values() for f in found]
    findings += check_documents(repository, EVERYTHING)
    findings += rule_findings(session, repository, EVERYTHING)
    findings.sort(key=lambda finding: finding.sort_key)
    waivers = (document.data for document in repository.by_kind.get("Waiver", ()))
    context = report_context(session.packs, session.plugins.info, waivers)
    return Checked(path, config, session.packs, repository, findings, context)


def force_of(repository: Repository, path: Path) -> str:
    """The force a repository speaks for: its Force document, else its accounts, else its folder."""
    for kind in ("Force", "Strategy", "Account"):
        for document in repository.by_kind.get(kind, ()):
            if document.force:
                return document.force
    return path.resolve().name


def check_all(paths: list[Path], today: date) -> list[Checked | Broken]:
    """Every repository checked; two repositories claiming one force is a usage error."""
    results = [check(path, today) for path in paths]
    claimed: dict[str, Path] = {}
    for result in results:
        if isinstance(result, Broken):
            continue
        other = claimed.setdefault(result.force, result.path)
        if other != result.path:
            raise UsageError(
                f"{other} and {result.path} both claim the force {result.force!r}; "
                "report each force from one repository only"
            )
    return results


def national_catalogue(today: date) -> list[Pack]:
    """Every built-in pack, as published: the columns of the forces x rules matrix."""
    from tabard.language.registry import builtin_operators
    from tabard.policy.packs import load_packs
    from tabard.run.session import builtin_pack_names, pack_sources

    names = tuple(builtin_pack_names())
    sources = pack_sources(Config(root=Path.cwd(), policies=names))
    return load_packs(sources, operators=builtin_operators(), today=today)
