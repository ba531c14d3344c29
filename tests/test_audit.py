"""The exact audit of protection intervals (ledinfo.disclosure.audit) and the suppression it checks."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linprog

from ledinfo.disclosure.audit import Cell, Contradiction, Relation, Share, audit, protection_intervals, table_cells
from ledinfo.disclosure.suppression import protect

T = 5


def mask(shape, *hidden):
    m = np.zeros(shape, dtype=bool)
    for cell in hidden:
        m[cell] = True
    return m


def test_one_hidden_cell_of_a_2x2_table_is_recovered_by_subtraction():
    matrix = np.array([[7, 9], [6, 8]])
    cells, relations = table_cells(matrix, mask((3, 3), (0, 0)), T, name="t")
    assert protection_intervals(cells, relations, T) == {"t · 1 · 1": (7, 7)}
    [failure] = audit(cells, relations, T)
    assert failure.key == "t · 1 · 1" and failure.interval == (7, 7) and failure.threshold == T
    assert str(failure) == ('hidden "t · 1 · 1": a reader can tell it is 7 (width 0); '
                            "it needs a width of at least 5 (threshold 5)")


def test_a_hidden_rectangle_moves_as_far_as_its_smallest_cells_allow():
    # a, b / c, d hidden: a + x, b - x, c - x, d + x stay non-negative for -min(a, d) <= x <= min(b, c)
    matrix = np.array([[10, 12, 20], [8, 6, 15], [30, 25, 40]])
    cells, relations = table_cells(matrix, mask((4, 4), (0, 0), (0, 1), (1, 0), (1, 1)), T)
    assert protection_intervals(cells, relations, T) == {
        "1 · 1": (10 - 6, 10 + 8), "1 · 2": (12 - 8, 12 + 6), "2 · 1": (8 - 8, 8 + 6), "2 · 2": (6 - 6, 6 + 8)}
    assert audit(cells, relations, T) == []


def test_two_small_cells_in_a_rectangle_cap_their_complements_at_three():
    # [[20, 1], [1, 20]]: the "<5" cells can only rise to 4, so a moves in 17..20
    matrix = np.array([[20, 1], [1, 20]])
    cells, relations = table_cells(matrix, mask((3, 3), (0, 0), (0, 1), (1, 0), (1, 1)), T)
    assert protection_intervals(cells, relations, T) == {"1 · 1": (17, 20), "1 · 2": (1, 4), "2 · 1": (1, 4),
                                                         "2 · 2": (17, 20)}
    assert [(f.key, f.interval) for f in audit(cells, relations, T)] == [("1 · 1", (17, 20)), ("2 · 2", (17, 20))]


def test_a_hidden_month_of_a_year_with_its_total_is_recovered_exactly():
    months = [f"notifications · professional · 2026-{m:02}" for m in range(1, 13)]
    values = [12, 9, 2, 15, 11, 8, 10, 7, 13, 9, 14, 6]
    cells = [Cell.small(k, v, T) if v < T else Cell(k, v) for k, v in zip(months, values)]
    cells.append(Cell("notifications · professional · 2026", sum(values)))
    [failure] = audit(cells, [Relation("notifications · professional · 2026", tuple(months))], T)
    assert failure.key == "notifications · professional · 2026-03" and failure.interval == (2, 2)


def test_small_labels_are_what_a_reader_knows():
    # Two "<5" cells and their visible total 6: each is 2..4, narrower than the label's 1..4.
    cells = [Cell.small("a", 3, T), Cell.small("b", 3, T), Cell("total", 6)]
    relation = [Relation("total", ("a", "b"))]
    assert protection_intervals(cells, relation, T) == {"a": (2, 4), "b": (2, 4)}
    failures = audit(cells, relation, T)
    assert [f.interval for f in failures] == [(2, 4), (2, 4)]
    assert 'the "<5" labels by themselves leave it 1..4' in str(failures[0])
    # With total 5 the labels allow 1..4 for each: nothing learnt beyond "<5".
    assert audit([Cell.small("a", 1, T), Cell.small("b", 4, T), Cell("total", 5)], relation, T) == []
    # Two "<5" parts of a "<5" total are at most 3 however much is hidden: that much the labels say anyway.
    alone = [Cell.small("a", 1, T), Cell.small("b", 2, T), Cell.small("total", 3, T)]
    assert protection_intervals(alone, relation, T) == {"a": (1, 3), "b": (1, 3), "total": (2, 4)}
    assert audit(alone, relation, T) == []


def test_labels_that_pin_a_count_exactly_are_no_protection():
    """Four "<5" types under a "<5" total and a shown 0 are 1 each by their labels alone (the messy sample's
    placements ended, 2023-04, an attacker of round 12): what the labels leave is all a reader may learn — but never
    a count exactly, so the audit fails them, and the protection shows such counts "–"."""
    parts = ("a", "b", "c", "d", "zero")
    relation = [Relation("total", parts)]
    cells = [Cell.small(k, 1, T) for k in parts[:4]] + [Cell("zero", 0), Cell.small("total", 4, T)]
    assert {f.key: f.interval for f in audit(cells, relation, T)} == {**{k: (1, 1) for k in parts[:4]}, "total": (4, 4)}
    shown_as_dash = [Cell(k, 1, hidden=True) for k in parts[:4]] + [Cell("zero", 0), Cell("total", 4, hidden=True)]
    assert audit(shown_as_dash, relation, T) == []


def test_four_hidden_cells_can_give_themselves_away_through_their_labels():
    # protect's old line rule accepted this: every line has two hidden cells holding at least 5.
    cells, relations = table_cells(np.array([[3, 4], [6, 4]]), mask((3, 3), (0, 0), (0, 1), (1, 0), (1, 1)), T)
    assert {f.key: f.interval for f in audit(cells, relations, T)} == {
        "1 · 1": (3, 3), "1 · 2": (4, 4), "2 · 1": (6, 6), "2 · 2": (4, 4)}


def test_a_shown_share_with_a_shown_denominator_gives_its_numerator_away():
    placements = ["netvaerk", "plejefamilie", "opholdssted", "doegninstitution", "eget_vaerelse"]
    values = [3, 40, 12, 6, 2]
    cells = [Cell.small(k, v, T) if v < T else Cell(k, v) for k, v in zip(placements, values)]
    cells.append(Cell("placements", sum(values)))
    relations = [Relation("placements", tuple(placements))]
    assert audit(cells, relations, T) == []  # 3 and 2: each may be 1..4
    hidden = [Cell("plejefamilie", 40, True) if c.key == "plejefamilie" else c for c in cells]
    [failure] = audit(hidden, relations + [Share("plejefamilie", "placements")], T)
    assert failure.key == "plejefamilie" and failure.interval == (40, 40)


def test_whole_numbers_matter_where_a_share_has_coefficients():
    # n / d = 2 / 3 shown, d + m = 8 shown: d is 6 (n = 4) or 3 (n = 2); 0 is no share's denominator.
    cells = [Cell("n", 4, True), Cell("d", 6, True), Cell("m", 2, True), Cell("shown", 8)]
    relations = [Share("n", "d"), Relation("shown", ("d", "m"))]
    assert protection_intervals(cells, relations, 3) == {"n": (2, 4), "d": (3, 6), "m": (2, 5)}
    # The LP relaxation would let n reach 16/3 from 2: wide enough for a threshold of 3, which is wrong.
    relaxed = linprog([-1, 0, 0], A_eq=[[3, -2, 0], [0, 1, 1]], b_eq=[0, 8], bounds=[(0, None), (3, None), (0, None)],
                      method="highs")
    assert -relaxed.fun == pytest.approx(16 / 3)
    assert [(f.key, f.interval) for f in audit(cells, relations, 3)] == [("n", (2, 4))]


def test_an_unbounded_cell_is_wide_enough():
    cells = [Cell("a", 7, True), Cell("b", 2, True), Cell("total", 9, True)]
    assert protection_intervals(cells, [Relation("total", ("a", "b"))], T) == {"a": (0, None), "b": (0, None),
                                                                               "total": (0, None)}
    assert audit(cells, [Relation("total", ("a", "b"))], T) == []


def test_numbers_that_contradict_their_relations_are_their_own_failure():
    cells = [Cell("a", 7, True), Cell("b", 4), Cell("total", 12)]
    relations = [Relation("total", ("a", "b"))]
    [failure] = audit(cells, relations, T)
    assert failure.key is None and failure.interval is None
    assert str(failure) == 'the numbers contradict "total" = "a" + "b": 12 ≠ 7 + 4'
    with pytest.raises(Contradiction):
        protection_intervals(cells, relations, T)
    [misstated] = audit([Cell("a", 7, True, 1, 4)], [], T)
    assert str(misstated) == '"a" is stated to be 1..4, but is 7'


def test_a_constant_total_is_a_relation_too():
    assert [f.interval for f in audit([Cell("a", 6, True), Cell("b", 8)], [Relation(14, ("a", "b"))], T)] == [(6, 6)]


def test_mistakes_in_the_description_are_named():
    with pytest.raises(ValueError, match='no cell "c"'):
        audit([Cell("a", 1)], [Relation("a", ("c",))], T)
    with pytest.raises(ValueError, match='two cells are called "a"'):
        audit([Cell("a", 1), Cell("a", 2)], [], T)
    with pytest.raises(ValueError, match="is not a range of counts"):
        Cell("a", 1, True, 3, 2)


def test_a_broken_suppression_that_hides_one_cell_only_is_caught_and_named():
    matrix = np.array([[12, 3, 20], [9, 14, 7]])
    cells, relations = table_cells(matrix, mask((3, 4), (0, 1)), T, name="notifications",
                                   rows=["2026-01", "2026-02"], columns=["professional", "private", "anonymous"])
    [failure] = audit(cells, relations, T)
    assert failure.key == "notifications · 2026-01 · private" and failure.interval == (3, 3)
    assert protect(matrix, T)[0, 1] and audit(*table_cells(matrix, protect(matrix, T), T), T) == []


@pytest.mark.slow  # thousands of exact audits (MILP solves): 3 to 30 s
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrays(np.int64, st.tuples(st.integers(2, 6), st.integers(2, 12)),
              elements=st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 30])),
       st.integers(3, 6))
def test_protected_tables_pass_the_exact_audit(matrix, threshold):
    hidden = protect(matrix, threshold)
    cells, relations = table_cells(matrix, hidden, threshold)
    assert audit(cells, relations, threshold) == []
    assert not any(not c.hidden and 0 < c.value < threshold for c in cells)  # every small count hidden


def _by_milp(cells, relations, threshold):
    """The intervals computed apart from the audit's solver: scipy.optimize.milp, one programme per end, the same
    system written out again here (the audit keeps one HiGHS programme per component and changes its objective)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    names = [c.key for c in cells]
    known = {c.key: c for c in cells}
    rows, rhs = [], []
    for relation in relations:
        row = np.zeros(len(names))
        if isinstance(relation, Share):
            from fractions import Fraction
            ratio = Fraction(known[relation.numerator].value, known[relation.denominator].value)
            row[names.index(relation.numerator)] += ratio.denominator
            row[names.index(relation.denominator)] -= ratio.numerator
            rhs.append(0)
        else:
            for part in relation.parts:
                row[names.index(part)] += 1
            row[names.index(relation.total)] -= 1
            rhs.append(0)
        rows.append(row)
    low = [c.low if c.hidden else c.value for c in cells]
    high = [(np.inf if c.high is None else c.high) if c.hidden else c.value for c in cells]
    for share in (r for r in relations if isinstance(r, Share)):
        i = names.index(share.denominator)
        low[i] = max(low[i], threshold) if known[share.denominator].hidden else low[i]
    found = {}
    for i, cell in enumerate(cells):
        if not cell.hidden:
            continue
        objective = np.zeros(len(names))
        objective[i] = 1
        ends = []
        for sign in (1, -1):
            result = milp(sign * objective, constraints=[LinearConstraint(np.array(rows), rhs, rhs)],
                          integrality=np.ones(len(names)), bounds=Bounds(low, high), options={"mip_rel_gap": 0})
            ends.append(round(result.x[i]) if result.status == 0 else None)
        found[cell.key] = (ends[0], ends[1])
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arrays(np.int64, st.tuples(st.integers(2, 3), st.integers(2, 4)), elements=st.integers(0, 9)),
       st.data())
def test_the_audits_solver_agrees_with_milp_solving_each_end_apart(matrix, data):
    """The audit's own HiGHS programmes (one per component, the objective changed per end) give the intervals
    scipy.optimize.milp gives solving every end from scratch: tables with random cells hidden, some with a share
    of one row's first cell in its total shown, some with a cell whose maximum is unbounded."""
    shape = (matrix.shape[0] + 1, matrix.shape[1] + 1)
    hidden = data.draw(arrays(bool, shape))
    cells, relations = table_cells(matrix, hidden, T)
    if data.draw(st.booleans()) and matrix[0].sum() > T:  # a share shown: the first cell of its row's total
        relations.append(Share(cells[0].key, cells[matrix.shape[1]].key))
    if data.draw(st.booleans()):  # a cell in no relation, hidden as a complement: its maximum is unbounded
        cells.append(Cell("free", 3, True))
    assert protection_intervals(cells, relations, T) == _by_milp(cells, relations, T)


def test_the_solver_is_asked_only_what_is_not_known_already(monkeypatch):
    """What is known without the solver is not asked of it (most of a small municipality's committee pack's solver
    runs were such): a cell in no relation takes its stated range; the cells of one sum (coefficients 1 and -1)
    are worked out directly; a "<5" count of 1 is its own least. The intervals are the solver's."""
    import ledinfo.disclosure.audit as audit_module

    asked = []
    extreme = audit_module._Programme.extreme
    monkeypatch.setattr(audit_module._Programme, "extreme",
                        lambda self, index, sense: asked.append((index, sense == audit_module.highs.ObjSense.kMinimize))
                        or extreme(self, index, sense))
    lone = [Cell("lone", 3, True), Cell.small("lone small", 2, T)]
    one_sum = [Cell.small("one", 1, T), Cell("rest", 6, True), Cell("total", 7)]
    assert protection_intervals(lone + one_sum, [Relation("total", ("one", "rest"))], T) == {
        "lone": (0, None), "lone small": (1, 4), "one": (1, 4), "rest": (3, 6)}
    assert asked == []  # 8 runs before
    two_sums = [Cell.small("a", 1, T), Cell("b", 6, True), Cell("c", 7, True), Cell("d", 2), Cell("total", 9)]
    relations = [Relation("total", ("c", "d")), Relation("c", ("a", "b"))]
    assert protection_intervals(two_sums, relations, T) == {"a": (1, 4), "b": (3, 6), "c": (7, 7)}
    assert (0, True) not in asked  # "a" is 1, its least: its greatest only (both before)
