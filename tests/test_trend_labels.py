"""A trend's labels are read at the chart's printed width: no two labels of its month axis overlap or touch, and
no gridline or reference line runs through the names at its lines' ends.

Twelve or thirteen months in a chart's width left each label ("nov 25") about as wide as its month's place: Vega's
overlap check let them stand closer than the space inside a label, and a reader saw "nov 25dec 25jan 26". The labels are measured
here with the document's font, as Vega lays them out, on every trend of the demo's packs.
"""

from __future__ import annotations

import functools

import polars as pl
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from ledinfo.language import Language
from ledinfo.model.results import Chart
from ledinfo.render.charts import placed_scenegraph
from ledinfo.render.fonts import REGULAR, register_fonts

# white between two labels at the least, in pixels: two word spaces at the labels' size (9 px). Labels closer than
# that (2.6 px, less than the space inside "nov 25") read as one line: "nov 25 dec 25 jan 26"
GAP = 5.5


@functools.cache
def demo_trends() -> tuple[Chart, ...]:
    """Every chart of the demo's packs with months along its x axis (the trends, and the bars of months)."""
    from builders import demo_charts

    return tuple(chart for chart in demo_charts() if chart.kind == "line" or chart.x == "month")


def month_labels(chart: Chart, language: Language) -> list[dict]:
    """The x axis's labels as drawn (Vega hides a label it drops for overlap with opacity 0)."""
    found = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("role") == "axis-label":
                items = [item for item in node.get("items", []) if item.get("opacity", 1) != 0]
                if items and all(item.get("baseline") == "top" for item in items):  # the x axis's, under the plot
                    found.extend(items)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(placed_scenegraph(chart, language)["scenegraph"])
    return found


def box(item: dict) -> tuple[float, float, float, float]:
    """A label's box (left, top, right, bottom): its widest line, and as many lines as it has."""
    lines = item["text"] if isinstance(item["text"], list) else [item["text"]]
    size = item.get("fontSize", 11)
    width = max(stringWidth(str(line), REGULAR, size) for line in lines)
    left = {"left": item["x"], "center": item["x"] - width / 2, "right": item["x"] - width}[item.get("align", "left")]
    height = size + (len(lines) - 1) * item.get("lineHeight", size + 2)
    return left, item["y"], left + width, item["y"] + height


def crowded(labels: list[dict]) -> list[tuple[str, str]]:
    """Pairs of labels closer than GAP (or over each other)."""
    boxes = [(str(item["text"]), box(item)) for item in labels]
    return [(a, b) for i, (a, one) in enumerate(boxes) for b, other in boxes[i + 1:]
            if one[0] - GAP < other[2] and other[0] - GAP < one[2] and one[1] < other[3] and other[1] < one[3]]


@pytest.mark.parametrize("code", ["da", "en"])
def test_no_two_month_labels_of_a_demo_trend_overlap_or_touch(code):
    register_fonts()
    language = Language(code)
    trends = demo_trends()
    assert len(trends) > 5
    for chart in trends:
        labels = month_labels(chart, language)
        assert len(labels) >= 2, chart.id
        assert not crowded(labels), (chart.id, crowded(labels))


def test_every_month_of_a_years_trend_is_named_and_the_year_where_it_starts_and_turns():
    """Thirteen months: each named under its point, the year under the first month and under January."""
    register_fonts()
    months = [f"2025-{m:02d}" for m in (10, 11, 12)] + [f"2026-{m:02d}" for m in range(1, 11)]
    chart = Chart("trend", "Trend", "line", pl.DataFrame({"month": months, "value": [float(i) for i in range(13)]}),
                  "month", "value", y_format="count", team_column=None)
    labels = [item["text"] for item in month_labels(chart, Language("da"))]
    assert labels[:4] == [["okt", "2025"], "nov", "dec", ["jan", "2026"]]
    assert len(labels) == 13 and labels[-1] == "okt"


def test_a_label_of_two_lines_is_drawn_in_two_lines_where_vega_lays_them_out():
    """The PDF's drawing of such an axis: the month, and the year one line height (11 px) under it."""
    from reportlab.graphics.shapes import Group, String

    from ledinfo.render.charts import draw_chart

    months = [f"2025-{m:02d}" for m in (10, 11, 12)] + [f"2026-{m:02d}" for m in range(1, 11)]
    chart = Chart("trend", "Trend", "line", pl.DataFrame({"month": months, "value": [float(i) for i in range(13)]}),
                  "month", "value", y_format="count", team_column=None)
    drawing = draw_chart(chart, Language("da"), 1000)
    placed: dict[str, list[float]] = {}

    def walk(node, y: float) -> None:
        if isinstance(node, String):
            placed.setdefault(node.text, []).append(y + node.y)
        elif isinstance(node, Group):
            for child in node.contents:
                walk(child, y + node.transform[5])

    for node in drawing.contents:
        walk(node, 0)
    assert "okt 2025" not in placed and len(placed["2025"]) == 1 and len(placed["2026"]) == 1
    (year,), months_down = placed["2025"], sorted(placed["okt"])  # two: the first month's and the last's
    assert abs(months_down[-1] - year - 11) < 0.01  # ReportLab's y points up: the year 11 px lower


def _horizontal_rules(node, x0: float = 0.0, y0: float = 0.0):
    """(left, right, y) of every horizontal rule drawn in a scenegraph: gridlines, reference lines."""
    if isinstance(node, list):
        for child in node:
            yield from _horizontal_rules(child, x0, y0)
        return
    for item in node.get("items", []):
        if item.get("opacity", 1) == 0:
            continue
        if node.get("marktype") == "group":
            yield from _horizontal_rules(item.get("items", []), x0 + item.get("x", 0), y0 + item.get("y", 0))
        elif node.get("marktype") == "rule" and "x2" in item and item.get("y2", item.get("y")) == item.get("y"):
            yield min(x0 + item["x"], x0 + item["x2"]), max(x0 + item["x"], x0 + item["x2"]), y0 + item["y"]


def test_no_gridline_or_reference_line_runs_through_a_lines_name_unless_on_a_white_ground():
    """The names at a trend's line ends begin inside the plot (its last points stand half a month from the edge),
    where the gridlines and a yardstick's line run; where one crosses a name, the name has a white ground."""
    from ledinfo.render.charts import END_LABELS

    register_fonts()
    crossed = []
    named = [chart for chart in demo_trends() if chart.kind == "line"]
    for chart in named:
        graph = placed_scenegraph(chart, Language("da"))["scenegraph"]
        rules = list(_horizontal_rules(graph))
        for item in _end_labels(graph, END_LABELS):
            size = item["fontSize"]  # a middle baseline: Vega draws the text's baseline 0.3 of its size lower
            left, top, right, bottom = box({**item, "x": item["x"] + item.get("dx", 0),
                                            "y": item["y"] + round(0.3 * size) - 0.79 * size})
            through = any(x1 < right and left < x2 and top <= y <= bottom for x1, x2, y in rules)
            crossed.append((chart.id, item["text"], through, bool(item.get("halo"))))
    assert any(through for *_, through, _ in crossed)  # the demo has such names: the check is not empty
    assert [c for c in crossed if c[2] and not c[3]] == []


def _end_labels(node, name: str) -> list[dict]:
    found = []
    if isinstance(node, list):
        for child in node:
            found += _end_labels(child, name)
    elif isinstance(node, dict):
        if str(node.get("name", "")).startswith(name):
            return [item for item in node.get("items", []) if item.get("text")]
        for item in node.get("items", []):
            found += _end_labels(item, name)
    return found
