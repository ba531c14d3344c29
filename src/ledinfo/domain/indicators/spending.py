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

from ledinfo.domain.indicators.common import CASE_KNOWN, KNOWN
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
    return _prevention_frame(_groups(used, by, *PREVENTION), used, by)


PREVENTION = ({}, {"preventive": pl.col("spending").filter(pl.col("category") == PREVENTIVE), "all": pl.col("spending")})


def _prevention_frame(groups: list[tuple[dict, dict]], used: pl.DataFrame, by: tuple[str, ...]) -> pl.DataFrame:
    rows = []
    for key, group in groups:
        preventive, spent = _sum(group["preventive"]), _sum(group["all"])
        rows.append({**key, "preventive": preventive, "all": spent, "share": preventive / spent if spent > 0 else None})
    return _frame(rows, used, by, {"preventive": pl.Float64, "all": pl.Float64, "share": pl.Float64})


AT = "\x00p"  # the period (its place in the list) a row of measure_use_at is used in


def measure_use_at(measures: pl.DataFrame, cases: pl.DataFrame, periods, spending: bool = True) -> pl.DataFrame:
    """:func:`measure_use`'s ``team``, ``category``, ``days``, ``person_months``, ``cost`` and ``spending`` for many
    periods in one pass, each over the extract as known at its end: ``measures`` with the day each row became known
    (``KNOWN``), ``cases`` as :func:`~.common.known_cases` gives them (``team``); each measure beside every period it
    is active in (column ``AT``: the period's place in ``periods``). A measure's row is the one :func:`measure_use`
    makes: the same days, and its share of each month of the period added in the same order (the periods of as many
    months together: a month's, a quarter's, a year to date's). A measure ended after a period's end is active to
    its end whether or not its end is known by then, so the periods need not empty it. ``spending`` False: the
    ``team``, ``category`` and ``days`` only (what the volume effect reads: a year to date's twelve shares of each
    month cost most of the rest)."""
    columns = [c for c in ("case_id", "category", "started_on", "ended_on", "monthly_cost", KNOWN) if c in measures.columns]
    measures = measures.select(columns).with_columns(pl.col("ended_on").fill_null(dt.date.max).alias("\x00until"))
    by_length: dict[int, list[int]] = {}  # without the spending, all in one: no month's share is added
    for index, period in enumerate(periods):
        by_length.setdefault(len(period.months()) if spending else 0, []).append(index)
    used = pl.concat([_used_in(measures, [(index, periods[index]) for index in indices], length)
                      for length, indices in sorted(by_length.items())])
    used = (used.join(cases, on="case_id", how="inner")
            .filter(pl.col(CASE_KNOWN).is_null() | (pl.col(CASE_KNOWN) <= pl.col("\x00end"))))
    if not spending:
        return used.select(AT, "team", "category", "days")
    return (used.with_columns((pl.col("person_months") * pl.col("cost")).alias("spending"))
            .select(AT, "team", "category", "days", "person_months", "cost", "spending"))


def _used_in(measures: pl.DataFrame, periods: list[tuple[int, Period]], length: int) -> pl.DataFrame:
    """:func:`measure_use_at` for periods of ``length`` months each (with their place in the list); ``length`` 0:
    without their shares of each month (no ``person_months``, ``cost``)."""
    columns = {AT: [i for i, _ in periods], "\x00start": [p.start for _, p in periods], "\x00end": [p.end for _, p in periods]}
    schema = {AT: pl.Int64, "\x00start": pl.Date, "\x00end": pl.Date}
    for index in range(length):  # each period's months, first to last
        months = [p.months()[index] for _, p in periods]
        columns[f"\x00first{index}"], columns[f"\x00last{index}"] = [m.start for m in months], [m.end for m in months]
        # Polars divides by a number as it multiplies by its inverse: measure_use divides each month's days by the
        # month's length, a number, and its last bit is that of days × (1 ÷ length)
        columns[f"\x00inverse{index}"] = [1 / ((m.end - m.start).days + 1) for m in months]
        schema.update({f"\x00first{index}": pl.Date, f"\x00last{index}": pl.Date, f"\x00inverse{index}": pl.Float64})
    shares = [_active_days_in(f"\x00first{index}", f"\x00last{index}") * pl.col(f"\x00inverse{index}")
              for index in range(length)]
    cost = pl.col("monthly_cost") if "monthly_cost" in measures.columns else pl.lit(None, pl.Float64)
    return (measures.join_where(pl.DataFrame(columns, schema=schema), pl.col("started_on") <= pl.col("\x00end"),
                                pl.col("\x00until") > pl.col("\x00start"))
            .filter(pl.col(KNOWN).is_null() | (pl.col(KNOWN) <= pl.col("\x00end")))
            .with_columns(_active_days_in("\x00start", "\x00end").alias("days"))
            .filter(pl.col("days") > 0)
            # added left to right, as measure_use adds them
            .select(AT, "\x00end", "case_id", "category", "days",
                    *([functools.reduce(operator.add, shares).alias("person_months"), cost.alias("cost")] if shares else [])))


def _active_days_in(first: str, last: str) -> pl.Expr:
    """:func:`_active_days` between two date columns."""
    after = pl.col(last) + dt.timedelta(days=1)
    start = pl.max_horizontal(pl.col("started_on"), pl.col(first))
    stop = pl.min_horizontal(pl.col("ended_on").fill_null(after), after)
    return pl.max_horizontal((stop - start).dt.total_days(), pl.lit(0))


def use_sums_at(used: pl.DataFrame, periods) -> dict:
    """For each of ``periods``, what the full-year persons and prevention's share read of its rows of ``used``
    (:func:`measure_use_at`), in all and per team: ``spending`` and ``spending_by_team`` (:func:`spending_by`'s
    ``measures`` and ``full_year_persons``), ``prevention`` and ``prevention_by_team`` (:func:`prevention_share`);
    the same values, from one aggregation per period and team: a period's in all are its teams' added up (the
    amounts by :func:`_sum`, exact in any order and split)."""
    sums, amounts = {"measures": pl.len(), "days": pl.col("days").sum()}, PREVENTION[1]
    by_team = _groups_at(used, ("team",), sums, amounts)
    found = {}
    for index, period in enumerate(periods):
        teams = by_team.get(index, [])
        total = {"measures": sum(group["measures"] for _, group in teams),
                 "days": sum(group["days"] or 0 for _, group in teams),
                 **{name: [amount for _, group in teams for amount in group[name]] for name in amounts}}
        found[period] = {"spending": _persons_frame([({}, total)], used, (), period),
                         "spending_by_team": _persons_frame(teams, used, ("team",), period),
                         "prevention": _prevention_frame([({}, total)], used, ()),
                         "prevention_by_team": _prevention_frame(teams, used, ("team",))}
    return found


def _persons_frame(groups: list[tuple[dict, dict]], used: pl.DataFrame, by: tuple[str, ...],
                   period: Period) -> pl.DataFrame:
    """:func:`spending_by`'s ``measures`` and ``full_year_persons`` of ``groups``."""
    days = (period.end - period.start).days + 1
    rows = [{**key, "measures": group["measures"], "full_year_persons": int(group["days"] or 0) / days}
            for key, group in groups]
    return _frame(rows, used, by, {"measures": pl.Int64, "full_year_persons": pl.Float64})


def _groups_at(used: pl.DataFrame, by: tuple[str, ...], sums: dict[str, pl.Expr],
               amounts: dict[str, pl.Expr]) -> dict[int, list[tuple[dict, dict]]]:
    """:func:`_groups` for every period of ``used`` (its ``AT`` column) in one aggregation."""
    wanted = [e.alias(n) for n, e in sums.items()] + [e.drop_nulls().alias(n) for n, e in amounts.items()]
    found: dict = {}
    for row in used.group_by([AT, *by]).agg(wanted).iter_rows(named=True):
        found.setdefault(row[AT], []).append(({name: row[name] for name in by}, row))
    return {index: sorted(groups, key=lambda item: tuple((value is not None, str(value)) for value in item[0].values()))
            for index, groups in found.items()}


__all__ = ["PREVENTIVE", "measure_use", "measure_use_at", "prevention_share", "spending_by", "use_sums_at"]
