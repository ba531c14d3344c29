"""Volumes: notifications, measures and placements (domain.md "notifications", "measures_mix")."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ledinfo.domain.indicators.common import (
    KNOWN,
    active_at,
    active_on,
    cases_known_by,
    in_windows,
    known_by_then,
    known_cases,
    known_table,
)
from ledinfo.extract.schema import REPORTER_TYPES
from ledinfo.model.period import Period, add_months

FAMILY_CARE = ("anbringelse_plejefamilie", "anbringelse_netvaerk")


def notifications_by_month(notifications: pl.DataFrame, months: list[Period]) -> pl.DataFrame:
    """Notifications received per month, team and reporter type (zero rows included)."""
    first, last = months[0].start, months[-1].end
    counted = (notifications.filter(pl.col("received_at").dt.date().is_between(first, last))
               .with_columns(pl.col("received_at").dt.strftime("%Y-%m").alias("month"))
               .group_by("month", "team", "reporter_type").agg(pl.len().alias("count").cast(pl.Int64)))
    teams = notifications.select("team").unique()
    grid = (pl.DataFrame({"month": [str(m) for m in months]})
            .join(teams, how="cross")
            .join(pl.DataFrame({"reporter_type": list(REPORTER_TYPES)}), how="cross"))
    return (grid.join(counted, on=["month", "team", "reporter_type"], how="left")
            .with_columns(pl.col("count").fill_null(0)).sort("month", "team", "reporter_type"))


def repeat_notifications(notifications: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Children with at least 2 notifications received in the 12 months up to ``as_of``.

    One row per child notified in the window: child_id, team (of the latest
    notification), notifications, repeat (bool).
    """
    start = add_months(as_of, -12)
    window = notifications.filter(pl.col("received_at").dt.date().is_between(start + dt.timedelta(days=1), as_of))
    # two notifications received at the same moment keep their order in the extract: the latest is the last of them
    # (a sort that did not keep it could name either's team, and the months in one pass must name the same)
    return (window.sort("received_at", maintain_order=True)
            .group_by("child_id").agg(pl.len().alias("notifications"), pl.col("team").last())
            .with_columns((pl.col("notifications") >= 2).alias("repeat"))
            .sort("team", "child_id"))


def repeat_notifications_at(timeline, ends: list[dt.date]) -> pl.DataFrame:
    """:func:`repeat_notifications`' ``team`` of each child notified twice or more in the 12 months up to each of
    ``ends`` (its ``AT`` column), each over the extract as known at that end (``timeline``: a notification is known
    from its receipt, so the window's are), in one pass: the notifications beside every window they fall in, in the
    extract's order within each, and one group-by per end and child."""
    rank = "\x00rank"
    windows = [(end, add_months(end, -12) + dt.timedelta(days=1), end) for end in ends]
    # each notification's place in repeat_notifications' order (by receipt, ties in the extract's order), ranked
    # once: the latest of a child's in a window is the one ranked highest, with no sort of every window's rows
    notes = (known_table(timeline, "notifications").filter(pl.col("received_at").is_not_null())
             .select("child_id", "team", "received_at", pl.col("received_at").dt.date().alias("\x00day"), KNOWN)
             .sort("received_at", maintain_order=True).with_row_index(rank))
    latest = (in_windows(notes.select("child_id", "\x00day", KNOWN, rank), "\x00day", windows, AT)
              .filter(known_by_then(AT))
              .group_by(AT, "child_id").agg(pl.len().alias("notifications"), pl.col(rank).max())
              .filter(pl.col("notifications") >= 2))
    return latest.join(notes.select(rank, "team"), on=rank).select(AT, "team")


def active_measures(measures: pl.DataFrame, cases: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Measures active on ``as_of`` with their case's team and child."""
    return (measures.filter(active_on("started_on", "ended_on", as_of))
            .join(cases.select("case_id", "team", "child_id"), on="case_id", how="left"))


def measures_by_category(active: pl.DataFrame, by: tuple[str, ...] = ()) -> pl.DataFrame:
    """Per team and measure category: how many of the ``active`` measures there are (``count``); per ``by`` too
    (the many ends of :func:`active_measures_at`)."""
    return (active.group_by(*by, "team", "category").agg(pl.len().alias("count").cast(pl.Int64))
            .sort(*by, "team", "category"))


def placements(active: pl.DataFrame) -> pl.DataFrame:
    """Active placements with ``family_care`` (foster family or network) flagged."""
    return (active.filter(pl.col("category").str.starts_with("anbringelse"))
            .with_columns(pl.col("category").is_in(FAMILY_CARE).alias("family_care")))


def children_by_measure(active: pl.DataFrame, by: tuple[str, ...] = ()) -> pl.DataFrame:
    """Per team: children with an active preventive measure, and with an active placement (per ``by`` and team:
    the many ends of :func:`active_measures_at`)."""
    return (active.with_columns(pl.col("category").str.starts_with("anbringelse").alias("placed"))
            .group_by(*by, "team").agg(
                pl.col("child_id").filter(~pl.col("placed")).n_unique().alias("preventive").cast(pl.Int64),
                pl.col("child_id").filter(pl.col("placed")).n_unique().alias("placed").cast(pl.Int64))
            .sort(*by, "team"))


AT = "\x00at"  # the end a row of active_measures_at is active on (of repeat_notifications_at: counted at)


def active_measures_at(timeline, ends: list[dt.date]) -> pl.DataFrame:
    """:func:`active_measures` on each of ``ends`` (its ``AT`` column), each over the extract as known at that end
    (``timeline``), in one pass: the measures beside every end they are active on and known by, with the team and
    child of their case's rows known by then. A measure ended after an end is active on it whether or not its end
    is known, so the ends need not empty it."""
    days = pl.DataFrame({AT: ends}, schema={AT: pl.Date})
    measures = known_table(timeline, "measures").select("case_id", "category", "started_on", "ended_on", KNOWN)
    return (active_at(measures, days, "started_on", "ended_on", AT).filter(known_by_then(AT))
            .join(known_cases(timeline, ("case_id", "team", "child_id")), on="case_id", how="inner")
            .filter(cases_known_by(AT)).select(AT, "case_id", "category", "started_on", "team", "child_id"))


def placement_counted_on() -> pl.Expr:
    """The day a new placement counts on: its start, or its decision where that was recorded after the start.

    A month's figure is what was known at its end (domain.md, "Point in time"), and a placement is known from its
    decision: one decided after the month it started in was in no month's figure when that month was published, yet
    in a later 12-month total started in that month — the months shown beside their total added up to less than it,
    and the committee's protection refused the pack. Counted on the later of the two days, each placement is in
    exactly one month, and a month's figure never changes after it was published."""
    return pl.max_horizontal(pl.col("started_on"), pl.col("decided_on").fill_null(pl.col("started_on")))


def new_placements_by_month(measures: pl.DataFrame, cases: pl.DataFrame, months: list[Period]) -> pl.DataFrame:
    """Per month of ``months`` and team: the placements new in it (``count``; 0 for none), each counted on
    :func:`placement_counted_on`."""
    first, last = months[0].start, months[-1].end
    new = (measures.filter(pl.col("category").str.starts_with("anbringelse"))
           .with_columns(placement_counted_on().alias("\x00counted"))
           .filter(pl.col("\x00counted").is_between(first, last))
           .join(cases.select("case_id", "team"), on="case_id", how="left")
           .with_columns(pl.col("\x00counted").dt.strftime("%Y-%m").alias("month"))
           .group_by("month", "team").agg(pl.len().alias("count").cast(pl.Int64)))
    grid = pl.DataFrame({"month": [str(m) for m in months]}).join(cases.select("team").unique(), how="cross")
    return grid.join(new, on=["month", "team"], how="left").with_columns(pl.col("count").fill_null(0)).sort("month", "team")


def cost_per_placement(active: pl.DataFrame) -> pl.DataFrame:
    """Per category: active placements, their monthly cost in total and on average."""
    placed = placements(active)
    return (placed.group_by("category").agg(pl.len().alias("placements").cast(pl.Int64),
                                            pl.col("monthly_cost").sum().alias("monthly_cost"),
                                            pl.col("monthly_cost").is_not_null().sum().alias("with_cost"))
            .with_columns(pl.when(pl.col("with_cost") > 0).then(pl.col("monthly_cost") / pl.col("with_cost"))
                          .alias("average"))
            .drop("with_cost").sort("category"))
