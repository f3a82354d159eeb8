"""Conditions in plain words, for ``tabard explain`` and the generated rule docs.

The words come from the parsed condition (:mod:`tabard.language.tree`), the same tree
the compiler compiles, so an explanation cannot contradict what a rule checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tabard.language import tree
from tabard.language.operators import Operator
from tabard.language.paths import ABSENT
from tabard.language.values import show

_QUANTIFIER = {"all": "every", "any": "at least one", "none": "no"}
_HEADS = {tree.AllOf: "all of:", tree.AnyOf: "any of:", tree.NoneOf: "none of:"}


def _paths(refs: tuple[tree.FieldRef, ...]) -> str:
    return ", ".join(ref.path.text for ref in refs)


def _reference(reference: tree.Reference | tree.Subject) -> str:
    if isinstance(reference, tree.FieldRef):
        return f"the document's {reference.path.text}"
    if isinstance(reference, tree.Lookup):
        default = "" if reference.default is ABSENT else f" (default {show(reference.default)})"
        return f"the force's {reference.kind} {reference.field.path.text}{default}"
    if isinstance(reference, tree.Ref):
        return (
            f"{reference.field.path.text} of the {reference.kind} named by {reference.by.path.text}"
        )
    same = _paths(reference.same)
    where = " matching a condition" if reference.where is not None else ""
    return f"the number of {reference.kind} documents{where}" + (
        f" with the same {same}" if same else ""
    )


def _argument(raw: Any) -> str:
    if isinstance(raw, str):
        return f"'{raw}'"  # as written: a pattern reads better without escaped backslashes
    if isinstance(raw, tree.FieldRef | tree.Lookup | tree.Ref | tree.Count):
        return _reference(raw)
    return show(raw)


def _subject(leaf: tree.Leaf) -> str:
    subject = leaf.subject
    if isinstance(subject, tree.FieldRef):
        if leaf.many:  # [*] or a filter: say which of the values must pass
            return f"{_QUANTIFIER[leaf.quantifier]} {subject.path.text}"
        return subject.path.text
    if isinstance(subject, tree.Lookup):
        return f"the force's {subject.kind} {subject.field.path.text}"
    if isinstance(subject, tree.Ref):
        return f"{subject.field.path.text} of the {subject.kind} named by {subject.by.path.text}"
    return "the document"


def _collection(argument: tree.ExistsIn | tree.Group, subject: str) -> str:
    where = (
        " (counting only documents that match a condition)" if argument.where is not None else ""
    )
    if isinstance(argument, tree.ExistsIn):
        same = _paths(argument.same)
        return (
            f"{subject} is one of the values of {argument.field.path.text} in {argument.kind} "
            f"documents" + (f" with the same {same}" if same else "") + where
        )
    within = _paths(argument.within)
    group = f" with the same {within}" if within else ""
    if argument.count is None:
        return f"no other document{group} has the same {subject}{where}"
    return f"at most {_argument(argument.count)} documents{group} share the same {subject}{where}"


def describe(node: tree.Condition, operators: Mapping[str, Operator], indent: int = 0) -> list[str]:
    """Lines describing the condition *node*, indented two spaces per level."""
    pad = "  " * indent
    if isinstance(node, tree.Not):
        return [f"{pad}not:", *describe(node.child, operators, indent + 1)]
    if not isinstance(node, tree.Leaf):
        lines = [f"{pad}{_HEADS[type(node)]}"]
        for child in node.children:
            inner = describe(child, operators, indent + 2)
            lines.append(f"{pad}  - {inner[0].strip()}")
            lines.extend(inner[1:])
        return lines
    return _describe_leaf(node, operators, pad, indent)


def _describe_leaf(
    leaf: tree.Leaf, operators: Mapping[str, Operator], pad: str, indent: int
) -> list[str]:
    name, argument = leaf.operator, leaf.argument
    subject = _subject(leaf)
    case = " (ignoring case)" if leaf.ignore_case else ""
    if name == "satisfies":
        return [f"{pad}{subject} satisfies:", *describe(argument, operators, indent + 1)]
    if isinstance(argument, tree.ExistsIn | tree.Group):
        return [f"{pad}{_collection(argument, subject)}{case}"]
    operator = operators.get(name)
    if operator is None:
        return [f"{pad}{subject} {name} {_argument(argument)}"]
    if name in ("present", "empty") and argument is False:
        wording = "{field} is absent" if name == "present" else "{field} is not empty"
    else:
        wording = operator.wording
    return [f"{pad}{wording.format(field=subject, arg=_argument(argument))}{case}"]
