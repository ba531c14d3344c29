"""A Vega scenegraph drawn as ReportLab vector shapes.

vl-convert lays a chart out (scales, axes, legends, text measured with the
document's own font) and returns the Vega *scenegraph*: every mark with its
final position and style. Drawing that directly costs about 2 ms a chart;
going through SVG and svglib cost about 60 (vl-convert's SVG writer, then
svglib's parser and CSS handling), most of a build's time. The marks our charts
use are few: group, rect, rule, line, symbol and text.

Vega's y axis points down, ReportLab's up: every y is flipped against the
chart's height. Text follows Vega's own rules for baselines, for a text of several
lines (an array: the first line where a one-line text stands, each next one a line
height lower) and for cutting a text to its ``limit`` with an ellipsis
(vega-scenegraph ``util/text.js``).
"""

from __future__ import annotations

import contextlib
import math

from reportlab import rl_config
from reportlab.graphics import shapes
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ledinfo.render.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, register_fonts

ELLIPSIS = "…"


def scenegraph_drawing(scenegraph: dict) -> Drawing:
    """A Drawing of vl-convert's ``vegalite_to_scenegraph`` result, white background included."""
    register_fonts()
    width, height = scenegraph["width"], scenegraph["height"]
    with unchecked_shapes():
        drawing = Drawing(width, height)
        drawing.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))
        origin_x, origin_y = scenegraph.get("origin", (0, 0))
        _mark(drawing, scenegraph["scenegraph"], origin_x, origin_y, height)
    return drawing


@contextlib.contextmanager
def unchecked_shapes():
    """ReportLab's shapes made without its check of every attribute against its type (``rl_config.shapeChecking``,
    "a big help when developing", its source says): a chart's shapes are ~30 of ReportLab's own kinds with numbers
    and colours from Vega's layout, and the check was a third of making them (228k attribute sets, 0.6–0.9 s of a
    4-municipality build). The same shapes; switched back after."""
    before = rl_config.shapeChecking
    rl_config.shapeChecking = 0
    try:
        yield
    finally:
        rl_config.shapeChecking = before


class _Unchecked:
    """A ReportLab shape whose attributes are set as on any Python object: ReportLab's classes route every
    assignment through ``validateSetattr`` (defined when ``rl_config.shapeChecking`` was on as ReportLab was
    imported), which with the checking off (:func:`unchecked_shapes`) only returns, ~800 calls a chart as it is
    drawn and as its PDF is written (ReportLab's renderer sets its nodes' canvas and defaults): 5 % of drawing a
    chart. The same shapes, drawn by ReportLab as its own (its renderer asks ``isinstance``)."""

    __setattr__ = object.__setattr__


class Group(_Unchecked, shapes.Group):
    """ReportLab's group, unchecked (:class:`_Unchecked`)."""


class Rect(_Unchecked, shapes.Rect):
    """ReportLab's rectangle, unchecked (:class:`_Unchecked`)."""


class Line(_Unchecked, shapes.Line):
    """ReportLab's line, unchecked (:class:`_Unchecked`)."""


class PolyLine(_Unchecked, shapes.PolyLine):
    """ReportLab's polyline, unchecked (:class:`_Unchecked`)."""


class Circle(_Unchecked, shapes.Circle):
    """ReportLab's circle, unchecked (:class:`_Unchecked`)."""


class String(_Unchecked, shapes.String):
    """ReportLab's string, unchecked (:class:`_Unchecked`)."""


def _colour(value):
    """A Vega colour ("#0072B2", "white") as ReportLab's, parsed once a process: ReportLab parses a CSS colour
    anew each time, and a build's charts ask for a few colours tens of thousands of times (a third of drawing
    the shapes). One Color object is shared by every shape of that colour, as ReportLab shares its named ones."""
    try:
        return _COLOURS[value]
    except KeyError:
        colour = None if value in (None, "transparent", "none") else colors.toColor(value)
        _COLOURS[value] = colour
        return colour
    except TypeError:  # not hashable: no colour our charts give (a gradient); ReportLab says what it makes of it
        return colors.toColor(value)


_COLOURS: dict = {}


def _opacity(item: dict, which: str) -> float:
    return float(item.get("opacity", 1)) * float(item.get(which, 1))


def _mark(out, mark: dict, x0: float, y0: float, height: float) -> None:
    kind = mark.get("marktype")
    for item in mark.get("items", []):
        if item.get("opacity", 1) == 0:  # e.g. an axis label Vega hid because it overlapped another
            continue
        if kind == "group":
            _group(out, item, x0, y0, height)
        elif kind in DRAW:
            DRAW[kind](out, item, x0, y0, height)
    if kind == "line":
        _line(out, mark.get("items", []), x0, y0, height)


def _group(out, item: dict, x0: float, y0: float, height: float) -> None:
    x, y = x0 + item.get("x", 0), y0 + item.get("y", 0)
    fill, stroke = _colour(item.get("fill")), _colour(item.get("stroke"))
    if (fill or stroke) and item.get("width") and item.get("height"):
        out.add(Rect(x, height - y - item["height"], item["width"], item["height"], fillColor=fill,
                     strokeColor=stroke, strokeWidth=item.get("strokeWidth", 1)))
    children = sorted(item.get("items", []), key=lambda m: m.get("zindex", 0))  # stable: Vega's order
    for child in children:
        _mark(out, child, x, y, height)


def _rect(out, item: dict, x0: float, y0: float, height: float) -> None:
    x, y = item.get("x", 0), item.get("y", 0)
    w = item["width"] if "width" in item else item.get("x2", x) - x
    h = item["height"] if "height" in item else item.get("y2", y) - y
    if w < 0:
        x, w = x + w, -w
    if h < 0:
        y, h = y + h, -h
    fill, stroke = _colour(item.get("fill")), _colour(item.get("stroke"))
    if not (fill or stroke):
        return
    out.add(Rect(x0 + x, height - (y0 + y) - h, w, h, fillColor=fill, strokeColor=stroke,
                 strokeWidth=item.get("strokeWidth", 1), fillOpacity=_opacity(item, "fillOpacity"),
                 strokeOpacity=_opacity(item, "strokeOpacity")))


def _rule(out, item: dict, x0: float, y0: float, height: float) -> None:
    stroke = _colour(item.get("stroke"))
    if stroke is None:
        return
    x1, y1 = item.get("x", 0), item.get("y", 0)
    x2, y2 = item.get("x2", x1), item.get("y2", y1)
    out.add(Line(x0 + x1, height - (y0 + y1), x0 + x2, height - (y0 + y2), strokeColor=stroke,
                 strokeWidth=item.get("strokeWidth", 1), strokeDashArray=item.get("strokeDash"),
                 strokeOpacity=_opacity(item, "strokeOpacity")))


def _line(out, items: list[dict], x0: float, y0: float, height: float) -> None:
    """A line mark is one path through all its items; an undefined point breaks it."""
    if not items:
        return
    style = items[0]
    stroke = _colour(style.get("stroke"))
    if stroke is None:
        return
    segment: list[float] = []
    for item in items + [{"defined": False}]:
        if item.get("defined", True):
            segment += [x0 + item["x"], height - (y0 + item["y"])]
            continue
        if len(segment) >= 4:
            out.add(PolyLine(segment, strokeColor=stroke, strokeWidth=style.get("strokeWidth", 1),
                             strokeDashArray=style.get("strokeDash"), strokeOpacity=_opacity(style, "strokeOpacity")))
        segment = []


def _symbol(out, item: dict, x0: float, y0: float, height: float) -> None:
    """A point of a line (circle) or a bar legend's swatch (square); ``size`` is the area, as in Vega."""
    shape = item.get("shape", "circle")
    if shape not in ("circle", "square"):
        raise ValueError(f"symbol shape {shape!r} is not drawn (only circles and squares)")
    fill, stroke = _colour(item.get("fill")), _colour(item.get("stroke"))
    x, y = x0 + item.get("x", 0), height - (y0 + item.get("y", 0))
    style = {"fillColor": fill, "strokeColor": stroke, "strokeWidth": item.get("strokeWidth", 1),
             "fillOpacity": _opacity(item, "fillOpacity"), "strokeOpacity": _opacity(item, "strokeOpacity")}
    if shape == "square":
        side = math.sqrt(item.get("size", 64))
        out.add(Rect(x - side / 2, y - side / 2, side, side, **style))
    else:
        out.add(Circle(x, y, math.sqrt(item.get("size", 64) / math.pi), **style))


def _font(item: dict) -> str:
    bold = str(item.get("fontWeight", "normal")) in ("bold", "bolder", "600", "700", "800", "900")
    italic = item.get("fontStyle") == "italic"
    return {(False, False): REGULAR, (True, False): BOLD, (False, True): ITALIC, (True, True): BOLD_ITALIC}[
        (bold, italic)]


def baseline_offset(item: dict) -> float:
    """How far Vega moves a text down from its y for its baseline (vega-scenegraph ``offset``)."""
    size = item.get("fontSize", 11)
    baseline = item.get("baseline", "alphabetic")
    return round({"top": 0.79 * size, "middle": 0.30 * size, "bottom": -0.21 * size}.get(baseline, 0))


def text_lines(item: dict) -> list[str]:
    """A text's lines: Vega writes an array as one line per element."""
    text = item.get("text")
    if text is None:
        return []
    return [str(line) for line in text] if isinstance(text, list) else [str(text)]


def line_height(item: dict) -> float:
    """The distance between a text's lines (vega-scenegraph ``lineHeight``: the font size and 2)."""
    return item.get("lineHeight") or item.get("fontSize", 11) + 2


def truncate(text: str, font: str, size: float, limit: float | None) -> str:
    """``text`` cut to ``limit`` points with an ellipsis, as Vega cuts it (from the end)."""
    if not limit or stringWidth(text, font, size) <= limit:
        return text
    room = limit - stringWidth(ELLIPSIS, font, size)
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle], font, size) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS if low else ""


def _text(out, item: dict, x0: float, y0: float, height: float) -> None:
    font, size = _font(item), item.get("fontSize", 11)
    lines = [truncate(line, font, size, item.get("limit")) for line in text_lines(item)]
    if not any(lines):
        return
    anchor = {"left": "start", "center": "middle", "right": "end"}[item.get("align", "left")]
    fill = _colour(item.get("fill", "#000")) or colors.black
    dx, dy = item.get("dx", 0), item.get("dy", 0) + baseline_offset(item)
    x, y = x0 + item.get("x", 0), y0 + item.get("y", 0)
    placed = Group(*(String(dx, -dy - index * line_height(item), line, fontName=font, fontSize=size, fillColor=fill,
                            textAnchor=anchor, fillOpacity=_opacity(item, "fillOpacity"))
                     for index, line in enumerate(lines) if line))
    if item.get("halo"):  # a label a gridline or a reference line runs through (ground_texts): a white ground
        left, top, right, bottom = _label_box(item)
        placed.insert(0, Rect(left - item.get("x", 0) - 1, item.get("y", 0) - bottom - 1, right - left + 2,
                              bottom - top + 2, fillColor=colors.white, strokeColor=None, fillOpacity=0.85))
    placed.translate(x, height - y)
    if item.get("angle"):
        placed.rotate(-item["angle"])  # Vega turns clockwise on a y-down canvas
    out.add(placed)


DRAW = {"rect": _rect, "rule": _rule, "symbol": _symbol, "text": _text}


def spread_texts(scenegraph: dict, names: tuple[str, ...], gap: float, beside: tuple[str, ...] = ()) -> None:
    """Move the texts of the layers named ``names`` apart vertically, each at least ``gap`` from the next; of the
    layers named ``beside``, those texts :func:`clear_of_data` put beside the plot join them.

    The names at the ends of a trend's lines sit at the lines' last values, and lines end close together
    (five teams between 10 and 14 cases per FTE): drawn there they overprint each other. Labels that
    would touch are moved as a group, centred on where they belong, and kept within the plot.

    Where they belong is where each stood before it was first moved (kept as ``WANTED``): spread a second time, with
    a reference line's label joining them beside the plot, the names were spread from where the first spread had
    pushed them, and moved further from their lines' ends each time ("Modtagelse" at 25,8 put below the goal's
    label at 25).
    """
    for group, found in _marks_named(scenegraph["scenegraph"], names + beside):
        items = [item for mark in found for item in mark.get("items", []) if item.get("text") not in (None, "")
                 and (not _named(mark, beside) or item.get("beside"))]
        if len(items) < 2:
            continue
        offsets = [_centre_offset(item) for item in items]
        wanted = [item.setdefault(WANTED, item.get("y", 0) + offset) for item, offset in zip(items, offsets)]
        placed = spread(wanted, gap, 0, group.get("height") or max(wanted))
        for item, offset, centre in zip(items, offsets, placed):
            item["y"] = centre - offset


WANTED = "wanted_y"  # a spread text's middle where it stood before it was first moved apart (spread_texts)
LEAD = 8  # how much further right a name moved off its line's end stands, for the line leading to it (lead_texts)
LEADERS = "leader_lines"


def lead_texts(scenegraph: dict, names: tuple[str, ...], moved: float = 1.5) -> bool:
    """Draw a thin line from where each text of the layers named ``names`` belongs (its line's end: a text
    :func:`spread_texts` moved more than ``moved`` from there) to the text, in the text's colour, the text moved
    ``LEAD`` further right to make room for it. Returns whether one was drawn.

    Seven names at the ends of a trend's lines between 24,5 and 31,7 (the directors' five teams, the municipality
    and the goal) need twice the height their lines' ends span: spread apart, the outer ones stood a line or two
    from their lines, and the teams' lines, all grey, could not be told apart by where their names stood."""
    drawn = False
    for group, found in _marks_named(scenegraph["scenegraph"], names):
        texts = [item for mark in found for item in mark.get("items", []) if item.get("text") not in (None, "")]
        off = [item for item in texts if WANTED in item
               and abs(item[WANTED] - item.get("y", 0) - _centre_offset(item)) > moved]
        if not off:
            continue
        leaders = [{"x": item.get("x", 0) + item.get("dx", 0) - 3, "y": item[WANTED],
                    "x2": item.get("x", 0) + item.get("dx", 0) + LEAD - 2, "y2": item.get("y", 0) + _centre_offset(item),
                    "stroke": item.get("fill", "#595959"), "strokeWidth": 0.75} for item in off]
        for item in texts:  # all of them, so the names stand in one column
            item["dx"] = item.get("dx", 0) + LEAD
        group.setdefault("items", []).append({"marktype": "rule", "name": LEADERS, "role": "mark", "items": leaders})
        drawn = True
    return drawn


def widen_to_texts(scenegraph: dict, pad: float = 5) -> None:
    """Make the drawing wide enough for every text in it, ``pad`` to spare (Vega's own padding): a label moved
    beside the plot after Vega laid the chart out (:func:`clear_of_data`) may reach beyond the width Vega gave."""
    register_fonts()  # the texts are measured in the document's fonts
    right = 0.0

    def walk(mark: dict, x0: float) -> None:
        nonlocal right
        for item in mark.get("items", []):
            if mark.get("marktype") == "group":
                for child in item.get("items", []):
                    walk(child, x0 + item.get("x", 0))
            elif mark.get("marktype") == "text" and item.get("text") not in (None, "") and not item.get("angle"):
                right = max(right, x0 + _label_box(item)[2])

    walk(scenegraph["scenegraph"], scenegraph.get("origin", (0, 0))[0])
    scenegraph["width"] = max(scenegraph["width"], math.ceil(right + pad))


def ground_texts(scenegraph: dict, names: tuple[str, ...], margin: float = 0.5) -> None:
    """Put the texts of the layers named ``names`` on a white ground where a horizontal line of their plot runs
    through them: a gridline or a reference line.

    A trend's lines are named at their ends, 6 px right of the last points, which stand half a month inside the
    plot: the gridlines and a yardstick's line, drawn to the plot's right edge, ran through the names' first
    letters ("Anbringelse" struck through at 30)."""
    register_fonts()  # the texts are measured in the document's fonts
    for group, found in _marks_named(scenegraph["scenegraph"], names):
        lines = list(_horizontal_lines(group.get("items", []), 0, 0))
        for item in (item for mark in found for item in mark.get("items", []) if item.get("text") not in (None, "")):
            left, top, right, bottom = _label_box(item)
            if any(x1 < right and left < x2 and top - margin < y < bottom + margin for x1, x2, y in lines):
                item["halo"] = True


def _horizontal_lines(marks: list[dict], x0: float, y0: float):
    """(left, right, y) of every horizontal rule among ``marks`` and in their groups (an axis's gridlines, a
    reference line), in the coordinates of the marks' plot."""
    for mark in marks:
        for item in mark.get("items", []):
            if mark.get("marktype") == "group":
                yield from _horizontal_lines(item.get("items", []), x0 + item.get("x", 0), y0 + item.get("y", 0))
            elif (mark.get("marktype") == "rule" and item.get("opacity", 1) != 0 and "x2" in item
                  and abs(item.get("y2", item.get("y", 0)) - item.get("y", 0)) < 0.5):
                x1, x2 = sorted((x0 + item.get("x", 0), x0 + item["x2"]))
                yield x1, x2, y0 + item.get("y", 0)


def clear_of_lines(scenegraph: dict, lines: str, labels: str, values: str, margin: float = 1.0) -> None:
    """Move texts off the horizontal lines that run through them. Marks are found by the start of their layers'
    names: ``lines`` the reference lines, ``labels`` their labels (above their lines), ``values`` the values
    printed above bars.

    Two reference lines close together (a research figure's 20 % and a goal's 15 %) put the upper one through the
    lower one's label, and a yardstick at 100 % ran through the value printed above a bar of 97 %. A line's label
    goes below its line, as far below as it stood above; a bar's value goes just above the lines through it. A
    text that no such move clears stays where it was.
    """
    for _, found in _marks_named(scenegraph["scenegraph"], (lines, labels, values)):
        ys = [item["y"] for mark in found if _named(mark, lines) for item in mark.get("items", [])
              if "y" in item and abs(item.get("y2", item["y"]) - item["y"]) < 0.5]
        for mark in (mark for mark in found if _named(mark, (labels, values))):
            for item in mark.get("items", []):
                if item.get("text") in (None, "") or not _crossed(item, ys, margin):
                    continue
                before = {key: item[key] for key in ("dy", "baseline") if key in item}
                if _named(mark, labels):
                    item["baseline"], item["dy"] = "top", -item.get("dy", 0)
                else:
                    for _ in ys:  # just above the highest line through it
                        crossing = [y for y in ys if _crossed(item, [y], margin)]
                        if not crossing:
                            break
                        item["dy"] = item.get("dy", 0) + min(crossing) - 2 * margin - _text_box(item)[1]
                if _crossed(item, ys, margin):  # no better: back where it was
                    for key in ("dy", "baseline"):
                        item.pop(key, None)
                    item.update(before)


def clear_of_data(scenegraph: dict, lines: str, labels: str, margin: float = 1.0) -> bool:
    """Move reference lines' labels (``labels``, above their lines ``lines`` at the right) off the data drawn
    through them: the lines, points, bars and texts of the same plot.

    A goal of at most 25 cases per FTE sat among five teams' lines between 24 and 31 and could not be read, its
    label crossed by two lines and their points. The label tries, in turn: where it stands, below its line at
    the right, above and below its line at the left; the first place that no data and no other reference line
    crosses is kept. Where data runs through every one of them (a goal of 80 % among six teams' lines, a goal of 25
    above and below which six bars end), the label goes beside the plot, right of its line's end, where no data
    is drawn: marked ``beside``, to be moved apart from the names there (:func:`spread_texts`). Returns whether
    one did.
    """
    register_fonts()  # the texts are measured in the document's fonts
    moved = False
    for group, found in _marks_named(scenegraph["scenegraph"], (labels,)):
        segments, boxes = _obstacles(group, (lines, labels))
        rules = [item["y"] for mark in group.get("items", []) if _named(mark, lines)
                 for item in mark.get("items", []) if "y" in item and abs(item.get("y2", item["y"]) - item["y"]) < 0.5]
        width = group.get("width", 0)
        for mark in found:
            for item in mark.get("items", []):
                if item.get("text") in (None, "") or not _hit(item, segments, boxes, margin):
                    continue
                for place in _places(item, width):
                    item.update(place)
                    if not _hit(item, segments, boxes, margin) and not _crossed(item, rules, margin):
                        break
                else:  # crossed wherever it stands inside the plot: beside it, where no data is drawn
                    for key in _PLACING:
                        item.pop(key, None)
                    item.update(x=width, dx=BESIDE, align="left", baseline="middle", beside=True)
                    moved = True
    return moved


def clear_of_ticks(scenegraph: dict, ticks: str, values: str, gap: float = 2.0) -> None:
    """Move a horizontal bar's value (``values``, printed right of its bar's end) off the yardstick drawn across the
    bar (``ticks``) and back inside the plot: into its bar, at its end, in white, where the bar holds it, else just
    past the tick where the plot has room for it; a value no move clears stays where it was.

    "85 %" printed past its goal's 90 % tick read as a value beyond the goal, and a budget's "116 %" reached past
    the axis's end at 120 % (the gridline there through 113–116 %): inside its bar it is read as the bar's own."""
    register_fonts()  # the texts are measured in the document's fonts
    for group, found in _marks_named(scenegraph["scenegraph"], (ticks, values)):
        strokes = [(i.get("x", 0), i.get("y", 0), i.get("x", 0) + i.get("width", 0), i.get("y", 0) + i.get("height", 0))
                   for mark in found if _named(mark, ticks) for i in mark.get("items", [])]
        width = group.get("width", 0)
        for mark in (mark for mark in found if _named(mark, values)):
            for item in mark.get("items", []):
                if item.get("text") in (None, "") or item.get("align", "left") != "left":  # a bar's, right of its end
                    continue
                left, _, right, _ = _label_box(item)
                crossing = [s for s in strokes if _boxes_meet(_label_box(item), s)]
                if not crossing and right <= width:
                    continue
                if right - left + 2 * gap <= item.get("x", 0):  # the bar, from 0 to its value, holds it
                    item.update(align="right", dx=-gap - 1, fill="#ffffff")
                elif crossing and right + max(s[2] for s in crossing) + gap - left <= width:
                    item["dx"] = item.get("dx", 0) + max(s[2] for s in crossing) + gap - left


_PLACING = ("x", "dx", "dy", "align", "baseline")  # what places a label: tried by clear_of_data
BESIDE = 4  # a label beside the plot stands this far right of its edge, as a band's label does (render/charts.py)


def _places(item: dict, width: float) -> list[dict]:
    """Where a reference line's label may stand: above or below its line, at the plot's right or left end."""
    above, below = {"baseline": "bottom", "dy": -2}, {"baseline": "top", "dy": 2}
    right, left = {"x": width, "align": "right", "dx": 0}, {"x": 0, "align": "left", "dx": 2}
    return [{**right, **below}, {**left, **above}, {**left, **below}]


def _obstacles(group: dict, skip: tuple[str, ...]) -> tuple[list[tuple[float, ...]], list[tuple[float, ...]]]:
    """What a label must not cover in a plot: the segments of its lines, and the boxes of its points, bars and
    texts (those of the marks named ``skip`` left out; axes and gridlines may run behind a label)."""
    segments: list[tuple[float, ...]] = []
    boxes: list[tuple[float, ...]] = []

    def walk(marks: list[dict], x0: float, y0: float) -> None:
        for mark in marks:
            kind, items = mark.get("marktype"), [i for i in mark.get("items", []) if i.get("opacity", 1) != 0]
            if _named(mark, skip) or mark.get("role") in ("axis", "legend", "title", "frame"):
                continue
            if kind == "group":  # several lines: a group of one line mark each, at the plot's origin
                for item in items:
                    walk(item.get("items", []), x0 + item.get("x", 0), y0 + item.get("y", 0))
            elif kind == "line":
                points = [(x0 + i["x"], y0 + i["y"]) for i in items if i.get("defined", True) and "x" in i]
                segments.extend((*a, *b) for a, b in zip(points, points[1:]))
            elif kind == "symbol":
                boxes.extend((x0 + i["x"] - r, y0 + i["y"] - r, x0 + i["x"] + r, y0 + i["y"] + r)
                             for i in items for r in [math.sqrt(i.get("size", 64) / math.pi)])
            elif kind == "rect":
                for i in items:
                    x, y = x0 + i.get("x", 0), y0 + i.get("y", 0)
                    x2, y2 = x + i.get("width", i.get("x2", x) - x), y + i.get("height", i.get("y2", y) - y)
                    boxes.append((min(x, x2), min(y, y2), max(x, x2), max(y, y2)))
            elif kind == "text":
                boxes.extend(_moved(_label_box(i), x0, y0) for i in items if i.get("text") not in (None, ""))

    walk(group.get("items", []), 0, 0)
    return segments, boxes


def _moved(box: tuple[float, ...], dx: float, dy: float) -> tuple[float, ...]:
    return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy


def _label_box(item: dict) -> tuple[float, float, float, float]:
    """A text's box: left, top, right, bottom, in the plot's coordinates."""
    width = max(stringWidth(line, _font(item), item.get("fontSize", 11)) for line in text_lines(item))
    x = item.get("x", 0) + item.get("dx", 0)
    left = {"left": x, "center": x - width / 2, "right": x - width}[item.get("align", "left")]
    top, bottom = _text_box(item)
    return left, top, left + width, bottom


def _hit(item: dict, segments, boxes, margin: float) -> bool:
    """Whether one of the segments or boxes runs through a text (or within ``margin`` of it)."""
    left, top, right, bottom = _label_box(item)
    box = (left - margin, top - margin, right + margin, bottom + margin)
    return any(_boxes_meet(box, other) for other in boxes) or any(_segment_meets(box, s) for s in segments)


def _boxes_meet(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _segment_meets(box: tuple[float, ...], segment: tuple[float, ...]) -> bool:
    """Whether a line segment passes through a box: its ends' box meets it, and the box's corners do not all lie
    on one side of the segment's line."""
    x1, y1, x2, y2 = segment
    if not _boxes_meet(box, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))):
        return False
    sides = {math.copysign(1, (x2 - x1) * (cy - y1) - (y2 - y1) * (cx - x1))
             for cx in (box[0], box[2]) for cy in (box[1], box[3])}
    return len(sides) > 1


def _text_box(item: dict) -> tuple[float, float]:
    """The top and the bottom of a text's glyphs (ascender 0.79, descender 0.21 of its size), down from the top:
    from its first line's top to its last line's bottom."""
    size = item.get("fontSize", 11)
    baseline = item.get("y", 0) + item.get("dy", 0) + baseline_offset(item)
    below = (max(len(text_lines(item)), 1) - 1) * line_height(item)
    return baseline - 0.79 * size, baseline + below + 0.21 * size


def _crossed(item: dict, ys: list[float], margin: float) -> bool:
    """Whether one of the horizontal lines at ``ys`` runs through the text (or within ``margin`` of it)."""
    top, bottom = _text_box(item)
    return any(top - margin < y < bottom + margin for y in ys)


def _named(mark: dict, prefix: str | tuple[str, ...]) -> bool:
    """Whether a mark is one of a layer named ``prefix`` (Vega-Lite names a layer's mark "<name>_marks"; several
    layers of one kind are numbered: "rule_label0", "rule_label1")."""
    return str(mark.get("name", "")).startswith(prefix)


def _marks_named(mark: dict, names: tuple[str, ...]):
    """(the group item, its marks named ``names``) for every group item holding some, depth first."""
    for item in mark.get("items", []) if mark.get("marktype") == "group" else []:
        children = item.get("items", [])
        found = [child for child in children if _named(child, names)]
        if found:
            yield item, found
        for child in children:
            yield from _marks_named(child, names)


def _centre_offset(item: dict) -> float:
    """How far a text's middle lies below its y, by its baseline."""
    size = item.get("fontSize", 11)
    return {"top": size / 2, "middle": 0, "bottom": -size / 2}.get(item.get("baseline", "alphabetic"), -0.35 * size)


def spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Positions as near ``wanted`` as can be with every two at least ``gap`` apart, within [low, high]
    (as far as the room allows), in the order of ``wanted``: touching labels merge into a cluster
    centred on the mean of where its labels belong."""
    order = sorted(range(len(wanted)), key=lambda index: wanted[index])
    clusters: list[list[int]] = []  # members (indexes into wanted), in order

    def first(members: list[int]) -> float:
        centre = sum(wanted[m] for m in members) / len(members)
        start = centre - gap * (len(members) - 1) / 2
        return max(low, min(start, high - gap * (len(members) - 1)))

    for index in order:
        clusters.append([index])
        while len(clusters) > 1 and first(clusters[-2]) + gap * len(clusters[-2]) > first(clusters[-1]):
            clusters[-2:] = [clusters[-2] + clusters[-1]]
    placed = [0.0] * len(wanted)
    for members in clusters:
        start = first(members)
        for step, member in enumerate(members):
            placed[member] = start + gap * step
    return placed
