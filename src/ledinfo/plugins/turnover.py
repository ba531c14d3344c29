"""Built-in section: staff turnover and continuity for the children."""

from __future__ import annotations

import polars as pl

from ledinfo.api import (
    N_,
    TEAM,
    Chart,
    Column,
    FigureRef,
    Section,
    SectionResult,
    Table,
    current_figures,
    hookimpl,
    share_text,
    trend_figures,
)
from ledinfo.api.domain import INDICATORS, continuity, turnover

SEEDS_LEVEL = 0.20  # "about one caseworker in five leaves each year"


class TurnoverSection(Section):
    name = "turnover"
    title = N_("Staff turnover and continuity")
    description = "Caseworkers leaving in the last 12 months, and cases that changed caseworker twice or more."
    requires = ("cases", "staff", "activities")
    audiences = ("director", "team_leader")

    def compute(self, context) -> SectionResult:
        extract, period = context.extract, context.period
        result = SectionResult(self.name, self.title, headline=("turnover", "continuity"), labels={
            "turnover": N_("Staff turnover, 12 months"),
            "continuity": N_("Cases with two or more changes of caseworker")})
        for indicator in ("turnover", "continuity"):
            result.figures += current_figures(indicator, context)
            result.figures += trend_figures(indicator, context)
        rates = turnover(extract["staff"], period)
        changes = continuity(extract["cases"], extract["activities"], period.end)
        per_team = changes.group_by("team").agg(pl.len().alias("cases"), pl.col("changed_twice").sum().alias("changed"))
        total = changes.select(pl.lit(None, pl.String).alias("team"), pl.len().alias("cases"),
                               pl.col("changed_twice").sum().alias("changed"))
        table = (rates.join(pl.concat([per_team, total], how="vertical_relaxed"), on="team", how="left",
                            nulls_equal=True)
                 .with_columns(pl.col("cases").fill_null(0).cast(pl.Int64), pl.col("changed").fill_null(0).cast(pl.Int64))
                 .with_columns(pl.when(pl.col("cases") > 0).then(pl.col("changed") / pl.col("cases")).alias("share")))
        result.tables.append(Table(
            "turnover_by_team", N_("Turnover and continuity by team"), table.select(
                "team", "average", "leavers", "value", "cases", "changed", "share"),
            (Column("team", N_("Team")), Column("average", N_("Caseworkers (average)"), "number"),
             Column("leavers", N_("Left in 12 months"), "count", FigureRef("turnover", part="numerator")),
             Column("value", N_("Turnover"), "share", FigureRef("turnover"), judged=True),
             Column("cases", N_("Active cases"), "count", FigureRef("continuity", part="denominator")),
             Column("changed", N_("Changed caseworker twice+"), "count", FigureRef("continuity", part="numerator")),
             Column("share", N_("Share"), "share", FigureRef("continuity"))), level=TEAM))
        trend = pl.DataFrame([{"month": f.period, "team": f.team, "value": f.value} for f in result.figures
                              if f.indicator == "turnover" and f.period],
                             schema={"month": pl.String, "team": pl.String, "value": pl.Float64})
        result.charts.append(Chart("turnover_trend", N_("Staff turnover over 12 months, month by month"), "line",
                                   trend, x="month", y="value", color="team", y_title=N_("Turnover"),
                                   y_format="share", level=TEAM, rules=((SEEDS_LEVEL, N_("One in five")),),
                                   figure=FigureRef("turnover", period_column="month"), judged=True))
        result.notes.append(N_("Turnover: caseworkers who left in the 12 months up to the end of the month, divided "
                               "by the average number employed at the 12 month-ends. The sources find that about one "
                               "caseworker in five leaves each year. Continuity: active cases that changed caseworker "
                               "at least twice in those 12 months."))
        return result

    def indicators(self, rules):
        return [INDICATORS[i] for i in ("turnover", "continuity",)]

    def narrate(self, result, view) -> list[str]:
        t = view.language
        texts = []
        rate = result.figure("turnover", team=view.team)
        if rate is not None and rate.suppressed:
            texts.append(t("Caseworkers who left in the last 12 months: {count}.", count=view.words(rate)))
        elif rate is not None and rate.value is not None and not rate.numerator:
            texts.append(t("No caseworker left in the last 12 months."))
        elif rate is not None and rate.value is not None:
            texts.append(t.plural("{count} caseworker left in the last 12 months: a turnover of {share}.",
                                  "{count} caseworkers left in the last 12 months: a turnover of {share}.",
                                  rate.numerator, share=t.percent(rate.value)))
            if view.verdict(rate):  # an annual goal for turnover: its one verdict, as the table shows it
                texts.append(t("{verdict}.", verdict=view.verdict(rate)))
            texts.append(t("For comparison, the source studies find that about one caseworker in five leaves "
                           "each year (20 %)."))
        changed = result.figure("continuity", team=view.team)
        if changed is not None:
            texts.append(t("{share} of the active cases changed caseworker twice or more.",
                           share=share_text(t, changed, view.threshold)))
        return texts


@hookimpl
def ledinfo_register_sections(register):
    register(TurnoverSection())
