"""Built-in section: notifications of concern (underretninger), volume and repeats."""

from __future__ import annotations

import polars as pl

from ledinfo.api import (
    MUNICIPALITY,
    N_,
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
    indicator_figures,
    trend_figures,
)
from ledinfo.api.domain import (
    INDICATORS,
    REPORTER_GROUPS,
    REPORTER_LABELS,
    national_reference,
    notifications_by_month,
)

TREND_MONTHS = 12
TREND_QUARTERS = 4  # the breakdown by reporter type: the last four whole quarters


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
        # the numbers by reporter type are shown by whole quarters only: a month's are often below 5, and a quarter
        # never overlaps another, so the committee sees them as protection allows (docs/disclosure.md)
        result.figures += [f for f in current_figures("notifications", context) if f.category is None]
        result.figures += [f for f in trend_figures("notifications", context) if f.category is None]
        result.figures += current_figures("repeat_notifications", context)
        result.figures += trend_figures("repeat_notifications", context)
        by_month = notifications_by_month(notes, months)
        year_total = int(by_month["count"].sum())
        result.figures.append(Figure("notifications_12m", year_total, unit="count", over="end"))
        for (team,), group in sorted(by_month.group_by("team"), key=lambda item: item[0][0]):
            result.figures.append(Figure("notifications_12m", int(group["count"].sum()), unit="count", team=team,
                                         over="end"))
        monthly = [Ref("notifications", period=str(month)) for month in months]
        result.relations.append(Relation(Ref("notifications_12m"), tuple(monthly)))
        per_month = by_month.group_by("month").agg(pl.col("count").sum()).with_columns(
            pl.lit(None, pl.String).alias("team")).sort("month")  # a group-by has no order
        result.charts.append(Chart(
            "notifications_by_month", N_("Notifications per month, whole municipality"), "line", per_month,
            x="month", y="count", y_title=N_("Notifications"), y_format="count", level=MUNICIPALITY, team_column=None,
            figure=FigureRef(indicator="notifications", period_column="month")))

        # by reporter, per whole quarter: from professionals and from citizens (private and anonymous folded: a
        # small municipality's anonymous notifications are a handful a quarter, and would hide the others beside them)
        quarters = period.whole_quarters(TREND_QUARTERS)
        rows = []
        for quarter in quarters:
            found = [f for f in indicator_figures("notifications_from", context, quarter) if f.category is not None]
            result.figures += found
            rows += [{"quarter": str(quarter), "source": f.category, "count": f.value, "team": None}
                     for f in found if f.team is None]
        result.relations += [  # the folded figures, their total, and the professionals' (a rule counts them)
            Relation(Ref("notifications"), tuple(Ref("notifications_from", category=g) for g in REPORTER_GROUPS)),
            Relation(Ref("notifications_from", category="professional"),
                     (Ref("notifications", category="professional"),))]
        result.labels["notifications_from"] = N_("Notifications from professionals and from citizens")
        if rows:
            result.charts.append(Chart(
                "notifications_by_reporter", N_("Notifications by reporter, per quarter, whole municipality"), "line",
                pl.DataFrame(rows, schema={"quarter": pl.String, "source": pl.String, "count": pl.Int64,
                                           "team": pl.String}),
                x="quarter", y="count", color="source", y_title=N_("Notifications"), y_format="count",
                level=MUNICIPALITY, team_column=None, value_labels=REPORTER_LABELS,
                figure=FigureRef(indicator="notifications_from", period_column="quarter", category_column="source")))
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
        return [INDICATORS[i] for i in ("notifications", "repeat_notifications", "notifications_from")]

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
        if reference is not None and reference.value is not None and year is not None and view.team is None \
                and year.value:
            texts.append(t.plural("At the national level a municipality of this size would receive about {count} "
                                  "notification a year.", "At the national level a municipality of this size would "
                                  "receive about {count} notifications a year.", about_value(reference.value),
                                  count=t.about(reference.value)))
        repeat = result.figure("repeat_notifications", team=view.team)
        if repeat is not None and repeat.suppressed:
            texts.append(t("Children notified twice or more in the last 12 months: {count}.", count=view.words(repeat)))
        elif repeat is not None and not repeat.value:
            texts.append(t("No child was notified twice or more in the last 12 months."))
        elif repeat is not None:
            texts.append(t.plural("{count} child was notified twice or more in the last 12 months.",
                                  "{count} children were notified twice or more in the last 12 months.", repeat.value))
        return texts


@hookimpl
def ledinfo_register_sections(register):
    register(NotificationsSection())
