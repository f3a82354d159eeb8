"""What a compiled condition sees while it runs."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import date
from typing import Any, Protocol, TypeAlias

from tabard.language.paths import Concrete

#: Identifies one document: its file (relative to the root) and its number in the file.
DocumentKey: TypeAlias = tuple[str, int]


class IndexSpec(Protocol):
    """A summary of every document of one kind, built once per run.

    ``project`` reduces one document to a JSON value (or None to leave it
    out); ``aggregate`` combines all projections.  Projections are what a
    cache may keep between runs, so they must be plain JSON data.
    """

    @property
    def key(self) -> str: ...

    @property
    def kind(self) -> str: ...

    def project(self, context: Context) -> Any: ...

    def aggregate(self, projections: list[tuple[DocumentKey, Any]]) -> Any: ...

    def new_table(self) -> Any: ...

    def add(self, table: Any, document: DocumentKey, projection: Any) -> Iterable[Hashable]:
        """Fold one projection into *table* (what ``aggregate`` returns), so that a
        repository read one document at a time needs no list of every projection.

        Returns the lookup keys whose answer may have changed for a document that
        comes before *document* in file order and read the table before this addition
        (``unique`` and ``at_most`` read a group's members, ``exists_in`` whether a
        value is in a group, ``count`` a number, ``ref`` a value by id)."""
        ...


class Documents(Protocol):
    """The repository as the language sees it."""

    def force_document(self, kind: str, force: Any) -> Any: ...

    def force_documents(self, force: Any) -> Mapping[str, Any]: ...

    def index(self, spec: IndexSpec) -> Any: ...

    @property
    def view(self) -> Any: ...


class Context:
    """One document being checked, with the repository around it."""

    __slots__ = ("data", "documents", "force", "force_documents", "key", "today")

    def __init__(
        self,
        data: Any,
        key: DocumentKey,
        documents: Documents,
        today: date,
        force_documents: Mapping[str, Any] | None = None,
    ) -> None:
        self.data = data
        self.key = key
        self.documents = documents
        self.today = today
        force = data.get("force") if type(data) is dict else None
        self.force = force if isinstance(force, str) else None
        #: The Force, Strategy and BrandGuide documents of this document's force, by kind.
        self.force_documents: Mapping[str, Any] = (
            force_documents
            if force_documents is not None
            else documents.force_documents(self.force)
        )


Outcome: TypeAlias = tuple[bool, Concrete]
#: A compiled condition: ``(context, node) -> (holds, where)``; *node* is the
#: document root, or a list item inside ``satisfies``.
Condition: TypeAlias = Callable[[Context, Any], Outcome]
#: A compiled condition that says only whether it holds (see ``tabard.language.decide``).
Decision: TypeAlias = Callable[[Context, Any], bool]
