"""The YAML test suite's cases through tabard's loader (vendored in tests/vendor/yaml-test-suite).

Every case must end in data or a clean :class:`YamlError` with a message and a 1-based
position, never another exception.  A valid case's data must equal the suite's
``in.json``; an invalid case must be refused.  The exceptions are listed below, each
with its reason, and pinned both ways: a case leaves its list only when the loader's
behaviour on it changes, so a change in libyaml or in the loader shows up here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tabard.documents.yamlio import YamlError, load_documents

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "vendor" / "yaml-test-suite" / "cases.json").read_text(
        encoding="utf-8"
    )
)

#: Valid YAML that tabard refuses on purpose: tabard documents hold only the core
#: schema's values under plain-text keys, so any other tag, an alias or a collection
#: as a key, and an alias to an anchor written on a key (keys are text, not nodes)
#: are errors.
OUTSIDE_TABARDS_SUBSET = frozenset(
    {
        "26DV",
        "2XXW",
        "565N",
        "5TYM",
        "6CK3",
        "6WLZ",
        "7FWL",
        "9WXW",
        "C4HZ",
        "CC74",
        "CUP7",
        "E76Z",
        "HMQ5",
        "J7PZ",
        "M5C3",
        "P76L",
        "UGM3",
        "Z67P",
        "Z9M4",
    }
)
#: Valid YAML that libyaml's parser refuses: tabs as separation space, flow keys on
#: a line of their own or followed by a colon on the next line, anchors outside ASCII
#: or holding ':', unknown or newer directives, documents after "..." without "---".
LIBYAML_REFUSES_VALID = frozenset(
    {
        "2LFX",
        "2SXE",
        "4MUZ/00",
        "4MUZ/01",
        "4MUZ/02",
        "58MP",
        "5MUD",
        "5T43",
        "6BCT",
        "6CA3",
        "6LVF",
        "7Z25",
        "8XYN",
        "96NN/00",
        "96NN/01",
        "9SA2",
        "A2M4",
        "BEC7",
        "DBG4",
        "DK3J",
        "DK95/00",
        "DK95/03",
        "DK95/04",
        "FP8R",
        "HM87/00",
        "HWV9",
        "K3WX",
        "M7A3",
        "MUS6/05",
        "MUS6/06",
        "NJ66",
        "Q5MG",
        "QT73",
        "R4YG",
        "UT92",
        "VJP3/01",
        "W4TN",
        "W5VH",
        "Y79Y/001",
        "Y79Y/010",
    }
)
#: Valid YAML that libyaml reads differently from the suite: "?foo" in a flow
#: collection as an explicit key (652Z, HM87/01), the trailing spaces of a block scalar
#: at the very end of a file without a line break (JEF9/02, L24T/01), an anchor
#: name that stops at ':' (Y2GN).
LIBYAML_READS_DIFFERENTLY = frozenset({"652Z", "HM87/01", "JEF9/02", "L24T/01", "Y2GN"})
#: Invalid YAML that libyaml accepts (tabard reads it as libyaml does).
LIBYAML_ACCEPTS_INVALID = frozenset(
    {
        "9C9N",
        "9JBA",
        "CVW2",
        "DK95/01",
        "EB22",
        "G5U8",
        "MUS6/00",
        "MUS6/01",
        "QB6E",
        "RHX7",
        "S98Z",
        "SU5Z",
        "X4QW",
        "Y79Y/003",
        "YJV2",
    }
)
_TABARDS_OWN_REFUSALS = ("is not allowed", "mapping keys must be plain", "not complete here")


def _expected(text: str) -> list[Any]:
    """The documents of an ``in.json``: JSON values one after another."""
    decoder, values, index = json.JSONDecoder(), [], 0
    text = text.strip()
    while index < len(text):
        value, index = decoder.raw_decode(text, index)
        values.append(value)
        while index < len(text) and text[index].isspace():
            index += 1
    return values


def _read(case: dict[str, Any]) -> list[Any] | YamlError:
    """The case's documents' data, or the loader's error (any other exception fails)."""
    try:
        return [document.data for document in load_documents(case["yaml"].encode("utf-8"))]
    except YamlError as error:
        outcome = error
    assert outcome.message, case["id"]
    assert outcome.line >= 1, case["id"]
    assert outcome.column >= 1, case["id"]
    return outcome


def test_the_vendored_suite_is_complete() -> None:
    assert len(CASES) == 402
    assert sum(case["error"] for case in CASES) == 94
    identifiers = {case["id"] for case in CASES}
    listed = (
        OUTSIDE_TABARDS_SUBSET
        | LIBYAML_REFUSES_VALID
        | LIBYAML_READS_DIFFERENTLY
        | LIBYAML_ACCEPTS_INVALID
    )
    assert listed <= identifiers


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_case(case: dict[str, Any]) -> None:
    identifier = case["id"]
    outcome = _read(case)
    if case["error"]:
        if identifier in LIBYAML_ACCEPTS_INVALID:
            assert not isinstance(outcome, YamlError)
        else:
            assert isinstance(outcome, YamlError)
    elif identifier in OUTSIDE_TABARDS_SUBSET:
        assert isinstance(outcome, YamlError)
        assert any(words in outcome.message for words in _TABARDS_OWN_REFUSALS)
    elif identifier in LIBYAML_REFUSES_VALID:
        assert isinstance(outcome, YamlError)
        assert not any(words in outcome.message for words in _TABARDS_OWN_REFUSALS)
    elif "json" in case:
        assert not isinstance(outcome, YamlError), outcome.message
        if identifier in LIBYAML_READS_DIFFERENTLY:
            assert outcome != _expected(case["json"])
        else:
            assert outcome == _expected(case["json"])
    # A valid case without in.json (a collection as a key, an empty stream ...) may end
    # either way; _read has checked that an error is a clean one.
