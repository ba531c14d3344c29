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

