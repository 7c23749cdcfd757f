"""A small line chart as SVG text, drawn on the server for the dashboard: a phone's width, the
page's theme colours (CSS classes), every text escaped; months without reports are gaps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

WIDTH, HEIGHT = 340, 150
LEFT, RIGHT, TOP, BOTTOM = 30, 8, 22, 24


def _segments(points: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points (a None breaks the line)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _line(values: Sequence[int | None], top: int, css: str) -> list[str]:
    n = len(values)
    step = (WIDTH - LEFT - RIGHT) / max(n - 1, 1)
    span = HEIGHT - TOP - BOTTOM
    points = [
        None if v is None else (LEFT + i * step, TOP + span - (v / top) * span)
        for i, v in enumerate(values)
    ]
    out = []
    for run in _segments(points):
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
        if len(run) > 1:
            out.append(f'<polyline class="{css}" points="{coords}"/>')
        out += [f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>' for x, y in run]
    return out


def trend_svg(
    months: Sequence[str],
    now: Sequence[int | None],
    before: Sequence[int | None],
    *,
    title: str,
    now_label: str,
    before_label: str,
    number: Callable[[int], str] = str,
) -> str:
    """``now`` against ``before`` (the same months a year earlier), one value per month."""
    top = max([v for v in (*now, *before) if v is not None] + [1])
    base = HEIGHT - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}"/>',
        f'<text class="tick" x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">'
        f"{escape(number(top))}</text>",
        f'<text class="tick" x="{LEFT - 4}" y="{base}" text-anchor="end">0</text>',
    ]
    if months:
        picks = sorted({0, len(months) // 2, len(months) - 1})
        step = (WIDTH - LEFT - RIGHT) / max(len(months) - 1, 1)
        for i in picks:
            anchor = "start" if i == 0 else "end" if i == len(months) - 1 else "middle"
            parts.append(f'<text class="tick" x="{LEFT + i * step:.1f}" y="{HEIGHT - 8}" '
                         f'text-anchor="{anchor}">{escape(months[i])}</text>')
    parts += _line(before, top, "before") + _line(now, top, "now")
    parts += [
        f'<circle class="now" cx="{LEFT + 4}" cy="10" r="3"/>'
        f'<text class="legend" x="{LEFT + 10}" y="13">{escape(now_label)}</text>',
        f'<circle class="before" cx="{WIDTH / 2 + 4:.0f}" cy="10" r="3"/>'
        f'<text class="legend" x="{WIDTH / 2 + 10:.0f}" y="13">{escape(before_label)}</text>',
        "</svg>",
    ]
    return "".join(parts)
