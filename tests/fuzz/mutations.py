"""Bad inputs a force repository can plausibly hold, as edits to real files.

Every mutation works on the text (bytes) of a real document, so the surrounding
structure stays what a person would have written: one value, one key, one line or
one encoding goes wrong at a time.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Final

# A value a person (or a careless script) could write where a scalar belongs, as YAML
# text.  Each is here because it once crashed, hung or misled a YAML tool.
EVIL_VALUES: Final[tuple[str, ...]] = (
    "9" * 4400,  # over Python's int digit limit
    "-" + "9" * 5000,
    "0x" + "f" * 5000,
    "0o" + "7" * 5000,
    "1e400",
    "-.inf",
    ".nan",
    "1000000000",
    "-1000000000",
    "18446744073709551616",
    "0",
    "-1",
    "0000-01-01",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "20250301",
    "2025-W10-1",
    "2026-11-24T10:00:00Z",
    "~",
    "null",
    "''",
    '""',
    "[]",
    "{}",
    "[Account]",
    "{kind: Account}",
    "[" * 200 + "]" * 200,
    "yes",
    "no",
    "on",
    "17:00",
    "010",
    "true",
    "!!binary aGVsbG8=",
    "!!python/object:os.system ls",
    "!<yaml> {a: 1}",
    "!!ma [1]",
    "!!str",
    "!custom value",
    "*undefined",
    "&anchor [*anchor]",
    '"line\\u2028break"',
    '"next\\u0085line"',
    '"para\\u2029graph"',
    '"ctrl\\x01char"',
    '"nul\\0byte"',
    '"' + "x" * 70_000 + '"',
    '"(a+)+$"',
    '"^(a+)+$"',
    '"a{4294967296}"',
    '"' + "(" * 3000 + "a" + ")" * 3000 + '"',
    '"[z-a]"',
    '"(?P<x>a)(?P=x)"',
    '"\\\\"',
    '"{unknown_placeholder}"',
    '"{id"',
    "-",
    "? complex key",
    "|\n  literal",
    ">-\n  folded \u2028 text",
)

# Raw byte sequences to splice into a file at a random place.
EVIL_BYTES: Final[tuple[bytes, ...]] = (
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    "\u2028".encode(),
    "\u2029".encode(),
    "\u0085".encode(),
    b"\x85",
    b"\t",
    b"\r",
    b"\x1b[31m",
    b"\x01",
    b": ",
    b"- ",
    b"{",
    b"[",
    b"&a ",
    b"*a",
    b"!!str ",
    b"%YAML 1.1\n---\n",
    b"---\n",
    b"...\n",
    b"\n  ",
    b"#",
    b"'",
    b'"',
)

_VALUE_LINE = re.compile(rb"^(\s*(?:- )?[A-Za-z_][\w.-]*:[ ])(\S.*)$", re.MULTILINE)
_KEY_LINE = re.compile(rb"^(\s*(?:- )?)([A-Za-z_][\w.-]*)(:)", re.MULTILINE)


def replace_value(text: bytes, rng: random.Random) -> bytes:
    """One ``key: value`` line gets an evil value instead."""
    lines = list(_VALUE_LINE.finditer(text))
    if not lines:
        return text
    match = rng.choice(lines)
    value = rng.choice(EVIL_VALUES).encode()
    return text[: match.start(2)] + value + text[match.end(2) :]


def misspell_key(text: bytes, rng: random.Random) -> bytes:
    """One key loses, doubles or swaps a letter (the typo a person makes)."""
    keys = list(_KEY_LINE.finditer(text))
    if not keys:
        return text
    match = rng.choice(keys)
    key = match.group(2).decode()
    if len(key) < 2:
        return text
    at = rng.randrange(len(key) - 1)
    how = rng.randrange(3)
    if how == 0:
        typo = key[:at] + key[at + 1 :]
    elif how == 1:
        typo = key[:at] + key[at] + key[at:]
    else:
        typo = key[:at] + key[at + 1] + key[at] + key[at + 2 :]
    return text[: match.start(2)] + typo.encode() + text[match.end(2) :]


def splice_bytes(text: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(EVIL_BYTES) + text[at:]


def truncate(text: bytes, rng: random.Random) -> bytes:
    return text[: rng.randrange(len(text) + 1)]


def duplicate_line(text: bytes, rng: random.Random) -> bytes:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    at = rng.randrange(len(lines))
    return b"".join([*lines[: at + 1], lines[at], *lines[at + 1 :]])


def delete_line(text: bytes, rng: random.Random) -> bytes:
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def reencode(text: bytes, rng: random.Random) -> bytes:
    encoding = rng.choice(("utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"))
    try:
        return text.decode("utf-8").encode(encoding)
    except UnicodeError:
        return text


def deep_nesting(text: bytes, rng: random.Random) -> bytes:
    depth = rng.choice((100, 1000, 10_000))
    return text + b"x-deep: " + b"[" * depth + b"]" * depth + b"\n"


def alias_bomb(text: bytes, rng: random.Random) -> bytes:
    bomb = [b"x-bomb:", b"  a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        bomb.append(f"  {name}: &{name} [{', '.join(['*' + previous] * 9)}]".encode())
    return text + b"\n" + b"\n".join(bomb) + b"\n"


def many_documents(text: bytes, rng: random.Random) -> bytes:
    return text + b"\n---\n" + text


Mutation = Callable[[bytes, random.Random], bytes]

#: name -> mutation, with the weight a campaign draws it by.
MUTATIONS: Final[dict[str, tuple[Mutation, int]]] = {
    "replace_value": (replace_value, 12),
    "misspell_key": (misspell_key, 4),
    "splice_bytes": (splice_bytes, 6),
    "truncate": (truncate, 2),
    "duplicate_line": (duplicate_line, 2),
    "delete_line": (delete_line, 3),
    "reencode": (reencode, 1),
    "deep_nesting": (deep_nesting, 1),
    "alias_bomb": (alias_bomb, 1),
    "many_documents": (many_documents, 1),
}


def mutate(text: bytes, rng: random.Random, rounds: int = 1) -> tuple[bytes, list[str]]:
    """*text* after *rounds* mutations drawn by weight, and their names."""
    names = list(MUTATIONS)
    weights = [MUTATIONS[name][1] for name in names]
    applied = []
    for _ in range(rounds):
        name = rng.choices(names, weights)[0]
        text = MUTATIONS[name][0](text, rng)
        applied.append(name)
    return text, applied


# --- policies ------------------------------------------------------------------------------

_PATHS: Final = (
    "handle",
    "owner.email",
    "owner.rank_or_grade",
    "operators[*].mfa",
    "operators[*].email",
    "security.shared_login",
    "securty.shared_login",
    "lifecycle.status",
    "lifecycle.next_review_due",
    "strategy.objectives[*]",
    "bio",
    "x-local.note",
    "operators[role=admin].email",
    "operators[*]",
    "",
    "[*]",
    "a..b",
    "a[",
    "operators[99999999999999999999]",
)
_OPERATORS: Final = (
    ("present", ("true", "false", "maybe")),
    ("equals", ("true", "1", "[1, 2]", "{lookup: {kind: Force, field: name}}")),
    ("in", ("[active]", "active", "[]")),
    ("matches", ('"^@"', '"(a+)+$"', '"a{4294967296}"', '"[z-a]"', '"(?<=a)b"', "1")),
    ("not_matches", ('"x"', '"(?P<n>a)(?P=n)"')),
    ("within_days", ("30", "1000000000", "-5", "1e9", '"30"')),
    ("older_than_days", ("365", "99999999999999999999")),
    ("before", ("today", "0000-01-01", "2026-13-01", "9999-12-31")),
    ("after", ("2020-01-01", "notadate")),
    ("min_length", ("1", "-1", "10000000000")),
    ("type", ("string", "date", "banana")),
    ("contains_any", ("[a, b]", "a")),
    (
        "email_domain_in",
        ("{lookup: {kind: Force, field: email_domains}}", "{lookup: {kind: Force, field: emial}}"),
    ),
    ("exists_in", ('{kind: Strategy, field: "objectives[*].id", same: [force]}', "{kind: Nope}")),
    ("unique", ("{within: [platform]}", "{within: [nosuch]}")),
    ("no_such_operator", ("1",)),
)


def random_policy(rng: random.Random) -> bytes:
    """A local pack with one rule built from real and broken paths, operators and arguments."""
    operator, arguments = rng.choice(_OPERATORS)
    leaf = (
        f"{{field: {rng.choice(_PATHS) or '~'}, {operator}: {rng.choice(arguments)}"
        + (f", for: {rng.choice(('all', 'any', 'none', 'some'))}" if rng.random() < 0.3 else "")
        + "}"
    )
    condition = rng.choice(
        (leaf, f"{{not: {leaf}}}", f"{{any: [{leaf}]}}", f"{{all: [{leaf}, {leaf}]}}")
    )
    enforce = rng.choice(("", "    enforce_from: 0000-01-01\n", "    enforce_from: 2027-01-01\n"))
    message = rng.choice(("{id} failed", "{handle} {value}", "{nosuch.path}", "{", "plain"))
    return (
        "apiVersion: tabard/v1\nkind: Policy\nname: fuzz\nrules:\n"
        "  - id: FUZZ-001\n"
        "    title: Fuzzed rule\n"
        f"    severity: {rng.choice(('error', 'warning', 'info', 'fatal'))}\n"
        f"    assert: {condition}\n"
        f"    message: {message!r}\n"
        f"{enforce}"
    ).encode()
