"""Table cells judged against a target (``Column.target``): how their status reads in the PDF.

The status itself is :func:`ledinfo.interfaces.results.cell_status` (the one rule, as the charts'
bars and the goals' lights), so the PDF and the JSON name the same status. Colour is never its only
carrier (PDF/UA, and readers who do not see red from green): each cell starts with a symbol that
Vera, the embedded font, has — √ met, ≈ close, × off track — and a cell resting on too few cases
is marked * and left uncoloured. The notes under the table say what the symbols mean and what each
column is judged against.
"""

from __future__ import annotations

from reportlab.lib import colors

from ledinfo.interfaces.results import CLOSE, FEW_CASES, MET, OFF_TRACK, Column
from ledinfo.texts.formatting import format_value, translate
from ledinfo.texts.language import N_, Language

SYMBOLS = {MET: "√", CLOSE: "≈", OFF_TRACK: "×", FEW_CASES: "*"}
# light tints of the charts' status colours (render/charts.py STATUS_COLOURS), dark text stays readable on them
TINTS = {MET: colors.HexColor("#DCEFE2"), CLOSE: colors.HexColor("#F8ECC9"), OFF_TRACK: colors.HexColor("#F6DAD7")}
FEW_TEXT = colors.HexColor("#6B6B6B")
NBSP = "\u00a0"


def judged_text(text: str, status: str | None) -> str:
    """The cell's text with its status symbol in front, held together on one line."""
    if status is None:
        return text
    return f"{SYMBOLS[status]}{NBSP}{text.replace(' ', NBSP)}"


def judged_style(cells: list[tuple[int, int, str]]) -> list[tuple]:
    """TableStyle commands for (column, row, status) cells: a status's tint; grey text for too few cases."""
    style = []
    for column, row, status in cells:
        if status in TINTS:
            style.append(("BACKGROUND", (column, row), (column, row), TINTS[status]))
        elif status == FEW_CASES:
            style.append(("TEXTCOLOR", (column, row), (column, row), FEW_TEXT))
    return style


def judged_notes(language: Language, columns: list[Column], threshold: int,
                 statuses: set[str]) -> list[str]:
    """The legend of the symbols used, then per target the columns judged against it."""
    judged = [c for c in columns if c.target is not None]
    if not judged:
        return []
    notes = [" · ".join(language(word) for _, word in LEGEND)]  # all three, so a reader learns the scheme
    if FEW_CASES in statuses:
        notes.append(language("*: rests on fewer than {threshold} cases, so one case moves it a lot: not judged.",
                              threshold=threshold))
    by_target: dict = {}  # a target's label may be a dict (its own translations): keyed by its repr
    for column in judged:
        by_target.setdefault(repr(column.target), (column.target, []))[1].append(column)
    for target, alike in by_target.values():
        value = format_value(language, target.value, "share" if alike[0].kind == "share" else "number")
        names = ", ".join(translate(language, c.label) for c in alike)
        message = (N_("{columns}: judged against {target}, at least {value}.") if target.direction == "at_least"
                   else N_("{columns}: judged against {target}, at most {value}."))
        notes.append(language(message, columns=names, target=translate(language, target.label), value=value))
    return notes


LEGEND = ((MET, N_("√ green: met")), (CLOSE, N_("≈ yellow: close (within 5 percentage points, other figures 10 %)")),
          (OFF_TRACK, N_("× red: off track")))
