"""History where it steers: a figure by calendar year and for the year so far, as far back as the data goes.

A year is the year-to-date period of its December (``Period(2025, 12, YEAR_TO_DATE)``: January to December
2025): a flow over it (spending, full-year persons) is the year's, and a 12-month figure at its end
(breakdowns, re-notifications) covers the same twelve months. The report period's own year comes last, to
date. A year is shown only where the data reach back to the start of what it covers.
"""

from __future__ import annotations

import datetime as dt

from ledinfo.language import LANGUAGES, Language
from ledinfo.model.period import MONTH, YEAR_TO_DATE, Period, add_months

HISTORY_YEARS = 3  # the default: the report period's year and the two before it


def yearly_periods(period: Period, years: int = HISTORY_YEARS, first_day: dt.date | None = None,
                   reach_months: int = 12, twelve_months: bool = False) -> list[Period]:
    """The years up to ``period``'s, oldest first, ``years`` in all.

    A flow (``twelve_months`` false): each earlier year as its December's year to date, then the report
    period's year to date (``2026-10-ytd``). A 12-month figure: each earlier year as its December (the
    twelve months up to it), then the report period itself (the twelve months up to its end). A year whose
    figure reaches ``reach_months`` back from its end to before ``first_day`` (the data's first day) is left
    out; the report period's own always stays.
    """
    earlier = [Period(period.year - back, 12, MONTH if twelve_months else YEAR_TO_DATE)
               for back in range(years - 1, 0, -1)]
    if first_day is not None:
        earlier = [p for p in earlier if add_months(p.end, -reach_months) + dt.timedelta(days=1) >= first_day]
    return earlier + [period if twelve_months else Period(period.year, period.month, YEAR_TO_DATE)]


def history_labels(periods: list[Period], twelve_months: bool = False) -> dict[str, dict[str, str]]:
    """Each of ``periods`` (from :func:`yearly_periods`) as a table or chart names it, by ``str(period)``, in
    every pack language: "2025"; the last "2026, januar–oktober" (a flow's year to date) or "12 måneder til
    oktober 2026" (a 12-month figure)."""
    labels = {}
    for index, period in enumerate(periods):
        last = index == len(periods) - 1
        texts = {}
        for code in LANGUAGES:
            t = Language(code)
            if last and twelve_months:
                texts[code] = t("12 months to {month}", month=t.month(period.year, period.month))
            elif last and period.month != 12:
                texts[code] = t("{year}, {months}", year=period.year, months=t.period(period).split(" ")[0])
            else:
                texts[code] = str(period.year)
        labels[str(period)] = texts
    return labels


__all__ = ["HISTORY_YEARS", "history_labels", "yearly_periods"]
