"""Finding messages: ``"{id}: owner.email {value} is not a force address"``.

Placeholders are document paths (``{id}``, ``{handle}``, ``{area.code}``),
``{field}`` (the path of the finding) and ``{value}`` (the value there).
Findings travel to CI logs and shared reports, so messages never repeat
personal data: a template may not name a field that holds it, and
``{value}`` of such a field is withheld.
"""

from __future__ import annotations

import re
from typing import Any, Final

from tabard.language.paths import (
    Concrete,
    FieldPath,
    PathSyntaxError,
    format_path,
    parse_path,
    resolve_value,
)
from tabard.language.values import show
from tabard.record import Record

#: Parts of a manifest that hold people's details.
PERSONAL_ROOTS: Final = frozenset({"owner", "accountable_officer", "operators", "handover"})
#: Keys under those parts that describe a role, not a person.
IMPERSONAL_KEYS: Final = frozenset(
    {"role", "rank_or_grade", "status", "access_via", "mfa", "languages", "left_on"}
)
WITHHELD: Final = "(withheld: personal data)"

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def is_personal(path: Concrete) -> bool:
    """True for paths such as ``owner.email`` or ``operators[2]``."""
    if not path or path[0] not in PERSONAL_ROOTS:
        return False
    last = next((step for step in reversed(path) if isinstance(step, str)), None)
    return last not in IMPERSONAL_KEYS


class MessageError(ValueError):
    pass


class Message(Record):
    _fields = ("template", "parts")
    __slots__ = _fields
    template: str
    parts: tuple[str | FieldPath, ...]

    def __init__(self, template: str, parts: tuple[str | FieldPath, ...]) -> None:
        self._fill(template, parts)

    def render(self, data: Any, where: Concrete) -> str:
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif part.text == "value":
                if is_personal(where):
                    out.append(WITHHELD)
                else:
                    out.append(show(resolve_value(FieldPath("", where), data, data)))
            elif part.text == "field":
                out.append(format_path(where) or "(document)")
            else:
                value = resolve_value(part, data, data)
                out.append(value if isinstance(value, str) else show(value))
        return "".join(out)


def _literal(text: str) -> str:
    if "{" in text.replace("{{", "") or "}" in text.replace("}}", ""):
        raise MessageError("unbalanced '{' or '}' (write '{{' or '}}' for a literal brace)")
    return text.replace("{{", "{").replace("}}", "}")


def parse_message(template: str) -> Message:
    """Parse *template*; raise :class:`MessageError` for a bad or personal placeholder."""
    parts: list[str | FieldPath] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match[1] is None:  # an escaped brace
            continue
        parts.append(_literal(template[position : match.start()]))
        name = match[1].strip()
        try:
            path = parse_path(name)
        except PathSyntaxError as error:
            raise MessageError(f"placeholder {{{name}}}: {error}") from None
        if path.has_wildcard or path.has_placeholder:
            raise MessageError(f"placeholder {{{name}}} must name a single field")
        concrete = tuple(step for step in path.steps if isinstance(step, str | int))
        if name not in ("value", "field") and is_personal(concrete):
            raise MessageError(
                f"placeholder {{{name}}} would copy personal data into findings; "
                "name the account ({id}) and the field instead"
            )
        parts.append(path)
        position = match.end()
    parts.append(_literal(template[position:]))
    return Message(template, tuple(part for part in parts if part != ""))
