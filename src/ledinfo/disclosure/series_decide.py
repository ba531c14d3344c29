"""Deciding one table of the series' numbers (:func:`decide`): primary suppression, then complementary
suppression until the exact audit (:mod:`ledinfo.disclosure.audit`) proves every hidden count protected across
the table's relations. :mod:`ledinfo.disclosure.series` calls it for each month, span and tier.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from ledinfo.disclosure.series_links import Link
from ledinfo.disclosure.series_numbers import Key, Number
from ledinfo.model.results import OTHER, SMALL


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
    _additive(numbers, free, hidden, links)
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

    _none_alone(sums, hidden, partner)  # the classic first pass: no relation with exactly one hidden number
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


def _additive(numbers: Mapping[Key, Number], free: set[Key], hidden: dict[Key, str], links: list[Link]) -> None:
    """No relation of an additive statistic (spending, full-year persons: ``Number.amount``) with exactly one hidden
    number, which its total less the others, or its parts added up, would give exactly: hide beside it the free shown
    number that costs the reader least — a part before a total, the smallest. (No interval to audit: amounts are no
    whole numbers, and a reader who has one exact equation per hidden number has them all.)"""
    additive = [link for link in links if any(numbers[k].value is None for k in link.members)
                and all(numbers[k].amount is not None or numbers[k].value is not None for k in link.members)]
    totals = {link.total for link in additive}

    def cost(key: Key) -> tuple:
        size = numbers[key].amount if numbers[key].amount is not None else numbers[key].value
        return key in totals, size == 0, abs(size), str(key)

    def partner(members: Iterable[Key]) -> Key | None:
        shown = [k for k in members if k not in hidden and k in free]
        return min(shown, key=cost) if shown else None

    _none_alone(additive, hidden, partner)


def _none_alone(links: list[Link], hidden: dict[Key, str], partner) -> None:
    """Until no relation of ``links`` has exactly one hidden number, hide beside it the number ``partner`` chooses
    among its members (None: nothing left to hide there)."""
    changed = True
    while changed:
        changed = False
        for link in links:
            if sum(k in hidden for k in link.members) == 1 and (choice := partner(link.members)) is not None:
                hidden[choice] = OTHER
                changed = True


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
    # Imported here, not at the top: the audit brings NumPy and HiGHS (0.1 s: ledinfo.disclosure.highs), which only a
    # build with a committee pack needs.
    from ledinfo.disclosure.audit import Cell, audit  # deferred: NumPy and HiGHS, only for a committee pack
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
