"""The typed result model: a result that breaks it cannot be made, or is refused naming its plugin."""

from __future__ import annotations

import polars as pl
import pytest

from ledinfo.model.results import Chart, Column, Figure, FigureRef, ResultError, SectionResult, Table, validate_result


def test_a_unit_spelled_wrong_cannot_be_made():
    with pytest.raises(ResultError, match="unit 'Count' is not one of"):
        Figure("x", 3, unit="Count")
    with pytest.raises(ResultError, match="kind 'Count'"):
        Column("n", "N", "Count")
    with pytest.raises(ResultError, match="level 'teams'"):
        Table("t", "T", pl.DataFrame({"n": [1]}), (Column("n", "N", "count"),), level="teams")
    with pytest.raises(ResultError, match="y_format"):
        Chart("c", "C", "bar", pl.DataFrame({"x": ["a"], "y": [1]}), x="x", y="y", y_format="percent")
    with pytest.raises(ResultError, match="not a finite number"):
        Figure("x", float("nan"), unit="count")


@pytest.mark.parametrize("figure, words", [
    (Figure("x", 2.5, unit="count"), "no whole number"),
    (Figure("x", 1.2, 6, 5, "share"), "outside 0–1"),
    (Figure("x", 0.5, 6, 5, "share"), "numerator 6 is not between"),
])
def test_validation_names_what_is_wrong(figure, words):
    with pytest.raises(ResultError, match=words):
        validate_result(SectionResult("s", "S", figures=[figure]))


def test_a_binding_to_a_missing_column_is_refused():
    table = Table("t", "T", pl.DataFrame({"n": [1]}), (Column("n", "N", "count", FigureRef(indicator_column="rule")),))
    with pytest.raises(ResultError, match="lacks: rule"):
        validate_result(SectionResult("s", "S", tables=[table]))


def test_a_broken_section_fails_naming_its_plugin_and_the_others_still_compute(small_dir):
    from builders import compute_sections
    from ledinfo.api.testing import load_test_plugins
    from ledinfo.config.file import folder_config
    from ledinfo.extract.folder import read_folder
    from ledinfo.extract.validate import validate_extract
    from ledinfo.interfaces.section import Section
    from ledinfo.model.period import Period

    class Broken(Section):
        name = "broken"
        title = "Broken"
        description = "A share whose numerator exceeds its denominator."

        def compute(self, context):
            return SectionResult("broken", "Broken", figures=[Figure("x", 1.0, 9, 4, "share")])

    registry = load_test_plugins().registry  # a registry of its own: the session's stays clean
    registry.register_callback("section", "ledinfo-broken-test")(Broken())
    extract = validate_extract(read_folder(small_dir))
    results, failures, _ = compute_sections({"broken", "six_week_followup"}, extract, folder_config(small_dir),
                                            registry, Period(2024, 3))
    assert "six_week_followup" in results and "broken" not in results
    assert "plugin ledinfo-broken-test" in failures["broken"] and "numerator 9" in failures["broken"]
