"""The efterværn plugin's 12-month windows in the committee's pack (a municipality may put any section there): one
number, one answer in every pack that shows it (docs/disclosure.md, "Windows of 12 months").

Found by the kit's attacker over 2024-01..2026-10 (scale 0.3, seed 1; 79 packs, about 240 s CPU): the decisions by
17½ in the 12 months up to March 2024, 2 of 7, hidden in the March pack, were printed in the first quarter of
2025's pack as its year-earlier figure — the window undeclared, keyed by March in one pack and by the quarter in the
other. Two packs of one municipality show it, read here from their JSON (the attacker needs the whole series to
adopt the relations it recovers the number by)."""

from __future__ import annotations

import pytest

from ledinfo.api.attack.run import demo_extract, registry_for, series_of
from ledinfo.model.period import Period

eftervaern = pytest.importorskip("ledinfo_eftervaern")

WINDOWS = ("youth_plan_16", "youth_decision_by_17_5", "support_after_18")


def _shown(figure: dict):
    return None if figure.get("suppressed") else (figure.get("numerator"), figure.get("denominator"))


@pytest.mark.slow  # two committee packs of a generated municipality, built with every built-in section
def test_a_window_has_one_answer_in_every_pack_that_shows_it():
    registry = registry_for(eftervaern)
    built_in = tuple(section.name for section in registry_for().sections())
    # the data of the attacked series (up to 2026-10): the numbers of 2024 depend on nothing later, but the
    # generated municipality does
    extract = demo_extract(registry, 0.3, 1, Period.parse("2026-10"))
    answers: dict[tuple[str, str], dict[str, object]] = {}
    for pack in series_of(registry, extract, [Period.parse("2024-03"), Period.parse("2025-Q1")],
                          sections=("eftervaern", *built_in)):
        section = next(s for s in pack.data["sections"] if s["id"] == "eftervaern")
        for indicator in WINDOWS:
            figure = section["indicators"][indicator]
            shown = [(pack.period, figure)] + [(f["period"], f) for f in figure.get("compared", {}).values()]
            for period, one in shown:
                # a window is its last month's, whichever period names it (March 2024 = the first quarter of 2024)
                end = str(Period.parse(period).last_month)
                answers.setdefault((indicator, end), {})[pack.period] = _shown(one)
    seen_twice = {window: by_pack for window, by_pack in answers.items() if len(by_pack) > 1}
    assert ("youth_decision_by_17_5", "2024-03") in seen_twice
    differ = {window: by_pack for window, by_pack in seen_twice.items() if len(set(by_pack.values())) > 1}
    assert not differ, differ
