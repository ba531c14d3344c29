"""The catalogue of relations a committee reader is assumed to know, in one place.

The reader knows every structural relation that is true (issue 23): those the docs give, and any a
careful reader could find in a third-party section. So each pattern below is tried on every family of
numbers (an indicator's value, numerator, denominator or pending items, for one category), and a
family's relation is adopted only where the real numbers (the build's, before disclosure) satisfy it in
*every* period the series has — so a relation that held once by chance is not taken for structure — and
in at least ``support`` periods where it says something (the numbers are not all 0; for a span, its
months do not already agree with both readings).

Patterns (``pattern`` of each :class:`~ledinfo.api.attack.numbers.Equation`):

``categories``
    Parts and their total: a figure's categories sum to the figure without category (notifications by
    reporter type and all notifications; a chart's series and its total). Support 1.
``span-sum``
    A count of events over a quarter or a year to date is the sum of its months (2024-Q1 = January +
    February + March). Support 1: one span where the sum differs from the last month.
``span-state``
    A state at a span's end is its last month's (children placed at the end of the quarter = at the end
    of March). Support 1, as above.
``one-month``
    A span of one month (January's year to date) is that month. Support 1.
``twelve-months``
    A 12-month total is the sum of its 12 months (``<x>_12m`` = the months of ``<x>``; support 1),
    and any other figure that equals the sum of another's 12 months up to its period (support 3).
``equal``
    One number is another's, or a sum made from others, in the same period: a count equal to another
    figure's count; a rule's judged + pending items = the period's items (denominator + pending), its met +
    pending, its not-met (denominator - numerator); the sum of a set of another figure's categories (a
    share's numerator = the children in two placement types). Support 3. And the sum of 2 or 3 numbers of
    one section (a third-party section's "met", "later" and "not yet" adding up to its notifications):
    support 4 and 5, as more sums are tried.
``at-most``
    A share's numerator is at most its denominator. Support 1.
``ratio``
    A share shown as a value ties its numerator to its denominator (81.25 % = 13/16: 16·n = 13·d), for
    each share value a pack shows.

Beside the relations, what a pack says of a hidden number bounds it (:func:`label_bounds`): "<5" is 1 to
threshold-1 wherever it is printed; a share "resting on fewer than 5 cases" has a denominator of 1 to
threshold-1; and, where domain.md's rule "a count from 1 to threshold-1 is shown '<5'; 0 is shown"
holds for every count a series shows "–", such a count is at least the threshold (or 0, where a "–"
count was 0).

The same number in several packs (a trend point, a comparison, the year-earlier value, a figure two
sections show) is one number by its :class:`~ledinfo.api.attack.numbers.Key`: no relation needed.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from ledinfo.api.attack.numbers import DASH, FEW, SMALL, Equation, Key, Seen
from ledinfo.model.period import MONTH, Period

# Before a relation is adopted: a documented one must say something in 1 period; a discovered one must hold
# for 3 different values of its number (a count that equals another in two months may be chance).
DOCUMENTED, DISCOVERED = 1, 3
MAX_CATEGORIES = 8  # sums of sets of categories are tried up to this many categories (2^8 sets)
MAX_TERMS = 3  # sums of a section's numbers: of up to this many
MAX_SECTION_NUMBERS = 60  # numbers of one section tried in such sums (60 give 36,000 sums of 3)


@dataclass
class Catalogue:
    """The relations adopted for a series, and the families each pattern was adopted for."""

    equations: list[Equation] = field(default_factory=list)
    adopted: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # pattern -> families

    def add(self, pattern: str, family: str, equations: list[Equation]) -> None:
        self.equations += equations
        self.adopted[pattern].add(family)

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for equation in self.equations:
            counts[equation.pattern] += 1
        return dict(sorted(counts.items()))


def _sum(pattern: str, total: Key, parts: list[Key]) -> Equation:
    return Equation(((total, 1), *((part, -1) for part in parts)), 0, "=", pattern)


PLACE = "|"  # "1|2024-03": March 2024 of the second municipality, when several are discovered together


class _Families:
    """The real numbers by family (a key without its period): family -> {period: value}. A period may carry
    its municipality ("1|2024-03"), so that several municipalities' numbers decide the relations together."""

    def __init__(self, truth: dict[Key, int]):
        self.truth = truth
        self.by_family: dict[tuple, dict[str, int]] = defaultdict(dict)
        for key, value in truth.items():
            self.by_family[key.family][key.period] = value
        self.periods: dict[str, tuple[str, Period]] = {}

    def key(self, family: tuple, period: str) -> Key:
        indicator, category, part, team = family
        return Key(indicator, period, category, part, team)

    def period(self, text: str) -> Period:
        return self._parsed(text)[1]

    def _parsed(self, text: str) -> tuple[str, Period]:
        if text not in self.periods:
            place, _, period = text.rpartition(PLACE)
            self.periods[text] = (place + PLACE if place else "", Period.parse(period))
        return self.periods[text]

    def months_of(self, text: str) -> list[str]:
        """The months of a span, oldest first, as periods of the same municipality."""
        place, period = self._parsed(text)
        return [place + str(month) for month in period.months()]

    def window(self, text: str, months: int = 12) -> list[str]:
        """The ``months`` months up to the period's last month."""
        place, period = self._parsed(text)
        return [place + str(month) for month in period.trailing(months)]

    def months(self, family: tuple) -> set[str]:
        return {p for p in self.by_family[family] if self.period(p).kind == MONTH}


def _adopt(catalogue: Catalogue, pattern: str, family: str, instances: list[tuple[Equation, object]],
           support: int) -> None:
    """Adopt ``instances`` — each an equation (that holds in the real numbers) and its evidence: what it says,
    None when it says nothing — when they give at least ``support`` different pieces of evidence (a period
    where a documented relation says something; a different value of a discovered one's number)."""
    if not instances or len({evidence for _, evidence in instances if evidence is not None}) < support:
        return
    catalogue.add(pattern, family, [equation for equation, _ in instances])


def discover(truth: dict[Key, int], units: dict[str, str], sections: dict[str, set[str]] | None = None) -> Catalogue:
    """Every relation of the catalogue that holds for ``truth`` (the real whole numbers of the series);
    ``sections``: indicator -> the sections that show it (sums are sought among one section's numbers)."""
    catalogue = Catalogue()
    families = _Families(truth)
    _categories(catalogue, families)
    _spans(catalogue, families)
    _twelve_months(catalogue, families)
    _equal(catalogue, families, sections or {})
    _at_most(catalogue, families, units)
    return catalogue


def _holds(equation: Equation, truth: dict[Key, int]) -> bool | None:
    return equation.holds(truth)


def _categories(catalogue: Catalogue, families: _Families) -> None:
    groups: dict[tuple, set[str]] = defaultdict(set)
    for indicator, category, part, team in families.by_family:
        if category:
            groups[indicator, part, team].add(category)
    for (indicator, part, team), categories in groups.items():
        total = (indicator, "", part, team)
        if total not in families.by_family:
            continue
        instances, broken = [], False
        for period, value in families.by_family[total].items():
            parts = [families.key((indicator, c, part, team), period) for c in sorted(categories)]
            equation = _sum("categories", families.key(total, period), parts)
            holds = _holds(equation, families.truth)
            if holds is None:
                continue
            broken = broken or not holds
            instances.append((equation, period if value else None))
        if not broken:
            _adopt(catalogue, "categories", f"{indicator} ({part}) by category", instances, DOCUMENTED)


def _spans(catalogue: Catalogue, families: _Families) -> None:
    for family, values in families.by_family.items():
        sums, states, ones, broken = [], [], [], {"span-sum": False, "span-state": False, "one-month": False}
        for period in values:
            if families.period(period).kind == MONTH:
                continue
            months = [families.key(family, m) for m in families.months_of(period)]
            if any(m not in families.truth for m in months):
                continue
            total = families.key(family, period)
            if len(months) == 1:
                equation = _sum("one-month", total, months)
                broken["one-month"] |= not _holds(equation, families.truth)
                ones.append((equation, period))
                continue
            summed = sum(families.truth[m] for m in months)
            last = families.truth[months[-1]]
            says = summed != last
            equation = _sum("span-sum", total, months)
            broken["span-sum"] |= not _holds(equation, families.truth)
            sums.append((equation, period if says else None))
            equation = _sum("span-state", total, months[-1:])
            broken["span-state"] |= not _holds(equation, families.truth)
            states.append((equation, period if says else None))
        name = str(families.key(family, "*"))
        for pattern, instances in (("span-sum", sums), ("span-state", states), ("one-month", ones)):
            if not broken[pattern]:
                _adopt(catalogue, pattern, name, instances, DOCUMENTED)


def _twelve_months(catalogue: Catalogue, families: _Families) -> None:
    rolling: dict[tuple, dict[str, int]] = {}  # a monthly family -> {last month: the sum of its 12 months}
    for family in families.by_family:
        months = families.months(family)
        if len(months) < 12:
            continue
        values = families.by_family[family]
        sums = {}
        for month in months:
            window = families.window(month)
            if set(window) <= months:
                sums[month] = sum(values[m] for m in window)
        if sums:
            rolling[family] = sums
    last = {p: families.window(p, 1)[0] for values in families.by_family.values() for p in values}
    for target, values in families.by_family.items():
        for source, sums in rolling.items():
            if source == target or source[1:] != target[1:]:
                continue
            common = [p for p in values if last[p] in sums]
            if not common or any(values[p] != sums[last[p]] for p in common):
                continue
            instances = [(_sum("twelve-months", families.key(target, p),
                               [families.key(source, m) for m in families.window(p)]),
                          values[p] or None) for p in sorted(common)]
            named = source[0] + "_12m" == target[0]
            _adopt(catalogue, "twelve-months", f"{target[0]} = 12 months of {source[0]}", instances,
                   DOCUMENTED if named else DISCOVERED)


def _expressions(families: _Families, sections: dict[str, set[str]]) -> dict[str, tuple[list, dict[str, int], int]]:
    """Sums other numbers make, by name: (terms (family, coefficient), {period: value}, the support needed)."""
    found: dict[str, tuple[list, dict[str, int], int]] = {}
    for family, values in families.by_family.items():
        found[str(families.key(family, "*"))] = ([(family, 1)], values, DISCOVERED)
    shares = {(i, c, t) for i, c, p, t in families.by_family if p == "denominator"}
    for indicator, category, team in shares:
        part = {p: (indicator, category, p, team) for p in ("numerator", "denominator", "pending")}
        combos = {"denominator + pending": [(part["denominator"], 1), (part["pending"], 1)],
                  "numerator + pending": [(part["numerator"], 1), (part["pending"], 1)],
                  "denominator - numerator": [(part["denominator"], 1), (part["numerator"], -1)]}
        for name, terms in combos.items():
            if all(f in families.by_family for f, _ in terms):
                found[f"{indicator} {name}"] = (terms, _combined(families, terms), DISCOVERED)
    groups: dict[tuple, list[str]] = defaultdict(list)
    for indicator, category, part, team in families.by_family:
        if category:
            groups[indicator, part, team].append(category)
    for (indicator, part, team), categories in groups.items():
        categories = sorted(categories)[:MAX_CATEGORIES]
        for size in range(2, len(categories) + 1):
            for chosen in itertools.combinations(categories, size):
                terms = [((indicator, c, part, team), 1) for c in chosen]
                found[f"{indicator} ({part}) of {' + '.join(chosen)}"] = (terms, _combined(families, terms), DISCOVERED)
    # a section's numbers that add up to another of its numbers (met + later + not yet = all notifications):
    # the more numbers in the sum, the more chance a sum matches, so the more values it must hold for
    for members in _section_members(families, sections):
        for size in range(2, MAX_TERMS + 1):
            for chosen in itertools.combinations(members, size):
                terms = [(family, 1) for family in chosen]
                name = " + ".join(str(families.key(f, "*")) for f in chosen)
                found.setdefault(name, (terms, _combined(families, terms), DISCOVERED + size - 1))
    return found


def _section_members(families: _Families, sections: dict[str, set[str]]) -> list[list[tuple]]:
    """Per section, its numbers without category (a category's sums are the pattern above)."""
    by_section: dict[str, list[tuple]] = defaultdict(list)
    for family in families.by_family:
        if not family[1] and not family[3]:
            for section in sections.get(family[0], ()):
                by_section[section].append(family)
    return [sorted(members)[:MAX_SECTION_NUMBERS] for members in by_section.values() if len(members) > 1]


def _combined(families: _Families, terms: list[tuple[tuple, int]]) -> dict[str, int]:
    periods = set.intersection(*(set(families.by_family[f]) for f, _ in terms))
    return {p: sum(c * families.by_family[f][p] for f, c in terms) for p in periods}


def _equal(catalogue: Catalogue, families: _Families, sections: dict[str, set[str]]) -> None:
    expressions = _expressions(families, sections)
    by_value: dict[tuple[str, int], list[str]] = defaultdict(list)
    for name, (_, values, _) in expressions.items():
        for period, value in values.items():
            if value:
                by_value[period, value].append(name)
    for target, values in families.by_family.items():
        nonzero = sorted((p, v) for p, v in values.items() if v)
        if len(nonzero) < DISCOVERED:
            continue
        for name in by_value.get(nonzero[0], ()):
            terms, sums, support = expressions[name]
            if any(f == target for f, _ in terms):
                continue
            common = set(values) & set(sums)
            if any(values[p] != sums[p] for p in common) or len({values[p] for p in common} - {0}) < support:
                continue
            # every part of the sum counts somewhere (a category that is always 0 is no structure); in a sum of
            # a section's numbers each part must vary (two counts that are mostly 0 coincide by chance)
            least = 2 if support > DISCOVERED else 1
            if any(len({families.by_family[f][p] for p in common} - {0}) < least for f, _ in terms):
                continue
            instances = [(Equation(((families.key(target, p), 1),
                                    *((families.key(f, p), -c) for f, c in terms)), 0, "=", "equal"), values[p] or None)
                         for p in sorted(common)]
            _adopt(catalogue, "equal", f"{families.key(target, '*')} = {name}", instances, support)


def _at_most(catalogue: Catalogue, families: _Families, units: dict[str, str]) -> None:
    for family, values in families.by_family.items():
        indicator, category, part, team = family
        if part != "numerator" or units.get(indicator) != "share":
            continue
        denominator = (indicator, category, "denominator", team)
        instances = []
        for period in values:
            if period in families.by_family.get(denominator, {}):
                equation = Equation(((families.key(family, period), 1), (families.key(denominator, period), -1)),
                                    0, "<=", "at-most")
                if not _holds(equation, families.truth):
                    return
                instances.append((equation, period))
        _adopt(catalogue, "at-most", f"{indicator} numerator <= denominator", instances, DOCUMENTED)


def ratio_equations(ratios: list[tuple[Key, float]], truth: dict[Key, int]) -> list[Equation]:
    """A share's value shown ties its numerator to its denominator: ``d·n = n·d`` in lowest terms."""
    found = {}
    for base, value in ratios:
        numerator, denominator = base.as_part("numerator"), base.as_part("denominator")
        if numerator not in truth or denominator not in truth or not truth[denominator]:
            continue
        exact = Fraction(truth[numerator], truth[denominator])
        if Fraction(value).limit_denominator(10**6) != exact:
            continue  # a rounded or differently made value: it ties nothing the reader can rely on
        found[base] = Equation(((numerator, exact.denominator), (denominator, -exact.numerator)), 0, "=", "ratio")
    return list(found.values())


@dataclass
class Labels:
    """What the packs say of hidden numbers, as ranges: key -> (low, high); key -> least non-zero value.
    ``small``: the ranges of "<5" (and of a denominator "fewer than 5 cases") alone."""

    bounds: dict[Key, tuple[int, int]] = field(default_factory=dict)
    dashes: dict[Key, int] = field(default_factory=dict)
    small: dict[Key, tuple[int, int]] = field(default_factory=dict)


# How a count shown "–" is read (domain.md: "a count from 1 to threshold-1 is shown '<5'; 0 is shown"):
AT_LEAST, ZERO_OR_AT_LEAST = "at least the threshold", "0 or at least the threshold"


def dash_rule(seen: list[Seen], truth: dict[Key, int], units: dict[str, str], threshold: int) -> tuple[str | None, str]:
    """Whether domain.md's rule holds for every count the series shows "–": AT_LEAST (none is below the
    threshold, none is 0), ZERO_OR_AT_LEAST (some are 0), or None (one is 1 to threshold-1: the rule is
    broken, and a reader relying on it would be misled). With a sentence saying which."""
    values = {item.key: truth[item.key] for item in seen
              if item.value is None and item.label == DASH and item.key in truth and _is_count(item.key, units)}
    small = sorted(str(k) for k, v in values.items() if 0 < v < threshold)
    if small:
        return None, (f"{len(small)} count(s) shown '–' are 1 to {threshold - 1} (e.g. {small[0]}): the rule "
                      f"'a count below {threshold} is shown <{threshold}' does not hold, so it is not used")
    if any(v == 0 for v in values.values()):
        return ZERO_OR_AT_LEAST, f"a count shown '–' is 0 or at least {threshold} (some are 0)"
    return AT_LEAST, f"a count shown '–' is at least {threshold} (domain.md: 1 to {threshold - 1} is shown <{threshold})"


def _is_count(key: Key, units: dict[str, str]) -> bool:
    return key.part == "value" and units.get(key.indicator) == "count"


def label_bounds(seen: list[Seen], truth: dict[Key, int], units: dict[str, str], threshold: int,
                 dashes: str | None, notes: list[str]) -> Labels:
    """The ranges the labels of ``seen`` give, each checked against the real number: a label that is wrong
    is noted in ``notes``, not used (a reader would be misled, not informed)."""
    labels = Labels()
    for item in seen:
        if item.value is not None or item.label is None or item.key not in truth:
            continue
        value = truth[item.key]
        if item.label in (SMALL, FEW):
            if 1 <= value < threshold:
                labels.bounds[item.key] = labels.small[item.key] = (1, threshold - 1)
            else:
                said = f"<{threshold}" if item.label == SMALL else f"fewer than {threshold} cases"
                notes.append(f"{item.key} is {value}, but the {item.pack} pack ({item.where}) says {said}")
        elif item.label == DASH and dashes is not None and _is_count(item.key, units):
            if dashes == AT_LEAST:
                labels.bounds.setdefault(item.key, (threshold, 10**9))
            else:
                labels.dashes[item.key] = threshold
    return labels
