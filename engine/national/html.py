"""The national report as one self-contained HTML page: inline CSS, inline SVG, a little JS.

Nothing is fetched from elsewhere, so the file can be emailed or attached to an inspection.
Every chart is drawn as inline SVG with a text alternative (``<title>``, ``<desc>`` and the
same figures as a table), and no chart relies on colour alone: heat-map cells carry their
number or a symbol, bar segments carry a fill pattern as well as a colour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib.resources import files
from typing import Any, Final

#: Heat-map bins: (lowest failing count, fill, text colour); text contrast is at least 4.5:1.
HEAT: Final = (
    (0, "#ffffff", "#1a1a1a"),
    (1, "#fde0c5", "#1a1a1a"),
    (2, "#f9a870", "#1a1a1a"),
    (4, "#e0552c", "#000000"),
    (10, "#8c1d18", "#ffffff"),
)
LEFT_OUT_FILL: Final = "#cfcfcf"
DASH: Final = "\u2013"  # en dash: a pack left out, or no figure
CROSS: Final = "\u00d7"  # multiplication sign: a rule disabled
#: Eight fills for bar segments: a colour and a pattern, so that no category is told by
#: colour alone.  Categories beyond eight are summed into "other".
FILLS: Final = (
    ("#1f4e79", "solid"),
    ("#7fb3e0", "hatch"),
    ("#2e7d32", "dots"),
    ("#a5d6a7", "cross"),
    ("#b45309", "solid"),
    ("#fcd34d", "hatch"),
    ("#6b21a8", "dots"),
    ("#d8b4fe", "cross"),
)
CELL: Final = 15
ROW_LABEL: Final = 250  # room for the longest force name at 11px
TYPES: Final = (
    "corporate",
    "department",
    "neighbourhood",
    "team",
    "senior_officer",
    "individual_officer",
    "campaign",
    "unofficial",
)


def render(data: Mapping[str, Any]) -> str:
    from jinja2 import Environment, StrictUndefined

    environment = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)
    environment.filters["percent"] = _percent
    environment.filters["label"] = _label
    source = files("tabard.national").joinpath("report.html.j2").read_text("utf-8")
    template = environment.from_string(source)
    forces = [force for force in data["forces"] if force["status"] == "ok"]
    return (
        template.render(
            data=data,
            forces=forces,
            broken=[force for force in data["forces"] if force["status"] != "ok"],
            matrix=_matrix(data, forces),
            by_type=_stacked(forces, "by_type", TYPES),
            by_platform=_stacked(forces, "by_platform", _top(forces, "by_platform")),
            engagement=_stacked_values(
                forces,
                {
                    "two-way": lambda h: h["two_way"],
                    "broadcast": lambda h: h["broadcast"],
                    "not stated": lambda h: h["open_accounts"] - h["two_way"] - h["broadcast"],
                },
            ),
            monitoring=_stacked_values(
                forces,
                {
                    "24/7 or digital desk": lambda h: h["monitored"],
                    "office hours or less": lambda h: h["open_accounts"] - h["monitored"],
                },
            ),
            fills=FILLS,
            heat=HEAT,
            left_out_fill=LEFT_OUT_FILL,
            left=ROW_LABEL,
        ).strip()
        + "\n"
    )


def _percent(part: int, whole: int) -> str:
    return DASH if whole == 0 else f"{round(100 * part / whole)}%"


def _label(name: str) -> str:
    return name.replace("_", " ")


# -- heat map -----------------------------------------------------------------------------


def _matrix(data: Mapping[str, Any], forces: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Cells with their place, fill and symbol; columns grouped by pack."""
    columns = []
    groups = []
    x = ROW_LABEL
    for pack in data["packs"]:
        rules = [rule for rule in data["rules"] if rule["pack"] == pack["name"]]
        groups.append({"name": pack["name"], "x": x, "width": CELL * len(rules)})
        for rule in rules:
            columns.append({**rule, "x": x})
            x += CELL
        x += 6  # a gap between packs
    rows = []
    top = 110
    for index, force in enumerate(forces):
        cells = [_cell(force["matrix"][column["id"]], column) for column in columns]
        rows.append(
            {
                "force": force,
                "y": top + index * CELL,
                "cells": cells,
                "failing": sum(cell["failing"] for cell in cells),
                "loosened": sum(1 for cell in cells if cell["state"] != "on" or cell["lowered"]),
            }
        )
    return {
        "columns": columns,
        "groups": groups,
        "rows": rows,
        "width": x + 10,
        "height": top + CELL * len(forces) + 10,
        "top": top,
        "cell": CELL,
    }


def _cell(cell: Mapping[str, Any], column: Mapping[str, Any]) -> dict[str, Any]:
    state = cell["state"]
    if state == "left_out":
        fill, ink, symbol, words = LEFT_OUT_FILL, "#1a1a1a", DASH, "pack left out"
    elif state == "disabled":
        fill, ink, symbol, words = "#ffffff", "#1a1a1a", CROSS, "rule disabled"
    else:
        fill, ink = next((f, i) for low, f, i in reversed(HEAT) if cell["failing"] >= low)
        symbol = str(cell["failing"]) if cell["failing"] else ""
        words = f"{cell['failing']} failing"
        if cell["waived"]:
            words += f", {cell['waived']} waived"
        if cell["lowered"]:
            symbol += "↓"
            words += f", lowered to {cell['severity']}"
    return {
        **cell,
        "rule": column["id"],
        "x": column["x"],
        "fill": fill,
        "ink": ink,
        "symbol": symbol,
        "words": words,
    }


# -- stacked bars -------------------------------------------------------------------------


def _top(forces: Iterable[Mapping[str, Any]], key: str) -> tuple[str, ...]:
    totals: dict[str, int] = {}
    for force in forces:
        for name, count in force["headline"][key].items():
            totals[name] = totals.get(name, 0) + count
    ranked = sorted(totals, key=lambda name: (-totals[name], name))
    return tuple(ranked[: len(FILLS) - 1]) if len(ranked) > len(FILLS) else tuple(ranked)


def _stacked(forces: list[Mapping[str, Any]], key: str, names: tuple[str, ...]) -> dict[str, Any]:
    getters = {name: _getter(key, name) for name in names}
    if any(set(force["headline"][key]) - set(names) for force in forces):
        getters["other"] = lambda h: sum(n for k, n in h[key].items() if k not in names)
    return _stacked_values(forces, getters)


def _getter(key: str, name: str) -> Any:
    return lambda headline: headline[key].get(name, 0)


def _stacked_values(forces: list[Mapping[str, Any]], getters: Mapping[str, Any]) -> dict[str, Any]:
    """One bar per force, one segment per series; widths scale to the largest force."""
    series = list(getters)
    values = [[int(getters[name](force["headline"])) for name in series] for force in forces]
    largest = max((sum(row) for row in values), default=0) or 1
    scale = 560 / largest
    bars = []
    for index, (force, row) in enumerate(zip(forces, values, strict=True)):
        x: float = ROW_LABEL
        segments = []
        for position, (name, value) in enumerate(zip(series, row, strict=True)):
            width = value * scale
            segments.append(
                {"name": name, "value": value, "x": x, "width": width, "fill": position}
            )
            x += width
        bars.append(
            {
                "force": force,
                "y": 40 + index * 18,
                "segments": segments,
                "total": sum(row),
                "end": x,
            }
        )
    return {
        "series": series,
        "bars": bars,
        "height": 50 + 18 * len(forces),
        "width": ROW_LABEL + 640,
    }
