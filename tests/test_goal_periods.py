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
