"""Each pack shows the verdicts the build made, and no other: every judged table cell and chart value is
given its figure's verdict (``Figure.verdict``, :mod:`ledinfo.model.verdicts`) after the audience
filter, so the PDF and the JSON of every pack colour and name one figure alike.

A hidden figure carries no verdict: a colour would tell what it is near. A table's or chart's
``yardsticks`` list what its judged values are judged against, for the notes and lines that say so.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from ledinfo.disclosure.disclose import ref_of
from ledinfo.disclosure.view import View
from ledinfo.model.results import Chart, DisclosedResult, Figure, FigureRef, Kind, Ref, Table
from ledinfo.words.formatting import precise_language

VERDICT_SUFFIX = "__verdict"
YARDSTICK_SUFFIX = "__yardstick"


def verdict_column(column: str) -> str:
    """The hidden column holding the verdict level of each cell of ``column`` (null: none)."""
    return column + VERDICT_SUFFIX


def yardstick_column(column: str) -> str:
    """The hidden column holding the value of each chart value's yardstick (null: none)."""
    return column + YARDSTICK_SUFFIX


def show_verdicts(sections: list[DisclosedResult], view: View) -> list[DisclosedResult]:
    """The disclosed sections with every judged cell and value bound to its figure's verdict."""
    period = str(view.period) if view.period is not None else ""
    for section in sections:
        section.figures[:] = [f.with_(verdict=None) if f.suppressed and f.verdict is not None else f
                              for f in section.figures]
    figures: dict = {}
    for figure in (f for s in sections for f in s.figures):
        # the report period's figure and its month in a trend share a key: the judged one answers for it
        key = (ref_of(figure, period=period), figure.staff_id)
        if key not in figures or figures[key].verdict is None:
            figures[key] = figure
    for section in sections:
        section.tables[:] = [_table(t, figures, period) for t in section.tables]
        section.charts[:] = [_chart(c, figures, period, view) for c in section.charts]
    return sections


def precise_view(sections: list[DisclosedResult], view: View) -> View:
    """The view whose language prints a judged figure one decimal more where rounding would cross its yardstick
    ("79,7 %", not "80 %", against "mindst 80 %": :func:`ledinfo.words.formatting.precise_decimals`), from the
    sections' figures as :func:`show_verdicts` left them: the value then reads the same in every tile, table, chart
    label, sentence and summary line of the pack."""
    language = precise_language(view.language, (f for section in sections for f in section.figures))
    return view if language is view.language else replace(view, language=language)


def _figure(figures: dict, ref: FigureRef, row: dict, team_column: str | None, period: str) -> Figure | None:
    found: Ref = ref.ref(row, team_column, period)
    staff = row.get(ref.staff_column) if ref.staff_column else None
    figure = figures.get((found, staff))
    if figure is None and isinstance(staff, str) and " " in staff:
        # a team leader's pack shows a caseworker as "R025 Mette Hansen" or "R025 (fratrådt)" (disclosure marks the
        # ids before verdicts are bound): the figure is the id's
        figure = figures.get((found, staff.split(" ", 1)[0]))
    return figure


def _verdicts(frame: pl.DataFrame, ref: FigureRef, team_column: str | None, figures: dict, period: str) -> list:
    return [found.verdict if (found := _figure(figures, ref, row, team_column, period)) is not None else None
            for row in frame.iter_rows(named=True)]


def _levels(verdicts: list) -> pl.Series:
    return pl.Series([v.level if v is not None else None for v in verdicts], dtype=pl.String)


def _table(table: Table, figures: dict, period: str) -> Table:
    judged = [c for c in table.columns if c.judged and c.key in table.frame.columns]
    if not judged:
        return table
    frame, yardsticks, first = table.frame, [], None
    for column in judged:
        verdicts = _verdicts(frame, column.figure, table.team_column, figures, period)
        first = first if first is not None else verdicts
        frame = frame.with_columns(_levels(verdicts).alias(verdict_column(column.key)))
        for row, verdict in zip(frame.iter_rows(named=True), verdicts):
            if verdict is not None:
                indicator = column.figure.ref(row, table.team_column, period).indicator
                yardsticks.append((column.key, indicator, verdict.yardstick))
    # a status column says in words the verdict of the row's (first) judged column
    words = [c.key for c in table.columns if c.kind == Kind.STATUS and c.key in frame.columns]
    frame = frame.with_columns([_levels(first).alias(key) for key in words])
    return replace(table, frame=frame, yardsticks=_distinct(yardsticks))


def _chart(chart: Chart, figures: dict, period: str, view: View) -> Chart:
    if not chart.judged:
        return chart
    if chart.kind == "line":  # a trend's lines are judged by the yardsticks of their series' figures for the period
        # the figure that stands for the period in the pack: its own, or the last whole quarter's where the pack shows
        # the indicator by whole quarter only (view.period_of: the pack's PackPeriods)
        ref = replace(chart.figure, period_column=None)
        verdicts = [found.verdict if (found := figures.get((_standing(ref.ref(row, chart.team_column, period), view),
                                                            None))) is not None else None
                    for row in chart.frame.iter_rows(named=True)]
        yardsticks = [(chart.y, v.yardstick.indicator, v.yardstick) for v in verdicts if v is not None]
        return replace(chart, yardsticks=tuple(y for _, _, y in _distinct(yardsticks)))
    verdicts = _verdicts(chart.frame, chart.figure, chart.team_column, figures, period)
    frame = chart.frame.with_columns(
        _levels(verdicts).alias(verdict_column(chart.y)),
        pl.Series([v.yardstick.value if v is not None else None for v in verdicts], dtype=pl.Float64)
        .alias(yardstick_column(chart.y)))
    yardsticks = [(chart.y, v.yardstick.indicator, v.yardstick) for v in verdicts if v is not None]
    return replace(chart, frame=frame, yardsticks=tuple(y for _, _, y in _distinct(yardsticks)))


def _standing(ref: Ref, view: View) -> Ref:
    """The figure a row of the report period names, as the pack shows it: of the period that stands for it."""
    shown = view.period_of(ref.indicator)
    return ref if shown is None else replace(ref, period=str(shown))


def _distinct(found: list[tuple]) -> tuple:
    seen, distinct = set(), []
    for key, indicator, yardstick in found:
        if (key, indicator, yardstick.key()) not in seen:
            seen.add((key, indicator, yardstick.key()))
            distinct.append((key, indicator, yardstick))
    return tuple(distinct)


__all__ = ["VERDICT_SUFFIX", "YARDSTICK_SUFFIX", "precise_view", "show_verdicts", "verdict_column", "yardstick_column"]
