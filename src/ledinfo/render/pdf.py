"""The PDF of a pack, with ReportLab.

A4 pages: a cover (municipality, audience, period, as-of date) with the table of
contents, one chapter per section (key figures, short text, charts with a
one-line takeaway, tables that split across pages with repeated headers, and
notes kept with what they explain), running header and footer with "Side X af Y", PDF bookmarks per
section, document metadata and language; a tagged PDF (PDF/UA-1, :mod:`ledinfo.render.tagging`): its
structure follows the story, charts carry their data in words. Every font is Vera, embedded. The
output is byte-identical for the same input (ReportLab's invariant mode; the
dates in the file derive from the period, or from SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ledinfo.disclosure.disclose import SUPPRESSED_SUFFIX, suppressed_column
from ledinfo.language import N_, Language
from ledinfo.model.audiences import audience
from ledinfo.model.results import FEW_STAFF, SMALL, Chart, SectionResult, Unit
from ledinfo.model.results import Table as ResultTable
from ledinfo.render.charts import ChartBook, chart_cache_enabled, chart_key, unpacked
from ledinfo.render.describe import chart_alt
from ledinfo.render.fonts import BOLD, ITALIC, REGULAR, register_fonts
from ledinfo.render.grouped import Layout, grouped_lines, grouped_table
from ledinfo.render.hyphenation import hyphenator, narrowest
from ledinfo.render.judged import COLOURS, NBSP, judged_notes, judged_style, judged_text
from ledinfo.render.markdown import blocks as markdown_blocks
from ledinfo.render.markdown import plain as markdown_plain
from ledinfo.render.paragraphs import Paragraph
from ledinfo.render.tagging import Figure, TaggingCanvas, mark, structure
from ledinfo.render.verdicts import verdict_column
from ledinfo.runtime.timing import Timings
from ledinfo.texts.content import PackContent
from ledinfo.texts.readable import MAX_BARS, municipality_label, readable
from ledinfo.words.formatting import (
    UNIT_FORMATS,
    format_value,
    hidden_mark,
    key_figure,
    no_cases,
    outside_data_text,
    own_figure,
    translate,
)
from ledinfo.words.sentences import hidden_words, label, none_due_yet, part_of
from ledinfo.words.verdicts import level_word, verdict_text

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 2.0 * cm
MARGIN_TOP = 2.4 * cm
MARGIN_BOTTOM = 2.0 * cm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
TABLE_WIDTH = CONTENT_WIDTH - 12  # inside the frame's own padding (6 points a side), so no cell passes the margin

INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#5f6368")
ACCENT = colors.HexColor("#0B3C5D")
ACCENT_LIGHT = colors.HexColor("#E8EEF3")
RULE = colors.HexColor("#C8D1D9")
RED = colors.HexColor("#B3261E")

# Streams are compressed and written as binary: ASCII85 on top makes every PDF 7 % larger and costs
# an encoding pass (ReportLab's default dates from 7-bit mail). A global of ReportLab's, read as each stream is written.
rl_config.useA85 = 0

MAX_CELL_CHARS = 300  # a cell taller than a page raises LayoutError; long texts are cut


STATUS_INDENT = 7  # points from a status cell's dot to its word


@functools.cache
def _styles(language_code: str = "da") -> dict[str, ParagraphStyle]:
    """The pack's paragraph styles, made once a process for each language (a paragraph's parse is kept by its text and
    style: render/paragraphs.py), never changed. A table's header never breaks a word mid-word; a header or cell whose
    column is narrower than one of its words (:func:`_column_widths` leaves room for its widest piece) takes
    the "…_hyphenated" style, which breaks it at a hyphenation point of the pack's language only
    (render/hyphenation.py). Only then: hyphenation fills lines, and would break "Hele kom-munen" where
    "kommunen" fits whole on the next line."""
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, bulletFontName=REGULAR, fontSize=9.5, leading=13.5,
                          textColor=INK, spaceAfter=5)
    styles = {
        "body": base,
        "lead": ParagraphStyle("lead", parent=base, fontSize=10.5, leading=15),
        "bullet": ParagraphStyle("bullet", parent=base, fontSize=10.5, leading=15, leftIndent=14, bulletIndent=2,
                                 spaceAfter=6),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=17, leading=21, textColor=ACCENT,
                             spaceBefore=0, spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=11, leading=14, textColor=INK,
                             spaceBefore=10, spaceAfter=4),
        "small": ParagraphStyle("small", parent=base, fontSize=7.8, leading=10.5, textColor=MUTED),
        "takeaway": ParagraphStyle("takeaway", parent=base, fontName=ITALIC, fontSize=8.8, leading=12,
                                   textColor=INK, spaceBefore=2, spaceAfter=8),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10, spaceAfter=0),
        # a status cell: a coloured dot as the bullet before the verdict's word (_status_cell)
        "status": ParagraphStyle("status", parent=base, fontSize=8, leading=10, spaceAfter=0, bulletFontSize=12,
                                 bulletOffsetY=-1.5, bulletIndent=0, leftIndent=STATUS_INDENT),
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=8, leading=10, spaceAfter=0,
                                     alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0,
                               textColor=colors.white, splitLongWords=0),
        "head_right": ParagraphStyle("head_right", parent=base, fontName=BOLD, fontSize=8, leading=10,
                                     spaceAfter=0, textColor=colors.white, alignment=TA_RIGHT, splitLongWords=0),
        "card_label": ParagraphStyle("card_label", parent=base, fontSize=8, leading=10, textColor=MUTED,
                                     spaceAfter=0),
        "card_value": ParagraphStyle("card_value", parent=base, fontName=BOLD, fontSize=19, leading=23,
                                     textColor=ACCENT, spaceAfter=0, splitLongWords=0),
        "card_sub": ParagraphStyle("card_sub", parent=base, fontSize=8, leading=10, textColor=INK, spaceAfter=0,
                                   splitLongWords=0),
        "cover_org": ParagraphStyle("cover_org", parent=base, fontName=BOLD, fontSize=14, leading=18,
                                    textColor=colors.white),
        "cover_title": ParagraphStyle("cover_title", parent=base, fontName=BOLD, fontSize=28, leading=34,
                                      textColor=ACCENT, spaceAfter=14),
        "cover_sub": ParagraphStyle("cover_sub", parent=base, fontSize=14, leading=19, textColor=INK,
                                    spaceAfter=6),
        "cover_meta": ParagraphStyle("cover_meta", parent=base, fontSize=10, leading=15, textColor=MUTED),
        # the administration's comments: a tinted block, so the reader tells them from the figures' texts
        "comment": ParagraphStyle("comment", parent=base, fontSize=10, leading=14.5, backColor=ACCENT_LIGHT,
                                  borderPadding=(3, 6, 3, 6), leftIndent=6, rightIndent=6, spaceAfter=6),
        "comment_bullet": ParagraphStyle("comment_bullet", parent=base, fontSize=10, leading=14.5,
                                         backColor=ACCENT_LIGHT, borderPadding=(3, 6, 3, 20), leftIndent=20,
                                         bulletIndent=8, rightIndent=6, spaceAfter=6),
        "comment_head": ParagraphStyle("comment_head", parent=base, fontName=BOLD, fontSize=10.5, leading=14,
                                       textColor=ACCENT, spaceBefore=6, spaceAfter=6),
    }
    for name in ("cell", "cell_right", "head", "head_right"):
        styles[f"{name}_hyphenated"] = ParagraphStyle(f"{name}_hyphenated", parent=styles[name],
                                                      hyphenationLang=hyphenator(language_code))
    return styles


def build_date(content: PackContent) -> dt.datetime:
    """The date written into the file: SOURCE_DATE_EPOCH if set, else the day after the period."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    period = content.view.period
    return dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(0, 0))


# --- formatting ---------------------------------------------------------------

# --- page furniture -------------------------------------------------------------

class NumberedCanvas(TaggingCanvas):
    """Defers page output so every page can say "Side X af Y" and the contents can show page numbers.

    The document is laid out once: a contents line only reserves the place of its
    page number (:class:`ContentsLine`), and the number is drawn when the canvas is
    saved and every heading's page is known. (ReportLab's TableOfContents needs
    ``multiBuild``, which lays the whole document out twice.)
    """

    header_left = ""
    header_right = ""
    footer_left = ""
    page_word = "Page {page} of {pages}"
    draft = ""  # a draft's mark, on every page (PackContent.draft)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages = []
        self.heading_pages: dict[str, int] = {}  # heading key -> page number
        self.contents_slots: dict[int, list[tuple]] = {}  # page -> (x, y, text, key, structure element)

    def showPage(self):
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._page_numbers_in_contents()
            self._furniture(total, cover=self._pageNumber == 1)
            super().showPage()
        super().save()

    def _page_numbers_in_contents(self) -> None:
        dot = stringWidth(" .", REGULAR, CONTENTS_FONT_SIZE)
        for x, y, text, key, element in self.contents_slots.get(self._pageNumber, []):
            number = str(self.heading_pages.get(key, ""))
            room = PAGE_WIDTH - MARGIN_X - x - stringWidth(f"{text}  {number}", REGULAR, CONTENTS_FONT_SIZE)
            self.setFont(REGULAR, CONTENTS_FONT_SIZE)
            self.setFillColor(INK)
            # the text and the number are the line's content; the dot leader between them is decoration
            with self.marked(element):
                self.drawString(x, y, text)
            self.drawString(x + stringWidth(text, REGULAR, CONTENTS_FONT_SIZE), y, " ." * max(0, int(room / dot)))
            with self.marked(element):
                self.drawRightString(PAGE_WIDTH - MARGIN_X, y, number)

    def _furniture(self, total: int, cover: bool = False) -> None:
        """The running header (not on the cover) and the footer with "Side X af Y"."""
        self.saveState()
        self.setFont(REGULAR, 7.5)
        self.setFillColor(MUTED)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        if not cover:
            top = PAGE_HEIGHT - 1.35 * cm
            self.drawString(MARGIN_X, top, self.header_left)
            self.drawRightString(PAGE_WIDTH - MARGIN_X, top, self.header_right)
            self.line(MARGIN_X, top - 4, PAGE_WIDTH - MARGIN_X, top - 4)
        bottom = 1.15 * cm
        self.line(MARGIN_X, bottom + 10, PAGE_WIDTH - MARGIN_X, bottom + 10)
        self.drawString(MARGIN_X, bottom, self.footer_left)
        self.drawRightString(PAGE_WIDTH - MARGIN_X, bottom,
                             self.page_word.format(page=self._pageNumber, pages=total))
        if self.draft:  # in the footer's middle, where no other pack has anything: red, bold
            self.setFont(BOLD, 9)
            self.setFillColor(RED)
            self.drawCentredString(PAGE_WIDTH / 2, bottom, self.draft)
        self.restoreState()


class Heading(Paragraph):
    """A section heading that becomes a TOC entry and a PDF bookmark."""

    def __init__(self, text: str, style, key: str, level: int = 0):
        super().__init__(escape(text), style)
        self.toc_text = text
        self.key = key
        self.level = level


CONTENTS_FONT_SIZE = 10.5


class ContentsLine(Flowable):
    """One line of the contents, linking to its heading; the page number is drawn on save."""

    struct_role = "TOCI"

    def __init__(self, text: str, key: str):
        super().__init__()
        self.text, self.key = text, key

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, 16

    def draw(self):
        canvas = self.canv
        x, y = canvas.absolutePosition(0, 4)
        canvas.contents_slots.setdefault(canvas.getPageNumber(), []).append(
            (x, y, self.text, self.key, getattr(self, "_struct", None)))
        canvas.linkRect("", self.key, (0, 0, self.width, 16), relative=1, thickness=0)


class _Document(BaseDocTemplate):
    def __init__(self, buffer, **kwargs):
        super().__init__(buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, initialFontName=REGULAR, initialFontSize=9.5,
                         initialLeading=13.5, **kwargs)
        body = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, id="body")
        cover = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, PAGE_HEIGHT - 6.5 * cm - MARGIN_BOTTOM, id="cover")
        self.addPageTemplates([PageTemplate("cover", [cover], onPage=self._cover_band),
                               PageTemplate("body", [body])])
        self.cover_org = ""

    def _cover_band(self, canvas, doc):
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, PAGE_HEIGHT - 4.2 * cm, PAGE_WIDTH, 4.2 * cm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(BOLD, 15)
        canvas.drawString(MARGIN_X, PAGE_HEIGHT - 2.5 * cm, self.cover_org)
        canvas.restoreState()

    def afterFlowable(self, flowable):
        if isinstance(flowable, Heading):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.toc_text, flowable.key, level=flowable.level, closed=False)
            self.canv.heading_pages[flowable.key] = self.page


# --- content ------------------------------------------------------------------

def _key_figures(section: SectionResult, content: PackContent, styles) -> list:
    language, view = content.view.language, content.view
    cards, empty, not_due = [], [], []
    for indicator in section.headline:
        figure = key_figure(language, section, indicator, view.team, view.threshold, view.period)
        if figure is None:
            continue
        own = own_figure(section, indicator, view.team)
        if no_cases(section, indicator, view.team):
            # no case counts now: none at all, or every one pending (not due yet: no 0 %, and no "no cases")
            (not_due if none_due_yet(own) else empty).append(figure[0])
            continue
        cards.append((*_with_base(language, figure, own), own.verdict))  # the figure's one verdict
    # none of a tile's cases now: its name in a sentence, not a tile of dashes (one rule for every tile)
    team = view.team is not None
    said = [Paragraph(escape(_held(language(message, names="; ".join(names)))), styles["lead"])
            for message, names in (((NO_CASES_IN_TEAM if team else NO_CASES_AT_ALL), empty),
                                   ((NOT_DUE_IN_TEAM if team else NOT_DUE_AT_ALL), not_due)) if names]
    if not cards:
        return said
    width = CONTENT_WIDTH / max(len(cards), 2)
    room = width - CARD_PADDING
    cards = [[Paragraph(escape(name), styles["card_label"]),
              Paragraph(escape(_unbroken(value)), _fitted(styles["card_value"], _unbroken(value), room)),
              Paragraph(escape(_unbroken(sub)), _fitted(styles["card_sub"], _unbroken(sub), room))]
             + ([_tile_verdict(verdict_text(language, verdict, view.threshold, symbol=True), COLOURS[verdict.level],
                               styles["card_sub"], room)] if verdict is not None else [])
             for name, value, sub, verdict in cards]
    table = Table([[card for card in cards]], colWidths=[width] * len(cards), hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
        ("LINEAFTER", (0, 0), (-2, -1), 3, colors.white),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ("LEFTPADDING", (0, 0), (-1, -1), 9),
    ]))
    return [table, Spacer(1, 10), *said]


def _with_base(language: Language, figure: tuple[str, str, str], own) -> tuple[str, str, str]:
    """A tile's (label, value, line under it), the line saying the figure's base as a share's does ("31 af 35
    sager") where the figure is a rate of whole things it counts: supervision's reviews against the local standard,
    which may pass 100 %, stood without its base beside the sample's "28 af 36" (a fresh reader's finding). A rate
    over an average (turnover: leavers of the average number employed) has no such base."""
    name, value, sub = figure
    whole = all(isinstance(part, int) and not isinstance(part, bool) for part in (own.numerator, own.denominator))
    if own.unit != Unit.RATE or not own.counts or not own.denominator or own.suppressed or not whole:
        return figure
    return name, value, " · ".join([part_of(language, own), *([sub] if sub else [])])


NO_CASES_IN_TEAM = N_("None of the team's cases count in these key figures: {names}.")
NO_CASES_AT_ALL = N_("No cases count in these key figures: {names}.")
# every case of the figure pending, none judged yet (words.sentences.none_due_yet): why none counts, said plainly
NOT_DUE_IN_TEAM = N_("None of the team's cases count in these key figures yet: {names}; none of them is due yet.")
NOT_DUE_AT_ALL = N_("No cases count in these key figures yet: {names}; none of them is due yet.")


# a target's direction, said with its value in a table ("mindst 90 %", "højst 25,0")
DIRECTION_WORDS = {"at_least": N_("at least {value}"), "at_most": N_("at most {value}")}
CARD_PADDING = 9 + 6 + 1  # a tile's left and (ReportLab's default) right padding, and a point to spare
NO_BREAK = "\u00a0"


# A number and its unit in running text: "63 %", "2,1 mio. kr.", "975.151 kr." never broken over two lines
_NUMBER_AND_UNIT = re.compile(r"(\d) (?=%|mio\. kr\.|kr\.)")


def _held(text: str) -> str:
    """Running text (a section's sentences, the summary) with each number held to its unit."""
    return _NUMBER_AND_UNIT.sub("\\1" + NO_BREAK, text).replace("mio. kr.", f"mio.{NO_BREAK}kr.")


def _unbroken(text: str) -> str:
    """A tile's text with a number held to its unit and each comparison held together ("139,3 mio. kr.",
    "nov 25: 100 %"): a line breaks only between the parts (" · "), the dot kept with the part before."""
    return f"{NO_BREAK}· ".join(part.replace(" ", NO_BREAK) for part in text.split(" · "))


def _tile_verdict(text: str, colour: str, style: ParagraphStyle, room: float) -> Paragraph:
    """A tile's verdict in its level's colour, each number held to its unit and no word alone on its last line."""
    return Paragraph(f'<font color="{colour}">{escape(_no_widow(_held(text), style, room))}</font>', style)


def _no_widow(text: str, style: ParagraphStyle, room: float) -> str:
    """``text`` with its last two words held together where they fit a line: a tile's verdict wrapped as
    "… alle frister / overholdt" left one word alone under the rest (a fresh reader's finding)."""
    head, space, last = text.rpartition(" ")
    if not space or " " not in head:
        return text
    pair = head.rpartition(" ")[2] + " " + last
    return head + NO_BREAK + last if stringWidth(pair, style.fontName, style.fontSize) <= room else text


def _fitted(style: ParagraphStyle, text: str, room: float) -> ParagraphStyle:
    """``style``, smaller where a part of ``text`` that must not break (:func:`_unbroken`) is wider than
    ``room``: a tile shows its number whole, never "139,3 mio. / kr."."""
    widest = max((stringWidth(part, style.fontName, style.fontSize) for part in text.split(" ")), default=0)
    if widest <= room:
        return style
    return _smaller(style, style.fontSize * room / widest)


@functools.lru_cache(maxsize=1024)
def _smaller(style: ParagraphStyle, size: float) -> ParagraphStyle:
    """``style`` at ``size``, one style a process for each (a paragraph's parse is kept by its style)."""
    return ParagraphStyle(f"{style.name}_fitted", parent=style, fontSize=size, leading=style.leading * size / style.fontSize)


def _cell_text(value) -> str:
    text = str(value)
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS - 1] + "…"


def _table(table: ResultTable, content: PackContent, styles) -> list:
    language, view = content.view.language, content.view
    title = translate(language, table.title)
    flow: list = [Paragraph(escape(title), styles["h2"])]
    frame = table.frame
    columns = [c for c in table.columns if c.key in frame.columns]
    if table.team_column and table.team_column in frame.columns and audience(view.audience).per_team:
        # the team-leader pack holds one team: the team column says nothing there (null_count: the Series' own count,
        # where is_null() ran a query of a frame for each table, 0.2 ms)
        columns = [c for c in columns if c.key != table.team_column] if frame[table.team_column].null_count() == 0 \
            else columns
    if frame.height == 0:
        flow.append(Paragraph(escape(language(table.empty_text)), styles["body"]))
        return [KeepTogether(flow)]
    numeric = {"count", "share", "number", "money", "days", "integer", "goal", "target", "deviation"}
    everyone = municipality_label(language)
    total_rows = []
    hidden_kinds: set[str] = set()  # how its cells are hidden (Figure.hidden_as), for the lines under it
    body: list[list] = []  # per row: a cell's text, or a ready Paragraph (a status)
    statuses: list[tuple[int, int, str]] = []  # (column, row, status) of the cells judged against a target
    for index, row in enumerate(frame.iter_rows(named=True), start=1):
        cells = []
        for column in columns:
            value = row[column.key]
            hidden_as = row.get(suppressed_column(column.key))
            if hidden_as:
                # a small count shows as "<5"; any other hidden number as "–"
                text = hidden_mark(hidden_as, view.threshold)
                hidden_kinds.add(hidden_as)
            elif column.key == table.team_column and value is None:
                text = everyone
                total_rows.append(index)
            elif column.kind in ("text", "id") and isinstance(value, str) and value in table.value_labels:
                text = label(value, table.value_labels, language)
            elif column.kind in ("goal", "target"):
                text = format_value(language, value, UNIT_FORMATS.get(row.get("unit"), "number"))
                if column.kind == "target" and value is not None and row.get("direction") in DIRECTION_WORDS:
                    # "højst 15 %": a ceiling read as one more floor beside "90 %" (a fresh reader's finding)
                    text = language(DIRECTION_WORDS[row["direction"]], value=text)
            elif column.kind == "status":
                cells.append(_status_cell(language, value, styles))
                continue
            elif column.from_birth_date is not None and row.get(column.from_birth_date) and value is not None \
                    and column.kind == "date":  # a day that derives from a birth date: its month only (Column)
                text = language.month(value.year, value.month)
            else:
                text = format_value(language, value, column.kind)
            if column.dated_note is not None and row.get(column.dated_note[0]) is not None:
                text += " " + translate(language, column.dated_note[1]).format(
                    date=format_value(language, row[column.dated_note[0]], "date"))
            if not hidden_as and (judged := row.get(verdict_column(column.key))) is not None:  # the figure's verdict
                text = judged_text(text, judged)
                statuses.append((len(cells), index, judged))
            cells.append(_cell_text(text))
        body.append(cells)
    grouped = _group_column(table, columns)
    if grouped is not None:  # a team leader's list: its rows under a line per caseworker, who leaves the columns
        group_label, at = translate(language, columns[grouped].label), grouped
        # a row naming no caseworker goes under "Uden rådgiver", not "Rådgiver: –" (there is none to name)
        shown = [row.pop(at) for row in body]
        keys = [None if value is None else key for key, value in zip(shown, frame[table.group_by])]
        group_lines = {key: f"{group_label}: {key}" for key in keys if key is not None}
        group_lines[None] = translate(language, table.group_empty) if table.group_empty is not None \
            else language(GROUP_EMPTY, label=_lowered(group_label))
        columns = columns[:at] + columns[at + 1:]
        statuses = [(column - (column > at), row, status) for column, row, status in statuses if column != at]
    # a cell's text as it is laid out, for the column's width; a status's word beside its dot, which takes the
    # room ReportLab gives a bullet (_bullet_room)
    texts = [[cell if isinstance(cell, str) else re.sub(r"<[^>]+>", "", cell.text) for cell in row] for row in body]
    right = [c.kind in numeric for c in columns]
    widths = _column_widths([translate(language, c.label) for c in columns],
                            [list(column) for column in zip(*texts)] if texts else None,
                            whole=[r or c.kind == "status" for r, c in zip(right, columns)],  # "• Ikke nået" whole
                            language_code=language.code,
                            indents=[_bullet_room(styles["status"]) if c.kind == "status" else 0 for c in columns])
    header = [Paragraph(escape(text), styles[_fitting("head_right" if c.kind in numeric else "head", text, BOLD, width)])
              for c, width in zip(columns, widths) for text in [translate(language, c.label)]]
    rows = [header, *([_body_cell(cell, widths[i], right[i], styles) for i, cell in enumerate(row)] for row in body)]
    style = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        # the body's plain-text cells look like the "cell" style's Paragraphs
        ("FONTSIZE", (0, 1), (-1, -1), CELL_FONT_SIZE), ("LEADING", (0, 1), (-1, -1), CELL_LEADING),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        *[("ALIGN", (i, 1), (i, -1), "RIGHT") for i, is_right in enumerate(right) if is_right],
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if grouped is not None:
        grid = _grouped_grid(rows, keys, group_lines, widths, style, total_rows, statuses, language, styles)
    else:
        # a long table splits across pages, none of its parts holding fewer than SPLIT_ROWS rows
        split_range = (1 + SPLIT_ROWS, -SPLIT_ROWS) if len(rows) > SHORT_TABLE_ROWS else None
        grid = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", rowSplitRange=split_range)
        for index in total_rows:
            style += _total_row(index)
        grid.setStyle(TableStyle(style + judged_style(statuses)))
    after: list = []
    if table.note:
        after.append(Paragraph(escape(translate(language, table.note)), styles["small"]))
    shown = {c.key: translate(language, c.label) for c in columns}
    judged = [(_judged_name(language, table, shown[key], indicator), yardstick)
              for key, indicator, yardstick in table.yardsticks if key in shown]
    # a table that shows its yardsticks in a column (the goals' targets) needs no note naming them
    named = not any(c.kind == "target" for c in columns)
    after += [Paragraph(escape(note), styles["small"])
              for note in judged_notes(language, view.margin, view.threshold, {s for *_, s in statuses}, judged, named)]
    if hidden_kinds - {SMALL, FEW_STAFF}:
        after.append(Paragraph(escape(language("–: not shown, because it rests on fewer than {threshold} cases or "
                                               "would reveal a number below {threshold}.",
                                               threshold=view.threshold)), styles["small"]))
    if FEW_STAFF in hidden_kinds:  # one caseworker's own figure (ledinfo.disclosure.staff; its section says why)
        after.append(Paragraph(escape("–: " + hidden_words(language, FEW_STAFF, view.threshold)), styles["small"]))
    # a short table moves whole, with its title and notes: no page holds just a note
    if len(grid._cellvalues) <= SHORT_TABLE_ROWS:
        return [KeepTogether(flow + [grid] + after), Spacer(1, 8)]
    # a longer one starts where at least SPLIT_ROOM is left and splits where the page ends (its header
    # repeats), rather than leaving the rest of the page empty; with less room left it starts a new page
    return [Flowing(flow + [grid] + after, SPLIT_ROOM), Spacer(1, 8)]


def _total_row(index: int) -> list[tuple]:
    """A municipality's total row among the teams': tinted, a rule above it."""
    return [("BACKGROUND", (0, index), (-1, index), ACCENT_LIGHT), ("LINEABOVE", (0, index), (-1, index), 0.8, ACCENT)]


# the line of a grouped list's rows that name no value of its column, from the column's label: "Uden rådgiver" under
# "Rådgiver" (there never was one to name), "Uden distrikt" under "Distrikt" (Table.group_empty)
GROUP_EMPTY = N_("No {label}")


def _lowered(label: str) -> str:
    """A column's label as a word inside a phrase: "Rådgiver" -> "rådgiver"; an abbreviation ("CPR-nr.") as it is."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _group_column(table: ResultTable, columns: list) -> int | None:
    """Where the column a list is grouped by stands among those shown (None: the list is not grouped)."""
    keys = [column.key for column in columns]
    return keys.index(table.group_by) if table.group_by in keys and len(keys) > 1 else None


def _grouped_grid(rows: list[list], keys: list[str | None], group_lines: dict, widths: list[float],
                  style: list[tuple], total_rows: list[int], statuses: list[tuple[int, int, str]], language: Language,
                  styles):
    """A list's table with its rows under a line per group (render/grouped.py): "Rådgiver: M-0013 Jakob Knudsen"
    (``group_lines`` by key) spanning the table, in bold on the tint, a rule above it; the rows' own tints go with
    them."""
    own: dict[int, list[tuple]] = {}
    for index in total_rows:
        own.setdefault(index - 1, []).extend(_total_row(index))
    for command in judged_style(statuses):
        own.setdefault(command[1][1] - 1, []).append(command)
    texts, lines = grouped_lines(rows[1:], keys, own)

    def cell(text: str):
        return _body_cell(text, TABLE_WIDTH, False, styles)

    # a list's rows are one line each: closer together than a table of figures' (2 points above and below, not 3),
    # the caseworkers' lines between them giving the eye its rhythm
    style = style + [("TOPPADDING", (0, 1), (-1, -1), LIST_PADDING), ("BOTTOMPADDING", (0, 1), (-1, -1), LIST_PADDING)]
    layout = Layout(rows[0], widths, style, [group_lines[key] for key in texts], cell,
                    lambda text: continued(language, text),
                    (("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
                     ("FONTNAME", (0, 0), (-1, 0), BOLD), ("ALIGN", (0, 0), (-1, 0), "LEFT"),
                     ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT)), SPLIT_ROWS)
    return grouped_table(layout, lines)


def continued(language: Language, text: str) -> str:
    """A group's line named again on the next page: "Rådgiver: M-0013 Jakob Knudsen (fortsat)"; a line that ends in
    a mark says it in the same bracket, "Tidligere rådgiver: M-0021 Katrine Holm (fratrådt, fortsat)", not two."""
    marked = MARKED.fullmatch(text)
    if marked:
        return f"{marked['text']} " + language("({mark}, continued)", mark=marked["mark"])
    return language("{group} (continued)", group=text)


MARKED = re.compile(r"(?P<text>.*\S) \((?P<mark>[^()]+)\)")  # "… (fratrådt)"


CELL_FONT_SIZE, CELL_LEADING = 8, 10
LIST_PADDING = 2  # points above and below a grouped list's row (a table's: 3)
SHORT_TABLE_ROWS = 8  # a table of at most this many rows (header included) is kept on one page
SPLIT_ROOM = 6 * cm  # a longer table starts on the page if this much is left: its title and some rows
SPLIT_ROWS = 3  # a split table leaves at least this many rows on each page


class Flowing(KeepTogether):
    """A block that starts where at least ``room`` is left on the page and splits where the page ends
    (a long table, its header repeated); with less room left it starts on the next page, like a KeepTogether."""

    def __init__(self, flowables: list, room: float):
        super().__init__(flowables)
        self.room = room

    def split(self, available_width, available_height):
        if available_height >= self.room:
            return self._content[:]
        return super().split(available_width, available_height)


CELL_PADDING = 12  # ReportLab's default left and right padding of a table cell, 6 points each


def _body_cell(cell, width: float, right: bool, styles):
    """A text that fits its column on one line stays a plain string, which ReportLab draws as it is;
    only a longer one becomes a Paragraph, which wraps. (A Paragraph per cell was a third of the PDF's time.)"""
    if not isinstance(cell, str):
        return cell
    if "\n" not in cell and stringWidth(cell, REGULAR, CELL_FONT_SIZE) <= width - CELL_PADDING:
        return cell
    return Paragraph(escape(cell), styles[_fitting("cell_right" if right else "cell", cell, REGULAR, width)])


def _words(text: str) -> list[str]:
    """The pieces a line of ``text`` may break between: split at ordinary spaces only. A no-break space holds its
    words together ("3\u00a0mdr.\u00a0før"), as ReportLab's paragraphs keep them; ``str.split()`` split there too,
    and the goals table's "3 mdr. før" column, sized to "mdr.", was printed in three lines."""
    return BREAKS.split(text.strip()) if text.strip() else []


BREAKS = re.compile(r"[ \t\n\r\f\v]+")  # whitespace a line breaks at: every kind but the no-break space


def _fitting(style: str, text: str, font: str, width: float) -> str:
    """``style``, or its hyphenating variant when a word of ``text`` is wider than the column: only then
    may a word break, and only at a hyphenation point."""
    room = width - CELL_PADDING
    return style if all(stringWidth(word, font, CELL_FONT_SIZE) <= room for word in _words(text)) \
        else f"{style}_hyphenated"


def _judged_name(language: Language, table: ResultTable, column: str, indicator: str) -> str:
    """What a judged column's note names: the column; where its rows are several indicators, the indicator."""
    if any(c.figure is not None and c.figure.indicator_column for c in table.columns if c.judged):
        return label(indicator, table.value_labels, language)
    return column


def _status_cell(language: Language, value, styles) -> Paragraph:
    """A status column's cell: the row's verdict as a coloured dot and its word (render/judged.py's colours)."""
    if value not in COLOURS:
        return Paragraph("–", styles["cell"])
    word = escape(level_word(language, value)).replace(" ", NBSP)  # "• Ikke nået" on one line, never broken
    # the dot as the paragraph's bullet, not as a 12-point first word: a first word larger than the text moved
    # the line's baseline down, and the word sat half a line below its row's other cells
    return Paragraph(word, _status_style(styles["status"], value), bulletText="•")


@functools.cache
def _status_style(status: ParagraphStyle, value: str) -> ParagraphStyle:
    """The status style with its level's colour of dot, one a process for each (a paragraph's parse is kept by its
    style)."""
    return ParagraphStyle(f"status {value}", parent=status, bulletColor=COLOURS[value])


def _bullet_room(style: ParagraphStyle) -> float:
    """The room a paragraph's bullet takes before its first line's text, as ReportLab lays it out
    (``paragraph._handleBulletWidth``): the bullet's indent, its width at its own size, and 0.6 of that size —
    or the text's indent if that is more. A status cell's dot is drawn at 12 points beside an 8-point word:
    measuring it as an 8-point character left "Ikke nået" 7 points short, and it broke as "Ikke nåe / t"."""
    bullet = style.bulletIndent + stringWidth("•", style.bulletFontName, style.bulletFontSize) + 0.6 * style.bulletFontSize
    return max(bullet, style.leftIndent + style.firstLineIndent)


def _column_widths(labels: list[str], cells: list[list[str]] | None = None,
                   whole: list[bool] | None = None, language_code: str = "da",
                   indents: list[float] | None = None) -> list[float]:
    """Each column as wide as its longest cell on one line, so ids, dates and numbers take little room
    and the text beside them wraps less (every wrapped line makes the table, and the pack, longer).

    No column is narrower than its longest header word, nor than its longest word in the cells (a date or
    an id is one word; capped, so one very long word wraps); a ``whole`` column's cells never wrap (a number
    with its unit, "100 %", "8,5 mio. kr."). Room left over is shared in proportion to
    the widths; when the columns are too wide together, those whose text can wrap give up room first.
    When the longest words do not fit side by side, a header word may break at a hyphenation point
    ("Netværks-anbringelse"), then a cell's word too; never mid-syllable (render/hyphenation.py). ``indents``
    gives, per column, the room its cells' text starts after (a status's dot: :func:`_bullet_room`).
    """
    padding = CELL_PADDING + 1  # and a point to spare: a word that fits only to the last float digit was wrapped
    indents = indents or [0] * len(labels)

    def widest(words: list[str], font: str, broken: bool, indent: float = 0) -> float:
        return max((narrowest(word, font, CELL_FONT_SIZE, language_code) if broken
                    else stringWidth(word, font, CELL_FONT_SIZE)) for word in words or [""]) + padding + indent

    heads = [_words(label) for label in labels]
    # the narrowest each column may be: its words whole; header words broken; cell words broken too
    levels = [[widest(words, BOLD, broken) for words in heads] for broken in (False, True, True)]
    natural = list(levels[0])
    for index, column in enumerate(cells or []):
        words = [word for text in column for word in (text.split("\n") if whole and whole[index] else _words(text))]
        breakable = not (whole and whole[index])
        for level, broken in zip(levels, (False, False, breakable)):
            level[index] = max(level[index], min(widest(words, REGULAR, broken, indents[index]), MAX_WORD_WIDTH))
        lines = [line for text in column for line in text.split("\n")] or [""]
        natural[index] = max(levels[0][index], max(stringWidth(line, REGULAR, CELL_FONT_SIZE) for line in lines)
                             + padding + indents[index])
    if sum(natural) <= TABLE_WIDTH:  # all on one line: the table spans the page, the spare room shared
        return [w * TABLE_WIDTH / sum(natural) for w in natural]
    excess, minimum = sum(natural) - TABLE_WIDTH, list(levels[0])
    # as few words broken as can be: first the header that gains most from breaking, and so on; cells last
    breaks = [(level, index) for level in (1, 2)
              for index in sorted(range(len(labels)), key=lambda i: levels[level - 1][i] - levels[level][i],
                                  reverse=True) if levels[level][index] < levels[level - 1][index]]
    for level, index in [(0, None), *breaks]:
        if index is not None:
            minimum[index] = levels[level][index]
        slack = [n - m for n, m in zip(natural, minimum)]
        if sum(slack) >= excess:  # the wrapping columns give up room in proportion to what they can give
            return [n - excess * s / sum(slack) for n, s in zip(natural, slack)]
    # too many columns even for their words' pieces: all narrower
    return [m * TABLE_WIDTH / sum(minimum) for m in minimum]


MAX_WORD_WIDTH = 130  # a column holds its longest word up to this width (points); a longer word wraps


def _chart(chart: Chart, content: PackContent, styles) -> list:
    language = content.view.language
    key = chart_key(chart, language)
    given = content.drawings.get(key)  # drawn before rendering, pickled (charts.packed)
    drawing = unpacked(given) if given else _process_chart_book().drawing(chart, language, CONTENT_WIDTH, key)
    parts = [Paragraph(escape(translate(language, chart.title)), styles["h2"]),
             Figure(drawing, _alt_text(key, chart, language, content.view.threshold))]
    _, cut = readable(chart)
    if cut:
        parts.append(Paragraph(escape(language(cut, count=MAX_BARS)), styles["small"]))
    hidden = {how for column in chart.frame.columns if column.endswith(SUPPRESSED_SUFFIX)
              for how in chart.frame[column].drop_nulls().unique().to_list()}
    if hidden - {FEW_STAFF}:
        parts.append(Paragraph(escape(language("Values below {threshold}, and numbers they could be worked out from, "
                                               "are not shown.", threshold=content.view.threshold)), styles["small"]))
    if FEW_STAFF in hidden:  # one caseworker's own figure (ledinfo.disclosure.staff; its section says why)
        parts.append(Paragraph(escape("–: " + hidden_words(language, FEW_STAFF, content.view.threshold)),
                               styles["small"]))
    parts += [Paragraph(escape(note), styles["small"]) for note in _chart_notes(chart, content)]
    if chart.takeaway:
        parts.append(Paragraph(escape(chart.takeaway), styles["takeaway"]))
    else:
        parts.append(Spacer(1, 8))
    return [KeepTogether(parts)]


def _alt_text(key: str, chart: Chart, language: Language, threshold: int) -> str:
    """The chart's alternative text (:func:`chart_alt`), made once a process for each chart, language and threshold:
    the municipality's charts recur in the committee's, the directors' and every team's pack, and describing one
    labels its whole frame again. ``key`` is the chart's drawing (:func:`chart_key`), which leaves out its takeaway
    (the alt text's first words) and the language's more exact decimals (``Language.precise``): both join it here."""
    wanted = (key, chart.takeaway, language, threshold)
    found = _ALT_TEXTS.get(wanted)
    if found is None:
        if len(_ALT_TEXTS) >= MAX_ALT_TEXTS:  # a long run of many municipalities: the oldest go first
            del _ALT_TEXTS[next(iter(_ALT_TEXTS))]
        found = _ALT_TEXTS[wanted] = chart_alt(chart, language, threshold)
    return found


_ALT_TEXTS: dict[tuple, str] = {}
MAX_ALT_TEXTS = 4096


def _chart_notes(chart: Chart, content: PackContent) -> list[str]:
    """Under a judged chart: the legend with the margin of "close", and, where its values are judged against
    different yardsticks, which against which; under a budget chart, what its colours say."""
    language, view = content.view.language, content.view
    if chart.budget is not None:
        return [language("The colour says whether the function is expected to keep its budget for the year "
                         "(the forecast against the corrected budget).")]
    if not chart.judged or not chart.yardsticks:
        return []
    column = verdict_column(chart.y)
    levels = set(chart.frame[column].drop_nulls().to_list()) if column in chart.frame.columns else set()
    several = len({(y.basis, y.value, y.direction, repr(y.label)) for y in chart.yardsticks}) > 1
    judged = [(label(y.indicator, chart.value_labels, language) if several else translate(language, chart.title), y)
              for y in chart.yardsticks]
    # one yardstick: the line on the chart names it; a trend's lines are its series' colours, no verdict's
    notes = judged_notes(language, view.margin, view.threshold, levels, judged, named=several)
    return notes[1:] if chart.kind == "line" else notes


@functools.cache
def _process_chart_book() -> ChartBook:
    """Charts a pack was not given already drawn (a pack rendered on its own, or LEDINFO_NO_CACHE)."""
    return ChartBook(cache=chart_cache_enabled())


def _section(section: SectionResult, content: PackContent, styles, number: int, with_notes: bool = True) -> list:
    language = content.view.language
    opening: list = [Heading(language(section.title), styles["h1"], key=f"s{number}")]
    comment = content.comments.sections.get(section.section)
    if comment is not None:
        opening += _comment(comment.text, language, styles, heading=False)
    opening += _key_figures(section, content, styles)
    for text in section.texts:
        opening.append(Paragraph(escape(_held(text)), styles["lead"]))
    opening.append(Spacer(1, 6))
    blocks: list[list] = []
    for chart in section.charts:
        blocks.append(_chart(chart, content, styles))
    for table in section.tables:
        blocks.append(_table(table, content, styles))
    if blocks and len(opening) <= 3:  # a bare heading never ends a page: it goes with the first chart or table
        first = [f for f in blocks.pop(0) if not isinstance(f, CondPageBreak)]
        if isinstance(first[0], Flowing):  # a long table: the heading starts where the table may
            flow: list = [Flowing(opening + first[0]._content, first[0].room), *first[1:]]
        else:
            flow = [_together(opening + first[:1]), *first[1:]]
    else:  # the heading with its key figures and texts; the charts follow where they fit
        flow = [_together(opening)]
    for block in blocks:
        flow += block
    if section.notes and with_notes:
        notes = [Paragraph(escape(translate(language, note)), styles["small"]) for note in section.notes]
        flow = _with_last(flow, [Spacer(1, 4), *notes])
    return flow


def _with_last(flow: list, after: list) -> list:
    """``flow`` with ``after`` kept together with its last block (a chart, a table, the opening), so a
    section's notes never fill a page of their own; a long table's block still splits (:class:`Flowing`)."""
    at = max((i for i, f in enumerate(flow) if isinstance(f, KeepTogether)), default=None)
    if at is None:
        return flow + [KeepTogether(after)]
    last, content = flow[at], flow[at]._content + flow[at + 1:]
    if isinstance(last, Flowing):  # the block splits, the notes do not (a note is never cut by a page)
        return flow[:at] + [Flowing(content + [KeepTogether(after)], last.room)]
    return flow[:at] + [KeepTogether(content + after)]  # one level: a nested KeepTogether measures as endless


def _together(flowables: list) -> KeepTogether:
    """One KeepTogether of ``flowables``, those of a KeepTogether among them taken out: a nested one
    measures as endless (ReportLab forces a split that way), so the whole would always start a new page."""
    flat: list = []
    for flowable in flowables:
        flat += flowable._content if isinstance(flowable, KeepTogether) else [flowable]
    return KeepTogether(flat)


def _comment(text: str, language: Language, styles, heading: bool = True) -> list:
    """The administration's comment (:mod:`ledinfo.texts.comments`), from its Markdown, under its heading."""
    title = language("The administration's comments")
    parts: list = [Heading(title, styles["h1"], key="comment") if heading
                   else Paragraph(escape(title), styles["comment_head"])]
    parts += _markdown(text, styles)
    parts.append(Spacer(1, 8))
    return [KeepTogether(parts[:2]), *parts[2:]]


def _markdown(text: str, styles) -> list:
    """A comment's Markdown as paragraphs in the comments' tinted style."""
    parts: list = []
    for block in markdown_blocks(text):
        style = styles["comment_bullet" if block.kind == "bullet" else "comment"]
        markup = f"<b>{block.markup}</b>" if block.kind == "heading" else block.markup
        try:
            parts.append(Paragraph(markup, style, bulletText=block.bullet or None))
        except ValueError:  # markup ReportLab refuses after all: the text as written, escaped
            parts.append(Paragraph(escape(markdown_plain(markup)), style, bulletText=block.bullet or None))
    return parts


def _agenda(agenda, content: PackContent, styles) -> list:
    """A committee pack with the administration's comment, as committee papers are laid out: the background
    (the comment's, then the figures in brief), the administration's assessment, and its proposed decision
    (by default, that the committee takes the briefing into account)."""
    language = content.view.language
    flow: list = [Heading(language("Background"), styles["h1"], key="background")]
    flow += _markdown(agenda.background, styles)
    if content.summary:
        flow.append(Paragraph(escape(language("The figures in brief")), styles["h2"]))
        flow += [Paragraph(escape(_held(line)), styles["bullet"], bulletText="•") for line in content.summary]
    flow.append(Spacer(1, 8))
    flow += [Heading(language("The administration's assessment"), styles["h1"], key="assessment"),
             *(_markdown(agenda.assessment, styles) or [Paragraph(escape(language("No assessment was written.")),
                                                                  styles["body"])]),
             Spacer(1, 8), Heading(language("Proposed decision"), styles["h1"], key="proposal")]
    flow += _markdown(agenda.proposal, styles) or [Paragraph(escape(language(
        "The administration proposes that the committee takes the briefing into account.")), styles["comment"])]
    return flow + [Spacer(1, 16)]


def _cover(content: PackContent, styles) -> list:
    language, view, job = content.view.language, content.view, content.job
    period = view.period
    flow: list = [Spacer(1, 1.2 * cm), Paragraph(escape(content.title), styles["cover_title"])]
    if job.team:
        flow.append(Paragraph(escape(language("Team: {team}", team=job.team)), styles["cover_sub"]))
    flow.append(Paragraph(escape(language.period(period).capitalize()), styles["cover_sub"]))
    committee = content.committee
    if content.meeting is not None:
        flow.append(Paragraph(escape(language("Meeting on {date}", date=language.date(content.meeting))),
                              styles["cover_sub"]))
    flow.append(Spacer(1, 1.0 * cm))
    # what the reader needs; the software's name and version are in the PDF's metadata and the build log only
    meta = [language("Figures as of {date}", date=language.date(period.end))]
    # who it is for, always: the committee by its name when the config gives it
    meta.append(language("Prepared for: {audience}", audience=committee.name if committee is not None and
                         committee.name else language(audience(job.audience).name)))
    for line in meta:
        flow.append(Paragraph(escape(line), styles["cover_meta"]))
    contact = committee.contact if committee is not None else None
    if contact is not None:
        flow.append(Spacer(1, 0.5 * cm))
        flow.append(Paragraph(escape(language("Contact")), styles["h2"]))
        for line in (contact.name, contact.email, contact.phone and language("Phone {number}", number=contact.phone)):
            if line:
                flow.append(Paragraph(escape(line), styles["cover_meta"]))
    warning = ParagraphStyle("warn", parent=styles["body"], textColor=RED, fontName=BOLD)
    if content.draft:  # said in words too: the mark on each page is page furniture, which a screen reader skips
        flow.append(Spacer(1, 1.0 * cm))
        flow.append(Paragraph(escape(language("Draft: the administration's comments (background, assessment and "
                                              "proposed decision) are not written yet.")), warning))
    if view.outside_data is not None:
        flow.append(Spacer(1, 1.0 * cm))
        flow.append(Paragraph(escape(outside_data_text(language, view)), warning))
    if audience(job.audience).confidential:
        flow.append(Spacer(1, 1.0 * cm))
        flow.append(Paragraph(escape(language(audience(job.audience).confidential)), warning))
    # the contents follow on the cover (pdf_document puts them here); if they do not fit, the next page,
    # which is a body page: the template is switched before them
    flow += [NextPageTemplate("body"), Spacer(1, 1.0 * cm), PageBreak()]
    return flow


def _headings(flowables: list):
    """The headings of a story, in order, also those a KeepTogether holds (with what follows them)."""
    for flowable in flowables:
        if isinstance(flowable, Heading):
            yield flowable
        elif isinstance(flowable, KeepTogether):
            yield from _headings(flowable._content)


def render_pdf(content: PackContent, timings: Timings | None = None) -> bytes:
    """The PDF of ``content`` as bytes (its page count is added to ``timings``)."""
    document, story, canvasmaker = pdf_document(content)
    document.build(story, canvasmaker=canvasmaker)
    if timings is not None:
        timings.count("pages", document.page)
    return document.filename.getvalue()  # the BytesIO pdf_document gave the document to write into


def pdf_document(content: PackContent):
    """The ReportLab document, story and canvas maker of a pack, ready to build (into a BytesIO).

    Separate from :func:`render_pdf` so the benchmark can time ReportLab's own part alone.
    """
    language, view, job = content.view.language, content.view, content.job
    styles = _styles(language.code)
    period_text = language.period(view.period)
    title = content.title + (f" – {job.team}" if job.team else "")
    buffer = io.BytesIO()
    document = _Document(
        buffer,
        title=title,
        author=view.municipality.name,
        subject=language("Management information, {period}", period=period_text),
        creator=f"ledinfo {content.version}",
        producer=f"ledinfo {content.version} (ReportLab)",
        keywords=["ledelsesinformation", str(view.period), job.audience],
        lang=language.bcp47,
        invariant=1,
    )
    document.cover_org = view.municipality.name

    template = content.template
    story: list = _cover(content, styles)
    contents_at = len(story) - 1  # on the cover, before its page break: a page less, no page of contents alone
    agenda = content.comments.pack.agenda if content.comments.pack is not None and \
        audience(job.audience).agenda_item else None
    if agenda is not None:  # the committee's agenda item: background (with the figures in brief), assessment, proposal
        story += _agenda(agenda, content, styles)
    elif content.summary:
        heading = language("To act on") if template.summary == "actions" else language("In brief")
        story.append(Heading(heading, styles["h1"], key="summary"))
        if content.actions:  # a team leader's to-do list: each caseworker's cases under their name
            for group in content.actions:  # a caseworker's items together under their name: a page never opens
                # with a case whose caseworker is on the page before (a group is short: GROUP_LIMIT cases, counted)
                story.append(KeepTogether([Paragraph(escape(group.title), styles["h2"]),
                                           *(Paragraph(escape(line), styles["bullet"], bulletText="•")
                                             for line in group.lines)]))
        else:
            story += [Paragraph(escape(_held(line)), styles["bullet"], bulletText="•") for line in content.summary]
        story.append(Spacer(1, 16))
    if content.comments.pack is not None and agenda is None:  # the administration's word, after the summary
        story += _comment(content.comments.pack.text, language, styles)
    notes_at_end = template.notes == "end"
    for number, section in enumerate(content.sections, start=1):
        story += _section(section, content, styles, number, with_notes=not notes_at_end)
        story.append(PageBreak() if template.section_breaks else CondPageBreak(4 * cm))
    if notes_at_end and any(section.notes for section in content.sections):
        about: list = [Heading(language("About the figures"), styles["h1"], key="notes")]
        for section in content.sections:
            if section.notes:  # each section's notes with their title
                notes = [Paragraph(escape(translate(language, note)), styles["body"]) for note in section.notes]
                about.append(KeepTogether([Paragraph(escape(translate(language, section.title)), styles["h2"]), *notes]))
        story += [_together(about[:2]), *about[2:]]
    if content.omitted:
        story.append(Heading(language("Sections left out"), styles["h1"], key="omitted"))
        for name, reason in content.omitted:
            story.append(Paragraph(f"<b>{escape(name)}</b>: {escape(reason)}", styles["body"]))
    while story and isinstance(story[-1], (PageBreak, CondPageBreak)):
        story.pop()
    lines = [ContentsLine(f.toc_text, f.key) for f in _headings(story)]
    # kept together: the heading never stands alone at the foot of a page, away from its lines
    story.insert(contents_at, KeepTogether([mark(Paragraph(escape(language("Contents")), styles["h2"]), "H1"),
                                            *lines]))

    class Canvas(NumberedCanvas):
        header_left = " · ".join(part for part in (view.municipality.name, title) if part)
        header_right = period_text
        # no software name on a page: the readers are politicians and staff (it is in the PDF's metadata)
        footer_left = language("Confidential – team only") if audience(job.audience).confidential else ""
        draft = language("DRAFT – without the administration's comments") if content.draft else ""
        page_word = language("Page {page} of {pages}")
        document_node = structure(story)

    when = build_date(content)

    def canvasmaker(*args, **kwargs):
        canvas = Canvas(*args, **kwargs)
        canvas.setDateFormatter(lambda *a, **k: when.strftime("D:%Y%m%d%H%M%S+00'00'"))
        canvas.showOutline()
        return canvas

    return document, story, canvasmaker


__all__ = ["render_pdf", "TA_LEFT"]
