"""How a verdict looks in the PDF: its colour, tint and symbol, and the notes that say what it is judged against.

The verdict is the figure's own (``Figure.verdict``, made once by the build: :mod:`ledinfo.model.verdicts`),
bound to each judged table cell and chart value (:mod:`ledinfo.render.verdicts`), so the PDF and the JSON
of every pack name the same one. Colour is never its only carrier (PDF/UA, and readers who do not see red
from green): each cell starts with a symbol that Vera, the embedded font, has — √ met, ≈ close, × not met —
and a figure resting on too few cases is marked * and left uncoloured. The notes under a table or chart
say what the symbols mean, the margin of "close", and what each value is judged against.
"""

from __future__ import annotations

from reportlab.lib import colors

from ledinfo.language import Language
from ledinfo.model.verdicts import CLOSE, FEW_CASES, MET, OFF_TRACK, SYMBOLS, Margin, Yardstick
from ledinfo.words.verdicts import legend_text, yardstick_clause

# A verdict's colour, the same in a chart's bar, a status cell and a key figure
COLOURS = {MET: "#1B7F3B", CLOSE: "#B58100", OFF_TRACK: "#B3261E", FEW_CASES: "#8A8A8A"}
# light tints of those, for a judged table cell: dark text stays readable on them
TINTS = {MET: colors.HexColor("#DCEFE2"), CLOSE: colors.HexColor("#F8ECC9"), OFF_TRACK: colors.HexColor("#F6DAD7")}
FEW_TEXT = colors.HexColor("#6B6B6B")
NBSP = "\u00a0"


def judged_text(text: str, level: str | None) -> str:
    """The cell's text with its verdict's symbol in front, held together on one line."""
    if level is None:
        return text
    return f"{SYMBOLS[level]}{NBSP}{text.replace(' ', NBSP)}"


def judged_style(cells: list[tuple[int, int, str]]) -> list[tuple]:
    """TableStyle commands for (column, row, level) cells: a level's tint; grey text for too few cases."""
    style = []
    for column, row, level in cells:
        if level in TINTS:
            style.append(("BACKGROUND", (column, row), (column, row), TINTS[level]))
        elif level == FEW_CASES:
            style.append(("TEXTCOLOR", (column, row), (column, row), FEW_TEXT))
    return style


def judged_notes(language: Language, margin: Margin, threshold: int, levels: set[str],
                 judged: list[tuple[str, Yardstick]], named: bool = True) -> list[str]:
    """The legend (every level, and the margin of "close"); the note on too few cases where one is; then, when
    ``named``, each yardstick with what it judges: ``judged`` is (what is judged, in words; its yardstick)."""
    if not judged:
        return []
    notes = [legend_text(language, margin)]
    if FEW_CASES in levels:
        notes.append(language("*: rests on fewer than {threshold} cases, so one case moves it a lot: not judged.",
                              threshold=threshold))
    by_yardstick: dict = {}
    for name, yardstick in judged if named else ():
        key = (yardstick.basis, yardstick.value, yardstick.direction, repr(yardstick.label), yardstick.unit)
        names = by_yardstick.setdefault(key, (yardstick, []))[1]
        if name not in names:
            names.append(name)
    for yardstick, names in by_yardstick.values():
        notes.append(language("{columns}: judged against {yardstick}.", columns=", ".join(names),
                              yardstick=yardstick_clause(language, yardstick)))
    return notes
