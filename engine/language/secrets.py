"""``no_secrets``: a document-wide scan for credentials that must never be committed.

Manifests record *where* credentials live (``security.credential_store``), never
the credentials.  The scan looks at every key (``x-`` keys included) and every
text value, so a password pasted into ``notes`` is caught as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any, Final

from tabard.language.context import Condition, Context, Outcome
from tabard.language.operators import Operator
from tabard.language.paths import Concrete

_SECRET_KEY: Final = re.compile(
    r"(?:^|[_-])(?:pass(?:word|wd|phrase|code)?|secret|token|api[_-]?key|totp|otp[_-]?seed"
    r"|mfa[_-]?seed|recovery[_-]?codes?|backup[_-]?codes?|private[_-]?key)(?:$|[_-])",
    re.IGNORECASE,
)
_SECRET_VALUE: Final = re.compile(
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


def _walk(node: Any, path: Concrete) -> Iterator[tuple[Concrete, str | None, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, key), key, value
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield (*path, index), None, item
            yield from _walk(item, (*path, index))


def find_secret(data: Any) -> Concrete | None:
    """The path of the first value that looks like a secret, or None."""
    for path, key, value in _walk(data, ()):
        has_value = value not in (None, "", [], {}) and not isinstance(value, bool | dict | list)
        if key is not None and has_value and _SECRET_KEY.search(key):
            return path
        if isinstance(value, str) and _SECRET_VALUE.search(value):
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
