"""Every relation a built-in section declares (a total and the parts it is the sum of) holds in the figures it
computes for the demo municipality: the committee's protection reasons from these sums, and a total that is not its
parts added up refuses the committee's pack ("the committee's protection failed its audit"). The fast tier's check of
a figure off by one against the figures beside it, section by section, without a pack (the slow tier's builds check
the same through the committee's packs: test_late_decisions, test_committee_protection)."""

from __future__ import annotations

from builders import demo_results
from ledinfo.disclosure.disclose import ref_of
from ledinfo.model.results import Ref

PARTS = ("value", "numerator", "denominator")


def numbers_of(result, period: str) -> dict[Ref, float]:
    """Each number of the result's figures by the Ref that names it (a Ref without a period: the report period's)."""
    found = {}
    for figure in result.figures:
        for part in PARTS:
            value = figure.value if part == "value" else getattr(figure, part)
            if value is not None:
                found[ref_of(figure, part, period)] = value
    return found


def unbroken(relations, numbers: dict[Ref, float], period: str) -> tuple[int, list[str]]:
    """How many relations could be checked (their total and every part a number of the result), and those broken."""
    def named(ref: Ref) -> Ref:
        return ref if ref.period else Ref(ref.indicator, ref.team, period, ref.category, ref.part)

    checked, broken = 0, []
    for relation in relations:
        total, parts = named(relation.total), [named(p) for p in relation.parts]
        if total not in numbers or not all(p in numbers for p in parts):
            continue
        checked += 1
        if abs(numbers[total] - sum(numbers[p] for p in parts)) > 1e-9:
            broken.append(f"{total} = {numbers[total]}, its parts add up to {sum(numbers[p] for p in parts)}")
    return checked, broken


def test_every_relation_of_the_demos_sections_holds_in_their_figures():
    period = "2026-10"
    results = demo_results(period)  # every section the demo's packs show
    checked, broken = 0, {}
    for name, result in sorted(results.items()):
        count, wrong = unbroken(result.relations, numbers_of(result, period), period)
        checked += count
        if wrong:
            broken[name] = wrong[:3]
    assert not broken, broken
    assert checked > 20, checked  # many sums checked: the test can fail
