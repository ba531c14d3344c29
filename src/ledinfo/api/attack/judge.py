"""The attack on a series of committee packs: read every pack, adopt the relations that hold, and for
every hidden number find the range of values consistent with what is visible — in each pack by itself
("alone") and in the whole series ("series") — and judge it.

A hidden number fails when its range is one value (exact), or narrower than the threshold — unless what
the rules print by themselves already leave it narrower (with every number of the series hidden, percentages
too, but the zeros — "0 is shown" — and only the "<5" labels and the relations known): a reader may learn
nothing beyond the labels, and "<5" is 1 to 4; or unless it is hidden as a complement and only its
partners' "<5" labels narrow it (:meth:`_Solver._only_by_labels`). A number hidden in one pack and printed
in another (or elsewhere in the same pack) fails as "shown elsewhere".

Counted: "hidden" is, alone, every pack's hidden numbers added up; as a series, the distinct numbers hidden
somewhere in it. A share hidden is its numerator, denominator and pending items: three numbers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from ledinfo.api.attack.numbers import Equation, Key, Seen, whole
from ledinfo.api.attack.reader import Reading, read_pack
from ledinfo.api.attack.relations import (
    PLACE,
    ZERO_OR_AT_LEAST,
    dash_rule,
    discover,
    label_bounds,
    ratio_equations,
)
from ledinfo.api.attack.solver import Interval, intervals

ALONE, SERIES = "alone", "series"
EXACT, NARROW, PRINTED, PERMITTED = "exact", "narrow", "shown elsewhere", "as the rules print"


def _as_printed(value: int, found: Interval, threshold: int) -> bool:
    """A number worked out no further than domain.md's rules print it: a 0 ("0 is shown"), or a range holding
    every count from 1 to threshold-1 (what a "<5" label says). Counted apart, not a failure: a reader learns
    nothing a pack may not say. (Written here, not taken from the product's audit: the attack stays independent.)"""
    return value == 0 or (found.low <= 1 and found.high >= threshold - 1)


@dataclass
class Finding:
    """A hidden number a reader can work out (``mode``: from one pack alone, or from the series)."""

    mode: str
    key: Key
    value: int  # the real number
    interval: Interval
    required: int  # the width it needed: the threshold, or what the labels alone leave
    packs: list[str]  # the packs that hide it
    sections: list[str]  # the sections that hide it
    how: list[str]  # what gave it away
    label: str | None = None
    printed: bool = False  # shown in another pack (or elsewhere in the same pack)
    permitted: bool = False  # no more than the rules print: a 0, or a range holding 1 to threshold-1

    @property
    def kind(self) -> str:
        if self.printed:
            return PRINTED
        if self.permitted:
            return PERMITTED
        return EXACT if self.interval.width == 0 else NARROW

    def __str__(self) -> str:
        where = ", ".join(self.packs[:4]) + (f" (+{len(self.packs) - 4})" if len(self.packs) > 4 else "")
        span = str(self.interval.low) if self.interval.width == 0 else f"{self.interval.low}–{self.interval.high}"
        text = f"{self.key} = {self.value}, hidden in {where}: a reader finds {span}"
        return text + "".join(f"\n      {line}" for line in self.how[:4])


@dataclass
class Attack:
    """The outcome: counts and findings, alone and as a series."""

    threshold: int
    packs: list[str]
    hidden: dict[str, int]  # mode -> hidden numbers attacked (alone: per pack; series: distinct numbers)
    findings: list[Finding] = field(default_factory=list)
    catalogue: dict[str, int] = field(default_factory=dict)  # pattern -> relations adopted
    notes: list[str] = field(default_factory=list)

    def count(self, mode: str, kind: str | None = None) -> int:
        return sum(1 for f in self.findings if f.mode == mode and (kind is None or f.kind == kind))

    @property
    def failed(self) -> bool:
        return any(not f.permitted for f in self.findings)


def attack(packs, dash: bool = True) -> Attack:
    """Attack the committee ``packs`` (:class:`~ledinfo.api.attack.series.Pack`, one per period)."""
    return attack_all([packs], dash)[0]


@dataclass
class _Series:
    """One municipality's series, read."""

    packs: list
    readings: list[Reading]
    truth: dict[Key, int]
    seen: list[Seen]
    notes: list[str]


def attack_all(series: list[list], dash: bool = True) -> list[Attack]:
    """Attack several municipalities' series (each a list of packs). The relations a reader knows are decided
    on all of them together: a relation is structure only if it holds in every municipality."""
    read = [_read(packs) for packs in series]
    units = {indicator: unit for one in read for reading in one.readings for indicator, unit in reading.units.items()}
    shown_in: dict[str, set[str]] = defaultdict(set)
    for one in read:
        for reading in one.readings:
            for item in reading.seen:
                shown_in[item.key.indicator].add(item.section)
    several = len(read) > 1
    merged = {_placed(key, place) if several else key: value
              for place, one in enumerate(read) for key, value in one.truth.items()}
    catalogue = discover(merged, units, shown_in)
    threshold = read[0].readings[0].threshold
    rule, said = _dash_everywhere(read, units, threshold) if dash else (None, "the '–' rule is not used")
    attacks = []
    for place, one in enumerate(read):
        equations = [_unplaced(e) for e in catalogue.equations if _place_of(e) == (place if several else None)]
        equations = _distinct(equations + _declared(one.packs, one.truth, one.notes))
        attacks.append(_attack_one(one, equations, units, threshold, rule, said))
    return attacks


def _distinct(equations: list[Equation]) -> list[Equation]:
    """Each relation once (the first pattern that found it names it): a sum found as categories and as an
    equality, or declared as well, is one relation."""
    found: dict[tuple, Equation] = {}
    for equation in equations:
        terms, constant = tuple(sorted(equation.terms)), equation.constant
        if equation.sense == "=" and terms[0][1] < 0:  # a = b and b = a are one relation
            terms, constant = tuple((key, -c) for key, c in terms), -constant
        found.setdefault((terms, constant, equation.sense), equation)
    return list(found.values())


def _dash_everywhere(read: list[_Series], units: dict[str, str], threshold: int):
    """Domain.md's rule for counts shown "–", as it holds in every municipality (see :func:`dash_rule`)."""
    rules = [dash_rule(one.seen, one.truth, units, threshold) for one in read]
    if any(rule is None for rule, _ in rules):
        return next((rule, said) for rule, said in rules if rule is None)
    return next(((rule, said) for rule, said in rules if rule == ZERO_OR_AT_LEAST), rules[0])


def _placed(key: Key, place: int) -> Key:
    return key.at(f"{place}{PLACE}{key.period}")


def _place_of(equation: Equation) -> int | None:
    place, mark, _ = equation.terms[0][0].period.partition(PLACE)
    return int(place) if mark else None


def _unplaced(equation: Equation) -> Equation:
    return replace(equation, terms=tuple((key.at(key.period.partition(PLACE)[2] or key.period), c)
                                         for key, c in equation.terms))


def _read(packs) -> _Series:
    readings = [read_pack(pack.data, pack.pdf, pack.content) for pack in packs]
    notes: list[str] = [note for reading in readings for note in reading.notes]
    truth = _merged_truth(packs, notes)
    return _Series(packs, readings, truth, _checked(readings, truth, notes), notes)


def _attack_one(one: _Series, equations: list[Equation], units, threshold: int, rule, said: str) -> Attack:
    notes = one.notes + [said]
    cap = max(10**4, 100 * max((abs(v) for v in one.truth.values()), default=0))
    solve = _Solver(equations, one.truth, units, threshold, rule, cap, notes)
    hidden_somewhere = {item.key for item in one.seen if item.hidden}
    # a share's value shown ties its numerator to its denominator: what the reader has, not structure
    ratios = {reading.pack: ratio_equations(reading.ratios, one.truth) for reading in one.readings}
    everything = [equation for found in ratios.values() for equation in found]
    result = Attack(threshold, [pack.period for pack in one.packs], {SERIES: len(hidden_somewhere)},
                    catalogue=_summary(equations + everything), notes=notes)
    result.findings += solve(SERIES, one.seen, everything)
    result.hidden[ALONE] = 0
    for reading in one.readings:
        mine = [item for item in one.seen if item.pack == reading.pack]
        result.hidden[ALONE] += len({item.key for item in mine if item.hidden})
        result.findings += solve(ALONE, mine, ratios[reading.pack])
    return result


def _merged_truth(packs, notes: list[str]) -> dict[Key, int]:
    """The real numbers of the whole series; a number two packs compute differently, and a family of numbers
    that are not all whole, are left out (and said)."""
    values: dict[Key, float] = {}
    differ: set[Key] = set()
    for pack in packs:
        for key, value in pack.truth.items():
            if key in values and values[key] != value:
                differ.add(key)
            values.setdefault(key, value)
    if differ:
        notes.append(f"{len(differ)} number(s) differ between the packs that compute them, e.g. "
                     f"{sorted(differ)[0]}: each pack's is attacked with that pack's relations left out")
    families: dict[tuple, bool] = defaultdict(lambda: True)
    for key, value in values.items():
        families[key.family] &= whole(value) is not None
    return {key: whole(value) for key, value in values.items() if families[key.family] and key not in differ}


def _declared(packs, truth: dict[Key, int], notes: list[str]) -> list[Equation]:
    """The relations the sections declare (a reader sees them in the pack), where the real numbers hold them.

    Not those between a span and its months of one figure: the build adds them wherever the numbers happen
    to agree (a quarter's 0 and its last month's 0), which a reader cannot know; the catalogue decides
    spans itself, on every period."""
    found = []
    for pack in packs:
        for equation in pack.declared:
            if len({key.family for key, _ in equation.terms}) == 1:
                continue
            holds = equation.holds(truth)
            if holds is False:
                notes.append(f"a section declares {equation}, which the real numbers break")
            elif holds:
                found.append(equation)
    return found


def _checked(readings: list[Reading], truth: dict[Key, int], notes: list[str]) -> list[Seen]:
    """The counts the packs show or hide that have a real value; a number shown wrong is said."""
    seen = []
    for reading in readings:
        teams = sorted({item.key.team for item in reading.seen if item.key.team})
        if teams:
            notes.append(f"the {reading.pack} pack shows numbers of teams ({', '.join(teams)}), which a committee "
                         "may not see")
        for item in reading.seen:
            if item.key not in truth:
                continue
            if item.value is not None and item.value != truth[item.key]:
                notes.append(f"{item.key}: the {item.pack} pack shows {item.value} ({item.where}), "
                             f"but the number is {truth[item.key]}")
                continue
            seen.append(item)
    return seen


def _summary(equations: list[Equation]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for equation in equations:
        counts[equation.pattern] += 1
    return dict(sorted(counts.items()))


class _Solver:
    def __init__(self, equations, truth, units, threshold, rule, cap, notes):
        self.equations, self.truth, self.units = equations, truth, units
        self.threshold, self.rule, self.cap, self.notes = threshold, rule, cap, notes
        self.touching: dict[Key, list[Equation]] = defaultdict(list)
        for equation in equations:
            for key, _ in equation.terms:
                self.touching[key].append(equation)

    def __call__(self, mode: str, seen: list[Seen], ratios: list[Equation]) -> list[Finding]:
        equations = self.equations + ratios
        shown: dict[Key, Seen] = {}
        hiders: dict[Key, list[str]] = defaultdict(list)
        sections: dict[Key, list[str]] = defaultdict(list)
        for item in seen:
            if not item.hidden:
                shown.setdefault(item.key, item)
                continue
            if item.pack not in hiders[item.key]:
                hiders[item.key].append(item.pack)
            if item.section not in sections[item.key]:
                sections[item.key].append(item.section)
        findings = []
        for key in sorted(set(hiders) & set(shown)):  # hidden in one place, printed in another
            item = shown[key]
            findings.append(Finding(mode, key, self.truth[key], Interval(item.value, item.value), self.threshold,
                                    hiders[key], sections[key],
                                    [f"shown as {item.value} in the {item.pack} pack ({item.section}: {item.where})"],
                                    printed=True))
        labels = label_bounds(seen, self.truth, self.units, self.threshold, self.rule, self.notes)
        constants = {key: item.value for key, item in shown.items()}
        targets = set(hiders) - set(shown)
        found = intervals(targets, equations, constants, self.truth, bounds=labels.bounds,
                          dashes=labels.dashes, wide=self.threshold, cap=self.cap, notes=self.notes)
        # narrow, and narrower than its label (a "<5" found to be 1–4 tells nothing new)
        narrow = {key for key, interval in found.items() if interval.width < self.threshold
                  and (interval.low, interval.high) != labels.bounds.get(key)}
        narrow -= self._only_by_labels(narrow, equations, constants, labels)
        if narrow:  # what the rules alone leave: every number hidden (the percentages too) but the zeros, which
            # the rules print ("0 is shown"), the "<5" labels and the relations known
            zeros = {key: 0 for key, value in constants.items() if value == 0}
            alone = intervals(narrow, self.equations, zeros, self.truth, bounds=labels.small, wide=self.threshold,
                              cap=self.cap, notes=self.notes)
            for key in sorted(narrow):
                required = min(self.threshold, alone[key].width)
                if found[key].width < required:
                    label = next((i.label for i in seen if i.key == key and i.label), None)
                    findings.append(Finding(mode, key, self.truth[key], found[key], required, hiders[key],
                                            sections[key], self._how(key, shown, ratios), label,
                                            permitted=_as_printed(self.truth[key], found[key], self.threshold)))
        return findings

    def _only_by_labels(self, narrow: set[Key], equations: list[Equation], constants: dict[Key, int],
                        labels) -> set[Key]:
        """The numbers of ``narrow`` hidden as a complement (no "<5" of their own) that only the upper ends of
        other numbers' "<5" labels narrow: read with every such label as "at least 1", they are wide again.
        Such a number is a "<5" seen from the other side — 354 cases held by a caseworker beside 357 active
        cases and a "<5" without one is 353 to 356 — and tells a reader nothing the label does not print; the
        "<5" numbers themselves are judged in full (docs/disclosure.md, "What a committee member cannot learn")."""
        complements = {key for key in narrow if key not in labels.small}
        if not complements:
            return set()
        lifted = {key: (low, 10**9) if key in labels.small else (low, high)
                  for key, (low, high) in labels.bounds.items()}
        wide = intervals(complements, equations, constants, self.truth, bounds=lifted, dashes=labels.dashes,
                         wide=self.threshold, cap=self.cap, notes=self.notes)
        return {key for key in complements if wide[key].width >= self.threshold}

    def _how(self, key: Key, shown: dict[Key, Seen], ratios: list[Equation]) -> list[str]:
        """The relations of ``key`` that tell most: those with the fewest numbers left unknown."""
        def unknown(equation: Equation) -> int:
            return sum(1 for k, _ in equation.terms if k not in shown)

        lines = []
        mine = self.touching[key] + [e for e in ratios if any(k == key for k, _ in e.terms)]
        for equation in sorted(mine, key=lambda e: (unknown(e), str(e)))[:3]:
            known = [f"{k} = {shown[k].value} ({shown[k].pack})" for k, _ in equation.terms if k in shown]
            lines.append(f"{equation.pattern}: {equation}" + (f"; shown: {', '.join(known[:6])}" if known else ""))
        return lines
