"""CPR numbers in every form real exports write them: detected, refused at load with their
location, never echoed, and refused by the final guard in PDF and JSON text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest

from conftest import run_cli
from ledinfo.api.small_extract import write_small_extract
from ledinfo.extract import ExtractError
from ledinfo.extract.folder import read_folder
from ledinfo.extract.validate import validate_extract
from ledinfo.privacy.cpr import REDACTED, contains_cpr, cpr_mask, normalise, redact
from ledinfo.privacy.guard import GuardError, GuardIds, check, json_strings, pdf_text

# (form, as written, its digits). Each a different number, so a leak names its form.
FORMS = [
    ("hyphen", "250463-7933", "2504637933"),
    ("ten digits", "1103731234", "1103731234"),
    ("space", "120588 4421", "1205884421"),
    ("dots", "13.03.73-7903", "1303737903"),
    ("en dash", "010203\u20131234", "0102031234"),
    ("minus sign", "311299\u22124321", "3112994321"),
    ("slash", "151080/1122", "1510801122"),
    ("no-break space", "070707\u00a05678", "0707075678"),
    ("spaced hyphen", "281190 - 3344", "2811903344"),
    ("full-width", "\uff12\uff10\uff10\uff14\uff18\uff15\uff0d\uff16\uff16\uff17\uff18", "2004856678"),
    ("nine digits", "504637933", "504637933"),
    ("nine digits, hyphen", "90801-2345", "908012345"),
]

# More ways of writing one, for the detector alone.
MORE_FORMS = [
    "13.03.73 7903",  # dots and a space
    "13.03.73\u20137903",  # dots and an en dash
    "250463\u20147933",  # em dash
    "250463\u202f7933",  # narrow no-break space
    "250463\u20097933",  # thin space
    "250463\u00ad7933",  # soft hyphen (invisible)
    "2504\u200b637933",  # zero-width space inside
    "250463 \u2013 7933",  # spaced en dash
    "250463\uff0f7933",  # full-width slash
    "\uff12\uff15\uff10\uff14\uff16\uff13\u3000\uff17\uff19\uff13\uff13",  # full-width with ideographic space
    "50463 7933",  # nine digits, space
    "290200-1234",  # 29 February 2000
    "Barnet (cpr 250463-7933) bor hos mor.",
    "cpr:2504637933",
    "S-250463-7933",
    "note: 250463-7933, ring i morgen",
    "CPR-nr. 250463\u00a0-\u00a07933\nmor",
]

# Text a pack, an extract or a JSON file holds every day, which must not count.
NEGATIVES = [
    "1.234.567", "1.234.567.890", "141,3 mio. kr.", "12,5 %", "99,9 %", "31.03.2024", "01.01.2024-31.03.2024",
    "2024-03-31", "2024-03-31T10:00:00+01:00", "2024-03-31 23:59:59.123456", "31-03-2024", "Side 3 af 7",
    "§ 155 stk. 2", "§ 50 stk. 1 nr. 3", "BL §32 stk 1 nr 3", "5.28.21", "5.28.22 Plejefamilier", "S-5000", "U00001",
    "BFU0001", "R016", "M1", "B10", "2024-03", "202403", "20240331", "12345678", "12345678901",
    "1234567890123", "+45 12 34 56 78", "8000 Aarhus C", "CVR 12345678", "0.3333333333",
    "320190-1234",  # no 32nd day
    "011390-1234",  # no 13th month
    "290201-1234",  # 2001 was no leap year
    "000190-1234",  # no day 0
    "05463-7933",  # nine digits never start with 0 (that zero is the one lost)
    "1.1303737903", "0,1303737903", "112711377,6", "3012345678.5",
    "Sager 1.234 af 10.000 (12,3 %)", "uge 12 2024", "10:00-12:00",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  # a SHA-256 digest
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",  # a SHA-1 digest
    "12010190-1234-4abc-8def-0123456789ab",  # a UUID
    "Nøgletal for Kommunen, marts 2024. Side 1 af 12. Udvalg for Børn og Unge 2024-04-05",
]


@pytest.mark.parametrize("label, text, digits", FORMS, ids=[f[0] for f in FORMS])
def test_every_form_is_a_cpr_number(label, text, digits):
    assert contains_cpr(text)
    assert contains_cpr(f"Mor oplyser {text} i telefonen")
    assert cpr_mask(pl.Series([text])).to_list() == [True]
    hidden = redact(f"Mor oplyser {text} i telefonen")
    assert REDACTED in hidden and digits not in re.sub(r"\D", "", hidden)


@pytest.mark.parametrize("text", MORE_FORMS)
def test_more_written_forms(text):
    assert contains_cpr(text)
    assert cpr_mask(pl.Series([text])).to_list() == [True]
    assert not contains_cpr(redact(text))


@pytest.mark.parametrize("text", NEGATIVES)
def test_realistic_text_is_not_a_cpr_number(text):
    assert not contains_cpr(text)
    assert redact(text) == text


def test_the_mask_agrees_with_the_detector_on_a_column():
    values = [f[1] for f in FORMS] + MORE_FORMS + NEGATIVES + [None]
    expected = [v is not None and contains_cpr(v) for v in values]
    assert cpr_mask(pl.Series("x", values)).to_list() == expected
    assert sum(expected) == len(FORMS) + len(MORE_FORMS)


def test_numbers_and_dates_are_searched_as_they_print():
    # A spreadsheet that typed a CPR cell as a number loses the leading zero.
    assert cpr_mask(pl.Series([104901234, 12, None])).to_list() == [True, False, False]
    assert cpr_mask(pl.Series([104901234.0, 0.5, 104901234.5, float("nan"), 1e30])).to_list() == [
        True, False, False, False, False]
    import datetime as dt

    assert not cpr_mask(pl.Series([dt.date(2024, 3, 31), dt.date(1973, 3, 13)])).any()
    assert not cpr_mask(pl.Series([dt.datetime(2024, 3, 31, 10, 0)])).any()


def test_normalise_folds_width_and_spaces():
    assert normalise("\uff12\uff15\u00a0x\u200b") == "25 x"
    assert normalise("plain") == "plain"


# --- end to end: planted in every kind of column, refused at load, echoed nowhere ---------------------------

def _read(path: Path, separator: str) -> pl.DataFrame:
    return pl.read_csv(path.read_text(encoding="utf-8-sig").encode(), separator=separator, infer_schema=False)


def _plant(folder: Path, values: list[str]) -> list[tuple[str, int, str]]:
    """Write ``values[i]`` into row i of an id, a team, a date, a number, a free-text and an
    extra column; return the (file, row, column) of each planted cell."""
    cases, staff, activities = _read(folder / "cases.csv", ";"), _read(folder / "staff.csv", ","), \
        _read(folder / "activities.csv", ",")
    case_rows, staff_rows, activity_rows = [2, 4, 7], [0, 1, 4], [0, 1, 2]  # S3, S5, S8 are nobody's reference
    planted = []

    def put(frame: pl.DataFrame, column: str, rows: list[int], texts: list[str]) -> pl.DataFrame:
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(column))
        cells = frame[column].to_list()
        for row, text in zip(rows, texts):
            cells[row] = text
        return frame.with_columns(pl.Series(column, cells, dtype=pl.String))

    for column in ("case_id", "team", "opened_on", "bemaerkning"):
        cases = put(cases, column, case_rows, values)
        planted += [("cases.csv", row + 2, column) for row in case_rows[:len(values)]]
    staff = put(staff, "fte", staff_rows, values)
    planted += [("staff.csv", row + 2, "fte") for row in staff_rows[:len(values)]]
    activities = put(activities, "theme", activity_rows, [f"Samtale med mor, cpr {v}." for v in values])
    planted += [("activities.csv", row + 2, "theme") for row in activity_rows[:len(values)]]
    (folder / "cases.csv").write_bytes(b"\xef\xbb\xbf" + cases.write_csv(separator=";").encode())
    staff.write_csv(folder / "staff.csv")
    activities.write_csv(folder / "activities.csv")
    return planted


def _assert_nowhere(digits_list: list[str], texts: list[str]) -> None:
    for text in texts:
        assert not contains_cpr(text), text
        only_digits = re.sub(r"\D", "", normalise(text))
        for digits in digits_list:
            assert digits not in text and digits not in only_digits


def _folder_texts(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    paths = sorted(folder.rglob("*"))
    return [str(p.relative_to(folder)) for p in paths] + [
        p.read_bytes().decode("utf-8", "replace") for p in paths if p.is_file()]


GROUPS = [FORMS[i:i + 3] for i in range(0, len(FORMS), 3)]


@pytest.mark.parametrize("group", GROUPS, ids=["+".join(f[0] for f in g) for g in GROUPS])
def test_a_cpr_number_in_any_column_is_refused_with_its_place_and_never_shown(tmp_path, group):
    folder = tmp_path / "extract"
    write_small_extract(folder)
    planted = _plant(folder, [text for _, text, _ in group])
    out, log = tmp_path / "out", tmp_path / "ledinfo.log"
    # --jobs 1 here and below: the extract is refused before any pack is built, so worker processes
    # would only be started and warmed up to be stopped again (seconds); test_validation refuses with them
    result = run_cli("-vv", "--log-file", str(log), "build", "--data", str(folder), "--period", "2024-03",
                     "--out", str(out), "--jobs", "1")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for file, row, column in planted:
        assert (f"{file}, row {row}, column {column}: holds a CPR number (value not shown); "
                "remove it from the extract") in result.stderr
    # Nothing else is said about the planted cells: no "unparseable date", no range, no dangling id.
    assert f"Problems by kind:\n  CPR number  {len(planted)}\n\n" in result.stderr
    assert not out.exists() or not any(out.iterdir())
    texts = [result.stdout, result.stderr, log.read_text(encoding="utf-8")] + _folder_texts(out)
    _assert_nowhere([digits for _, _, digits in group], texts)


def test_a_cpr_number_in_a_parquet_number_column_and_in_a_header(tmp_path):
    folder = tmp_path / "extract"
    write_small_extract(folder)
    # A spreadsheet typed the cell as a number: 010490-1234 became 104901234.
    staff = _read(folder / "staff.csv", ",").with_columns(pl.col("fte").cast(pl.Float64))
    staff = staff.with_columns(pl.when(pl.col("staff_id") == "M2").then(104901234.0).otherwise(pl.col("fte"))
                               .alias("fte"))
    staff.write_parquet(folder / "staff.parquet")
    (folder / "staff.csv").unlink()
    # A file saved without its header row: the first record, with a CPR number, became the header.
    lines = (folder / "activities.csv").read_text(encoding="utf-8").splitlines()
    (folder / "activities.csv").write_text("\n".join(["S1,2024-02-19,opfoelgning,250463-7933"] + [
        line + "," for line in lines[1:]]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--data", str(folder), "--period", "2024-03", "--out", str(out), "--jobs", "1")
    assert result.returncode == 2, result.stderr
    assert "staff.parquet, row 2, column fte: holds a CPR number" in result.stderr
    assert "activities.csv, row 1: the name of column 4 holds a CPR number" in result.stderr
    _assert_nowhere(["104901234", "2504637933"], [result.stdout, result.stderr] + _folder_texts(out))


def test_a_message_of_another_kind_shows_no_cpr_number(tmp_path):
    # Overlapping employment periods are reported at start_date and name the staff_id: when
    # that id is a CPR number, the message shows a placeholder instead.
    folder = tmp_path / "extract"
    write_small_extract(folder)
    with (folder / "staff.csv").open("a", encoding="utf-8") as file:
        file.write("250463 7933,Børn,raadgiver,1.0,2020-01-01,\n250463 7933,Børn,raadgiver,1.0,2021-01-01,\n")
    result = run_cli("build", "--data", str(folder), "--period", "2024-03", "--out", str(tmp_path / "out"),
                     "--jobs", "1")
    assert result.returncode == 2, result.stderr
    assert "staff.csv, row 7, column staff_id: holds a CPR number" in result.stderr
    assert "staff.csv, row 8, column start_date: this employment period of staff_id '[CPR-nummer]' overlaps" \
        in result.stderr
    _assert_nowhere(["2504637933"], [result.stdout, result.stderr])


def test_an_amount_with_the_digits_of_a_cpr_number_is_an_amount(tmp_path):
    # A large municipality's year-end forecast: nine digits and decimals, a valid DMMYY.
    folder = tmp_path / "extract"
    write_small_extract(folder)
    (folder / "budget.csv").write_text(
        "year;month;function_code;budget_original;budget_corrected;actual;forecast\n"
        "2024;3;5.28.20;11773878,8;11871486,8;12956360,06;112711377,6\n"
        "2024;3;5.28.21;11773878,8;11871486,8;12956360,06;104535257\n", encoding="utf-8")
    assert validate_extract(read_folder(folder))["budget"]["forecast"].to_list() == [112711377.6, 104535257.0]
    # Kept with its leading zero, or where no value of the column can be that large, it is refused.
    (folder / "budget.csv").write_text(
        "year;month;function_code;budget_original;budget_corrected;actual;forecast\n"
        "2024;3;5.28.20;11773878,8;11871486,8;12956360,06;0104901234\n"
        "2024;104901234;5.28.21;11773878,8;11871486,8;12956360,06;\n", encoding="utf-8")
    with pytest.raises(ExtractError) as caught:
        validate_extract(read_folder(folder))
    located = {(p.row, p.column) for p in caught.value.problems if p.kind == "cpr_number"}
    assert located == {(2, "forecast"), (3, "month")}
    assert caught.value.counts == {"cpr_number": 2}
    _assert_nowhere(["104901234"], [caught.value.report()])


# --- the final guard ---------------------------------------------------------------------------------------

PAGE = ("Nøgletal for Børn og Unge\nSide 2 af 7\nUnderretninger i marts 2024: 1.234 (12,5 %)\n"
        "Forbrug 141,3 mio. kr. af 1.234.567.890 kr.\nOpgjort 31.03.2024 (2024-03-31)\n§ 155 stk. 2 · S-5000 · "
        "U00001 · BFU0001 · R016\n")


@pytest.mark.parametrize("label, text, digits", FORMS, ids=[f[0] for f in FORMS])
def test_the_guard_refuses_every_form_in_pdf_and_json_text(label, text, digits):
    with pytest.raises(GuardError, match="CPR-shaped"):
        check({"PDF": PAGE + f"Bemærkning: {text}\n"}, GuardIds(), "committee", None, "udvalg")
    data = json.dumps({"sections": [{"note": f"cpr {text}"}], "period": "2024-03"}).encode()
    with pytest.raises(GuardError, match="CPR-shaped"):
        check({"JSON": json_strings(data)}, GuardIds(), "committee", None, "udvalg")


def test_the_guard_passes_a_danish_page_and_its_json():
    data = json.dumps({"period": "2024-03", "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                       "texts": NEGATIVES, "actual": 3012345678.5}).encode()
    check({"PDF": PAGE, "JSON": json_strings(data)}, GuardIds(), "committee", None, "udvalg")


def test_the_guard_refuses_a_cpr_number_read_back_from_a_real_pdf(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from ledinfo.render.fonts import REGULAR, register_fonts

    register_fonts()
    drawable = [f for f in FORMS if f[0] != "full-width"]  # Vera has no full-width digits
    for label, text, _ in drawable:
        path = tmp_path / f"{label}.pdf"
        page = canvas.Canvas(str(path), pagesize=A4)
        page.setFont(REGULAR, 10)
        for i, line in enumerate((PAGE + f"Bemærkning: {text}").splitlines()):
            page.drawString(72, 800 - 14 * i, line)
        page.save()
        with pytest.raises(GuardError, match="CPR-shaped"):
            check({"PDF": pdf_text(path.read_bytes())}, GuardIds(), "committee", None, "udvalg")


def test_the_manifest_and_file_names_are_searched_too(tmp_path):
    from ledinfo.privacy.guard import GuardError, GuardIds, check, redacted

    manifest = {"source": {"description": "folder /data/250463 7933/extract"}, "packs": [{"error": "x 13.03.73-7903"}]}
    assert not contains_cpr(json.dumps(redacted(manifest), ensure_ascii=False))
    assert redacted(manifest)["source"]["description"] == "folder /data/[CPR-nummer]/extract"
    with pytest.raises(GuardError, match="file name"):
        check({"file name": "team-2504637933.pdf"}, GuardIds(), "team_leader", "x", "team-x")


@pytest.mark.parametrize("text", ["25.04.63.7933", "250463.7933", "2504637933.0", "2504637933,00", "504637933.0",
                                  "team 25.04.63.7933"])
def test_forms_an_attacker_found_are_cpr_numbers(text):
    # all dots, and Excel's float of a number typed as a number (".0"): a whole number with decimal zeros
    # in text is a CPR number; an amount in a number column is judged by its column instead
    assert contains_cpr(text)
