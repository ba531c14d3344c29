"""Notifications of concern (underretninger) in the demo municipality.

About 1,500 a year at scale 1, on about 1.8 notifications per child (the
national ratio). Some lead to the cases generated elsewhere, some arrive on
a case already open; most concern children without a case. A notification
belongs to the team that received it: intake before the case is open, then
the team holding the case that day — so a case that has since moved keeps
notifications of its earlier team. Assessment within 24 hours and the receipt
to professional reporters are mostly, but not always, on time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ledinfo.demo.cases import Cases
from ledinfo.demo.world import NONE, TEAM_PROFILE, YEAR, World

PER_YEAR = 1500
ON_OPEN_CASE = 0.25  # share of cases opened in the window with a further notification while open
# share of closed cases whose child is notified again (domain.md "renotification"), mostly within a year
NOTIFIED_AGAIN = {"udsatte": 0.28, "handicap": 0.10}
REASONS = ("Bekymring for skolefravær", "Vold i hjemmet", "Forældres misbrug", "Omsorgssvigt",
           "Barnets adfærd og trivsel", "Forældres psykiske sygdom", "Kriminalitet", "Andet")


@dataclass
class Notifications:
    child: np.ndarray  # child number (cases use their own index; others get new numbers)
    case: np.ndarray  # case index or -1
    team: np.ndarray
    received_minute: np.ndarray  # minutes since epoch
    reporter: np.ndarray
    assessed_minute: np.ndarray  # NONE = not assessed
    receipt_day: np.ndarray  # NONE = not sent
    reason: np.ndarray


def generate_notifications(w: World, cases: Cases) -> Notifications:
    rng = w.rng
    total = w.count(PER_YEAR, w.years)
    # Children with cases opened in the window: 1-3 notifications shortly before opening.
    in_window = np.flatnonzero((cases.opened >= w.start) & (cases.group == "udsatte"))
    per_case = rng.choice([1, 2, 3], size=len(in_window), p=[0.55, 0.3, 0.15])
    case = np.repeat(in_window, per_case)
    received = cases.opened[case] - rng.integers(0, 61, size=len(case))
    # Some arrive while the case is open (a new concern on a known child).
    again = in_window[rng.random(len(in_window)) < ON_OPEN_CASE]
    until = np.where(cases.closed[again] == NONE, w.end, cases.closed[again] - 1)
    later = cases.opened[again] + 30 + (rng.random(len(again)) * np.maximum(until - cases.opened[again] - 30, 0)
                                        ).astype(np.int64)
    again, later = again[later <= until], later[later <= until]
    case, received = np.concatenate([case, again]), np.concatenate([received, later])
    # Some children are notified again after their case closed: a new concern, on no open case.
    closed = np.flatnonzero(cases.closed != NONE)
    chance = np.where(cases.group[closed] == "udsatte", NOTIFIED_AGAIN["udsatte"], NOTIFIED_AGAIN["handicap"])
    renotified = closed[rng.random(len(closed)) < chance]
    renotified_day = cases.closed[renotified] + w.lognormal_days(150, 0.9, len(renotified))
    # The rest: children without a case, with repeat notifications.
    others = max(0, total - len(case) - len(renotified))
    children = max(1, int(others / 1.8))
    child_other = rng.integers(0, children, size=others)
    received_other = rng.integers(w.start, w.end + 1, size=others)
    child = np.concatenate([case, renotified, cases.size + child_other])
    case = np.concatenate([case, np.full(len(renotified) + others, -1)])
    day = np.concatenate([received, renotified_day, received_other])
    keep = (day >= w.start) & (day <= w.end)
    child, case, day = child[keep], case[keep], day[keep]
    n = len(day)

    # Intake receives what comes before a case is open; then the team holding the case that day.
    reception = np.asarray([name for name, kind in w.teams if kind == "Modtagelse"], dtype=object)
    team = reception[rng.integers(0, len(reception), size=n)]
    known = case >= 0
    c = case[known]
    holding = np.where((cases.moved[c] != NONE) & (day[known] < cases.moved[c]), cases.first_team[c], cases.team[c])
    first_is_intake = np.isin(cases.first_team[c], reception)
    team[known] = np.where(day[known] >= cases.opened[c], holding,
                           np.where(first_is_intake, cases.first_team[c], team[known]))

    weekday_hours = rng.choice(np.arange(24), size=n, p=_hour_weights())
    received_minute = day * 1440 + weekday_hours * 60 + rng.integers(0, 60, size=n)
    reporter = w.pick(("professional", "private", "anonymous"), (0.72, 0.20, 0.08), n)

    timely = np.array([TEAM_PROFILE.get(k, TEAM_PROFILE["Modtagelse"])["timely"] for k in _kinds(w, team)])
    u = rng.random(n)
    assessed_on_time = u < np.minimum(0.97, timely + 0.08)
    delay_minutes = np.where(assessed_on_time, rng.integers(20, 23 * 60, size=n),
                             rng.integers(25 * 60, 6 * 1440, size=n))
    assessed = received_minute + delay_minutes
    assessed = np.where(rng.random(n) < 0.005, NONE, assessed)  # a few are never assessed
    assessed = np.where(assessed > (w.end + 1) * 1440 - 1, NONE, assessed)

    professional = reporter == "professional"
    on_time = rng.random(n) < timely
    receipt = np.where(on_time, day + rng.integers(0, 7, size=n), day + rng.integers(9, 31, size=n))
    receipt = np.where(professional & (rng.random(n) > 0.06), receipt, NONE)
    receipt = np.where(receipt > w.end, NONE, receipt)
    reason = w.pick(REASONS, (14, 10, 12, 16, 18, 10, 6, 14), n)
    order = np.argsort(received_minute, kind="stable")
    return Notifications(child[order], case[order], team[order], received_minute[order], reporter[order],
                         assessed[order], receipt[order], reason[order])


def _hour_weights() -> np.ndarray:
    weights = np.full(24, 0.3)
    weights[8:16] = 6.0
    weights[16:20] = 1.5
    return weights / weights.sum()


def _kinds(w: World, team: np.ndarray) -> list[str]:
    kind_of = dict(w.teams)
    return [kind_of.get(t, "Modtagelse") for t in team]


__all__ = ["Notifications", "generate_notifications", "YEAR"]
