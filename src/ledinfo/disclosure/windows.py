"""Twelve-month windows found in the numbers: one indicator's figure that is another's last 12 months added up.

Two sections may count the same things over different windows: the compliance section judges the decision on youth
support at 17½ month by month (shown to the committee by quarter), and the efterværn plugin shows the same decisions
over the last 12 months without saying so (its figures declare no ``over``). A reader who sees both knows that the
12 months' count is the four quarters' sum, and with three quarters' "<5" beside a shown total of 5 narrows each to
1..3 (the kit's attacker found it: ``youth_decision_17_5 · 2023-Q1 (denominator)``, seed 101). No section owns both
numbers to declare the relation, and a plugin's author cannot be relied on to know the other's; so, as a reader
would, the protection looks for it in the numbers (:func:`twelve_month_windows`).

Found, the window is keyed as what it is — the 12 months up to its period's end, one number whether a month's or a
quarter's pack shows it (:class:`ledinfo.disclosure.series.Catalogue`) — and tied to the other indicator's numbers
of those months, by month or by whole quarter (:func:`window_links`): the series then shows it only when every one
of those is shown, as a 12-month total of an indicator's own months (``SeriesProtection._derived``). Found in the
numbers, the relation may hold by chance; it then only hides more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import lru_cache

from ledinfo.disclosure.numbers import parsed, whole
from ledinfo.model.period import MONTH, QUARTER, Period
from ledinfo.model.results import Figure, Over, Unit

WINDOW = 12  # months
_PARTS = {Unit.COUNT: ("value",), Unit.SHARE: ("numerator", "denominator"), Unit.RATE: ("numerator", "denominator")}


def window_months(last: Period) -> list[Period]:
    """The 12 months up to and including ``last``'s last month, oldest first."""
    return last.last_month.trailing(WINDOW)


@lru_cache(maxsize=1024)
def window_grains(last: Period) -> tuple[tuple[Period, ...], ...]:
    """The ways a window ending with ``last`` is made of periods: its 12 months, and its 4 whole quarters where it
    ends with one (the committee sees a deadline rule by quarter only)."""
    months = tuple(window_months(last))
    if months[-1].month % 3:
        return (months,)
    return months, tuple(Period(m.year, m.month, QUARTER) for m in months[2::3])


def twelve_month_windows(figures: Mapping[str, Iterable[Figure]], over: Mapping[str, Over]) -> dict[str, str]:
    """Indicator -> the indicator whose last 12 months it adds up, where that holds for every figure of it whose
    12 months (or 4 quarters) the series has, all its counts (a share's numerator and denominator alike), and at
    least one of them is not 0. ``figures``: period text -> the indicators' figures of the municipality (the
    series'). A figure of a period's end (``Over.END``: a state, or a window the indicator declares) is left as
    declared."""
    values: dict[tuple[str, str], dict[Period, int]] = defaultdict(dict)  # (indicator, part) -> period -> count
    units: dict[str, Unit] = {}
    candidates: dict[str, list[tuple[Period, dict[str, int]]]] = defaultdict(list)
    for text, shown in figures.items():
        period = parsed(text)
        for figure in shown:
            parts = _PARTS.get(figure.unit)
            if parts is None or figure.category:
                continue
            counts = {part: whole(getattr(figure, part)) for part in parts}
            if any(count is None for count in counts.values()):
                continue
            units[figure.indicator] = figure.unit
            if period.kind in (MONTH, QUARTER):
                for part, count in counts.items():
                    values[(figure.indicator, part)][period] = count
            if (figure.over or over.get(figure.indicator)) != Over.END:
                candidates[figure.indicator].append((period, counts))
    found: dict[str, str] = {}
    for indicator, checks in candidates.items():
        for other, unit in units.items():
            if other == indicator or unit != units[indicator]:
                continue
            if _adds_up(checks, {part: values.get((other, part), {}) for part in _PARTS[unit]}):
                found[indicator] = other
                break
    return found


def _adds_up(checks: list[tuple[Period, dict[str, int]]], of: dict[str, dict[Period, int]]) -> bool:
    checked = nonzero = 0
    for period, counts in checks:
        for part, count in counts.items():
            sums = {sum(of[part][p] for p in grain) for grain in window_grains(period)
                    if all(p in of[part] for p in grain)}
            if not sums:
                continue
            if sums != {count}:
                return False
            checked += 1
            nonzero += count != 0
    return checked > 0 and nonzero > 0


__all__ = ["WINDOW", "twelve_month_windows", "window_grains", "window_months"]
