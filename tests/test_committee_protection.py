"""The kit's attacker over every built-in section and both external plugins (issue 23): the committee packs of
small generated municipalities, with every section in them and the measures read through the service-line
source, attacked alone and as a series.

The periods are sampled by a fixed seed (``SAMPLE``), so each test gives the same answer every run; the report
prints the seed, and ``check_committee_protection(seed=None)`` samples anew for exploring by hand: 2 packs of one
municipality here, and 6 packs of each of 4 (scale 0.1 and 0.4, two seeds) in test_committee_longer_series.py,
a file of its own so that a worker process takes it while the other takes this one. All in the slow tier.
"""

from __future__ import annotations

import polars as pl
import pytest

from ledinfo.api.attack.run import registry_for
from ledinfo.api.testing import check_committee_protection

eftervaern = pytest.importorskip("ledinfo_eftervaern")
ydelseslinjer = pytest.importorskip("ledinfo_ydelseslinjer")

BUILT_IN = tuple(section.name for section in registry_for().sections())
# The periods are sampled by a fixed seed, so each test gives the same answer every run (LEDINFO_ATTACK_SEED is
# for exploring other samples by hand: check_committee_protection(seed=None)).
SAMPLE = 902715
# The service lines of the measures: account function and service name (what the source maps to a category).
SERVICES = {"forebyggende": ("5.28.21", "Familiebehandling"), "anbringelse_netvaerk": ("5.28.22", "Netværksplejefamilie"),
            "anbringelse_plejefamilie": ("5.28.22", "Plejefamilie"), "anbringelse_opholdssted": ("5.28.20", "Opholdssted"),
            "anbringelse_eget_vaerelse": ("5.28.20", "Eget værelse"),
            "anbringelse_doegninstitution": ("5.28.23", "Døgninstitution")}


def service_lines(tables: dict[str, pl.DataFrame], folder) -> dict:
    """The generated tables as a folder whose measures are a case system's service lines (ydelseslinjer.csv)."""
    from ledinfo.demo import write_tables

    measures = tables["measures"]
    write_tables({name: frame for name, frame in tables.items() if name != "measures"}, folder)
    function = measures["category"].replace_strict({k: v[0] for k, v in SERVICES.items()})
    service = measures["category"].replace_strict({k: v[1] for k, v in SERVICES.items()})
    lines = pl.DataFrame({
        "Ydelses-id": measures["measure_id"], "Sagsnr": measures["case_id"], "Ydelse": service,
        "Lovgrundlag": pl.Series([None] * measures.height, dtype=pl.String), "Funktion": function,
        "Bevilget": measures["decided_on"], "Startdato": measures["started_on"], "Slutdato": measures["ended_on"],
        "Handleplan": measures["plan_on"], "Takst": measures["monthly_cost"], "Takstenhed": "måned",
        "Leverandør": measures["provider"],
        "Tvang": measures["consent"].replace_strict({True: "Nej", False: "Ja"}, default=None, return_dtype=pl.String)})
    lines.write_csv(folder / "ydelseslinjer.csv")
    return {"type": "ydelseslinjer", "path": str(folder)}


def test_the_service_lines_give_the_generated_measures_back(tmp_path):
    from ledinfo.api.attack.run import demo_extract
    from ledinfo.model.period import Period

    registry = registry_for(ydelseslinjer)
    direct = demo_extract(registry, 0.1, 1, Period(2024, 6))
    through = demo_extract(registry, 0.1, 1, Period(2024, 6), service_lines)
    columns = ["measure_id", "case_id", "category", "started_on", "ended_on", "plan_on", "monthly_cost"]
    assert through["measures"].select(columns).sort("measure_id").equals(direct["measures"].select(columns)
                                                                         .sort("measure_id"))


@pytest.mark.slow  # the committee packs of every period of a half-year, computed and attacked
def test_the_external_section_alone_gives_nothing_away():
    """Efterværn's shares in a committee pack of their own, every period of the half-year: nothing comes back."""
    report = check_committee_protection(eftervaern, builtins=False, packs="all")
    assert report.counts("series")["hidden"] > 0  # there was something to attack


@pytest.mark.slow  # every section's committee pack for 2 periods, computed and attacked as a series
def test_no_hidden_number_comes_back_from_any_section():
    """Every section in the committee pack, the measures read through the service lines: 2 periods sampled."""
    check_committee_protection(eftervaern, ydelseslinjer, sections=BUILT_IN, data=service_lines, seed=SAMPLE)


@pytest.mark.slow  # three committee packs computed and attacked as a series
def test_a_goal_on_a_deadline_rule_gives_nothing_away():
    """The demo's goals, four on deadline rules the committee sees by whole quarter only: a month's and a year to
    date's pack show those goals by their last whole quarter (the quarter's own pack by itself), against the quarter
    before, and no rule's month. Attacked as a series, nothing hidden comes back."""
    from ledinfo.demo import DEMO_GOALS

    report = check_committee_protection(settings={"goals": {"goal": DEMO_GOALS}}, sections=("goals", "compliance"),
                                        periods="2024-04,2024-Q1,2024-05-ytd", packs="all", seed=SAMPLE)
    assert report.counts("series")["hidden"] > 0  # there was something to attack
