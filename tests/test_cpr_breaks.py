"""CPR numbers an attacker wrote past every check (issue 27's review, a round's attacker): groups split by a line
break, a blank line or a tab ("250463\\n\\n7933" in the secretary's comment: one sentence on the page, wrapped or
not), or joined by a look-alike of a dash (a middle dot, a set minus, a box-drawing line). Each test fails on the
code before."""

from __future__ import annotations

import json
import logging

import polars as pl
import pytest

from ledinfo.disclosure.guard import GuardIds
from ledinfo.disclosure.read_back import read_json
from ledinfo.extract.folder import find_table_files
from ledinfo.pipeline.reuse import _listing
from ledinfo.privacy.cpr import contains_cpr, cpr_mask, holds_cpr
from ledinfo.texts.comments import CommentError, load_comments

LOOK_ALIKES = ["\u00b7", "\u2216", "\u2043", "\u2500", "\u2052", "\u30fb", "\u22c5", "\u2800", "\u2022"]
BREAKS = ["\n", "\r\n", "\n\n", "\t", "\u2028", "\u2029", "\x0b", "\x85"]


@pytest.mark.parametrize("mark", LOOK_ALIKES)
def test_a_look_alike_of_a_dash_joins_a_numbers_groups(mark):
    assert contains_cpr(f"Nummer 250463{mark}7933 og")
    assert contains_cpr(mark.join(["25", "04", "63", "7933"]))
    assert cpr_mask(pl.Series([f"raad 25{mark}04{mark}63{mark}7933"]))[0]  # a cell of the extract


def test_our_own_middle_dots_are_no_number():
    """The tiles and the running heads write "·" between figures and words: nothing there reads as a number."""
    for text in ("4 af 5 sager · kommunen: 89 % · sep 26: 80 % · okt 25: 60 %", "Fjordby Kommune · Orientering",
                 "kommunen: 13 % · sep 26: 0 % · okt 25: 25 %", "31.10.2026 · 2.504.637.933 kr."):
        assert not contains_cpr(text), text


@pytest.mark.parametrize("between", BREAKS)
def test_one_value_with_a_line_break_between_the_groups_holds_the_number(between):
    value = f"Barnet 250463{between}7933 er flyttet."
    assert holds_cpr(value)
    assert not contains_cpr(value)  # the guard's lines stay apart: a column of counts is no number
    assert cpr_mask(pl.Series([value]))[0]
    assert holds_cpr(f"25.04.63{between}7933")


def test_a_comment_with_the_number_across_a_blank_line_is_refused(tmp_path):
    folder = tmp_path / "comments"
    (folder / "2026-10").mkdir(parents=True)
    (folder / "2026-10" / "udvalg.md").write_text(
        "# Forvaltningens vurdering\n\nBarnets nummer er 250463\n\n7933 er de sidste fire cifre.\n", encoding="utf-8")
    with pytest.raises(CommentError, match="CPR") as refused:
        load_comments(folder, "2026-10", "udvalg", [], GuardIds(), "committee", None)
    assert "250463" not in str(refused.value) and "7933" not in str(refused.value)


def test_the_guard_reads_a_json_string_with_a_line_break_as_one_value():
    wrapped = json.dumps({"comment": {"markdown": "Barnet 250463\n7933 er flyttet."}}, ensure_ascii=False).encode()
    assert read_json(wrapped).holds_cpr
    apart = json.dumps({"count": "250463", "other": "7933"}).encode()  # two strings: two texts, no number
    assert not read_json(apart).holds_cpr
    plain = json.dumps({"text": "Ingen tal her.\nOgså ingen her: 12 og 34."}).encode()
    assert not read_json(plain).holds_cpr


def test_a_file_named_with_a_number_is_neither_listed_nor_logged(tmp_path, caplog):
    folder = tmp_path / "extract"
    folder.mkdir()
    name = "noter 250463\n7933.csv"
    (folder / name).write_text("a,b\n1,2\n", encoding="utf-8")
    listed = _listing(folder)
    assert name not in listed and all("7933" not in entry for entry in listed) and listed[0].startswith("sha256:")
    with caplog.at_level(logging.WARNING):
        find_table_files(folder)
    assert "is not a table" in caplog.text and "7933" not in caplog.text


@pytest.mark.parametrize("target", [2504637933, 2504637933.0, 504637933])
def test_a_number_setting_that_is_a_cpr_number_is_refused(tmp_path, target):
    """A goal's target of 2504637933 passed `ledinfo check` and reached the packs' JSON as 2504637933.0."""
    from ledinfo.config.file import parse_config
    from ledinfo.errors import ConfigError

    data = {"municipality": {"name": "Lilleby"}, "source": {"type": "folder", "path": "extract"},
            "plugins": {"goals": {"goal": [{"indicator": "caseload", "target": target}]}}}
    with pytest.raises(ConfigError, match=r"plugins\.goals\.goal\[1\]\.target: holds a CPR number") as caught:
        parse_config(data, tmp_path, "ledinfo.toml")
    assert "637933" not in str(caught.value)
    ordinary = {**data, "plugins": {"goals": {"goal": [{"indicator": "caseload", "target": 25}]}}}
    parse_config(ordinary, tmp_path, "ledinfo.toml")  # an ordinary target is no number of anyone's


def test_a_bad_value_is_quoted_without_its_number_however_its_groups_are_split():
    from ledinfo.extract.problems import show_value as _show

    for value in ("raad 250463\t7933", "raad 250463\n7933", "raad 25·04·63·7933"):
        assert _show(value) == "'raad [CPR-nummer]'", value


def test_the_console_redacts_a_number_flushed_in_two_parts_or_printed_across_a_line_break():
    """An attacker's plugin wrote "… 250463", flushed, then "-7933": each part redacted alone, the number printed;
    and print("250463\\n7933") put one number on two lines."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import sys
        from ledinfo.privacy.console import redact_console
        redact_console(sys)
        sys.stdout.write("barn 250463"); sys.stdout.flush(); sys.stdout.write("-7933 flyttet\\n")
        print("barn 250463\\n7933 flyttet")
        sys.stderr.write("Tid: 12:30"); sys.stderr.flush(); sys.stderr.write(" ok\\n")
        sys.stdout.write("sidste 2504637933")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "7933" not in out and "250463" not in out
    assert out == "barn [CPR-nummer] flyttet\nbarn [CPR-nummer] flyttet\nsidste [CPR-nummer]"
    assert result.stderr.decode() == "Tid: 12:30 ok\n"


def test_a_log_record_with_a_number_across_its_line_break_is_redacted():
    from ledinfo.privacy.console import RedactingFilter

    record = logging.LogRecord("ledinfo", logging.ERROR, __file__, 1, "fejl: barn %s", ("250463\n7933",), None)
    RedactingFilter().filter(record)
    assert record.getMessage() == "fejl: barn [CPR-nummer]"


def test_a_workers_print_warning_and_log_record_reach_the_terminal_redacted():
    """A worker writes to the parent's terminal (a plugin's print, a warning, a log record through logging's last
    resort): the same redaction as the parent's own output, and what it printed is not lost when it ends."""
    import subprocess
    import sys

    script = (
        "import logging, warnings\n"
        "from ledinfo.runtime.workers import WorkerPool\n"
        "with WorkerPool(1) as pool:\n"
        "    pool.submit(print, 'print 250463-7933').result(timeout=120)\n"
        "    pool.submit(logging.warning, 'log %s', '2504637933').result(timeout=120)\n"
        "    pool.submit(warnings.warn, 'warn 250463 7933').result(timeout=120)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    printed = done.stdout + done.stderr
    for raw in ("250463-7933", "2504637933", "250463 7933"):
        assert raw not in printed
    for said in ("print [CPR-nummer]", "log [CPR-nummer]", "warn [CPR-nummer]"):
        assert said in printed, printed
