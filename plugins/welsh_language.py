"""Welsh Language Standards for Dyfed-Powys, Gwent, North Wales and South Wales (WALES-LNG-*).

The four Welsh forces (and their OPCCs) are bound by compliance notices under the
Welsh Language (Wales) Measure 2011: Welsh must not be treated less favourably
than English, on every account that operates in the force's name and in its bio
(domain.md S33-S35).  The national ``language`` pack already requires, for any
force whose Force document sets ``welsh_standards``, that accounts are bilingual
or a reciprocal Welsh/English pair on the same platform with equal monitoring,
response and status (LNG-001 to LNG-003).  This plugin adds what the Standards
ask beyond that, as errors:

* a Welsh or bilingual account's display name is in Welsh, not just the brand
  guide's force name pasted in;
* a bilingual account's bio is in Welsh as well as English;
* an English account with a Welsh twin says how Welsh replies are produced.

The ``welsh_text`` operator recognises Welsh by its vocabulary: words common in
police profiles that are not English words and not place names (so
"Dyfed-Powys Police" alone is not Welsh, "Heddlu Dyfed-Powys" is).
"""

from __future__ import annotations

import re
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Final

from tabard import OperatorSpec, hookimpl

WELSH_WORDS: Final = frozenset(
    {
        "heddlu",
        "cymru",
        "cymraeg",
        "saesneg",
        "gogledd",
        "argyfwng",
        "ffoniwch",
        "cysylltwch",
        "croeso",
        "peidiwch",
        "trosedd",
        "troseddau",
        "adrodd",
        "swyddogol",
        "cyfrif",
        "plismona",
        "cymdogaeth",
        "diogelwch",
        "gwybodaeth",
        "gwasanaeth",
        "dilynwch",
        "newyddion",
        "ddim",
        "mae",
        "yma",
        "gyda",
        "eich",
        "ein",
        "ynghylch",
        "monitro",
        "tîm",
        "cŵn",
        "ffyrdd",
        "gwledig",
        "swyddog",
        "prif",
        "gwnstabl",
        "dirprwy",
        "cyngor",
        "lleol",
        "ardal",
        "ni",
        "hwn",
        "neu",
        "ar-lein",
        "brys",
        "rhif",
        "oriau",
        "gwaith",
        "llun",
        "gwener",
        "yn",
        "ac",
        "am",
    }
)
#: Words that are Welsh but also English (or too short to tell) count only beside others.
_WEAK: Final = frozenset({"yn", "ac", "am", "ni", "ein", "mae", "prif", "neu", "rhif"})
_WORD: Final = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def welsh_words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.casefold()) if word in WELSH_WORDS]


def is_welsh(text: str) -> bool:
    """At least one distinctive Welsh word, or two common ones."""
    found = welsh_words(text)
    return any(word not in _WEAK for word in found) or len(found) >= 2


def _welsh_text(value: Any, argument: bool) -> bool:
    return isinstance(value, str) and is_welsh(value) is argument


@hookimpl
def tabard_add_operators() -> list[OperatorSpec]:
    return [
        OperatorSpec(
            name="welsh_text",
            function=_welsh_text,
            scope="value",
            argument_schema={"type": "boolean"},
            wording="{field} is written (at least partly) in Welsh",
        )
    ]


@hookimpl
def tabard_add_policies() -> list[Traversable]:
    return [files(__package__ or "tabard.plugins") / "welsh-language.yaml"]
