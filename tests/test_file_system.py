"""What tabard cannot or must not read is a finding or an error, never a silent skip.

Unreadable folders and files, FIFOs, sockets and devices named ``*.yaml``, symbolic
links out of the repository or round in a loop, YAML saved as UTF-16, a deleted
working directory; and `tabard check` changes nothing in the repository but its cache.
Cases that could hang or read for ever on a regression run the CLI in a subprocess
with a timeout.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.builders import AS_OF, account, force_documents, lines, policy, project, waiver

_QUIET = """\
- id: LOC-001
  title: Handle present
  severity: info
  assert: {field: handle, present: true}
"""
_WAIVER = waiver("W-1", ["LOC-001"], ["glos-x-one"])
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2
_UNREADABLE_FOLDER = (
    "TAB-001 error cannot read folder: Permission denied; tabard must see every folder in "
    "the repository (make it readable, or add it to exclude in tabard.yaml)"
)
_NOT_REGULAR = "not a regular file; tabard reads only regular files"
_OUTSIDE_FILE = (
    "TAB-001 error cannot read file: it is a symbolic link to a file outside the "
    "repository, which tabard does not follow (copy the file into the repository instead)"
)


def _repository(root: Path, files: dict[str, str] | None = None) -> Path:
    return project(
        root,
        {
            **force_documents(),  # so the national locked rules have what they read
            "policies/local.yaml": policy(_QUIET),
            "accounts/x/glos-x-one.yaml": account("glos-x-one"),
            **(files or {}),
        },
    )


def _drop_file_permission_override() -> None:
    """Run as root, the child still obeys file modes: chmod 000 means unreadable.

    Root reads anything through the CAP_DAC_* capabilities; dropping them from the
    bounding set before exec leaves the new process with file modes applying to it.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _preexec() -> Callable[[], None] | None:
    return _drop_file_permission_override if os.geteuid() == 0 else None


#: The national rules that run whatever ``policies:`` lists (locked: true).
_LOCKED = ("ACC-001", "ACC-005", "SEC-002", "SEC-004", "SEC-009", "STR-001")


def _tabard(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess (file modes obeyed even as root), with a timeout.

    These tests are about files and folders, so the findings of the national locked
    rules (which run on the bare test accounts whatever the config lists) and the note
    saying the config leaves their packs out are taken out of what they compare.
    """
    result = subprocess.run(
        [sys.executable, "-m", "tabard", *arguments],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_preexec(),
        check=False,
    )
    result.stdout = "".join(
        line
        for line in result.stdout.splitlines(keepends=True)
        if not any(f": {rule} " in line for rule in _LOCKED)
    )
    result.stderr = "".join(
        line
        for line in result.stderr.splitlines(keepends=True)
        if not line.startswith("tabard: this run loosens")
    )
    return result


@pytest.fixture
def modes_apply(tmp_path: Path) -> None:
    """Skip, saying why, where chmod 000 cannot make a folder unreadable to tabard."""
    if not hasattr(os, "geteuid") or not sys.platform.startswith("linux"):
        pytest.skip("file modes are tested on Linux (chmod and capabilities)")
    probe = tmp_path / "probe"
    probe.mkdir(mode=0)
    try:
        seen = subprocess.run(
            [sys.executable, "-c", f"import os; os.listdir({str(probe)!r})"],
            preexec_fn=_preexec(),
            capture_output=True,
            check=False,
        )
    except subprocess.SubprocessError as error:
        pytest.skip(f"cannot drop root's permission to read anything: {error}")
    finally:
        probe.rmdir()
    if seen.returncode == 0:
        pytest.skip("chmod 000 does not stop this user reading a folder")


# --- unreadable folders and files -----------------------------------------------------------


@pytest.mark.usefixtures("modes_apply")
@pytest.mark.parametrize(
    ("locked", "expected"),
    [
        pytest.param(
            "accounts/more", "accounts/more:1:1: " + _UNREADABLE_FOLDER, id="account-folder"
        ),
        pytest.param("waivers", "waivers:1:1: " + _UNREADABLE_FOLDER, id="waiver-folder"),
        pytest.param(
            "waivers/w.yaml",
            "waivers/w.yaml:1:1: TAB-001 error cannot read file: Permission denied",
            id="waiver-file",
        ),
    ],
)
def test_an_unreadable_folder_or_file_is_a_finding(
    tmp_path: Path, locked: str, expected: str
) -> None:
    _repository(
        tmp_path,
        {
            "accounts/more/glos-x-two.yaml": account("glos-x-two", handle="@Glos_Two"),
            "waivers/w.yaml": _WAIVER,
            "policies/extra/more.yaml": policy(_QUIET.replace("LOC-001", "LOC-002"), "extra"),
        },
    )
    (tmp_path / locked).chmod(0)
    try:
        # A targeted run reports it too: what tabard cannot see is hidden from every rule.
        result = _tabard(tmp_path, "check", "--as-of", AS_OF, "accounts/x/glos-x-one.yaml")
    finally:
        (tmp_path / locked).chmod(0o755)
    assert (result.returncode, result.stdout) == (1, lines(expected)), result


@pytest.mark.usefixtures("modes_apply")
def test_an_unreadable_folder_in_a_listed_policy_path_stops_the_run(tmp_path: Path) -> None:
    """A pack folder tabard.yaml lists but tabard cannot read is a config error (exit 2):
    the rules in it would otherwise silently not run."""
    _repository(
        tmp_path,
        {"policies/extra/more.yaml": policy(_QUIET.replace("LOC-001", "LOC-002"), "extra")},
    )
    (tmp_path / "policies/extra").chmod(0)
    try:
        result = _tabard(tmp_path, "check", "--as-of", AS_OF, "accounts/x/glos-x-one.yaml")
    finally:
        (tmp_path / "policies/extra").chmod(0o755)
    assert (result.returncode, result.stdout) == (2, ""), result
    assert result.stderr.startswith(
        "tabard: error: tabard.yaml:3:12: cannot read policy path './policies/extra': "
        "Permission denied"
    ), result


@pytest.mark.usefixtures("modes_apply")
def test_an_unreadable_folder_stops_tabard_test(tmp_path: Path) -> None:
    _repository(tmp_path, {"tests/cases.yaml": "apiVersion: tabard/v1\nkind: Other\n"})
    (tmp_path / "tests").chmod(0)
    try:
        result = _tabard(tmp_path, "test", "--as-of", AS_OF)
    finally:
        (tmp_path / "tests").chmod(0o755)
    assert (result.returncode, result.stdout) == (2, ""), result
    assert result.stderr == (
        "tabard: error: tests: cannot read folder: Permission denied; tabard must see every "
        "folder in the repository (make it readable, or add it to exclude in tabard.yaml)\n"
    )


# --- YAML that is not UTF-8 -----------------------------------------------------------------

_UTF16 = "file is not UTF-8 (it starts with a UTF-16 byte order mark); save it as UTF-8"
_UTF32 = "file is not UTF-8 (it starts with a UTF-32 byte order mark); save it as UTF-8"
_NUL = "file is not UTF-8 (it contains NUL bytes, as UTF-16 and binary files do); save it as UTF-8"


@pytest.mark.parametrize(
    ("file", "encoding", "message"),
    [
        pytest.param("waivers/w.yaml", "utf-16", _UTF16, id="utf-16-waiver"),
        pytest.param("waivers/w.yaml", "utf-16-be", _NUL, id="utf-16-be-without-mark"),
        pytest.param("waivers/w.yaml", "utf-32", _UTF32, id="utf-32-waiver"),
        pytest.param("accounts/x/glos-x-two.yaml", "utf-16", _UTF16, id="utf-16-account"),
        pytest.param("notes/anything.yaml", "utf-16-le", _NUL, id="anywhere-under-the-root"),
    ],
)
def test_yaml_that_is_not_utf8_is_a_finding_wherever_it_is(
    run: Any, tmp_path: Path, file: str, encoding: str, message: str
) -> None:
    _repository(tmp_path)
    (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / file).write_bytes(_WAIVER.encode(encoding))
    outcome = run("check", "--as-of", AS_OF, cwd=tmp_path)
    assert (outcome.code, outcome.out) == (1, lines(f"{file}:1:1: TAB-001 error {message}"))


# --- odd files: FIFOs, sockets, devices, symbolic links --------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


def _device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # like /dev/zero
    except PermissionError:
        pytest.skip("this user cannot create a device node")


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


def _link_to_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _link_to_nothing(path: Path) -> None:
    path.symlink_to("gone.yaml")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs, sockets and devices are POSIX")
@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(_fifo, f"it is a named pipe (FIFO), {_NOT_REGULAR}", id="fifo"),
        pytest.param(_socket, f"it is a socket, {_NOT_REGULAR}", id="socket"),
        pytest.param(_device, f"it is a device, {_NOT_REGULAR}", id="device"),
        pytest.param(_loop, "it is a symbolic link that leads round in a loop", id="loop"),
        pytest.param(
            _link_to_nothing,
            "it is a symbolic link to something that does not exist",
            id="broken-link",
        ),
    ],
)
def test_an_odd_file_is_a_finding_not_read(
    tmp_path: Path, make: Callable[[Path], None], expected: str
) -> None:
    _repository(tmp_path)
    (tmp_path / "waivers").mkdir()
    make(tmp_path / "waivers" / "odd.yaml")
    result = _tabard(tmp_path, "check", "--as-of", AS_OF, "accounts/x/glos-x-one.yaml")
    assert (result.returncode, result.stdout) == (
        1,
        lines(f"waivers/odd.yaml:1:1: TAB-001 error cannot read file: {expected}"),
    ), result


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_dev_zero_is_not_followed(tmp_path: Path) -> None:
    _repository(tmp_path)
    _link_to_dev_zero(tmp_path / "accounts" / "x" / "zero.yaml")
    result = _tabard(tmp_path, "check", "--as-of", AS_OF)
    assert (result.returncode, result.stdout) == (
        1,
        lines("accounts/x/zero.yaml:1:1: " + _OUTSIDE_FILE),
    ), result


def test_links_out_of_the_repository_are_findings(run: Any, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "glos-x-two.yaml").write_text(account("glos-x-two"), encoding="utf-8")
    root = _repository(tmp_path / "repo")
    (root / "accounts/x/glos-x-two.yaml").symlink_to(outside / "glos-x-two.yaml")
    (root / "accounts/y").symlink_to(outside)
    outcome = run("check", "--as-of", AS_OF, cwd=root)
    assert outcome.code == 1, outcome
    assert outcome.out == lines(
        "accounts/x/glos-x-two.yaml:1:1: " + _OUTSIDE_FILE,
        "accounts/y:1:1: TAB-001 error cannot read folder: it is a symbolic link to a folder "
        "outside the repository, which tabard does not follow (copy the folder into the "
        "repository, or add it to exclude in tabard.yaml)",
    ), outcome


def test_a_link_inside_the_repository_is_read_through(run: Any, tmp_path: Path) -> None:
    # Outside the account folders broken YAML that is not tabard's is nobody's business;
    # read through a link from an account folder, it is a manifest that does not parse.
    root = _repository(tmp_path, {"notes/draft.yaml": "steps: [unclosed\n"})
    (root / "accounts/x/glos-x-draft.yaml").symlink_to(root / "notes/draft.yaml")
    (root / "accounts/all").symlink_to(root / "accounts/x")  # entered once, not twice
    outcome = run("check", "--as-of", AS_OF, cwd=root)
    assert (outcome.code, outcome.out) == (
        1,
        lines(
            "accounts/x/glos-x-draft.yaml:1:1: TAB-006 error not a tabard document: every YAML "
            "file under accounts/ must be one (an Account manifest starts with `apiVersion: "
            "tabard/v1` and `kind: Account`)"
        ),
    ), outcome


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_named_in_tabard_test_is_an_error(tmp_path: Path) -> None:
    _repository(tmp_path)
    (tmp_path / "tests").mkdir()
    os.mkfifo(tmp_path / "tests" / "cases.yaml")
    result = _tabard(tmp_path, "test", "--as-of", AS_OF)
    assert (result.returncode, result.stdout) == (2, ""), result
    assert result.stderr == (
        f"tabard: error: tests/cases.yaml: cannot read file: it is a named pipe (FIFO), "
        f"{_NOT_REGULAR}\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("odd", ["fifo", "outside"])
def test_an_odd_local_plugin_is_an_error(tmp_path: Path, odd: str) -> None:
    config = (
        "apiVersion: tabard/v1\nkind: Config\npolicies: [./policies]\n"
        "plugins:\n  local: [plugins/mine.py]\n"
    )
    root = project(tmp_path / "repo", {"policies/local.yaml": policy(_QUIET)}, config=config)
    (root / "plugins").mkdir()
    if odd == "fifo":
        os.mkfifo(root / "plugins" / "mine.py")
        reason = (
            f"cannot read local plugin 'plugins/mine.py': it is a named pipe (FIFO), {_NOT_REGULAR}"
        )
    else:
        (tmp_path / "elsewhere.py").write_text("raise SystemExit(9)\n", encoding="utf-8")
        (root / "plugins" / "mine.py").symlink_to(tmp_path / "elsewhere.py")
        reason = (
            f"local plugin 'plugins/mine.py' leads outside the repository {root}; tabard runs "
            "only plugin files inside it (copy the file in)"
        )
    result = _tabard(root, "check", "--as-of", AS_OF)
    assert (result.returncode, result.stdout) == (2, ""), result
    assert result.stderr == f"tabard: error: tabard.yaml:5:11: {reason}\n", result


# --- the working directory ------------------------------------------------------------------


def test_a_deleted_working_directory_is_a_usage_error(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    for command in (["check"], ["validate"], ["test"], ["rules"], ["plugins"]):
        outcome = run(*command)
        assert (outcome.code, outcome.out) == (2, ""), outcome
        assert outcome.err == (
            "tabard: error: cannot read the working directory: No such file or directory; it "
            "may have been deleted or moved (cd into the repository and run tabard again)\n"
        ), outcome


# --- check changes nothing but its cache ------------------------------------------------------


def _tree(root: Path) -> dict[str, tuple[int, str]]:
    """Every path under *root* with its mode and content digest (or link target)."""
    found = {}
    for directory, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(directory) / name
            status = path.lstat()
            if stat.S_ISLNK(status.st_mode):
                content = f"-> {path.readlink()}"
            elif stat.S_ISREG(status.st_mode):
                content = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                content = ""
            found[path.relative_to(root).as_posix()] = (status.st_mode, content)
    return found


def test_check_changes_nothing_but_its_cache(run: Any, tmp_path: Path) -> None:
    example = Path(__file__).parent.parent / "examples" / "gloucestershire"
    root = tmp_path / "gloucestershire"
    shutil.copytree(example, root, ignore=shutil.ignore_patterns(".tabard-cache"))
    before = _tree(root)
    for arguments in ([], ["accounts"], ["--no-cache"], ["--audit"]):
        assert run("check", "--as-of", AS_OF, *arguments, cwd=root).code in (0, 1)
    assert run("validate", "--as-of", AS_OF, cwd=root).code in (0, 1)
    after = _tree(root)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed == {
        ".tabard-cache",
        ".tabard-cache/.gitignore",
        ".tabard-cache/documents.cache",
        ".tabard-cache/policies.json",
    }
