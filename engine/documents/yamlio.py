"""Strict YAML reading: libyaml events in, plain data and a position table out.

PyYAML's own constructors follow YAML 1.1 (``no`` is False, ``17:00`` is 1020,
dates become ``datetime.date``) and silently keep the last of duplicate keys.
tabard builds its data straight from libyaml's event stream instead, which is
both stricter and about twice as fast as ``yaml.CSafeLoader``:

* YAML 1.2 core schema for plain scalars; dates and times stay strings;
  integers with a leading zero (``010``) stay strings, because YAML 1.1 and
  1.2 disagree about them and identifiers such as collar numbers need them.
* Mapping keys are always the text that was written.
* Duplicate keys, unknown tags, alias bombs and absurd nesting are errors.
* Every node's position is kept in a compact array in pre-order
  (container, then for each entry its key and its value subtree), so a
  finding can be located later without re-reading the file.
* Lines and columns are those an editor shows: lines break only at ``\n``,
  ``\r\n`` and ``\r`` (YAML 1.2, git and SARIF agree; libyaml also breaks at
  NEL, U+2028 and U+2029), and columns count Unicode code points, from 1.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import yaml
from yaml import events as ev
from yaml._yaml import CParser  # libyaml; tabard needs the C parser

from tabard.documents.scalars import NUMBER_START, PLAIN_WORDS, NumberTooLong, resolve_plain
from tabard.documents.yaml_text import (
    NoFreeStandIn,
    as_written,
    byte_position,
    hide_odd_breaks,
    restore,
)

#: Values a document may hold once aliases are expanded (a YAML bomb guard).
MAX_NODES: Final = 200_000
#: Nesting deeper than this is not a plausible tabard document.
MAX_DEPTH: Final = 64

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS: Final = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null"))
_MAP_TAGS: Final = frozenset((_CORE + "map",))
_SEQ_TAGS: Final = frozenset((_CORE + "seq",))

#: Positions pack a 0-based line and column into one unsigned 32-bit int: the
#: line in the high 20 bits, the column in the low 12.  A position that does not
#: fit (line 1,048,576 or later, column 4,096 or later) is stored in the
#: document's ``wide`` list instead, and its packed value holds the index there
#: with the column bits all set (a column no packed position uses).
_SHIFT: Final = 12
_COLUMN: Final = (1 << _SHIFT) - 1
_LINES: Final = 1 << (32 - _SHIFT)
#: Strings this short are interned: keys and enum-like values repeat in every
#: manifest, and sharing them roughly halves the memory of a large repository.
_INTERN_BELOW: Final = 40
_intern = sys.intern


def _unpack(packed: int, wide: list[tuple[int, int]]) -> tuple[int, int]:
    """The 1-based (line, column) of a packed position."""
    column = packed & _COLUMN
    if column == _COLUMN:
        line, column = wide[packed >> _SHIFT]
        return line + 1, column + 1
    return (packed >> _SHIFT) + 1, column + 1


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


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """One YAML document: its data and the pre-order position table.

    *wide* holds the 0-based (line, column) of positions too large to pack.
    """

    data: Any
    positions: array[int]
    wide: list[tuple[int, int]] = field(default_factory=list)

    def position(self, index: int) -> tuple[int, int]:
        """The 1-based (line, column) of the *index*-th node in pre-order."""
        return _unpack(self.positions[index], self.wide)

    @property
    def line(self) -> int:
        return self.position(0)[0]

    @property
    def column(self) -> int:
        return self.position(0)[1]


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
            text = _intern(text)
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
        words, number_start, intern = _WORDS, _NUMBER_START, _intern
        shift, column_mask, lines = _SHIFT, _COLUMN, _LINES
        while True:
            item = get()
            kind = type(item)
            if kind is _SCALAR and item.tag is None and item.anchor is None:
                text = item.value
                if len(text) < _INTERN_BELOW:
                    text = intern(text)
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
        words, number_start, intern = _WORDS, _NUMBER_START, _intern
        shift, column_mask, lines = _SHIFT, _COLUMN, _LINES
        while True:
            item = get()
            if type(item) is not _SCALAR:
                if type(item) is _MAPPING_END:
                    return self.close(event, item, entries, start)  # type: ignore[no-any-return]
                raise self.complex_key(item, depth)
            key = self.key(item, entries, start)
            item = get()
            if type(item) is _SCALAR and item.tag is None and item.anchor is None:
                text = item.value
                if len(text) < _INTERN_BELOW:
                    text = intern(text)
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
                entries[key] = value
            else:
                entries[key] = self.node(item, depth + 1)

    def key(self, event: Any, entries: dict[str, Any], start: int) -> str:
        """A mapping key: always the text as written, checked and not yet in *entries*."""
        text = event.value
        if len(text) < _INTERN_BELOW:
            text = _intern(text)
        if event.tag is not None or (event.implicit[0] and text and text[0] in _NUMBER_START):
            self.scalar(event, key=True)  # a key must still be a valid value of its tag
        if text in entries:
            first_line = _first_key_line(self.positions, self.wide, start, entries, text)
            raise _error_at(
                event.start_mark,
                f"duplicate key {text!r} (first on line {first_line}); "
                "YAML keeps only one of them, so remove or rename one",
                duplicate_key=True,
            )
        self.positions.append(self.here(event.start_mark))
        return text  # type: ignore[no-any-return]

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


def _build_document(get: Any, first: Any) -> LoadedDocument:
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
    return _unpack(positions[cursor], wide)[0]


def _utf8_error(raw: bytes, error: UnicodeDecodeError) -> YamlError:
    return YamlError(
        f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save it as UTF-8",
        *byte_position(raw, error.start),
    )


def _reader_error(raw: bytes, error: yaml.reader.ReaderError) -> YamlError:
    """A character libyaml refuses (a control character), placed where it is."""
    character = error.character if isinstance(error.character, int) else 0
    return YamlError(
        f"the file holds the control character U+{character:04X}, which YAML does not "
        "allow; delete it",
        *byte_position(raw, error.position),
    )


def load_documents(raw: bytes) -> list[LoadedDocument]:
    """Parse every document in *raw*; raise :class:`YamlError` on the first problem."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _utf8_error(raw, error) from None
    try:
        hidden, back = hide_odd_breaks(raw)
    except NoFreeStandIn as error:
        raise YamlError(str(error), 1, 1) from None
    parser = CParser(hidden)
    try:
        documents = list(_documents(parser))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "invalid YAML"
        raise YamlError(as_written(problem, back), line, column) from None
    except YamlError as error:
        error.message = as_written(error.message, back)
        raise
    except yaml.reader.ReaderError as error:  # reader errors carry a byte offset, not a mark
        raise _reader_error(hidden, error) from None
    except yaml.YAMLError as error:  # pragma: no cover - libyaml raises only the above
        raise YamlError(str(error).splitlines()[0], 1, 1) from None
    finally:
        parser.dispose()
    if back is None:
        return documents
    return [
        LoadedDocument(restore(document.data, back), document.positions, document.wide)
        for document in documents
    ]


def _documents(parser: Any) -> Iterator[LoadedDocument]:
    get = parser.get_event
    get()  # StreamStartEvent
    while True:
        event = get()
        if type(event) is ev.StreamEndEvent:
            return
        # DocumentStartEvent, then exactly one root node, then DocumentEndEvent.
        yield _build_document(get, get())
        get()


def subtree_size(value: Any) -> int:
    """Number of positions the subtree of *value* occupies."""
    if type(value) is dict:
        return 1 + sum(1 + subtree_size(item) for item in value.values())
    if type(value) is list:
        return 1 + sum(subtree_size(item) for item in value)
    return 1
