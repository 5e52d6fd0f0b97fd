"""Charts as Vega-Lite specifications, rendered to SVG on the server by vl-convert.

The page and the PDF report show the same SVG; nothing is fetched from outside (the data is
inline in the specification, vl-convert renders without a network, and the SVG holds no
script and no inline style, so the strict CSP is kept). Rendered SVG is cached by the
specification's hash.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from collections import OrderedDict
from functools import cache
from typing import Any

from django.core.cache import cache as django_cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ilonet.deployments import worldmap

from .eurostat.datasets import iso_country

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # an identifier, never fetched
EU_BLUE = "#004494"
EU_YELLOW = "#FFD617"
FONT = "Arial"
CONFIG = {"font": FONT, "view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 12}}


def _spec(title: str, body: dict[str, Any], *, width: int = 640, height: int = 260) -> dict[str, Any]:
    return {"$schema": SCHEMA, "title": title, "width": width, "height": height, "config": CONFIG, **body}


def trend_spec(rows: list[dict[str, Any]], *, title: str, y_title: str) -> dict[str, Any]:
    """rows: {"period", "value", "series"}: one line per series (e.g. EU total, a member state)."""
    return _spec(
        title,
        {
            "data": {"values": rows},
            "mark": {"type": "line", "point": True, "strokeWidth": 2},
            "encoding": {
                "x": {
                    "field": "period",
                    "type": "ordinal",
                    "title": None,
                    "axis": period_axis([str(row["period"]) for row in rows]),
                },
                "y": {"field": "value", "type": "quantitative", "title": y_title},
                "color": {
                    "field": "series",
                    "type": "nominal",
                    "title": None,
                    "scale": {"range": [EU_BLUE, "#E3520B", "#467A39", "#71007D"]},
                },
            },
        },
    )


def period_axis(periods: list[str], *, width: int = 640) -> dict[str, Any]:
    """Labels of the period axis that never overlap: every period while they fit side by side
    (about 6.5 px a character at 11 px), else quarters shown by their year at the first quarter
    and years every ``step``; the other labels are empty (the table beside has every period)."""
    distinct = sorted(set(periods))
    if not distinct:
        return {"labelAngle": 0}
    widest = max(len(p) for p in distinct) * 6.5 + 6
    if len(distinct) * widest <= width:
        return {"labelAngle": 0}
    year_width = 4 * 6.5 + 6
    if any("Q" in p for p in distinct):
        step = math.ceil(year_width / (4 * width / len(distinct)))
        expr = (
            f"indexof(datum.label, 'Q1') > 0 && toNumber(slice(datum.label, 0, 4)) % {step} == 0 "
            "? slice(datum.label, 0, 4) : ''"
        )
    else:
        step = math.ceil(len(distinct) * year_width / width)
        expr = f"toNumber(datum.label) % {step} == 0 ? datum.label : ''"
    return {"labelAngle": 0, "labelExpr": expr}


def comparison_spec(rows: list[dict[str, Any]], *, title: str, x_title: str) -> dict[str, Any]:
    """rows: {"geo", "value"}: one bar per member state, sorted by value."""
    return _spec(
        title,
        {
            "data": {"values": rows},
            "mark": {"type": "bar", "color": EU_BLUE},
            "encoding": {
                "y": {"field": "geo", "type": "nominal", "title": None, "sort": "-x"},
                "x": {"field": "value", "type": "quantitative", "title": x_title},
            },
        },
        height=max(120, 16 * len(rows)),
    )


def tile_map_spec(rows: list[dict[str, Any]], *, title: str, legend: str) -> dict[str, Any]:
    """rows: {"country", "value"}: a tile-grid map of third countries, each tile at its
    country's place on the world map (``tile_positions``), coloured by value."""
    positions = tile_positions()
    values = [
        {**row, "col": positions[row["country"]][0], "row": positions[row["country"]][1]}
        for row in rows
        if row["country"] in positions
    ]
    encoding_xy = {
        "x": {"field": "col", "type": "quantitative", "axis": None, "scale": {"domain": [0, GRID_COLS]}},
        "y": {
            "field": "row",
            "type": "quantitative",
            "axis": None,
            "scale": {"domain": [0, GRID_ROWS], "reverse": False},
        },
    }
    return _spec(
        title,
        {
            "data": {"values": values},
            "layer": [
                {
                    "mark": {"type": "square", "size": 230, "stroke": "white"},
                    "encoding": {
                        **encoding_xy,
                        "color": {
                            "field": "value",
                            "type": "quantitative",
                            "title": legend,
                            "scale": {"scheme": "blues"},
                        },
                    },
                },
                {
                    "mark": {"type": "text", "fontSize": 7, "color": "black"},
                    "encoding": {**encoding_xy, "text": {"field": "country"}},
                },
            ],
        },
        width=GRID_COLS * 17,
        height=GRID_ROWS * 17,
    )


GRID_COLS, GRID_ROWS = 40, 24
_MOVE = re.compile(r"M(-?[\d.]+) (-?[\d.]+)l([^Mz]*)z")


@cache
def tile_positions() -> dict[str, tuple[int, int]]:
    """ISO code -> (column, row) on a 40 x 24 grid: each country's largest outline's centre on
    the vendored world map, moved to the nearest free tile (larger countries placed first)."""
    width, height = 1010.0, 666.0
    centres: list[tuple[float, str, float, float]] = []
    for code, path in worldmap.country_paths().items():
        best: tuple[float, float, float] | None = None
        for m in _MOVE.finditer(path):
            x, y = float(m.group(1)), float(m.group(2))
            xs, ys = [x], [y]
            numbers = [float(n) for n in m.group(3).split()]
            for dx, dy in zip(numbers[0::2], numbers[1::2], strict=False):
                x, y = x + dx, y + dy
                xs.append(x)
                ys.append(y)
            area = (max(xs) - min(xs)) * (max(ys) - min(ys))
            if best is None or area > best[0]:
                best = (area, (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
        if best is not None:
            centres.append((best[0], code, best[1], best[2]))
    taken: dict[tuple[int, int], str] = {}
    out: dict[str, tuple[int, int]] = {}
    for _area, code, cx, cy in sorted(centres, reverse=True):
        col, row = round(cx / width * (GRID_COLS - 1)), round(cy / height * (GRID_ROWS - 1))
        spot = min(
            ((c, r) for c in range(GRID_COLS) for r in range(GRID_ROWS) if (c, r) not in taken),
            key=lambda p: (p[0] - col) ** 2 + (p[1] - row) ** 2,
        )
        taken[spot] = code
        out[code] = spot
    return out


def country_rows(figures: list[Any]) -> list[dict[str, Any]]:
    return [{"country": iso_country(f.citizen), "value": f.value} for f in figures if f.value is not None]


def _key(text: str) -> str:
    return "indicators.svg." + hashlib.sha256(text.encode()).hexdigest()


def _render(spec: dict[str, Any], text: str) -> str:
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(json.loads(text))
    label = escape(str(spec.get("title") or ""))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)


def render_svg(spec: dict[str, Any]) -> SafeString:
    """The SVG of a Vega-Lite specification (cached by its hash)."""
    return render_many([spec])[0]


# The SVGs this process used last, by key (the hash of the specification, so an entry is never
# stale: other figures make another specification, another key). A page of fifteen charts read
# about 350 KB from the shared cache (the database) on every request: a query, its transfer,
# base64 and unpickling. The shared cache stays the store the processes share and the one that
# outlives them; this memo only saves the reads of what the process already has.
MEMO_SIZE = 256
_memo: OrderedDict[str, str] = OrderedDict()
_memo_lock = threading.Lock()


def _remember(found: dict[str, str]) -> None:
    with _memo_lock:
        for key, svg in found.items():
            _memo[key] = svg
            _memo.move_to_end(key)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)


def forget() -> None:
    """Empty this process's memo (tests)."""
    with _memo_lock:
        _memo.clear()


def render_many(specs: list[dict[str, Any]]) -> list[SafeString]:
    """The SVGs of several specifications: from this process's memo, else the shared cache asked
    once for all the others (a page of fifteen charts made fifteen cache reads), the missing ones
    rendered and stored at once."""
    texts = [json.dumps(spec, sort_keys=True, default=str) for spec in specs]
    keys = [_key(text) for text in texts]
    with _memo_lock:
        found = {key: _memo[key] for key in keys if key in _memo}
    missing = [key for key in keys if key not in found]
    if missing:
        found.update(django_cache.get_many(missing))
    rendered = {}
    for spec, text, key in zip(specs, texts, keys, strict=True):
        if key not in found and key not in rendered:
            rendered[key] = _render(spec, text)
    if rendered:
        django_cache.set_many(rendered, 3600)
    found.update(rendered)
    _remember(found)
    # rendered by vl-convert from our data: no script, labels escaped
    return [mark_safe(found[key]) for key in keys]  # noqa: S308
