"""The ladder of measures ("indsatstrappen") and the children's moves on it (domain.md, "Effect and money").

Step 0 is no measure, 1 preventive, 2 a family-like placement (network, foster family, own room),
3 a residential home, 4 a residential institution. A child's step on a day is the highest step of
its measures active that day; a move compares the step on two days: *new* (none then), *up*, *same*,
*down* (lower, still above 0) and *ended* (none now). The aim is always down the ladder.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ledinfo.domain.indicators.common import (
    KNOWN,
    active_at,
    active_on,
    cases_known_by,
    known_by_then,
    known_cases,
    known_table,
)
from ledinfo.model.period import add_months

STEPS = {
    "forebyggende": 1,
    "anbringelse_netvaerk": 2,
    "anbringelse_plejefamilie": 2,
    "anbringelse_eget_vaerelse": 2,
    "anbringelse_opholdssted": 3,
    "anbringelse_doegninstitution": 4,
}
STEP_NUMBERS = (1, 2, 3, 4)
MOVES = ("new", "up", "same", "down", "ended")


def steps_on(measures: pl.DataFrame, cases: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """Each child with a measure active on ``day``: its highest step, with the measure that sets it (the latest
    started of that step) and that measure's case, team and caseworker."""
    return (measures.filter(active_on("started_on", "ended_on", day))
            .join(cases.select("case_id", "child_id", "team", "caseworker_id"), on="case_id", how="inner")
            .with_columns(pl.col("category").replace_strict(STEPS, return_dtype=pl.Int64).alias("step"))
            .sort("child_id", "step", "started_on", "measure_id", descending=[False, True, True, True])
            .group_by("child_id", maintain_order=True).first()
            .select("child_id", "step", "category", "measure_id", "started_on", "case_id", "team", "caseworker_id"))


def ladder_moves(measures: pl.DataFrame, cases: pl.DataFrame, now: dt.date, then: dt.date | None = None) -> pl.DataFrame:
    """One row per child with an active measure on ``then`` (default: 12 months before ``now``) or on ``now``:
    step and category then and now (step 0, category null: none), the move, and the case, team and
    caseworker of the measure that sets the step now (of the one then, for a child whose measures ended)."""
    then = then if then is not None else add_months(now, -12)
    before, after = steps_on(measures, cases, then), steps_on(measures, cases, now)
    joined = after.join(before, on="child_id", how="full", coalesce=True, suffix="_then")
    step_then, step_now = pl.col("step_then").fill_null(0), pl.col("step").fill_null(0)
    move = (pl.when(step_then == 0).then(pl.lit("new")).when(step_now == 0).then(pl.lit("ended"))
            .when(step_now > step_then).then(pl.lit("up")).when(step_now < step_then).then(pl.lit("down"))
            .otherwise(pl.lit("same")))
    return joined.select(
        "child_id", step_then.alias("step_then"), step_now.alias("step_now"), move.alias("move"),
        pl.col("category_then"), pl.col("category").alias("category_now"), pl.col("started_on").alias("started_now"),
        *(pl.coalesce(column, f"{column}_then").alias(column) for column in ("case_id", "team", "caseworker_id")),
    ).sort("child_id")


AT = "\x00at"  # the end whose moves a row of ladder_moves_at is one of


def ladder_moves_at(timeline, ends: list[dt.date]) -> pl.DataFrame:
    """:func:`ladder_moves`' ``child_id``, ``move`` and ``team`` for each of ``ends`` (its ``AT`` column), each over
    the extract as known at that end (``timeline``, :class:`~ledinfo.extract.point_in_time.Timeline`), in one pass:
    the measures beside every day they are active on (each end and the day 12 months before it, known by the end),
    each child's step on each, and the two days' steps compared. A measure ended after an end is active on both of
    its days whether or not its end is known by then, so the ends need not empty it."""
    day, now = "\x00day", "\x00now"
    days = pl.DataFrame({AT: [*ends, *ends], day: [*ends, *(add_months(end, -12) for end in ends)],
                         now: [True] * len(ends) + [False] * len(ends)},
                        schema={AT: pl.Date, day: pl.Date, now: pl.Boolean})
    measures = known_table(timeline, "measures").select("measure_id", "case_id", "category", "started_on", "ended_on",
                                                          KNOWN)
    cases = known_cases(timeline, ("case_id", "child_id", "team", "caseworker_id"))
    steps = (active_at(measures, days, "started_on", "ended_on", day).filter(known_by_then(AT))
             .join(cases, on="case_id", how="inner").filter(cases_known_by(AT))
             .with_columns(pl.col("category").replace_strict(STEPS, return_dtype=pl.Int64).alias("step"))
             # each child's highest step and the team of the measure that sets it (steps_on's order), within each
             # group: one sort of every row on six keys cost four times as much
             .group_by(AT, now, "child_id")
             .agg(pl.col("step").max(), pl.col("team").sort_by(["step", "started_on", "measure_id"], descending=True)
                  .first()))
    joined = (steps.filter(pl.col(now)).drop(now)
              .join(steps.filter(~pl.col(now)).drop(now), on=[AT, "child_id"], how="full", coalesce=True, suffix="_then"))
    step_then, step_now = pl.col("step_then").fill_null(0), pl.col("step").fill_null(0)
    move = (pl.when(step_then == 0).then(pl.lit("new")).when(step_now == 0).then(pl.lit("ended"))
            .when(step_now > step_then).then(pl.lit("up")).when(step_now < step_then).then(pl.lit("down"))
            .otherwise(pl.lit("same")))
    return joined.select(AT, "child_id", move.alias("move"), pl.coalesce("team", "team_then").alias("team"))


__all__ = ["MOVES", "STEPS", "STEP_NUMBERS", "ladder_moves", "ladder_moves_at", "steps_on"]
