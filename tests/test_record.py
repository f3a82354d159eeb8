"""Record: the condition tree's nodes keep what the frozen dataclasses gave them."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from tabard.language.paths import parse_path
from tabard.language.tree import AllOf, AnyOf, FieldRef, Not


def _ref(text: str) -> FieldRef:
    return FieldRef(parse_path(text), ("rules", 0))


def test_equal_fields_make_equal_nodes_with_equal_hashes() -> None:
    assert _ref("handle") == _ref("handle")
    assert hash(_ref("handle")) == hash(_ref("handle"))
    assert _ref("handle") != _ref("platform")
    assert {_ref("handle"), _ref("handle")} == {_ref("handle")}


def test_nodes_of_different_classes_are_never_equal() -> None:
    assert AllOf((), ("x",)) != AnyOf((), ("x",))
    assert AllOf((), ("x",)) != ((), ("x",))


def test_repr_names_the_class_and_every_field_in_order() -> None:
    node = Not(AllOf((), ("a",)), ("b",))
    assert repr(node) == "Not(child=AllOf(children=(), at=('a',)), at=('b',))"


def test_nodes_are_frozen_and_have_no_dict() -> None:
    node = _ref("handle")
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'at'"):
        node.at = ("elsewhere",)
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'at'"):
        del node.at
    assert not hasattr(node, "__dict__")
