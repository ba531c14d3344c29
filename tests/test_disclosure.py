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



def _figures_in_full(figures, team, arranged: bool):
    """A team leader's visible figures of one section, through TeamFigures or through every figure."""
    from ledinfo.disclosure.disclose import TeamFigures, disclose_pack

    section = SectionResult("s", "S", figures=figures)
    by_team = {"s": TeamFigures.of(figures)} if arranged else None
    return disclose_pack([section], view("team_leader", team), by_team=by_team)[0].figures


def test_team_figures_give_a_team_pack_the_figures_it_sees_in_the_same_order():
    """A team's pack sees, through the figures arranged by team once a build (TeamFigures), exactly what it sees
    going through every team's: the municipality's and its own in their order, a staff member's where its level
    allows, and its own figure added where the section breaks a figure down by team but the team has none."""
    import random

    rng = random.Random(27)
    teams = ["A", "B", "C", "D"]
    for _ in range(200):
        figures = []
        for _ in range(rng.randint(0, 30)):
            team = rng.choice([None, None, *teams])
            staff = rng.choice([None, None, "M1"]) if team is not None or rng.random() < 0.1 else None
            figures.append(Figure(rng.choice(["x", "y", "z"]), rng.randint(0, 20), unit=rng.choice(["count", "share"]),
                                  team=team, staff_id=staff, period=rng.choice([None, "2024-02", "2024-Q1"]),
                                  category=rng.choice([None, "k"])))
        for team in [*teams, "E"]:
            assert _figures_in_full(figures, team, True) == _figures_in_full(figures, team, False)


def test_team_figures_add_the_own_teams_missing_figure_after_the_others():
    figures = [Figure("x", 2, unit="count", team="B"), Figure("x", 15, unit="count"),
               Figure("y", 3, unit="count", team="A"), Figure("y", 9, unit="count")]
    shown = _figures_in_full(figures, "A", True)
    assert [(f.indicator, f.team, f.value) for f in shown] == [("x", None, 15), ("y", "A", 3), ("y", None, 9),
                                                               ("x", "A", 0)]
