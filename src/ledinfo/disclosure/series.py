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

The modules beside this one: the numbers and their keys (:mod:`ledinfo.disclosure.series_numbers`), the relations
between them (:mod:`ledinfo.disclosure.series_links`) and the deciding of one table of them
(:mod:`ledinfo.disclosure.series_decide`).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ledinfo.disclosure.numbers import parsed as _parsed
from ledinfo.disclosure.series_decide import Unprotectable, decide
from ledinfo.disclosure.series_links import (
    Link,
    declared_links,
    instantiate,
    structural_relations,
    templates,
    unique_links,
    window_links,
)
from ledinfo.disclosure.series_numbers import AT_END, BASE, INDICATOR, PACK, SECTION, TIERS, Catalogue, Key, Number, log
from ledinfo.disclosure.windows import twelve_month_windows, undeclared_windows, window_grains
from ledinfo.model.period import KINDS, MONTH, QUARTER, Period
from ledinfo.model.results import FEW, OTHER, SMALL, Figure, Over, Relation

# Tests switch the derivation of relations from the numbers off, to show that it is what protects a section
# that declares none (tests/test_series_protection.py); never set it in production.
DERIVE_ENV = "LEDINFO_DERIVE_RELATIONS"


def derivation_on() -> bool:
    return os.environ.get(DERIVE_ENV, "1") != "0"


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
        links = unique_links(links)
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
                elif number.protected and key.part != BASE and not _is_quarter(months):
                    # a count of people over a span that is neither made of numbers the series shows nor a calendar
                    # quarter: two such spans (a year to date and the next) would give a month by subtraction (not a
                    # statistic's base, which no pack prints: a reader has its bounds, no value to subtract)
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


__all__ = ["DERIVE_ENV", "Decisions", "Publication", "Series", "SeriesProtection", "decide_pack", "needed_periods"]
