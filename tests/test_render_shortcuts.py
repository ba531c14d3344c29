"""The render stages' shortcuts (issue 27) change nothing a reader or another part of the build sees: what they
switch off is switched back on, and what they keep is kept under everything it depends on."""

import dataclasses
import gc

import polars as pl
import pytest
from reportlab import rl_config

from ledinfo.language import N_, Language
from ledinfo.model.results import Chart
from ledinfo.render.charts import chart_key
from ledinfo.render.parallel import cycles_collected_after
from ledinfo.render.pdf import _alt_text
from ledinfo.render.scenegraph import unchecked_shapes


def test_the_cycle_collector_is_paused_during_a_task_only():
    assert gc.isenabled()
    with cycles_collected_after():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), cycles_collected_after():  # a task that fails switches it back on too
        raise ValueError("a chart that cannot be drawn")
    assert gc.isenabled()
    gc.disable()  # a caller that had it off keeps it off
    try:
        with cycles_collected_after():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_reportlab_checks_shapes_again_after_a_drawing():
    from reportlab.graphics.shapes import Rect

    assert rl_config.shapeChecking
    with pytest.raises(ValueError), unchecked_shapes():
        assert not rl_config.shapeChecking
        raise ValueError
    assert rl_config.shapeChecking
    with pytest.raises(AttributeError):  # checked again: a width that is no number is refused at once
        Rect(0, 0, 10, 10).width = "wide"


def _share_chart(takeaway: str) -> Chart:
    frame = pl.DataFrame({"team": ["Børn", None], "value": [0.25, 0.5]})
    return Chart("shares", N_("Whole municipality"), "bar", frame, "team", "value", y_format="share", takeaway=takeaway)


def test_a_kept_alt_text_is_the_one_of_its_own_takeaway_language_and_threshold():
    """The drawing's key leaves out the takeaway: the alt text may not. The key holds the pack's more exact decimals
    of the chart's own values (its labels print them: "25,0 %"), no others, so charts the packs share stay one."""
    plain, precise = Language("da"), Language("da", precise=(("percent", 0.25, 1),))
    elsewhere = Language("da", precise=(("percent", 0.75, 1),))  # a value this chart does not show
    first, second = _share_chart("Børn ligger lavest."), _share_chart("Et andet budskab.")
    assert chart_key(first, plain) == chart_key(second, plain) == chart_key(first, elsewhere)
    assert chart_key(first, precise) != chart_key(first, plain)  # drawn once a way it is printed
    said = _alt_text(chart_key(first, plain), first, plain, 5)
    assert said.startswith("Børn ligger lavest") and "25 %" in said
    assert _alt_text(chart_key(second, plain), second, plain, 5).startswith("Et andet budskab")
    assert "25,0 %" in _alt_text(chart_key(first, precise), first, precise, 5)
    assert _alt_text(chart_key(first, plain), dataclasses.replace(first), plain, 5) == said


def test_a_chart_is_drawn_once_whether_or_not_its_frame_carries_flags_of_no_hidden_value():
    """The committee's charts carry a column of hidden values' flags, the other packs' the same charts without it:
    with no flag set the drawing is the same, and so is its key; a set flag (a value hidden, drawn "skjult", not "no
    cases") keeps its own."""
    from reportlab.graphics import renderPDF

    from ledinfo.render.charts import draw_chart

    plain, language = _share_chart(""), Language("da")
    flags = pl.Series("value__suppressed", [None, None], dtype=pl.String)
    flagged = dataclasses.replace(plain, frame=plain.frame.hstack([flags]))
    assert chart_key(flagged, language) == chart_key(plain, language)
    before = rl_config.invariant
    rl_config.invariant = 1
    try:
        assert renderPDF.drawToString(draw_chart(flagged, language, 400)) == \
            renderPDF.drawToString(draw_chart(plain, language, 400))
    finally:
        rl_config.invariant = before
    hidden = plain.frame.with_columns(pl.Series("value", [None, 0.5]))
    one = dataclasses.replace(plain, frame=hidden.hstack([pl.Series("value__suppressed", ["<5", None])]))
    assert chart_key(one, language) != chart_key(dataclasses.replace(plain, frame=hidden), language)
