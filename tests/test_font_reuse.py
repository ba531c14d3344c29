"""The pack's fonts (render/fonts.py) code a text's characters by one translation once the document has given them
codes, and measure a text once a process: the very same PDF as ReportLab's own TrueType font gives, with a fraction
of its Python loops over characters and of its measurements."""

from __future__ import annotations

import io
from collections import Counter

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from conftest import count_calls
from ledinfo.render import fonts
from ledinfo.render import pdf as render_pdf
from ledinfo.render.paragraphs import Paragraph


def _story() -> list:
    """Texts as a pack has them: the same words again and again, æøå, a no-break space, right-aligned numbers, an
    empty cell, and a character Vera has no glyph for (drawn as .notdef, coded the old way)."""
    styles = render_pdf._styles()
    story: list = []
    for number in range(8):
        story.append(Paragraph(f"Sager fulgt op inden for 6\u00a0uger – hele kommunen {number}: 87\u00a0%", styles["h2"]))
        rows = [["Sag", "Skridt", "Frist", "Dage"]]
        rows += [[f"S-{row:06d}", "Løbende opfølgning" if row % 2 else "Tilsynsbesøg", "07.11.2026", str(row)]
                 for row in range(25)]
        rows.append(["", "Æblegrød og ølsuppe 中", "–", "1.234,5"])
        table = Table(rows, colWidths=[80, 200, 90, 80], repeatRows=1)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR), ("ALIGN", (3, 0), (3, -1), "RIGHT")]))
        story.append(table)
    return story


def _pdf() -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1, initialFontName=fonts.REGULAR).build(_story())
    return buffer.getvalue()


def _counted(monkeypatch, font_class) -> tuple[bytes, Counter]:
    """The PDF with every font of the family made by ``font_class``, and how often ReportLab's TrueType font coded
    a text character by character and measured one (the real methods run; they are only counted)."""
    calls: Counter = Counter()
    fonts.register_fonts()
    with monkeypatch.context() as patched:
        for name, filename in fonts.FILES.items():  # fresh fonts: nothing measured before this document
            patched.setitem(pdfmetrics._fonts, name, font_class(name, str(fonts.FONT_DIR / filename)))
        count_calls(patched, calls, TTFont, "splitString")
        count_calls(patched, calls, TTFont, "stringWidth")
        return _pdf(), calls


def test_the_packs_fonts_give_reportlabs_pdf_byte_for_byte_with_a_fraction_of_its_loops_and_measurements(
        monkeypatch):
    theirs, their_calls = _counted(monkeypatch, TTFont)
    ours, our_calls = _counted(monkeypatch, fonts._Font)
    assert ours == theirs
    assert their_calls["splitString"] > 500 and our_calls["splitString"] * 10 < their_calls["splitString"], \
        (their_calls, our_calls)  # only a text with a character not coded yet, or the one without a glyph
    assert our_calls["stringWidth"] * 4 < their_calls["stringWidth"], (their_calls, our_calls)


def test_the_registered_fonts_are_the_packs_own():
    fonts.register_fonts()
    assert all(type(pdfmetrics.getFont(name)) is fonts._Font for name in fonts.FILES)
