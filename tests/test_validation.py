"""Extract format v1: every kind of problem is found, located and reported at once."""

import datetime as dt
import re

import polars as pl
import pytest

from conftest import run_cli
from ledinfo.api.small_extract import small_tables, write_small_extract
from ledinfo.extract import ExtractError
from ledinfo.extract.folder import read_folder
from ledinfo.extract.validate import validate_extract
from ledinfo.privacy.cpr import contains_cpr


def load(folder):
    return validate_extract(read_folder(folder))


def problems(folder) -> ExtractError:
    with pytest.raises(ExtractError) as caught:
        load(folder)
    return caught.value


def rewrite(folder, name, transform):
    """Apply ``transform`` to the text of ``name``.csv."""
    path = folder / f"{name}.csv"
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = transform(raw.decode("utf-8-sig"))
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


def test_the_small_extract_loads(small_dir):
    extract = load(small_dir)
    assert extract["cases"].height == 10
    assert extract["cases"]["opened_on"].dtype == pl.Date
    assert extract["cases"]["opened_on"][0] == dt.date(2023, 1, 10)  # read from DD-MM-YYYY
    assert extract["staff"]["fte"].to_list() == [1.0, 0.5, 1.0, 1.0, 1.0]
    assert extract["cases"]["weight"].to_list() == [1] * 10  # optional column, default 1


def test_missing_required_column(small_dir):
    rewrite(small_dir, "staff", lambda t: t.replace("role,", "rolle,"))
    error = problems(small_dir)
    assert error.counts["missing_column"] == 1
    problem = error.problems[0]
    assert (problem.table, problem.column, problem.row) == ("staff", "role", None)
    assert str(small_dir / "staff.csv") in str(problem)


def test_wrong_type_is_located_by_row_and_column(small_dir):
    rewrite(small_dir, "staff", lambda t: t.replace("M2,Børn,raadgiver,0.5", "M2,Børn,raadgiver,halv"))
    error = problems(small_dir)
    problem = next(p for p in error.problems if p.kind == "wrong_type")
    assert (problem.table, problem.column, problem.row) == ("staff", "fte", 3)  # header is row 1, M2 is row 3
    assert "'halv' is not a number" in problem.message


def test_unparseable_date_and_accepted_formats(small_dir):
    rewrite(small_dir, "activities",
            lambda t: t.replace("2024-02-19", "19.02.2024").replace("2024-02-18", "31/02/2024"))
    error = problems(small_dir)
    assert error.counts == {"unparseable_date": 1}  # 19.02.2024 is accepted, 31/02/2024 is not
    assert error.problems[0].row == 3 and error.problems[0].column == "date"


def test_unknown_category_lists_the_allowed_values(small_dir):
    rewrite(small_dir, "activities", lambda t: t.replace("boernesamtale", "samtale"))
    error = problems(small_dir)
    assert error.counts == {"unknown_category": 1}
    assert "opfoelgning" in error.problems[0].message


def test_a_near_miss_category_suggests_the_value_meant(small_dir):
    rewrite(small_dir, "activities", lambda t: t.replace("opfoelgning", "Opfolgning", 1).replace("boernesamtale", "telefon"))
    error = problems(small_dir)
    assert error.counts == {"unknown_category": 2}
    near, far = sorted(error.problems, key=lambda p: "did you mean" not in p.message)
    assert "activities.csv, row " in str(near) and near.column == "kind"
    assert "unknown value 'Opfolgning'; did you mean 'opfoelgning'? (allowed: " in str(near)
    assert "did you mean" not in far.message and far.message.startswith("unknown value 'telefon' (allowed: ")


@pytest.mark.parametrize("written, reason", [
    ("30-02-2026", "February has 28 days"),
    ("29-02-2025", "February has 28 days: 2025 is not a leap year"),
    ("2024-02-30", "February has 29 days in 2024"),
    ("31.04.2024", "April has 30 days"),
    ("2024-01-32", "January has 31 days"),
    ("2024-13-01", "there is no month 13"),
    ("12-13-2024", "there is no month 13; dates are read day first, DD-MM-YYYY"),
    ("00.03.2024", "there is no day 0"),
    ("05-01-24", "the year needs four digits"),
    ("31/01/2024", "write DD-MM-YYYY or DD.MM.YYYY: with slashes, day and month can be read either way"),
    ("i går", "accepted: YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY"),
])
def test_a_date_that_cannot_be_says_why(small_dir, written, reason):
    rewrite(small_dir, "activities", lambda t: t.replace("2024-02-19", written))
    error = problems(small_dir)
    assert error.counts == {"unparseable_date": 1}
    assert str(error.problems[0]).endswith(f"activities.csv, row 2, column date: {written!r} is not a date ({reason})")


def test_danish_spelling_of_categories_is_accepted(small_dir):
    rewrite(small_dir, "activities", lambda t: t.replace("opfoelgning", "Opfølgning"))
    assert load(small_dir)["activities"]["kind"].to_list().count("opfoelgning") == 2


def test_duplicate_ids(small_dir):
    rewrite(small_dir, "cases", lambda t: t.replace("S9;", "S8;"))
    error = problems(small_dir)
    assert error.counts == {"duplicate_id": 1}
    assert error.problems[0].row == 10 and "S8" in error.problems[0].message


def test_employment_periods_may_follow_but_not_overlap(small_dir):
    # M3 comes back to another team after leaving: two periods, fine
    rewrite(small_dir, "staff", lambda t: t + "M3,Børn,raadgiver,1.0,2024-03-20,\n")
    assert load(small_dir)["staff"].height == 6
    # M4 gets a second period while the first is still running: refused
    rewrite(small_dir, "staff", lambda t: t + "M4,Børn,raadgiver,0.5,2024-02-01,\n")
    error = problems(small_dir)
    assert error.counts == {"overlapping_periods": 1}
    assert error.problems[0].row == 8 and "'M4' overlaps" in error.problems[0].message


def test_dangling_reference(small_dir):
    rewrite(small_dir, "activities", lambda t: t.replace("S7,", "S77,"))
    error = problems(small_dir)
    assert error.counts == {"dangling_reference": 1}
    assert "'S77' has no row in cases" in error.problems[0].message


def test_end_before_start(small_dir):
    rewrite(small_dir, "staff", lambda t: t.replace("2024-03-15", "2018-03-15"))
    error = problems(small_dir)
    assert error.counts == {"end_before_start": 1}
    assert error.problems[0].column == "end_date"


def test_missing_value_and_out_of_range(small_dir):
    rewrite(small_dir, "staff", lambda t: t.replace("M1,Børn,raadgiver,1.0", "M1,,raadgiver,1.5"))
    error = problems(small_dir)
    assert error.counts == {"missing_value": 1, "out_of_range": 1}


def test_all_problems_are_reported_at_once_with_counts_per_kind(small_dir):
    rewrite(small_dir, "activities", lambda t: "\n".join(
        [t.splitlines()[0]] + [f"S1,2024-13-{i:02d},opfoelgning" for i in range(1, 31)]) + "\n")
    rewrite(small_dir, "staff", lambda t: t.replace("raadgiver", "sagsbehandler", 1))
    error = problems(small_dir)
    assert error.counts == {"unparseable_date": 30, "unknown_category": 1}
    report = error.report()
    assert "31 problems" in report
    assert "… and 11 more (first 20 shown)" in report
    assert re.search(r"not a date +30\n +unknown category value +1\n", report)
    assert report.count("row ") == 20


def test_cpr_column_is_dropped(small_dir):
    rewrite(small_dir, "cases", lambda t: "\n".join(
        line + (";cpr" if i == 0 else ";010190-1234") for i, line in enumerate(t.splitlines()) if line) + "\n")
    extract = load(small_dir)
    assert "cpr" not in extract["cases"].columns


@pytest.mark.parametrize("value", ["010190-1234", "0101901234", "note about 311299-4321 here"])
def test_cpr_shaped_value_is_refused_with_location_but_not_echoed(small_dir, value):
    rewrite(small_dir, "activities", lambda t: t.replace("S4,", f"{value},", 1)
            if "," not in value else t)
    rewrite(small_dir, "cases", lambda t: t.replace("S4;", f"{value};", 1))
    error = problems(small_dir)
    assert error.counts["cpr_number"] >= 1
    problem = next(p for p in error.problems if p.kind == "cpr_number")
    assert problem.table in ("cases", "activities") and problem.column == "case_id" and problem.row
    assert value not in error.report()


def test_cpr_detection_needs_a_valid_date():
    assert contains_cpr("290200-1234")  # 29 February 2000
    assert not contains_cpr("320190-1234")  # no 32nd
    assert not contains_cpr("011390-1234")  # no 13th month
    assert not contains_cpr("S-000123")
    assert not contains_cpr("12345678901")  # eleven digits


def test_cp1252_and_semicolon_with_decimal_comma(tmp_path):
    folder = tmp_path / "x"
    write_small_extract(folder)
    staff = small_tables()["staff"].with_columns(pl.col("fte").cast(pl.String).str.replace(".", ",", literal=True))
    (folder / "staff.csv").write_bytes(staff.write_csv(separator=";").encode("cp1252"))
    extract = load(folder)
    assert extract["staff"]["team"].to_list()[0] == "Børn"
    assert extract["staff"]["fte"].to_list()[1] == 0.5


def test_parquet_and_xlsx_files(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    tables = small_tables()
    tables["staff"].write_parquet(folder / "staff.parquet")
    tables["cases"].write_excel(folder / "cases.xlsx", worksheet="cases")
    tables["activities"].write_csv(folder / "activities.csv")
    extract = load(folder)
    assert extract["cases"]["closed_on"].to_list()[2] == dt.date(2024, 2, 1)
    assert extract["staff"].height == 5


def test_two_files_for_one_table_is_an_error(small_dir):
    small_tables()["staff"].write_parquet(small_dir / "staff.parquet")
    from ledinfo.errors import SourceError

    with pytest.raises(SourceError, match="two files for table 'staff'"):
        load(small_dir)


def test_cli_reports_a_broken_extract_with_exit_code_2_and_no_traceback(small_dir):
    rewrite(small_dir, "activities", lambda t: t.replace("2024-02-19", "2024-02-30"))
    result = run_cli("validate", "--data", str(small_dir), "--period", "2024-03")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "activities.csv, row 2, column date: '2024-02-30' is not a date (February has 29 days in 2024)" in result.stderr
    build = run_cli("build", "--data", str(small_dir), "--period", "2024-03", "--out", str(small_dir / "out"),
                    "--jobs", "1")
    assert build.returncode == 2 and "Traceback" not in build.stderr
    assert not (small_dir / "out" / "udvalg.pdf").exists()


def test_cli_validate_accepts_the_small_extract(small_dir):
    result = run_cli("validate", "--data", str(small_dir), "--period", "2024-03")
    assert result.returncode == 0, result.stderr
    assert "no problems found" in result.stdout
