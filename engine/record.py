"""Small immutable records that cost nothing to define.

``@dataclass(frozen=True, slots=True)`` writes and compiles five or six methods per
class when its module is imported: about 3.4 million instructions a class, and the
condition tree alone has eleven classes, paid on every ``tabard check``
(docs/architecture.md, start-up).  A :class:`Record` subclass lists its fields in
``_fields`` and assigns them in a hand-written ``__init__`` with :meth:`_fill`; this
base gives it what the dataclass gave: equality and hashing over the fields in order,
the same ``repr`` and no assignment after construction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError
from types import MemberDescriptorType
from typing import Any


class Record:
    """Fields are the ``_fields`` of the subclass, in order; instances are frozen.

    A subclass sets ``__slots__ = _fields`` (no ``__dict__``, like ``slots=True``).
    """

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    #: The ``__set__`` of each field's slot, in ``_fields`` order: calling a slot's own
    #: setter skips the attribute look-up ``object.__setattr__`` makes for every field,
    #: and halves the cost of a record (about 1,900 are built on every check).
    _setters: tuple[Callable[[Any, Any], None], ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._setters = tuple(_slot_setter(cls, name) for name in cls._fields)

    def _fill(self, *values: Any) -> None:
        """Set every field, in ``_fields`` order (for the subclass's ``__init__``)."""
        for setter, value in zip(self._setters, values, strict=True):
            setter(self, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)  # for mypy: same class as self
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


def _slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """The setter of field *name*: its slot's, or a plain one for a class with a
    ``__dict__`` (a subclass that does not list its fields in ``__slots__``)."""
    slot = getattr(cls, name, None)
    if isinstance(slot, MemberDescriptorType):
        setter: Callable[[Any, Any], None] = slot.__set__
        return setter
    return lambda record, value: object.__setattr__(record, name, value)
