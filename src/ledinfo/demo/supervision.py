"""Management supervision in the demo: reviews of the sample ledinfo itself draws.

The demo municipality reviews most of each month's sample (drawn with
ledinfo's own reproducible draw), some teams more reliably than others, and
finds a deviation in about one review in six, on the month's theme.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ledinfo.demo.world import TEAM_PROFILE, World
from ledinfo.domain.indicators.supervision import DEFAULT_THEMES, draw_sample, theme_for


def supervision_activities(w: World, cases: pl.DataFrame, staff: pl.DataFrame) -> pl.DataFrame:
    kind_of = dict(w.teams)
    leaders = dict(staff.filter(pl.col("role") == "teamleder").select("team", "staff_id").iter_rows())
    rows = {"case_id": [], "date": [], "staff_id": [], "result": [], "theme": []}
    first = w.period.shift(-12 * w.years + 2)  # the first month with a full month of history before it
    for index in range(12 * w.years - 1):
        month = first.shift(index)
        sample = draw_sample(cases, staff, month)
        if sample.height == 0:
            continue
        reliability = np.array([TEAM_PROFILE[kind_of.get(t, "Modtagelse")]["timely"] + 0.1 for t in sample["team"]])
        done = w.rng.random(sample.height) < np.minimum(reliability, 0.97)
        chosen = sample.filter(pl.Series(done))
        days = w.rng.integers(0, month.end.day, size=chosen.height)
        rows["case_id"] += chosen["case_id"].to_list()
        rows["date"] += [month.start.toordinal() + int(d) for d in days]
        rows["staff_id"] += [leaders.get(t) for t in chosen["team"]]
        rows["result"] += ["afvigelse" if r < 0.17 else "ok" for r in w.rng.random(chosen.height)]
        rows["theme"] += [theme_for(month, DEFAULT_THEMES)] * chosen.height
    import datetime as dt

    return pl.DataFrame({
        "case_id": pl.Series(rows["case_id"], dtype=pl.String),
        "date": pl.Series([dt.date.fromordinal(d) for d in rows["date"]], dtype=pl.Date),
        "kind": pl.Series(["ledelsestilsyn"] * len(rows["case_id"]), dtype=pl.String),
        "staff_id": pl.Series(rows["staff_id"], dtype=pl.String),
        "result": pl.Series(rows["result"], dtype=pl.String),
        "theme": pl.Series(rows["theme"], dtype=pl.String),
    })
