"""Built-in plugin: the annual goals ("årsmål"): each the yardstick of its indicator, with its verdict and trend.

The plugin provides the goals of ``[[plugins.goals.goal]]`` as targets (:class:`GoalTargets`), so a goal set
for the period's year judges its indicator wherever the indicator is shown, in every pack (the first yardstick
by the documented precedence). Its section shows every annual goal any plugin provides — its own and
another's — with its figure and that verdict, the one every other tile, table and chart shows.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from ledinfo.api import (
    CLOSE,
    MET,
    MONTH,
    MUNICIPALITY,
    N_,
    OFF_TRACK,
    Basis,
    Column,
    Figure,
    FigureRef,
    Section,
    SectionResult,
    Settings,
    Table,
    Target,
    Targets,
    hookimpl,
    in_each_language,
    indicator_figures,
    month_in_each_language,
)


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


class GoalTargets(Targets):
    name = "goals"
    description = "The annual goals of [[plugins.goals.goal]], for the period's year."

    def targets(self, context):
        settings = context.settings if isinstance(context.settings, GoalsSettings) else GoalsSettings()
        return [Target(goal.indicator, goal.target, goal.direction, Basis.GOAL, goal.label)
                for goal in settings.goal if goal.year is None or goal.year == context.period.year]


class GoalsSection(Section):
    name = "goals"
    title = N_("Annual goals")
    description = "The configured annual goals: current value, trend and the goal's verdict."
    requires = ("cases",)
    audiences = ("committee", "director")

    def compute(self, context) -> SectionResult:
        period = context.period
        result = SectionResult(self.name, self.title)
        rows = []
        # a month is compared with three months before; a quarter or a year to date with the period before
        earlier = period.shift(-3) if period.kind == MONTH else period.previous()
        for goal in (target for target in context.targets if target.basis == Basis.GOAL):  # any plugin's
            found = context.indicators.get(goal.indicator)
            label = goal.title or (found.label if found is not None and found.label else goal.indicator)
            if found is None or not context.extract.has(*found.requires):
                result.notes.append((N_("Goal for {indicator}: not followed, the indicator is unknown or its "
                                        "tables are missing."), {"indicator": goal.indicator}))
                continue
            current = next(f for f in indicator_figures(goal.indicator, context, period) if f.team is None)
            before = next((f for f in indicator_figures(goal.indicator, context, earlier)
                           if f.team is None), None) if earlier is not None else None
            # its verdict is made by the build, by the goal (a target: its yardstick), as for every other figure
            result.figures.append(current.with_(period=None, extra={
                **current.extra, "target": goal.value, "direction": goal.direction,
                "three_months_ago": before.value if before else None}))
            if before is not None:  # the table's "3 months ago" shows this figure
                result.figures.append(before)
            result.labels[goal.indicator] = label
            rows.append({"indicator": goal.indicator, "target": goal.value, "value": current.value,
                         "before": before.value if before else None, "status": None, "unit": found.unit,
                         "direction": goal.direction, **_backing(current, ""), **_backing(before, "before_")})
        frame = pl.DataFrame(rows, schema={"indicator": pl.String, "target": pl.Float64, "value": pl.Float64,
                                           "before": pl.Float64, "status": pl.String, "unit": pl.String,
                                           "direction": pl.String, "numerator": pl.Float64,
                                           "denominator": pl.Float64, "before_numerator": pl.Float64,
                                           "before_denominator": pl.Float64})
        result.tables.append(Table(
            "goals", (N_("Goals for {year}"), {"year": period.year}), frame,
            (Column("indicator", N_("Goal")), Column("target", N_("Target"), "target"),
             # headed by its period, as the comparison column is: a committee pack shows a deadline rule by whole
             # quarter elsewhere, and "now" left a reader to guess which of two values and verdicts was the month's
             Column("value", _heading(period), "goal", FigureRef(indicator_column="indicator"), judged=True),
             *([Column("before", _heading(earlier), "goal", FigureRef(indicator_column="indicator",
                                                                      period=str(earlier)))] if earlier else []),
             Column("status", N_("Status"), "status")),
            level=MUNICIPALITY, team_column=None,
            value_labels={r["indicator"]: in_each_language(result.labels[r["indicator"]]) for r in rows},
            empty_text=N_("No annual goals are set for this year.")))
        return result

    def narrate(self, result, view) -> list[str]:
        return _status(result, view)[:1]

    def summary(self, result, view) -> list[str]:
        """How the goals stand; the summary names each goal not met among its risks, the biggest first."""
        return _status(result, view)


def _status(result, view) -> list[str]:
    """How many goals are met, close and not met (and not judged, resting on too few cases), by their verdicts."""
    t = view.language
    followed = [f for f in result.figures if f.period is None and f.team is None and "target" in f.extra]
    if not followed:
        return []
    levels = [f.verdict.level if f.verdict is not None else None for f in followed]
    line = t.plural("Of {count} goal: {green} met, {yellow} close, {red} off track.",
                    "Of {count} goals: {green} met, {yellow} close, {red} off track.", len(levels),
                    green=t.integer(levels.count(MET)), yellow=t.integer(levels.count(CLOSE)),
                    red=t.integer(levels.count(OFF_TRACK)))
    unjudged = len(levels) - levels.count(MET) - levels.count(CLOSE) - levels.count(OFF_TRACK)
    if unjudged:
        line += " " + t.plural("{count} goal is not judged: it rests on fewer than {threshold} cases, or on none.",
                               "{count} goals are not judged: they rest on fewer than {threshold} cases, or on none.",
                               unjudged, threshold=view.threshold)
    return [line]


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
def ledinfo_register_targets(register):
    register(GoalTargets())


@hookimpl
def ledinfo_register_settings(register):
    register(GoalsSettings)
