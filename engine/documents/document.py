"""A tabard document as loaded from one file — or as remembered by the cache."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from tabard.documents.positions import locate
from tabard.documents.yamlio import LoadedDocument

_FORCE_KINDS = ("Force", "Strategy", "BrandGuide")

#: The projections of a document that has none (shared, so read-only).
_NO_PROJECTIONS: Mapping[str, Any] = MappingProxyType({})

#: ``loader(file, number, source)`` parses a document again; with *source*, only if the
#: file's bytes still hash to it.
Loader = Callable[[str, int, int | None], LoadedDocument]


class Document:
    """One ``apiVersion: tabard/v1`` document; *number* counts documents in its file.

    A document restored from the cache is not parsed until something reads its
    data; its id, force and index projections come from the cache meanwhile.

    The file and number are held as the one *key* tuple that indexes and findings
    order documents by: a streaming check keeps a record per account, and its key
    is then shared with the indexes instead of built again (56 bytes an account).
    """

    __slots__ = (
        "_loaded",
        "_loader",
        "force",
        "id",
        "key",
        "kind",
        "projections",
        "source",
        "streamed",
    )

    key: tuple[str, int]
    kind: str
    id: str | None
    force: str | None
    _loaded: LoadedDocument | None
    #: ``loader(file, number)`` parses a document the cache stood in for.
    _loader: Loader | None
    #: Index projections by index key (see ``tabard.language.indexes``); one shared empty
    #: mapping until the first is kept (an empty dict for every account of a large check
    #: is 64 bytes each): add through :meth:`known_projections`.
    projections: Mapping[str, Any]
    #: Checked while the repository was read, and its data let go since
    #: (``tabard.run.streaming``): later steps skip it, and reread it only to locate.
    streamed: bool
    #: ``hash()`` of the file's bytes when a streaming run read it: the data is read
    #: again only if the file still holds them.
    source: int | None

    def __init__(
        self,
        file: str,
        number: int,
        kind: str,
        id: str | None,
        force: str | None,
        _loaded: LoadedDocument | None = None,
        _loader: Loader | None = None,
        projections: dict[str, Any] | None = None,
    ) -> None:
        self.key = (file, number)
        self.kind = kind
        self.id = id
        self.force = force
        self._loaded = _loaded
        self._loader = _loader
        self.projections = _NO_PROJECTIONS if projections is None else projections
        self.streamed = False
        self.source = None

    @property
    def file(self) -> str:
        return self.key[0]

    @property
    def number(self) -> int:
        return self.key[1]

    @classmethod
    def parsed(cls, file: str, number: int, kind: str, loaded: LoadedDocument) -> Document:
        data = loaded.data
        identity, force = data.get("id"), data.get("force")
        return cls(
            file,
            number,
            kind,
            identity if isinstance(identity, str) else None,
            force if isinstance(force, str) else None,
            loaded,
        )

    def known_projections(self) -> dict[str, Any]:
        """The projections, ready to add to."""
        known = self.projections
        if type(known) is not dict:
            known = self.projections = {}
        return known

    @property
    def loaded(self) -> LoadedDocument:
        if self._loaded is None:
            assert self._loader is not None
            self._loaded = self._loader(self.file, self.number, self.source)
        return self._loaded

    def let_go(self, loader: Loader) -> None:
        """Drop the parsed data once the document is checked; *loader* reads it again
        should anything still need it (a position for a finding found later)."""
        self._loaded = None
        self._loader = loader
        self.streamed = True

    def data_without_keeping(self) -> Any:
        """The data; read again if it was let go, and then not held on to."""
        if self._loaded is not None:
            return self._loaded.data
        assert self._loader is not None
        return self._loader(self.file, self.number, self.source).data

    @property
    def data(self) -> Any:
        return self.loaded.data

    @property
    def identity(self) -> tuple[str, str] | None:
        """What must be unique: the id, or the force for one-per-force documents."""
        if self.kind in _FORCE_KINDS:
            return (self.kind, self.force) if self.force else None
        return (self.kind, self.id) if self.id else None

    def locate(self, path: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        line, column, _ = locate(self.loaded, path, key=key)
        return line, column
