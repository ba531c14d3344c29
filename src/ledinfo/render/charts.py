"""Charts: a :class:`~ledinfo.interfaces.results.Chart` to a vector ReportLab drawing.

Altair builds a Vega-Lite spec, vl-convert lays it out with the document's
own font (Vera) and returns the Vega scenegraph, which becomes ReportLab
vector shapes whose text stays selectable (:mod:`ledinfo.render.scenegraph`). Numbers are formatted by the spec's own
d3 locale (Danish: 1.234,5 and 12 %). Colours are the Okabe-Ito palette,
which stays distinguishable for colour-blind readers; the municipality is
always drawn in near-black.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
from dataclasses import fields
from typing import NamedTuple

import polars as pl

from ledinfo.interfaces.results import Chart
from ledinfo.render.fonts import FAMILY, FONT_DIR
from ledinfo.texts.language import N_, Language

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
MUNICIPALITY_COLOUR = "#222222"
BAND_COLOUR = "#009E73"
TEXT_COLOUR = "#222222"
PX = 0.75  # a CSS pixel in points
MAX_BARS = 30  # above this a bar chart shows the highest values only
MAX_LINES = 8  # above this a trend shows the municipality and the spread between teams

_FORMATS = {"share": ".0%", "count": ",d", "number": ",.1f", "money": ",.0f"}


@functools.cache
def _vl_convert():
    import vl_convert

    vl_convert.register_font_directory(str(FONT_DIR))
    return vl_convert


def municipality_label(language: Language) -> str:
    return language("Whole municipality")


def readable(chart: Chart) -> tuple[pl.DataFrame, str | None]:
    """Cut a chart with too many bars or lines down to what a reader can take in.

    Returns the frame to draw and a note (an English message id) saying what was left out.
    A trend with many teams keeps the municipality's line; a bar chart keeps the highest
    values (and the municipality's bar).
    """
    frame = chart.frame
    team = chart.team_column if chart.team_column in frame.columns else None
    if chart.kind == "line" and team and frame[team].n_unique() > MAX_LINES + 1:
        return frame.filter(pl.col(team).is_null()), N_("Teams are too many to draw one line each; "
                                                          "see the table for each team.")
    if chart.kind in ("bar", "hbar") and frame.height > MAX_BARS:
        total = frame.filter(pl.col(team).is_null()) if team and chart.x == team else frame.clear()
        rest = frame.join(total, on=frame.columns, how="anti") if total.height else frame
        top = rest.sort(chart.y, descending=True, nulls_last=True).head(MAX_BARS)
        return pl.concat([top, total]), N_("Only the {count} highest are drawn.")
    return frame, None


def _prepare(chart: Chart, language: Language) -> tuple[pl.DataFrame, list[str] | None]:
    """Label series, categories and months for display; return the frame and the x order.

    The series is the ``color`` column, else the team column (a null team is the
    whole municipality). Values with an entry in ``value_labels`` show its label.
    """
    from ledinfo.texts.sentences import label

    frame, _ = readable(chart)
    everyone = municipality_label(language)
    series = chart.color or chart.team_column
    if series and series in frame.columns:
        fill = everyone if series == chart.team_column else ""
        frame = frame.with_columns(pl.col(series).fill_null(fill).alias("series"))
    else:
        frame = frame.with_columns(pl.lit(everyone).alias("series"))
    relabel = {v: label(v, chart.value_labels, language) for v in frame["series"].unique().to_list()}
    frame = frame.with_columns(pl.col("series").replace_strict(relabel, return_dtype=pl.String))
    order = None
    if chart.kind == "line" or chart.x == "month":
        months = sorted(frame[chart.x].unique().to_list())
        labels = {m: language.month_abbr(int(m[:4]), int(m[5:7])) for m in months}
        frame = frame.with_columns(pl.col(chart.x).replace_strict(labels, return_dtype=pl.String).alias("x_label"))
        order = [labels[m] for m in months]
    elif chart.x == chart.team_column:
        frame = frame.with_columns(pl.col("series").alias("x_label"))
        teams = [t for t in frame["x_label"].to_list() if t != everyone]
        order = teams + ([everyone] if everyone in frame["x_label"].to_list() else [])
    else:
        values = frame[chart.x].cast(pl.String).to_list()
        labels = {v: label(v, chart.value_labels, language) for v in values}
        frame = frame.with_columns(pl.col(chart.x).cast(pl.String).replace_strict(labels, return_dtype=pl.String)
                                   .alias("x_label"))
        order = list(dict.fromkeys(labels[v] for v in values))
    return frame.select("x_label", "series", pl.col(chart.y).alias("y")), order


def chart_spec(chart: Chart, language: Language, width: int = 400, height: int = 190, validate: bool = False) -> dict:
    """The Vega-Lite spec of ``chart`` (also usable in a browser).

    Altair builds the spec of each *shape* of chart (kind, layers, legend) once per
    process, with placeholders for the data and the chart's own values; each chart then
    fills in a copy. Building an Altair chart per chart cost 10 ms in Altair's deep copies
    and checks. ``validate=True`` builds the chart with Altair itself and checks it
    against the Vega-Lite schema (the tests do, for every chart of the demo packs, and
    compare it with the filled-in spec).
    """
    frame, order = _prepare(chart, language)
    y_format = _FORMATS.get(chart.y_format, ",.1f")
    series = frame["series"].unique(maintain_order=True).to_list()
    everyone = municipality_label(language)
    domain = [s for s in series if s != everyone] + ([everyone] if everyone in series else [])
    palette = [PALETTE[i % len(PALETTE)] for i in range(len(domain) - (1 if everyone in series else 0))]
    if everyone in series:
        palette.append(MUNICIPALITY_COLOUR)
    values = {"order": order, "domain": domain, "palette": palette, "y_format": y_format,
              "y_title": language(chart.y_title) if chart.y_title else None}
    data = {"main": frame}
    if chart.band is not None:
        low, high, label = chart.band
        data["band"] = pl.DataFrame({"low": [low], "high": [high], "label": [language(label)]})
    for index, (value, label) in enumerate(chart.rules):
        data[f"rule{index}"] = pl.DataFrame({"v": [value], "label": [language(label)]})
    if chart.kind == "hbar":
        height = max(80, 14 * frame.height)
    shape = _Shape(chart.kind, chart.kind == "line" and chart.y_format == "share", chart.band is not None,
                   len(chart.rules), len(domain) > 1, chart.kind == "hbar" and chart.sort_by_value)
    if validate:
        spec = _altair(shape, values, data).properties(width=width, height=height).to_dict(validate=True)
    else:
        spec = _filled(_template(shape), values, {name: _dataset(frame) for name, frame in data.items()})
        spec["width"], spec["height"] = width, height
    number, time = language.d3_locale()
    spec.setdefault("config", {}).update({
        "font": FAMILY,
        "locale": {"number": number, "time": time},
        "axis": {"labelFontSize": 9, "titleFontSize": 9, "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR,
                 "gridColor": "#e4e4e4", "domainColor": "#888888", "tickColor": "#888888"},
        "legend": {"labelFontSize": 9, "symbolSize": 60},
        "view": {"stroke": None},
        "background": "white",
    })
    return spec


class _Shape(NamedTuple):
    """What changes the structure of a chart's spec; everything else is a value filled in."""

    kind: str
    share_axis: bool  # a line of shares: the y scale is fixed at 0–100 %
    band: bool
    rules: int
    legend: bool
    sort_by_value: bool


_PLACEHOLDER = "\x00ledinfo:"  # marks a value or a dataset to fill in; no chart text starts with a NUL


def _altair(shape: _Shape, values: dict, data: dict):
    """The Altair layered chart of a shape, from the chart's values and its frames (or placeholders for both)."""
    import altair as alt

    y_format, y_title, order = values["y_format"], values["y_title"], values["order"]
    colour_scale = alt.Scale(domain=values["domain"], range=values["palette"])
    colour = alt.Color("series:N", title=None, scale=colour_scale,
                       legend=alt.Legend(orient="bottom", labelLimit=200) if shape.legend else None)
    base = alt.Chart(data["main"])
    layers = []  # channels are always Altair classes: a plain "field:type" string costs Altair a schema lookup
    if shape.band:
        shade = alt.Chart(data["band"]).mark_rect(color=BAND_COLOUR, fillOpacity=0.12)
        if shape.kind == "hbar":
            layers.append(shade.encode(x=alt.X("low:Q"), x2=alt.X2("high:Q")))
        else:
            layers.append(shade.encode(y=alt.Y("low:Q"), y2=alt.Y2("high:Q")))
    if shape.kind == "line":
        x = alt.X("x_label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelOverlap=True))
        y = alt.Y("y:Q", title=y_title, axis=alt.Axis(format=y_format))
        if shape.share_axis:
            y = alt.Y("y:Q", title=y_title, axis=alt.Axis(format=y_format), scale=alt.Scale(domain=[0, 1]))
        layers.append(base.mark_line(point=alt.OverlayMarkDef(size=28), strokeWidth=2).encode(
            x=x, y=y, color=colour, detail=alt.Detail("series:N")))
    elif shape.kind == "hbar":
        y = alt.Y("x_label:N", sort="-x" if shape.sort_by_value else order, title=None,
                  axis=alt.Axis(labelLimit=230))
        x = alt.X("y:Q", title=y_title, axis=alt.Axis(format=y_format))
        layers.append(base.mark_bar(color=PALETTE[0]).encode(x=x, y=y))
    else:
        x = alt.X("x_label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=110))
        y = alt.Y("y:Q", title=y_title, axis=alt.Axis(format=y_format))
        layers.append(base.mark_bar().encode(x=x, y=y, color=alt.Color("series:N", scale=colour_scale, legend=None)))
        layers.append(base.mark_text(dy=-6, fontSize=9, color=TEXT_COLOUR).encode(
            x=x, y=y, text=alt.Text("y:Q", format=y_format)))
    for index in range(shape.rules):
        enc = {"x": alt.X("v:Q")} if shape.kind == "hbar" else {"y": alt.Y("v:Q")}
        layers.append(alt.Chart(data[f"rule{index}"]).mark_rule(strokeDash=[4, 3], color="#555555").encode(**enc))
    return alt.layer(*layers)


@functools.lru_cache(maxsize=64)
def _template(shape: _Shape) -> dict:
    """The spec of a shape with placeholders: built by Altair once per process."""
    import altair as alt

    names = ["main", *(["band"] if shape.band else []), *(f"rule{i}" for i in range(shape.rules))]
    data = {name: alt.NamedData(name=_PLACEHOLDER + name) for name in names}
    # a list stands in for a list (Altair checks some types as a chart is made)
    values = {name: _PLACEHOLDER + name for name in ("y_format", "y_title")}
    values.update({name: [_PLACEHOLDER + name] for name in ("order", "domain", "palette")})
    return _altair(shape, values, data).properties(width=400, height=190).to_dict(validate=False)


def _dataset(frame: pl.DataFrame) -> tuple[str, list]:
    """A frame as Altair puts it into a spec: its rows, named by their hash (as ``alt.Chart(frame)`` does)."""
    import altair as alt

    rows = alt.data_transformers.get()(frame)["values"]  # Altair's own conversion, and its row limit
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


def chart_key(chart: Chart, language: Language) -> str:
    """A fingerprint of everything that shapes the drawing of ``chart`` in ``language``.

    The same chart appears in several packs (the municipality's lines in the
    committee's, the directors' and every team's pack); the key lets a build draw
    it once. It is much cheaper than the Vega-Lite spec: no Altair involved.
    """
    described = [(f.name, getattr(chart, f.name)) for f in fields(chart) if f.name not in ("frame", "takeaway")]
    data = (described, chart.frame.columns, [str(t) for t in chart.frame.dtypes],
            chart.frame.to_dict(as_series=False), language.code)
    # repr, not pickle: pickle's bytes depend on which objects happen to be shared, so a chart sent to a
    # worker hashed differently there and every chart was drawn a second time (measured: 37 of 60)
    return hashlib.sha1(repr(data).encode("utf-8")).hexdigest()


def draw_chart(chart: Chart, language: Language, max_width: float):
    """A ReportLab Drawing of ``chart``, scaled to fit ``max_width`` points.

    Altair builds the spec; vl-convert lays it out with the document's font and
    returns the Vega scenegraph, which :mod:`ledinfo.render.scenegraph` draws as
    vector shapes. No caching here: see :class:`ChartBook`.
    """
    from ledinfo.render.scenegraph import scenegraph_drawing

    scenegraph = _vl_convert().vegalite_to_scenegraph(chart_spec(chart, language), allowed_base_urls=[])
    drawing = scenegraph_drawing(scenegraph)
    # Vega measures in CSS pixels, 0.75 of a point; then never wider than the page allows
    factor = min(PX, max_width / drawing.width) if drawing.width else PX
    drawing.width, drawing.height = drawing.width * factor, drawing.height * factor
    drawing.scale(factor, factor)
    return drawing


def warm_up() -> None:
    """Draw a small chart with text, so the slow first time of everything happens now, before it is needed.

    Altair's classes, vl-convert's JavaScript engine and its font database, the
    fonts and ReportLab's graphics: together about a second in a fresh process.
    """
    from ledinfo.render import pdf  # noqa: F401 - imports ReportLab's platypus
    from ledinfo.texts.language import Language

    frame = pl.DataFrame({"team": ["A", "B", None], "value": [0.25, 0.5, 0.4]})
    draw_chart(Chart("warm-up", N_("Whole municipality"), "bar", frame, "team", "value", y_format="share"),
               Language("da"), 400)


def chart_cache_enabled() -> bool:
    """False when LEDINFO_NO_CACHE is set: the benchmark's reference run draws every chart use anew."""
    return os.environ.get("LEDINFO_NO_CACHE", "") in ("", "0")


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
