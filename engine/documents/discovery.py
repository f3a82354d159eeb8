"""Find the files to read: every YAML file under the root, and every path that hides some.

The walk lists each folder once with ``os.scandir`` (the listing says what each entry is, so
no extra system call per file) and reports what it cannot or must not enter as a problem
(TAB-001 at its path), since the documents it hides are missing from every rule.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Final

from tabard.documents.files import kind_of, not_regular

_SKIPPED_DIRS: Final = frozenset({"node_modules", "__pycache__"})
YAML_SUFFIXES: Final = (".yaml", ".yml")


class Discovery:
    """What :func:`discover` found under the root (a plain class: a dataclass costs
    every check's import more than it gives, docs/architecture.md, Speed)."""

    __slots__ = ("files", "links", "problems")

    def __init__(self) -> None:
        #: Relative POSIX paths of the YAML files to read, sorted.
        self.files: list[str] = []
        #: Those of them that are symbolic links to a regular file inside the root.
        self.links: set[str] = set()
        #: Folders and files that cannot or must not be read, with why (a TAB-001 each).
        self.problems: dict[str, str] = {}


def discover(root: Path, excluded: Callable[[str], bool]) -> Discovery:
    """Every YAML file under *root*, and every path that hides some from tabard.

    Hidden directories (``.git``, ``.tabard-cache``, …) are never entered.  A
    folder that cannot be listed, a FIFO, socket or device named ``*.yaml``, and a
    symbolic link that leads out of the root, nowhere or round in a loop are
    problems: never a silent skip, never followed, never read.
    """
    found = Discovery()
    root_text = str(root)
    real_root = os.path.realpath(root_text)
    pending = [""]
    while pending:
        prefix = pending.pop()
        try:
            with os.scandir(f"{root_text}/{prefix}" if prefix else root_text) as entries:
                for entry in entries:
                    _classify(entry, prefix, excluded, real_root, found, pending)
        except OSError as error:
            found.problems[prefix.rstrip("/") or "."] = (
                f"cannot read folder: {error.strerror}; tabard must see every folder in the "
                "repository (make it readable, or add it to exclude in tabard.yaml)"
            )
    found.files.sort()
    return found


def _classify(
    entry: os.DirEntry[str],
    prefix: str,
    excluded: Callable[[str], bool],
    real_root: str,
    found: Discovery,
    pending: list[str],
) -> None:
    """File *entry* under what it is; DirEntry answers from the listing, without a stat."""
    name = entry.name
    path = prefix + name
    try:
        if entry.is_dir(follow_symlinks=False):
            if _enterable(name) and not excluded(path):
                pending.append(path + "/")
        elif entry.is_file(follow_symlinks=False):
            if name.endswith(YAML_SUFFIXES) and not excluded(path):
                found.files.append(path)
        elif entry.is_symlink():
            if not excluded(path):
                _classify_link(entry, path, real_root, found)
        elif name.endswith(YAML_SUFFIXES) and not excluded(path):
            mode = entry.stat(follow_symlinks=False).st_mode
            found.problems[path] = f"cannot read file: {not_regular(mode)}"
    except OSError as error:
        found.problems[path] = f"cannot read file: {error.strerror}"


def _broken_link(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "it is a symbolic link that leads round in a loop"
    if error.errno == errno.ENOENT:
        return "it is a symbolic link to something that does not exist"
    return f"it is a symbolic link that cannot be followed: {error.strerror}"


def _enterable(name: str) -> bool:
    return not name.startswith(".") and name not in _SKIPPED_DIRS


def _classify_link(entry: os.DirEntry[str], path: str, real_root: str, found: Discovery) -> None:
    """A symbolic link is read only if it leads to a regular YAML file inside the root.

    A link to a folder inside the root is not entered: its files are read where they
    really are.  Anything else that could hold documents is a problem.
    """
    is_yaml = entry.name.endswith(YAML_SUFFIXES)
    try:
        target = os.path.realpath(entry.path, strict=True)
        mode = os.stat(target).st_mode  # noqa: PTH116 - realpath gives a string
    except OSError as error:
        if is_yaml:
            found.problems[path] = f"cannot read file: {_broken_link(error)}"
        return
    inside = target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep)
    if stat.S_ISDIR(mode):
        if not inside and _enterable(entry.name):
            found.problems[path] = (
                "cannot read folder: it is a symbolic link to a folder outside the "
                "repository, which tabard does not follow (copy the folder into the "
                "repository, or add it to exclude in tabard.yaml)"
            )
    elif not is_yaml:
        return
    elif not inside:
        found.problems[path] = (
            "cannot read file: it is a symbolic link to a file outside the repository, which "
            "tabard does not follow (copy the file into the repository instead)"
        )
    elif not stat.S_ISREG(mode):
        found.problems[path] = f"cannot read file: it is a symbolic link to {kind_of(mode)}"
    else:
        found.files.append(path)
        found.links.add(path)
