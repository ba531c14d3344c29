"""Fonts: Bitstream Vera Sans, shipped with ReportLab, embedded everywhere.

Vera covers æøåÆØÅ and the punctuation a Danish report needs, installs with
pip, and vl-convert can lay charts out with the very same font, so chart
labels measure the same in Vega and in the PDF. ReportLab falls back to a
non-embedded Helvetica in places (the doc template's initial font and the
graphics state defaults); :func:`register_fonts` closes them.
"""

from __future__ import annotations

import functools
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
FAMILY = "Bitstream Vera Sans"  # the family name inside the TTF files (what Vega asks for)
REGULAR, BOLD, ITALIC, BOLD_ITALIC = "Vera", "Vera-Bold", "Vera-Italic", "Vera-BoldItalic"
FILES = {REGULAR: "Vera.ttf", BOLD: "VeraBd.ttf", ITALIC: "VeraIt.ttf", BOLD_ITALIC: "VeraBI.ttf"}


class _Font(TTFont):
    """ReportLab's TrueType font, whose text is split into the document's subsets by one ``str.translate`` where every
    character already has its code in the first subset (almost every text after a page or two: a pack draws about
    a hundred distinct characters). ReportLab's own :meth:`splitString` looks each character up in a Python loop
    (a twentieth of the subset's PDF time under cProfile). Any other text (a character the document has not drawn
    yet, or one beyond the first subset) goes the old way, which gives it its code; the bytes are the same either
    way."""

    def __init__(self, name: str, filename: str, *args, **kwargs):
        super().__init__(name, filename, *args, **kwargs)
        self._widths: dict[tuple, float] = {}

    def stringWidth(self, text, size, encoding="utf8"):
        """The width of ``text`` at ``size``, measured once a process (:data:`MAX_WIDTHS` kept, the oldest dropped
        first): a pack measures the same words again and again (a column's cells to size it, a paragraph's words to
        break its lines, a right-aligned cell to place it): 93 % of the subset's 301,000 measurements are found
        here."""
        key = (text, size, encoding)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) >= MAX_WIDTHS:
                del self._widths[next(iter(self._widths))]
            width = self._widths[key] = super().stringWidth(text, size, encoding)
        return width

    def splitString(self, text, doc, encoding="utf-8"):
        state = self.state.get(doc)
        if state is not None and isinstance(text, str):
            known, table = _first_subset(state)
            if known.issuperset(text):
                return [(0, text.translate(table).encode("latin-1"))] if text else []
        return super().splitString(text, doc, encoding)


MAX_WIDTHS = 4096  # texts' widths kept a process, for each font: under 1 MiB when full (about 220 bytes each)


def _first_subset(state) -> tuple[frozenset[str], dict[int, int]]:
    """The characters a document's font state has coded in its first subset, and their codes (a no-break space is
    drawn as a space, as :meth:`TTFont.splitString` does), remade when a character was given a code since."""
    made = getattr(state, "_ledinfo_first_subset", None)
    if made is None or made[0] != len(state.assignments):
        codes = {char: code for char, code in state.assignments.items() if code < 256}
        if 32 in codes:
            codes[0xA0] = codes[32]
        made = state._ledinfo_first_subset = (len(state.assignments), frozenset(map(chr, codes)), codes)
    return made[1], made[2]


@functools.cache
def register_fonts() -> None:
    for name, filename in FILES.items():
        pdfmetrics.registerFont(_Font(name, str(FONT_DIR / filename)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)
    from reportlab.graphics import shapes  # deferred: ReportLab's graphics, needed only when fonts are registered

    shapes.STATE_DEFAULTS["fontName"] = REGULAR
