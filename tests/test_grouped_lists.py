"""A team leader's lists grouped by caseworker (render/grouped.py): read back from the demo's tagged PDFs, and a list
over three pages made here."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pikepdf
import polars as pl
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from ledinfo.api import Section, SectionResult
from ledinfo.api.testing import render_section, small_extract
from ledinfo.language import Language
from ledinfo.model.results import CASE, Column, Table
from ledinfo.render import pdf as render_pdf
from ledinfo.render.grouped import Layout, grouped_lines, grouped_order, grouped_table
from ledinfo.render.tagging import TaggingCanvas, structure

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")


def test_groups_come_in_the_order_their_caseworker_first_comes_each_with_its_rows_in_order():
    assert grouped_order(["b", "a", "b", None, "a", "b"]) == [[0, 2, 5], [1, 4], [3]]


def test_a_tables_rows_are_in_its_groups_order_where_it_is_made_by_value_none_last_each_groups_rows_as_given():
    frame = pl.DataFrame({"caseworker_id": ["M-2", None, "M-1", "M-2", "M-1"], "case_id": ["a", "b", "c", "d", "e"]})
    table = Table("cases", "Sager", frame, (Column("case_id", "Sag", "id"),), level=CASE, team_column=None,
                  group_by="caseworker_id")
    assert table.frame["case_id"].to_list() == ["c", "e", "a", "d", "b"]
    assert replace(table, frame=frame.reverse()).frame["case_id"].to_list() == ["e", "c", "d", "a", "b"]
    assert Table("cases", "Sager", frame, ()).frame.equals(frame)  # a list not grouped keeps the section's order


@pytest.mark.parametrize(("code", "text", "wanted"), [
    ("da", "Tidligere rådgiver: M-0021 Katrine Holm (fratrådt)", "Tidligere rådgiver: M-0021 Katrine Holm (fratrådt, fortsat)"),
    ("en", "Former caseworker: M-0021 Katrine Holm (former)", "Former caseworker: M-0021 Katrine Holm (former, continued)"),
    ("da", "Rådgiver: M-0013 Jakob Knudsen", "Rådgiver: M-0013 Jakob Knudsen (fortsat)"),
    ("en", "No caseworker", "No caseworker (continued)")])
def test_a_group_line_continued_says_so_in_its_marks_bracket_one_bracket(code, text, wanted):
    assert render_pdf.continued(Language(code), text) == wanted


# --- the demo's packs, read back -----------------------------------------------------------------------------

@functools.cache
def _struct_tables(path: Path) -> tuple[tuple[str, list[list[tuple[str, str]]]], ...]:
    """Each table of the tagged PDF, in reading order, with the title (H2) before it: its rows, each a list of
    (role, text) cells — a group's line is a row of one ("TH:Row", text). Read once a test process per PDF (poppler's
    structure dump costs about 1.5 s of CPU a team pack; two tests read the demo's five): read it, never change it."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    tables, title, rows, depth, role = [], "", None, 0, ""
    lines = out.splitlines()
    for index, line in enumerate(lines):
        indent, text = len(line) - len(line.lstrip()), line.strip()
        if rows is not None and indent <= depth:
            rows = None
        if text.startswith("H2") and index + 1 < len(lines):
            title = lines[index + 1].strip().strip('"')
        elif text.startswith("Table"):
            rows, depth = [], indent
            tables.append((title, rows))
        elif rows is None:
            continue
        elif text == "TR":
            rows.append([])
        elif text in ("TH:", "TD", "TH"):
            role = text.rstrip(":")
            rows[-1].append([role, ""])
        elif text == "/Scope /Row":
            rows[-1][-1][0] = "TH:Row"
        elif text.startswith('"'):
            rows[-1][-1][1] += text[1:-1]
    return tuple((title, [[tuple(cell) for cell in row] for row in rows]) for title, rows in tables)


def _lists(pack: dict) -> list[dict]:
    """The pack's lists grouped by caseworker (the JSON's ``group_by``), with rows."""
    return [table for section in pack["sections"] for table in section["tables"]
            if table.get("group_by") == "caseworker_id" and table["rows"]]


def _team_packs(folder: Path) -> list[Path]:
    packs = sorted(folder.glob("team-*.pdf"))
    assert len(packs) == 5, packs
    return packs


@needs_poppler
def test_each_caseworker_is_named_once_above_the_rows_of_each_list_and_no_row_is_lost(demo_packs):
    """Every row of a list in the JSON stands in the PDF's table under its caseworker's line, in the JSON's order
    within the caseworker; the caseworker is named once a list (the line a page break repeats is an artifact,
    never read again), and on none of the rows."""
    checked = 0
    for path in _team_packs(demo_packs):
        pack = json.loads(path.with_suffix(".json").read_text())
        tables = dict(_struct_tables(path))
        for table in _lists(pack):
            assert table["title"] in tables, (path.name, table["title"])
            rows = tables[table["title"]][1:]  # the header row aside
            label = next(c["label"] for c in table["columns"] if c["key"] == "caseworker_id")
            case_at = [c["key"] for c in table["columns"] if c["key"] != "caseworker_id"].index("case_id")
            shown: dict[str | None, list[str]] = {}
            current = "no line yet"
            for row in rows:
                if row[0][0] == "TH:Row":
                    assert len(row) == 1 and (row[0][1].startswith(f"{label}: ") or row[0][1] == "Uden rådgiver"), \
                        (path.name, row)
                    current = None if row[0][1] == "Uden rådgiver" else row[0][1].removeprefix(f"{label}: ")
                    assert current not in shown, f"{path.name}: {current} named twice in {table['title']}"
                    shown[current] = []
                else:
                    assert current in shown and all(role == "TD" for role, _ in row), (path.name, row)
                    assert current is None or not any(current.split()[0] in text for _, text in row), (path.name, row)
                    shown[current].append(row[case_at][1])
            wanted: dict[str | None, list[str]] = {}
            for row in table["rows"]:
                wanted.setdefault(row["caseworker_id"], []).append(row["case_id"])
            assert shown == wanted and list(shown) == list(wanted), (path.name, table["title"])
            # the JSON's rows in the PDF's order: each caseworker's together, the caseworkers as "Til handling"
            # orders them (as text, none last)
            workers = [row["caseworker_id"] for row in table["rows"]]
            assert workers == sorted(workers, key=lambda worker: (worker is None, worker or "")), \
                (path.name, table["title"], workers)
            checked += 1
    assert checked >= 10, checked


def _lines_per_row(path: Path) -> list[list[int]]:
    """For each table of the tagged PDF, in reading order: each row's lines of text (its tallest cell's), counted
    as the text runs ReportLab draws, one a line, in the cells' marked content."""
    with pikepdf.open(path) as pdf:
        runs: Counter = Counter()
        for page in pdf.pages:
            stack: list[int | None] = []
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    mcid = operands[1].get("/MCID") if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                        else None
                    stack.append(None if mcid is None else int(mcid))
                elif name == "EMC":
                    stack.pop()
                elif name in TEXT_SHOWING and stack and stack[0] is not None:
                    runs[(page.objgen, stack[0])] += 1

        def kids(element) -> list:
            found = element.get("/K")
            return list(found) if isinstance(found, pikepdf.Array) else [] if found is None else [found]

        def lines(cell) -> int:
            return sum(runs[(cell.Pg.objgen, kid)] if isinstance(kid, int) else runs[(kid.Pg.objgen, int(kid.MCID))]
                       for kid in kids(cell) if isinstance(kid, int) or kid.get("/Type") == "/MCR")

        def tables(element):
            for kid in kids(element):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                    if kid.S == "/Table":
                        yield kid
                    else:
                        yield from tables(kid)

        return [[max((lines(cell) for cell in kids(row)), default=0) for row in kids(table)]
                for table in tables(pdf.Root.StructTreeRoot)]


@needs_poppler
def test_no_row_of_a_teams_list_takes_more_than_two_lines(demo_packs):
    """A list's row on one line, two at most: its caseworker is the group's line, a step is named by its short
    name, the columns fitted to what they hold (before: "M-0013 / Jakob / Knudsen" and "Tilsynsbesøg / hos
    anbragte / børn" on three lines, every row of the deadline lists)."""
    for path in _team_packs(demo_packs):
        pack = json.loads(path.with_suffix(".json").read_text())
        tables = _struct_tables(path)
        heights = _lines_per_row(path)
        assert len(tables) == len(heights)
        lists = {table["title"] for section in pack["sections"] for table in section["tables"]  # every list of cases
                 if "case_id" in [c["key"] for c in table["columns"]]}
        rows = [(title, height, " ".join(text for _, text in cells)) for (title, table_rows), table in
                zip(tables, heights) if title in lists for height, cells in zip(table[1:], table_rows[1:])]
        assert rows and all(height <= 2 for _, height, _ in rows), (path.name, [r for r in rows if r[1] > 2][:5])
        # most are one line: the tall ones would be the page's length again (a step on a closed case says so in its
        # cell, "Kvittering til fagperson (sagen lukket 16.01.2026)": two lines, and rare, not counted)
        plain = [height for _, height, text in rows if "(sagenlukket" not in text.replace(" ", "")]
        assert sum(height == 1 for height in plain) >= 0.9 * len(plain), path.name


# --- a list over three pages ---------------------------------------------------------------------------------

def _roles(path: Path) -> Counter:
    with pikepdf.open(path) as pdf:
        roles: Counter = Counter()

        def walk(element):
            found = element.get("/K")
            for kid in list(found) if isinstance(found, pikepdf.Array) else [] if found is None else [found]:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                    roles[str(kid.S)] += 1
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
        return roles


@needs_poppler
def test_a_group_over_a_page_break_is_named_again_continued_and_read_once(tmp_path):
    """150 rows of three caseworkers (60, 60, 30) over pages: each page starts with the header row and, inside
    a group, that group's line "(fortsat)"; the tree holds one header row and each group's line once, as a header
    cell of its row."""
    styles = render_pdf._styles()
    keys = [f"M-{i // 60} Navn Efternavn" for i in range(150)]
    texts, lines = grouped_lines([[f"S-{i:04}", str(i)] for i in range(150)], keys)
    layout = Layout(["Sag", "Dage"], [100.0, 100.0], [("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
                    [f"Rådgiver: {key}" for key in texts], str, lambda text: f"{text} (fortsat)")
    story = [Paragraph("Sager", styles["h1"]), grouped_table(layout, lines)]

    class Canvas(TaggingCanvas):
        document_node = structure(story)

    path = tmp_path / "list.pdf"
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story, canvasmaker=Canvas)
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")[:-1]
    assert len(pages) >= 3, len(pages)
    for number, page in enumerate(pages, start=1):
        body = [line.strip() for line in page.splitlines() if line.strip()]
        assert body[1 if number == 1 else 0].startswith("Sag"), body[:3]  # the header row on every page
        named = re.findall(r"Rådgiver: (M-\d)", page)
        assert len(named) == len(set(named)), (number, named)  # a caseworker once a page
        first_row = next(line for line in body if line.startswith("S-"))
        owner = f"M-{int(first_row.split()[0][2:]) // 60}"
        if number > 1 and int(first_row.split()[0][2:]) % 60:  # the page starts inside a group: named again
            assert f"Rådgiver: {owner} Navn Efternavn (fortsat)" in page, (number, body[:3])
    roles = _roles(path)
    assert roles["/TH"] == 2 + 3 and roles["/TR"] == 1 + 3 + 150 and roles["/TD"] == 300, roles
    text = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    assert "fortsat" not in text and text.count("/Scope /Row") == 3 and text.count("/ColSpan 2") == 3


@needs_poppler
def test_no_page_of_til_handling_opens_with_a_case_away_from_its_caseworkers_name(demo_packs):
    """A caseworker's items are kept together under their name: no page of "Til handling" starts with an item
    whose caseworker stands on the page before (before: team-boern p3 opened "• Sag S-002224: …", M-0054's)."""
    checked = 0
    for path in _team_packs(demo_packs):
        first_section = json.loads(path.with_suffix(".json").read_text())["sections"][0]["title"]
        pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                               check=True).stdout.split("\f")[:-1]
        started = False
        for number, page in enumerate(pages, start=1):
            body = [line.strip() for line in page.splitlines()
                    if line.strip() and " · " not in line and not re.search(r"Side \d+ af \d+", line)]
            if not started:  # the contents on the cover name it too, with its page: the heading is alone on its line
                started = "Til handling" in body
                continue
            assert body and not body[0].startswith("•"), (path.name, number, body[:2])
            checked += 1
            if first_section in body:
                break
    assert checked >= 3, checked



class Districts(Section):
    """A plugin's list of the team's cases grouped by district, one case in none: its group's line must not say
    "Uden rådgiver" (Table.group_empty's default was the caseworker's words, whatever the list was grouped by)."""

    name, title, description = "districts", "Cases by district", "The team's cases by district."
    requires = ("cases",)
    audiences = ("team_leader",)

    def compute(self, context):
        cases = context.extract["cases"].select("team", "case_id").with_columns(
            pl.when(pl.col("case_id") == "S1").then(None).otherwise(pl.lit("Nord")).alias("district"))
        result = SectionResult(self.name, self.title)
        result.tables.append(Table("by_district", "Sager pr. distrikt", cases,
                                   (Column("district", {"da": "Distrikt", "en": "District"}),
                                    Column("case_id", "Sag", "id")), level=CASE, group_by="district"))
        return result


@pytest.mark.parametrize(("code", "wanted", "never"), [("da", "Uden distrikt", "Uden rådgiver"),
                                                       ("en", "No district", "No caseworker")])
def test_a_list_grouped_by_another_column_names_its_rows_without_a_value_by_that_column(code, wanted, never):
    rendered = render_section(Districts(), small_extract(), audience="team_leader", team="Børn", language=code)
    text = " ".join(rendered.text.split())
    assert wanted in text and never not in text, text
