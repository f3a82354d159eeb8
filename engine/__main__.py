from __future__ import annotations

from tabard.cli import main

raise SystemExit(main())
