"""The folders of tabard's own data packages (policies, schemas, data), found cheaply.

``importlib.resources.files`` imports ``tempfile``, ``shutil``, ``zipfile``, ``bz2``,
``lzma`` and ``random`` before it answers: about 20 million instructions, paid by every
check for three folders.  For a package installed as plain files (a wheel, an editable
install) it answers with the folder of the package's ``__init__.py``; that is what this
module gives, and it asks ``importlib.resources`` for anything else (a zip, a package
without a source file).
"""

from __future__ import annotations

from importlib import import_module
from importlib.machinery import SourceFileLoader
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def package_folder(package: str) -> Traversable:
    """What ``importlib.resources.files(package)`` gives, without importing it when the
    package is a folder of files."""
    module = import_module(package)
    loader = getattr(module.__spec__, "loader", None)
    origin = getattr(module, "__file__", None)
    if isinstance(loader, SourceFileLoader) and isinstance(origin, str):
        return Path(origin).parent
    from importlib.resources import files

    return files(package)
