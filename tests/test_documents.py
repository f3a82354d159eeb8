"""tabard's own findings about documents (design §4.3): TAB-001 to TAB-007, via the CLI."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from tabard.documents.checks import file_stem
from tests.builders import AS_OF, account, force_documents, lines, policy, project

# A rule every valid test account satisfies: only engine findings are reported.
_QUIET = """\
- id: LOC-001
  title: Handle present
  severity: info
  assert: {field: handle, present: true}
"""

_TAG = (
    "tag {tag} is not allowed: tabard documents hold only strings, numbers, booleans, null, "
    "lists and mappings"
)


def _check(run: Any, root: Path, files: dict[str, str | bytes], *args: str) -> Any:
    text = {name: body for name, body in files.items() if isinstance(body, str)}
    project(root, {"policies/local.yaml": policy(_QUIET), **text})
    for name, body in files.items():
        if isinstance(body, bytes):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(body)
    return run("check", "--as-of", AS_OF, *args, cwd=root)


# --- TAB-001 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            account("bad") + "bio: [unclosed\n",
            "accounts/x/bad.yaml:11:1: TAB-001 error did not find expected ',' or ']'",
            id="syntax-error",
        ),
        pytest.param(
            account("bad") + "bio: a: b\n",
            "accounts/x/bad.yaml:10:7: TAB-001 error mapping values are not allowed in this "
            "context",
            id="mapping-in-scalar",
        ),
        pytest.param(
            account("bad").encode() + b"bio: caf\xe9\n",
            "accounts/x/bad.yaml:10:9: TAB-001 error file is not valid UTF-8 (byte 0xe9); save "
            "it as UTF-8",
            id="non-utf8",
        ),
        pytest.param(
            account("bad") + "bio: !!binary aGVsbG8=\n",
            "accounts/x/bad.yaml:10:6: TAB-001 error " + _TAG.format(tag="!!binary"),
            id="binary-tag",
        ),
        pytest.param(
            account("bad") + "bio: !!python/object/apply:os.system [id]\n",
            "accounts/x/bad.yaml:10:6: TAB-001 error "
            + _TAG.format(tag="!!python/object/apply:os.system"),
            id="python-tag",
        ),
        pytest.param(
            account("bad") + "x-a: &a [1]\nx-b: *missing\n",
            "accounts/x/bad.yaml:11:6: TAB-001 error alias *missing refers to an anchor that is "
            "not complete here",
            id="unknown-alias",
        ),
        pytest.param(
            account("bad") + "x-count: " + "1" * 5000 + "\n",
            "accounts/x/bad.yaml:10:10: TAB-001 error number too long (5000 digits; at most "
            "1000): if it is meant as text, put it in quotes",
            id="integer-past-python-limit",
        ),
        pytest.param(
            account("bad") + "x-count: 0x" + "f" * 5000 + "\n",
            "accounts/x/bad.yaml:10:10: TAB-001 error number too long (5000 digits; at most "
            "1000): if it is meant as text, put it in quotes",
            id="long-hex",
        ),
        pytest.param(
            account("bad") + "bio: Sian\x07s page\n",
            "accounts/x/bad.yaml:10:10: TAB-001 error the file holds the control character "
            "U+0007, which YAML does not allow; delete it",
            id="control-character",
        ),
        pytest.param(
            account("bad") + "owner: !<yaml> {name: A}\n",
            "accounts/x/bad.yaml:10:8: TAB-001 error " + _TAG.format(tag="!<yaml>"),
            id="verbatim-tag-on-a-mapping",
        ),
        pytest.param(
            account("bad") + "owner: !!ma {name: A}\n",
            "accounts/x/bad.yaml:10:8: TAB-001 error " + _TAG.format(tag="!!ma"),
            id="partial-core-tag-on-a-mapping",
        ),
        pytest.param(
            account("bad") + "notes: >\n  one\u2028two\n  three\nbio: [\n",
            "accounts/x/bad.yaml:14:1: TAB-001 error did not find expected node content",
            id="separator-in-a-folded-block",
        ),
        pytest.param(
            account("bad") + 'notes: "' + "x" * (1 << 20) + '"\n',
            "accounts/x/bad.yaml:1:1: TAB-001 error file is larger than 1 MiB; a tabard "
            "document is a few kilobytes, so this is not one",
            id="over-1-mib",
        ),
    ],
)
def test_tab_001(run: Any, tmp_path: Path, body: str | bytes, expected: str) -> None:
    outcome = _check(run, tmp_path, {"accounts/x/bad.yaml": body})
    assert outcome.code == 1, outcome
    assert outcome.out == lines(expected), outcome
    assert (
        outcome.err == "tabard: 1 error, 0 warnings, 0 info, 0 waived in 0 documents (0 checked)\n"
    )


def test_big_files_outside_account_directories(run: Any, tmp_path: Path) -> None:
    padding = "x" * (1 << 20)
    outcome = _check(
        run,
        tmp_path,
        {
            "data/dump.yaml": f'blob: "{padding}"\n',
            "force/huge.yaml": f'apiVersion: tabard/v1\nkind: Force\nnotes: "{padding}"\n',
        },
    )
    assert outcome.out == lines(
        "force/huge.yaml:1:1: TAB-001 error file is larger than 1 MiB; a tabard document is a "
        "few kilobytes, so this is not one"
    ), outcome


def test_exactly_one_mib_is_read(run: Any, tmp_path: Path) -> None:
    body = account("edge") + "notes: "
    body += "x" * ((1 << 20) - len(body) - 1) + "\n"
    assert len(body.encode()) == 1 << 20
    outcome = _check(run, tmp_path, {"accounts/x/edge.yaml": body})
    assert outcome.out == "", outcome
    assert outcome.code == 0


def test_broken_yaml_outside_account_directories_that_is_not_tabard(
    run: Any, tmp_path: Path
) -> None:
    outcome = _check(run, tmp_path, {"ci/pipeline.yaml": "steps: [unclosed\n"})
    assert outcome.out == "", outcome
    assert outcome.code == 0


def test_broken_tabard_document_outside_account_directories(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run, tmp_path, {"waivers/w.yaml": "apiVersion: tabard/v1\nkind: Waiver\nid: [\n"}
    )
    assert outcome.out == lines(
        "waivers/w.yaml:4:1: TAB-001 error did not find expected node content"
    ), outcome


# --- TAB-002 ------------------------------------------------------------------------------


def test_tab_002(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        {
            "accounts/x/dup.yaml": account("dup") + 'handle: "@Again"\n',
            "accounts/x/nested.yaml": account(
                "nested", extra="owner:\n  name: A\n  role: x\n  name: B\n"
            ),
        },
    )
    assert outcome.out == lines(
        "accounts/x/dup.yaml:10:1: TAB-002 error duplicate key 'handle' (first on line 6); YAML "
        "keeps only one of them, so remove or rename one",
        "accounts/x/nested.yaml:13:3: TAB-002 error duplicate key 'name' (first on line 11); "
        "YAML keeps only one of them, so remove or rename one",
    ), outcome
    assert outcome.code == 1


# --- TAB-003 ------------------------------------------------------------------------------


def test_tab_003_schema_problems(run: Any, tmp_path: Path) -> None:
    missing_type = account("req").replace("account_type: corporate\n", "")
    outcome = _check(
        run,
        tmp_path,
        {
            "accounts/x/unknown-key.yaml": account("unknown-key", extra="ownr:\n  name: A\n"),
            "accounts/x/req.yaml": missing_type,
            "accounts/x/typ.yaml": account("typ", extra="audience: residents\n"),
            "accounts/x/enum.yaml": account("enum", platform="twitter"),
            "accounts/x/force.yaml": account("force", force="glos"),
            "accounts/x/nested.yaml": account("nested", extra="security:\n  mfa: {enabled: yes}\n"),
            "accounts/x/free.yaml": account("free", extra="x-anything: {goes: [here]}\n"),
        },
    )
    assert outcome.out == lines(
        'accounts/x/enum.yaml:5:11: TAB-003 error platform: "twitter" is not one of "x", '
        '"facebook" or 11 other candidates',
        'accounts/x/force.yaml:4:8: TAB-003 error force: "glos" is not one of '
        '"avon-and-somerset", "bedfordshire" or 49 other candidates',
        "accounts/x/nested.yaml:11:18: TAB-003 error security.mfa.enabled: 'yes' is not of "
        'type "boolean"',
        "accounts/x/req.yaml:1:1: TAB-003 error the document is missing required key "
        "'account_type'",
        "accounts/x/typ.yaml:10:11: TAB-003 error audience: 'residents' is not of type \"array\"",
        "accounts/x/unknown-key.yaml:10:1: TAB-003 error unknown key 'ownr' in the document "
        "(did you mean 'owner'?)",
    ), outcome


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85"], ids=["ls", "ps", "nel"])
def test_positions_after_a_unicode_separator_are_editor_lines(
    run: Any, tmp_path: Path, odd: str
) -> None:
    # Editors, git and SARIF do not break lines at NEL, U+2028 or U+2029; libyaml does.
    body = account("a", extra=f'bio: "one{odd}two"\nnotes: >\n  three{odd}four\nownr: x\n')
    outcome = _check(run, tmp_path, {"accounts/x/a.yaml": body})
    assert outcome.out == lines(
        "accounts/x/a.yaml:13:1: TAB-003 error unknown key 'ownr' in the document "
        "(did you mean 'owner'?)"
    ), outcome
    assert outcome.code == 1


def test_a_date_in_year_zero_is_a_schema_finding(run: Any, tmp_path: Path) -> None:
    body = account("a", status="active, created_on: 0000-01-01")
    outcome = _check(run, tmp_path, {"accounts/x/a.yaml": body})
    assert outcome.out == lines(
        "accounts/x/a.yaml:9:41: TAB-003 error lifecycle.created_on: expected a date written "
        "YYYY-MM-DD (a real day from 0001-01-01 to 9999-12-31), got '0000-01-01'"
    ), outcome
    assert outcome.code == 1


def test_columns_past_4095_are_reported_exactly(run: Any, tmp_path: Path) -> None:
    body = account("a", extra=f"owner: {{x-pad: {'p' * 5000}, emial: a@b.police.uk}}\n")
    outcome = _check(run, tmp_path, {"accounts/x/a.yaml": body})
    assert outcome.out == lines(
        "accounts/x/a.yaml:10:5018: TAB-003 error unknown key 'emial' in owner (did you mean "
        "'email'?)"
    ), outcome


def test_tab_003_unknown_key_is_located_at_the_key(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        {"accounts/x/a.yaml": account("a", extra="owner: {name: A, emial: a@b.police.uk}\n")},
    )
    assert outcome.out == lines(
        "accounts/x/a.yaml:10:18: TAB-003 error unknown key 'emial' in owner (did you mean "
        "'email'?)"
    ), outcome


def test_tab_003_unknown_kind(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        {
            "accounts/x/kind.yaml": "apiVersion: tabard/v1\nkind: Acount\nid: kind\n",
            "force/thing.yaml": "apiVersion: tabard/v1\nkind: Gadget\n",
            "force/none.yaml": "apiVersion: tabard/v1\nid: none\n",
        },
    )
    assert outcome.out == lines(
        "accounts/x/kind.yaml:2:7: TAB-003 error unknown document kind 'Acount': did you mean "
        "'Account'?",
        "force/none.yaml:1:1: TAB-003 error unknown document kind nothing: use one of Account, "
        "Force, Strategy, BrandGuide, Waiver",
        "force/thing.yaml:2:7: TAB-003 error unknown document kind 'Gadget': use one of "
        "Account, Force, Strategy, BrandGuide, Waiver",
    ), outcome


def test_tab_003_kind_that_is_not_a_name(run: Any, tmp_path: Path) -> None:
    # A list or mapping as the kind once stopped the run with a TypeError (exit 3).
    outcome = _check(
        run,
        tmp_path,
        {
            "accounts/x/listed.yaml": "apiVersion: tabard/v1\nkind: [Account]\nid: listed\n",
            "accounts/x/mapped.yaml": "apiVersion: tabard/v1\nid: mapped\nkind: {a: 1}\n",
            "force/numbered.yaml": "apiVersion: tabard/v1\nkind: 12\n",
        },
    )
    assert outcome.out == lines(
        "accounts/x/listed.yaml:2:1: TAB-003 error unknown document kind ['Account']: use one "
        "of Account, Force, Strategy, BrandGuide, Waiver",
        "accounts/x/mapped.yaml:3:1: TAB-003 error unknown document kind {a: 1}: use one of "
        "Account, Force, Strategy, BrandGuide, Waiver",
        "force/numbered.yaml:2:7: TAB-003 error unknown document kind 12: use one of Account, "
        "Force, Strategy, BrandGuide, Waiver",
    ), outcome
    assert outcome.code == 1


def test_tab_003_account_in_a_multi_document_file(run: Any, tmp_path: Path) -> None:
    body = account("multi") + "---\n" + account("multi-two")
    outcome = _check(run, tmp_path, {"accounts/x/multi.yaml": body})
    message = (
        "TAB-003 error an Account must be the only document in its file; split this file into "
        "one file per account"
    )
    assert outcome.out == lines(
        f"accounts/x/multi.yaml:1:1: {message}",
        f"accounts/x/multi.yaml:11:1: {message}",
        "accounts/x/multi.yaml:13:5: TAB-005 error account id 'multi-two' differs from the file "
        "name 'multi'; rename the file to multi-two.yaml or change the id",
    ), outcome


def test_multi_document_files_are_fine_for_other_kinds(run: Any, tmp_path: Path) -> None:
    documents = force_documents()
    combined = "---\n".join(documents.values())
    outcome = _check(run, tmp_path, {"force/all.yaml": combined})
    assert outcome.out == "", outcome
    assert outcome.err.endswith("in 3 documents (3 checked)\n"), outcome


# --- TAB-004 ------------------------------------------------------------------------------


def test_tab_004_duplicate_account_id(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        {
            "accounts/x/same.yaml": account("same"),
            "accounts/facebook/same.yaml": account("same", platform="facebook"),
            "accounts/youtube/same.yaml": account("same", platform="youtube"),
        },
    )
    assert outcome.out == lines(
        "accounts/facebook/same.yaml:3:5: TAB-004 error duplicate id 'same': also in "
        "accounts/x/same.yaml, accounts/youtube/same.yaml",
        "accounts/x/same.yaml:3:5: TAB-004 error duplicate id 'same': also in "
        "accounts/facebook/same.yaml, accounts/youtube/same.yaml",
        "accounts/youtube/same.yaml:3:5: TAB-004 error duplicate id 'same': also in "
        "accounts/facebook/same.yaml, accounts/x/same.yaml",
    ), outcome


def test_tab_004_second_strategy_for_a_force(run: Any, tmp_path: Path) -> None:
    second = (
        "apiVersion: tabard/v1\nkind: Strategy\nforce: gloucestershire\nid: glos-other\n"
        "objectives: [{id: OBJ-1, title: Something}]\n"
    )
    other_force = second.replace("gloucestershire", "kent").replace("glos-other", "kent-2026")
    outcome = _check(
        run,
        tmp_path,
        {**force_documents(), "force/second.yaml": second, "force/kent.yaml": other_force},
    )
    assert outcome.out == lines(
        "force/gloucestershire-strategy.yaml:3:8: TAB-004 error duplicate Strategy document for "
        "force 'gloucestershire': also in force/second.yaml",
        "force/second.yaml:3:8: TAB-004 error duplicate Strategy document for force "
        "'gloucestershire': also in force/gloucestershire-strategy.yaml",
    ), outcome


def test_tab_004_reported_on_the_target_only(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        {
            "accounts/x/same.yaml": account("same"),
            "accounts/facebook/same.yaml": account("same", platform="facebook"),
        },
        "accounts/x/same.yaml",
    )
    assert outcome.out == lines(
        "accounts/x/same.yaml:3:5: TAB-004 error duplicate id 'same': also in "
        "accounts/facebook/same.yaml"
    ), outcome


def test_tab_004_on_targets_sees_duplicates_in_cached_files(run: Any, tmp_path: Path) -> None:
    # The second, warm run takes the untargeted files from the cache; an account whose id
    # is the force's name shares that name with the Strategy but is no duplicate of it.
    second = (
        "apiVersion: tabard/v1\nkind: Strategy\nforce: gloucestershire\nid: glos-other\n"
        "objectives: [{id: OBJ-1, title: Something}]\n"
    )
    files = {
        **force_documents(),
        "force/second.yaml": second,
        "accounts/x/gloucestershire.yaml": account("gloucestershire"),
        "accounts/x/same.yaml": account("same"),
        "accounts/facebook/same.yaml": account("same", platform="facebook"),
    }
    targets = ("force/second.yaml", "accounts/x/gloucestershire.yaml", "accounts/x/same.yaml")
    expected = lines(
        "accounts/x/same.yaml:3:5: TAB-004 error duplicate id 'same': also in "
        "accounts/facebook/same.yaml",
        "force/second.yaml:3:8: TAB-004 error duplicate Strategy document for force "
        "'gloucestershire': also in force/gloucestershire-strategy.yaml",
    )
    first = _check(run, tmp_path, files, *targets)
    assert first.out == expected, first
    assert (tmp_path / ".tabard-cache" / "documents.cache").is_file()
    warm = run("check", "--as-of", AS_OF, *targets, cwd=tmp_path)
    assert warm.out == expected, warm


# --- TAB-005 ------------------------------------------------------------------------------


def test_tab_005(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        {
            "accounts/x/glos-x-dogs.yaml": account("glos-x-dog"),
            "accounts/x/glos-x-main.yml": account("glos-x-main"),
            "accounts/x/glos-x-road.draft.yaml": account("glos-x-road"),
        },
    )
    assert outcome.out == lines(
        "accounts/x/glos-x-dogs.yaml:3:5: TAB-005 error account id 'glos-x-dog' differs from "
        "the file name 'glos-x-dogs'; rename the file to glos-x-dog.yaml or change the id",
        "accounts/x/glos-x-road.draft.yaml:3:5: TAB-005 error account id 'glos-x-road' differs "
        "from the file name 'glos-x-road.draft'; rename the file to glos-x-road.yaml or change "
        "the id",
    ), outcome


def test_tab_005_file_name_with_two_dots(run: Any, tmp_path: Path) -> None:
    # The file name's stem is what pathlib calls it: only the last suffix goes.
    outcome = _check(run, tmp_path, {"accounts/x/glos-x-dots..yaml": account("glos-x-dots")})
    assert outcome.out == lines(
        "accounts/x/glos-x-dots..yaml:3:5: TAB-005 error account id 'glos-x-dots' differs "
        "from the file name 'glos-x-dots.'; rename the file to glos-x-dots.yaml or change "
        "the id",
    ), outcome


@pytest.mark.parametrize(
    "file",
    [
        "a/b.yaml",
        "b.yml",
        "a/.yaml",
        "a/..yaml",
        "a/b.",
        "a/b..yaml",
        "a/b.c.yaml",
        "a/b",
        "a/..b",
        "a/...",
        "a/.hidden.yaml",
        "a/.b.",
        "a/..",
        "ü/é.yaml",
    ],
)
def test_file_stem_is_pathlibs(file: str) -> None:
    # TAB-005 names the stem without pathlib, which interns every part of every path.
    assert file_stem(file) == PurePosixPath(file).stem


# --- TAB-006 ------------------------------------------------------------------------------


def test_tab_006(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        {
            "accounts/x/notes.yaml": "owner: somebody\n",
            "accounts/x/list.yaml": "- a\n- b\n",
            "accounts/x/old-version.yaml": account("old-version").replace("tabard/v1", "v1", 1),
            "accounts/x/mixed.yaml": account("mixed") + "---\njust: notes\n",
            "accounts/readme.md": "# not yaml\n",
            "elsewhere/notes.yaml": "owner: somebody\n",
        },
    )
    template = (
        "{}: TAB-006 error not a tabard document: every YAML file under accounts/ must be one "
        "(an Account manifest starts with `apiVersion: tabard/v1` and `kind: Account`)"
    )
    assert outcome.out == lines(
        template.format("accounts/x/list.yaml:1:1"),
        template.format("accounts/x/mixed.yaml:11:1"),
        template.format("accounts/x/notes.yaml:1:1"),
        template.format("accounts/x/old-version.yaml:1:1"),
    ), outcome


# --- TAB-007 ------------------------------------------------------------------------------

_LOOKUPS = """\
- id: LOC-001
  title: Handle follows the brand guide
  severity: error
  assert:
    field: handle
    matches_any: {lookup: {kind: BrandGuide, field: "handle_patterns.{account_type}"}}
- id: LOC-002
  title: Bio has the emergency wording
  severity: warning
  assert:
    field: x-bio
    contains_any: {lookup: {kind: BrandGuide, field: bio.required.emergency}}
- id: LOC-003
  title: Area in the strategy
  severity: warning
  when: {field: account_type, equals: neighbourhood}
  assert:
    field: x-area
    in: {lookup: {kind: Strategy, field: "geography.areas[*].code"}}
- id: LOC-004
  title: No lookups
  severity: info
  assert: {field: handle, present: true}
"""


def test_tab_007_one_finding_per_force_and_missing_document(run: Any, tmp_path: Path) -> None:
    project(
        tmp_path,
        {
            "policies/local.yaml": policy(_LOOKUPS),
            **force_documents(),
            "accounts/x/glos-main.yaml": account("glos-main", extra="x-bio: Call 999\n"),
            "accounts/x/kent-a.yaml": account("kent-a", force="kent", handle="@kent_police"),
            "accounts/x/kent-b.yaml": account(
                "kent-b", force="kent", handle="@kentpolice_b", account_type="neighbourhood"
            ),
            "accounts/x/kent-c.yaml": account("kent-c", force="kent", handle="@kentpolice_c"),
            "force/kent-force.yaml": "apiVersion: tabard/v1\nkind: Force\nforce: kent\n"
            "name: Kent Police\n",
        },
    )
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert outcome.out == lines(
        "accounts/x/kent-a.yaml:4:8: TAB-007 error force 'kent' has no BrandGuide document, so "
        "2 rules cannot be checked (LOC-001, LOC-002): write one (kind: BrandGuide, force: "
        "kent), e.g. force/brand.yaml",
        # LOC-003 applies (its `when`) only to neighbourhood accounts: kent-b is the first
        "accounts/x/kent-b.yaml:4:8: TAB-007 error force 'kent' has no Strategy document, so 1 "
        "rule cannot be checked (LOC-003): write one (kind: Strategy, force: kent), e.g. "
        "force/strategy.yaml",
    ), outcome
    assert outcome.code == 1


def test_tab_007_in_json(run: Any, tmp_path: Path) -> None:
    project(
        tmp_path,
        {
            "policies/local.yaml": policy(_LOOKUPS),
            "accounts/x/kent-a.yaml": account("kent-a", force="kent"),
        },
    )
    outcome = run("check", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    findings = outcome.json()["findings"]
    assert [(f["rule"], f["policy"], f["path"], f["document"], f["force"]) for f in findings] == [
        ("TAB-007", "tabard", "force", "kent-a", "kent")
    ]
    assert findings[0]["message"].startswith("force 'kent' has no BrandGuide document, so 2 rules")


def test_tab_003_names_the_value_as_written(run: Any, tmp_path: Path) -> None:
    outcome = _check(
        run,
        tmp_path,
        {
            "accounts/x/a1.yaml": account(
                "a1", extra="engagement: {response_target_hours: .inf}\n"
            ),
        },
    )
    (line,) = outcome.out.splitlines()
    assert line.startswith(
        "accounts/x/a1.yaml:10:37: TAB-003 error engagement.response_target_hours: "
    ), outcome
    assert line.endswith(' is not of type "integer"')
    assert "null" not in line  # the value is .inf, not null
