"""Cross-document indexes kept in the cache, read entry by entry.

A rule reads an index only through ``table.get(lookup key, default)``
(``tabard.language.leaf_checks`` and ``subjects``).  The cache keeps each index as
a JSON object from a canonical text of every lookup key to the documents that
gave that entry, in file order, each with what it gave: ``[file number, document
number, *payload]``.  A run with changed files leaves out the entries of the
files it read again (their old versions) and adds those of the documents it
parsed, so a lookup costs the same whatever the size of the repository, and the
answer is the one ``aggregate`` would give over every document:

* ``unique`` / ``at_most`` (:class:`GroupIndex`): the documents holding a value,
  in file order;
* ``exists_in`` (:class:`ValuesIndex`): whether a value is in a group;
* ``count`` (:class:`CountIndex`): how many documents are in a group;
* ``ref`` (:class:`RefIndex`): the value of the first document with an id.

Lookup keys are canonical JSON of the hashable key rules build (``values.hashable``):
numbers that compare equal (``1``, ``1.0``, ``True`` inside a ``("bool", …)`` pair)
give one text, as they are one dictionary key.  A key that has no such text (a NaN,
which is never equal to another, or an absent value) makes the index :class:`Inexact`,
and it is then built from every document as without a cache.
"""

from __future__ import annotations

import json
import math
from bisect import insort
from collections.abc import Callable, Container, Iterator
from typing import Any, NoReturn

from tabard.documents.cache_file import Damaged, Keyed
from tabard.language.context import DocumentKey, IndexSpec
from tabard.language.indexes import CountIndex, GroupIndex, RefIndex, ValuesIndex
from tabard.language.paths import ABSENT
from tabard.language.values import hashable

#: Entries added this run: canonical key -> ``[[file, document number, *payload]]``.
Added = dict[str, list[list[Any]]]


class Inexact(Exception):
    """A key without a canonical text: the index is built without the cache."""


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or value is None:
        return value
    if kind is tuple:
        return [_plain(item) for item in value]
    if kind is bool:
        return int(value)  # ("bool", True) and ("bool", 1) are one key, as in a dict
    if kind is float:
        if math.isnan(value):
            raise Inexact
        return int(value) if value.is_integer() else value
    raise Inexact  # ABSENT, or anything no projection holds


def canonical(key: Any) -> str:
    """The text of a lookup key: equal keys, equal texts."""
    if type(key) is str:
        return json.dumps(key, ensure_ascii=False)
    return json.dumps(_plain(key), separators=(",", ":"), ensure_ascii=False)


def _distinct(values: list[Any]) -> Iterator[Any]:
    if len(values) == 1:
        yield hashable(values[0])
        return
    seen = set()
    for value in values:
        hashed = hashable(value)
        if hashed not in seen:
            seen.add(hashed)
            yield hashed


def _group(group: list[Any]) -> tuple[Any, ...]:
    return tuple(hashable(value) for value in group)


def contributions(spec: IndexSpec, projection: Any) -> list[tuple[str, list[Any]]]:
    """The entries one document's *projection* gives: (canonical key, payload)."""
    if isinstance(spec, GroupIndex | ValuesIndex):
        group, values = projection
        group_key = _group(group)
        return [(canonical((group_key, value)), []) for value in _distinct(values)]
    if isinstance(spec, CountIndex):
        return [(canonical(_group(projection)), [])]
    if isinstance(spec, RefIndex):
        identity, present, value = projection
        return [(canonical(identity), [present, value])]
    raise Inexact


def supported(spec: IndexSpec) -> bool:
    return isinstance(spec, GroupIndex | ValuesIndex | CountIndex | RefIndex)


class CachedTable:
    """One index as rules read it: stored entries less the files read again this run,
    plus the entries of the documents parsed this run."""

    def __init__(
        self,
        spec: IndexSpec,
        stored: Keyed,
        paths: list[str],
        dropped: Container[int],
        damaged: Callable[[str], NoReturn],
    ) -> None:
        self.spec = spec
        self.stored = stored
        self.paths = paths
        self.dropped = dropped
        #: Stops the run: an entry of the signed cache does not hold what tabard writes.
        self.damaged = damaged
        self.added: Added = {}
        self._answers: dict[str, list[list[Any]]] = {}

    def add(self, document: DocumentKey, projection: Any) -> None:
        for key, payload in contributions(self.spec, projection):
            insort(self.added.setdefault(key, []), [document[0], document[1], *payload])

    def entries(self, key: str) -> list[list[Any]]:
        """Who gave the entry *key*, in file order: ``[[file, number, *payload]]``."""
        found = self._answers.get(key)
        if found is None:
            found = self._answers[key] = self._merge(key)
        return found

    def _merge(self, key: str) -> list[list[Any]]:
        kept = []
        paths, dropped = self.paths, self.dropped
        try:
            items = self.stored.get(key) or []
        except Damaged:
            self.damaged(f"index entry {key}")
        for item in items:
            if not _item_shape(item, len(paths), self.spec):
                self.damaged(f"index entry {key}")
            if item[0] not in dropped:
                kept.append([paths[item[0]], *item[1:]])
        added = self.added.get(key)
        if added:
            kept = sorted(kept + added) if kept else list(added)
        return kept

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            text = canonical(key)
        except Inexact:
            return default  # an absent value or a NaN: equal to no key in the index
        spec = self.spec
        if isinstance(spec, ValuesIndex):
            return _GroupValues(self, key)
        entries = self.entries(text)
        if not entries:
            return default
        if isinstance(spec, GroupIndex):
            return [(item[0], item[1]) for item in entries]
        if isinstance(spec, CountIndex):
            return len(entries)
        present, value = entries[0][2], entries[0][3]
        return value if present else ABSENT


def _item_shape(item: Any, files: int, spec: IndexSpec) -> bool:
    return (
        type(item) is list
        and len(item) == (4 if isinstance(spec, RefIndex) else 2)
        and type(item[0]) is int
        and 0 <= item[0] < files
        and type(item[1]) is int
    )


class _GroupValues:
    """``exists_in``'s answer for one group: whether a value is among its values."""

    __slots__ = ("group", "table")

    def __init__(self, table: CachedTable, group: Any) -> None:
        self.table = table
        self.group = group

    def __contains__(self, value: Any) -> bool:
        try:
            text = canonical((self.group, value))
        except Inexact:
            return False
        return bool(self.table.entries(text))


def identity_key(kind: str, name: str) -> str:
    return canonical((kind, name))
