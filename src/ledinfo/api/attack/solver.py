"""The attacker's solver: for each hidden number, the range of whole numbers consistent with everything a
reader knows, by exact integer programming (``scipy.optimize.milp``, HiGHS, gap 0).

Written apart from the committee's own audit (:mod:`ledinfo.disclosure.audit`) on purpose: the two
decide the same question independently, so a mistake in one is caught by the other.

What a reader knows, as constraints on non-negative whole numbers:

- the numbers shown (constants);
- the relations (:class:`~ledinfo.api.attack.numbers.Equation`: sums, differences, a share's ratio,
  a numerator at most its denominator);
- what the packs say of a hidden number: "<5" is 1..threshold-1 (``bounds``); where the docs' rule
  "a count from 1 to 4 is shown '<5'" holds, a count shown "–" is 0 or at least the threshold
  (``dashes``: a binary variable per such count).

Every number is capped at ``cap`` (far above any count of a small municipality): an interval reaching
the cap is as good as unbounded. Each solution is checked again in exact integer arithmetic; the search
for one hidden number stops as soon as solutions found so far already spread it ``wide`` apart (the
true solution is the first), so only the numbers that may be narrow cost two programmes each.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from ledinfo.api.attack.numbers import Equation, Key

# Exact: no gap; and a tolerance for whole numbers below 1/cap, so that a binary of 1/cap (which would let a
# count shown "–" be 1 to 4) is not taken for 0 (1e-9 made HiGHS call feasible problems infeasible). Without
# presolve next, where HiGHS fails all the same. A small municipality's programmes take milliseconds; one
# with many "–" counts (each a binary) can take long: after TIME_LIMIT seconds HiGHS's bound is used.
TIME_LIMIT = 20.0
OPTIONS = [{"mip_rel_gap": 0, "time_limit": TIME_LIMIT, "mip_feasibility_tolerance": 1e-7},
           {"mip_rel_gap": 0, "time_limit": TIME_LIMIT, "mip_feasibility_tolerance": 1e-8, "presolve": False}]


class SolverError(RuntimeError):
    """The numbers a reader knows contradict each other (a relation is false), or HiGHS gave up."""


class _OutOfTime(Exception):
    def __init__(self, bound: float):
        self.bound = bound  # HiGHS's proven bound on the objective


@dataclass(frozen=True)
class Interval:
    """The values a hidden number can take. ``exact`` False: at least this wide (the search stopped early)."""

    low: int
    high: int
    exact: bool = True

    @property
    def width(self) -> int:
        return self.high - self.low


def intervals(targets: set[Key], equations: list[Equation], constants: dict[Key, int], truth: dict[Key, int],
              *, bounds: dict[Key, tuple[int, int]] | None = None, dashes: dict[Key, int] | None = None,
              wide: int, cap: int, notes: list[str] | None = None) -> dict[Key, Interval]:
    """The interval of every key of ``targets`` (a hidden number) given ``constants`` (the numbers shown).

    ``truth`` is a solution (the real numbers), which must satisfy everything; ``bounds`` the labels'
    ranges; ``dashes`` key -> the least non-zero value (a "–" count is 0 or at least it); ``wide``: an
    interval this wide needs no exact ends.
    """
    bounds, dashes = bounds or {}, dashes or {}
    reduced = _substituted(equations, constants)
    components = _components(reduced, targets - set(constants))
    found = {key: Interval(constants[key], constants[key]) for key in targets if key in constants}
    for unknowns, rows in components:
        problem = _Problem(unknowns, rows, bounds, dashes, truth, cap, notes if notes is not None else [])
        for key in sorted(k for k in unknowns if k in targets):
            found[key] = problem.interval(key, wide)
    return found


def _substituted(equations: list[Equation], constants: dict[Key, int]) -> list[tuple[dict[Key, int], int, str]]:
    """Each equation over its unknowns: (coefficients, right-hand side, sense); the numbers shown moved right."""
    reduced = []
    for equation in equations:
        coefficients: dict[Key, int] = {}
        rhs = equation.constant
        for key, coefficient in equation.terms:
            if key in constants:
                rhs -= coefficient * constants[key]
            else:
                coefficients[key] = coefficients.get(key, 0) + coefficient
        coefficients = {k: c for k, c in coefficients.items() if c}
        if not coefficients:
            if (rhs != 0) if equation.sense == "=" else (rhs < 0):
                raise SolverError(f"the numbers shown break a relation: {equation}")
            continue
        reduced.append((coefficients, rhs, equation.sense))
    return reduced


def _components(rows, targets: set[Key]):
    """The unknowns tied to some target through the relations, in groups that share no relation."""
    parent: dict[Key, Key] = {}

    def root(key: Key) -> Key:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for coefficients, _, _ in rows:
        keys = list(coefficients)
        for other in keys[1:]:
            parent[root(other)] = root(keys[0])
    for key in targets:
        root(key)
    groups: dict[Key, set[Key]] = {}
    for key in parent:
        groups.setdefault(root(key), set()).add(key)
    wanted = {root(key) for key in targets}
    by_group: dict[Key, list] = {group: [] for group in wanted}
    for row in rows:
        group = root(next(iter(row[0])))
        if group in by_group:
            by_group[group].append(row)
    return [(groups[group], by_group[group]) for group in sorted(wanted)]


class _Problem:
    """One group of unknowns and its relations, as a mixed-integer programme."""

    def __init__(self, unknowns: set[Key], rows, bounds, dashes, truth, cap: int, notes: list[str]):
        self.notes = notes
        self.keys = sorted(unknowns)
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.rows = rows
        n = len(self.keys)
        self.low, self.high = np.zeros(n), np.full(n, float(cap))
        for key, (lo, hi) in bounds.items():
            if key in self.index:
                self.low[self.index[key]], self.high[self.index[key]] = lo, min(hi, cap)
        data, row_of, column_of, lower, upper = [], [], [], [], []
        for r, (coefficients, rhs, sense) in enumerate(rows):
            for key, coefficient in coefficients.items():
                data.append(coefficient), row_of.append(r), column_of.append(self.index[key])
            lower.append(rhs if sense == "=" else -np.inf)
            upper.append(rhs)
        self.dashed, self.least, most = [], [], []
        for key in (k for k in self.keys if k in dashes):  # x is 0, or at least ``least``: least·b <= x <= most·b
            # ``most`` as small as is true (the LP's greatest x), so that no b close to 0 lets x through
            greatest = self._greatest(key, data, row_of, column_of, lower, upper, len(rows))
            if greatest < dashes[key]:
                self.high[self.index[key]] = 0
                continue
            self.dashed.append(key), self.least.append(dashes[key]), most.append(greatest)
        r, m = len(rows), len(self.dashed)
        for j, key in enumerate(self.dashed):
            i = self.index[key]
            data += [1, -self.least[j], 1, -most[j]]
            row_of += [r, r, r + 1, r + 1]
            column_of += [i, n + j, i, n + j]
            lower += [0, -np.inf]
            upper += [np.inf, 0]
            r += 2
        self.low, self.high = np.concatenate([self.low, np.zeros(m)]), np.concatenate([self.high, np.ones(m)])
        self.constraints = [LinearConstraint(coo_array((data, (row_of, column_of)), shape=(r, n + m)).tocsr(),
                                             lower, upper)] if r else []
        self.pool = [self._completed({key: truth[key] for key in self.keys if key in truth})]
        if not self._feasible(self.pool[0]):
            raise SolverError("the real numbers break what the reader is assumed to know: "
                              + "; ".join(self._broken(self.pool[0])[:3]))

    def _relaxed(self, objective) -> float:
        """The least objective of the LP relaxation: a bound on the whole-number one."""
        result = milp(objective, constraints=self.constraints, integrality=np.zeros(len(objective)),
                      bounds=Bounds(self.low, self.high))
        if result.status != 0:
            raise SolverError(f"HiGHS could not solve a relaxation: {result.message}")
        return result.fun

    def _greatest(self, key: Key, data, row_of, column_of, lower, upper, rows: int) -> int:
        """The greatest whole value ``key`` can take in the LP relaxation (an upper bound on the true one)."""
        n = len(self.keys)
        objective = np.zeros(n)
        objective[self.index[key]] = -1
        constraints = [LinearConstraint(coo_array((data, (row_of, column_of)), shape=(rows, n)).tocsr(), lower,
                                        upper)] if rows else []
        result = milp(objective, constraints=constraints, integrality=np.zeros(n), bounds=Bounds(self.low, self.high))
        if result.status != 0:
            raise SolverError(f"HiGHS could not bound {key}: {result.message}")
        return int(np.ceil(-result.fun - 1e-6))  # an upper bound: rounding error may only widen it

    def _completed(self, values: dict[Key, int]) -> dict[Key, int]:
        if len(values) < len(self.keys):
            missing = [str(k) for k in self.keys if k not in values][:3]
            raise SolverError(f"no real value for {', '.join(missing)}")
        return values

    def _feasible(self, values: dict[Key, int]) -> bool:
        for key, i in self.index.items():
            if not self.low[i] <= values[key] <= self.high[i]:
                return False
        for key, least in zip(self.dashed, self.least):
            if 0 < values[key] < least:
                return False
        return all(_row_holds(c, rhs, s, values) for c, rhs, s in self.rows)

    def _broken(self, values: dict[Key, int]) -> list[str]:
        found = [f"{key} = {values[key]} outside {self.low[i]:g}..{self.high[i]:g}" for key, i in self.index.items()
                 if not self.low[i] <= values[key] <= self.high[i]]
        found += [f"{key} = {values[key]} (0 or at least {least})" for key, least in zip(self.dashed, self.least)
                  if 0 < values[key] < least]
        return found + [_row_text(c, rhs, s) for c, rhs, s in self.rows if not _row_holds(c, rhs, s, values)]

    def interval(self, key: Key, wide: int) -> Interval:
        """The values ``key`` can take; stops early once they are ``wide`` apart, or span the whole range its
        label allows (then nothing was learnt beyond the label)."""
        i = self.index[key]
        if not self.rows:  # tied to nothing: what its label says
            return Interval(int(self.low[i]), int(self.high[i]))
        enough = min(wide, self.high[i] - self.low[i])
        seen = [values[key] for values in self.pool]
        if max(seen) - min(seen) >= enough:
            return Interval(min(seen), max(seen), exact=max(seen) - min(seen) == self.high[i] - self.low[i])
        high = self._extreme(key, -1)
        if high - min(seen) >= enough:
            return Interval(min(seen), high, exact=high - min(seen) == self.high[i] - self.low[i])
        return Interval(self._extreme(key, +1), high)

    def _extreme(self, key: Key, sense: int) -> int:
        """The least (``sense`` +1) or greatest (-1) value of ``key``, proven by HiGHS and checked exactly; when
        HiGHS runs out of time, its bound instead (the interval is then wider than the truth: never a false
        finding, perhaps a missed one, which is said)."""
        try:
            return self._solve({key: sense})[key]
        except _OutOfTime as late:
            self.notes.append(f"HiGHS ran out of time on {key}: its bound is used (the range may be narrower)")
            return int(np.floor(late.bound + 1e-6)) if sense > 0 else int(np.ceil(-late.bound - 1e-6))

    def _solve(self, costs: dict[Key, float]) -> dict[Key, int]:
        """The solution that minimises the sum of cost * number, checked in whole numbers and kept."""
        n = len(self.keys) + len(self.dashed)
        objective = np.zeros(n)
        for key, cost in costs.items():
            objective[self.index[key]] = cost
        problem = ""
        for options in OPTIONS:  # the next settings only when HiGHS fails on a problem the truth solves
            with warnings.catch_warnings():  # scipy warns that it hands HiGHS's own options over as they are
                warnings.simplefilter("ignore", RuntimeWarning)
                result = milp(objective, constraints=self.constraints, integrality=np.ones(n),
                              bounds=Bounds(self.low, self.high), options=options)
            if result.status == 1:
                bound = getattr(result, "mip_dual_bound", None)
                raise _OutOfTime(bound if bound is not None and np.isfinite(bound) else self._relaxed(objective))
            if result.status != 0 or result.x is None:
                problem = str(result.message)
                continue
            values = {k: int(round(result.x[i])) for k, i in self.index.items()}
            if self._feasible(values):
                self.pool.append(values)
                return values
            problem = "its solution does not hold in whole numbers: " + "; ".join(self._broken(values)[:3])
        raise SolverError(f"HiGHS could not bound {', '.join(map(str, costs))}: {problem}")


def _row_holds(coefficients: dict[Key, int], rhs: int, sense: str, values: dict[Key, int]) -> bool:
    total = sum(c * values[k] for k, c in coefficients.items())
    return total == rhs if sense == "=" else total <= rhs


def _row_text(coefficients: dict[Key, int], rhs: int, sense: str) -> str:
    return " ".join(f"{c:+d}·{k}" for k, c in coefficients.items()) + f" {sense} {rhs}"
