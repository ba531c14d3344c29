"""Built-in section: the annual goals ("årsmål") with status, trend and a traffic light."""

from __future__ import annotations

from typing import Literal

import polars as pl

from ledinfo.api import (
    MONTH,
    MUNICIPALITY,
    N_,
    Column,
    Figure,
    FigureRef,
    Section,
    SectionResult,
    Settings,
    Table,
    format_figure_value,
    hookimpl,
    in_each_language,
    indicator_figures,
    month_in_each_language,
    status,
    text_in,
)

GREEN, YELLOW, RED = "green", "yellow", "red"  # the statuses ledinfo.api.status names


class Goal(Settings):
    """An annual goal ("årsmål"): an indicator (any installed section's), a target, a direction, a year."""

    indicator: str
    target: float
    direction: Literal["at_least", "at_most"] = "at_least"
    year: int | None = None  # None: every year
    label: str | None = None


class GoalsSettings(Settings):
    """``[plugins.goals]``: each goal a ``[[plugins.goals.goal]]`` table."""

    goal: list[Goal] = []


def traffic_light(value: float | None, target: float, direction: str, unit: str) -> str | None:
    """A goal's status by the one rule of every traffic light (:func:`ledinfo.api.status`), so a red goal and
    a red bar or table cell mean the same: shares and rates are judged in percentage points."""
    return status(value, target, direction, unit in ("share", "rate"))


class GoalsSection(Section):
    name = "goals"
    title = N_("Annual goals")
    description = "The configured annual goals: current value, trend and a traffic light."
    requires = ("cases",)
    audiences = ("committee", "director")

    def compute(self, context) -> SectionResult:
        period = context.period
        result = SectionResult(self.name, self.title)
        rows = []
        # a month is compared with three months before; a quarter or a year to date with the period before
        earlier = period.shift(-3) if period.kind == MONTH else period.previous()
        for goal in context.settings(GoalsSettings).goal:
            if goal.year is not None and goal.year != period.year:
                continue
            found = context.indicators.get(goal.indicator)
            label = goal.label or (found.label if found is not None and found.label else goal.indicator)
            if found is None or not context.extract.has(*found.requires):
                result.notes.append((N_("Goal for {indicator}: not followed, the indicator is unknown or its "
                                        "tables are missing."), {"indicator": goal.indicator}))
                continue
            current = next(f for f in indicator_figures(goal.indicator, context, period) if f.team is None)
            before = next((f for f in indicator_figures(goal.indicator, context, earlier)
                           if f.team is None), None) if earlier is not None else None
            light = traffic_light(current.value, goal.target, goal.direction, found.unit)
            result.figures.append(current.with_(period=None, extra={
                **current.extra, "target": goal.target, "direction": goal.direction, "status": light,
                "three_months_ago": before.value if before else None}))
            if before is not None:  # the table's "3 months ago" shows this figure
                result.figures.append(before)
            result.labels[goal.indicator] = label
            rows.append({"indicator": goal.indicator, "target": goal.target, "value": current.value,
                         "before": before.value if before else None, "status": light, "unit": found.unit,
                         "direction": goal.direction, **_backing(current, ""), **_backing(before, "before_")})
        frame = pl.DataFrame(rows, schema={"indicator": pl.String, "target": pl.Float64, "value": pl.Float64,
                                           "before": pl.Float64, "status": pl.String, "unit": pl.String,
                                           "direction": pl.String, "numerator": pl.Float64,
                                           "denominator": pl.Float64, "before_numerator": pl.Float64,
                                           "before_denominator": pl.Float64})
        result.tables.append(Table(
            "goals", (N_("Goals for {year}"), {"year": period.year}), frame,
            (Column("indicator", N_("Goal")), Column("target", N_("Target"), "target"),
             Column("value", N_("Now"), "goal", FigureRef(indicator_column="indicator")),
             *([Column("before", _heading(earlier), "goal", FigureRef(indicator_column="indicator",
                                                                      period=str(earlier)))] if earlier else []),
             Column("status", N_("Status"), "status")),
            level=MUNICIPALITY, team_column=None,
            value_labels={r["indicator"]: in_each_language(result.labels[r["indicator"]]) for r in rows},
            empty_text=N_("No annual goals are set for this year.")))
        result.notes.append(N_("Green: the goal is met. Yellow: within 5 percentage points (shares) or 10 % (other "
                               "figures) of the goal. Red: further away."))
        return result

    def narrate(self, result, view) -> list[str]:
        return _status(result, view)[:1]

    def summary(self, result, view) -> list[str]:
        """The goals' status, and each goal off track with its value and target."""
        return _status(result, view)


def _status(result, view, named: int = 3) -> list[str]:
    """How many goals are met, close and off track; then the ``named`` furthest off track, furthest first."""
    t = view.language
    followed = [f for f in result.figures if f.period is None and "target" in f.extra]
    if not followed:
        return []
    lights = [f.extra.get("status") for f in followed]
    lines = [t.plural("Of {count} goal: {green} met, {yellow} close, {red} off track.",
                      "Of {count} goals: {green} met, {yellow} close, {red} off track.", len(lights),
                      green=t.integer(lights.count(GREEN)), yellow=t.integer(lights.count(YELLOW)),
                      red=t.integer(lights.count(RED)))]
    off = sorted((f for f in followed if f.extra.get("status") == RED and f.value is not None),
                 key=lambda f: -_distance(f))
    for figure in off[:named]:
        lines.append(t("Off track: {goal} — now {now}, goal {target}.",
                       goal=text_in(t, result.labels.get(figure.indicator, figure.indicator)),
                       now=format_figure_value(t, figure, figure.value),
                       target=format_figure_value(t, figure, figure.extra["target"])))
    if len(off) > named:
        lines.append(t.plural("{count} more goal is off track; see the goals section.",
                              "{count} more goals are off track; see the goals section.", len(off) - named))
    return lines


def _distance(figure: Figure) -> float:
    """How far a goal is from its target, relative to the target, in the direction that matters."""
    target = figure.extra["target"]
    gap = (target - figure.value) if figure.extra.get("direction") == "at_least" else (figure.value - target)
    return gap / abs(target) if target else gap


def _backing(figure: Figure | None, prefix: str) -> dict:
    """The counts behind a goal's value (a count is its own numerator), for the audience filter."""
    if figure is None:
        return {f"{prefix}numerator": None, f"{prefix}denominator": None}
    if figure.unit == "count":
        return {f"{prefix}numerator": figure.value, f"{prefix}denominator": None}
    if figure.unit in ("share", "rate"):
        return {f"{prefix}numerator": figure.numerator, f"{prefix}denominator": figure.denominator}
    return {f"{prefix}numerator": None, f"{prefix}denominator": None}  # ratios: no count of people



def _heading(period) -> dict[str, str]:
    """The comparison column's heading: the period it shows ("Juli 2026", "4. kvartal 2025")."""
    return {code: name[:1].upper() + name[1:] for code, name in month_in_each_language(period).items()}

@hookimpl
def ledinfo_register_sections(register):
    register(GoalsSection())


@hookimpl
def ledinfo_register_settings(register):
    register(GoalsSettings)
