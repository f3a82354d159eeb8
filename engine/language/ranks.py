"""Police ranks, grades and roles as people write them (``engine/data/ranks.yaml``).

Registers spell one rank many ways: ``T/Inspector``, ``A/Insp``, ``Inspector
(temporary)``, ``Detective Inspector``, ``DI``, ``Police staff (Inspector
equivalent)``.  This module reads each to the substantive rank it names, so the
operators ``rank_in``, ``rank_at_least`` and ``role_in`` compare what is meant
rather than the exact string.  The vocabulary lives in one data file; nothing
else in tabard lists ranks.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from tabard.documents.packaged import package_folder
from tabard.documents.yamlio import load_documents
from tabard.language.values import normalise_text
from tabard.record import Record


class Term(Record):
    """One rank or role: its canonical name and, for ranks, its level (1 = Constable)."""

    _fields = ("name", "level")
    __slots__ = _fields
    name: str
    level: int | None

    def __init__(self, name: str, level: int | None) -> None:
        self._fill(name, level)


class Vocabulary(Record):
    _fields = ("aliases", "ranks", "words", "slashes", "equivalent_words", "longest")
    __slots__ = _fields
    #: Normalised alias (space-separated words) -> term.
    aliases: dict[str, Term]
    #: Ranks by canonical name.
    ranks: dict[str, Term]
    #: Qualifier words ("temporary", "det") and slash prefixes ("t/").
    words: frozenset[str]
    slashes: tuple[str, ...]
    equivalent_words: frozenset[str]
    #: The longest alias, in words (for the longest-match scan of a role).
    longest: int

    def __init__(
        self,
        aliases: dict[str, Term],
        ranks: dict[str, Term],
        words: frozenset[str],
        slashes: tuple[str, ...],
        equivalent_words: frozenset[str],
        longest: int,
    ) -> None:
        self._fill(aliases, ranks, words, slashes, equivalent_words, longest)


def words_of(text: str) -> str:
    """*text* normalised for rank matching: tabard's text normalisation, full stops and
    commas as spaces, one space between words."""
    return " ".join(re.sub(r"[.,;:]", " ", normalise_text(text)).split())


@cache
def vocabulary() -> Vocabulary:
    # tabard's own loader (libyaml events, YAML 1.2 scalars): the same data as
    # yaml.safe_load gives for this file (tests/test_ranks.py), in a fifth of the time of
    # even libyaml with PyYAML's constructor.
    loaded = load_documents(package_folder("tabard.data").joinpath("ranks.yaml").read_bytes())
    raw: dict[str, Any] = loaded[0].data
    aliases: dict[str, Term] = {}
    ranks: dict[str, Term] = {}
    for entry in raw["ranks"]:
        term = Term(entry["name"], int(entry["level"]))
        ranks[term.name] = term
        for alias in (term.name, *entry.get("aliases", ())):
            aliases[words_of(alias)] = term
    for alias, name in raw["detective_aliases"].items():
        aliases[words_of(alias)] = ranks[name]
    for entry in raw["roles"]:
        term = Term(entry["name"], None)
        for alias in (term.name, *entry.get("aliases", ())):
            aliases[words_of(alias)] = term
    prefixes = [words_of(prefix) for prefix in raw["qualifiers"]["prefixes"]]
    return Vocabulary(
        aliases=aliases,
        ranks=ranks,
        words=frozenset(p for p in prefixes if not p.endswith("/")),
        slashes=tuple(p for p in prefixes if p.endswith("/")),
        equivalent_words=frozenset(words_of(w) for w in raw["staff_equivalent_words"]),
        longest=max(len(alias.split()) for alias in aliases),
    )


def _without_brackets(text: str) -> str:
    return " ".join(re.sub(r"\([^()]*\)", " ", text).split())


def _split_slashes(text: str, slashes: tuple[str, ...]) -> list[str]:
    """Words, with a qualifier such as ``t/`` split from the word it is glued to."""
    out: list[str] = []
    for word in text.split():
        while word.startswith(slashes) and len(word) > 2:
            out.append(word[:2])
            word = word[2:]
        out.append(word)
    return out


def _strip_qualifiers(words: list[str], vocab: Vocabulary) -> list[str]:
    qualifiers = vocab.words | frozenset(vocab.slashes)
    start = 0
    while start < len(words) - 1 and words[start] in qualifiers:
        start += 1
    return words[start:]


def _as_rank(text: str, vocab: Vocabulary) -> Term | None:
    words = _strip_qualifiers(_split_slashes(text, vocab.slashes), vocab)
    return vocab.aliases.get(" ".join(words))


@lru_cache(maxsize=4096)
def read_rank(value: str) -> Term | None:
    """The rank or role *value* names, or None when it names none the vocabulary knows.

    ``T/Insp``, ``Inspector (temporary)``, ``Detective Inspector`` and ``Police staff
    (Inspector equivalent)`` are all Inspector."""
    vocab = vocabulary()
    text = words_of(value)
    if vocab.equivalent_words.intersection(re.sub(r"[()]", " ", text).split()):
        return _staff_equivalent(text, vocab)
    found = _as_rank(_without_brackets(text), vocab) or _as_rank(text, vocab)
    if found is None and _BILINGUAL.search(text):
        # "Arolygydd / Inspector": a bilingual value names one rank in two languages.
        sides = {read_rank(side) for side in _BILINGUAL.split(text) if side.strip()}
        if len(sides) == 1:
            found = sides.pop()
    return found


#: The separators of a bilingual value: a spaced slash or a bar ("T/Insp" is no split).
_BILINGUAL = re.compile(r"\s+[/|]\s+")


def _staff_equivalent(text: str, vocab: Vocabulary) -> Term | None:
    """``Inspector equivalent``, ``Police staff (Chief Inspector equivalent)``,
    ``equivalent to Superintendent``: the rank named next to the word equivalent."""
    words = re.sub(r"[()]", " ", text).split()
    for at, word in enumerate(words):
        if word not in vocab.equivalent_words:
            continue
        before, after = words[:at], words[at + 1 :]
        if after[:1] in (["to"], ["of"]):
            after = after[1:]
        # The words nearest "equivalent": the end of what precedes it, then the start
        # of what follows it; the longest that is a rank wins.
        for size in range(vocab.longest, 0, -1):
            for part in (before[-size:] if len(before) >= size else None, after[:size]):
                if part is None or len(part) != size:
                    continue
                term = _as_rank(" ".join(part), vocab)
                if term is not None and term.level is not None:
                    return term
    return None


@lru_cache(maxsize=4096)
def rank_key(value: str) -> str:
    """What two rank values are compared by: the canonical rank or role, else the
    normalised text (a force's own staff grade, such as ``Head of Communications``)."""
    term = read_rank(value)
    return term.name if term is not None else words_of(_without_brackets(words_of(value)))


@lru_cache(maxsize=4096)
def roles_in(value: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The ranks and roles named anywhere in a job role (longest match first, so
    ``Chief Inspector`` is not also ``Inspector``), and the role's words without
    bracketed remarks."""
    vocab = vocabulary()
    words = _split_slashes(_without_brackets(words_of(value)), vocab.slashes)
    found: set[str] = set()
    at = 0
    while at < len(words):
        for size in range(min(vocab.longest, len(words) - at), 0, -1):
            term = vocab.aliases.get(" ".join(words[at : at + size]))
            if term is not None:
                found.add(term.name)
                at += size
                break
        else:
            at += 1
    return frozenset(found), tuple(words)


def role_matches(value: str, option: str) -> bool:
    """Does the job role *value* hold the role *option*?  A known rank or role matches
    when the value names it (``Neighbourhood PCSO`` holds ``Police Community Support
    Officer``); any other option matches when its words appear in order in the value
    (``Dog Handler (Stroud)`` holds ``Dog Handler``)."""
    named, words = roles_in(value)
    term = read_rank(option)
    if term is not None:
        return term.name in named
    wanted = tuple(words_of(_without_brackets(words_of(option))).split())
    if not wanted:
        return False
    size = len(wanted)
    return any(words[at : at + size] == wanted for at in range(len(words) - size + 1))
