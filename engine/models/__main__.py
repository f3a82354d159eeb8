"""``python -m tabard.models [--check] [DIRECTORY]``: write (or check) ``schemas/*.json``."""

from __future__ import annotations

import sys
from pathlib import Path

from tabard.models.catalogue import all_schemas
from tabard.models.generate import dumps


def main(argv: list[str]) -> int:
    check = "--check" in argv
    folders = [arg for arg in argv if arg != "--check"]
    folder = Path(folders[0] if folders else "schemas")
    stale = []
    for name, schema in all_schemas().items():
        path = folder / name
        text = dumps(schema)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not check:
            path.write_text(text, encoding="utf-8")
    for name in stale:
        print(f"{'stale' if check else 'wrote'}: {folder / name}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
