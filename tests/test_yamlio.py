"""Strict YAML reading (design §2): YAML 1.2 core scalars, safety, positions."""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import pytest

from tabard.documents.positions import locate
from tabard.documents.yamlio import MAX_DEPTH, MAX_NODES, YamlError, load_documents


def _value(text: str) -> Any:
    """The value of ``v`` in the one-line document ``v: <text>``."""
    (document,) = load_documents(f"v: {text}\n".encode())
    return document.data["v"]


def _error(raw: bytes) -> YamlError:
    with pytest.raises(YamlError) as caught:
        load_documents(raw)
    return caught.value


# --- scalars --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("no", "no", id="no-is-text"),
        pytest.param("No", "No", id="No-is-text"),
        pytest.param("off", "off", id="off-is-text"),
        pytest.param("on", "on", id="on-is-text"),
        pytest.param("yes", "yes", id="yes-is-text"),
        pytest.param("Yes", "Yes", id="Yes-is-text"),
        pytest.param("y", "y", id="y-is-text"),
        pytest.param("17:00", "17:00", id="sexagesimal-is-text"),
        pytest.param("010", "010", id="leading-zero-stays-text"),
        pytest.param("00", "00", id="double-zero-stays-text"),
        pytest.param("0", 0, id="zero"),
        pytest.param("-0", 0, id="minus-zero"),
        pytest.param("12", 12, id="int"),
        pytest.param("-3", -3, id="negative-int"),
        pytest.param("+3", 3, id="plus-int"),
        pytest.param("0o17", 15, id="octal"),
        pytest.param("0x1F", 31, id="hex"),
        pytest.param("0o8", "0o8", id="bad-octal-is-text"),
        pytest.param("0b101", "0b101", id="binary-is-text"),
        pytest.param("1_000", "1_000", id="underscores-are-text"),
        pytest.param("1.5", 1.5, id="float"),
        pytest.param("1e3", 1000.0, id="exponent"),
        pytest.param(".5", 0.5, id="leading-dot-float"),
        pytest.param("010.5", 10.5, id="float-with-leading-zero"),
        pytest.param("2025-03-01", "2025-03-01", id="date-stays-text"),
        pytest.param("2025-03-01T10:00:00Z", "2025-03-01T10:00:00Z", id="timestamp-stays-text"),
        pytest.param("~", None, id="tilde-null"),
        pytest.param("", None, id="empty-null"),
        pytest.param("null", None, id="null"),
        pytest.param("Null", None, id="Null"),
        pytest.param("NULL", None, id="NULL"),
        pytest.param("nULL", "nULL", id="odd-case-null-is-text"),
        pytest.param("true", True, id="true"),
        pytest.param("True", True, id="True"),
        pytest.param("TRUE", True, id="TRUE"),
        pytest.param("false", False, id="false"),
        pytest.param("False", False, id="False"),
        pytest.param(".inf", math.inf, id="inf"),
        pytest.param("-.inf", -math.inf, id="minus-inf"),
        pytest.param('"12"', "12", id="double-quoted-number-stays-text"),
        pytest.param("'0x1F'", "0x1F", id="single-quoted-hex-stays-text"),
        pytest.param("'true'", "true", id="quoted-bool-stays-text"),
        pytest.param('""', "", id="quoted-empty-is-empty-text"),
        pytest.param("!!str 12", "12", id="str-tag"),
        pytest.param("!!str true", "true", id="str-tag-on-bool"),
        pytest.param("!!int 12", 12, id="int-tag"),
        pytest.param('!!int "12"', 12, id="int-tag-on-quoted"),
        pytest.param("!!float 1", 1.0, id="float-tag"),
        pytest.param("!!bool true", True, id="bool-tag"),
        pytest.param("!!null ~", None, id="null-tag"),
        pytest.param("! 12", "12", id="non-specific-tag-is-text"),
    ],
)
def test_core_schema_scalars(text: str, expected: Any) -> None:
    value = _value(text)
    assert value == expected
    assert type(value) is type(expected)


def test_nan() -> None:
    value = _value(".nan")
    assert isinstance(value, float)
    assert math.isnan(value)


def test_true_is_a_bool_and_one_is_an_int() -> None:
    (document,) = load_documents(b"a: true\nb: 1\n")
    assert document.data["a"] is True
    assert type(document.data["b"]) is int


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("!!int x", "'x' is not a valid int", id="int"),
        pytest.param("!!int 1.5", "'1.5' is not a valid int", id="int-of-float"),
        pytest.param("!!float abc", "'abc' is not a valid float", id="float"),
        pytest.param("!!bool yes", "'yes' is not a valid bool", id="bool-of-yes"),
        pytest.param("!!null x", "'x' is not a valid null", id="null"),
    ],
)
def test_core_tag_with_a_wrong_value_is_rejected(text: str, message: str) -> None:
    error = _error(f"a: 1\nv: {text}\n".encode())
    assert (error.message, error.line, error.column) == (message, 2, 4)
    assert error.duplicate_key is False


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        pytest.param("1" * 4301, 4301, id="past-python-int-limit"),
        pytest.param("-" + "9" * 1001, 1001, id="negative"),
        pytest.param("0x" + "f" * 5000, 5000, id="hex"),
        pytest.param("0o" + "7" * 1001, 1001, id="octal"),
        pytest.param("!!int " + "1" * 1001, 1001, id="tagged"),
    ],
)
def test_integers_longer_than_the_limit_are_an_error(text: str, digits: int) -> None:
    error = _error(f"a: 1\nv: {text}\n".encode())
    assert (error.message, error.line, error.column) == (
        f"number too long ({digits} digits; at most 1000): if it is meant as text, put it in "
        "quotes",
        2,
        4,
    )


def test_integers_up_to_the_limit_are_numbers() -> None:
    assert _value("9" * 1000) == 10**1000 - 1
    assert _value("0x" + "f" * 1000) == 16**1000 - 1
    assert _value('"' + "1" * 5000 + '"') == "1" * 5000


def test_float_tag_on_a_huge_integer_is_an_error() -> None:
    error = _error(f"v: !!float {'1' * 400}\n".encode())
    assert (error.message, error.line, error.column) == (
        "11111111111111111111… is too large for a float",
        1,
        4,
    )


def test_keys_are_the_text_as_written() -> None:
    (document,) = load_documents(b"true: a\n~: b\n1.0: c\n010: d\n")
    assert document.data == {"true": "a", "~": "b", "1.0": "c", "010": "d"}


def test_keys_may_not_be_collections() -> None:
    error = _error(b"? [a]\n: b\n")
    assert (error.message, error.line, error.column) == (
        "mapping keys must be plain strings, not lists or mappings",
        1,
        5,
    )


# --- duplicate keys --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key", "first", "line", "column"),
    [
        pytest.param(b"a: 1\nb: 2\na: 3\n", "a", 1, 3, 1, id="top-level"),
        pytest.param(b"a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n", "c", 3, 5, 3, id="nested"),
        pytest.param(b"x: {a: 1, a: 2}\n", "a", 1, 1, 11, id="flow"),
        pytest.param(b"- {x: 1,\n   x: 2}\n", "x", 1, 2, 4, id="flow-over-two-lines"),
        pytest.param(b"1: a\n'1': b\n", "1", 1, 2, 1, id="number-and-quoted-key"),
    ],
)
def test_duplicate_keys(raw: bytes, key: str, first: int, line: int, column: int) -> None:
    error = _error(raw)
    assert error.message == (
        f"duplicate key {key!r} (first on line {first}); "
        "YAML keeps only one of them, so remove or rename one"
    )
    assert (error.line, error.column) == (line, column)
    assert error.duplicate_key is True


def test_the_same_key_in_two_mappings_is_fine() -> None:
    (document,) = load_documents(b"a: {k: 1}\nb: {k: 2}\n")
    assert document.data == {"a": {"k": 1}, "b": {"k": 2}}


# --- tags ----------------------------------------------------------------------------------

_TAG_MESSAGE = (
    "tag {tag} is not allowed: tabard documents hold only strings, numbers, "
    "booleans, null, lists and mappings"
)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        pytest.param("!!binary aGVsbG8=", "!!binary", id="binary"),
        pytest.param("!!timestamp 2025-01-01", "!!timestamp", id="timestamp"),
        pytest.param("!!set {a: null}", "!!set", id="set"),
        pytest.param("!!omap [a: 1]", "!!omap", id="omap"),
        pytest.param("!!python/tuple [1, 2]", "!!python/tuple", id="python-tuple"),
        pytest.param("!custom value", "!custom", id="local-tag"),
        pytest.param("!!str [a]", "!!str", id="str-tag-on-a-list"),
        pytest.param("!!seq {a: 1}", "!!seq", id="seq-tag-on-a-mapping"),
        # Both are substrings of tag:yaml.org,2002:map and were once let through.
        pytest.param("!<yaml> {a: 1}", "!<yaml>", id="verbatim-tag-on-a-mapping"),
        pytest.param("!!ma {a: 1}", "!!ma", id="partial-core-tag-on-a-mapping"),
        pytest.param("!!ma [1]", "!!ma", id="partial-core-tag-on-a-list"),
        pytest.param("!<tag:yaml.org,2002:ma> {a: 1}", "!!ma", id="verbatim-partial-core-tag"),
    ],
)
def test_unknown_tags_are_rejected(text: str, tag: str) -> None:
    error = _error(f"a: 1\nv: {text}\n".encode())
    assert (error.message, error.line, error.column) == (_TAG_MESSAGE.format(tag=tag), 2, 4)


def test_python_object_tag_never_runs_anything(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    raw = f'v: !!python/object/apply:os.system ["touch {marker}"]\n'.encode()
    error = _error(raw)
    assert error.message == _TAG_MESSAGE.format(tag="!!python/object/apply:os.system")
    assert (error.line, error.column) == (1, 4)
    assert not marker.exists()


def test_python_object_tag_on_a_mapping_never_runs_anything(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    raw = f"v: !!python/object/new:pathlib.Path {{args: ['{marker}']}}\n".encode()
    error = _error(raw)
    assert error.message == _TAG_MESSAGE.format(tag="!!python/object/new:pathlib.Path")
    assert not marker.exists()


# --- aliases, size and depth -------------------------------------------------------------


def test_aliases_are_expanded() -> None:
    (document,) = load_documents(b"base: &b {mfa: true}\ncopy: *b\nlist: [&x 1, *x]\n")
    assert document.data == {"base": {"mfa": True}, "copy": {"mfa": True}, "list": [1, 1]}


def test_billion_laughs_is_rejected() -> None:
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghi"
    for previous, name in itertools.pairwise(names):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    raw = ("\n".join(levels) + "\n").encode()
    error = _error(raw)
    assert error.message == (
        f"aliases expand this document past {MAX_NODES} values "
        "(a YAML alias bomb?); write the values out instead"
    )
    # Line 6 holds nine copies of ~66,000 values each: the second copy is refused.
    assert (error.line, error.column) == (6, 12)


def test_too_many_values_without_aliases() -> None:
    raw = b"v: [" + b"0, " * MAX_NODES + b"0]\n"
    error = _error(raw)
    assert error.message == f"document has more than {MAX_NODES} values"
    assert error.line == 1


def test_alias_to_an_unfinished_anchor() -> None:
    error = _error(b"a: &x [1, *x]\n")
    assert (error.message, error.line, error.column) == (
        "alias *x refers to an anchor that is not complete here",
        1,
        11,
    )


def test_undefined_alias() -> None:
    error = _error(b"a: 1\nb: *nowhere\n")
    assert (error.message, error.line, error.column) == (
        "alias *nowhere refers to an anchor that is not complete here",
        2,
        4,
    )


def test_nesting_up_to_the_limit_is_fine() -> None:
    raw = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    (document,) = load_documents(raw)
    depth, node = 0, document.data
    while isinstance(node, list):
        depth += 1
        node = node[0] if node else None
    assert depth == MAX_DEPTH


def test_deep_flow_nesting_is_rejected() -> None:
    raw = b"a: " + b"[" * 70 + b"]" * 70 + b"\n"
    error = _error(raw)
    assert (error.message, error.line, error.column) == (
        f"nesting deeper than {MAX_DEPTH} levels",
        1,
        4 + MAX_DEPTH - 1,
    )


def test_deep_block_nesting_is_rejected() -> None:
    raw = "".join("  " * depth + f"k{depth}:\n" for depth in range(70)).encode()
    error = _error(raw)
    assert (error.message, error.line, error.column) == (
        f"nesting deeper than {MAX_DEPTH} levels",
        MAX_DEPTH + 1,
        2 * MAX_DEPTH + 1,
    )


# --- bytes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "byte", "line", "column"),
    [
        pytest.param(b"a: 1\nb: caf\xe9\n", "e9", 2, 7, id="latin-1"),
        pytest.param("a: 1\nb: 'ŵŵ".encode() + b"\xff'\n", "ff", 2, 7, id="after-welsh-letters"),
        pytest.param(b"\xfe", "fe", 1, 1, id="first-byte"),
    ],
)
def test_non_utf8_bytes(raw: bytes, byte: str, line: int, column: int) -> None:
    error = _error(raw)
    assert error.message == f"file is not valid UTF-8 (byte 0x{byte}); save it as UTF-8"
    assert (error.line, error.column) == (line, column)


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        pytest.param(b"a: 1\nb: x\x01y\n", 2, 5, id="in-a-plain-value"),
        pytest.param("a: 1\nb: 'ŵŵ\x07'\n".encode(), 2, 7, id="after-welsh-letters"),
        pytest.param(b"a: 1\r\nb: 2\r\n\x1b", 3, 1, id="after-crlf"),
        pytest.param(b"a: 1\rb: 2\x7f\n", 2, 5, id="after-a-lone-cr"),
    ],
)
def test_control_characters_are_located(raw: bytes, line: int, column: int) -> None:
    error = _error(raw)
    code = next(byte for byte in raw if byte < 9 or 13 < byte < 32 or byte == 0x7F)
    assert error.message == (
        f"the file holds the control character U+{code:04X}, which YAML does not allow; delete it"
    )
    assert (error.line, error.column) == (line, column)


def test_utf8_bom_is_accepted() -> None:
    (document,) = load_documents(b"\xef\xbb\xbfa: 1\nb: two\n")
    assert document.data == {"a": 1, "b": "two"}
    assert locate(document, ("a",))[:2] == (1, 4)
    assert locate(document, ("b",))[:2] == (2, 4)


def test_syntax_error_position() -> None:
    error = _error(b"a: b: c\n")
    assert (error.message, error.line, error.column) == (
        "mapping values are not allowed in this context",
        1,
        5,
    )


def test_tab_indentation_is_a_syntax_error() -> None:
    error = _error(b"a:\n\tb: 1\n")
    assert (error.message, error.line, error.column) == (
        "found character that cannot start any token",
        2,
        1,
    )


# --- documents -----------------------------------------------------------------------------


def test_multi_document_files() -> None:
    documents = load_documents(b"a: 1\n---\nb:\n  c: 2\n...\n---\n- x\n")
    assert [document.data for document in documents] == [{"a": 1}, {"b": {"c": 2}}, ["x"]]
    assert [(document.line, document.column) for document in documents] == [(1, 1), (3, 1), (7, 1)]
    assert locate(documents[1], ("b", "c")) == (4, 6, ("b", "c"))


@pytest.mark.parametrize(
    "raw",
    [pytest.param(b"", id="empty"), pytest.param(b"# only a comment\n", id="comment")],
)
def test_files_without_documents(raw: bytes) -> None:
    assert load_documents(raw) == []


def test_yaml_11_directive_does_not_bring_back_11_booleans() -> None:
    (document,) = load_documents(b"%YAML 1.1\n---\na: yes\n")
    assert document.data == {"a": "yes"}


# --- locate --------------------------------------------------------------------------------

_MANIFEST = b"""\
apiVersion: tabard/v1
kind: Account
owner:
  name: PC One
  email: one@glos.police.uk
operators:
  - name: A
    mfa: true
  - {name: B, mfa: false}
base: &base
  mfa: true
  role: publisher
copy: *base
tags: [a, b, c]
empty: {}
after: 1
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param((), (1, 1, ()), id="document"),
        pytest.param(("kind",), (2, 7, ("kind",)), id="scalar-value"),
        pytest.param(("owner",), (3, 1, ("owner",)), id="block-mapping-at-its-key"),
        pytest.param(("owner", "email"), (5, 10, ("owner", "email")), id="nested-value"),
        pytest.param(("operators", 0), (7, 5, ("operators", 0)), id="list-item"),
        pytest.param(("operators", 0, "mfa"), (8, 10, ("operators", 0, "mfa")), id="in-item"),
        pytest.param(("operators", 1), (9, 5, ("operators", 1)), id="flow-item"),
        pytest.param(("operators", 1, "name"), (9, 12, ("operators", 1, "name")), id="flow-key"),
        pytest.param(("operators", 1, "mfa"), (9, 20, ("operators", 1, "mfa")), id="flow-value"),
        pytest.param(("tags", 2), (14, 14, ("tags", 2)), id="flow-sequence-item"),
        pytest.param(("copy",), (13, 1, ("copy",)), id="aliased-mapping-at-its-key"),
        pytest.param(("copy", "role"), (12, 9, ("copy", "role")), id="through-alias"),
        pytest.param(("base", "role"), (12, 9, ("base", "role")), id="anchored"),
        pytest.param(("empty",), (15, 1, ("empty",)), id="empty-mapping-at-its-key"),
        pytest.param(("tags",), (14, 1, ("tags",)), id="flow-list-at-its-key"),
        pytest.param(("after",), (16, 8, ("after",)), id="after-everything"),
    ],
)
def test_locate_existing(path: tuple[str | int, ...], expected: tuple[Any, ...]) -> None:
    (document,) = load_documents(_MANIFEST)
    assert locate(document, path) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param(("missing",), (1, 1, ()), id="top-level-key-at-document-start"),
        pytest.param(("owner", "phone"), (3, 1, ("owner",)), id="at-parent-key"),
        pytest.param(("owner", "phone", "x"), (3, 1, ("owner",)), id="deeper"),
        pytest.param(("kind", "x"), (2, 1, ("kind",)), id="below-a-scalar"),
        pytest.param(("operators", 5), (6, 1, ("operators",)), id="index-out-of-range"),
        pytest.param(("operators", "x"), (6, 1, ("operators",)), id="key-of-a-list"),
        pytest.param(("tags", 3), (14, 1, ("tags",)), id="flow-index-out-of-range"),
        pytest.param(("copy", "zzz"), (13, 1, ("copy",)), id="below-an-alias"),
        pytest.param(("empty", "x"), (15, 1, ("empty",)), id="in-empty-mapping"),
    ],
)
def test_locate_absent_is_at_the_nearest_parent_key(
    path: tuple[str | int, ...], expected: tuple[Any, ...]
) -> None:
    (document,) = load_documents(_MANIFEST)
    assert locate(document, path) == expected


def test_locate_absent_key_in_a_list_item_is_at_the_item() -> None:
    # operators[1] exists and has no key of its own: its nearest position is the item
    # itself (line 9), not the `operators:` key two items up (line 6).
    (document,) = load_documents(_MANIFEST)
    assert locate(document, ("operators", 1, "zzz")) == (9, 5, ("operators", 1))


def test_locate_counts_characters_not_bytes() -> None:
    (document,) = load_documents("x: {a: ééé, b: 1}\ny: [Siân, Dŵr, z]\n".encode())
    assert locate(document, ("x", "b")) == (1, 16, ("x", "b"))
    assert locate(document, ("y", 2)) == (2, 16, ("y", 2))


def test_locate_in_flow_mapping_over_several_lines() -> None:
    (document,) = load_documents(
        b"security: {mfa: {enabled: true,\n    method: sms}, shared: no}\n"
    )
    assert locate(document, ("security", "mfa", "method")) == (
        2,
        13,
        ("security", "mfa", "method"),
    )
    assert locate(document, ("security", "shared")) == (2, 27, ("security", "shared"))
    assert document.data["security"]["shared"] == "no"


# --- line breaks and large positions -----------------------------------------------------------

_ODD = ["\x85", "\u2028", "\u2029"]  # NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR


@pytest.mark.parametrize("odd", _ODD, ids=["nel", "ls", "ps"])
@pytest.mark.parametrize(
    ("written", "value", "line"),
    [
        pytest.param('"a{odd}b"', "a{odd}b", 2, id="double-quoted"),
        pytest.param("'a{odd}b'", "a{odd}b", 2, id="single-quoted"),
        pytest.param("a{odd}b", "a{odd}b", 2, id="plain"),
        pytest.param(">\n  a{odd}b\n  c", "a{odd}b c\n", 4, id="folded"),
        pytest.param("|\n  a{odd}b\n  c", "a{odd}b\nc\n", 4, id="literal"),
    ],
)
def test_nel_and_unicode_separators_are_not_line_breaks(
    odd: str, written: str, value: str, line: int
) -> None:
    """YAML 1.2, editors, git and SARIF break lines only at \\n, \\r\\n and \\r."""
    raw = f"x: {written.format(odd=odd)}\nafter: [1, é]\n".encode()
    (document,) = load_documents(raw)
    assert document.data == {"x": value.format(odd=odd), "after": [1, "é"]}
    assert locate(document, ("after", 1)) == (line, 12, ("after", 1))


def test_columns_after_a_separator_count_it_as_one_character() -> None:
    (document,) = load_documents("{k: 'a\u2028b', z: 1}\n".encode())
    assert locate(document, ("z",), key=True) == (1, 12, ("z",))
    assert locate(document, ("z",)) == (1, 15, ("z",))


def test_a_separator_does_not_end_a_block_early() -> None:
    # libyaml alone rejects this four-line file at line 5 ("could not find expected ':'").
    raw = "notes: >\n  one\u2028two\n  three\nnext: 1\n".encode()
    (document,) = load_documents(raw)
    assert document.data == {"notes": "one\u2028two three\n", "next": 1}
    assert locate(document, ("next",)) == (4, 7, ("next",))


def test_stand_in_characters_already_in_the_file_are_kept() -> None:
    text = "a: \ufdd0\ufdd1\u2028\ufdd2\u0085\nb: 1\n"
    (document,) = load_documents(text.encode())
    assert document.data == {"a": "\ufdd0\ufdd1\u2028\ufdd2\u0085", "b": 1}
    assert locate(document, ("b",)) == (2, 4, ("b",))


def test_a_file_holding_every_stand_in_is_refused_not_misplaced() -> None:
    every = "".join(chr(code) for code in range(0xFDD0, 0xFDF0))
    error = _error(f"a: '{every}'\nb: '\u2028'\n".encode())
    assert (error.message, error.line, error.column) == (
        "the file holds NEL, U+2028 or U+2029 together with every character from U+FDD0 to "
        "U+FDEF, which tabard cannot read; remove the U+FDD0 to U+FDEF characters",
        1,
        1,
    )
    (document,) = load_documents(f"a: '{every[3:]}'\nb: '\u2028\x85\u2029'\n".encode())
    assert document.data == {"a": every[3:], "b": "\u2028\x85\u2029"}


def test_separators_in_keys_and_messages_are_shown_as_written() -> None:
    (document,) = load_documents("k\u2028ey: 1\n".encode())
    assert document.data == {"k\u2028ey": 1}
    error = _error("k\u2028: 1\nk\u2028: 2\n".encode())
    assert (error.message, error.line, error.column) == (
        "duplicate key 'k\\u2028' (first on line 1); YAML keeps only one of them, so remove "
        "or rename one",
        2,
        1,
    )
    error = _error("a: \x85\nb: [\x85\n".encode())
    assert (error.line, error.column) == (3, 1)


def test_columns_past_4095_are_exact() -> None:
    raw = f"x: {{pad: {'y' * 5000}, b: 1}}\n".encode()
    (document,) = load_documents(raw)
    assert locate(document, ("x", "b"), key=True) == (1, 5012, ("x", "b"))
    assert locate(document, ("x", "b")) == (1, 5015, ("x", "b"))
    assert locate(document, ("x", "pad")) == (1, 10, ("x", "pad"))


def test_lines_past_two_to_the_twentieth_are_exact() -> None:
    lines_before = 1 << 20
    raw = b"\n" * lines_before + b"a: 1\nb: [x, y]\nb: 2\n"
    error = _error(raw)
    assert error.message == (
        f"duplicate key 'b' (first on line {lines_before + 2}); YAML keeps only one of them, "
        "so remove or rename one"
    )
    assert (error.line, error.column) == (lines_before + 3, 1)
    (document,) = load_documents(raw[:-5])
    assert locate(document, ("b", 1)) == (lines_before + 2, 8, ("b", 1))
    assert (document.line, document.column) == (lines_before + 1, 1)
