"""Staff-level figures (caseload per caseworker) are personal data about employees: team leader packs only
(domain.md, "Disclosure"). A team's caseload resting on one caseworker is that person's, and so are the lowest and
the highest of two: no directors' or committee pack, and no other team's pack, shows them (ledinfo.disclosure.staff)."""

import json

import polars as pl

from ledinfo.disclosure.disclose import disclose, suppressed_column
from ledinfo.interfaces.section import View
from ledinfo.language import Language
from ledinfo.model.period import Period
from ledinfo.model.results import FEW_STAFF, TEAM, Chart, Column, Figure, FigureRef, SectionResult, Table
from pdfcheck import pdf_text


def view(audience, team=None):
    return View(audience, Language("da"), team, 5, period=Period(2024, 3))


# (team, caseworkers, cases, fte, min, median, max): team One's caseworker holds the municipality's highest caseload
TEAMS = [("One", 1, 45, 0.8, 56.25, 56.25, 56.25), ("Two", 2, 30, 2.0, 10.0, 15.0, 20.0),
         ("Three", 3, 60, 3.0, 0.0, 20.0, 40.0), (None, 6, 135, 5.8, 0.0, 20.0, 56.25)]


def caseload() -> SectionResult:
    rows = [{"team": team, "caseworkers": n, "cases": cases, "fte": fte, "caseload": cases / fte, "min": low,
             "median": middle, "max": high} for team, n, cases, fte, low, middle, high in TEAMS]
    figures = [Figure("caseload", r["caseload"], r["cases"], r["fte"], "ratio", team=r["team"],
                      extra={"caseworkers": r["caseworkers"], "min": r["min"], "median": r["median"], "max": r["max"],
                             "above_guideline": {"One": 1, "Two": 0, "Three": 1, None: 2}[r["team"]]}) for r in rows]
    figures.append(Figure("caseload", 56.25, 45, 0.8, "ratio", team="One", staff_id="R1"))
    frame = pl.DataFrame(rows)
    return SectionResult("caseload", "Caseload", figures=figures, tables=[Table(
        "by_team", "By team", frame,
        (Column("team", "Team"), Column("caseworkers", "Caseworkers", "integer"),
         Column("fte", "FTE", "number", FigureRef("caseload", part="denominator")),
         Column("cases", "Cases", "count", FigureRef("caseload", part="numerator")),
         Column("caseload", "Per FTE", "number", FigureRef("caseload")),
         *(Column(k, k, "number", FigureRef("caseload", part=k)) for k in ("min", "median", "max"))), level=TEAM)],
        charts=[Chart("by_team", "By team", "bar", frame.select("team", "caseload"), x="team", y="caseload",
                      figure=FigureRef("caseload"))])


def _cells(table, team):
    row = table.frame.filter(pl.col("team").is_null() if team is None else pl.col("team") == team).row(0, named=True)
    return {k: v for k, v in row.items() if not k.endswith("__suppressed")}


def test_a_directors_pack_shows_no_caseworkers_own_caseload():
    shown = disclose(caseload(), view("director"))
    one = shown.figure("caseload", team="One")
    # one caseworker: the team's average is that person's caseload, and so are its cases and FTE
    assert one.suppressed and one.hidden_as == FEW_STAFF and one.value is None and one.numerator is None
    assert one.extra == {"caseworkers": 1}  # how many: the reason, said beside the "–"
    # the municipality's cases and FTE less teams Two's and Three's would be One's: the team of the fewest
    # caseworkers shown is hidden too, so that the difference is three caseworkers'
    assert shown.figure("caseload", team="Two").suppressed
    assert shown.figure("caseload", team="Three").extra["max"] == 40.0  # three: the spread is shown
    # the municipality's highest is team One's caseworker's, held by no team shown; its lowest is team Three's
    whole = shown.figure("caseload")
    assert "max" not in whole.extra and whole.extra["min"] == 0.0 and whole.value == 135 / 5.8
    # the caseworkers above the guideline, less the teams shown: 1 of teams One's and Two's 3, a spread of three
    assert whole.extra["above_guideline"] == 2
    table = shown.table("by_team")
    assert _cells(table, "One") == {"team": "One", "caseworkers": 1, "fte": None, "cases": None, "caseload": None,
                                    "min": None, "median": None, "max": None}
    assert _cells(table, None)["max"] is None and _cells(table, None)["min"] == 0.0
    assert set(table.frame[suppressed_column("max")].drop_nulls()) == {FEW_STAFF}
    chart = shown.chart("by_team").frame
    assert chart.filter(pl.col("team") == "One")["caseload"].to_list() == [None]
    assert len(shown.notes) == 1  # said once, in words, under the section


def test_two_caseworkers_give_an_average_but_no_spread():
    # two: the average is no one's own, the lowest and highest are each one person's
    result = caseload()
    result.figures = [f for f in result.figures if f.team != "One"]
    shown = disclose(result, view("director"))
    two = shown.figure("caseload", team="Two")
    assert two.value == 15.0 and not {"min", "median", "max", "above_guideline"} & set(two.extra)
    assert _cells(shown.table("by_team"), "Two")["caseload"] == 15.0
    assert _cells(shown.table("by_team"), "Two")["max"] is None
    # the municipality's count above the guideline less Three's would say how many of Two's two are above
    assert "above_guideline" not in shown.figure("caseload").extra


def test_a_team_pack_compares_with_the_municipalitys_average_not_another_teams_caseworker():
    shown = disclose(caseload(), view("team_leader", "Three"))
    whole = shown.figure("caseload")
    assert whole.value == 135 / 5.8 and not {"min", "median", "max", "above_guideline"} & set(whole.extra)
    assert shown.figure("caseload", team="Three").extra["max"] == 40.0  # the team's own, in full
    table = shown.table("by_team")
    assert _cells(table, None)["max"] is None and _cells(table, "Three")["max"] == 40.0
    # the team of one caseworker sees that caseworker, its own: nothing of its own is hidden from it
    own = disclose(caseload(), view("team_leader", "One"))
    assert own.figure("caseload", team="One").value == 56.25 and not own.figure("caseload").suppressed


def test_a_team_pack_does_not_get_the_one_other_caseworkers_caseload_from_the_municipalitys():
    # the municipality of team Three and team One: less Three's own, its average is One's caseworker's
    result = caseload()
    result.figures = [f for f in result.figures if f.team in ("One", "Three") or f.team is None]
    result.figures = [f.with_(extra={**f.extra, "caseworkers": 4}) if f.team is None else f for f in result.figures]
    whole = disclose(result, view("team_leader", "Three")).figure("caseload")
    assert whole.suppressed and whole.hidden_as == FEW_STAFF


def test_the_committee_sees_no_average_of_one_caseworker():
    result = SectionResult("caseload", "Caseload", figures=[
        Figure("caseload", 56.25, 45, 0.8, "ratio", extra={"caseworkers": 1, "min": 56.25, "max": 56.25})])
    assert disclose(result, view("committee")).figure("caseload").suppressed


def test_the_messy_samples_one_caseworker_team_is_nowhere_but_its_own_pack(messy_packs):
    out, done = messy_packs("2024-03")
    assert done.returncode == 0, done.stderr
    directors = json.loads((out / "direktion.json").read_text())
    caseload = next(s for s in directors["sections"] if s["id"] == "caseload")["indicators"]["caseload"]
    assert caseload["by_team"]["Børn Syd"]["caseworkers"] == 1
    assert caseload["by_team"]["Børn Syd"]["hidden_as"] == FEW_STAFF
    # its caseworker's caseload, 45 cases on 0.8 FTE: 56.25, printed "56,3"; not the municipality's highest either
    for pack in [p for p in out.glob("*.pdf") if p.stem != "team-boern-syd"]:
        text = pdf_text(pack)
        assert "56,3" not in text and "56,25" not in text, pack.name
        assert "56.25" not in (out / f"{pack.stem}.json").read_text(), pack.name
    # nor is the team named first in the directors' summary by that figure
    assert not any("Børn Syd" in line and "rådgiverårsværk" in line for line in directors["summary"])
    assert "For få rådgivere til at vise fordelingen" in " ".join(pdf_text(out / "direktion.pdf").split())
    assert "56,3" in pdf_text(out / "team-boern-syd.pdf")  # the team leader sees the own team's caseworker
