"""The rank vocabulary (engine/data/ranks.yaml) is one consistent source of truth."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from tabard.language.ranks import read_rank, vocabulary, words_of


def _raw() -> dict[str, Any]:
    text = resources.files("tabard.data").joinpath("ranks.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def test_no_alias_names_two_ranks_or_roles() -> None:
    raw = _raw()
    seen: dict[str, str] = {}
    entries = [*raw["ranks"], *raw["roles"]]
    pairs = [(alias, e["name"]) for e in entries for alias in (e["name"], *e.get("aliases", ()))]
    pairs += list(raw["detective_aliases"].items())
    for alias, name in pairs:
        assert seen.setdefault(words_of(alias), name) == name, f"{alias!r} names two things"


def test_ranks_are_in_order_and_every_rank_reads_as_itself() -> None:
    levels = [entry["level"] for entry in _raw()["ranks"]]
    assert levels == sorted(levels)
    for name, term in vocabulary().ranks.items():
        assert read_rank(name) == term
        assert read_rank(f"T/{name}") == term
        assert read_rank(f"Acting {name}") == term
        assert read_rank(f"{name} (temporary)") == term


def test_words_that_are_not_ranks_stay_unknown() -> None:
    for text in ("Acting", "T/", "Head of Communications", "Constabulary", ""):
        assert read_rank(text) is None


def test_the_vocabulary_reads_the_same_data_as_yaml_safe_load() -> None:
    """vocabulary() reads ranks.yaml with tabard's YAML 1.2 loader; YAML 1.1 (PyYAML)
    reads `no`, `on` or `1:30` differently, so the file must hold nothing either reads
    otherwise."""
    from tabard.documents.yamlio import load_documents

    raw = resources.files("tabard.data").joinpath("ranks.yaml").read_bytes()
    (loaded,) = load_documents(raw)
    assert loaded.data == _raw()
