"""Test helpers for plugin and policy authors: a throwaway repository and the real CLI.

::

    from tabard.testing import Project

    def test_my_rule(tmp_path):
        project = Project(tmp_path).with_force_documents("gloucestershire")
        project.write({"accounts/x/glos-x-dogs.yaml": MANIFEST})
        result = project.check()
        assert result.code == 1
        assert result.rules == ["GLOS-DOG-002"]

``Project.check`` runs ``tabard.cli.main`` in-process with ``--format json``
and returns a :class:`Result` with the exit code, the parsed report and
whatever tabard printed, so a failing assertion shows the whole story.

A rule test that needs no files calls :func:`check_documents` with the documents
as YAML strings or dicts, as policy tests (``kind: PolicyTest``) do::

    from tabard.testing import check_documents

    def test_second_corporate_dogs_account():
        findings = check_documents([DOGS, K9])
        ours = [(f.rule, f.document) for f in findings if f.rule.startswith("GLOS-")]
        assert ours == [("GLOS-DOG-001", "glos-x-k9")]
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tabard.cli import main
from tabard.config import parse_config
from tabard.findings import Finding
from tabard.language.values import parse_date
from tabard.run.in_memory import check_in_memory, memory_documents
from tabard.run.session import open_session

__all__ = ["DEFAULT_AS_OF", "DEFAULT_CONFIG", "Project", "Result", "check_documents"]

#: The date every helper checks against unless told otherwise.
DEFAULT_AS_OF = "2026-11-24"


@dataclass
class Result:
    code: int
    out: str
    err: str
    report: Mapping[str, Any] = field(default_factory=dict)

    @property
    def findings(self) -> list[Mapping[str, Any]]:
        return list(self.report.get("findings", []))

    @property
    def rules(self) -> list[str]:
        """Rule ids of the findings, in report order."""
        return [finding["rule"] for finding in self.findings]

    def __str__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.out}--- stderr\n{self.err}"


@contextlib.contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


#: The config a new project starts with: every built-in pack, nothing changed.
DEFAULT_CONFIG = "apiVersion: tabard/v1\nkind: Config\n"


class Project:
    """A manifest repository in *root* (a temporary folder).

    The first :meth:`write` also writes a ``tabard.yaml`` that uses every built-in pack
    (tabard refuses to check a folder without one), unless the files written include
    their own ``tabard.yaml`` or the folder has one.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, files: Mapping[str, str]) -> Project:
        """Write ``{relative path: text}`` under the root."""
        config = self.root / "tabard.yaml"
        if "tabard.yaml" not in files and not os.path.lexists(config):
            files = {"tabard.yaml": DEFAULT_CONFIG, **files}
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return self

    def with_force_documents(self, force: str, name: str | None = None) -> Project:
        """Write minimal, valid Force, Strategy and BrandGuide documents for *force*.

        Its one objective, OBJ-ENG-01, needs an active account serving it (STR-010).
        """
        title = name or force.replace("-", " ").title() + " Police"
        return self.write(
            {
                "force/force.yaml": f"apiVersion: tabard/v1\nkind: Force\nforce: {force}\n"
                f"name: {title}\nemail_domains: [{force}.police.uk]\n",
                "force/strategy.yaml": f"apiVersion: tabard/v1\nkind: Strategy\nforce: {force}\n"
                # A review date far ahead, so STR-011 stays quiet whatever --as-of a test uses.
                f"id: {force}-comms\nreview_due: 2099-12-31\n"
                "objectives:\n  - {id: OBJ-ENG-01, status: active}\n",
                "force/brand.yaml": f"apiVersion: tabard/v1\nkind: BrandGuide\nforce: {force}\n"
                f"force_names: {{en: [{title}]}}\n",
            }
        )

    def run(self, *arguments: str) -> Result:
        """Run ``tabard ARGUMENTS`` in the root; capture its output."""
        out, err = io.StringIO(), io.StringIO()
        with (
            _working_directory(self.root),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            code = main(list(arguments))
        return Result(code, out.getvalue(), err.getvalue())

    def check(self, *arguments: str, as_of: str = DEFAULT_AS_OF) -> Result:
        """``tabard check --format json``: the result carries the parsed report."""
        result = self.run("check", "--format", "json", "--as-of", as_of, *arguments)
        if result.code in (0, 1):
            result.report = json.loads(result.out)
        return result


def check_documents(
    documents: Iterable[str | Mapping[str, Any]],
    *,
    config: str = DEFAULT_CONFIG,
    root: Path | None = None,
    as_of: str | date = DEFAULT_AS_OF,
) -> list[Finding]:
    """Check *documents* held in memory with every rule *config* puts in use; no files.

    *documents*: YAML strings (one or more documents each) or dicts.  The documents of
    ``documents[i]`` are reported in the "file" ``<documents[i]>``, at the lines of the
    string (a dict is written out as JSON, one key a line).  They are checked as a whole
    repository: schemas, duplicate ids, every rule and the waivers among them; an
    account's file name is not checked, as there is none.

    *config* is the text of a ``tabard.yaml`` (default: every built-in pack and every
    installed plugin); its local paths (``policies: [./policies]``, ``plugins: local:``)
    are read under *root* (default: the working directory).  *as_of* is today's date.

    Returns the findings, waived ones included (``finding.waived_by``), in document and
    line order.  A problem in the config, a policy or a plugin raises the error tabard
    would print (exit code 2 on the command line); text that is not YAML, or a document
    that is not a mapping, raises ValueError.
    """
    day = parse_date(as_of) if isinstance(as_of, str) else as_of
    if day is None:
        raise ValueError(f"as_of {as_of!r} is not a date (YYYY-MM-DD)")
    folder = (Path.cwd() if root is None else root).resolve()
    session = open_session(parse_config(config.encode("utf-8"), "<config>", folder), day)
    loaded = memory_documents(documents)
    order = {document.file: index for index, document in enumerate(loaded)}
    findings = check_in_memory(session, loaded, day)
    return sorted(
        findings, key=lambda finding: (order.get(finding.file, len(order)), finding.sort_key)
    )
