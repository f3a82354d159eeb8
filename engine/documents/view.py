"""What plugin collection operators see of the repository (``tabard.RepositoryView``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tabard.readonly import readonly

if TYPE_CHECKING:
    from tabard.documents.repository import Repository


class DocumentsView:
    """A read-only view of every document, by kind (``tabard.RepositoryView``): plugin
    code gets each document as a read-only mapping, so it cannot change what rules see."""

    def __init__(self, repository: Repository) -> None:
        self._repository = repository

    def documents(self, kind: str) -> list[Any]:
        self._repository.load_cached_documents()  # a plugin reads them all: load them
        return [readonly(document.data) for document in self._repository.by_kind.get(kind, ())]

    def document(self, kind: str, id: str) -> Any:
        self._repository.load_cached_documents()
        found = next((d for d in self._repository.by_kind.get(kind, ()) if d.id == id), None)
        return None if found is None else readonly(found.data)

    def force_document(self, kind: str, force: str) -> Any:
        return readonly(self._repository.force_document(kind, force))
