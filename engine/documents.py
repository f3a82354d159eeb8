"""A tabard document as loaded from one file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tabard.yamlio import LoadedDocument, locate


@dataclass(slots=True, eq=False)
class Document:
    """One ``apiVersion: tabard/v1`` document; *number* counts documents in its file."""

    file: str
    number: int
    kind: str
    loaded: LoadedDocument

    @property
    def data(self) -> Any:
        return self.loaded.data

    @property
    def key(self) -> tuple[str, int]:
        return (self.file, self.number)

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None

    @property
    def force(self) -> str | None:
        value = self.data.get("force")
        return value if isinstance(value, str) else None

    def locate(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        line, column, _ = locate(self.loaded, path)
        return line, column
