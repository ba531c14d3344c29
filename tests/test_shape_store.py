"""Compiled chart shapes kept between builds (ledinfo.render.shape_store): a shape compiled by one build is read by
the next, gives the same Vega, is keyed by the code that made it, and is read only from the user's own files."""

from __future__ import annotations

import json
import os

import pytest

from ledinfo.render import charts, shape_store

SHAPE = ["a shape", 400, 190, "{}", False]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("LEDINFO_NO_CACHE", raising=False)
    return tmp_path / "cache" / "ledinfo" / "shapes"


def test_a_kept_shape_is_read_back_and_none_is_kept_too(cache):
    key = shape_store.key_of(SHAPE)
    assert shape_store.load(key) == (False, None)
    shape_store.save(key, {"marks": [1, 2]})
    assert shape_store.load(key) == (True, {"marks": [1, 2]})
    other = shape_store.key_of([*SHAPE[:-1], True])
    shape_store.save(other, None)  # a shape compiled chart by chart: known, not compiled again to find out
    assert shape_store.load(other) == (True, None)
    assert oct(cache.stat().st_mode & 0o777) == "0o700" and not list(cache.glob(".*.tmp"))


def test_a_file_others_can_write_or_not_the_users_is_not_read(cache):
    key = shape_store.key_of(SHAPE)
    shape_store.save(key, {"marks": []})
    path = cache / f"{key}.json"
    path.chmod(0o666)
    assert shape_store.load(key) == (False, None)
    path.chmod(0o600)
    path.write_text("{not json", encoding="utf-8")
    assert shape_store.load(key) == (False, None)
    path.unlink()
    os.symlink(cache.parent / "elsewhere.json", path)
    (cache.parent / "elsewhere.json").write_text(json.dumps({"compiled": {"marks": []}}), encoding="utf-8")
    assert shape_store.load(key) == (False, None)


def test_the_key_holds_the_code_and_the_libraries(cache, monkeypatch):
    key = shape_store.key_of(SHAPE)
    monkeypatch.setattr(shape_store, "_makers", lambda: ("0.1.0+another-source-state", "altair 6", "vl 1"))
    assert shape_store.key_of(SHAPE) != key


def test_no_cache_turns_it_off(cache, monkeypatch):
    monkeypatch.setenv("LEDINFO_NO_CACHE", "1")
    key = shape_store.key_of(SHAPE)
    shape_store.save(key, {"marks": []})
    assert shape_store.load(key) == (False, None) and not cache.exists()


def test_a_shape_compiled_in_one_process_is_the_one_the_next_reads(cache, monkeypatch):
    """The demo's shapes compiled and kept, then read back (lru_cache cleared, as in a new process): the same Vega,
    and not one compiled again."""
    from builders import demo_charts
    from ledinfo.language import Language

    language = Language("da")
    charts._compiled.cache_clear()
    demo = demo_charts()  # computed once: what is read back is the compiled shapes, not the demo's sections
    drawn = [charts.chart_vega(chart, language) for chart in demo]
    kept = len(list(cache.glob("*.json")))
    assert kept >= 5
    charts._compiled.cache_clear()
    compiled = []
    monkeypatch.setattr(charts, "_compile", lambda *args: compiled.append(args))
    assert [charts.chart_vega(chart, language) for chart in demo] == drawn
    assert compiled == [] and len(list(cache.glob("*.json"))) == kept
    charts._compiled.cache_clear()


def test_a_chart_whose_shape_is_compiled_is_drawn_without_altair(monkeypatch):
    """A build whose shapes are all kept compiled never imports Altair (most of a small build's charts stage): the
    chart's rows are Polars' own while no one can have chosen another Altair data transformer."""
    import sys

    from builders import demo_charts
    from ledinfo.language import Language

    language = Language("da")
    chart = next(chart for chart in demo_charts() if chart.kind == "line")
    drawn = charts.chart_vega(chart, language)  # its shape compiled (with Altair), as a build before did
    monkeypatch.setitem(sys.modules, "altair", None)  # an import of Altair now fails
    assert charts.chart_vega(chart, language) == drawn
    charts.draw_chart(chart, language, 400)
