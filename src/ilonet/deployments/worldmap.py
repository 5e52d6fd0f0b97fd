"""A server-rendered world map for the deployment gap analysis (Art. 8(2)(e)).

The outlines come from the vendored ``@svg-maps/world`` (CC BY 4.0, keyed by ISO 3166-1
alpha-2 code). They are parsed once per process, simplified (Douglas-Peucker at 0.35 px,
coordinates on a 0.5 px grid: about 120 kB instead of 1.2 MB) and drawn inline, one ``<path>``
per country with one CSS class per coverage level. No inline style (CSP ``style-src 'self'``):
the colours are in ``static/ilonet/css/deployments.css``.
"""

import math
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SVG_FILE = Path(settings.SRC_DIR) / "static" / "vendor" / "svg-maps-world" / "2.0.0" / "world.svg"
VIEWBOX = "0 0 1010 666"
TOLERANCE = 0.35  # px, Douglas-Peucker
GRID = 2  # coordinates rounded to 1/GRID px

_PATH = re.compile(r'<path\s+d="([^"]*)"\s+aria-label="([^"]*)"\s+id="([^"]*)"')
_TOKEN = re.compile(r"[mMzZ]|-?\d*\.?\d+(?:e[-+]?\d+)?")

Point = tuple[float, float]


def _rings(d: str) -> list[list[Point]]:
    """Absolute rings of a path that uses only m/M, implicit line-to and z (as this file does)."""
    tokens = _TOKEN.findall(d)
    rings: list[list[Point]] = []
    ring: list[Point] = []
    x = y = start_x = start_y = 0.0
    relative = True
    first = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in "mM":
            relative, first = token == "m", True
            i += 1
            continue
        if token in "zZ":
            if ring:
                rings.append(ring)
            ring = []
            x, y = start_x, start_y
            i += 1
            continue
        dx, dy = float(tokens[i]), float(tokens[i + 1])
        i += 2
        x, y = (x + dx, y + dy) if relative else (dx, dy)
        if first:
            if ring:
                rings.append(ring)
                ring = []
            start_x, start_y, first = x, y, False
        ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def _simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        best, best_index = -1.0, -1
        for k in range(a + 1, b):
            px, py = points[k]
            if length > 0:
                dist = abs(dy * px - dx * py + bx * ay - by * ax) / length
            else:
                dist = math.hypot(px - ax, py - ay)
            if dist > best:
                best, best_index = dist, k
        if best_index >= 0 and best > tolerance:
            keep[best_index] = True
            stack.extend(((a, best_index), (best_index, b)))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _ring_path(points: list[Point], grid: int) -> str:
    grid_points = [(round(px * grid), round(py * grid)) for px, py in points]
    moves: list[str] = []
    prev = grid_points[0]
    for point in grid_points[1:]:
        dx, dy = point[0] - prev[0], point[1] - prev[1]
        if dx or dy:
            moves.append(f"{dx / grid:g} {dy / grid:g}")
            prev = point
    if len(moves) < 2:
        return ""
    return f"M{grid_points[0][0] / grid:g} {grid_points[0][1] / grid:g}l{' '.join(moves)}z"


def _country_path(d: str) -> str:
    rings = _rings(d)
    parts = []
    for ring in rings:
        simplified = _simplify([*ring, ring[0]], TOLERANCE)[:-1] if len(ring) > 2 else ring
        if len(simplified) >= 3:
            parts.append(_ring_path(simplified, GRID))
    path = "".join(parts)
    if not path:  # a small island country: keep its largest ring at full precision
        largest = max(rings, key=len)
        path = _ring_path(largest, 100)
    return path


@cache
def country_paths() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code (upper case) -> simplified SVG path data."""
    text = SVG_FILE.read_text(encoding="utf-8")
    return {code.upper(): _country_path(d) for d, _label, code in _PATH.findall(text)}


def render(*, levels: Mapping[str, str], labels: Mapping[str, str], title: str) -> SafeString:
    """The inline SVG: each country gets ``ilonet-map__country`` and its level's class
    (``levels``: code -> CSS class), with a ``<title>`` tooltip (``labels``)."""
    out = [
        f'<svg class="ilonet-map" viewBox="{VIEWBOX}" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg" focusable="false">'
    ]
    for code, path in country_paths().items():
        level = levels.get(code, "ilonet-map--other")
        label = labels.get(code, "")
        out.append(
            f'<path class="ilonet-map__country {escape(level)}" data-country="{code}" d="{path}">'
            f"<title>{escape(label)}</title></path>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308  (paths are numbers; text is escaped above)
