"""Charts, tables and tiles a reader can read (issue 24, "Charts"): chart labels round as the text does,
every line of a trend is named, a header word breaks only at a hyphenation point, a tile never wraps a
number from its unit. Each read back from the laid-out chart or the PDF."""

from __future__ import annotations

import re

import polars as pl
import pytest

from ledinfo.api import N_, Figure, Section, SectionResult, Table
from ledinfo.api.testing import render_section
from ledinfo.language import Language
from ledinfo.model.results import Chart, Column
from ledinfo.render.charts import END_LABELS, GREY, LABEL_GREY, MUNICIPALITY_COLOUR, PALETTE, _vl_convert, chart_spec
from ledinfo.render.hyphenation import hyphenation_points
from ledinfo.render.scenegraph import spread, spread_texts
from ledinfo.words.formatting import format_value
from pdfcheck import drawn_words, have_poppler, word_boxes, words_split_across_lines

DA = Language("da")


def laid_out(chart: Chart) -> dict:
    graph = _vl_convert().vegalite_to_scenegraph(chart_spec(chart, DA), allowed_base_urls=[])
    spread_texts(graph, (f"{END_LABELS}_marks",), 9)  # as draw_chart does
    return graph


def mark_texts(node, name: str | None = None) -> list[dict]:
    """The text items of the chart's own marks (not axes, not legends); of the mark ``name`` if given."""
    found = []
    if isinstance(node, dict):
        if node.get("marktype") == "text" and node.get("role") == "mark" and name in (None, node.get("name")):
            found += node.get("items", [])
        for value in node.values():
            found += mark_texts(value, name)
    elif isinstance(node, list):
        for value in node:
            found += mark_texts(value, name)
    return found


# --- one formatter ------------------------------------------------------------------------------------

def test_numbers_round_half_up_as_a_reader_rounds():
    assert DA.number(56.25) == "56,3"  # 45 cases / 0,8 FTE: Babel's default printed 56,2
    assert DA.number(2.675, 2) == "2,68"
    assert DA.percent(0.125) == "13 %" and DA.percent(0.995) == "99,5 %"
    assert DA.integer(2.5) == "3" and DA.integer(-2.5) == "-3"
    assert DA.about(2.5) == "3" and DA.about(1550) == "1.600"


TRICKY = {"share": [0.125, 0.995, 0.0004, 1 / 3, 0.5], "number": [56.25, 45 / 0.8, 13.45, 0.05, 1234.55],
          "count": [0, 1, 1234, 56], "money": [139_250_000, 950_000.5, 12_345]}


@pytest.mark.parametrize("kind", ["bar", "hbar"])
@pytest.mark.parametrize("y_format", sorted(TRICKY))
def test_every_value_label_is_the_texts_rendering_of_its_value(kind, y_format):
    values = TRICKY[y_format]
    frame = pl.DataFrame({"team": [f"T{i}" for i in range(len(values))], "v": values},
                         schema={"team": pl.String, "v": pl.Float64})
    chart = Chart("c", "C", kind, frame, "team", "v", y_format=y_format)
    drawn = sorted(item["text"] for item in mark_texts(laid_out(chart)["scenegraph"]))
    assert drawn == sorted(format_value(DA, value, y_format) for value in values)


def test_the_caseload_label_of_the_messy_sample_reads_as_its_table():
    """Børn Syd: 45 cases on 0,8 FTE. The bar said 56,3 (d3, half up), the table and text 56,2 (Babel, half even)."""
    frame = pl.DataFrame({"team": ["Børn Syd", None], "caseload": [45 / 0.8, 13.5]})
    chart = Chart("caseload", "C", "bar", frame, "team", "caseload", y_format="number")
    assert "56,3" in [item["text"] for item in mark_texts(laid_out(chart)["scenegraph"])]
    assert format_value(DA, 45 / 0.8, "number") == "56,3"


# --- every line named -----------------------------------------------------------------------------------

def _trend(teams: list[str | None], ends: dict[str | None, float]) -> Chart:
    months = ["2024-01", "2024-02", "2024-03"]
    rows = [{"month": m, "team": t, "value": ends[t] - (2 - i)} for i, m in enumerate(months) for t in teams]
    frame = pl.DataFrame(rows, schema={"month": pl.String, "team": pl.String, "value": pl.Float64})
    return Chart("t", "Trend", "line", frame, "month", "value", color="team", y_format="number")


def _lines(graph) -> dict[str, str]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("marktype") == "line" and node.get("items"):
                found.append(node["items"][0].get("stroke", "").lower())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(graph)
    return found


def test_the_directors_trend_names_each_teams_line_at_its_end_close_lines_apart():
    teams = ["Børn Nord", "Børn Syd", "Handicap", "Modtagelsen", "Unge", None]
    ends = {"Børn Nord": 13.1, "Børn Syd": 56.3, "Handicap": 11.0, "Modtagelsen": 13.6, "Unge": 10.2, None: 13.5}
    graph = laid_out(_trend(teams, ends))
    labels = mark_texts(graph["scenegraph"], f"{END_LABELS}_marks")
    assert sorted(item["text"] for item in labels) == sorted(["Børn Nord", "Børn Syd", "Handicap", "Modtagelsen",
                                                              "Unge", "Hele kommunen"])
    fills = {item["text"]: item["fill"].lower() for item in labels}
    assert fills["Hele kommunen"] == MUNICIPALITY_COLOUR.lower()
    assert {fills[team] for team in teams if team} == {LABEL_GREY.lower()}  # grey lines, named in a readable grey
    assert "Teams" not in str(graph) and "Teams" not in [t["text"] for t in mark_texts(graph)]  # no anonymous legend
    heights = sorted(item["y"] for item in labels)
    assert min(b - a for a, b in zip(heights, heights[1:])) >= 9 - 1e-9  # five ends within 3,4 cases: moved apart
    strokes = _lines(graph)
    assert strokes.count(GREY.lower()) == 5 and MUNICIPALITY_COLOUR.lower() in strokes


def test_the_team_packs_trend_draws_the_teams_own_line_in_colour_and_names_it():
    graph = laid_out(_trend(["Børn", None], {"Børn": 30.7, None: 29.5}))
    labels = {item["text"]: item["fill"].lower() for item in mark_texts(graph["scenegraph"], f"{END_LABELS}_marks")}
    assert labels == {"Børn": PALETTE[0].lower(), "Hele kommunen": MUNICIPALITY_COLOUR.lower()}
    assert sorted(_lines(graph)) == sorted([PALETTE[0].lower(), MUNICIPALITY_COLOUR.lower()])


def test_labels_that_would_touch_move_apart_as_a_group_centred_where_they_belong():
    assert spread([10, 10, 10], 9, 0, 100) == [1, 10, 19]
    assert spread([50, 0, 2], 9, 0, 100) == [50, 0, 9]  # the lowest kept in the plot, the far one left alone
    assert spread([99, 100], 9, 0, 100) == [91, 100]


# --- tables and tiles, read back from the PDF --------------------------------------------------------------

PLACEMENT_TYPES = ["Forebyggende", "Netværksanbringelse", "Plejefamilie", "Opholdssted", "Døgninstitution",
                   "Eget værelse"]
TEAMS = ["Børn Nord", "Børn Syd", "Handicap", "Modtagelsen", "Unge", None]


class WideTable(Section):
    """The director's measures by type: six long Danish compounds beside the team column."""

    name = "wide"
    title = "Wide"
    description = "A wide table and four key figures."
    requires = ()
    audiences = ("director",)

    def compute(self, context):
        frame = pl.DataFrame({"team": TEAMS, **{f"c{i}": [35, 2, 17, 1, 5, 135] for i in range(6)}},
                             schema={"team": pl.String, **{f"c{i}": pl.Int64 for i in range(6)}})
        columns = (Column("team", N_("Team")), *(Column(f"c{i}", label, "count")
                                                 for i, label in enumerate(PLACEMENT_TYPES)))
        figures = [Figure("money", 139_250_000, unit="amount"), Figure("share", 1.0, 4, 4),
                   Figure("share", 1.0, 3, 3, period="2024-02"), Figure("share", 0.995, 199, 200, period="2023-03"),
                   Figure("ratio", 56.25, 45, 0.8, "ratio"), Figure("count", 1234, unit="count")]
        return SectionResult(self.name, self.title, figures=figures, headline=("money", "share", "ratio", "count"),
                             labels={"money": "Forventet forbrug", "share": "Stikprøve gennemgået",
                                     "ratio": "Sager pr. årsværk", "count": "Underretninger"},
                             tables=[Table("wide", "Aktive foranstaltninger efter type", frame, columns)])


@pytest.fixture(scope="module")
def wide_pdf(tmp_path_factory):
    return render_section(WideTable(), out_dir=tmp_path_factory.mktemp("wide")).pdf


@pytest.mark.skipif(not have_poppler(), reason="poppler-utils not installed")
def test_a_header_word_breaks_only_at_a_hyphenation_point_and_never_mid_word(wide_pdf):
    words = [text for _, _, _, text in word_boxes(wide_pdf)]
    for label in [*PLACEMENT_TYPES, "Hele kommunen", "Modtagelsen"]:
        for word in label.split():
            if word in words:
                continue
            broken = [(head, tail) for head, tail in zip(words, words[1:])
                      if head.endswith("-") and head[:-1] + tail == word]
            assert broken, f"{word!r} is neither whole nor broken at a hyphenation point: {words}"
            assert all(len(head) - 1 in hyphenation_points(word, "da") for head, _ in broken), broken
    # as few broken as the room allows: the team names and most headers whole
    assert {"Hele", "kommunen", "Modtagelsen", "Forebyggende", "Plejefamilie", "Opholdssted"} <= set(words)


@pytest.mark.skipif(not have_poppler(), reason="poppler-utils not installed")
def test_a_tile_keeps_its_number_with_its_unit_on_one_line(wide_pdf):
    import subprocess

    lines = subprocess.run(["pdftotext", "-layout", str(wide_pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.replace("\u00a0", " ").splitlines()
    assert any("139,3 mio. kr." in line for line in lines), lines
    assert any(re.search(r"feb 24: 100 %", line) for line in lines), lines
    assert any("56,3" in line for line in lines)
    assert not any(re.search(r"(mio\.|\d)\s*$", line) and "kr." in next_line.split()[:1]
                   for line, next_line in zip(lines, lines[1:]))


@pytest.mark.skipif(not have_poppler(), reason="poppler-utils not installed")
def test_no_cell_of_the_built_packs_breaks_a_word_mid_word(demo_packs, messy_packs):
    """The goals table's Status cell read "Ikke nåe / t" six times on the committee's first content page: a status
    word, and any short word of a cell, is never cut in two by a line break (a header word may break at a
    hyphenation point, with its hyphen: test above)."""
    messy, _ = messy_packs("2024-03")
    for folder in (demo_packs, messy):
        pdfs = sorted(folder.glob("*.pdf"))
        assert len(pdfs) >= 7
        assert words_split_across_lines(pdfs) == []


class StatusTable(Section):
    """A goals table as the committee's: a long goal's name beside numbers and each status, in a narrow page."""

    name = "statuses"
    title = "Statuses"
    description = "A table whose last column is each row's status."
    requires = ()
    audiences = ("director",)

    def compute(self, context):
        goal = "Undersøgelser afsluttet inden for 4 måneder efter underretningen om barnet og familien"
        frame = pl.DataFrame({"goal": [goal] * 3, **{f"c{i}": [0.9, 0.55, 0.71] for i in range(3)},
                              "status": ["red", "yellow", "green"]})
        columns = (Column("goal", N_("Goal")), *(Column(f"c{i}", "Oktober 2026", "share") for i in range(3)),
                   Column("status", N_("Status"), "status"))
        return SectionResult(self.name, self.title, tables=[Table("goals", "Årsmål", frame, columns)])


@pytest.mark.skipif(not have_poppler(), reason="poppler-utils not installed")
@pytest.mark.parametrize(("code", "words"), [("da", ("Ikke", "nået")), ("en", ("Off", "track"))])
def test_a_status_cell_holds_its_dot_and_word_on_one_line(tmp_path, code, words):
    """The dot is the cell's bullet, drawn larger than the word and pushing it right: the column leaves room for
    the dot as ReportLab lays it out, so the longest status ("Ikke nået", "Off track") stays on one line."""
    pdf = render_section(StatusTable(), out_dir=tmp_path, language=code).pdf
    boxes = drawn_words(pdf)
    first, second = words
    heads = [index for index, box in enumerate(boxes) if box[4] == first]
    assert heads, [box[4] for box in boxes]
    for index in heads:
        head, tail = boxes[index], boxes[index + 1]
        assert tail[4] == second and tail[2] == head[2], (head, tail)  # the same line


class GoalsLike(Section):
    """A table as wide as the committee's goals: a long text column beside short columns, one headed with
    no-break spaces ("3 mdr. før")."""

    name = "goals_like"
    title = "Goals"
    description = "A table whose long first column wraps."
    requires = ()
    audiences = ("director",)

    def compute(self, context):
        goals = ["Børnefaglig undersøgelse afsluttet inden for 4 måneder efter underretningen (lokal standard)",
                 "Anbringelser, der brød sammen, seneste 12 måneder", "Sager pr. rådgiverårsværk"]
        frame = pl.DataFrame({"goal": goals, "target": ["mindst 90 %"] * 3, "period": ["3. kvartal 2026"] * 3,
                              "result": [85, 13, 27], "before": [88, 12, 27], "status": ["Ikke nået"] * 3})
        columns = (Column("goal", "Mål"), Column("target", "Mål"), Column("period", "Periode"),
                   Column("result", "Resultat", "count"), Column("before", BEFORE, "count"),
                   Column("status", "Status"))
        return SectionResult(self.name, self.title, tables=[Table("goals", "Årsmål", frame, columns)])


BEFORE = "3\u00a0mdr.\u00a0før"


@pytest.mark.skipif(not have_poppler(), reason="poppler-utils not installed")
def test_a_heading_held_by_no_break_spaces_is_printed_on_one_line(tmp_path):
    """The goals table's "3 mdr. før" was printed in three lines: the column widths split a heading at every space,
    the no-break space too (str.split), and sized the column to "mdr.". A heading's no-break spaces hold it whole,
    as the committee's catalogue writes this one."""
    import html
    import subprocess

    assert " " not in Language("da")("3 months before")  # the goals table's heading, held whole
    rendered = render_section(GoalsLike(), out_dir=tmp_path)
    pdf = rendered.pdf
    # the JSON's heading is its words, plain spaces: the no-break spaces are the page's typesetting
    labels = [column["label"] for column in rendered.json["sections"][0]["tables"][0]["columns"]]
    assert "3 mdr. før" in labels, labels
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = [(float(y), float(x0), float(x1), html.unescape(text).replace("\u00a0", " ")) for x0, y, x1, text in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)]
    heading = [word for word in words if word[3] in ("3", "mdr.", "før", "3 mdr. før", "3 mdr.", "mdr. før")]
    assert heading and len({y for y, *_ in heading}) == 1, heading  # one line
    placed = sorted(heading, key=lambda word: word[1])  # in reading order, none over another
    assert " ".join(text for *_, text in placed) == "3 mdr. før", heading
    assert all(one[2] <= other[1] for one, other in zip(placed, placed[1:])), heading
    # within its column: clear of its neighbours' headings (ReportLab does not break at a no-break space: a column
    # too narrow for the heading had it run into the next one)
    [result] = [x1 for _, _, x1, text in words if text == "Resultat"]
    [status] = [x0 for _, x0, _, text in words if text == "Status"]
    assert result + 3 < min(x0 for _, x0, _, _ in heading) and max(x1 for *_, x1, _ in heading) + 3 < status, heading


@pytest.mark.parametrize("kind", ["bar", "hbar"])
def test_a_bar_chart_cut_to_its_highest_bars_draws_the_municipality_once(kind):
    """More bars than MAX_BARS: the highest are drawn and the municipality's (no team) beside them, once, even when
    its value is among the highest (an anti-join on a null team matched nothing, and it was drawn twice)."""
    from ledinfo.texts.readable import MAX_BARS, readable

    teams = [f"Team {i:02d}" for i in range(MAX_BARS + 5)]
    frame = pl.DataFrame({"team": [*teams, None], "value": [float(i) for i in range(len(teams))] + [1000.0]})
    chart = Chart("many", "Many teams", kind, frame, x="team", y="value")
    drawn, note = readable(chart)
    assert note is not None
    assert drawn["team"].null_count() == 1
    assert drawn.height == MAX_BARS + 1
    assert set(drawn["team"].drop_nulls()) == set(teams[-MAX_BARS:])
