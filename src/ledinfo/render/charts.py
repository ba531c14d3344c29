"""Charts: a :class:`~ledinfo.model.results.Chart` to a vector ReportLab drawing.

Altair builds a Vega-Lite spec of each shape of chart, vl-convert compiles it to Vega once per shape
(:func:`chart_vega` fills each chart's values and rows in), lays it out and returns the Vega
scenegraph, which becomes ReportLab vector shapes whose text stays selectable
(:mod:`ledinfo.render.scenegraph`). Its texts are laid out unmeasured there and measured here in the
document's own font (Vera), by Vega's rules (:mod:`ledinfo.render.unmeasured`): vl-convert's measuring was most
of a chart's time. A value's label is written by the same formatter as the text and the tables
(:func:`ledinfo.words.formatting.format_value`), so a bar reads "56,3" exactly where the table does; only the axis
ticks use the spec's d3 locale.

Colour carries meaning, the same way in every chart: green, yellow and red only
for a value's verdict (its figure's, ``Figure.verdict``: one yardstick, one verdict,
made once by the build), with the yardstick drawn — a labelled line where the bars
share one, a mark on each bar where they do not; grey for a value resting on too
few cases to be judged. A budget has its own scale: within or over its budget, in
two colours that are no verdict's. Every other bar is one neutral colour. A trend
highlights at most three lines — the team, the municipality (near-black) and the
yardstick — and draws the rest grey; every line of a trend with more than one is
named at its end (the director's teams, each grey, are told apart by their names).
The categorical colours are Okabe-Ito's blues and purple, which stay distinguishable
for colour-blind readers and never read as a verdict.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import pickle
import re
import sys
from dataclasses import fields
from typing import NamedTuple

import polars as pl
from reportlab.pdfbase.pdfmetrics import stringWidth

from ledinfo.disclosure.disclose import SUPPRESSED_SUFFIX, suppressed_column
from ledinfo.language import N_, Language
from ledinfo.model.period import Period
from ledinfo.model.results import Chart
from ledinfo.model.verdicts import CLOSE, FEW_CASES, LEVEL_WORDS, MET, OFF_TRACK
from ledinfo.render import shape_store
from ledinfo.render.fonts import FAMILY, FONT_DIR, REGULAR, register_fonts
from ledinfo.render.judged import COLOURS
from ledinfo.render.verdicts import verdict_column, yardstick_column
from ledinfo.runtime.user_cache import caching
from ledinfo.texts.readable import municipality_label, readable
from ledinfo.words.formatting import format_value
from ledinfo.words.sentences import label
from ledinfo.words.verdicts import yardstick_phrase

PALETTE = ("#0072B2", "#CC79A7", "#56B4E9")  # categories (a team, a rule, a reporter): never a status colour
NEUTRAL = "#5B84A8"  # every bar that is not judged against a target
GREY = "#A6A6A6"  # the lines beyond the three highlighted ones: light, yet a line a reader can follow
LABEL_GREY = "#595959"  # a grey line's name: text needs more contrast than a line (7:1 on white)
MUNICIPALITY_COLOUR = "#222222"
# a verdict's colours (render/judged.py), so a red bar, a red dot and a red key figure mean the same
STATUS_COLOURS = {level: COLOURS[level] for level in (MET, CLOSE, OFF_TRACK)}
# the budget's own scale: within or over the year's budget, in colours no verdict has
BUDGET_COLOURS = {"within": "#0072B2", "over": "#D55E00"}
BUDGET_WORDS = {"within": N_("Expected within the budget"), "over": N_("Expected over the budget")}
BAND_COLOUR = "#5B84A8"  # a guideline's range: a reference, not a status, so not green
RULE_COLOUR = "#555555"
TEXT_COLOUR = "#222222"
PX = 0.75  # a CSS pixel in points
MAX_HIGHLIGHTED = 3  # lines in colour: the team, the municipality and the target; the rest grey
END_LABELS = "end_labels"  # the layer naming each line at its end; moved apart once laid out (draw_chart)
BAND_LABEL = "band_label"  # a band's label: beside the line ends in a trend, so moved apart with them
# a reference line, its label and the bars' values: a text a reference line would cross is moved off it (draw_chart)
RULE, RULE_LABEL, VALUE_LABELS = "rule_line", "rule_label", "value_labels"
TICKS = "yardstick_ticks"  # each bar's yardstick across it: a bar's value it would cross is moved off it
LABEL_SIZE = 8
AXIS_LABEL_SIZE = 9  # the axes' labels (_config)
# the white between two labels of a month axis at the least, in pixels: about two word spaces. Closer (thirteen
# "nov 25" side by side left 2.6), a row of months reads as one line of text: "nov 25 dec 25 jan 26"
MONTH_GAP = 6

_FORMATS = {"share": ".0%", "count": ",d", "number": ",.1f", "money": ",.0f"}
NO_CASES = N_("no cases")  # a share of nothing: drawn as words, never as a bar of 0 %
HIDDEN = N_("hidden")  # hidden by disclosure: never drawn as "no cases", which would tell it apart from 0


@functools.cache
def _vl_convert():
    import vl_convert  # deferred: the chart engine (V8 and fonts), started only where a chart is drawn

    vl_convert.register_font_directory(str(FONT_DIR))
    return vl_convert


def _prepare(chart: Chart, language: Language) -> tuple[pl.DataFrame, list[str] | None]:
    """Label series, categories and months for display; return the frame and the x order.

    The series is the ``color`` column, else the team column (a null team is the
    whole municipality). Values with an entry in ``value_labels`` show its label.

    Made as Python lists and one frame at the end: a chart's frame has tens of rows, and each of the seven
    Polars steps this took cost more than the whole of its work (3 ms a chart, drawn and described).
    """
    frame, _ = readable(chart)
    everyone = municipality_label(language)
    series = chart.color or chart.team_column
    if series and series in frame.columns:
        fill = everyone if series == chart.team_column else ""
        column = frame[series]
        if column.dtype == pl.String:  # a list: Polars' fill_null runs an expression on its threads, for a few rows
            named = [fill if value is None else value for value in column.to_list()]
        else:  # Polars' fill: a number column becomes text, as before
            named = column.fill_null(fill).to_list()
    else:
        named = [everyone] * frame.height
    relabel = {v: label(v, chart.value_labels, language) for v in dict.fromkeys(named)}
    named = [relabel[v] for v in named]
    order = None
    if chart.kind == "line" or chart.x == "month":  # months, or whole quarters ("K1 2024")
        xs = named if chart.x == "series" else frame[chart.x].to_list()
        months = sorted(set(xs))
        labels = {m: language.period_short(Period.parse(m)) if "Q" in m else language.month_abbr(int(m[:4]), int(m[5:7]))
                  for m in months}
        x_labels = [labels[m] for m in xs]
        order = [labels[m] for m in months]
    elif chart.x == chart.team_column:
        x_labels = named
        teams = [t for t in x_labels if t != everyone]
        order = teams + ([everyone] if everyone in x_labels else [])
    else:
        values = named if chart.x == "series" else frame[chart.x].cast(pl.String).to_list()
        labels = {v: label(v, chart.value_labels, language) for v in values}
        x_labels = [labels[v] for v in values]
        order = list(dict.fromkeys(x_labels))
    hidden = suppressed_column(chart.y)
    ys = frame[chart.y].to_list()
    flags = frame[hidden].to_list() if hidden in frame.columns else [None] * frame.height
    notes = [None if value is not None else language(HIDDEN) if flag is not None else language(NO_CASES)
             for value, flag in zip(ys, flags)]
    texts = [None if value is None else format_value(language, value, chart.y_format) for value in ys]
    marked = yardstick_column(chart.y)
    yardstick = frame[marked].alias("yardstick") if marked in frame.columns else \
        pl.Series("yardstick", [None] * frame.height, dtype=pl.Float64)
    prepared = pl.DataFrame([
        pl.Series("x_label", x_labels, dtype=pl.String), pl.Series("series", named, dtype=pl.String),
        pl.Series("group", _groups(chart, frame, language, ys, named), dtype=pl.String), frame[chart.y].alias("y"),
        pl.Series("label", texts, dtype=pl.String), pl.Series("note", notes, dtype=pl.String),
        pl.Series("base", [0.0] * frame.height, dtype=pl.Float64), yardstick])
    return prepared, order


def _judged(chart: Chart) -> bool:
    """Bars of judged figures are coloured by their verdicts; a trend's lines keep their series' colours
    (a line is many values) and its yardstick is drawn as a line."""
    return chart.judged and chart.kind != "line"


def _budget(chart: Chart) -> bool:
    return chart.budget is not None and chart.kind != "line"


def _levels(chart: Chart, frame: pl.DataFrame) -> list[str | None]:
    column = verdict_column(chart.y)
    return frame[column].to_list() if column in frame.columns else [None] * frame.height


def _groups(chart: Chart, frame: pl.DataFrame, language: Language, values: list, series: list[str]) -> list[str]:
    """What each row is coloured by: its verdict, its budget, else its series (the colour rules above); ``values``
    are the rows' values, ``series`` their series' names."""
    if _judged(chart):  # a drawn bar with no verdict is grey, "not judged" (no colour without a yardstick)
        return [language(LEVEL_WORDS[level or FEW_CASES]) if level or value is not None else ""
                for level, value in zip(_levels(chart, frame), values)]
    if _budget(chart):
        return [language(BUDGET_WORDS["over" if deviation > 0 else "within"]) if deviation is not None else ""
                for deviation in frame[chart.budget].to_list()]
    return list(series)


def _colours(chart: Chart, frame: pl.DataFrame, language: Language) -> tuple[list[str], list[str]]:
    """The colour scale: its domain (the groups in the order drawn) and its range. A verdict's or a budget's scale
    holds the levels some bar is drawn in, no more: its legend named "Nået" and "Forventes inden for budget" under
    charts without a green bar or a bar within its budget (the key under a judged chart names every level)."""
    everyone = municipality_label(language)
    if _judged(chart) or _budget(chart):
        scale = {language(LEVEL_WORDS[level]): COLOURS[level] for level in (MET, CLOSE, OFF_TRACK, FEW_CASES)} \
            if _judged(chart) else {language(word): BUDGET_COLOURS[key] for key, word in BUDGET_WORDS.items()}
        drawn = set(frame["group"].to_list())
        domain = [group for group in scale if group in drawn] or list(scale)[:3]  # no bar: a scale all the same
        return domain, [scale[group] for group in domain]
    groups = list(dict.fromkeys(frame["group"].to_list()))
    named = [g for g in groups if g != everyone]
    if chart.kind != "line":  # bars: one neutral colour; the municipality's bar darker beside the teams'
        palette = [MUNICIPALITY_COLOUR if g == everyone and named else NEUTRAL for g in groups]
        return groups, palette
    if len(named) > 1 and (chart.color or chart.team_column) == chart.team_column:
        colours = [GREY] * len(named)  # the director's trends: no team is "the" team; each grey, named at its end
    else:  # the municipality's near-black and the target's line are no colour of their own: reference lines
        colours = [PALETTE[i] if i < min(MAX_HIGHLIGHTED, len(PALETTE)) else GREY for i in range(len(named))]
    domain = named + ([everyone] if everyone in groups else [])
    return domain, colours + ([MUNICIPALITY_COLOUR] if everyone in groups else [])


def _line_ends(frame: pl.DataFrame, order: list[str], domain: list[str], palette: list[str]) -> pl.DataFrame:
    """Columns ``end`` (the series' name, on its last drawn point only) and ``ink`` (its line's colour, a
    darker grey for a grey line): the name each line carries at its end."""
    position = {x: index for index, x in enumerate(order)}
    ink = {group: LABEL_GREY if colour == GREY else colour for group, colour in zip(domain, palette)}
    groups, ys = frame["group"].to_list(), frame["y"].to_list()
    at = [position[x] if x is not None else None for x in frame["x_label"].to_list()]
    last: dict = {}  # each line's last drawn point: the furthest along the axis with a value
    for group, y, place in zip(groups, ys, at):
        if y is not None and place is not None and (group not in last or place > last[group]):
            last[group] = place
    ends = [series if y is not None and place is not None and place == last.get(group) else None
            for series, group, y, place in zip(frame["series"].to_list(), groups, ys, at)]
    # hstack, not with_columns: the same frame without Polars' query engine (2 ms a chart, more than the work)
    return frame.hstack([pl.Series("end", ends, dtype=pl.String),
                         pl.Series("ink", [ink.get(group, LABEL_GREY) for group in groups], dtype=pl.String)])


def yardstick_lines(chart: Chart, language: Language) -> tuple[list[tuple[float, str]], bool]:
    """The yardsticks a judged chart draws: (value, label) lines, and whether each bar gets its own mark instead
    (bars judged against different yardsticks: one line would say the wrong one for some)."""
    distinct: dict = {}
    for yardstick in chart.yardsticks:
        distinct.setdefault((yardstick.basis, yardstick.value, yardstick.direction, repr(yardstick.label)), yardstick)
    if len(distinct) != 1:  # several: the notes under the chart say which is whose; a trend's lines would crowd
        return [], chart.kind != "line" and len(distinct) > 1
    return [(y.value, yardstick_phrase(language, y)) for y in distinct.values()], False


def _y_domain(chart: Chart, frame: pl.DataFrame, lines: list) -> list[float]:
    """A share's axis runs from 0 to 100 %, further only when a value (or a reference) lies beyond."""
    values = [v for v in frame["y"].to_list() if v is not None]
    values += [v for v in frame["yardstick"].to_list() if v is not None]
    values += [value for value, _ in [*chart.rules, *lines]]
    if chart.band is not None:
        values.append(chart.band[1])
    return [0, max([1.0, *values])]


def chart_spec(chart: Chart, language: Language, width: int = 400, height: int = 190, validate: bool = False) -> dict:
    """The Vega-Lite spec of ``chart`` (also usable in a browser).

    Altair builds the spec of each *shape* of chart (kind, layers, legend) once per
    process, with placeholders for the data and the chart's own values; each chart then
    fills in a copy. Building an Altair chart per chart cost 10 ms in Altair's deep copies
    and checks. ``validate=True`` builds the chart with Altair itself and checks it
    against the Vega-Lite schema (the tests do, for every chart of the demo packs, and
    compare it with the filled-in spec).
    """
    shape, values, data, width, height = _parts(chart, language, width, height)
    if validate:
        spec = _altair(shape, values, data).properties(width=width, height=height).to_dict(validate=True)
    else:
        spec = _filled(_template(shape), values, {name: _dataset(frame) for name, frame in data.items()})
        spec["width"], spec["height"] = width, height
    spec.setdefault("config", {}).update(_config(language))
    return spec


def _parts(chart: Chart, language: Language, width: int, height: int) -> tuple[_Shape, dict, dict, int, int]:
    """What a chart's spec is made of: its shape, the values filled into it, its frames, and its size."""
    frame, order = _prepare(chart, language)
    if chart.kind == "line":  # grey lines first, so the highlighted ones are drawn over them
        domain, palette = _colours(chart, frame, language)
        grey = {g for g, colour in zip(domain, palette) if colour == GREY}
        groups = frame["group"].to_list()
        rows = sorted(range(frame.height), key=lambda row: groups[row] not in grey)  # stable: in order otherwise
        if rows != list(range(frame.height)):
            frame = frame[rows]
    domain, palette = _colours(chart, frame, language)
    end_labels = chart.kind == "line" and len(domain) > 1
    if end_labels:
        frame = _line_ends(frame, order, domain, palette)
    yardsticks, ticks = yardstick_lines(chart, language) if chart.judged else ([], False)
    values = {"order": order, "domain": domain, "palette": palette, "y_format": _FORMATS.get(chart.y_format, ",.1f"),
              "y_title": language(chart.y_title) if chart.y_title else None,
              "y_domain": _y_domain(chart, frame, yardsticks)}
    data = {"main": frame}
    if chart.band is not None:
        low, high, label = chart.band
        # a yardstick's line on the band's edge (the guideline's "at most 30" on its 20–30) carries its own label
        # there, which names the guideline: the band's label would be printed over it
        on_edge = any(value in (low, high) for value, _ in yardsticks)
        data["band"] = pl.DataFrame({"low": [low], "high": [high], "label": ["" if on_edge else language(label)]})
    lines = [(value, language(label)) for value, label in chart.rules] + yardsticks  # the yardsticks last, drawn strong
    for index, (value, label) in enumerate(lines):
        data[f"rule{index}"] = pl.DataFrame({"v": [value], "label": [label]})
    if chart.kind == "hbar":
        height = max(80, 16 * frame.height)
    legend = _judged(chart) or _budget(chart)  # a trend names each line at its end: no legend
    shape = _Shape(chart.kind, chart.y_format == "share", chart.y_format == "count", chart.band is not None,
                   len(lines), len(yardsticks), legend, chart.kind == "hbar" and chart.sort_by_value,
                   frame["note"].is_not_null().any(), ticks, end_labels, _month_axis(chart, language, order, width))
    return shape, values, data, width, height


def _month_axis(chart: Chart, language: Language, order: list[str] | None, width: int) -> str | None:
    """How a chart's x axis names its months: None for an axis of no months (teams, quarters); "" for one line
    per month ("nov 25") where every label fits its month's place with MONTH_GAP to spare; else in two lines,
    the month, and under it the year at the first month and at each January: the language's name of January,
    by which the axis's expression knows one (_month_labels)."""
    if chart.kind not in ("line", "bar") or not order or (chart.kind != "line" and chart.x != "month"):
        return None
    if any("Q" in str(value) for value in chart.frame[chart.x].to_list()):  # quarters: "K1 2024", few of them
        return None
    register_fonts()
    widest = max(stringWidth(label, REGULAR, AXIS_LABEL_SIZE) for label in order)
    if widest + MONTH_GAP <= width / len(order):  # a point scale's and a band scale's step alike (Vega-Lite)
        return ""
    return language.month_abbr(2000, 1).split()[0].lower()


def _month_labels(january: str) -> str:
    """The Vega expression of a month axis's labels in two lines: "nov 25" is "nov", and under the first month
    and January the year, "2025" (``datum.index`` is the label's place along the axis, 0 for the first)."""
    month, year = "split(datum.value, ' ')[0]", "split(datum.value, ' ')[1]"
    # the year's two digits ("LLL yy", Language.month_abbr) as the year: the data's years are this century's
    return f"datum.index == 0 || lower({month}) == {json.dumps(january)} ? [{month}, '20' + {year}] : {month}"


def _x_axis(shape: _Shape, **options):
    """The x axis of a bar or line chart; one of months with its months' labels (_month_axis) and never two of
    them closer than MONTH_GAP: were they still too many, every other one is left out (Vega's "parity")."""
    import altair as alt  # deferred: Altair, loaded only where a chart is drawn

    if shape.months is not None:
        options.update(labelOverlap=True, labelSeparation=MONTH_GAP)
        if shape.months:
            options["labelExpr"] = _month_labels(shape.months)
    return alt.Axis(labelAngle=0, **options)


def _config(language: Language) -> dict:
    """The spec's look: the document's font, the language's number and date formats, quiet axes."""
    number, time = language.d3_locale()
    return {
        "font": FAMILY,
        "locale": {"number": number, "time": time},
        "axis": {"labelFontSize": AXIS_LABEL_SIZE, "titleFontSize": 9, "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR,
                 "gridColor": "#e4e4e4", "domainColor": "#888888", "tickColor": "#888888"},
        "legend": {"labelFontSize": 9, "symbolSize": 60},
        "view": {"stroke": None},
        "background": "white",
        # no ARIA descriptions: Vega-Lite writes each field's title raw into the description's expression, so a
        # title holding a quote broke the chart; the PDF's charts are described by their own texts (render.tagging)
        "aria": False,
    }


class _Shape(NamedTuple):
    """What changes the structure of a chart's spec; everything else is a value filled in."""

    kind: str
    share_axis: bool  # shares: the value axis runs from 0 to 100 % (further only for a value beyond)
    count_axis: bool  # counts: whole-number ticks only
    band: bool
    rules: int  # reference lines, the yardsticks' last
    strong: int  # the last ``strong`` rules are yardsticks: drawn stronger
    legend: bool
    sort_by_value: bool
    notes: bool  # some bar has words instead of a value ("skjult", "ingen sager"): a layer for them, else none
    ticks: bool  # each bar's own yardstick marked on it (bars judged against different yardsticks)
    end_labels: bool  # a trend of several lines: each named at its end, no legend
    months: str | None  # an x axis of months: "" one line each, else two (January's name); None: no months


_PLACEHOLDER = "\x00ledinfo:"  # marks a value or a dataset to fill in; no chart text starts with a NUL


def _altair(shape: _Shape, values: dict, data: dict):
    """The Altair layered chart of a shape, from the chart's values and its frames (or placeholders for both)."""
    import altair as alt  # deferred: Altair, loaded only where a chart is drawn

    y_format, y_title, order = values["y_format"], values["y_title"], values["order"]
    colour = alt.Color("group:N", title=None, scale=alt.Scale(domain=values["domain"], range=values["palette"]),
                       legend=alt.Legend(orient="bottom", labelLimit=200) if shape.legend else None)
    axis = alt.Axis(format=y_format, tickMinStep=1) if shape.count_axis else alt.Axis(format=y_format)
    scale = alt.Scale(domain=values["y_domain"]) if shape.share_axis else alt.Undefined
    value = alt.Y("y:Q", title=y_title, axis=axis, scale=scale)
    at_zero = alt.Y("base:Q", scale=scale)
    if shape.kind == "hbar":
        value = alt.X("y:Q", title=y_title, axis=axis, scale=scale)
        at_zero = alt.X("base:Q", scale=scale)
    base = alt.Chart(data["main"])
    notes = base.transform_filter("datum.note != null")
    layers = []  # channels are always Altair classes: a plain "field:type" string costs Altair a schema lookup
    if shape.band:
        shade = alt.Chart(data["band"])
        if shape.kind == "hbar":
            layers += [shade.mark_rect(color=BAND_COLOUR, fillOpacity=0.12).encode(x=alt.X("low:Q"), x2=alt.X2("high:Q")),
                       shade.mark_text(align="left", baseline="bottom", dy=-3, fontSize=8, color=RULE_COLOUR).encode(
                           x=alt.X("low:Q"), y=alt.YValue(0), text=alt.Text("label:N"))]
        else:
            layers += [shade.mark_rect(color=BAND_COLOUR, fillOpacity=0.12).encode(y=alt.Y("low:Q"), y2=alt.Y2("high:Q")),
                       # right of the plot, where no bar's value or line can cover it
                       shade.mark_text(align="left", baseline="top", dx=4, fontSize=LABEL_SIZE, color=RULE_COLOUR).encode(
                           x=alt.XValue("width"), y=alt.Y("high:Q"), text=alt.Text("label:N")).properties(
                           name=BAND_LABEL)]
    if shape.kind == "line":
        x = alt.X("x_label:N", sort=order, title=None, axis=_x_axis(shape, labelOverlap=True))
        layers.append(base.mark_line(point=alt.OverlayMarkDef(size=28), strokeWidth=2).encode(
            x=x, y=value, color=colour, detail=alt.Detail("series:N")))
    elif shape.kind == "hbar":
        y = alt.Y("x_label:N", sort="-x" if shape.sort_by_value else order, title=None, axis=alt.Axis(labelLimit=230))
        layers.append(base.mark_bar().encode(x=value, y=y, color=colour))
        layers.append(base.mark_text(align="left", dx=3, fontSize=8, color=TEXT_COLOUR).encode(
            x=value, y=y, text=alt.Text("label:N")).properties(name=VALUE_LABELS))
        if shape.notes:  # an empty layer costs the chart engine a tenth of the chart's time
            layers.append(notes.mark_text(align="left", dx=3, fontSize=8, fontStyle="italic", color=RULE_COLOUR)
                          .encode(x=at_zero, y=y, text=alt.Text("note:N")))
    else:
        x = alt.X("x_label:N", sort=order, title=None, axis=_x_axis(shape, labelLimit=110))
        layers.append(base.mark_bar().encode(x=x, y=value, color=colour))
        layers.append(base.mark_text(dy=-6, fontSize=9, color=TEXT_COLOUR).encode(
            x=x, y=value, text=alt.Text("label:N")).properties(name=VALUE_LABELS))
        if shape.notes:
            layers.append(notes.mark_text(dy=-6, fontSize=8, fontStyle="italic", color=RULE_COLOUR).encode(
                x=x, y=at_zero, text=alt.Text("note:N")))
    if shape.ticks and shape.kind == "hbar":  # each bar's yardstick, a short upright stroke across it
        layers.append(base.transform_filter("datum.yardstick != null").mark_tick(
            color=TEXT_COLOUR, thickness=2, size=14).encode(x=alt.X("yardstick:Q", scale=scale), y=y)
            .properties(name=TICKS))
    elif shape.ticks:
        layers.append(base.transform_filter("datum.yardstick != null").mark_tick(
            color=TEXT_COLOUR, thickness=2, orient="horizontal").encode(x=x, y=alt.Y("yardstick:Q", scale=scale)))
    for index in range(shape.rules):
        strong = index >= shape.rules - shape.strong
        line = alt.Chart(data[f"rule{index}"])
        style = {"color": TEXT_COLOUR, "strokeWidth": 1.5} if strong else {"color": RULE_COLOUR, "strokeDash": [4, 3]}
        if shape.kind == "hbar":
            layers += [line.mark_rule(**style).encode(x=alt.X("v:Q")),
                       line.mark_text(align="right", baseline="bottom", dy=-3, fontSize=8, color=style["color"]).encode(
                           x=alt.X("v:Q"), y=alt.YValue(0), text=alt.Text("label:N"))]
        else:  # its label above its line at the right, or below it where another line runs through it (draw_chart)
            layers += [line.mark_rule(**style).encode(y=alt.Y("v:Q")).properties(name=f"{RULE}{index}"),
                       line.mark_text(align="right", baseline="bottom", dy=-2, fontSize=8, color=style["color"]).encode(
                           x=alt.XValue("width"), y=alt.Y("v:Q"), text=alt.Text("label:N")).properties(
                           name=f"{RULE_LABEL}{index}")]
    if shape.kind == "line" and shape.end_labels:
        # each line's name in its line's colour (scale=None: the colour itself, no second colour scale); drawn last,
        # over the reference lines, so a name on its white ground (ground_texts) is read whole
        layers.append(base.transform_filter("datum.end != null").mark_text(
            align="left", baseline="middle", dx=6, fontSize=LABEL_SIZE).encode(
            x=x, y=value, text=alt.Text("end:N"), fill=alt.Fill("ink:N", scale=None)).properties(name=END_LABELS))
    return alt.layer(*layers)


@functools.lru_cache(maxsize=64)
def _template(shape: _Shape) -> dict:
    """The spec of a shape with placeholders: built by Altair once per process."""
    import altair as alt  # deferred: Altair, loaded only where a chart is drawn

    names = ["main", *(["band"] if shape.band else []), *(f"rule{i}" for i in range(shape.rules))]
    data = {name: alt.NamedData(name=_PLACEHOLDER + name) for name in names}
    # a list stands in for a list (Altair checks some types as a chart is made)
    values = {name: _PLACEHOLDER + name for name in ("y_format", "y_title")}
    values.update({name: [_PLACEHOLDER + name] for name in ("order", "domain", "palette", "y_domain")})
    return _altair(shape, values, data).properties(width=400, height=190).to_dict(validate=False)


def _rows(frame: pl.DataFrame) -> list:
    """A frame's rows as Altair puts them into a spec: Altair's own conversion, and its row limit.

    A frame of numbers and text only, as a chart's are, Altair's default conversion gives as Polars' own rows (it
    rewrites dates and refuses durations, and hands the rest to the same ``rows``): those are taken directly,
    without Altair's checks and narwhals' wrapping, which cost more than the rows (1.4 ms a frame).

    Altair not imported, no one can have chosen another transformer: its default's rules hold, and a build whose
    shapes are all kept compiled (:mod:`ledinfo.render.shape_store`) never imports Altair (0.5–0.9 s of CPU a
    process, most of the demo's charts stage)."""
    loaded = sys.modules.get("altair")
    default = loaded is None or (loaded.data_transformers.active == "default" and not loaded.data_transformers.options)
    if default and frame.height <= _MAX_ROWS and all(dtype in _PLAIN for dtype in frame.dtypes):
        return frame.rows(named=True)
    import altair as alt  # deferred: Altair, loaded only where a chart is compiled or a frame needs its conversion

    return alt.data_transformers.get()(frame)["values"]


_MAX_ROWS = 5000  # Altair's default transformer refuses more rows (MaxRowsError): those go to it, to be refused
_PLAIN = {pl.String, pl.Float64, pl.Float32, pl.Int64, pl.Int32, pl.Int16, pl.Int8, pl.UInt64, pl.UInt32, pl.UInt16,
          pl.UInt8, pl.Boolean, pl.Null}  # what Altair's conversion passes through as it is


def _dataset(frame: pl.DataFrame) -> tuple[str, list]:
    """A frame as Altair puts it into a spec: its rows, named by their hash (as ``alt.Chart(frame)`` does)."""
    rows = _rows(frame)
    if rows == [{}]:
        return "empty", rows
    return "data-" + hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()[:32], rows


def _filled(template, values: dict, datasets: dict[str, tuple[str, list]]) -> dict:
    """A copy of ``template`` with the chart's values and datasets where the placeholders are."""
    used: dict[str, list] = {}

    def fill(node):
        if isinstance(node, dict):
            if len(node) == 1 and isinstance(node.get("name"), str) and node["name"].startswith(_PLACEHOLDER):
                name, rows = datasets[node["name"][len(_PLACEHOLDER):]]
                used[name] = rows
                return {"name": name}
            return {key: fill(value) for key, value in node.items()}
        if isinstance(node, list):
            if len(node) == 1 and isinstance(node[0], str) and node[0].startswith(_PLACEHOLDER):
                return copy.deepcopy(values[node[0][len(_PLACEHOLDER):]])
            return [fill(value) for value in node]
        if isinstance(node, str) and node.startswith(_PLACEHOLDER):
            return copy.deepcopy(values[node[len(_PLACEHOLDER):]])
        return node

    spec = fill(template)
    spec["datasets"] = used
    return spec


def chart_vega(chart: Chart, language: Language, width: int = 400, height: int = 190) -> dict:
    """The Vega spec of ``chart``: what vl-convert compiles :func:`chart_spec` to, made from its shape's compiled
    Vega with this chart's values and rows filled in.

    Compiling Vega-Lite to Vega is about a fifth of a chart's time and depends only on the shape, so it is done once
    per shape, size and language in a process, with placeholders where the chart's values go. A shape whose compiled
    Vega holds a placeholder where the filling-in does not look is compiled chart by chart, as before.
    """
    parts = _parts(chart, language, width, height)
    compiled = _compiled_shape(language, *parts)
    shape, values, data, width, height = parts
    if compiled is None:
        spec = _filled(_template(shape), values, {name: _dataset(frame) for name, frame in data.items()})
        spec["width"], spec["height"] = width, height
        spec.setdefault("config", {}).update(_config(language))
        return _vl_convert().vegalite_to_vega(spec)
    vega = _filled_vega(compiled, values, {name: _rows(frame) for name, frame in data.items()})
    vega["height"] = height  # compiled at COMPILED_HEIGHT (_compiled_shape)
    return vega


def compiled_shape(chart: Chart, language: Language, width: int = 400, height: int = 190) -> dict | None:
    """The compiled Vega of ``chart``'s shape with its placeholders, or None where the chart is compiled alone."""
    return _compiled_shape(language, *_parts(chart, language, width, height))


def _compiled_shape(language: Language, shape: _Shape, values: dict, data: dict, width: int, height: int) -> dict | None:
    """The shape compiled at :data:`COMPILED_HEIGHT`, whatever the chart's height: Vega-Lite writes a fixed height
    only as the Vega's own ``height`` (every scale, axis and mark refers to the signal ``height``), which
    :func:`chart_vega` sets to the chart's. A horizontal bar chart's height follows its bars (16 px each), and its
    shape was compiled again for each number of bars (22 compilations for 15 shapes at scale 1, ~20 ms each)."""
    if not all(values[name] for name in _LISTS):  # an empty list compiles to another structure (no sort at all)
        return None
    return _compiled(shape, width, COMPILED_HEIGHT, json.dumps(_config(language), sort_keys=True),
                     values["y_title"] is None)


COMPILED_HEIGHT = 190  # the height a shape is compiled at (_compiled_shape): the charts' usual height


_LISTS = ("order", "domain", "palette", "y_domain")  # the values that are lists; the others are strings
_DATASET = "ledinfo_"  # the name of a shape's dataset in its compiled Vega: ledinfo_main, ledinfo_band, ledinfo_rule0
_ESCAPED = json.dumps(_PLACEHOLDER)[1:-1]  # the placeholder as Vega-Lite writes it into an expression's string
# Vega-Lite writes a custom sort order into an expression: "datum[...]===<label> ? 0 : ... : <len>"
_ORDER = re.compile(r'(datum\["x_label"\])===' + re.escape(json.dumps(_PLACEHOLDER + "order")) + r" \? 0 : 1")


@functools.lru_cache(maxsize=256)
def _compiled(shape: _Shape, width: int, height: int, config: str, untitled: bool) -> dict | None:
    """A shape's Vega, compiled once, with placeholders for the values and empty datasets; None when a trial
    filling-in leaves a placeholder behind (the shape is then compiled chart by chart). Kept between builds
    (:mod:`ledinfo.render.shape_store`): a build compiles only the shapes no build of the same code compiled."""
    key = shape_store.key_of([shape, width, height, config, untitled])
    kept, compiled = shape_store.load(key)
    if not kept:
        compiled = _compile(shape, width, height, config, untitled)
        shape_store.save(key, compiled)
    return compiled


def _compile(shape: _Shape, width: int, height: int, config: str, untitled: bool) -> dict | None:
    placeholders = {name: [_PLACEHOLDER + name] for name in _LISTS}
    placeholders.update({name: _PLACEHOLDER + name for name in ("y_format", "y_title")})
    if untitled:
        placeholders["y_title"] = None
    names = ["main", *(["band"] if shape.band else []), *(f"rule{i}" for i in range(shape.rules))]
    spec = _filled(_template(shape), placeholders, {name: (_DATASET + name, []) for name in names})
    spec["width"], spec["height"] = width, height
    spec.setdefault("config", {}).update(json.loads(config))
    compiled = _vl_convert().vegalite_to_vega(spec)
    if compiled.get("height") != height:  # not the fixed height chart_vega sets: compiled chart by chart
        return None
    trial = {name: ["a", "b"] for name in _LISTS} | {"y_format": ".1f", "y_title": "t"}
    left = json.dumps(_filled_vega(compiled, trial, {name: [] for name in names}))
    return None if _ESCAPED in left else compiled  # json.dumps escapes a raw placeholder as Vega-Lite does


def _filled_vega(compiled, values: dict, rows: dict[str, list]) -> dict:
    """A copy of a shape's compiled Vega with a chart's values and rows where its placeholders are: a value as a
    whole string or list, and inside an expression as Vega-Lite writes it there (a list and a title as JavaScript
    literals, a format as it is, the x order as a chain of comparisons)."""
    def order(match: re.Match) -> str:
        labels = values["order"]
        return " : ".join(f"{match[1]}==={_js(label)} ? {i}" for i, label in enumerate(labels)) + f" : {len(labels)}"

    def in_expression(text: str) -> str:
        text = _ORDER.sub(order, text)
        for name in _LISTS:
            text = text.replace(_js([_PLACEHOLDER + name]), _js(values[name]))
        for name in ("y_format", "y_title"):
            if values[name] is not None:
                text = text.replace(_ESCAPED + name, _js(values[name])[1:-1]).replace(_PLACEHOLDER + name, values[name])
        return text

    def fill(node):
        if isinstance(node, dict):
            name = node.get("name")
            if "values" in node and isinstance(name, str) and name.startswith(_DATASET):
                return {**node, "values": rows[name[len(_DATASET):]]}  # the chart's own rows, made for it
            return {key: fill(value) for key, value in node.items()}
        if isinstance(node, list):
            if len(node) == 1 and isinstance(node[0], str) and node[0].startswith(_PLACEHOLDER):
                return copy.deepcopy(values[node[0][len(_PLACEHOLDER):]])
            return [fill(value) for value in node]
        if isinstance(node, str):
            if node.startswith(_PLACEHOLDER):
                return copy.deepcopy(values[node[len(_PLACEHOLDER):]])
            return in_expression(node) if _PLACEHOLDER in node or _ESCAPED in node else node
        return node

    return fill(compiled)


def _js(value) -> str:
    """``value`` as JavaScript's JSON.stringify writes it, as Vega-Lite puts it into an expression (a whole
    number without ".0")."""
    def plain(v):
        if isinstance(v, float) and v.is_integer():
            return int(v)
        return [plain(x) for x in v] if isinstance(v, list) else v

    return json.dumps(plain(value), ensure_ascii=False, separators=(",", ":"))


def chart_key(chart: Chart, language: Language) -> str:
    """A fingerprint of everything that shapes the drawing of ``chart`` in ``language``.

    The same chart appears in several packs (the municipality's lines in the
    committee's, the directors' and every team's pack); the key lets a build draw
    it once. It is much cheaper than the Vega-Lite spec: no Altair involved.
    """
    described = [(f.name, getattr(chart, f.name)) for f in fields(chart) if f.name not in ("frame", "takeaway")]
    frame = _as_drawn(chart)
    data = (described, frame.columns, [str(t) for t in frame.dtypes],
            frame.to_dict(as_series=False), language.code, _precise_in(chart, language))
    # repr, not pickle: pickle's bytes depend on which objects happen to be shared, so a chart sent to a
    # worker hashed differently there and every chart was drawn a second time (measured: 37 of 60)
    return hashlib.sha1(repr(data).encode("utf-8")).hexdigest()


def _as_drawn(chart: Chart) -> pl.DataFrame:
    """The chart's frame as far as its drawing (and its alt text, :func:`ledinfo.render.describe.chart_alt`) can
    tell: a column of hidden values' flags (``…__suppressed``) with no flag set draws as no such column — the
    committee's charts carry one, the directors' and the teams' not, and the municipality's charts they share were
    drawn twice (4 of the ~47 unique charts of a municipality). :func:`readable`'s cuts read the team and the
    values only, so a frame cut down draws alike too."""
    frame = chart.frame
    unflagged = [column for column in frame.columns if column.endswith(SUPPRESSED_SUFFIX)
                 and frame[column].null_count() == frame.height]
    return frame.drop(unflagged) if unflagged else frame


def _precise_in(chart: Chart, language: Language) -> tuple:
    """The pack's precise decimals (:attr:`Language.precise`) for values this chart shows: its labels print them so
    ("79,7 %" where "80 %" would cross its yardstick). Part of the key, so a chart shared by two packs that print one
    of its values differently is drawn for each; only the entries of its own values, so that the many charts the
    packs share (the municipality's lines in every team's pack) are still drawn once."""
    if not language.precise:
        return ()
    frame = chart.frame
    shown = {round(float(value), 9) for column, dtype in zip(frame.columns, frame.dtypes) if dtype.is_numeric()
             for value in frame[column].drop_nulls().to_list()}
    return tuple(entry for entry in language.precise if entry[1] in shown)


def placed_scenegraph(chart: Chart, language: Language) -> dict:
    """The Vega scenegraph of ``chart`` as vl-convert lays it out (its shape's compiled Vega, filled in:
    :func:`chart_vega`), with its texts moved where they can be read."""
    from ledinfo.render.scenegraph import (  # deferred: ReportLab's
        clear_of_data,
        clear_of_lines,
        clear_of_ticks,
        ground_texts,
        lead_texts,
        spread_texts,
        widen_to_texts,
    )
    from ledinfo.render.unmeasured import measured_scenegraph, set_sizes_aside  # deferred: ReportLab's

    # the texts' sizes set aside while vl-convert lays the chart out, then given back and measured here: measuring
    # them there was most of the layout's time (render/unmeasured.py)
    vega = chart_vega(chart, language)
    sizes = set_sizes_aside(vega)
    scenegraph = measured_scenegraph(_vl_convert().vega_to_scenegraph(vega, allowed_base_urls=[]), sizes)
    # lines ending close together: their names (and a band's label beside them) moved apart to be read
    spread_texts(scenegraph, (END_LABELS, BAND_LABEL), LABEL_SIZE + 1)
    # a gridline or a reference line through a line's name, where it begins inside the plot: a white ground under it
    ground_texts(scenegraph, (END_LABELS,))
    # a reference line through a bar's value (a yardstick of 100 % above a bar of 97 %) or through another reference
    # line's label (a research figure's 20 % through a goal's 15 %): the value moved above it, the label below its own
    clear_of_lines(scenegraph, RULE, RULE_LABEL, VALUE_LABELS)
    # a reference line's label among the data (a goal of 25 among five teams' lines near it): moved where none runs,
    # else beside the plot, right of its line's end, among the lines' names, which move apart from it
    beside = clear_of_data(scenegraph, RULE, RULE_LABEL)
    if beside:
        spread_texts(scenegraph, (END_LABELS, BAND_LABEL), LABEL_SIZE + 1, beside=(RULE_LABEL,))
    # a name moved off its line's end: a thin line leads from the line's end to it (the directors' grey teams)
    if lead_texts(scenegraph, (END_LABELS, RULE_LABEL)) or beside:
        ground_texts(scenegraph, (END_LABELS,))
        widen_to_texts(scenegraph)
    # a bar's yardstick across its value (85 % with its goal of 90 %): the value moved past it, or into the bar
    clear_of_ticks(scenegraph, TICKS, VALUE_LABELS)
    # a gridline through a bar's value where it stands (a bar of 14 ends a little under the gridline at 15): a white
    # ground under the value, as under a line's name
    ground_texts(scenegraph, (VALUE_LABELS,))
    return scenegraph


def draw_chart(chart: Chart, language: Language, max_width: float):
    """A ReportLab Drawing of ``chart``, scaled to fit ``max_width`` points.

    vl-convert lays it out with the document's font and returns the Vega scenegraph (:func:`placed_scenegraph`),
    which :mod:`ledinfo.render.scenegraph` draws as vector shapes. No caching here: see :class:`ChartBook`.
    """
    from ledinfo.render.scenegraph import scenegraph_drawing  # deferred: ReportLab's

    scenegraph = placed_scenegraph(chart, language)
    drawing = scenegraph_drawing(scenegraph)
    # Vega measures in CSS pixels, 0.75 of a point; then never wider than the page allows
    factor = min(PX, max_width / drawing.width) if drawing.width else PX
    drawing.width, drawing.height = drawing.width * factor, drawing.height * factor
    drawing.scale(factor, factor)
    return drawing


def packed(drawing) -> bytes:
    """A drawing as a build keeps it until its packs are rendered: pickled, as the worker that drew it sends it.

    A ReportLab drawing is ~65 KiB of Python objects and ~13 KiB pickled: a large municipality's build keeps
    thousands (issue 27: ~3,000 at 375 teams, ~200 MiB as objects in the build's main process), and hands each to
    a worker pickled anyway. Unpacked only where a pack is rendered (:func:`unpacked`)."""
    return pickle.dumps(drawing, protocol=pickle.HIGHEST_PROTOCOL)


def unpacked(drawing: bytes):
    """The drawing :func:`packed` pickled: made by this build's own workers, or read from its private store."""
    return pickle.loads(drawing)


def warm_up() -> None:
    """Draw a small chart with text, so the slow first time of everything happens now, before it is needed.

    Altair's classes, vl-convert's JavaScript engine and its font database, the
    fonts and ReportLab's graphics: together about a second in a fresh process.
    """
    frame = pl.DataFrame({"team": ["A", "B", None], "value": [0.25, 0.5, 0.4]})
    draw_chart(Chart("warm-up", N_("Whole municipality"), "bar", frame, "team", "value", y_format="share"),
               Language("da"), 400)


def chart_cache_enabled() -> bool:
    """False when LEDINFO_NO_CACHE is set: the benchmark's reference run draws every chart use anew."""
    return caching()


class ChartBook:
    """Drawings made while rendering, looked up by :func:`chart_key`.

    A build hands every pack its charts already drawn (``PackContent.drawings``);
    a book draws what a pack was not given — a pack rendered on its own, as
    ``ledinfo.api.testing.render_section`` does. ``cache=False`` draws every use
    anew: the benchmark's reference point, the same job without caching.
    """

    def __init__(self, cache: bool = True) -> None:
        self.cache = cache
        self.drawings: dict[str, object] = {}

    def drawing(self, chart: Chart, language: Language, max_width: float, key: str | None = None):
        if not self.cache:
            return draw_chart(chart, language, max_width)
        key = key or chart_key(chart, language)
        if key not in self.drawings:
            self.drawings[key] = draw_chart(chart, language, max_width)
        return self.drawings[key]
