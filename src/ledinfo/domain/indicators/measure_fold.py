"""The one breakdown of measures that the spending and the volume/price sections show: the measure categories folded
so that every part rests on at least the threshold of measures in every month of the period.

A full-year person is about as much as a child with a measure: the full-year persons of a category that rests on
fewer than the threshold of measures (and everything worked out from them: a unit price, a volume and a price
effect) are hidden from the committee. Hiding them in one breakdown does not protect them when another breakdown
of the same persons is printed beside it: the volume/price section's 5.28.22 (foster and network families) less the
spending section's foster families gave the network placements (attack F2b of round 12), and a function's volume
effect, its budgeted persons and price gave its hidden actual persons (F2). So both sections break the measures down
the same way, and coarsely enough that no part has to be hidden: preventive measures, and the placements by the
finest fold every part of which rests on the threshold in each month — the placement types as the account functions
carry them (family, residential home or own room, institution), the two groups (family, residential care), or the
placements together. A period's fold is the coarsest of its months': the year to date a month's pack shows less the
one before (the month) is never finer than the month's own, a quarter less two of its months the third's.
"""

from __future__ import annotations

import polars as pl

from ledinfo.domain.indicators.spending import PREVENTIVE
from ledinfo.domain.indicators.values import PLACEMENT_GROUPS, PLACEMENT_TYPES
from ledinfo.extract.schema import MEASURE_CATEGORIES
from ledinfo.model.period import Period

PLACEMENTS = "anbringelse"  # the placement categories together: the spending section's subtotal
PLACED = tuple(c for c in MEASURE_CATEGORIES if c.startswith(PLACEMENTS))
# the folds of the placements, finest first; the preventive measures are always a part of their own
FOLDS = (PLACEMENT_TYPES, PLACEMENT_GROUPS, {PLACEMENTS: PLACED})


def measures_by_month(measures: pl.DataFrame, period: Period) -> list[dict[str, int]]:
    """For each month of ``period``: the measures active on a day of it, by category."""
    counts = []
    for month in period.months():
        stop = pl.col("ended_on").is_null() | (pl.col("ended_on") > pl.lit(month.start))
        active = measures.filter((pl.col("started_on") <= pl.lit(month.end)) & stop)
        counts.append(dict(active.group_by("category").len().iter_rows()))
    return counts


def measure_fold(measures: pl.DataFrame, period: Period, threshold: int) -> dict[str, tuple[str, ...]]:
    """The parts the measures of ``period`` are shown in, each with its categories: the preventive measures
    (``PREVENTIVE``) and the placements by the finest of :data:`FOLDS` every part of which has at least ``threshold``
    measures in each month of the period, or none (a 0 is printed); {} where even the placements together, or the
    preventive measures, have fewer in some month (then only the total is shown)."""
    months = measures_by_month(measures, period)

    def enough(categories: tuple[str, ...]) -> bool:
        sizes = (sum(month.get(c, 0) for c in categories) for month in months)
        return all(size == 0 or size >= threshold for size in sizes)

    if not enough((PREVENTIVE,)):
        return {}
    for fold in FOLDS:
        if all(enough(categories) for categories in fold.values()):
            return {PREVENTIVE: (PREVENTIVE,), **fold}
    return {}


__all__ = ["FOLDS", "PLACED", "PLACEMENTS", "measure_fold", "measures_by_month"]
