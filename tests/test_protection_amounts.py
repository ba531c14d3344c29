"""The committee's protection of statistics that are no counts: amounts, full-year persons, means (issue F2 of the
attack of round 11). A mean printed to the krone but published to the last binary digit is a fraction whose
denominator is its base, a protected count; a breakdown of an additive statistic with one category hidden gives it
away as its total less the others."""

from __future__ import annotations

from ledinfo.api import Figure, Section, SectionResult
from ledinfo.api.testing import render_section

MEAN = 1446900 / 19  # 76152.63…: a mean of whole-krone prices over 19 placements


class Means(Section):
    """A plugin's section of statistics over placements: a mean cost (its base 19, no number the pack shows),
    full-year persons and spending."""

    name, title, description = "kit_means", "Placements' costs", "A mean cost and full-year persons."

    def compute(self, context):
        result = SectionResult(self.name, self.title)
        result.figures += [Figure("kit_mean_cost", MEAN, unit="amount", base=19),
                           Figure("kit_persons", 21.064516129032258, unit="number", base=23),
                           Figure("kit_spending", 1446900.4999, unit="amount", base=19),
                           Figure("kit_kept", 0.55, unit="share", numerator=11, denominator=20,
                                  extra={"target": 0.6})]
        return result


def test_a_committee_pack_publishes_no_number_more_exactly_than_it_prints_it():
    """In whole kroner and to the printed decimal: the base of a mean can no longer be read off its fraction. The
    director's pack, no protected audience, keeps the numbers as computed."""
    committee = render_section(Means(), audience="committee").json["sections"][0]["indicators"]
    assert committee["kit_mean_cost"]["value"] == 76153
    assert committee["kit_persons"]["value"] == 21.1
    assert committee["kit_spending"]["value"] == 1446900
    assert committee["kit_kept"]["value"] == 0.55 and committee["kit_kept"]["target"] == 0.6  # a share, a setting
    director = render_section(Means(), audience="director").json["sections"][0]["indicators"]
    assert director["kit_mean_cost"]["value"] == MEAN


# full-year persons and spending by placement type, as a plugin might show them: one type rests on 2 placements
# (fewer than 5: hidden "few"), the others on more, and the total is shown
TYPES = {"kit_a": (40.5, 12, 410000.0), "kit_b": (17.25, 9, 230000.0), "kit_c": (6.0, 7, 98000.0),
         "kit_small": (1.5, 2, 35000.0)}


class Breakdown(Section):
    """Full-year persons and spending by type and in all; ``declare``: the section declares the sums, with a
    subtotal (types a and small together) that a sum found in the numbers would not see."""

    name, title, description = "kit_breakdown", "Placements by type", "Full-year persons and spending by type."

    def __init__(self, declare: bool = False):
        self.declare = declare

    def compute(self, context):
        from ledinfo.api import Ref, Relation

        result = SectionResult(self.name, self.title)
        for indicator, at in (("kit_persons", 0), ("kit_spending", 2)):
            unit = "number" if at == 0 else "amount"
            result.figures += [Figure(indicator, values[at], unit=unit, category=c, base=values[1])
                               for c, values in TYPES.items()]
            result.figures.append(Figure(indicator, sum(v[at] for v in TYPES.values()), unit=unit,
                                         base=sum(v[1] for v in TYPES.values())))
            if self.declare:
                result.figures.append(Figure(indicator, TYPES["kit_a"][at] + TYPES["kit_small"][at], unit=unit,
                                             category="kit_a_small", base=TYPES["kit_a"][1] + TYPES["kit_small"][1]))
                result.relations.append(Relation(Ref(indicator, category="kit_a_small"),
                                                 (Ref(indicator, category="kit_a"),
                                                  Ref(indicator, category="kit_small"))))
        return result


def _hidden(indicators: dict, indicator: str) -> set[str]:
    entry = indicators[indicator]
    found = {c for c, x in entry.get("by_category", {}).items() if x.get("suppressed")}
    return found | ({""} if entry.get("suppressed") else set())


def test_a_breakdown_of_an_additive_statistic_never_has_exactly_one_hidden_number():
    """Found in the numbers (the types add up to the total): beside the small type a second number is hidden, so
    that the total less the shown types no longer gives it. Declared (a subtotal of two types): the subtotal's
    relation too has two hidden numbers."""
    found = render_section(Breakdown(), audience="committee").json["sections"][0]["indicators"]
    for indicator in ("kit_persons", "kit_spending"):
        hidden = _hidden(found, indicator)
        assert "kit_small" in hidden and len(hidden) >= 2, (indicator, hidden)
    declared = render_section(Breakdown(declare=True), audience="committee").json["sections"][0]["indicators"]
    for indicator in ("kit_persons", "kit_spending"):
        hidden = _hidden(declared, indicator)
        assert "kit_small" in hidden and hidden & {"kit_a", "kit_a_small"}, (indicator, hidden)


def test_volume_price_and_spending_show_one_breakdown_of_the_full_year_persons(small_demo_build):
    """Attack F2 and F2b of round 12, on the small municipality's committee pack (built once a run): a function's
    hidden actual full-year persons came back as its budgeted persons plus its printed volume effect over its printed
    budgeted price, and the volume/price section's 5.28.22 (foster and network families) less the spending section's
    foster families gave its hidden network placements. Both sections now show one breakdown (measure_fold), each part
    resting on the threshold: no row's persons hidden beside its effects, and no part of the spending section's inside
    a row of the volume/price section that the protection hides."""
    import json

    from ledinfo.api.domain import FUNCTION_CATEGORIES, PLACEMENT_GROUPS, PLACEMENT_TYPES

    pack = json.loads((small_demo_build / "packs" / "udvalg.json").read_text(encoding="utf-8"))
    sections = {s["id"]: s["indicators"] for s in pack["sections"]}
    rows = sections["volume_price"]["vp_actual_persons"]["by_category"]
    assert rows, "the small municipality's volume/price section shows no function"
    parts = {**{c: (c,) for codes in FUNCTION_CATEGORIES.values() for c in codes}, **PLACEMENT_TYPES, **PLACEMENT_GROUPS,
             "anbringelse": tuple(c for code in ("5.28.20", "5.28.22", "5.28.23") for c in FUNCTION_CATEGORIES[code])}
    spent = sections["spending"]["full_year_persons"]["by_category"]
    for code, persons in rows.items():
        mine = {c for function in code.split("+") for c in FUNCTION_CATEGORIES[function]}
        for effect in ("volume_effect", "price_effect"):  # F2: an effect printed beside hidden persons gives them
            shown = not sections["volume_price"][effect]["by_category"][code].get("suppressed")
            assert persons.get("suppressed") is not True or not shown, (code, effect)
        if not persons.get("suppressed"):  # F2b: a shown row less its other parts gives a hidden part
            inside = [c for c, figure in spent.items() if set(parts[c]) < mine and figure.get("suppressed")]
            assert not inside, (code, inside)
        # one breakdown: each row's categories are a part the spending section shows
        assert any(set(parts[c]) == mine for c in spent), (code, sorted(spent))
