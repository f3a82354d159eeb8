"""Run the real ``tabard check`` on a mutated repository and judge what it did.

The verdict rules are the fail-closed contract:

- tabard ends (a watchdog turns a hang into a failure);
- the exit code is 0, 1 or 2, never 3 (an internal error) or anything else;
- an exit 2 explains itself on stderr, and nothing prints a Python traceback;
- exit 0 or 1 writes a JSON report that parses;
- the base repository holds a locked-rule breach (a shared login, SEC-004) in a file no
  mutation touches: while the config is untouched, no mutation elsewhere may turn that
  run green (exit 0).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from tabard.cli import main

ROOT: Final = Path(__file__).resolve().parents[2]
BASE: Final = ROOT / "examples" / "gloucestershire"
AS_OF: Final = "2026-11-24"
BREACH_FILE: Final = "accounts/x/fuzz-shared-login.yaml"
CONFIG: Final = (
    b"apiVersion: tabard/v1\nkind: Config\n"
    b"policies: [accountability, branding, strategy-link, security, engagement, lifecycle,"
    b" language, ./policies]\n"
)


def breach_manifest() -> bytes:
    """glos-x-main under another id and handle, with a shared login (SEC-004, locked)."""
    text = (BASE / "accounts/x/glos-x-main.yaml").read_text(encoding="utf-8")
    text = text.replace("glos-x-main", "fuzz-shared-login").replace("@Glos_Police", "@GlosFuzz")
    assert "shared_login: false" in text
    return text.replace("shared_login: false", "shared_login: true").encode()


def base_files() -> dict[str, bytes]:
    """The Gloucestershire example, a local pack folder and the breach account."""
    files = {
        path.relative_to(BASE).as_posix(): path.read_bytes()
        for path in sorted(BASE.rglob("*.yaml"))
        if ".tabard-cache" not in path.parts
    }
    files["tabard.yaml"] = CONFIG
    files[BREACH_FILE] = breach_manifest()
    files["policies/local.yaml"] = (
        b"apiVersion: tabard/v1\nkind: Policy\nname: local\nrules:\n"
        b"  - id: LOCAL-001\n    title: Handles start with @\n    severity: warning\n"
        b"    assert: {field: handle, matches: '^@'}\n    message: '{id}: handle without @'\n"
    )
    return files


@dataclass
class Verdict:
    code: int | None
    out: str
    err: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class Hang(BaseException):  # not an Exception: tabard must not be able to catch it
    pass


@contextlib.contextmanager
def watchdog(seconds: int) -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def clear(root: Path) -> None:
    if root.exists():
        for path in root.rglob("*"):  # unreadable folders left by a mutation
            if path.is_dir() and not path.is_symlink():
                path.chmod(stat.S_IRWXU)
        shutil.rmtree(root)


def run_check(root: Path, *extra: str, seconds: int = 60) -> Verdict:
    """``tabard check --format json`` in *root*, in this process, under a watchdog."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), watchdog(seconds):
            code: int | None = main(["check", "--format", "json", "--as-of", AS_OF, *extra])
    except Hang:
        code = None
    except BaseException as escaped:  # anything at all that leaves main() is a failure
        code = None
        err.write(f"escaped main(): {type(escaped).__name__}: {escaped}")
    finally:
        os.chdir(previous)
    return judge(code, out.getvalue(), err.getvalue())


def judge(code: int | None, out: str, err: str, *, breach_kept: bool = True) -> Verdict:
    verdict = Verdict(code, out, err)
    problems = verdict.problems
    if code is None:
        problems.append("hang or escape: " + (err.strip().splitlines() or ["no output"])[-1])
        return verdict
    if code not in (0, 1, 2):
        problems.append(f"exit {code}: {err.strip()[:400]}")
    if "Traceback" in err or "internal error" in err:
        problems.append("traceback: " + err.strip()[:400])
    if code == 2 and not err.strip():
        problems.append("exit 2 with nothing on stderr")
    if code in (0, 1):
        try:
            json.loads(out)
        except ValueError:
            problems.append("exit 0/1 but stdout is not a JSON report")
    if code == 0 and breach_kept:
        problems.append("exit 0 although the repository holds a locked-rule breach (SEC-004)")
    return verdict
