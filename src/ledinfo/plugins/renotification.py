"""Built-in section: did closed cases stay closed? New notifications on the child within a year of the closing.

domain.md "Effect and money": renotification. The closings judged at the end of P are those of the 12 months
that end 12 months before it, so each has had its whole year.
"""

from __future__ import annotations

import polars as pl
from pydantic import Field

from ledinfo.api import (
    MUNICIPALITY,
    N_,
    TEAM,
    Column,
    FigureRef,
    Section,
    SectionResult,
    Settings,
    Table,
    change_text,
    current_figures,
    data_span,
    hookimpl,
    indicator_figures,
    previous_of,
    share_text,
)
from ledinfo.api.domain import EFFECT_INDICATORS, HISTORY_YEARS, closing_window, yearly_periods


class RenotificationSettings(Settings):
    """``[plugins.renotification]``."""

    history_years: int = Field(HISTORY_YEARS, ge=1, le=10)  # the years shown, this one included, as far as the data go


class RenotificationSection(Section):
    name = "renotification"
    title = N_("New notifications after a closed case")
    description = "Of cases closed a year or more ago, the share whose child was notified again within a year; by year."
    requires = ("cases", "notifications")
    audiences = ("committee", "director")

    def compute(self, context) -> SectionResult:
        period = context.period
        result = SectionResult(self.name, self.title, headline=("renotification",),
                               labels={"renotification": N_("Closed cases notified again within a year")})
        result.figures += current_figures("renotification", context)
        # how far back: the closings judged must lie after the first notification the extract has, or a new
        # notification could be missing from it
        notified = context.extract["notifications"]["received_at"].min()
        span = data_span(context.extract)
        since = notified.date() if notified is not None else (span.first if span else None)
        years = yearly_periods(period, context.settings(RenotificationSettings).history_years, since,
                               reach_months=24, twelve_months=True)
        rows = []
        for year in years:
            when = None if year == period else str(year)
            if when is not None:
                result.figures += indicator_figures("renotification", context, year)
            figure = result.figure("renotification", period=when)
            window = closing_window(year.end)
            rows.append({"period": when, "closed": figure.denominator, "share": figure.value,
                         "from": window[0], "to": window[1]})
        result.tables.append(Table(
            "renotification_by_year", N_("Closed cases notified again within a year, by period of closing"),
            pl.DataFrame(rows, schema={"period": pl.String, "closed": pl.Int64, "share": pl.Float64,
                                       "from": pl.Date, "to": pl.Date}),
            (Column("from", N_("Closed from"), "date"), Column("to", N_("to"), "date"),
             Column("closed", N_("Cases closed"), "count", FigureRef("renotification", period_column="period",
                                                                     part="denominator")),
             Column("share", N_("Notified again within a year"), "share",
                    FigureRef("renotification", period_column="period"))),
            level=MUNICIPALITY, team_column=None))
        teams = sorted({f.team for f in result.figures if f.team is not None and f.period is None})
        rows = [{"team": team, **_parts(result.figure("renotification", team=team))} for team in teams]
        rows.append({"team": None, **_parts(result.figure("renotification"))})
        result.tables.append(Table(
            "renotification_by_team", N_("Closed cases notified again within a year, by team"),
            pl.DataFrame(rows, schema={"team": pl.String, "closed": pl.Int64, "again": pl.Int64, "share": pl.Float64}),
            (Column("team", N_("Team")),
             Column("closed", N_("Cases closed"), "count", FigureRef("renotification", part="denominator")),
             Column("again", N_("Notified again"), "count", FigureRef("renotification", part="numerator")),
             Column("share", N_("Share"), "share", FigureRef("renotification"))),
            level=TEAM))
        result.notes.append(N_("A new notification: received on the child after the day its case closed, within 12 "
                               "months. Each row's cases have all had their whole year; the last row is the latest "
                               "12 months that have, so it may overlap the row before it."))
        return result

    def indicators(self, rules):
        return [EFFECT_INDICATORS["renotification"]]

    def narrate(self, result, view) -> list[str]:
        t = view.language
        figure = result.figure("renotification", team=view.team)
        if figure is None or (not figure.denominator and not figure.suppressed):
            return [t("No case was closed in the 12 months judged.")]
        first, last = closing_window(view.period.end)
        text = t("Of the cases closed from {first} to {last}, {share} got a new notification on the child within a "
                 "year.", first=t.date(first), last=t.date(last), share=share_text(t, figure, view.threshold))
        change = change_text(t, figure, *previous_of(result, "renotification", view.team, view))
        return [text + (" " + t("That is {change}.", change=change) if change else "")]


def _parts(figure) -> dict:
    if figure is None:
        return {"closed": 0, "again": 0, "share": None}
    return {"closed": figure.denominator, "again": figure.numerator, "share": figure.value}


@hookimpl
def ledinfo_register_sections(register):
    register(RenotificationSection())


@hookimpl
def ledinfo_register_settings(register):
    register(RenotificationSettings)
