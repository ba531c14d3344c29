"""Built-in section: what the measures cost — full-year persons, spending and unit cost per category, and
prevention's share of the spending by year.

domain.md "Effect and money": full_year_persons, unit_cost, prevention_share. Spending is the measures'
``monthly_cost`` pro rata (not finance's books: the budget section has those); without that column the
section shows the full-year persons and says which column would add the money.
"""

from __future__ import annotations

import polars as pl
from pydantic import Field

from ledinfo.api import (
    MUNICIPALITY,
    N_,
    TEAM,
    YEAR_TO_DATE,
    Chart,
    Column,
    Figure,
    FigureRef,
    ForReaders,
    Period,
    Ref,
    Relation,
    Section,
    SectionResult,
    Settings,
    Table,
    current_figures,
    data_span,
    hookimpl,
    indicator_figures,
    month_in_each_language,
)
from ledinfo.api.domain import (
    CATEGORY_LABELS,
    EFFECT_INDICATORS,
    HISTORY_YEARS,
    PLACEMENT_TYPE_LABELS,
    PLACEMENTS,
    PREVENTIVE,
    has_costs,
    history_labels,
    measure_fold,
    measure_use,
    spending_by,
    yearly_periods,
)

TOTAL = "total"
GROUP_LABELS = {**CATEGORY_LABELS, **PLACEMENT_TYPE_LABELS,
                PLACEMENTS: {"da": "Anbringelser i alt", "en": "Placements, all types"},
                TOTAL: {"da": "Alle foranstaltninger", "en": "All measures"}}


class SpendingSettings(Settings):
    """``[plugins.spending]``."""

    history_years: int = Field(HISTORY_YEARS, ge=1, le=10)  # the years shown, this one included, as far as the data go


def _money(used: pl.DataFrame, period, when: str | None, parts: dict[str, tuple[str, ...]]) -> list[Figure]:
    """Full-year persons, spending and unit cost per part of ``parts`` (:func:`measure_fold`'s: preventive and the
    placements folded), placements together (where ``parts`` has any) and in all (the municipality's), each amount
    with the measures it rests on."""
    figures = []
    groups = [(part, pl.col("category").is_in(list(categories))) for part, categories in parts.items()
              if part != PLACEMENTS]
    groups += [(PLACEMENTS, pl.col("category").str.starts_with(PLACEMENTS))] if parts else []
    groups += [(None, pl.lit(True))]
    for category, chosen in groups:
        row = spending_by(used.filter(chosen), period).row(0, named=True)
        figures += [Figure("full_year_persons", row["full_year_persons"] or 0.0, unit="number", period=when,
                           category=category, base=row["measures"]),
                    Figure("measure_spending", row["spending"] or 0.0, unit="amount", period=when, category=category,
                           base=row["priced"]),
                    Figure("unit_cost", row["unit_cost"], unit="amount", period=when, category=category,
                           base=row["priced"])]
    return [f for f in figures if not (f.indicator == "full_year_persons" and f.category is None)]  # the indicator's


def _breakdowns(parts: dict[str, tuple[str, ...]]) -> list[Relation]:
    """The sums a reader sees: the placement parts add up to placements, and the parts (not placements beside them)
    to all measures — of full-year persons and of spending alike. Declared, the committee's protection hides a second
    number beside one hidden (a part's spending resting on fewer than 5 measures with a cost), which the total less
    the others would give exactly."""
    placed = [part for part in parts if part != PREVENTIVE]
    relations = []
    for indicator in ("full_year_persons", "measure_spending"):
        if len(placed) > 1:
            relations.append(Relation(Ref(indicator, category=PLACEMENTS),
                                      tuple(Ref(indicator, category=part) for part in placed)))
        if parts:
            relations.append(Relation(Ref(indicator), (Ref(indicator, category=PREVENTIVE),
                                                       *(Ref(indicator, category=part) for part in placed))))
    return relations


class SpendingSection(Section):
    name = "spending"
    title = N_("Spending on measures: full-year persons and unit costs")
    description = "Full-year persons, spending and unit cost per measure category; prevention's share of the " \
                  "spending by year."
    requires = ("cases", "measures")
    audiences = ("committee", "director")

    def compute(self, context) -> SectionResult:
        extract, period = context.extract, context.period
        costs = has_costs(extract)
        result = SectionResult(
            self.name, self.title,  # no key figures: a month's share says little; the years say where it goes
            labels={"prevention_share": N_("Preventive measures' share of the spending"),
                    "full_year_persons": N_("Full-year persons, all measures"),
                    "measure_spending": N_("Spending on measures"),
                    "unit_cost": N_("Cost of a full-year person a month")})
        result.figures += current_figures("full_year_persons", context)
        if costs:
            result.figures += current_figures("prevention_share", context)
        used = measure_use(extract["measures"], extract["cases"], period)
        # the breakdown the volume/price section shows too, as coarse as its parts need (measure_fold)
        parts = measure_fold(extract["measures"], period, context.threshold)
        result.figures += _money(used, period, None, parts)
        result.relations += _breakdowns(parts)
        by_team = spending_by(used, period, ("team",))
        for row in by_team.iter_rows(named=True):
            if row["team"] is not None:
                result.figures += [Figure("measure_spending", row["spending"] or 0.0, unit="amount", team=row["team"],
                                          base=row["priced"])]
        self._history(result, context, costs)
        self._tables(result, period, by_team, costs, parts)
        if not costs:
            result.notes.append(ForReaders(
                N_("The extract does not give the measures' cost a month. With it, this section also shows spending, "
                   "unit costs and prevention's share."),
                N_("The extract has no column measures.monthly_cost (a measure's cost a month). With it, this section "
                   "also shows spending, unit costs and prevention's share.")))
        result.notes.append((N_("Placements are broken down only as far as each part rests on at least {threshold} "
                                "measures in every month of the period: by type, in two groups or together."),
                             {"threshold": context.threshold}))
        result.notes.append(N_("Full-year persons count measures, not children: the measures' active days ÷ the "
                               "period's days (a child with measures in two categories counts in both, so there can be "
                               "more full-year persons than children with measures). Spending: each measure's monthly "
                               "cost for its active days, from the case system; finance's books are in the budget "
                               "section."))
        return result

    def _history(self, result: SectionResult, context, costs: bool) -> None:
        """Prevention's share, the spending and the full-year persons by year, and the year so far."""
        span = data_span(context.extract)
        years = yearly_periods(context.period, context.settings(SpendingSettings).history_years,
                               span.first if span else None)
        rows = []
        for year in years:
            when = None if year == context.period else str(year)
            if when is not None:
                if costs:
                    result.figures += indicator_figures("prevention_share", context, year)
                known = context.at(year).extract
                result.figures += _money(measure_use(known["measures"], known["cases"], year), year, when,
                                         {PREVENTIVE: (PREVENTIVE,), PLACEMENTS: ()})
            row = {"year": str(year), "period": when}
            for key, indicator, category in (("preventive", "measure_spending", PREVENTIVE),
                                             ("placed", "measure_spending", PLACEMENTS),
                                             ("share", "prevention_share", None),
                                             ("persons_preventive", "full_year_persons", PREVENTIVE),
                                             ("persons_placed", "full_year_persons", PLACEMENTS)):
                row[key] = _value(result, indicator, period=when, category=category)
            rows.append(row)
        frame = pl.DataFrame(rows, schema={"year": pl.String, "period": pl.String, "preventive": pl.Float64,
                                           "placed": pl.Float64, "share": pl.Float64, "persons_preventive": pl.Float64,
                                           "persons_placed": pl.Float64})
        labels = history_labels(years)
        money = (Column("preventive", N_("Preventive, DKK"), "money",
                        FigureRef("measure_spending", period_column="period", category=PREVENTIVE)),
                 Column("placed", N_("Placements, DKK"), "money",
                        FigureRef("measure_spending", period_column="period", category=PLACEMENTS)),
                 Column("share", N_("Share, preventive"), "share", FigureRef("prevention_share", period_column="period")))
        result.tables.append(Table(
            "spending_by_year", N_("Spending and full-year persons by year"), frame,
            (Column("year", N_("Year")), *(money if costs else ()),
             Column("persons_preventive", N_("Preventive, full-year persons"), "number",
                    FigureRef("full_year_persons", period_column="period", category=PREVENTIVE)),
             Column("persons_placed", N_("Placements, full-year persons"), "number",
                    FigureRef("full_year_persons", period_column="period", category=PLACEMENTS))),
            level=MUNICIPALITY, team_column=None, value_labels=labels))
        if costs:
            result.charts.append(Chart(
                "prevention_share_by_year", N_("Preventive measures' share of the spending on measures, by year"), "bar",
                frame.select("year", "period", "share"), x="year", y="share", y_title=N_("Share of spending"),
                y_format="share", level=MUNICIPALITY, team_column=None, value_labels=labels,
                figure=FigureRef("prevention_share", period_column="period")))

    def _tables(self, result: SectionResult, period, by_team: pl.DataFrame, costs: bool, parts: dict) -> None:
        categories = [*(part for part in parts if part != PLACEMENTS), *([PLACEMENTS] if parts else []), TOTAL]
        rows = [{"category": c, **{key: _value(result, indicator, category=None if c == TOTAL else c)
                                   for key, indicator in (("persons", "full_year_persons"), ("spending", "measure_spending"),
                                                          ("unit_cost", "unit_cost"))}} for c in categories]
        ref = {"category_column": "category", "total_category": TOTAL}
        result.tables.append(Table(
            "spending_by_category", (N_("Full-year persons and spending by category, {period}"),
                                     {"period": month_in_each_language(period)}),
            pl.DataFrame(rows, schema={"category": pl.String, "persons": pl.Float64, "spending": pl.Float64,
                                       "unit_cost": pl.Float64}),
            (Column("category", N_("Measure")),
             Column("persons", N_("Full-year persons"), "number", FigureRef("full_year_persons", **ref)),
             *((Column("spending", N_("Spending"), "money", FigureRef("measure_spending", **ref)),
                Column("unit_cost", N_("A full-year person a month"), "money", FigureRef("unit_cost", **ref)))
               if costs else ())),
            level=MUNICIPALITY, team_column=None, value_labels=GROUP_LABELS))
        teams = sorted(t for t in by_team["team"].to_list() if t is not None)
        rows = [{"team": team, "persons": _value(result, "full_year_persons", team),
                 "spending": _value(result, "measure_spending", team), "share": _value(result, "prevention_share", team)}
                for team in teams]
        rows.append({"team": None, "persons": _value(result, "full_year_persons"),
                     "spending": _value(result, "measure_spending"), "share": _value(result, "prevention_share")})
        result.tables.append(Table(
            "spending_by_team", N_("Full-year persons and spending by team"),
            pl.DataFrame(rows, schema={"team": pl.String, "persons": pl.Float64, "spending": pl.Float64,
                                       "share": pl.Float64}),
            (Column("team", N_("Team")), Column("persons", N_("Full-year persons"), "number",
                                                FigureRef("full_year_persons")),
             *((Column("spending", N_("Spending"), "money", FigureRef("measure_spending")),
                Column("share", N_("Preventive share"), "share", FigureRef("prevention_share"))) if costs else ())),
            level=TEAM))

    def indicators(self, rules):
        return [EFFECT_INDICATORS[i] for i in ("full_year_persons", "prevention_share")]

    def narrate(self, result, view) -> list[str]:
        t = view.language
        texts = []
        years = [f for f in result.figures if f.indicator == "prevention_share" and f.team is None
                 and f.period is not None and f.period.endswith("-ytd")]
        shown = [f for f in sorted(years, key=lambda f: f.period) if f.value is not None and not f.suppressed]
        if len(shown) >= 2:
            first, last = shown[0], shown[-1]
            printed = {"last": t.percent(last.value), "first": t.percent(first.value),
                       "last_year": _year_text(t, last.period), "first_year": _year_text(t, first.period)}
            # the same share printed twice read "17 % … mod 17 %" (a fresh reader's finding): said once, "as in"
            texts.append(t("Preventive measures took {last} of the spending on measures in {last_year}, as in "
                           "{first_year}.", **printed) if printed["last"] == printed["first"] else
                         t("Preventive measures took {last} of the spending on measures in {last_year}, against "
                           "{first} in {first_year}.", **printed))
        persons = result.figure("full_year_persons", category="anbringelse")
        cost = result.figure("unit_cost", category="anbringelse")
        if persons is not None and cost is not None and cost.value is not None and not cost.suppressed:
            texts.append(t("In {period} the placements were {persons} full-year persons; one cost {cost} a month on "
                           "average.", period=t.period(view.period), persons=t.number(persons.value, 1),
                           cost=t.money(cost.value)))
        return texts


def _year_text(t, period: str) -> str:
    """ "2025" for a whole year, "januar–oktober 2026" for the year so far."""
    year, month = int(period[:4]), int(period[5:7])
    return str(year) if month == 12 else t.period(Period(year, month, YEAR_TO_DATE))


def _value(result: SectionResult, indicator: str, team: str | None = None, period: str | None = None,
           category: str | None = None):
    figure = result.figure(indicator, team=team, period=period, category=category)
    return None if figure is None else figure.value


@hookimpl
def ledinfo_register_sections(register):
    register(SpendingSection())


@hookimpl
def ledinfo_register_settings(register):
    register(SpendingSettings)
