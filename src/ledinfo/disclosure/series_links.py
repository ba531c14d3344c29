"""The relations between the series' numbers (:mod:`ledinfo.disclosure.series`): ``total`` = the sum of ``parts``
(:class:`Link`), declared by sections (:func:`declared_links`), found in the numbers (:func:`structural_relations`),
and a 12-month window's ties to its months (:func:`window_links`). A relation found in the numbers may make the
protection hide more, never ask less of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from ledinfo.disclosure.numbers import parsed as _parsed
from ledinfo.disclosure.series_numbers import SHARE_PARTS, Catalogue, Key, Number
from ledinfo.disclosure.windows import window_grains, window_quarters
from ledinfo.model.results import Relation


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
    links += additive_links(numbers)
    return links


def additive_links(numbers: Mapping[Key, Number]) -> list[Link]:
    """An additive statistic's breakdown and its total (spending, full-year persons by measure category): the total
    is the sum of its categories, found in the numbers where it is so (to the rounding of their sum). No count, so no
    audit of intervals; :func:`ledinfo.disclosure.series_decide.decide` sees that no such relation has exactly one
    hidden number, which its total less the others would give away exactly — a category's spending hidden for
    resting on fewer than 5 placements is the placements' spending less the other types'. (A section whose
    breakdown has a subtotal, the placement types under placements, declares the relations: found, the categories
    would count the subtotal's twice.)"""
    by_group: dict[tuple[str, str], dict[str, Key]] = defaultdict(dict)
    for key, number in numbers.items():
        if number.amount is not None:
            by_group[(key.indicator, key.part)][key.category] = key
    links = []
    for members in by_group.values():
        categories = [k for c, k in sorted(members.items()) if c]
        if "" not in members or len(categories) < 2:
            continue
        total = numbers[members[""]].amount
        if abs(sum(numbers[k].amount for k in categories) - total) <= 1e-6 * max(1.0, abs(total)):
            links.append(Link(members[""], tuple(categories), found=True))
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


def unique_links(links: list[Link]) -> list[Link]:
    """``links`` without repeats (the same total and parts) and without a link whose total is among its parts."""
    seen, kept = set(), []
    for link in links:
        marker = (link.total, tuple(sorted(link.parts)))
        if marker not in seen and link.total not in link.parts:
            seen.add(marker)
            kept.append(link)
    return kept
