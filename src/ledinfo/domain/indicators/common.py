"""Building blocks shared by the indicators."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ledinfo.model.results import Figure


def active_on(start: str, end: str, as_of: dt.date) -> pl.Expr:
    """Active on ``as_of``: started on or before it, and the end empty or later (domain.md)."""
    return (pl.col(start) <= as_of) & (pl.col(end).is_null() | (pl.col(end) > as_of))


def active_cases(cases: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    return cases.filter(active_on("opened_on", "closed_on", as_of))


def employed_caseworkers(staff: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Caseworkers (role raadgiver) employed on ``as_of``: the same rule as an active case."""
    return staff.filter((pl.col("role") == "raadgiver") & active_on("start_date", "end_date", as_of))


def share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def share_figures(frame: pl.DataFrame, indicator: str, flag: str, team: str = "team",
                  period: str | None = None, pending: str | None = None) -> list[Figure]:
    """A share for the municipality and per team: rows where ``flag`` is true / all rows.

    ``frame`` holds one row per item in the denominator; ``flag`` is a boolean
    column saying whether the item counts in the numerator (null counts as false).
    ``pending``: a boolean column of items not yet due (domain.md, "Pending"): left
    out of the share, counted in each figure's ``extra["pending"]`` (a team whose
    items are all pending has a figure of none judged). Teams come in name order.
    One group-by for all teams: a Python loop per team cost a third of a big
    municipality's compute.
    """
    counts = _counts(flag, pending)
    figures = [_share_figure(indicator, frame.select(counts).row(0), None, period)]
    if frame.height:
        per_team = frame.group_by(team).agg(counts).iter_rows()
        for name, *team_counts in sorted(per_team, key=lambda row: str(row[0])):
            figures.append(_share_figure(indicator, team_counts, name, period))
    return figures


def _counts(flag: str, pending: str | None) -> list[pl.Expr]:
    """A share's numerator and denominator, and with ``pending`` its pending items, as aggregations."""
    if pending is None:
        return [pl.col(flag).fill_null(False).sum().alias("numerator"), pl.len().alias("denominator")]
    judged = ~pl.col(pending).fill_null(False)
    return [(pl.col(flag).fill_null(False) & judged).sum().alias("numerator"), judged.sum().alias("denominator"),
            pl.col(pending).fill_null(False).sum().alias("pending")]


def share_figures_at(frame: pl.DataFrame, indicator: str, flag: str, periods, team: str = "team",
                     at: str = "as_of", key=None, pending: str | None = None) -> dict:
    """:func:`share_figures` for many periods in one pass: ``frame`` holds one row per item and period end (its
    ``at`` column, a period's last day); the figures of each of ``periods`` (by its end), as :func:`share_figures`
    gives them for the rows of that end: the municipality's first, then each team's in name order. ``key``: what
    the ``at`` column holds for each period instead of its end (a list beside ``periods``); ``pending`` as there."""
    counts = _counts(flag, pending)
    none = (0, 0) if pending is None else (0, 0, 0)
    totals = {day: numbers for day, *numbers in frame.group_by(at).agg(counts).iter_rows()}
    teams: dict = {}
    for day, name, *numbers in frame.group_by(at, team).agg(counts).iter_rows():
        teams.setdefault(day, []).append((name, *numbers))
    found = {}
    for index, period in enumerate(periods):
        label, at_value = str(period), period.end if key is None else key[index]
        figures = [_share_figure(indicator, totals.get(at_value, none), None, label)]
        for name, *team_counts in sorted(teams.get(at_value, []), key=lambda row: str(row[0])):
            figures.append(_share_figure(indicator, team_counts, name, label))
        found[period] = figures
    return found


def share_figures_counted(counts: pl.DataFrame, indicator: str, periods, at: str) -> dict:
    """:func:`share_figures_at` from its counts: ``counts`` holds per end (its ``at`` column) and team the
    ``numerator`` and ``denominator`` (what a one pass keeps of its rows: a few per team and end, not the rows)."""
    teams: dict = {}
    for day, name, numerator, denominator in counts.select(at, "team", "numerator", "denominator").iter_rows():
        teams.setdefault(day, []).append((name, numerator, denominator))
    found = {}
    for period in periods:
        label, rows = str(period), sorted(teams.get(period.end, []), key=lambda row: str(row[0]))
        figures = [_share_figure(indicator, (sum(int(n or 0) for _, n, _ in rows), sum(int(d) for _, _, d in rows)),
                                 None, label)]
        figures += [_share_figure(indicator, (numerator, denominator), name, label)
                    for name, numerator, denominator in rows]
        found[period] = figures
    return found


def share_counts(frame: pl.DataFrame, flag: str, at: str) -> pl.DataFrame:
    """What :func:`share_figures_counted` reads of rows with a ``flag``: per end (``at``) and team, the rows
    flagged (``numerator``, null counting as not) and all rows (``denominator``)."""
    return frame.group_by(at, "team").agg(pl.col(flag).fill_null(False).sum().alias("numerator"),
                                         pl.len().alias("denominator"))


def ends_frame(periods, at: str = "as_of") -> pl.DataFrame:
    """One row per distinct last day of ``periods``, sorted: what a one-pass indicator crosses its rows with."""
    return pl.DataFrame({at: sorted({p.end for p in periods})}, schema={at: pl.Date})


KNOWN = "\x00known"  # the day a row became known (null: always): ledinfo.extract.point_in_time.Timeline


def known_table(timeline, name: str) -> pl.DataFrame:
    """A table of the whole extract with the day each row became known (``KNOWN``), as the timeline cuts it: the
    rows of ``timeline.at(day)`` are those known on or before the day (their later events still to be emptied)."""
    frame = timeline.tables[name]
    if name not in timeline.known_from:
        return frame.with_columns(pl.lit(None, pl.Date).alias(KNOWN))
    days = pl.concat([pl.Series(KNOWN, [None] * timeline.nulls[name], pl.Date), timeline.known_from[name]])
    return frame.with_columns(days.alias(KNOWN))


def known_by(frame: pl.DataFrame, column: str) -> dict:
    """For each value of ``column``: the first day a row with it was known (None: always)."""
    found = frame.group_by(column).agg(pl.when(pl.col(KNOWN).is_null().any()).then(None)
                                       .otherwise(pl.col(KNOWN).min()).alias("first"))
    return dict(found.iter_rows())


def known_by_then(at: str) -> pl.Expr:
    """A row of :func:`known_table` known by the day in column ``at``: as :meth:`Timeline.at` keeps it."""
    return pl.col(KNOWN).is_null() | (pl.col(KNOWN) <= pl.col(at))


CASE_KNOWN = "\x00case_known"


def known_cases(timeline, columns: tuple[str, ...]) -> pl.DataFrame:
    """The cases' ``columns`` with the day each case row became known (``CASE_KNOWN``). Joined to rows beside a
    period's end and filtered by :func:`cases_known_by`, a row gets its case's columns as a join on the cut at that
    end gives them: a case with two rows (a messy extract) twice, and only the rows known by then."""
    return known_table(timeline, "cases").select(*columns, pl.col(KNOWN).alias(CASE_KNOWN))


def cases_known_by(at: str) -> pl.Expr:
    """A case row of :func:`known_cases` known by the day in column ``at``."""
    return pl.col(CASE_KNOWN).is_null() | (pl.col(CASE_KNOWN) <= pl.col(at))


def periods_frame(periods) -> pl.DataFrame:
    """One row per period: its place in ``periods`` (``\x00p``), first and last day."""
    return pl.DataFrame({"\x00p": list(range(len(periods))), "\x00start": [p.start for p in periods],
                         "\x00end": [p.end for p in periods]},
                        schema={"\x00p": pl.Int64, "\x00start": pl.Date, "\x00end": pl.Date})


def in_periods(rows: pl.DataFrame, periods, day: str) -> pl.DataFrame:
    """Each of ``rows`` beside every period of ``periods`` its ``day`` falls in (:func:`periods_frame`'s columns
    added; a null day falls in none). A range join: only the pairs that match are made, where the rows × the
    periods crossed and then filtered held every row once per period (~50 for a committee's series: gigabytes
    for a large extract, issue 27). The pairs come in no particular order."""
    return rows.join_where(periods_frame(periods), pl.col(day) >= pl.col("\x00start"), pl.col(day) <= pl.col("\x00end"))


def in_windows(rows: pl.DataFrame, day: str, windows, at: str) -> pl.DataFrame:
    """Each of ``rows`` beside every window its ``day`` falls in: ``windows`` as (end, first day, last day), the
    end in column ``at``. One filter a window: a range join on the one column both ways (``join_where``) cost 30
    times as much for the notifications of a scale-10 municipality. No windows (no end asked for, e.g. no case
    active at any end of a period before the data): no rows, the same columns."""
    if not windows:
        return rows.clear().with_columns(pl.lit(None, pl.Date).alias(at))
    return pl.concat([rows.filter(pl.col(day).is_between(first, last)).with_columns(pl.lit(end, pl.Date).alias(at))
                      for end, first, last in windows])


def active_at(rows: pl.DataFrame, ends: pl.DataFrame, start: str, end: str, at: str) -> pl.DataFrame:
    """Each of ``rows`` beside every day of ``ends`` (its ``at`` column) it is active on (:func:`active_on`:
    ``start`` on or before the day, ``end`` empty or after it). A range join: only the pairs that match are
    made, not the rows × the days; the pairs come in no particular order."""
    until = "\x00until"
    return (rows.with_columns(pl.col(end).fill_null(dt.date.max).alias(until))
            .join_where(ends, pl.col(start) <= pl.col(at), pl.col(until) > pl.col(at)).drop(until))


def _share_figure(indicator: str, counts, team: str | None, period: str | None) -> Figure:
    """``counts``: the numerator, the denominator and, when counted, the pending items (:func:`_counts`)."""
    numerator, denominator, *pending = counts
    numerator, denominator = int(numerator or 0), int(denominator or 0)
    extra = {"pending": int(pending[0] or 0)} if pending else {}
    return Figure(indicator, share(numerator, denominator), numerator, denominator, "share", team=team, period=period,
                  extra=extra)


def share_table(figures: list[Figure], indicator: str, period: str | None = None) -> pl.DataFrame:
    """Team rows and a municipality row (team null) of a share, for a table or chart."""
    rows = [
        {"team": f.team, "numerator": f.numerator, "denominator": f.denominator, "value": f.value}
        for f in figures
        if f.indicator == indicator and f.period == period and f.staff_id is None
    ]
    schema = {"team": pl.String, "numerator": pl.Int64, "denominator": pl.Int64, "value": pl.Float64}
    return pl.DataFrame(rows, schema=schema)


def trend_frame(figures: list[Figure], indicator: str) -> pl.DataFrame:
    """Trend points (period set) of an indicator: month, team (null = municipality), value."""
    rows = [
        {"month": f.period, "team": f.team, "value": f.value, "numerator": f.numerator, "denominator": f.denominator}
        for f in figures
        if f.indicator == indicator and f.period is not None and f.staff_id is None
    ]
    schema = {"month": pl.String, "team": pl.String, "value": pl.Float64,
              "numerator": pl.Float64, "denominator": pl.Float64}
    return pl.DataFrame(rows, schema=schema).sort("month", "team", nulls_last=False)
