"""Conditions, quantifiers, collection operators, references, messages and locations.

Each test builds a small repository with its own local pack and runs the real CLI
(``tabard check --as-of 2026-11-24``), asserting the exact text lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.builders import AS_OF, account, force_documents, lines, policy, project


def _check(run: Any, root: Path, rules: str, files: dict[str, str], *args: str) -> Any:
    project(root, {"policies/local.yaml": policy(rules), **files})
    return run("check", "--as-of", AS_OF, *args, cwd=root)


# --- all / any / none / not -----------------------------------------------------------------

_COMBINATORS = """\
- id: CON-001
  title: Combinators
  severity: error
  assert:
    all:
      - {field: x-a, equals: 1}
      - any:
          - {field: x-b, equals: 1}
          - {field: x-c, equals: 1}
      - none:
          - {field: x-d, equals: 1}
          - {field: x-e, equals: 1}
      - not: {field: x-f, equals: 1}
  message: "{id} failed at {field}"
"""


def test_all_any_none_not(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        _COMBINATORS,
        {
            # every branch holds
            "accounts/x/a1.yaml": account("a1", extra="x-a: 1\nx-b: 2\nx-c: 1\nx-d: 2\n"),
            # `all` stops at its first failing child
            "accounts/x/a2.yaml": account("a2", extra="x-a: 2\nx-b: 2\n"),
            # `any` with no child holding: located at the first child tried
            "accounts/x/a3.yaml": account("a3", extra="x-a: 1\nx-b: 2\nx-c: 3\n"),
            # `none` with a child holding: located at that child
            "accounts/x/a4.yaml": account("a4", extra="x-a: 1\nx-b: 1\nx-d: 2\nx-e: 1\n"),
            # `not` of a holding condition: located at it
            "accounts/x/a5.yaml": account("a5", extra="x-a: 1\nx-b: 1\nx-f: 1\n"),
            # the first failure is an absent top-level key: the document start
            "accounts/x/a6.yaml": account("a6", extra="x-b: 1\n"),
        },
    )
    assert outcome.out == lines(
        "accounts/x/a2.yaml:10:6: CON-001 error a2 failed at x-a",
        "accounts/x/a3.yaml:11:6: CON-001 error a3 failed at x-b",
        "accounts/x/a4.yaml:13:6: CON-001 error a4 failed at x-e",
        "accounts/x/a5.yaml:12:6: CON-001 error a5 failed at x-f",
        "accounts/x/a6.yaml:1:1: CON-001 error a6 failed at x-a",
    ), outcome
    assert outcome.code == 1


def test_when_forces_and_kind(run: Any, tmp_path: Path) -> None:
    rules = """\
    - id: CON-001
      title: Live accounts have x-a
      severity: error
      when: {field: lifecycle.status, in: [active, dormant]}
      assert: {field: x-a, present: true}
      message: "{id}: live"
    - id: CON-002
      title: Kent only
      severity: warning
      forces: [kent]
      assert: {field: x-a, present: true}
      message: "{id}: kent"
    - id: CON-003
      title: Strategy reviewed
      severity: info
      kind: Strategy
      assert: {field: review_due, after: "2027-06-01"}
      message: "{id}: strategy {id} review due {value}"
    """
    outcome = _check(
        run,
        tmp_path,
        rules,
        {
            **force_documents(),
            "accounts/x/glos-live.yaml": account("glos-live"),
            "accounts/x/glos-closed.yaml": account("glos-closed", status="closed"),
            "accounts/x/kent-live.yaml": account("kent-live", force="kent"),
        },
    )
    assert outcome.out == lines(
        "accounts/x/glos-live.yaml:1:1: CON-001 error glos-live: live",
        "accounts/x/kent-live.yaml:1:1: CON-001 error kent-live: live",
        "accounts/x/kent-live.yaml:1:1: CON-002 warning kent-live: kent",
        "force/gloucestershire-strategy.yaml:10:13: CON-003 info glos-comms-2026: strategy "
        "glos-comms-2026 review due '2027-03-01'",
    ), outcome


def test_enforce_from_reports_an_error_as_a_warning_until_the_date(
    run: Any, tmp_path: Path
) -> None:
    rules = """\
    - id: CON-001
      title: x-a present
      severity: error
      enforce_from: 2027-01-01
      assert: {field: x-a, present: true}
      message: "{id}: no x-a"
    """
    files = {"accounts/x/a1.yaml": account("a1")}
    outcome = _check(run, tmp_path, rules, files)
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: CON-001 warning a1: no x-a (an error from 2027-01-01)"
    ), outcome
    assert outcome.code == 0
    later = run("check", "--as-of", "2027-01-01", cwd=tmp_path)
    assert later.out == lines("accounts/x/a1.yaml:1:1: CON-001 error a1: no x-a"), later
    assert later.code == 1


# --- for: all | any | none --------------------------------------------------------------------

_QUANTIFIERS = """\
- id: CON-001
  title: every
  severity: error
  assert: {field: "x-l[*].v", equals: 1}
  message: "{id} all {field} {value}"
- id: CON-002
  title: some
  severity: error
  assert: {field: "x-l[*].v", equals: 1, for: any}
  message: "{id} any {field} {value}"
- id: CON-003
  title: no
  severity: error
  assert: {field: "x-l[*].v", equals: 1, for: none}
  message: "{id} none {field} {value}"
"""


def test_quantifiers(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        _QUANTIFIERS,
        {
            "accounts/x/mixed.yaml": account(
                "mixed", extra="x-l:\n  - {v: 1}\n  - {v: 2}\n  - {v: 1}\n"
            ),
            "accounts/x/ones.yaml": account("ones", extra="x-l:\n  - {v: 1}\n  - {v: 1}\n"),
            "accounts/x/twos.yaml": account("twos", extra="x-l:\n  - {v: 2}\n  - {w: 1}\n"),
            "accounts/x/empty.yaml": account("empty", extra="x-l: []\n"),
            "accounts/x/missing.yaml": account("missing"),
        },
    )
    assert outcome.out == lines(
        # over an empty list `all` and `none` hold and `any` fails
        "accounts/x/empty.yaml:10:1: CON-002 error empty any x-l []",
        # a missing list is one absent item: `all` and `any` fail, `none` holds
        "accounts/x/missing.yaml:1:1: CON-001 error missing all x-l (absent)",
        "accounts/x/missing.yaml:1:1: CON-002 error missing any x-l (absent)",
        # `none`: the first item that matched; `all`: the first item that did not
        "accounts/x/mixed.yaml:11:9: CON-003 error mixed none x-l[0].v 1",
        "accounts/x/mixed.yaml:12:9: CON-001 error mixed all x-l[1].v 2",
        "accounts/x/ones.yaml:11:9: CON-003 error ones none x-l[0].v 1",
        # `any` failing is located at the first item tried
        "accounts/x/twos.yaml:11:9: CON-001 error twos all x-l[0].v 2",
        "accounts/x/twos.yaml:11:9: CON-002 error twos any x-l[0].v 2",
    ), outcome


def test_filter_paths(run: Any, tmp_path: Path) -> None:
    rules = """\
    - id: CON-001
      title: Admins use MFA
      severity: error
      assert: {field: "operators[role=admin].mfa", equals: true}
      message: "{id}: {field} is {value}"
    - id: CON-002
      title: The owner's role is among the operators
      severity: warning
      assert: {field: "operators[role={owner.role}]", present: true, for: any}
      message: "{id}: no operator with the owner's role"
    """
    outcome = _check(
        run,
        tmp_path,
        rules,
        {
            "accounts/x/a1.yaml": account(
                "a1",
                extra="""\
                owner: {role: moderator}
                operators:
                  - {role: admin, mfa: true}
                  - {role: publisher, mfa: false}
                  - {role: admin, mfa: false}
                """,
            ),
            "accounts/x/a2.yaml": account(
                "a2", extra="owner: {role: admin}\noperators:\n  - {role: admin, mfa: true}\n"
            ),
        },
    )
    assert outcome.out == lines(
        "accounts/x/a1.yaml:11:1: CON-002 warning a1: no operator with the owner's role",
        "accounts/x/a1.yaml:14:24: CON-001 error a1: operators[2].mfa is false",
    ), outcome


# --- satisfies ----------------------------------------------------------------------------

_SATISFIES = """\
- id: CON-001
  title: Native logins use MFA
  severity: error
  assert:
    field: "operators[*]"
    satisfies:
      any:
        - {field: access_via, not_equals: native}
        - {field: mfa, equals: true}
  message: "{id}: {field}"
- id: CON-002
  title: Operators hold the account's role
  severity: warning
  assert:
    field: "operators[*]"
    satisfies: {field: role, equals: {field: $.x-role}}
  message: "{id}: {field} is {value}"
"""


def test_satisfies_with_relative_paths(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        _SATISFIES,
        {
            "accounts/x/good.yaml": account(
                "good",
                extra="""\
                x-role: publisher
                operators:
                  - {role: publisher, access_via: smmp}
                  - {role: publisher, access_via: native, mfa: true}
                """,
            ),
            "accounts/x/bad.yaml": account(
                "bad",
                extra="""\
                x-role: publisher
                operators:
                  - {role: publisher, access_via: smmp}
                  - {role: admin, access_via: native, mfa: false}
                """,
            ),
            "accounts/x/none.yaml": account("none", extra="x-role: publisher\noperators: []\n"),
            "accounts/x/missing.yaml": account("missing", extra="x-role: publisher\n"),
        },
    )
    assert outcome.out == lines(
        # `any` inside satisfies: located at the first condition tried on the failing item
        "accounts/x/bad.yaml:13:12: CON-002 warning bad: operators[1].role is 'admin'",
        "accounts/x/bad.yaml:13:31: CON-001 error bad: operators[1].access_via",
        # no operators at all: one absent item, which satisfies nothing
        "accounts/x/missing.yaml:1:1: CON-001 error missing: operators",
        "accounts/x/missing.yaml:1:1: CON-002 warning missing: operators is (withheld: "
        "personal data)",
    ), outcome


def test_satisfies_with_an_absolute_path(run: Any, tmp_path: Path) -> None:
    rules = """\
    - id: CON-001
      title: Operators of flagged accounts
      severity: error
      assert:
        field: "operators[*]"
        satisfies: {field: $.x-flag, equals: true}
      message: "{id}: {field} is {value}"
    """
    outcome = _check(
        run,
        tmp_path,
        rules,
        {
            "accounts/x/flag-off.yaml": account(
                "flag-off", extra="x-flag: false\noperators:\n  - {role: publisher}\n"
            ),
            "accounts/x/absent.yaml": account(
                "absent", extra="operators:\n  - {role: publisher}\n"
            ),
        },
    )
    # `$.x-flag` is the document's own key: the finding is there, not inside operators[0].
    assert outcome.out == lines(
        "accounts/x/absent.yaml:1:1: CON-001 error absent: x-flag is (absent)",
        "accounts/x/flag-off.yaml:10:9: CON-001 error flag-off: x-flag is false",
    ), outcome


# --- exists_in --------------------------------------------------------------------------------


def test_exists_in(run: Any, tmp_path: Path) -> None:
    rules = """\
    - id: CON-001
      title: Objectives exist in the force's strategy
      severity: error
      assert:
        field: "strategy.objectives[*]"
        exists_in: {kind: Strategy, field: "objectives[*].id", same: [force]}
      message: "{id}: objective {value} is not in the strategy"
    - id: CON-002
      title: Objectives exist, ignoring case
      severity: warning
      assert:
        field: "strategy.objectives[*]"
        ignore_case: true
        exists_in: {kind: Strategy, field: "objectives[*].id", same: [force]}
      message: "{id}: {value}"
    - id: CON-003
      title: Objectives exist in a strategy reviewed after 2028
      severity: info
      assert:
        field: "strategy.objectives[*]"
        exists_in:
          kind: Strategy
          field: "objectives[*].id"
          same: [force]
          where: {field: review_due, after: "2028-01-01"}
      message: "{id}: {value}"
    - id: CON-004
      title: Active objectives only
      severity: info
      assert:
        field: "strategy.objectives[*]"
        exists_in: {kind: Strategy, field: "objectives[status=active].id", same: [force]}
      message: "{id}: {value}"
    """
    outcome = _check(
        run,
        tmp_path,
        rules,
        {
            **force_documents(),
            "accounts/x/glos-a.yaml": account(
                "glos-a", extra="strategy: {objectives: [OBJ-ENG-01, OBJ-NOPE]}\n"
            ),
            "accounts/x/glos-b.yaml": account(
                "glos-b", extra="strategy: {objectives: [obj-eng-01]}\n"
            ),
            "accounts/x/glos-c.yaml": account(
                "glos-c", extra="strategy: {objectives: [OBJ-ENG-00]}\n"
            ),
            "accounts/x/kent-a.yaml": account(
                "kent-a", force="kent", extra="strategy: {objectives: [OBJ-ENG-01]}\n"
            ),
        },
    )
    assert outcome.out == lines(
        "accounts/x/glos-a.yaml:10:25: CON-003 info glos-a: 'OBJ-ENG-01'",
        "accounts/x/glos-a.yaml:10:37: CON-001 error glos-a: objective 'OBJ-NOPE' is not in the "
        "strategy",
        "accounts/x/glos-a.yaml:10:37: CON-002 warning glos-a: 'OBJ-NOPE'",
        "accounts/x/glos-a.yaml:10:37: CON-004 info glos-a: 'OBJ-NOPE'",
        "accounts/x/glos-b.yaml:10:25: CON-001 error glos-b: objective 'obj-eng-01' is not in "
        "the strategy",
        "accounts/x/glos-b.yaml:10:25: CON-003 info glos-b: 'obj-eng-01'",
        "accounts/x/glos-b.yaml:10:25: CON-004 info glos-b: 'obj-eng-01'",
        "accounts/x/glos-c.yaml:10:25: CON-003 info glos-c: 'OBJ-ENG-00'",
        "accounts/x/glos-c.yaml:10:25: CON-004 info glos-c: 'OBJ-ENG-00'",
        # Kent has no strategy: `same: [force]` finds nothing to compare with
        "accounts/x/kent-a.yaml:10:25: CON-001 error kent-a: objective 'OBJ-ENG-01' is not in "
        "the strategy",
        "accounts/x/kent-a.yaml:10:25: CON-002 warning kent-a: 'OBJ-ENG-01'",
        "accounts/x/kent-a.yaml:10:25: CON-003 info kent-a: 'OBJ-ENG-01'",
        "accounts/x/kent-a.yaml:10:25: CON-004 info kent-a: 'OBJ-ENG-01'",
    ), outcome


# --- unique ---------------------------------------------------------------------------------

_UNIQUE = """\
- id: CON-001
  title: Handle unique per platform, any case
  severity: error
  assert: {field: handle, unique: {within: [platform]}, ignore_case: true}
  message: "{id}: {value}"
- id: CON-002
  title: Handle unique everywhere, exact case
  severity: warning
  assert: {field: handle, unique: {}}
  message: "{id}: {value}"
- id: CON-003
  title: Handle unique among active accounts
  severity: info
  assert: {field: handle, unique: {where: {field: lifecycle.status, equals: active}}}
  message: "{id}: {value}"
"""


def test_unique(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        _UNIQUE,
        {
            "accounts/facebook/f1.yaml": account("f1", platform="facebook", handle="@Same"),
            "accounts/facebook/f2.yaml": account("f2", platform="facebook", handle="@Other"),
            "accounts/x/x1.yaml": account("x1", handle="@Same"),
            "accounts/x/x2.yaml": account("x2", handle="@same"),
            "accounts/x/x3.yaml": account("x3", handle="@Third", status="closed"),
            "accounts/youtube/y1.yaml": account(
                "y1", platform="youtube", handle="@Third", status="closed"
            ),
        },
    )
    assert outcome.out == lines(
        "accounts/facebook/f1.yaml:6:9: CON-002 warning f1: '@Same'",
        "accounts/facebook/f1.yaml:6:9: CON-003 info f1: '@Same'",
        "accounts/x/x1.yaml:6:9: CON-001 error x1: '@Same'",
        "accounts/x/x1.yaml:6:9: CON-002 warning x1: '@Same'",
        "accounts/x/x1.yaml:6:9: CON-003 info x1: '@Same'",
        "accounts/x/x2.yaml:6:9: CON-001 error x2: '@same'",
        "accounts/x/x3.yaml:6:9: CON-002 warning x3: '@Third'",
        "accounts/youtube/y1.yaml:6:9: CON-002 warning y1: '@Third'",
    ), outcome


# --- at_most ----------------------------------------------------------------------------------

_AT_MOST = """\
- id: CON-001
  title: One active account per area and platform
  severity: warning
  assert:
    field: x-area
    at_most: {count: 1, within: [force, platform], where: {field: lifecycle.status, equals: active}}
  message: "{id}: another account already covers {value}"
- id: CON-002
  title: No more accounts per area than the strategy allows
  severity: info
  assert:
    field: x-area
    at_most:
      count: {lookup: {kind: Strategy, field: "portfolio.max_per_area.{platform}"}}
      within: [force, platform]
  message: "{id}: over the strategy's cap in {value}"
"""


def test_at_most(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        _AT_MOST,
        {
            **force_documents(),
            "accounts/facebook/f1.yaml": account(
                "f1", platform="facebook", extra="x-area: STROUD\n"
            ),
            "accounts/facebook/f2.yaml": account(
                "f2", platform="facebook", extra="x-area: STROUD\n"
            ),
            "accounts/facebook/f3.yaml": account("f3", platform="facebook", extra="x-area: COTS\n"),
            "accounts/x/x1.yaml": account("x1", status="closed", extra="x-area: STROUD\n"),
            "accounts/x/x2.yaml": account("x2", extra="x-area: STROUD\n"),
            "accounts/x/x3.yaml": account("x3", extra="x-area: STROUD\n"),
            "accounts/x/x4.yaml": account("x4", extra="x-area: STROUD\n"),
        },
    )
    assert outcome.out == lines(
        # the first in file order passes, the rest are flagged
        "accounts/facebook/f2.yaml:10:9: CON-001 warning f2: another account already covers "
        "'STROUD'",
        "accounts/facebook/f2.yaml:10:9: CON-002 info f2: over the strategy's cap in 'STROUD'",
        # x1 is closed: not counted by CON-001's `where`, counted by CON-002
        "accounts/x/x2.yaml:10:9: CON-002 info x2: over the strategy's cap in 'STROUD'",
        "accounts/x/x3.yaml:10:9: CON-001 warning x3: another account already covers 'STROUD'",
        "accounts/x/x3.yaml:10:9: CON-002 info x3: over the strategy's cap in 'STROUD'",
        "accounts/x/x4.yaml:10:9: CON-001 warning x4: another account already covers 'STROUD'",
        "accounts/x/x4.yaml:10:9: CON-002 info x4: over the strategy's cap in 'STROUD'",
    ), outcome


def test_at_most_with_a_cap_of_two(run: Any, tmp_path: Path) -> None:
    rules = """\
    - id: CON-001
      title: Two per area
      severity: warning
      assert: {field: x-area, at_most: {count: 2, within: [platform]}}
      message: "{id}: {value}"
    """
    files = {f"accounts/x/x{n}.yaml": account(f"x{n}", extra="x-area: STROUD\n") for n in range(4)}
    outcome = _check(run, tmp_path, rules, files)
    assert outcome.out == lines(
        "accounts/x/x2.yaml:10:9: CON-001 warning x2: 'STROUD'",
        "accounts/x/x3.yaml:10:9: CON-001 warning x3: 'STROUD'",
    ), outcome


def test_at_most_cap_that_resolves_to_nothing_fails(run: Any, tmp_path: Path) -> None:
    # The strategy sets no cap for youtube: the reference resolves to nothing.
    outcome = _check(
        run,
        tmp_path,
        _AT_MOST,
        {
            **force_documents(),
            "accounts/youtube/y1.yaml": account("y1", platform="youtube", extra="x-area: COTS\n"),
        },
    )
    assert outcome.out == lines(
        "accounts/youtube/y1.yaml:10:9: CON-002 info y1: over the strategy's cap in 'COTS'"
    ), outcome


# --- references ---------------------------------------------------------------------------

_REFERENCES = """\
- id: CON-001
  title: Field reference
  severity: error
  assert: {field: x-a, equals: {field: x-b}}
  message: "{id}: x-a {value} differs from x-b"
- id: CON-002
  title: Lookup with a default
  severity: error
  assert:
    field: bio
    contains_any: {lookup: {kind: BrandGuide, field: bio.required.x-none, default: ["999"]}}
  message: "{id}: no emergency wording"
- id: CON-003
  title: Lookup
  severity: error
  assert:
    field: bio
    contains_all: {lookup: {kind: BrandGuide, field: bio.required.non_emergency}}
  message: "{id}: no non-emergency wording"
- id: CON-004
  title: Ref
  severity: warning
  assert:
    field: platform
    equals: {ref: {kind: Account, by: x-twin, field: platform}}
  message: "{id}: the twin is on another platform"
- id: CON-005
  title: Count
  severity: warning
  assert:
    field: x-cap
    gte: {count: {kind: Account, same: [force], where: {field: lifecycle.status, equals: active}}}
  message: "{id}: cap {value} is below the number of active accounts"
- id: CON-006
  title: Lookup subject
  severity: info
  assert: {lookup: {kind: Force, field: short_code}, equals: GLOS}
  message: "{id}: short code"
- id: CON-007
  title: Ref subject with a default
  severity: info
  assert: {ref: {kind: Account, by: x-twin, field: x-a, default: 5}, equals: 5}
  message: "{id}: the twin's x-a is not 5"
"""


def test_references(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        _REFERENCES,
        {
            **force_documents(),
            "accounts/x/a1.yaml": account(
                "a1",
                extra="x-a: 1\nx-b: 1\nbio: 999, 101 or online\nx-twin: a2\nx-cap: 3\n",
            ),
            "accounts/x/a2.yaml": account(
                "a2", extra="x-a: 1\nx-b: 2\nbio: Call 101\nx-twin: a3\nx-cap: 2\n"
            ),
            "accounts/facebook/a3.yaml": account(
                "a3", platform="facebook", extra="x-a: 1\nbio: 999 online 101\nx-twin: nobody\n"
            ),
        },
    )
    assert outcome.out == lines(
        # x-cap absent, x-twin names no account: the default 5 is used for CON-007
        "accounts/facebook/a3.yaml:1:1: CON-005 warning a3: cap (absent) is below the number "
        "of active accounts",
        "accounts/facebook/a3.yaml:5:11: CON-004 warning a3: the twin is on another platform",
        # x-b is absent: a reference to nothing fails
        "accounts/facebook/a3.yaml:10:6: CON-001 error a3: x-a 1 differs from x-b",
        "accounts/x/a1.yaml:13:9: CON-007 info a1: the twin's x-a is not 5",
        "accounts/x/a2.yaml:5:11: CON-004 warning a2: the twin is on another platform",
        "accounts/x/a2.yaml:10:6: CON-001 error a2: x-a 1 differs from x-b",
        "accounts/x/a2.yaml:12:6: CON-002 error a2: no emergency wording",
        "accounts/x/a2.yaml:12:6: CON-003 error a2: no non-emergency wording",
        "accounts/x/a2.yaml:13:9: CON-007 info a2: the twin's x-a is not 5",
        "accounts/x/a2.yaml:14:8: CON-005 warning a2: cap 2 is below the number of active accounts",
    ), outcome


def test_argument_from_a_document_that_does_not_suit_the_operator(run: Any, tmp_path: Path) -> None:
    rules = """\
    - id: CON-001
      title: Handle follows the brand guide
      severity: error
      assert:
        field: handle
        matches_any: {lookup: {kind: BrandGuide, field: "handle_patterns.{account_type}"}}
      message: "{id}: handle {value}"
    """
    files = force_documents()
    brand = "force/gloucestershire-brand.yaml"
    files[brand] = files[brand].replace('["^@?Glos_Police$"]', '["^@?(Glos_Police$"]')
    outcome = _check(
        run,
        tmp_path,
        rules,
        {
            **files,
            "accounts/x/main.yaml": account("main"),
            "accounts/x/dogs.yaml": account(
                "dogs", handle="@GlosPoliceDogs", account_type="department"
            ),
        },
    )
    assert outcome.out == lines(
        "accounts/x/main.yaml:1:1: CON-001 error cannot check CON-001: matches_any argument: "
        "invalid regular expression '^@?(Glos_Police$': missing ), unterminated subpattern at "
        "position 3"
    ), outcome


# --- no_secrets -----------------------------------------------------------------------------

_NO_SECRETS = """\
- id: CON-001
  title: No secrets
  severity: error
  assert: {no_secrets: true}
  message: "{id}: something secret at {field}"
"""


def test_no_secrets(run: Any, tmp_path: Path) -> None:
    files = {
        "clean": "security: {credential_store: smmp, mfa: {enabled: true}}\n",
        "password-key": "x-password: hunter2\n",
        "password-in-notes": 'notes: "login password: hunter2"\n',
        "otpauth": "x-keys:\n  - otpauth://totp/Glos?secret=JBSWY3DPEHPK3PXP\n",
        "github": "x-gh: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n",
        "aws": "x-aws: AKIAABCDEFGHIJKLMNOP\n",
        "private-key": "x-k: |\n  -----BEGIN RSA PRIVATE KEY-----\n  abc\n",
        "slack": "x-slack: xoxb-1234567890-abcdef\n",
        "jwt": "x-jwt: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl\n",
        "totp-seed": "x-totp: JBSWY3DPEHPK3PXP\n",
        "empty-token": "x-api-key: ''\nx-token: null\n",
    }
    outcome = _check(
        run,
        tmp_path,
        _NO_SECRETS,
        {f"accounts/x/{name}.yaml": account(name, extra=extra) for name, extra in files.items()},
    )
    assert outcome.out == lines(
        "accounts/x/aws.yaml:10:8: CON-001 error aws: something secret at x-aws",
        "accounts/x/github.yaml:10:7: CON-001 error github: something secret at x-gh",
        "accounts/x/jwt.yaml:10:8: CON-001 error jwt: something secret at x-jwt",
        "accounts/x/otpauth.yaml:11:5: CON-001 error otpauth: something secret at x-keys[0]",
        "accounts/x/password-in-notes.yaml:10:8: CON-001 error password-in-notes: something "
        "secret at notes",
        "accounts/x/password-key.yaml:10:13: CON-001 error password-key: something secret at "
        "x-password",
        "accounts/x/private-key.yaml:10:6: CON-001 error private-key: something secret at x-k",
        "accounts/x/slack.yaml:10:10: CON-001 error slack: something secret at x-slack",
        "accounts/x/totp-seed.yaml:10:9: CON-001 error totp-seed: something secret at x-totp",
    ), outcome


def test_no_secrets_finds_a_list_of_recovery_codes(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        _NO_SECRETS,
        {"accounts/x/codes.yaml": account("codes", extra="x-recovery-codes: [a1b2-c3d4, e5f6]\n")},
    )
    assert outcome.code == 1, outcome
    assert outcome.out.startswith("accounts/x/codes.yaml:10:"), outcome
    assert " CON-001 error codes: something secret at x-recovery-codes" in outcome.out


# --- messages ---------------------------------------------------------------------------------

_MESSAGES = """\
- id: CON-001
  title: Owner has a force address
  severity: error
  assert: {field: owner.email, matches: 'police\\.uk$'}
  message: "{id} ({handle}): {field} {value} is not a force address {{literal}}"
- id: CON-002
  title: Owner is an administrator
  severity: warning
  assert: {field: owner.role, equals: admin}
  message: "{id}: {field} is {value}; role {owner.role}, area {x-area.code}, n {x-n}"
- id: CON-003
  title: Operators have force addresses
  severity: info
  assert: {field: "operators[*].email", matches: 'police\\.uk$'}
- id: CON-004
  title: Operators have MFA
  severity: info
  assert: {field: "operators[*].mfa", equals: true}
  message: "{id}: {field} is {value}"
- id: CON-005
  title: Missing field
  severity: info
  assert: {field: x-missing.deep, present: true}
  message: "{id}: {field} is {value}; {x-missing.deep}"
"""


def test_message_placeholders_and_personal_data(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        _MESSAGES,
        {
            "accounts/x/a1.yaml": account(
                "a1",
                extra="""\
                owner: {name: Jo Bloggs, email: jo@gmail.com, role: publisher}
                x-area: {code: STROUD}
                x-n: 5
                operators:
                  - {name: A, email: a@gmail.com, mfa: false}
                """,
            )
        },
    )
    assert outcome.out == lines(
        "accounts/x/a1.yaml:1:1: CON-005 info a1: x-missing.deep is (absent); (absent)",
        # {value} of owner.email is personal data and is withheld
        "accounts/x/a1.yaml:10:33: CON-001 error a1 (@Glos_Police): owner.email (withheld: "
        "personal data) is not a force address {literal}",
        # role is not personal: {value} and {owner.role} are shown
        "accounts/x/a1.yaml:10:53: CON-002 warning a1: owner.role is 'publisher'; role "
        "publisher, area STROUD, n 5",
        # no message: the title
        "accounts/x/a1.yaml:14:22: CON-003 info Operators have force addresses",
        # mfa is not personal
        "accounts/x/a1.yaml:14:40: CON-004 info a1: operators[0].mfa is false",
    ), outcome
    assert "Jo Bloggs" not in outcome.out
    assert "gmail" not in outcome.out


# --- locations ----------------------------------------------------------------------------


def test_finding_locations(run: Any, tmp_path: Path) -> None:
    rules = """\
    - id: CON-001
      title: Owner email
      severity: error
      assert: {field: owner.email, present: true}
      message: "{id}: {field}"
    - id: CON-002
      title: Operator MFA
      severity: error
      assert: {field: "operators[*].mfa", equals: true}
      message: "{id}: {field}"
    - id: CON-003
      title: Security MFA enabled
      severity: error
      assert: {field: security.mfa.enabled, equals: true}
      message: "{id}: {field}"
    - id: CON-004
      title: Third operator
      severity: error
      assert: {field: "operators[2].role", present: true}
      message: "{id}: {field}"
    """
    outcome = _check(
        run,
        tmp_path,
        rules,
        {
            "accounts/x/a1.yaml": account(
                "a1",
                extra="""\
                owner:
                  name: PC One
                operators:
                  - name: A
                    mfa: true
                  - name: B
                    role: publisher
                security:
                  mfa:
                    method: sms
                """,
            )
        },
    )
    assert outcome.out == lines(
        # absent owner.email: at the `owner:` key
        "accounts/x/a1.yaml:10:1: CON-001 error a1: owner.email",
        # absent operators[2]: at the `operators:` key
        "accounts/x/a1.yaml:12:1: CON-004 error a1: operators[2].role",
        # absent operators[1].mfa: at the item operators[1], its nearest existing parent
        "accounts/x/a1.yaml:15:5: CON-002 error a1: operators[1].mfa",
        # absent security.mfa.enabled: at the `mfa:` key
        "accounts/x/a1.yaml:18:3: CON-003 error a1: security.mfa.enabled",
    ), outcome


def test_finding_json_path_and_location(run: Any, tmp_path: Path) -> None:
    rules = """\
    - id: CON-001
      title: Operator MFA
      severity: warning
      assert: {field: "operators[*].mfa", equals: true}
    """
    _check(
        run,
        tmp_path,
        rules,
        {
            "accounts/x/a1.yaml": account(
                "a1", extra="operators:\n  - {name: A, mfa: true}\n  - {name: B, mfa: false}\n"
            )
        },
    )
    outcome = run("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    (finding,) = outcome.json()["findings"]
    assert finding == {
        "rule": "CON-001",
        "title": "Operator MFA",
        "fix": "",
        "severity": "warning",
        "policy": "local",
        "file": "accounts/x/a1.yaml",
        "line": 12,
        "column": 20,
        "path": "operators[1].mfa",
        "document": "a1",
        "force": "gloucestershire",
        "message": "Operator MFA",
        "waived_by": None,
    }


def test_as_of_is_not_hidden_by_the_cache(run: Any, tmp_path: Path) -> None:
    rules = """\
    - id: CON-001
      title: Objectives in a current strategy
      severity: error
      assert:
        field: "strategy.objectives[*]"
        exists_in:
          kind: Strategy
          field: "objectives[*].id"
          same: [force]
          where: {field: review_due, after: today}
      message: "{id}: {value} is not in a current strategy"
    """
    files = {
        **force_documents(),
        "accounts/x/a1.yaml": account("a1", extra="strategy: {objectives: [OBJ-ENG-01]}\n"),
    }
    assert _check(run, tmp_path, rules, files).out == ""
    # The strategy (review due 2027-03-01) is not a target: it may come from the cache.
    later = run("check", "--as-of", "2027-06-01", "accounts/x/a1.yaml", cwd=tmp_path)
    assert later.out == lines(
        "accounts/x/a1.yaml:10:25: CON-001 error a1: 'OBJ-ENG-01' is not in a current strategy"
    ), later


def test_malformed_force_is_a_schema_finding_not_a_crash(run: Any, tmp_path: Path) -> None:
    rules = """\
    - id: CON-001
      title: Kent accounts have x-a
      severity: error
      forces: [kent]
      assert: {field: x-a, present: true}
    """
    outcome = _check(
        run,
        tmp_path,
        rules,
        {
            "accounts/x/a1.yaml": account("a1", force="[kent, gloucestershire]"),
            "accounts/x/a2.yaml": account("a2", force="{name: kent}"),
        },
    )
    assert "internal error" not in outcome.err, outcome
    assert outcome.code == 1, outcome
    assert "CON-001" not in outcome.out  # neither document belongs to Kent
    assert "accounts/x/a1.yaml:4:1: TAB-003 error force: " in outcome.out, outcome
    assert "accounts/x/a2.yaml:4:1: TAB-003 error force: " in outcome.out, outcome
