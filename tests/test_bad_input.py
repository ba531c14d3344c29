"""Bad input is a located error (exit 2, file, row, column), never a traceback and never silent.

Each test writes the real bad thing — a blank row, an ESC byte, a FIFO, a symlink loop, a
folder named like a table, a Parquet list column, a config with a line break in an address —
and runs the real command line on it.
"""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from conftest import run_cli
from ledinfo.api.small_extract import small_tables

PERIOD = ("--period", "2024-03")


def validate(folder: Path) -> subprocess.CompletedProcess:
    return run_cli("validate", "--data", str(folder), *PERIOD)


def build(folder: Path) -> subprocess.CompletedProcess:
    return run_cli("build", "--data", str(folder), *PERIOD, "--out", str(folder.parent / "out"), "--jobs", "1")


def refused(result: subprocess.CompletedProcess, *messages: str) -> None:
    """Exit 2, each message in stderr, no traceback, no Rust panic, and no pack written."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr, result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr


def lines(folder: Path, name: str) -> list[str]:
    return (folder / f"{name}.csv").read_text(encoding="utf-8-sig").splitlines()


def write_lines(folder: Path, name: str, rows: list[str], trailer: str = "\n") -> None:
    (folder / f"{name}.csv").write_text("\n".join(rows) + trailer, encoding="utf-8")


# 1. Blank rows


def test_blank_rows_are_skipped_and_row_numbers_stay_the_lines_the_user_sees(small_dir):
    cases = lines(small_dir, "cases")  # Danish Excel: `;` separated, 8 columns
    # Excel's `;;;;;;;` row and a blank line in the middle and at the end.
    rows = cases[:3] + [";;;;;;;", ""] + cases[3:] + [";;;;;;;"]
    write_lines(small_dir, "cases", rows, trailer="\n\n")
    assert validate(small_dir).returncode == 0
    bad_line = 7  # 1-based line of the fifth case (S4) in the file, after the two blank lines
    assert rows[bad_line - 1].startswith("S4;")
    rows[bad_line - 1] = rows[bad_line - 1].replace("udsatte", "ukendt")
    write_lines(small_dir, "cases", rows, trailer="\n\n")
    refused(validate(small_dir), f"cases.csv, row {bad_line}, column target_group: unknown value 'ukendt'")
    refused(build(small_dir), f"cases.csv, row {bad_line}, column target_group")


def test_blank_spreadsheet_rows_and_null_parquet_records_are_skipped(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    tables = small_tables()
    cases = tables["cases"].with_columns(pl.col(c).cast(pl.String) for c in tables["cases"].columns)
    blank = pl.DataFrame({c: [None] for c in cases.columns}, schema=cases.schema)
    bad = cases.slice(3, 1).with_columns(pl.lit("sort").alias("target_group"))
    # rows 2-4 the first cases, row 5 empty, row 6 a bad one, then the rest
    pl.concat([cases.head(3), blank, bad, cases.slice(4)]).write_excel(folder / "cases.xlsx", worksheet="cases")
    staff = tables["staff"]
    none = pl.DataFrame({c: [None] for c in staff.columns}, schema=staff.schema)
    pl.concat([staff.head(1), none, staff.slice(1, 1).with_columns(pl.lit(2.0).alias("fte")), staff.slice(2)]
              ).write_parquet(folder / "staff.parquet")
    refused(validate(folder), "cases.xlsx, row 6, column target_group: unknown value 'sort'",
            "staff.parquet, row 3, column fte: '2' is outside 0–1")


# 2. Control characters


def test_an_esc_in_a_team_name_and_a_nul_in_an_id_are_located_not_echoed(small_dir):
    staff = lines(small_dir, "staff")
    staff[4] = staff[4].replace("Unge", "Un\x1b[31mge")  # row 5: M4
    write_lines(small_dir, "staff", staff)
    cases = (small_dir / "cases.csv").read_bytes().replace(b"S7;", b"S\x007;")  # row 8
    (small_dir / "cases.csv").write_bytes(cases)
    for result in (validate(small_dir), build(small_dir)):
        refused(result, "staff.csv, row 5, column team: holds the control character U+001B (ESC) (value not shown)",
                "cases.csv, row 8, column case_id: holds the control character U+0000 (NUL) (value not shown)")
        assert "\x1b" not in result.stderr and "\x00" not in result.stderr
    assert not (small_dir.parent / "out" / "udvalg.pdf").exists()


def test_free_text_may_hold_line_breaks_but_not_esc(small_dir):
    activities = small_tables()["activities"].with_columns(
        pl.Series("theme", ["linje 1\nlinje 2", "a\tb", None, None, "bip\x07", None]))
    activities.write_csv(small_dir / "activities.csv")
    refused(validate(small_dir), "activities.csv, row 6, column theme: holds the control character U+0007")
    assert "row 2, column theme" not in validate(small_dir).stderr


def test_a_utf16_csv_is_refused_with_a_hint(small_dir):
    text = (small_dir / "staff.csv").read_text(encoding="utf-8")
    (small_dir / "staff.csv").write_bytes(text.encode("utf-16"))
    refused(validate(small_dir), "staff.csv, row 1: the file is UTF-16 text")


# 3. Numbers: NaN, infinity, absurd magnitudes


def test_nan_infinity_and_absurd_amounts_are_located(small_dir):
    staff = lines(small_dir, "staff")
    staff[2] = staff[2].replace("0.5", "NaN")  # row 3: M2
    write_lines(small_dir, "staff", staff)
    write_lines(small_dir, "budget", [
        "year,month,function_code,budget_original,budget_corrected,actual",
        "2024,1,5.28.21,1000,1000,inf",
        "2024,2,5.28.21,1e308,1000,900",
        "1e308,3,5.28.21,1000,1000,-Infinity",
    ])
    measures = pl.DataFrame({"measure_id": ["F1"], "case_id": ["S1"], "category": ["forebyggende"],
                             "decided_on": ["2023-02-01"], "started_on": ["2023-02-01"], "ended_on": [None],
                             "plan_on": [None], "monthly_cost": ["1e12"]})
    measures.write_csv(small_dir / "measures.csv")
    result = validate(small_dir)
    refused(result,
            "staff.csv, row 3, column fte: 'NaN' is not a number (NaN and infinity are not allowed)",
            "budget.csv, row 2, column actual: 'inf' is not a number",
            "budget.csv, row 3, column budget_original: '1e+308' is outside -10,000,000,000 to 10,000,000,000",
            "budget.csv, row 4, column year: '1e+308' is outside 1990–2100",
            "budget.csv, row 4, column actual: '-Infinity' is not a number",
            "measures.csv, row 2, column monthly_cost: '1,000,000,000,000' is outside 0–10,000,000")
    refused(build(small_dir), "staff.csv, row 3, column fte")


def test_nan_in_a_typed_parquet_column_is_located(small_dir):
    (small_dir / "staff.csv").unlink()
    small_tables()["staff"].with_columns(pl.Series("fte", [1.0, float("nan"), 1.0, float("inf"), 1.0])
                                         ).write_parquet(small_dir / "staff.parquet")
    refused(validate(small_dir), "staff.parquet, row 2, column fte: 'nan' is not a number",
            "staff.parquet, row 4, column fte: 'inf' is not a number")


# 4. The file system


def test_a_fifo_a_folder_and_a_symlink_loop_named_like_tables_are_refused_at_once(small_dir):
    (small_dir / "staff.csv").unlink()
    os.mkfifo(small_dir / "staff.csv")  # nobody writes to it: opening it would hang for ever
    (small_dir / "activities.csv").unlink()
    (small_dir / "activities.csv").mkdir()
    (small_dir / "budget.csv").symlink_to("measures.csv")
    (small_dir / "measures.csv").symlink_to("budget.csv")
    (small_dir / "investigations.parquet").symlink_to("nowhere.parquet")
    for result in (validate(small_dir), build(small_dir)):
        refused(result, "has 5 problems; nothing was read",
                "activities.csv is a folder, not a file",
                "budget.csv is a symbolic link that loops back on itself",
                "investigations.parquet is a symbolic link to nowhere.parquet, which does not exist",
                "measures.csv is a symbolic link that loops back on itself",
                "staff.csv is a named pipe (FIFO), not a file")


def test_a_folder_source_in_a_config_is_checked_the_same_way(small_dir, tmp_path):
    (small_dir / "staff.csv").unlink()
    os.mkfifo(small_dir / "staff.csv")
    config = tmp_path / "ledinfo.toml"
    config.write_text('[municipality]\nname = "Testby Kommune"\n'
        f'[source]\ntype = "folder"\npath = "{small_dir}"\n', encoding="utf-8")
    for command in ("validate", "build"):
        refused(run_cli(command, "--config", str(config), *PERIOD, "--jobs", "1")
                if command == "build" else run_cli(command, "--config", str(config), *PERIOD),
                "staff.csv is a named pipe (FIFO), not a file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode (and this interpreter lives "
                    "under /root, so the test cannot run as another user); the next test makes the read fail another way")
def test_a_file_without_read_permission_is_refused_with_its_path(small_dir):
    (small_dir / "staff.csv").chmod(0)
    refused(validate(small_dir), f"{small_dir / 'staff.csv'} cannot be read: Permission denied")


def test_a_file_whose_read_fails_is_refused_with_its_path():
    """/proc/self/mem is a regular file whose first read fails with EIO (address 0 is never mapped). A data file
    is read as this reads it (a link to it in an extract folder would lead out of the folder, refused unread)."""
    from ledinfo.outside.files import DATA, FileRefused, read_confined

    with pytest.raises(FileRefused, match=r"^/proc/self/mem cannot be read: Input/output error$"):
        read_confined(Path("/proc/self/mem"), DATA)


def test_a_parquet_column_of_lists_or_structs_is_located(small_dir):
    (small_dir / "staff.csv").unlink()
    staff = small_tables()["staff"]
    staff.with_columns(pl.Series("fte", [[1.0]] * 5), pl.Series("skills", [{"a": 1}] * 5)
                       ).write_parquet(small_dir / "staff.parquet")
    refused(validate(small_dir), "staff.parquet, column fte: the column holds List(Float64) values",
            "staff.parquet, column skills: the column holds Struct")


# 5. Team names that cannot name a file


def test_team_names_that_cannot_name_a_pack_file_are_refused_by_validate_and_build(small_dir):
    staff = lines(small_dir, "staff")
    staff[2] = staff[2].replace("Børn", "BØRN")  # row 3: the same file name as "Børn"
    staff[3] = staff[3].replace("Unge", "Unge-" + "x" * 100)  # row 4: 105 characters
    write_lines(small_dir, "staff", staff)
    for result in (validate(small_dir), build(small_dir)):
        refused(result, "has 2 problems",
                "staff.csv, row 3, column team: the team 'BØRN' gives the same pack file name (…-boern.pdf) as "
                f"the team 'Børn' ({small_dir / 'cases.csv'}, row 2)",
                "staff.csv, row 4, column team: the team name 'Unge-xxx",
                "is 105 characters long; at most 100")
    assert not (small_dir.parent / "out").exists()


# 6. Settings with line breaks


def test_line_breaks_in_delivery_settings_and_titles_are_refused_when_the_config_is_read(small_dir, tmp_path):
    config = tmp_path / "ledinfo.toml"
    config.write_text(f'''
[municipality]
name = "Testby Kommune"
[source]
type = "folder"
path = "{small_dir}"

[[packs]]
id = "udvalg"
audience = "committee"
title = "Udvalg\\r\\nBcc: alle@example.org"

[[packs]]
id = "team"
audience = "team_leader"

[delivery]
type = "email"
attempts = 0
operator = "drift@fjordby"

[delivery.email]
host = "smtp.fjordby.dk"
sender = "li@fjordby.dk\\r\\n"
port = 99999

[delivery.email.to]
udvalg = ["""udvalg@fjordby.dk
"""]

[delivery.email.team_to.team]
"Børn" = ["leder@fjordby.dk\\n"]
"Unge" = ["unge@fjordby.dk"]
''', encoding="utf-8")
    expected = ("has 7 problems",
                "delivery.email.sender: holds a carriage return (CR) at the end; a setting is one line of text",
                "delivery.attempts: must be a whole number from 1 to 10, got 0",
                "delivery.operator: 'drift@fjordby' is not a valid email address",
                "delivery.email.port: must be a whole number from 1 to 65535, got 99999",
                "packs[1].title: holds a carriage return (CR) at character 7",
                "delivery.email.to.udvalg[1]: holds a line break (LF) at the end",
                "delivery.email.team_to.team.Børn[1]: holds a line break (LF) at the end")
    refused(run_cli("run", "--config", str(config), *PERIOD, "--dry-run"), *expected)
    refused(run_cli("validate", "--config", str(config), *PERIOD), *expected)
    assert not (tmp_path / ".ledinfo").exists()


def test_a_bidirectional_control_in_a_setting_is_refused_when_the_config_is_read(small_dir, tmp_path):
    """A right-to-left override makes a title display otherwise than written, in the PDF and the mail subject
    (an attacker's finding: "Orientering <RLO> moc.elpmaxe@live" shows as "Orientering live@example.com"); the
    extract refuses it in names, a one-line setting refuses it too, and a bidirectional mark with it."""
    (tmp_path / "kommentarer\u2066").mkdir()  # there: only the character is the problem
    config = tmp_path / "ledinfo.toml"
    config.write_text(f'''
[municipality]
name = "Testby Kommune\u200f"
[source]
type = "folder"
path = "{small_dir}"

[[packs]]
id = "udvalg"
audience = "committee"
title = "Orientering \u202e moc.elpmaxe@live"

[comments]
folder = "kommentarer\u2066"
''', encoding="utf-8")
    expected = ("has 3 problems",
                "municipality.name: holds the bidirectional control U+200F (right-to-left mark) at character 15, "
                "which reorders what is shown; remove it",
                "packs[1].title: holds the bidirectional control U+202E (right-to-left override) at character 13",
                "comments.folder: holds the bidirectional control U+2066 (left-to-right isolate) at character 12")
    refused(run_cli("check", "--config", str(config)), *expected)


def test_the_fifo_check_never_opens_the_pipe(small_dir):
    """A FIFO is found by stat alone; had it been opened, the command would block."""
    (small_dir / "cases.csv").unlink()
    os.mkfifo(small_dir / "cases.csv")
    assert stat.S_ISFIFO((small_dir / "cases.csv").stat().st_mode)
    executable = shutil.which("ledinfo", path=str(Path(sys.executable).parent))
    result = subprocess.run([executable, "validate", "--data", str(small_dir), *PERIOD], capture_output=True,
                            text=True, timeout=60)
    refused(result, "cases.csv is a named pipe (FIFO)")
