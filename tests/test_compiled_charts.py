"""Each shape of chart compiled to Vega once (issue 27): a chart drawn from its shape's compiled Vega, its values and
rows filled in, is laid out exactly as the chart compiled on its own, value for value of the scenegraph."""

from __future__ import annotations

import json

import polars as pl
import pytest

from ledinfo.language import Language
from ledinfo.model.results import Chart
from ledinfo.render import charts
from ledinfo.render.charts import _vl_convert, chart_spec, chart_vega, compiled_shape


def laid_out(chart: Chart, language: Language) -> tuple[str, str]:
    """The scenegraph of the chart compiled on its own, and of the one filled into its shape's compiled Vega."""
    assert compiled_shape(chart, language) is not None, chart.id  # not compiled alone: the fill-in follows its shape
    vlc = _vl_convert()
    alone = vlc.vegalite_to_scenegraph(chart_spec(chart, language), allowed_base_urls=[])
    from_shape = vlc.vega_to_scenegraph(chart_vega(chart, language), allowed_base_urls=[])
    return json.dumps(alone, sort_keys=True), json.dumps(from_shape, sort_keys=True)


def _months(teams: list[str | None], values) -> pl.DataFrame:
    months = [f"2026-{m:02d}" for m in range(1, 11)]
    return pl.DataFrame({"month": [m for _ in teams for m in months], "team": [t for t in teams for _ in months],
                         "value": [values(i, j) for i in range(len(teams)) for j in range(len(months))]},
                        schema={"month": pl.String, "team": pl.String, "value": pl.Float64})


# labels a fill-in could get wrong: quotes, a backslash, Danish letters, a label like a placeholder's neighbour
AWKWARD = ['Børn "små" & unge', "Ældre\\yngre", "Å-teamet", "x_label"]

CHARTS = [
    Chart("trend", "Trend", "line", _months(["Børn", None], lambda i, j: 0.5 + 0.03 * j - 0.1 * i), "month", "value",
          y_format="share", y_title="Andel"),
    Chart("trends", "Trends", "line", _months([*AWKWARD, None], lambda i, j: 10.0 * i + j), "month", "value",
          y_format="count"),
    Chart("one-line", "One", "line", _months([None], lambda i, j: None if j == 3 else 3.5 * j), "month", "value",
          y_format="number", y_title="Sager åbne, børn"),
    Chart("bars", "Bars", "bar", pl.DataFrame({"team": [*AWKWARD, None], "value": [0.2, None, 0.7, 1.2, 0.5]}),
          "team", "value", y_format="share", rules=[(0.8, "Mål"), (0.6, 'Landsgennemsnit "DK"')],
          band=(0.4, 0.6, "Rammen")),
    Chart("hbar", "Hbar", "hbar", pl.DataFrame({"kind": ["a", "b", "c"], "value": [3.0, None, 12.0]}), "kind",
          "value", y_format="count", team_column=None, sort_by_value=True,
          value_labels={"a": "Anbragt", "b": "Forebyggende", "c": "Øvrige"}),
    Chart("money", "Money", "bar", pl.DataFrame({"team": ["A", "B"], "value": [1_250_000.0, 980_000.5]}), "team",
          "value", y_format="money", y_title="Kroner"),
]


@pytest.mark.parametrize("chart", CHARTS, ids=[c.id for c in CHARTS])
@pytest.mark.parametrize("code", ["da", "en"])
def test_a_chart_from_its_shapes_compiled_vega_is_laid_out_as_the_chart_compiled_alone(chart, code):
    alone, from_shape = laid_out(chart, Language(code))
    assert from_shape == alone


def test_charts_of_one_shape_are_compiled_once_and_each_keeps_its_own_values():
    charts._compiled.cache_clear()
    language = Language("da")
    first = Chart("a", "A", "bar", pl.DataFrame({"team": ["Nord", "Syd"], "value": [0.25, 0.5]}), "team", "value",
                  y_format="share")
    second = Chart("b", "B", "bar", pl.DataFrame({"team": ["Øst", "Vest", "Midt"], "value": [0.75, 0.1, 0.3]}),
                   "team", "value", y_format="share")
    for chart in (first, second):
        alone, from_shape = laid_out(chart, language)
        assert from_shape == alone
    assert charts._compiled.cache_info().misses == 1  # one shape, compiled once
    texts = json.dumps(_vl_convert().vega_to_scenegraph(chart_vega(second, language)), ensure_ascii=False)
    assert all(team in texts for team in ("Øst", "Vest", "Midt")) and "Nord" not in texts


@pytest.mark.slow
def test_every_chart_of_the_demo_is_laid_out_the_same_from_its_shapes_compiled_vega():
    """The demo's every chart, in Danish and English: the compiled shape filled in lays each out exactly as the chart
    compiled alone (checked on Copenhagen's size, the messy sample and a small Denmark municipality as the change was
    made: 297, 46 and 47 charts, all the same)."""
    from builders import demo_charts
    from ledinfo.pipeline.build import language_for
    from ledinfo.plugin_host.manager import load_plugins

    registry = load_plugins().registry
    drawn = demo_charts()
    assert len(drawn) > 10
    for code in ("da", "en"):
        language = language_for(code, registry)
        for chart in drawn:
            alone, from_shape = laid_out(chart, language)
            assert from_shape == alone, chart.id


def _strings(node) -> list[str]:
    """Every text of a ReportLab drawing, depth first."""
    from reportlab.graphics.shapes import String

    if isinstance(node, String):
        return [node.text]
    return [text for child in getattr(node, "contents", []) for text in _strings(child)]


# a plugin's axis title is outside input: quotes, a backslash, an expression's and a page's syntax
HOSTILE_TITLES = ['Sager "pr." årsværk', "it's \\ back", 'a"b\'c\\d</script>${x}', "{{y}} + ' \" `"]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
@pytest.mark.parametrize("kind", ["bar", "hbar", "line"])
def test_an_axis_title_holding_quotes_or_a_backslash_is_drawn_as_written(kind, title):
    """Vega-Lite wrote each field's title raw into an ARIA description's expression: a title holding a quote made
    the chart fail to compile ("Expression parse error"), so a plugin's title could fail its pack. The charts carry
    no ARIA descriptions now (a PDF's chart is described by its own texts); the title is drawn as written."""
    from ledinfo.render.charts import draw_chart

    if kind == "line":
        frame, x = _months(["Børn", 'Team "Nord"'], lambda i, j: 1.0 + i + j), "month"
    else:
        frame, x = pl.DataFrame({"team": ['Team "Nord"', "Syd\\Vest"], "value": [1.0, 2.0]}), "team"
    chart = Chart("hostile", "Hostile", kind, frame, x, "value", y_format="count", y_title=title,
                  rules=[(1.5, title)])
    drawn = _strings(draw_chart(chart, Language("da"), 400))
    assert title in drawn


def test_horizontal_bar_charts_of_one_shape_and_any_number_of_bars_are_compiled_once():
    """A horizontal bar chart's height follows its bars: its shape is compiled once at one height, and each chart,
    given its own, is laid out exactly as compiled alone."""
    charts._compiled.cache_clear()
    language = Language("da")
    for count in (3, 5, 9):
        frame = pl.DataFrame({"kind": [f"k{i}" for i in range(count)], "value": [float(i + 1) for i in range(count)]})
        chart = Chart(f"hbar{count}", "Hbar", "hbar", frame, "kind", "value", y_format="count", team_column=None)
        alone, from_shape = laid_out(chart, language)
        assert from_shape == alone
    assert charts._compiled.cache_info().misses == 1
