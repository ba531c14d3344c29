"""Every indicator that computes many periods in one pass (``Indicator.many``) gives, for each period, exactly the
figures of its month-by-month definition (``Indicator.figures`` on the extract as known at the period's end):
on the demo municipality, on the shared messy sample (every month of 2024, each as a report month), and on a
municipality of Copenhagen's size (scale 10; slow). The one pass is a speed-up only (issue 27): a figure that
differed would change what a pack says.
"""

from __future__ import annotations

import os

import pytest

from builders import extract_of
from conftest import MESSY, run_sample
from ledinfo.config.file import folder_config
from ledinfo.demo import DemoSpec, demo_config, generate
from ledinfo.domain.indicator import Indicator, indicator_figures, indicator_figures_of, trend_figures
from ledinfo.interfaces.section import SectionContext
from ledinfo.model.period import QUARTER, YEAR_TO_DATE, Period
from ledinfo.pipeline.build import load
from ledinfo.pipeline.plan import plan

REPORT = Period(2026, 10)


def periods_of(report: Period, months: int) -> list[Period]:
    """What a pack asks an indicator for: the ``months`` months up to ``report``, each quarter among them, and
    the year to date at each December and at the report month (the committee's series asks all of these)."""
    trailing = report.trailing(months)
    return (trailing + [Period(m.year, m.month, QUARTER) for m in trailing if m.month % 3 == 0]
            + [Period(m.year, m.month, YEAR_TO_DATE) for m in trailing if m.month == 12 or m == report])


def context_of(extract, config, registry, report: Period) -> SectionContext:
    planned = plan(config, registry)
    return SectionContext.create(extract, report, config, registry.sections(), planned.settings,
                                 registry.target_providers(planned.settings))


def assert_one_pass_equal(context: SectionContext, periods: list[Period], by_period: dict | None = None) -> int:
    """Each indicator's ``many`` against its ``figures``, period by period; returns how many indicators had one.

    ``by_period``: the month-by-month figures already computed on this context, by (indicator, period), read and
    added to (the demo's series repeats the 13 months, quarters and years to date its report month's pack asks)."""
    converted, by_period = 0, {} if by_period is None else by_period
    for indicator_id, indicator in sorted(context.indicators.items()):
        if indicator.many is None:
            continue
        converted += 1
        one_pass = indicator.many(context, periods)
        assert set(one_pass) <= set(periods), indicator_id
        for period, figures in one_pass.items():
            if (indicator_id, period) not in by_period:
                by_period[indicator_id, period] = indicator.figures(context.at(period), period)
            expected = by_period[indicator_id, period]
            assert figures == expected, f"{indicator_id} {period}: one pass {figures} != by period {expected}"
    return converted


@pytest.fixture(scope="module")
def demo_context(registry):
    extract = extract_of(generate(DemoSpec(REPORT)))
    return context_of(extract, demo_config(), registry, REPORT)


# The demo's figures month by month (indicator, period): computed once a module, read by both tests below.
DEMO_BY_PERIOD: dict = {}


def test_demo_one_pass_equals_month_by_month(demo_context):
    """A pack's trend and comparisons: the thirteen months up to the report month, their quarters, years to date."""
    assert assert_one_pass_equal(demo_context, periods_of(REPORT, 13), DEMO_BY_PERIOD) >= 30


@pytest.mark.slow
def test_demo_series_one_pass_equals_month_by_month(demo_context):
    """The months, quarters and years to date of a committee pack's series: 34 months, to January two years ago."""
    assert assert_one_pass_equal(demo_context, periods_of(REPORT, 34), DEMO_BY_PERIOD) >= 30


def messy_context(registry, report: Period) -> SectionContext:
    config = folder_config(MESSY)
    return context_of(load(plan(config, registry), report), config, registry, report)


@pytest.mark.skipif(not MESSY.is_dir(), reason="../shared/samples/messy-extract is not here")
def test_messy_sample_one_pass_equals_month_by_month(registry):
    """Every month of 2024 (each as known at its own end), its quarters and years to date, in December's build."""
    context = messy_context(registry, Period(2024, 12))
    assert assert_one_pass_equal(context, periods_of(Period(2024, 12), 12)) >= 30


def test_late_decisions_and_late_cases_one_pass_equals_month_by_month(registry):
    """What real extracts have and the demo lacks: measures decided weeks after they started (known from the
    decision: not yet active at an end before it), and cases opened after their first measures (whose measures are
    known from the case's opening): a one pass applies what was known at each end as a cut at that end does."""
    import polars as pl

    tables = generate(DemoSpec(REPORT))
    row = pl.int_range(pl.len())
    tables["measures"] = tables["measures"].with_columns(
        pl.when(row % 5 == 0).then(pl.col("started_on") + pl.duration(days=40)).otherwise(pl.col("decided_on"))
        .alias("decided_on"))
    later = pl.col("opened_on") + pl.duration(days=60)
    tables["cases"] = tables["cases"].with_columns(
        pl.when((row % 7 == 0) & (pl.col("closed_on").is_null() | (pl.col("closed_on") > later))).then(later)
        .otherwise(pl.col("opened_on")).alias("opened_on"))
    context = context_of(extract_of(tables), demo_config(), registry, REPORT)
    assert assert_one_pass_equal(context, periods_of(REPORT, 13)) >= 30


@pytest.mark.slow
@pytest.mark.skipif(not MESSY.is_dir(), reason="../shared/samples/messy-extract is not here")
@pytest.mark.parametrize("month", run_sample(range(1, 13), 3))
def test_messy_sample_each_report_month(registry, month):
    """A month of 2024 as the report month, with the thirteen months up to it and their quarters: 3 of the 12 a
    run, sampled by the run's seed (conftest.run_sample; every month of 2024, each as known at its own end, is
    compared in December's build above)."""
    report = Period(2024, month)
    assert assert_one_pass_equal(messy_context(registry, report), periods_of(report, 13)) >= 30


# The indicators computed in one pass over the whole extract (issue 27): none asks for the extract as known at a
# period's end; each applies what was known at each end itself. (The rest of the built-in ones with ``many`` are
# computed per period.)
ONE_PASS = ("six_week_followup", "caseload", "notifications", "notifications_from", "new_placements", "budget", "ladder_up",
            "ladder_down", "full_year_persons", "prevention_share", "placements", "preventive", "active_measures",
            "placement_types", "placement_groups", "family_care_share", "placement_breakdown", "placement_duration",
            "long_institution_placements", "renotification", "continuity", "cases_without_caseworker",
            "investigation_overdue", "volume_effect", "price_effect", "repeat_notifications", "turnover")


@pytest.mark.parametrize("indicator_id", ONE_PASS)
def test_one_pass_cuts_no_extract(demo_context, indicator_id, monkeypatch):
    """A one-pass indicator's ``many`` over a committee's series (34 months, their quarters, years to date) cuts
    the extract at no period's end — it is not computed month by month — and gives every period asked for."""
    from dataclasses import replace

    cuts = []
    timeline = demo_context.timeline
    made = timeline.at
    monkeypatch.setattr(timeline, "at", lambda day: cuts.append(day) or made(day))
    periods = periods_of(REPORT, 34)
    found = demo_context.indicators[indicator_id].many(replace(demo_context, figures_cache={}), periods)
    assert cuts == []
    assert set(found) == set(periods)


def test_a_rules_quarters_are_computed_in_one_pass(demo_context, monkeypatch):
    """A deadline rule asked for a whole quarter (the compliance section's last whole quarter and its key rules per
    quarter, one request each) is computed with the last four whole quarters in one pass: on one cut of the extract,
    at the latest quarter's end (the pass applies what was known at each end itself), not on each quarter's own
    (4 cuts before), and each the quarter's own figures."""
    from dataclasses import replace

    context = replace(demo_context, figures_cache={})
    timeline, cuts = context.timeline, []
    made = timeline.at
    monkeypatch.setattr(timeline, "at", lambda day: cuts.append(day) or made(day))
    indicator_figures("notification_24h", context, REPORT)  # the month and its trend first, as the section asks
    quarters = REPORT.whole_quarters(4)
    found = {quarter: indicator_figures("notification_24h", context, quarter) for quarter in reversed(quarters)}
    assert cuts == [quarters[-1].end]
    monkeypatch.undo()
    rule = demo_context.indicators["notification_24h"]
    assert found == {quarter: rule.figures(demo_context.at(quarter), quarter) for quarter in quarters}


def test_a_third_party_indicator_without_many_is_computed_month_by_month(demo_context):
    """An indicator without ``many`` still answers every period, each by its own ``figures`` on the extract as
    known at that period's end; one with ``many`` answers from its one pass, the same figures."""
    from dataclasses import replace

    from ledinfo.model.results import Figure

    seen = []

    def figures(context, period):
        seen.append((period, context.period))
        return [Figure("plugin_cases", context.extract["cases"].height, unit="count", period=str(period))]

    context = replace(demo_context, figures_cache={},
                      indicators={**demo_context.indicators, "plugin_cases": Indicator("plugin_cases", "count",
                                                                                       ("cases",), figures)})
    months = REPORT.trailing(13)
    found = [f.value for f in trend_figures("plugin_cases", context, 13)]
    assert seen == [(m, m) for m in months]  # each month once, on its own context
    assert found == sorted(found)  # as known at each month's end: never fewer cases later
    assert indicator_figures("plugin_cases", context, months[0])[0].value == found[0]  # from the cache
    assert len(seen) == 13
    by_period = indicator_figures_of("six_week_followup", context, months)
    assert by_period == {m: demo_context.indicators["six_week_followup"].figures(context.at(m), m) for m in months}


def test_without_batches_the_figures_are_the_same(demo_context, monkeypatch):
    """LEDINFO_NO_BATCH=1 (the reference for measuring) computes every period by ``figures``: the same figures."""
    from dataclasses import replace

    months = periods_of(REPORT, 13)
    one_pass = {i: indicator_figures_of(i, replace(demo_context, figures_cache={}), months)
                for i in ("receipt_6_workdays", "notifications", "ladder_up")}
    monkeypatch.setenv("LEDINFO_NO_BATCH", "1")
    by_period = {i: indicator_figures_of(i, replace(demo_context, figures_cache={}), months) for i in one_pass}
    assert one_pass == by_period


def test_a_large_extract_takes_fewer_ends_a_pass_with_the_same_figures(demo_context, monkeypatch):
    """An extract of more rows than ``ROW_ENDS_PER_PASS`` / 12 takes fewer period ends a pass (a 200 MB extract's
    passes of 12 ends put its build over 1 GiB, issue 27 goal 5): here the demo's rows made to count as a large
    extract's, 2 ends a pass — the moves on the ladder, the repeat notifications and the use of measures behind
    the volume and price effects cross their rows with 2 ends at a time, and every figure is the 12-end passes' own."""
    from dataclasses import replace

    import ledinfo.domain.indicator as indicator_module
    import ledinfo.domain.indicators.effect_values as effect_values
    import ledinfo.domain.indicators.values as values
    import ledinfo.domain.indicators.volume_price as volume_price

    timeline = demo_context.timeline
    rows = sum(frame.height for frame in timeline.tables.values())
    assert indicator_module.ends_per_pass(timeline) == indicator_module.ENDS_PER_PASS  # the demo's ~45,000 rows
    periods = periods_of(REPORT, 34)
    wanted = ("ladder_down", "repeat_notifications", "volume_effect", "full_year_persons")
    twelve = {i: indicator_figures_of(i, replace(demo_context, figures_cache={}), periods) for i in wanted}
    monkeypatch.setattr(indicator_module, "ROW_ENDS_PER_PASS", rows * 2)
    assert indicator_module.ends_per_pass(timeline) == 2
    ends_seen = []

    def counting(module, name, ends_of):
        made = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *args, **kw: ends_seen.append((name, ends_of(args))) or made(*args, **kw))

    counting(effect_values, "ladder_moves_at", lambda args: len(args[1]))
    counting(values, "repeat_notifications_at", lambda args: len(args[1]))
    counting(volume_price, "measure_use_at", lambda args: len(args[2]))
    counting(effect_values, "measure_use_at", lambda args: len({period.end for period in args[2]}))
    two = {i: indicator_figures_of(i, replace(demo_context, figures_cache={}), periods) for i in wanted}
    assert two == twelve
    assert {name for name, _ in ends_seen} == {"ladder_moves_at", "repeat_notifications_at", "measure_use_at"}
    assert max(ends for _, ends in ends_seen) == 2, ends_seen


def test_the_budget_is_summed_once_a_year_for_all_its_months(demo_context, monkeypatch):
    """The budget's year to date for each of a committee's series' ~36 months is summed by one group-by of each
    year's rows for all its months (the queries were ~9 a month: most of a small municipality's budget compute),
    and each month's total is budget_to_date's own, to the last bit."""
    import polars as pl

    from ledinfo.domain.indicators.economy import budget_to_date, budget_totals_at

    budget = demo_context.timeline.tables["budget"]
    months = REPORT.trailing(36)
    grouped = []
    group_by = pl.DataFrame.group_by
    monkeypatch.setattr(pl.DataFrame, "group_by", lambda frame, *a, **kw: grouped.append(a) or group_by(frame, *a, **kw))
    totals = budget_totals_at(budget, months)
    assert len(grouped) == 2 * len({month.year for month in months})  # 72 before
    monkeypatch.undo()
    for month in months:
        expected = budget_to_date(budget, month).filter(pl.col("function_code").is_null()).row(0, named=True)
        assert totals[month] == {key: expected[key] for key in totals[month]}, month


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("LEDINFO_SKIP_SCALE10") == "1", reason="LEDINFO_SKIP_SCALE10=1")
def test_scale_10_one_pass_equals_month_by_month(registry):
    """Copenhagen's size (scale 10): the report month's pack's periods (13 months, their quarters, the year to
    date)."""
    extract = extract_of(generate(DemoSpec(REPORT, scale=10)))
    context = context_of(extract, demo_config(scale=10), registry, REPORT)
    assert assert_one_pass_equal(context, periods_of(REPORT, 13)) >= 30
