"""Money: full-year persons, spending and unit costs of the measures, and prevention's share of the spending
(domain.md, "Effect and money").

A measure is active on the days ``started_on`` ≤ day < ``ended_on``. Its full-year persons ("helårspersoner")
in a period are its active days there divided by the period's days; its spending in a month is
``monthly_cost`` × its active days in the month ÷ the month's days. Full-year persons count measures, not
children: a child with measures in two categories counts in both.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ledinfo.domain.period import Period

PREVENTIVE = "forebyggende"


def _active_days(first: dt.date, last: dt.date) -> pl.Expr:
    """A measure's active days from ``first`` to ``last`` (both included)."""
    start = pl.max_horizontal(pl.col("started_on"), pl.lit(first))
    stop = pl.min_horizontal(pl.col("ended_on").fill_null(last + dt.timedelta(days=1)), pl.lit(last + dt.timedelta(days=1)))
    return pl.max_horizontal((stop - start).dt.total_days(), pl.lit(0))


def measure_use(measures: pl.DataFrame, cases: pl.DataFrame, period: Period) -> pl.DataFrame:
    """Each measure active on a day of ``period``: its team, category, active ``days``, ``person_months`` (its
    share of each month, summed) and ``spending`` (null without a ``monthly_cost``)."""
    cost = pl.col("monthly_cost") if "monthly_cost" in measures.columns else pl.lit(None, pl.Float64)
    months = period.months()
    shares = [_active_days(m.start, m.end) / ((m.end - m.start).days + 1) for m in months]  # of each month's days
    used = (measures.with_columns(_active_days(period.start, period.end).alias("days"),
                                  pl.sum_horizontal(shares).alias("person_months"), cost.alias("cost"))
            .filter(pl.col("days") > 0))
    return (used.join(cases.select("case_id", "team"), on="case_id", how="left")
            .with_columns((pl.col("person_months") * pl.col("cost")).alias("spending"))
            .select("measure_id", "case_id", "team", "category", "days", "person_months", "cost", "spending"))


def spending_by(used: pl.DataFrame, period: Period, by: tuple[str, ...] = ()) -> pl.DataFrame:
    """Per ``by`` (none: in all): ``measures`` active in the period, ``full_year_persons`` (active days ÷ the
    period's days), ``spending``, ``priced`` (measures with a monthly cost) and ``unit_cost`` (their spending
    per person-month: what a full-year person costs a month; null where none has a cost)."""
    days = (period.end - period.start).days + 1
    priced = pl.col("cost").is_not_null()
    stats = [pl.len().cast(pl.Int64).alias("measures"), (pl.col("days").sum() / days).alias("full_year_persons"),
             pl.col("spending").sum().alias("spending"), priced.sum().cast(pl.Int64).alias("priced"),
             pl.col("person_months").filter(priced).sum().alias("priced_months")]
    frame = used.group_by(*by).agg(stats).sort(*by) if by else used.select(stats)
    return frame.with_columns(pl.when(pl.col("priced_months") > 0)
                              .then(pl.col("spending") / pl.col("priced_months")).alias("unit_cost")).drop("priced_months")


def prevention_share(used: pl.DataFrame, by: tuple[str, ...] = ()) -> pl.DataFrame:
    """Spending on preventive measures ÷ spending on all measures (those with a monthly cost), per ``by``:
    ``preventive``, ``all`` and ``share`` (null when nothing was spent)."""
    stats = [pl.col("spending").filter(pl.col("category") == PREVENTIVE).sum().alias("preventive"),
             pl.col("spending").sum().alias("all")]
    frame = used.group_by(*by).agg(stats).sort(*by) if by else used.select(stats)
    # the two sums are added in different orders: all preventive may come out a hair above 1
    return frame.with_columns(pl.when(pl.col("all") > 0).then((pl.col("preventive") / pl.col("all")).clip(0.0, 1.0))
                              .alias("share"))


__all__ = ["PREVENTIVE", "measure_use", "prevention_share", "spending_by"]
