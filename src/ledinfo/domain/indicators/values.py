"""The indicators of domain.md, each as a function of (context, period) giving figures.

Each gives the municipality's figure and one per team for one month. The
built-in sections provide them (``Section.indicators``); the build gathers every
section's into ``context.indicators``, so sections compute figures and 12-month
trends through one door, and the goals section can follow any of them.
"""

from __future__ import annotations

import polars as pl

from ledinfo.domain.indicator import Indicator, in_passes, shared
from ledinfo.domain.indicators.activity import AT as ACTIVE_AT
from ledinfo.domain.indicators.activity import (
    active_measures,
    active_measures_at,
    children_by_measure,
    measures_by_category,
    new_placements_by_month,
    notifications_by_month,
    placement_counted_on,
    placements,
    repeat_notifications,
    repeat_notifications_at,
)
from ledinfo.domain.indicators.caseload import (
    GUIDELINE,
    caseload_by_caseworker,
    caseload_by_caseworker_at,
    caseload_by_team,
    cases_without_caseworker,
    cases_without_caseworker_at,
    summary_extra,
)
from ledinfo.domain.indicators.common import (
    KNOWN,
    ends_frame,
    in_periods,
    known_by,
    known_table,
    share_counts,
    share_figures,
    share_figures_at,
    share_figures_counted,
)
from ledinfo.domain.indicators.deadlines import (
    BREACH,
    END_KINDS,
    MET,
    PENDING,
    REQUIRES,
    SPAN_KINDS,
    investigation_overdue,
    investigation_overdue_at,
    judge,
    judge_at_ends,
    judge_many,
)
from ledinfo.domain.indicators.economy import budget_to_date, budget_totals_at
from ledinfo.domain.indicators.followup import AWAITING, six_week_followup, six_week_followup_at
from ledinfo.domain.indicators.outcomes import INSTITUTIONS
from ledinfo.domain.indicators.staffing import AT as CASES_AT
from ledinfo.domain.indicators.staffing import active_cases_at, continuity, continuity_at, turnover, turnover_at
from ledinfo.extract.schema import MEASURE_CATEGORIES, REPORTER_TYPES
from ledinfo.language import N_
from ledinfo.model.period import Period, add_months
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


def count_figures_at(indicator: str, frame: pl.DataFrame, periods, at: str, count: str | None = None) -> dict:
    """:func:`count_figures` for many periods in one pass: ``frame`` holds the rows of every period, each beside its
    period's last day (its ``at`` column); each period's figures as :func:`count_figures` gives them for the rows of
    its end, marked with the period. ``count``: the rows counted already, per end and team, in this column."""
    counts: dict = {}
    counted = frame.group_by(at, "team").len() if count is None else frame.select(at, "team", count)
    for day, team, number in counted.iter_rows():
        counts.setdefault(day, []).append((team, number))
    found = {}
    for period in periods:
        teams = sorted(counts.get(period.end, []), key=lambda item: str(item[0]))
        found[period] = [Figure(indicator, sum(number for _, number in teams), unit="count", period=str(period))] + [
            Figure(indicator, number, unit="count", team=team, period=str(period)) for team, number in teams]
    return found


def rule_figures(items: pl.DataFrame, indicator: str, period: str | None = None) -> list[Figure]:
    """A rule's share met among the judged items (pending left out, counted in ``extra``)."""
    judged = items.filter(pl.col("status") != PENDING).with_columns((pl.col("status") == MET).alias("met"))
    figures = share_figures(judged, indicator, "met", period=period)
    pending = items.filter(pl.col("status") == PENDING)
    counts = dict(pending.group_by("team").len().iter_rows()) if pending.height else {}
    return [f.with_(extra={"pending": pending.height if f.team is None else counts.get(f.team, 0)})
            for f in figures]


def rule_figures_many(items: pl.DataFrame, indicator: str, periods) -> dict:
    """:func:`rule_figures` for many periods: ``items`` as :func:`judge_many` gives them (``\x00p``: the period)."""
    at = "\x00p"
    judged = items.filter(pl.col("status") != PENDING).with_columns((pl.col("status") == MET).alias("met"))
    found = share_figures_at(judged, indicator, "met", periods, at=at, key=list(range(len(periods))))
    pending = items.filter(pl.col("status") == PENDING)
    total = dict(pending.group_by(at).len().iter_rows())
    by_team: dict = {}
    for index, team, count in pending.group_by(at, "team").len().iter_rows():
        by_team.setdefault(index, {})[team] = count
    return {period: [f.with_(extra={"pending": total.get(index, 0) if f.team is None
                                    else by_team.get(index, {}).get(f.team, 0)}) for f in found[period]]
            for index, period in enumerate(periods)}


def _six_week(context, period):
    frame = six_week_followup(context.extract["cases"], context.extract["activities"], period.end,
                              context.standards.followup_interval_days)
    return share_figures(frame, "six_week_followup", "followed_up", period=str(period), pending=AWAITING)


def _six_week_many(context, periods):
    """:func:`_six_week` for many periods in one pass (the cases × the periods' ends)."""
    frame = six_week_followup_at(context.extract["cases"], context.extract["activities"], ends_frame(periods),
                                 context.standards.followup_interval_days)
    return share_figures_at(frame, "six_week_followup", "followed_up", periods, pending=AWAITING)


def _caseload(context, period):
    return _caseload_figures(caseload_by_caseworker(context.extract["cases"], context.extract["staff"], period.end),
                             period)


def _caseload_figures(per_caseworker: pl.DataFrame, period) -> list[Figure]:
    return [Figure("caseload", r["caseload"], r["cases"], r["fte"], "ratio", team=r["team"], period=str(period),
                   extra=summary_extra(r))
            for r in caseload_by_team(per_caseworker).iter_rows(named=True)]


def _caseload_many(context, periods):
    """:func:`_caseload` for many periods in one pass: a state at the period's end (a quarter's is its last
    month's)."""
    if context.timeline is None:
        return {}
    ends = sorted({period.end for period in periods})
    frames = caseload_by_caseworker_at(active_cases_at(context.timeline, ends), known_table(context.timeline, "staff"),
                                       ends, CASES_AT)
    return {period: _caseload_figures(frames[period.end], period) for period in periods}


def _orphans(context, period):
    frame = cases_without_caseworker(context.extract["cases"], context.extract["staff"], period.end)
    return count_figures("cases_without_caseworker", frame, str(period))


def _overdue(context, period):
    frame = investigation_overdue(context.extract, period.end, context.rules["investigation_4m"])
    return count_figures("investigation_overdue", frame, str(period))


def _overdue_many(context, periods):
    """:func:`_overdue` for many periods in one pass."""
    if context.timeline is None:
        return {}
    frame = investigation_overdue_at(context.timeline, sorted({period.end for period in periods}),
                                     context.rules["investigation_4m"], OVERDUE_AT)
    return count_figures_at("investigation_overdue", frame, periods, OVERDUE_AT)


OVERDUE_AT = "\x00at"


def _turnover(context, period):
    return _turnover_figures(turnover(context.extract["staff"], period), period)


def _turnover_figures(frame: pl.DataFrame, period) -> list[Figure]:
    return [Figure("turnover", r["value"], r["leavers"], r["average"], "rate", team=r["team"], period=str(period),
                   share_of=ShareOf.COMPOSITION)  # staff who left: a count of people
            for r in frame.iter_rows(named=True)]


def _turnover_many(context, periods):
    """:func:`_turnover` for many periods in one pass (it depends on a period's end only)."""
    if context.timeline is None:
        return {}
    frames = turnover_at(context.timeline, sorted({period.end for period in periods}))
    return {period: _turnover_figures(frames[period.end], period) for period in periods}


def _continuity(context, period):
    frame = continuity(context.extract["cases"], context.extract["activities"], period.end)
    return share_figures(frame, "continuity", "changed_twice", period=str(period))


def _cases_at_ends(context, periods) -> dict[str, pl.DataFrame]:
    """What continuity and the cases without a caseworker read of the cases active at each period's end, as known by
    it (:func:`active_cases_at`), made once per build for both (shared): their counts per end and team, not the
    rows (a case per end: millions for a large extract)."""
    ends = tuple(sorted({period.end for period in periods}))

    def counts():
        active = active_cases_at(context.timeline, list(ends))
        found = {}
        # each only where its tables are there (an extract without activities still counts the cases without a
        # caseworker: the indicators' own requirements decide, as month by month)
        if "staff" in context.timeline.tables:
            orphans = cases_without_caseworker_at(active, known_table(context.timeline, "staff"), CASES_AT)
            found["orphans"] = orphans.group_by(CASES_AT, "team").len()
        if "activities" in context.timeline.tables:
            changes = continuity_at(active, known_table(context.timeline, "activities"))
            found["continuity"] = share_counts(changes, "changed_twice", CASES_AT)
        return found
    return shared(context, "cases_at_ends", ends, counts)


def _orphans_many(context, periods):
    """:func:`_orphans` for many periods in one pass."""
    if context.timeline is None:
        return {}
    return count_figures_at("cases_without_caseworker", _cases_at_ends(context, periods)["orphans"], periods, CASES_AT,
                            "len")


def _continuity_many(context, periods):
    """:func:`_continuity` for many periods in one pass."""
    if context.timeline is None:
        return {}
    return share_figures_counted(_cases_at_ends(context, periods)["continuity"], "continuity", periods, CASES_AT)


def _family_care(context, period):
    placed = placements(active_measures(context.extract["measures"], context.extract["cases"], period.end))
    return [f.with_(share_of=ShareOf.COMPOSITION)  # placements by type: children by a characteristic
            for f in share_figures(placed, "family_care_share", "family_care", period=str(period))]


def _placements(context, period):
    """Children with an active placement (docs/indicators.md): a child in two placements counts once per team."""
    children = children_by_measure(active_measures(context.extract["measures"], context.extract["cases"], period.end))
    return _children_figures("placements", "placed", children, str(period))


def _children_figures(indicator: str, column: str, children: pl.DataFrame, period: str) -> list[Figure]:
    """The children of :func:`children_by_measure`'s ``column``: in all, and per team (in its order)."""
    figures = [Figure(indicator, int(children[column].sum()), unit="count", period=period)]
    return figures + [Figure(indicator, int(count), unit="count", team=team, period=period)
                      for team, count in children.select("team", column).iter_rows() if team is not None]


def active_measures_of(context, periods) -> dict[str, pl.DataFrame]:
    """What the indicators of active measures read of the measures active at each period's end, as known by it
    (:func:`active_measures_at`), made once per build for all of them (shared): their counts per end and team, not
    the rows (a measure per end: millions for a large extract) — the children (:func:`children_by_measure`), the
    measures by category (:func:`measures_by_category`), the placements in a family and the long institution
    placements (``long``: started over 12 months before the end)."""
    ends = tuple(sorted({period.end for period in periods}))

    def counts():
        active = active_measures_at(context.timeline, list(ends))
        before = pl.DataFrame({ACTIVE_AT: list(ends), "\x00before": [add_months(end, -12) for end in ends]},
                              schema={ACTIVE_AT: pl.Date, "\x00before": pl.Date})
        long = (active.filter(pl.col("category").is_in(INSTITUTIONS)).join(before, on=ACTIVE_AT)
                .filter(pl.col("started_on") < pl.col("\x00before")))
        return {"children": children_by_measure(active, (ACTIVE_AT,)),
                "by_category": measures_by_category(active, (ACTIVE_AT,)),
                "family_care": share_counts(placements(active), "family_care", ACTIVE_AT),
                "long": long.group_by(ACTIVE_AT, "team").len()}
    return shared(context, "active_measures_at", ends, counts)


def _rows_at_end(frame: pl.DataFrame):
    """``frame``'s rows of one end (its ``ACTIVE_AT``), as a function of the end: none (the same columns) for an end
    without rows."""
    rows_of = {end: rows for (end,), rows in frame.partition_by(ACTIVE_AT, as_dict=True).items()}
    empty = frame.clear()
    return lambda end: rows_of.get(end, empty)


def _children_many(indicator: str, column: str):
    """:func:`_placements` or :func:`_preventive` for many periods in one pass."""
    def many(context, periods) -> dict:
        if context.timeline is None:
            return {}
        at_end = _rows_at_end(active_measures_of(context, periods)["children"])
        return {period: _children_figures(indicator, column, at_end(period.end), str(period)) for period in periods}
    return many


def _measures_many(folded: tuple[str, dict] | None = None):
    """:func:`_active_measures` (``folded`` None) or its categories folded (:func:`_placement_types`,
    :func:`_placement_groups`: the indicator and its groups) for many periods in one pass."""
    def many(context, periods) -> dict:
        if context.timeline is None:
            return {}
        at_end = _rows_at_end(active_measures_of(context, periods)["by_category"])
        found = {}
        for period in periods:
            figures = _measures_figures(at_end(period.end), str(period))
            found[period] = figures if folded is None else _folded(folded[0], figures, folded[1])
        return found
    return many


def _family_care_many(context, periods):
    """:func:`_family_care` for many periods in one pass."""
    if context.timeline is None:
        return {}
    found = share_figures_counted(active_measures_of(context, periods)["family_care"], "family_care_share", periods,
                                  ACTIVE_AT)
    return {period: [f.with_(share_of=ShareOf.COMPOSITION) for f in figures] for period, figures in found.items()}


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
    return _measures_figures(measures_by_category(active_measures(context.extract["measures"], context.extract["cases"],
                                                                  period.end)), str(period))


def _measures_figures(by_category: pl.DataFrame, period: str) -> list[Figure]:
    """:func:`_active_measures`' figures from :func:`measures_by_category`'s rows of one end."""
    rows = by_category.select("team", "category", "count").rows()
    totals: dict[str, int] = {}
    for _, category, count in rows:  # in plain Python: a query per end cost more than the rest
        totals[category] = totals.get(category, 0) + count
    figures = [Figure("active_measures", int(totals.get(c, 0)), unit="count", period=period, category=c)
               for c in MEASURE_CATEGORIES]
    return figures + [Figure("active_measures", int(count), unit="count", team=team, period=period,
                             category=category) for team, category, count in rows if team is not None]


def _preventive(context, period):
    """Children with an active preventive measure (a child with two counts once)."""
    children = children_by_measure(active_measures(context.extract["measures"], context.extract["cases"], period.end))
    return _children_figures("preventive", "preventive", children, str(period))


def _new_placements(context, period):
    """Placements new in the period: started in it, or decided in it after starting before it
    (:func:`placement_counted_on`; a measure, not a child: a child placed twice counts twice)."""
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


def _repeat_many(context, periods):
    """:func:`_repeat` for many periods in one pass."""
    if context.timeline is None:
        return {}
    frame = repeat_notifications_at(context.timeline, sorted({period.end for period in periods}))
    return count_figures_at("repeat_notifications", frame, periods, ACTIVE_AT)


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


def _notification_tallies(context, periods) -> dict | None:
    """What :func:`notifications_by_month` gives each period, in one pass: per period the teams it lists (those
    with a notification known by its end), the notifications received in it by team (a notification without a
    team is in no team's row, nor in the total: the grid's join leaves it out) and by reporter type."""
    if context.timeline is None:
        return None
    notes = known_table(context.timeline, "notifications")
    teams = known_by(notes, "team")
    # the notifications counted by day first, then each day beside the periods it falls in (a range join): the
    # notifications × the periods crossed held every row ~50 times (a large extract's build: gigabytes, issue 27)
    by_day = (notes.filter(pl.col("team").is_not_null() & pl.col("reporter_type").is_in(REPORTER_TYPES))
              .group_by(pl.col("received_at").dt.date().alias("\x00day"), "team", "reporter_type").len())
    counted = (in_periods(by_day, periods, "\x00day")
               .group_by("\x00p", "team", "reporter_type").agg(pl.col("len").sum()))
    tallies = {index: ({}, {}) for index in range(len(periods))}
    for index, team, reporter, count in counted.iter_rows():
        by_team, by_reporter = tallies[index]
        by_team[team] = by_team.get(team, 0) + count
        by_reporter[reporter] = by_reporter.get(reporter, 0) + count
    found = {}
    for index, period in enumerate(periods):
        listed = sorted((t for t, first in teams.items() if first is None or first <= period.end), key=str)
        found[period] = (listed, *tallies[index])
    return found


def _notifications_many(context, periods):
    """:func:`_notifications` for many periods in one pass."""
    tallies = _notification_tallies(context, periods)
    if tallies is None:
        return {}
    found = {}
    for period, (teams, by_team, by_reporter) in tallies.items():
        label = str(period)
        found[period] = [Figure("notifications", sum(by_team.values()), unit="count", period=label)] + [
            Figure("notifications", by_team.get(team, 0), unit="count", team=team, period=label) for team in teams] + [
            Figure("notifications", by_reporter.get(reporter, 0), unit="count", period=label, category=reporter)
            for reporter in REPORTER_TYPES]
    return found


def _notifications_from_many(context, periods):
    """:func:`_notifications_from` for many periods in one pass."""
    tallies = _notification_tallies(context, periods)
    if tallies is None:
        return {}
    return {period: [Figure("notifications_from", sum(by_reporter.get(r, 0) for r in members), unit="count",
                            period=str(period), category=group) for group, members in REPORTER_GROUPS.items()]
            for period, (_, _, by_reporter) in tallies.items()}


def _new_placements_many(context, periods):
    """:func:`_new_placements` for many periods in one pass: placements new in each (counted on
    :func:`placement_counted_on`), known by its end, by the teams of the cases known by then."""
    if context.timeline is None:
        return {}
    cases = known_table(context.timeline, "cases")
    teams = known_by(cases, "team")
    placed = (known_table(context.timeline, "measures").filter(pl.col("category").str.starts_with("anbringelse"))
              .select("case_id", placement_counted_on().alias("counted_on"), KNOWN)
              .join(cases.select("case_id", "team"), on="case_id", how="left")
              .filter(pl.col("team").is_not_null()))
    counted = (in_periods(placed, periods, "counted_on")
               .filter(pl.col(KNOWN).is_null() | (pl.col(KNOWN) <= pl.col("\x00end")))
               .group_by("\x00p", "team").len())
    by_period: dict = {}
    for index, team, count in counted.iter_rows():
        by_period.setdefault(index, {})[team] = count
    found = {}
    for index, period in enumerate(periods):
        listed = sorted((t for t, first in teams.items() if t is not None and (first is None or first <= period.end)),
                        key=str)
        counts = {team: by_period.get(index, {}).get(team, 0) for team in listed}
        found[period] = [Figure("new_placements", sum(counts.values()), unit="count", period=str(period))] + [
            Figure("new_placements", counts[team], unit="count", team=team, period=str(period)) for team in listed]
    return found


def _budget_used(context, period):
    frame = budget_to_date(context.extract["budget"], period)
    return _budget_figures(frame.filter(pl.col("function_code").is_null()).row(0, named=True), period)


def _budget_figures(total: dict, period) -> list[Figure]:
    return [Figure("budget", total["used"], total["actual"], total["corrected"], "rate", period=str(period),
                   extra={"forecast": total["forecast"], "projection": total["projection"]})]


def _budget_many(context, periods):
    """:func:`_budget_used` for many periods: the year to date depends on a period's last month only, each of
    which is computed once (:func:`budget_totals_at`)."""
    if context.timeline is None:
        return {}
    months = sorted({period.last_month for period in periods}, key=lambda month: month.end)
    totals = budget_totals_at(context.timeline.tables["budget"], months)
    return {period: _budget_figures(totals[period.last_month], period) for period in periods}


def _indicator(indicator_id: str, unit: str, requires: tuple[str, ...], figures, label, over: Over = Over.END,
               standard: Yardstick | None = None, counts: str | None = None, many=None) -> Indicator:
    return Indicator(indicator_id, unit, requires, figures, label, over, standard, counts, many)


# What each kind of rule judges: its share's items
RULE_COUNTS = {"notification_assessment": "notifications", "receipt": "notifications", "investigation": "investigations",
               "plan": "placements", "first_followup": "measures", "recurring_followup": "measures",
               "visits": "placements", "youth_decision": "young_people"}


# The indicators' own yardsticks (domain.md, "Verdicts"): the professional guideline of 20–30 children per
# caseworker is met at 30 or fewer. (The local 6-week standard is a target: ledinfo.plugins.local_standards.)
CASELOAD_GUIDELINE = Yardstick("caseload", Basis.PROFESSIONAL, GUIDELINE[1], "at_most",
                               N_("at most 30 cases per FTE"), "ratio")


INDICATORS = {i.id: i for i in (
    _indicator("six_week_followup", "share", ("cases", "activities"), _six_week, N_("Cases followed up within 6 weeks"),
               counts="cases", many=_six_week_many),
    _indicator("caseload", "ratio", ("cases", "staff"), _caseload, N_("Cases per caseworker FTE"),
               standard=CASELOAD_GUIDELINE, counts="cases", many=in_passes(_caseload_many)),
    _indicator("cases_without_caseworker", "count", ("cases", "staff"), _orphans,
               N_("Active cases without a caseworker"), counts="cases", many=in_passes(_orphans_many)),
    _indicator("investigation_overdue", "count", ("cases", "investigations"), _overdue,
               N_("Open investigations past 4 months"), counts="investigations", many=_overdue_many),
    _indicator("turnover", "rate", ("staff",), _turnover, N_("Staff turnover, 12 months"), counts="caseworkers",
               many=_turnover_many),
    _indicator("continuity", "share", ("cases", "activities"), _continuity,
               N_("Cases with two or more changes of caseworker"), counts="cases", many=in_passes(_continuity_many)),
    _indicator("family_care_share", "share", ("cases", "measures"), _family_care,
               N_("Placements in foster or network families"), counts="placements", many=in_passes(_family_care_many)),
    _indicator("placements", "count", ("cases", "measures"), _placements, N_("Placed children"), counts="children",
               many=in_passes(_children_many("placements", "placed"))),
    _indicator("preventive", "count", ("cases", "measures"), _preventive, N_("Children with preventive measures"),
               counts="children", many=in_passes(_children_many("preventive", "preventive"))),
    _indicator("active_measures", "count", ("cases", "measures"), _active_measures, N_("Active measures"),
               counts="measures", many=in_passes(_measures_many())),
    _indicator("new_placements", "count", ("cases", "measures"), _new_placements, N_("New placements in the period"),
               Over.SPAN, counts="placements", many=_new_placements_many),
    _indicator("repeat_notifications", "count", ("notifications",), _repeat,
               N_("Children notified twice or more in 12 months"), counts="children", many=in_passes(_repeat_many)),
    _indicator("notifications", "count", ("notifications",), _notifications, N_("Notifications in the period"),
               Over.SPAN, counts="notifications", many=_notifications_many),
    _indicator("notifications_from", "count", ("notifications",), _notifications_from,
               N_("Notifications from professionals and from citizens"), Over.SPAN, counts="notifications",
               many=_notifications_from_many),
    _indicator("placement_types", "count", ("cases", "measures"), _placement_types, N_("Placements by type"),
               counts="placements", many=in_passes(_measures_many(("placement_types", PLACEMENT_TYPES)))),
    _indicator("placement_groups", "count", ("cases", "measures"), _placement_groups,
               N_("Placements in a family and in residential care"), counts="placements",
               many=in_passes(_measures_many(("placement_groups", PLACEMENT_GROUPS)))),
    _indicator("budget", "rate", ("budget",), _budget_used, N_("Budget used, year to date"), many=_budget_many),
)}


def rule_indicator(rule) -> Indicator:
    """A rule of the catalogue as an indicator: the share of judged items that met it."""
    def figures(context, period: Period) -> list[Figure]:
        return rule_figures(judge(context.extract, period, context.rules[rule.id]), rule.id, str(period))
    # the law's deadline is the rule's own yardstick; a local rule's is the municipality's, a target
    # (ledinfo.plugins.local_standards)
    standard = None if rule.local else Yardstick(rule.id, Basis.LAW, 1.0, "at_least", EVERY_DEADLINE)

    def many(context, periods) -> dict:
        if context.timeline is None:  # a context made without one: period by period
            return {}
        judged = context.rules[rule.id]
        if rule.kind in END_KINDS:
            items = judge_at_ends(context.timeline, periods, judged)
            return {} if items is None else rule_figures_many(items, rule.id, periods)
        return rule_figures_many(judge_many(context.timeline, periods, judged), rule.id, periods)

    # the items of the period as known at its end (SPAN_KINDS), or the state at its end (END_KINDS): all periods
    # in one pass
    return Indicator(rule.id, "share", REQUIRES[rule.kind], figures, rule.title, Over.SPAN,
                     standard, RULE_COUNTS.get(rule.kind),
                     many if rule.kind in SPAN_KINDS + END_KINDS else None)


__all__ = ["BREACH", "INDICATORS", "count_figures", "rule_figures", "rule_indicator"]
