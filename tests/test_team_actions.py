"""The team leader's pack (issue 14): "Til handling" holds only things to do, most urgent first, each with the
case and its caseworker (former ones marked); lists grouped by caseworker; days open for cases never contacted;
case weight; supervision themes per team.

Figures on the small extract are worked out by hand in ledinfo.api.small_extract.
"""

from __future__ import annotations

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


def test_steps_are_listed_past_deadline_first_then_within_7_days_then_the_rest_with_case_and_caseworker():
    extract = frames_to_extract(small_tables_with_steps())
    found, rendered = actions(ComplianceSection(), extract, "Børn")
    assert [(a.text, a.urgency) for a in found] == [
        ("Sag S1, M1: vurdering af underretningen – 302 dage over fristen.", PAST_DEADLINE),
        ("Sag S2, M1: afslutning af den børnefaglige undersøgelse – frist 3. april 2024, om 3 dage.", DUE_SOON),
        ("Sag S4, M2: afslutning af den børnefaglige undersøgelse – frist 20. april 2024, om 20 dage.", LATER)]
    assert rendered.json["summary"][:3] == [a.text for a in found]
    # the former caseworker is marked; the other team's case is not in Børn's pack
    former, _ = actions(ComplianceSection(), extract, "Unge")
    assert [a.text for a in former] == [
        "Sag S6, M3 (fratrådt): afslutning af den børnefaglige undersøgelse – 45 dage over fristen."]
    assert "S6" not in rendered.text and "M3" not in rendered.text


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


def test_cases_never_contacted_show_days_open_and_are_grouped_by_caseworker():
    extract = frames_to_extract(small_tables())
    found, rendered = actions(SixWeekFollowupSection(), extract, "Børn")
    assert [(a.text, a.urgency) for a in found] == [
        ("Sag S10, M1: aldrig kontakt, åben i 59 dage.", LATER),
        ("Sag S2, M1: ingen kontakt i 42 dage (senest 18. februar 2024).", LATER)]
    unge, rendered = actions(SixWeekFollowupSection(), extract, "Unge")
    # S9 was opened on the last day: listed (it counts in the share) but not late yet
    assert [a.text for a in unge] == ["Sag S7, M4: aldrig kontakt, åben i 212 dage."]
    table = next(t for s in rendered.json["sections"] for t in s["tables"] if t["id"] == "no_followup")
    assert [(r["caseworker_id"], r["case_id"], r["last_contact"]) for r in table["rows"]] == [
        ("M4", "S7", "never contacted, open for 212 days"), ("M4", "S9", "never contacted, open for 0 days")]
    assert "aldrig kontakt, åben i 212 dage" in rendered.text


def test_caseload_is_weighted_when_the_extract_has_case_weight():
    extract = frames_to_extract(small_tables_with_steps(weights=True))
    director = render_section(CaseloadSection(), extract, audience="director")
    caseload = director.json["sections"][0]["indicators"]["caseload"]
    assert caseload["weighted_cases"] == 12 and caseload["weighted_caseload"] == pytest.approx(4.8)
    assert caseload["by_team"]["Børn"]["weighted_caseload"] == pytest.approx(6.0)
    assert caseload["by_team"]["Unge"]["weighted_caseload"] == pytest.approx(3.0)
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
    assert [a.text for a in found] == [
        "M1 har 43 aktive sager, 43,0 pr. årsværk; den faglige anbefaling er 20–30: fordel sager."]
    orphans, _ = actions(CaseloadSection(), frames_to_extract(small_tables()), "Unge")
    assert [a.text for a in orphans] == ["Sag S6, M3 (fratrådt): ingen ansat rådgiver; sagen skal fordeles."]


def _with_placement(tables):
    d = tables["cases"]["opened_on"][0]
    tables["measures"] = pl.DataFrame({
        "measure_id": ["F1"], "case_id": ["S1"], "category": ["anbringelse_plejefamilie"], "decided_on": [d],
        "started_on": [d], "ended_on": [None], "plan_on": [d]}, schema_overrides={"ended_on": pl.Date})
    return tables


def test_supervision_themes_per_team_and_a_placement_theme_skipped_for_a_team_without_placements():
    extract = frames_to_extract(_with_placement(small_tables()))
    wheel = ["Handleplaner med underskrift", "Egenbetalinger", "Beregninger", "Støtteperson ved anbringelser"]
    # the small extract's one review is on a case the team leader chose: the sample is shown when configured
    plugins = {"supervision": {"themes": wheel, "use_sample": True}}  # April takes the 4th: the placement theme
    boern, _ = actions(SupervisionSection(), extract, "Børn", plugins=plugins)
    assert [a.text for a in boern] == ["Næste måneds ledelsestilsyn: 2 sager, tema »Støtteperson ved anbringelser«."]
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
def test_the_messy_samples_team_pack_acts_on_the_teams_own_rows_most_urgent_first(messy_packs):
    out, result = messy_packs("2024-06")
    assert result.returncode == 0, result.stderr
    pack = json.loads((out / "team-boern-syd.json").read_text(encoding="utf-8"))
    cases = pl.read_csv(MESSY / "cases.csv", infer_schema=False)
    own_cases = set(cases.filter(pl.col("team") == "Børn Syd")["case_id"])
    actions_part = [line for line in pack["summary"] if not re.search(r"(steg|faldt) fra|store ændringer", line)]
    assert actions_part == pack["summary"][:len(actions_part)]  # the to-do list comes first
    assert not any(re.search(r"(^|\D)0 (frister|sager)", line) for line in actions_part)
    overdue = [line for line in actions_part if "over fristen" in line]
    days = [int(re.search(r"– (\d+) dage? over fristen", line)[1]) for line in overdue]
    assert overdue == actions_part[:len(overdue)] and days == sorted(days, reverse=True) and days[0] > 300
    listed = {t["id"]: t for s in pack["sections"] for t in s["tables"]}
    assert days[0] == max(r["days"] for r in listed["overdue_steps"]["rows"])
    assert any("(fratrådt)" in line for line in actions_part)
    assert any("aldrig kontakt, åben i" in line for line in actions_part)
    assert any(re.match(r"R\d+ har \d+ aktive sager", line) for line in actions_part)
    for line in actions_part:  # every case named is the team's own
        assert set(re.findall(r"S-\d+", line)) <= own_cases, line
    rows = listed["overdue_steps"]["rows"]
    assert [(r["caseworker_id"], -r["days"]) for r in rows] == sorted((r["caseworker_id"], -r["days"]) for r in rows)
