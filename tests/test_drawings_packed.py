"""A build keeps each chart's drawing pickled (issue 27: a fifth of its objects' memory); a pack gets it as drawn."""

from __future__ import annotations

import polars as pl
from reportlab import rl_config
from reportlab.graphics import renderPDF

from ledinfo.language import Language
from ledinfo.model.results import Chart
from ledinfo.render.charts import draw_chart, unpacked
from ledinfo.render.parallel import draw_charts

CHART = Chart("bars", "Bars", "bar", pl.DataFrame({"team": ["Børn", "Unge", None], "value": [0.2, 0.7, 0.5]}),
              "team", "value", y_format="share", rules=[(0.8, "Mål")])


def test_a_chart_drawn_for_a_build_is_kept_pickled_and_unpacks_to_the_same_drawing(monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)  # no dates or ids of its own in the PDF compared
    drawings, errors, _ = draw_charts([("key", CHART, Language("da"))], 400)
    assert not errors and isinstance(drawings["key"], bytes)
    drawn = draw_chart(CHART, Language("da"), 400)
    assert renderPDF.drawToString(unpacked(drawings["key"])) == renderPDF.drawToString(drawn)
