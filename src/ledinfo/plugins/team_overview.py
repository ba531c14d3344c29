"""Built-in section: the directors' overview — every team against the key indicators on one page.

Each key indicator any installed section provides (the law's deadlines, the local 6-week
standard, caseload, turnover) as one column of shares or ratios, with the number of cases
each share rests on beside it, so a director compares teams without turning pages and sees
when 100 % rests on one case. Indicators that are not installed are left out.
"""

from __future__ import annotations

import polars as pl

from ledinfo.api import N_, TEAM, Column, Section, SectionResult, Table, Target, current_figures, hookimpl

# (indicator, short column label): the law's deadlines first, then the local standard, then staffing
KEY_INDICATORS = (
    ("notification_24h", N_("24 h")),
    ("investigation_4m", N_("4 mo.")),
    ("followup_first_3m", N_("3 mo.")),
    ("placement_visits", N_("Visits")),
    ("six_week_followup", N_("6 wk.")),
    ("caseload", N_("Per FTE")),
)

# What a column is judged against (Column.target: the one status rule, as in the charts and the goals)
LAW = Target(1.0, N_("the law: every deadline met"))
LOCAL_STANDARD = Target(1.0, N_("the local standard: every case followed up"))
GOAL = N_("the annual goal")


class TeamOverviewSection(Section):
    name = "team_overview"
    title = N_("Teams at a glance")
    description = "Every team against the key indicators on one page, with the cases each share rests on."
    requires = ("cases",)
    audiences = ("director",)

    def compute(self, context) -> SectionResult:
        result = SectionResult(self.name, self.title)
        shown = [(i, label) for i, label in KEY_INDICATORS
                 if i in context.indicators and context.extract.has(*context.indicators[i].requires)]
        rows: dict[str | None, dict] = {}
        columns = [Column("team", N_("Team"))]
        for indicator, label in shown:
            figures = current_figures(indicator, context)
            result.figures += figures
            result.labels[indicator] = context.indicators[indicator].label or indicator
            unit = context.indicators[indicator].unit
            for figure in figures:
                row = rows.setdefault(figure.team, {"team": figure.team})
                row[indicator] = figure.value
                row[f"{indicator}_n"] = figure.denominator
            share = unit in ("share", "rate")
            columns.append(Column(indicator, label, "share" if share else "number", target=_judged_by(context, indicator),
                                  base=f"{indicator}_n" if share else None))
            if share:  # the cases a share rests on, beside it
                columns.append(Column(f"{indicator}_n", N_("n"), "count"))
        schema = {"team": pl.String} | {c.key: pl.Float64 for c in columns[1:]}
        ordered = sorted(rows.values(), key=lambda r: (r["team"] is None, str(r["team"])))  # the municipality last
        frame = pl.DataFrame(ordered, schema=schema) if ordered else pl.DataFrame(schema=schema)
        result.tables.append(Table(
            "team_overview", N_("Key figures by team"), frame, tuple(columns), level=TEAM,
            note=(N_("24 h: notifications assessed within 24 hours; 4 mo.: investigations within 4 months; 3 mo.: "
                     "first follow-up within 3 months; Visits: supervision visits to placed children; 6 wk.: cases "
                     "followed up within 6 weeks (local standard); Per FTE: cases per caseworker FTE. n: the cases "
                     "a share rests on."), {}),
            empty_text=N_("No team has active cases.")))
        return result


def _judged_by(context, indicator: str) -> Target | None:
    """The law for a statutory deadline (a goal never replaces it); else the year's annual goal where one
    is configured; else the local standard for a local one; else nothing: a figure without a requirement
    (cases per FTE against a guideline's range) is shown, not judged."""
    rule = context.rules.rules.get(indicator)
    if rule is not None and not rule.local:
        return LAW
    goal = _goal(context, indicator)
    if goal is not None:
        return goal
    if (rule is not None and rule.local) or indicator == "six_week_followup":
        return LOCAL_STANDARD
    return None


def _goal(context, indicator: str) -> Target | None:
    """The goals plugin's goal for ``indicator`` this year ([[plugins.goals.goal]], checked by its schema
    when the config was read; read here as written, since a plugin imports no other plugin)."""
    goals = context.config.plugins.get("goals", {})
    for goal in goals.get("goal", []) if isinstance(goals, dict) else []:
        if goal.get("indicator") == indicator and goal.get("year") in (None, context.period.year):
            return Target(float(goal["target"]), GOAL, goal.get("direction", "at_least"))
    return None


@hookimpl
def ledinfo_register_sections(register):
    register(TeamOverviewSection())
