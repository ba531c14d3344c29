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


@functools.cache
def register_fonts() -> None:
    for name, filename in FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)
    from reportlab.graphics import shapes  # deferred: ReportLab's graphics, needed only when fonts are registered

    shapes.STATE_DEFAULTS["fontName"] = REGULAR
