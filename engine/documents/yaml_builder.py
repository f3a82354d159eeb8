"""Building a document from libyaml's events: data, and a position per node in pre-order.

``yamlio`` drives libyaml and turns its errors into messages; this module turns the event
stream of one document into plain data by the YAML 1.2 core schema, with the checks
that make tabard's reading strict (tags, duplicate keys, aliases, size, depth).
"""

from __future__ import annotations

import sys
from array import array
from typing import Any, Final

import yaml
from yaml import events as ev

from tabard.documents.loaded import (
    COLUMN,
    LINES,
    MAX_DEPTH,
    MAX_NODES,
    SHIFT,
    LoadedDocument,
    YamlError,
    subtree_size,
    unpack,
)
from tabard.documents.scalars import NUMBER_START, PLAIN_WORDS, NumberTooLong, resolve_plain

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS: Final = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null"))
_MAP_TAGS: Final = frozenset((_CORE + "map",))
_SEQ_TAGS: Final = frozenset((_CORE + "seq",))
#: Strings this short are shared: keys and enum-like values repeat in every manifest,
#: and sharing them roughly halves the memory of a large repository.
_INTERN_BELOW: Final = 40
#: Keys are interned for good (a schema has a few hundred; interned, they are the very
#: strings the engine's code looks up).  Values are shared through a table that is
#: emptied when it grows large: most short values (ids, handles, names) occur once, and
#: interned they would stay in memory after their document is let go (about 330 bytes
#: an account in a streamed check).
_intern = sys.intern
_SHARED_VALUES: dict[str, str] = {}
_SHARED_VALUES_MAX: Final = 8192
_share = _SHARED_VALUES.setdefault
_SHIFT, _COLUMN, _LINES = SHIFT, COLUMN, LINES


def _tagged_scalar(tag: str, text: str, line: int, column: int) -> Any:
    if tag == _CORE + "str":
        return text
    value: Any = resolve_plain(text) if text else None
    name = tag.removeprefix(_CORE)
    valid = {
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, int | float) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "null": value is None,
    }[name]
    if not valid:
        raise YamlError(f"{text!r} is not a valid {name}", line, column)
    if name == "float" and isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            shown = text if len(text) <= 20 else text[:20] + "…"
            raise YamlError(f"{shown} is too large for a float", line, column) from None
    return value


def _check_tag(tag: str | None, allowed: frozenset[str], mark: yaml.Mark) -> None:
    # An exact test: a tag such as `!<yaml>` is a substring of the core tags' names.
    if tag is None or tag == "!" or tag in allowed:
        return
    if tag.startswith(_CORE):
        shown = "!!" + tag.removeprefix(_CORE)
    else:  # a local tag such as !x keeps its "!"; any other is written verbatim
        shown = tag if tag.startswith("!") else f"!<{tag}>"
    raise YamlError(
        f"tag {shown} is not allowed: tabard documents hold only strings, numbers, "
        "booleans, null, lists and mappings",
        mark.line + 1,
        mark.column + 1,
    )


_SCALAR = ev.ScalarEvent
_ALIAS = ev.AliasEvent
_MAPPING_START, _MAPPING_END = ev.MappingStartEvent, ev.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = ev.SequenceStartEvent, ev.SequenceEndEvent
_WORDS: Final = PLAIN_WORDS
_NUMBER_START: Final = NUMBER_START


def _error_at(mark: Any, message: str, **extra: bool) -> YamlError:
    return YamlError(message, mark.line + 1, mark.column + 1, **extra)


class _Builder:
    """Builds one document from libyaml's events by recursive descent.

    One method per kind of node: a mapping or sequence method consumes its events up
    to and including its end event, so the key/value structure is the call structure
    and needs no stack of flags.  Plain scalars, the bulk of every manifest, are
    resolved inline in the two container loops; everything rarer goes through
    :meth:`scalar`.  This runs once per node of every file, so the loops keep what
    they use in local variables.
    """

    __slots__ = ("anchors", "get", "positions", "wide")

    def __init__(self, get: Any) -> None:
        self.get = get
        self.positions: array[int] = array("I")
        self.wide: list[tuple[int, int]] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}

    def here(self, mark: Any) -> int:
        """The packed position of *mark* (a wide one is kept aside exactly)."""
        line: int = mark.line
        column: int = mark.column
        if column < _COLUMN and line < _LINES:
            return line << _SHIFT | column
        self.wide.append((line, column))
        return (len(self.wide) - 1) << _SHIFT | _COLUMN

    def node(self, event: Any, depth: int) -> Any:
        """The value of the node that starts with *event*, any kind."""
        kind = type(event)
        if kind is _SCALAR:
            value = self.scalar(event, key=False)
            self.positions.append(self.here(event.start_mark))
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, len(self.positions) - 1, len(self.positions))
            self.check_size(event)
            return value
        if kind is _MAPPING_START:
            return self.mapping(event, depth)
        if kind is _SEQUENCE_START:
            return self.sequence(event, depth)
        if kind is _ALIAS:
            return self.alias(event)
        raise _error_at(event.start_mark, f"unexpected YAML event {kind.__name__}")

    def scalar(self, event: Any, *, key: bool) -> Any:
        """A scalar's value by its tag (a key's value is only checked, never used)."""
        text, tag, mark = event.value, event.tag, event.start_mark
        if len(text) < _INTERN_BELOW:
            text = _share(text, text)
        try:
            if tag is None:
                return (resolve_plain(text) if text else None) if event.implicit[0] else text
            if tag == "!":
                return text
            _check_tag(tag, _SCALAR_TAGS, mark)
            return _tagged_scalar(tag, text, mark.line + 1, mark.column + 1)
        except NumberTooLong as problem:
            raise _error_at(mark, str(problem)) from None

    def check_size(self, event: Any) -> None:
        if len(self.positions) > MAX_NODES:
            raise _error_at(event.start_mark, f"document has more than {MAX_NODES} values")

    def open(self, event: Any, depth: int, tags: frozenset[str]) -> int:
        """Check a mapping's or sequence's start and record its position; its index."""
        mark = event.start_mark
        _check_tag(event.tag, tags, mark)
        if depth >= MAX_DEPTH:
            raise _error_at(mark, f"nesting deeper than {MAX_DEPTH} levels")
        self.positions.append(self.here(mark))
        return len(self.positions) - 1

    def close(self, event: Any, end: Any, value: Any, start: int) -> Any:
        """Finish a mapping or sequence at its *end* event: anchor and size."""
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, start, len(self.positions))
        self.check_size(end)
        return value

    def sequence(self, event: Any, depth: int) -> list[Any]:
        start = self.open(event, depth, _SEQ_TAGS)
        items: list[Any] = []
        add, get, put, positions = items.append, self.get, self.positions.append, self.positions
        words, number_start, share = _WORDS, _NUMBER_START, _share
        shift, column_mask, lines = _SHIFT, _COLUMN, _LINES
        while True:
            item = get()
            kind = type(item)
            if kind is _SCALAR and item.tag is None and item.anchor is None:
                text = item.value
                if len(text) < _INTERN_BELOW:
                    text = share(text, text)
                if not item.implicit[0]:
                    value: Any = text
                elif text in words:
                    value = words[text]
                elif text[0] in number_start:
                    value = self.scalar(item, key=False)
                else:
                    value = text
                mark: Any = item.start_mark
                line, column = mark.line, mark.column
                put(
                    line << shift | column
                    if column < column_mask and line < lines
                    else self.here(mark)
                )
                if len(positions) > MAX_NODES:
                    self.check_size(item)
                add(value)
            elif kind is _SEQUENCE_END:
                return self.close(event, item, items, start)  # type: ignore[no-any-return]
            else:
                add(self.node(item, depth + 1))

    def mapping(self, event: Any, depth: int) -> dict[str, Any]:
        start = self.open(event, depth, _MAP_TAGS)
        item: Any
        entries: dict[str, Any] = {}
        get, put, positions = self.get, self.positions.append, self.positions
        words, number_start, intern, share = _WORDS, _NUMBER_START, _intern, _share
        shift, column_mask, lines = _SHIFT, _COLUMN, _LINES
        while True:
            item = get()
            if type(item) is not _SCALAR:
                if type(item) is _MAPPING_END:
                    return self.close(event, item, entries, start)  # type: ignore[no-any-return]
                raise self.complex_key(item, depth)
            key = item.value  # always the text as written
            if len(key) < _INTERN_BELOW:
                key = intern(key)
            if item.tag is not None or (item.implicit[0] and key and key[0] in number_start):
                self.scalar(item, key=True)  # a key must still be a valid value of its tag
            if key in entries:
                raise self.duplicate_key(item, key, entries, start)
            mark: Any = item.start_mark
            line, column = mark.line, mark.column
            put(
                line << shift | column if column < column_mask and line < lines else self.here(mark)
            )
            item = get()
            if type(item) is _SCALAR and item.tag is None and item.anchor is None:
                text = item.value
                if len(text) < _INTERN_BELOW:
                    text = share(text, text)
                if not item.implicit[0]:
                    value: Any = text
                elif text in words:
                    value = words[text]
                elif text[0] in number_start:
                    value = self.scalar(item, key=False)
                else:
                    value = text
                mark = item.start_mark
                line, column = mark.line, mark.column
                put(
                    line << shift | column
                    if column < column_mask and line < lines
                    else self.here(mark)
                )
                if len(positions) > MAX_NODES:
                    self.check_size(item)
                entries[key] = value
            else:
                entries[key] = self.node(item, depth + 1)

    def duplicate_key(self, event: Any, key: str, entries: dict[str, Any], start: int) -> YamlError:
        first_line = _first_key_line(self.positions, self.wide, start, entries, key)
        return _error_at(
            event.start_mark,
            f"duplicate key {key!r} (first on line {first_line}); "
            "YAML keeps only one of them, so remove or rename one",
            duplicate_key=True,
        )

    def complex_key(self, event: Any, depth: int) -> YamlError:
        """The error for a key that is a list, a mapping or an alias, at its last event.

        The key is read first, so that any error inside it comes first, as a reader
        going through the file would meet it.
        """
        last = [event]
        get = self.get

        def remember() -> Any:
            last[0] = get()
            return last[0]

        self.get = remember
        try:
            self.node(event, depth + 1)
        finally:
            self.get = get
        return _error_at(
            last[0].start_mark, "mapping keys must be plain strings, not lists or mappings"
        )

    def alias(self, event: Any) -> Any:
        mark = event.start_mark
        if event.anchor not in self.anchors:
            raise _error_at(
                mark, f"alias *{event.anchor} refers to an anchor that is not complete here"
            )
        value, start, end = self.anchors[event.anchor]
        positions = self.positions
        if len(positions) + (end - start) > MAX_NODES:
            raise _error_at(
                mark,
                f"aliases expand this document past {MAX_NODES} values "
                "(a YAML alias bomb?); write the values out instead",
            )
        positions.append(self.here(mark))
        positions.extend(positions[start + 1 : end])
        self.check_size(event)
        return value


def build_document(get: Any, first: Any) -> LoadedDocument:
    if len(_SHARED_VALUES) > _SHARED_VALUES_MAX:
        _SHARED_VALUES.clear()
    builder = _Builder(get)
    data = builder.node(first, 0)
    return LoadedDocument(data, builder.positions, builder.wide)


def _first_key_line(
    positions: array[int],
    wide: list[tuple[int, int]],
    start: int,
    entries: dict[str, Any],
    key: str,
) -> int:
    cursor = start + 1
    for existing, item in entries.items():
        if existing == key:
            break
        cursor += 1 + subtree_size(item)
    return unpack(positions[cursor], wide)[0]


def forget_shared_values() -> None:
    """Empty the table of shared values: a process that sends each batch of documents
    elsewhere and lets them go (the parse worker) needs it for one batch only, and
    the full table is about 0.9 MiB."""
    _SHARED_VALUES.clear()
