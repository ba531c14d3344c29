"""The indicator figures one extract's builds of several periods share: each (indicator, period) computed once.

A committee series (:func:`ledinfo.api.attack.series.build_series`) computes one plan on one extract for many
report periods, and each build asks every indicator it shows for about 48 periods (its trends, its comparisons,
every month, quarter and year to date the committee's protection is decided over): most of them the periods
the build before asked for too. A figure of an (indicator, period) depends only on the extract as known at that
period's end and on what the plan sets: :meth:`~ledinfo.interfaces.section.SectionContext.at` gives an
indicator's ``figures`` nothing of the report period but the period's targets (an indicator's ``many`` must
give exactly what ``figures`` gives: :mod:`ledinfo.domain.indicator`). So a figure one build computed is the
figure another build of the same extract and plan would compute, when the two builds have the same targets
— the yardsticks follow from the targets and the indicators' own standards. An indicator that reads
``context.targets`` (a third-party one may) sees the same ones in both builds; across builds of other targets
(a new year's goals) nothing is shared.

What is shared: only the ``(indicator, period)`` entries of a context's ``figures_cache``, of periods that end
no later than the build's own period (a later one is "not known yet" there: ``SectionContext.at`` refuses it);
never the frames two indicators share (:func:`ledinfo.domain.indicator.shared`, keyed by ``"\\x00"`` names),
which belong to one context.
"""

from __future__ import annotations

from ledinfo.extract import Extract
from ledinfo.interfaces.section import SectionContext
from ledinfo.model.period import Period


class SeriesFigures:
    """The indicator figures the builds of ``plan`` on ``extract`` computed, for the next build of the same two
    (:func:`ledinfo.pipeline.build.compute` with ``shared=``): made once, handed to every compute of the series.

    Each compute's context is taken in (:meth:`take`) and its figures read out at the next one (:meth:`give`),
    so the figures its disclosure asked for after the compute (the committee's series) are shared too.
    """

    def __init__(self, plan, extract: Extract) -> None:
        self.plan, self.extract = plan, extract
        self._figures: dict[tuple, dict[tuple[str, str], tuple]] = {}  # targets -> (indicator, period) -> figures
        self._last: SectionContext | None = None  # the last compute's context, its figures not read out yet
        self._ends: dict[str, object] = {}  # each period's last day, by its text

    def check(self, plan, extract: Extract) -> None:
        """Refuse another plan or another extract: their figures are not these."""
        if plan is not self.plan or extract is not self.extract:
            raise ValueError("SeriesFigures are shared by the builds of one plan on one extract only")

    def give(self, context: SectionContext) -> int:
        """Put into ``context``'s cache the figures computed before under the same targets, of periods that end by
        its period's end; returns how many."""
        self._read_out()
        known = self._figures.get(_targets_key(context), {})
        given = 0
        for key, figures in known.items():
            if key not in context.figures_cache and self._end(key[1]) <= context.period.end:
                context.figures_cache[key] = figures
                given += 1
        return given

    def take(self, context: SectionContext) -> None:
        """Remember ``context``: its figures are read out when the next build asks (:meth:`give`)."""
        self._read_out()
        self._last = context

    def _read_out(self) -> None:
        if self._last is None:
            return
        context, self._last = self._last, None
        known = self._figures.setdefault(_targets_key(context), {})
        for key, figures in context.figures_cache.items():
            # (indicator, period text) only: a frame indicators share is keyed ("\x00name", its day or period)
            if isinstance(key, tuple) and len(key) == 2 and isinstance(key[1], str) and key[0] in context.indicators:
                known.setdefault(key, figures)

    def _end(self, period: str):
        if period not in self._ends:
            self._ends[period] = Period.parse(period).end
        return self._ends[period]


def _targets_key(context: SectionContext) -> tuple:
    """The targets as a key: equal targets, equal key (a target's label may be a dict, which is not hashable)."""
    return tuple(repr(target) for target in context.targets)
