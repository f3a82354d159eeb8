"""The "did you mean …?" of every message about a misspelt name."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like *word* (``difflib``'s ratio at least 0.6), or None."""
    import difflib  # here, not at the top: only a mistake needs it, and a check never does

    close = difflib.get_close_matches(word, list(choices), n=1)
    return close[0] if close else None
