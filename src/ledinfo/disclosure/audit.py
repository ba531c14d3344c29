"""Audit of protection intervals: can a reader of a committee pack work out a hidden count?

A pack shows some numbers and hides others; the relations between them (parts
and their total, 12 months and the year, a share's numerator and denominator)
and the fact that counts are non-negative whole numbers are public. For every
hidden cell the *protection interval* is the range of values it can take
under all of that. ``audit`` proves that each interval is wide enough
(domain.md, "Committee rules").

Exactness. Counts are whole numbers, so each end of an interval is a
mixed-integer linear programme (HiGHS, relative gap 0), not its LP relaxation: with shares (coefficients other than ±1) the
relaxation can be wider than the integer truth and would pass a table that
leaks. (For a plain 2-D table with totals the matrix is totally unimodular and
the two agree, but the audit does not rely on it.) Every finite end reported
is the value of an integer solution that is checked again in exact integer
arithmetic, so a reported interval is never wider than the true one: a pass
does not depend on trusting the solver's tolerances. An unbounded upper end is
confirmed by the LP relaxation being unbounded, which for integer data and a
feasible integer point means the integer programme is unbounded (Meyer 1974).
Relations that share no hidden cell are solved separately (smaller problems). Where the answer is known
without the solver, it is worked out exactly instead: a cell in no relation takes its stated range; a cell equal
to another (or to it plus a shown number) is put in for it; sums with coefficients 1 and -1 that form a tree
give each cell the range its bounds and each of its sums leave it (:func:`_substituted`). The widths the audit
asks are the same either way: it compares only intervals narrower than asked, and those are exact on both paths.

The solver. HiGHS through its own Python binding as SciPy ships it (``scipy.optimize._highspy._core``, the binding
of the ``highspy`` package; loaded by :mod:`ledinfo.disclosure.highs` without the rest of SciPy): each component's
programme is passed to HiGHS once, and each cell's minimum and maximum asked by changing only the objective.
``scipy.optimize.milp`` builds, checks and passes the whole programme again for every end: of a committee pack's
~1,700 solves, its Python wrapper cost about three times HiGHS's own solving (profiled 2026-12-07: 25.5 s wrapper
against 8.6 s solving in the suite's longest test). The package ``highspy`` itself prints HiGHS's banner on the
process's stdout when its solver object is made, before any option can be set, and cron mails what a job prints;
SciPy's copy of the binding does not. The audit's answers do not depend on the solver's path (module docstring
above: every end is verified, and a width is proven by solutions found), so the kit's attacker, which solves with
``milp`` independently (:mod:`ledinfo.api.attack.solver`), checks it from outside.

Conventions, for the caller who turns a pack into cells and relations:

- A cell's ``low``/``high`` are what the pack itself states about it. A count
  shown as "<5" is ``Cell.small`` (1..threshold-1). A cell hidden as a
  complement is 0..unbounded, unless the pack never hides a zero (then 1..).
- Width required: ``threshold``, or, where the "<5" labels by themselves
  already narrow the cell more (the interval with every cell of the pack
  hidden), that width: the visible numbers may teach a reader nothing beyond
  the labels. Literally "max - min >= threshold" can never hold for a cell
  shown as "<5" (1..4 is 3 wide), and two "<5" parts of a "<5" total are at
  most 3 each whatever else is hidden.
- ``Share(numerator, denominator)``: a share shown, taken as exact, and its
  denominator at least ``threshold`` (a smaller one is never shown). A rounded
  percentage tells a reader less, so treating it as exact is on the safe side.
  No special case is needed for a share whose denominator is shown: the
  relation then fixes the numerator, and the audit reports it recovered.
- The reader is not assumed to know how the hidden cells were chosen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np

from ledinfo.disclosure.highs import binding

highs = binding()  # HiGHS's binding (see "The solver" above), without scipy.optimize's half a second of imports


@dataclass(frozen=True)
class Cell:
    """A number of the pack: ``key`` names it in messages ("notifications · professional · 2026-03")."""

    key: str
    value: int
    hidden: bool = False
    low: int = 0  # what the pack states about the cell (see module docstring)
    high: int | None = None

    def __post_init__(self):
        if self.low < 0 or (self.high is not None and self.high < self.low):
            raise ValueError(f'cell "{self.key}": the stated range {self.low}..{self.high} is not a range of counts')

    @classmethod
    def small(cls, key: str, value: int, threshold: int) -> Cell:
        """A count shown as "<threshold": hidden, and known to lie in 1..threshold-1."""
        return cls(key, value, True, 1, threshold - 1)


@dataclass(frozen=True)
class Relation:
    """``total`` = the sum of ``parts``; ``total`` is a cell key, or a number shown that is not itself a cell."""

    total: str | int
    parts: tuple[str, ...]

    def __str__(self) -> str:
        total = f'"{self.total}"' if isinstance(self.total, str) else str(self.total)
        return f"{total} = " + " + ".join(f'"{part}"' for part in self.parts)


@dataclass(frozen=True)
class Share:
    """A share shown: numerator / denominator, taken as exact (see module docstring)."""

    numerator: str
    denominator: str

    def __str__(self) -> str:
        return f'share "{self.numerator}" / "{self.denominator}"'


@dataclass(frozen=True)
class Failure:
    """One reason the pack may not be written. ``interval`` is None when the numbers contradict each other."""

    key: str | None
    interval: tuple[int, int | None] | None
    threshold: int
    message: str

    def __str__(self) -> str:
        return self.message


class Contradiction(ValueError):
    """The numbers break a relation or a stated range, so no interval can be computed."""

    def __init__(self, failures: list[Failure]):
        super().__init__("; ".join(str(f) for f in failures))
        self.failures = failures


@dataclass(frozen=True)
class _Equation:
    """sum(coefficient * cell) = rhs, from a relation (``origin``)."""

    coefficients: dict[str, int]
    rhs: int
    origin: Relation | Share


def _equations(cells: dict[str, Cell], relations: Iterable[Relation | Share]) -> list[_Equation]:
    equations = []
    for relation in relations:
        if isinstance(relation, Share):
            names = (relation.numerator, relation.denominator)
        else:
            names = relation.parts + ((relation.total,) if isinstance(relation.total, str) else ())
        unknown = [name for name in names if name not in cells]
        if unknown:
            raise ValueError(f'{relation}: no cell "{unknown[0]}"')
        if isinstance(relation, Share):
            n, d = cells[relation.numerator].value, cells[relation.denominator].value
            if d <= 0:
                raise ValueError(f"{relation}: a share of {d} is never shown")
            ratio = Fraction(n, d)  # b*n - a*d = 0 for the shown share a/b in lowest terms
            coefficients = {relation.numerator: ratio.denominator}
            coefficients[relation.denominator] = coefficients.get(relation.denominator, 0) - ratio.numerator
            equations.append(_Equation(coefficients, 0, relation))
            continue
        coefficients: dict[str, int] = {}
        for part in relation.parts:
            coefficients[part] = coefficients.get(part, 0) + 1
        rhs = 0
        if isinstance(relation.total, str):
            coefficients[relation.total] = coefficients.get(relation.total, 0) - 1
        else:
            rhs = relation.total
        equations.append(_Equation(coefficients, rhs, relation))
    return equations


def _contradictions(cells: dict[str, Cell], equations: list[_Equation], threshold: int) -> list[Failure]:
    """The pack's own numbers, checked exactly against its relations and stated ranges."""
    failures = []
    for cell in cells.values():
        if cell.value < cell.low or (cell.high is not None and cell.value > cell.high):
            stated = f"{cell.low}..{cell.high}" if cell.high is not None else f"at least {cell.low}"
            failures.append(Failure(cell.key, None, threshold,
                                    f'"{cell.key}" is stated to be {stated}, but is {cell.value}'))
    for equation in equations:
        if sum(c * cells[k].value for k, c in equation.coefficients.items()) != equation.rhs:
            origin = equation.origin
            if isinstance(origin, Share):
                detail = f"{cells[origin.numerator].value} / {cells[origin.denominator].value}"
            else:
                total = cells[origin.total].value if isinstance(origin.total, str) else origin.total
                detail = f"{total} ≠ " + " + ".join(str(cells[p].value) for p in origin.parts)
            failures.append(Failure(None, None, threshold, f"the numbers contradict {origin}: {detail}"))
    return failures


def _components(hidden: list[str], equations: list[tuple[dict[str, int], int]]) -> list[list[str]]:
    """Hidden cells grouped so that no equation spans two groups (union-find)."""
    parent = {key: key for key in hidden}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for coefficients, _ in equations:
        keys = list(coefficients)
        for other in keys[1:]:
            parent[root(other)] = root(keys[0])
    groups: dict[str, list[str]] = {}
    for key in hidden:
        groups.setdefault(root(key), []).append(key)
    return list(groups.values())


class _Programme:
    """The integer programme of one component (``a x = b``, ``low <= x <= high``, ``x`` whole), passed to HiGHS
    once; :meth:`extreme` asks for the least or the greatest value of one cell."""

    def __init__(self, a: np.ndarray, b: np.ndarray, low: np.ndarray, high: np.ndarray):
        self.a, self.b, self.low, self.high = a, b, low, high
        n = a.shape[1]
        lp = highs.HighsLp()
        lp.num_col_, lp.num_row_ = n, a.shape[0]
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_, lp.col_upper_ = low, np.where(np.isinf(high), highs.kHighsInf, high)
        lp.row_lower_ = lp.row_upper_ = b.astype(float)
        matrix = lp.a_matrix_
        matrix.num_col_, matrix.num_row_, matrix.format_ = n, a.shape[0], highs.MatrixFormat.kColwise
        columns, rows = np.nonzero(a.T)  # column by column: the matrix's compressed columns
        matrix.start_ = np.searchsorted(columns, np.arange(n + 1)).astype(np.int32)
        matrix.index_ = rows.astype(np.int32)
        matrix.value_ = a.T[columns, rows].astype(float)
        lp.integrality_ = [highs.HighsVarType.kInteger] * n
        self.solver = highs._Highs()
        self.solver.setOptionValue("output_flag", False)  # before any other call: HiGHS logs from its first
        self.solver.setOptionValue("mip_rel_gap", 0.0)
        self._check(self.solver.passModel(lp), "passing the programme")
        self.everything = np.arange(n, dtype=np.int32)

    def _check(self, status, what: str) -> None:
        if status == highs.HighsStatus.kError:
            raise RuntimeError(f"the solver failed {what}")

    def _objective(self, index: int, sense) -> None:
        """Cell ``index`` alone in the objective, least or greatest (``sense``)."""
        cost = np.zeros(len(self.everything))
        cost[index] = 1.0
        self._check(self.solver.changeColsCost(len(cost), self.everything, cost), "setting the objective")
        self._check(self.solver.changeObjectiveSense(sense), "setting the objective's sense")

    def extreme(self, index: int, sense) -> np.ndarray | None:
        """A whole-number solution at which cell ``index`` is least (``highs.ObjSense.kMinimize``) or greatest,
        checked in exact integer arithmetic; None when no such end exists."""
        self._objective(index, sense)
        self._check(self.solver.run(), "solving")
        if self.solver.getModelStatus() != highs.HighsModelStatus.kOptimal:
            return None
        x = np.asarray(self.solver.getSolution().col_value)
        solution = np.rint(x).astype(np.int64)
        ok = (np.abs(x - solution) <= 1e-6).all() and (self.a @ solution == self.b).all() \
            and (solution >= self.low).all() and (solution <= self.high).all()
        if not ok:
            raise RuntimeError("the solver's answer does not check out in whole numbers")
        return solution

    def relaxation_unbounded(self, index: int) -> bool:
        """Whether the LP relaxation of maximising cell ``index`` is unbounded, which for integer data and a
        feasible integer point means the integer programme is unbounded too (Meyer 1974)."""
        n = len(self.everything)
        self.solver.changeColsIntegrality(n, self.everything, np.zeros(n, dtype=np.uint8))  # kContinuous
        try:
            self._objective(index, highs.ObjSense.kMaximize)
            self._check(self.solver.run(), "solving the relaxation")
            return self.solver.getModelStatus() == highs.HighsModelStatus.kUnbounded
        finally:
            self.solver.changeColsIntegrality(n, self.everything, np.ones(n, dtype=np.uint8))  # kInteger


def _solve_component(keys: list[str], cells: dict[str, Cell], equations: list[tuple[dict[str, int], int]],
                     need: dict[str, int] | None = None) -> dict[str, tuple[int, int | None]]:
    """The protection interval of each of ``keys``, two integer programmes per cell.

    With ``need`` (the audit), only its cells are solved, and a cell whose width
    is already shown by integer solutions found on the way (the true values, and
    each solver's answer) is not solved again: that width is proven, which is all
    the audit asks. Its interval is then the range seen so far, inside the true one.
    """
    index = {key: i for i, key in enumerate(keys)}
    mine = [(c, rhs) for c, rhs in equations if next(iter(c)) in index]
    a = np.zeros((len(mine), len(keys)), dtype=np.int64)
    b = np.array([rhs for _, rhs in mine], dtype=np.int64)
    for row, (coefficients, _) in enumerate(mine):
        for key, coefficient in coefficients.items():
            a[row, index[key]] = coefficient
    low = np.array([cells[k].low for k in keys], dtype=float)
    high = np.array([np.inf if cells[k].high is None else cells[k].high for k in keys], dtype=float)
    direct = _substituted(keys, mine, low, high)
    if direct is not None:
        return {key: interval for key, interval in direct.items() if need is None or key in need}
    programme = None  # passed to the solver when the first cell needs it

    truth = np.array([cells[k].value for k in keys], dtype=np.int64)
    seen_low, seen_high = truth.copy(), truth.copy()  # the range each cell takes in solutions found so far

    def seen(solution: np.ndarray) -> None:
        np.minimum(seen_low, solution, out=seen_low)
        np.maximum(seen_high, solution, out=seen_high)

    def moved(i: int, value: float) -> np.ndarray:  # the true values with cell i alone changed
        solution = truth.copy()
        solution[i] = int(value)
        return solution

    intervals: dict[str, tuple[int, int | None]] = {}
    for key, i in index.items():
        if need is not None and (key not in need or seen_high[i] - seen_low[i] >= need[key]):
            if key in need:
                intervals[key] = (int(seen_low[i]), int(seen_high[i]))
            continue
        # No programme where the answer is known: a solution already seen at the cell's bound (a "<5" count of 1) is
        # its least (greatest); a cell in no equation (a component of its own) takes any value of its stated range.
        # Half of a small municipality's committee pack's solver runs were such (Læsø: 4,741 of 8,155). The
        # intervals asked are exact either way: the solutions seen only prove widths, whichever they are.
        alone = not a[:, i].any()
        if alone:
            seen(moved(i, low[i]))
        elif seen_low[i] > low[i]:
            programme = programme or _Programme(a, b, low, high)
            lowest = programme.extreme(i, highs.ObjSense.kMinimize)
            if lowest is None:
                raise RuntimeError(f'the solver found no minimum for "{key}": '
                                   f"{programme.solver.modelStatusToString(programme.solver.getModelStatus())}")
            seen(lowest)
        if need is not None and seen_high[i] - seen_low[i] >= need[key]:
            intervals[key] = (int(seen_low[i]), int(seen_high[i]))
            continue
        if alone and not np.isinf(high[i]):
            seen(moved(i, high[i]))
        if seen_high[i] == high[i]:
            intervals[key] = (int(seen_low[i]), int(seen_high[i]))
            continue
        if alone:  # no stated upper bound, no equation
            intervals[key] = (int(seen_low[i]), None)
            continue
        programme = programme or _Programme(a, b, low, high)
        highest = programme.extreme(i, highs.ObjSense.kMaximize)
        if highest is not None:
            seen(highest)
            intervals[key] = (int(seen_low[i]), int(seen_high[i]))
            continue
        status = programme.solver.modelStatusToString(programme.solver.getModelStatus())
        if not programme.relaxation_unbounded(i):
            raise RuntimeError(f'the solver found no maximum for "{key}": {status}')
        intervals[key] = (int(seen_low[i]), None)
    return intervals


def _substituted(keys: list[str], equations: list[tuple[dict[str, int], int]], low: np.ndarray,
                 high: np.ndarray) -> dict[str, tuple[int, int | None]] | None:
    """The exact intervals of a component without the solver, where substitution leaves a tree of sums: each
    equation of two cells with coefficients 1 or -1 (a cell equal to another, or to another less a shown number: a
    share's numerator and the count it is) makes one of them the other plus a number, put in for it everywhere, its
    range narrowing the other's; an equation left with one cell fixes it. What is left is no equation (each cell
    takes its range) or sums of cells with coefficients 1 and -1 that form a tree (:func:`_tree_of_sums`); a cell
    put in for takes the values of its cell, moved by its number. Exact: each step keeps the whole-number
    solutions, written in fewer cells. None: something else is left, for the solver. Most of a small
    municipality's committee pack's solver runs were such components (Læsø: 1,514 of 2,607 — a placement group,
    the share's numerator that is it, the share's denominator its sum with the other group; then 740 of the 1,093
    left, a tree of sums)."""
    bounds = {key: (int(low[i]), None if np.isinf(high[i]) else int(high[i])) for i, key in enumerate(keys)}
    left = [(dict(coefficients), int(rhs)) for coefficients, rhs in equations]
    put_in: list[tuple[str, int, int, str]] = []  # (x, c, s, y): x = c + s * y, in the order put in

    def narrow(key: str, least: int | None, most: int | None) -> None:
        lo, hi = bounds[key]
        bounds[key] = (lo if least is None else max(lo, least),
                       most if hi is None else hi if most is None else min(hi, most))

    def step() -> bool:  # one equation used up; False: none left that substitution handles
        for n, (coefficients, rhs) in enumerate(left):
            units = all(k in (1, -1) for k in coefficients.values())
            if len(coefficients) == 0:  # 0 = rhs: rhs is 0 for numbers that keep their relations (checked first)
                del left[n]
                return True
            if len(coefficients) == 1 and units:
                (y, k), = coefficients.items()
                narrow(y, k * rhs, k * rhs)  # k * y = rhs, k 1 or -1
                del left[n]
                return True
            if len(coefficients) == 2 and units:
                (x, ax), (y, ay) = coefficients.items()
                c, s = ax * rhs, -ax * ay  # ax * x + ay * y = rhs: x = c + s * y
                lo, hi = bounds[x]
                if s == 1:  # y = x - c
                    narrow(y, lo - c, None if hi is None else hi - c)
                else:  # y = c - x
                    narrow(y, None if hi is None else c - hi, c - lo)
                del left[n]
                for m, (other, other_rhs) in enumerate(left):
                    if x in other:
                        k = other.pop(x)
                        other[y] = other.get(y, 0) + k * s
                        if other[y] == 0:
                            del other[y]
                        left[m] = (other, other_rhs - k * c)
                put_in.append((x, c, s, y))
                return True
        return False

    while step():
        pass
    sums = _tree_of_sums(left, bounds)
    if sums is None:
        return None
    found = {key: bounds[key] for key in keys}
    found.update(sums)
    for x, c, s, y in reversed(put_in):
        lo, hi = found[y]
        found[x] = (c + lo, None if hi is None else c + hi) if s == 1 else (c - hi, c - lo)  # hi: c - x's least
    return found


def _tree_of_sums(equations: list[tuple[dict[str, int], int]],
                  bounds: dict[str, tuple[int, int | None]]) -> dict[str, tuple[int, int | None]] | None:
    """The exact intervals of the cells of ``equations`` without the solver, where every coefficient is 1 or -1
    and the sums form a tree (a forest): no two sums share two cells, nor close a loop through others — a total and
    its parts, a part the total of a breakdown of its own (the notifications, the professionals' of them, the
    24-hour rule's judged and pending of each). None: they do not (the solver decides).

    Each cell ``x`` of a sum takes from it the values the sum leaves it when the sum's other cells take every value
    they can take, each on its own side of the tree (its bounds and its other sums, but not this one); on a tree
    those sides share no cell, so each cell's values are a range of whole numbers (a sum of such ranges is one),
    and a cell takes exactly those values its bounds and each of its sums leave it. ``bounds``: each cell's stated
    range (high None: unbounded)."""
    if any(k not in (1, -1) for coefficients, _ in equations for k in coefficients.values()):
        return None
    on: dict[str, list[int]] = {}
    for n, (coefficients, _) in enumerate(equations):
        for key in coefficients:
            on.setdefault(key, []).append(n)
    # a forest has one edge fewer than its nodes in each of its trees (cells and sums the nodes, a cell in a sum
    # an edge): counted through a union of each sum with its cells
    parent = {("sum", n): ("sum", n) for n in range(len(equations))} | {key: key for key in on}

    def root(node):
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for n, (coefficients, _) in enumerate(equations):
        for key in coefficients:
            a, b = root(("sum", n)), root(key)
            if a == b:
                return None  # a loop
            parent[a] = b
    limits = {key: (float(low), np.inf if high is None else float(high)) for key, (low, high) in bounds.items()}
    leaves: dict[tuple[int, str], tuple[float, float]] = {}

    def left_by(n: int, x: str) -> tuple[float, float]:  # the values sum n leaves x, its other cells on their sides
        if (n, x) not in leaves:
            coefficients, rhs = equations[n]
            least = most = 0.0  # the signed sum of the other cells
            for y, k in coefficients.items():
                if y != x:
                    low, high = side(y, n)
                    least, most = (least + low, most + high) if k > 0 else (least - high, most - low)
            leaves[(n, x)] = (rhs - most, rhs - least) if coefficients[x] > 0 else (least - rhs, most - rhs)
        return leaves[(n, x)]

    def side(y: str, but: int | None) -> tuple[float, float]:  # y's values by its bounds and sums other than ``but``
        low, high = limits[y]
        for n in on[y]:
            if n != but:
                least, most = left_by(n, y)
                low, high = max(low, least), min(high, most)
        return low, high

    return {key: (int(low), None if np.isinf(high) else int(high))
            for key, (low, high) in ((key, side(key, None)) for key in on)}


def _prepare(cells: Sequence[Cell], relations: Iterable[Relation | Share],
             threshold: int) -> tuple[dict[str, Cell], list[_Equation]]:
    if threshold < 1:
        raise ValueError(f"the threshold must be at least 1, not {threshold}")
    by_key: dict[str, Cell] = {}
    for cell in cells:
        if cell.key in by_key:
            raise ValueError(f'two cells are called "{cell.key}"')
        by_key[cell.key] = cell
    relations = list(relations)
    equations = _equations(by_key, relations)
    for share in (r for r in relations if isinstance(r, Share)):
        # A share is shown only on a denominator of at least the threshold (domain.md), so a reader knows that much.
        denominator = by_key[share.denominator]
        by_key[share.denominator] = replace(denominator, low=max(denominator.low, threshold))
    return by_key, equations


def _intervals(by_key: dict[str, Cell], equations: list[_Equation],
               need: dict[str, int] | None = None) -> dict[str, tuple[int, int | None]]:
    # Visible cells are numbers: move them to the right-hand side.
    reduced = []
    for equation in equations:
        rhs = equation.rhs - sum(c * by_key[k].value for k, c in equation.coefficients.items() if not by_key[k].hidden)
        coefficients = {k: c for k, c in equation.coefficients.items() if by_key[k].hidden and c != 0}
        if coefficients:
            reduced.append((coefficients, rhs))
    hidden = [key for key, cell in by_key.items() if cell.hidden]
    intervals: dict[str, tuple[int, int | None]] = {}
    for group in _components(hidden, reduced):
        if need is not None and not any(key in need for key in group):
            continue
        intervals.update(_solve_component(group, by_key, reduced, need))
    return {key: intervals[key] for key in hidden if need is None or key in need}


def protection_intervals(cells: Sequence[Cell], relations: Iterable[Relation | Share],
                         threshold: int) -> dict[str, tuple[int, int | None]]:
    """(lowest, highest) value a reader can find consistent for each hidden cell; highest None = unbounded.

    Raises :class:`Contradiction` when the cells' own values break a relation or a stated range.
    """
    by_key, equations = _prepare(cells, relations, threshold)
    failures = _contradictions(by_key, equations, threshold)
    if failures:
        raise Contradiction(failures)
    return _intervals(by_key, equations)


def tells_no_more_than_the_rules(value: int, low: int, high: int, threshold: int) -> bool:
    """Whether a hidden count a reader narrows to ``low..high`` gives away nothing the rules would not print.

    Two cases (domain.md, "Committee rules": a count of 1 to threshold-1 is shown "<5"; 0 is shown):

    - its value is 0: the rules print a 0, so a reader who works out that a hidden number is 0 (a breakdown's
      part when its total is a shown 0) learns what any pack may say. Other numbers' ranges are unaffected:
      the audit finds them with that 0 already implied.
    - its range holds every value from 1 to threshold-1 (0..4, 1..4): a reader learns no more than a "<5"
      label says, which is what the rules print for a small count.
    """
    return value == 0 or (low <= 1 and high >= threshold - 1)


def audit(cells: Sequence[Cell], relations: Iterable[Relation | Share], threshold: int,
          alone: dict[str, tuple[int, int | None]] | None = None,
          known: Iterable[Relation] | None = None) -> list[Failure]:
    """Every hidden cell whose protection interval is too narrow, or the contradictions; [] when the pack is safe.

    A hidden cell needs a width of ``threshold``, or, where the "<5" labels by
    themselves already narrow it more (with every number of the pack hidden),
    the width they leave: the visible numbers may teach a reader nothing more.
    A cell narrowed only as far as the rules would print it anyway (a 0; a
    range holding all of 1..threshold-1) passes: :func:`tells_no_more_than_the_rules`.

    ``alone`` caches those label-only intervals for a caller that audits one
    table again and again with more cells hidden (ledinfo.disclosure.suppression): pass the
    same dict each time. (A rough range of it is kept, enough for the audit.)

    ``known``: the relations a reader surely knows, for the label-only intervals (default: every relation between
    cells). A relation that holds in the numbers but may hold by chance narrows what the labels alone seem to
    leave, and so what the audit asks: it may tighten the protection, never loosen it.
    """
    by_key, equations = _prepare(cells, relations, threshold)
    failures = _contradictions(by_key, equations, threshold)
    if failures:
        return failures
    hidden = {key: threshold for key, cell in by_key.items() if cell.hidden}
    narrow = {key: (low, high) for key, (low, high) in _intervals(by_key, equations, hidden).items()
              if high is not None and high - low < threshold}
    if not narrow:
        return []
    # What the labels and the relations between cells tell by themselves: every cell
    # hidden, no share and no number outside the cells shown.
    everything_hidden = {cell.key: replace(cell, hidden=True) for cell in cells}  # as given: no share shown
    sure = None if known is None else set(known)
    between_cells = [e for e in equations if isinstance(e.origin, Relation) and isinstance(e.origin.total, str)
                     and (sure is None or e.origin in sure)]
    alone = {} if alone is None else alone
    missing = {key: threshold for key in narrow if key not in alone}
    if missing:
        alone.update(_intervals(everything_hidden, between_cells, missing))
    for key, (low, high) in narrow.items():
        least, most = alone[key]
        needed = threshold if most is None else min(threshold, most - least)
        # what the labels leave is all a reader may learn, but never a count exactly: four "<5" types under a "<5"
        # total and one 0 are 1 each by their labels alone (round 12's attacker); a label that tells that much is
        # no "<5" (the protection then shows such a count "–")
        needed = max(needed, 1) if by_key[key].value > 0 else needed
        if high - low >= needed or tells_no_more_than_the_rules(by_key[key].value, low, high, threshold):
            continue
        exact = f"is {low}" if low == high else f"lies in {low}..{high}"
        why = f"threshold {threshold}" if needed == threshold else \
            f'threshold {threshold}; the "<{threshold}" labels by themselves leave it {least}..{most}'
        failures.append(Failure(key, (low, high), threshold,
                                f'hidden "{key}": a reader can tell it {exact} (width {high - low}); '
                                f"it needs a width of at least {needed} ({why})"))
    return failures


def table_cells(matrix, hidden, threshold: int, name: str = "", rows: Sequence[str] | None = None,
                columns: Sequence[str] | None = None, row_totals: bool = True,
                column_totals: bool = True) -> tuple[list[Cell], list[Relation]]:
    """A 2-D table of counts with the mask of :func:`ledinfo.disclosure.suppression.protect`, as cells and relations.

    ``hidden`` has the shape ``protect`` returns (an extra column of row totals, an
    extra row of column totals). A hidden count from 1 to threshold-1 is shown as
    "<threshold" (1..threshold-1); any other hidden cell is a complement, which
    may be 0 because ``protect`` hides zeros as complements.
    """
    values = np.asarray(matrix, dtype=np.int64)
    n_rows, n_cols = values.shape
    rows = list(rows) if rows is not None else [str(r + 1) for r in range(n_rows)]
    columns = list(columns) if columns is not None else [str(c + 1) for c in range(n_cols)]
    full = np.zeros((n_rows + column_totals, n_cols + row_totals), dtype=np.int64)
    full[:n_rows, :n_cols] = values
    if row_totals:
        full[:n_rows, n_cols] = values.sum(axis=1)
    if column_totals:
        full[n_rows, :n_cols] = values.sum(axis=0)
    if row_totals and column_totals:
        full[n_rows, n_cols] = values.sum()
    mask = np.asarray(hidden, dtype=bool)
    if mask.shape != full.shape:
        raise ValueError(f"the hidden mask is {mask.shape}, the table with its totals {full.shape}")
    row_names = rows + ["total"] * column_totals
    column_names = columns + ["total"] * row_totals
    prefix = f"{name} · " if name else ""

    def key(r: int, c: int) -> str:
        return f"{prefix}{row_names[r]} · {column_names[c]}"

    cells = []
    whole = bool(mask.all())  # a table hidden whole is "–" throughout: its "<5" labels alone could pin a count
    for r in range(full.shape[0]):
        for c in range(full.shape[1]):
            value = int(full[r, c])
            if mask[r, c] and 0 < value < threshold and not whole:
                cells.append(Cell.small(key(r, c), value, threshold))
            else:
                cells.append(Cell(key(r, c), value, bool(mask[r, c])))
    relations = []
    if row_totals:
        relations += [Relation(key(r, n_cols), tuple(key(r, c) for c in range(n_cols))) for r in range(full.shape[0])]
    if column_totals:
        relations += [Relation(key(n_rows, c), tuple(key(r, c) for r in range(n_rows))) for c in range(full.shape[1])]
    return cells, relations
