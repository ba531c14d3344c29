"""The effect and money indicators of domain.md ("Effect and money"), each as a function of (context, period).

Like :mod:`.values`: each gives the municipality's figure and one per team for a period, so the packs
compare them with the period before and a year earlier, trends follow them and ``[[plugins.goals.goal]]``
can set a goal for any of them ("højst 10 % sammenbrud": ``placement_breakdown``, ``at_most``, 0.10).
"""

from __future__ import annotations

import polars as pl

from ledinfo.domain.indicator import Indicator, in_passes, shared
from ledinfo.domain.indicators.activity import AT as ACTIVE_AT
from ledinfo.domain.indicators.common import known_cases, known_table, share_figures, share_figures_at
from ledinfo.domain.indicators.ladder import AT, ladder_moves, ladder_moves_at
from ledinfo.domain.indicators.outcomes import AT as ENDED_AT
from ledinfo.domain.indicators.outcomes import (
    ended_placements,
    ended_placements_at,
    long_institution_placements,
    median_days,
)
from ledinfo.domain.indicators.renotification import AT as RENOTIFIED_AT
from ledinfo.domain.indicators.renotification import renotification, renotification_at
from ledinfo.domain.indicators.spending import measure_use, measure_use_at, prevention_share, spending_by, use_sums_at
from ledinfo.domain.indicators.values import active_measures_of, count_figures, count_figures_at
from ledinfo.language import N_
from ledinfo.model.period import Period
from ledinfo.model.results import Figure, Over, ShareOf, Unit

LOWER_IS_BETTER = {"better": "lower"}  # a figure's extra: a team above the municipality is the one behind


def has_end_reasons(extract) -> bool:
    """Whether the source gave ``measures.end_reason`` (not only the schema's empty default)."""
    return extract.supplied("measures", "end_reason")


def has_costs(extract) -> bool:
    """Whether the source gave ``measures.monthly_cost``: spending and unit costs rest on it."""
    return extract.supplied("measures", "monthly_cost")


def _breakdown(context, period: Period) -> list[Figure]:
    """Of placements ended in the 12 months up to the end of P, the share ended with ``sammenbrud``
    (composition: its counts are children's placements by a characteristic). Without end reasons in the
    extract: the municipality's figure without a value, saying which column is missing."""
    if not has_end_reasons(context.extract):
        return [Figure("placement_breakdown", None, unit=Unit.SHARE, period=str(period), share_of=ShareOf.COMPOSITION,
                       extra={"missing_column": "measures.end_reason"})]
    ended = ended_placements(context.extract["measures"], context.extract["cases"], period.end)
    return [f.with_(share_of=ShareOf.COMPOSITION, extra=dict(LOWER_IS_BETTER))
            for f in share_figures(ended, "placement_breakdown", "breakdown", period=str(period))]


def _ended_at(context, periods) -> pl.DataFrame:
    """The placements ended in the 12 months up to each period's end, as known by it (:func:`ended_placements_at`),
    made once per build for the breakdowns and the durations alike (shared)."""
    ends = tuple(sorted({period.end for period in periods}))
    return shared(context, "ended_placements_at", ends, lambda: ended_placements_at(context.timeline, list(ends))
                  .select(ENDED_AT, "team", "days", "breakdown"))  # what they read, a row per placement and end


def _breakdown_many(context, periods) -> dict:
    """:func:`_breakdown` for many periods in one pass."""
    if context.timeline is None:
        return {}
    if not has_end_reasons(context.extract):  # a figure without a value, saying which column is missing
        return {period: _breakdown(context, period) for period in periods}
    found = share_figures_at(_ended_at(context, periods), "placement_breakdown", "breakdown", periods, at=ENDED_AT)
    return {period: [f.with_(share_of=ShareOf.COMPOSITION, extra=dict(LOWER_IS_BETTER)) for f in figures]
            for period, figures in found.items()}


def _duration_many(context, periods) -> dict:
    """:func:`_duration` for many periods in one pass: the medians of every end in two aggregations."""
    if context.timeline is None:
        return {}
    ended = _ended_at(context, periods)
    overall = {row[ENDED_AT]: row for row in median_days(ended, (ENDED_AT,)).iter_rows(named=True)}
    by_team: dict = {}
    for row in median_days(ended, (ENDED_AT, "team")).iter_rows(named=True):
        by_team.setdefault(row[ENDED_AT], []).append(row)
    found = {}
    for period in periods:
        total = overall.get(period.end, {"median": None, "placements": 0})
        found[period] = [Figure("placement_duration", row["median"], unit=Unit.DAYS, team=team, period=str(period),
                                base=row["placements"])
                         for team, row in [(None, total)] + [(r["team"], r) for r in by_team.get(period.end, [])]]
    return found


def duration_figures(ended: pl.DataFrame, indicator: str = "placement_duration", period: str | None = None,
                     category: str | None = None) -> list[Figure]:
    """The median days placed for the municipality and per team, each with the placements it rests on (its
    ``base``: the committee never sees a median of fewer than the threshold; domain.md, "Protection")."""
    figures = []
    for team, row in [(None, median_days(ended).row(0, named=True))] + [
            (r["team"], r) for r in median_days(ended, ("team",)).iter_rows(named=True)]:
        figures.append(Figure(indicator, row["median"], unit=Unit.DAYS, team=team, period=period, category=category,
                              base=row["placements"]))
    return figures


def _duration(context, period: Period) -> list[Figure]:
    ended = ended_placements(context.extract["measures"], context.extract["cases"], period.end)
    return duration_figures(ended, period=str(period))


def _long_institution(context, period: Period) -> list[Figure]:
    frame = long_institution_placements(context.extract["measures"], context.extract["cases"], period.end)
    return [f.with_(extra=dict(LOWER_IS_BETTER)) for f in count_figures("long_institution_placements", frame,
                                                                        str(period))]


def _moved(move: str):
    def figures(context, period: Period) -> list[Figure]:
        moves = ladder_moves(context.extract["measures"], context.extract["cases"], period.end)
        return count_figures(f"ladder_{move}", moves.filter(pl.col("move") == move), str(period))
    return figures


def _moved_many(move: str):
    """:func:`_moved` for many periods in one pass (:func:`ladder_moves_at`): the moves up and down at every last
    day of the periods, made once for both (shared)."""
    def many(context, periods) -> dict:
        if context.timeline is None:  # a context made without one: period by period
            return {}
        # Kept per end, not per list of ends: the committee's series asks again for the trend's ends among its own.
        # An end's moves are the same whichever ends they are made with (each end's rows are grouped apart, and
        # counted), and count_figures_at reads them in any order.
        cache = context.figures_cache
        ends = sorted({period.end for period in periods})
        todo = [end for end in ends if (LADDER_MOVES, end) not in cache]
        if todo:
            counted = (ladder_moves_at(context.timeline, todo).filter(pl.col("move").is_in(["up", "down"]))
                       .group_by(AT, "team", "move").len())  # counted: not a row a child
            parts = counted.partition_by(AT, as_dict=True)
            for end in todo:
                cache[(LADDER_MOVES, end)] = parts.get((end,), counted.clear())
        moves = pl.concat([cache[(LADDER_MOVES, end)] for end in ends])
        return count_figures_at(f"ladder_{move}", moves.filter(pl.col("move") == move), periods, AT, "len")
    return many


LADDER_MOVES = "\x00ladder_moves_at"  # an end's moves up and down, counted, in context.figures_cache


def _long_institution_many(context, periods) -> dict:
    """:func:`_long_institution` for many periods in one pass, from the measures active at each end (counted with
    the other indicators of active measures)."""
    if context.timeline is None:
        return {}
    found = count_figures_at("long_institution_placements", active_measures_of(context, periods)["long"], periods,
                             ACTIVE_AT, "len")
    return {period: [f.with_(extra=dict(LOWER_IS_BETTER)) for f in figures] for period, figures in found.items()}


def _renotification(context, period: Period) -> list[Figure]:
    frame = renotification(context.extract["cases"], context.extract["notifications"], period.end)
    return [f.with_(share_of=ShareOf.COMPOSITION, extra=dict(LOWER_IS_BETTER))
            for f in share_figures(frame, "renotification", "renotified", period=str(period))]


def _renotification_many(context, periods) -> dict:
    """:func:`_renotification` for many periods in one pass."""
    if context.timeline is None:
        return {}
    ends = sorted({period.end for period in periods})
    found = share_figures_at(renotification_at(context.timeline, ends), "renotification", "renotified", periods,
                             at=RENOTIFIED_AT)
    return {period: [f.with_(share_of=ShareOf.COMPOSITION, extra=dict(LOWER_IS_BETTER)) for f in figures]
            for period, figures in found.items()}


def _full_year_persons(context, period: Period, sums: dict[str, pl.DataFrame] | None = None) -> list[Figure]:
    if sums is None:
        used = measure_use(context.extract["measures"], context.extract["cases"], period)
        sums = {"spending": spending_by(used, period), "spending_by_team": spending_by(used, period, ("team",))}
    rows = [(None, sums["spending"].row(0, named=True))]
    rows += [(r["team"], r) for r in sums["spending_by_team"].iter_rows(named=True)]
    return [Figure("full_year_persons", row["full_year_persons"] or 0.0, unit=Unit.NUMBER, team=team,
                   period=str(period), base=row["measures"]) for team, row in rows]


def _prevention_share(context, period: Period, sums: dict[str, pl.DataFrame] | None = None) -> list[Figure]:
    """Spending on preventive measures as a share of spending on all measures: its numerator and denominator are
    the two amounts (DKK), not counts of people."""
    if not has_costs(context.extract):
        return [Figure("prevention_share", None, unit=Unit.SHARE, period=str(period),
                       extra={"missing_column": "measures.monthly_cost"})]
    if sums is None:
        used = measure_use(context.extract["measures"], context.extract["cases"], period)
        sums = {"prevention": prevention_share(used), "prevention_by_team": prevention_share(used, ("team",))}
    rows = [(None, sums["prevention"].row(0, named=True))]
    rows += [(r["team"], r) for r in sums["prevention_by_team"].iter_rows(named=True)]
    return [Figure("prevention_share", row["share"], min(row["preventive"], row["all"]), row["all"], unit=Unit.SHARE,
                   team=team, period=str(period)) for team, row in rows]


def _using_measure_use(figures):
    """A ``many`` for an indicator computed from :func:`measure_use`: every period's use of measures made and summed
    in one pass (:func:`measure_use_at`, :func:`use_sums_at`), once for the full-year persons and prevention's share
    of the spending alike (shared)."""
    def many(context, periods) -> dict:
        if context.timeline is None:  # a context made without one: period by period
            return {}
        # Kept per period, not per list of periods: the two indicators are asked for different lists (the
        # committee's series publishes them for different kinds of period), and a period's sums are the same
        # whichever periods they were made with (each row's use is its own, the amounts added by fsum).
        cache = context.figures_cache
        todo = tuple(period for period in dict.fromkeys(periods) if (USE_SUMS, period) not in cache)
        if todo:
            measures = known_table(context.timeline, "measures")
            found = use_sums_at(measure_use_at(measures, known_cases(context.timeline, ("case_id", "team")), todo),
                                todo)
            for period in todo:
                cache[(USE_SUMS, period)] = found[period]
        return {period: figures(context, period, cache[(USE_SUMS, period)]) for period in periods}
    return many


USE_SUMS = "\x00use_sums_at"  # a period's sums of measure_use_at, in context.figures_cache (never an indicator's id)


# Over.END: a window that ends at the period's end (a quarter's is its last month's); Over.SPAN: the period's own
EFFECT_INDICATORS = {i.id: i for i in (
    Indicator("placement_breakdown", "share", ("cases", "measures"), _breakdown,
              N_("Placements that broke down, last 12 months"), over=Over.END, counts="placements",
              many=_breakdown_many),
    Indicator("placement_duration", "days", ("cases", "measures"), _duration,
              N_("Median days placed, placements ended in the last 12 months"), over=Over.END, many=_duration_many),
    Indicator("long_institution_placements", "count", ("cases", "measures"), _long_institution,
              N_("Institution placements lasting over 12 months"), over=Over.END, counts="placements",
              many=in_passes(_long_institution_many)),
    Indicator("ladder_up", "count", ("cases", "measures"), _moved("up"), N_("Children moved up the ladder, 12 months"),
              over=Over.END, counts="children", many=in_passes(_moved_many("up"))),
    Indicator("ladder_down", "count", ("cases", "measures"), _moved("down"),
              N_("Children moved down the ladder, 12 months"), over=Over.END, counts="children",
              many=in_passes(_moved_many("down"))),
    Indicator("renotification", "share", ("cases", "notifications"), _renotification,
              N_("Closed cases notified again within a year"), over=Over.END, counts="cases",
              many=in_passes(_renotification_many)),
    Indicator("full_year_persons", "number", ("cases", "measures"), _full_year_persons,
              N_("Full-year persons, all measures"), over=Over.SPAN, many=in_passes(_using_measure_use(_full_year_persons))),
    Indicator("prevention_share", "share", ("cases", "measures"), _prevention_share,
              N_("Preventive measures' share of spending on measures"), over=Over.SPAN,
              many=in_passes(_using_measure_use(_prevention_share))),
)}


__all__ = ["EFFECT_INDICATORS", "LOWER_IS_BETTER", "duration_figures", "has_costs", "has_end_reasons"]
