"""The committee's protection over the series decides as a plain computation of it does (issue 27, goal 4).

A build gives the protection the series' figures the quick way (:func:`ledinfo.pipeline.build.committee_series`):
each indicator's periods in one pass (``Indicator.many``), the trend months the sections computed reused, and no
figure of a kind of period the series never publishes (a deadline rule's months, shown by whole quarter only).
The plain way asks every indicator the pack names for every period its numbers are made of, each period by the
indicator's own ``figures`` on the extract as known at that period's end. For every committee pack of the demo and
of the messy sample, January to June 2024 (the months, both quarters, the half year to date; the months and
quarters sampled by the run's seed), every number the protection decides on must get the same answer both ways.

The plain figures of an indicator for a period depend on the data and that period only (the extract as known at
the period's end), not on the report period that asks: each is computed once per data (the extract's fingerprints,
what the reuse check calls the same data) and read by every report period of that data that needs it — the months
of a half year are needed by the half year, its quarter and its month alike. The quick way is still computed by
each report period's own build.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conftest import run_sample
from ledinfo.disclosure.series import Series, decide_pack, needed_periods
from ledinfo.model.audiences import audience
from ledinfo.model.period import Period
from ledinfo.model.results import SectionResult

MONTHS = ("2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06")
QUARTERS = ("2024-Q1", "2024-Q2")
# Each kind of period every run, the months and quarters sampled by the run's seed (conftest.run_sample: one of the
# six months and one of the two quarters, another each day, so a week's runs decide every month; LEDINFO_TEST_SEED=all
# decides all nine periods): a period of a kind runs the same code as another of that kind, and the nine cost 165 s
# CPU a run (2026-12-07).
PERIODS = (*run_sample(MONTHS, 1), *run_sample(QUARTERS, 1), "2024-06-ytd")
MESSY = Path(__file__).resolve().parents[2] / "shared" / "samples" / "messy-extract"


def plain_figures(context, shown: list[SectionResult], period: Period, computed: dict) -> dict[str, list]:
    """The municipality's figures of every indicator the pack names, for every period the protection needs, each
    computed by the indicator's ``figures``: no batch, none of the build's caches, nothing left out.

    ``computed``: the plain figures already computed on this data, by (indicator, period); those missing are
    computed here and added (the module's docstring says why another report period may read them)."""
    figures = [f for result in shown for f in result.figures if f.team is None and f.staff_id is None]
    named = {f.indicator for f in figures} | {ref.indicator for result in shown for relation in result.relations
                                              for ref in (relation.total, *relation.parts)}
    indicators = sorted(named & set(context.indicators))

    def plain(indicator: str, when: Period) -> list:
        if (indicator, str(when)) not in computed:
            computed[indicator, str(when)] = [f for f in context.indicators[indicator].figures(context.at(when), when)
                                              if f.team is None and f.staff_id is None]
        return computed[indicator, str(when)]

    return {str(when): [f for indicator in indicators for f in plain(indicator, when)]
            for when in needed_periods(figures, period)}


def answers(catalogue, decisions) -> dict[str, object]:
    """Every number's answer (hidden how, or shown), and which number each of the pack's names is."""
    found = {str(key): decisions.hidden.get(key) for key in catalogue.numbers}
    found.update({f"ref {ref!r}": str(key) for ref, key in catalogue.refs.items()})
    return found


@pytest.mark.slow
@pytest.mark.parametrize("sample", ["demo", "messy"])
def test_the_series_is_decided_as_a_plain_computation_decides_it(sample, registry):
    from ledinfo.config.file import folder_config
    from ledinfo.demo import demo_config
    from ledinfo.pipeline.build import committee_series, compute, load, pack_results
    from ledinfo.pipeline.plan import plan
    from ledinfo.texts.content import plan_jobs

    if sample == "messy" and not MESSY.is_dir():
        pytest.skip("../shared/samples/messy-extract is not here")
    config = demo_config() if sample == "demo" else folder_config(MESSY)
    planned = plan(config, registry)
    decided, hidden = 0, 0
    plain_of_data: dict[str, dict] = {}  # the plain figures by (indicator, period), for each data
    for name in PERIODS:
        period = Period.parse(name)
        # the demo source makes its data up to a month (it refuses a quarter): the quarter's last month is the same
        extract = load(planned, period.last_month if sample == "demo" else period)
        data = repr(sorted(extract.fingerprints.items()))  # the demo's names its seed, scale and month
        computed = compute(planned, extract, period)
        for job in plan_jobs(config, extract.teams()):
            if not audience(job.audience).protected:
                continue
            shown = pack_results(planned, computed, job.spec.id, period)
            figures = {r.section: [f for f in r.figures if f.team is None and f.staff_id is None] for r in shown}
            relations = {r.section: r.relations for r in shown}
            quick = committee_series(computed.context, shown, period, planned.templates[job.spec.id])
            plain = replace(quick, figures=plain_figures(computed.context, shown, period,
                                                         plain_of_data.setdefault(data, {})))
            assert isinstance(quick, Series) and len(plain.figures) > 30  # months, quarters and years to date
            ours = answers(*decide_pack(figures, relations, period, config.threshold, quick))
            theirs = answers(*decide_pack(figures, relations, period, config.threshold, plain))
            differ = {k: (ours.get(k), theirs.get(k)) for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k)}
            assert not differ, f"{sample} {name} {job.pack_id}: {sorted(differ.items())[:5]}"
            decided += len(ours)
            hidden += sum(1 for number, how in ours.items() if how and not number.startswith("ref "))
    # many numbers decided, and many of them hidden, in each period: the test can fail (10,000 and 100 for all nine)
    assert decided > 1_100 * len(PERIODS) and hidden > 11 * len(PERIODS), (decided, hidden)
