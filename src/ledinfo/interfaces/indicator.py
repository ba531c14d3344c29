"""Indicators: a figure per period that sections show, trends follow and goals can be set for.

A section provides its indicators (:meth:`~ledinfo.interfaces.section.Section.indicators`);
the build gathers every installed section's into ``context.indicators``, so any section —
the goals section, a plugin's — can ask for any indicator by id, for any month, through
the helpers here. Each (indicator, month) is computed once per build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ledinfo.domain.period import Period
from ledinfo.interfaces.results import Figure


@dataclass(frozen=True)
class Indicator:
    """One indicator: its id, unit, the tables it needs, a label and how to compute it for a month."""

    id: str
    unit: str  # share | rate | count | ratio
    requires: tuple[str, ...]
    figures: Callable  # (context, period) -> list[Figure]: the municipality's figure and one per team
    label: object = None  # a message id, or {"da": ..., "en": ...}; None: the id


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


def current_figures(indicator_id: str, context) -> list[Figure]:
    """The indicator for the context's period, as a section shows it (no period mark)."""
    return [f.with_(period=None) for f in indicator_figures(indicator_id, context, context.period)]


def trend_figures(indicator_id: str, context, months: int = 12) -> list[Figure]:
    """The indicator for each of the ``months`` months up to the context's period."""
    return [f for p in context.period.trailing(months) for f in indicator_figures(indicator_id, context, p)]
