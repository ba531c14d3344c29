"""Budget and spend of the demo municipality on functions 5.28.20-25.

Spend follows the measures: each month's actual is the cost of the measures
running mid-month, booked on the function of their category, plus the
functions no measure in the extract covers (secured institutions, special day
care). The functions that pay for measures are budgeted as demand-driven
budgets are, volume × price ("mængde × pris"), before the year starts: the
budgeted full-year persons (``budget_volume``) are last autumn's, set a little
low, and the price last year's — so the year's volume drifts away from the
budget, and the overspend most municipalities know comes from volume in some
functions and from price in others. The budget is corrected once a year in
June (more full-year persons). The other functions are budgeted below last
year's spend. Finance gives a forecast in the budget follow-up months (March,
June, September, November).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ledinfo.demo.cases import Measures
from ledinfo.demo.world import NONE, World, day_number

FUNCTION_OF = {
    "anbringelse_opholdssted": "5.28.20",
    "anbringelse_eget_vaerelse": "5.28.20",
    "forebyggende": "5.28.21",
    "anbringelse_plejefamilie": "5.28.22",
    "anbringelse_netvaerk": "5.28.22",
    "anbringelse_doegninstitution": "5.28.23",
}
FIXED_MONTHLY = {"5.28.24": 260_000, "5.28.25": 900_000}  # at scale 1
FUNCTIONS = ("5.28.20", "5.28.21", "5.28.22", "5.28.23", "5.28.24", "5.28.25")
FORECAST_MONTHS = (3, 6, 9, 11)


def generate_budget(w: World, measures: Measures) -> pl.DataFrame:
    rng = w.rng
    end_period = w.period
    first = end_period.shift(-12 * w.years + 1)
    months = [first.shift(i) for i in range(12 * w.years)]
    function = np.array([FUNCTION_OF[c] for c in measures.category], dtype=object)
    ended = np.where(measures.ended == NONE, 1 << 40, measures.ended)
    actual: dict[tuple[int, int, str], float] = {}
    persons: dict[tuple[int, int, str], float] = {}  # full-year persons: active days ÷ the month's days
    for period in months:
        mid = day_number(dt.date(period.year, period.month, 15))
        running = (measures.started <= mid) & (ended > mid)
        begin, after = day_number(period.start), day_number(period.end) + 1
        share = np.clip(np.minimum(ended, after) - np.maximum(measures.started, begin), 0, None) / (after - begin)
        for code in FUNCTIONS:
            if code in FIXED_MONTHLY:
                amount = FIXED_MONTHLY[code] * w.scale * rng.lognormal(0.0, 0.15)
            else:
                amount = float(measures.cost[running & (function == code)].sum()) * rng.normal(1.0, 0.03)
                persons[(period.year, period.month, code)] = float(share[function == code].sum())
            actual[(period.year, period.month, code)] = round(amount, 2)

    rows = []
    years = sorted({p.year for p in months})
    for year in years:
        for code in FUNCTIONS:
            this_year = [actual[(year, m, code)] for m in range(1, 13) if (year, m, code) in actual]
            reference = np.mean(this_year) * 12
            original = reference * rng.uniform(0.90, 0.97)  # budgeted below what is spent
            correction = reference * rng.uniform(0.0, 0.04)
            volume = None
            if code not in FIXED_MONTHLY:  # volume × price, set before the year
                volume, price = _volume_and_price(rng, actual, persons, year, code)
                original = volume * price * 12
                correction = volume * rng.uniform(0.0, 0.04)  # more full-year persons from June
            for month in range(1, 13):
                if (year, month, code) not in actual:
                    continue
                corrected = original + (correction if month >= 6 else 0.0)
                if volume is not None:
                    corrected = (volume + (correction if month >= 6 else 0.0)) * price * 12
                ytd = sum(actual[(year, m, code)] for m in range(1, month + 1) if (year, m, code) in actual)
                forecast = None
                if month in FORECAST_MONTHS:
                    recent = np.mean([actual[(year, m, code)] for m in range(max(1, month - 2), month + 1)
                                      if (year, m, code) in actual])
                    forecast = round(ytd + recent * (12 - month) * rng.normal(1.0, 0.02), 2)
                budgeted = None if volume is None else round(volume + (correction if month >= 6 else 0.0), 2)
                rows.append({
                    "year": year, "month": month, "function_code": code,
                    "budget_original": round(original / 12, 2), "budget_corrected": round(corrected / 12, 2),
                    "actual": actual[(year, month, code)], "forecast": forecast, "budget_volume": budgeted,
                })
    return pl.DataFrame(rows, schema={"year": pl.Int64, "month": pl.Int64, "function_code": pl.String,
                                      "budget_original": pl.Float64, "budget_corrected": pl.Float64,
                                      "actual": pl.Float64, "forecast": pl.Float64, "budget_volume": pl.Float64})


def _volume_and_price(rng, actual: dict, persons: dict, year: int, code: str) -> tuple[float, float]:
    """The budgeted full-year persons and price a full-year person a month, as set in the autumn before the year:
    the full-year persons of July–September last year, set a little low, and last year's price; where the data do
    not reach back that far, this year's first months stand in (with the same shading)."""
    autumn = [(year - 1, m, code) for m in (7, 8, 9) if (year - 1, m, code) in persons]
    known = autumn or [(year, m, code) for m in range(1, 4) if (year, m, code) in persons] or \
        [key for key in persons if key[0] == year and key[2] == code]
    volume = float(np.mean([persons[key] for key in known]))
    spent = sum(actual[key] for key in known)
    price = spent / sum(persons[key] for key in known) if volume > 0 else 0.0
    return volume * rng.uniform(0.92, 1.0), price * rng.uniform(0.97, 1.04)
