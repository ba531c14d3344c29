"""The directors' pack judges the goals by its month, the committee's briefing the deadlines' goals by the last whole
quarter (``model/pack_periods.py``): where the two differ, the directors' goals say so, with the quarter's figures
the committee reads, so a director and a committee member comparing notes find both."""

from __future__ import annotations

import json

LEVELS = {"green": "nået", "yellow": "tæt på", "red": "ikke nået"}


def _goals(path) -> dict:
    return next(s for s in json.loads(path.read_text())["sections"] if s["id"] == "goals")


def test_the_directors_goals_name_the_quarter_and_figures_the_committee_judges_them_by(demo_packs):
    committee = _goals(demo_packs / "udvalg.json")
    directors = _goals(demo_packs / "direktion.json")
    pack = json.loads((demo_packs / "direktion.json").read_text())
    by_quarter = [row for row in committee["tables"][0]["rows"] if row["period"] != pack["period"]]
    assert by_quarter, "the demo's committee shows some goals by whole quarter"
    sentence = next((t for t in directors["texts"] if t.startswith("Udvalgets orientering")), None)
    assert sentence is not None, directors["texts"]
    assert "3. kvartal 2026" in sentence  # the last whole quarter of October 2026
    for row in by_quarter:
        label = committee["indicators"][row["indicator"]]["label"]
        percent = f"{round(row['value'] * 100)} %"  # none of these is a half: the print rounds the same
        assert f"{label} {percent} ({LEVELS[row['status']]})" in sentence, (label, percent, sentence)
        # the quarter's figure is in the directors' data, with the committee's verdict
        quarter = [f for f in directors["indicators"][row["indicator"]]["trend"] if f["period"] == row["period"]]
        assert [f["verdict"]["level"] for f in quarter] == [row["status"]]
    # the goals by month are not in it, and the count of goals is still the table's
    for row in committee["tables"][0]["rows"]:
        if row["period"] == pack["period"]:
            assert committee["indicators"][row["indicator"]]["label"] + " " not in sentence
    rows = len(directors["tables"][0]["rows"])
    assert directors["texts"][0].startswith(f"Af {rows} mål"), directors["texts"][0]


def test_the_committee_pack_has_no_such_sentence(demo_packs):
    assert not any("Udvalgets orientering" in t for t in _goals(demo_packs / "udvalg.json")["texts"])


def test_the_committee_pack_says_in_words_which_goals_it_judges_by_the_quarter(demo_packs):
    """One goal, two verdicts in one month's packs: the committee's "tæt på" (85 % in the third quarter), the
    directors' "nået" (92 % in October). The directors' pack said why; the committee's only in a table's column
    (a fresh reader). Its goals' page and its summary now name the quarter, the goals judged by it, and the month
    the others are judged by."""
    committee = json.loads((demo_packs / "udvalg.json").read_text())
    goals = _goals(demo_packs / "udvalg.json")
    by_quarter = [goals["indicators"][row["indicator"]]["label"] for row in goals["tables"][0]["rows"]
                  if row["period"] != committee["period"]]
    sentence = "Efter sidste hele kvartal, 3. kvartal 2026, som orienteringen viser fristerne, vurderes: " \
               f"{'; '.join(by_quarter)}. De øvrige mål vurderes efter oktober 2026."
    assert sentence in goals["texts"] and sentence in committee["summary"]


def test_a_deadline_share_names_its_period_wherever_the_directors_read_it(demo_packs):
    """The committee reads the deadlines by the last whole quarter ("Løbende opfølgning, 3. kvartal 2026: 79 %"),
    the directors by the month ("Løbende opfølgning: 78 %", no period named: a fresh reader's finding). Every line,
    sentence, tile and title of the directors' pack that shows such a share now names its month."""
    import re

    committee = json.loads((demo_packs / "udvalg.json").read_text())
    directors = json.loads((demo_packs / "direktion.json").read_text())
    rules = next(s for s in committee["sections"] if s["id"] == "compliance")["indicators"]
    titles = {rule: figure["label"] for rule, figure in rules.items() if figure["unit"] == "share"}  # the rules'
    assert len(titles) >= 8, titles
    assert any(line.startswith("Løbende opfølgning, 3. kvartal 2026:") for line in committee["summary"])
    compliance = next(s for s in directors["sections"] if s["id"] == "compliance")
    lines = directors["summary"] + compliance["texts"]
    named = 0
    for title in titles.values():
        for line in lines:
            for found in re.finditer(re.escape(title), line, re.IGNORECASE):
                assert line[found.end():].startswith(" (oktober 2026)"), (title, line)
                named += 1
    assert named >= 3, lines  # the summary's risks and gaps, the highest and lowest share
    for rule, title in titles.items():  # the tiles and the JSON say it too; a local standard's label in one pair of
        # brackets: "… (lokal standard, oktober 2026)", not "(lokal standard) (oktober 2026)" (a fresh reader)
        assert compliance["indicators"][rule]["label"] == (f"{title[:-1]}, oktober 2026)" if title.endswith(")")
                                                           else f"{title} (oktober 2026)")
    assert any(title.endswith("(lokal standard)") for title in titles.values())
    assert not any(") (" in line for line in lines)
    assert [c["title"] for c in compliance["charts"]][0] == "Andel overholdte frister i oktober 2026"
    overview = next(s for s in directors["sections"] if s["id"] == "team_overview")
    assert overview["tables"][0]["title"] == "Nøgletal pr. team, oktober 2026"
