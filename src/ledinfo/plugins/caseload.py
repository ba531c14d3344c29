"""Built-in section: caseload per caseworker, per team and for the municipality."""

from __future__ import annotations

import polars as pl

from ledinfo.api import (
    CASE,
    LATER,
    N_,
    STAFF,
    TEAM,
    Action,
    Basis,
    Chart,
    Column,
    Figure,
    FigureRef,
    Section,
    SectionResult,
    Table,
    hookimpl,
    previous_of,
    text_in,
    trend_figures,
)
from ledinfo.api.domain import (
    GUIDELINE,
    INDICATORS,
    SURVEY,
    caseload_by_caseworker,
    caseload_by_team,
    cases_without_caseworker,
    summary_extra,
)

TREND_MONTHS = 12


class CaseloadSection(Section):
    name = "caseload"
    title = N_("Caseload")
    description = "Active cases per caseworker FTE, per team, with cases that lack a caseworker."
    requires = ("cases", "staff")
    audiences = ("director", "team_leader")

    def compute(self, context) -> SectionResult:
        cases, staff = context.extract["cases"], context.extract["staff"]
        as_of = context.period.end
        weighted = context.extract.supplied("cases", "weight")  # absent: every case counts 1, said plainly
        per_worker = caseload_by_caseworker(cases, staff, as_of, weighted=weighted)
        by_team = caseload_by_team(per_worker)
        orphans = cases_without_caseworker(cases, staff, as_of)

        result = SectionResult(self.name, self.title, headline=("caseload", "cases_without_caseworker"), labels={
            "caseload": N_("Cases per caseworker FTE"),
            "cases_without_caseworker": N_("Active cases without a caseworker"),
        })
        for row in by_team.iter_rows(named=True):
            result.figures.append(Figure(
                "caseload", row["caseload"], row["cases"], row["fte"], "ratio", team=row["team"],
                extra={**summary_extra(row), **_weights(row)}))
        for row in per_worker.iter_rows(named=True):
            result.figures.append(Figure("caseload", row["caseload"], row["cases"], row["fte"], "ratio",
                                         team=row["team"], staff_id=row["staff_id"], extra=_weights(row)))
        result.figures.append(Figure("cases_without_caseworker", orphans.height, unit="count"))
        for (team,), group in sorted(orphans.group_by("team"), key=lambda item: item[0][0]):
            result.figures.append(Figure("cases_without_caseworker", group.height, unit="count", team=team))

        result.figures += trend_figures("caseload", context, TREND_MONTHS)

        weight_columns = (Column("weighted_caseload", N_("Weighted per FTE"), "number"),) if weighted else ()
        # every number of a team's row bound to its figure: of a team of one caseworker, or the spread of two, the
        # disclosure hides what would be one caseworker's own caseload (ledinfo.disclosure.staff)
        weight_parts = (Column("weighted_caseload", N_("Weighted per FTE"), "number",
                               FigureRef("caseload", part="weighted_caseload")),) if weighted else ()
        result.tables.append(Table(
            "caseload_by_team", N_("Caseload by team"), by_team,
            (Column("team", N_("Team")), Column("caseworkers", N_("Caseworkers"), "integer"),
             Column("fte", N_("FTE"), "number", FigureRef("caseload", part="denominator")),
             # the cases its caseworkers hold, whichever team's: not the team's active cases (the follow-up's), which
             # count those without an employed caseworker (the table below) and none of another team's — a reader
             # saw 130 here beside the team's 128 active cases under the old heading "with an employed caseworker"
             Column("cases", N_("Cases held by its caseworkers"), "count", FigureRef("caseload", part="numerator")),
             Column("caseload", N_("Cases per FTE"), "number", FigureRef("caseload"), judged=True), *weight_parts,
             Column("min", N_("Lowest"), "number", FigureRef("caseload", part="min")),
             Column("median", N_("Median"), "number", FigureRef("caseload", part="median")),
             Column("max", N_("Highest"), "number", FigureRef("caseload", part="max"))),
            level=TEAM))
        result.tables.append(Table(
            "caseload_by_caseworker", N_("Caseload by caseworker"), per_worker.sort(
                "caseload", "staff_id", descending=[True, False], nulls_last=True),
            (Column("staff_id", N_("Caseworker"), "id"), Column("fte", N_("FTE"), "number"),
             Column("cases", N_("Active cases"), "count"),
             Column("caseload", N_("Cases per FTE"), "number", FigureRef("caseload", staff_column="staff_id"),
                    judged=True),
             *((Column("weighted_cases", N_("Case weight, sum"), "integer"),) if weighted else ()),
             *weight_columns),
            level=STAFF))
        result.tables.append(Table(
            "cases_without_caseworker", N_("Active cases without an employed caseworker"), orphans,
            (Column("case_id", N_("Case"), "id"), Column("caseworker_id", N_("Former caseworker"), "id"),
             Column("opened_on", N_("Opened"), "date")),
            # its rows naming nobody never had a caseworker: "Uden rådgiver", not the column's "Uden tidligere rådgiver"
            level=CASE, empty_text=N_("Every active case has an employed caseworker."), group_by="caseworker_id",
            group_empty=N_("No caseworker")))

        trend = pl.DataFrame(
            [{"month": f.period, "team": f.team, "value": f.value} for f in result.figures
             if f.indicator == "caseload" and f.period and f.staff_id is None],
            schema={"month": pl.String, "team": pl.String, "value": pl.Float64})
        # The guideline's range is drawn only where it is the yardstick: beside an annual goal it would be a
        # second one (domain.md: a second yardstick in words only); the notes name it either way
        yardstick = context.yardstick("caseload")
        band = (GUIDELINE[0], GUIDELINE[1], N_("Guideline 20–30")) if yardstick is None or \
            yardstick.basis == Basis.PROFESSIONAL else None
        judged = True  # each bar coloured by its figure's verdict (none without a yardstick), as in the tables
        result.charts.append(Chart("caseload_trend", N_("Cases per caseworker FTE, last 12 months"), "line", trend,
                                   x="month", y="value", color="team", y_title=N_("Cases per FTE"),
                                   y_format="number", level=TEAM, band=band,
                                   figure=FigureRef("caseload", period_column="month"), judged=judged))
        result.charts.append(Chart("caseload_by_team", N_("Cases per caseworker FTE by team"), "bar",
                                   by_team.select("team", "caseload"), x="team", y="caseload",
                                   y_title=N_("Cases per FTE"), y_format="number", level=TEAM, band=band,
                                   figure=FigureRef("caseload"), judged=judged))
        result.charts.append(Chart("caseload_by_caseworker", N_("Cases per FTE by caseworker"), "hbar",
                                   per_worker.select("team", "staff_id", "caseload"), x="staff_id", y="caseload",
                                   y_title=N_("Cases per FTE"), y_format="number", level=STAFF, band=band,
                                   sort_by_value=True, figure=FigureRef("caseload", staff_column="staff_id"),
                                   judged=judged))
        result.notes.append(N_(
            "Caseload: active cases held by each caseworker employed at the end of the month, divided by FTE. "
            "Benchmarks: the professional guideline of 20–30 children per caseworker (Dansk "
            "Socialrådgiverforening, 2020); the national survey found 40 (vulnerable) and 55 (disability) cases "
            "per caseworker; the programme level in the sources is about 20."))
        result.notes.append(N_(
            "Case weight (sagstyngde, 1–3) from the extract: the weighted caseload adds up the weights of the "
            "active cases, a case with no weight counting 1, and divides by FTE.") if weighted else N_(
            "The extract has no case weight (sagstyngde): every case counts as one, so the caseload does not "
            "show how heavy the cases are."))
        return result

    def indicators(self, rules):
        return [INDICATORS[i] for i in ("caseload", "cases_without_caseworker",)]

    def actions(self, result, view) -> list[Action]:
        """Each caseworker far above the guideline, on that caseworker's list, and the active cases without an
        employed caseworker, counted on the list of the caseworker they still name (marked: former, other team;
        cases naming none: the list of cases without a caseworker)."""
        t = view.language
        found = []
        workers = (f for f in result.figures if f.indicator == "caseload" and f.staff_id and f.period is None
                   and f.team == view.team and f.value is not None and f.value > FAR_ABOVE)
        for figure in workers:
            weighted = figure.extra.get("weighted_caseload")
            # the line it crosses said: a caseworker at 35 per FTE, over the guideline too, gets no such action
            values = {"cases": t.integer(figure.numerator), "per_fte": t.number(figure.value),
                      "far": t.integer(FAR_ABOVE), "low": t.integer(GUIDELINE[0]), "high": t.integer(GUIDELINE[1])}
            text = t("Holds {cases} active cases, {per_fte} per FTE. Over {far} per FTE is far above the guideline "
                     "of {low}–{high}: share out the cases.", **values) if weighted is None else \
                t("Holds {cases} active cases, {per_fte} per FTE ({weighted} weighted by case weight). Over {far} per "
                  "FTE is far above the guideline of {low}–{high}: share out the cases.", **values,
                  weighted=t.number(weighted))
            found.append(Action(text, LATER, caseworker=view.staff(figure.staff_id),
                                listed_in=t("Caseload by caseworker")))
        table = result.table("cases_without_caseworker")
        if table is None:  # a template that shows no list: the count alone
            orphans = result.figure("cases_without_caseworker", team=view.team)
            if orphans is not None and orphans.value:
                found.append(Action(t.plural("{count} active case has no employed caseworker.",
                                             "{count} active cases have no employed caseworker.", orphans.value),
                                    LATER))
            return found
        # one line per caseworker the cases still name (a leaver, another team's): the team leader shares them out
        listed = text_in(t, table.title)
        for (worker,), group in sorted(table.frame.group_by("caseworker_id"), key=lambda item: item[0][0] or ""):
            found.append(Action(t.plural("{count} active case has no employed caseworker: assign it.",
                                         "{count} active cases have no employed caseworker: assign them.",
                                         group.height), LATER, caseworker=worker, listed_in=listed,
                                unassigned=worker is None))
        return found

    def narrate(self, result, view) -> list[str]:
        t = view.language
        texts = []
        own = view.team if view.team else None
        current = result.figure("caseload", team=own)
        if current is None or current.value is None:
            return [t("No caseworkers were employed at the end of the period.")]
        previous, before = previous_of(result, "caseload", own, view)
        who = t("In the team") if own else t("In the municipality")
        verdict = view.verdict(current)  # the figure's one verdict, as its table cell and bar show it
        # a verdict names the guideline itself (its yardstick, or the second beside a goal): said once, not twice
        # ("… Den faglige anbefaling er 20–30." and "Tæt på (årsmålet på højst 25). Den faglige anbefaling er højst
        # 30 …" read as two different recommendations: a fresh reader's finding)
        guideline = {"low": t.integer(GUIDELINE[0]), "high": t.integer(GUIDELINE[1])}
        if previous is not None and previous.value is not None:
            values = {"who": who, "value": t.number(current.value), "period": t.period(before),
                      "previous": t.number(previous.value)}
            texts.append(t("{who}, caseworkers hold {value} active cases per FTE on average ({period}: {previous}).",
                           **values) if verdict else
                         t("{who}, caseworkers hold {value} active cases per FTE on average ({period}: {previous}). "
                           "The professional guideline is {low}–{high}.", **values, **guideline))
        else:
            values = {"who": who, "value": t.number(current.value)}
            texts.append(t("{who}, caseworkers hold {value} active cases per FTE on average.", **values) if verdict
                         else t("{who}, caseworkers hold {value} active cases per FTE on average. The professional "
                                "guideline is {low}–{high}.", **values, **guideline))
        if verdict:
            texts.append(t("{verdict}.", verdict=verdict))
        weighted = current.extra.get("weighted_caseload")
        if "weighted_cases" in current.extra:
            texts.append(t("Weighted by case weight (1–3), that is {value} per FTE.", value=t.number(weighted)))
        else:
            texts.append(t("The extract has no case weight, so every case counts as one."))
        workers = [f for f in result.figures if f.indicator == "caseload" and f.staff_id and f.period is None]
        if workers:
            over = current.extra["above_guideline"]  # a figure of the JSON, counted once (caseload_by_team)
            if len(workers) == 1:
                texts.append(t("The only caseworker is above {high} cases per FTE.", high=t.integer(GUIDELINE[1]))
                             if over else t("The only caseworker is not above {high} cases per FTE.",
                                            high=t.integer(GUIDELINE[1])))
            else:  # the number of caseworkers above decides the verb: "1 of 6 is", "4 of 6 are"
                texts.append(t.plural("{count} of {total} caseworkers is above {high} cases per FTE.",
                                      "{count} of {total} caseworkers are above {high} cases per FTE.", over,
                                      none=N_("None of the {total} caseworkers is above {high} cases per FTE."),
                                      total=t.integer(len(workers)), high=t.integer(GUIDELINE[1])))
        orphans = result.figure("cases_without_caseworker", team=own)
        if orphans is not None and orphans.suppressed:
            texts.append(t("Active cases without an employed caseworker: {count}.", count=view.words(orphans)))
        elif orphans is not None and orphans.value:
            texts.append(t.plural("{count} active case has no employed caseworker and needs to be reassigned.",
                                  "{count} active cases have no employed caseworker and need to be reassigned.",
                                  orphans.value))
        return texts


# "Far more than the guideline": above the national survey's 40 cases per caseworker (domain.md).
FAR_ABOVE = SURVEY["udsatte"]


def _weights(row: dict) -> dict:
    """A caseload row's case weight, when the extract has it."""
    if "weighted_cases" not in row:
        return {}
    return {"weighted_cases": row["weighted_cases"], "weighted_caseload": row["weighted_caseload"]}


@hookimpl
def ledinfo_register_sections(register):
    register(CaseloadSection())
