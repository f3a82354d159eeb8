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

from tabard.documents.scalars import NumberTooLong, resolve_plain
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


class _Frame:
    __slots__ = ("anchor", "container", "key", "start")

    def __init__(self, container: Any, anchor: str | None, start: int) -> None:
        self.container = container
        self.key: str | None = None
        self.anchor = anchor
        self.start = start


def _build_document(get: Any, first: Any) -> LoadedDocument:
    # The loop runs once per YAML node of every file: names it needs are local.
    scalar_event, alias_event = ev.ScalarEvent, ev.AliasEvent
    mapping_start, sequence_start = ev.MappingStartEvent, ev.SequenceStartEvent
    mapping_end, sequence_end = ev.MappingEndEvent, ev.SequenceEndEvent
    intern, resolve, shift, column_mask, lines = _intern, resolve_plain, _SHIFT, _COLUMN, _LINES
    positions: array[int] = array("I")
    put = positions.append
    wide: list[tuple[int, int]] = []
    anchors: dict[str, tuple[Any, int, int]] = {}
    stack: list[_Frame] = []
    top: _Frame | None = None  # stack[-1]
    in_mapping = False  # whether top is a mapping
    event = first
    while True:
        kind = type(event)
        mark = event.start_mark
        line, column = mark.line, mark.column
        if column < column_mask and line < lines:
            here = line << shift | column
        else:
            here = len(wide) << shift | column_mask
            wide.append((line, column))
        if kind is scalar_event:
            text = event.value
            if len(text) < _INTERN_BELOW:
                text = intern(text)
            tag = event.tag
            try:
                if tag is None:
                    value: Any = (resolve(text) if text else None) if event.implicit[0] else text
                elif tag == "!":
                    value = text
                else:
                    _check_tag(tag, _SCALAR_TAGS, mark)
                    value = _tagged_scalar(tag, text, line + 1, column + 1)
            except NumberTooLong as problem:
                raise YamlError(str(problem), line + 1, column + 1) from None
            if in_mapping and top is not None and top.key is None:
                # A mapping key: always the text as written.
                if text in top.container:
                    first_line = _first_key_line(positions, wide, top, text)
                    raise YamlError(
                        f"duplicate key {text!r} (first on line {first_line}); "
                        "YAML keeps only one of them, so remove or rename one",
                        mark.line + 1,
                        mark.column + 1,
                        duplicate_key=True,
                    )
                put(here)
                top.key = text
                event = get()
                continue
            put(here)
            if event.anchor is not None:
                anchors[event.anchor] = (value, len(positions) - 1, len(positions))
        elif kind is mapping_start or kind is sequence_start:
            _check_tag(event.tag, _MAP_TAGS if kind is mapping_start else _SEQ_TAGS, mark)
            if len(stack) >= MAX_DEPTH:
                raise YamlError(
                    f"nesting deeper than {MAX_DEPTH} levels", mark.line + 1, mark.column + 1
                )
            put(here)
            in_mapping = kind is mapping_start
            top = _Frame({} if in_mapping else [], event.anchor, len(positions) - 1)
            stack.append(top)
            event = get()
            continue
        elif kind is mapping_end or kind is sequence_end:
            frame = stack.pop()
            value = frame.container
            if frame.anchor is not None:
                anchors[frame.anchor] = (value, frame.start, len(positions))
            if stack:
                top = stack[-1]
                in_mapping = type(top.container) is dict
            else:
                top = None
        elif kind is alias_event:
            if event.anchor not in anchors:
                raise YamlError(
                    f"alias *{event.anchor} refers to an anchor that is not complete here",
                    mark.line + 1,
                    mark.column + 1,
                )
            value, start, end = anchors[event.anchor]
            if len(positions) + (end - start) > MAX_NODES:
                raise YamlError(
                    f"aliases expand this document past {MAX_NODES} values "
                    "(a YAML alias bomb?); write the values out instead",
                    mark.line + 1,
                    mark.column + 1,
                )
            put(here)
            positions.extend(positions[start + 1 : end])
        else:  # pragma: no cover - libyaml only emits the events above inside a document
            raise YamlError(
                f"unexpected YAML event {kind.__name__}", mark.line + 1, mark.column + 1
            )

        if len(positions) > MAX_NODES:
            raise YamlError(
                f"document has more than {MAX_NODES} values", mark.line + 1, mark.column + 1
            )
        if top is None:
            return LoadedDocument(value, positions, wide)
        if in_mapping:
            if top.key is None:
                raise YamlError(
                    "mapping keys must be plain strings, not lists or mappings",
                    mark.line + 1,
                    mark.column + 1,
                )
            top.container[top.key] = value
            top.key = None
        else:
            top.container.append(value)
        event = get()


def _first_key_line(
    positions: array[int], wide: list[tuple[int, int]], frame: _Frame, key: str
) -> int:
    cursor = frame.start + 1
    for existing, item in frame.container.items():
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
