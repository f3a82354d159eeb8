"""Field paths (docs/policy-language.md "Paths"): parsing, resolving, formatting."""

from __future__ import annotations

from typing import Any

import pytest

from tabard.language.paths import (
    ABSENT,
    WILDCARD,
    Filter,
    PathSyntaxError,
    Placeholder,
    compile_many,
    compile_single,
    format_path,
    parse_path,
)

# --- parse_path ---------------------------------------------------------------------------


def _placeholder(text: str) -> Placeholder:
    return Placeholder(parse_path(text))


@pytest.mark.parametrize(
    ("text", "steps", "absolute"),
    [
        pytest.param("owner", ("owner",), False, id="one-key"),
        pytest.param("owner.email", ("owner", "email"), False, id="dotted"),
        pytest.param("operators[*].mfa", ("operators", WILDCARD, "mfa"), False, id="wildcard"),
        pytest.param("objectives[0].id", ("objectives", 0, "id"), False, id="index"),
        pytest.param("a[0][12]", ("a", 0, 12), False, id="two-indexes"),
        pytest.param("a[*][*]", ("a", WILDCARD, WILDCARD), False, id="two-wildcards"),
        pytest.param("x-glos-kennel.code", ("x-glos-kennel", "code"), False, id="x-key"),
        pytest.param("a_b.c-d.9e", ("a_b", "c-d", "9e"), False, id="key-characters"),
        pytest.param("$.owner.email", ("owner", "email"), True, id="absolute"),
        pytest.param("$", (), True, id="root"),
        pytest.param(
            "handle_patterns.{account_type}",
            ("handle_patterns", _placeholder("account_type")),
            False,
            id="placeholder",
        ),
        pytest.param(
            "a.{ area.code }.b",
            ("a", _placeholder("area.code"), "b"),
            False,
            id="spaced-placeholder",
        ),
        pytest.param(
            "objectives[status=active].id",
            ("objectives", Filter("status", "active"), "id"),
            False,
            id="filter",
        ),
        pytest.param(
            "operators[ role = admin ]", ("operators", Filter("role", "admin")), False, id="spaces"
        ),
        pytest.param(
            'operators[name="PC One"]', ("operators", Filter("name", "PC One")), False, id="dquoted"
        ),
        pytest.param(
            "operators[name='a.b']", ("operators", Filter("name", "a.b")), False, id="squoted"
        ),
        pytest.param(
            "operators[role={owner.role}]",
            ("operators", Filter("role", _placeholder("owner.role"))),
            False,
            id="filter-placeholder",
        ),
    ],
)
def test_parse_accepts(text: str, steps: tuple[Any, ...], absolute: bool) -> None:
    path = parse_path(text)
    assert path.steps == steps
    assert path.absolute is absolute
    assert path.text == text
    assert str(path) == text


@pytest.mark.parametrize(
    ("text", "wildcard", "placeholder"),
    [
        pytest.param("owner.email", False, False, id="plain"),
        pytest.param("a[0]", False, False, id="index"),
        pytest.param("a[*]", True, False, id="wildcard"),
        pytest.param("a[k=v]", True, False, id="filter"),
        pytest.param("a.{b}", False, True, id="placeholder"),
        pytest.param("a[k={b}]", True, False, id="placeholder-in-filter"),
    ],
)
def test_path_properties(text: str, wildcard: bool, placeholder: bool) -> None:
    path = parse_path(text)
    assert path.has_wildcard is wildcard
    assert path.has_placeholder is placeholder


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("", "a path must be a non-empty string such as 'owner.email'", id="empty"),
        pytest.param("  ", "a path must be a non-empty string such as 'owner.email'", id="blank"),
        pytest.param(5, "a path must be a non-empty string such as 'owner.email'", id="number"),
        pytest.param(None, "a path must be a non-empty string such as 'owner.email'", id="null"),
        pytest.param("a..b", "empty step in path 'a..b'", id="double-dot"),
        pytest.param(".a", "empty step in path '.a'", id="leading-dot"),
        pytest.param("a.", "path 'a.' ends with '.'", id="trailing-dot"),
        pytest.param("$.", "path '$.' ends with '.'", id="bare-absolute"),
        pytest.param("[0]", "'[' must follow a key in path '[0]'", id="leading-index"),
        pytest.param("a.[0]", "'[' must follow a key in path 'a.[0]'", id="dot-index"),
        pytest.param("a[0]b", "missing '.' before 'b' in path 'a[0]b'", id="no-dot-after-index"),
        pytest.param("a{b}", "missing '.' before '{b}' in path 'a{b}'", id="glued-placeholder"),
        pytest.param("a b", "unexpected ' ' at character 2 of path 'a b'", id="space"),
        pytest.param("a[-1]", "unexpected '[' at character 2 of path 'a[-1]'", id="negative"),
        pytest.param("a[x]", "unexpected '[' at character 2 of path 'a[x]'", id="name-index"),
        pytest.param("a[*", "unexpected '[' at character 2 of path 'a[*'", id="unclosed"),
        pytest.param("a]", "unexpected ']' at character 2 of path 'a]'", id="stray-bracket"),
        pytest.param("a.*", "unexpected '*' at character 3 of path 'a.*'", id="bare-star"),
        pytest.param("$a", "unexpected '$' at character 1 of path '$a'", id="dollar-key"),
        pytest.param("a.{}", "unexpected '{' at character 3 of path 'a.{}'", id="empty-braces"),
        pytest.param("a[k=]", "empty value in filter [k=] of path 'a[k=]'", id="empty-filter"),
        pytest.param(
            'a[k=""]', "empty value in filter [k=] of path 'a[k=\"\"]'", id="quoted-empty"
        ),
    ],
)
def test_parse_rejects(text: Any, message: str) -> None:
    with pytest.raises(PathSyntaxError) as caught:
        parse_path(text)
    assert str(caught.value) == message


# --- compile_single -----------------------------------------------------------------------

_DOCUMENT: dict[str, Any] = {
    "owner": {"email": "a@glos.police.uk", "role": "admin"},
    "operators": [
        {"name": "A", "mfa": True, "role": "admin"},
        {"name": "B", "mfa": False, "role": "publisher"},
        {"name": "C", "mfa": "true", "role": "admin"},
        "not a mapping",
    ],
    "empty": [],
    "text": "x",
    "patterns": {"admin": "^A", "1": "one", "corporate": "^C"},
    "number": 1,
    "account_type": "corporate",
    "nothing": None,
}


def _single(text: str, node: Any = _DOCUMENT) -> Any:
    return compile_single(parse_path(text))(node, _DOCUMENT)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("text", "x", id="one-key"),
        pytest.param("owner.email", "a@glos.police.uk", id="two-keys"),
        pytest.param("operators[1].name", "B", id="index-then-key"),
        pytest.param("operators[0]", _DOCUMENT["operators"][0], id="index"),
        pytest.param("operators[3]", "not a mapping", id="last-index"),
        pytest.param("nothing", None, id="null-is-not-absent"),
        pytest.param("empty", [], id="empty-list"),
        pytest.param("patterns.{account_type}", "^C", id="placeholder"),
        pytest.param("patterns.{owner.role}", "^A", id="dotted-placeholder"),
        pytest.param("patterns.{number}", "one", id="number-placeholder-as-text"),
        pytest.param("$.text", "x", id="absolute"),
    ],
)
def test_single_resolves(text: str, expected: Any) -> None:
    assert _single(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("missing", id="missing-key"),
        pytest.param("owner.phone", id="missing-nested-key"),
        pytest.param("owner.email.domain", id="below-a-string"),
        pytest.param("operators[4]", id="index-out-of-range"),
        pytest.param("operators[40].name", id="far-out-of-range"),
        pytest.param("empty[0]", id="index-of-empty-list"),
        pytest.param("text[0]", id="index-of-a-string"),
        pytest.param("operators.0", id="key-of-a-list"),
        pytest.param("owner[0]", id="index-of-a-mapping"),
        pytest.param("operators[3].name", id="key-of-a-string-item"),
        pytest.param("patterns.{missing}", id="placeholder-absent"),
        pytest.param("patterns.{operators}", id="placeholder-not-a-scalar"),
        pytest.param("patterns.{nothing}", id="placeholder-null"),
        pytest.param("nothing.x", id="below-null"),
    ],
)
def test_single_absent(text: str) -> None:
    assert _single(text) is ABSENT


def test_absent_is_falsy_and_shows_itself() -> None:
    assert not ABSENT
    assert repr(ABSENT) == "<absent>"


def test_relative_and_absolute_paths_from_an_item() -> None:
    item = {"text": "inner"}
    assert _single("text", node=item) == "inner"
    assert _single("$.text", node=item) == "x"


def test_single_on_a_non_mapping_document() -> None:
    resolve = compile_single(parse_path("a.b"))
    assert resolve(["a"], ["a"]) is ABSENT
    assert resolve("text", "text") is ABSENT


# --- compile_many -------------------------------------------------------------------------


def _many(text: str) -> list[tuple[tuple[str | int, ...], Any]]:
    return compile_many(parse_path(text))(_DOCUMENT, _DOCUMENT)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "operators[*].name",
            [
                (("operators", 0, "name"), "A"),
                (("operators", 1, "name"), "B"),
                (("operators", 2, "name"), "C"),
                (("operators", 3, "name"), ABSENT),
            ],
            id="every-item",
        ),
        pytest.param(
            "operators[mfa=true].name",
            [(("operators", 0, "name"), "A"), (("operators", 2, "name"), "C")],
            id="filter-compares-as-text",
        ),
        pytest.param(
            "operators[role=admin].name",
            [(("operators", 0, "name"), "A"), (("operators", 2, "name"), "C")],
            id="filter",
        ),
        pytest.param(
            'operators[role="publisher"].name',
            [(("operators", 1, "name"), "B")],
            id="quoted-filter",
        ),
        pytest.param(
            "operators[role={owner.role}].name",
            [(("operators", 0, "name"), "A"), (("operators", 2, "name"), "C")],
            id="filter-placeholder",
        ),
        pytest.param("operators[role=nobody].name", [], id="filter-matches-nothing"),
        pytest.param("operators[role={missing}].name", [], id="filter-placeholder-absent"),
        pytest.param("empty[*]", [], id="empty-list-gives-no-items"),
        pytest.param("empty[*].x", [], id="empty-list-deeper"),
        pytest.param("missing[*]", [(("missing",), ABSENT)], id="missing-list-is-one-absent"),
        pytest.param("missing[*].x", [(("missing",), ABSENT)], id="missing-list-deeper"),
        pytest.param("missing[k=v]", [(("missing",), ABSENT)], id="missing-list-filter"),
        pytest.param("text[*]", [(("text",), ABSENT)], id="not-a-list"),
        pytest.param("owner.email", [(("owner", "email"), "a@glos.police.uk")], id="no-wildcard"),
        pytest.param("operators[1].mfa", [(("operators", 1, "mfa"), False)], id="index"),
        pytest.param("operators[9].mfa", [(("operators", 9), ABSENT)], id="out-of-range"),
        pytest.param("$.operators[0].name", [(("operators", 0, "name"), "A")], id="absolute"),
    ],
)
def test_many_resolves(text: str, expected: list[tuple[Any, Any]]) -> None:
    assert _many(text) == expected


def test_many_wildcard_over_items() -> None:
    assert _many("operators[*]") == [
        (("operators", index), item) for index, item in enumerate(_DOCUMENT["operators"])
    ]


def test_nested_wildcards() -> None:
    document = {"a": [{"b": [1, 2]}, {"b": []}, {"b": [3]}]}
    resolve = compile_many(parse_path("a[*].b[*]"))
    assert resolve(document, document) == [
        (("a", 0, "b", 0), 1),
        (("a", 0, "b", 1), 2),
        (("a", 2, "b", 0), 3),
    ]


def test_compiled_resolvers_are_reused() -> None:
    path = parse_path("operators[*].mfa")
    assert compile_many(path) is compile_many(parse_path("operators[*].mfa"))
    assert compile_single(parse_path("owner.email")) is compile_single(parse_path("owner.email"))


# --- format_path --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text"),
    [
        pytest.param(("operators", 1, "mfa"), "operators[1].mfa", id="index"),
        pytest.param(("owner", "email"), "owner.email", id="keys"),
        pytest.param(("a", 0, 1, "b"), "a[0][1].b", id="two-indexes"),
        pytest.param(("x-a",), "x-a", id="one-key"),
        pytest.param((), "", id="empty"),
    ],
)
def test_format_path(path: tuple[str | int, ...], text: str) -> None:
    assert format_path(path) == text


def test_format_path_round_trips() -> None:
    for text in ("operators[1].mfa", "a[0][1].b", "owner.email"):
        steps = tuple(step for step in parse_path(text).steps if isinstance(step, str | int))
        assert format_path(steps) == text
