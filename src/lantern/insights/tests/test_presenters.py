"""Bar charts repeat the table: segment widths are proportional, hidden counts drawn as one grey part."""

from __future__ import annotations

from lantern.insights.presenters import HIDDEN, chart_for
from lantern.insights.statistics import Table, TableRow

COLUMNS = (("a", "A"), ("b", "B"), ("total", "Total"))


def test_segments_are_proportional_to_the_largest_row() -> None:
    table = Table(
        "t",
        "T",
        "D",
        COLUMNS,
        (
            TableRow("x", "X", (30, 10, 40)),
            TableRow("y", "Y", (20, 0, 20)),
            TableRow("total", "Total", (50, 10, 60)),
        ),
    )
    chart = chart_for(table)
    x, y = chart.bars
    assert [(s.x, s.width, s.series) for s in x.segments] == [(0.0, 75.0, 0), (75.0, 25.0, 1)]
    assert [(s.x, s.width) for s in y.segments] == [(0.0, 50.0)]
    assert [label for label, _series in chart.legend] == ["A", "B"]


def test_a_row_with_hidden_counts_keeps_its_length() -> None:
    table = Table(
        "t",
        "T",
        "D",
        COLUMNS,
        (
            TableRow("x", "X", ("<5", "c", 10)),
            TableRow("y", "Y", (20, "c", 25)),
            TableRow("total", "Total", ("c", "c", 35)),
        ),
    )
    x, y = chart_for(table).bars
    assert [(s.width, s.series) for s in x.segments] == [(40.0, HIDDEN)]
    assert [(s.x, s.width, s.series) for s in y.segments] == [(0.0, 80.0, 0), (80.0, 20.0, HIDDEN)]
