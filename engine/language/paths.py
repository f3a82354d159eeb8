"""Field paths: ``owner.email``, ``operators[*].mfa``, ``objectives[0].id``.

A path is parsed once into steps and compiled into a resolver.  Resolving never raises: a
step that does not apply gives :data:`ABSENT`.  A step may also be a placeholder,
``handle_patterns.{account_type}``, whose key is read from the document being checked, or a
filter, ``objectives[status=active]``, which keeps the items of a list whose key has that
value (``[id={avatar.asset}]`` compares with a value of the document).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any, Final, TypeAlias

from tabard.record import Record


class _Absent:
    """The value of a path that does not resolve."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<absent>"

    def __bool__(self) -> bool:
        return False


ABSENT: Final = _Absent()


class Wildcard:
    """The ``[*]`` step: every item of a list."""

    def __repr__(self) -> str:
        return "[*]"


WILDCARD: Final = Wildcard()


class Placeholder(Record):
    """A ``{path}`` step: the key is the value at *path* in the document."""

    _fields = ("path",)
    __slots__ = _fields
    path: FieldPath

    def __init__(self, path: FieldPath) -> None:
        self._fill(path)


class Filter(Record):
    """A ``[key=value]`` step: the items of a list whose *key* equals *value*."""

    _fields = ("key", "value")
    __slots__ = _fields
    key: str
    value: str | Placeholder

    def __init__(self, key: str, value: str | Placeholder) -> None:
        self._fill(key, value)

    def __repr__(self) -> str:
        shown = f"{{{self.value.path.text}}}" if isinstance(self.value, Placeholder) else self.value
        return f"[{self.key}={shown}]"


Step: TypeAlias = str | int | Wildcard | Placeholder | Filter
Concrete: TypeAlias = tuple[str | int, ...]


class PathSyntaxError(ValueError):
    pass


_TOKEN = re.compile(
    r"""
    (?P<name>[A-Za-z0-9_][A-Za-z0-9_-]*)
  | \[(?P<index>\*|[0-9]+)\]
  | \[\s*(?P<filter_key>[A-Za-z0-9_][A-Za-z0-9_-]*)\s*=\s*(?P<filter_value>\{[^{}]*\}|[^\]]*?)\s*\]
  | \{(?P<placeholder>[^{}]+)\}
  | (?P<dot>\.)
    """,
    re.VERBOSE,
)


class FieldPath(Record):
    """A parsed path; ``absolute`` paths (``$.a``) start at the document root."""

    _fields = ("text", "steps", "absolute", "has_wildcard", "has_placeholder", "reads_document")
    __slots__ = _fields
    text: str
    steps: tuple[Step, ...]
    absolute: bool
    #: Whether the path can reach several values (``[*]`` or a filter).
    has_wildcard: bool
    has_placeholder: bool
    #: Whether a step takes a value from the document being checked.
    reads_document: bool

    def __init__(self, text: str, steps: tuple[Step, ...], absolute: bool = False) -> None:
        # Worked out once: resolvers consult these on every evaluation.
        placeholder = any(isinstance(step, Placeholder) for step in steps)
        filters = [step for step in steps if isinstance(step, Filter)]
        wildcard = bool(filters) or any(step is WILDCARD for step in steps)
        placed = placeholder or any(isinstance(step.value, Placeholder) for step in filters)
        self._fill(text, steps, absolute, wildcard, placeholder, placed)

    # As the dataclass it was (the flags follow from the steps): paths key many caches.
    def __eq__(self, other: object) -> bool:
        if type(other) is not FieldPath:
            return NotImplemented
        return (self.text, self.steps, self.absolute) == (other.text, other.steps, other.absolute)

    def __hash__(self) -> int:
        return hash((self.text, self.steps, self.absolute))

    def __str__(self) -> str:
        return self.text


def parse_path(text: str) -> FieldPath:
    """Parse *text*; raise :class:`PathSyntaxError` naming the offending character."""
    if not isinstance(text, str) or not text.strip():
        raise PathSyntaxError("a path must be a non-empty string such as 'owner.email'")
    return _parse_text(text)


@cache
def _parse_text(text: str) -> FieldPath:
    """The parse of one path text, remembered: the rules of the built-in packs write
    about 950 paths, most of them many times (``platform``, ``account_type``, …), and a
    parsed path is immutable.  A path that does not parse raises every time."""
    absolute = False
    body = text
    if body == "$":
        return FieldPath(text, (), absolute=True)
    if body.startswith("$."):
        absolute, body = True, body[2:]
    steps: list[Step] = []
    position = 0
    expect_name = True
    while position < len(body):
        match = _TOKEN.match(body, position)
        if match is None:
            raise PathSyntaxError(
                f"unexpected {body[position]!r} at character {position + 1} of path {text!r}"
            )
        if match["dot"]:
            if expect_name:
                raise PathSyntaxError(f"empty step in path {text!r}")
            expect_name = True
        elif match["index"] is not None or match["filter_key"] is not None:
            if expect_name:
                raise PathSyntaxError(f"'[' must follow a key in path {text!r}")
            if match["filter_key"] is not None:
                steps.append(_filter(match["filter_key"], match["filter_value"].strip(), text))
            else:
                index = match["index"]
                steps.append(WILDCARD if index == "*" else int(index))
        else:
            if not expect_name:
                raise PathSyntaxError(f"missing '.' before {match[0]!r} in path {text!r}")
            if match["placeholder"] is not None:
                steps.append(Placeholder(parse_path(match["placeholder"].strip())))
            else:
                steps.append(match["name"])
            expect_name = False
        position = match.end()
    if expect_name:
        raise PathSyntaxError(f"path {text!r} ends with '.'")
    return FieldPath(text, tuple(steps), absolute)


def _filter(key: str, value: str, text: str) -> Filter:
    if value.startswith("{") and value.endswith("}"):
        return Filter(key, Placeholder(parse_path(value[1:-1].strip())))
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    if not value:
        raise PathSyntaxError(f"empty value in filter [{key}=] of path {text!r}")
    return Filter(key, value)


def format_path(path: Concrete) -> str:
    """``("operators", 1, "mfa")`` -> ``operators[1].mfa``."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        else:
            parts.append(f".{step}" if parts else step)
    return "".join(parts)


def _step(node: Any, step: str | int) -> Any:
    if type(node) is dict:
        return node.get(step, ABSENT) if isinstance(step, str) else ABSENT
    if type(node) is list and isinstance(step, int) and not isinstance(step, bool):
        return node[step] if -len(node) <= step < len(node) else ABSENT
    return ABSENT


def _concrete_steps(path: FieldPath, root: Any) -> tuple[str | int, ...] | None:
    """Replace placeholders by their keys; None when a placeholder is absent."""
    steps: list[str | int] = []
    for step in path.steps:
        if isinstance(step, Placeholder):
            key = resolve_value(step.path, root, root)
            if isinstance(key, bool) or not isinstance(key, str | int):
                return None
            steps.append(str(key))
        else:
            assert isinstance(step, str | int)
            steps.append(step)
    return tuple(steps)


def resolve_value(path: FieldPath, node: Any, root: Any) -> Any:
    """The single value at a wildcard-free *path* (ABSENT when it does not resolve)."""
    if path.absolute:
        node = root
    steps: tuple[Step, ...] | None = path.steps
    if path.has_placeholder:
        steps = _concrete_steps(path, root)
        if steps is None:
            return ABSENT
    return _walk(node, steps)  # type: ignore[arg-type]  # no placeholders or wildcards left


def _walk(node: Any, steps: tuple[str | int, ...]) -> Any:
    for step in steps:
        node = _step(node, step)
        if node is ABSENT:
            return ABSENT
    return node


Resolver: TypeAlias = Callable[[Any, Any], list[tuple[Concrete, Any]]]
SingleResolver: TypeAlias = Callable[[Any, Any], Any]


@cache
def compile_single(path: FieldPath) -> SingleResolver:
    """A fast ``(node, root) -> value`` function for a wildcard-free path."""
    if path.has_placeholder or path.absolute:
        return lambda node, root: resolve_value(path, node, root)
    keys = path.steps
    if len(keys) == 1 and isinstance(keys[0], str):
        (k1,) = keys

        def get1(node: Any, root: Any) -> Any:
            return node.get(k1, ABSENT) if type(node) is dict else ABSENT

        return get1
    if len(keys) == 2 and all(isinstance(k, str) for k in keys):
        k1, k2 = keys

        def get2(node: Any, root: Any) -> Any:
            if type(node) is dict:
                node = node.get(k1, ABSENT)
                if type(node) is dict:
                    return node.get(k2, ABSENT)
            return ABSENT

        return get2
    steps: tuple[str | int, ...] = keys  # type: ignore[assignment]  # plain keys and indexes
    return lambda node, root: _walk(node, steps)


@cache
def compile_many(path: FieldPath) -> Resolver:
    """A ``(node, root) -> [(concrete path, value), ...]`` function expanding ``[*]``.

    A list that is missing altogether gives one ABSENT item; an empty list
    gives no items.
    """
    fast = _list_of_keys(path)
    if fast is not None:
        return fast

    def expand(node: Any, root: Any) -> list[tuple[Concrete, Any]]:
        start: Any = root if path.absolute else node
        current: list[tuple[Concrete, Any]] = [((), start)]
        for step in path.steps:
            following: list[tuple[Concrete, Any]] = []
            for prefix, value in current:
                if value is ABSENT:
                    following.append((prefix, ABSENT))
                elif step is WILDCARD:
                    if type(value) is list:
                        following.extend(
                            ((*prefix, index), item) for index, item in enumerate(value)
                        )
                    else:
                        following.append((prefix, ABSENT))
                elif isinstance(step, Filter):
                    if type(value) is list:
                        wanted = _filter_value(step, root)
                        following.extend(
                            ((*prefix, index), item)
                            for index, item in enumerate(value)
                            if type(item) is dict and _filter_match(item.get(step.key), wanted)
                        )
                    else:
                        following.append((prefix, ABSENT))
                else:
                    if isinstance(step, Placeholder):
                        key = resolve_value(step.path, root, root)
                        if isinstance(key, bool) or not isinstance(key, str | int):
                            following.append((prefix, ABSENT))
                            continue
                        step_key: str | int = str(key)
                    else:
                        assert isinstance(step, str | int)
                        step_key = step
                    child = _step(value, step_key)
                    following.append(((*prefix, step_key), child))
            current = following
        return current

    return expand


def _list_of_keys(path: FieldPath) -> Resolver | None:
    """``a[*]`` and ``a[*].b`` (the commonest many-valued paths) without the general loop."""
    steps = path.steps
    if path.absolute or len(steps) not in (2, 3) or steps[1] is not WILDCARD:
        return None
    if not isinstance(steps[0], str) or (len(steps) == 3 and not isinstance(steps[2], str)):
        return None
    head = steps[0]
    if len(steps) == 2:

        def items(node: Any, root: Any) -> list[tuple[Concrete, Any]]:
            found = node.get(head, ABSENT) if type(node) is dict else ABSENT
            if type(found) is not list:
                return [((head,), ABSENT)]
            return [((head, index), item) for index, item in enumerate(found)]

        return items
    tail: str = steps[2]  # type: ignore[assignment]  # checked above

    def fields(node: Any, root: Any) -> list[tuple[Concrete, Any]]:
        found = node.get(head, ABSENT) if type(node) is dict else ABSENT
        if type(found) is not list:
            return [((head,), ABSENT)]
        return [
            ((head, index, tail), item.get(tail, ABSENT) if type(item) is dict else ABSENT)
            for index, item in enumerate(found)
        ]

    return fields


def _filter_value(step: Filter, root: Any) -> Any:
    if isinstance(step.value, Placeholder):
        return resolve_value(step.value.path, root, root)
    return step.value


def _filter_match(found: Any, wanted: Any) -> bool:
    """A filter compares as text: ``[mfa=true]`` matches ``mfa: true``.

    A placeholder that gives a list matches any of its items:
    ``objectives[id={strategy.objectives}]`` keeps the objectives an account cites.
    """
    if found is ABSENT or wanted is ABSENT or found is None:
        return False
    if isinstance(wanted, list):
        return any(_filter_match(found, item) for item in wanted)
    if isinstance(found, bool):
        found = "true" if found else "false"
    if isinstance(wanted, bool):
        wanted = "true" if wanted else "false"
    return str(found) == str(wanted)


def concrete_path(path: FieldPath, root: Any) -> Concrete:
    """The concrete path of a wildcard-free *path* (placeholders resolved)."""
    steps = _concrete_steps(path, root)
    if steps is None:
        # Point at the text before the first unresolved placeholder.
        prefix: list[str | int] = []
        for step in path.steps:
            if not isinstance(step, str | int):
                break
            prefix.append(step)
        return tuple(prefix)
    return steps
