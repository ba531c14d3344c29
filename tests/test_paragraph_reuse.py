"""A pack's paragraphs parsed once a process for each text and style, and broken into lines once for each width
(render/paragraphs.py): the very same PDF as ReportLab's own Paragraph gives, for a fraction of its work."""

from __future__ import annotations

import io
from collections import Counter

from reportlab.lib.pagesizes import A4
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Table
from reportlab.platypus import paragraph as reportlab_paragraph

from conftest import count_calls
from ledinfo.render import pdf as render_pdf
from ledinfo.render.paragraphs import Paragraph

LEGEND = "√ grøn: nået · ≈ gul: tæt på (inden for 5 procentpoint for en andel) · × rød: ikke nået"


def _story(make) -> list:
    """What a pack repeats: a legend under every chart, the same header words and cells in every table (a narrow
    column's word hyphenated), markup, bullets, and a long text split over a page."""
    styles = render_pdf._styles()
    story: list = []
    for number in range(6):
        story.append(KeepTogether([make("Sager pr. årsværk", styles["h2"]), make(LEGEND, styles["small"]),
                                   make("<b>Hele kommunen</b> og <i>teamene</i>", styles["body"])]))
        rows = [[make("Netværksanbringelse", styles["head_hyphenated"]), make("Hele kommunen", styles["cell"]),
                 make(f"Sag {row % 4}", styles["cell_right"])] for row in range(30)]
        story.append(Table(rows, colWidths=[52, 200, 120 + number], repeatRows=1))
        story.append(make(" ".join([LEGEND] * 12), styles["lead"]))
        story.append(make("Et punkt at handle på", styles["bullet"], bulletText="•"))
    return story


def _pdf(make) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(_story(make))
    return buffer.getvalue()


def _counted(monkeypatch, make) -> tuple[bytes, Counter]:
    """The PDF, and how often ReportLab parsed a paragraph's markup and broke a paragraph into lines."""
    calls: Counter = Counter()
    with monkeypatch.context() as patched:  # the real methods run; they are only counted
        count_calls(patched, calls, reportlab_paragraph.ParaParser, "parse")
        count_calls(patched, calls, reportlab_paragraph.Paragraph, "breakLines")
        return _pdf(make), calls


def test_paragraphs_reused_give_reportlabs_pdf_byte_for_byte_with_a_fraction_of_its_parses_and_line_breaks(
        monkeypatch):
    theirs, their_calls = _counted(monkeypatch, lambda text, style, **kw: reportlab_paragraph.Paragraph(text, style,
                                                                                                         **kw))
    ours, our_calls = _counted(monkeypatch, lambda text, style, **kw: render_pdf.Paragraph(text, style, **kw))
    assert ours == theirs
    assert their_calls["parse"] > 500 and our_calls["parse"] <= 12, (their_calls, our_calls)  # once for each text
    assert our_calls["breakLines"] * 4 < their_calls["breakLines"], (their_calls, our_calls)


def test_the_pack_makes_its_paragraphs_with_the_reusing_class():
    assert render_pdf.Paragraph is Paragraph
    assert render_pdf._styles("da") is render_pdf._styles("da")  # a parse is found by its style
