"""Effect: how placements end and how long they last (domain.md, "Effect and money").

A placement is a measure whose category starts with ``anbringelse``; it is active on the days
``started_on`` ≤ day < ``ended_on``, so it lasted ``ended_on − started_on`` days. Its end reason
(``measures.end_reason``) is known with its end: the extract as known at the end of P (point in
time) has no reason for a placement that ended later.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ledinfo.domain.indicators.common import (
    KNOWN,
    active_on,
    cases_known_by,
    in_windows,
    known_by_then,
    known_cases,
    known_table,
)
from ledinfo.extract.schema import END_REASONS
from ledinfo.model.period import Period, add_months

PLACEMENT = pl.col("category").str.starts_with("anbringelse")
INSTITUTIONS = ("anbringelse_opholdssted", "anbringelse_doegninstitution")  # "færre langvarige institutionsanbringelser"
BREAKDOWN = "sammenbrud"
NOT_RECORDED = "ikke_registreret"  # an ended placement whose end reason the extract does not give
REASONS = (*END_REASONS, NOT_RECORDED)  # every ended placement has exactly one of these


def _ended(measures: pl.DataFrame, cases: pl.DataFrame, first: dt.date, last: dt.date) -> pl.DataFrame:
    """Placements that ended from ``first`` to ``last`` (both included), with the case's team, child and
    caseworker, the days placed, the reason (NOT_RECORDED where empty) and ``breakdown``."""
    reason = pl.col("end_reason") if "end_reason" in measures.columns else pl.lit(None, pl.String)
    return (measures.filter(PLACEMENT & pl.col("ended_on").is_between(first, last))
            .join(cases.select("case_id", "team", "child_id", "caseworker_id"), on="case_id", how="left")
            .with_columns((pl.col("ended_on") - pl.col("started_on")).dt.total_days().alias("days"),
                          reason.fill_null(NOT_RECORDED).alias("reason"),
                          (reason == BREAKDOWN).fill_null(False).alias("breakdown")))


def ended_placements(measures: pl.DataFrame, cases: pl.DataFrame, as_of: dt.date, months: int = 12) -> pl.DataFrame:
    """Placements ended in the ``months`` months up to ``as_of`` (the window (as_of − months, as_of])."""
    return _ended(measures, cases, add_months(as_of, -months) + dt.timedelta(days=1), as_of)


AT = "\x00at"  # the end a row of ended_placements_at is counted at


def ended_placements_at(timeline, ends: list[dt.date], months: int = 12) -> pl.DataFrame:
    """:func:`ended_placements` at each of ``ends`` (its ``AT`` column), each over the extract as known at that end
    (``timeline``), in one pass: the placements beside every end whose window they ended in, known by it, with the
    team, child and caseworker of their case's rows known by then. An end in the window is known by its end, and
    the end reason with it, so the ends need not empty them."""
    windows = [(end, add_months(end, -months) + dt.timedelta(days=1), end) for end in ends]
    measures = known_table(timeline, "measures").filter(PLACEMENT)
    reason = pl.col("end_reason") if "end_reason" in measures.columns else pl.lit(None, pl.String)
    return (in_windows(measures, "ended_on", windows, AT).filter(known_by_then(AT)).drop(KNOWN)
            .join(known_cases(timeline, ("case_id", "team", "child_id", "caseworker_id")), on="case_id", how="inner")
            .filter(cases_known_by(AT))
            .with_columns((pl.col("ended_on") - pl.col("started_on")).dt.total_days().alias("days"),
                          reason.fill_null(NOT_RECORDED).alias("reason"),
                          (reason == BREAKDOWN).fill_null(False).alias("breakdown")))


def breakdowns_in(measures: pl.DataFrame, cases: pl.DataFrame, period: Period) -> pl.DataFrame:
    """Placements that ended in ``period`` with ``sammenbrud``: a team leader's cases to look at."""
    return _ended(measures, cases, period.start, period.end).filter(pl.col("breakdown")).sort("ended_on", "case_id")


def long_institution_placements(measures: pl.DataFrame, cases: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Placements in a residential institution or home active on ``as_of`` that started more than 12 months
    earlier (before ``as_of`` − 12 months)."""
    return (measures.filter(pl.col("category").is_in(INSTITUTIONS) & active_on("started_on", "ended_on", as_of)
                            & (pl.col("started_on") < add_months(as_of, -12)))
            .join(cases.select("case_id", "team"), on="case_id", how="left"))


def median_days(ended: pl.DataFrame, by: tuple[str, ...] = ()) -> pl.DataFrame:
    """The median days placed and how many placements it rests on, for all of ``ended`` or per ``by``."""
    stats = [pl.col("days").median().alias("median"), pl.len().alias("placements").cast(pl.Int64)]
    return ended.group_by(*by).agg(stats).sort(*by) if by else ended.select(stats)


__all__ = ["BREAKDOWN", "INSTITUTIONS", "NOT_RECORDED", "REASONS", "breakdowns_in", "ended_placements", "ended_placements_at",
           "long_institution_placements", "median_days"]
