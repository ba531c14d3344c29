"""Every pack is a tagged PDF (PDF/UA-1, issue 16), read back with pikepdf, poppler and the pdfua checker.

What is checked here is the machine-checkable part: that every text run on a page is
content of a structure element or an artifact, the tree's roles and order, alt texts,
table headers, and the catalogue entries PDF/UA asks for. Whether an alt text *says*
the right thing, or the reading order *makes sense*, takes a person (and a screen reader).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from ledinfo.render import pdf as render_pdf
from ledinfo.render.tagging import TaggingCanvas, structure

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}

pytestmark = pytest.mark.slow  # builds and reads back every demo pack


def _packs(folder: Path) -> list[Path]:
    packs = sorted(folder.glob("*.pdf"))
    assert len(packs) == 7, packs
    return packs


def _elements(pdf: pikepdf.Pdf):
    """Every structure element under StructTreeRoot, depth first (reading order), with its parent."""
    def walk(node, parent):
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                yield kid, parent
                yield from walk(kid, kid)

    yield from walk(pdf.Root.StructTreeRoot, pdf.Root.StructTreeRoot)


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, object]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def _text_runs(pdf: pikepdf.Pdf):
    """(page number, text operator, the marked-content stack around it) for every text run on every page."""
    for number, page in enumerate(pdf.pages, start=1):
        stack: list[tuple[str, int | None]] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                mcid = operands[1].get("/MCID") if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) else None
                stack.append((str(operands[0]), None if mcid is None else int(mcid)))
            elif name == "EMC":
                assert stack, f"page {number}: EMC without BDC"
                stack.pop()
            elif name in TEXT_SHOWING:
                yield number, page, list(stack)
        assert not stack, f"page {number}: marked content left open"


def test_every_text_run_is_tagged_content_or_an_artifact(demo_packs):
    for path in _packs(demo_packs):
        with pikepdf.open(path) as pdf:
            parents = _parent_tree(pdf)
            runs = 0
            for number, page, stack in _text_runs(pdf):
                runs += 1
                assert stack, f"{path.name} page {number}: a text run outside marked content"
                role, mcid = stack[0]
                if role == "/Artifact":
                    continue
                assert mcid is not None, f"{path.name} page {number}: {role} without an MCID"
                owner = parents[int(page.obj.StructParents)][mcid]
                assert owner.get("/S") == role, f"{path.name} page {number}: MCID {mcid} is {role} in the stream"
            assert runs > 100


def test_the_structure_tree(demo_packs):
    for path in _packs(demo_packs):
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            assert root.MarkInfo.Marked is True
            assert str(root.Lang) == "da-DK"
            assert root.ViewerPreferences.DisplayDocTitle is True
            assert all(page.obj.Tabs == "/S" for page in pdf.pages)
            with pdf.open_metadata() as xmp:
                assert xmp["pdfuaid:part"] == "1"
                assert xmp["dc:title"] == str(pdf.docinfo.Title)
            elements = list(_elements(pdf))
            roles = [str(element.S) for element, _ in elements]
            assert roles[0] == "/Document" and roles.count("/Sect") >= 4, roles[:10]
            for element, parent in elements:
                assert element.P.objgen == parent.objgen, f"{path.name}: /P of {element.S}"
            # headings: H1 first, never a level skipped
            levels = [int(role[2:]) for role in roles if role in ("/H1", "/H2")]
            assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
            figures = [element for element, _ in elements if element.S == "/Figure"]
            assert figures and all(str(figure.get("/Alt", "")).strip() for figure in figures), path.name
            tables = [element for element, _ in elements if element.S == "/Table"]
            assert tables, path.name
            group_lines = 0
            for table in tables:
                rows = [row for row in (table.K if isinstance(table.K, pikepdf.Array) else [table.K])]
                header = rows[0].K if isinstance(rows[0].K, pikepdf.Array) else [rows[0].K]
                assert all(cell.S == "/TH" and cell.A.Scope == "/Column" for cell in header), path.name
                for row in rows[1:]:
                    cells = row.K if isinstance(row.K, pikepdf.Array) else [row.K]
                    if cells[0].S == "/TH":  # a grouped list's line: one header cell of its row, spanning it
                        assert len(cells) == 1 and cells[0].A.Scope == "/Row", path.name
                        assert int(cells[0].A.ColSpan) == len(header), path.name
                        group_lines += 1
                    else:
                        assert all(cell.S == "/TD" for cell in cells), path.name
            # a team's lists are grouped by caseworker; the other packs have no list
            assert (group_lines > 0) == path.name.startswith("team-"), (path.name, group_lines)
            assert "/TOC" in roles and "/TOCI" in roles and "/L" in roles and "/LI" in roles


def test_fonts_are_embedded_with_unicode_mappings(demo_packs):
    with pikepdf.open(demo_packs / "udvalg.pdf") as pdf:
        fonts = {font.objgen: font for page in pdf.pages for font in page.Resources.Font.values()}
        for font in fonts.values():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant.FontDescriptor, font.BaseFont
            assert "/ToUnicode" in font, font.BaseFont
    assert "Årsmål" in _struct_text(demo_packs / "udvalg.pdf", 1, 3)


def _struct_text(path: Path, first: int, last: int) -> str:
    return subprocess.run(["pdfinfo", "-struct-text", "-f", str(first), "-l", str(last), str(path)],
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is not installed")
def test_a_committee_page_reads_in_order_with_its_structure(demo_packs):
    """The first page of the sections, as poppler reads it with its structure: heading, text, table, chart."""
    text = _struct_text(demo_packs / "udvalg.pdf", 3, 3)
    lines = [line.strip() for line in text.splitlines()]
    order = [line.split()[0] for line in lines if line and not line.startswith('"')]
    assert order.index("H1") < order.index("H2") < order.index("Table") < order.index("TH:")
    assert "/Scope /Column" in lines
    assert "Figure" in order and order.index("Figure") > order.index("Table")
    after = order[order.index("Figure") + 1:]
    assert "P" in after, "the chart's takeaway follows its figure"
    # the running header and the footer are artifacts: not in the structure
    assert not any("Side 3 af" in line for line in lines)


def test_the_pdfua_checker_finds_nothing(demo_packs):
    pdfua = pytest.importorskip("pdfua")
    for path in _packs(demo_packs):
        report = pdfua.validate(str(path))
        assert not report.findings, [(f.rule_id, f.message) for f in report.findings]
        assert not report.skipped, [(o.rule.id, o.error) for o in report.skipped]


def test_a_repeated_header_row_is_read_once(tmp_path):
    """A table over three pages: one header row in the tree; its repeats on pages 2 and 3 are artifacts."""
    styles = render_pdf._styles()
    rows = [["Team", "Sager"]] + [[f"Team {i}", str(i)] for i in range(150)]
    story = [Paragraph("Sager", styles["h1"]), Table(rows, repeatRows=1)]

    class Canvas(TaggingCanvas):
        document_node = structure(story)

    path = tmp_path / "long.pdf"
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story, canvasmaker=Canvas)
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) >= 3
        roles = [str(element.S) for element, _ in _elements(pdf)]
        assert roles.count("/TH") == 2 and roles.count("/TR") == 151 and roles.count("/TD") == 300
        repeats = [page for page, _, stack in _text_runs(pdf) if stack and stack[0][0] == "/Artifact"]
        assert sorted(set(repeats)) == list(range(2, len(pdf.pages) + 1)), repeats
