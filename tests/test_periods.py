"""Quarters and the year to date: parsing, the calendar, and figures worked out by hand.

The extract below (team A, one caseworker) has notifications and investigations spread over
January to April 2024 and over the first quarter of 2023, so a quarter's share, a year to
date's and the comparisons with the period before and a year before can be counted on paper.
"""

import datetime as dt

import pytest

from builders import D, T, case, investigation, notification, staff
from builders import extract as make_extract
from ledinfo.api.testing import context_for
from ledinfo.domain.indicator import comparison_periods, indicator_figures
from ledinfo.domain.indicators.values import INDICATORS, rule_indicator
from ledinfo.domain.rules import load_catalogue
from ledinfo.errors import ConfigError
from ledinfo.extract.point_in_time import DataSpan, period_problem
from ledinfo.model.period import MONTH, QUARTER, YEAR_TO_DATE, Period


def test_parse_every_form_and_refuse_the_rest():
    assert Period.parse("2024-03") == Period(2024, 3, MONTH)
    assert Period.parse("2024-Q1") == Period(2024, 3, QUARTER)
    assert Period.parse("2024-K4") == Period(2024, 12, QUARTER)  # Danish "kvartal"
    assert Period.parse("2024-q2") == Period(2024, 6, QUARTER)
    assert Period.parse(" 2024-03-ytd ") == Period(2024, 3, YEAR_TO_DATE)
    for text in ("2024-Q5", "2024-Q0", "2024-13-ytd", "2024-3", "Q1-2024", "2024-03-qtd", ""):
        with pytest.raises(ConfigError, match="YYYY-Qn"):
            Period.parse(text)
    with pytest.raises(ConfigError, match="quarter ends in March"):
        Period(2024, 2, QUARTER)
    assert [str(Period.parse(t)) for t in ("2024-03", "2024-K1", "2024-03-ytd")] == ["2024-03", "2024-Q1", "2024-03-ytd"]


def test_a_report_period_of_a_year_no_pack_can_be_made_for_is_refused_with_its_range():
    """A pack reads years around its period, and Python's dates end at the years 1 and 9999: "--period 0000-01" and
    "9999-12 --allow-outside-data" were tracebacks (an attacker, round 12)."""
    from ledinfo.model.period import REPORT_YEARS

    for text in ("0000-01", "9999-12", "1919-Q4", "2180-01-ytd"):
        with pytest.raises(ConfigError, match=f"from {REPORT_YEARS.start} to {REPORT_YEARS.stop - 1}"):
            Period.of_report(text)
    assert Period.of_report("1920-01") == Period(1920, 1, MONTH)


@pytest.mark.slow
@pytest.mark.parametrize("text", ["1920-01", "2179-Q4"])
def test_the_first_and_last_report_periods_build(small_dir, tmp_path, text):
    """Every period the tool accepts builds: the edges of REPORT_YEARS, outside the data (said on the cover)."""
    from conftest import run_cli

    result = run_cli("build", "--data", str(small_dir), "--period", text, "--allow-outside-data",
                     "--out", str(tmp_path / "packs"), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "packs").glob("*.pdf"))) > 2


def test_calendar_of_each_kind():
    q1, q4, ytd = Period.parse("2024-Q1"), Period.parse("2023-Q4"), Period.parse("2024-05-ytd")
    assert (q1.start, q1.end, q1.length) == (D(2024, 1, 1), D(2024, 3, 31), 3)
    assert (q4.start, q4.end) == (D(2023, 10, 1), D(2023, 12, 31))
    assert (ytd.start, ytd.end, ytd.length) == (D(2024, 1, 1), D(2024, 5, 31), 5)
    assert [str(m) for m in q1.months()] == ["2024-01", "2024-02", "2024-03"]
    # the period before and a year before, of the same kind
    assert str(q1.previous()) == "2023-Q4" and str(q1.year_before()) == "2023-Q1"
    assert ytd.previous() is None and str(ytd.year_before()) == "2023-05-ytd"  # compared a year back only
    assert str(Period(2024, 1).previous()) == "2023-12" and str(Period(2024, 1).year_before()) == "2023-01"
    # a trend is monthly, ending at the period's last month
    assert [str(p) for p in q1.trailing(3)] == ["2024-01", "2024-02", "2024-03"]


def test_comparisons_only_where_the_data_reach():
    q1 = Period.parse("2024-Q1")
    assert [str(p) for p in comparison_periods(q1, D(2023, 1, 15))] == ["2023-Q4", "2023-Q1"]
    assert [str(p) for p in comparison_periods(q1, D(2023, 2, 1))] == ["2023-Q4"]  # the data start in February 2023
    assert comparison_periods(q1, D(2024, 1, 1)) == []


def test_a_quarter_the_data_do_not_cover_from_its_start_is_refused():
    span = DataSpan(D(2024, 2, 10), D(2024, 12, 31))
    today = D(2026, 1, 1)
    assert period_problem(Period.parse("2024-02"), span, today) is None  # a month the data start in
    assert "begins before the data" in period_problem(Period.parse("2024-Q1"), span, today)
    assert "begins before the data" in period_problem(Period.parse("2024-06-ytd"), span, today)
    assert period_problem(Period.parse("2024-Q2"), span, today) is None


# Notifications to team A (24-hour rule: assessed at most 24 hours after received):
#   2023-02-10 met; 2023-03-05 breach                          -> 2023-Q1: 1 of 2
#   2023-11-20 met                                             -> 2023-Q4: 1 of 1
#   2024-01-05 met; 2024-01-20 breach; 2024-02-14 met;
#   2024-03-03 met; 2024-03-31 23:00 assessed 2024-04-01 10:00 (met, known only in April)
#   2024-04-10 breach
# As known at 2024-03-31 the last March one is not assessed yet and its deadline (2024-04-01 23:00)
# lies after the period: pending, left out. So:
#   2024-01: 1 of 2; 2024-02: 1 of 1; 2024-03: 1 of 1 (+1 pending); 2024-Q1: 3 of 4 (+1 pending)
#   2024-04-ytd: 4 of 6 (the late-March one met, known by the end of April; April's breach)
#   2024-Q2: 0 of 1 (only the April breach was received in the quarter)
NOTIFICATIONS = [
    notification("N1", T(2023, 2, 10, 9), T(2023, 2, 10, 15)),
    notification("N2", T(2023, 3, 5, 9), T(2023, 3, 7, 9)),
    notification("N3", T(2023, 11, 20, 9), T(2023, 11, 21, 8)),
    notification("N4", T(2024, 1, 5, 9), T(2024, 1, 5, 12)),
    notification("N5", T(2024, 1, 20, 9), T(2024, 1, 23, 9)),
    notification("N6", T(2024, 2, 14, 9), T(2024, 2, 14, 10)),
    notification("N7", T(2024, 3, 3, 9), T(2024, 3, 3, 20)),
    notification("N8", T(2024, 3, 31, 23), T(2024, 4, 1, 10)),
    notification("N9", T(2024, 4, 10, 9), T(2024, 4, 15, 9)),
]
# Investigations (4 months from started_on): completed in Q1 2024 -> I1 in time, I2 late; I3 open and past
# 4 months at 2024-03-31 (overdue, a state at the period's end); I4 completed in April.
INVESTIGATIONS = [
    investigation("I1", "S1", D(2023, 11, 1), D(2024, 1, 31)),
    investigation("I2", "S1", D(2023, 8, 1), D(2024, 2, 15)),
    investigation("I3", "S1", D(2023, 10, 1)),
    investigation("I4", "S1", D(2024, 1, 2), D(2024, 4, 20)),
]


@pytest.fixture
def extract():
    return make_extract(cases=[case("S1", opened=D(2022, 6, 1))], staff=[staff("M1")],
                        notifications=NOTIFICATIONS, investigations=INVESTIGATIONS)


def _municipality(indicator, extract, text):
    period = Period.parse(text)
    catalogue = load_catalogue()
    context = context_for(extract, period)
    found = INDICATORS.get(indicator) or rule_indicator(catalogue[indicator])
    figure = next(f for f in found.figures(context, period) if f.team is None)
    return figure


@pytest.mark.parametrize("text, numerator, denominator, pending", [
    ("2024-01", 1, 2, 0), ("2024-02", 1, 1, 0), ("2024-03", 1, 1, 1),
    ("2024-Q1", 3, 4, 1), ("2024-03-ytd", 3, 4, 1), ("2024-04-ytd", 4, 6, 0), ("2024-Q2", 0, 1, 0),
    ("2023-Q1", 1, 2, 0), ("2023-Q4", 1, 1, 0),
])
def test_notification_24h_per_period_by_hand(extract, text, numerator, denominator, pending):
    figure = _municipality("notification_24h", extract, text)
    assert (figure.numerator, figure.denominator, figure.extra["pending"]) == (numerator, denominator, pending)
    assert figure.value == pytest.approx(numerator / denominator)


def test_counts_of_a_quarter_are_the_sum_of_its_months(extract):
    months = [_municipality("notifications", extract, m).value for m in ("2024-01", "2024-02", "2024-03")]
    assert months == [2, 1, 2]
    assert _municipality("notifications", extract, "2024-Q1").value == 5
    assert _municipality("notifications", extract, "2024-04-ytd").value == 6


def test_investigations_completed_in_the_quarter_and_overdue_at_its_end(extract):
    completed = _municipality("investigation_4m", extract, "2024-Q1")
    assert (completed.numerator, completed.denominator) == (1, 2)  # I1 in time, I2 late
    # a state, not a flow: the quarter's figure is its last day's, as March's is
    assert _municipality("investigation_overdue", extract, "2024-Q1").value == 1  # I3
    assert _municipality("investigation_overdue", extract, "2024-03").value == 1


def test_comparison_figures_are_the_earlier_periods_own(extract):
    """indicator_figures for the period before and a year before, from the report period's context."""
    period = Period.parse("2024-Q1")
    context = context_for(extract, period)
    context.indicators["notification_24h"] = rule_indicator(load_catalogue()["notification_24h"])
    before = next(f for f in indicator_figures("notification_24h", context, period.previous()) if f.team is None)
    year = next(f for f in indicator_figures("notification_24h", context, period.year_before()) if f.team is None)
    assert (before.numerator, before.denominator, before.period) == (1, 1, "2023-Q4")
    assert (year.numerator, year.denominator, year.period) == (1, 2, "2023-Q1")
    with pytest.raises(ValueError, match="not known yet"):
        context.at(Period.parse("2024-Q2"))


def test_period_names_in_both_languages():
    from ledinfo.language import Language

    da, en = Language("da"), Language("en")
    assert da.period(Period.parse("2024-Q1")) == "1. kvartal 2024"
    assert en.period(Period.parse("2024-Q1")) == "Quarter 1, 2024"
    assert da.period(Period.parse("2024-03-ytd")) == "januar–marts 2024 (år til dato)"
    assert da.period(Period.parse("2024-01-ytd")) == "januar 2024 (år til dato)"
    assert da.period(Period.parse("2024-03")) == "marts 2024"
    assert da.period_short(Period.parse("2023-Q4")) == "K4 2023"
    assert en.period_short(Period.parse("2023-Q4")) == "Q4 2023"
    assert dt.date(2024, 1, 1) == Period.parse("2024-Q1").start


def test_the_last_complete_period_of_each_kind_for_cron():
    today = D(2024, 5, 2)
    assert str(Period.parse("month", today)) == "2024-04"
    assert str(Period.parse("quarter", today)) == "2024-Q1"
    assert str(Period.parse("ytd", today)) == "2024-04-ytd"
    assert str(Period.last_complete(D(2024, 2, 10), QUARTER)) == "2023-Q4"
    assert str(Period.last_complete(D(2024, 4, 1), QUARTER)) == "2024-Q1"
    assert str(Period.last_complete(D(2024, 1, 1), YEAR_TO_DATE)) == "2023-12-ytd"


# --- whole packs of the messy sample ---------------------------------------------------

def _json(folder, pack):
    import json

    return json.loads((folder / f"{pack}.json").read_text(encoding="utf-8"))


def _current(entry: dict) -> tuple:
    return entry.get("value"), entry.get("numerator"), entry.get("denominator")


@pytest.mark.slow
def test_a_quarter_pack_compares_with_the_quarter_before_as_that_quarters_own_pack_says(messy_packs):
    """2024-Q2's "previous" is 2024-Q1: the same figures the 2024-Q1 pack shows as its own."""
    q2, built = messy_packs("2024-Q2")
    assert built.returncode == 0, built.stderr
    q1, built = messy_packs("2024-Q1")
    assert built.returncode == 0, built.stderr
    compared = 0
    for pack in ("direktion", "udvalg"):
        now, before = _json(q2, pack), _json(q1, pack)
        assert now["period"] == "2024-Q2" and before["period"] == "2024-Q1"
        earlier = {(s["id"], i): e for s in before["sections"] for i, e in s["indicators"].items()}
        for section in now["sections"]:
            for indicator, entry in section["indicators"].items():
                previous = entry.get("compared", {}).get("previous")
                if previous is None or (section["id"], indicator) not in earlier:
                    continue
                assert previous["period"] == "2024-Q1"
                assert _current(previous) == _current(earlier[section["id"], indicator]), (pack, indicator)
                compared += 1
    assert compared >= 10  # every section's shown indicators, not one by chance


@pytest.mark.slow
def test_a_quarter_pack_says_its_period_and_its_comparisons(messy_packs):
    from pypdf import PdfReader

    out, built = messy_packs("2024-Q2")
    assert built.returncode == 0, built.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(out / "udvalg.pdf").pages)
    assert "2. kvartal 2024" in text
    assert "K1 2024:" in text and "K2 2023:" in text  # key figures beside the period before and a year before
    assert "i måneden" not in text and "denne måned" not in text  # a quarter's pack speaks of the period
