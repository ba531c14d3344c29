"""Dated steps on the demo cases: contacts, follow-ups, visits, youth decisions.

Contacts on a case arrive as a renewal process whose mean gap depends on the
team and on how loaded the caseworker is, so the 6-week follow-up rate varies
between teams and people the way it does in practice. Each step is done by
whoever held the case that day; a few contacts are covered by a caseworker of
another team (holidays, illness), as real extracts show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ledinfo.demo.cases import Cases, Measures
from ledinfo.demo.people import Holdings, Staff
from ledinfo.demo.world import NONE, TEAM_PROFILE, YEAR, World, add_months_days

CONTACT_KINDS = ("opfoelgning", "boernesamtale", "netvaerksmoede")
CONTACT_SHARES = (0.42, 0.36, 0.22)
COVERED = 0.03  # share of contacts made by a caseworker of another team


@dataclass
class Activities:
    case: np.ndarray
    day: np.ndarray
    kind: np.ndarray
    measure: np.ndarray  # index into measures or -1
    staff: np.ndarray  # index into staff or -1
    child_talk: np.ndarray  # 1 yes, 0 no, -1 unknown


def renewal(w: World, begin: np.ndarray, finish: np.ndarray, mean_gap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Event days of a gamma(2) renewal process per interval [begin, finish].

    Returns (owner index, day) for every event. Vectorised: enough gaps are
    drawn for every interval at once, then cut at each interval's end.
    """
    length = np.maximum(finish - begin, 0)
    slots = np.ceil(length / mean_gap * 1.8).astype(np.int64) + 4
    owner = np.repeat(np.arange(len(begin)), slots)
    gaps = w.rng.gamma(2.0, 1.0, size=len(owner)) * (mean_gap[owner] / 2.0)
    first = np.repeat(np.cumsum(slots) - slots, slots)
    gaps[first == np.arange(len(owner))] *= w.rng.random(int((slots > 0).sum()))  # stationary start
    cumulative = np.cumsum(gaps)
    offset = np.repeat(cumulative[np.cumsum(slots) - slots] - gaps[np.cumsum(slots) - slots], slots)
    day = begin[owner] + np.floor(cumulative - offset).astype(np.int64)
    keep = day <= finish[owner]
    return owner[keep], day[keep]


def generate_activities(w: World, cases: Cases, measures: Measures, staff: Staff, holder: np.ndarray,
                        holdings: Holdings) -> Activities:
    rng = w.rng
    parts: list[tuple] = []
    case_end = np.where(cases.closed == NONE, w.end, cases.closed)
    begin = np.maximum(cases.opened, w.start)

    # Contacts: the gap grows with the caseworker's relative load.
    gap = np.array([TEAM_PROFILE[k]["contact_gap"] for k in cases.kind])
    load = np.where(holder >= 0, staff.weight[np.maximum(holder, 0)], 1.0)
    gap = gap * np.clip(load, 0.7, 1.6) * rng.lognormal(0.0, 0.25, size=cases.size)
    owner, day = renewal(w, begin, case_end, gap)
    kind = w.pick(CONTACT_KINDS, CONTACT_SHARES, len(owner))
    parts.append((owner, day, kind, _measure_at(measures, owner, day), _cover(w, staff, holdings.at(owner, day), day),
                  np.where(kind == "boernesamtale", 1, -1)))

    # Supervision visits to placed children: about 2.4 a year, fewer for some.
    placed = np.flatnonzero(np.char.startswith(measures.category.astype(str), "anbringelse"))
    p_begin = np.maximum(measures.started[placed], w.start)
    p_end = np.where(measures.ended[placed] == NONE, w.end, measures.ended[placed])
    visit_gap = np.where(rng.random(len(placed)) < 0.2, 260.0, 150.0)
    owner, day = renewal(w, p_begin, p_end, visit_gap)
    talk = (rng.random(len(owner)) < 0.85).astype(np.int64)
    m = placed[owner]
    parts.append((measures.case[m], day, np.full(len(m), "tilsynsbesoeg", dtype=object), m,
                  holdings.at(measures.case[m], day), talk))

    # Youth: a youth plan around 16, the decision on youth support by 17½.
    birth = cases.birth[measures.case[placed]]
    sixteen = add_months_days(birth, 16 * 12)
    half = add_months_days(birth, 17 * 12 + 6)
    placed_at = lambda day: (measures.started[placed] <= day) & (  # noqa: E731
        (measures.ended[placed] == NONE) | (measures.ended[placed] > day))
    plan_day = sixteen + rng.integers(-60, 91, size=len(placed))
    mask = placed_at(sixteen) & (plan_day >= w.start) & (plan_day <= w.end)
    parts.append(_simple(measures, placed[mask], plan_day[mask], "ungeplan", holdings))
    # support after 18 needs a decision: a young person who gets it always has one, on time or late; of the others,
    # some have none recorded (a decision not to continue is a decision too, but not always written down)
    u = rng.random(len(placed))
    after = cases.aftercare[measures.case[placed]]
    on_time, recorded = np.where(after, 0.75, 0.62), np.where(after, 1.0, 0.8)
    decision = np.where(u < on_time, half - rng.integers(10, 121, size=len(placed)),
                        np.where(u < recorded, half + rng.integers(1, 91, size=len(placed)), NONE))
    mask = placed_at(half) & (decision != NONE) & (decision >= w.start) & (decision <= w.end)
    parts.append(_simple(measures, placed[mask], decision[mask], "ungestoette_afgoerelse", holdings))

    # Changes of caseworker: handovers when one leaves or changes team, and moves from intake.
    change = holdings.change
    parts.append((holdings.case[change], holdings.day[change], np.full(int(change.sum()), "sagsbehandlerskift",
                  dtype=object), np.full(int(change.sum()), -1), holdings.staff[change], np.full(int(change.sum()), -1)))

    columns = [np.concatenate([p[i] for p in parts]) for i in range(6)]
    keep = (columns[1] >= w.start) & (columns[1] <= w.end)
    columns = [c[keep] for c in columns]
    order = np.lexsort((columns[2].astype(str), columns[1], columns[0]))
    return Activities(*(c[order] for c in columns))


def _simple(measures: Measures, m: np.ndarray, day: np.ndarray, kind: str, holdings: Holdings) -> tuple:
    case = measures.case[m]
    return (case, day, np.full(len(m), kind, dtype=object), m, holdings.at(case, day), np.full(len(m), -1))


def _cover(w: World, staff: Staff, done_by: np.ndarray, day: np.ndarray, tries: int = 8) -> np.ndarray:
    """``done_by``, with about COVERED of them replaced by a caseworker of another team employed that day."""
    rows = np.flatnonzero(staff.role == "raadgiver")
    covered = np.flatnonzero((w.rng.random(len(day)) < COVERED) & (done_by >= 0))
    candidate = rows[w.rng.integers(0, len(rows), size=(len(covered), tries))]
    when = day[covered][:, None]
    fits = ((staff.start[candidate] <= when) & ((staff.end[candidate] == NONE) | (staff.end[candidate] > when))
            & (staff.team[candidate] != staff.team[done_by[covered]][:, None]))
    found = fits.any(axis=1)
    result = done_by.copy()
    result[covered[found]] = candidate[found, fits[found].argmax(axis=1)]
    return result


def _measure_at(measures: Measures, case: np.ndarray, day: np.ndarray) -> np.ndarray:
    """For a follow-up, the case's measure running that day (the latest started), or -1."""
    result = np.full(len(case), -1, dtype=np.int64)
    if len(measures.case) == 0:
        return result
    # measures are sorted by (case, started): search the case's block for the last start <= day
    key_measures = measures.case.astype(np.int64) * (1 << 32) + (measures.started - measures.started.min())
    key_events = case.astype(np.int64) * (1 << 32) + (day - measures.started.min())
    position = np.searchsorted(key_measures, key_events, side="right") - 1
    valid = position >= 0
    position = np.maximum(position, 0)
    same_case = measures.case[position] == case
    ended = measures.ended[position]
    running = (ended == NONE) | (ended > day)
    hit = valid & same_case & running
    result[hit] = position[hit]
    return result


__all__ = ["Activities", "generate_activities", "YEAR"]
