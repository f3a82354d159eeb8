"""Summaries of the whole repository that collection operators read.

Each index reduces every document of one kind to a small JSON projection and
combines the projections once per run.  Projections depend only on the
document itself (``where`` conditions may not look elsewhere), which is what
lets a cache keep them between runs.
"""

from __future__ import annotations

import hashlib
import json
from bisect import insort
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from functools import cached_property
from typing import Any, ClassVar

from tabard.language.context import Context, Decision, DocumentKey
from tabard.language.paths import (
    ABSENT,
    FieldPath,
    Resolver,
    SingleResolver,
    compile_many,
    compile_single,
)
from tabard.language.values import fold, hashable
from tabard.record import Record


def group_reader(paths: tuple[FieldPath, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """``group(data)``: the values at *paths* (wildcard-free) as a hashable group key,
    with the paths' readers looked up once, not on every call (each look-up hashes
    the whole path)."""
    getters = tuple(compile_single(path) for path in paths)
    if len(getters) == 1:
        (get,) = getters
        return lambda data: (hashable(get(data, data)),)
    return lambda data: tuple([hashable(get(data, data)) for get in getters])


def _jsonable(value: Any) -> Any:
    return None if value is ABSENT else value


#: One tuple for each group of strings seen (a force, a platform): every index entry of
#: the group shares it instead of holding its own (about 50 bytes an entry).  Cleared
#: when it grows large, as groups may be as many as the documents.
_SHARED_GROUPS: dict[tuple[str, ...], tuple[str, ...]] = {}
_SHARED_GROUPS_MAX = 4096


def _tuple_key(values: list[Any]) -> tuple[Any, ...]:
    # A plain loop, not all() over a generator: called once per document per index.
    for value in values:
        if type(value) is not str:
            return tuple(hashable(value) for value in values)
    key = tuple(values)
    shared = _SHARED_GROUPS.get(key)
    if shared is not None:
        return shared
    if len(_SHARED_GROUPS) >= _SHARED_GROUPS_MAX:
        _SHARED_GROUPS.clear()
    _SHARED_GROUPS[key] = key
    return key


def _spec_key(*parts: Any) -> str:
    """A short stable key: the cache stores it once per document."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _passes(where: Decision | None, context: Context) -> bool:
    return where is None or bool(where(context, context.data))


class _Spec(Record):
    """An index's definition: a :class:`Record`, so that no methods are compiled at
    import (docs/architecture.md, Speed), equal only to itself, as the ``eq=False``
    frozen dataclasses it replaces were.  No ``__slots__``: the cached properties below
    keep their values in the instance's ``__dict__``."""

    __eq__ = object.__eq__
    __hash__ = object.__hash__


class _FieldIndex(_Spec):
    """The values at *field* of every *kind* document that passes *where*, with the
    document's group (its values at *groups*); subclasses combine them."""

    #: Names the index in the cache key, so two index types never share projections.
    tag: ClassVar[str]

    _fields = ("kind", "field", "groups", "where", "where_source", "ignore_case")
    kind: str
    field: FieldPath
    groups: tuple[FieldPath, ...]
    where: Decision | None
    where_source: Any
    ignore_case: bool

    def __init__(
        self,
        kind: str,
        field: FieldPath,
        groups: tuple[FieldPath, ...],
        where: Decision | None,
        where_source: Any,
        ignore_case: bool,
    ) -> None:
        self._fill(kind, field, groups, where, where_source, ignore_case)

    @cached_property
    def key(self) -> str:
        return _spec_key(
            self.tag,
            self.kind,
            self.field.text,
            [p.text for p in self.groups],
            self.where_source,
            self.ignore_case,
        )

    @cached_property
    def _readers(self) -> tuple[Resolver, tuple[SingleResolver, ...]]:
        # Looked up once, not once a document (each lookup hashes the whole path).
        return compile_many(self.field), tuple(compile_single(path) for path in self.groups)

    def project(self, context: Context) -> Any:
        if not _passes(self.where, context):
            return None
        expand, groups = self._readers
        data = context.data
        found = [
            value for _, value in expand(data, data) if value is not ABSENT and value is not None
        ]
        return [
            [_jsonable(get(data, data)) for get in groups],
            [fold(value) for value in found] if self.ignore_case else found,
        ]


class ValuesIndex(_FieldIndex):
    """Every value at *field*, per group (``exists_in``'s *same* fields)."""

    tag: ClassVar[str] = "values"

    def aggregate(self, projections: list[tuple[DocumentKey, Any]]) -> dict[Any, set[Any]]:
        table: dict[Any, set[Any]] = {}
        for _, (group, values) in projections:
            table.setdefault(_tuple_key(group), set()).update(hashable(v) for v in values)
        return table

    def new_table(self) -> dict[Any, set[Any]]:
        return {}

    def add(
        self, table: dict[Any, set[Any]], document: DocumentKey, projection: Any
    ) -> Iterable[Hashable]:
        """Add one document's projection; the lookup keys whose answer it may change
        for a document before it in file order (see ``IndexSpec.add``)."""
        group, values = projection
        group_key = _tuple_key(group)
        found = table.setdefault(group_key, set())
        before = len(found)
        found.update(hashable(v) for v in values)
        # Lookups ask whether a value is in the group: only a new value can change that.
        return (group_key,) if len(found) != before else ()


class GroupTable:
    """A ``GroupIndex`` filled one document at a time, read as ``aggregate``'s table is
    (``get((group, value))`` gives the members).

    Held compactly, as there is about one entry per document: the values of each group
    in a dict of their own (no ``(group, value)`` tuple per entry), and a value held by
    one document holds its key alone, not a list or tuple of one.
    """

    __slots__ = ("groups",)

    def __init__(self) -> None:
        #: group -> value -> one document key, or the keys in file order (two or more).
        self.groups: dict[Any, dict[Hashable, DocumentKey | list[DocumentKey]]] = {}

    def get(self, entry: tuple[Any, Any], default: Any = None) -> Any:
        group, value = entry
        values = self.groups.get(group)
        held = None if values is None else values.get(value)
        if held is None:
            return default
        return (held,) if type(held) is tuple else held


class GroupIndex(_FieldIndex):
    """Which documents hold each value at *field*, per group (``unique``'s and
    ``at_most``'s *within* fields)."""

    tag: ClassVar[str] = "group"

    def aggregate(
        self, projections: list[tuple[DocumentKey, Any]]
    ) -> dict[tuple[Any, Any], list[DocumentKey]]:
        # Projections arrive in file order, which is what at_most counts in.
        table: dict[tuple[Any, Any], list[DocumentKey]] = {}
        for document, (group, values) in projections:
            group_key = _tuple_key(group)
            if len(values) == 1 and type(values[0]) is str:
                # The commonest case by far (one id, one handle), without calls.
                key = (group_key, values[0])
                members = table.get(key)
                if members is None:
                    table[key] = [document]
                else:
                    members.append(document)
                continue
            for value in values if len(values) == 1 else {hashable(v) for v in values}:
                table.setdefault((group_key, hashable(value)), []).append(document)
        return table

    def new_table(self) -> GroupTable:
        return GroupTable()

    def add(self, table: GroupTable, document: DocumentKey, projection: Any) -> Iterable[Hashable]:
        group, values = projection
        group_key = _tuple_key(group)
        held_by = table.groups.get(group_key)
        if held_by is None:
            held_by = table.groups[group_key] = {}
        touched = []
        for value in values if len(values) == 1 else {hashable(v) for v in values}:
            value = hashable(value)
            held = held_by.get(value)
            if held is None:
                held_by[value] = document
                touched.append((group_key, value))
                continue
            members = held_by[value] = [held] if isinstance(held, tuple) else held
            # Kept in file order (document keys sort as the files do), which is what
            # at_most counts in, whatever order the documents were read in.
            if members[-1] < document:
                # A document after the others: at_most's answer for them stays, and so
                # does unique's once two documents share the value.
                if len(members) < 2:
                    touched.append((group_key, value))
                members.append(document)
            else:
                insort(members, document)
                touched.append((group_key, value))
        return touched


class CountIndex(_Spec):
    """How many documents of *kind* pass *where*, per *same* group."""

    _fields = ("kind", "same", "where", "where_source")
    kind: str
    same: tuple[FieldPath, ...]
    where: Decision | None
    where_source: Any

    def __init__(
        self, kind: str, same: tuple[FieldPath, ...], where: Decision | None, where_source: Any
    ) -> None:
        self._fill(kind, same, where, where_source)

    @cached_property
    def key(self) -> str:
        return _spec_key("count", self.kind, [p.text for p in self.same], self.where_source)

    @cached_property
    def _readers(self) -> tuple[SingleResolver, ...]:
        # Looked up once, not once a document (each lookup hashes the whole path).
        return tuple(compile_single(path) for path in self.same)

    def project(self, context: Context) -> Any:
        if not _passes(self.where, context):
            return None
        data = context.data
        return [_jsonable(get(data, data)) for get in self._readers]

    def aggregate(self, projections: list[tuple[DocumentKey, Any]]) -> Counter[Any]:
        return Counter(_tuple_key(group) for _, group in projections)

    def new_table(self) -> Counter[Any]:
        return Counter()

    def add(
        self, table: Counter[Any], document: DocumentKey, projection: Any
    ) -> Iterable[Hashable]:
        group_key = _tuple_key(projection)
        table[group_key] += 1
        return (group_key,)


class RefIndex(_Spec):
    """The value at *field* of every *kind* document, by document id."""

    _fields = ("kind", "field")
    kind: str
    field: FieldPath

    def __init__(self, kind: str, field: FieldPath) -> None:
        self._fill(kind, field)

    @cached_property
    def key(self) -> str:
        return _spec_key("ref", self.kind, self.field.text)

    @cached_property
    def _reader(self) -> SingleResolver:
        return compile_single(self.field)

    def project(self, context: Context) -> Any:
        data = context.data
        identity = data.get("id") if type(data) is dict else None
        if not isinstance(identity, str):
            return None
        value = self._reader(data, data)
        return [identity, value is not ABSENT, _jsonable(value)]

    def aggregate(self, projections: list[tuple[DocumentKey, Any]]) -> dict[str, Any]:
        table: dict[str, Any] = {}
        for _, (identity, present, value) in projections:
            table.setdefault(identity, value if present else ABSENT)
        return table

    def new_table(self) -> RefTable:
        return RefTable()

    def add(self, table: RefTable, document: DocumentKey, projection: Any) -> Iterable[Hashable]:
        identity, present, value = projection
        owner = table.owners.get(identity)
        if owner is not None and owner < document:
            return ()
        # The first document in file order with the id wins, whatever order they came in.
        table.owners[identity] = document
        table[identity] = value if present else ABSENT
        return (identity,)


class RefTable(dict[str, Any]):
    """Values by document id, remembering which document each came from."""

    def __init__(self) -> None:
        super().__init__()
        self.owners: dict[str, DocumentKey] = {}
