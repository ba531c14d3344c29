"""The committee's protection over the whole series of its packs: the publication is the unit.

A committee member keeps every pack — months, quarters, years to date — so a number hidden in one pack
must not be printed in another, nor be worked out from several. The protection is therefore decided
per *number*, not per pack, by a rule that gives every pack the same answer for the same number:

- **One number, one key** (:class:`Key`): an indicator, a category, a part (value, numerator,
  denominator, pending) and the months it covers. A figure of the period's end (``Over.END``: children
  placed, a 12-month window) covers only the last month, so the March pack, the first quarter's pack
  and the April pack's trend show one number under one key.
- **A month is decided by itself** (:func:`decide_month`): every committee number of a month, with the
  relations between them, protected as one table (primary and complementary suppression, proven by the
  exact audit). In tiers that never look down: first the indicators' own figures (the same in every
  pack: :func:`ledinfo.domain.indicator.indicator_figures`), then other figures a section gives for
  the month (a breakdown drawn month by month), then the pack's other figures for its own period. A tier
  hides only its own numbers; those above it are fixed. So a month's answer never depends on which pack
  asks, nor on any other month.
- **A span is derived from its months** (:func:`decide_span`): a quarter's or a year to date's number
  that is the sum of its months' (a count of events) is shown only when every month's is shown — it then
  tells nothing new — and one equal to its last month's (pending items) only when that one is shown. Its
  other numbers (a deadline share over the quarter) are decided within the span, and hidden whenever they
  are related to a hidden derived number, so that no two spans can be subtracted to recover a month.
  A 12-month total is derived in the same way from its months.

Which numbers the series publishes is the same in every pack (:class:`Publication`): a figure a section shows
for a pack's own period is published for every kind of period, as the packs of the other kinds show it.

A figure that is another indicator's last 12 months added up, which no section declares, is found in the numbers
and keyed as that window (:mod:`ledinfo.disclosure.windows`, :func:`window_links`).

Relations come from the structure (:func:`structural_relations`): categories and their total, a share's
parts and its complement, a rule's judged and pending items against a count or another rule's over the same
items — found in the numbers, which
can only add protection (a relation that holds by chance is still true) — and from what sections declare;
a relation whose numbers all have one period holds for every period and is applied to each.

What a reader can and cannot learn from the whole series is written down in ``docs/disclosure.md``.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ledinfo.disclosure.numbers import parsed as _parsed
from ledinfo.disclosure.numbers import whole as _whole
from ledinfo.disclosure.windows import twelve_month_windows, undeclared_windows, window_grains, window_months, window_quarters
from ledinfo.model.period import KINDS, MONTH, QUARTER, Period
from ledinfo.model.results import FEW, OTHER, SMALL, Figure, Over, Ref, Relation, ShareOf, Unit

log = logging.getLogger("ledinfo.disclosure.series")

# Tests switch the derivation of relations from the numbers off, to show that it is what protects a section
# that declares none (tests/test_series_protection.py); never set it in production.
DERIVE_ENV = "LEDINFO_DERIVE_RELATIONS"

COUNT_PARTS = ("value",)
SHARE_PARTS = ("numerator", "denominator", "pending")
# The tiers of a month, decided in this order (see the module's docstring): the indicators' figures; other figures
# of a month a section gives (a breakdown month by month); a pack's figures of its period's end (the same in the
# month's pack and in a quarter's ending with it); a pack's other figures of its own period.
INDICATOR, SECTION, PACK_END, PACK = 1, 2, 3, 4
# a figure one number wherever it is shown, its last month's: a state at the period's end, a window ending there
AT_END = (Over.END, Over.WINDOW)
TIERS = (INDICATOR, SECTION, PACK_END, PACK)


def derivation_on() -> bool:
    return os.environ.get(DERIVE_ENV, "1") != "0"


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


@dataclass
class Series:
    """What the pipeline computed for the protection beyond the pack's own figures: the indicators' figures
    (the municipality's) for every period whose numbers the pack shows or is made of."""

    figures: dict[str, list[Figure]] = field(default_factory=dict)  # period -> the indicators' figures
    over: dict[str, Over] = field(default_factory=dict)  # indicator -> SPAN or END, as the indicators declare
    counts: dict[str, str] = field(default_factory=dict)  # indicator -> what it counts, as the indicators declare
    # keeps(section, figure, kind): whether the template shows a section's figure of a pack's own period in a pack of
    # that kind of period (the committee's deadlines by whole quarter only, grain = "quarter"); None: every kind does
    keeps: Callable[[str, Figure, str], bool] | None = None


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
    return ("value",)


def part_value(figure: Figure, part: str):
    return figure.extra.get(part) if part == "pending" else getattr(figure, part)


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
        return {"value": FEW}
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
                    continue
            # counts of people; a share's counts where they are (composition) or where the share rests on fewer
            # cases than the threshold (domain.md: only a handling share's counts at or above it are not protected)
            protected = figure.unit == Unit.COUNT or part != "value" and (
                figure.share_of == ShareOf.COMPOSITION or hidden.get("value") == FEW)
            self.numbers[key] = Number(key, _whole(number) if part != "value" or figure.unit == Unit.COUNT else None,
                                       tier, hidden.get(part), section, protected,
                                       figure.counts or self.counts.get(figure.indicator))
            self.refs[Ref(figure.indicator, None, str(span), figure.category, part)] = key
            if figure.unit in (Unit.SHARE, Unit.RATE, Unit.RATIO):  # hidden whole: any part hides the rest
                self.shares.setdefault((key.indicator, key.category, key.first, key.last), {})[part] = key
            counted = protected or (figure.unit in (Unit.SHARE, Unit.RATE) and part != "value")
            if tier != INDICATOR and counted and over not in AT_END and len(span.months()) > 1:
                # a section's own count over a quarter or a year to date (not an indicator's, nor a state at its
                # end), a share's counts too: nothing links it to the months a reader has from the month packs (a
                # quarter's numerator less two months' would give the third's, hidden for resting on too few), so
                # it is hidden; an indicator's figures (Indicator.over) are decided with their months
                self.unsafe.add(key)

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


# --- relations ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Link:
    """``total`` = the sum of ``parts``, between keys."""

    total: Key
    parts: tuple[Key, ...]
    # found in one period's numbers (a share's complement equal to a count): it holds, but may hold by chance, so
    # it may make the protection hide more, never ask less of it (the audit's "labels alone" leave it out)
    found: bool = False
    # no sum: ``total`` is made of parts of ``parts`` (a 12-month window ending within a quarter, of the 5 quarters it
    # overlaps), the last of which no pack of its month knows yet: the series hides it, and no equation is made of it
    covers: bool = False

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def declared_links(catalogue: Catalogue, relations: Iterable[tuple[str, Relation]],
                   whole: bool = True) -> tuple[list[Link], list[str]]:
    """The sections' relations between keys, and the problems (a relation naming a figure no section gave).
    ``whole``: the catalogue holds the series' figures too (a build); without them (a pack's figures alone, in a
    test) a relation of every period that names none of them is left to the periods that have its numbers."""
    links, problems = [], []
    for section, relation in relations:
        refs = (relation.total, *relation.parts)
        keys = [catalogue.ref_key(ref) for ref in refs]
        missing = [str(ref) for ref, key in zip(refs, keys) if key is None]
        if missing and all(ref.period is None for ref in refs):
            # a relation of every period (Refs without a period): it need not hold numbers in the report period
            # (notifications by reporter a month pack does not publish), only somewhere in the series
            keys = [key or catalogue.unresolved(ref) for ref, key in zip(refs, keys)]
            if whole and not any(all(k.at(*span) in catalogue.numbers for k in keys) for span in catalogue.spans()):
                problems.append(f"section {section!r} declares a relation with {', '.join(missing)}, which no "
                                "section of the pack gives for any period")
                continue
            links.append(Link(keys[0], tuple(keys[1:])))
            continue
        if missing:
            problems.append(f"section {section!r} declares a relation with {', '.join(missing)}, which no section "
                            "of the pack gives")
            continue
        link = Link(keys[0], tuple(keys[1:]))
        if not _holds(link, catalogue.numbers):
            values = [catalogue.numbers[k].value for k in link.members]
            problems.append(f"section {section!r} declares {relation.total} = "
                            f"{' + '.join(str(p) for p in relation.parts)}, but the numbers are {values[0]} = "
                            f"{' + '.join(str(v) for v in values[1:])}")
            continue
        links.append(link)
    return links, problems


def _holds(link: Link, numbers: Mapping[Key, Number]) -> bool:
    values = [numbers[k].value for k in link.members]
    return None in values or values[0] == sum(values[1:])


def templates(links: Iterable[Link]) -> list[Link]:
    """The declared relations whose numbers all have one span: they hold for every period (a rule's items are
    the notifications of the period, whichever period), so each is applied to every month and span (once
    for every shape: a section declares the same relation for each month of its trend)."""
    shapes = {}
    for link in links:
        if len({key.months for key in link.members}) == 1:
            shape = link.total.at("", ""), tuple(sorted(p.at("", "") for p in link.parts))
            shapes.setdefault(shape, link)
    return list(shapes.values())


def instantiate(template: Link, first: str, last: str, numbers: Mapping[Key, Number]) -> Link | None:
    moved = Link(template.total.at(first, last), tuple(p.at(first, last) for p in template.parts), template.found)
    # where the numbers break it, it was no relation of every period (only of the one it was declared for)
    return moved if all(key in numbers for key in moved.members) and _holds(moved, numbers) else None


def structural_relations(numbers: Mapping[Key, Number], series: Mapping[Key, Number] | None = None,
                         spans: Set[tuple[str, str]] | None = None) -> list[Link]:
    """The relations a reader knows from the kind of numbers shown, for the numbers of one month or span,
    found in the numbers themselves (each holds, or it is no relation):

    - categories and their total: the total of an indicator is the sum of its categories;
    - a share's parts: its complement (the denominator less the numerator) is another count of its section, or
      the sum of the categories of one indicator of its section — of the same things, where both say what they
      count (``counts``: investigations are no share of notifications' complement); its denominator is such a
      sum (a count equal to a denominator is mostly chance: children placed and placements are equal where no
      child has two);
    - a rule's items: its judged items and its pending items add up to a count of its section, or to another
      rule's judged items (:func:`_same_items`);
    - a share's complement made of two counts of its section (notifications not contacted within 7 days:
      contacted later + no contact yet), where that holds in every other period of ``series`` that has the four
      numbers (:func:`_two_count_complements`);
    - across sections, two counts of the same things that are equal (a rule's judged notifications and the
      notifications counted), and a protected count that is the difference of two (active cases less those with a
      caseworker): :func:`_count_differences`, where that holds throughout ``series``.

    Otherwise only within one section: across sections equal numbers are mostly chance (and a section that relates
    its numbers to another's declares it, as compliance does with the notifications).
    """
    links: list[Link] = []
    by_group: dict[tuple[str, str], dict[str, Key]] = defaultdict(dict)
    for key, number in numbers.items():
        if number.value is not None:
            by_group[(key.indicator, key.part)][key.category] = key
    sums: list[tuple[int, tuple[Key, ...], str]] = []  # (value, keys, section) of counts and category sums
    for (_, part), members in by_group.items():
        categories = [k for c, k in sorted(members.items()) if c]
        if "" in members and categories:
            total = members[""]
            if sum(numbers[k].value for k in categories) == numbers[total].value:
                links.append(Link(total, tuple(categories)))
        for key in members.values():
            # a category of a breakdown is not a share's complement by itself: among a breakdown's small parts one
            # equals a share's complement by chance, and a relation that is not one narrows what the audit expects
            # the labels alone to leave (it would pass a pack that leaks)
            if numbers[key].protected and part == "value" and not key.category:
                sums.append((numbers[key].value, (key,), numbers[key].section))
        if categories and part == "value" and all(numbers[k].protected for k in categories):
            sums.append((sum(numbers[k].value for k in categories), tuple(categories), numbers[categories[0]].section))
    shares: dict[tuple[str, str], dict[str, Key]] = defaultdict(dict)
    for key, number in numbers.items():
        if key.part in SHARE_PARTS and number.value is not None:
            shares[(key.indicator, key.category)][key.part] = key
    for (indicator, _), parts in shares.items():
        if "numerator" not in parts or "denominator" not in parts:
            continue
        n, d = numbers[parts["numerator"]].value, numbers[parts["denominator"]].value
        section = numbers[parts["denominator"]].section
        pending = parts.get("pending")
        counted = numbers[parts["denominator"]].counts
        for value, keys, owner in sums:
            if indicator in {k.indicator for k in keys} or owner != section:
                continue
            if counted and any(numbers[k].counts not in (None, counted) for k in keys):
                continue  # counts of other things (investigations beside a share of notifications) match by chance
            if value == d - n and d - n > 0:
                links.append(Link(parts["denominator"], (parts["numerator"], *keys), found=True))
            if value == d and d > 0 and len(keys) > 1:  # the share's cases by outcome
                links.append(Link(parts["denominator"], keys, found=True))
            if pending is not None and len(keys) == 1 and value == d + numbers[pending].value and value > 0:
                links.append(Link(keys[0], (parts["denominator"], pending), found=True))
        if series is not None and d - n > 0:
            links += _two_count_complements(parts, [keys[0] for _, keys, owner in sums
                                                    if len(keys) == 1 and owner == section
                                                    and keys[0].indicator != indicator
                                                    and numbers[keys[0]].counts in (None, counted)], numbers, series,
                                            spans)
    links += _same_items(numbers, [parts for parts in shares.values() if "denominator" in parts])
    links += _count_differences(numbers, series, spans)
    return links


def _count_differences(numbers: Mapping[Key, Number], series: Mapping[Key, Number] | None,
                       spans: Set[tuple[str, str]] | None = None) -> list[Link]:
    """Two counts of the same things (``counts``) that are equal, and a protected count that is the difference of
    two others, whichever sections show them: the notifications a rule judged and the notifications counted; active
    cases (continuity's denominator) less the cases held by an employed caseworker (caseload's numerator) are the
    cases without one. A reader who knows what the numbers count finds them; no section owns them all to declare
    it. Taken where it holds in this period and in every other of ``series`` that has the numbers (once is mostly
    chance: it must hold throughout); where no other period has them, this period's numbers are all there is."""
    by_kind: dict[str, list[Key]] = defaultdict(list)
    for key, number in numbers.items():
        if number.counts and number.value and not key.category:
            by_kind[number.counts].append(key)
    candidates: list[tuple[Key, ...]] = []  # (total, part, part): total = the sum of the parts
    for keys in by_kind.values():
        by_value: dict[int, list[Key]] = defaultdict(list)
        for key in keys:
            by_value[numbers[key].value].append(key)
        for a in keys:
            # plainly equal: a rule's judged notifications and the notifications counted (compliance's 24 hours and
            # the notifications section's total): one number, whichever section shows it
            candidates += [(a, b) for b in by_value[numbers[a].value] if a.indicator < b.indicator]
            # a rule's judged and pending items are the things counted: notifications = judged + pending
            pending = Key(a.indicator, a.category, "pending", a.first, a.last)
            if a.part == "denominator" and pending in numbers and numbers[pending].value is not None:
                candidates += [(b, a, pending) for b in by_value.get(numbers[a].value + numbers[pending].value, ())
                               if b.indicator != a.indicator and b.part == "value"]
        for c in keys:
            if not numbers[c].protected or c.part != "value":
                continue
            for a in keys:
                for b in by_value.get(numbers[a].value - numbers[c].value, ()):
                    if len({a.indicator, b.indicator, c.indicator}) == 3:
                        candidates.append((a, b, c))
    if not candidates:  # the common case: no need to walk the series' numbers
        return []
    elsewhere_spans = _spans(series, spans) - {candidates[0][0].months} if series is not None else set()
    links = []
    for total, *parts in candidates:
        elsewhere = [[series.get(k.at(*span)) for k in (total, *parts)] for span in elsewhere_spans]
        elsewhere = [found for found in elsewhere if all(f is not None and f.value is not None for f in found)]
        if all(found[0].value == sum(f.value for f in found[1:]) for found in elsewhere):
            links.append(Link(total, tuple(parts), found=True))
    return links


def _spans(series: Mapping[Key, Number], spans: Set[tuple[str, str]] | None) -> Set[tuple[str, str]]:
    """The months and spans ``series`` has numbers of: ``spans`` when the caller knows them (the series' protection
    asks once per span, and finding them is a walk over every number of the series)."""
    return spans if spans is not None else {k.months for k in series}


def _two_count_complements(parts: Mapping[str, Key], counts: list[Key], numbers: Mapping[Key, Number],
                           series: Mapping[Key, Number], spans: Set[tuple[str, str]] | None = None) -> list[Link]:
    """A share's complement that is the sum of two counts of its section, in this period and in every other of
    ``series`` that has the four numbers: the relation a reader of the series finds. (Where no other period has
    them, this period's numbers are all there is to go by: the relation is taken, hiding more rather than less.)"""
    numerator, denominator = parts["numerator"], parts["denominator"]
    complement = numbers[denominator].value - numbers[numerator].value
    pairs = [(a, b) for i, a in enumerate(counts) for b in counts[i + 1:]
             # two counts, neither 0 (with a 0 it is the one-count relation, found above)
             if numbers[a].value and numbers[b].value and numbers[a].value + numbers[b].value == complement]
    if not pairs:  # the common case: no need to walk the series' numbers
        return []
    links = []
    for a, b in pairs:
        elsewhere = [[series.get(k.at(*span)) for k in (denominator, numerator, a, b)]
                     for span in _spans(series, spans) - {denominator.months}]
        elsewhere = [found for found in elsewhere if all(f is not None and f.value is not None for f in found)]
        if all(d.value - n.value == x.value + y.value for d, n, x, y in elsewhere):
            links.append(Link(denominator, (numerator, a, b), found=True))
    return links


def _same_items(numbers: Mapping[Key, Number], shares: list[dict[str, Key]]) -> list[Link]:
    """Two shares over the same items (two deadlines for the same investigations: the law's 4 months and a local
    2): one's judged items are the other's judged and pending items, a number a reader who knows the rules has
    twice. Where one is hidden (its months are) and the other shown, the shown one gives it away; related, both
    are decided as one. Found in the numbers, for any section's shares — no section need declare it: shares that
    count the same thing (``counts``; where either does not say, those of one section) whose judged items equal
    the other's judged and pending items."""
    links = []
    for mine, other in ((a, b) for a in shares for b in shares if a is not b):
        d, theirs = numbers[mine["denominator"]], numbers[other["denominator"]]
        if d.key.indicator == theirs.key.indicator:
            continue
        same = d.counts == theirs.counts if d.counts and theirs.counts else d.section == theirs.section
        pending = numbers[other["pending"]] if "pending" in other else None
        items = theirs.value + (pending.value if pending is not None else 0)
        if not same or items <= 0 or d.value != items:
            continue
        if pending is not None and pending.value:
            links.append(Link(d.key, (theirs.key, pending.key), found=True))
        elif str(d.key) < str(theirs.key):  # plainly equal: once
            links.append(Link(d.key, (theirs.key,), found=True))
    return links


# --- deciding one table of numbers ----------------------------------------------------------------

class Unprotectable(ValueError):
    """Numbers decided earlier pin a number that must be hidden: no choice left can protect it."""


def decide(numbers: Mapping[Key, Number], free: set[Key], fixed: Mapping[Key, str | None], links: list[Link],
           threshold: int, derived: frozenset[Key] = frozenset(),
           wholes: Iterable[Iterable[Key]] = ()) -> dict[Key, str]:
    """Which of the ``free`` numbers to hide, the ``fixed`` ones (hidden as said, or shown: None) kept as they
    are: primary suppression, then complementary suppression until the exact audit proves every hidden count
    of ``numbers`` protected across ``links``. Each round hides, beside every number a reader could still
    narrow, the free number that costs the reader least: the smallest, in the fewest relations, a part before
    a total (as τ-ARGUS minimises the information lost). A ``derived`` number (a sum of other months') needs
    no interval of its own: its months' protect it. Each of ``wholes`` (a share's numbers) is hidden whole as soon
    as one of its numbers is, before the audit judges it."""
    hidden: dict[Key, str] = {k: v for k, v in fixed.items() if v}
    for key in sorted(free):
        if numbers[key].primary:
            hidden[key] = numbers[key].primary
    wholes = [sorted(group) for group in wholes]

    def whole() -> None:
        for group in wholes:
            if any(k in hidden for k in group):
                for k in group:
                    if k in free:
                        hidden.setdefault(k, OTHER)

    whole()
    sums = [link for link in links if all(numbers[k].value is not None for k in link.members)]
    involved = sorted({k for link in sums for k in link.members})
    if not involved:
        return {k: v for k, v in hidden.items() if k in free}
    degree = {k: sum(k in link.members for link in sums) for k in involved}
    totals = {link.total for link in sums}

    def cost(key: Key) -> tuple:
        return key in totals, degree[key], numbers[key].value, str(key)

    def partner(members: Iterable[Key]) -> Key | None:
        shown = [k for k in members if k not in hidden and k in free]
        positive = [k for k in shown if numbers[k].value > 0] or shown  # a zero only where nothing else is left
        return min(positive, key=cost) if positive else None

    changed = True  # the classic first pass: no relation with exactly one hidden number
    while changed:
        changed = False
        for link in sums:
            if sum(k in hidden for k in link.members) == 1 and (choice := partner(link.members)) is not None:
                hidden[choice] = OTHER
                changed = True
    failures, last_resort = [], False
    named = {str(k): k for k in involved}
    for _ in range(len(involved) + 2):
        whole()
        failures = _audit(numbers, involved, hidden, sums, threshold, derived)
        if not failures:
            break
        exposed = sorted((named[f.key] for f in failures if f.key in named), key=lambda k: -degree[k])
        if any(f.key is None for f in failures):
            raise AssertionError(f"the numbers contradict their relations: {failures[0]}")
        added, handled = False, set()
        for weak in exposed:
            mine = [link for link in sums if weak in link.members]
            if any(k in handled for link in mine for k in link.members):
                continue
            options = [choice for link in mine if (choice := partner(link.members))]
            if not options:  # its relations have nothing left to hide: widen a hidden neighbour's relations instead
                near = {k for link in mine for k in link.members if k in hidden and k != weak}
                options = [choice for link in sums if link not in mine and near & set(link.members)
                           and (choice := partner(link.members))]
            if options:
                hidden[min(options, key=cost)] = OTHER
                handled.add(weak)
                added = True
        if not added:
            if last_resort:
                relabelled = _relabel(exposed, sums, free, hidden)
                if relabelled:
                    continue
                break
            # nothing cheap is left: every free number related to an exposed one is hidden
            last_resort = True
            for weak in exposed:
                for link in sums:
                    if weak in link.members:
                        for k in link.members:
                            if k in free:
                                hidden.setdefault(k, OTHER)
    if failures:
        raise Unprotectable("; ".join(str(f) for f in failures[:3]))
    return {k: v for k, v in hidden.items() if k in free}


def _relabel(exposed: list[Key], sums: list[Link], free: set[Key], hidden: dict[Key, str]) -> bool:
    """The last step: a free small count beside an exposed number is shown as "–", not "<5" — the label would
    narrow its neighbour (shown numbers fix their sum) below the threshold. True if one was relabelled."""
    changed = False
    for link in sums:
        if any(weak in link.members for weak in exposed):
            for key in link.members:
                if key in free and hidden.get(key) == SMALL:
                    hidden[key] = OTHER
                    changed = True
    return changed


def _audit(numbers, involved, hidden, sums, threshold, derived):
    # Imported here, not at the top: the audit brings SciPy and NumPy (about half a second), which only a build with
    # a committee pack needs, and which the build imports in a thread while it computes (a large extract's: here,
    # after compute; ledinfo.pipeline.build.import_audit_meanwhile) rather than on the way to the first pack (issue 27).
    from ledinfo.disclosure.audit import Cell, audit  # deferred: SciPy and NumPy, only for a committee pack
    from ledinfo.disclosure.audit import Relation as Sum  # deferred: as above

    cells = [Cell.small(str(k), numbers[k].value, threshold) if hidden.get(k) == SMALL
             else Cell(str(k), numbers[k].value, k in hidden) for k in involved]
    relations = {link: Sum(str(link.total), tuple(str(p) for p in link.parts)) for link in sums}
    known = [relation for link, relation in relations.items() if not link.found]
    # only counts of people need a protection interval; a hidden deadline count need not be wide by itself
    protected = {str(k) for k in involved if numbers[k].protected and k not in derived}
    failures = [f for f in audit(cells, list(relations.values()), threshold, known=known)
                if f.key is None or f.key in protected]
    if failures:
        return failures
    # A reader who knows the rules ("1 to 4 is shown <5; 0 is shown") also reads a count of people shown "–" as at
    # least the threshold. Read so, no hidden count may come out exact: the kit's attacker found a category of 1
    # and two of 5 from their total less the shown ones (11 = 1 + 5 + 5) where "–" was read as 0 or more. (Asked
    # of exactness only: the widths are asked above, as the rules print the labels.)
    read = {cell.key for cell in cells
            if cell.hidden and cell.high is None and cell.value >= threshold and cell.key in protected}
    if not read:
        return []
    # only the relations joined to such a count can tell more than the audit above found (the rest is as it was)
    joined = _joined(read, relations.values())
    asked = [r for r in relations.values() if r.total in joined or joined.intersection(r.parts)]
    read_as_rules = [replace(cell, low=threshold) if cell.key in read else cell for cell in cells
                     if cell.key in joined]
    return [f for f in audit(read_as_rules, asked, threshold, known=[r for r in known if r in asked])
            if f.key is None or (f.key in protected and f.interval is not None and f.interval[0] == f.interval[1])]


def _joined(keys: set[str], relations) -> set[str]:
    """Every cell a chain of ``relations`` joins to one of ``keys`` (a relation's shown total is no cell)."""
    joined, changed = set(keys), True
    while changed:
        changed = False
        for relation in relations:
            members = {m for m in (relation.total, *relation.parts) if isinstance(m, str)}
            if members & joined and not members <= joined:
                joined |= members
                changed = True
    return joined


# --- the series ----------------------------------------------------------------------------------------

@dataclass
class Decisions:
    """The series' answer for every number decided so far: key -> SMALL, FEW, OTHER, or None (shown)."""

    hidden: dict[Key, str | None] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def shown(self, key: Key) -> bool:
        return key in self.hidden and self.hidden[key] is None


class SeriesProtection:
    """Decides the numbers of a committee pack as the whole series decides them (see the module docstring)."""

    def __init__(self, catalogue: Catalogue, links: list[Link], derive: bool = True):
        self.catalogue = catalogue
        self.numbers = catalogue.numbers
        self.cross = [link for link in links if len({k.months for k in link.members}) > 1]
        self.templates = templates(links)
        self.derive = derive
        self.decisions = Decisions()
        self.by_span: dict[tuple[str, str], list[Key]] = defaultdict(list)
        for key in self.numbers:
            self.by_span[key.months].append(key)
        # a share's numbers all have one span: each span's shares, found once, not among every span's (issue 27)
        self.shares_of: dict[tuple[str, str], list[dict[str, Key]]] = defaultdict(list)
        for parts in catalogue.shares.values():
            self.shares_of[next(iter(parts.values())).months].append(parts)

    def run(self) -> Decisions:
        # a span after the spans it is made of: the second quarter (April–June) before the half year (January–June)
        # that ends with it, which is derived from its quarters only once they are decided
        spans = sorted(self.by_span, key=lambda span: (span[1], len(_months_between(*span))))
        for span in spans:
            if span[0] == span[1]:
                self._decide(span)
        for span in spans:
            if span[0] != span[1]:
                self._decide(span)
        return self.decisions

    # one month or span, tier by tier
    def _decide(self, span: tuple[str, str]) -> None:
        keys = self.by_span[span]
        numbers = {k: self.numbers[k] for k in keys}
        links = [link for t in self.templates if (link := instantiate(t, *span, self.numbers))]
        if self.derive:  # found in the numbers: only between numbers of one tier, which every pack decides alike
            links += [link for link in structural_relations(numbers, self.numbers, self.by_span.keys())
                      if len({numbers[k].tier for k in link.members}) == 1]
        links = _unique(links)
        derived = self._derived(span, keys, links)
        self.decisions.hidden.update(derived)
        # the numbers related to a hidden derived one
        beside_derived = {k for link in links if any(derived.get(m) for m in link.members) for k in link.members}
        shares = self.shares_of.get(span, [])
        wholes = [parts.values() for parts in shares]
        for tier in TIERS:
            mine = {k for k in keys if numbers[k].tier == tier and k not in derived}
            fixed = {k: self.decisions.hidden.get(k) for k in keys if k in self.decisions.hidden}
            for key in sorted(mine):
                if key in self.catalogue.unsafe:
                    fixed[key] = numbers[key].primary or OTHER
                # a span's own number related to a hidden derived one would give that sum away, and with two
                # spans a month by subtraction: it is hidden too
                elif key in beside_derived:
                    fixed[key] = numbers[key].primary or OTHER
            # a number of this tier that numbers other tiers show already give away (a headline equal to a category
            # of a breakdown; a total of two shown counts) is the same number: shown here too. Hiding it would give
            # two answers for one number and protect nothing. One equal to a hidden number is hidden alike.
            for link in links:
                for key in link.members:
                    if key not in mine or key in fixed or numbers[key].primary:
                        continue
                    others = [k for k in link.members if k != key]
                    if any(k in mine or k not in self.decisions.hidden for k in others):
                        continue
                    if all(self.decisions.hidden[k] is None for k in others):
                        fixed[key] = None
                    elif len(others) == 1:
                        fixed[key] = self.decisions.hidden[others[0]]
            free = {k for k in mine if k not in fixed}
            # a tier is decided without the tiers below it, which other packs may not have: one answer everywhere
            own = [link for link in links if all(numbers[k].tier <= tier for k in link.members)]
            try:
                chosen = decide(numbers, free, fixed, own, self.catalogue.threshold, frozenset(derived), wholes)
            except Unprotectable as why:
                # earlier tiers pin a number of this tier: hide every number of this tier, and say so
                self.decisions.problems.append(f"{span[0]}..{span[1]}: {why}")
                chosen = {k: numbers[k].primary or OTHER for k in free}
            for key in mine:
                self.decisions.hidden[key] = fixed.get(key) if key in fixed else chosen.get(key)
            self._whole_shares(mine, shares)

    def _derived(self, span: tuple[str, str], keys: list[Key], links: list[Link]) -> dict[Key, str | None]:
        """The numbers of ``span`` that are sums of, or equal to, numbers of other months: shown only when
        those are (then they tell nothing new), else hidden."""
        derived: dict[Key, str | None] = {}
        first, last = span
        months = _months_between(first, last)
        if len(months) > 1:
            quarters = _quarters_of(months) if not _is_quarter(months) else None
            for key in keys:
                number = self.numbers[key]
                if number.value is None:
                    continue
                rules, made_of = [], []
                for grain in ([(m, m) for m in months], quarters):  # of its months, or of its whole quarters
                    parts = [self.numbers.get(key.at(*g)) for g in grain] if grain else [None]
                    if None not in parts and all(p.value is not None for p in parts) \
                            and sum(p.value for p in parts) == number.value:
                        rules.append(all(self.decisions.shown(p.key) for p in parts))
                        made_of = parts
                        break
                last_month = self.numbers.get(key.at(last, last))
                if last_month is not None and last_month.value == number.value:
                    rules.append(self.decisions.shown(last_month.key))
                    made_of = made_of or [last_month]
                if rules:
                    # shown when some rule finds it made of shown numbers: the series publishes it already, and hiding
                    # it would give one number two answers (a 12-month share of an indicator that declares no
                    # ``over``: its quarter's numerator 0 is both its three months' 0 + 0 + 0, two of them hidden for
                    # resting on too few, and its last month's 0, shown — the quarter hid it, the month showed it).
                    # Where both rules hold, the months it is the sum of and its last month's, the other months are
                    # 0, which the rules print anyway.
                    derived[key] = None if any(rules) and not number.primary else self._derived_mark(number, made_of)
                elif number.protected and not _is_quarter(months):
                    # a count of people over a span that is neither made of numbers the series shows nor a calendar
                    # quarter: two such spans (a year to date and the next) would give a month by subtraction
                    derived[key] = OTHER
        for link in self.cross:  # a 12-month total and its months, or another total over other periods
            if link.total.months == span:
                shown = not link.covers and all(self.decisions.shown(p) for p in link.parts if p.months != span)
                number = self.numbers[link.total]
                derived[link.total] = None if shown and not number.primary else OTHER
        return derived

    def _derived_mark(self, number: Number, parts: list[Number]) -> str:
        """How a hidden sum of months is marked: "<5" where it is a small count and every hidden month of it is a
        "<5" too — a reader then learns no more than the months' own labels say, and the label says all a reader
        can learn (its months shown as 0 and one "<5" make it that "<5") — else "–": a month hidden so that
        another cannot be worked out may be any size, and so may their sum."""
        hidden = [self.decisions.hidden.get(p.key) for p in parts if not self.decisions.shown(p.key)]
        small = number.value is not None and 0 < number.value < self.catalogue.threshold
        return SMALL if small and number.protected and hidden and all(h == SMALL for h in hidden) else OTHER

    def _whole_shares(self, keys: set[Key], shares: list[dict[str, Key]]) -> None:
        """A share goes whole: any of its numbers hidden hides the share and all of its numbers (``shares``: those
        of the span of ``keys``)."""
        for parts in shares:
            members = [k for k in parts.values() if k in keys]
            if members and any(self.decisions.hidden.get(k) for k in parts.values()):
                for key in parts.values():
                    if not self.decisions.hidden.get(key):
                        self.decisions.hidden[key] = OTHER
                if self.decisions.hidden.get(parts.get("value")) not in (FEW,):
                    self.decisions.hidden[parts["value"]] = self.decisions.hidden.get(parts["value"]) or OTHER


def _is_quarter(months: list[str]) -> bool:
    """The months of one calendar quarter: the spans whose numbers of a breakdown may stand alone, since two
    quarters never overlap (a year to date, a 12-month window and the next month's do)."""
    return len(months) == 3 and _parsed(months[-1]).month % 3 == 0


def _quarters_of(months: list[str]) -> list[tuple[str, str]] | None:
    """The calendar quarters a span of months is made of, or None when it does not start and end with one."""
    if len(months) % 3 or _parsed(months[-1]).month % 3:
        return None
    return [(months[i], months[i + 2]) for i in range(0, len(months), 3)]


def _months_between(first: str, last: str) -> list[str]:
    start, end = _parsed(first), _parsed(last)
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return [str(m) for m in end.trailing(count)]


def _unique(links: list[Link]) -> list[Link]:
    seen, kept = set(), []
    for link in links:
        marker = (link.total, tuple(sorted(link.parts)))
        if marker not in seen and link.total not in link.parts:
            seen.add(marker)
            kept.append(link)
    return kept


class Publication:
    """Which kinds of number the committee's packs publish: an indicator's figure with or without a category, of a
    month, a quarter or a year to date — as the pack shows them, the same in every pack of the series — and every
    number a relation ties to one of them for the same kind of period (what the relation lets a reader work out
    is published too: the receipt rule's monthly items are the month's notifications from professionals). A number
    two unpublished ones share (a month's private and anonymous notifications, whose sum is known) is not: neither
    can be told, and the quarter's — published — are protected as the quarter's own.

    The series is decided on these alone: a breakdown a pack shows only by quarter (its months never printed, nor
    any number they could be worked out from) is protected quarter by quarter, not hidden for a small month."""

    def __init__(self, figures: Mapping[str, list[Figure]], relations: Mapping[str, list[Relation]], period: Period,
                 over: Mapping[str, Over], keeps: Callable[[str, Figure, str], bool] | None = None):
        def kind(figure: Figure) -> str:  # a figure of a period's end is a month's, whatever the pack's period
            if (figure.over or over.get(figure.indicator)) in AT_END:
                return MONTH
            return (period if figure.period is None else _parsed(figure.period)).kind

        def kinds(section: str, figure: Figure) -> tuple[str, ...]:
            # a figure of the pack's own period is what the section shows in every pack of the series for that
            # pack's period: the month's pack shows the month, the year to date's the year to date (and compares
            # each with its like). Known from one pack alone, it would publish the months in the month's pack only,
            # and a year to date's pack would decide a quarter by itself (shown) where the month's derives it from
            # hidden months: one number, two answers. So it is published for every kind of period whose packs the
            # template lets show it (not the months of a section shown by whole quarter), in every pack.
            if figure.period is not None:
                return (kind(figure),)
            return tuple(k for k in KINDS if keeps is None or keeps(section, figure, k))

        self._kind = kind
        self.shapes = {(f.indicator, f.category, k) for section, shown in figures.items() for f in shown
                       for k in kinds(section, f)}
        ties = [{(ref.indicator, ref.category) for ref in (relation.total, *relation.parts)}
                for found in relations.values() for relation in found]
        changed = True
        while changed:  # every number a relation gives away (all its other numbers published), until none is added
            changed = False
            for tie in ties:
                for when in {k for (_, _, k) in self.shapes}:
                    unknown = [member for member in tie if (*member, when) not in self.shapes]
                    if len(unknown) == 1:
                        self.shapes.add((*unknown[0], when))
                        changed = True

    def shows(self, figure: Figure) -> bool:
        return (figure.indicator, figure.category, self._kind(figure)) in self.shapes


def decide_pack(figures: Mapping[str, list[Figure]], relations: Mapping[str, list[Relation]], period: Period,
                threshold: int, series: Series | None = None) -> tuple[Catalogue, Decisions]:
    """Every number of a committee pack and the series' answer for each: ``figures`` and ``relations`` by
    section (the municipality's figures only), ``series`` the indicators' figures of every period the pack shows
    or is made of (:func:`needed_periods`). Raises ValueError for a relation that names no figure of the pack or
    that its numbers break: a section's bug."""
    series = series or Series()
    owners = {f.indicator: section for section, shown in reversed(list(figures.items())) for f in shown}
    windows = twelve_month_windows(series.figures, series.over) if derivation_on() else {}
    for problem in undeclared_windows(windows, series.over, owners):
        log.warning("%s", problem)  # protected as the window all the same; the kit's check fails on it
    catalogue = Catalogue(period, threshold, series.over, owners, series.counts, windows)
    published = Publication(figures, relations, period, series.over, series.keeps)
    for when in sorted(series.figures, key=lambda p: (_parsed(p).end, _parsed(p).length)):
        for figure in series.figures[when]:
            if published.shows(figure):
                catalogue.add(figure, INDICATOR)
    for section, shown in figures.items():
        for figure in shown:
            catalogue.add(figure, PACK if figure.period is None else SECTION, section)
    links, problems = declared_links(catalogue, [(name, r) for name, found in relations.items() for r in found],
                                     whole=bool(series.figures))
    if problems:
        raise ValueError("; ".join(problems))
    return catalogue, SeriesProtection(catalogue, links + window_links(catalogue), derivation_on()).run()


def window_links(catalogue: Catalogue) -> list[Link]:
    """Each number of a 12-month window (``Catalogue.windows``) = the other indicator's numbers of its 12 months,
    or of its 4 whole quarters, where the series has them all: the series shows the window only when it shows every
    one of them (``SeriesProtection._derived``). A window that ends within a quarter, of an indicator published by
    quarter, is made of parts of the 5 quarters it overlaps: two windows a month apart differ by the month that
    entered less the one that left, a lower bound of a quarter that its own month's pack does not know yet (and a
    later pack would decide it otherwise), so it is hidden. Found in the numbers: it may make the protection hide
    more, never ask less of it."""
    links = []
    for key in catalogue.numbers:
        other = catalogue.windows.get(key.indicator, {}).get(key.part)
        if other is None or key.category:
            continue
        last = _parsed(key.last)
        for grain in window_grains(last):
            parts = tuple(Key(other, "", key.part, str(p.months()[0]), str(p.last_month)) for p in grain)
            if all(part in catalogue.numbers for part in parts):
                links.append(Link(key, parts, found=True))
                break
        else:
            # neither its months nor its quarters all in the series (whatever this pack has of them): hidden alike
            links.append(Link(key, tuple(Key(other, "", key.part, str(q.months()[0]), str(q.last_month))
                                         for q in window_quarters(last)), found=True, covers=True))
    return links


def needed_periods(figures: Iterable[Figure], period: Period, over: Mapping[str, Over | None] | None = None) \
        -> list[Period]:
    """Every period whose indicator figures the protection of a pack with ``figures`` needs: the periods the
    pack shows, and the months and whole quarters each of them is made of; and for a 12-month window
    (``Over.WINDOW``, the figure's or its indicator's in ``over``) the months and quarters of its window, so that
    every pack that shows the window ties it to the same numbers (never a period after the window's end)."""
    figures = list(figures)
    shown = {period} | {_parsed(f.period) for f in figures if f.period is not None}
    needed = set(shown)
    for figure in figures:
        if (figure.over or (over or {}).get(figure.indicator)) == Over.WINDOW:
            last = (period if figure.period is None else _parsed(figure.period)).last_month
            needed.update(period for grain in window_grains(last) for period in grain)
    for span in shown:
        months = span.months()
        needed.update(months)
        # a span is derived from its quarters where its months do not add up to it (a deadline rule's year: an item
        # pending at a month's end is judged in the next); every pack must have them, not only one whose trend
        # happens to show them, or the year is derived (hidden) in one pack and decided alone (shown) in another
        quarters = _quarters_of([str(m) for m in months]) or []
        needed.update(Period(_parsed(last).year, _parsed(last).month, QUARTER) for _, last in quarters)
    return sorted(needed, key=lambda p: (p.end, p.length))


__all__ = ["Catalogue", "Decisions", "Key", "Link", "Publication", "Series", "SeriesProtection", "decide", "decide_pack",
           "declared_links", "needed_periods", "primary", "structural_relations"]
