"""Every Policy and PolicyTest file in the repository, whether the config lists it or not.

A policy file that ``policies:`` leaves out is never compiled for the run, so a broken
one used to pass every check (``tabard validate policies/local.yaml`` said "0 checked").
Each is now compiled on every ``check`` and ``validate``: a problem is a policy error
(exit 2) like one in a pack in use, and a policy nothing uses is a TAB-008 warning.
"""

from __future__ import annotations

from collections.abc import Callable

from tabard.documents.engine_rules import engine_finding
from tabard.documents.positions import locate
from tabard.documents.repository import Repository
from tabard.documents.yamlio import YamlError, load_documents
from tabard.errors import PolicyError, Problem
from tabard.findings import Finding
from tabard.policy.packs import PackSource, load_packs
from tabard.run.session import Session


def check_policy_files(
    session: Session, repository: Repository, is_target: Callable[[str], bool]
) -> list[Finding]:
    """TAB-008 for the target files holding policies nothing uses; PolicyError for any
    Policy or PolicyTest document under the root that does not validate or compile."""
    if not repository.policy_files:
        return []
    # Only a repository with policy files reads them as PolicyTest suites: a check of
    # one without imports none of the test runner (and the in-memory check it uses).
    from tabard.run.policy_tests import read_test_file, suites

    root = session.config.root
    # Local packs are shown relative to the root, a local plugin's pack by its full path.
    in_use = {
        (root / source.display).resolve()
        for source in session.sources
        if source.origin != "builtin"
    }
    problems: list[Problem] = []
    findings: list[Finding] = []
    for file in sorted(repository.policy_files):
        path = root / file
        try:
            # Read as every repository file is (regular files only; discovery has
            # already refused links that leave the root).
            raw = read_test_file(root, file, follow=True)
            suites(raw, file)  # PolicyTest documents: their schema
        except PolicyError as error:
            problems.extend(error.problems)
            continue
        if path.resolve() in in_use:
            continue  # compiled with the packs in use
        try:
            load_packs(
                [PackSource(file, _bytes(raw), "local")],
                operators=session.operators,
                today=session.today,
            )
        except PolicyError as error:
            problems.extend(error.problems)
            continue
        if is_target(file):
            findings.extend(_not_used(raw, file))
    if problems:
        raise PolicyError(problems)
    return findings


def _bytes(raw: bytes) -> Callable[[], bytes]:
    return lambda: raw


def _not_used(raw: bytes, file: str) -> list[Finding]:
    try:
        documents = load_documents(raw)
    except YamlError:  # just compiled: cannot happen
        documents = []
    findings = []
    for loaded in documents:
        data = loaded.data
        if not isinstance(data, dict) or data.get("kind") != "Policy":
            continue
        line, column, _ = locate(loaded, ("name",))
        findings.append(
            engine_finding(
                "TAB-008",
                file,
                line,
                column,
                f"policy {data['name']!r} is not used: the policies: list in tabard.yaml does "
                "not name this file or its folder, so its rules never run",
                path="name",
            )
        )
    return findings
