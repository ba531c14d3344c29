"""The builds of one extract's committee series share their indicators' figures (ledinfo.pipeline.series_figures):
each (indicator, period) is computed once for the series, and every pack is the one its build alone makes.

A figure shared from another build is the figure this build would compute itself, whichever build computed it
first (a later report period's, an earlier one's); figures are shared only between builds of the same plan and
extract and of the same targets, and never for a period that ends after the build's own.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import replace

import pytest

from conftest import run_sample
from ledinfo.api.attack.run import demo_extract, registry_for
from ledinfo.api.attack.series import COMMITTEE_PACK, build_series, committee_plan
from ledinfo.api.testing import SMALL_PERIOD, small_extract
from ledinfo.domain.indicator import indicator_figures_of
from ledinfo.model.period import QUARTER, Period
from ledinfo.model.verdicts import Basis, Target
from ledinfo.pipeline.build import compute, language_for, prepare
from ledinfo.pipeline.series_figures import SeriesFigures
from ledinfo.texts.content import PackJob


def built(plan, extract, period: Period, shared: SeriesFigures | None = None):
    """The committee pack of ``period`` computed and disclosed (what asks the indicators for their figures: the
    sections, the comparisons, the committee's series), not rendered; its computed stage and its content."""
    computed = compute(plan, extract, period, shared=shared)
    job = PackJob(COMMITTEE_PACK, plan.config.packs[0])
    return computed, prepare(plan, computed, job, language_for("da", plan.registry), period)


def alike(one, other) -> bool:
    """Equal; a float to within its last bits. A share of the spending (prevention_share of 2022, 0.21771283651657947
    and ...52) came out 1 ulp apart between a series built with its figures shared and one without, twice in about
    twenty series on a busy machine (load 7–10, 2026-12-07). Sharing does no arithmetic: every figure it gives a
    build was computed by the product's own code from the same data. The product's sum varies: a measure's
    person-months are ``pl.sum_horizontal`` of its months' shares (domain/indicators/spending.py:measure_use), and
    Polars 2.1.0 adds 12 float columns in an order that varies (9 of 3,000 repeats on one frame differed in a last
    bit). Any figure of another period or other data differs by far more. Everything else exactly."""
    if isinstance(one, float) and isinstance(other, float):
        return math.isclose(one, other, rel_tol=1e-12) or one == other or (one != one and other != other)
    if dataclasses.is_dataclass(one) and type(one) is type(other):
        return all(alike(getattr(one, f.name), getattr(other, f.name)) for f in dataclasses.fields(one))
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(alike(one[k], other[k]) for k in one)
    if isinstance(one, (list, tuple)) and type(one) is type(other):
        return len(one) == len(other) and all(alike(a, b) for a, b in zip(one, other))
    return one == other


def figure_keys(context) -> set:
    """The (indicator, period text) entries of a context's figures (not the frames indicators share)."""
    return {key for key in context.figures_cache if isinstance(key[1], str)}


@pytest.mark.slow  # a generated municipality's committee pack computed and disclosed, its month's computed twice
def test_a_figure_shared_from_a_later_build_is_the_earlier_builds_own():
    """The quarter's build first, then its first month's: every figure the month's build was given is the one it
    computes alone, and so are its sections' results (its packs: the next test)."""
    registry = registry_for()
    extract, plan = demo_extract(registry, 0.1, 1, Period(2024, 3)), committee_plan(registry)
    month, later = Period(2024, 1), Period(2024, 3, QUARTER)
    shared = SeriesFigures(plan, extract)
    computed = figure_keys(built(plan, extract, later, shared)[0].context)  # its disclosure asks the most
    sharing, alone = compute(plan, extract, month, shared=shared), compute(plan, extract, month)
    given = computed & figure_keys(sharing.context)
    assert len(given) > 100, "the quarter's build computed little of what the month's asks for"
    own = {key: tuple(indicator_figures_of(key[0], alone.context, [Period.parse(key[1])])[Period.parse(key[1])])
           for key in given}
    assert alike({key: sharing.context.figures_cache[key] for key in given}, own)
    assert alike({name: result.figures for name, result in sharing.results.items()},
                 {name: result.figures for name, result in alone.results.items()})


def test_only_the_same_plan_extract_targets_and_periods_known_by_then_are_shared():
    extract, plan = small_extract(), committee_plan(registry_for())
    shared = SeriesFigures(plan, extract)
    first = compute(plan, extract, SMALL_PERIOD, shared=shared).context
    with pytest.raises(ValueError, match="one plan on one extract"):
        compute(committee_plan(registry_for()), extract, SMALL_PERIOD, shared=shared)
    with pytest.raises(ValueError, match="one plan on one extract"):
        compute(plan, small_extract(), SMALL_PERIOD, shared=shared)
    # what the build's disclosure asks after the compute is shared too: figures of this period and the one before,
    # and a frame two indicators share
    indicator = sorted(first.indicators)[0]
    before, frame = SMALL_PERIOD.shift(-1), ("\x00" + indicator, SMALL_PERIOD.end)
    first.figures_cache.update({(indicator, str(SMALL_PERIOD)): ("now",), (indicator, str(before)): ("before",),
                                frame: "a frame of this context's"})

    earlier = replace(first, period=before, figures_cache={})
    assert shared.give(earlier) == 1
    assert earlier.figures_cache == {(indicator, str(before)): ("before",)}  # not the later period's, nor the frame
    same = replace(first, figures_cache={})
    assert shared.give(same) == 2 and frame not in same.figures_cache
    goal = Target(indicator, 50.0, basis=Basis.GOAL)
    assert shared.give(replace(first, targets=(goal,), figures_cache={})) == 0  # other targets: nothing shared


SERIES = [  # (scale, seed, periods): each a period built before one that ends earlier, which is given its figures
    (0.1, 1, "2024-Q1,2024-02"),
    (0.4, 2, "2024-06-ytd,2024-04"),
    (0.1, 2, "2024-03,2024-01-ytd"),
]


@pytest.mark.slow  # each series built twice, every section in its committee pack
@pytest.mark.parametrize("scale, seed, periods", run_sample(SERIES, 1))
def test_the_packs_of_a_series_are_those_built_without_sharing(scale, seed, periods):
    """The committee test's plugins and data (test_committee_protection): the PDF of every pack the same byte for
    byte with the figures shared and without, its JSON and the numbers behind it the same (:func:`alike`)."""
    from test_committee_protection import BUILT_IN, eftervaern, service_lines, ydelseslinjer

    registry = registry_for(eftervaern, ydelseslinjer)
    chosen = [Period.parse(p) for p in periods.split(",")]
    extract = demo_extract(registry, scale, seed, max(chosen, key=lambda p: p.end), service_lines)
    plan = committee_plan(registry, BUILT_IN)
    alone = list(build_series(plan, extract, chosen, share=False))
    together = list(build_series(plan, extract, chosen))
    assert [p.period for p in together] == [str(p) for p in chosen]
    for one, other in zip(alone, together):
        assert one.pdf == other.pdf, one.period
        assert alike((one.data, one.truth), (other.data, other.truth)), one.period
