"""Policy tests (``kind: PolicyTest``): documents written inline, and the findings expected.

Each case becomes a repository of its own, held in memory: its documents keep
their positions in the test file, so a finding points at the line of the test
that produced it.  Only the rules of the packs under test are compared (all
rules in use when the test names none).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tabard.documents import schemas as document_schemas
from tabard.documents.document import Document
from tabard.documents.files import Refused, read_regular
from tabard.documents.positions import locate, subdocument
from tabard.documents.repository import MAX_FILE_BYTES
from tabard.documents.yamlio import LoadedDocument, YamlError, load_documents
from tabard.errors import PolicyError, Problem
from tabard.findings import Finding
from tabard.language.values import parse_date
from tabard.run.in_memory import check_in_memory
from tabard.run.session import Session

Expected = tuple[str, str | None, str | None]  # rule, document, path


@dataclass
class CaseResult:
    name: str
    file: str
    line: int
    column: int
    missing: list[Expected] = field(default_factory=list)
    unexpected: list[Finding] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.missing and not self.unexpected


def read_test_file(root: Path, file: str, follow: bool) -> bytes:
    """The bytes of *file* under *root* (b"" for a big file that is plainly not a test)."""
    try:
        return read_regular(f"{root}/{file}", MAX_FILE_BYTES, follow=follow)[0]
    except Refused as refused:
        if refused.head is not None and b"PolicyTest" not in refused.head:
            return b""
        raise PolicyError(Problem(f"cannot read: {refused.reason}", file)) from None


def _load(raw: bytes, shown: str) -> list[LoadedDocument]:
    try:
        return load_documents(raw)
    except YamlError as error:
        raise PolicyError(
            Problem(f"invalid YAML: {error.message}", shown, error.line, error.column)
        ) from None


def suites(raw: bytes, shown: str) -> list[LoadedDocument]:
    """The PolicyTest documents in one file (its bytes *raw*), checked against their schema."""
    found = []
    for loaded in _load(raw, shown):
        data = loaded.data
        if not isinstance(data, dict) or data.get("kind") != "PolicyTest":
            continue
        problems = document_schemas.problems("PolicyTest", data)
        if problems:
            raise PolicyError(
                [
                    Problem(p.message, shown, *locate(loaded, p.path, key=p.key)[:2], p.hint)
                    for p in problems
                ]
            )
        found.append(loaded)
    return found


def rules_under_test(
    session: Session, suite: dict[str, Any], shown: str, loaded: LoadedDocument
) -> set[str]:
    names = suite.get("policies")
    packs = {pack.name: pack for pack in session.packs}
    if names is None:
        return {rule.id for rule in session.rules}
    for index, name in enumerate(names):
        if name not in packs:
            line, column, _ = locate(loaded, ("policies", index))
            raise PolicyError(
                Problem(
                    f"no policy pack named {name!r} is in use",
                    shown,
                    line,
                    column,
                    f"packs in use: {', '.join(sorted(packs))}",
                )
            )
    return {rule.id for name in names for rule in packs[name].rules}


def run_case(
    session: Session,
    loaded: LoadedDocument,
    index: int,
    shown: str,
    under_test: set[str],
    today: date,
) -> CaseResult:
    case = loaded.data["cases"][index]
    at = ("cases", index)
    day = parse_date(case["as_of"]) if "as_of" in case else today
    assert day is not None  # the schema checked the date
    inline = [
        subdocument(loaded, (*at, "documents", number)) for number in range(len(case["documents"]))
    ]
    findings = check_in_memory(
        session,
        (Document.parsed(shown, n, item.data["kind"], item) for n, item in enumerate(inline)),
        day,
        rules=under_test,
    )
    line, column, _ = locate(loaded, (*at, "name"))
    result = CaseResult(case["name"], shown, line, column)
    relevant = [
        f
        for f in findings
        if f.waived_by is None and (f.rule in under_test or f.rule.startswith("TAB-"))
    ]
    expected = Counter((e["rule"], e.get("document"), e.get("path")) for e in case["expect"])
    for finding in relevant:
        for key in (
            (finding.rule, finding.document, finding.path),
            (finding.rule, finding.document, None),
            (finding.rule, None, finding.path),
            (finding.rule, None, None),
        ):
            if expected[key]:
                expected[key] -= 1
                break
        else:
            result.unexpected.append(finding)
    result.missing = list(expected.elements())
    return result
