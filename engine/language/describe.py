"""Conditions in plain words, for ``tabard explain`` and the generated rule docs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tabard.language.compiler import COMBINATORS, LEAF_OPTIONS, REFERENCES, SUBJECTS
from tabard.language.operators import Operator
from tabard.language.values import show

_QUANTIFIER = {"all": "every", "any": "at least one", "none": "no"}


def _reference(raw: Any) -> str | None:
    if not (isinstance(raw, dict) and len(raw) == 1 and next(iter(raw)) in REFERENCES):
        return None
    ((kind, spec),) = raw.items()
    if kind == "field":
        return f"the document's {spec}"
    if kind == "lookup":
        default = f" (default {show(spec['default'])})" if "default" in spec else ""
        return f"the force's {spec.get('kind')} {spec.get('field')}{default}"
    if kind == "ref":
        return f"{spec.get('field')} of the {spec.get('kind')} named by {spec.get('by')}"
    same = ", ".join(spec.get("same", []))
    where = " matching a condition" if "where" in spec else ""
    return f"the number of {spec.get('kind')} documents{where}" + (
        f" with the same {same}" if same else ""
    )


def _argument(raw: Any) -> str:
    if isinstance(raw, str):
        return f"'{raw}'"  # as written: a pattern reads better without escaped backslashes
    return _reference(raw) or show(raw)


def _subject(node: Mapping[str, Any]) -> str:
    if "field" in node:
        field = str(node["field"])
        if "[*]" in field:
            return f"{_QUANTIFIER[node.get('for', 'all')]} {field}"
        return field
    if "lookup" in node:
        spec = node["lookup"]
        return f"the force's {spec.get('kind')} {spec.get('field')}"
    if "ref" in node:
        spec = node["ref"]
        return f"{spec.get('field')} of the {spec.get('kind')} named by {spec.get('by')}"
    return "the document"


def _collection(name: str, raw: Any, subject: str) -> str:
    spec = raw if isinstance(raw, dict) else {}
    within = ", ".join(spec.get("within", []))
    group = f" with the same {within}" if within else ""
    where = " (counting only documents that match a condition)" if "where" in spec else ""
    if name == "exists_in":
        same = ", ".join(spec.get("same", []))
        return (
            f"{subject} is one of the values of {spec.get('field')} in {spec.get('kind')} "
            f"documents" + (f" with the same {same}" if same else "") + where
        )
    if name == "unique":
        return f"no other document{group} has the same {subject}{where}"
    return (
        f"at most {_argument(spec.get('count'))} documents{group} share the same {subject}{where}"
    )


def describe(node: Any, operators: Mapping[str, Operator], indent: int = 0) -> list[str]:
    """Lines describing *node*, indented two spaces per level."""
    pad = "  " * indent
    if not isinstance(node, dict):
        return [f"{pad}{show(node)}"]
    for key in COMBINATORS:
        if key in node:
            if key == "not":
                return [f"{pad}not:", *describe(node["not"], operators, indent + 1)]
            head = {"all": "all of:", "any": "any of:", "none": "none of:"}[key]
            lines = [f"{pad}{head}"]
            for item in node[key]:
                inner = describe(item, operators, indent + 2)
                lines.append(f"{pad}  - {inner[0].strip()}")
                lines.extend(inner[1:])
            return lines
    names = [
        k for k in node if k not in SUBJECTS and k not in LEAF_OPTIONS and not k.startswith("x-")
    ]
    if not names:
        return [f"{pad}(empty condition)"]
    name = names[0]
    subject = _subject(node)
    case = " (ignoring case)" if node.get("ignore_case") else ""
    if name == "satisfies":
        return [f"{pad}{subject} satisfies:", *describe(node[name], operators, indent + 1)]
    if name in ("exists_in", "unique", "at_most"):
        return [f"{pad}{_collection(name, node[name], subject)}{case}"]
    operator = operators.get(name)
    if operator is None:
        return [f"{pad}{subject} {name} {_argument(node[name])}"]
    if name in ("present", "empty") and node[name] is False:
        wording = "{field} is absent" if name == "present" else "{field} is not empty"
    else:
        wording = operator.wording
    return [f"{pad}{wording.format(field=subject, arg=_argument(node[name]))}{case}"]
