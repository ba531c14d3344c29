"""A valid extract, mutated as real exports are (moved cases, blank rows, control characters, CPR numbers in
any form in any column), gives exactly one of two outcomes: exit 0 with no CPR number in any output, or exit 2
with a located message. Never a traceback, never another exit code, never a leak."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from ledinfo.api.small_extract import small_tables, write_small_extract
from ledinfo.privacy.cpr import contains_cpr

SEPARATORS = ["-", "", " ", "\u2013", "\u2212", "/", "\u00a0", " - "]
LOCATED = re.compile(r"row \d+(, column \S+)?|column \S+|is a (folder|named pipe)|cannot be read")


@st.composite
def cpr_numbers(draw) -> tuple[str, str]:
    """(as written, its ten digits): every form domain.md lists."""
    day, month, year = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(0, 99))
    serial = draw(st.integers(0, 9999))
    digits = f"{day:02d}{month:02d}{year:02d}{serial:04d}"
    form = draw(st.sampled_from(["plain", "dots", "fullwidth", "nine"] + [f"sep{i}" for i in range(len(SEPARATORS))]))
    if form == "dots":
        text = f"{day:02d}.{month:02d}.{year:02d}-{serial:04d}"
    elif form == "fullwidth":
        text = digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    elif form == "nine" and day < 10:
        text = digits[1:]
    elif form.startswith("sep"):
        text = digits[:6] + SEPARATORS[int(form[3:])] + digits[6:]
    else:
        text = digits
    return text, digits


@st.composite
def mutations(draw):
    kinds = draw(st.lists(st.sampled_from(["cpr", "control", "blank_row", "excel_row", "move_case", "other_caseworker"]),
                          min_size=1, max_size=3))
    tables = small_tables()
    steps = []
    for kind in kinds:
        table = draw(st.sampled_from(sorted(tables)))
        row = draw(st.integers(0, tables[table].height - 1))
        column = draw(st.sampled_from(tables[table].columns))
        if kind == "cpr":
            steps.append((kind, table, row, column, draw(cpr_numbers())))
        elif kind == "control":
            steps.append((kind, table, row, column, draw(st.sampled_from(["\x1b", "\x00", "\x07", "\x85"]))))
        else:
            steps.append((kind, table, row, column, draw(st.sampled_from(["Unge", "Børn"]))))
    return steps


def apply(folder: Path, steps) -> list[str]:
    """Write the small extract with ``steps`` applied; returns the planted CPR digits."""
    write_small_extract(folder)
    planted = []
    for kind, table, row, column, value in steps:
        path = folder / f"{table}.csv"
        text = path.read_text(encoding="utf-8-sig")
        separator = ";" if table == "cases" else ","
        lines = text.splitlines()
        header, body = lines[0].split(separator), lines[1:]
        cells = body[row].split(separator)
        index = header.index(column)
        if kind == "cpr":
            cells[index], digits = value
            planted.append(digits)
        elif kind == "control":
            cells[index] = cells[index][:1] + value + cells[index][1:]
        elif kind == "move_case" and table == "cases":
            cells[header.index("team")] = value
        elif kind == "other_caseworker" and table == "cases":
            cells[header.index("caseworker_id")] = "M4" if value == "Unge" else "M1"
        body[row] = separator.join(cells)
        if kind == "blank_row":
            body.insert(row, "")
        if kind == "excel_row":
            body.append(separator * (len(header) - 1))
        path.write_text("\n".join([separator.join(header), *body]) + "\n", encoding="utf-8")
    return planted


def outputs(out: Path) -> dict[str, str]:
    """Every output as text a reader (or a program) would see: names, PDF text, JSON, manifest."""
    from pdfcheck import pdf_text

    texts = {}
    for path in sorted(out.rglob("*")) if out.exists() else []:
        texts[f"name of {path}"] = path.name
        if path.suffix == ".pdf":
            texts[str(path)] = pdf_text(path)
        elif path.suffix == ".json":
            texts[str(path)] = path.read_text(encoding="utf-8")
    return texts


@pytest.mark.slow
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=mutations())
def test_a_mutated_extract_builds_cleanly_or_is_refused_with_a_location(steps, tmp_path_factory):
    base = tmp_path_factory.mktemp("mutated")
    planted = apply(base / "extract", steps)
    result = run_cli("build", "--data", str(base / "extract"), "--period", "2024-03", "--out", str(base / "out"),
                     "--jobs", "1")
    said = result.stdout + result.stderr
    assert result.returncode in (0, 2), (steps, said)
    assert "Traceback" not in said, (steps, said)
    texts = {"console": said, **outputs(base / "out")}
    for name, text in texts.items():
        assert not contains_cpr(text), (steps, name)
        squeezed = re.sub(r"\D", "", unicodedata.normalize("NFKC", text))  # whatever the separators
        for digits in planted:
            assert digits not in squeezed, (steps, name)
    if result.returncode == 2:
        assert LOCATED.search(result.stderr), (steps, result.stderr)
        assert not (base / "out").exists() or not list((base / "out").glob("*.pdf")), steps
    else:
        assert not planted, ("a planted CPR number was not refused", steps)
        assert len(list((base / "out").glob("*.pdf"))) >= 3


def test_the_mutations_write_what_they_say(tmp_path):
    planted = apply(tmp_path, [("cpr", "staff", 1, "team", ("250463 7933", "2504637933")),
                               ("blank_row", "activities", 2, "date", "Unge"),
                               ("excel_row", "cases", 0, "team", "Unge")])
    assert planted == ["2504637933"]
    staff = pl.read_csv(tmp_path / "staff.csv", infer_schema=False)
    assert staff["team"][1] == "250463 7933"
    assert "\n\n" in (tmp_path / "activities.csv").read_text()
    assert (tmp_path / "cases.csv").read_text().rstrip("\n").endswith(";;;;;;;")
