"""A team's rows (domain.md): one definition for the audience filter and the final guard."""

from __future__ import annotations

import json

import polars as pl
import pytest

from builders import D, activity, case, extract, staff
from conftest import run_sample
from ledinfo.disclosure.disclose import disclose
from ledinfo.disclosure.guard import GuardError, GuardIds, check, json_strings
from ledinfo.disclosure.team_rows import FORMER, NOT_YET, OTHER_TEAM, team_rows
from ledinfo.interfaces.section import View
from ledinfo.language import Language
from ledinfo.model.results import CASE, Column, SectionResult, Table

AS_OF = D(2024, 3, 31)


def moved_world():
    """Team Børn's case S-1001 came from intake: caseworker R009 (now in Unge) did the intake, and its current
    caseworker R003 left in February. S-1002 is Unge's; R005 starts in May and is already on Børn's case S-1003."""
    return extract(
        cases=[case("S-1001", team="Børn", caseworker="R003"), case("S-1002", team="Unge", caseworker="R009"),
               case("S-1003", team="Børn", caseworker="R005")],
        staff=[staff("R001", team="Børn"), staff("R003", team="Børn", end=D(2024, 2, 15)),
               staff("R009", team="Modtagelse", end=D(2023, 12, 31)), staff("R009", team="Unge", start=D(2024, 1, 1)),
               staff("R005", team="Børn", start=D(2024, 5, 1))],
        activities=[dict(activity("S-1001", D(2023, 6, 1), kind="sagsbehandlerskift"), staff_id="R009"),
                    dict(activity("S-1002", D(2024, 3, 1)), staff_id="R009")],
    )


def test_a_teams_rows_hold_its_cases_and_everyone_recorded_on_them():
    rows = team_rows(moved_world(), AS_OF)
    boern = rows.of("Børn")
    assert boern.case_ids == {"S-1001", "S-1003"}
    assert boern.staff_ids == {"R001", "R003", "R005", "R009"}
    assert boern.marks == {"R003": FORMER, "R009": OTHER_TEAM, "R005": NOT_YET}
    assert not boern.may_see("S-1002")  # another team's case
    assert rows.of("Unge").staff_ids == {"R009"} and rows.of("Unge").case_ids == {"S-1002"}
    assert rows.of("Modtagelse").case_ids == frozenset() and rows.of("Modtagelse").staff_ids == {"R009"}


def test_the_filter_marks_ids_and_hides_another_teams_case():
    world = moved_world()
    rows = team_rows(world, AS_OF)
    frame = pl.DataFrame({"team": ["Børn", "Børn", "Børn"], "case_id": ["S-1001", "S-1003", "S-1002"],
                          "caseworker_id": ["R003", "R005", "R009"]})
    table = Table("steps", "Steps", frame, (Column("team", "Team"), Column("case_id", "Case", "id"),
                                             Column("caseworker_id", "Caseworker", "id")), level=CASE)
    view = View("team_leader", Language("da"), "Børn", rows=rows.of("Børn"))
    shown = disclose(SectionResult("s", "S", tables=[table]), view).tables[0].frame
    assert shown["case_id"].to_list() == ["S-1001", "S-1003", "(andet team)"]
    assert shown["caseworker_id"].to_list() == ["R003 (fratrådt)", "R005 (ikke ansat endnu)", "R009 (andet team)"]
    # what the filter let through, the guard lets through; what it hid, the guard would refuse
    guard = GuardIds(rows)
    text = json_strings(json.dumps({"rows": shown.to_dicts()}).encode())
    check({"JSON": text}, guard, "team_leader", "Børn", "team-boern")
    with pytest.raises(GuardError, match=r"S-1002"):
        check({"JSON": text + "\nS-1002"}, guard, "team_leader", "Børn", "team-boern")
    with pytest.raises(GuardError, match=r"R003"):  # a director sees no staff id at all
        check({"JSON": text}, guard, "director", None, "direktion")


@pytest.mark.parametrize("text", ["Sagen S-1002.", "S-1002/", "sag S-1002- og", "(S-1002).", "S-1002:"])
def test_the_guard_finds_an_id_with_the_punctuation_after_it(text):
    guard = GuardIds(team_rows(moved_world(), AS_OF))
    with pytest.raises(GuardError, match=r"S-1002"):  # another team's case, at the end of a sentence or in a list
        check({"PDF": f"Til handling\n{text}\n"}, guard, "team_leader", "Børn", "team-boern")


# March and June are built for other files' tests anyway (conftest.messy_packs: once a run), so they are read every
# run; one of the other four months is built, sampled by the run's seed (conftest.run_sample: another each day, so
# four days' runs build them all; LEDINFO_TEST_SEED=all builds all six). Each of those four was built for this test
# alone, a whole build of seven packs (about 6.5 s of CPU each, 2026-12-07), and runs the code March does; the
# figures of every month of 2024 are still compared each run, without the PDFs (test_indicator_batches).
MONTHS = ("2024-03", "2024-06", *run_sample(("2024-01", "2024-02", "2024-04", "2024-05"), 1))


@pytest.mark.parametrize("month", MONTHS)
def test_every_pack_of_the_messy_sample_builds_for_every_month_of_2024(month, messy_packs):
    out, result = messy_packs(month)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    packs = {p["pack"]: p["status"] for p in manifest["packs"]}
    assert len(packs) == 7 and set(packs.values()) == {"ok"}, packs
    # a moved case's former caseworker is shown, marked, in its team's pack
    team_texts = " ".join((out / f"{p}.json").read_text(encoding="utf-8") for p in packs if p.startswith("team-"))
    assert "(fratrådt)" in team_texts


def test_a_free_text_theme_is_printed_only_when_the_annual_wheel_knows_it():
    from ledinfo.domain.indicators.supervision import OTHER_THEME, supervision_findings
    from ledinfo.model.period import Period

    world = extract(cases=[case("S-1001", team="Børn")], staff=[staff("R001", team="Børn")],
                    activities=[dict(activity("S-1001", D(2024, 3, 5), kind="ledelsestilsyn", theme=theme), result="ok")
                                for theme in ("  beregninger ", "Sag om Jens Hansen", None)])
    findings = supervision_findings(world["activities"], world["cases"], Period(2024, 3))
    assert findings["theme"].to_list() == ["Beregninger", OTHER_THEME, OTHER_THEME]
