"""The directors' overview: every team against the key indicators, with the cases each share rests on."""

from ledinfo.api.testing import SMALL_PERIOD, render_section, small_extract
from ledinfo.plugins.team_overview import TeamOverviewSection


def test_one_row_per_team_and_the_municipality_with_each_shares_cases_beside_it():
    rendered = render_section(TeamOverviewSection(), small_extract(), SMALL_PERIOD, audience="director")
    table = next(t for t in rendered.json["sections"][0]["tables"] if t["id"] == "team_overview")
    teams = [row["team"] for row in table["rows"]]
    assert teams == ["Børn", "Unge", None]  # the small extract's two teams, then the municipality
    municipality = table["rows"][-1]
    figures = rendered.json["sections"][0]["indicators"]
    six_weeks = figures["six_week_followup"]
    assert municipality["six_week_followup"] == six_weeks["value"]
    assert municipality["six_week_followup_n"] == six_weeks["denominator"]  # the cases the share rests on
    assert "caseload_n" not in municipality  # a ratio has no "cases it rests on" column
    assert "Nøgletal pr. team" in rendered.text and "Pr. årsværk" in rendered.text


def test_the_committee_never_gets_it():
    assert TeamOverviewSection.audiences == ("director",)
