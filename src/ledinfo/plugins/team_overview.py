"""Built-in section: the directors' overview — every team against the key indicators on one page.

Each key indicator any installed section provides (the law's deadlines, the local 6-week
standard, caseload, turnover) as one column of shares or ratios, with the number of cases
each share rests on beside it, so a director compares teams without turning pages and sees
when 100 % rests on one case. Indicators that are not installed are left out.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from ledinfo.api import (
    N_,
    TEAM,
    Column,
    FigureRef,
    Section,
    SectionResult,
    Table,
    current_figures,
    hookimpl,
    label_of_period,
    month_in_each_language,
)

# (indicator, short column label): the law's deadlines first, then the local standard, then staffing
KEY_INDICATORS = (
    ("notification_24h", N_("24 h")),
    ("investigation_4m", N_("4 mo.")),
    ("followup_first_3m", N_("3 mo.")),
    ("placement_visits", N_("Visits")),
    ("six_week_followup", N_("6 wk.")),
    ("caseload", N_("Per FTE")),
)


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
            # each cell shows its figure's one verdict (the goal, else the local standard, the law, the guideline)
            columns.append(Column(indicator, label, "share" if share else "number", FigureRef(indicator), judged=True))
            if share:  # the cases a share rests on, beside it
                columns.append(Column(f"{indicator}_n", N_("n"), "count"))
        schema = {"team": pl.String} | {c.key: pl.Float64 for c in columns[1:]}
        ordered = sorted(rows.values(), key=lambda r: (r["team"] is None, str(r["team"])))  # the municipality last
        frame = pl.DataFrame(ordered, schema=schema) if ordered else pl.DataFrame(schema=schema)
        result.tables.append(Table(
            # the period named: the committee's briefing shows some of these (the deadlines) for the last whole quarter
            "team_overview", (N_("Key figures by team, {period}"), {"period": month_in_each_language(context.period)}),
            frame, tuple(columns), level=TEAM,
            note=(N_("24 h: notifications assessed within 24 hours; 4 mo.: investigations within 4 months; 3 mo.: "
                     "first follow-up within 3 months; Visits: supervision visits to placed children; 6 wk.: cases "
                     "followed up within 6 weeks (local standard); Per FTE: cases per caseworker FTE. n: the cases "
                     "a share rests on."), {}),
            empty_text=N_("No team has active cases.")))
        return result

    def for_pack(self, result, periods):
        """As the deadlines' own section (compliance): where the committee's briefing judges an indicator by the last
        whole quarter and this pack by its month, its label names the month, for the summary's lines that read it
        ("Team Børn ligger lavest på … (oktober 2026)")."""
        other = {i: label for i, label in result.labels.items() if periods.committee_quarter(i) is not None}
        if not other:
            return result
        return replace(result, labels={**result.labels, **{i: label_of_period(label, periods.period)
                                                           for i, label in other.items()}})


@hookimpl
def ledinfo_register_sections(register):
    register(TeamOverviewSection())
