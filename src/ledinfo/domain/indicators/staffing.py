"""Staff turnover and continuity of caseworkers (domain.md "turnover")."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ledinfo.domain.indicators.common import (
    KNOWN,
    active_at,
    active_cases,
    active_on,
    in_windows,
    known_by_then,
    known_table,
)
from ledinfo.model.period import Period, add_months


def turnover(staff: pl.DataFrame, period: Period) -> pl.DataFrame:
    """Per team and for the municipality (team null): leavers — caseworkers whose
    last employment period ended in the 12 months up to the end of ``period`` —
    and the average number of caseworkers employed at the 12 month-ends of that
    window; ``value`` = leavers / average.

    A person who moves to another period (a new team, a new contract) without a
    gap has not left; a leaver counts for the team of their last period.
    """
    as_of = period.end
    caseworkers = staff.filter(pl.col("role") == "raadgiver")
    start = add_months(as_of, -12)
    still_here = staff.filter(active_on("start_date", "end_date", as_of)).select("staff_id").unique()
    # a person's periods in start order, two that start on one day in the extract's order (turnover_at keeps it too)
    last = caseworkers.sort("start_date", maintain_order=True).group_by("staff_id").last()
    leavers = (last.filter((pl.col("end_date") > start) & (pl.col("end_date") <= as_of))
               .join(still_here, on="staff_id", how="anti"))
    month_ends = [p.end for p in period.trailing(12)]
    headcount = pl.concat([
        caseworkers.filter(active_on("start_date", "end_date", end)).select("team").with_columns(pl.lit(end).alias("at"))
        for end in month_ends
    ])
    return _turnover_frame(headcount.group_by("team").agg((pl.len() / len(month_ends)).alias("average")),
                           leavers.group_by("team").agg(pl.len().alias("leavers")),
                           headcount.height / len(month_ends), leavers.height)


def _turnover_frame(average: pl.DataFrame, leavers: pl.DataFrame, total_average: float,
                    total_leavers: int) -> pl.DataFrame:
    """:func:`turnover`'s rows from the average caseworkers and the leavers per team, and in all."""
    per_team = average.join(leavers, on="team", how="full", coalesce=True)
    total = pl.DataFrame({"team": [None], "average": [total_average], "leavers": [total_leavers]}, schema=per_team.schema)
    frame = pl.concat([per_team.sort("team"), total]).with_columns(
        pl.col("leavers").fill_null(0).cast(pl.Int64), pl.col("average").fill_null(0.0))
    return frame.with_columns(pl.when(pl.col("average") > 0).then(pl.col("leavers") / pl.col("average"))
                              .alias("value"))


def turnover_at(timeline, ends: list[dt.date]) -> dict[dt.date, pl.DataFrame]:
    """:func:`turnover` at each of ``ends``, each over the staff as known at that end (``timeline``), in one pass:
    each person's last period as known at each end, the leavers of each end's 12 months, and the caseworkers
    employed at each of their month-ends, counted per end and team. A period that ends after an end has not ended
    on it, known or not, so the ends need not empty it."""
    row, first, month_end = "\x00row", "\x00first", "\x00month_end"
    staff = known_table(timeline, "staff").with_row_index(row)
    caseworkers = staff.filter(pl.col("role") == "raadgiver")
    days = pl.DataFrame({AT: ends, first: [add_months(end, -12) for end in ends]}, schema={AT: pl.Date, first: pl.Date})
    still_here = (active_at(staff.select("staff_id", "start_date", "end_date", KNOWN), days.select(AT), "start_date",
                            "end_date", AT).filter(known_by_then(AT)).select(AT, "staff_id").unique())
    last = (caseworkers.join(days, how="cross").filter(known_by_then(AT))
            .sort(AT, "start_date", row)  # as turnover sorts each end's: ties in the extract's order
            .group_by(AT, "staff_id").last())
    leavers = (last.filter((pl.col("end_date") > pl.col(first)) & (pl.col("end_date") <= pl.col(AT)))
               .join(still_here, on=[AT, "staff_id"], how="anti"))
    # each end's 12 month-ends; a caseworker employed at a month-end before an end is known by it
    pairs = pl.DataFrame([(end, month.end) for end in ends for month in Period(end.year, end.month).trailing(12)],
                         schema={AT: pl.Date, month_end: pl.Date}, orient="row")
    employed = active_at(caseworkers.select("team", "start_date", "end_date"), pairs.select(month_end).unique(),
                         "start_date", "end_date", month_end).join(pairs, on=month_end)
    average = employed.group_by(AT, "team").agg((pl.len() / 12).alias("average"))
    by_team = leavers.group_by(AT, "team").agg(pl.len().alias("leavers"))
    employed_in_all = dict(employed.group_by(AT).len().iter_rows())
    average_of = average.partition_by(AT, as_dict=True, include_key=False)
    leavers_of = by_team.partition_by(AT, as_dict=True, include_key=False)
    leavers_in_all = dict(leavers.group_by(AT).len().iter_rows())
    no_average, no_leavers = average.clear().drop(AT), by_team.clear().drop(AT)
    return {end: _turnover_frame(average_of.get((end,), no_average), leavers_of.get((end,), no_leavers),
                                 employed_in_all.get(end, 0) / 12, leavers_in_all.get(end, 0))
            for end in ends}


def continuity(cases: pl.DataFrame, activities: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """One row per case active on ``as_of``: the changes of caseworker
    (``sagsbehandlerskift``) in the 12 months up to ``as_of``, and ``changed_twice``."""
    start = add_months(as_of, -12)
    changes = (activities.filter((pl.col("kind") == "sagsbehandlerskift") & (pl.col("date") > start)
                                 & (pl.col("date") <= as_of))
               .group_by("case_id").agg(pl.len().alias("changes")))
    return (active_cases(cases, as_of).select("case_id", "team", "caseworker_id")
            .join(changes, on="case_id", how="left")
            .with_columns(pl.col("changes").fill_null(0).cast(pl.Int64))
            .with_columns((pl.col("changes") >= 2).alias("changed_twice")))


AT = "\x00at"  # the end a row of active_cases_at and continuity_at is active on


def active_cases_at(timeline, ends: list[dt.date]) -> pl.DataFrame:
    """The cases active on each of ``ends`` (its ``AT`` column, :func:`~.common.active_cases`), each as known at
    that end (``timeline``), in one pass. A case closed after an end is active on it whether or not its closing is
    known, so the ends need not empty it."""
    days = pl.DataFrame({AT: ends}, schema={AT: pl.Date})
    cases = known_table(timeline, "cases").select("case_id", "team", "caseworker_id", "opened_on", "closed_on", KNOWN)
    return active_at(cases, days, "opened_on", "closed_on", AT).filter(known_by_then(AT)).drop(KNOWN)


def continuity_at(active: pl.DataFrame, activities: pl.DataFrame) -> pl.DataFrame:
    """:func:`continuity` at many ends in one pass: ``active``, the cases active on each end (:func:`active_cases_at`),
    beside the changes of caseworker in each end's 12 months among ``activities`` (with the day each row became
    known, ``KNOWN``) known by then."""
    windows = [(end, add_months(end, -12) + dt.timedelta(days=1), end) for end in sorted(active[AT].unique())]
    changes = (in_windows(activities.filter(pl.col("kind") == "sagsbehandlerskift").select("case_id", "date", KNOWN),
                          "date", windows, AT)
               .filter(known_by_then(AT)).group_by(AT, "case_id").agg(pl.len().alias("changes")))
    return (active.select(AT, "case_id", "team", "caseworker_id")
            .join(changes, on=[AT, "case_id"], how="left")
            .with_columns(pl.col("changes").fill_null(0).cast(pl.Int64))
            .with_columns((pl.col("changes") >= 2).alias("changed_twice")))
