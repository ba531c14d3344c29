"""Figure.with_ copies a figure without dataclasses.replace's walk through its fields: the same figure, checked the
same way."""

import pickle
from dataclasses import replace

import pytest

from ledinfo.model.results import Figure, Over, ResultError, Unit


def test_a_copy_is_the_figure_replace_makes():
    figure = Figure("caseload", 0.5, 5, 10, "share", team="Unge", period="2026-09", extra={"pending": 2})
    for changes in ({"team": "Børn"}, {"period": None, "over": "end"}, {"suppressed": True, "value": None}):
        copy = figure.with_(**changes)
        assert copy == replace(figure, **changes)
        assert pickle.dumps(copy) == pickle.dumps(replace(figure, **changes))  # field for field, in order
    assert figure.with_(over="end").over is Over.END and figure.with_(unit="count").unit is Unit.COUNT


def test_a_copy_is_checked_as_a_new_figure_is():
    figure = Figure("caseload", 3, unit="count")
    with pytest.raises(ResultError, match="unit"):
        figure.with_(unit="dozens")
    with pytest.raises(ResultError, match="finite"):
        figure.with_(value=float("nan"))
    with pytest.raises(TypeError):
        figure.with_(colour="red")  # no such field
