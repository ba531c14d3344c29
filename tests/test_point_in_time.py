"""Point in time and the data's range (domain.md): a period's figures are what was known at its end,
and a period the data does not cover is refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from builders import SCHEMAS, D, T, activity, case, compute_sections, extract, investigation, measure, notification
from conftest import run_cli
from ledinfo.api.testing import context_for
from ledinfo.config.file import folder_config
from ledinfo.domain.indicator import indicator_figures
from ledinfo.extract.folder import read_folder
from ledinfo.extract.model import Extract
from ledinfo.extract.point_in_time import Timeline, data_span, known_at, period_problem
from ledinfo.extract.validate import validate_extract
from ledinfo.model.period import Period

MESSY = Path(__file__).resolve().parents[2] / "shared" / "samples" / "messy-extract"
needs_messy = pytest.mark.skipif(not MESSY.is_dir(), reason="../shared/samples/messy-extract is not here")


def municipality(figures):
    return next(f for f in figures if f.team is None)


def test_an_assessment_made_after_the_month_is_pending_in_that_months_pack():
    # received 31 March 20:00, assessed 1 April 08:00 (within 24 hours): met in April's view of the world,
    # but on 31 March it had not happened, and its deadline (1 April 20:00) lies after March: pending
    notes = [notification("N1", T(2024, 3, 31, 20), assessed=T(2024, 4, 1, 8)),
             notification("N2", T(2024, 3, 10, 9), assessed=T(2024, 3, 10, 15))]
    march = municipality(indicator_figures("notification_24h", context_for(extract(notifications=notes),
                                                                           Period(2024, 3)), Period(2024, 3)))
    assert (march.numerator, march.denominator, march.extra["pending"]) == (1, 1, 1)


def test_a_trend_month_is_what_was_known_at_its_own_end():
    # assessed late, in April: February's figure (as it was sent) knows nothing of it; April's pack,
    # looking back at February's trend point, still judges February as February did
    notes = [notification("N1", T(2024, 2, 28, 9)), notification("N2", T(2024, 2, 10, 9), assessed=T(2024, 2, 10, 12))]
    notes[0]["acute_assessed_at"] = T(2024, 4, 2, 9)
    context = context_for(extract(notifications=notes), Period(2024, 4))
    february = municipality(indicator_figures("notification_24h", context, Period(2024, 2)))
    assert (february.numerator, february.denominator) == (1, 2)  # N1 was a breach by 29 February either way


# --- the property: figures from today's extract equal those from the extract cut at the month's end ---

EVENTS = {  # written apart from ledinfo.extract.point_in_time, from domain.md: (row exists from, later events)
    "cases": ("opened_on", ["closed_on"]),
    "notifications": ("received_at", ["acute_assessed_at", "receipt_sent_on"]),
    "investigations": ("started_on", ["completed_on"]),
    "measures": ("decided_on", ["ended_on", "plan_on"]),
    "activities": ("date", []),
    "staff": ("start_date", ["end_date"]),
}
WITH_EVENT = {"measures": {"end_reason": "ended_on"}}  # recorded with the end: unknown until it (domain.md)


def cut_folder(source: Path, target: Path, as_of: dt.date) -> None:
    """The extract as a case system would have exported it at the end of ``as_of``: CSV text in, CSV text out."""
    target.mkdir()
    last = as_of.isoformat()
    cases = pl.read_csv(source / "cases.csv", infer_schema=False).filter(pl.col("opened_on") <= last)["case_id"]
    for path in source.glob("*.csv"):
        frame = pl.read_csv(path, infer_schema=False)
        if path.stem == "budget":
            frame = frame.filter(pl.col("year").cast(pl.Int32) * 12 + pl.col("month").cast(pl.Int32)
                                 <= as_of.year * 12 + as_of.month)
        elif path.stem in EVENTS:
            exists, later = EVENTS[path.stem]
            frame = frame.filter(pl.col(exists).is_null() | (pl.col(exists).str.slice(0, 10) <= last))
            frame = frame.with_columns(pl.when(pl.col(event).str.slice(0, 10) > last).then(None).otherwise(pl.col(c))
                                       .alias(c) for c, event in WITH_EVENT.get(path.stem, {}).items()
                                       if c in frame.columns)
            frame = frame.with_columns(pl.when(pl.col(c).str.slice(0, 10) > last).then(None).otherwise(pl.col(c))
                                       .alias(c) for c in later)
        if path.stem in ("investigations", "measures", "activities"):  # not in the case system yet
            frame = frame.filter(pl.col("case_id").is_in(cases.implode()))
        if path.stem == "notifications":
            frame = frame.with_columns(pl.when(pl.col("case_id").is_in(cases.implode())).then(pl.col("case_id"))
                                       .alias("case_id"))
        frame.write_csv(target / path.name)


def section_figures(folder: Path, period: Period, registry) -> dict:
    config = folder_config(folder)
    loaded = validate_extract(read_folder(folder))
    names = {s.name for s in registry.sections()}
    results, failures, _ = compute_sections(names, loaded, config, registry, period)
    assert not failures
    return {name: (sorted(map(repr, result.figures)),
                   [table.frame.sort(table.frame.columns).to_dicts() for table in result.tables])
            for name, result in results.items()}


@needs_messy
@pytest.mark.slow
@pytest.mark.parametrize("month", ["2023-11", "2023-12", "2024-01", "2024-02"])
def test_figures_from_the_full_extract_equal_those_from_the_extract_cut_at_the_months_end(month, tmp_path,
                                                                                          registry):
    period = Period.parse(month)
    cut_folder(MESSY, tmp_path / "cut", period.end)
    full = section_figures(MESSY, period, registry)
    cut = section_figures(tmp_path / "cut", period, registry)
    assert full.keys() == cut.keys()
    for name in full:
        assert full[name] == cut[name], name


def with_effect_columns(source: Path, target: Path) -> None:
    """The messy sample with the two optional columns of effect and money added, as a case system and finance
    would give them: an end reason on every ended measure (a few left empty), budgeted full-year persons on the
    functions that pay for measures."""
    target.mkdir()
    for path in source.glob("*.csv"):
        frame = pl.read_csv(path, infer_schema=False)
        if path.stem == "measures":
            reasons = pl.Series(["planlagt", "sammenbrud", "planlagt", "alder", "flytning", None, "andet", "planlagt"])
            pick = pl.col("measure_id").hash(7) % len(reasons)
            frame = frame.with_columns(pl.when(pl.col("ended_on").is_not_null()).then(
                pl.lit(reasons).gather(pick)).alias("end_reason"))
        if path.stem == "budget":
            frame = frame.with_columns(pl.when(pl.col("function_code").is_in(["5.28.20", "5.28.21", "5.28.22",
                                                                            "5.28.23"]))
                                       .then((pl.col("budget_corrected").cast(pl.Float64) / 40_000).round(2))
                                       .alias("budget_volume"))
        frame.write_csv(target / path.name)


@needs_messy
@pytest.mark.slow
@pytest.mark.parametrize("month", ["2023-12", "2024-03"])
def test_the_effect_and_money_figures_are_what_was_known_at_the_months_end(month, tmp_path, registry):
    """The same property with end reasons and budgeted volumes in the extract: an end reason of a measure that
    ended after the month is unknown in it, so the breakdowns and the volume and price are the month's."""
    with_effect_columns(MESSY, tmp_path / "full")
    period = Period.parse(month)
    cut_folder(tmp_path / "full", tmp_path / "cut", period.end)
    assert pl.read_csv(tmp_path / "full" / "measures.csv")["end_reason"].drop_nulls().len() > 20
    full = section_figures(tmp_path / "full", period, registry)
    cut = section_figures(tmp_path / "cut", period, registry)
    for name in ("placement_outcomes", "ladder_moves", "renotification", "spending", "volume_price"):
        assert full[name] == cut[name], name
        assert full[name][0], name  # figures were computed, not an empty section on both sides
    assert any("placement_breakdown" in figure for figure in full["placement_outcomes"][0])
    assert any("'vp_deviation'" in figure for figure in full["volume_price"][0])


# --- the timeline: each month's cut a slice of one sorted extract, holding the rows known_at keeps ---

def same_rows(one: pl.DataFrame, other: pl.DataFrame) -> bool:
    return (one.columns == other.columns and one.height == other.height
            and one.sort(pl.all(), nulls_last=True).equals(other.sort(pl.all(), nulls_last=True)))


def month_ends(first: Period, last: Period) -> list[dt.date]:
    ends, month = [], first
    while month.end <= last.end:
        ends.append(month.end)
        month = month.shift(1)
    return ends


def test_the_timeline_keeps_what_known_at_keeps_on_the_awkward_rows():
    """Rows on a case opened later, on a case the extract lacks, without a case; a case listed twice; a case
    with no opening day; later events on earlier rows. (Validation refuses several of these; a plugin's own
    source might not, so the extract is made here without it.)"""
    def frame(name, rows):
        types = {"date": pl.Date, "datetime": pl.Datetime("us"), "str": pl.String, "float": pl.Float64}
        overrides = {k: types[v] for k, v in SCHEMAS.get(name, {}).items()}
        return pl.DataFrame(rows, schema_overrides={**overrides, "opened_on": pl.Date}, infer_schema_length=None)

    rows = dict(
        cases=[case("C1", opened=D(2024, 1, 10), closed=D(2024, 3, 5)), case("C2", opened=D(2024, 2, 20)),
               case("C3", opened=D(2024, 3, 1)), case("C3", opened=D(2024, 1, 2)), case("C4", opened=None)],
        notifications=[notification("N1", T(2024, 1, 5, 9), case_id="C2", assessed=T(2024, 2, 1, 9)),
                       notification("N2", T(2024, 1, 20, 9), case_id="C9"), notification("N3", T(2024, 2, 1, 9)),
                       notification("N4", T(2024, 1, 3, 9), case_id="C4", receipt=D(2024, 3, 1))],
        investigations=[investigation("I1", "C2", D(2024, 1, 25), completed=D(2024, 4, 1)),
                        investigation("I2", "C9", D(2024, 1, 1))],
        measures=[measure("M1", "C1", decided=D(2024, 1, 15), started=D(2024, 1, 15), ended=D(2024, 2, 15)),
                  measure("M2", "C4", started=D(2024, 3, 3))],
        activities=[activity("C2", D(2024, 1, 2)), activity("C1", D(2024, 2, 2)), activity("C3", D(2024, 1, 5)),
                    activity("C9", D(2024, 1, 1)), activity("C4", D(2024, 4, 1))],
    )
    tables = Extract({name: frame(name, table) for name, table in rows.items()})
    timeline = Timeline(tables)
    for day in [D(2023, 12, 31), *month_ends(Period(2024, 1), Period(2024, 5))]:
        expected, got = known_at(tables, day), timeline.at(day)
        assert expected.tables.keys() == got.tables.keys()
        for name in expected.tables:
            assert same_rows(expected.tables[name], got.tables[name]), (day, name)
    february = timeline.at(D(2024, 2, 29)).tables
    assert sorted(february["notifications"]["case_id"].to_list(), key=str) == ["C2", "C4", None, None]  # C9: never
    assert february["activities"]["case_id"].to_list() == ["C3", "C1", "C2"]  # in the order each became known


@needs_messy
def test_the_timeline_keeps_what_known_at_keeps_in_every_month_of_the_messy_sample():
    loaded = validate_extract(read_folder(MESSY))
    timeline = Timeline(loaded)
    for day in month_ends(Period(2023, 1), Period(2024, 7)):
        expected, got = known_at(loaded, day), timeline.at(day)
        for name in expected.tables:
            assert same_rows(expected.tables[name], got.tables[name]), (day, name)


@needs_messy
def test_a_timeline_that_lets_go_of_the_extract_holds_the_same_rows_and_leaves_it_empty():
    """A build gives its extract up to the timeline (let_go, issue 27): each table taken out of it once arranged,
    the same tables in the same order as a timeline that leaves the extract whole."""
    loaded = validate_extract(read_folder(MESSY))
    given = Extract(dict(loaded.tables), loaded.origins, loaded.fingerprints, loaded.description)
    kept, taken = Timeline(loaded), Timeline(given, let_go=True)
    assert given.tables == {} and set(loaded.tables) == set(kept.tables)
    for name, table in kept.tables.items():
        assert taken.tables[name].equals(table), name
        if name in kept.known_from:
            assert taken.known_from[name].equals(kept.known_from[name]) and taken.nulls[name] == kept.nulls[name]
    assert taken.at(dt.date(2024, 3, 31)).tables.keys() == kept.at(dt.date(2024, 3, 31)).tables.keys()


@needs_messy
def test_a_timeline_that_keeps_few_cuts_gives_the_same_cuts_in_any_order(monkeypatch):
    """A large extract's timeline keeps only the cuts its budget holds (issue 27, goal 5): a cut made again, after
    others pushed it out, holds the same rows as known_at's, and the kept ones stay within the budget."""
    import ledinfo.extract.point_in_time as point_in_time

    loaded = validate_extract(read_folder(MESSY))
    days = month_ends(Period(2023, 1), Period(2024, 7))
    one = Timeline(loaded)._cut(days[-1])[1]  # the latest cut holds the most of its own
    monkeypatch.setattr(point_in_time, "CUTS_KEPT", 3 * one)
    timeline = Timeline(loaded)
    for day in [*days, *reversed(days), days[3], days[3], days[10]]:  # pushed out, made again, kept
        expected, got = known_at(loaded, day), timeline.at(day)
        for name in expected.tables:
            assert same_rows(expected.tables[name], got.tables[name]), (day, name)
        assert timeline._cuts and timeline._held <= 3 * one
    assert len(timeline._cuts) < len(days)  # some were let go
    assert timeline.at(days[10]) is timeline.at(days[10])  # the latest asked for is kept


@needs_messy
@pytest.mark.slow
def test_figures_are_the_same_when_no_cut_is_kept(monkeypatch, registry):
    """Every section's figures and tables, every cut made afresh each time it is asked for (a large extract's
    build keeps few) against every cut kept (a municipality's)."""
    import ledinfo.extract.point_in_time as point_in_time

    period = Period.parse("2024-03")
    kept = section_figures(MESSY, period, registry)
    monkeypatch.setattr(point_in_time, "CUTS_KEPT", 0)
    assert section_figures(MESSY, period, registry) == kept


# --- the data's range ---

def test_period_problem_names_the_span():
    span = data_span(extract(notifications=[notification("N1", T(2022, 3, 1, 9)),
                                            notification("N2", T(2024, 2, 20, 9))]))
    assert (span.first, span.last) == (D(2022, 1, 1), D(2024, 2, 20))  # builders' cases open on 2022-01-01
    today = D(2026, 11, 30)
    assert "before the data" in period_problem(Period(2015, 1), span, today)
    assert "after the data" in period_problem(Period(2024, 3), span, today)
    assert "ends on 2024-02-20" in period_problem(Period(2024, 2), span, today)
    assert "has not ended yet" in period_problem(Period(2026, 11), span, today)
    assert period_problem(Period(2024, 1), span, today) is None
    assert period_problem(Period(2022, 1), span, today) is None


@pytest.mark.slow
def test_a_period_outside_the_data_is_refused_unless_asked_for(small_dir, tmp_path):
    # the small extract runs from 2022-01-01 to 2024-04-05
    today = dt.date.today()
    running = f"{today.year:04d}-{today.month:02d}"
    for period, words in (("2015-01", "lies before the data"), ("2024-05", "lies after the data"),
                          ("2024-04", "ends on 2024-04-05"), (running, "has not ended yet")):
        result = run_cli("build", "--data", str(small_dir), "--period", period, "--out", str(tmp_path / period))
        assert result.returncode == 2, result.stderr
        assert words in result.stderr and "Traceback" not in result.stderr
        assert "2022-01-01 to 2024-04-05" in result.stderr or "has not ended" in words
        assert not (tmp_path / period).exists()  # refused before anything was written
    forced = run_cli("build", "--data", str(small_dir), "--period", "2024-05", "--out", str(tmp_path / "forced"),
                     "--allow-outside-data", "--jobs", "1")
    assert forced.returncode == 0, forced.stderr
    import json

    from pdfcheck import pdf_text

    data = json.loads((tmp_path / "forced" / "udvalg.json").read_text(encoding="utf-8"))
    assert data["outside_data"]["data_last"] == "2024-04-05"
    cover = pdf_text(tmp_path / "forced" / "udvalg.pdf").split("\f")[0]
    assert "uden for dataenes tidsrum" in " ".join(cover.split())
    inside = run_cli("build", "--data", str(small_dir), "--period", "2024-03", "--out", str(tmp_path / "inside"),
                     "--jobs", "1")
    assert inside.returncode == 0, inside.stderr
    assert json.loads((tmp_path / "inside" / "udvalg.json").read_text(encoding="utf-8"))["outside_data"] is None
