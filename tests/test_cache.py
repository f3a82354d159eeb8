"""The cache of document projections: correct results, never trusted, never committed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from array import array
from pathlib import Path
from typing import Any

import pytest

from tabard.documents import cache, cache_file, repository, signed
from tabard.testing import Project
from tests.builders import waiver

POLICY = """\
apiVersion: tabard/v1
kind: Policy
name: local
rules:
  - id: LOC-001
    title: One manifest per handle
    severity: error
    assert: {field: handle, unique: {within: [platform]}, ignore_case: true}
    message: "{id}: handle {value} is used by another account"
"""


def _account(identity: str, handle: str) -> str:
    return (
        f"apiVersion: tabard/v1\nkind: Account\nid: {identity}\nforce: kent\nplatform: x\n"
        f'handle: "{handle}"\ndisplay_name: Kent Police\naccount_type: corporate\n'
        "lifecycle: {status: active}\n"
    )


def _project(tmp_path: Path, accounts: int = 30) -> Project:
    files = {
        "tabard.yaml": "apiVersion: tabard/v1\nkind: Config\npolicies: [./policies]\n",
        "policies/local.yaml": POLICY,
    }
    for number in range(accounts):
        name = f"kent-x-{number:03d}"
        files[f"accounts/x/{name}.yaml"] = _account(name, f"@Kent{number:03d}")
    return Project(tmp_path).write(files)


def _cache(tmp_path: Path) -> Path:
    return tmp_path / ".tabard-cache" / "documents.cache"


def _findings(result: Any) -> list[tuple[str, str, int]]:
    assert result.code in (0, 1), result
    return [(f["rule"], f["file"], f["line"]) for f in result.findings]


def _parts(tmp_path: Path) -> tuple[bytes, dict[str, Any], bytes]:
    """The signature line, header and sections of the cache."""
    signature, header, sections = _cache(tmp_path).read_bytes().split(b"\n", 2)
    return signature, json.loads(header), sections


def _seal(tmp_path: Path, header: dict[str, Any], sections: bytes, key: bytes) -> None:
    """Write a cache signed with *key*, as tabard would with that key: the digests of
    the sections after the signed part worked out again, and the signed part signed."""
    where = header["sections"]
    header["identities"] = _sha256(sections, where["identities"])
    for table in where["tables"].values():
        table[2] = _sha256(sections, table[1])
    offsets = array("q")
    offsets.frombytes(sections[slice(*where["offsets"])])
    chunks = sections[slice(*where["chunks"])]
    step = cache_file.BLOCK_FILES
    header["blocks"] = [
        hashlib.sha256(
            chunks[offsets[first] : offsets[min(first + step, header["files"])]]
        ).hexdigest()
        for first in range(0, header["files"], step)
    ]
    head = json.dumps(header).encode() + b"\n"
    length = str(len(head) + where["flags"][1]).encode()
    body = head + sections
    mac = signed.part_signature(key, tmp_path, length, body[: int(length)])
    _cache(tmp_path).write_bytes(mac + b" " + length + b"\n" + body)


def _sha256(sections: bytes, places: list[list[int]]) -> str:
    """The digest of an index's lines and their offsets."""
    digest = hashlib.sha256()
    for start, end in places:
        digest.update(sections[start:end])
    return digest.hexdigest()


def _key() -> bytes:
    return Path(os.environ[cache.KEY_ENVIRONMENT]).read_bytes()


def test_full_run_writes_a_cache_that_ignores_itself(tmp_path: Path) -> None:
    _project(tmp_path).check()
    assert _cache(tmp_path).is_file()
    assert (tmp_path / ".tabard-cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    signature, header, _ = _parts(tmp_path)
    assert re.fullmatch(rb"[0-9a-f]{64} [0-9]+", signature)
    assert sorted(header) == [
        "blocks",
        "documents",
        "files",
        "fingerprint",
        "format",
        "identities",
        "sections",
        "started_ns",
        "tabard",
    ]
    assert (header["format"], header["files"], header["documents"]) == (5, 32, 30)


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    _project(tmp_path).check("--no-cache")
    assert not (tmp_path / ".tabard-cache").exists()


def test_changed_file_sees_a_duplicate_in_a_cached_file(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.check()  # writes the cache
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    targeted = project.check("accounts/x/kent-x-029.yaml")
    assert _findings(targeted) == [("LOC-001", "accounts/x/kent-x-029.yaml", 6)]
    assert targeted.report["summary"]["documents"] == 30


def test_an_edited_cached_file_is_read_again(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()  # the cache remembers kent-x-007 holding @Kent007
    project.write({"accounts/x/kent-x-007.yaml": _account("kent-x-007", "@KentSeven")})
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == []


def test_a_touched_but_unchanged_file_is_still_right(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()
    other = tmp_path / "accounts/x/kent-x-007.yaml"
    os.utime(other, ns=(other.stat().st_atime_ns, other.stat().st_mtime_ns + 10**9))
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == [
        ("LOC-001", "accounts/x/kent-x-029.yaml", 6)
    ]


def test_corrupt_cache_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()
    _cache(tmp_path).write_bytes(b"\x00\xffnot json at all")
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == [
        ("LOC-001", "accounts/x/kent-x-029.yaml", 6)
    ]
    # The next full run writes a good cache again.
    project.check()
    assert _parts(tmp_path)[1]["format"] == cache.FORMAT


def test_edited_cache_fails_its_signature(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()
    # Someone edits the cache to hide the duplicate: the signature no longer matches.
    data = _cache(tmp_path).read_bytes()
    _cache(tmp_path).write_bytes(data.replace(b"@kent007", b"@Elsewhere"))
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == [
        ("LOC-001", "accounts/x/kent-x-029.yaml", 6)
    ]


def test_a_policy_change_invalidates_the_cache(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()
    project.write(
        {"policies/local.yaml": POLICY.replace("ignore_case: true", "ignore_case: false")}
    )
    # Case now matters: @kent007 and @Kent007 differ, which stale projections would hide.
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == []


def test_a_cache_that_cannot_be_written_is_skipped(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (tmp_path / ".tabard-cache").write_text("a file where the folder should be\n", encoding="utf-8")
    result = project.check()
    assert result.code == 0, result
    assert result.err == "", result


def test_a_warm_targeted_run_parses_only_its_targets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    project.check()
    parsed: list[int] = []
    real = repository.load_documents

    def counting(raw: bytes) -> Any:
        parsed.append(len(raw))
        return real(raw)

    monkeypatch.setattr(repository, "load_documents", counting)
    assert _findings(project.check("accounts/x/kent-x-003.yaml")) == []
    # 30 accounts in the repository, one of them read; and the policy file, which is
    # validated on every run whether tabard.yaml lists it or not.
    assert len(parsed) == 2


# --- a cache this user's tabard did not write is never trusted -------------------------------

_DUPLICATE = [("LOC-001", "accounts/x/kent-x-029.yaml", 6)]


def _planted(tmp_path: Path, key: bytes) -> Project:
    """kent-x-029 duplicates kent-x-007's handle, and a crafted cache, signed with *key*,
    claims kent-x-007 holds another handle: what a committed cache would try."""
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()
    _, header, sections = _parts(tmp_path)
    # Every record of the handle (kent-x-007's projection, the index entry naming
    # kent-x-007 and kent-x-029) now says another one of the same length, so that every
    # section stays where the header places it: only the signature can tell.
    assert sections.count(b"@kent007") == 3  # two projections, one index entry
    _seal(tmp_path, header, sections.replace(b"@kent007", b"@kentXYZ"), key)
    return project


def test_a_planted_cache_cannot_hide_a_duplicate(tmp_path: Path) -> None:
    # Signed with a key that is not this user's (anyone's who committed it).
    project = _planted(tmp_path, b"k" * 32)
    targeted = project.check("accounts/x/kent-x-029.yaml")
    assert targeted.code == 1, targeted
    assert _findings(targeted) == _DUPLICATE


def test_only_the_signature_stops_a_planted_cache(tmp_path: Path) -> None:
    # The same crafted cache signed with this user's own key is believed: the attack is
    # real, and the test above fails if the signature is not checked.
    project = _planted(tmp_path, _key())
    assert project.check("accounts/x/kent-x-029.yaml").code == 0


def test_a_cache_from_another_repository_is_not_trusted(tmp_path: Path) -> None:
    _planted(tmp_path / "one", _key())
    other = _project(tmp_path / "two")
    other.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    shutil.copytree(tmp_path / "one" / ".tabard-cache", tmp_path / "two" / ".tabard-cache")
    assert _findings(other.check("accounts/x/kent-x-029.yaml")) == _DUPLICATE


def test_the_key_is_created_private_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "config" / "tabard" / "cache.key"
    monkeypatch.setenv(cache.KEY_ENVIRONMENT, str(key))
    project = _project(tmp_path / "repo")
    project.check()
    assert len(key.read_bytes()) == 32
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    project.check()
    assert len(key.read_bytes()) == 32  # kept, not replaced


@pytest.mark.parametrize("problem", ["cannot-create", "readable-by-others", "wrong-size"])
def test_without_a_usable_key_no_cache_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    key = tmp_path / "cache.key"
    if problem == "cannot-create":
        key.write_text("a file where a folder should be\n", encoding="utf-8")
        key = key / "cache.key"
    elif problem == "readable-by-others":
        key.write_bytes(b"k" * 32)
        key.chmod(0o644)
    else:
        key.write_bytes(b"k" * 31)
        key.chmod(0o600)
    monkeypatch.setenv(cache.KEY_ENVIRONMENT, str(key))
    project = _project(tmp_path / "repo")
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    full = project.check()
    assert (full.code, full.err) == (1, ""), full
    assert not (tmp_path / "repo" / ".tabard-cache").exists()
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == _DUPLICATE


# --- a same-size edit within the cache's clock tick ----------------------------------------


def test_a_same_size_edit_that_keeps_its_time_is_not_missed(tmp_path: Path) -> None:
    project = _project(tmp_path)
    other = tmp_path / "accounts/x/kent-x-007.yaml"
    # Saved while the full run was reading (its time is after the run started) ...
    saved = time.time_ns() + 10**9
    os.utime(other, ns=(saved, saved))
    project.check()
    # ... and saved again with the same size within the same clock tick: the size and
    # time the cache holds still match, only the content tells.
    other.write_text(_account("kent-x-007", "@Kent029"), encoding="utf-8")
    os.utime(other, ns=(saved, saved))
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == [
        ("LOC-001", "accounts/x/kent-x-029.yaml", 6)
    ]


def test_files_older_than_the_cache_are_trusted_on_their_size_and_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in tmp_path.rglob("*.yaml"):
        os.utime(path, ns=(hour_ago, hour_ago))
    project.check()
    read: list[str] = []
    real = repository.read_regular

    def counting(path: str, limit: int, *, follow: bool = False) -> Any:
        read.append(path)
        return real(path, limit, follow=follow)

    monkeypatch.setattr(repository, "read_regular", counting)
    assert _findings(project.check("accounts/x/kent-x-003.yaml")) == []
    # The target, and the policy file, which is validated on every run (TAB-008).
    assert read == [f"{tmp_path}/accounts/x/kent-x-003.yaml", f"{tmp_path}/policies/local.yaml"]


# --- odd cache files: ignored and rebuilt, never followed, read to exhaustion or crashed on -


def _check_in_subprocess(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in its own process, so a hang or a runaway read fails instead of
    stopping the test run."""

    def limit_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    command = [sys.executable, "-m", "tabard", "check", "--format", "json", "--as-of"]
    return subprocess.run(
        [*command, "2026-11-24", *arguments],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit_memory,
        check=False,
    )


def _plant(tmp_path: Path, odd: str) -> None:
    path = _cache(tmp_path)
    path.unlink()
    if odd == "fifo":
        os.mkfifo(path)
    elif odd == "link-to-dev-zero":
        path.symlink_to("/dev/zero")
    elif odd == "link-to-a-good-cache":
        # This user's own, valid cache for this repository, but reached through a link.
        (tmp_path / "elsewhere.json").write_bytes(_GOOD_CACHE[0])
        path.symlink_to(tmp_path / "elsewhere.json")
    elif odd == "huge":
        with path.open("wb") as stream:
            stream.truncate(cache.MAX_CACHE_BYTES + 1)
    elif odd == "deep-json":
        # Signed, so only the parser stands in the way.
        _seal_raw(tmp_path, b'{"format": 2}\n' + b"[" * 200_000)
    elif odd == "deep-header":
        _seal_raw(tmp_path, b"[" * 200_000 + b"\n{}")
    elif odd == "folder":
        path.mkdir()


_GOOD_CACHE: list[bytes] = []


def _seal_raw(tmp_path: Path, body: bytes) -> None:
    """*body* signed whole with this user's key, as tabard signs the part it signs."""
    length = str(len(body)).encode()
    mac = signed.part_signature(_key(), tmp_path, length, body)
    _cache(tmp_path).write_bytes(mac + b" " + length + b"\n" + body)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes and /dev/zero (POSIX)")
@pytest.mark.parametrize(
    "odd",
    [
        "fifo",
        "link-to-dev-zero",
        "link-to-a-good-cache",
        "huge",
        "deep-json",
        "deep-header",
        "folder",
    ],
)
def test_an_odd_cache_file_is_ignored_and_rebuilt(tmp_path: Path, odd: str) -> None:
    project = _planted(tmp_path, _key())  # a cache that, if believed, hides the duplicate
    _GOOD_CACHE[:] = [_cache(tmp_path).read_bytes()]
    _plant(tmp_path, odd)
    result = _check_in_subprocess(tmp_path, "accounts/x/kent-x-029.yaml")
    assert (result.returncode, result.stderr) == (1, ""), result
    # A subprocess also runs the national locked rules on the bare test accounts; this
    # test is about the local duplicate-handle rule only.
    findings = [f for f in json.loads(result.stdout)["findings"] if f["rule"].startswith("LOC-")]
    assert [(f["rule"], f["file"], f["line"]) for f in findings] == _DUPLICATE
    if odd != "folder":
        # Rebuilt: a regular file again, the link replaced rather than written through.
        assert stat.S_ISREG(os.lstat(_cache(tmp_path)).st_mode)
        assert project.check("accounts/x/kent-x-029.yaml").code == 1


def test_a_linked_cache_folder_is_neither_read_nor_written(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    (tmp_path / "policies-copy").mkdir()
    (tmp_path / ".tabard-cache").symlink_to(tmp_path / "policies-copy")
    assert project.check().code == 1
    assert project.check("accounts/x/kent-x-029.yaml").code == 1
    assert list((tmp_path / "policies-copy").iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG folders are Linux's")
@pytest.mark.parametrize(
    ("xdg", "expected"),
    [("xdg", "xdg/tabard/cache.key"), (None, "home/.config/tabard/cache.key")],
)
def test_the_key_lives_in_the_users_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, xdg: str | None, expected: str
) -> None:
    monkeypatch.delenv(cache.KEY_ENVIRONMENT)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if xdg is None:
        monkeypatch.setenv("XDG_CONFIG_HOME", "relative/is/ignored")
    else:
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / xdg))
    _project(tmp_path / "repo").check()
    assert len((tmp_path / expected).read_bytes()) == 32
    assert not (tmp_path / "repo" / "relative").exists()


# --- the sections after the signed part are checked against the signed digests ----------


def _edit_section(tmp_path: Path, section: str, old: bytes, new: bytes) -> None:
    """Replace *old* by *new* (as long) in one part of the cache ("chunks", or "tables"
    for every index), leaving the signature line and the header, with the digests it
    holds, as they are: what an edit that is not signed again does."""
    signature, header, sections = _cache(tmp_path).read_bytes().split(b"\n", 2)
    where = json.loads(header)["sections"]
    if section == "tables":
        places = [place for table in where["tables"].values() for place in table[1]]
    else:
        places = [where[section]]
    start, end = min(place[0] for place in places), max(place[1] for place in places)
    part = sections[start:end]
    assert old in part
    assert len(old) == len(new)
    sections = sections[:start] + part.replace(old, new) + sections[end:]
    _cache(tmp_path).write_bytes(signature + b"\n" + header + b"\n" + sections)


def test_an_index_edited_after_the_signed_part_is_not_trusted(tmp_path: Path) -> None:
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()
    _edit_section(tmp_path, "tables", b"@kent007", b"@kentXYZ")
    assert _findings(project.check("accounts/x/kent-x-029.yaml")) == _DUPLICATE


def test_documents_edited_after_the_signed_part_are_read_from_their_files(
    tmp_path: Path,
) -> None:
    # The waiver names kent-x-007, which the run must then evaluate: its documents come
    # from the cache's chunks, which no longer match their digest, so from its file.
    project = _project(tmp_path)
    project.write(
        {
            "accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007"),
            "waivers/kent.yaml": waiver("WVR-KENT-1", ["LOC-001"], ["kent-x-007"]),
        }
    )
    project.check()
    _edit_section(tmp_path, "chunks", b'"kent-x-007"', b'"kent-x-00X"')
    warm = project.check("waivers/kent.yaml")
    cold = project.check("--no-cache", "waivers/kent.yaml")
    assert (warm.code, warm.out, warm.err) == (cold.code, cold.out, cold.err)
    # The waiver excuses kent-x-007's duplicate handle: no TAB-104 for an unknown account
    # (which a believed edit, giving kent-x-007 another id, would bring) and no TAB-103.
    assert (warm.code, warm.findings) == (0, [])


def test_an_index_the_cache_lacks_is_built_from_every_document(tmp_path: Path) -> None:
    # A cache (signed by this user) without the handle index: the targeted run loads every
    # file's cached documents and builds the index from them, as a run without a cache.
    project = _project(tmp_path)
    project.write({"accounts/x/kent-x-029.yaml": _account("kent-x-029", "@kent007")})
    project.check()
    _, header, sections = _parts(tmp_path)
    assert len(header["sections"]["tables"]) == 1
    header["sections"]["tables"] = {}
    _seal(tmp_path, header, sections, _key())
    targeted = project.check("accounts/x/kent-x-029.yaml")
    assert _findings(targeted) == _DUPLICATE
    assert targeted.report["summary"]["documents"] == 30
