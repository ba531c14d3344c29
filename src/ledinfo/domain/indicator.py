"""Indicators: a figure per period that sections show, trends follow and goals can be set for.

A section provides its indicators (:meth:`~ledinfo.interfaces.section.Section.indicators`);
the build gathers every installed section's into ``context.indicators``, so any section —
the goals section, a plugin's — can ask for any indicator by id, for any month, through
the helpers here. Each (indicator, month) is computed once per build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ledinfo.model.period import Period
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
    # Its own yardstick, where it has one: the law for a statutory deadline, a local standard, a professional
    # standard. An annual goal set for the period comes first (ledinfo.model.verdicts: the precedence).
    standard: Yardstick | None = None
    # what its figures count (one of ledinfo.model.results.COUNTED): a share's items, a count's things
    counts: str | None = None


class UnknownIndicator(KeyError):
    """No installed section provides this indicator."""


def indicator_figures(indicator_id: str, context, period: Period) -> list[Figure]:
    """Figures (municipality and per team) of any installed indicator for ``period``, computed once per build."""
    key = (indicator_id, str(period))
    if key in context.figures_cache:
        return list(context.figures_cache[key])
    found = context.indicators.get(indicator_id)
    if found is None:
        raise UnknownIndicator(indicator_id)
    figures = found.figures(context.at(period), period)
    context.figures_cache[key] = tuple(figures)  # Figures are frozen; the tuple keeps callers from changing the list
    return figures


def with_units(result, indicators) -> None:
    """Give each figure of ``result`` what it counts, from its indicator (``Indicator.counts``), where it says none."""
    result.figures[:] = [f.with_(counts=found.counts) if f.counts is None and (found := indicators.get(f.indicator))
                         is not None and found.counts else f for f in result.figures]


def current_figures(indicator_id: str, context) -> list[Figure]:
    """The indicator for the context's period, as a section shows it (no period mark)."""
    return [f.with_(period=None) for f in indicator_figures(indicator_id, context, context.period)]


def trend_figures(indicator_id: str, context, months: int = 12) -> list[Figure]:
    """The indicator for each of the ``months`` months up to the context's period."""
    return [f for p in context.period.trailing(months) for f in indicator_figures(indicator_id, context, p)]


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
        for period in periods:
            if (indicator, str(period)) not in present:
                result.figures += [f for f in indicator_figures(indicator, context, period)
                                   if (f.indicator, f.category) in categories]
