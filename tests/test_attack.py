"""The attacker of the test kit (ledinfo.api.attack), on its own: its solver, its catalogue of relations, its
reading of a pack, and a third-party section like the one issue 23 found leaking."""

from __future__ import annotations

import polars as pl
import pytest

from ledinfo.api import MUNICIPALITY, Chart, Figure, FigureRef, Ref, Relation, Section, SectionResult
from ledinfo.api.attack.judge import EXACT, NARROW, attack
from ledinfo.api.attack.numbers import DASH, SMALL, Equation, Key
from ledinfo.api.attack.reader import read_pack
from ledinfo.api.attack.relations import discover
from ledinfo.api.attack.run import demo_extract, registry_for, series_of
from ledinfo.api.attack.series import parse_range, series_periods
from ledinfo.api.attack.solver import intervals
from ledinfo.api.testing import ProtectionError, check_committee_protection
from ledinfo.model.period import Period

M = "2024-03"


def key(indicator: str, period: str = M, category: str = "", part: str = "value") -> Key:
    return Key(indicator, period, category, part)


def total_of(total: Key, *parts: Key) -> Equation:
    return Equation(((total, 1), *((part, -1) for part in parts)))


A, B, C, T = key("n", category="a"), key("n", category="b"), key("n", category="c"), key("n")
TRUTH = {A: 3, B: 9, C: 0, T: 12}


# --- the solver ---------------------------------------------------------------------------------------

def test_a_part_is_the_total_less_the_parts_shown():
    found = intervals({A}, [total_of(T, A, B, C)], {T: 12, B: 9, C: 0}, TRUTH, wide=5, cap=1000)
    assert (found[A].low, found[A].high) == (3, 3)


def test_a_small_part_narrows_its_hidden_partner():
    # a is "<5" (1..4), b hidden, their total 12 shown: b is 8..11, narrower than 5
    found = intervals({A, B}, [total_of(T, A, B, C)], {T: 12, C: 0}, TRUTH, bounds={A: (1, 4)}, wide=5, cap=1000)
    assert (found[B].low, found[B].high) == (8, 11) and found[B].exact
    assert found[A].width == 3  # no narrower than its label


def test_a_complement_narrowed_only_by_its_partner_s_small_label_is_no_finding():
    # 357 active cases shown (a deadline's denominator), 354 held by a caseworker hidden "–", 3 without one "<5":
    # the 354 is 353..356 — the "<5" read from the other side; read "<5" as "at least 1" and it is wide again
    from ledinfo.api.attack.judge import _Solver
    from ledinfo.api.attack.relations import Labels

    held, without, active = key("held"), key("without"), key("active")
    truth = {held: 354, without: 3, active: 357}
    relation = total_of(active, held, without)
    solver = _Solver([relation], truth, {}, 5, None, 1000, [])
    labels = Labels(bounds={without: (1, 4)}, small={without: (1, 4)})
    assert intervals({held}, [relation], {active: 357}, truth, bounds=labels.bounds, wide=5, cap=1000)[held].width == 3
    assert solver._only_by_labels({held}, [relation], {active: 357}, labels) == {held}
    # the "<5" itself is judged in full: never excused by this rule
    assert solver._only_by_labels({without}, [relation], {active: 357}, labels) == set()
    # narrowed by numbers shown, with no label: 354 + x = 356 and 354 - y = 352 give 352..356, a finding
    x, y, upper, lower = key("x"), key("y"), key("upper"), key("lower")
    truth |= {x: 2, y: 2, upper: 356, lower: 352}
    both = [total_of(upper, held, x), Equation(((held, 1), (y, -1), (lower, -1)))]
    shown = {upper: 356, lower: 352}
    assert intervals({held}, both, shown, truth, wide=5, cap=1000)[held].width == 4
    assert solver._only_by_labels({held}, both, shown, labels) == set()


def test_two_small_windows_a_small_month_apart_are_judged_against_the_labels_and_the_printed_zeros():
    # a 12-month window "fewer than 5" (2) and the next one "fewer than 5" (1): the month that left is a "<5",
    # the months that came are printed 0, so the later window is 1..3 — the labels' own consequence, no finding
    from ledinfo.api.attack.judge import _Solver
    from ledinfo.api.attack.numbers import FEW, Seen

    earlier, later, kept = key("w", "2024-03"), key("w", "2024-06"), key("m", "kept")
    left, came = key("m", "left"), key("m", "came")
    truth = {earlier: 2, later: 1, kept: 1, left: 1, came: 0}
    relations = [total_of(earlier, kept, left), total_of(later, kept, came)]
    seen = [Seen(earlier, "2024-03", None, "s", "w", FEW), Seen(later, "2024-06", None, "s", "w", FEW),
            Seen(kept, "2024-06", None, "s", "m", SMALL), Seen(left, "2024-06", None, "s", "m", SMALL),
            Seen(came, "2024-06", 0, "s", "m")]
    findings = _Solver(relations, truth, {}, 5, None, 1000, [])("series", seen, [])
    assert findings == []
    # the same with the new months printed 1 (no rule prints it): 1..3 is then learned from a shown number
    truth[came], seen[-1] = 1, Seen(came, "2024-06", 1, "s", "m")
    truth[later] = 2
    findings = _Solver(relations, truth, {}, 5, None, 1000, [])("series", seen, [])
    assert [f.key for f in findings] == [later]


def test_two_hidden_parts_of_a_hidden_total_are_wide():
    found = intervals({A, B, T}, [total_of(T, A, B, C)], {C: 0}, TRUTH, bounds={A: (1, 4)}, wide=5, cap=1000)
    assert found[B].width >= 5 and found[T].width >= 5


def test_a_count_shown_dash_is_0_or_at_least_the_threshold():
    # b "–" (0 or >= 5) and a "<5" add up to 6: b can only be 5, so a is 1
    truth = {A: 1, B: 5, C: 0, T: 6}
    found = intervals({A, B}, [total_of(T, A, B, C)], {T: 6, C: 0}, truth, bounds={A: (1, 4)}, dashes={B: 5},
                      wide=5, cap=1000)
    assert (found[B].low, found[B].high) == (5, 5) and (found[A].low, found[A].high) == (1, 1)
    without = intervals({A, B}, [total_of(T, A, B, C)], {T: 6, C: 0}, truth, bounds={A: (1, 4)}, wide=5, cap=1000)
    assert (without[B].low, without[B].high) == (2, 5)


def test_a_share_shown_ties_its_numerator_to_its_denominator():
    numerator, denominator, total = key("s", part="numerator"), key("s", part="denominator"), key("t")
    truth = {numerator: 2, denominator: 3, total: 3}
    ratio = Equation(((numerator, 3), (denominator, -2)))  # 66.7 % = 2/3
    found = intervals({numerator, denominator}, [ratio, total_of(total, denominator)], {total: 3}, truth, wide=5,
                      cap=1000)
    assert (found[numerator].low, found[numerator].high) == (2, 2)


# --- the catalogue of relations ------------------------------------------------------------------------

def months(first: str, last: str) -> list[str]:
    return [str(p) for p in series_periods(Period.parse(first), Period.parse(last)) if p.kind == "month"]


def test_a_flow_sums_its_months_and_a_state_is_its_last_month():
    flow = {key("events", m): v for m, v in zip(months("2024-01", "2024-03"), (4, 7, 2))}
    state = {key("placed", m): v for m, v in zip(months("2024-01", "2024-03"), (10, 11, 9))}
    truth = {**flow, **state, key("events", "2024-Q1"): 13, key("placed", "2024-Q1"): 9}
    adopted = {(e.pattern, e.terms[0][0].indicator) for e in discover(truth, {}).equations}
    assert ("span-sum", "events") in adopted and ("span-state", "placed") in adopted
    assert ("span-state", "events") not in adopted and ("span-sum", "placed") not in adopted


def test_a_chance_equality_is_no_relation_but_one_that_holds_for_many_values_is():
    periods = months("2023-01", "2023-12")
    items = [5, 8, 13, 7, 9, 11, 6, 10, 12, 8, 7, 9]
    judged = [v - (i % 2) for i, v in enumerate(items)]
    truth = {**{key("items", p): v for p, v in zip(periods, items)},
             **{key("rule", p, part="denominator"): v for p, v in zip(periods, judged)},
             **{key("rule", p, part="pending"): v - j for p, v, j in zip(periods, items, judged)},
             **{key("rule", p, part="numerator"): j for p, j in zip(periods, judged)},
             # equal to the items in two months only: chance
             **{key("other", p): v for p, v in zip(periods[:2], items[:2])}}
    texts = {str(e) for e in discover(truth, {"rule": "share"}).equations if e.pattern == "equal"}
    assert "items · 2023-05 = rule · 2023-05 (denominator) + rule · 2023-05 (pending)" in texts
    assert not any("other" in text for text in texts)


def test_a_relation_broken_in_one_municipality_is_adopted_in_none():
    periods = months("2023-01", "2023-12")
    a = [3, 5, 7, 9, 11, 13, 4, 6, 8, 10, 12, 14]
    same = {**{key("x", f"0|{p}"): v for p, v in zip(periods, a)}, **{key("y", f"0|{p}"): v for p, v in zip(periods, a)}}
    assert any(e.pattern == "equal" for e in discover(same, {}).equations)
    broken = {**same, **{key("x", f"1|{p}"): v for p, v in zip(periods, a)},
              **{key("y", f"1|{p}"): v + (p == periods[5]) for p, v in zip(periods, a)}}
    assert not any(e.pattern == "equal" for e in discover(broken, {}).equations)


# --- reading a pack, and a whole small attack --------------------------------------------------------

class Reports(Section):
    """Reports per month by kind, in a chart bound to its figures: the kinds are often below 5. ``declared``:
    the section declares that the kinds add up to the month (so the pack hides more beside a small one)."""

    name, title, description = "reports", "Reports", "Reports by kind."
    requires = ("notifications",)
    audiences = ("committee",)

    def __init__(self, declared: bool = True):
        self.declared = declared

    def compute(self, context):
        notes = context.extract["notifications"].with_columns(pl.col("received_at").dt.strftime("%Y-%m").alias("month"))
        result = SectionResult(self.name, self.title, labels={"reports": "Reports"})
        rows = []
        for month in [str(p) for p in context.period.trailing(3)]:
            in_month = notes.filter(pl.col("month") == month)
            result.figures.append(Figure("reports", in_month.height, unit="count", period=month))
            for kind in ("anonymous", "private", "professional"):
                count = in_month.filter(pl.col("reporter_type") == kind).height
                result.figures.append(Figure("reports", count, unit="count", period=month, category=kind))
                rows.append({"month": month, "kind": kind, "count": count, "team": None})
            if self.declared:
                result.relations.append(Relation(Ref("reports", period=month), tuple(
                    Ref("reports", period=month, category=kind) for kind in ("anonymous", "private", "professional"))))
        frame = pl.DataFrame(rows, schema={"month": pl.String, "kind": pl.String, "count": pl.Int64, "team": pl.String})
        result.charts.append(Chart("reports_by_month", "Reports by kind", "line", frame, x="month", y="count",
                                   color="kind", y_format="count", level=MUNICIPALITY, team_column=None,
                                   figure=FigureRef("reports", period_column="month", category_column="kind")))
        return result


def reports_series(declared: bool, periods: str = "2024-02,2024-03,2024-Q1"):
    registry = registry_for(Reports(declared))
    chosen = parse_range(periods)
    extract = demo_extract(registry, 0.1, 1, chosen[-1])
    return series_of(registry, extract, chosen, sections=("reports",), builtins=False)


def test_the_reader_takes_each_hidden_value_s_label_from_the_alt_text():
    pack = reports_series(True, "2024-03")[0]
    reading = read_pack(pack.data, pack.pdf, pack.content)
    assert reading.notes == []  # every value of the chart found in its alt text
    charted = [item for item in reading.seen if item.where == "chart reports_by_month"]
    assert len(charted) == 9
    labels = set()
    for item in charted:
        real = pack.truth[item.key]
        if item.hidden:
            assert item.label == (SMALL if 0 < real < 5 else DASH), item
            labels.add(item.label)
        else:
            assert item.value == real
    assert labels == {SMALL, DASH}  # "<5" for a small kind, "–" for the one hidden beside it


def test_an_undeclared_sum_gives_a_small_count_away(monkeypatch):
    # the core derives the kinds' sum from the numbers (docs/disclosure.md); switched off, as a core without it
    # would be, the attacker finds what the section left undeclared
    monkeypatch.setenv("LEDINFO_DERIVE_RELATIONS", "0")
    found = attack(reports_series(False))
    assert found.catalogue.get("categories")  # the kinds add up to the month: found in the numbers, not declared
    exact = [f for f in found.findings if f.kind == EXACT]
    assert exact and all(f.key.indicator == "reports" and f.key.category for f in exact)
    # what the attacker claims is the real number
    for finding in found.findings:
        assert finding.interval.low <= finding.value <= finding.interval.high


class FirstContact(Section):
    """Issue 23's third-party section, written from docs/plugins.md and the scaffold only: a share shown with
    its counts beside it ("12 % … (1 af 8)"), the other outcomes as counts, no relation declared."""

    name, title = "first_contact", "First contact after a notification"
    description = "Notifications with a first contact on the case within 7 days, later, or not yet."
    requires = ("notifications", "activities")
    audiences = ("committee", "director")

    def compute(self, context):
        period = context.period
        notes = context.extract["notifications"].filter(
            pl.col("received_at").dt.date().is_between(period.start, period.end) & pl.col("case_id").is_not_null())
        contacts = context.extract["activities"].filter(pl.col("date") <= period.end).select("case_id", "date")
        first = (notes.select("notification_id", "case_id", pl.col("received_at").dt.date().alias("received"))
                 .join(contacts, on="case_id", how="left")
                 .filter(pl.col("date").is_null() | (pl.col("date") >= pl.col("received")))
                 .group_by("notification_id").agg(pl.col("received").first(), pl.col("date").min().alias("first")))
        days = (first["first"] - first["received"]).dt.total_days()
        within, later, never = int((days <= 7).sum()), int((days > 7).sum()), int(first["first"].is_null().sum())
        result = SectionResult(self.name, self.title, headline=("contact_within_7_days",))
        result.figures += [Figure("contact_within_7_days", within / first.height if first.height else None, within,
                                  first.height),
                           Figure("contact_later", later, unit="count"), Figure("no_contact_yet", never, unit="count")]
        return result


def test_issue_23_s_third_party_section_is_protected_without_declaring_a_relation():
    """The section declares no relation; the core derives them from the numbers it publishes (docs/disclosure.md),
    so the kit's independent attacker should recover nothing from the series of its committee packs."""
    check_committee_protection(FirstContact(), builtins=False, packs="all", seed=1)


def test_with_the_core_s_derivation_switched_off_the_kit_fails_the_same_section(monkeypatch):
    """The core as it was before issue 23 (only declared relations): the kit finds what the section gives away."""
    monkeypatch.setenv("LEDINFO_DERIVE_RELATIONS", "0")
    with pytest.raises(ProtectionError) as caught:  # at scale 0.1 what it gives away is only 0s and 1-4s, as printed
        check_committee_protection(FirstContact(), builtins=False, packs="all", seed=1, scales=(0.2,))
    report = str(caught.value)
    # "no contact yet" hidden, but the notifications less those contacted are shown
    assert "sections under test: first_contact" in report and "every period" in report
    found = [line for line in report.splitlines() if line.strip().startswith((f"[{EXACT}]", f"[{NARROW}]"))]
    mine = ("no_contact_yet", "contact_later", "contact_within_7_days")
    assert found and all(any(name in line for name in mine) for line in found), report
