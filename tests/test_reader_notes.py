"""Smaller findings of a fresh reader of the demo's packs: a month beside quarters says its year, full-year persons say
they count measures, and the budget's lines lead with the year's forecast and a driver that goes its way."""

from __future__ import annotations

import json
import re

from pdfcheck import poppler_text


def _pack(folder, name: str) -> dict:
    return json.loads((folder / f"{name}.json").read_text())


def test_the_committees_goals_table_names_a_month_with_its_year_beside_the_quarters(demo_packs):
    """ "okt 26" beside "K3 2026" could read as 26 October."""
    goals = next(s for s in _pack(demo_packs, "udvalg")["sections"] if s["id"] == "goals")
    periods = {row["period"] for row in goals["tables"][0]["rows"]}
    assert "2026-10" in periods and "2026-Q3" in periods  # both kinds in one table: the case the reader met
    text = poppler_text(demo_packs / "udvalg.pdf").replace("\u00a0", " ")
    table = text[text.index("Årsmål 2026"):]
    table = table[:table.index("√ grøn")]
    assert "okt. 2026" in table and "K3 2026" in table
    assert not re.search(r"\bokt 26\b", table), table


def test_full_year_persons_say_they_count_measures_not_children_in_the_committees_pack(demo_packs):
    """522,4 full-year persons of preventive measures beside 455 children with one: the note says why they differ."""
    pack = _pack(demo_packs, "udvalg")
    notes = [n for s in pack["sections"] for n in s["notes"] if n.startswith("Helårspersoner")]
    assert notes and "tæller foranstaltninger, ikke børn" in notes[0], notes
    assert "flere helårspersoner end børn" in notes[0]


def test_the_budgets_summary_leads_with_the_years_forecast_and_a_driver_the_same_way(demo_packs):
    for name in ("udvalg", "direktion"):
        summary = _pack(demo_packs, name)["summary"]
        forecast = next(i for i, line in enumerate(summary) if line.startswith("Året forventes"))
        spent = next(i for i, line in enumerate(summary) if "af budgettet år til dato er brugt" in line)
        assert forecast + 1 == spent, summary
        over = "merforbrug" in summary[forecast]
        drivers = [line for line in summary if re.match(r"(Mer|Mindre)forbruget på ", line)]
        assert drivers and all(line.startswith("Merforbruget" if over else "Mindreforbruget") for line in drivers), \
            summary
