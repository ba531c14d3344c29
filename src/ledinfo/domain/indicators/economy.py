"""Budget against spend, and the year-end forecast (domain.md "budget")."""

from __future__ import annotations

import polars as pl

from ledinfo.extract.schema import BUDGET_FUNCTIONS
from ledinfo.model.period import Period


def budget_to_date(budget: pl.DataFrame, period: Period) -> pl.DataFrame:
    """Year to date (months 1 to the period's month) per function and in total
    (function_code null): actual, corrected and original budget, the deviation
    (actual - corrected; positive = overspend), the share of the budget used,
    the year-end forecast: the sum of the ``forecast`` given for the period's
    month, or — when none is given — actual × 12 ÷ month, flagged as a
    projection; and the corrected budget for the whole year (``annual_corrected``:
    the sum over 12 months where all are given, else extrapolated)."""
    # rows in one order whatever the source gave (a database's rows come in any order): floats added in another
    # order differ in the last digit, and a build from SQL must equal the build from the same data in files
    whole_year = budget.filter(pl.col("year") == period.year).sort(budget.columns, nulls_last=True)
    year = whole_year.filter(pl.col("month") <= period.month)
    # The corrected budget for the whole year: given for all 12 months, or extrapolated.
    annual = whole_year.group_by("function_code").agg(pl.col("budget_corrected").sum().alias("year_corrected"),
                                                      pl.col("month").n_unique().alias("months_given"))
    this_month = year.filter(pl.col("month") == period.month)
    sums = [pl.col("actual").sum().alias("actual"), pl.col("budget_corrected").sum().alias("corrected"),
            pl.col("budget_original").sum().alias("original")]
    forecast = this_month.group_by("function_code").agg(
        pl.col("forecast").sum().alias("forecast_given"), pl.col("forecast").is_not_null().any().alias("has_forecast"))
    per_function = (year.group_by("function_code").agg(sums).join(forecast, on="function_code", how="left")
                    .join(annual, on="function_code", how="left")
                    .with_columns(pl.when(pl.col("months_given") == 12).then(pl.col("year_corrected"))
                                  .otherwise(pl.col("corrected") * 12 / period.month).alias("annual_corrected"))
                    .drop("year_corrected", "months_given").sort("function_code"))
    # the total of no lines is no figure, not 0 kr. (a year the budget table does not reach: "–", never "0 kr.")
    total = per_function.select(
        pl.lit(None, pl.String).alias("function_code"),
        *(pl.when(pl.len() > 0).then(pl.col(c).sum()).alias(c)
          for c in ("actual", "corrected", "original", "forecast_given")),
        pl.col("has_forecast").fill_null(False).all().alias("has_forecast"),
        pl.when(pl.len() > 0).then(pl.col("annual_corrected").sum()).alias("annual_corrected"))
    frame = pl.concat([per_function, total.select(per_function.columns)], how="vertical_relaxed")
    projected = pl.col("actual") * 12 / period.month
    return frame.with_columns(
        (pl.col("actual") - pl.col("corrected")).alias("deviation"),
        pl.when(pl.col("corrected") != 0).then(pl.col("actual") / pl.col("corrected")).alias("used"),
        pl.when(pl.col("has_forecast").fill_null(False)).then(pl.col("forecast_given")).otherwise(projected)
        .alias("forecast"),
        (~pl.col("has_forecast").fill_null(False)).alias("projection"),
        pl.col("function_code").replace_strict(BUDGET_FUNCTIONS, default=pl.col("function_code"),
                                               return_dtype=pl.String).alias("function_name"),
    ).drop("forecast_given", "has_forecast")


MONTH = "\x00month"  # the month a row of the year's rows is summed up to (budget_totals_at)


def budget_totals_at(budget: pl.DataFrame, periods: list[Period]) -> dict[Period, dict]:
    """The total row of :func:`budget_to_date` (``actual``, ``corrected``, ``used``, ``forecast``, ``projection``)
    for each of ``periods`` (months), each over ``budget`` as known at its end, in one pass a year: the year's rows
    sorted once as budget_to_date sorts them, beside each month they are summed up to, and each function's sums of
    every month made by one group-by. Each group holds the rows budget_to_date's group holds for that month, in the
    same order, and each month's total is made by the same query on the same rows: every sum comes out to the same
    last bit (Polars adds a group's floats in an order of its own: added any other way, a sum differs in its last
    digit; tests/test_indicator_batches.py compares it month by month). A municipality's budget took ~9 queries a
    month, ~40 months for a committee's series: most of the budget's compute in a small municipality."""
    found = {}
    for year in sorted({period.year for period in periods}):
        # the year's rows in budget_to_date's order; a month's rows are the first of each month up to it, as the
        # budget known at its end holds them
        whole_year = budget.filter(pl.col("year") == year).sort(budget.columns, nulls_last=True)
        found.update(_totals_of(whole_year, [p for p in periods if p.year == year]))
    return found


def _totals_of(whole_year: pl.DataFrame, periods: list[Period]) -> dict[Period, dict]:
    """:func:`budget_to_date`'s total row of each of ``periods`` (months of one year) from its year's sorted rows."""
    months = pl.DataFrame({MONTH: sorted({period.month for period in periods})},
                          schema={MONTH: whole_year.schema["month"]})
    year = whole_year.join(months, how="cross").filter(pl.col("month") <= pl.col(MONTH))
    sums = [pl.col("actual").sum().alias("actual"), pl.col("budget_corrected").sum().alias("corrected")]
    forecast = year.filter(pl.col("month") == pl.col(MONTH)).group_by(MONTH, "function_code").agg(
        pl.col("forecast").sum().alias("forecast_given"), pl.col("forecast").is_not_null().any().alias("has_forecast"))
    per_function = (year.group_by(MONTH, "function_code").agg(sums)
                    .join(forecast, on=[MONTH, "function_code"], how="left").sort(MONTH, "function_code"))
    by_month = {month: rows.drop(MONTH) for (month,), rows in per_function.partition_by(MONTH, as_dict=True).items()}
    empty = per_function.drop(MONTH).clear()
    return {period: _total(by_month.get(period.month, empty), period) for period in periods}


def _total(per_function: pl.DataFrame, period: Period) -> dict:
    """:func:`budget_to_date`'s total row of ``period`` from its functions' sums (``per_function``, by function)."""
    total = per_function.select(
        *(pl.when(pl.len() > 0).then(pl.col(c).sum()).alias(c) for c in ("actual", "corrected", "forecast_given")),
        pl.col("has_forecast").fill_null(False).all().alias("has_forecast"))
    projected = pl.col("actual") * 12 / period.month
    return total.select(
        "actual", "corrected",
        pl.when(pl.col("corrected") != 0).then(pl.col("actual") / pl.col("corrected")).alias("used"),
        pl.when(pl.col("has_forecast").fill_null(False)).then(pl.col("forecast_given")).otherwise(projected)
        .alias("forecast"),
        (~pl.col("has_forecast").fill_null(False)).alias("projection")).row(0, named=True)
