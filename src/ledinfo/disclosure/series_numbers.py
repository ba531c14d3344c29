"""The numbers of the committee's series and their keys (:mod:`ledinfo.disclosure.series`).

One number, one key (:class:`Key`): an indicator, a category, a part (value, numerator, denominator, pending) and
the months it covers, the same in every pack that shows the number. :class:`Catalogue` gathers a pack's figures and
the series' into numbers by key, with the hiding the rules alone ask for (:func:`primary`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from ledinfo.disclosure.numbers import parsed as _parsed
from ledinfo.disclosure.numbers import whole as _whole
from ledinfo.disclosure.windows import window_months
from ledinfo.model.period import Period
from ledinfo.model.results import FEW, OTHER, SMALL, Figure, Over, Ref, ShareOf, Unit

# one logger for the series' protection, whichever of its modules speaks (the test kit listens to it)
log = logging.getLogger("ledinfo.disclosure.series")

COUNT_PARTS = ("value",)
SHARE_PARTS = ("numerator", "denominator", "pending")
# The tiers of a month, decided in this order (see the module's docstring): the indicators' figures; other figures
# of a month a section gives (a breakdown month by month); a pack's figures of its period's end (the same in the
# month's pack and in a quarter's ending with it); a pack's other figures of its own period.
INDICATOR, SECTION, PACK_END, PACK = 1, 2, 3, 4
# a figure one number wherever it is shown, its last month's: a state at the period's end, a window ending there
AT_END = (Over.END, Over.WINDOW)
TIERS = (INDICATOR, SECTION, PACK_END, PACK)


@dataclass(frozen=True, order=True)
class Key:
    """One number of the series: the same key in every pack that shows it."""

    indicator: str
    category: str
    part: str
    first: str  # the first month it covers, "2024-01"
    last: str  # the last month

    @property
    def months(self) -> tuple[str, str]:
        return self.first, self.last

    def at(self, first: str, last: str) -> Key:
        return Key(self.indicator, self.category, self.part, first, last)

    def __str__(self) -> str:
        span = self.last if self.first == self.last else f"{self.first}..{self.last}"
        bits = [self.indicator, self.category, span]
        text = " · ".join(b for b in bits if b)
        return text if self.part == "value" else f"{text} ({self.part})"


@dataclass
class Number:
    """What the protection knows of one number: its value (None unless a whole count), its tier and the
    hiding the rules alone ask for (primary suppression)."""

    key: Key
    value: int | None
    tier: int
    primary: str | None = None
    section: str = ""
    protected: bool = False  # a count of people: a reader may not narrow it below the threshold
    counts: str | None = None  # what it counts (Figure.counts, Indicator.counts): notifications, investigations…
    # an additive statistic's value (an amount, full-year persons): no count to audit, but a breakdown of it and its
    # total give a hidden category away as the total less the others (:func:`additive_links`)
    amount: float | None = None


@lru_cache(maxsize=4096)
def _span_of(period: Period, over: Over | None, window: bool = False) -> tuple[str, str]:
    last = str(period.last_month)
    if over == Over.END:
        return last, last
    if window or over == Over.WINDOW:
        # a window of 12 months up to the period's end, declared (Over.WINDOW) or found as another indicator's last
        # 12 months added up (ledinfo.disclosure.windows): one number, its window's, in every pack
        return str(window_months(period)[0]), last
    return str(period.months()[0]), last


def parts_of(figure: Figure) -> tuple[str, ...]:
    if figure.unit == Unit.COUNT:
        return COUNT_PARTS
    if figure.unit in (Unit.SHARE, Unit.RATE):
        return ("value",) + SHARE_PARTS
    if figure.unit == Unit.RATIO:  # its numerator is a count the pack prints (cases, per FTE); the FTE is no count
        return ("value", "numerator")
    if figure.base is not None:
        # a statistic's base (a median's placements, a cost's measures) is a count the pack never prints, but whether
        # the statistic is shown tells it: shown, at least the threshold; "færre end 5", 1 to 4; none, 0. Beside
        # a breakdown's shown total those bounds pinned hidden counts (an attacker: 6 placements ended, the foster
        # families' median shown, the residential homes' "færre end 5" — so 5 and 1). So the base is a protected count
        # of the series, related to its breakdown's other bases and to the count a section declares it equal to
        # (``Ref(indicator, part="base")``), and the statistic goes whole with it: hidden whenever its base is.
        return ("value", BASE)
    return ("value",)


BASE = "base"


def part_value(figure: Figure, part: str):
    return figure.extra.get(part) if part == "pending" else getattr(figure, part)


# the units whose values add up over categories and months: spending, a deviation from a budget, full-year persons
ADDITIVE = (Unit.AMOUNT, Unit.DEVIATION, Unit.NUMBER)


def _amount(figure: Figure) -> float | None:
    """An additive statistic's value (``Number.amount``); None for a count (``Number.value``) or any other unit."""
    if figure.unit not in ADDITIVE or not isinstance(figure.value, (int, float)) or figure.value != figure.value:
        return None
    return float(figure.value)


def _small(value, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


def primary(figure: Figure, threshold: int) -> dict[str, str]:
    """The parts of a figure hidden by the rules alone (domain.md, "Committee rules"): part -> how shown."""
    if figure.unit == Unit.COUNT:
        return {"value": SMALL} if _small(figure.value, threshold) else {}
    if figure.unit in (Unit.SHARE, Unit.RATE):
        n, d = figure.numerator, figure.denominator
        few = d is not None and 0 < d < threshold  # no cases at all is said as such ("ingen sager")
        reveals = (figure.share_of == ShareOf.COMPOSITION and n is not None and d is not None
                   and (_small(n, threshold) or _small(d - n, threshold)))
        if few or reveals:
            # a share resting on fewer cases than the threshold says its denominator is 1 to threshold−1 ("færre end
            # 5 sager"), and of its numerator only that it is at most that: 0 too (no "<5" of its own)
            hidden = {"value": FEW if few else OTHER,
                      "numerator": SMALL if _small(n, threshold) and not few else OTHER,
                      "denominator": SMALL if _small(d, threshold) else OTHER}
            if "pending" in figure.extra:
                hidden["pending"] = OTHER
            return hidden
        return {}
    # a statistic over children (an average, a median, a unit cost): hidden on a base below the threshold
    base = figure.base if figure.base is not None else _whole(figure.extra.get("count"))
    if base is not None and base < threshold and figure.value is not None:
        return {"value": FEW, BASE: SMALL} if figure.base is not None and base > 0 else {"value": FEW}
    if base is None and figure.unit == Unit.DAYS and figure.value is not None:
        # days are always about someone's case; without its base a median of one child's days could show
        log.warning("figure %s: a number of days without its base (Figure.base) is hidden from the committee",
                    figure.indicator)
        return {"value": FEW}
    return {}


# --- numbers and keys ---------------------------------------------------------------------------------

class Catalogue:
    """Every number the protection decides on, by key, with the pack's names (Refs) for them."""

    def __init__(self, period: Period, threshold: int, over: Mapping[str, Over],
                 owners: Mapping[str, str] | None = None, counts: Mapping[str, str] | None = None,
                 windows: Mapping[str, Mapping[str, str]] | None = None):
        self.period = period
        # indicator -> its count -> the indicator whose last 12 months it adds up, found in the numbers
        # (ledinfo.disclosure.windows)
        self.windows = dict(windows or {})
        self.counts = dict(counts or {})  # indicator -> what it counts (the indicators' figures do not say)
        self.owners = dict(owners or {})  # indicator -> the section that shows it (the relations found in numbers
        # stay within one section)
        self.threshold = threshold
        self.over = dict(over)
        self.numbers: dict[Key, Number] = {}
        self.shares: dict[tuple[str, str, str, str], dict[str, Key]] = {}  # a share's parts, by its key sans part
        self.refs: dict[Ref, Key] = {}  # the pack's names for its numbers
        self.unsafe: set[Key] = set()  # numbers no rule can place in the series: hidden whatever they are

    def period_of(self, figure: Figure) -> Period:
        return self.period if figure.period is None else _parsed(figure.period)

    def key(self, figure: Figure, part: str) -> Key:
        over = figure.over or self.over.get(figure.indicator)
        first, last = _span_of(self.period_of(figure), over, figure.indicator in self.windows)
        if part == BASE and figure.base_of:  # the count it rests on, which the pack shows: one number
            return Key(figure.base_of, figure.category or "", "value", first, last)
        return Key(figure.indicator, figure.category or "", part, first, last)

    def add(self, figure: Figure, tier: int, section: str = "") -> None:
        hidden = primary(figure, self.threshold)
        span = self.period_of(figure)
        section = section or self.owners.get(figure.indicator, "")
        over = figure.over or self.over.get(figure.indicator)
        if tier == PACK and over in AT_END:
            tier = PACK_END
        for part in parts_of(figure):
            number = part_value(figure, part)
            if part == "pending" and number is None:
                continue
            if part in SHARE_PARTS and figure.numerator is None and figure.denominator is None:
                # a share given without counts (a national reference: 63 % in foster families): it has no counts
                # to hide, and a quarter's count of its own it is not (the rule below would hide it whole)
                continue
            key = self.key(figure, part)
            known = self.numbers.get(key)
            if known is not None:
                if known.value is not None and _whole(number) is not None and known.value != _whole(number):
                    # one key, two numbers: a section calls something else by an indicator's id; keep both apart
                    key = Key(key.indicator + " (" + section + ")", key.category, part, key.first, key.last)
                    known = self.numbers.get(key)
                if known is not None:
                    if figure.period is None or figure.period == str(self.period):
                        self.refs[Ref(figure.indicator, None, str(self.period), figure.category, part)] = key
                    self.refs[Ref(figure.indicator, None, str(span), figure.category, part)] = key
                    if part == BASE:  # the count its statistic rests on: hidden whole with it
                        self._whole(figure, part, key)
                    continue
            # counts of people; a share's counts where they are (composition) or where the share rests on fewer
            # cases than the threshold (domain.md: only a handling share's counts at or above it are not protected)
            protected = figure.unit == Unit.COUNT or part == BASE or part != "value" and (
                figure.share_of == ShareOf.COMPOSITION or hidden.get("value") == FEW)
            self.numbers[key] = Number(key, _whole(number) if part != "value" or figure.unit == Unit.COUNT else None,
                                       tier, hidden.get(part), section, protected,
                                       figure.counts or self.counts.get(figure.indicator),
                                       _amount(figure) if part == "value" else None)
            self.refs[Ref(figure.indicator, None, str(span), figure.category, part)] = key
            if len(parts_of(figure)) > 1:  # a share, a ratio, a statistic and its base: hidden whole
                self._whole(figure, part, key)
            # a base is never printed: a reader has its bounds, never its value to subtract from a span's
            counted = part != BASE and (protected or (figure.unit in (Unit.SHARE, Unit.RATE) and part != "value"))
            if tier != INDICATOR and counted and over not in AT_END and len(span.months()) > 1:
                # a section's own count over a quarter or a year to date (not an indicator's, nor a state at its
                # end), a share's counts too: nothing links it to the months a reader has from the month packs (a
                # quarter's numerator less two months' would give the third's, hidden for resting on too few), so
                # it is hidden; an indicator's figures (Indicator.over) are decided with their months
                self.unsafe.add(key)

    def _whole(self, figure: Figure, part: str, key: Key) -> None:
        """``key`` one of ``figure``'s numbers that are hidden whole (a share's; a statistic and its base)."""
        value = self.key(figure, "value")
        self.shares.setdefault((value.indicator, value.category, value.first, value.last), {})[part] = key

    def unresolved(self, ref: Ref) -> Key:
        """The key a number of the report period would have (for a relation of every period)."""
        first, last = _span_of(self.period, self.over.get(ref.indicator), ref.indicator in self.windows)
        return Key(ref.indicator, ref.category or "", ref.part, first, last)

    def spans(self) -> set[tuple[str, str]]:
        return {key.months for key in self.numbers}

    def ref_key(self, ref: Ref) -> Key | None:
        """The key of a number a relation names: a figure of the pack, or an indicator's figure of the series."""
        period = _parsed(ref.period) if ref.period else self.period
        found = self.refs.get(Ref(ref.indicator, None, str(period), ref.category, ref.part))
        if found is not None:
            return found
        first, last = _span_of(period, self.over.get(ref.indicator), ref.indicator in self.windows)
        key = Key(ref.indicator, ref.category or "", ref.part, first, last)
        return key if key in self.numbers else None
