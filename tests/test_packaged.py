"""tabard's data folders are what importlib.resources gives, without importing it."""

from __future__ import annotations

import sys
import zipfile
from importlib.resources import files
from pathlib import Path

import pytest

from tabard.documents.packaged import package_folder


@pytest.mark.parametrize(
    "package", ["tabard.policies", "tabard.schemas", "tabard.data", "tabard.plugins"]
)
def test_an_installed_package_is_its_folder(package: str) -> None:
    folder = package_folder(package)
    assert isinstance(folder, Path)
    assert folder == files(package)
    assert sorted(entry.name for entry in folder.iterdir()) == sorted(
        entry.name for entry in files(package).iterdir()
    )


def test_a_package_in_a_zip_file_is_read_through_importlib_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as stream:
        stream.writestr("zipped_data/__init__.py", "")
        stream.writestr("zipped_data/rules.yaml", "kind: Policy\n")
    monkeypatch.syspath_prepend(str(archive))
    monkeypatch.delitem(sys.modules, "zipped_data", raising=False)
    folder = package_folder("zipped_data")
    assert not isinstance(folder, Path)
    assert folder.joinpath("rules.yaml").read_text(encoding="utf-8") == "kind: Policy\n"
