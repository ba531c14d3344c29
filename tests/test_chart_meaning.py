"""Charts with meaning (issue 14): each rule checked on the Vega-Lite spec and on the laid-out scenegraph.

Colour is a figure's verdict only, and its yardstick is drawn; counts tick in whole numbers; a trend
colours at most three lines; a share of nothing says "ingen sager", a hidden value says "skjult".
"""

from __future__ import annotations

import polars as pl
import pytest

from ledinfo.disclosure.disclose import disclose
from ledinfo.interfaces.section import View
from ledinfo.language import Language
from ledinfo.model.period import Period
from ledinfo.model.results import CLOSE, FEW_CASES, MET, OFF_TRACK, Chart, Figure, FigureRef, SectionResult
from ledinfo.model.verdicts import Basis, Margin, Yardstick, Yardsticks, judge_result
from ledinfo.render.charts import GREY, MUNICIPALITY_COLOUR, NEUTRAL, PALETTE, STATUS_COLOURS, _vl_convert, chart_spec
from ledinfo.render.judged import COLOURS
from ledinfo.render.verdicts import show_verdicts

DA = Language("da")
STATUS_HEX = {colour.lower() for colour in STATUS_COLOURS.values()}


def scenegraph(chart: Chart) -> dict:
    return _vl_convert().vegalite_to_scenegraph(chart_spec(chart, DA), allowed_base_urls=[])


def marks(node, kind: str):
    """Every item of every mark of ``kind`` in a scenegraph, depth first."""
    if isinstance(node, dict):
        if node.get("marktype") == kind:
            yield from node.get("items", [])
        for value in node.values():
            yield from marks(value, kind)
    elif isinstance(node, list):
        for value in node:
            yield from marks(value, kind)


def texts(chart: Chart) -> list[str]:
    return [str(item.get("text")) for item in marks(scenegraph(chart)["scenegraph"], "text")]


def bar_fills(chart: Chart) -> dict[str, str]:
    """The bars drawn (filled rects at full opacity: not the background, not a shaded band)."""
    graph = scenegraph(chart)["scenegraph"]
    rects = [item for item in marks(graph, "rect") if item.get("fill") and item.get("height") and item.get("width")]
    bars = [r for r in rects if r["fill"].lower() not in ("#ffffff", "white", "transparent")
            and r.get("fillOpacity", 1) == 1]
    return bars


def compliance(values: dict[str, float | None], judged: bool) -> Chart:
    """Deadline rules' shares for the municipality, each on 20 cases; ``judged``: against the law, with each bar's
    verdict made by the build's one rule and shown as a pack shows it."""
    frame = pl.DataFrame({"rule": list(values), "value": list(values.values())},
                         schema={"rule": pl.String, "value": pl.Float64})
    chart = Chart("c", "Deadlines", "hbar", frame, "rule", "value", y_format="share", team_column=None,
                  figure=FigureRef(indicator_column="rule"), judged=judged)
    if not judged:
        return chart
    figures = [Figure(rule, value, None if value is None else round(value * 20), 20) for rule, value in values.items()]
    result = SectionResult("s", "S", figures=figures, charts=[chart])
    judge_result(result, Yardsticks(Yardstick(rule, Basis.LAW, 1.0, label="every deadline kept") for rule in values),
                 Margin(), 5)
    view = View("director", DA, None, 5, period=Period(2024, 3))
    return show_verdicts([disclose(result, view)], view)[0].charts[0]


def test_bars_judged_against_a_yardstick_are_coloured_by_their_verdict_as_the_goals_table_is():
    from ledinfo.render.judged import COLOURS

    assert all(COLOURS[level] == colour for level, colour in STATUS_COLOURS.items())
    chart = compliance({"a": 1.0, "b": 0.97, "c": 0.5}, True)
    fills = sorted((bar["y"], bar["fill"].lower()) for bar in bar_fills(chart))
    assert [fill for _, fill in fills] == [STATUS_COLOURS[MET].lower(), STATUS_COLOURS[CLOSE].lower(),
                                            STATUS_COLOURS[OFF_TRACK].lower()]


def test_a_legend_names_only_the_colours_drawn():
    """A fresh reader (2026-12-08): the committee's deadlines named "Nået" under bars none of which was green, the
    budget "Forventes inden for budget" under bars all over it."""
    def legend(chart: Chart) -> list[str]:
        graph = scenegraph(chart)["scenegraph"]
        return [str(item["text"]) for node in _groups(graph) for mark in node.get("items", [])
                if mark.get("role") == "legend-label" for item in mark.get("items", [])]

    assert legend(compliance({"a": 0.5, "b": 0.97}, True)) == ["Tæt på", "Ikke nået"]
    frame = pl.DataFrame({"function": ["a", "b"], "used": [1.16, 1.01], "deviation": [5.0, 1.0]})
    budget = Chart("b", "Budget", "hbar", frame, "function", "used", y_format="share", team_column=None,
                   budget="deviation")
    assert legend(budget) == ["Forventes over budget"]


def test_bars_without_a_yardstick_are_one_neutral_colour_and_never_a_status_colour():
    chart = compliance({"a": 1.0, "b": 0.97, "c": 0.5}, False)
    assert {bar["fill"].lower() for bar in bar_fills(chart)} == {NEUTRAL.lower()}
    assert not STATUS_HEX & {c.lower() for c in (*PALETTE, NEUTRAL, GREY, MUNICIPALITY_COLOUR)}
    by_team = Chart("t", "Caseload", "bar", pl.DataFrame({"team": ["A", "B", None], "v": [20.0, 31.0, 25.0]}),
                    "team", "v")
    assert sorted(bar["fill"].lower() for bar in bar_fills(by_team)) == sorted(
        [NEUTRAL.lower(), NEUTRAL.lower(), MUNICIPALITY_COLOUR.lower()])


def test_a_yardstick_is_drawn_as_a_labelled_line_at_its_value():
    spec = chart_spec(compliance({"a": 0.9}, True), DA)
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert len(rules) == 1
    rows = spec["datasets"][rules[0]["data"]["name"]]
    assert rows == [{"v": 1.0, "label": "loven (alle frister overholdt)"}]
    assert "loven (alle frister overholdt)" in texts(compliance({"a": 0.9}, True))
    assert not [layer for layer in chart_spec(compliance({"a": 0.9}, False), DA)["layer"]
                if layer["mark"]["type"] == "rule"]


def test_the_demo_packs_judge_deadlines_by_their_yardsticks_and_the_budget_on_its_own_scale(demo_packs):
    import json

    committee = json.loads((demo_packs / "udvalg.json").read_text(encoding="utf-8"))
    charts = {chart["id"]: chart for section in committee["sections"] for chart in section["charts"]}
    # every rule over the last quarter; the key rules (those with a goal) quarter by quarter
    yardsticks = {y["indicator"]: y for y in charts["compliance_last_quarter"]["reference"]["yardsticks"]}
    assert (yardsticks["notification_24h"]["basis"], yardsticks["notification_24h"]["value"]) == ("law", 1.0)
    assert yardsticks["notification_24h"]["label"] == "loven (alle frister overholdt)"
    for rules in ("compliance_last_quarter", "compliance_by_quarter"):
        yardsticks = {y["indicator"]: y for y in charts[rules]["reference"]["yardsticks"]}
        assert (yardsticks["investigation_4m"]["basis"], yardsticks["investigation_4m"]["value"]) == ("goal", 0.9)
    assert charts["budget_used"]["reference"]["budget"] == "forecast_deviation"
    assert charts["budget_used"]["reference"]["yardsticks"] == []
    assert charts["notifications_by_month"]["reference"]["yardsticks"] == []
    # placements on their own scale (no preventive measures, some 500, beside them), folded as the account
    # functions fold them
    assert {row["type"] for row in charts["placements_by_type"]["data"]} == {"family", "residential", "institution"}


def test_counts_tick_in_whole_numbers():
    frame = pl.DataFrame({"month": ["2026-01", "2026-02", "2026-03"], "n": [1, 2, 1], "team": [None, None, None]})
    chart = Chart("n", "New", "bar", frame, "month", "n", y_format="count")
    graph = scenegraph(chart)["scenegraph"]
    axis_labels = [item["text"] for item in marks(graph, "text") if item.get("text") in ("0", "1", "2", "0,5", "1,5")]
    assert sorted(set(axis_labels)) == ["0", "1", "2"]
    assert axis_labels.count("0") == 1  # once on the axis (0,5 would have shown as "1" a second time with ",d")
    ticks = [layer["encoding"]["y"]["axis"] for layer in chart_spec(chart, DA)["layer"]
             if "y" in layer["encoding"] and "axis" in layer["encoding"]["y"]]
    assert ticks and all(axis.get("tickMinStep") == 1 for axis in ticks)


def _trend(teams: list[str | None], color: str | None = None) -> Chart:
    rows = [{"month": m, "team": t, "value": 0.5} for m in ("2026-01", "2026-02") for t in teams]
    frame = pl.DataFrame(rows, schema={"month": pl.String, "team": pl.String, "value": pl.Float64})
    if color:
        frame = frame.with_columns(pl.col("team").alias(color), pl.lit(None, pl.String).alias("team"))
        return Chart("r", "Rules", "line", frame, "month", "value", color=color, y_format="share", team_column=None)
    return Chart("t", "Trend", "line", frame, "month", "value", color="team", y_format="share")


def _line_colours(chart: Chart) -> list[str]:
    return [item["stroke"].lower() for item in marks(scenegraph(chart)["scenegraph"], "line")
            if item.get("stroke")]


def coloured(strokes) -> set[str]:
    return {s for s in strokes if s not in (GREY.lower(), MUNICIPALITY_COLOUR.lower())}


@pytest.mark.parametrize("teams, coloured_lines", [
    (["A", "B", "C", "D", "E", "F", None], 0),  # the director: every team grey, the municipality near-black
    (["A", None], 1),  # the team leader: the team, the municipality
])
def test_a_trend_by_team_colours_the_team_only(teams, coloured_lines):
    strokes = _line_colours(_trend(teams))
    assert len(coloured(strokes)) == coloured_lines
    assert MUNICIPALITY_COLOUR.lower() in strokes
    assert not STATUS_HEX & set(strokes)


def test_a_trend_of_many_categories_colours_three_and_greys_the_rest():
    strokes = _line_colours(_trend(["r1", "r2", "r3", "r4", "r5"], color="rule"))
    assert len(coloured(strokes)) == 3
    assert GREY.lower() in strokes


def test_a_share_axis_stops_at_100_percent_unless_a_value_is_beyond():
    def domain(values):
        frame = pl.DataFrame({"month": ["2026-01", "2026-02"], "value": values, "team": ["A", "A"]})
        spec = chart_spec(Chart("t", "Turnover", "line", frame, "month", "value", y_format="share"), DA)
        return next(layer["encoding"]["y"]["scale"]["domain"] for layer in spec["layer"]
                    if layer["mark"]["type"] == "line")

    assert domain([0.2, 0.4]) == [0, 1.0]
    assert domain([0.2, 1.25]) == [0, 1.25]


def _bound_result() -> SectionResult:
    """Three deadline rules for the municipality: one judged on 20 cases, one on 2 (hidden from the committee), one
    on none (no cases: nothing to judge, nothing to hide)."""
    figures = [Figure("r1", 0.9, 18, 20), Figure("r2", 0.5, 1, 2), Figure("r3", None, 0, 0)]
    frame = pl.DataFrame({"rule": ["r1", "r2", "r3"], "value": [0.9, 0.5, None]})
    chart = Chart("c", "Deadlines", "hbar", frame, "rule", "value", y_format="share", level="municipality",
                  team_column=None, figure=FigureRef(indicator_column="rule"), judged=True)
    result = SectionResult("s", "S", figures=figures, charts=[chart])
    judge_result(result, Yardsticks(Yardstick(rule, Basis.LAW, 1.0) for rule in ("r1", "r2", "r3")), Margin(), 5)
    return result


def test_no_cases_is_said_in_words_and_a_hidden_value_is_hidden_not_no_cases():
    def shown(audience):
        view = View(audience, DA, None, 5, period=Period(2024, 3))
        return show_verdicts([disclose(_bound_result(), view)], view)[0].charts[0]

    director = shown("director")
    words = texts(director)
    assert words.count("ingen sager") == 1 and "skjult" not in words
    committee = shown("committee")
    words = texts(committee)
    # the share of 2 is hidden and says so; a share of none is no protected count (0 is shown), so it says "no cases"
    assert words.count("skjult") == 1 and words.count("ingen sager") == 1
    fills = {bar["fill"].lower() for bar in bar_fills(committee)}
    assert fills == {STATUS_COLOURS[OFF_TRACK].lower()}  # one bar (90 %): a hidden value has no bar and no colour
    main = next(rows for name, rows in chart_spec(committee, DA)["datasets"].items() if "note" in rows[0])
    assert [(row["note"], row["group"]) for row in main if row["y"] is None] == [("skjult", ""), ("ingen sager", "")]


def test_a_judged_chart_draws_a_bar_with_no_verdict_grey_not_invisible():
    # a team leader's caseload by caseworker: a bar whose figure the verdicts did not reach (before the fix, the
    # caseworker's shown name "M1 Mette Hansen" missed the figure of "M1") had no colour and was not drawn at all
    frame = pl.DataFrame({"staff_id": ["M1 Mette Hansen", "M2"], "caseload": [43.0, 20.0], "team": ["A", "A"]})
    chart = Chart("per_worker", "Per caseworker", "hbar", frame, x="staff_id", y="caseload", y_format="number",
                  figure=FigureRef("caseload", staff_column="staff_id"), judged=True)
    bars = bar_fills(chart)
    assert len(bars) == 2, bars
    assert {bar["fill"].lower() for bar in bars} == {COLOURS[FEW_CASES].lower()}  # grey: not judged


def _drawn_scenegraph(chart: Chart) -> dict:
    """The chart laid out and its texts placed as draw_chart places them."""
    from ledinfo.render.charts import placed_scenegraph

    return placed_scenegraph(chart, DA)


def _named_items(node, prefix: str) -> list[dict]:
    found = []
    if isinstance(node, dict):
        if str(node.get("name", "")).startswith(prefix):
            found += node.get("items", [])
        for value in node.values():
            found += _named_items(value, prefix)
    elif isinstance(node, list):
        for value in node:
            found += _named_items(value, prefix)
    return found


def test_no_reference_line_runs_through_a_bars_value_or_another_lines_label():
    """A yardstick of 100 % ran through the "97 %" printed above a bar (the directors' supervision chart), and a
    research figure's line at 20 % through the label of the goal's line at 15 % (the turnover trend): the value is
    moved just above the line, the lower line's label below its own line."""
    from ledinfo.render.charts import RULE, RULE_LABEL, VALUE_LABELS
    from ledinfo.render.scenegraph import _text_box

    def clear(item: dict, ys: list[float]) -> bool:
        top, bottom = _text_box(item)
        return not any(top - 1 < y < bottom + 1 for y in ys)

    frame = pl.DataFrame({"team": ["A", "B", None], "value": [0.97, 0.5, 0.98]})
    chart = Chart("s", "Supervision", "bar", frame, "team", "value", y_format="share", judged=True,
                  figure=FigureRef(indicator="supervision"))
    figures = [Figure("supervision", 0.97, 34, 35, team="A"), Figure("supervision", 0.5, 10, 20, team="B"),
               Figure("supervision", 0.98, 44, 45)]
    result = SectionResult("s", "S", figures=figures, charts=[chart])
    judge_result(result, Yardsticks([Yardstick("supervision", Basis.LOCAL, 1.0, label="the local standard")]),
                 Margin(), 5)
    view = View("director", DA, None, 5, period=Period(2024, 3))
    graph = _drawn_scenegraph(show_verdicts([disclose(result, view)], view)[0].charts[0])
    [line] = _named_items(graph, RULE)
    values = [item for item in _named_items(graph, VALUE_LABELS) if item.get("text")]
    assert {item["text"] for item in values} == {"97 %", "50 %", "98 %"}
    assert all(clear(item, [line["y"]]) for item in values)
    assert min(_text_box(item)[0] for item in values) < line["y"] - 1  # moved: left alone, 97 % is crossed

    months = [f"2024-{m:02d}" for m in range(1, 7)]
    trend = pl.DataFrame({"month": months, "team": [None] * 6, "value": [0.3, 0.28, 0.25, 0.24, 0.25, 0.27]})
    chart = Chart("t", "Turnover", "line", trend, "month", "value", y_format="share",
                  rules=((0.2, "one in five"), (0.15, "the goal of at most 15 %")))
    graph = _drawn_scenegraph(chart)
    ys = [item["y"] for item in _named_items(graph, RULE)]
    labels = {item["text"]: item for item in _named_items(graph, RULE_LABEL) if item.get("text")}
    assert set(labels) == {"one in five", "the goal of at most 15 %"} and all(clear(item, ys) for item in labels.values())
    assert labels["the goal of at most 15 %"]["baseline"] == "top"  # below its own line: the 20 % line ran through it


def test_a_reference_lines_label_stands_where_no_data_runs_through_it():
    """The directors' caseload trend: a goal of at most 25 cases per FTE among five teams' lines between 24 and 31,
    its label at the right crossed by two lines and their points, unreadable. It moves to the first place along its
    line that no line, point or text crosses."""
    from ledinfo.render.charts import RULE, RULE_LABEL
    from ledinfo.render.scenegraph import _hit, _obstacles

    months = [f"2024-{m:02d}" for m in range(1, 13)]
    ends = {"A": 30.5, "B": 30.0, "C": 26.0, "D": 25.5, "E": 24.5, None: 27.0}
    rows = [(month, team, start + (end - start) * i / 11)
            for team, end in ends.items() for start in [20.0 if team == "E" else 34.0 if team == "A" else 27.0]
            for i, month in enumerate(months)]
    trend = pl.DataFrame(rows, schema=["month", "team", "value"], orient="row")
    chart = Chart("c", "Cases per FTE", "line", trend, "month", "value", rules=((25.0, "the goal of at most 25"),))
    graph = _drawn_scenegraph(chart)
    [label] = [item for item in _named_items(graph, RULE_LABEL) if item.get("text")]
    plots = [node for node in _groups(graph) if any(str(m.get("name", "")).startswith(RULE_LABEL)
                                                      for m in node.get("items", []))]
    segments, boxes = _obstacles(plots[0], (RULE, RULE_LABEL))
    assert segments and boxes
    assert not _hit(label, segments, boxes, 1.0), label


def _groups(node):
    """Every group item of a scenegraph, depth first."""
    if isinstance(node, dict):
        if node.get("marktype") == "group":
            yield from node.get("items", [])
        for value in node.values():
            yield from _groups(value)
    elif isinstance(node, list):
        for value in node:
            yield from _groups(value)


def test_no_bars_yardstick_runs_through_its_value():
    """The committee's deadlines of the last quarter: "85 %" was crossed by its goal's 90 % tick and "94 %" touched
    the law's 100 %. A value crossed by its bar's tick goes into its bar in white: moved past the tick, "85 %" read
    as a value beyond its goal of 90 % (a fresh reader, 2026-12-08)."""
    from ledinfo.render.charts import TICKS, VALUE_LABELS
    from ledinfo.render.scenegraph import _boxes_meet, _label_box

    figures = [Figure("r1", 0.85, 85, 100), Figure("r2", 0.94, 94, 100), Figure("r3", 0.5, 50, 100)]
    frame = pl.DataFrame({"rule": ["r1", "r2", "r3"], "value": [0.85, 0.94, 0.5]})
    chart = Chart("c", "Deadlines", "hbar", frame, "rule", "value", y_format="share", level="municipality",
                  team_column=None, figure=FigureRef(indicator_column="rule"), judged=True)
    result = SectionResult("s", "S", figures=figures, charts=[chart])
    judge_result(result, Yardsticks([Yardstick("r1", Basis.GOAL, 0.9), Yardstick("r2", Basis.LAW, 1.0),
                                     Yardstick("r3", Basis.GOAL, 0.8)]), Margin(), 5)
    view = View("committee", DA, None, 5, period=Period(2024, 3))
    graph = _drawn_scenegraph(show_verdicts([disclose(result, view)], view)[0].charts[0])
    ticks = [(i["x"], i["y"], i["x"] + i["width"], i["y"] + i["height"]) for i in _named_items(graph, TICKS)]
    values = {item["text"]: item for item in _named_items(graph, VALUE_LABELS) if item.get("text")}
    assert len(ticks) == 3 and set(values) == {"85 %", "94 %", "50 %"}
    assert not any(_boxes_meet(_label_box(item), tick) for item in values.values() for tick in ticks)
    assert values["85 %"]["fill"] == values["94 %"]["fill"] == "#ffffff"  # inside their bars, at their ends
    assert values["85 %"]["align"] == "right" and values["85 %"]["x"] < ticks[0][0]
    assert values["50 %"].get("dx") == 3  # nothing crosses it: where it was


def test_a_bars_value_stays_inside_the_plot():
    """The messy sample's budget by function: bars of 113–116 % on an axis ending at 120 % printed their values past
    the axis's end, across the gridline there. A value reaching past the plot goes into its bar, in white."""
    from ledinfo.render.charts import VALUE_LABELS
    from ledinfo.render.scenegraph import _label_box

    frame = pl.DataFrame({"function": ["a", "b", "c"], "used": [1.16, 1.13, 1.01], "deviation": [5.0, 3.0, 1.0]})
    chart = Chart("b", "Budget", "hbar", frame, "function", "used", y_format="share", team_column=None,
                  budget="deviation")
    graph = _drawn_scenegraph(chart)
    width = next(group for group in _groups(graph["scenegraph"])
                 if any(str(mark.get("name", "")).startswith(VALUE_LABELS) for mark in group.get("items", [])))["width"]
    values = {item["text"]: item for item in _named_items(graph, VALUE_LABELS) if item.get("text")}
    assert set(values) == {"116 %", "113 %", "101 %"}
    assert all(_label_box(item)[2] <= width for item in values.values())
    assert values["116 %"]["fill"] == "#ffffff"


def test_the_names_of_a_trends_lines_keep_their_lines_order_and_are_led_to_their_lines():
    """The directors' caseload trend: five teams' grey lines, the municipality's and a goal of 25 ending between 24,5
    and 31,7 (an axis to 50). Spread apart twice (the goal's label joining the names beside the plot), the names were pushed
    further each time and "Modtagelse" (25,8) stood below the goal's label (25); a name moved off its line's end
    is now led to it by a thin line from there, in its colour."""
    from ledinfo.render.charts import END_LABELS, RULE_LABEL
    from ledinfo.render.scenegraph import LEADERS

    months = [f"2024-{m:02d}" for m in range(1, 13)]
    ends = {"A": 31.7, "B": 26.9, "C": 24.5, "D": 25.8, "E": 30.8, None: 27.5}
    starts = {"A": 47.0, "B": 31.7, "C": 20.1, "D": 10.8, "E": 33.0, None: 25.0}
    rows = [(month, team, starts[team] + (end - starts[team]) * i / 11)
            for team, end in ends.items() for i, month in enumerate(months)]
    trend = pl.DataFrame(rows, schema=["month", "team", "value"], orient="row")
    chart = Chart("c", "Cases per FTE", "line", trend, "month", "value", rules=((25.0, "the goal of at most 25"),))
    graph = _drawn_scenegraph(chart)
    names = {item["text"]: item for item in _named_items(graph, END_LABELS) if item.get("text")}
    [goal] = [item for item in _named_items(graph, RULE_LABEL) if item.get("text")]
    assert goal.get("beside")
    by_height = sorted([*names.values(), goal], key=lambda item: item["y"])
    assert [item["text"] for item in by_height] == ["A", "E", "Hele kommunen", "B", "D", goal["text"], "C"]
    leaders = _named_items(graph, LEADERS)
    moved = [item for item in [*names.values(), goal] if abs(item["wanted_y"] - item["y"]) > 1.5]
    assert moved and len(leaders) == len(moved)
    for item in moved:
        [leader] = [leader for leader in leaders if leader["y2"] == item["y"]]
        assert (leader["y"], leader["stroke"]) == (item["wanted_y"], item["fill"])
        assert leader["x2"] < item["x"] + item["dx"]  # it ends before the name begins
