"""Which period stands for each indicator in one pack: the one place it is decided.

A pack shows each figure for its own period, except where its template shows an indicator by whole quarter only
(``[show.<section>] grain = "quarter"``: the committee's briefing shows the deadline rules so, since a month of a
small municipality holds too few cases to judge a rule, and a notification rule's monthly items would give away the
month's notifications by reporter). In such a pack — of a month or a year to date — the indicator's **last whole
quarter** stands for the period wherever the pack restates it (the goals table, the summary's risks, the chart of
the last quarter), compared with the quarter before, so the reader meets one figure and one verdict for it.

:class:`PackPeriods` is built once per pack by the pipeline, from the template and the sections' figures; the
template's choice of figures (and the committee's protection, which asks it of the other packs of the series), the
sections' pack form (:meth:`~ledinfo.interfaces.section.Section.for_pack`) and the summary (through the
:class:`~ledinfo.disclosure.view.View`) all ask it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from ledinfo.model.period import MONTH, QUARTER, Period
from ledinfo.model.results import Figure, Over


def last_whole_quarter(period: Period) -> Period:
    """The last whole calendar quarter ending at or before ``period``'s end: the period itself for a quarter, the
    third quarter for October. What stands for a period where an indicator is shown by whole quarter only."""
    return period.whole_quarters(1)[0]


@dataclass(frozen=True)
class PackPeriods:
    """The periods one pack shows its indicators for. ``by_quarter``: the indicators it shows by whole quarter only
    (a period's events, ``Over.SPAN``, of a section whose template says ``grain = "quarter"``); ``over``: each
    installed indicator's :class:`Over`, for a figure that does not say its own."""

    period: Period
    by_quarter: frozenset[str] = frozenset()
    over: Mapping[str, Over | None] = field(default_factory=dict, compare=False, repr=False)
    # the indicators the committee's briefing of the same build shows by whole quarter only, for another pack (the
    # directors') to say where the two judge one goal by different periods; empty in the committee's own
    committee_by_quarter: frozenset[str] = frozenset()

    def quarterly(self, indicator: str) -> bool:
        """Whether another period — the last whole quarter — stands for the pack's own for ``indicator``."""
        return indicator in self.by_quarter and self.period.kind != QUARTER

    def of(self, indicator: str) -> Period:
        """The period whose figure of ``indicator`` the pack shows as its own: the pack's period, or the last whole
        quarter where the pack shows the indicator by whole quarter only."""
        return last_whole_quarter(self.period) if self.quarterly(indicator) else self.period

    def committee_quarter(self, indicator: str) -> Period | None:
        """The last whole quarter, where the committee's briefing judges ``indicator`` by it and this pack by its own
        period (a month, a year to date); None where the two packs judge it by the same period."""
        if indicator not in self.committee_by_quarter or self.period.kind == QUARTER or self.quarterly(indicator):
            return None
        return last_whole_quarter(self.period)

    def before(self, indicator: str) -> Period | None:
        """What that figure is compared with in a goal's "before": three months earlier for a month, the period
        before for a quarter (a quarter standing for a month too); None for a year to date (none before it)."""
        shown = self.of(indicator)
        return shown.shift(-3) if shown.kind == MONTH else shown.previous()

    def keeps(self, figure: Figure, kind: str) -> bool:
        """Whether the pack's template publishes ``figure`` (of any section) in a pack whose figure is of a period
        of ``kind``: an indicator shown by whole quarter only is published for whole quarters, its months and years
        to date left out wherever they would be restated; a state at a period's end (``Over.END``) is kept."""
        if kind == QUARTER or figure.indicator not in self.by_quarter:
            return True
        return (figure.over or self.over.get(figure.indicator)) != Over.SPAN

    def kind_of(self, figure: Figure) -> str:
        """The kind of period a figure is of: its own period's, or the pack's for one without a period."""
        return self.period.kind if figure.period is None else _kind(figure.period)

    def publishes(self, figure: Figure) -> bool:
        """Whether the template publishes ``figure`` in this pack, of its own period's kind (:meth:`keeps`). The
        kind is looked up only for an indicator shown by whole quarter: a pack asks this of every figure of its
        sections, every team's of every trend month (tens of thousands in a large municipality's team pack)."""
        return figure.indicator not in self.by_quarter or self.keeps(figure, self.kind_of(figure))


@cache
def _kind(period: str) -> str:
    """The kind of the period written ``period`` (a figure's few distinct periods, parsed once)."""
    return Period.parse(period).kind


__all__ = ["PackPeriods", "last_whole_quarter"]
