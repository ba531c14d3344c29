"""A chart's line under it names a value "lowest" or "highest" only among values resting on at least the threshold of
cases (domain.md, "The biggest risk first"). A share chart whose frame carries each value's base
(``ledinfo.model.results.BASE_COLUMN``) is ranked on those alone; the committee's pack never sees the bases.

Found by a fresh reader in the messy sample's directors' pack: "højest: Ungeplan ved 16 år (50 %)" — 2 of 4 young
people — over the efterværn plugin's transitions chart.
"""

from __future__ import annotations

import polars as pl

from ledinfo.disclosure.disclose import disclose
from ledinfo.interfaces.section import View
from ledinfo.language import Language
from ledinfo.model.period import Period
from ledinfo.model.results import BASE_COLUMN, MUNICIPALITY, Chart, SectionResult
from ledinfo.texts.summary import takeaway

DA = Language("da")


def _chart(bases: list[int]) -> Chart:
    frame = pl.DataFrame({"step": ["plan", "decision", "after"], "value": [0.5, 0.4, 0.38], BASE_COLUMN: bases})
    return Chart("transitions", "Transitions", "hbar", frame, x="step", y="value", y_format="share", team_column=None,
                 value_labels={"plan": "Ungeplan", "decision": "Afgørelse", "after": "Efter 18"})


def test_a_share_resting_on_fewer_than_the_threshold_is_nobodys_highest():
    view = View("director", DA, None, 5, period=Period(2024, 3))
    assert takeaway(_chart([10, 10, 13]), view) == "Lavest: Efter 18 (38 %); højest: Ungeplan (50 %)."
    # the plan's 50 % rests on 4 young people: the ranking is of the other two
    assert takeaway(_chart([4, 10, 13]), view) == "Lavest: Efter 18 (38 %); højest: Afgørelse (40 %)."
    # one value left on enough cases ranks nothing
    assert takeaway(_chart([4, 10, 2]), view) is None


def test_a_chart_without_bases_is_ranked_as_before():
    view = View("director", DA, None, 5, period=Period(2024, 3))
    chart = _chart([1, 1, 1])
    chart = Chart(chart.id, chart.title, chart.kind, chart.frame.drop(BASE_COLUMN), x=chart.x, y=chart.y,
                  y_format="share", team_column=None, value_labels=chart.value_labels)
    assert takeaway(chart, view) == "Lavest: Efter 18 (38 %); højest: Ungeplan (50 %)."


def test_the_committee_never_sees_a_charts_bases():
    view = View("committee", DA, None, 5, period=Period(2024, 3))
    frame = pl.DataFrame({"period": ["2024-03"], "value": [1250.0], BASE_COLUMN: [3]})
    chart = Chart("spending", "Spending", "bar", frame, x="period", y="value", y_format="money", team_column=None,
                  level=MUNICIPALITY)
    result = SectionResult("spending", "Spending", charts=[chart])
    shown = disclose(result, view).charts
    assert shown and BASE_COLUMN not in shown[0].frame.columns
