"""Built-in section: the 6-week follow-up rate (the local standard from the seeds)."""

from __future__ import annotations

import polars as pl

from ledinfo.api import (
    CASE,
    LANGUAGES,
    LATER,
    N_,
    TEAM,
    Action,
    Chart,
    Column,
    FigureRef,
    Language,
    Over,
    Section,
    SectionResult,
    Table,
    change_text,
    count_figures,
    date_in_each_language,
    hookimpl,
    previous_of,
    share_figures,
    share_table,
    text_in,
    trend_figures,
    trend_frame,
)
from ledinfo.api.domain import AWAITING_CONTACT, INDICATORS, six_week_followup

TREND_MONTHS = 12

INDICATOR = "six_week_followup"
PENDING_NOTE = N_("Pending: new cases not contacted yet whose first contact is due after the end of the period; "
                  "left out of the share.")


class SixWeekFollowupSection(Section):
    name = "six_week_followup"
    title = N_("Follow-up every 6 weeks")
    description = ("Share of active cases with a follow-up, visit, child talk or network meeting in the last 42 days; "
                   "new cases whose first contact is not yet due are left out and counted as pending.")
    requires = ("cases", "activities")
    audiences = ("director", "team_leader")

    def compute(self, context) -> SectionResult:
        cases, activities = context.extract["cases"], context.extract["activities"]
        days = context.standards.followup_interval_days
        period = context.period
        current = six_week_followup(cases, activities, period.end, days)

        result = SectionResult(self.name, self.title, headline=("six_week_followup",),
                               labels={"six_week_followup": N_("Cases followed up within 6 weeks"),
                                       "cases_without_contact": N_("Cases without contact beyond the interval")})
        # new cases never contacted whose first contact is not yet due are pending (domain.md): out of the share,
        # counted in its extra, and listed below (awaiting_contact: the same column, the same cases)
        result.figures += share_figures(current, "six_week_followup", "followed_up", pending=AWAITING_CONTACT)
        result.figures += trend_figures("six_week_followup", context, TREND_MONTHS)

        table = share_table(result.figures, "six_week_followup")
        pending = {f.team: f.extra.get("pending", 0) for f in result.figures
                   if f.indicator == INDICATOR and f.period is None}
        table = table.with_columns(pl.Series("pending", [pending.get(team, 0) for team in table["team"]], pl.Int64))
        result.tables.append(Table(
            "six_week_followup_by_team", N_("Cases followed up within the interval, by team"), table,
            (Column("team", N_("Team")),
             Column("denominator", N_("Cases in the share"), "count", FigureRef(INDICATOR, part="denominator")),
             Column("numerator", N_("Followed up"), "count", FigureRef(INDICATOR, part="numerator")),
             Column("value", N_("Share"), "share", FigureRef(INDICATOR), judged=True),
             Column("pending", N_("Pending"), "count")),
            level=TEAM, note=PENDING_NOTE))
        late, awaiting = _not_followed_up(current.filter(~current["followed_up"]), days, period.end)
        result.tables += [late, awaiting]
        # the late count is its list's rows, so the sentence and the list under it cannot disagree; with the
        # followed-up ones they are the share's cases. A state at the period's end: a quarter's or a year to date's
        # count is its last month's (the committee's protection gives the number one answer in every pack that
        # shows it). The new cases awaiting contact are the share's pending (its extra), no count of their own: one
        # number, which the protection decides with the share (a second figure of them was hidden as "<5" where the
        # share showed its pending: the attack found the 4)
        result.figures += [f.with_(over=Over.END) for f in count_figures("cases_without_contact", late.frame)]
        result.charts.append(Chart(
            "six_week_followup_trend", N_("Share of cases followed up, last 12 months"), "line",
            trend_frame(result.figures, "six_week_followup"), x="month", y="value", color="team",
            y_title=N_("Share followed up"), y_format="share", level=TEAM,
            figure=FigureRef(INDICATOR, period_column="month"), judged=True))
        result.notes.append((N_(
            "Follow-up rate: of the cases active at the end of the month, the share with a follow-up, "
            "supervision visit, child talk or network meeting in the {days} days up to and including the last day "
            "of the month (local standard: every 6 weeks). New cases not contacted yet whose first contact is not "
            "yet due (opened fewer than {days} days before the end of the month) are left out of the share and "
            "counted apart as pending."), {"days": days}))
        return result

    def indicators(self, rules):
        return [INDICATORS[i] for i in ("six_week_followup",)]

    def actions(self, result, view) -> list[Action]:
        """Each case past the interval without contact, on its case and with its caseworker: since when (a date,
        not a number of days that is out of date when the pack is read). A case never contacted says since
        when it has been open. Cases opened within the interval are not late yet."""
        t = view.language
        table = result.table("no_followup")
        if table is None:
            return []
        found = []
        for row in table.frame.iter_rows(named=True):
            if row["last_contact_on"] is None:
                text = t("never contacted, open since {date}", date=t.date(row["opened_on"]))
            else:
                text = t("no contact since {date}", date=t.date(row["last_contact_on"]))
            found.append(Action(text, LATER, row["case_id"], row["caseworker_id"], row["contact_due"],
                                text_in(t, table.title)))
        return found

    def narrate(self, result, view) -> list[str]:
        t = view.language
        own = view.team
        current = result.figure("six_week_followup", team=own)
        pending = current.extra.get("pending", 0) if current is not None else 0
        if current is None or not (current.denominator or pending):
            return [t("There were no active cases at the end of the period.")]
        texts = []
        if current.suppressed:
            texts.append(t("Active cases followed up within the last 6 weeks: {share}.", share=view.words(current)))
        elif current.denominator:
            values = {"share": t.percent(current.value), "numerator": t.integer(current.numerator),
                      "denominator": t.integer(current.denominator)}
            if pending:  # the denominator is not every active case: said where the number stands
                texts.append(t("{share} of the active cases ({numerator} of {denominator}; new cases whose first "
                               "contact is not due yet left out) were followed up within the last 6 weeks.", **values))
            else:
                texts.append(t("{share} of the active cases ({numerator} of {denominator}) were followed up within "
                               "the last 6 weeks.", **values))
            change = change_text(t, current, *previous_of(result, "six_week_followup", own, view))
            if change:
                texts.append(t("That is {change}.", change=change))
            if view.verdict(current):  # the figure's one verdict, as its table cell shows it
                texts.append(t("{verdict}.", verdict=view.verdict(current)))
        if own is not None:
            municipality = result.figure("six_week_followup")
            if municipality is not None and municipality.value is not None:
                texts.append(t("The municipality as a whole: {share}.", share=t.percent(municipality.value)))
        late = result.figure("cases_without_contact", team=own)
        late = late.value if late is not None else 0
        # "at least 6 weeks": a case last contacted 42 days before the period's end is late (its next contact was
        # due on the last day, and none came), but not "more than 6 weeks" without contact
        if late and own is not None:  # only a team leader's pack holds the lists of cases
            texts.append(t.plural("{count} case has had no contact for at least 6 weeks; it is listed below.",
                                  "{count} cases have had no contact for at least 6 weeks; they are listed below.",
                                  late))
        elif late:
            texts.append(t.plural("{count} case has had no contact for at least 6 weeks.",
                                  "{count} cases have had no contact for at least 6 weeks.", late))
        # the active cases are those followed up and those late (the share's cases), and the new ones whose first
        # contact is not yet due (its pending, the list's rows): said, so that the page's numbers add up
        if not current.suppressed and (waiting := pending):
            if own is not None:
                texts.append(t.plural(
                    "{count} case was opened within the last 6 weeks and has had no contact yet; its first contact is "
                    "not due yet, so it is left out of the share and listed below with that deadline.",
                    "{count} cases were opened within the last 6 weeks and have had no contact yet; their first "
                    "contact is not due yet, so they are left out of the share and listed below with that deadline.",
                    waiting))
            else:
                texts.append(t.plural(
                    "{count} case was opened within the last 6 weeks and has had no contact yet; its first contact is "
                    "not due yet, so it is left out of the share.",
                    "{count} cases were opened within the last 6 weeks and have had no contact yet; their first "
                    "contact is not due yet, so they are left out of the share.", waiting))
        return texts


def _not_followed_up(missing: pl.DataFrame, days: int, as_of) -> tuple[Table, Table]:
    """The cases not followed up, in two lists: those past the interval without contact (late: the to-do list's
    and the sentence's), grouped by caseworker, the longest without contact first within each; and those opened
    within the interval and not contacted yet (the share's pending: the frame's ``awaiting_contact``, the one
    definition), with the day their first contact is due.

    A case is late when the day a contact was due (the interval after the last one, or after opening) is the
    period's last day or earlier: a deadline's day is within it, and that day has passed without contact. So a case
    last contacted 42 days before is late, one contacted 41 days before is followed up. A case never contacted shows
    "never contacted" (and when it was opened).
    """
    frame = missing.with_columns(pl.coalesce("days_since", "days_open").alias("days_without"),
                                 (pl.coalesce("last_contact", "opened_on") + pl.duration(days=days)).alias("contact_due"))
    late = frame.filter(~pl.col(AWAITING_CONTACT)).sort(["caseworker_id", "days_without", "case_id"],
                                                        descending=[False, True, False], nulls_last=True)
    awaiting = frame.filter(pl.col(AWAITING_CONTACT)).sort("caseworker_id", "contact_due", "case_id", nulls_last=True)
    contact, labels = [], {}
    for day in late["last_contact"]:
        key = day.isoformat() if day is not None else "never contacted"
        contact.append(key)  # the raw cell (the pack's JSON) in plain English; the PDF shows the label
        labels[key] = {code: Language(code).short_date(day) if day is not None else Language(code)("never contacted")
                       for code in LANGUAGES}
    late = late.rename({"last_contact": "last_contact_on"}).with_columns(
        pl.Series("last_contact", contact, dtype=pl.String))
    return Table(
        "no_followup", (N_("Cases without contact for at least {days} days"), {"days": days}),
        late.select("team", "caseworker_id", "case_id", "last_contact", "days_without", "last_contact_on",
                    "days_since", "days_open", "opened_on", "contact_due"),
        (Column("caseworker_id", N_("Caseworker"), "id"), Column("case_id", N_("Case"), "id"),
         Column("opened_on", N_("Opened"), "date"),
         Column("last_contact", N_("Last contact"), "text"), Column("days_without", (N_("Days without contact on {date}"),
                                                         {"date": date_in_each_language(as_of)}), "days")),
        level=CASE, value_labels=labels, group_by="caseworker_id",
        empty_text=N_("No case has gone 6 weeks or more without contact.")), Table(
        "awaiting_contact", N_("New cases awaiting their first contact"),
        awaiting.select("team", "caseworker_id", "case_id", "opened_on", "contact_due"),
        (Column("caseworker_id", N_("Caseworker"), "id"), Column("case_id", N_("Case"), "id"),
         Column("opened_on", N_("Opened"), "date"), Column("contact_due", N_("First contact due by"), "date")),
        level=CASE, empty_text=N_("No new case is awaiting its first contact."), group_by="caseworker_id")


@hookimpl
def ledinfo_register_sections(register):
    register(SixWeekFollowupSection())
