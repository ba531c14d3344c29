"""A chart in words: the alternative text of its figure in the tagged PDF.

A screen reader cannot see a chart, so its ``/Alt`` says what the sighted reader
takes from it: the takeaway, then every value drawn, grouped by series, each with what
its colour says (its verdict, or the budget's "over"), then the reference lines and
yardsticks. Only what the chart draws is said: the frame after the audience filter, cut
as the drawing is cut (:func:`readable`); a hidden value is said as the
table says it ("<5", or "–"), never as the number behind it.
"""

from __future__ import annotations

from ledinfo.disclosure.disclose import suppressed_column
from ledinfo.language import Language
from ledinfo.model.results import Chart
from ledinfo.render.charts import _prepare
from ledinfo.texts.readable import MAX_BARS, readable
from ledinfo.words.formatting import format_value, hidden_mark, translate
from ledinfo.words.verdicts import yardstick_phrase


def chart_alt(chart: Chart, language: Language, threshold: int) -> str:
    """The takeaway, the title, and the chart's values in words."""
    frame, cut = readable(chart)
    labelled, _ = _prepare(chart, language)
    marker = suppressed_column(chart.y)
    hidden = frame[marker].to_list() if marker in frame.columns else [None] * frame.height
    series: dict[str, list[str]] = {}
    coloured = chart.kind != "line" and (chart.judged or chart.budget is not None)
    rows = zip(*(labelled[column].to_list() for column in ("x_label", "series", "y", "group")))
    for (x, name, y, group), hidden_as in zip(rows, hidden):
        if hidden_as:
            value = hidden_mark(hidden_as, threshold)
        else:
            value = format_value(language, y, chart.y_format)
            if coloured and group:  # what its colour says (a verdict, the budget's scale): never by colour alone
                value += f" ({group[:1].lower()}{group[1:]})"
        series.setdefault(name or "", []).append(f"{x} {value}")
    data = [f"{name}: {', '.join(values)}" if len(series) > 1 and name else ", ".join(values)
            for name, values in series.items()]
    rules = [f"{language(label)} {format_value(language, value, chart.y_format)}" for value, label in chart.rules]
    rules += [yardstick_phrase(language, y) for y in {y.key(): y for y in chart.yardsticks}.values()]
    parts = [chart.takeaway, translate(language, chart.title) + (f" ({language(chart.y_title)})" if chart.y_title else ""),
             "; ".join(data), "; ".join(rules), language(cut, count=MAX_BARS) if cut else None]
    return ". ".join(part.rstrip(".") for part in parts if part) + "."
