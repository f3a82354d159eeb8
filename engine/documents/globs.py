"""gitignore-style globs for ``exclude`` (``archive/**``, ``*.draft.yaml``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def _translate(pattern: str) -> str:
    anchored = "/" in pattern.rstrip("/")
    body = pattern.strip("/")
    out: list[str] = []
    index = 0
    while index < len(body):
        if body.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif body.startswith("**", index):
            out.append(".*")
            index += 2
        elif body[index] == "*":
            out.append("[^/]*")
            index += 1
        elif body[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(body[index]))
            index += 1
    prefix = "" if anchored else "(?:.*/)?"
    # A pattern that names a directory also covers everything below it.
    return f"{prefix}{''.join(out)}(?:/.*)?"


def compile_globs(patterns: Iterable[str]) -> Callable[[str], bool]:
    """A matcher for relative POSIX paths; no patterns match nothing."""
    parts = [_translate(pattern) for pattern in patterns if pattern.strip("/")]
    if not parts:
        return lambda path: False
    regex = re.compile("|".join(f"(?:{part})" for part in parts) + r"\Z")
    return lambda path: regex.match(path) is not None
