"""Built-in section: budget against spend by account function, forecast and unit costs.

Budget is no verdict of the goals' kind (domain.md): a function is expected within or over its budget for the
year, and every deviation carries its sign (+ over, − under).
"""

from __future__ import annotations

import polars as pl

from ledinfo.api import (
    MUNICIPALITY,
    N_,
    Chart,
    Column,
    Figure,
    FigureRef,
    Section,
    SectionResult,
    Table,
    current_figures,
    hookimpl,
    month_in_each_language,
    trend_figures,
)
from ledinfo.api.domain import (
    CATEGORY_LABELS,
    FUNCTION_LABELS,
    INDICATORS,
    active_measures,
    budget_to_date,
    cost_per_placement,
    national_reference,
)


class BudgetSection(Section):
    name = "budget"
    title = N_("Budget and spend")
    description = "Year-to-date spend against the corrected budget per account function, year-end forecast, unit costs."
    requires = ("budget",)

    audiences = ("committee", "director")

    def compute(self, context) -> SectionResult:
        extract, period = context.extract, context.period
        frame = budget_to_date(extract["budget"], period)
        result = SectionResult(self.name, self.title, headline=("budget", "budget_forecast", "budget_deviation"),
                               labels={"budget": N_("Budget used, year to date"),
                                       "budget_forecast": N_("Expected spend for the year"),
                                       "budget_deviation": N_("Expected over (+) or under (−) spend"),
                                       "cost_per_placement": N_("Monthly cost per placement"),
                                       "spending_reference": N_("Spending a year, national level scaled")})
        result.figures += current_figures("budget", context)
        result.figures += trend_figures("budget", context, months=period.month)
        total = frame.filter(pl.col("function_code").is_null()).row(0, named=True)
        annual = total["annual_corrected"]
        result.figures.append(Figure("budget_forecast", total["forecast"], unit="amount",
                                     extra={"projection": total["projection"], "annual_budget": annual}))
        result.figures.append(Figure("budget_deviation", total["forecast"] - annual if annual else None,
                                     unit="deviation"))
        for row in frame.filter(pl.col("function_code").is_not_null()).iter_rows(named=True):
            result.figures.append(Figure("budget", row["used"], row["actual"], row["corrected"], "rate",
                                         category=row["function_code"], extra={"forecast": row["forecast"]}))
        table = frame.with_columns(pl.col("function_code").fill_null("total"),
                                   (pl.col("forecast") - pl.col("annual_corrected")).alias("forecast_deviation"))
        result.tables.append(Table(
            "budget_by_function", (N_("Year to date, January–{month}"), {"month": month_in_each_language(period, year=False)}),
            table.select("function_code", "corrected", "actual", "deviation", "used", "forecast", "forecast_deviation"),
            (Column("function_code", N_("Function")), Column("corrected", N_("Corrected budget"), "money"),
             Column("actual", N_("Spend"), "money"), Column("deviation", N_("Difference"), "deviation"),
             Column("used", N_("Used"), "share", FigureRef("budget", category_column="function_code",
                                                          total_category="total")),
             Column("forecast", N_("Year-end forecast"), "money"),
             Column("forecast_deviation", N_("Forecast against budget"), "deviation")),
            level=MUNICIPALITY, team_column=None,
            value_labels={**FUNCTION_LABELS, "total": {"da": "I alt", "en": "Total"}},
            note=N_("The forecast is finance's own where given for the month; otherwise a projection: spend so far "
                    "× 12 ÷ months passed.") if total["projection"] else None))
        # each bar coloured by whether its function is expected to end the year within its budget or over it: a
        # function 91 % spent but forecast over its budget is no "within"
        chart_frame = frame.filter(pl.col("function_code").is_not_null()).with_columns(
            (pl.col("forecast") - pl.col("annual_corrected")).alias("forecast_deviation")).select(
            "function_code", "used", "forecast_deviation")
        result.charts.append(Chart(
            "budget_used", N_("Share of the year-to-date budget spent, by function"), "hbar", chart_frame,
            x="function_code", y="used", y_title=N_("Used"), y_format="share", level=MUNICIPALITY, team_column=None,
            rules=((1.0, N_("Budget for the year to date")),), budget="forecast_deviation",
            value_labels=FUNCTION_LABELS, figure=FigureRef("budget", category_column="function_code")))
        if extract.has("measures", "cases"):
            costs = cost_per_placement(active_measures(extract["measures"], extract["cases"], period.end))
            for row in costs.iter_rows(named=True):
                result.figures.append(Figure("cost_per_placement", row["average"], unit="amount",
                                             category=row["category"], base=row["placements"], over="end"))
            result.tables.append(Table(
                "cost_per_placement", N_("Monthly cost per placement"), costs.with_columns(
                    pl.lit(None, pl.String).alias("team")),
                (Column("category", N_("Placement")), Column("placements", N_("Placements"), "count"),
                 Column("average", N_("Average a month"), "money"), Column("monthly_cost", N_("Total a month"), "money")),
                level=MUNICIPALITY, team_column=None, value_labels=CATEGORY_LABELS))
        reference = national_reference(context.municipality.inhabitants)
        if reference:
            result.figures.append(Figure("spending_reference", reference["spending_dkk"], unit="amount"))
        return result

    def indicators(self, rules):
        return [INDICATORS[i] for i in ("budget",)]

    def summary(self, result, view) -> list[str]:
        """The summary page always says how the year is expected to end, then how much is spent so far: what matters
        for the year first (a reader of "104 % spent" and an underspend named next took the year for on budget)."""
        texts = self.narrate(result, view)[:2]
        return texts[::-1] if len(texts) == 2 and result.figure("budget") is not None else texts

    def narrate(self, result, view) -> list[str]:
        t = view.language
        texts = []
        used = result.figure("budget")
        if used is not None and used.value is not None:
            texts.append(t("{used} of the year-to-date budget is spent ({actual} of {budget}).",
                           used=t.percent(used.value), actual=t.money(used.numerator), budget=t.money(used.denominator)))
        forecast, deviation = result.figure("budget_forecast"), result.figure("budget_deviation")
        if forecast is not None and deviation is not None and deviation.value is not None:
            kind = t("a projection") if forecast.extra.get("projection") else t("finance's forecast")
            if t.money(deviation.value) == t.money(0):  # "-0 kr." is no deviation
                texts.append(t("The year is expected to end on budget ({kind}).", kind=kind))
            elif deviation.value > 0:
                texts.append(t("The year is expected to end {amount} over budget ({kind}).",
                               amount=t.money(deviation.value), kind=kind))
            else:
                texts.append(t("The year is expected to end {amount} under budget ({kind}).",
                               amount=t.money(-deviation.value), kind=kind))
        reference = result.figure("spending_reference")
        if reference is not None and forecast is not None:
            texts.append(t("An average municipality of the same size spends about {amount} a year.",
                           amount=t.about_money(reference.value)))
        return texts


@hookimpl
def ledinfo_register_sections(register):
    register(BudgetSection())
