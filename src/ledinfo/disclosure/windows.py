"""Twelve-month windows found in the numbers: one indicator's figure that is another's last 12 months added up.

Two sections may count the same things over different windows: the compliance section judges the decision on youth
support at 17½ month by month (shown to the committee by quarter), and the efterværn plugin shows the same decisions
over the last 12 months without saying so (its figures declare no ``over``). A reader who sees both knows that the
12 months' count is the four quarters' sum, and with three quarters' "<5" beside a shown total of 5 narrows each to
1..3 (the kit's attacker found it: ``youth_decision_17_5 · 2023-Q1 (denominator)``, seed 101). No section owns both
numbers to declare the relation, and a plugin's author cannot be relied on to know the other's; so, as a reader
would, the protection looks for it in the numbers (:func:`twelve_month_windows`).

Found, the window is keyed as what it is — the 12 months up to its period's end, one number whether a month's or a
quarter's pack shows it (:class:`ledinfo.disclosure.series_numbers.Catalogue`) — and tied to the other indicator's numbers
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


def window_quarters(last: Period) -> tuple[Period, ...]:
    """The calendar quarters a window ending with ``last`` touches: its 4 where it ends with a quarter, else the 5
    it overlaps (a window up to May holds June to December of one year, whole quarters, and parts of two more)."""
    months = window_months(last)
    ends = dict.fromkeys(Period(m.year, m.month + 2 - (m.month - 1) % 3, QUARTER) for m in months)
    return tuple(ends)


def twelve_month_windows(figures: Mapping[str, Iterable[Figure]],
                         over: Mapping[str, Over]) -> dict[str, dict[str, str]]:
    """Indicator -> each of its counts (a share's numerator, its denominator) -> the indicator whose last 12 months
    that count adds up, where it holds for every figure of it whose 12 months (or 4 quarters) the series has, and at
    least one of them is not 0. A declared window (``Over.WINDOW``) is tied count by count: a reader adds up a
    numerator whether or not the denominators agree (a plugin's young people at 17½ counted as placed on the day,
    the compliance section's as open cases). Any other is found only where all its counts add up to one other
    indicator's. ``figures``: period text -> the indicators' figures of the municipality (the series'). A state at
    a period's end (``Over.END``) is left as declared."""
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
    found: dict[str, dict[str, str]] = {}
    for indicator, checks in candidates.items():
        parts = _PARTS[units[indicator]]
        others = [other for other, unit in units.items() if other != indicator and unit == units[indicator]]
        if over.get(indicator) == Over.WINDOW:
            for part in parts:
                tied = (o for o in others
                        if _adds_up([(period, counts[part]) for period, counts in checks], values.get((o, part), {})))
                if (other := next(tied, None)) is not None:
                    found.setdefault(indicator, {})[part] = other
            continue
        # undeclared (or a period's events, Over.SPAN): only where every count adds up — count by count, a chance
        # match among the built-in sections' many small numbers is common (a supervision share's numerator equal
        # to a deadline's over 12 months in some packs and not others: one number, two keys)
        for other in others:
            if _adds_up_whole(checks, {part: values.get((other, part), {}) for part in parts}):
                found[indicator] = dict.fromkeys(parts, other)
                break
    return found


def undeclared_windows(found: Mapping[str, Mapping[str, str]], over: Mapping[str, Over],
                       owners: Mapping[str, str]) -> list[str]:
    """What to tell the author of a section whose figure is found to be another indicator's last 12 months added up
    but declares nothing (no ``over``): one sentence per indicator, naming its section. The protection keys it as
    the window all the same; a declared one (``Over.WINDOW``) is keyed so in every pack, found or not."""
    return [f"section {owners.get(indicator, '?')!r}: indicator {indicator!r} is the last 12 months of "
            f"{', '.join(sorted(set(parts.values())))!r} added up ({', '.join(sorted(parts))}) and declares no "
            "window: declare over=Over.WINDOW on its Indicator (or Figure)"
            for indicator, parts in sorted(found.items()) if over.get(indicator) is None and indicator in owners]


def _adds_up_whole(checks: list[tuple[Period, dict[str, int]]], of: dict[str, dict[Period, int]]) -> bool:
    """Every count of every figure adds up (at least one of them checked, and not all 0)."""
    return _holds((period, count, of[part]) for period, counts in checks for part, count in counts.items())


def _adds_up(checks: list[tuple[Period, int]], of: dict[Period, int]) -> bool:
    """Every count adds up to its 12 months (or 4 quarters) of ``of`` (at least one checked, and not all 0)."""
    return _holds((period, count, of) for period, count in checks)


def _holds(checks) -> bool:
    """(window's period, its count, the other indicator's counts by period): each count the sum of every way its
    window is made of the other's periods that ``of`` has; at least one checked, and not every one 0."""
    checked = nonzero = 0
    for period, count, of in checks:
        sums = {sum(of[p] for p in grain) for grain in window_grains(period) if all(p in of for p in grain)}
        if not sums:
            continue
        if sums != {count}:
            return False
        checked += 1
        nonzero += count != 0
    return checked > 0 and nonzero > 0


__all__ = ["WINDOW", "twelve_month_windows", "undeclared_windows", "window_grains", "window_months", "window_quarters"]
