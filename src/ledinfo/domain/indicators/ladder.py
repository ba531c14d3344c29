"""The ladder of measures ("indsatstrappen") and the children's moves on it (domain.md, "Effect and money").

Step 0 is no measure, 1 preventive, 2 a family-like placement (network, foster family, own room),
3 a residential home, 4 a residential institution. A child's step on a day is the highest step of
its measures active that day; a move compares the step on two days: *new* (none then), *up*, *same*,
*down* (lower, still above 0) and *ended* (none now). The aim is always down the ladder.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ledinfo.domain.indicators.common import active_on
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


__all__ = ["MOVES", "STEPS", "STEP_NUMBERS", "ladder_moves", "steps_on"]
