"""Built-in section: the annual goals ("årsmål") with status, trend and a traffic light."""

from __future__ import annotations

import polars as pl

from ledinfo.api import MUNICIPALITY, Column, Figure, FigureRef, Section, SectionResult, Table, hookimpl
from ledinfo.domain.indicators.values import indicator, indicator_figures, label_of
from ledinfo.texts.language import N_

GREEN, YELLOW, RED = "green", "yellow", "red"
SHARE_MARGIN = 0.05  # yellow: within 5 percentage points of a share's target
RELATIVE_MARGIN = 0.10  # yellow: within 10 % of any other target


def traffic_light(value: float | None, target: float, direction: str, unit: str) -> str | None:
    """Green when the goal is met; yellow when close (5 points for a share, else 10 %); red otherwise."""
    if value is None:
        return None
    margin = SHARE_MARGIN if unit in ("share", "rate") else abs(target) * RELATIVE_MARGIN
    gap = (target - value) if direction == "at_least" else (value - target)
    if gap <= 0:
        return GREEN
    return YELLOW if gap <= margin else RED


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
        for goal in context.config.goals:
            if goal.year is not None and goal.year != period.year:
                continue
            found = indicator(goal.indicator, context.rules)
            label = goal.label or label_of(goal.indicator, context.rules)
            if found is None or not context.extract.has(*found.requires):
                result.notes.append((N_("Goal for {indicator}: not followed, the indicator is unknown or its "
                                        "tables are missing."), {"indicator": goal.indicator}))
                continue
            current = next(f for f in indicator_figures(goal.indicator, context, period) if f.team is None)
            before = next((f for f in indicator_figures(goal.indicator, context, period.shift(-3))
                           if f.team is None), None)
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
             Column("before", N_("3 months ago"), "goal",
                    FigureRef(indicator_column="indicator", period=str(period.shift(-3)))),
             Column("status", N_("Status"), "status")),
            level=MUNICIPALITY, team_column=None,
            value_labels={r["indicator"]: _label_dict(result.labels[r["indicator"]]) for r in rows},
            empty_text=N_("No annual goals are set for this year. Add [[goals]] to the configuration.")))
        result.notes.append(N_("Green: the goal is met. Yellow: within 5 percentage points (shares) or 10 % (other "
                               "figures) of the goal. Red: further away."))
        return result

    def narrate(self, result, view) -> list[str]:
        t = view.language
        lights = [f.extra.get("status") for f in result.figures if f.period is None and "target" in f.extra]
        if not lights:
            return []
        return [t("{green} of {total} goals are met, {yellow} are close and {red} are off track.",
                  green=lights.count(GREEN), total=len(lights), yellow=lights.count(YELLOW), red=lights.count(RED))]


def _backing(figure: Figure | None, prefix: str) -> dict:
    """The counts behind a goal's value (a count is its own numerator), for the audience filter."""
    if figure is None:
        return {f"{prefix}numerator": None, f"{prefix}denominator": None}
    if figure.unit == "count":
        return {f"{prefix}numerator": figure.value, f"{prefix}denominator": None}
    if figure.unit in ("share", "rate"):
        return {f"{prefix}numerator": figure.numerator, f"{prefix}denominator": figure.denominator}
    return {f"{prefix}numerator": None, f"{prefix}denominator": None}  # ratios: no count of people


def _label_dict(label) -> dict[str, str]:
    """Labels as {language: text}, so the table shows them in the pack's language."""
    if isinstance(label, dict):
        return label
    from ledinfo.texts.language import LANGUAGES, Language

    return {code: Language(code)(label) for code in LANGUAGES}


@hookimpl
def ledinfo_register_sections(register):
    register(GoalsSection())
