"""The forces x rules matrix as CSV: one row per force, one column per national rule."""

from __future__ import annotations

import csv
import io
from typing import Any


def render(data: dict[str, Any]) -> str:
    rules = [rule["id"] for rule in data["rules"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["force", "name", "status", *rules])
    for force in data["forces"]:
        if force["status"] != "ok":
            writer.writerow([force["force"], "", "broken", *("" for _ in rules)])
            continue
        cells = [_cell(force["matrix"][rule]) for rule in rules]
        writer.writerow([force["force"], force["name"], "ok", *cells])
    return out.getvalue()


def _cell(cell: dict[str, Any]) -> str:
    """``left out``, ``disabled``, or the failing count, then waivers and a lowered severity."""
    if cell["state"] == "left_out":
        return "left out"
    if cell["state"] == "disabled":
        return "disabled"
    parts = [str(cell["failing"])]
    if cell["waived"]:
        parts.append(f"{cell['waived']} waived")
    if cell["lowered"]:
        parts.append(f"lowered to {cell['severity']}")
    return "; ".join(parts)
