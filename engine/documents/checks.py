"""Structural checks on documents: schema, identity and file names (TAB-003..005)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from tabard.documents import schemas as document_schemas
from tabard.documents.document import Document
from tabard.documents.engine_rules import engine_finding
from tabard.documents.repository import NOT_REPOSITORY_KINDS, Repository
from tabard.findings import Finding
from tabard.language.context import DocumentKey
from tabard.language.paths import format_path
from tabard.language.values import show
from tabard.suggest import closest

_DOCUMENT_KINDS = tuple(kind for kind in document_schemas.KINDS if kind not in NOT_REPOSITORY_KINDS)
_FORCE_KINDS = ("Force", "Strategy", "BrandGuide")


def _identity(document: Document) -> tuple[str, str] | None:
    """What must be unique: the id, or the force for one-per-force documents."""
    return document.identity


def _schema_findings(document: Document) -> list[Finding]:
    if document.kind not in _DOCUMENT_KINDS:
        close = closest(document.kind, _DOCUMENT_KINDS)
        hint = f"did you mean {close!r}?" if close else f"use one of {', '.join(_DOCUMENT_KINDS)}"
        line, column = document.locate(("kind",))
        written = document.data.get("kind")
        shown = "nothing" if written is None or written == "" else show(written)
        return [
            engine_finding(
                "TAB-003",
                document.file,
                line,
                column,
                f"unknown document kind {shown}: {hint}",
                path="kind",
                document=document.id,
                force=document.force,
            )
        ]
    findings = []
    for problem in document_schemas.problems(document.kind, document.data):
        line, column = document.locate(problem.path, key=problem.key)
        message = problem.message + (f" ({problem.hint})" if problem.hint else "")
        findings.append(
            engine_finding(
                "TAB-003",
                document.file,
                line,
                column,
                message,
                path=format_path(problem.path),
                document=document.id,
                force=document.force,
            )
        )
    return findings


def document_findings(
    document: Document, documents_in_file: int, *, files: bool = True
) -> list[Finding]:
    """TAB-003 and TAB-005: what one document shows on its own."""
    findings = _schema_findings(document)
    if files and document.kind == "Account":
        findings.extend(_account_findings(document, documents_in_file))
    return findings


def check_documents(
    repository: Repository,
    is_target: Callable[[str], bool],
    *,
    files: bool = True,
    streamed: list[Finding] | None = None,
) -> list[Finding]:
    """TAB-003, TAB-004 and TAB-005 for the documents in target files.

    Without *files* (documents written inline in a policy test) the checks that tie an
    account to its own file are left out.  Documents checked while the repository was
    read bring their findings in *streamed*; only TAB-004, which needs every document,
    is left to do for them.
    """
    targets = [document for document in repository.documents if is_target(document.file)]
    if repository.standing is None and len(targets) == len(repository.documents):
        owners = _shared_identities(repository.documents)
    else:
        owners = repository.owners({identity for d in targets if (identity := _identity(d))})
    # Documents checked as they were read were counted then (a count for every file of a
    # large repository would be a few MiB more at the end of a check).
    per_file = Counter(document.file for document in targets if not document.streamed)
    findings: list[Finding] = list(streamed or ())
    for document in targets:
        if not document.streamed:
            findings.extend(document_findings(document, per_file[document.file], files=files))
        identity = _identity(document)
        if identity is not None and len(owners.get(identity, ())) > 1:
            others = [file for file, number in owners[identity] if (file, number) != document.key]
            what = (
                f"{document.kind} document for force {identity[1]!r}"
                if document.kind in _FORCE_KINDS
                else f"id {identity[1]!r}"
            )
            key = "force" if document.kind in _FORCE_KINDS else "id"
            line, column = document.locate((key,))
            findings.append(
                engine_finding(
                    "TAB-004",
                    document.file,
                    line,
                    column,
                    f"duplicate {what}: also in {', '.join(sorted(set(others)))}",
                    path=key,
                    document=document.id,
                    force=document.force,
                )
            )
    return findings


def _shared_identities(documents: list[Document]) -> dict[tuple[str, str], list[DocumentKey]]:
    """The keys of the documents holding each identity that two or more hold, in file
    order: for a run on every document, where ``Repository.owners`` of every identity
    would hold a tuple and a list for each (about 30 MiB at 100,000 accounts, at the
    end of the check).  Only the first document of each identity is kept aside, by
    kind then name."""
    first: dict[str, dict[str, Document]] = defaultdict(dict)
    owners: dict[tuple[str, str], list[DocumentKey]] = {}
    for document in documents:
        identity = _identity(document)
        if identity is None:
            continue
        kind, name = identity
        earlier = first[kind].setdefault(name, document)
        if earlier is not document:
            owners.setdefault(identity, [earlier.key]).append(document.key)
    return owners


def _account_findings(document: Document, documents_in_file: int) -> list[Finding]:
    findings = []
    if documents_in_file > 1:
        findings.append(
            engine_finding(
                "TAB-003",
                document.file,
                document.loaded.line,
                document.loaded.column,
                "an Account must be the only document in its file; split this file into one "
                "file per account",
                document=document.id,
                force=document.force,
            )
        )
    stem = file_stem(document.file)
    if document.id is not None and document.id != stem:
        line, column = document.locate(("id",))
        findings.append(
            engine_finding(
                "TAB-005",
                document.file,
                line,
                column,
                f"account id {document.id!r} differs from the file name {stem!r}; "
                f"rename the file to {document.id}.yaml or change the id",
                path="id",
                document=document.id,
                force=document.force,
            )
        )
    return findings


def file_stem(file: str) -> str:
    """``PurePosixPath(file).stem`` of a path as discovery gives it (relative, ``/``
    between its parts, none empty), without pathlib: pathlib interns every part of
    every path it parses, and interned strings are never freed (1.5 MiB at 10,000
    account files, in each process that checks them)."""
    name = file.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name
