"""``no_secrets``: a document-wide scan for credentials that must never be committed.

Manifests record *where* credentials live (``security.credential_store``), never
the credentials.  The scan looks at every key (``x-`` keys included) and every
text value, so a password pasted into ``notes`` is caught as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from typing import Any, Final

from tabard.language.context import Condition, Context, Outcome
from tabard.language.operators.base import Operator
from tabard.language.paths import Concrete

#: A key that *ends* with a secret's name holds one (``x-api-token``, ``recovery_codes``);
#: ``x-password-store: smmp`` only says where a password lives.
_SECRET_KEY: Final = re.compile(
    r"(?:^|[_-])(?:pass(?:word|wd|phrase|code)?|secret|token|api[_-]?key|totp(?:[_-]?seed)?"
    r"|otp[_-]?seed|mfa[_-]?seed|recovery[_-]?codes?|backup[_-]?codes?|private[_-]?key)s?$",
    re.IGNORECASE,
)


#: Compiled on first use (about 13 million instructions): nearly every run meets no
#: document that holds any of the anchors below, and never needs it.
@cache
def _secret_value() -> re.Pattern[str]:
    return re.compile(
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----"
        r"|otpauth://"
        r"|\bAKIA[0-9A-Z]{16}\b"
        r"|\bgh[pousr]_[A-Za-z0-9]{30,}"
        r"|\bxox[abprs]-[A-Za-z0-9-]{10,}"
        r"|\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"
        r"|\b(?:password|passcode|pwd)\s*[:=]\s*\S+"
        r"|\brecovery codes?\s*[:=]\s*\S+",
        re.IGNORECASE,
    )


#: Text every value pattern contains (lower case): a document without any is clean.
_ANCHORS: Final = (
    "private key",
    "otpauth",
    "akia",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "xox",
    "eyj",
    "pass",
    "pwd",
    "recovery",
)


def _walk(node: Any, path: Concrete) -> Iterator[tuple[Concrete, str | None, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, key), key, value
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield (*path, index), None, item
            yield from _walk(item, (*path, index))


_key_verdicts: dict[str, bool] = {}


def _suspect_key(key: str) -> bool:
    # Keys repeat in every manifest: decide each one once.
    verdict = _key_verdicts.get(key)
    if verdict is None:
        verdict = _key_verdicts[key] = _SECRET_KEY.search(key) is not None
    return verdict


def _holds_value(value: Any) -> bool:
    """Something is written there: text, a number, a list or mapping with contents."""
    return value not in (None, "", [], {}) and type(value) is not bool


def _texts(node: Any, texts: list[str]) -> bool:
    """Collect every text value; True as soon as a key with a value looks like a secret."""
    # Every document is walked once per run: the type of each value is asked once.
    if type(node) is dict:
        verdicts = _key_verdicts
        for key, value in node.items():
            suspect = verdicts.get(key)
            if suspect is None:
                suspect = _suspect_key(key)
            if suspect and _holds_value(value):
                return True
            kind = type(value)
            if kind is str:
                texts.append(value)
            elif (kind is dict or kind is list) and _texts(value, texts):
                return True
    elif type(node) is list:
        for item in node:
            kind = type(item)
            if kind is str:
                texts.append(item)
            elif (kind is dict or kind is list) and _texts(item, texts):
                return True
    return False


def _anchored(text: str) -> bool:
    """Whether *text* holds any anchor (a plain loop: ``any()`` over a generator costs
    more than the thirteen substring searches)."""
    for anchor in _ANCHORS:  # noqa: SIM110
        if anchor in text:
            return True
    return False


def find_secret(data: Any) -> Concrete | None:
    """The path of the first value that looks like a secret, or None."""
    texts: list[str] = []
    # One pass without paths, then cheap substring tests over all the text: nearly every
    # document is clean, and only a suspect one meets the regex and a second walk.
    if not _texts(data, texts):
        text = "\n".join(texts).lower()
        if not _anchored(text) or not _secret_value().search(text):
            return None
    for path, key, value in _walk(data, ()):
        if key is not None and _holds_value(value) and _suspect_key(key):
            return path
        if isinstance(value, str) and _secret_value().search(value):
            return path
    return None


def _make(argument: Any, ignore_case: bool, today: date) -> Condition:
    def no_secrets(context: Context, node: Any) -> Outcome:
        found = find_secret(context.data)
        return (True, ()) if found is None else (False, found)

    return no_secrets


NO_SECRETS: Final = Operator(
    name="no_secrets",
    make=_make,
    argument_schema={"const": True},
    wording="the document holds no password, token, TOTP seed, recovery code or private key",
    scope="document",
    references=False,
)
