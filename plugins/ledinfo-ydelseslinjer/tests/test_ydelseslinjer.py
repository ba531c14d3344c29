"""The service-line source on a case system's export (Danish Excel's CSV dialect)."""

import ledinfo_ydelseslinjer
import pytest

from ledinfo.api.testing import SMALL_PERIOD, ExtractError, context_for, load_test_plugins, read_source, write_small_extract

HEADER = ("Ydelses-id;Sagsnr;Ydelse;Lovgrundlag;Funktion;Bevilget;Startdato;Slutdato;Handleplan;Takst;Takstenhed;"
          "Timer pr. uge;Leverandør;Tvang")
LINES = [
    "Y1;S1;Familiebehandling;BL § 32, stk. 1, nr. 3;5.28.21;01-01-2024;05-01-2024;;;650,00;time;4,5;Familiecentret;Nej",
    "Y2;S2;Plejefamilie;BL § 46;5.28.22;01-02-2023;03-02-2023;;01-02-2023;1.250,00;døgn;;Kommunal plejefamilie;Nej",
    "Y3;S6;Netværksplejefamilie;BL § 46;5.28.22;10-06-2023;12-06-2023;;10-06-2023;14.000,00;måned;;Moster;Nej",
    "Y4;S7;Døgninstitution;BL § 47;5.28.23;01-09-2023;01-09-2023;31-12-2023;01-09-2023;3.800,00;døgn;;Bøgely;Ja",
    "Y5;S4;Eget værelse;BL § 46;5.28.20;15-01-2024;15-01-2024;;15-01-2024;6.000,00;uge;;Kollegiet;Nej",
]


@pytest.fixture
def folder(tmp_path):
    write_small_extract(tmp_path)
    (tmp_path / "ydelseslinjer.csv").write_bytes(("\ufeff" + "\n".join([HEADER, *LINES]) + "\n").encode("utf-8"))
    return tmp_path


def load(folder):
    return read_source(ledinfo_ydelseslinjer, {"type": "ydelseslinjer", "path": str(folder)}, folder)


def test_service_lines_become_measures(folder):
    measures = load(folder)["measures"].sort("measure_id")
    assert measures["category"].to_list() == ["forebyggende", "anbringelse_plejefamilie", "anbringelse_netvaerk",
                                              "anbringelse_doegninstitution", "anbringelse_eget_vaerelse"]
    costs = dict(zip(measures["measure_id"], measures["monthly_cost"]))
    assert costs["Y1"] == pytest.approx(650 * 4.5 * 4.348)  # 650 kr. an hour, 4,5 hours a week
    assert costs["Y2"] == pytest.approx(1250 * 30.4375)  # a rate per day
    assert costs["Y3"] == 14000 and costs["Y5"] == pytest.approx(6000 * 4.348)
    assert dict(zip(measures["measure_id"], measures["consent"])) == {"Y1": True, "Y2": True, "Y3": True,
                                                                     "Y4": False, "Y5": True}
    assert measures["legal_basis"][0] == "BL § 32, stk. 1, nr. 3"


def test_the_measures_feed_the_sections(folder):
    measures_mix = load_test_plugins().registry.section("measures_mix")  # a built-in section reads them
    result = measures_mix.compute(context_for(load(folder), SMALL_PERIOD))
    # active at 31 March 2024: Y2, Y3, Y5 are placements (Y4 ended 31 Dec), two in families
    share = result.figure("family_care_share")
    assert (share.numerator, share.denominator) == (2, 3)


def test_an_unknown_function_is_refused_with_its_row(folder):
    text = (folder / "ydelseslinjer.csv").read_text(encoding="utf-8-sig").replace(";5.28.23;", ";5.28.99;")
    (folder / "ydelseslinjer.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ExtractError) as caught:
        load(folder)
    problem = caught.value.problems[0]
    assert (problem.column, problem.row) == ("category", 5)
    assert problem.origin.endswith("ydelseslinjer.csv") and "'5.28.99'" in problem.message
