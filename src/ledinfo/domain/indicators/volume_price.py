"""Money: a function's deviation from its corrected budget split into a volume and a price effect
(domain.md, "Effect and money": volume_price).

Year to date (months 1 to P's last month of P's year, as the budget is), per account function where
finance gives the budgeted full-year persons (``budget.budget_volume``, per month):

- budgeted full-year persons Vb: the months' budget volumes weighted by their days; actual Va: the active
  days of the measures in the function's categories ÷ the days so far (:mod:`.spending`);
- budgeted unit price pb = corrected budget B ÷ Vb; actual pa = finance's actual A ÷ Va;
- volume effect (Va − Vb) × pb and price effect (pa − pb) × Va, which add up to the deviation A − B.

The price effect is computed as the deviation minus the volume effect: the same number when Va > 0, to
the krone whatever the floating point does, and defined when no measure ran (Va = 0: all is price).
"""

from __future__ import annotations

import math

import polars as pl

from ledinfo.domain.indicator import ends_per_pass
from ledinfo.domain.indicators.common import known_cases, known_table
from ledinfo.domain.indicators.spending import AT as USED_IN
from ledinfo.domain.indicators.spending import measure_use, measure_use_at
from ledinfo.model.period import YEAR_TO_DATE, Period

# domain.md's account functions and the measure categories whose spending they carry (configurable)
FUNCTION_CATEGORIES = {
    "5.28.20": ("anbringelse_opholdssted", "anbringelse_eget_vaerelse"),
    "5.28.21": ("forebyggende",),
    "5.28.22": ("anbringelse_plejefamilie", "anbringelse_netvaerk"),
    "5.28.23": ("anbringelse_doegninstitution",),
}
SPLIT = "split"  # the deviation is split
NO_VOLUME = "no_volume"  # no budget volume for some month of the year so far
NOT_MAPPED = "not_mapped"  # budget volumes, but no measure categories mapped to the function
NO_BUDGETED_PERSONS = "no_budgeted_persons"  # the budget volume is 0: no budgeted unit price
NOT_FOLLOWED = "not_followed"  # neither mapped nor given a volume (secure institutions, special day care): not split


def year_to_date(period: Period) -> Period:
    """The span the budget is followed over: January to the period's last month."""
    return Period(period.year, period.month, YEAR_TO_DATE)


def volume_price(budget: pl.DataFrame, measures: pl.DataFrame | None, cases: pl.DataFrame | None, period: Period,
                 functions: dict[str, tuple[str, ...]], used: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per account function with budget rows in the year so far: ``corrected``, ``actual``,
    ``deviation`` (actual − corrected), ``months``, ``status`` (SPLIT, NO_VOLUME, NOT_MAPPED,
    NO_BUDGETED_PERSONS, NOT_FOLLOWED), and where split: ``budget_persons``, ``actual_persons``, ``budget_price`` and
    ``actual_price`` (a full-year person a month), ``measures`` (the actual persons' measures),
    ``volume_effect`` and ``price_effect``. ``used``: the use of measures in the year to date (its ``category`` and
    ``days``), where it is made already (:func:`volume_price_at`); by default :func:`measure_use`'s."""
    span = year_to_date(period)
    days = (span.end - span.start).days + 1
    month_days = {m.month: (m.end - m.start).days + 1 for m in span.months()}
    ytd = budget.filter((pl.col("year") == span.year) & (pl.col("month") <= span.month))
    if "budget_volume" not in ytd.columns:
        ytd = ytd.with_columns(pl.lit(None, pl.Float64).alias("budget_volume"))
    # each function's rows gathered in plain Python: a budget has a few rows per function and month, and a filter
    # per month cost more than the rest of the function (it runs for each month a committee's series needs)
    by_code: dict = {}
    for code, month, volume, corrected, actual in ytd.select("function_code", "month", "budget_volume",
                                                             "budget_corrected", "actual").iter_rows():
        found = by_code.setdefault(code, ({}, [], [], set()))
        if volume is not None:  # month -> the budgeted full-year persons (cost centres add up)
            found[0].setdefault(month, []).append(volume)
        found[1].append(corrected)
        found[2].append(actual)
        found[3].add(month)
    rows = []
    for code in sorted(by_code, key=lambda code: (code,)):
        given, corrected_rows, actual_rows, months = by_code[code]
        volumes = {month: math.fsum(values) for month, values in given.items()}
        corrected, actual = math.fsum(corrected_rows), math.fsum(actual_rows)
        rows.append({"function_code": code, "corrected": corrected, "actual": actual, "deviation": actual - corrected,
                     "months": len(months), "volume_months": len(volumes),
                     "budget_persons": math.fsum(v * month_days[m] for m, v in volumes.items()) / days})
    frame = pl.DataFrame(rows, schema={"function_code": pl.String, "corrected": pl.Float64, "actual": pl.Float64,
                                       "deviation": pl.Float64, "months": pl.Int64, "volume_months": pl.Int64,
                                       "budget_persons": pl.Float64})
    used = measure_use(measures, cases, span) if used is None else used
    mapped = pl.DataFrame([(code, category) for code, categories in functions.items() for category in categories],
                          schema={"function_code": pl.String, "category": pl.String}, orient="row")
    actual = (used.join(mapped, on="category", how="inner").group_by("function_code")
              .agg((pl.col("days").sum() / days).alias("actual_persons"), pl.len().cast(pl.Int64).alias("measures")))
    frame = frame.join(actual, on="function_code", how="left", maintain_order="left").with_columns(
        pl.col("actual_persons").fill_null(0.0), pl.col("measures").fill_null(0))
    mapped_code = pl.col("function_code").is_in(list(functions))
    status = (pl.when(~mapped_code & (pl.col("volume_months") == 0)).then(pl.lit(NOT_FOLLOWED))
              .when(pl.col("volume_months") < span.month).then(pl.lit(NO_VOLUME))
              .when(~mapped_code).then(pl.lit(NOT_MAPPED))
              .when(pl.col("budget_persons") <= 0).then(pl.lit(NO_BUDGETED_PERSONS)).otherwise(pl.lit(SPLIT)))
    frame = frame.with_columns(status.alias("status"))
    split = pl.col("status") == SPLIT
    price = pl.col("corrected") / pl.col("budget_persons")  # a budgeted full-year person over the year so far
    volume_effect = (pl.col("actual_persons") - pl.col("budget_persons")) * price
    return frame.with_columns(
        pl.when(split).then(pl.col("budget_persons")).alias("budget_persons"),
        pl.when(split).then(pl.col("actual_persons")).alias("actual_persons"),
        pl.when(split).then(price / span.month).alias("budget_price"),
        pl.when(split & (pl.col("actual_persons") > 0))
        .then(pl.col("actual") / pl.col("actual_persons") / span.month).alias("actual_price"),
        pl.when(split).then(volume_effect).alias("volume_effect"),
        pl.when(split).then(pl.col("deviation") - volume_effect).alias("price_effect"),
    ).select("function_code", "corrected", "actual", "deviation", "months", "status", "budget_persons",
             "actual_persons", "budget_price", "actual_price", "measures", "volume_effect", "price_effect")


def volume_price_at(timeline, months: list[Period], functions: dict[str, tuple[str, ...]]) -> dict[Period, pl.DataFrame]:
    """:func:`volume_price` of each of ``months``, each over the extract as known at its end (``timeline``): the
    use of measures in every year to date made in one pass (:func:`measure_use_at`; 12 months a pass, fewer for a
    large extract (:func:`~ledinfo.domain.indicator.ends_per_pass`), which bounds
    the measures × the years to date held at once), the budget's year so far (the rows up to the month, as known at
    its end) per month."""
    found = {}
    step = ends_per_pass(timeline)  # 12 months a pass, fewer for a large extract
    for first in range(0, len(months), step):
        part = months[first:first + step]
        spans = [year_to_date(month) for month in part]
        used = measure_use_at(known_table(timeline, "measures"), known_cases(timeline, ("case_id", "team")), spans,
                              spending=False)
        by_span = {index: rows for (index,), rows in used.partition_by(USED_IN, as_dict=True).items()}
        found.update({month: volume_price(timeline.tables["budget"], None, None, month, functions,
                                          by_span.get(index, used.clear()))
                      for index, month in enumerate(part)})
    return found


__all__ = ["FUNCTION_CATEGORIES", "NOT_FOLLOWED", "NOT_MAPPED", "NO_BUDGETED_PERSONS", "NO_VOLUME", "SPLIT", "volume_price",
           "volume_price_at", "year_to_date"]
