"""Management supervision in the demo: reviews of the sample ledinfo itself draws, and a few more.

The demo municipality reviews most of each month's sample (drawn with
ledinfo's own reproducible draw), some teams more reliably than others, and
finds a deviation in about one review in six, on the month's theme. Like a
real one, its team leaders also review some cases of their own choosing
(about one for every ten sampled): ledinfo counts both against the local
standard, and sees from them that the municipality works from its sample.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ledinfo.demo.world import TEAM_PROFILE, World
from ledinfo.domain.indicators.common import active_cases
from ledinfo.domain.indicators.supervision import DEFAULT_THEMES, draw_sample, theme_for

CHOSEN_PER_SAMPLED = 0.1  # reviews of cases a team leader chose, for each case in the month's sample


def supervision_activities(w: World, cases: pl.DataFrame, staff: pl.DataFrame) -> pl.DataFrame:
    kind_of = dict(w.teams)
    leaders = dict(staff.filter(pl.col("role") == "teamleder").select("team", "staff_id").iter_rows())
    rows = {"case_id": [], "date": [], "staff_id": [], "result": [], "theme": []}
    first = w.period.shift(-12 * w.years + 2)  # the first month with a full month of history before it
    months = [first.shift(index) for index in range(12 * w.years - 1)]
    samples = {}
    for month in months:
        sample = samples[month] = draw_sample(cases, staff, month)
        if sample.height == 0:
            continue
        reliability = np.array([TEAM_PROFILE[kind_of.get(t, "Modtagelse")]["timely"] + 0.1 for t in sample["team"]])
        done = w.rng.random(sample.height) < np.minimum(reliability, 0.97)
        _review(w, rows, sample.filter(pl.Series(done)), month, leaders)
    # after the sample's reviews, so they (and every figure of them) stay as they were before these were added
    for month in months:
        sample = samples[month]
        whole_month = active_cases(active_cases(cases, month.start), month.end)  # active on any day of the review
        others = whole_month.join(sample, on="case_id", how="anti").select("team", "case_id")
        count = min(others.height, int(w.rng.binomial(sample.height, CHOSEN_PER_SAMPLED)))
        if count:
            picked = w.rng.choice(others.height, size=count, replace=False)
            _review(w, rows, others[sorted(int(i) for i in picked)], month, leaders)
    return pl.DataFrame({
        "case_id": pl.Series(rows["case_id"], dtype=pl.String),
        "date": pl.Series([dt.date.fromordinal(d) for d in rows["date"]], dtype=pl.Date),
        "kind": pl.Series(["ledelsestilsyn"] * len(rows["case_id"]), dtype=pl.String),
        "staff_id": pl.Series(rows["staff_id"], dtype=pl.String),
        "result": pl.Series(rows["result"], dtype=pl.String),
        "theme": pl.Series(rows["theme"], dtype=pl.String),
    })


def _review(w: World, rows: dict, reviewed: pl.DataFrame, month, leaders: dict) -> None:
    """Reviews of ``reviewed`` (team, case_id) by their team leader on random days of ``month``."""
    days = w.rng.integers(0, month.end.day, size=reviewed.height)
    rows["case_id"] += reviewed["case_id"].to_list()
    rows["date"] += [month.start.toordinal() + int(d) for d in days]
    rows["staff_id"] += [leaders.get(t) for t in reviewed["team"]]
    rows["result"] += ["afvigelse" if r < 0.17 else "ok" for r in w.rng.random(reviewed.height)]
    rows["theme"] += [theme_for(month, DEFAULT_THEMES)] * reviewed.height
