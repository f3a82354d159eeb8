"""``ignore_case`` folding: plain ASCII text takes a short cut past the Unicode tables,
and must fold exactly as the full route does."""

from __future__ import annotations

import unicodedata

import pytest

from tabard.language.values import _SPACES, _TYPOGRAPHIC, fold, normalise_text


def _full_route(text: str) -> str:
    plain = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC)
    return _SPACES.sub(" ", plain).strip().casefold()


@pytest.mark.parametrize("code", range(128))
def test_every_ascii_character_folds_as_the_unicode_route_does(code: int) -> None:
    character = chr(code)
    for text in (character, f"a{character}B", f"  X{character}\t y  ", character * 3):
        assert text.isascii()
        assert normalise_text(text) == _full_route(text)


def test_text_that_is_not_ascii_still_takes_the_unicode_route() -> None:
    assert normalise_text("Jo\u2019s\u00a0Desk \u2013 STRASSE") == "jo's desk - strasse"
    assert normalise_text("Stra\u00dfe") == "strasse"
    assert fold(["  Inspector ", "DCI", 3]) == ["inspector", "dci", 3]
