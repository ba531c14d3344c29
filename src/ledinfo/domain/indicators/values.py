"""Every indicator id of domain.md, computed for one period as figures.

:func:`indicator_figures` gives the municipality figure and one per team for
any indicator id — the rules of the catalogue and the others — so sections
compute their figures and 12-month trends through one door, and the goals
section can follow any indicator a municipality sets a goal for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from ledinfo.domain.indicators.activity import (
    active_measures,
    notifications_by_month,
    placements,
    repeat_notifications,
)
from ledinfo.domain.indicators.caseload import caseload_by_caseworker, caseload_by_team, cases_without_caseworker
from ledinfo.domain.indicators.common import share_figures
from ledinfo.domain.indicators.deadlines import BREACH, MET, PENDING, REQUIRES, investigation_overdue, judge
from ledinfo.domain.indicators.economy import budget_to_date
from ledinfo.domain.indicators.followup import six_week_followup
from ledinfo.domain.indicators.staffing import continuity, turnover
from ledinfo.domain.indicators.supervision import DEFAULT_THEMES, supervision_completion, supervision_findings
from ledinfo.domain.period import Period
from ledinfo.interfaces.results import Figure, ShareOf
from ledinfo.texts.language import N_


@dataclass(frozen=True)
class Indicator:
    id: str
    unit: str  # share | count | ratio
    requires: tuple[str, ...]
    figures: Callable  # (context, period) -> list[Figure]


def count_figures(indicator: str, frame: pl.DataFrame, period: str | None = None) -> list[Figure]:
    """A count of rows for the municipality and per team (the frame's ``team`` column)."""
    figures = [Figure(indicator, frame.height, unit="count", period=period)]
    if frame.height:
        for (team,), group in sorted(frame.group_by("team"), key=lambda item: str(item[0][0])):
            figures.append(Figure(indicator, group.height, unit="count", team=team, period=period))
    return figures


def rule_figures(items: pl.DataFrame, indicator: str, period: str | None = None) -> list[Figure]:
    """A rule's share met among the judged items (pending left out, counted in ``extra``)."""
    judged = items.filter(pl.col("status") != PENDING).with_columns((pl.col("status") == MET).alias("met"))
    figures = share_figures(judged, indicator, "met", period=period)
    pending = items.filter(pl.col("status") == PENDING)
    counts = dict(pending.group_by("team").len().iter_rows()) if pending.height else {}
    return [f.with_(extra={"pending": pending.height if f.team is None else counts.get(f.team, 0)})
            for f in figures]


def _rule(rule_id: str):
    def figures(context, period: Period) -> list[Figure]:
        return rule_figures(judge(context.extract, period, context.rules[rule_id]), rule_id, str(period))
    return figures


def _six_week(context, period):
    frame = six_week_followup(context.extract["cases"], context.extract["activities"], period.end,
                              context.standards.followup_interval_days)
    return share_figures(frame, "six_week_followup", "followed_up", period=str(period))


def _caseload(context, period):
    by_team = caseload_by_team(caseload_by_caseworker(context.extract["cases"], context.extract["staff"], period.end))
    return [Figure("caseload", r["caseload"], r["cases"], r["fte"], "ratio", team=r["team"], period=str(period),
                   extra={"caseworkers": r["caseworkers"], "min": r["min"], "median": r["median"], "max": r["max"]})
            for r in by_team.iter_rows(named=True)]


def _orphans(context, period):
    frame = cases_without_caseworker(context.extract["cases"], context.extract["staff"], period.end)
    return count_figures("cases_without_caseworker", frame, str(period))


def _overdue(context, period):
    frame = investigation_overdue(context.extract, period.end, context.rules["investigation_4m"])
    return count_figures("investigation_overdue", frame, str(period))


def _turnover(context, period):
    frame = turnover(context.extract["staff"], period)
    return [Figure("turnover", r["value"], r["leavers"], r["average"], "rate", team=r["team"], period=str(period),
                   share_of=ShareOf.COMPOSITION)  # staff who left: a count of people
            for r in frame.iter_rows(named=True)]


def _continuity(context, period):
    frame = continuity(context.extract["cases"], context.extract["activities"], period.end)
    return share_figures(frame, "continuity", "changed_twice", period=str(period))


def _family_care(context, period):
    placed = placements(active_measures(context.extract["measures"], context.extract["cases"], period.end))
    return [f.with_(share_of=ShareOf.COMPOSITION)  # placements by type: children by a characteristic
            for f in share_figures(placed, "family_care_share", "family_care", period=str(period))]


def _placements(context, period):
    placed = placements(active_measures(context.extract["measures"], context.extract["cases"], period.end))
    return count_figures("placements", placed, str(period))


def _repeat(context, period):
    frame = repeat_notifications(context.extract["notifications"], period.end).filter(pl.col("repeat"))
    return count_figures("repeat_notifications", frame, str(period))


def _notifications(context, period):
    frame = notifications_by_month(context.extract["notifications"], [period])
    total = int(frame["count"].sum())
    figures = [Figure("notifications", total, unit="count", period=str(period))]
    for (team,), group in sorted(frame.group_by("team"), key=lambda item: str(item[0][0])):
        figures.append(Figure("notifications", int(group["count"].sum()), unit="count", team=team, period=str(period)))
    return figures


def _supervision_completion(context, period):
    frame = supervision_completion(context.extract["cases"], context.extract["staff"], context.extract["activities"],
                                   period, context.config.supervision.cases_per_caseworker)
    return share_figures(frame, "supervision_completion", "done", period=str(period))


def _supervision_findings(context, period):
    frame = supervision_findings(context.extract["activities"], context.extract["cases"], period,
                                 context.config.supervision.themes or DEFAULT_THEMES)
    return share_figures(frame, "supervision_findings", "deviation", period=str(period))


def _budget_used(context, period):
    frame = budget_to_date(context.extract["budget"], period)
    total = frame.filter(pl.col("function_code").is_null()).row(0, named=True)
    return [Figure("budget", total["used"], total["actual"], total["corrected"], "rate", period=str(period),
                   extra={"forecast": total["forecast"], "projection": total["projection"]})]


BUILT_IN = {i.id: i for i in (
    Indicator("six_week_followup", "share", ("cases", "activities"), _six_week),
    Indicator("caseload", "ratio", ("cases", "staff"), _caseload),
    Indicator("cases_without_caseworker", "count", ("cases", "staff"), _orphans),
    Indicator("investigation_overdue", "count", ("cases", "investigations"), _overdue),
    Indicator("turnover", "rate", ("staff",), _turnover),
    Indicator("continuity", "share", ("cases", "activities"), _continuity),
    Indicator("family_care_share", "share", ("cases", "measures"), _family_care),
    Indicator("placements", "count", ("cases", "measures"), _placements),
    Indicator("repeat_notifications", "count", ("notifications",), _repeat),
    Indicator("notifications", "count", ("notifications",), _notifications),
    Indicator("supervision_completion", "share", ("cases", "staff", "activities"), _supervision_completion),
    Indicator("supervision_findings", "share", ("cases", "activities"), _supervision_findings),
    Indicator("budget", "rate", ("budget",), _budget_used),
)}


LABELS = {
    "six_week_followup": N_("Cases followed up within 6 weeks"),
    "caseload": N_("Cases per caseworker FTE"),
    "cases_without_caseworker": N_("Active cases without a caseworker"),
    "investigation_overdue": N_("Open investigations past 4 months"),
    "turnover": N_("Staff turnover, 12 months"),
    "continuity": N_("Cases with two or more changes of caseworker"),
    "family_care_share": N_("Placements in foster or network families"),
    "placements": N_("Placed children"),
    "repeat_notifications": N_("Children notified twice or more in 12 months"),
    "notifications": N_("Notifications this month"),
    "supervision_completion": N_("Supervision sample reviewed"),
    "supervision_findings": N_("Reviews with a deviation"),
    "budget": N_("Budget used, year to date"),
}


def label_of(indicator_id: str, rules):
    """The label of any indicator: a rule's own {da, en} title or a message id."""
    if indicator_id in rules.rules:
        return rules[indicator_id].title
    return LABELS.get(indicator_id, indicator_id)


def indicator(indicator_id: str, rules) -> Indicator | None:
    """The indicator with this id: a rule of the catalogue or one of the others."""
    if indicator_id in rules.rules:
        rule = rules[indicator_id]
        return Indicator(indicator_id, "share", REQUIRES[rule.kind], _rule(indicator_id))
    return BUILT_IN.get(indicator_id)


def indicator_figures(indicator_id: str, context, period: Period) -> list[Figure]:
    """Figures (municipality and per team) of any indicator for ``period``, each computed once per build."""
    cache = getattr(context, "figures_cache", None)
    key = (indicator_id, str(period))
    if cache is not None and key in cache:
        return list(cache[key])
    found = indicator(indicator_id, context.rules)
    if found is None:
        raise KeyError(indicator_id)
    at = context.at(period) if hasattr(context, "at") else context
    figures = found.figures(at, period)
    if cache is not None:
        cache[key] = tuple(figures)  # Figures are frozen; the tuple keeps callers from changing the list
    return figures


def current_figures(indicator_id: str, context) -> list[Figure]:
    """The indicator for the context's period, as a section shows it (no period mark)."""
    return [f.with_(period=None) for f in indicator_figures(indicator_id, context, context.period)]


def trend_figures(indicator_id: str, context, months: int = 12) -> list[Figure]:
    """The indicator for each of the ``months`` months up to the context's period."""
    return [f for p in context.period.trailing(months) for f in indicator_figures(indicator_id, context, p)]


__all__ = ["BREACH", "BUILT_IN", "Indicator", "count_figures", "current_figures", "indicator", "indicator_figures",
           "rule_figures", "trend_figures"]
