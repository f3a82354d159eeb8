"""Welsh Language Standards for Dyfed-Powys, Gwent, North Wales and South Wales (WALES-LNG-*).

The four Welsh forces (and their OPCCs) are bound by compliance notices under the
Welsh Language (Wales) Measure 2011: Welsh must not be treated less favourably
than English, on every account that operates in the force's name and in its bio
(domain.md S33-S35).  The national ``language`` pack already requires, for any
force whose Force document sets ``welsh_standards``, that accounts are bilingual
or a reciprocal Welsh/English pair on the same platform with equal monitoring,
response and status (LNG-001 to LNG-003).  This plugin adds what the Standards
ask beyond that:

* a Welsh or bilingual account's display name has Welsh in it;
* a Welsh or bilingual account's bio has Welsh in it;
* an English account with a Welsh twin says how Welsh replies are produced;
* the brand guide's ``welsh`` settings (accepted modes, bios naming the twin).

Whether text "has Welsh" is decided, in this order, by:

1. the account's own explicit field (``language.welsh_display_name`` or
   ``language.welsh_bio``) when the published text contains it: the force has said
   which part is Welsh, and tabard does not second-guess a Welsh speaker;
2. for a display name, one of the force's own Welsh names or short forms (BrandGuide
   ``force_names.cy``, e.g. "Heddlu Gogledd Cymru", "HGC", and :data:`KNOWN_NAMES`)
   as a whole word (in a bio the force's name alone does not make the bio Welsh);
3. a statistical language identifier restricted to Welsh and English (lingua,
   low-accuracy mode, about 20 MB and 50 ms to load), on the text left after the
   force's English names (and, in a bio, its Welsh names) and the account's area name
   are taken out (place names
   such as "Powys" or "Wrexham" read as Welsh in both languages).  It is imported
   only here, and only when steps 1 and 2 did not settle the question, so runs
   for English forces never load it.

Step 3 is a judgement, so the rules that rest on it are warnings, not errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Final, Protocol

from tabard import OperatorSpec, RepositoryView, Violation, hookimpl

#: Smallest share of Welsh the identifier must give one piece of text for it to count.
WELSH_CONFIDENCE: Final = 0.6
# The patterns are compiled on first use (``re`` keeps them): only a Welsh force's
# checks need them, and compiling them costs every other force's run about 3 million
# instructions.
#: Bilingual text puts its languages side by side: judge each piece on its own.
_PIECES: Final = r"\s*(?:[/|\n.!?:;\u2022\u00b7\u2013\u2014]|\s-\s)\s*"
#: Handles, web addresses, e-mail addresses and numbers are in neither language.
_NOT_LANGUAGE: Final = r"https?://\S+|www\.\S+|\S+@\S+|@\w+|#\w+|\d+(?:/\d+)*"
_LETTERS: Final = r"[^\W\d_]{3,}"
_EXPLICIT: Final = {"display_name": "welsh_display_name", "bio": "welsh_bio"}
#: The Welsh forces' own names, so a repository without a brand guide is still judged fairly.
KNOWN_NAMES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "dyfed-powys": {"en": ("Dyfed-Powys Police", "DPP"), "cy": ("Heddlu Dyfed-Powys",)},
    "gwent": {"en": ("Gwent Police",), "cy": ("Heddlu Gwent",)},
    "north-wales": {"en": ("North Wales Police", "NWP"), "cy": ("Heddlu Gogledd Cymru", "HGC")},
    "south-wales": {"en": ("South Wales Police", "SWP"), "cy": ("Heddlu De Cymru",)},
}
MISSING_LINGUA: Final = (
    "judging whether text is Welsh needs the lingua-language-detector package, which is "
    "not installed; install it with: pip install 'tabard[welsh]'"
)


class _Detector(Protocol):
    def compute_language_confidence(self, text: str, language: Any) -> float: ...


@cache
def _welsh_detector() -> tuple[_Detector, Any]:
    """Load lingua for Welsh and English only, on first use (import is deferred on purpose)."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        raise RuntimeError(MISSING_LINGUA) from None
    detector = (
        LanguageDetectorBuilder.from_languages(Language.WELSH, Language.ENGLISH)
        .with_low_accuracy_mode()
        .build()
    )
    return detector, Language.WELSH


def _texts(values: Any) -> list[str]:
    if isinstance(values, str):
        return [values] if values.strip() else []
    if isinstance(values, list):
        return [value for value in values if isinstance(value, str) and value.strip()]
    return []


def _contains_word(text: str, phrase: str) -> bool:
    """*phrase* appears in *text* as whole words, ignoring case ("HGC" is not in "HGCX")."""
    pattern = r"(?<![^\W_])" + re.escape(phrase.casefold()) + r"(?![^\W_])"
    return re.search(pattern, text.casefold()) is not None


def _without(text: str, phrases: Iterable[str]) -> str:
    for phrase in sorted(phrases, key=len, reverse=True):
        text = re.sub(r"(?<![^\W_])" + re.escape(phrase) + r"(?![^\W_])", " ", text, flags=re.I)
    return text


def reads_as_welsh(text: str, neutral: Iterable[str] = ()) -> bool:
    """Whether some piece of *text*, once the *neutral* names are taken out, reads as Welsh."""
    remainder = re.sub(_NOT_LANGUAGE, " ", _without(text, neutral))
    pieces = [piece for piece in re.split(_PIECES, remainder) if re.search(_LETTERS, piece)]
    if not pieces:
        return False
    detector, welsh = _welsh_detector()
    return any(
        detector.compute_language_confidence(piece, welsh) >= WELSH_CONFIDENCE for piece in pieces
    )


def has_welsh(
    text: str,
    *,
    welsh_names: Iterable[str] = (),
    neutral: Iterable[str] = (),
    declared_welsh: str | None = None,
) -> bool:
    """Whether *text* has Welsh in it (see the module documentation for the order)."""
    if declared_welsh and declared_welsh.strip().casefold() in text.casefold():
        return True
    if any(_contains_word(text, name) for name in welsh_names):
        return True
    return reads_as_welsh(text, neutral)


def _force_names(document: Mapping[str, Any], repository: RepositoryView) -> dict[str, list[str]]:
    """The force's Welsh and English names: brand guide, Force document and tabard's own list."""
    force = document.get("force")
    if not isinstance(force, str):
        return {"cy": [], "en": []}
    brand = repository.force_document("BrandGuide", force) or {}
    profile = repository.force_document("Force", force) or {}
    listed = brand.get("force_names")
    listed = listed if isinstance(listed, Mapping) else {}
    known = KNOWN_NAMES.get(force, {})
    return {
        "cy": _texts(listed.get("cy")) + list(known.get("cy", ())),
        "en": _texts(listed.get("en")) + _texts(profile.get("name")) + list(known.get("en", ())),
    }


def _area_name(document: Mapping[str, Any]) -> list[str]:
    area = document.get("area")
    return _texts(area.get("name")) if isinstance(area, Mapping) else []


def text_has_welsh(
    document: Mapping[str, Any], argument: str, repository: RepositoryView
) -> bool | Violation:
    """The ``has_welsh`` operator: the account's *argument* field has Welsh in it."""
    text = document.get(argument)
    if not isinstance(text, str) or not text.strip():
        # Nothing published is not "English only"; whether a bio is required is BRD's call.
        return True
    language = document.get("language")
    declared = language.get(_EXPLICIT[argument]) if isinstance(language, Mapping) else None
    names = _force_names(document, repository)
    neutral = names["en"] + _area_name(document)
    if argument == "bio":
        # A bio that only names the force in Welsh is still an English bio.
        welsh_names, neutral = [], neutral + names["cy"]
    else:
        welsh_names = names["cy"]
    found = has_welsh(
        text,
        welsh_names=welsh_names,
        neutral=neutral,
        declared_welsh=declared if isinstance(declared, str) else None,
    )
    return found or Violation(argument)


@hookimpl
def tabard_add_operators() -> list[OperatorSpec]:
    return [
        OperatorSpec(
            name="has_welsh",
            function=text_has_welsh,
            scope="collection",
            argument_schema={"enum": ["display_name", "bio"]},
            wording="the account's {arg} has Welsh in it (the force's Welsh name, the "
            "account's declared Welsh text, or text that reads as Welsh)",
        )
    ]


@hookimpl
def tabard_add_policies() -> list[Path]:
    # The file beside this module: what importlib.resources.files gives for an
    # installed package, without importing importlib.resources on every check.
    return [Path(__file__).with_name("welsh-language.yaml")]
