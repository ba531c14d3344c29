"""The committee's placements by type are folded by the series' choice, the same in every pack (attack F4 of round
11): the fold decides which numbers exist, so it rests on the configuration, never on data that grow from pack to
pack. It rested on the children ever placed in the extract as known at the period's end: the messy sample's packs
broke placements into two groups up to 2023-05 and three from 2023-06, and the family-care share of 2022-06..12
that the earlier packs printed, the later ones hid."""

from __future__ import annotations

import pytest

from builders import extract_of
from ledinfo.api.testing import context_for
from ledinfo.demo import DemoSpec, generate
from ledinfo.model.config import Municipality
from ledinfo.model.period import Period
from ledinfo.plugins.measures_mix import MeasuresMixSection


@pytest.fixture(scope="module")
def extract():
    # some 18,000 inhabitants' worth of data: well over 60 children placed over its years
    return extract_of(generate(DemoSpec(Period(2026, 10), seed=7, scale=0.3)))


def _breakdowns(extract, period: Period, municipality: Municipality) -> set[str]:
    result = MeasuresMixSection().compute(context_for(extract, period, municipality=municipality))
    return {f.indicator for f in result.figures} & {"placement_types", "placement_groups"}


def test_a_municipality_that_gives_no_inhabitants_is_folded_into_groups_in_every_pack(extract):
    """However many children its extract has placed, early or late in the series: one fold for the series."""
    for period in (Period(2024, 1), Period(2026, 10)):
        assert _breakdowns(extract, period, Municipality("Ukendt")) == {"placement_groups"}, period


def test_the_inhabitants_choose_the_fold():
    """The configuration decides: 20,000 inhabitants or more break placements into three types, fewer into two."""
    extract = extract_of(generate(DemoSpec(Period(2026, 10), seed=7, scale=0.05)))
    assert _breakdowns(extract, Period(2026, 10), Municipality("Stor", 30_000)) == {"placement_types"}
    assert _breakdowns(extract, Period(2026, 10), Municipality("Lille", 12_000)) == {"placement_groups"}
