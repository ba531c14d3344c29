"""What of a chart a reader can take in: at most so many bars and lines, and the municipality's name in it.

The PDF draws this, its table and alternative text describe it, and the summary page reads it.
"""

from __future__ import annotations

import polars as pl

from ledinfo.language import N_, Language
from ledinfo.model.results import Chart

MAX_BARS = 30  # above this a bar chart shows the highest values only
MAX_LINES = 8  # above this a trend shows the municipality and the spread between teams


def municipality_label(language: Language) -> str:
    return language("Whole municipality")


def readable(chart: Chart) -> tuple[pl.DataFrame, str | None]:
    """Cut a chart with too many bars or lines down to what a reader can take in.

    Returns the frame to draw and a note (an English message id) saying what was left out.
    A trend with many teams keeps the municipality's line; a bar chart keeps the highest
    values (and the municipality's bar).
    """
    frame = chart.frame
    team = chart.team_column if chart.team_column in frame.columns else None
    if chart.kind == "line" and team and frame[team].n_unique() > MAX_LINES + 1:
        return frame.filter(pl.col(team).is_null()), N_("Teams are too many to draw one line each; "
                                                          "see the table for each team.")
    if chart.kind in ("bar", "hbar") and frame.height > MAX_BARS:
        # the municipality's bar (no team) is kept whatever its value, and drawn once: an anti-join on the
        # columns never matched its row (a null team joins nothing), so a high municipality was drawn twice
        by_team = team is not None and chart.x == team
        total = frame.filter(pl.col(team).is_null()) if by_team else frame.clear()
        rest = frame.filter(pl.col(team).is_not_null()) if by_team else frame
        top = rest.sort(chart.y, descending=True, nulls_last=True).head(MAX_BARS)
        return pl.concat([top, total]), N_("Only the {count} highest are drawn.")
    return frame, None
