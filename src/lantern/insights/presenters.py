"""Turning a count table into a bar chart: one stacked bar per row, one segment per value column.

The chart repeats the table's numbers (the table follows it on the page, for everyone and for screen
readers); suppressed cells draw nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .statistics import Table

SERIES = 4  # CSS classes series-0 … series-3 (insights.css); further columns reuse them
HIDDEN = "hidden"  # CSS class series-hidden: the part of a bar made of suppressed counts


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    series: int | str


@dataclass(frozen=True)
class Bar:
    label: Any
    total: int | str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Chart:
    title: Any
    legend: tuple[tuple[Any, int | str], ...]
    bars: tuple[Bar, ...]


def _count(value: Any) -> int:
    return value if isinstance(value, int) else 0  # suppressed cells draw nothing of their own


def chart_for(table: Table) -> Chart:
    """A horizontal stacked bar chart of the table's body rows, scaled to the largest row (0–100 units).

    Where some of a row's counts are suppressed but its total is shown, the hidden part is drawn as one grey
    segment ("hidden small counts"), so that the bar still has the row's length.
    """
    columns = table.columns[:-1] if len(table.columns) > 1 else table.columns
    stacked = len(table.columns) > 1

    def length(row: Any) -> int:
        total = row.values[-1]
        return total if isinstance(total, int) else sum(_count(v) for v in row.values[: len(columns)])

    largest = max((length(row) for row in table.body), default=0)
    bars, any_hidden = [], False
    for row in table.body:
        x = 0.0
        segments = []
        for index, value in enumerate(row.values[: len(columns)]):
            width = 100.0 * _count(value) / largest if largest else 0.0
            if width > 0:
                segments.append(Segment(round(x, 2), round(width, 2), index % SERIES))
            x += width
        rest = 100.0 * length(row) / largest - x if largest else 0.0
        if stacked and rest > 0.01:
            segments.append(Segment(round(x, 2), round(rest, 2), HIDDEN))
            any_hidden = True
        bars.append(Bar(row.label, row.values[-1], tuple(segments)))
    legend = tuple((label, i % SERIES) for i, (_code, label) in enumerate(columns)) if stacked else ()
    if any_hidden:
        legend += ((_("Hidden small counts"), HIDDEN),)
    return Chart(table.title, legend, tuple(bars))
