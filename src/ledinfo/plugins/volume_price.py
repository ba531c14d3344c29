"""Built-in section: each account function's deviation from its corrected budget, split into a volume effect
(more or fewer full-year persons than budgeted) and a price effect (dearer or cheaper than budgeted).

domain.md "Effect and money": volume_price. Needs the optional column ``budget.budget_volume`` (the budgeted
full-year persons per function and month); which measure categories a function pays for is a setting
(``[plugins.volume_price.functions]``; domain.md's mapping by default).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Literal

import polars as pl
from pydantic import Field, StringConstraints, model_validator

from ledinfo.api import (
    MUNICIPALITY,
    N_,
    Column,
    Figure,
    FigureRef,
    ForReaders,
    Indicator,
    Section,
    SectionResult,
    Settings,
    Table,
    current_figures,
    hookimpl,
    indicator_figures,
    month_in_each_language,
    shared,
    text_in,
)
from ledinfo.api.domain import (
    FUNCTION_CATEGORIES,
    FUNCTION_LABELS,
    HISTORY_YEARS,
    MEASURE_CATEGORIES,
    NO_BUDGETED_PERSONS,
    NO_VOLUME,
    NOT_MAPPED,
    SPLIT,
    history_labels,
    measure_fold,
    volume_price,
    volume_price_at,
    year_to_date,
    yearly_periods,
)

FunctionCode = Annotated[str, StringConstraints(pattern=r"^\d\.\d{2}\.\d{2}$")]
Category = Literal[MEASURE_CATEGORIES]  # the extract's measure categories, checked with the config
WHY_NOT = {
    NO_VOLUME: N_("{functions}: finance gives no budgeted full-year persons (budget_volume) for every month so far."),
    NOT_MAPPED: N_("{functions}: budgeted full-year persons, but no measure categories are mapped to the function "
                   "([plugins.volume_price.functions])."),
    NO_BUDGETED_PERSONS: N_("{functions}: the budgeted full-year persons are 0, so there is no budgeted price."),
}
PARTS = ("corrected", "actual", "deviation", "budget_persons", "actual_persons", "budget_price", "actual_price",
         "volume_effect", "price_effect")
INDICATOR = {part: f"vp_{part}" for part in PARTS} | {"volume_effect": "volume_effect", "price_effect": "price_effect"}
# a deviation from the budget always shows its sign (+ over, − under: domain.md, "Verdicts")
UNITS = {"budget_persons": "number", "actual_persons": "number", "deviation": "deviation", "volume_effect": "deviation",
         "price_effect": "deviation"}
TOTAL = "total"
NAMED = 3  # the functions whose deviation a sentence explains, the largest first

# What the extract lacks, in words for the committee and directors, by its column for a team leader (ForReaders)
NO_BUDGET_VOLUME = ForReaders(
    N_("The extract has no budgeted full-year persons for each function and month. With them, this section splits "
       "each function's deviation from its budget into volume and price."),
    N_("The extract has no column budget.budget_volume (the budgeted full-year persons of each function and month). "
       "With it, this section splits each function's deviation from its budget into volume and price."))
NOT_SPLIT = ForReaders(
    N_("The deviation from the budget is not split into volume and price: the extract has no budgeted full-year "
       "persons."),
    N_("The deviation from the budget is not split into volume and price: the extract has no column "
       "budget.budget_volume."))


class VolumePriceSettings(Settings):
    """``[plugins.volume_price]``: which measure categories each account function pays for, and the years shown."""

    functions: dict[FunctionCode, list[Category]] = Field(
        default_factory=lambda: {code: list(categories) for code, categories in FUNCTION_CATEGORIES.items()})
    history_years: int = Field(HISTORY_YEARS, ge=1, le=10)  # the years shown, this one included, as far as the data go

    @model_validator(mode="after")
    def _each_category_once(self):
        seen: dict[str, str] = {}
        for code, categories in self.functions.items():
            for category in categories:
                if category in seen and seen[category] != code:
                    raise ValueError(f"the category {category!r} is mapped to both {seen[category]} and {code}: a "
                                     "measure's spending is booked on one function")
                seen[category] = code
        return self


def _functions(context) -> dict[str, tuple[str, ...]]:
    return {code: tuple(categories) for code, categories in context.settings(VolumePriceSettings).functions.items()}


def _frame(context, period) -> pl.DataFrame:
    extract = context.extract
    return volume_price(extract["budget"], extract["measures"], extract["cases"], period, _functions(context))


def _effect(part: str):
    """The volume or the price effect over every function whose deviation is split, year to date."""
    def figures(context, period) -> list[Figure]:
        return _effect_figures(_frame(context, period), part, period)
    return figures


def _effect_many(part: str):
    """:func:`_effect` for many periods: the year to date depends on a period's last month only, so a month, its
    quarter and its year to date share one frame; every month's frame made in one pass over the measures
    (``volume_price_at``), once for the volume and the price effect alike (shared)."""
    def many(context, periods) -> dict:
        if context.timeline is None:  # a context made without one: period by period
            return {}
        months = tuple(sorted({period.last_month for period in periods}, key=lambda month: month.end))
        frames = shared(context, "volume_price_at", months,
                        lambda: volume_price_at(context.timeline, list(months), _functions(context)))
        return {period: _effect_figures(frames[period.last_month], part, period) for period in periods}
    return many


def _effect_figures(frame: pl.DataFrame, part: str, period) -> list[Figure]:
    """:func:`_effect`'s figures from the frame of the period's year to date."""
    split = frame.filter(pl.col("status") == SPLIT)
    return [Figure(part, math.fsum(split[part].to_list()) if split.height else None, unit="deviation",
                   period=str(period), extra={"functions": split.height})]


INDICATORS = {
    "volume_effect": Indicator("volume_effect", "deviation", ("budget", "cases", "measures"), _effect("volume_effect"),
                               N_("Volume effect on the budget, year to date"), many=_effect_many("volume_effect")),
    "price_effect": Indicator("price_effect", "deviation", ("budget", "cases", "measures"), _effect("price_effect"),
                              N_("Price effect on the budget, year to date"), many=_effect_many("price_effect")),
}


class VolumePriceSection(Section):
    name = "volume_price"
    title = N_("Budget deviation: volume and price")
    description = "Each account function's deviation from its corrected budget, year to date, split into more or " \
                  "fewer full-year persons than budgeted (volume) and a higher or lower price; by year."
    requires = ("budget", "cases", "measures")
    audiences = ("committee", "director")

    def compute(self, context) -> SectionResult:
        extract, period = context.extract, context.period
        # no key figures: what a reader needs is the sentence saying what drove each function's deviation
        result = SectionResult(self.name, self.title, labels={
            "volume_effect": N_("Volume effect, year to date"), "price_effect": N_("Price effect, year to date"),
            "vp_deviation": N_("Deviation from the corrected budget, year to date"),
            "vp_corrected": N_("Corrected budget, year to date"), "vp_actual": N_("Spend, year to date"),
            "vp_budget_persons": N_("Full-year persons, budget"), "vp_actual_persons": N_("Full-year persons, actual"),
            "vp_budget_price": N_("Price of a full-year person a month, budget"),
            "vp_actual_price": N_("Price of a full-year person a month, actual")})
        if not extract.supplied("budget", "budget_volume"):
            result.notes.append(NO_BUDGET_VOLUME)
            return result
        frame = _frame(context, period)
        split = frame.filter(pl.col("status") == SPLIT)
        for indicator in ("volume_effect", "price_effect"):
            result.figures += current_figures(indicator, context)
        result.figures.append(Figure("vp_deviation", math.fsum(split["deviation"].to_list()) if split.height else None,
                                     unit="deviation"))
        split, left = _folded(split, measure_fold(extract["measures"], year_to_date(period), context.threshold),
                              _functions(context), period.month)
        if left:
            result.notes.append((N_("{functions}: in the total only, as the spending section breaks the measures down "
                                    "(each part resting on at least {threshold} measures in every month)."),
                                 {"functions": ", ".join(left), "threshold": context.threshold}))
        if any("+" in code for code in split["function_code"]):
            result.notes.append(N_("A row of several functions adds their deviations, volume and price effects up; its "
                                   "prices are those of the functions together."))
        for row in split.iter_rows(named=True):
            result.figures += [Figure(INDICATOR[part], row[part], unit=UNITS.get(part, "amount"),
                                      category=row["function_code"],
                                      base=row["measures"] if part.startswith("actual_") else None)
                               for part in PARTS]
        for status, message in WHY_NOT.items():
            codes = frame.filter(pl.col("status") == status)["function_code"].to_list()
            if codes:
                result.notes.append((message, {"functions": ", ".join(codes)}))
        effects = (("deviation", N_("Deviation"), "deviation"), ("volume_effect", N_("Volume effect"), "deviation"),
                   ("price_effect", N_("Price effect"), "deviation"))
        detail = (("budget_persons", N_("Full-year persons, budget"), "number"),
                  ("actual_persons", N_("Full-year persons, actual"), "number"),
                  ("budget_price", N_("A month, budget"), "money"), ("actual_price", N_("A month, actual"), "money"))
        for table_id, title, parts in (("volume_price_by_function", N_("Volume and price, January–{month}"), effects),
                                       ("persons_and_prices", N_("Full-year persons and prices, January–{month}"),
                                        detail)):
            columns = (Column("function_code", N_("Function")),
                       *(Column(part, label, kind, FigureRef(INDICATOR[part], category_column="function_code",
                                                             total_category=TOTAL))
                         for part, label, kind in parts))
            frame = split.select("function_code", *(part for part, _, _ in parts))
            if table_id == "volume_price_by_function" and split.height:  # the effects add up: their total
                frame = pl.concat([frame, pl.DataFrame({"function_code": [TOTAL], **{
                    part: [_value(result, INDICATOR[part])] for part, _, _ in parts}})], how="vertical_relaxed")
            result.tables.append(Table(
                table_id, (title, {"month": month_in_each_language(period, year=False)}), frame, columns,
                level=MUNICIPALITY, team_column=None,
                # the functions split, not the budget's every function: its total is not the budget table's
                value_labels={**FUNCTION_LABELS, **{code: _label(code) for code in split["function_code"] if "+" in code},
                              TOTAL: {"da": "I alt, funktionerne ovenfor", "en": "Total of the functions above"}
                              if not left else {"da": "I alt, de opdelte funktioner", "en": "Total of the split functions"}},
                empty_text=N_("No function has budgeted full-year persons for every month so far.")))
        self._history(result, context)
        result.notes.append(N_("Volume effect: (actual − budgeted full-year persons) × budgeted price; price effect: "
                               "(actual − budgeted price) × actual full-year persons; together the deviation from the "
                               "corrected budget. Budgeted price: corrected budget ÷ budgeted full-year persons; actual: "
                               "spend ÷ the full-year persons of the measures the function pays for."))
        return result

    def _history(self, result: SectionResult, context) -> None:
        """The volume and price effects of each year, and of the year so far."""
        budget = context.extract["budget"]
        first = budget.select((pl.col("year") * 12 + pl.col("month") - 1).min()).item()
        since = dt.date(first // 12, first % 12 + 1, 1) if first is not None else None
        years = yearly_periods(context.period, context.settings(VolumePriceSettings).history_years, since,
                               twelve_months=True)
        rows = []
        for year in years:
            when = None if year == context.period else str(year)
            if when is not None:
                for indicator in ("volume_effect", "price_effect"):
                    result.figures += indicator_figures(indicator, context, year)
                split = _frame(context.at(year), year).filter(pl.col("status") == SPLIT)
                result.figures.append(Figure("vp_deviation", math.fsum(split["deviation"].to_list()) if split.height
                                             else None, unit="deviation", period=when))
            rows.append({"year": str(year), "period": when,
                         **{key: _value(result, indicator, when) for key, indicator in (
                             ("deviation", "vp_deviation"), ("volume", "volume_effect"), ("price", "price_effect"))}})
        result.tables.append(Table(
            "volume_price_by_year", N_("Deviation from the budget, volume and price, by year"),
            pl.DataFrame(rows, schema={"year": pl.String, "period": pl.String, "deviation": pl.Float64,
                                       "volume": pl.Float64, "price": pl.Float64}),
            (Column("year", N_("Year")),
             Column("deviation", N_("Deviation"), "deviation", FigureRef("vp_deviation", period_column="period")),
             Column("volume", N_("Volume effect"), "deviation", FigureRef("volume_effect", period_column="period")),
             Column("price", N_("Price effect"), "deviation", FigureRef("price_effect", period_column="period"))),
            level=MUNICIPALITY, team_column=None, value_labels=_year_labels(years, context.period),
            note=N_("The functions whose deviation is split: those with budgeted full-year persons for every month.")))

    def indicators(self, rules):
        return list(INDICATORS.values())

    def summary(self, result, view) -> list[str]:
        """The summary page says what drove the largest deviation the way the functions' total goes — the largest
        overspend in a year over budget, never an underspend beside it — (and nothing when there is no split)."""
        total = result.figure("vp_deviation")
        if total is None:
            return []
        functions = _by_size(result)
        along = [code for code in functions
                 if total.value is None or (result.figure("vp_deviation", category=code).value > 0) == (total.value > 0)]
        return [_driver(view, result, (along or functions)[0])] if functions else []

    def narrate(self, result, view) -> list[str]:
        t = view.language
        if result.figure("vp_deviation") is None:
            return [t(view.pick(NOT_SPLIT))]
        # the largest deviations; the table has every function
        return [_driver(view, result, code) for code in _by_size(result)[:NAMED]]


def _by_size(result: SectionResult) -> list[str]:
    """The functions with a deviation split into volume and price, the largest deviation (either way) first."""
    return sorted({f.category for f in result.figures if f.indicator == "vp_deviation" and f.category
                   and f.period is None and f.team is None and f.value is not None},
                  key=lambda code: -abs(result.figure("vp_deviation", category=code).value))


def _value(result: SectionResult, indicator: str, period: str | None = None, category: str | None = None):
    figure = result.figure(indicator, period=period, category=category)
    return None if figure is None else figure.value


def _year_labels(years, period) -> dict:
    """Whole years as "2025"; the report period's own row as the year so far ("2026, januar–oktober")."""
    labels = history_labels(years, twelve_months=True)
    so_far = history_labels([year_to_date(period)])
    labels[str(years[-1])] = next(iter(so_far.values()))
    return labels


def _folded(split: pl.DataFrame, parts: dict[str, tuple[str, ...]], functions: dict[str, tuple[str, ...]],
            months: int) -> tuple[pl.DataFrame, list[str]]:
    """The split functions as rows of the spending section's breakdown of the measures (``parts``, from
    :func:`measure_fold`): a part's functions in one row ("5.28.20+5.28.23", their amounts, persons and effects
    added up, the prices of the sums), so that no row shows full-year persons the spending section does not — a
    function's persons less a part's of the spending section gave a hidden category's (attack F2b), and a hidden
    function's volume effect beside its budget gave its hidden persons (F2). A part is a row only where split
    functions carry all of its categories; the functions left (not within one part, or a part not all split) are in
    the total only: returned by code."""
    rows, shown = [], set()
    for categories in parts.values():
        mine = [row for row in split.iter_rows(named=True) if set(functions.get(row["function_code"], ())) <= set(categories)
                and functions.get(row["function_code"])]
        if not mine or {c for row in mine for c in functions[row["function_code"]]} != set(categories):
            continue
        shown.update(row["function_code"] for row in mine)
        if len(mine) == 1:
            rows.append(mine[0])
            continue
        total = {key: math.fsum(row[key] for row in mine) for key in (
            "corrected", "actual", "deviation", "budget_persons", "actual_persons", "volume_effect", "price_effect")}
        rows.append({**mine[0], **total, "function_code": "+".join(row["function_code"] for row in mine),
                     "measures": sum(row["measures"] for row in mine),
                     "budget_price": total["corrected"] / total["budget_persons"] / months,
                     "actual_price": total["actual"] / total["actual_persons"] / months
                     if total["actual_persons"] > 0 else None})
    left = [code for code in split["function_code"] if code not in shown]
    order = {code: index for index, code in enumerate(split["function_code"])}  # the functions' order, as before
    rows.sort(key=lambda row: order[row["function_code"].split("+")[0]])
    return (pl.DataFrame(rows, schema=split.schema) if rows else split.clear()), left


def _label(code: str, named: bool = False) -> dict[str, str]:
    """A row's label in each language: the function's ("5.28.22 Plejefamilier"), or its functions' ("5.28.20
    Opholdssteder mv. og 5.28.23 Døgninstitutioner"); ``named``: as a sentence names it ("plejefamilier")."""
    def one(code: str, language: str) -> str:
        label = FUNCTION_LABELS.get(code)
        if label is None:
            return code
        if not named:
            return label[language]
        name = label[language].split(" ", 1)[1]
        return name[:1].lower() + name[1:]
    words = {"da": " og ", "en": " and "}
    return {language: (", ".join(one(c, language) for c in code.split("+")[:-1]) + words[language]
                       if "+" in code else "") + one(code.split("+")[-1], language) for language in words}


def _name(t, code: str) -> str:
    """The function (or functions) as a sentence names it: "plejefamilier"."""
    return text_in(t, _label(code, named=True))


# What drove a deviation, by its direction and its driver: the volume, the price, or both (the larger named).
# Every number in them is a figure of the section (its JSON has it): the persons and prices as budgeted and as spent.
DRIVERS = {
    (True, "volume"): N_("The overspend on {function} ({deviation}) comes from more full-year persons than budgeted "
                         "({persons} against {budgeted_persons} full-year persons), not from higher prices."),
    (True, "price"): N_("The overspend on {function} ({deviation}) comes from higher prices than budgeted ({price} "
                        "against {budgeted_price} a full-year person a month), not from more full-year persons."),
    (True, "both"): N_("The overspend on {function} ({deviation}) comes from both more full-year persons than "
                       "budgeted ({persons} against {budgeted_persons}; {volume}) and higher prices ({price} against "
                       "{budgeted_price} a full-year person a month; {price_effect}); {larger} weighs the most."),
    (False, "volume"): N_("The underspend on {function} ({deviation}) comes from fewer full-year persons than budgeted "
                          "({persons} against {budgeted_persons} full-year persons), not from lower prices."),
    (False, "price"): N_("The underspend on {function} ({deviation}) comes from lower prices than budgeted ({price} "
                         "against {budgeted_price} a full-year person a month), not from fewer full-year persons."),
    (False, "both"): N_("The underspend on {function} ({deviation}) comes from both fewer full-year persons than "
                        "budgeted ({persons} against {budgeted_persons}; {volume}) and lower prices ({price} against "
                        "{budgeted_price} a full-year person a month; {price_effect}); {larger} weighs the most."),
}
# A row of several functions (5.28.20+5.28.23) adds its functions' effects up; its prices are those of the functions
# together, whose difference times its persons is not its price effect (the functions' prices differ), and its persons
# against its budgeted persons may even go the other way: its sentence names the effects alone.
TOGETHER = {
    (True, "volume"): N_("The overspend on {function} ({deviation}) comes from more full-year persons than budgeted "
                         "({volume}), not from higher prices."),
    (True, "price"): N_("The overspend on {function} ({deviation}) comes from higher prices than budgeted "
                        "({price_effect}), not from more full-year persons."),
    (True, "both"): N_("The overspend on {function} ({deviation}) comes from both more full-year persons than budgeted "
                       "({volume}) and higher prices ({price_effect}); {larger} weighs the most."),
    (False, "volume"): N_("The underspend on {function} ({deviation}) comes from fewer full-year persons than budgeted "
                          "({volume}), not from lower prices."),
    (False, "price"): N_("The underspend on {function} ({deviation}) comes from lower prices than budgeted "
                         "({price_effect}), not from fewer full-year persons."),
    (False, "both"): N_("The underspend on {function} ({deviation}) comes from both fewer full-year persons than "
                        "budgeted ({volume}) and lower prices ({price_effect}); {larger} weighs the most."),
}
PARTS_NAMED = ("deviation", "volume_effect", "price_effect", "actual_persons", "budget_persons", "actual_price",
               "budget_price")


def _driver(view, result: SectionResult, code: str) -> str:
    """What drove a function's deviation: more or fewer full-year persons than budgeted, a higher or lower
    price, or both (the larger named). An effect pulling the other way is no driver. Where the audience may
    not see a part (the committee's protection hides full-year persons and prices resting on fewer than the
    threshold), the sentence gives the deviation and says how the split is hidden, in the core's words."""
    t = view.language
    figures = {part: result.figure(INDICATOR[part], category=code) for part in PARTS_NAMED}
    deviation = figures["deviation"].value
    values = {"function": _name(t, code), "deviation": t.signed_money(deviation)}
    if t.money(deviation) == t.money(0):  # "-0 kr." is no deviation
        return t("Spending on {function} is on budget.", **values)
    over = deviation > 0
    hidden = next((f for f in figures.values() if f.value is None), None)
    if hidden is not None:
        words = view.words(hidden) if hidden.suppressed else t("no full-year persons in the year so far")
        return t(N_("The overspend on {function} ({deviation}) is not split into volume and price here ({why}).")
                 if over else
                 N_("The underspend on {function} ({deviation}) is not split into volume and price here ({why})."),
                 **values, why=words)
    volume, price = figures["volume_effect"].value, figures["price_effect"].value
    values |= {"persons": t.number(figures["actual_persons"].value, 1),
               "budgeted_persons": t.number(figures["budget_persons"].value, 1),
               "price": t.money(figures["actual_price"].value), "budgeted_price": t.money(figures["budget_price"].value),
               "volume": t.signed_money(volume), "price_effect": t.signed_money(price)}
    with_volume, with_price = (volume > 0) == over and volume != 0, (price > 0) == over and price != 0
    driver = "both" if with_volume and with_price else "volume" if with_volume else "price"
    larger = t("volume") if abs(volume) >= abs(price) else t("price")
    return t((TOGETHER if "+" in code else DRIVERS)[(over, driver)], **values, larger=larger)


@hookimpl
def ledinfo_register_sections(register):
    register(VolumePriceSection())


@hookimpl
def ledinfo_register_settings(register):
    register(VolumePriceSettings)
