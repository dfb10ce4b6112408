"""The progress chart: a server-rendered SVG of the daily mean score (no script library)."""

from __future__ import annotations

import datetime as dt

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, PAD = 600, 200, 32


def progress_svg(days: list[tuple[dt.date, float | None]]) -> SafeString:
    """A line through the days with answers (dots on each), a 0-100 % axis, a text summary."""
    n = max(1, len(days) - 1)
    points = [
        (PAD + (WIDTH - 2 * PAD) * k / n, HEIGHT - PAD - (HEIGHT - 2 * PAD) * score, day, score)
        for k, (day, score) in enumerate(days)
        if score is not None
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _d, _s in points)
    dots = format_html_join(
        "",
        '<circle class="dot" cx="{}" cy="{}" r="4"><title>{}: {} %</title></circle>',
        ((f"{x:.1f}", f"{y:.1f}", f"{day:%-d %b}", round(100 * s)) for x, y, day, s in points),
    )
    grid = format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="axis" x="4" y="{}">{} %</text>',
        (
            (PAD, WIDTH - PAD, f"{y:.1f}", f"{y:.1f}", f"{y + 4:.1f}", pct)
            for pct in (0, 50, 100)
            for y in [HEIGHT - PAD - (HEIGHT - 2 * PAD) * pct / 100]
        ),
    )
    first, last = days[0][0], days[-1][0]
    listed = ", ".join(f"{d:%-d %b} {round(100 * s)} %" for _x, _y, d, s in points)
    summary = f"Mean score per day from {first:%-d %b} to {last:%-d %b}: {listed or 'no answers'}"
    return format_html(
        '<svg class="progress-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-title">'
        '<title id="chart-title">{}</title>{}'
        '<polyline class="line" points="{}" fill="none"/>{}'
        '<text class="axis" x="{}" y="{}">{}</text>'
        '<text class="axis end" x="{}" y="{}" text-anchor="end">{}</text></svg>',
        WIDTH, HEIGHT, summary, grid, line, dots,
        PAD, HEIGHT - 8, f"{first:%-d %b}", WIDTH - PAD, HEIGHT - 8, f"{last:%-d %b}",
    )  # fmt: skip
