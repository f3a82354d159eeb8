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
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tabard.cli import main

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
