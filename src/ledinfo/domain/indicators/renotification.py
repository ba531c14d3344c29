"""Effect: did a closed case stay closed? New notifications on the child after the closing (domain.md,
"Effect and money": renotification)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ledinfo.domain.indicators.common import KNOWN, cases_known_by, in_windows, known_by_then, known_cases, known_table
from ledinfo.model.period import add_months


def closing_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The closings judged at ``as_of``: the 12 months that end 12 months before it (first and last day), so
    every closing has had its full year to show a new notification by ``as_of``."""
    last = add_months(as_of, -12)
    return add_months(as_of, -24) + dt.timedelta(days=1), last


def renotification(cases: pl.DataFrame, notifications: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """One row per case closed in :func:`closing_window` (``as_of``): case_id, child_id, team, closed_on, and
    ``renotified``: the child got a notification received after the closing day and at most 12 months after it
    (calendar months, clamped like every deadline)."""
    first, last = closing_window(as_of)
    closed = cases.filter(pl.col("closed_on").is_between(first, last)).select("case_id", "child_id", "team",
                                                                               "closed_on")
    received = notifications.select("child_id", pl.col("received_at").dt.date().alias("received"))
    again = (closed.join(received, on="child_id", how="inner")
             .filter((pl.col("received") > pl.col("closed_on"))
                     & (pl.col("received") <= pl.col("closed_on").dt.offset_by("12mo")))
             .select("case_id").unique())
    return (closed.join(again.with_columns(pl.lit(True).alias("renotified")), on="case_id", how="left")
            .with_columns(pl.col("renotified").fill_null(False)).sort("case_id"))


AT = "\x00at"  # the end a row of renotification_at is judged at


def renotification_at(timeline, ends: list[dt.date]) -> pl.DataFrame:
    """:func:`renotification`'s ``case_id``, ``team`` and ``renotified`` at each of ``ends`` (its ``AT`` column),
    each over the extract as known at that end (``timeline``), in one pass: the case rows known by an end and closed
    in its window, beside the notifications on their child in the year after the closing. That year ends by the
    end, so each of those notifications is known by it, and so is the closing."""
    windows = [(end, *closing_window(end)) for end in ends]
    closed = (in_windows(known_cases(timeline, ("case_id", "child_id", "team", "closed_on")), "closed_on", windows, AT)
              .filter(cases_known_by(AT)).select(AT, "case_id", "child_id", "team", "closed_on"))
    received = known_table(timeline, "notifications").select("child_id", pl.col("received_at").dt.date().alias("received"),
                                                             KNOWN)
    again = (closed.join(received, on="child_id", how="inner")
             .filter((pl.col("received") > pl.col("closed_on"))
                     & (pl.col("received") <= pl.col("closed_on").dt.offset_by("12mo")) & known_by_then(AT))
             .select(AT, "case_id").unique())
    return (closed.join(again.with_columns(pl.lit(True).alias("renotified")), on=[AT, "case_id"], how="left")
            .with_columns(pl.col("renotified").fill_null(False)))


__all__ = ["closing_window", "renotification", "renotification_at"]
