"""Indicators: a figure per period that sections show, trends follow and goals can be set for.

A section provides its indicators (:meth:`~ledinfo.interfaces.section.Section.indicators`);
the build gathers every installed section's into ``context.indicators``, so any section —
the goals section, a plugin's — can ask for any indicator by id, for any month, through
the helpers here. Each (indicator, month) is computed once per build.

An indicator may also compute many periods in one pass (``Indicator.many``): a pack needs each figure for its
period, the two it is compared with, twelve trend months and, for the committee's protection, every month,
quarter and year to date those are made of — about 48 periods of the same indicator, most of them months. One
pass over the data for all of them (the rows × the periods' ends, then one group-by) costs little more than one
month. ``figures`` stays the definition: ``many`` must give, for each period, exactly what ``figures`` gives on the
extract as known at that period's end (tests/test_indicator_batches.py checks every built-in one), and an
indicator without ``many`` (a third-party one) is computed month by month as before.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from ledinfo.model.period import QUARTER, Period
from ledinfo.model.results import Figure, Over
from ledinfo.model.verdicts import Yardstick


@dataclass(frozen=True)
class Indicator:
    """One indicator: its id, unit, the tables it needs, a label and how to compute it for a month."""

    id: str
    unit: str  # share | rate | count | ratio
    requires: tuple[str, ...]
    figures: Callable  # (context, period) -> list[Figure]: the municipality's figure and one per team
    label: object = None  # a message id, or {"da": ..., "en": ...}; None: the id
    # Over.SPAN: the period's events (a quarter's figure is its own); Over.END: the state at the period's end (a
    # quarter's figure is its last month's). None: unknown, found from the numbers (the committee's protection).
    over: Over | None = None
    # Its own yardstick, where it has one: the law for a statutory deadline, or a professional standard. An annual
    # goal or a local standard is a target a plugin provides (ledinfo_register_targets), and comes first
    # (ledinfo.model.verdicts: the precedence).
    standard: Yardstick | None = None
    # what its figures count (one of ledinfo.model.results.COUNTED): a share's items, a count's things
    counts: str | None = None
    # Many periods in one pass, where it has such a function: (context, periods) -> {period: list[Figure]}, each
    # period's figures as ``figures(context.at(period), period)`` gives them. ``context`` knows everything up to the
    # latest of the periods (its extract is not cut to each): the function applies what was known at each period's
    # end itself. It may leave periods out of its answer; those are computed by ``figures``. None: by ``figures``.
    many: Callable | None = None


QUARTERS_SHOWN = 4  # the whole quarters a pack shows by quarter (a deadline rule's per quarter: ledinfo.plugins.compliance)


class UnknownIndicator(KeyError):
    """No installed section provides this indicator."""


def indicator_figures(indicator_id: str, context, period: Period) -> list[Figure]:
    """Figures (municipality and per team) of any installed indicator for ``period``, computed once per build.

    An indicator that computes many periods in one pass (``Indicator.many``) is asked, with ``period``, for the
    months every pack compares with and trends over (the thirteen months up to the report period), and with a
    quarter for the whole quarters a pack shows by quarter (the last four: a deadline rule's per quarter, its last
    whole quarter), so that the requests that follow are answered from the cache: the quarters were asked one at a
    time, each computed by ``figures`` on its own cut of the extract."""
    key = (indicator_id, str(period))
    if key not in context.figures_cache:
        found = context.indicators.get(indicator_id)
        if found is None:
            raise UnknownIndicator(indicator_id)
        batched = found.many is not None and batches_enabled() and period.end <= context.period.end
        usual = context.period.trailing(13) if batched else []
        if batched and period.kind == QUARTER:
            usual += context.period.whole_quarters(QUARTERS_SHOWN)
        indicator_figures_of(indicator_id, context, [period, *usual])
    return list(context.figures_cache[key])


def indicator_figures_of(indicator_id: str, context, periods) -> dict[Period, list[Figure]]:
    """The figures of ``indicator_id`` for each of ``periods``, computed once per build: those not computed yet
    in one pass where the indicator can (``Indicator.many``), the rest period by period."""
    found = context.indicators.get(indicator_id)
    if found is None:
        raise UnknownIndicator(indicator_id)
    context = context.for_indicator(indicator_id)  # its own section's settings, whichever section asks
    cache = context.figures_cache
    wanted = list(dict.fromkeys(periods))
    todo = [p for p in wanted if (indicator_id, str(p)) not in cache]
    # one period alone is computed by ``figures``: a pass over every row for one period gains nothing
    if len(todo) > 1 and found.many is not None and batches_enabled():
        latest = max(todo, key=lambda p: p.end)
        base = context.at(latest) if latest.end < context.period.end else context
        for period, figures in found.many(base, todo).items():
            cache[(indicator_id, str(period))] = tuple(figures)
    for period in todo:
        if (indicator_id, str(period)) not in cache:
            # Figures are frozen; the tuple keeps callers from changing the list
            cache[(indicator_id, str(period))] = tuple(found.figures(context.at(period), period))
    return {p: list(cache[(indicator_id, str(p))]) for p in wanted}


class NotStored(LookupError):
    """A figure :class:`StoredIndicators` does not hold: the data must be read to compute it."""


@dataclass
class StoredIndicators:
    """The municipality's figures (no team's, no staff member's) of every indicator a build computed, by indicator
    and period, and how each indicator counts: what the committee's series asks of the indicators
    (:func:`ledinfo.pipeline.build.committee_series`). Stored with a build's figures (:mod:`ledinfo.pipeline.stored`),
    so a committee pack whose template chose other figures is decided again over its series without the data; a
    figure it does not hold raises :class:`NotStored`, never a guess."""

    over: dict[str, Over | None]  # every installed indicator: Indicator.over
    counts: dict[str, str | None]  # every installed indicator: Indicator.counts
    figures: dict[tuple[str, str], tuple[Figure, ...]]  # (indicator, period) -> its figures, as computed

    @classmethod
    def of(cls, context) -> StoredIndicators:
        """What ``context`` computed of its indicators (its figures' cache, every section's asking included)."""
        indicators = context.indicators
        return cls({i: found.over for i, found in indicators.items()},
                   {i: found.counts for i, found in indicators.items()},
                   {key: tuple(f for f in figures if f.team is None and f.staff_id is None)
                    for key, figures in context.figures_cache.items()
                    if isinstance(key, tuple) and len(key) == 2 and key[0] in indicators})

    def figures_of(self, indicator_id: str, periods) -> dict[Period, list[Figure]]:
        """As :func:`indicator_figures_of` gives them (the municipality's), for exactly ``periods``."""
        wanted = list(dict.fromkeys(periods))
        missing = [str(p) for p in wanted if (indicator_id, str(p)) not in self.figures]
        if missing:
            raise NotStored(f"{indicator_id} of {', '.join(missing)}")
        return {p: list(self.figures[(indicator_id, str(p))]) for p in wanted}


ENDS_PER_PASS = 12  # the most period ends a one pass crosses its rows with at once (in_passes)
# the most of the extract's rows × the ends of one pass: an extract of up to a million rows takes 12 ends a pass, a
# larger one fewer (a 200 MB extract's 3.3 million rows 3), so what a pass holds stays about what a million rows' does
ROW_ENDS_PER_PASS = 12_000_000


def ends_per_pass(timeline) -> int:
    """How many distinct period ends a one pass over ``timeline``'s extract takes at once: :data:`ENDS_PER_PASS`,
    fewer as the extract's rows pass a million, never fewer than one. Passes of 12 ends held up to ~340 MiB above a
    200 MB extract's own (the moves on the ladder, the use of measures, the repeat notifications): its build's main
    process peaked at 1,155 MiB, over the 1 GiB aimed at (issue 27, goal 5); with 3 ends a pass at 960 MiB, for the
    same CPU. The figures are the same whatever the passes (:func:`in_passes`)."""
    rows = sum(frame.height for frame in timeline.tables.values()) if timeline is not None else 0
    return max(1, min(ENDS_PER_PASS, ROW_ENDS_PER_PASS // max(rows, 1)))


def in_passes(many: Callable, ends: int | None = None) -> Callable:
    """``many`` (a one pass over the rows × the periods' ends) over at most ``ends`` distinct ends at a time (None:
    :func:`ends_per_pass` of the context's extract): a committee's series asks for ~36 month-ends, and the rows ×
    all of them at once held hundreds of MiB for a large extract (a measure for each end it is active on), where a
    pass of 12 holds a third of it for little more time."""
    def passes(context, periods) -> dict:
        days = sorted({period.end for period in periods})
        step = ends if ends is not None else ends_per_pass(context.timeline)
        found: dict = {}
        for first in range(0, len(days), step):
            part = set(days[first:first + step])
            found.update(many(context, [period for period in periods if period.end in part]))
        return found
    return passes


def shared(context, name: str, day, make: Callable):
    """What ``make()`` gives, made once per build for ``name`` and ``day``: a frame two indicators' ``many`` both
    read (the volume and the price effect, the moves up and down the ladder)."""
    key = ("\x00" + name, day)
    if key not in context.figures_cache:
        context.figures_cache[key] = make()
    return context.figures_cache[key]


def batches_enabled() -> bool:
    """False when LEDINFO_NO_BATCH is set: every period computed by ``Indicator.figures`` (the reference, for
    comparing and measuring)."""
    return os.environ.get("LEDINFO_NO_BATCH", "") in ("", "0")


def with_units(result, indicators) -> None:
    """Give each figure of ``result`` what it counts and what it counts over, from its indicator
    (``Indicator.counts``, ``Indicator.over``), where it says none: the committee's protection reads them off the
    figure, whatever else it is told."""
    def completed(figure: Figure) -> Figure:
        found = indicators.get(figure.indicator)
        if found is None:
            return figure
        given = {"counts": found.counts if figure.counts is None else None,
                 "over": found.over if figure.over is None else None}
        given = {k: v for k, v in given.items() if v is not None}
        return figure.with_(**given) if given else figure

    result.figures[:] = [completed(f) for f in result.figures]


def current_figures(indicator_id: str, context) -> list[Figure]:
    """The indicator for the context's period, as a section shows it (no period mark)."""
    return [f.with_(period=None) for f in indicator_figures(indicator_id, context, context.period)]


def trend_figures(indicator_id: str, context, months: int = 12) -> list[Figure]:
    """The indicator for each of the ``months`` months up to the context's period."""
    found = indicator_figures_of(indicator_id, context, context.period.trailing(months))
    return [f for figures in found.values() for f in figures]


def comparison_periods(period: Period, first_day=None) -> list[Period]:
    """What every figure of a pack is compared with: the period before and the same period a year earlier,
    each only when the data reach back to its first month (``first_day``: the data's first day)."""
    wanted = [p for p in (period.previous(), period.year_before()) if p is not None]
    if first_day is None:
        return wanted
    return [p for p in wanted if (p.start.year, p.start.month) >= (first_day.year, first_day.month)]


def add_comparisons(result, context, periods: list[Period]) -> None:
    """Add to ``result`` the figures of each indicator it shows for each of ``periods``, marked with the period.

    The tiles' "forrige måned" / "samme måned sidste år" and the summary's changes read these, so a
    comparison is a disclosed figure of the pack like any other (hidden for the committee where it must be).
    """
    shown = sorted({f.indicator for f in result.figures
                    if f.period is None and f.staff_id is None and f.category is None and f.indicator in context.indicators})
    # the same breakdowns as the period's own figures, no more: a category the section does not show for the
    # period (notifications by reporter in a month pack) is not shown for the periods it is compared with either
    categories = {(f.indicator, f.category) for f in result.figures if f.period is None}
    present = {(f.indicator, f.period) for f in result.figures}
    for indicator in shown:
        missing = [period for period in periods if (indicator, str(period)) not in present]
        for figures in indicator_figures_of(indicator, context, missing).values():
            result.figures += [f for f in figures if (f.indicator, f.category) in categories]
