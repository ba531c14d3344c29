"""The audience filter on section results, before anything is rendered."""

import polars as pl

from ledinfo.disclosure.disclose import disclose
from ledinfo.interfaces.section import View
from ledinfo.language import Language
from ledinfo.model.period import Period
from ledinfo.model.results import CASE, STAFF, TEAM, Column, Figure, SectionResult, Table


def view(audience, team=None):
    return View(audience, Language("da"), team, 5, period=Period(2024, 3))


def result():
    teams = pl.DataFrame({"team": ["A", "B", None], "n": [3, 12, 15]})
    cases = pl.DataFrame({"team": ["A", "B"], "case_id": ["S1", "S2"]})
    staff = pl.DataFrame({"team": ["A", "B"], "staff_id": ["M1", "M2"], "cases": [3, 12]})
    return SectionResult("s", "S", figures=[
        Figure("x", 15, unit="count"), Figure("x", 3, unit="count", team="A"), Figure("x", 12, unit="count", team="B"),
        Figure("load", 2.0, 3, 1.5, "ratio", team="A", staff_id="M1"),
    ], tables=[
        Table("teams", "T", teams, (Column("team", "Team"), Column("n", "N", "count")), level=TEAM),
        Table("cases", "C", cases, (Column("case_id", "Case", "id"),), level=CASE),
        Table("staff", "W", staff, (Column("staff_id", "W", "id"), Column("cases", "N", "count")), level=STAFF),
    ])


def test_committee_sees_municipality_rows_only():
    shown = disclose(result(), view("committee"))
    assert [(f.team, f.staff_id) for f in shown.figures] == [(None, None)]
    assert [t.id for t in shown.tables] == []  # the team table cut to its total row repeats the key figure


def test_director_sees_teams_but_no_ids_or_staff():
    shown = disclose(result(), view("director"))
    assert {f.team for f in shown.figures} == {None, "A", "B"}
    assert all(f.staff_id is None for f in shown.figures)
    assert [t.id for t in shown.tables] == ["teams"]


def test_team_leader_sees_own_team_and_the_municipality():
    shown = disclose(result(), view("team_leader", "A"))
    assert {f.team for f in shown.figures} == {None, "A"}
    tables = {t.id: t.frame for t in shown.tables}
    assert tables["teams"]["team"].to_list() == ["A", None]
    assert tables["cases"]["case_id"].to_list() == ["S1"]
    assert tables["staff"]["staff_id"].to_list() == ["M1"]


def test_committee_rules_tell_case_handling_from_composition():
    def shown(n, d, share_of="handling"):
        figure = Figure("r", n / d, n, d, "share", share_of=share_of)
        return disclose(SectionResult("s", "S", figures=[figure]), view("committee")).figures[0]

    # whether a deadline was kept is no characteristic of a child: shown from 5 cases, with its counts
    assert not shown(3, 20).suppressed and shown(3, 20).numerator == 3
    assert not shown(17, 20).suppressed
    assert shown(2, 4).suppressed and shown(2, 4).denominator is None  # fewer than 5 cases
    # children by placement type: numerator and complement are protected counts
    assert shown(3, 20, "composition").suppressed
    assert shown(17, 20, "composition").suppressed
    hidden = shown(2, 3, "composition")
    assert hidden.suppressed and (hidden.value, hidden.numerator, hidden.denominator) == (None, None, None)
    assert not shown(0, 20, "composition").suppressed  # zero is no small count
    assert not shown(20, 20, "composition").suppressed

