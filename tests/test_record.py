"""Record: the condition tree's nodes keep what the frozen dataclasses gave them."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from tabard.language.paths import parse_path
from tabard.language.tree import AllOf, AnyOf, FieldRef, Not
from tabard.record import Record


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


class _Pair(Record):
    _fields = ("left", "right")
    __slots__ = _fields

    def __init__(self, *values: object) -> None:
        self._fill(*values)


class _Loose(Record):
    """Fields without slots (a ``__dict__``): filled through ``object.__setattr__``."""

    _fields = ("left",)

    def __init__(self, left: object) -> None:
        self._fill(left)


def test_fill_takes_exactly_one_value_per_field() -> None:
    assert (_Pair(1, 2).left, _Pair(1, 2).right) == (1, 2)
    with pytest.raises(ValueError, match="zip"):
        _Pair(1)
    with pytest.raises(ValueError, match="zip"):
        _Pair(1, 2, 3)


def test_a_record_without_slots_is_filled_and_still_frozen() -> None:
    loose = _Loose("x")
    assert loose.left == "x"
    assert loose == _Loose("x")
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'left'"):
        loose.left = "y"


def test_a_subclass_of_a_record_class_fills_the_parent_slots() -> None:
    node = AnyOf((_ref("a"),), ("at",))
    assert node.children == (_ref("a"),)
    assert node.at == ("at",)
