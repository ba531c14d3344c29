"""Built-in section: how placements end (breakdowns and the other reasons) and how long they last.

domain.md "Effect and money": placement_breakdown, placement_duration, long_institution_placements. The
end reasons need the optional column ``measures.end_reason``; without it the section shows the durations
and says which column would add the breakdowns.
"""

from __future__ import annotations

import polars as pl
from pydantic import Field

from ledinfo.api import (
    CASE,
    LATER,
    MUNICIPALITY,
    N_,
    SMALL,
    TEAM,
    Action,
    Chart,
    Column,
    Figure,
    FigureRef,
    ForReaders,
    Over,
    Ref,
    Relation,
    Section,
    SectionResult,
    Settings,
    ShareOf,
    Table,
    change_text,
    count_figures,
    current_figures,
    data_span,
    hookimpl,
    indicator_figures,
    previous_of,
    share_figures,
    share_text,
    text_in,
)
from ledinfo.api.domain import (
    BREAKDOWN,
    CATEGORY_LABELS,
    EFFECT_INDICATORS,
    HISTORY_YEARS,
    MEASURE_CATEGORIES,
    NOT_RECORDED,
    REASONS,
    breakdowns_in,
    duration_figures,
    ended_placements,
    has_end_reasons,
    history_labels,
    yearly_periods,
)

PLACEMENT_TYPES = tuple(c for c in MEASURE_CATEGORIES if c.startswith("anbringelse"))
REASON_LABELS = {
    "planlagt": {"da": "Som planlagt", "en": "As planned"},
    "sammenbrud": {"da": "Sammenbrud", "en": "Broke down"},
    "flytning": {"da": "Flyttet til anden kommune", "en": "Moved to another municipality"},
    "alder": {"da": "Nået aldersgrænsen", "en": "Aged out"},
    "andet": {"da": "Andet", "en": "Other"},
    NOT_RECORDED: {"da": "Årsag ikke registreret", "en": "Reason not recorded"},
}
TOTAL = "total"

# What the extract lacks, in words for the committee and directors, by its column for a team leader (ForReaders)
NO_END_REASONS = ForReaders(
    N_("The extract does not say why a measure ended (planned, breakdown, move, age, other). With it, this section "
       "also shows how many placements broke down."),
    N_("The extract has no column measures.end_reason (why a measure ended: planlagt, sammenbrud, flytning, alder, "
       "andet). With it, this section also shows how many placements broke down."))
BREAKDOWNS_NOT_SHOWN = ForReaders(N_("Breakdowns are not shown: the extract does not say why the measures ended."),
                                  N_("Breakdowns are not shown: the extract has no column measures.end_reason."))


class PlacementOutcomesSettings(Settings):
    """``[plugins.placement_outcomes]``."""

    history_years: int = Field(HISTORY_YEARS, ge=1, le=10)  # the years shown, this one included, as far as the data go


def _value(result: SectionResult, indicator: str, team: str | None = None, period: str | None = None,
           category: str | None = None):
    """A figure's value for a table's cell (directors and team leaders see the frame as computed; the
    committee's cells are filled again from the disclosed figures, through each column's FigureRef)."""
    figure = result.figure(indicator, team=team, period=period, category=category)
    return None if figure is None else figure.value


def _figures(indicator: str, context, period) -> list[Figure]:
    """An indicator's figures for ``period``: the report period's without a period mark, as a section shows them."""
    return current_figures(indicator, context) if period == context.period else \
        indicator_figures(indicator, context, period)


class PlacementOutcomesSection(Section):
    name = "placement_outcomes"
    title = N_("Placements: breakdowns and duration")
    description = "How placements ended in the last 12 months (breakdowns, other reasons), how long they lasted, " \
                  "long institution placements; by year."
    requires = ("cases", "measures")

    def compute(self, context) -> SectionResult:
        extract, period = context.extract, context.period
        measures, cases = extract["measures"], extract["cases"]
        reasons = has_end_reasons(extract)
        result = SectionResult(
            self.name, self.title,
            headline=(("placement_breakdown",) if reasons else ()) + ("placement_duration", "long_institution_placements"),
            labels={"placement_breakdown": N_("Placements that broke down, last 12 months"),
                    "placement_duration": N_("Median length of placements ended, last 12 months"),
                    "long_institution_placements": N_("Institution placements lasting over 12 months"),
                    "placements_ended": N_("Placements ended, last 12 months"),
                    "placement_end_reason": N_("Placements ended by reason, last 12 months")})
        for indicator in ("placement_duration", "long_institution_placements"):
            result.figures += current_figures(indicator, context)
        ended = ended_placements(measures, cases, period.end)
        # windows of 12 months ending at the period's end (Over.END): a quarter's figure is its last month's
        result.figures += [f.with_(counts="placements", over=Over.END) for f in count_figures("placements_ended", ended)]
        by_type = dict(ended.group_by("category").len().iter_rows())
        for category in PLACEMENT_TYPES:  # every type, zeros too: a reader sees them all
            result.figures.append(Figure("placements_ended", by_type.get(category, 0), unit="count", category=category,
                                         counts="placements", over=Over.END))
            # a type's median rests on its placements ended: decided with their count, one number (an attacker pinned
            # a hidden type's "<5" with the medians' labels — shown, "færre end 5" — beside the total)
            result.figures += [f.with_(base_of="placements_ended") for f in duration_figures(
                ended.filter(pl.col("category") == category), category=category)[:1]]
        result.relations.append(Relation(Ref("placements_ended"),
                                         tuple(Ref("placements_ended", category=c) for c in PLACEMENT_TYPES)))
        if reasons:
            self._reasons(result, context, ended)
        else:
            result.notes.append(NO_END_REASONS)
        self._history(result, context, reasons)
        self._tables(result, ended, reasons)
        result.notes.append(N_("A placement lasts from its start to its end date. Institution placements: in a "
                               "residential institution or home (opholdssted)."))
        return result

    def _reasons(self, result: SectionResult, context, ended: pl.DataFrame) -> None:
        """The breakdown share and every end reason beside it; the team leader's breakdowns in the period."""
        result.figures += current_figures("placement_breakdown", context)
        counts = ended.group_by("team", "reason").len()
        for reason in REASONS:
            mine = counts.filter(pl.col("reason") == reason)
            result.figures.append(Figure("placement_end_reason", int(mine["len"].sum()), unit="count", category=reason,
                                         counts="placements", over=Over.END))
            result.figures += [Figure("placement_end_reason", int(n), unit="count", team=team, category=reason,
                                      counts="placements", over=Over.END)
                               for team, _, n in mine.sort("team").iter_rows() if team is not None]
        for category in PLACEMENT_TYPES:
            of_type = ended.filter(pl.col("category") == category)
            result.figures += [f.with_(category=category, share_of=ShareOf.COMPOSITION, counts="placements")
                               for f in share_figures(of_type, "placement_breakdown", "breakdown")[:1]]
        result.relations += [
            Relation(Ref("placements_ended"), tuple(Ref("placement_end_reason", category=r) for r in REASONS)),
            Relation(Ref("placement_breakdown", part="numerator"), (Ref("placement_end_reason", category=BREAKDOWN),)),
            Relation(Ref("placement_breakdown", part="denominator"), (Ref("placements_ended"),)),
            Relation(Ref("placement_breakdown", part="numerator"),
                     tuple(Ref("placement_breakdown", category=c, part="numerator") for c in PLACEMENT_TYPES)),
            *(Relation(Ref("placement_breakdown", category=c, part="denominator"),
                       (Ref("placements_ended", category=c),)) for c in PLACEMENT_TYPES)]
        broke = breakdowns_in(context.extract["measures"], context.extract["cases"], context.period)
        result.tables.append(Table(
            "breakdowns_in_period", N_("Placements that broke down in the period"),
            broke.select("team", "case_id", "caseworker_id", "category", "started_on", "ended_on", "days"),
            (Column("case_id", N_("Case"), "id"), Column("caseworker_id", N_("Caseworker"), "id"),
             Column("category", N_("Placement")), Column("started_on", N_("Started"), "date"),
             Column("ended_on", N_("Broke down"), "date"), Column("days", N_("Days placed"), "days")),
            level=CASE, value_labels=CATEGORY_LABELS, group_by="caseworker_id",
            empty_text=N_("None of the team's placements broke down in the period.")))

    def _history(self, result: SectionResult, context, reasons: bool) -> None:
        """The committee's direction: each year's (and the last 12 months') breakdowns and durations."""
        span = data_span(context.extract)
        years = yearly_periods(context.period, context.settings(PlacementOutcomesSettings).history_years,
                               span.first if span else None, twelve_months=True)
        rows = []
        for year in years:
            when = None if year == context.period else str(year)
            if when is not None:
                result.figures += _figures("placement_duration", context, year)
                if reasons:
                    result.figures += _figures("placement_breakdown", context, year)
                earlier = context.at(year).extract
                result.figures += [f.with_(counts="placements") for f in count_figures("placements_ended", ended_placements(
                    earlier["measures"], earlier["cases"], year.end), when)]
                if reasons:
                    result.relations.append(Relation(Ref("placement_breakdown", period=when, part="denominator"),
                                                     (Ref("placements_ended", period=when),)))
            rows.append({"year": str(year), "period": when, "ended": _value(result, "placements_ended", period=when),
                         "breakdown": _value(result, "placement_breakdown", period=when),
                         "days": _value(result, "placement_duration", period=when)})
        frame = pl.DataFrame(rows, schema={"year": pl.String, "period": pl.String, "ended": pl.Int64,
                                           "breakdown": pl.Float64, "days": pl.Float64})
        result.tables.append(Table(
            "outcomes_by_year", N_("Placements ended, by year"), frame,
            (Column("year", N_("Year")),
             Column("ended", N_("Placements ended"), "count", FigureRef("placements_ended", period_column="period")),
             *((Column("breakdown", N_("Broke down"), "share",
                       FigureRef("placement_breakdown", period_column="period")),) if reasons else ()),
             Column("days", N_("Median days placed"), "days", FigureRef("placement_duration", period_column="period"))),
            level=MUNICIPALITY, team_column=None, value_labels=history_labels(years, twelve_months=True)))

    def _tables(self, result: SectionResult, ended: pl.DataFrame, reasons: bool) -> None:
        rows = [{"category": c, "ended": _value(result, "placements_ended", category=c),
                 "breakdown": _value(result, "placement_breakdown", category=c),
                 "days": _value(result, "placement_duration", category=c)} for c in PLACEMENT_TYPES]
        rows.append({"category": TOTAL, "ended": _value(result, "placements_ended"),
                     "breakdown": _value(result, "placement_breakdown"), "days": _value(result, "placement_duration")})
        result.tables.append(Table(
            "outcomes_by_type", N_("Placements ended in the last 12 months, by type"),
            pl.DataFrame(rows, schema={"category": pl.String, "ended": pl.Int64, "breakdown": pl.Float64,
                                       "days": pl.Float64}),
            (Column("category", N_("Placement")),
             Column("ended", N_("Ended"), "count", FigureRef("placements_ended", category_column="category",
                                                           total_category=TOTAL)),
             *((Column("breakdown", N_("Broke down"), "share",
                       FigureRef("placement_breakdown", category_column="category", total_category=TOTAL)),)
               if reasons else ()),
             Column("days", N_("Median days placed"), "days",
                    FigureRef("placement_duration", category_column="category", total_category=TOTAL))),
            level=MUNICIPALITY, team_column=None,
            value_labels={**CATEGORY_LABELS, TOTAL: {"da": "I alt", "en": "Total"}}))
        teams = sorted({f.team for f in result.figures if f.team is not None and f.period is None})
        rows = [{"team": team, "ended": _value(result, "placements_ended", team) or 0,
                 "breakdown": _value(result, "placement_breakdown", team),
                 "days": _value(result, "placement_duration", team),
                 "long": _value(result, "long_institution_placements", team) or 0} for team in teams]
        rows.append({"team": None, "ended": _value(result, "placements_ended"),
                     "breakdown": _value(result, "placement_breakdown"), "days": _value(result, "placement_duration"),
                     "long": _value(result, "long_institution_placements")})
        result.tables.append(Table(
            "outcomes_by_team", N_("Placements by team"),
            pl.DataFrame(rows, schema={"team": pl.String, "ended": pl.Int64, "breakdown": pl.Float64,
                                       "days": pl.Float64, "long": pl.Int64}),
            (Column("team", N_("Team")), Column("ended", N_("Ended, 12 months"), "count", FigureRef("placements_ended")),
             *((Column("breakdown", N_("Broke down"), "share", FigureRef("placement_breakdown")),) if reasons else ()),
             Column("days", N_("Median days placed"), "days", FigureRef("placement_duration")),
             Column("long", N_("Institution placements over 12 months"), "count",
                    FigureRef("long_institution_placements"))),
            level=TEAM))
        if reasons:
            frame = pl.DataFrame({"reason": list(REASONS),
                                  "count": [_value(result, "placement_end_reason", category=r) for r in REASONS]},
                                 schema={"reason": pl.String, "count": pl.Int64})
            result.charts.append(Chart(
                "end_reasons", N_("How the placements ended in the last 12 months, whole municipality"), "hbar",
                frame, x="reason", y="count", y_title=N_("Placements"), y_format="count", level=MUNICIPALITY,
                team_column=None, value_labels=REASON_LABELS, figure=FigureRef("placement_end_reason",
                                                                               category_column="reason")))

    def indicators(self, rules):
        return [EFFECT_INDICATORS[i] for i in ("placement_breakdown", "placement_duration",
                                              "long_institution_placements")]

    def narrate(self, result, view) -> list[str]:
        t = view.language
        own = view.team
        texts = []
        ended = result.figure("placements_ended", team=own)
        breakdown = result.figure("placement_breakdown", team=own)
        if ended is not None and ended.suppressed and ended.hidden_as == SMALL:
            texts.append(t("Fewer than {threshold} placements ended in the last 12 months.", threshold=view.threshold))
        elif ended is not None and ended.suppressed:  # hidden so that another number cannot be worked out: any size
            texts.append(t("How many placements ended in the last 12 months is not shown: it would reveal a number "
                           "below {threshold}.", threshold=view.threshold))
        elif ended is not None and not ended.value:
            # said once: where the breakdowns' or the durations' tile is named among those no case counts in (the
            # sentence under the tiles), this would say it again
            if not any(view.no_cases(result, i) for i in ("placement_breakdown", "placement_duration")):
                texts.append(t("No placement ended in the last 12 months."))
        elif breakdown is not None and breakdown.denominator:
            sentence = t("Of the placements that ended in the last 12 months, {share} broke down.",
                         share=share_text(t, breakdown, view.threshold))
            change = change_text(t, breakdown, *previous_of(result, "placement_breakdown", own, view))
            texts.append(sentence + (" " + t("That is {change}.", change=change) if change else ""))
            planned = result.figure("placement_end_reason", team=own, category="planlagt")
            if planned is not None and not planned.suppressed and ended.value:
                texts.append(t.plural("{count} placement ended as planned.", "{count} placements ended as planned.",
                                      planned.value, none=N_("No placement ended as planned.")))
        elif breakdown is not None and breakdown.suppressed:
            texts.append(t("How many placements broke down is not shown: it would reveal a number below "
                           "{threshold}.", threshold=view.threshold))
        elif ended is not None:
            texts.append(t.plural("{count} placement ended in the last 12 months.",
                                  "{count} placements ended in the last 12 months.", ended.value))
        if result.figure("placement_breakdown") is None:
            texts.append(t(view.pick(BREAKDOWNS_NOT_SHOWN)))
        duration = result.figure("placement_duration", team=own)
        if duration is not None and duration.value is not None and not duration.suppressed:
            texts.append(t("Half of the placements that ended lasted {days} days or less.",
                           days=t.integer(duration.value)))
        long = result.figure("long_institution_placements", team=own)
        if long is not None and long.suppressed and long.hidden_as != SMALL:
            texts.append(t("How many placements in a residential institution or home have lasted over 12 months is "
                           "not shown: it would reveal a number below {threshold}.", threshold=view.threshold))
        elif long is not None and long.suppressed:
            texts.append(t("Fewer than {threshold} placements in a residential institution or home have lasted over "
                           "12 months.", threshold=view.threshold))
        elif long is not None:
            texts.append(t.plural("{count} placement in a residential institution or home has lasted over 12 months.",
                                  "{count} placements in a residential institution or home have lasted over 12 "
                                  "months.", long.value,
                                  none=N_("No placement in a residential institution or home has lasted over 12 "
                                          "months.") if own is None else
                                  N_("None of the team's placements in a residential institution or home has lasted "
                                     "over 12 months.")))
        return texts

    def actions(self, result, view) -> list[Action]:
        """Each placement of the team that broke down in the period, on its case with its caseworker: a case to
        look at again."""
        t = view.language
        table = result.table("breakdowns_in_period")
        if table is None:
            return []
        return [Action(t("the placement ({placement}) broke down on {date}; look at the child's plan again",
                         placement=text_in(t, CATEGORY_LABELS[row["category"]]).lower(), date=t.date(row["ended_on"])),
                       LATER, row["case_id"], row["caseworker_id"], row["ended_on"], text_in(t, table.title))
                for row in table.frame.sort("ended_on", "case_id").iter_rows(named=True)]


@hookimpl
def ledinfo_register_sections(register):
    register(PlacementOutcomesSection())


@hookimpl
def ledinfo_register_settings(register):
    register(PlacementOutcomesSettings)
