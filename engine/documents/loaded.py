"""A loaded YAML document: its data, and the position of every node in a compact table.

The loader (``yaml_builder``) fills these; ``positions.locate`` reads them.  Positions
pack a 0-based line and column into one unsigned 32-bit int: the line in the high 20
bits, the column in the low 12.  A position that does not fit (line 1,048,576 or later,
column 4,096 or later) is stored in the document's ``wide`` list instead, and its packed
value holds the index there with the column bits all set (a column no packed position
uses).
"""

from __future__ import annotations

from array import array
from typing import Any, Final

from tabard.record import Record

#: Values a document may hold once aliases are expanded (a YAML bomb guard).
MAX_NODES: Final = 200_000
#: Nesting deeper than this is not a plausible tabard document.
MAX_DEPTH: Final = 64

SHIFT: Final = 12
#: The column bits; all set, they mark a wide position.
COLUMN: Final = (1 << SHIFT) - 1
#: Lines that fit the packed form.
LINES: Final = 1 << (32 - SHIFT)


def unpack(packed: int, wide: list[tuple[int, int]]) -> tuple[int, int]:
    """The 1-based (line, column) of a packed position."""
    column = packed & COLUMN
    if column == COLUMN:
        line, column = wide[packed >> SHIFT]
        return line + 1, column + 1
    return (packed >> SHIFT) + 1, column + 1


class YamlError(Exception):
    """A file that cannot be read as strict YAML (1-based line and column)."""

    def __init__(
        self, message: str, line: int, column: int, *, duplicate_key: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.duplicate_key = duplicate_key


class LoadedDocument(Record):
    """One YAML document: its data and the pre-order position table.

    *wide* holds the 0-based (line, column) of positions too large to pack.  A
    :class:`Record`, not a frozen dataclass: a check imports it on every run
    (docs/architecture.md, Speed).
    """

    _fields = ("data", "positions", "wide")
    __slots__ = _fields
    data: Any
    positions: array[int]
    wide: list[tuple[int, int]]

    def __init__(
        self, data: Any, positions: array[int], wide: list[tuple[int, int]] | None = None
    ) -> None:
        self._fill(data, positions, [] if wide is None else wide)

    def position(self, index: int) -> tuple[int, int]:
        """The 1-based (line, column) of the *index*-th node in pre-order."""
        return unpack(self.positions[index], self.wide)

    @property
    def line(self) -> int:
        return self.position(0)[0]

    @property
    def column(self) -> int:
        return self.position(0)[1]


def subtree_size(value: Any) -> int:
    """Number of positions the subtree of *value* occupies."""
    if type(value) is dict:
        return 1 + sum(1 + subtree_size(item) for item in value.values())
    if type(value) is list:
        return 1 + sum(subtree_size(item) for item in value)
    return 1
