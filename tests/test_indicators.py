"""Indicators on the small hand-made extract; every answer is worked out by hand."""

import datetime as dt

import pytest

from ledinfo.api.testing import context_for, frames_to_extract
from ledinfo.config.file import Standards
from ledinfo.domain.indicators.caseload import caseload_by_caseworker, caseload_by_team, cases_without_caseworker
from ledinfo.domain.indicators.followup import six_week_followup
from ledinfo.model.period import Period, add_months

AS_OF = dt.date(2024, 3, 31)


def test_month_arithmetic_clamps_to_month_end():
    assert add_months(dt.date(2023, 10, 31), 4) == dt.date(2024, 2, 29)  # leap year
    assert add_months(dt.date(2022, 10, 31), 4) == dt.date(2023, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 3, 15), -3) == dt.date(2023, 12, 15)


def test_period_parsing_and_default():
    assert Period.parse("2026-10").end == dt.date(2026, 10, 31)
    assert Period.last_complete(dt.date(2026, 11, 22)) == Period(2026, 10)
    assert Period.last_complete(dt.date(2026, 1, 1)) == Period(2025, 12)
    assert [str(p) for p in Period(2024, 2).trailing(3)] == ["2023-12", "2024-01", "2024-02"]


def test_caseload_per_caseworker(tables):
    extract = frames_to_extract(tables)
    frame = caseload_by_caseworker(extract["cases"], extract["staff"], AS_OF)
    rows = {r["staff_id"]: r for r in frame.iter_rows(named=True)}
    # M3 left on 2024-03-15 and the team leader L1 is no caseworker: neither is listed.
    assert set(rows) == {"M1", "M2", "M4"}
    assert (rows["M1"]["cases"], rows["M1"]["caseload"]) == (3, 3.0)  # S1, S2, S10
    assert (rows["M2"]["cases"], rows["M2"]["caseload"]) == (1, 2.0)  # S4 at 0.5 FTE (S5 opens in April)
    assert (rows["M4"]["cases"], rows["M4"]["caseload"]) == (2, 2.0)  # S7, S9 (S8 closed on the day)


def test_caseload_per_team_and_municipality(tables):
    extract = frames_to_extract(tables)
    by_team = caseload_by_team(caseload_by_caseworker(extract["cases"], extract["staff"], AS_OF))
    rows = {r["team"]: r for r in by_team.iter_rows(named=True)}
    assert rows["Børn"]["cases"] == 4 and rows["Børn"]["fte"] == 1.5
    assert rows["Børn"]["caseload"] == pytest.approx(4 / 1.5)
    assert (rows["Børn"]["min"], rows["Børn"]["median"], rows["Børn"]["max"]) == (2.0, 2.5, 3.0)
    assert rows["Unge"]["caseload"] == 2.0
    assert rows[None]["cases"] == 6 and rows[None]["fte"] == 2.5
    assert rows[None]["caseload"] == pytest.approx(6 / 2.5)


def test_cases_left_by_a_leaver_have_no_caseworker(tables):
    extract = frames_to_extract(tables)
    orphans = cases_without_caseworker(extract["cases"], extract["staff"], AS_OF)
    assert orphans["case_id"].to_list() == ["S6"]


def test_six_week_followup_window_includes_both_ends(tables):
    extract = frames_to_extract(tables)
    frame = six_week_followup(extract["cases"], extract["activities"], AS_OF, days=42)
    followed = dict(zip(frame["case_id"], frame["followed_up"]))
    # S1 on 2024-02-19 (first day of the window) and S4 on 2024-03-31 (last day) count;
    # S2 on 2024-02-18 is one day too early; S10's ledelsestilsyn is no contact;
    # S7's follow-up is after the period; S9 has none. S6's supervision visit counts.
    assert followed == {"S1": True, "S2": False, "S4": True, "S10": False, "S6": True, "S7": False, "S9": False}
    assert frame.filter(frame["case_id"] == "S2")["days_since"].item() == 42
    # S9, opened on the last day and never contacted, is pending (its first contact is due in May); S10, never
    # contacted but open 59 days, and S7, whose contact came after the period, are late
    assert frame.filter(frame["awaiting_contact"])["case_id"].to_list() == ["S9"]


def test_six_week_section_figures(tables, registry):
    extract = frames_to_extract(tables)
    context = context_for(extract, Period(2024, 3))
    result = registry.section("six_week_followup").compute(context)
    total = result.figure("six_week_followup")
    # S9 (Unge), opened on the last day and not yet due, is out of the share and counted as pending
    assert (total.numerator, total.denominator, total.extra["pending"]) == (3, 6, 1)
    assert total.value == pytest.approx(3 / 6)
    boern, unge = result.figure("six_week_followup", team="Børn"), result.figure("six_week_followup", team="Unge")
    assert (boern.numerator, boern.denominator, boern.extra["pending"]) == (2, 4, 0)
    assert (unge.numerator, unge.denominator, unge.extra["pending"]) == (1, 2, 1)
    assert len(result.trend("six_week_followup")) == 12


def test_six_week_interval_is_configurable(tables, registry):
    extract = frames_to_extract(tables)
    context = context_for(extract, Period(2024, 3), standards=Standards(followup_interval_days=43))
    total = registry.section("six_week_followup").compute(context).figure("six_week_followup")
    assert total.numerator == 4  # S2's contact on 2024-02-18 is now inside the window


def test_caseload_section_trend_and_benchmark(tables, registry):
    extract = frames_to_extract(tables)
    context = context_for(extract, Period(2024, 3))
    result = registry.section("caseload").compute(context)
    assert result.figure("caseload").value == pytest.approx(2.4)
    assert result.figure("cases_without_caseworker").value == 1
    assert result.figure("cases_without_caseworker", team="Unge").value == 1
    trend = result.trend("caseload")
    assert [f.period for f in trend][-1] == "2024-03" and len(trend) == 12
    # February 2024: M3 still employed and holds S6; S3 closed on 2024-02-01; S9 not yet opened.
    february = next(f for f in trend if f.period == "2024-02")
    assert (february.numerator, february.denominator) == (7, 3.5)  # S1 S2 S10 S4 S6 S7 S8 / M1 M2 M3 M4
