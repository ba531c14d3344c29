"""The 6-week follow-up's pending cases (domain.md "Pending"): a case never contacted whose first contact is not yet
due is left out of the share and counted apart; its boundary is "within includes the deadline day", so a case opened
(or last contacted) exactly 42 days before the end of the period is late. The month's computation and the one pass
over many months say the same."""

import datetime as dt
import json

import polars as pl
import pytest

from builders import activity, case, extract, staff
from ledinfo.api.testing import context_for, render_section
from ledinfo.domain.indicators.common import ends_frame
from ledinfo.domain.indicators.followup import six_week_followup, six_week_followup_at
from ledinfo.domain.indicators.values import INDICATORS
from ledinfo.model.period import Period
from ledinfo.plugins.six_week_followup import SixWeekFollowupSection

END = dt.date(2024, 3, 31)


def _extract():
    days = dt.timedelta
    cases = [case("NEW10", opened=END - days(10)),  # never contacted, due 2024-04-10: pending
             case("NEW41", opened=END - days(41)),  # due 2024-04-01, the day after the end: pending
             case("OLD42", opened=END - days(42)),  # due 2024-03-31, the last day, which passed without contact: late
             case("LAST42"), case("LAST41"),  # last contacted 42 (late) and 41 (followed up) days before
             case("EARLY", opened=END - days(5))]  # a contact dated before its opening: contacted, so never pending
    contacts = [activity("LAST42", END - days(42)), activity("LAST41", END - days(41)),
                activity("EARLY", END - days(200))]
    return extract(cases=cases, activities=contacts, staff=[staff("M1")])


def test_a_new_case_not_yet_due_is_pending_and_one_opened_42_days_before_is_late():
    tables = _extract()
    frame = six_week_followup(tables["cases"], tables["activities"], END)
    awaiting = dict(zip(frame["case_id"], frame["awaiting_contact"]))
    assert awaiting == {"NEW10": True, "NEW41": True, "OLD42": False, "LAST42": False, "LAST41": False,
                        "EARLY": False}
    assert dict(zip(frame["case_id"], frame["followed_up"]))["LAST41"]


def test_the_share_leaves_the_pending_out_and_counts_them_apart():
    tables = _extract()
    figures = INDICATORS["six_week_followup"].figures(context_for(tables, Period(2024, 3)), Period(2024, 3))
    total = next(f for f in figures if f.team is None)
    # of OLD42, LAST42, LAST41, EARLY: LAST41 followed up; NEW10 and NEW41 pending
    assert (total.numerator, total.denominator, total.extra["pending"]) == (1, 4, 2)


def test_the_one_pass_agrees_with_each_month_on_the_pending_cases():
    tables = _extract()
    periods = [Period(2024, 1), Period(2024, 2), Period(2024, 3), Period(2024, 4)]
    # the one pass's window of contacts starts 41 days before January's end: EARLY's contact is older than that
    at = six_week_followup_at(tables["cases"], tables["activities"], ends_frame(periods))
    for period in periods:
        month = six_week_followup(tables["cases"], tables["activities"], period.end)
        one_pass = at.filter(pl.col("as_of") == period.end)
        assert sorted(one_pass["awaiting_contact"].to_list()) == sorted(month["awaiting_contact"].to_list()), period
        assert sorted(one_pass["followed_up"].to_list()) == sorted(month["followed_up"].to_list()), period
    assert at.filter(pl.col("as_of") == END)["awaiting_contact"].sum() == 2


def _all_new_in_team_b():
    """Team A: two old cases, one followed up; team B: its three cases opened 10 days before the end, never contacted,
    so every one of them is pending (their first contact is due in April)."""
    days = dt.timedelta
    cases = [case("A1"), case("A2"), *(case(f"B{i}", team="B", caseworker="M2", opened=END - days(10))
                                        for i in range(3))]
    return extract(cases=cases, activities=[activity("A1", END - days(5))], staff=[staff("M1"), staff("M2", "B")])


@pytest.mark.parametrize(("code", "said", "short"), [
    ("da", "Ingen af teamets sager indgår endnu i disse nøgletal: Sager fulgt op inden for 6 uger; fristen er ikke "
           "udløbet for nogen af dem.", "ingen frist udløbet endnu"),
    ("en", "None of the team's cases count in these key figures yet: Cases followed up within 6 weeks; none of them "
           "is due yet.",
     "none due yet")])
def test_a_team_whose_cases_are_all_pending_says_none_is_due_yet_not_no_cases_nor_0_percent(code, said, short):
    """A share of 0 of 0 with every case pending is no 0 %, no verdict and no "ingen sager": the team has 3 active
    cases, none of them due. The page says so under the tiles, the headline (the e-mail's key figures) says it, and
    the JSON's figure says it ("none_due_yet")."""
    rendered = render_section(SixWeekFollowupSection(), _all_new_in_team_b(), Period(2024, 3), audience="team_leader",
                              team="B", language=code)
    text = " ".join(rendered.text.split())
    assert said in text, text
    assert rendered.json["headlines"][0].endswith(f": – ({short} · {'kommunen' if code == 'da' else 'municipality'}: "
                                                  f"{'50 %' if code == 'da' else '50%'})"), rendered.json["headlines"]
    own = rendered.json["sections"][0]["indicators"]["six_week_followup"]["by_team"]["B"]
    assert own["none_due_yet"] is True and own["value"] is None and own["pending"] == 3 and "verdict" not in own
    whole = rendered.json["sections"][0]["indicators"]["six_week_followup"]
    assert "none_due_yet" not in whole  # the municipality's 1 of 2 is a share like any


def test_a_team_without_active_cases_still_has_no_cases_not_none_due():
    tables = extract(cases=[case("A1"), case("A2"), case("B0", team="B", caseworker="M2", closed=dt.date(2024, 1, 1))],
                     activities=[activity("A1", END - dt.timedelta(5))], staff=[staff("M1"), staff("M2", "B")])
    rendered = render_section(SixWeekFollowupSection(), tables, Period(2024, 3), audience="team_leader", team="B")
    assert "(ingen sager · kommunen: 50 %)" in rendered.json["headlines"][0], rendered.json["headlines"]
    assert "none_due_yet" not in json.dumps(rendered.json)
