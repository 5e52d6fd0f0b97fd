"""A server-rendered SVG chart of the overview: one stacked bar per quarter, a segment per
topic of Art. 3(4) (how many of the quarter's reports have a section on it). No script, no
outside request, no inline style (CSP): colours are presentation attributes of the SVG. The
table beside it holds the same figures."""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .figures import Overview
from .topics import Topic, short_label

# 12 distinguishable colours (Okabe-Ito and Tableau, dark enough against white).
COLOURS = dict(
    zip(
        Topic.values,
        ("#004494", "#e69f00", "#56b4e9", "#009e73", "#c9a800", "#0072b2",
         "#d55e00", "#cc79a7", "#4e4e4e", "#8c564b", "#1b9e77", "#7570b3"),
        strict=True,
    )
)  # fmt: skip
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 280, 40, 40, 10
LABEL_ROOM = 64  # user units a quarter's label needs ("2026 Q4" at 11 units is about 45 wide)


def render(overview: Overview, *, title: str) -> SafeString:
    rows = overview.rows
    stacks = [sum(row.by_topic.get(code, 0) for code in overview.topics) for row in rows]
    peak = max(stacks, default=0) or 1
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - 10) / max(len(rows), 1)
    bar = max(min(slot * 0.7, 48), 2)
    out = [
        f'<svg class="ilonet-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg" focusable="false">',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 5}" y2="{TOP + plot_h}" stroke="#515560"/>',
    ]
    # One <text> per axis, one <tspan> per label: the labels never overlap (every n-th quarter
    # is labelled so that each has room), and the page's layout check sees one box per axis.
    ticks = []
    for tick in sorted({0, peak // 2, peak}):
        y = TOP + plot_h - plot_h * tick / peak
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - 5}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        ticks.append(f'<tspan x="{LEFT - 6}" y="{y + 4:.1f}">{tick}</tspan>')
    out.append(_axis("end", ticks))
    every = max(1, math.ceil(LABEL_ROOM / slot))
    labels = []
    for index, row in enumerate(rows):
        x = LEFT + index * slot + (slot - bar) / 2
        y = TOP + plot_h
        for code in overview.topics:
            count = row.by_topic.get(code, 0)
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            label = _("%(quarter)s, %(topic)s: %(count)d") % {
                "quarter": row.quarter.label,
                "topic": short_label(code),
                "count": count,
            }
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{COLOURS[code]}">'
                f"<title>{escape(label)}</title></rect>"
            )
        if index % every == 0:
            labels.append(
                f'<tspan x="{x + bar / 2:.1f}" y="{HEIGHT - BOTTOM + 18}">{escape(row.quarter.label)}</tspan>'
            )
    out.append(_axis("middle", labels))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308  (numbers and escaped text only)


def _axis(anchor: str, spans: list[str]) -> str:
    return (
        f'<text class="ilonet-chart__axis" text-anchor="{anchor}" font-size="11" fill="#404040">'
        f"{''.join(spans)}</text>"
    )


def legend(overview: Overview) -> list[dict[str, str]]:
    return [{"code": code, "label": short_label(code), "colour": COLOURS[code]} for code in overview.topics]
