"""Staff of the demo municipality, and who holds which case.

About one caseworker in five leaves each year (the seeds); a vacancy is filled
after one to three months, sometimes by a caseworker from another team, who
then has a second staff row (same ``staff_id``, the new team, starting the day
after the first row ends: HR's one row per employment period). When a
caseworker leaves, or moves to another team, their open cases are handed to a
colleague of that team with a ``sagsbehandlerskift`` activity — except some,
which fall through and are left with them (the "cases without caseworker" the
caseload section finds, and cases showing a caseworker now in another team).
A case that moves from intake to its team gets a caseworker there, also with a
``sagsbehandlerskift``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ledinfo.demo.cases import Cases
from ledinfo.demo.world import NONE, YEAR, World

CASES_PER_FTE = 27.0
MONTHLY_LEAVING = 0.0185  # ≈ 20 % a year
HANDED_OVER = 0.975  # share of a leaver's cases handed over to a colleague...
HANDED_OVER_RECENT = 0.8  # ...or, for a leaver of the last four months, handed over so far
FILLED_FROM_ANOTHER_TEAM = 0.35  # share of vacancies a caseworker of another team moves into
HANDED_OVER_ON_MOVE = 0.75  # one who changes team keeps some cases to finish them


@dataclass
class Staff:
    """One row per employment period; ``person`` numbers the people (rows of a team move share it)."""

    person: np.ndarray
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
class Holdings:
    """Who held each case from which day: one row per spell, sorted by (case, day).

    ``change`` marks a spell that began with a change of caseworker (a ``sagsbehandlerskift``).
    """

    case: np.ndarray
    day: np.ndarray
    staff: np.ndarray
    change: np.ndarray

    def at(self, case: np.ndarray, day: np.ndarray) -> np.ndarray:
        """The staff row holding each case on each day (-1 before its first spell)."""
        if len(self.case) == 0:
            return np.full(len(case), -1, dtype=np.int64)
        low = min(int(self.day.min()), int(day.min()) if len(day) else 0)
        position = np.searchsorted(self.case * (1 << 32) + (self.day - low), case * (1 << 32) + (day - low),
                                   side="right") - 1
        hit = (position >= 0) & (self.case[np.maximum(position, 0)] == case)
        return np.where(hit, self.staff[np.maximum(position, 0)], -1)


def _employed(staff: Staff, day: int) -> np.ndarray:
    return (staff.start <= day) & ((staff.end == NONE) | (staff.end > day))


def generate_staff(w: World, cases: Cases) -> Staff:
    rng = w.rng
    active = (cases.opened <= w.end) & ((cases.closed == NONE) | (cases.closed > w.end))
    person, team, role, fte, start, end = [], [], [], [], [], []
    people = iter(range(1 << 30))
    moves: list[int] = []

    def hire(team_name, role_name, day, who=None, hours=None):
        person.append(next(people) if who is None else who)
        team.append(team_name)
        role.append(role_name)
        if hours is None:
            hours = float(rng.choice([1.0, 0.8, 0.5], p=[0.8, 0.13, 0.07])) if role_name == "raadgiver" else 1.0
        fte.append(hours)
        start.append(day)
        end.append(NONE)

    def fill(vacancy, day):
        """Fill a vacancy in team[vacancy] from ``day``: a new hire, or a move from another team.

        Even a small demo has a team move in its last year (the first vacancy then, if none
        yet), so that the packs and tests always meet one.
        """
        recent = day > w.end - 365
        if rng.random() < FILLED_FROM_ANOTHER_TEAM or (recent and not any(d > w.end - 365 for d in moves)):
            others = [j for j in range(len(team)) if role[j] == "raadgiver" and end[j] == NONE
                      and team[j] != team[vacancy] and start[j] < day - 30]
            if others:
                mover = others[int(rng.integers(0, len(others)))]
                end[mover] = day - 1  # periods must not overlap: the new one starts the day after
                moves.append(day)
                hire(team[vacancy], "raadgiver", day, who=person[mover], hours=fte[mover])
                later = day + int(rng.integers(20, 101))
                if later <= w.end:
                    hire(team[mover], "raadgiver", later)
                return
        hire(team[vacancy], "raadgiver", day)

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
                    fill(i, hired)
        day += int(YEAR / 12)
    weight = rng.lognormal(0.0, 0.35, size=len(team))
    return Staff(np.array(person, dtype=np.int64), np.array(team, dtype=object), np.array(role, dtype=object), np.array(fte),
                 np.array(start, dtype=np.int64), np.array(end, dtype=np.int64), weight)


def _pick(rng: np.random.Generator, pool: np.ndarray, load: np.ndarray, staff: Staff, size: int) -> np.ndarray:
    """Team leaders give cases to those with fewer, but not evenly: some end up overloaded."""
    p = staff.weight[pool] / (1.0 + load[pool] / np.maximum(staff.fte[pool], 0.1) / 10.0) ** 2
    return rng.choice(pool, size=size, p=p / p.sum())


def _by_month(month: np.ndarray, last: int) -> list[np.ndarray]:
    """Indices grouped by month 0..last (stable: in index order within a month)."""
    order = np.argsort(month, kind="stable")
    bounds = np.searchsorted(month[order], np.arange(last + 2))
    return [order[bounds[m]:bounds[m + 1]] for m in range(last + 1)]


def assign_caseworkers(w: World, cases: Cases, staff: Staff) -> tuple[np.ndarray, Holdings]:
    """The current caseworker of each case (an index into staff), and every spell of holding.

    Month by month: new cases are given to a caseworker of the team that opens
    them; leavers' and team movers' cases are handed over within their team;
    cases moving from intake are given to a caseworker of their new team.
    """
    rng = w.rng
    holder = np.full(cases.size, -1, dtype=np.int64)
    caseworker = staff.role == "raadgiver"
    team_rows = {name: np.flatnonzero(caseworker & (staff.team == name)) for name, _ in w.teams}
    assign_day = np.maximum(cases.opened, w.start)
    moving = cases.moved >= w.start  # a move before the history is not seen: the case starts in its team
    first = np.where(moving, cases.first_team, cases.team)
    last = (w.end - w.start) // 30
    openings = _by_month((assign_day - w.start) // 30, last)
    moves = _by_month(np.where(moving, (cases.moved - w.start) // 30, last + 1), last)
    leavers = np.flatnonzero(caseworker & (staff.end != NONE))
    leavers = leavers[np.argsort(staff.end[leavers], kind="stable")]
    # A row that ends where the same person's next row starts the day after is a change of team.
    moves_on = np.zeros(staff.size, dtype=bool)
    following = {(int(p), int(d)) for p, d in zip(staff.person, staff.start)}
    moves_on[leavers] = [(int(staff.person[i]), int(staff.end[i]) + 1) in following for i in leavers]
    departures = [leavers[group] for group in _by_month((staff.end[leavers] - w.start) // 30, last)]
    spells: list[tuple] = []

    def give(chosen, day, name, load, ready, change):
        pool = team_rows[name]
        if len(pool[ready[pool]]):
            pool = pool[ready[pool]]
        new = _pick(rng, pool, load, staff, len(chosen))
        holder[chosen] = new
        np.add.at(load, new, 1)
        spells.append((chosen, day, new, np.full(len(chosen), change)))

    for m in range(last + 1):
        day = w.start + m * 30
        active = (holder >= 0) & (cases.opened <= day) & ((cases.closed == NONE) | (cases.closed > day))
        load = np.bincount(holder[active], minlength=staff.size).astype(float)
        # Ready for new cases: employed now and not leaving this month.
        ready = (staff.start <= day) & ((staff.end == NONE) | (staff.end > day + 30))
        chosen = openings[m]
        for name in dict.fromkeys(first[chosen]):
            group = chosen[first[chosen] == name]
            give(group, assign_day[group], name, load, ready, False)
        for leaver in departures[m]:
            leave = int(staff.end[leaver])
            held = np.flatnonzero((holder == leaver) & (cases.opened <= leave)
                                  & ((cases.closed == NONE) | (cases.closed > leave)))
            # Moves of this month are given out below: a case moving on or before the day they leave is not theirs.
            held = held[~(moving[held] & (cases.moved[held] >= day) & (cases.moved[held] <= leave))]
            share = (HANDED_OVER_ON_MOVE if moves_on[leaver] else HANDED_OVER_RECENT if leave > w.end - 120
                     else HANDED_OVER)
            handed = held[rng.random(len(held)) < share]
            when = leave + rng.integers(0, 11, size=len(handed))
            # Not handed over after the end of the period, nor when the case moves to its team first.
            keep = (when <= w.end) & ~(moving[handed] & (cases.moved[handed] > leave) & (cases.moved[handed] <= when))
            handed, when = handed[keep], when[keep]
            pool = team_rows[staff.team[leaver]]
            # to a colleague who stays: one leaving within weeks would hand the case on before it reached them
            staying = _employed(staff, leave + 1) & ((staff.end == NONE) | (staff.end > leave + 40))
            if len(handed) and _employed(staff, leave + 1)[pool].any():
                give(handed, when, staff.team[leaver], load, staying if staying[pool].any() else
                     _employed(staff, leave + 1), True)
        chosen = moves[m]
        for name in dict.fromkeys(cases.team[chosen]):
            group = chosen[cases.team[chosen] == name]
            give(group, cases.moved[group], name, load, ready, True)

    columns = [np.concatenate([s[i] for s in spells]) for i in range(4)]
    order = np.lexsort((columns[1], columns[0]))
    return holder, Holdings(*(c[order] for c in columns))
