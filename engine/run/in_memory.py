"""Documents held in memory, checked as a repository of their own.

Policy tests (``kind: PolicyTest``) and ``tabard.testing.check_documents`` both come
here, so a rule test written in Python and one written in YAML run the same checks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from tabard.documents.checks import check_documents
from tabard.documents.document import Document
from tabard.documents.repository import Repository
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
