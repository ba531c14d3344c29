"""Built-in plugin: the annual goals ("årsmål"): each the yardstick of its indicator, with its verdict and trend.

The plugin provides the goals of ``[[plugins.goals.goal]]`` as targets (:class:`GoalTargets`), so a goal set
for the period's year judges its indicator wherever the indicator is shown, in every pack (the first yardstick
by the documented precedence). Its section shows every annual goal any plugin provides — its own and
another's — with its figure and that verdict, the one every other tile, table and chart shows. Where a pack shows a
goal's indicator by whole quarter only (the committee's deadlines), the goal is shown by that pack's last whole
quarter (:meth:`GoalsSection.for_pack`), the figure and verdict of the pack's chart of the quarter.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import polars as pl

from ledinfo.api import (
    CLOSE,
    LANGUAGES,
    MET,
    MONTH,
    MUNICIPALITY,
    N_,
    OFF_TRACK,
    QUARTER,
    Basis,
    Column,
    Figure,
    FigureRef,
    Language,
    Over,
    Period,
    Section,
    SectionResult,
    Settings,
    Table,
    Target,
    Targets,
    hookimpl,
    in_each_language,
    indicator_figures,
    last_whole_quarter,
    month_in_each_language,
    text_in,
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
        # where a pack shows an indicator by whole quarter only (the committee's deadlines), its last whole quarter
        # stands for the period, compared with the quarter before: computed here for each goal that counts a
        # period's events, picked by the pack (for_pack)
        quarter = last_whole_quarter(period)
        for goal in (target for target in context.targets if target.basis == Basis.GOAL):  # any plugin's
            found = context.indicators.get(goal.indicator)
            label = goal.title or (found.label if found is not None and found.label else goal.indicator)
            if found is None or not context.extract.has(*found.requires):
                result.notes.append((N_("Goal for {indicator}: not followed, the indicator is unknown or its "
                                        "tables are missing."), {"indicator": goal.indicator}))
                continue
            current, before = _followed(goal, context, period, earlier)
            result.figures += [current] + ([before] if before is not None else [])
            if quarter != period and (current.over or found.over) == Over.SPAN:
                result.figures += [f for f in _followed(goal, context, quarter, quarter.previous()) if f is not None]
            result.labels[goal.indicator] = label
            rows.append(_row(current, before, found.unit))
        result.tables.append(_table((N_("Goals for {year}"), {"year": period.year}), rows, period, earlier,
                                    result.labels))
        return result

    def for_pack(self, result, periods):
        """A goal whose indicator the pack shows by whole quarter only (the committee's deadlines) by its last whole
        quarter, compared with the quarter before: the figure and verdict the pack's chart of that quarter shows.
        The table then names each row's period in a column of its own, its comparison being three months before
        (the quarter before a quarter). Where every goal is the pack's own period, the result as computed, without
        the quarters' figures."""
        own = periods.period
        goals = [f for f in result.figures if f.period is None and _is_goal(f)]
        computed = {f.indicator for f in result.figures if f.period is not None and _alternative(f, own) and _is_goal(f)}
        quarterly = {g.indicator for g in goals if periods.quarterly(g.indicator) and g.indicator in computed}
        if not quarterly:  # every goal by the pack's own period: the quarters' figures are alternatives only, kept
            # where the committee's briefing judges the goal by that quarter, for the sentence that says so (narrate)
            kept = [f for f in result.figures if f.period is None or not _alternative(f, own)
                    or (_is_goal(f) and f.period == str(periods.committee_quarter(f.indicator)))]
            return replace(result, figures=kept)
        figures = [f for f in result.figures
                   if (f.indicator in quarterly) == (f.period is not None and _alternative(f, own))]
        tables = [_by_period(t, figures, periods) if t.id == GOALS else t for t in result.tables]
        return replace(result, figures=figures, tables=tables)

    def narrate(self, result, view) -> list[str]:
        return _status(result, view)[:1] + _by_quarter(result, view) + _committee_quarter(result, view)

    def summary(self, result, view) -> list[str]:
        """How the goals stand, and by which period where some are judged by whole quarter; the summary names each
        goal not met among its risks, the biggest first."""
        return _status(result, view) + _by_quarter(result, view)


GOALS = "goals"
# a verdict's level in a word, as every pack names it (the core's words)
LEVELS = {MET: N_("Met"), CLOSE: N_("Close"), OFF_TRACK: N_("Off track")}


def _followed(goal, context, period, earlier) -> tuple[Figure, Figure | None]:
    """A goal's figure of ``period`` (the municipality's) carrying the goal, and the figure it is compared with.
    Its verdict is made by the build, by the goal (a target: its yardstick), as for every other figure; one of the
    report period has no period of its own (None), one of another period (a quarter standing for it) has its own."""
    current = next(f for f in indicator_figures(goal.indicator, context, period) if f.team is None)
    before = next((f for f in indicator_figures(goal.indicator, context, earlier)
                   if f.team is None), None) if earlier is not None else None
    return (current.with_(period=None if period == context.period else str(period), extra={
        **current.extra, "target": goal.value, "direction": goal.direction,
        "three_months_ago": before.value if before else None}), before)


def _is_goal(figure: Figure) -> bool:
    """A goal's own figure (it carries its target), not the one it is compared with."""
    return figure.team is None and "target" in figure.extra


def _alternative(figure: Figure, period) -> bool:
    """A quarter's figure computed for a pack that shows the goal by whole quarter (the report period no quarter)."""
    return period.kind != QUARTER and Period.parse(figure.period).kind == QUARTER


def _row(current: Figure, before: Figure | None, unit) -> dict:
    """A goal's row: its target, value and the value it is compared with, and the counts behind both."""
    return {"indicator": current.indicator, "target": current.extra["target"], "value": current.value,
            "before": before.value if before else None, "status": None, "unit": unit,
            "direction": current.extra["direction"], **_backing(current, ""), **_backing(before, "before_")}


def _by_period(table: Table, figures: list[Figure], periods) -> Table:
    """The goals' table of a pack where goals differ in their period: each row with its period and the value three
    months before it (for a year to date, whose goals have none before, without that column)."""
    rows, shown = [], {}
    for row in table.frame.iter_rows(named=True):
        indicator = row["indicator"]
        period, before = periods.of(indicator), periods.before(indicator)
        now = str(period) if period != periods.period else None
        current = next(f for f in figures if f.indicator == indicator and f.period == now and _is_goal(f))
        earlier = next((f for f in figures if before is not None and f.indicator == indicator
                        and f.period == str(before)), None)
        # short, so the goal's name keeps its line, but a month with its whole year ("okt. 2026" beside "K3 2026":
        # "okt 26" read as 26 October), on one line (a no-break space)
        shown |= {str(p): {code: Language(code).period_medium(p).replace(" ", "\u00a0") for code in LANGUAGES}
                  for p in (period, before) if p is not None}
        rows.append({**_row(current, earlier, row["unit"]), "period": str(period),
                     "before_period": str(before) if before is not None else None})
    compared = all(row["before_period"] is not None for row in rows)
    frame = pl.DataFrame(rows, schema={**dict(_SCHEMA), "period": pl.String, "before_period": pl.String})
    return replace(table, frame=frame, value_labels={**table.value_labels, **shown}, columns=(
        Column("indicator", N_("Goal")), Column("target", N_("Target"), "target"), Column("period", N_("Period")),
        Column("value", N_("Result"), "goal", FigureRef(indicator_column="indicator", period_column="period"),
               judged=True),
        *([Column("before", N_("3 months before"), "goal",
                  FigureRef(indicator_column="indicator", period_column="before_period"))] if compared else []),
        Column("status", N_("Status"), "status")))


_SCHEMA = (("indicator", pl.String), ("target", pl.Float64), ("value", pl.Float64), ("before", pl.Float64),
           ("status", pl.String), ("unit", pl.String), ("direction", pl.String), ("numerator", pl.Float64),
           ("denominator", pl.Float64), ("before_numerator", pl.Float64), ("before_denominator", pl.Float64))


def _table(title, rows: list[dict], period, earlier, labels: dict) -> Table:
    """The goals' table: each goal's target, its value headed by its period, the value it is compared with headed
    by that period, and its status."""
    frame = pl.DataFrame(rows, schema=dict(_SCHEMA))
    return Table(
        GOALS, title, frame,
        (Column("indicator", N_("Goal")), Column("target", N_("Target"), "target"),
         # headed by its period, as the comparison column is: a committee pack shows a deadline rule by whole
         # quarter elsewhere, and "now" left a reader to guess which of two values and verdicts was the month's
         Column("value", _heading(period), "goal", FigureRef(indicator_column="indicator"), judged=True),
         *([Column("before", _heading(earlier), "goal", FigureRef(indicator_column="indicator",
                                                                  period=str(earlier)))] if earlier else []),
         Column("status", N_("Status"), "status")),
        level=MUNICIPALITY, team_column=None,
        value_labels={r["indicator"]: in_each_language(labels[r["indicator"]]) for r in rows},
        empty_text=N_("No annual goals are set for this year."))


def _committee_quarter(result, view) -> list[str]:
    """Where the committee's briefing judges goals by the last whole quarter and this pack by its own period (the
    directors' month), one sentence that says so, with each such goal's figure and verdict of that quarter: a
    director and a committee member comparing notes read two figures of one goal ("92 %" and "85 %")."""
    if view.periods is None:
        return []
    t = view.language
    figures = [f for f in result.figures if _is_goal(f) and f.period is not None
               and f.period == str(view.periods.committee_quarter(f.indicator))]
    if not figures:
        return []
    quarter = Period.parse(figures[0].period)
    goals = [t("{goal} {value} ({verdict})", goal=text_in(t, result.labels[f.indicator]), value=view.words(f),
               verdict=t(LEVELS.get(f.verdict.level if f.verdict else None, N_("Not judged"))).lower())
             for f in figures]
    return [t("The committee's briefing judges these goals by the last whole quarter, {quarter}: {goals}.",
              quarter=t.period(quarter), goals="; ".join(goals))]


def _by_quarter(result, view) -> list[str]:
    """Where this pack judges some goals by the last whole quarter (the committee's deadlines) and the rest by its own
    period, one sentence naming them and both periods. The committee read "tæt på" for a goal of 90 % at 85 % in the
    third quarter, while the directors' pack of the same month, by October alone, read "nået" at 92 %: each verdict
    is right for its period, and each pack now says which (domain.md, "Verdicts": one yardstick, its period said)."""
    if view.period is None:
        return []
    t = view.language
    quarterly = [f for f in result.figures if _is_goal(f) and f.period is not None
                 and f.period == str(view.period_of(f.indicator)) and f.period != str(view.period)]
    if not quarterly:
        return []
    goals = "; ".join(text_in(t, result.labels[f.indicator]) for f in quarterly)
    # the goals named, not counted: a count in a sentence is a number the pack's JSON would have to carry too
    line = t("Judged by the last whole quarter, {quarter}, as this briefing shows the deadlines: {goals}.",
             quarter=t.period(Period.parse(quarterly[0].period)), goals=goals)
    if any(_is_goal(f) and f.period is None for f in result.figures):
        line += " " + t("The other goals are judged by {period}.", period=t.period(view.period))
    return [line]


def _status(result, view) -> list[str]:
    """How many goals are met, close and not met (and not judged, resting on too few cases), by their verdicts."""
    t = view.language
    # each goal's own figure: of the report period, or of the quarter that stands for it in the pack (for_pack)
    followed = [f for f in result.figures if _is_goal(f) and (f.period is None or f.period == str(
        view.period_of(f.indicator)))]  # not the quarter kept for the sentence on the committee's (_committee_quarter)
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
