"""Monthly trend chart (PNG) of the three report categories, sized for a phone screen.

Uses the object-oriented ``Figure`` API with the Agg canvas directly (no pyplot, no
global rcParams changes), so it can run in worker threads via ``asyncio.to_thread``.

Months between the first and last entry of ``series`` that have no entry, and
categories missing (or ``None``) in an entry, are drawn as *gaps*, not zeros: a month
without reports is not a month without cases. A note under the chart says so.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FuncFormatter, MaxNLocator

from kernel.calendar import Month
from kernel.counts import CATEGORIES
from kernel.i18n import Translator
from reports.export import field_labels

Series = Sequence[tuple[Month, Mapping[str, int | None]]]

WIDTH_PX, HEIGHT_PX, DPI = 900, 500, 100
FONT = "DejaVu Sans"  # ships with matplotlib and covers Vietnamese diacritics

# Okabe-Ito colours (colour-blind safe), plus distinct markers and line styles.
STYLES: dict[str, dict[str, str]] = {
    "abuse": {"color": "#D55E00", "marker": "o", "linestyle": "-"},
    "injury": {"color": "#0072B2", "marker": "s", "linestyle": "--"},
    "marriage": {"color": "#009E73", "marker": "^", "linestyle": "-."},
}

MAX_TICK_LABELS = 12


def month_range(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last`` inclusive."""
    months, current = [], first
    while current <= last:
        months.append(current)
        current = current.next()
    return months


def _font(size: float, bold: bool = False) -> FontProperties:
    return FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")


def trend_chart(series: Series, *, title: str, tr: Translator) -> bytes:
    """A ``WIDTH_PX`` × ``HEIGHT_PX`` PNG with one line per category (see module doc for gaps)."""
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_title(title, fontproperties=_font(15, bold=True), loc="left")

    data = {month: values for month, values in series}
    months = month_range(min(data), max(data)) if data else []
    if not months:
        ax.text(
            0.5,
            0.5,
            tr.gettext("No data"),
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontproperties=_font(14),
            color="#666666",
        )
        ax.set_xticks([])
        ax.set_yticks([])
        return _png(fig)

    xs = list(range(len(months)))
    labels = field_labels(tr)
    gaps = False
    for category in CATEGORIES:
        ys = []
        for month in months:
            value = data.get(month, {}).get(category)
            gaps |= value is None
            ys.append(math.nan if value is None else value)
        ax.plot(
            xs,
            ys,
            label=labels[category],
            linewidth=2.2,
            markersize=6,
            clip_on=False,
            **STYLES[category],
        )

    step = max(1, math.ceil(len(months) / MAX_TICK_LABELS))
    ticks = xs[::step]
    ax.set_xticks(ticks, [tr.month(months[i].year, months[i].month) for i in ticks])
    ax.set_xlim(-0.5, len(months) - 0.5)
    ax.set_ylim(0, max(ax.get_ylim()[1], 1))  # all-zero data still gets a visible axis
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: tr.number(int(v))))
    ax.set_ylabel(tr.gettext("Cases"), fontproperties=_font(12))
    ax.tick_params(labelsize=11, labelfontfamily=FONT)
    if len(ticks) > 6:
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(prop=_font(11), frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if gaps:
        fig.text(
            0.01,
            0.01,
            tr.gettext("Gaps in a line: no report for that month."),
            fontproperties=_font(9),
            color="#666666",
        )
    return _png(fig)


def _png(fig: Figure) -> bytes:
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
