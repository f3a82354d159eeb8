"""Documents held in memory, checked as a repository of their own.

Policy tests (``kind: PolicyTest``) and ``tabard.testing.check_documents`` both come
here, so a rule test written in Python and one written in YAML run the same checks.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from tabard.documents.checks import check_documents
from tabard.documents.document import Document
from tabard.documents.repository import Repository
from tabard.documents.yamlio import YamlError, load_documents
from tabard.findings import Finding
from tabard.run.evaluate import run_rules
from tabard.run.session import Session
from tabard.run.waivers import apply_waivers


def _everything(file: str) -> bool:
    return True


def check_in_memory(
    session: Session,
    documents: Iterable[Document],
    today: date,
    *,
    rules: Collection[str] | None = None,
) -> list[Finding]:
    """The findings on *documents*, as if they were the whole repository.

    Schema, identity and rule checks run as on files; the checks that tie an account to
    its own file do not, as there is none.  With *rules*, only those rules are evaluated
    (waivers still see every rule in use).  Findings are in the order the checks make them.
    """
    repository = Repository(session.config.root, today, ())
    for document in documents:
        repository.add(document)
    chosen = session.rules if rules is None else [r for r in session.rules if r.id in rules]
    return check_documents(repository, _everything, files=False) + apply_waivers(
        run_rules(repository, chosen, _everything, today),
        repository,
        rule_ids={rule.id for rule in session.rules},
        evaluated=_everything,
        today=today,
        audit=False,
    )


def _as_text(item: str | Mapping[str, Any], name: str) -> str:
    """A YAML string as it is; a mapping written out as JSON (which is YAML), one key a line."""
    if isinstance(item, str):
        return item
    if not isinstance(item, Mapping):
        raise TypeError(f"{name} is a {type(item).__name__}; give a YAML string or a dict")

    def plain(value: object) -> str:
        # tabard reads dates as text, so a date in a dict is the text YAML would give.
        if isinstance(value, date | datetime):
            return value.isoformat()
        raise TypeError(
            f"{name} holds {value!r}, a {type(value).__name__}; a document holds only "
            "text, numbers, true/false, null, dates, lists and dicts"
        )

    return json.dumps(item, indent=2, ensure_ascii=False, default=plain) + "\n"


def memory_documents(items: Iterable[str | Mapping[str, Any]]) -> list[Document]:
    """Documents from YAML strings (each may hold several, split by ``---``) or dicts.

    The documents of ``items[i]`` are in the "file" ``<documents[i]>``; their lines and
    columns are those of the string, or of the JSON a dict is written out as.  Text that
    is not YAML, or a document that is not a mapping, is a ValueError naming the place.
    """
    found: list[Document] = []
    for index, item in enumerate(items):
        name = f"<documents[{index}]>"
        try:
            loaded = load_documents(_as_text(item, name).encode("utf-8"))
        except YamlError as error:
            raise ValueError(
                f"{name}:{error.line}:{error.column}: invalid YAML: {error.message}"
            ) from None
        if not loaded:
            raise ValueError(f"{name} holds no document")
        for number, document in enumerate(loaded):
            if not isinstance(document.data, dict):
                raise ValueError(
                    f"{name}:{document.line}:{document.column}: a tabard document is a mapping "
                    "(apiVersion: tabard/v1, kind: ...), not "
                    + ("nothing" if document.data is None else type(document.data).__name__)
                )
            kind = document.data.get("kind")
            # A kind that is not a name is reported by TAB-003, as in a file.
            found.append(
                Document.parsed(name, number, kind if isinstance(kind, str) else "", document)
            )
    return found
