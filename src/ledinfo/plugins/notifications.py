"""Built-in section: notifications of concern (underretninger), volume and repeats."""

from __future__ import annotations

import polars as pl

from ledinfo.api import (
    MUNICIPALITY,
    N_,
    REPORTER_LABELS,
    Chart,
    Figure,
    FigureRef,
    Ref,
    Relation,
    Section,
    SectionResult,
    about_value,
    current_figures,
    hookimpl,
    trend_figures,
)
from ledinfo.api.domain import INDICATORS, national_reference, notifications_by_month

TREND_MONTHS = 12


class NotificationsSection(Section):
    name = "notifications"
    title = N_("Notifications")
    description = "Notifications received per month by reporter type, and children notified repeatedly."
    requires = ("notifications",)

    def compute(self, context) -> SectionResult:
        period = context.period
        months = period.trailing(TREND_MONTHS)
        notes = context.extract["notifications"]
        result = SectionResult(self.name, self.title, headline=("notifications", "repeat_notifications"), labels={
            "notifications": N_("Notifications in the period"),
            "repeat_notifications": N_("Children notified twice or more in 12 months"),
            "notifications_12m": N_("Notifications in the last 12 months"),
        })
        for indicator in ("notifications", "repeat_notifications"):
            result.figures += current_figures(indicator, context)
            result.figures += trend_figures(indicator, context)
        by_month = notifications_by_month(notes, months)
        year_total = int(by_month["count"].sum())
        result.figures.append(Figure("notifications_12m", year_total, unit="count"))
        for (team,), group in sorted(by_month.group_by("team"), key=lambda item: item[0][0]):
            result.figures.append(Figure("notifications_12m", int(group["count"].sum()), unit="count", team=team))

        total = by_month.group_by("month", "reporter_type").agg(pl.col("count").sum()).with_columns(
            pl.lit(None, pl.String).alias("team")).sort("month", "reporter_type")  # a group-by has no order
        for month, reporter, count in total.select("month", "reporter_type", "count").iter_rows():
            result.figures.append(Figure("notifications", int(count), unit="count", period=month, category=reporter))
        reporters = sorted(total["reporter_type"].unique().to_list())
        monthly = [Ref("notifications", period=str(month)) for month in months]
        result.relations += [Relation(ref, tuple(Ref("notifications", period=ref.period, category=reporter)
                                                 for reporter in reporters)) for ref in monthly]
        result.relations.append(Relation(Ref("notifications_12m"), tuple(monthly)))

        result.charts.append(Chart(
            "notifications_by_month", N_("Notifications per month by reporter, whole municipality"), "line",
            total.sort("month", "reporter_type"), x="month", y="count", color="reporter_type", y_title=N_("Notifications"),
            y_format="count", level=MUNICIPALITY, team_column=None, value_labels=REPORTER_LABELS,
            figure=FigureRef(indicator="notifications", period_column="month", category_column="reporter_type")))
        # no comparison of teams: notifications arrive at the intake team (about all of them), so a table by
        # team compared 1,457 with 1 and 2; each team's figures stay in the result (and the JSON)
        reference = national_reference(context.municipality.inhabitants)
        if reference:
            result.figures.append(Figure("notifications_reference", reference["notifications"], unit="number"))
            result.labels["notifications_reference"] = N_("National level scaled to the municipality, a year")
        result.notes.append(N_("National reference (Danmarks Statistik): about 152,700 notifications on about "
                               "85,300 children in 2022; scaled to the municipality by its inhabitants."))
        return result

    def indicators(self, rules):
        return [INDICATORS[i] for i in ("notifications", "repeat_notifications",)]

    def narrate(self, result, view) -> list[str]:
        t = view.language
        year = result.figure("notifications_12m", team=view.team)
        month = result.figure("notifications", team=view.team)
        texts = []
        if month is not None and not month.suppressed and not month.value:
            texts.append(t("No notification was received in {period}.", period=t.period(view.period)))
        elif month is not None and not month.suppressed:
            texts.append(t.plural("{count} notification was received in {period}.",
                                  "{count} notifications were received in {period}.", month.value,
                                  period=t.period(view.period)))
        if year is not None and not year.suppressed and not year.value:
            texts.append(t("No notification was received in the last 12 months."))
        elif year is not None and not year.suppressed:
            texts.append(t.plural("{count} notification was received in the last 12 months.",
                                  "{count} notifications were received in the last 12 months.", year.value))
        reference = result.figure("notifications_reference")
        if reference is not None and year is not None and view.team is None and year.value:
            texts.append(t.plural("At the national level a municipality of this size would receive about {count} "
                                  "notification a year.", "At the national level a municipality of this size would "
                                  "receive about {count} notifications a year.", about_value(reference.value),
                                  count=t.about(reference.value)))
        repeat = result.figure("repeat_notifications", team=view.team)
        if repeat is not None and repeat.suppressed:
            texts.append(t("Fewer than {threshold} children were notified twice or more.", threshold=view.threshold))
        elif repeat is not None and not repeat.value:
            texts.append(t("No child was notified twice or more in the last 12 months."))
        elif repeat is not None:
            texts.append(t.plural("{count} child was notified twice or more in the last 12 months.",
                                  "{count} children were notified twice or more in the last 12 months.", repeat.value))
        return texts


@hookimpl
def ledinfo_register_sections(register):
    register(NotificationsSection())
