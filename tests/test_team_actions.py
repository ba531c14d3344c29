"""The team leader's pack (issues 14, 24): "Til handling" holds only things to do, grouped by caseworker (former
ones marked), a line per case with every step due on it, most urgent first; each step names what it is on (the
measure and its category, the investigation, the notification) and its deadline as a date; lists grouped by
caseworker; case weight; supervision themes per team.

Figures on the small extract are worked out by hand in ledinfo.api.small_extract.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import polars as pl
import pytest

from conftest import MESSY, run_cli
from ledinfo.api import DUE_SOON, LATER, PAST_DEADLINE, Language, View
from ledinfo.api.small_extract import small_tables, small_tables_with_steps
from ledinfo.api.testing import SMALL_PERIOD, frames_to_extract, render_section
from ledinfo.plugins.caseload import CaseloadSection
from ledinfo.plugins.compliance import ComplianceSection
from ledinfo.plugins.six_week_followup import SixWeekFollowupSection
from ledinfo.plugins.supervision import SupervisionSection

DA = Language("da")


def actions(section, extract, team, period=SMALL_PERIOD, **config):
    """The section's actions for the team, from the result the team leader's pack holds (disclosed)."""
    rendered = render_section(section, extract, period, audience="team_leader", team=team, **config)
    return section.actions(rendered.result, View("team_leader", DA, team)), rendered


def test_steps_name_what_they_are_on_and_their_deadline_as_a_date_with_its_weekday():
    extract = frames_to_extract(small_tables_with_steps())
    found, rendered = actions(ComplianceSection(), extract, "Børn")
    assert [(a.case, a.caseworker, a.text, a.urgency) for a in found] == [
        ("S1", "M1", "vurdering af underretning U1 – fristen var lørdag 3. juni 2023", PAST_DEADLINE),
        ("S2", "M1", "afslutning af børnefaglig undersøgelse I2 – frist onsdag 3. april 2024", DUE_SOON),
        ("S4", "M2", "afslutning af børnefaglig undersøgelse I3 – frist lørdag 20. april 2024", LATER)]
    # "Til handling" by caseworker, a line per case, the dates absolute (no "i dag", "om 3 dage": a pack is read later)
    assert rendered.json["actions"] == [
        {"caseworker": "M1", "kind": "caseworker", "title": "M1", "lines": [
            "Sag S1: vurdering af underretning U1 – fristen var lørdag 3. juni 2023.",
            "Sag S2: afslutning af børnefaglig undersøgelse I2 – frist onsdag 3. april 2024."]},
        {"caseworker": "M2", "kind": "caseworker", "title": "M2", "lines": [
            "Sag S4: afslutning af børnefaglig undersøgelse I3 – frist lørdag 20. april 2024."]}]
    assert rendered.json["summary"] == [line for group in rendered.json["actions"] for line in group["lines"]]
    text = " ".join(rendered.text.split())
    assert "M1 • Sag S1: vurdering af underretning U1 – fristen var lørdag 3. juni 2023." in text.replace("\n", " ")
    assert not re.search(r"\bi dag\b|\bom \d+ dag", text)
    # the former caseworker is marked; the other team's case is not in Børn's pack
    former, _ = actions(ComplianceSection(), extract, "Unge")
    assert [(a.case, a.caseworker) for a in former] == [("S6", "M3 (fratrådt)")]
    assert "S6" not in rendered.text and "M3" not in rendered.text
    # the lists' day counts say the day they are counted to
    tables = {t["id"]: t for s in rendered.json["sections"] for t in s["tables"]}
    assert tables["overdue_steps"]["columns"][-1]["label"] == "Dage over fristen pr. 31.03.2024"
    assert tables["steps_due_soon"]["columns"][-1]["label"] == "Dage tilbage pr. 31.03.2024"


def _two_steps_on_one_case():
    """S2 (M1) gets an unassessed notification beside its investigation due on 3 April, and a foster-family
    placement started 2024-01-20 and never followed up: its first follow-up is due 2024-04-20."""
    tables = small_tables_with_steps()
    tables["notifications"] = pl.concat([tables["notifications"], pl.DataFrame({
        "notification_id": ["U2"], "child_id": ["B2"], "case_id": ["S2"], "team": ["Børn"],
        "received_at": [dt.datetime(2024, 3, 4, 9, 0)], "reporter_type": ["private"],
        "acute_assessed_at": [None], "receipt_sent_on": [None]}, schema=tables["notifications"].schema)])
    d = dt.date(2024, 1, 20)
    tables["measures"] = pl.DataFrame({
        "measure_id": ["F1"], "case_id": ["S2"], "category": ["anbringelse_plejefamilie"], "decided_on": [d],
        "started_on": [d], "ended_on": [None], "plan_on": [d]}, schema_overrides={"ended_on": pl.Date})
    return frames_to_extract(tables)


def test_a_case_with_two_steps_due_is_one_line_with_both_and_a_measure_is_named_by_id_and_category():
    _, rendered = actions(ComplianceSection(), _two_steps_on_one_case(), "Børn")
    m1 = next(group for group in rendered.json["actions"] if group["caseworker"] == "M1")
    assert m1["lines"] == [
        "Sag S1: vurdering af underretning U1 – fristen var lørdag 3. juni 2023.",
        "Sag S2: vurdering af underretning U2 – fristen var tirsdag 5. marts 2024; afslutning af børnefaglig "
        "undersøgelse I2 – frist onsdag 3. april 2024; første opfølgning på foranstaltning F1 (plejefamilie) – "
        "frist lørdag 20. april 2024."]
    assert sum(line.startswith("Sag S2:") for line in rendered.json["summary"]) == 1
    listed = next(t for s in rendered.json["sections"] for t in s["tables"] if t["id"] == "steps_due_soon")
    assert [(r["case_id"], r["item"], r["category"]) for r in listed["rows"]] == [
        ("S2", "I2", None), ("S2", "F1", "anbringelse_plejefamilie"), ("S4", "I3", None)]
    assert "Plejefamilie" in rendered.text  # the list names the measure's category too


def test_a_caseworkers_list_shows_the_most_urgent_cases_and_names_the_lists_that_hold_the_rest():
    from ledinfo.interfaces.section import Action
    from ledinfo.texts.summary import GROUP_LIMIT, action_groups

    class Many:
        def actions(self, result, view):
            return [Action(f"trin {i}", LATER, f"S{i}", "M1", dt.date(2024, 4, i), "Frister") for i in range(1, 9)] + [
                Action("for sent", PAST_DEADLINE, "S9", "M1", dt.date(2024, 1, 1), "Overskredne frister"),
                Action("Har 45 aktive sager.", LATER, caseworker="M1", listed_in="Sagsstammer"),
                Action("Næste måneds ledelsestilsyn: 2 sager.", LATER)]

    class Result:
        section = "many"

    groups = action_groups([Result()], View("team_leader", DA, "Børn"), {"many": Many()})
    assert [(g.title, g.lines) for g in groups] == [
        ("M1", ["Har 45 aktive sager.", "Sag S9: for sent.", "Sag S1: trin 1.", "Sag S2: trin 2."][:GROUP_LIMIT + 1]
         + ["6 sager mere: se »Frister«."]),
        ("Hele teamet", ["Næste måneds ledelsestilsyn: 2 sager."])]


def test_the_step_lists_are_grouped_by_caseworker_most_urgent_first():
    extract = frames_to_extract(small_tables_with_steps())
    _, rendered = actions(ComplianceSection(), extract, "Børn")
    tables = {t["id"]: t for s in rendered.json["sections"] for t in s["tables"]}
    soon = tables["steps_due_soon"]
    assert [c["key"] for c in soon["columns"]][:2] == ["caseworker_id", "case_id"]
    assert [(r["caseworker_id"], r["case_id"], r["days"]) for r in soon["rows"]] == [("M1", "S2", 3), ("M2", "S4", 20)]


def test_nothing_to_do_gives_no_action_no_zero_count():
    extract = frames_to_extract(small_tables())  # no notifications, no investigations: no step to act on
    found, rendered = actions(ComplianceSection(), extract, "Børn")
    assert found == []
    assert not any(re.search(r"(^|\D)0 (frister|sager)", line) for line in rendered.json["summary"])


def test_cases_never_contacted_say_since_when_they_are_open_and_are_grouped_by_caseworker():
    extract = frames_to_extract(small_tables())
    found, rendered = actions(SixWeekFollowupSection(), extract, "Børn")
    assert [(a.case, a.caseworker, a.text, a.urgency) for a in found] == [
        ("S10", "M1", "aldrig kontakt, åben siden 1. februar 2024", LATER),
        ("S2", "M1", "ingen kontakt siden 18. februar 2024", LATER)]
    # the contact due first (S10's: 42 days after it was opened, 14 March) heads the caseworker's list
    assert rendered.json["summary"] == ["Sag S10: aldrig kontakt, åben siden 1. februar 2024.",
                                        "Sag S2: ingen kontakt siden 18. februar 2024."]
    unge, rendered = actions(SixWeekFollowupSection(), extract, "Unge")
    # S9 was opened on the last day: not late yet, so in the list of new cases (it counts in the share), with the
    # day its first contact is due, not in the list of late cases the sentence counts
    assert [a.text for a in unge] == ["aldrig kontakt, åben siden 1. september 2023"]
    tables = {t["id"]: t for s in rendered.json["sections"] for t in s["tables"]}
    assert [(r["caseworker_id"], r["case_id"], r["opened_on"], r["last_contact"])
            for r in tables["no_followup"]["rows"]] == [("M4", "S7", "2023-09-01", "never contacted")]
    assert [(r["caseworker_id"], r["case_id"], r["contact_due"]) for r in tables["awaiting_contact"]["rows"]] == [
        ("M4", "S9", "2024-05-12")]
    assert "S7 01.09.2023 aldrig kontakt" in " ".join(rendered.text.split())


def test_caseload_is_weighted_when_the_extract_has_case_weight():
    extract = frames_to_extract(small_tables_with_steps(weights=True))
    director = render_section(CaseloadSection(), extract, audience="director")
    caseload = director.json["sections"][0]["indicators"]["caseload"]
    assert caseload["weighted_cases"] == 12 and caseload["weighted_caseload"] == pytest.approx(4.8)
    # Unge's one caseworker's own caseload, weighted or not, is for the team's leader only; so is Børn's in this
    # municipality of two teams (the municipality's less Børn's would be Unge's caseworker's)
    for name, weighted in (("Unge", 3.0), ("Børn", 6.0)):
        assert caseload["by_team"][name]["hidden_as"] == "few_staff"
        assert "weighted_caseload" not in caseload["by_team"][name]
        own = render_section(CaseloadSection(), extract, audience="team_leader", team=name)
        assert own.json["sections"][0]["indicators"]["caseload"]["by_team"][name]["weighted_caseload"] == \
            pytest.approx(weighted)
    team = render_section(CaseloadSection(), extract, audience="team_leader", team="Børn")
    workers = team.json["sections"][0]["indicators"]["caseload"]["by_caseworker"]
    assert {k: (v["weighted_cases"], v["weighted_caseload"]) for k, v in workers.items()} == {
        "M1": (6, 6.0), "M2": (3, 6.0)}
    assert "Vægtet efter sagstyngde (1–3) er det 6,0 pr. årsværk." in team.json["sections"][0]["texts"]


def test_caseload_says_plainly_when_the_extract_has_no_case_weight():
    rendered = render_section(CaseloadSection(), frames_to_extract(small_tables()), audience="team_leader", team="Børn")
    section = rendered.json["sections"][0]
    assert "weighted_caseload" not in section["indicators"]["caseload"]
    assert "Udtrækket har ingen sagstyngde, så hver sag tæller som én." in section["texts"]
    assert "Udtrækket har ingen sagstyngde" in rendered.text


def test_a_caseworker_far_above_the_guideline_and_a_case_without_caseworker_are_actions():
    tables = small_tables()
    extra = pl.DataFrame({"case_id": [f"X{i}" for i in range(40)], "child_id": [f"C{i}" for i in range(40)],
                          "birth_date": [tables["cases"]["birth_date"][0]] * 40, "team": ["Børn"] * 40,
                          "caseworker_id": ["M1"] * 40, "target_group": ["udsatte"] * 40,
                          "opened_on": [tables["cases"]["opened_on"][0]] * 40, "closed_on": [None] * 40},
                         schema=tables["cases"].schema)
    tables["cases"] = pl.concat([tables["cases"], extra])
    found, _ = actions(CaseloadSection(), frames_to_extract(tables), "Børn")
    assert [(a.caseworker, a.text) for a in found] == [
        ("M1", "Har 43 aktive sager, 43,0 pr. årsværk. Over 40 pr. årsværk er langt over den faglige anbefaling "
               "på 20–30: fordel sager.")]
    orphans, rendered = actions(CaseloadSection(), frames_to_extract(small_tables()), "Unge")
    assert [(a.caseworker, a.text) for a in orphans] == [
        ("M3 (fratrådt)", "1 aktiv sag har ingen ansat rådgiver: sagen skal fordeles.")]
    assert rendered.json["actions"] == [{"caseworker": "M3 (fratrådt)", "kind": "caseworker", "title": "M3 (fratrådt)",
                                         "lines": [
        "1 aktiv sag har ingen ansat rådgiver: sagen skal fordeles."]}]


def _with_placement(tables):
    d = tables["cases"]["opened_on"][0]
    tables["measures"] = pl.DataFrame({
        "measure_id": ["F1"], "case_id": ["S2"], "category": ["anbringelse_plejefamilie"], "decided_on": [d],
        "started_on": [d], "ended_on": [None], "plan_on": [d]}, schema_overrides={"ended_on": pl.Date})
    return tables


def test_supervision_themes_per_team_and_a_placement_theme_skipped_for_a_team_without_placements():
    extract = frames_to_extract(_with_placement(small_tables()))
    wheel = ["Handleplaner med underskrift", "Egenbetalinger", "Beregninger", "Støtteperson ved anbringelser"]
    # the small extract's one review is on a case the team leader chose: the sample is shown when configured
    plugins = {"supervision": {"themes": wheel, "use_sample": True}}  # April takes the 4th: the placement theme
    boern, _ = actions(SupervisionSection(), extract, "Børn", plugins=plugins)
    assert [a.text for a in boern] == ["Næste måneds ledelsestilsyn: 2 sager, tema »Støtteperson ved anbringelser«."]
    _, rendered = actions(SupervisionSection(), extract, "Børn", plugins=plugins)
    assert rendered.json["actions"] == [{"caseworker": None, "kind": "team", "title": "Hele teamet", "lines": [
        "Næste måneds ledelsestilsyn: 2 sager, tema »Støtteperson ved anbringelser«."]}]
    unge, rendered = actions(SupervisionSection(), extract, "Unge", plugins=plugins)
    assert [a.text for a in unge] == ["Næste måneds ledelsestilsyn: 1 sag, tema »Handleplaner med underskrift«."]
    texts = rendered.json["sections"][0]["texts"]
    assert "»Støtteperson ved anbringelser« springes over denne måned: teamet har ingen aktive anbringelser." in texts
    assert "Støtteperson" not in " ".join(t for t in texts if "Næste måneds tema" in t)

    own = {"supervision": {"team_themes": {"Unge": ["Egenbetalinger"]}, "use_sample": True}}
    unge, rendered = actions(SupervisionSection(), extract, "Unge", plugins=own)
    assert [a.text for a in unge] == ["Næste måneds ledelsestilsyn: 1 sag, tema »Egenbetalinger«."]
    table = next(t for t in rendered.json["sections"][0]["tables"] if t["id"] == "supervision_sample")
    assert [r["theme"] for r in table["rows"]] == ["Egenbetalinger"]
    boern, _ = actions(SupervisionSection(), extract, "Børn", plugins=own)  # the municipality's wheel: April's
    assert [a.text for a in boern] == ["Næste måneds ledelsestilsyn: 2 sager, tema »Beregninger«."]


def test_a_team_wheel_must_name_themes(tmp_path):
    config = tmp_path / "ledinfo.toml"
    config.write_text('[source]\ntype = "demo"\n[plugins.supervision.team_themes]\nUnge = []\n', encoding="utf-8")
    result = run_cli("build", "--config", str(config), "--period", "2024-03", "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert "plugins.supervision.team_themes.Unge: list should have at least 1 item" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_messy_samples_team_pack_acts_on_the_teams_own_rows_by_caseworker_most_urgent_first(messy_packs):
    out, result = messy_packs("2024-06")
    assert result.returncode == 0, result.stderr
    pack = json.loads((out / "team-boern-syd.json").read_text(encoding="utf-8"))
    cases = pl.read_csv(MESSY / "cases.csv", infer_schema=False)
    own_cases = set(cases.filter(pl.col("team") == "Børn Syd")["case_id"])
    groups = pack["actions"]
    assert pack["summary"] == [line for group in groups for line in group["lines"]]  # only things to do
    assert not any(re.search(r"(^|\D)0 (frister|sager)", line) for line in pack["summary"])
    titles = [group["title"] for group in groups]
    assert titles[-1] == "Hele teamet" and any("(fratrådt)" in title for title in titles)
    workers = [group["caseworker"] for group in groups if group["caseworker"]]
    assert workers == sorted(workers)  # in the order of the lists, which are grouped by caseworker too
    named = [case for line in pack["summary"] for case in re.findall(r"^Sag (S-\d+):", line)]
    assert len(named) == len(set(named)) and set(named) <= own_cases  # each case once, and only the team's
    for group in groups:  # within a caseworker, a step past its deadline before any that is not
        cases = [line for line in group["lines"] if line.startswith("Sag ")]
        late = [i for i, line in enumerate(cases) if "fristen var" in line.split(";")[0]]
        assert late == list(range(len(late))), group
    assert any("aldrig kontakt, åben siden" in line for line in pack["summary"])
    assert any(re.match(r"Har \d+ aktive sager", line) for line in pack["summary"])
    assert not any(re.search(r"\bi dag\b|\bom \d+ dage?\b|dage over fristen", line) for line in pack["summary"])
    listed = {t["id"]: t for s in pack["sections"] for t in s["tables"]}
    rows = listed["overdue_steps"]["rows"]
    # (a step due by age has no days: its day is a birthday, test_birth_dates)
    dated = [(r["caseworker_id"], -r["days"]) for r in rows if r["days"] is not None]
    assert dated == sorted(dated)


def test_a_case_naming_no_caseworker_is_counted_under_the_cases_without_one_and_listed_under_no_caseworker():
    """The count of cases naming no caseworker stands in "Sager uden rådgiver", not "Hele teamet" (one place); the
    list names their group "Uden rådgiver", not "Rådgiver: –" (there never was one)."""
    tables = small_tables()
    tables["cases"] = tables["cases"].with_columns(
        pl.when(pl.col("caseworker_id") == "M3").then(None).otherwise(pl.col("caseworker_id")).alias("caseworker_id"))
    orphans, rendered = actions(CaseloadSection(), frames_to_extract(tables), "Unge")
    text = " ".join(rendered.text.split())
    assert "Uden rådgiver" in text and "Rådgiver: –" not in text
    # the JSON tells the cases nobody holds from the team's own tasks ("Hele teamet": caseworker null too) by "kind"
    assert rendered.json["actions"] == [{"caseworker": None, "kind": "no_caseworker", "title": "Sager uden rådgiver",
                                         "lines": [
        "1 aktiv sag har ingen ansat rådgiver: sagen skal fordeles."]}]
    assert [(a.caseworker, a.unassigned) for a in orphans] == [(None, True)]


@pytest.mark.parametrize(("code", "wanted"), [("da", "Vurdering af underretning (sagen lukket 15.01.2024)"),
                                              ("en", "Assessment of notification (case closed 15/01/2024)")])
def test_a_step_on_a_closed_case_is_marked_in_its_list_as_til_handling_says_it(code, wanted):
    """A deadline step on a case closed since looked like any other row of the list, though "Til handling" says the
    case is closed: its step cell says so too, in the pack's language; the other rows are not marked."""
    tables = small_tables_with_steps()
    tables["cases"] = tables["cases"].with_columns(
        pl.when(pl.col("case_id") == "S1").then(pl.lit(dt.date(2024, 1, 15))).otherwise(pl.col("closed_on"))
        .alias("closed_on"))
    rendered = render_section(ComplianceSection(), frames_to_extract(tables), SMALL_PERIOD, audience="team_leader",
                              team="Børn", language=code)
    text = " ".join(rendered.text.split())
    assert wanted in text
    assert text.count("(sagen lukket" if code == "da" else "(case closed") == 1
