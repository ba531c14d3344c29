"""Money: full-year persons, spending and unit costs of the measures, and prevention's share of the spending
(domain.md, "Effect and money").

A measure is active on the days ``started_on`` ≤ day < ``ended_on``. Its full-year persons ("helårspersoner")
in a period are its active days there divided by the period's days; its spending in a month is
``monthly_cost`` × its active days in the month ÷ the month's days. Full-year persons count measures, not
children: a child with measures in two categories counts in both.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import operator

import polars as pl

from ledinfo.model.period import Period

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
    # the months' shares only for the measures active in the period: most of a history's measures are not
    used = (measures.with_columns(_active_days(period.start, period.end).alias("days")).filter(pl.col("days") > 0)
            # added left to right: Polars' sum_horizontal adds in an order that varies when it runs on several threads
            # (12 of 1,500 repeats differed in a last bit), and a figure must come out the same in every build
            .with_columns(functools.reduce(operator.add, shares).alias("person_months"), cost.alias("cost")))
    return (used.join(cases.select("case_id", "team"), on="case_id", how="left", maintain_order="left")
            .with_columns((pl.col("person_months") * pl.col("cost")).alias("spending"))
            .select("measure_id", "case_id", "team", "category", "days", "person_months", "cost", "spending"))


def _groups(used: pl.DataFrame, by: tuple[str, ...], sums: dict[str, pl.Expr],
            amounts: dict[str, pl.Expr]) -> list[tuple[dict, dict]]:
    """All of ``used`` (``by`` empty), or each group of ``by`` with its key, sorted by the key (null first), with
    ``sums`` (one value each) and ``amounts`` (the non-null amounts, to be added by :func:`_sum`): one aggregation
    for every group, not a filter per group (the committee's series asks for about 48 periods)."""
    wanted = [e.alias(n) for n, e in sums.items()] + [e.drop_nulls().alias(n) for n, e in amounts.items()]
    if not by:
        return [({}, used.select([e.alias(n) for n, e in sums.items()]
                                 + [e.drop_nulls().implode().alias(n) for n, e in amounts.items()]).row(0, named=True))]
    groups = [({name: row[name] for name in by}, row) for row in used.group_by(list(by)).agg(wanted).iter_rows(named=True)]
    return sorted(groups, key=lambda item: tuple((value is not None, str(value)) for value in item[0].values()))


def _sum(values: list) -> float:
    """A sum of amounts the same to the last bit however the rows are ordered or split: Polars adds floats in
    the order its threads take them (a year's preventive spending differed in the last digit between a build on
    one thread and one on two), fsum rounds the exact sum once."""
    return math.fsum(values)


def _frame(rows: list[dict], used: pl.DataFrame, by: tuple[str, ...], schema: dict) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={**{name: used.schema[name] for name in by}, **schema})


def spending_by(used: pl.DataFrame, period: Period, by: tuple[str, ...] = ()) -> pl.DataFrame:
    """Per ``by`` (none: in all): ``measures`` active in the period, ``full_year_persons`` (active days ÷ the
    period's days), ``spending``, ``priced`` (measures with a monthly cost) and ``unit_cost`` (their spending
    per person-month: what a full-year person costs a month; null where none has a cost)."""
    days = (period.end - period.start).days + 1
    priced = pl.col("cost").is_not_null()
    rows = []
    for key, group in _groups(used, by, {"measures": pl.len(), "days": pl.col("days").sum(), "priced": priced.sum()},
                              {"spending": pl.col("spending").filter(priced),
                               "person_months": pl.col("person_months").filter(priced)}):
        spending, months = _sum(group["spending"]), _sum(group["person_months"])
        rows.append({**key, "measures": group["measures"], "full_year_persons": int(group["days"] or 0) / days,
                     "spending": spending, "priced": group["priced"],
                     "unit_cost": spending / months if months > 0 else None})
    return _frame(rows, used, by, {"measures": pl.Int64, "full_year_persons": pl.Float64, "spending": pl.Float64,
                                   "priced": pl.Int64, "unit_cost": pl.Float64})


def prevention_share(used: pl.DataFrame, by: tuple[str, ...] = ()) -> pl.DataFrame:
    """Spending on preventive measures ÷ spending on all measures (those with a monthly cost), per ``by``:
    ``preventive``, ``all`` and ``share`` (null when nothing was spent)."""
    rows = []
    for key, group in _groups(used, by, {}, {"preventive": pl.col("spending").filter(pl.col("category") == PREVENTIVE),
                                             "all": pl.col("spending")}):
        preventive, spent = _sum(group["preventive"]), _sum(group["all"])
        rows.append({**key, "preventive": preventive, "all": spent, "share": preventive / spent if spent > 0 else None})
    return _frame(rows, used, by, {"preventive": pl.Float64, "all": pl.Float64, "share": pl.Float64})


__all__ = ["PREVENTIVE", "measure_use", "prevention_share", "spending_by"]
