"""Caseload: active cases per caseworker FTE (domain.md, "caseload").

Benchmarks shown next to it: the professional association's guideline of 20-30
children per caseworker (Dansk Socialrådgiverforening, 2020); the national
survey in the seeds, 40 (udsatte) and 55 (handicap) cases per caseworker; and
the seeds' programme level of about 20.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ledinfo.domain.indicators.common import KNOWN, active_at, active_cases, employed_caseworkers, known_by_then

GUIDELINE = (20.0, 30.0)  # Dansk Socialrådgiverforening 2020
SURVEY = {"udsatte": 40.0, "handicap": 55.0}
PROGRAMME_LEVEL = 20.0


def _per_fte(column: str) -> pl.Expr:
    return pl.when(pl.col("fte") > 0).then(pl.col(column) / pl.col("fte")).otherwise(None)


def caseload_by_caseworker(cases: pl.DataFrame, staff: pl.DataFrame, as_of: dt.date,
                           weighted: bool = False) -> pl.DataFrame:
    """One row per caseworker employed on ``as_of``: staff_id, team, fte, cases, caseload.

    ``caseload`` is cases / FTE; it is null for a caseworker at 0 FTE (their
    cases still count as held). ``weighted``: also ``weighted_cases``, the sum of
    the cases' ``weight`` (case weight 1–3; an empty cell counts 1), and
    ``weighted_caseload``, that sum / FTE.
    """
    sums = [pl.len().alias("cases")]
    if weighted:
        sums.append(pl.col("weight").fill_null(1).sum().alias("weighted_cases"))
    held = active_cases(cases, as_of).group_by("caseworker_id").agg(sums)
    frame = (
        employed_caseworkers(staff, as_of)
        .select("staff_id", "team", "fte")
        .join(held, left_on="staff_id", right_on="caseworker_id", how="left")
        .with_columns(pl.col("cases").fill_null(0).cast(pl.Int64))
        .with_columns(_per_fte("cases").alias("caseload"))
    )
    if weighted:
        frame = frame.with_columns(pl.col("weighted_cases").fill_null(0).cast(pl.Int64)).with_columns(
            _per_fte("weighted_cases").alias("weighted_caseload"))
    return frame.sort("team", "staff_id")


ROW = "\x00row"  # a staff row's place in the extract as known (caseload_by_caseworker_at)


def caseload_by_caseworker_at(active: pl.DataFrame, staff: pl.DataFrame, ends: list[dt.date],
                              at: str) -> dict[dt.date, pl.DataFrame]:
    """:func:`caseload_by_caseworker` (not weighted) at each of ``ends`` in one pass: ``active``, the cases active on
    each end (its ``at`` column: :func:`~.staffing.active_cases_at`), ``staff`` with the day each row became known
    (``KNOWN``), in the extract's order. Each end's frame holds the rows caseload_by_caseworker gives on the extract
    as known at that end, in its order (the staff's rows in the extract's order before the same sort), so that
    :func:`caseload_by_team` adds each team's FTE in the same order, to the same last bit."""
    held = active.group_by(at, "caseworker_id").agg(pl.len().alias("cases"))
    days = pl.DataFrame({at: ends}, schema={at: pl.Date})
    employed = (active_at(staff.with_row_index(ROW).filter(pl.col("role") == "raadgiver"), days, "start_date",
                          "end_date", at)
                .filter(known_by_then(at)).sort(at, ROW).select(at, "staff_id", "team", "fte")
                .join(held, left_on=[at, "staff_id"], right_on=[at, "caseworker_id"], how="left",
                      maintain_order="left")
                .with_columns(pl.col("cases").fill_null(0).cast(pl.Int64)))
    by_end = {end: rows.drop(at) for (end,), rows in employed.partition_by(at, as_dict=True, maintain_order=True).items()}
    none = employed.drop(at).clear()
    return {end: by_end.get(end, none).with_columns(_per_fte("cases").alias("caseload")).sort("team", "staff_id")
            for end in ends}


def _summary(weighted: bool) -> list[pl.Expr]:
    return [
        pl.len().alias("caseworkers"),
        pl.col("fte").sum().alias("fte"),
        pl.col("cases").sum().alias("cases"),
        pl.col("caseload").min().alias("min"),
        pl.col("caseload").median().alias("median"),
        pl.col("caseload").max().alias("max"),
        (pl.col("caseload") > GUIDELINE[1]).sum().cast(pl.Int64).alias("above_guideline"),
    ] + ([pl.col("weighted_cases").sum().alias("weighted_cases")] if weighted else [])


def summary_extra(row: dict) -> dict:
    """A row of :func:`caseload_by_team` as the extra values of its caseload figure."""
    return {key: row[key] for key in ("caseworkers", "min", "median", "max", "above_guideline")}


def caseload_by_team(per_caseworker: pl.DataFrame) -> pl.DataFrame:
    """Per team and for the municipality (team null): caseworkers, fte, cases,
    caseload (the team's cases / its total FTE), min, median and max per caseworker,
    the caseworkers above the guideline's upper end (``above_guideline``);
    with ``weighted_cases`` and ``weighted_caseload`` when ``per_caseworker`` has them."""
    weighted = "weighted_cases" in per_caseworker.columns
    by_team = per_caseworker.group_by("team").agg(_summary(weighted)).sort("team")
    total = per_caseworker.select(_summary(weighted)).with_columns(pl.lit(None, pl.String).alias("team"))
    frame = pl.concat([by_team, total.select(by_team.columns)], how="vertical_relaxed")
    frame = frame.with_columns(
        _per_fte("cases").alias("caseload"),
        pl.col("cases").fill_null(0).cast(pl.Int64),
        pl.col("caseworkers").cast(pl.Int64),
    )
    if weighted:
        frame = frame.with_columns(pl.col("weighted_cases").fill_null(0).cast(pl.Int64)).with_columns(
            _per_fte("weighted_cases").alias("weighted_caseload"))
    return frame


def cases_without_caseworker(cases: pl.DataFrame, staff: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Active cases whose caseworker_id is not a caseworker employed on ``as_of``."""
    employed = employed_caseworkers(staff, as_of).select("staff_id")
    return (
        active_cases(cases, as_of)
        .join(employed, left_on="caseworker_id", right_on="staff_id", how="anti")
        .select("case_id", "team", "caseworker_id", "opened_on")
        .sort("team", "case_id")
    )


def cases_without_caseworker_at(active: pl.DataFrame, staff: pl.DataFrame, at: str) -> pl.DataFrame:
    """:func:`cases_without_caseworker` at many ends in one pass: ``active``, the cases active on each end (its
    ``at`` column: :func:`~.staffing.active_cases_at`), ``staff`` with the day each row became known (``KNOWN``)."""
    days = active.select(at).unique()
    employed = (active_at(staff.filter(pl.col("role") == "raadgiver"), days, "start_date", "end_date", at)
                .filter(pl.col(KNOWN).is_null() | (pl.col(KNOWN) <= pl.col(at))).select(at, "staff_id"))
    return active.join(employed, left_on=[at, "caseworker_id"], right_on=[at, "staff_id"], how="anti")
