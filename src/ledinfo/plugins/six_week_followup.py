"""Built-in section: the 6-week follow-up rate (the local standard from the seeds)."""

from __future__ import annotations

from ledinfo.api import (
    CASE,
    N_,
    TEAM,
    Action,
    Chart,
    Column,
    FigureRef,
    Section,
    SectionResult,
    Table,
    Target,
    hookimpl,
    share_figures,
    share_table,
    trend_figures,
    trend_frame,
)
from ledinfo.api.domain import INDICATORS, six_week_followup

TREND_MONTHS = 12

INDICATOR = "six_week_followup"


class SixWeekFollowupSection(Section):
    name = "six_week_followup"
    title = N_("Follow-up every 6 weeks")
    description = "Share of active cases with a follow-up, visit, child talk or network meeting in the last 42 days."
    requires = ("cases", "activities")
    audiences = ("director", "team_leader")

    def compute(self, context) -> SectionResult:
        cases, activities = context.extract["cases"], context.extract["activities"]
        days = context.standards.followup_interval_days
        period = context.period
        current = six_week_followup(cases, activities, period.end, days)

        result = SectionResult(self.name, self.title, headline=("six_week_followup",),
                               labels={"six_week_followup": N_("Cases followed up within 6 weeks")})
        result.figures += share_figures(current, "six_week_followup", "followed_up")
        result.figures += trend_figures("six_week_followup", context, TREND_MONTHS)

        table = share_table(result.figures, "six_week_followup")
        result.tables.append(Table(
            "six_week_followup_by_team", N_("Cases followed up within the interval, by team"), table,
            (Column("team", N_("Team")),
             Column("denominator", N_("Active cases"), "count", FigureRef(INDICATOR, part="denominator")),
             Column("numerator", N_("Followed up"), "count", FigureRef(INDICATOR, part="numerator")),
             Column("value", N_("Share"), "share", FigureRef(INDICATOR))),
            level=TEAM))
        overdue = current.filter(~current["followed_up"]).sort("days_since", descending=True, nulls_last=False)
        result.tables.append(Table(
            "no_followup", (N_("Cases with no follow-up for more than {days} days"), {"days": days}),
            overdue.select("team", "case_id", "caseworker_id", "last_contact", "days_since"),
            (Column("case_id", N_("Case"), "id"), Column("caseworker_id", N_("Caseworker"), "id"),
             Column("last_contact", N_("Last contact"), "date"), Column("days_since", N_("Days since"), "days")),
            level=CASE, empty_text=N_("Every active case has been followed up within the interval.")))
        result.charts.append(Chart(
            "six_week_followup_trend", N_("Share of cases followed up, last 12 months"), "line",
            trend_frame(result.figures, "six_week_followup"), x="month", y="value", color="team",
            y_title=N_("Share followed up"), y_format="share", level=TEAM,
            figure=FigureRef(INDICATOR, period_column="month"), target=Target(1.0, N_("Local standard: every case"))))
        result.notes.append((N_(
            "Follow-up rate: of the cases active at the end of the month, the share with a follow-up, "
            "supervision visit, child talk or network meeting in the {days} days up to and including the last day "
            "of the month (local standard: every 6 weeks)."), {"days": days}))
        return result

    def indicators(self, rules):
        return [INDICATORS[i] for i in ("six_week_followup",)]

    def actions(self, result, view) -> list[Action]:
        t = view.language
        table = result.table("no_followup")
        if table is None or table.frame.height == 0:
            return []
        return [Action(t.plural("{count} case has had no contact for more than 6 weeks.",
                                "{count} cases have had no contact for more than 6 weeks.", table.frame.height), 2)]

    def narrate(self, result, view) -> list[str]:
        t = view.language
        own = view.team
        current = result.figure("six_week_followup", team=own)
        if current is None or not current.denominator:
            return [t("There were no active cases at the end of the month.")]
        texts = []
        trend = result.trend("six_week_followup", team=own)
        previous = trend[-2] if len(trend) >= 2 else None
        if current.suppressed:
            texts.append(t("The share is not shown because it concerns fewer than {threshold} cases.",
                           threshold=view.threshold))
        else:
            texts.append(t("{share} of the active cases ({numerator} of {denominator}) were followed up within "
                           "the last 6 weeks.", share=t.percent(current.value),
                           numerator=t.integer(current.numerator), denominator=t.integer(current.denominator)))
            if previous is not None and previous.value is not None:
                change = current.value - previous.value
                if abs(change) < 0.005:
                    texts.append(t("That is unchanged from the month before."))
                elif change > 0:
                    texts.append(t.plural("That is up {count} percentage point from the month before.",
                                          "That is up {count} percentage points from the month before.",
                                          round(change * 100)))
                else:
                    texts.append(t.plural("That is down {count} percentage point from the month before.",
                                          "That is down {count} percentage points from the month before.",
                                          round(-change * 100)))
        if own is not None:
            municipality = result.figure("six_week_followup")
            if municipality is not None and municipality.value is not None:
                texts.append(t("The municipality as a whole: {share}.", share=t.percent(municipality.value)))
        listed = result.table("no_followup")
        if listed is not None and listed.frame.height:
            texts.append(t.plural("{count} case has had no contact for more than 6 weeks; it is listed below.",
                                  "{count} cases have had no contact for more than 6 weeks; they are listed below.",
                                  listed.frame.height))
        return texts


@hookimpl
def ledinfo_register_sections(register):
    register(SixWeekFollowupSection())
