"""The indicators of domain.md, each as a function of (context, period) giving figures.

Each gives the municipality's figure and one per team for one month. The
built-in sections provide them (``Section.indicators``); the build gathers every
section's into ``context.indicators``, so sections compute figures and 12-month
trends through one door, and the goals section can follow any of them.
"""

from __future__ import annotations

import polars as pl

from ledinfo.domain.indicator import Indicator
from ledinfo.domain.indicators.activity import (
    active_measures,
    children_by_measure,
    measures_by_category,
    new_placements_by_month,
    notifications_by_month,
    placements,
    repeat_notifications,
)
from ledinfo.domain.indicators.caseload import (
    GUIDELINE,
    caseload_by_caseworker,
    caseload_by_team,
    cases_without_caseworker,
    summary_extra,
)
from ledinfo.domain.indicators.common import share_figures
from ledinfo.domain.indicators.deadlines import BREACH, MET, PENDING, REQUIRES, investigation_overdue, judge
from ledinfo.domain.indicators.economy import budget_to_date
from ledinfo.domain.indicators.followup import six_week_followup
from ledinfo.domain.indicators.staffing import continuity, turnover
from ledinfo.extract.schema import MEASURE_CATEGORIES, REPORTER_TYPES
from ledinfo.language import N_
from ledinfo.model.period import Period
from ledinfo.model.results import Figure, Over, ShareOf
from ledinfo.model.verdicts import Basis, Yardstick

EVERY_DEADLINE = N_("every deadline kept")


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


def _six_week(context, period):
    frame = six_week_followup(context.extract["cases"], context.extract["activities"], period.end,
                              context.standards.followup_interval_days)
    return share_figures(frame, "six_week_followup", "followed_up", period=str(period))


def _caseload(context, period):
    by_team = caseload_by_team(caseload_by_caseworker(context.extract["cases"], context.extract["staff"], period.end))
    return [Figure("caseload", r["caseload"], r["cases"], r["fte"], "ratio", team=r["team"], period=str(period),
                   extra=summary_extra(r))
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
    """Children with an active placement (docs/indicators.md): a child in two placements counts once per team."""
    children = children_by_measure(active_measures(context.extract["measures"], context.extract["cases"], period.end))
    figures = [Figure("placements", int(children["placed"].sum()), unit="count", period=str(period))]
    return figures + [Figure("placements", int(placed), unit="count", team=team, period=str(period))
                      for team, placed in children.select("team", "placed").iter_rows() if team is not None]


# Folded for a small municipality's committee: a breakdown of few children or notifications shows in fewer parts
REPORTER_GROUPS = {"professional": ("professional",), "others": ("private", "anonymous")}
PLACEMENT_TYPES = {"family": ("anbringelse_plejefamilie", "anbringelse_netvaerk"),
                   "residential": ("anbringelse_opholdssted", "anbringelse_eget_vaerelse"),
                   "institution": ("anbringelse_doegninstitution",)}
# two parts, for a small municipality (a few dozen placements): in a family, or in residential care
PLACEMENT_GROUPS = {"family": PLACEMENT_TYPES["family"],
                    "residential_care": PLACEMENT_TYPES["residential"] + PLACEMENT_TYPES["institution"]}


def _folded(indicator: str, figures: list[Figure], groups: dict[str, tuple[str, ...]]) -> list[Figure]:
    """The category figures of ``figures`` summed into ``groups``, for the municipality and each team."""
    sums: dict[tuple, int] = {}
    for f in figures:
        for group, members in groups.items():
            if f.category in members:
                sums[(f.team, group)] = sums.get((f.team, group), 0) + int(f.value)
    period = figures[0].period if figures else None
    teams = sorted({f.team for f in figures}, key=lambda t: (t is not None, str(t)))
    return [Figure(indicator, sums.get((team, group), 0), unit="count", team=team, period=period, category=group)
            for team in teams for group in groups]


def _notifications_from(context, period):
    """Notifications from professionals, and from citizens (private or anonymous)."""
    return _folded("notifications_from", _notifications_by_reporter(context, period), REPORTER_GROUPS)


def _placement_types(context, period):
    """Placements at the period's end: in a family (foster or network), a residential home or own room, an
    institution (the account functions 5.28.22, 5.28.20, 5.28.23)."""
    return _folded("placement_types", _active_measures(context, period), PLACEMENT_TYPES)


def _placement_groups(context, period):
    """Placements at the period's end: in a family (foster or network), or in residential care."""
    return _folded("placement_groups", _active_measures(context, period), PLACEMENT_GROUPS)


def _active_measures(context, period):
    """Active measures at the period's end by category (every category, zeros too: a reader sees them all)."""
    by_category = measures_by_category(active_measures(context.extract["measures"], context.extract["cases"],
                                                       period.end))
    totals = dict(by_category.group_by("category").agg(pl.col("count").sum()).iter_rows())
    figures = [Figure("active_measures", int(totals.get(c, 0)), unit="count", period=str(period), category=c)
               for c in MEASURE_CATEGORIES]
    return figures + [Figure("active_measures", int(count), unit="count", team=team, period=str(period),
                             category=category)
                      for team, category, count in by_category.iter_rows() if team is not None]


def _preventive(context, period):
    """Children with an active preventive measure (a child with two counts once)."""
    children = children_by_measure(active_measures(context.extract["measures"], context.extract["cases"], period.end))
    figures = [Figure("preventive", int(children["preventive"].sum()), unit="count", period=str(period))]
    return figures + [Figure("preventive", int(count), unit="count", team=team, period=str(period))
                      for team, count in children.select("team", "preventive").iter_rows() if team is not None]


def _new_placements(context, period):
    """Placements started in the period (a measure, not a child: a child placed twice counts twice)."""
    frame = new_placements_by_month(context.extract["measures"], context.extract["cases"], period.months())
    figures = [Figure("new_placements", int(frame["count"].sum()), unit="count", period=str(period))]
    for (team,), group in sorted(frame.group_by("team"), key=lambda item: str(item[0][0])):
        if team is not None:
            figures.append(Figure("new_placements", int(group["count"].sum()), unit="count", team=team,
                                  period=str(period)))
    return figures


def _repeat(context, period):
    frame = repeat_notifications(context.extract["notifications"], period.end).filter(pl.col("repeat"))
    return count_figures("repeat_notifications", frame, str(period))


def _notifications(context, period):
    frame = notifications_by_month(context.extract["notifications"], period.months())
    total = int(frame["count"].sum())
    figures = [Figure("notifications", total, unit="count", period=str(period))]
    for (team,), group in sorted(frame.group_by("team"), key=lambda item: str(item[0][0])):
        figures.append(Figure("notifications", int(group["count"].sum()), unit="count", team=team, period=str(period)))
    return figures + _notifications_by_reporter(context, period, frame)


def _notifications_by_reporter(context, period, frame=None):
    """The municipality's notifications by reporter type (zeros too: a reader sees every type), one door for the
    charts and the protection: the same numbers in every pack that shows the period."""
    if frame is None:
        frame = notifications_by_month(context.extract["notifications"], period.months())
    by_reporter = dict(frame.group_by("reporter_type").agg(pl.col("count").sum()).iter_rows())
    return [Figure("notifications", int(by_reporter.get(reporter, 0)), unit="count", period=str(period),
                   category=reporter) for reporter in REPORTER_TYPES]


def _budget_used(context, period):
    frame = budget_to_date(context.extract["budget"], period)
    total = frame.filter(pl.col("function_code").is_null()).row(0, named=True)
    return [Figure("budget", total["used"], total["actual"], total["corrected"], "rate", period=str(period),
                   extra={"forecast": total["forecast"], "projection": total["projection"]})]


def _indicator(indicator_id: str, unit: str, requires: tuple[str, ...], figures, label, over: Over = Over.END,
               standard: Yardstick | None = None, counts: str | None = None) -> Indicator:
    return Indicator(indicator_id, unit, requires, figures, label, over, standard, counts)


# What each kind of rule judges: its share's items
RULE_COUNTS = {"notification_assessment": "notifications", "receipt": "notifications", "investigation": "investigations",
               "plan": "placements", "first_followup": "measures", "recurring_followup": "measures",
               "visits": "placements", "youth_decision": "young_people"}


# The indicators' own yardsticks (domain.md, "Verdicts"): the local 6-week standard asks for every case; the
# professional guideline of 20–30 children per caseworker is met at 30 or fewer
SIX_WEEKS = Yardstick("six_week_followup", Basis.LOCAL, 1.0, "at_least", N_("every case followed up"))
CASELOAD_GUIDELINE = Yardstick("caseload", Basis.PROFESSIONAL, GUIDELINE[1], "at_most",
                               N_("at most 30 cases per FTE"), "ratio")


INDICATORS = {i.id: i for i in (
    _indicator("six_week_followup", "share", ("cases", "activities"), _six_week, N_("Cases followed up within 6 weeks"),
               standard=SIX_WEEKS, counts="cases"),
    _indicator("caseload", "ratio", ("cases", "staff"), _caseload, N_("Cases per caseworker FTE"),
               standard=CASELOAD_GUIDELINE, counts="cases"),
    _indicator("cases_without_caseworker", "count", ("cases", "staff"), _orphans,
               N_("Active cases without a caseworker"), counts="cases"),
    _indicator("investigation_overdue", "count", ("cases", "investigations"), _overdue,
               N_("Open investigations past 4 months"), counts="investigations"),
    _indicator("turnover", "rate", ("staff",), _turnover, N_("Staff turnover, 12 months"), counts="caseworkers"),
    _indicator("continuity", "share", ("cases", "activities"), _continuity,
               N_("Cases with two or more changes of caseworker"), counts="cases"),
    _indicator("family_care_share", "share", ("cases", "measures"), _family_care,
               N_("Placements in foster or network families"), counts="placements"),
    _indicator("placements", "count", ("cases", "measures"), _placements, N_("Placed children"), counts="children"),
    _indicator("preventive", "count", ("cases", "measures"), _preventive, N_("Children with preventive measures"),
               counts="children"),
    _indicator("active_measures", "count", ("cases", "measures"), _active_measures, N_("Active measures"),
               counts="measures"),
    _indicator("new_placements", "count", ("cases", "measures"), _new_placements, N_("New placements in the period"),
               Over.SPAN, counts="placements"),
    _indicator("repeat_notifications", "count", ("notifications",), _repeat,
               N_("Children notified twice or more in 12 months"), counts="children"),
    _indicator("notifications", "count", ("notifications",), _notifications, N_("Notifications in the period"),
               Over.SPAN, counts="notifications"),
    _indicator("notifications_from", "count", ("notifications",), _notifications_from,
               N_("Notifications from professionals and from citizens"), Over.SPAN, counts="notifications"),
    _indicator("placement_types", "count", ("cases", "measures"), _placement_types, N_("Placements by type"),
               counts="placements"),
    _indicator("placement_groups", "count", ("cases", "measures"), _placement_groups,
               N_("Placements in a family and in residential care"), counts="placements"),
    _indicator("budget", "rate", ("budget",), _budget_used, N_("Budget used, year to date")),
)}


def rule_indicator(rule) -> Indicator:
    """A rule of the catalogue as an indicator: the share of judged items that met it."""
    def figures(context, period: Period) -> list[Figure]:
        return rule_figures(judge(context.extract, period, context.rules[rule.id]), rule.id, str(period))
    basis = Basis.LOCAL if rule.local else Basis.LAW  # a local standard is the municipality's, not the law's
    return Indicator(rule.id, "share", REQUIRES[rule.kind], figures, rule.title, Over.SPAN,
                     Yardstick(rule.id, basis, 1.0, "at_least", EVERY_DEADLINE), RULE_COUNTS.get(rule.kind))


__all__ = ["BREACH", "INDICATORS", "count_figures", "rule_figures", "rule_indicator"]
