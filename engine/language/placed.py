"""Values of a force document read through a path with placeholders, remembered.

``objectives[id={strategy.objectives}].allowed_platforms[*]`` is read from the force's
Strategy for every account of the force, by several rules each; what it gives depends
only on that Strategy and on the values its placeholders take from the account
(``strategy.objectives``), and accounts share a handful of those.  Remembering the answer
per (force document, placeholder values) also hands every account with the same answer
the same object, so an operator whose argument it is compiles that argument once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from tabard.language.paths import FieldPath, Filter, Placeholder, compile_single

#: Distinct placeholder values remembered per force document before starting afresh
#: (a bound on memory, far above what a force's accounts cite).
MAX_REMEMBERED: Final = 1024


def placeholder_paths(path: FieldPath) -> tuple[FieldPath, ...]:
    """The paths whose values (read from the document root) *path*'s placeholders and
    filters take: with the data it walks, the only other things its values depend on."""
    found: list[FieldPath] = []
    for step in path.steps:
        if isinstance(step, Placeholder):
            found.append(step.path)
        elif isinstance(step, Filter) and isinstance(step.value, Placeholder):
            found.append(step.value.path)
    return tuple(found)


def strict_key(value: Any) -> Any:
    """A hashable stand-in for a YAML value that two values share only when every path
    step and filter treats them alike: ``1``, ``1.0`` and ``True`` stay apart, and so
    do mappings whose keys come in another order (a filter compares their text)."""
    kind = type(value)
    if kind is str:
        return value
    if kind is list:
        return ("list", *[strict_key(item) for item in value])
    if kind is dict:
        return ("dict", *[(strict_key(k), strict_key(v)) for k, v in value.items()])
    return (kind, value)


Read = Callable[[Any, Any], Any]


def remembered(path: FieldPath, read: Read) -> Read:
    """``read(document, root)`` remembered per document and placeholder values.

    *read* must depend on *root* only through *path*'s placeholders, which rules out an
    absolute path (it starts at *root*): that one is returned as it is.  A path without
    placeholders is remembered per document alone.
    """
    # compile_single(p)(root, root) is resolve_value(p, root, root), without walking the
    # path's steps generically on every call.
    reads = tuple(compile_single(p) for p in placeholder_paths(path))
    if path.absolute:
        return read
    #: id(document) -> (document, placeholder values -> answer).  Holding the document
    #: keeps its id from being given to another while the entry lives.
    memo: dict[int, tuple[Any, dict[Any, Any]]] = {}

    def read_remembered(document: Any, root: Any) -> Any:
        key = tuple([strict_key(get(root, root)) for get in reads])
        held = memo.get(id(document))
        if held is None or held[0] is not document:
            held = memo[id(document)] = (document, {})
        answers = held[1]
        if key in answers:
            return answers[key]
        if len(answers) >= MAX_REMEMBERED:
            answers.clear()
        answer = answers[key] = read(document, root)
        return answer

    return read_remembered
