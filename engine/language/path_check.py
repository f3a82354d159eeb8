"""Check every field path a rule reads against the JSON Schema of the kind it reads.

A misspelt path (``securty.shared_login``) resolves to nothing, so a rule that reads
it never fires: the policy compiles and checks nothing.  This module walks a rule's
parsed conditions (:mod:`tabard.language.tree`) and its message placeholders and
raises :class:`CompileError` at the first path the schema does not allow, with a
"did you mean" from the keys that were valid where the path went wrong.

Keys starting with ``x-`` are always allowed (forces keep their own data there), and
so is anything below a value the schema leaves free-form (``{}``, ``type: object``
without properties, ``additionalProperties: true``).
"""

from __future__ import annotations

from typing import Final

from tabard.language import tree
from tabard.language.messages import Message
from tabard.language.paths import (
    Concrete,
    FieldPath,
    Filter,
    Placeholder,
    Step,
)
from tabard.language.schema_paths import path_problem, render
from tabard.language.tree import CompileError
from tabard.record import Record
from tabard.suggest import closest

#: Placeholders of a message that are not document paths.
RESERVED_PLACEHOLDERS: Final = frozenset({"field", "value"})
# --- walking a rule -----------------------------------------------------------------------


class _Place(Record):
    """What a path is read from: a *kind* document, below *prefix* (inside ``satisfies``).

    *document* is the kind of the document being checked, which ``{placeholders}``
    and filters with ``{placeholders}`` read.
    """

    _fields = ("kind", "prefix", "document")
    __slots__ = _fields
    kind: str
    prefix: tuple[Step, ...]
    document: str

    def __init__(self, kind: str, prefix: tuple[Step, ...] = (), document: str = "Account") -> None:
        self._fill(kind, prefix, document)


def _check(ref: tree.FieldRef, place: _Place) -> None:
    path = ref.path
    if path.absolute:  # `$.` starts at the root of the document being checked
        place = _Place(place.document, (), place.document)
    prefix = place.prefix
    _check_placeholders(path, ref.at, place)
    problem = path_problem(place.kind, (*prefix, *path.steps))
    if problem is None:
        return
    if problem.index < len(prefix):
        return  # the prefix (a `satisfies` subject) is checked, and reported, on its own
    index = problem.index - len(prefix)
    steps = path.steps
    text = path.text
    hint = None
    failed = steps[index]
    wrong = failed.key if isinstance(failed, Filter) else failed
    if isinstance(wrong, str) and problem.keys:
        close = closest(wrong, problem.keys)
        if close:
            fixed: Step = Filter(close, failed.value) if isinstance(failed, Filter) else close
            suggestion = render((*steps[:index], fixed, *steps[index + 1 :]))
            hint = f"did you mean {('$.' if path.absolute else '') + suggestion!r}?"
    if hint is None:
        hint = problem.fix or (
            f"`tabard schema {place.kind}` lists the fields of {place.kind} documents"
        )
    inside = f" (inside {render(place.prefix)!r})" if place.prefix and not path.absolute else ""
    raise CompileError(
        ref.at, f"unknown field {text!r} in {place.kind} documents{inside}: {problem.reason}", hint
    )


def _check_placeholders(path: FieldPath, at: Concrete, place: _Place) -> None:
    """``{placeholders}`` take their key from the root of the document being checked."""
    for step in path.steps:
        inner = step.path if isinstance(step, Placeholder) else None
        if isinstance(step, Filter) and isinstance(step.value, Placeholder):
            inner = step.value.path
        if inner is not None:
            _check(tree.FieldRef(inner, at), _Place(place.document, (), place.document))


def _check_reference(reference: tree.Reference | tree.Subject, place: _Place) -> None:
    if isinstance(reference, tree.FieldRef):
        _check(reference, place)
    elif isinstance(reference, tree.Lookup):
        _check(reference.field, _Place(reference.kind, (), place.document))
    elif isinstance(reference, tree.Ref):
        _check(reference.by, place)
        _check(reference.field, _Place(reference.kind, (), place.document))
    else:
        _check_group_paths(reference.same, reference.kind, place)
        _check_where(reference.where, reference.kind)


def _check_group_paths(paths: tuple[tree.FieldRef, ...], kind: str, place: _Place) -> None:
    """Group paths are read from the other documents and from the one being checked."""
    for ref in paths:
        _check(ref, _Place(kind, (), kind))
        _check(ref, _Place(place.document, (), place.document))


def _check_where(where: tree.Condition | None, kind: str) -> None:
    if where is not None:
        check_condition(where, _Place(kind, (), kind))


def check_condition(node: tree.Condition, place: _Place) -> None:
    """Raise CompileError at the first path in *node* that *place*'s schema does not allow."""
    if isinstance(node, tree.Not):
        check_condition(node.child, place)
    elif isinstance(node, tree.Leaf):
        _check_leaf(node, place)
    else:
        for child in node.children:
            check_condition(child, place)


def _check_leaf(leaf: tree.Leaf, place: _Place) -> None:
    if leaf.subject is not None:
        _check_reference(leaf.subject, place)
    argument = leaf.argument
    if isinstance(argument, tree.FieldRef | tree.Lookup | tree.Ref | tree.Count):
        _check_reference(argument, place)
    elif isinstance(argument, tree.ExistsIn):
        _check(argument.field, _Place(argument.kind, (), argument.kind))
        _check_group_paths(argument.same, argument.kind, place)
        _check_where(argument.where, argument.kind)
    elif isinstance(argument, tree.Group):
        _check_group_paths(argument.within, place.document, place)
        _check_where(argument.where, place.document)
        if argument.count is not None and not isinstance(argument.count, int):
            _check_reference(argument.count, place)
    elif leaf.operator == "satisfies":
        check_condition(argument, _items_of(leaf.subject, place))


def _items_of(subject: tree.Subject | None, place: _Place) -> _Place:
    """Where the paths inside ``satisfies`` are read: below its subject."""
    if isinstance(subject, tree.Lookup) and subject.field.path.has_wildcard:
        # The lookup hands `satisfies` one list of every value found: a field path
        # inside would read a key of that list and never resolve.
        raise CompileError(
            subject.field.at,
            f"satisfies on a lookup of {subject.field.path.text!r} tests one list of every "
            "value found, so no field inside it can ever be read",
            "look up the list without [*] or a filter and test it with an operator such as "
            "`contains`, or use satisfies on a field of the document",
        )
    if isinstance(subject, tree.Lookup | tree.Ref):
        return _Place(subject.kind, subject.field.path.steps, place.document)
    assert subject is not None  # the parser rejects satisfies without a subject
    if isinstance(subject, tree.FieldRef) and subject.path.absolute:
        return _Place(place.document, subject.path.steps, place.document)
    assert isinstance(subject, tree.FieldRef)
    return _Place(place.kind, (*place.prefix, *subject.path.steps), place.document)


def check_message(message: Message, at: Concrete, kind: str) -> None:
    """Message ``{placeholders}`` name fields of the document being checked."""
    for part in message.parts:
        if isinstance(part, FieldPath) and part.text not in RESERVED_PLACEHOLDERS:
            _check(tree.FieldRef(part, at), _Place(kind, (), kind))


def check_paths(
    kind: str,
    when: tree.Condition | None,
    check: tree.Condition,
    message: Message,
    message_at: Concrete,
) -> None:
    """Check every path a rule on *kind* documents reads; raise CompileError at the first
    unknown one."""
    place = _Place(kind, (), kind)
    if when is not None:
        check_condition(when, place)
    check_condition(check, place)
    check_message(message, message_at, kind)
