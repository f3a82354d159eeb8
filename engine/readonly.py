"""Read-only views of documents and arguments, for plugin code.

Every rule reads the same parsed documents, so an operator that wrote
``document["handle"] = …`` would change what later rules report.  Plugins
therefore get views: a mapping or list is wrapped when it is read, one level at
a time, so nothing is copied and a value that is never read costs nothing.
Text, numbers, dates, booleans and None are immutable and pass through as they
are, which keeps value operators (called for every value) as cheap as before.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

_MISSING: Any = object()


def readonly(value: Any) -> Any:
    """*value* itself when it is immutable; a read-only view of a mapping or list."""
    kind = type(value)
    if kind is dict:
        return ReadOnlyMapping(value)
    if kind is list:
        return ReadOnlyList(value)
    return value


class ReadOnlyMapping(Mapping[Any, Any]):
    """A mapping plugins can read but not change (``types.MappingProxyType`` would hand
    out the nested dicts and lists themselves)."""

    __slots__ = ("__data",)

    def __init__(self, data: dict[Any, Any]) -> None:
        self.__data = data

    def __getitem__(self, key: Any) -> Any:
        return readonly(self.__data[key])

    def get(self, key: Any, default: Any = None) -> Any:
        value = self.__data.get(key, _MISSING)
        return default if value is _MISSING else readonly(value)

    def __contains__(self, key: object) -> bool:
        return key in self.__data

    def __iter__(self) -> Iterator[Any]:
        return iter(self.__data)

    def __len__(self) -> int:
        return len(self.__data)

    def __repr__(self) -> str:
        return repr(self.__data)

    __hash__ = None  # type: ignore[assignment]  # what it shows may still differ over time


class ReadOnlyList(Sequence[Any]):
    """A list plugins can read but not change; slices are read-only too."""

    __slots__ = ("__data",)

    def __init__(self, data: list[Any]) -> None:
        self.__data = data

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> ReadOnlyList: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return ReadOnlyList(self.__data[index])
        return readonly(self.__data[index])

    def __iter__(self) -> Iterator[Any]:
        return map(readonly, self.__data)

    def __len__(self) -> int:
        return len(self.__data)

    def __contains__(self, item: object) -> bool:
        return any(element == item for element in self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ReadOnlyList | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __repr__(self) -> str:
        return repr(self.__data)

    __hash__ = None  # type: ignore[assignment]
