"""Shared settings and helpers of the demo generator: the calendar, teams and volumes.

Days are int64 day numbers (days since 1970-01-01), the same as a Polars Date,
so the whole generator stays vectorised in numpy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from ledinfo.model.period import Period, add_months

EPOCH = dt.date(1970, 1, 1)
YEAR = 365.25
MONTH = YEAR / 12

# The five kinds of team in a typical municipality's children's authority.
TEAM_KINDS = ("Modtagelse", "Børn", "Unge", "Handicap", "Anbringelse")

# How each kind of team performs: mean days between contacts, investigation
# speed (multiplier on duration), share of timely steps. These make compliance
# differ by team, as in real municipalities.
TEAM_PROFILE = {
    "Modtagelse": {"contact_gap": 24.0, "investigation": 1.00, "timely": 0.90},
    "Børn": {"contact_gap": 34.0, "investigation": 1.15, "timely": 0.80},
    "Unge": {"contact_gap": 44.0, "investigation": 1.30, "timely": 0.68},
    "Handicap": {"contact_gap": 52.0, "investigation": 1.25, "timely": 0.62},
    "Anbringelse": {"contact_gap": 36.0, "investigation": 1.10, "timely": 0.78},
}


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


def to_dates(days: np.ndarray, name: str) -> pl.Series:
    """Day numbers to a Polars Date series; negative sentinels (-1 << 40) become null."""
    values = np.asarray(days, dtype=np.int64)
    series = pl.Series(name, values)
    return pl.select(pl.when(series > -(1 << 39)).then(series).cast(pl.Int32).cast(pl.Date)).to_series().alias(name)


NONE = -(1 << 40)  # "no date" in day-number arrays


@dataclass
class World:
    """Everything the parts of the generator share."""

    seed: int
    scale: float
    period: Period
    years: int = 3
    rng: np.random.Generator = field(init=False)

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        # the data as known at the period's end, made month by month: a quarter's or a year to date's last month
        # (a quarter shifted by a month is no quarter)
        self.period = self.period.last_month

    @property
    def end(self) -> int:
        """The last day of the period: nothing after it is known to the extract."""
        return day_number(self.period.end)

    @property
    def start(self) -> int:
        """The first day of the history the extract covers."""
        return day_number(add_months(self.period.end, -12 * self.years)) + 1

    @property
    def teams(self) -> list[tuple[str, str]]:
        """(team name, kind). Above scale 1.5 each kind has several numbered teams."""
        units = max(1, round(self.scale))
        if units == 1:
            return [(kind, kind) for kind in TEAM_KINDS]
        return [(f"{kind} {i}", kind) for kind in TEAM_KINDS for i in range(1, units + 1)]

    def count(self, per_year_at_scale_1: float, years: float) -> int:
        return max(1, int(round(per_year_at_scale_1 * self.scale * years)))

    def pick(self, options, probabilities, size: int) -> np.ndarray:
        p = np.asarray(probabilities, dtype=float)
        return self.rng.choice(np.asarray(options, dtype=object), size=size, p=p / p.sum())

    def days(self, low: float, high: float, size: int) -> np.ndarray:
        return self.rng.integers(int(low), int(high) + 1, size=size)

    def lognormal_days(self, median: np.ndarray | float, sigma: float, size: int) -> np.ndarray:
        return np.maximum(1, np.round(np.asarray(median) * self.rng.lognormal(0.0, sigma, size=size))).astype(np.int64)


def ids(prefix: str, count: int, width: int, start: int = 1) -> np.ndarray:
    return np.array([f"{prefix}{i:0{width}d}" for i in range(start, start + count)], dtype=object)


def add_months_days(days: np.ndarray, months: int) -> np.ndarray:
    """Calendar-month arithmetic on day numbers (clamped to month end), vectorised."""
    dates = to_dates(days, "d")
    return (dates.dt.offset_by(f"{months}mo").cast(pl.Int32).cast(pl.Int64)).to_numpy()
