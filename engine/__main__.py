from __future__ import annotations

from tabard.cli import script

raise SystemExit(script())
