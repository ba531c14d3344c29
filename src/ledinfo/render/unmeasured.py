"""Chart texts laid out by Vega without being measured there, and measured here instead.

vl-convert measures every text Vega bounds through its font stack, which opens and reads the font file for each
character of each measurement (strace: 34,900 opens of Vera.ttf for the demo packs' 47 charts, 2,800 now): the axes'
labels and the texts of the marks were more than half of a chart's layout time. Their positions do not depend on their size —
a label stands at its tick, a bar's value at its bar's end — only the room around the plot does. So the Vega a chart
is laid out with (:func:`set_sizes_aside`) gives those texts the font size 0, which vl-convert does not measure, and
reserves the bottom axes' room for their labels (one or two lines of a known height, ``minExtent``); after the
layout (:func:`measured_scenegraph`) each text gets its size back and what Vega did with the sizes is done here, by
Vega's own rules, with ReportLab's widths of the same font (the advance widths vl-convert measures, but for a
no-break space, which it made 2.9 px wider than the PDF draws it: "80 %"):

- an axis's labels that overlap are thinned out as Vega's ``labelOverlap`` does ("parity": every other one hidden,
  until none overlaps; ``labelSeparation`` the white to keep between two);
- a left axis's title stands left of its labels by its padding (Vega's axis extent);
- a bottom axis's title, laid out lower by its height (so a legend under it stands where it did), goes back up;
- the drawing grows to hold every text, as Vega's "pad" autosize does (the plot keeps its size).

Two more things vl-convert is spared, each put back as it lays them out: a value axis's gridlines, an axis of their
own in Vega-Lite's Vega, drawn here at the labelled axis's ticks (:func:`_set_grids_aside`); and a legend's labels,
once this process has laid the same legend out measured: a legend's entries do not depend on the chart
(:func:`_set_legends_aside`).
"""

from __future__ import annotations

import copy
import json
import math
from typing import NamedTuple

from reportlab.pdfbase.pdfmetrics import stringWidth

from ledinfo.render.fonts import register_fonts
from ledinfo.render.scenegraph import _font, line_height, text_lines

UNMEASURED = 0  # the font size vl-convert lays a text out with unmeasured (its width and height: 0)
LABEL_PADDING, TICK_SIZE, TITLE_PADDING = 2, 5, 4  # Vega's axis defaults (Vega-Lite's, as our charts use them)
MAX_EXTENT = 200  # Vega's default upper bound of an axis's extent
AXIS_TRANSLATE = 0.5  # Vega draws an axis half a pixel off, for crisp lines


class Axis(NamedTuple):
    """What the layout after Vega needs to know of a labelled axis: where it stands, its labels' overlap rule."""

    orient: str
    overlap: bool
    separation: float
    lowered: float = 0  # a bottom axis's title: how much lower vl-convert placed it, unmeasured (set_sizes_aside)


class Grid(NamedTuple):
    """A grid-only axis (Vega-Lite's gridlines of a value axis) taken out of a chart's Vega, drawn here at its axis's
    ticks: ``index`` where it stood among the axes, ``axis`` its labelled axis's place among the axes left,
    ``orient`` and ``colour`` its lines'."""

    index: int
    axis: int
    orient: str
    colour: str


class Sizes(NamedTuple):
    """The sizes :func:`set_sizes_aside` took away: the axes' labels' and titles', and each text mark's, by the
    mark's name."""

    axis_labels: float
    axis_titles: float
    marks: tuple[tuple[str, float], ...]
    axes: tuple[Axis, ...]  # the labelled axes, in the order of the scenegraph's axis groups
    grids: tuple[Grid, ...] = ()  # the gridlines taken out of the axes (:func:`_set_grids_aside`)
    legends: tuple[tuple[str, bool], ...] = ()  # each legend's key, and whether its labels were set aside


def set_sizes_aside(vega: dict) -> Sizes | None:
    """Give the axes' labels and titles and the text marks of a chart's Vega (its own copy: changed here) the size
    vl-convert lays a text out with unmeasured, and reserve the bottom axes' room for their labels; return the sizes
    taken, for :func:`measured_scenegraph`. None, the spec unchanged, where it is not one this module knows how to
    restore (an axis on top or right, a left axis's title without labels, a text size of an axis's own)."""
    config = vega.get("config", {}).get("axis", {})
    label_size, title_size = config.get("labelFontSize"), config.get("titleFontSize")
    labelled = [axis for axis in vega.get("axes", []) if axis.get("labels") is not False]
    if (not all(isinstance(size, (int, float)) for size in (label_size, title_size))
            or any("labelFontSize" in axis or "titleFontSize" in axis for axis in labelled)
            or any(axis.get("orient") not in ("left", "bottom") for axis in labelled)
            or any("title" in axis for axis in vega.get("axes", []) if axis.get("labels") is False
                   and axis.get("orient") == "left")):
        return None
    config["labelFontSize"] = UNMEASURED
    marks: list[tuple[str, float]] = []
    for mark in _text_marks(vega.get("marks", [])):
        update = mark.get("encode", {}).get("update", {})
        size = update["fontSize"].get("value") if isinstance(update.get("fontSize"), dict) else None
        if isinstance(size, (int, float)) and size > 0 and mark.get("name"):
            update["fontSize"] = {"value": UNMEASURED}
            marks.append((mark["name"], size))
    lowered = []
    for axis in labelled:
        if axis["orient"] == "left":  # its title: placed here by its labels
            axis["titleFontSize"] = UNMEASURED
        else:  # the room under the plot for one or two lines of labels, as Vega bounds them
            axis["minExtent"] = max(axis.get("minExtent", 0), TICK_SIZE + LABEL_PADDING + label_size
                                    + (_label_lines(axis) - 1) * (label_size + 2))
        plain = not any(key.startswith("axis") and key != "axis" for key in vega.get("config", {}))  # no axisX
        lowered.append(_lower_title(axis, config, title_size) if axis["orient"] == "bottom" and plain else 0)
    axes = tuple(Axis(axis["orient"], bool(axis.get("labelOverlap")), float(axis.get("labelSeparation", 0)), low)
                 for axis, low in zip(labelled, lowered))
    return Sizes(label_size, title_size, tuple(marks), axes, _set_grids_aside(vega), _set_legends_aside(vega))


_LEGENDS: dict[str, dict] = {}  # a legend's entries as vl-convert laid them out measuring them, by _legend_key
_LEGENDS_KEPT = 256  # at most: a process's charts have a few dozen legends (the levels or budget words drawn)
_LEGEND_CHANNELS = ("fill", "stroke", "shape", "size", "opacity", "strokeDash", "strokeWidth")


def _set_legends_aside(vega: dict) -> tuple[tuple[str, bool], ...]:
    """Each legend's key and whether its labels are laid out unmeasured: where every legend of the chart was laid
    out before in this process, measured (:data:`_LEGENDS`). None is set aside where one was not: vl-convert lays
    it out measuring it, and :func:`measured_scenegraph` keeps its entries for the next chart.

    A legend's entries are the same wherever it stands, made of its spec, its scales (their domains and ranges
    written in the spec) and the chart's config: laid out with its labels at size 0, it stands where it did (its
    height is its symbols'), only its entries stand closer, and those are put back as vl-convert laid them out.
    Measuring its labels was a fifth of a chart with a legend in vl-convert (3 of 16 ms); a build's charts have a
    few dozen legends (a verdict's levels, a budget's two words), thousands of times."""
    legends = vega.get("legends", [])
    config = vega.get("config", {})
    size = config.get("legend", {}).get("labelFontSize")
    scales = {scale.get("name"): scale for scale in vega.get("scales", [])}
    keys = []
    for legend in legends:
        used = [scales.get(legend[channel]) for channel in _LEGEND_CHANNELS if channel in legend]
        if not used or any(scale is None or not isinstance(scale.get("domain"), list) for scale in used):
            return ()  # entries from the data: not the same from chart to chart
        keys.append(json.dumps([legend, used, config], sort_keys=True))
    if (not keys or any("labelFontSize" in legend or "encode" in legend for legend in legends)
            or not isinstance(size, (int, float)) or size <= 0):  # a legend's own label size or marks: not ours
        return ()
    known = all(key in _LEGENDS for key in keys)
    if known:
        config["legend"]["labelFontSize"] = UNMEASURED
    return tuple((key, known) for key in keys)


def _legends_back(root: dict, legends: tuple[tuple[str, bool], ...]) -> list[tuple[float, ...]]:
    """Put the entries of the legends laid out unmeasured back as vl-convert laid them out measured, and keep those
    it laid out measured (:func:`_set_legends_aside`); the bounds of those put back, in the plot's coordinates."""
    items = [item for mark in root.get("items", []) if mark.get("role") == "legend" for item in mark.get("items", [])]
    if len(items) != len(legends):
        raise ValueError(f"{len(items)} legends laid out, {len(legends)} expected")
    boxes = []
    for item, (key, set_aside) in zip(items, legends):
        if set_aside:
            item.update(copy.deepcopy(_LEGENDS[key]))
            boxes.append((item["x"], item["y"], item["x"] + item["width"], item["y"] + item["height"]))
        elif len(_LEGENDS) < _LEGENDS_KEPT:
            _LEGENDS[key] = copy.deepcopy({name: item[name] for name in ("width", "height", "items") if name in item})
    return boxes


# what a grid-only axis of ours holds: anything else (its own colour, dashes, tick values) leaves it to Vega
_GRID_ONLY = {"aria", "domain", "grid", "gridScale", "labels", "maxExtent", "minExtent", "orient", "scale", "tickCount",
              "tickMinStep", "ticks", "zindex"}
_TICKS_MOVED = {"values", "tickBand", "bandPosition", "tickOffset", "tickExtra", "tickRound", "translate", "offset",
                "position"}  # what places an axis's ticks (or gridlines) other than at its scale's tick values
_GRID_STYLE = {"gridWidth", "gridDash", "gridDashOffset", "gridOpacity", "gridCap", *_TICKS_MOVED}


def _set_grids_aside(vega: dict) -> tuple[Grid, ...]:
    """Take the grid-only axes out of a chart's Vega (its own copy: changed here), where the labelled axis of the
    same scale and side draws its ticks where the gridlines stand; return them, for :func:`_draw_grids`.

    Vega-Lite draws a value axis's gridlines as an axis of their own, and an axis is a tenth of a chart's layout in
    vl-convert (1.2 of 12 ms): its lines stand at the labelled axis's ticks (the same scale, tick count and least
    step), across the plot, so they are drawn here from those."""
    config = vega.get("config", {})
    if any(key in config.get("axis", {}) for key in _GRID_STYLE) or any(
            key.startswith("axis") and key != "axis" for key in config):
        return ()
    axes = vega.get("axes", [])
    grids: list[tuple[int, dict, dict]] = []
    for index, axis in enumerate(axes):
        if not (axis.get("grid") is True and axis.get("labels") is False and axis.get("ticks") is False
                and set(axis) <= _GRID_ONLY and axis.get("domain") is False):
            continue
        mains = [other for other in axes if other is not axis and other.get("scale") == axis.get("scale")
                 and other.get("orient") == axis.get("orient") and other.get("grid") is False]
        if (axis.get("orient") in ("left", "bottom") and len(mains) == 1 and mains[0].get("ticks") is not False
                and not _TICKS_MOVED & set(mains[0])
                and all(mains[0].get(key) == axis.get(key) for key in ("tickMinStep", "tickCount", "zindex"))):
            grids.append((index, mains[0], axis))
    colour = config.get("axis", {}).get("gridColor", "#ddd")  # Vega's default gridColor
    taken = {id(axis) for _, _, axis in grids}
    kept = [axis for axis in axes if id(axis) not in taken]
    found = tuple(Grid(index, next(i for i, other in enumerate(kept) if other is main), axis["orient"], colour)
                  for index, main, axis in grids)
    if found:
        vega["axes"] = kept
    return found


def _draw_grids(root: dict, grids: tuple[Grid, ...]) -> None:
    """Put the gridlines :func:`_set_grids_aside` took back where Vega draws them: an axis group of their own, at
    its place among the axes, a line across the plot at each tick of its labelled axis."""
    axes = [mark for mark in root.get("items", []) if mark.get("role") == "axis"]
    width, height = root.get("width", 0), root.get("height", 0)
    made = []
    for grid in grids:
        main = axes[grid.axis]
        item = main["items"][0]
        ticks = [tick for mark in item.get("items", []) if mark.get("role") == "axis-tick"
                 for tick in mark.get("items", [])]
        if grid.orient == "bottom":
            lines = [{"opacity": tick.get("opacity", 1), "stroke": grid.colour, "strokeWidth": 1, "x": tick["x"],
                      "y": 0, "y2": -height} for tick in ticks]
        else:
            lines = [{"opacity": tick.get("opacity", 1), "stroke": grid.colour, "strokeWidth": 1, "x": 0,
                      "y": tick["y"], "x2": width} for tick in ticks]
        rule = {"clip": False, "interactive": False, "marktype": "rule", "role": "axis-grid", "zindex": 0,
                "items": lines}
        group = {key: value for key, value in main.items() if key != "items"}
        group["items"] = [{key: value for key, value in item.items() if key != "items"} | {"items": [rule]}]
        made.append((grid.index, group))
    ordered = list(axes)
    for index, group in sorted(made, key=lambda pair: pair[0]):
        ordered.insert(index, group)
    # each gridlines' group just before the axis group that followed it in the Vega, or after the last
    items, left = [], iter(ordered)
    for mark in root["items"]:
        if mark.get("role") == "axis":
            for group in left:
                items.append(group)
                if group is mark:
                    break
            if mark is axes[-1]:
                items.extend(left)
        else:
            items.append(mark)
    root["items"] = items


_TITLE_PLACING = ("titleAlign", "titleAnchor", "titleAngle", "titleBaseline", "titleLineHeight", "titleX", "titleY",
                  "titleLimit", "titleFont", "titleFontWeight")  # what moves or bounds a title otherwise than ours


def _lower_title(axis: dict, config: dict, size: float) -> float:
    """Lay a bottom axis's one-line title out unmeasured and as much lower as its height, so that Vega bounds the
    axis where it ends as before (a legend under it stands below it by that); how much lower, for
    :func:`measured_scenegraph` to put it back. 0, the title left to vl-convert, where it is not one of ours.

    Measuring it was a tenth of a chart's layout in vl-convert (1 of 12 ms): a text's height does not need
    measuring (its font size; Vega's bounds of a one-line text hanging from its top), and its place does not
    depend on its width (centred under the plot)."""
    if (not isinstance(axis.get("title"), str) or not axis["title"]
            or any(key in axis or key in config for key in _TITLE_PLACING) or "titleFontSize" in axis):
        return 0
    axis["titleFontSize"] = UNMEASURED
    axis["titlePadding"] = axis.get("titlePadding", config.get("titlePadding", TITLE_PADDING)) + size
    return size


def _label_lines(axis: dict) -> int:
    """How many lines an axis's labels have: two where its label expression makes a list (a month and its year)."""
    text = axis.get("encode", {}).get("labels", {}).get("update", {}).get("text", {})
    return 2 if isinstance(text, dict) and "[" in str(text.get("signal", "")) else 1


def _text_marks(marks: list[dict]):
    for mark in marks:
        if mark.get("type") == "text":
            yield mark
        yield from _text_marks(mark.get("marks", []))


def measured_scenegraph(scenegraph: dict, sizes: Sizes | None, padding: float = 5) -> dict:
    """The scenegraph vl-convert laid out from the Vega :func:`set_sizes_aside` changed with its texts' sizes back, its axes'
    overlapping labels hidden, its left axes' titles beside their labels and the drawing holding every text."""
    if sizes is None:
        return scenegraph
    register_fonts()  # the texts are measured in the document's fonts
    root = scenegraph["scenegraph"]["items"][0]
    if sizes.grids:
        _draw_grids(root, sizes.grids)
    axes = [item for mark in root.get("items", []) if mark.get("role") == "axis" for item in mark.get("items", [])]
    labelled = [axis for axis in axes if any(m.get("role") == "axis-label" for m in axis.get("items", []))]
    if len(labelled) != len(sizes.axes):
        raise ValueError(f"{len(labelled)} labelled axes laid out, {len(sizes.axes)} expected")
    placed: list[tuple[float, ...]] = []  # the bounds of the texts given their size here, in the plot's coordinates
    for axis, spec in zip(labelled, sizes.axes):
        items = [item for mark in axis["items"] if mark.get("role") == "axis-label" for item in mark.get("items", [])]
        for item in items:
            item["fontSize"] = sizes.axis_labels
        if spec.overlap:
            _thin_out(items, spec.separation)
        boxes = [text_bounds(item) for item in items]
        titles = [item for mark in axis["items"] if mark.get("role") == "axis-title" for item in mark["items"]]
        if spec.orient == "left":  # the title beside the labels, as Vega places it by the axis's extent
            extent = max(0.0, min(MAX_EXTENT, -min((box[0] for box in boxes), default=0.0)))
            for title in titles:
                title["fontSize"] = sizes.axis_titles
                title["x"] = min(title.get("x", 0), -(extent + TITLE_PADDING))
            boxes += [text_bounds(title) for title in titles]
        elif spec.lowered:  # the title back up where it stands, its bottom where vl-convert bounded it
            for title in titles:
                title["fontSize"] = sizes.axis_titles
                title["y"] = title.get("y", 0) - spec.lowered
            boxes += [text_bounds(title) for title in titles]
        # Vega bounds an axis where it stands before the half pixel it draws it off by (``translate``, 0.5)
        placed += [_moved(box, axis.get("x", 0) - AXIS_TRANSLATE, axis.get("y", 0) - AXIS_TRANSLATE) for box in boxes]
    placed += _restore_marks(root.get("items", []), dict(sizes.marks), 0, 0)
    placed += _legends_back(root, sizes.legends)
    _fit(scenegraph, root, placed, padding)
    return scenegraph


def _restore_marks(marks: list[dict], named: dict[str, float], x0: float, y0: float) -> list[tuple[float, ...]]:
    """Give the text marks named in ``named`` their sizes back; their texts' bounds, in the plot's coordinates."""
    boxes = []
    for mark in marks:
        if mark.get("marktype") == "text" and mark.get("name") in named:
            for item in mark.get("items", []):
                item["fontSize"] = named[mark["name"]]
                boxes.append(_moved(text_bounds(item), x0, y0))
        elif mark.get("marktype") == "group" and mark.get("role") != "axis":
            for item in mark.get("items", []):
                boxes += _restore_marks(item.get("items", []), named, x0 + item.get("x", 0), y0 + item.get("y", 0))
    return boxes


def _moved(box: tuple[float, ...], dx: float, dy: float) -> tuple[float, ...]:
    return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy


def _thin_out(items: list[dict], separation: float) -> None:
    """Hide labels as Vega's ``labelOverlap`` "parity" does: while three or more remain and two neighbours overlap
    (closer than ``separation``), every other one of those remaining is hidden; were fewer than three left and the
    last label hidden, the last is shown instead of the last remaining (vega-view-transforms ``Overlap``)."""
    shown = [item for item in items if _has_size(item)]
    for item in shown:
        item["opacity"] = 1
    remaining = shown

    def overlapping(candidates: list[dict]) -> bool:
        boxes = [text_bounds(item) for item in candidates]
        return any(_intersect(a, b, separation) for a, b in zip(boxes, boxes[1:]))

    if len(remaining) >= 3 and overlapping(remaining):
        while True:
            for index, item in enumerate(remaining):
                if index % 2:
                    item["opacity"] = 0
            remaining = remaining[::2]
            if not (len(remaining) >= 3 and overlapping(remaining)):
                break
        if len(remaining) < 3 and shown[-1].get("opacity", 1) == 0:
            if len(remaining) > 1:
                remaining[-1]["opacity"] = 0
            shown[-1]["opacity"] = 1


def _has_size(item: dict) -> bool:
    left, top, right, bottom = text_bounds(item)
    return right - left > 1 and bottom - top > 1


def _intersect(a: tuple[float, ...], b: tuple[float, ...], separation: float) -> bool:
    return separation > max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3])


def text_bounds(item: dict) -> tuple[float, float, float, float]:
    """A text's bounds as Vega computes them (vega-scenegraph ``marks/text.js``): its widest line (cut to its
    ``limit``) from its anchor by its alignment, from 0.8 of its size above its baseline down its lines; turned
    about its anchor by its angle."""
    size = item.get("fontSize", 11)
    lines = text_lines(item)
    font = _font(item)
    width = max((stringWidth(line, font, size) for line in lines), default=0.0)
    if item.get("limit"):
        width = min(width, item["limit"])
    height = size + line_height(item) * (len(lines) - 1) if len(lines) > 1 else size
    x, y = item.get("x", 0), item.get("y", 0)
    dx = item.get("dx", 0) - {"center": width / 2, "right": width}.get(item.get("align", "left"), 0)
    dy = item.get("dy", 0) + _offset(item) - round(0.8 * size)
    box = (x + dx, y + dy, x + dx + width, y + dy + height)
    angle = item.get("angle")
    if not angle:
        return box
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    corners = [(cos * (px - x) - sin * (py - y) + x, sin * (px - x) + cos * (py - y) + y)
               for px in (box[0], box[2]) for py in (box[1], box[3])]
    return (min(c[0] for c in corners), min(c[1] for c in corners), max(c[0] for c in corners),
            max(c[1] for c in corners))


def _offset(item: dict) -> float:
    """How far Vega moves a text's top from its anchor for its baseline (vega-scenegraph ``offset``)."""
    size = item.get("fontSize", 11)
    return round({"top": 0.79 * size, "middle": 0.30 * size, "bottom": -0.21 * size}.get(
        item.get("baseline", "alphabetic"), 0))


def _fit(scenegraph: dict, root: dict, boxes: list[tuple[float, ...]], padding: float) -> None:
    """Grow the drawing to hold the texts' ``boxes``, as Vega's "pad" autosize grows the view to its content's
    bounds: the plot keeps its size and its place within the content; the padding is kept around it."""
    width, height = root.get("width", 0), root.get("height", 0)
    origin_x, origin_y = scenegraph.get("origin", (0, 0))
    left, top = origin_x - padding, origin_y - padding
    right = scenegraph["width"] - 2 * padding - left - width
    bottom = scenegraph["height"] - 2 * padding - top - height
    for x1, y1, x2, y2 in boxes:
        left, top = max(left, math.ceil(-x1)), max(top, math.ceil(-y1))
        right, bottom = max(right, math.ceil(x2 - width)), max(bottom, math.ceil(y2 - height))
    scenegraph["origin"] = [padding + left, padding + top]
    scenegraph["width"] = width + left + right + 2 * padding
    scenegraph["height"] = height + top + bottom + 2 * padding
