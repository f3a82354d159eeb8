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

from collections.abc import Iterator
from typing import Any

import yaml
from yaml import events as ev
from yaml._yaml import CParser  # libyaml; tabard needs the C parser

from tabard.documents.loaded import (
    MAX_DEPTH,
    MAX_NODES,
    LoadedDocument,
    YamlError,
    subtree_size,
)
from tabard.documents.yaml_builder import build_document
from tabard.documents.yaml_text import (
    NoFreeStandIn,
    as_written,
    byte_position,
    hide_odd_breaks,
    restore,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "LoadedDocument",
    "YamlError",
    "load_documents",
    "subtree_size",
]


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
        yield build_document(get, get())
        get()
