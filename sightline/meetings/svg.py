"""A server-drawn SVG bar chart (no script, so it renders in the PDF and under the CSP)."""

from __future__ import annotations

from html import escape

WIDTH, BAR_H, GAP, LABEL_W = 640, 12, 10, 220
COLOURS = ("#b1b4b6", "#1d70b8")


def bar_chart(rows: list[tuple[str, int, int]], *, series: tuple[str, str]) -> str:
    """Two bars per row (before, now), labelled, with a legend."""
    top = max([1, *(max(a, b) for _l, a, b in rows)])
    scale = (WIDTH - LABEL_W - 60) / top
    height = 30 + len(rows) * (2 * BAR_H + GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="Themes chart">'
    ]
    for n, name in enumerate(series):
        x = LABEL_W + n * 170
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[n]}"/>')
        parts.append(f'<text x="{x + 16}" y="14" font-size="11">{escape(name)}</text>')
    y = 30
    for label, before, now in rows:
        parts.append(f'<text x="0" y="{y + BAR_H + 4}" font-size="11">{escape(label)}</text>')
        for n, value in enumerate((before, now)):
            w = max(1, round(value * scale))
            yy = y + n * BAR_H
            parts.append(
                f'<rect x="{LABEL_W}" y="{yy}" width="{w}" height="{BAR_H - 2}" '
                f'fill="{COLOURS[n]}"/>'
            )
            parts.append(
                f'<text x="{LABEL_W + w + 4}" y="{yy + BAR_H - 3}" font-size="10">{value}</text>'
            )
        y += 2 * BAR_H + GAP
    parts.append("</svg>")
    return "".join(parts)
