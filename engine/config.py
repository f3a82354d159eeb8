"""``tabard.yaml`` (design §2.4): found upward from the working directory."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from tabard.documents import schemas as document_schemas
from tabard.documents.positions import locate
from tabard.documents.yamlio import LoadedDocument, YamlError, load_documents
from tabard.errors import ConfigError, Problem
from tabard.record import Record

CONFIG_NAME: Final = "tabard.yaml"


class Config(Record):
    _fields = (
        "root",
        "file",
        "policies",
        "disabled_plugins",
        "local_plugins",
        "rules",
        "accounts",
        "exclude",
        "fail_on",
        "loaded",
    )
    __slots__ = _fields
    root: Path
    #: Path of the config file as shown to users, or None when tabard runs on defaults.
    file: str | None
    #: Pack names and local paths; None means every built-in pack.
    policies: tuple[str, ...] | None
    disabled_plugins: tuple[str, ...]
    local_plugins: tuple[str, ...]
    rules: Mapping[str, Mapping[str, Any]]
    accounts: tuple[str, ...]
    exclude: tuple[str, ...]
    fail_on: str
    loaded: LoadedDocument | None

    def __init__(
        self,
        root: Path,
        file: str | None = None,
        policies: tuple[str, ...] | None = None,
        disabled_plugins: tuple[str, ...] = (),
        local_plugins: tuple[str, ...] = (),
        rules: Mapping[str, Mapping[str, Any]] | None = None,
        accounts: tuple[str, ...] = ("accounts",),
        exclude: tuple[str, ...] = (),
        fail_on: str = "error",
        loaded: LoadedDocument | None = None,
    ) -> None:
        self._fill(
            root,
            file,
            policies,
            disabled_plugins,
            local_plugins,
            {} if rules is None else rules,
            accounts,
            exclude,
            fail_on,
            loaded,
        )

    def problem(
        self,
        path: tuple[str | int, ...],
        message: str,
        hint: str | None = None,
        *,
        key: bool = False,
    ) -> Problem:
        """A problem located in the config file at *path* (at its key, with *key*)."""
        if self.loaded is None or self.file is None:
            return Problem(message, self.file, hint=hint)
        line, column, _ = locate(self.loaded, path, key=key)
        return Problem(message, self.file, line, column, hint)


def find_config(start: Path) -> Path | None:
    """The nearest ``tabard.yaml`` in *start* or above it.

    Anything by that name counts, a folder or a broken link too: skipping it would quietly
    use a config further up (or none), so :func:`load_config` refuses it instead.
    """
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_NAME
        if os.path.lexists(candidate):
            return candidate
    return None


def _not_a_file(path: Path) -> str | None:
    """Why *path* cannot be read as a config file, or None when it is a regular file."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "is a symbolic link to a file that does not exist"
    except OSError as error:
        return f"cannot be read: {error.strerror}"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a device, pipe or socket)"
    return None


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_config(path: Path) -> Config:
    shown = _display(path)
    wrong = _not_a_file(path)
    if wrong is not None:
        raise ConfigError(
            Problem(
                f"the config {wrong}",
                shown,
                hint=f"make {shown} the repository's config file (`tabard init` writes one)",
            )
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(Problem(f"cannot read config: {error.strerror}", shown)) from None
    return parse_config(raw, shown, path.parent.resolve())


def parse_config(raw: bytes, shown: str, root: Path) -> Config:
    """The config in *raw* (shown as *shown* in problems), for the repository at *root*."""
    try:
        documents = load_documents(raw)
    except YamlError as error:
        raise ConfigError(
            Problem(f"invalid YAML: {error.message}", shown, error.line, error.column)
        ) from None
    if len(documents) != 1 or not isinstance(documents[0].data, dict):
        raise ConfigError(
            Problem(
                "the config must be one mapping (apiVersion: tabard/v1, kind: Config)", shown, 1, 1
            )
        )
    loaded = documents[0]
    data = loaded.data
    found = document_schemas.problems("Config", data)
    if found:
        problems = []
        for problem in found:
            line, column, _ = locate(loaded, problem.path, key=problem.key)
            problems.append(Problem(problem.message, shown, line, column, problem.hint))
        raise ConfigError(problems)
    plugins = data.get("plugins", {})
    policies = data.get("policies")
    return Config(
        root=root,
        file=shown,
        policies=tuple(policies) if policies is not None else None,
        disabled_plugins=tuple(plugins.get("disable", ())),
        local_plugins=tuple(plugins.get("local", ())),
        rules=data.get("rules", {}),
        accounts=tuple(data.get("accounts", ("accounts",))),
        exclude=tuple(data.get("exclude", ())),
        fail_on=data.get("fail_on", "error"),
        loaded=loaded,
    )
