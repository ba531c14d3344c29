"""Staff of the demo municipality, and who holds which case.

About one caseworker in five leaves each year (the seeds); a vacancy is filled
after one to three months. When a caseworker leaves, their open cases are
handed to a colleague with a ``sagsbehandlerskift`` activity — except some,
which fall through and are left with the leaver (the "cases without
caseworker" the caseload section finds).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ledinfo.demo.cases import Cases
from ledinfo.demo.world import NONE, YEAR, World

CASES_PER_FTE = 27.0
MONTHLY_LEAVING = 0.0185  # ≈ 20 % a year
HANDED_OVER = 0.985  # share of a leaver's cases handed over to a colleague...
HANDED_OVER_RECENT = 0.85  # ...or, for a leaver of the last four months, handed over so far


@dataclass
class Staff:
    team: np.ndarray
    role: np.ndarray
    fte: np.ndarray
    start: np.ndarray
    end: np.ndarray
    weight: np.ndarray  # how many new cases a caseworker is given, relatively

    @property
    def size(self) -> int:
        return len(self.team)


@dataclass
class Handover:
    case: np.ndarray
    day: np.ndarray
    new_staff: np.ndarray


def _employed(staff: Staff, day: int) -> np.ndarray:
    return (staff.start <= day) & ((staff.end == NONE) | (staff.end > day))


def generate_staff(w: World, cases: Cases) -> Staff:
    rng = w.rng
    active = (cases.opened <= w.end) & ((cases.closed == NONE) | (cases.closed > w.end))
    team, role, fte, start, end = [], [], [], [], []

    def hire(team_name, role_name, day, leave=NONE):
        team.append(team_name)
        role.append(role_name)
        fte.append(float(rng.choice([1.0, 0.8, 0.5], p=[0.8, 0.13, 0.07])) if role_name == "raadgiver" else 1.0)
        start.append(day)
        end.append(leave)

    for name, _ in w.teams:
        held = int((active & (cases.team == name)).sum())
        workers = max(2, int(round(held / CASES_PER_FTE / 0.93)))
        hire(name, "teamleder", w.start - int(rng.integers(365, 12 * 365)))
        if rng.random() < 0.6:
            hire(name, "andet", w.start - int(rng.integers(30, 8 * 365)))
        for _ in range(workers):
            hire(name, "raadgiver", w.start - int(rng.integers(30, 12 * 365)))

    # Month by month: some caseworkers leave; each vacancy is filled later.
    day = w.start
    while day <= w.end:
        for i in range(len(team)):
            if role[i] == "raadgiver" and start[i] <= day and end[i] == NONE and rng.random() < MONTHLY_LEAVING:
                leave = day + int(rng.integers(0, 28))
                if leave > w.end:
                    continue
                end[i] = leave
                hired = leave + int(rng.integers(20, 101))
                if hired <= w.end:
                    hire(team[i], "raadgiver", hired)
        day += int(YEAR / 12)
    weight = rng.lognormal(0.0, 0.35, size=len(team))
    return Staff(np.array(team, dtype=object), np.array(role, dtype=object), np.array(fte),
                 np.array(start, dtype=np.int64), np.array(end, dtype=np.int64), weight)


def _preference(staff: Staff, pool: np.ndarray, holder: np.ndarray, cases: Cases, day: int) -> np.ndarray:
    """Team leaders give new cases to those with fewer, but not evenly: some end up overloaded."""
    active = (holder >= 0) & (cases.opened <= day) & ((cases.closed == NONE) | (cases.closed > day))
    load = np.bincount(holder[active], minlength=staff.size)[pool] / np.maximum(staff.fte[pool], 0.1)
    p = staff.weight[pool] / (1.0 + load / 10.0) ** 2
    return p / p.sum()


def assign_caseworkers(w: World, cases: Cases, staff: Staff) -> tuple[np.ndarray, Handover]:
    """The current caseworker of each case (an index into staff), and the handovers."""
    rng = w.rng
    holder = np.full(cases.size, -1, dtype=np.int64)
    caseworker = staff.role == "raadgiver"
    assign_day = np.maximum(cases.opened, w.start)
    month = (assign_day - w.start) // 30
    for name, _ in w.teams:
        in_team = np.flatnonzero(cases.team == name)
        team_staff = np.flatnonzero(caseworker & (staff.team == name))
        for m in np.unique(month[in_team]):
            chosen = in_team[month[in_team] == m]
            day = int(w.start + m * 30)
            pool = team_staff[_employed(staff, day)[team_staff]]
            if len(pool) == 0:
                pool = team_staff
            holder[chosen] = rng.choice(pool, size=len(chosen), p=_preference(staff, pool, holder, cases, day))

    h_case, h_day, h_staff = [], [], []
    leavers = np.flatnonzero(caseworker & (staff.end != NONE))
    for leaver in leavers[np.argsort(staff.end[leavers], kind="stable")]:
        leave = int(staff.end[leaver])
        held = np.flatnonzero((holder == leaver) & (cases.opened <= leave)
                              & ((cases.closed == NONE) | (cases.closed > leave)))
        if len(held) == 0:
            continue
        share = HANDED_OVER_RECENT if leave > w.end - 120 else HANDED_OVER
        handed = held[rng.random(len(held)) < share]
        day = leave + rng.integers(0, 11, size=len(handed))
        handed, day = handed[day <= w.end], day[day <= w.end]
        team_staff = np.flatnonzero(caseworker & (staff.team == staff.team[leaver]))
        pool = team_staff[_employed(staff, leave + 1)[team_staff]]
        if len(pool) == 0 or len(handed) == 0:
            continue
        new = rng.choice(pool, size=len(handed), p=_preference(staff, pool, holder, cases, leave))
        holder[handed] = new
        h_case.append(handed)
        h_day.append(day)
        h_staff.append(new)
    empty = np.array([], dtype=np.int64)
    handover = Handover(np.concatenate(h_case) if h_case else empty, np.concatenate(h_day) if h_day else empty,
                        np.concatenate(h_staff) if h_staff else empty)
    return holder, handover
