"""The committee's protection, decided once for the whole pack (domain.md, "Committee rules"): what a figure
hides, no chart draws, no table shows and no sentence names; and no hidden count can be worked out."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledinfo.disclosure.audit import Cell, protection_intervals
from ledinfo.disclosure.audit import Relation as Sum
from ledinfo.disclosure.disclose import disclose_pack
from ledinfo.domain.period import Period
from ledinfo.interfaces.results import MUNICIPALITY, Chart, Column, Figure, FigureRef, Ref, Relation, SectionResult, Table
from ledinfo.interfaces.section import View
from ledinfo.texts.language import Language

PERIOD = Period(2024, 3)
MONTHS = [str(p) for p in PERIOD.trailing(3)]


def committee():
    return View("committee", Language("da"), None, 5, period=PERIOD)


def notifications(counts: dict[tuple[str, str], int]) -> SectionResult:
    """Notifications by month and reporter, the month totals and the 3-month total, with a chart and a table."""
    figures, relations = [], []
    reporters = sorted({r for _, r in counts})
    for month in MONTHS:
        month_total = sum(counts[(month, r)] for r in reporters)
        figures.append(Figure("notes", month_total, unit="count", period=month))
        figures += [Figure("notes", counts[(month, r)], unit="count", period=month, category=r) for r in reporters]
        relations.append(Relation(Ref("notes", period=month),
                                  tuple(Ref("notes", period=month, category=r) for r in reporters)))
    figures.append(Figure("notes_3m", sum(counts.values()), unit="count"))
    relations.append(Relation(Ref("notes_3m"), tuple(Ref("notes", period=m) for m in MONTHS)))
    frame = pl.DataFrame([{"month": m, "reporter": r, "count": counts[(m, r)], "team": None}
                          for m in MONTHS for r in reporters], schema={"month": pl.String, "reporter": pl.String,
                                                                      "count": pl.Int64, "team": pl.String})
    chart = Chart("by_month", "N", "line", frame, x="month", y="count", color="reporter", y_format="count",
                  level=MUNICIPALITY, team_column=None,
                  figure=FigureRef("notes", period_column="month", category_column="reporter"))
    totals = pl.DataFrame({"month": MONTHS, "count": [sum(counts[(m, r)] for r in reporters) for m in MONTHS]})
    table = Table("months", "M", totals, (Column("month", "Month"),
                                          Column("count", "N", "count", FigureRef("notes", period_column="month"))),
                  level=MUNICIPALITY, team_column=None)
    return SectionResult("notes", "Notes", figures=figures, charts=[chart], tables=[table], relations=relations)


COUNTS = {("2024-01", "a"): 3, ("2024-01", "b"): 40, ("2024-01", "c"): 11,
          ("2024-02", "a"): 9, ("2024-02", "b"): 38, ("2024-02", "c"): 12,
          ("2024-03", "a"): 8, ("2024-03", "b"): 41, ("2024-03", "c"): 10}


def shown_numbers(result: SectionResult) -> dict[Ref, int]:
    numbers = {}
    for figure in result.figures:
        if not figure.suppressed:
            numbers[Ref(figure.indicator, figure.team, figure.period or str(PERIOD), figure.category)] = figure.value
    return numbers


def test_a_small_month_is_hidden_everywhere_and_cannot_be_worked_out():
    disclosed = disclose_pack([notifications(COUNTS)], committee())[0]
    hidden = {(f.period, f.category) for f in disclosed.figures if f.suppressed}
    assert ("2024-01", "a") in hidden  # 3: a small count
    # the chart and the table draw exactly what the figures show
    chart = disclosed.charts[0].frame
    for month, reporter, count in chart.select("month", "reporter", "count").iter_rows():
        assert (count is None) == ((month, reporter) in hidden)
    table = disclosed.tables[0].frame
    for month, count in table.select("month", "count").iter_rows():
        assert (count is None) == ((month, None) in hidden)
    # a reader who knows every relation cannot narrow any hidden count below the threshold
    numbers = shown_numbers(disclosed)
    refs = [Ref("notes", None, m, r) for m in MONTHS for r in ("a", "b", "c", None)] + [Ref("notes_3m", None,
                                                                                          str(PERIOD))]
    truth = {**{Ref("notes", None, m, r): COUNTS[(m, r)] for m, r in COUNTS},
             **{Ref("notes", None, m, None): sum(COUNTS[(m, r)] for r in "abc") for m in MONTHS},
             Ref("notes_3m", None, str(PERIOD)): sum(COUNTS.values())}
    cells = [Cell(str(ref), truth[ref], ref not in numbers) for ref in refs]
    sums = [Sum(str(Ref("notes", None, m)), tuple(str(Ref("notes", None, m, r)) for r in "abc")) for m in MONTHS]
    sums.append(Sum(str(Ref("notes_3m", None, str(PERIOD))), tuple(str(Ref("notes", None, m)) for m in MONTHS)))
    for key, (low, high) in protection_intervals(cells, sums, 5).items():
        assert high is None or high - low >= 5, (key, low, high)


def test_a_section_that_draws_an_unbound_count_for_the_committee_shows_nothing():
    broken = notifications(COUNTS)
    raw = broken.charts[0]
    broken.charts = [Chart(raw.id, raw.title, raw.kind, raw.frame, x=raw.x, y=raw.y, color=raw.color,
                           y_format="count", level=MUNICIPALITY, team_column=None)]  # the raw counts, no figure
    disclosed = disclose_pack([broken], committee())[0]
    assert disclosed.charts == []  # left out, not drawn with a 3 in it
    director = disclose_pack([broken], View("director", Language("da"), None, 5, period=PERIOD))[0]
    assert len(director.charts) == 1  # directors see every count


def test_the_takeaway_is_written_from_the_disclosed_chart():
    from ledinfo.texts.summary import takeaway

    disclosed = disclose_pack([notifications(COUNTS)], committee())[0]
    line = takeaway(disclosed.charts[0], committee()) or ""
    hidden_values = {f"{COUNTS[(f.period, f.category)]}" for f in disclosed.figures
                     if f.suppressed and f.category is not None}
    assert not any(f"({value})" in line or f": {value}." in line for value in hidden_values), line


def test_the_audit_refuses_a_pack_it_cannot_protect():
    from ledinfo.disclosure.disclose import AuditError

    # 4 = 2 + 2 with everything small: the relation pins nothing down further than "<5", fine; but a total shown
    # as 7 with parts 3 and 4 lets "<5" parts be worked out only to the "<5" range: still fine. A relation that
    # the numbers break is refused.
    figures = [Figure("t", 9, unit="count"), Figure("t", 3, unit="count", category="x"),
               Figure("t", 4, unit="count", category="y")]
    broken = SectionResult("s", "S", figures=figures, relations=[Relation(Ref("t"), (Ref("t", category="x"),
                                                                                     Ref("t", category="y")))])
    with pytest.raises(AuditError):
        disclose_pack([broken], committee())


# --- the audit as a property over small municipalities ------------------------------------------------

@pytest.mark.slow
@pytest.mark.xfail(raises=AssertionError, strict=False,
                   reason="issue 23 is open: a breakdown share by placement type hidden for resting on too few "
                          "placements gives its numerator 0 away when the breakdowns' total is 0 (seed 541, "
                          "scale 0.28125)")
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(1, 10_000), scale=st.floats(0.05, 0.3))
def test_every_hidden_count_of_a_small_municipalitys_committee_pack_is_protected(seed, scale, registry):
    """Rebuild the committee's cells from what the pack shows and what is true, and prove with the exact
    audit (independently of the protection's own loop) that no hidden count can be narrowed below 5."""
    from builders import compute_sections
    from ledinfo.api.testing import frames_to_extract
    from ledinfo.demo import DemoSpec, demo_config, generate
    from ledinfo.disclosure.disclose import ref_of

    period = Period(2026, 10)
    config = demo_config(seed=seed, scale=scale)
    extract = frames_to_extract(generate(DemoSpec(period, seed, scale)))
    names = {"goals", "notifications", "measures_mix", "compliance", "budget",  # and effect and money (issue 25)
             "ladder_moves", "placement_outcomes", "renotification", "volume_price", "spending"}
    results, failures, _ = compute_sections(names, extract, config, registry, period)
    assert not failures
    raw = [results[n] for n in sorted(results)]
    disclosed = disclose_pack(raw, committee_view(period))
    shown = {ref_of(f, period=str(period)) for r in disclosed for f in r.figures if not f.suppressed}
    truth: dict[Ref, int] = {}
    for result in raw:
        for figure in result.figures:
            if figure.team is None and figure.unit == "count":
                truth[ref_of(figure, period=str(period))] = int(figure.value)
            if figure.team is None and figure.share_of == "composition" and figure.denominator is not None:
                truth[ref_of(figure, "numerator", str(period))] = int(figure.numerator)
                truth[ref_of(figure, "denominator", str(period))] = int(figure.denominator)

    def norm(ref: Ref) -> Ref:
        return ref if ref.period else Ref(ref.indicator, ref.team, str(period), ref.category, ref.part)

    sums = [(norm(rel.total), [norm(p) for p in rel.parts]) for r in raw for rel in r.relations]
    sums = [(t, ps) for t, ps in sums if t in truth and all(p in truth for p in ps)]
    involved = {ref for t, ps in sums for ref in (t, *ps)}
    visible = {ref for ref in involved if (ref if ref.part == "value" else Ref(ref.indicator, ref.team, ref.period,
                                                                               ref.category)) in shown}
    cells = [Cell.small(str(ref), truth[ref], 5) if ref not in visible and 0 < truth[ref] < 5
             else Cell(str(ref), truth[ref], ref not in visible) for ref in involved]
    from ledinfo.disclosure.audit import audit

    assert audit(cells, [Sum(str(t), tuple(map(str, ps))) for t, ps in sums], 5) == []


def committee_view(period):
    return View("committee", Language("da"), None, 5, period=period)
