"""A chart laid out with its texts unmeasured by vl-convert and measured here (render/unmeasured.py) is the chart
Vega lays out measuring them: the same marks in the same places, the same axis labels hidden for overlap, the y
axis's title beside its labels, and a drawing that holds every text.

The reference is vl-convert's own layout of the same Vega with the texts' sizes. The two measure with the same
font's advance widths, except that vl-convert makes a no-break space wider than the font does (the Danish "80 %"
held 2.9 px more room than the PDF draws) and rounds a few words a fraction narrower: the drawing's frame and a y
axis's title may stand up to 3 px apart; nothing else may.
"""

from __future__ import annotations

import copy

import pytest

from ledinfo.language import Language
from ledinfo.render.charts import _vl_convert, chart_vega
from ledinfo.render.unmeasured import measured_scenegraph, set_sizes_aside

FRAME = 3  # px: how far the drawing's frame and a y axis's title may stand from vl-convert's (the docstring)


def differences(vega_graph, ours, path: str = "") -> list[tuple[str, object, object]]:
    """(path, Vega's, ours) of every value that differs between two scenegraphs."""
    if isinstance(vega_graph, dict) and isinstance(ours, dict):
        found = [(f"{path}/{key}", vega_graph.get(key), ours.get(key)) for key in set(vega_graph) ^ set(ours)]
        for key in set(vega_graph) & set(ours):
            found += differences(vega_graph[key], ours[key], f"{path}/{key}")
        return found
    if isinstance(vega_graph, list) and isinstance(ours, list):
        if len(vega_graph) != len(ours):
            return [(path, len(vega_graph), len(ours))]
        return [hit for index, (a, b) in enumerate(zip(vega_graph, ours)) for hit in differences(a, b, f"{path}[{index}]")]
    numbers = isinstance(vega_graph, (int, float)) and isinstance(ours, (int, float))
    if (abs(vega_graph - ours) > 1e-6) if numbers else vega_graph != ours:
        return [(path, vega_graph, ours)]
    return []


def title_paths(node, path: str = "") -> set[str]:
    """The paths (as :func:`differences` writes them) of the x of every axis title's item."""
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "items" and node.get("role") == "axis-title":
                found |= {f"{path}/items[{index}]/x" for index in range(len(value))}
            found |= title_paths(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found |= title_paths(value, f"{path}[{index}]")
    return found


def both_layouts(chart, language: Language) -> tuple[dict, dict]:
    """vl-convert's layout measuring the texts, and ours."""
    vega = chart_vega(chart, language)
    measured = _vl_convert().vega_to_scenegraph(vega, allowed_base_urls=[])
    laid = copy.deepcopy(vega)
    sizes = set_sizes_aside(laid)
    assert sizes is not None, chart.id  # every chart of ours is laid out unmeasured
    return measured, measured_scenegraph(_vl_convert().vega_to_scenegraph(laid, allowed_base_urls=[]), sizes)


@pytest.mark.parametrize("code", ["da", "en"])
def test_every_demo_chart_is_laid_out_as_vega_lays_it_out_measuring_its_texts(code):
    from builders import demo_charts

    language = Language(code)
    hidden = 0
    for chart in demo_charts():
        measured, ours = both_layouts(chart, language)
        titles = title_paths(measured["scenegraph"])
        found = differences(measured["scenegraph"], ours["scenegraph"])
        assert [hit for hit in found if hit[0] not in titles] == [], chart.id
        assert all(abs(a - b) <= FRAME for _, a, b in found), (chart.id, found)
        for key in ("width", "height"):
            assert abs(measured[key] - ours[key]) <= FRAME, (chart.id, key)
        assert all(abs(a - b) <= FRAME for a, b in zip(measured["origin"], ours["origin"])), chart.id
        hidden += str(ours["scenegraph"]).count("'opacity': 0")
    assert hidden > 0  # some axis drops labels for overlap: the thinning out is compared too


def test_the_text_sizes_are_set_aside_and_given_back():
    """vl-convert is given every axis label and text mark at size 0; each comes back at its own size."""
    from builders import demo_charts

    chart = next(chart for chart in demo_charts() if chart.kind == "line")
    vega = chart_vega(chart, Language("da"))
    sizes = set_sizes_aside(vega)
    assert vega["config"]["axis"]["labelFontSize"] == 0 and sizes.axis_labels == 9
    assert dict(sizes.marks) == {"end_labels_marks": 8}
    graph = measured_scenegraph(_vl_convert().vega_to_scenegraph(vega, allowed_base_urls=[]), sizes)
    texts = []

    def walk(mark: dict) -> None:
        for item in mark.get("items", []):
            if mark.get("marktype") == "text":
                texts.append((mark.get("role"), item.get("fontSize")))
            for child in item.get("items", []) if mark.get("marktype") == "group" else ():
                walk(child)

    walk(graph["scenegraph"])
    assert ("axis-label", 9) in texts and ("mark", 8) in texts
    assert all(size > 0 for _, size in texts)


def test_gridlines_bottom_titles_and_known_legends_are_not_laid_out_by_vl_convert():
    """vl-convert lays out no grid-only axis (its lines are drawn at the labelled axis's ticks), no bottom axis's
    title measured (put back by its height) and no legend it has laid out once in this process measured again (its
    entries are put back as laid out then); what comes back is vl-convert's own measured layout (as above)."""
    from builders import demo_charts

    language = Language("da")
    chart = next(chart for chart in demo_charts() if chart.kind == "hbar" and (chart.judged or chart.budget)
                 and chart.y_title)
    both_layouts(chart, language)  # the legend laid out once, measured
    vega = chart_vega(chart, language)
    measured = _vl_convert().vega_to_scenegraph(copy.deepcopy(vega), allowed_base_urls=[])
    sizes = set_sizes_aside(vega)
    assert not [axis for axis in vega["axes"] if axis.get("grid") and axis.get("labels") is False]
    bottom = [axis for axis in vega["axes"] if axis["orient"] == "bottom" and axis.get("title")]
    assert bottom and all(axis.get("titleFontSize") == 0 for axis in bottom)
    assert vega["legends"] and vega["config"]["legend"]["labelFontSize"] == 0
    ours = measured_scenegraph(_vl_convert().vega_to_scenegraph(vega, allowed_base_urls=[]), sizes)
    titles = title_paths(measured["scenegraph"])
    found = differences(measured["scenegraph"], ours["scenegraph"])
    assert [hit for hit in found if hit[0] not in titles] == []
    assert all(abs(measured[key] - ours[key]) <= FRAME for key in ("width", "height"))
    roles = str(ours["scenegraph"])
    assert "'axis-grid'" in roles and "'legend-label'" in roles and "'axis-title'" in roles
