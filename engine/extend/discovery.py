"""Installed plugins' entry points, remembered while the installed distributions stay the same.

Finding the ``tabard`` entry points with ``importlib.metadata`` imports it (``email``,
``zipfile``, ``csv``, …) and reads the metadata of every installed distribution: about a
tenth of a small ``tabard check``.  What it finds depends only on the distributions on
``sys.path``, so a run that caches remembers, in ``.tabard-cache/plugins.json``, the entry
points it found together with a *fingerprint* of everything discovery reads:

* for each ``sys.path`` entry, in order: the names of its ``*.dist-info`` and
  ``*.egg-info`` entries (and ``EGG-INFO`` in an ``.egg``), and for each the identity,
  size and times (``stat``) of the entry and of its ``entry_points.txt``, ``METADATA``
  and ``PKG-INFO``; an entry that cannot be listed (a zip file) by its own ``stat``;
* tabard's version and the interpreter.

A later run takes the fingerprint again (a listing and a few ``stat`` calls) and, when it
matches, imports the remembered entry points directly.  Installing, removing, upgrading
or editing any distribution changes the fingerprint, and discovery runs as before.  The
memo is never used when a finder other than the standard path finder could supply
distributions, is never written while a file it depends on was modified in the last
:data:`RACY_NS` (an edit in the same clock tick could leave its ``stat`` unchanged), and
is signed like the document cache (``documents/signed.py``): one that this user's tabard
did not write for this repository is ignored.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable
from importlib import import_module
from importlib.machinery import PathFinder
from pathlib import Path
from typing import Any, Final

from tabard._version import __version__
from tabard.documents.cache import RACY_NS, signing_key
from tabard.documents.signed import SignedFile
from tabard.extend.hookspecs import PROJECT
from tabard.record import Record

NAME: Final = "plugins.json"
FORMAT: Final = 1
#: A memo lists a handful of entry points.
MAX_MEMO_BYTES: Final = 1 << 20
#: The files of a distribution's metadata that discovery reads (entry points, version).
_READ: Final = ("entry_points.txt", "METADATA", "PKG-INFO")

#: ``importlib.metadata.EntryPoint.pattern``: ``module``, ``module:attribute.attribute``,
#: optionally followed by ``[extras]``.
_VALUE: Final = re.compile(
    r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$"
)


class InstalledEntryPoint(Record):
    """A ``tabard`` entry point: its name, its value (``module:attribute``), the version
    of the distribution that declares it, and how to import what it names."""

    _fields = ("name", "value", "version", "load")
    __slots__ = _fields
    name: str
    value: str
    version: str
    load: Callable[[], Any]

    def __init__(self, name: str, value: str, version: str, load: Callable[[], Any]) -> None:
        self._fill(name, value, version, load)


def _importer(value: str) -> Callable[[], Any] | None:
    """What ``EntryPoint.load`` does for *value*, without importing importlib.metadata;
    None for a value it cannot load (discovery then runs, and reports it)."""
    match = _VALUE.match(value)
    if match is None:
        return None
    module, attributes = match["module"], (match["attr"] or "").split(".")

    def load() -> Any:
        return functools.reduce(getattr, filter(None, attributes), import_module(module))

    return load


class _Fingerprint:
    """The digest of what entry-point discovery reads, and the newest time seen in it."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256(f"tabard {__version__} {sys.version}".encode())
        self.newest_ns = 0

    def add(self, *parts: object) -> None:
        data = repr(parts).encode("utf-8", "surrogateescape")
        self.digest.update(len(data).to_bytes(8, "big") + data)

    def add_stat(self, path: str) -> None:
        try:
            status = os.stat(path)  # noqa: PTH116 - strings: a Path per file costs more
        except OSError as error:
            self.add(path, "unreadable", error.errno)
            return
        self.add(path, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        self.newest_ns = max(self.newest_ns, status.st_mtime_ns, status.st_ctime_ns)


def _metadata_children(entry: str, children: list[str]) -> list[str]:
    """The children of a ``sys.path`` entry that hold a distribution's metadata (as
    ``importlib.metadata`` finds them: ``EGG-INFO`` only in a folder named ``*.egg``)."""
    is_egg = entry.rstrip("/\\").lower().endswith(".egg")
    return sorted(
        child
        for child in children
        if child.lower().endswith((".dist-info", ".egg-info"))
        or (is_egg and child.lower() == "egg-info")
    )


def fingerprint() -> _Fingerprint | None:
    """The fingerprint of the installed distributions; None if it cannot be taken
    faithfully (another finder on ``sys.meta_path`` may supply distributions, or a
    ``sys.path`` entry is not a string)."""
    for finder in sys.meta_path:
        if finder is not PathFinder and hasattr(finder, "find_distributions"):
            return None
    taken = _Fingerprint()
    entries: list[object] = list(sys.path)  # anyone may have put anything there
    for entry in entries:
        if not isinstance(entry, str):
            return None
        folder = entry or "."
        try:
            children = os.listdir(folder)  # noqa: PTH208 - names, as importlib.metadata lists
        except OSError:
            taken.add("entry", entry)
            taken.add_stat(folder)  # a zip file, or nothing (and so no distributions)
            continue
        taken.add("folder", entry)
        for child in _metadata_children(entry, children):
            metadata = f"{folder}{os.sep}{child}"
            taken.add_stat(metadata)
            for name in _READ:
                taken.add_stat(f"{metadata}{os.sep}{name}")
    return taken


class PluginMemo:
    """The remembered entry points of one repository's runs, read once, saved if new."""

    def __init__(self, root: Path) -> None:
        self.file = SignedFile(root, NAME, signing_key(), MAX_MEMO_BYTES, b"plugins\0")
        self.taken = fingerprint() if self.file.usable() else None
        self.started_ns = time.time_ns()

    def get(self) -> list[InstalledEntryPoint] | None:
        """The entry points an earlier run found with this same fingerprint, or None."""
        if self.taken is None:
            return None
        body = self.file.read()
        if body is None:
            return None
        try:
            memo = json.loads(body)
        except (ValueError, RecursionError):
            return None
        if not _is_memo(memo) or memo["fingerprint"] != self._key():
            return None
        remembered = []
        for name, value, version in memo["entry_points"]:
            load = _importer(value)
            if load is None:
                return None
            remembered.append(InstalledEntryPoint(name, value, version, load))
        return remembered

    def put(self, found: list[InstalledEntryPoint]) -> None:
        """Remember *found* for this fingerprint, unless a file it depends on is so new
        that an edit could still go unseen."""
        if self.taken is None or self.taken.newest_ns >= self.started_ns - RACY_NS:
            return
        entry_points = [[entry.name, entry.value, entry.version] for entry in found]
        memo = {"format": FORMAT, "fingerprint": self._key(), "entry_points": entry_points}
        try:
            body = json.dumps(memo, ensure_ascii=False).encode()
        except (TypeError, ValueError):  # a version that is not text: discover every time
            return
        self.file.write(body)

    def _key(self) -> str:
        assert self.taken is not None  # callers check; for mypy
        return self.taken.digest.hexdigest()


def _is_memo(memo: Any) -> bool:
    """The memo is what :meth:`PluginMemo.put` writes (it is signed, so this only guards
    against a tabard that wrote another shape)."""
    return (
        isinstance(memo, dict)
        and memo.get("format") == FORMAT
        and isinstance(memo.get("fingerprint"), str)
        and isinstance(memo.get("entry_points"), list)
        and all(
            isinstance(found, list)
            and len(found) == 3
            and all(isinstance(part, str) for part in found)
            for found in memo["entry_points"]
        )
    )


def installed_entry_points(memo: PluginMemo | None) -> list[InstalledEntryPoint]:
    """The ``tabard`` entry points of the installed distributions, by name: remembered
    while the distributions are unchanged, else discovered (and remembered)."""
    remembered = memo.get() if memo is not None else None
    if remembered is not None:
        return remembered
    # Imported here: a run whose memo matches, or with TABARD_DISABLE_PLUGIN_AUTOLOAD
    # set, has no need of it (it costs about a tenth of a small check).
    from importlib.metadata import entry_points

    versions = _Versions()
    found = [
        InstalledEntryPoint(entry.name, entry.value, versions.of(entry.dist), entry.load)
        for entry in sorted(entry_points(group=PROJECT), key=lambda e: e.name)
    ]
    if memo is not None:
        memo.put(found)
    return found


class _Versions:
    """Each distribution's version, read once.

    The entry points of one distribution share its object, and ``dist.version`` parses
    its whole METADATA file every time it is asked: tabard's three bundled plugins
    parsed tabard's three times on every run.
    """

    def __init__(self) -> None:
        self.read: list[tuple[Any, str]] = []

    def of(self, dist: Any) -> str:
        if dist is None:
            return ""
        for known, read in self.read:
            if known is dist:
                return read
        version: str = dist.version
        self.read.append((dist, version))
        return version
