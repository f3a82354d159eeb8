"""What a streaming check records of the index lookups each account makes
(``tabard.run.streaming``): which accounts read which entries, so that those whose
answer a later account changed are checked again at the end."""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable
from typing import Any

#: The documents that read one index entry: one number, or several in an array (most
#: entries have one reader: kept small, as there is about one entry per account).
_Readers = dict[Hashable, "int | array[int]"]


class EntryReaders:
    """The readers of each entry of one index.  An entry that is a pair (a
    ``GroupIndex``'s ``(group, value)``) is held by its parts, group then value, so
    that no pair is kept for every account that read one (about 100 bytes each)."""

    __slots__ = ("pairs", "single")

    def __init__(self) -> None:
        self.single: _Readers = {}
        self.pairs: dict[Hashable, _Readers] = {}

    def of(self, entry: Hashable, *, add: bool) -> tuple[_Readers, Hashable] | None:
        """The table holding *entry*'s readers and its key there (None: nobody read it)."""
        if type(entry) is tuple and len(entry) == 2:
            group, value = entry
            table = self.pairs.get(group)
            if table is None:
                if not add:
                    return None
                table = self.pairs[group] = {}
            return table, value
        return self.single, entry


class Lookups:
    """Which streamed documents read which index entries, and which of them a later
    addition to the entry may have answered differently (*stale*)."""

    def __init__(self) -> None:
        #: Index key -> the documents that read each entry since it last grew.
        self.readers: dict[str, EntryReaders] = {}
        self.stale: set[int] = set()
        #: The streamed document being checked, if any.
        self.current: int | None = None

    def read(self, index: str, entry: Hashable) -> None:
        current = self.current
        if current is None:
            return
        entries = self.readers.get(index)
        if entries is None:
            entries = self.readers[index] = EntryReaders()
        found = entries.of(entry, add=True)
        assert found is not None
        table, key = found
        readers = table.get(key)
        if readers is None:
            table[key] = current
        elif isinstance(readers, int):
            if readers != current:
                table[key] = array("I", (readers, current))
        elif readers[-1] != current:
            readers.append(current)

    def grew(self, index: str, entries: Iterable[Hashable]) -> None:
        readers_of = self.readers.get(index)
        if readers_of is None:
            return
        for entry in entries:
            found = readers_of.of(entry, add=False)
            readers = None if found is None else found[0].pop(found[1], None)
            if isinstance(readers, int):
                self.stale.add(readers)
            elif readers is not None:
                self.stale.update(readers)

    def unsure(self) -> None:
        """The current document read something no lookup records: check it again."""
        if self.current is not None:
            self.stale.add(self.current)


class RecordedTable:
    """An index as rules see it while it fills up: every lookup is recorded."""

    __slots__ = ("index", "lookups", "table")

    def __init__(self, table: Any, index: str, lookups: Lookups) -> None:
        self.table = table
        self.index = index
        self.lookups = lookups

    def get(self, entry: Hashable, default: Any = None) -> Any:
        self.lookups.read(self.index, entry)
        return self.table.get(entry, default)
