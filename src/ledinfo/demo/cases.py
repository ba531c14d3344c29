"""Cases, investigations and measures of the demo municipality.

Each case follows a pathway: an investigation only; preventive measures; a
placement (sometimes after preventive support); or, for children with
disabilities, long-running support without a measure in the extract's
categories. Cases opened up to six years before the history starts are
generated so that the stock of open cases is realistic from the first month.

Most cases that go on to a measure start in the intake team (Modtagelse),
which does the investigation, and move to the team that will hold them when
the investigation is done: a case's ``team`` is where it is now, ``first_team``
where it started and ``moved`` the day it moved (NONE: it has not).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from ledinfo.demo.world import MONTH, NONE, TEAM_PROFILE, YEAR, World, add_months_days, day_number

NEW_CASES_PER_YEAR = 640
# Share of cases, by target group, that the intake team investigates before
# they move on (acute placements go straight to the placement team).
STARTS_IN_INTAKE = {"udsatte": 0.75, "handicap": 0.3}
LEAD_YEARS = 6
REFORM_DAY = day_number(dt.date(2024, 1, 1))  # Barnets Lov replaces SEL

PLACEMENT_TYPES = (
    "anbringelse_plejefamilie",
    "anbringelse_netvaerk",
    "anbringelse_opholdssted",
    "anbringelse_doegninstitution",
    "anbringelse_eget_vaerelse",
)
PLACEMENT_SHARES = (0.50, 0.13, 0.14, 0.17, 0.06)  # close to the national mix (domain.md)
MONTHLY_COST = {  # DKK per month, median
    "forebyggende": 7_000,
    "anbringelse_netvaerk": 14_000,
    "anbringelse_plejefamilie": 36_000,
    "anbringelse_opholdssted": 76_000,
    "anbringelse_doegninstitution": 112_000,
    "anbringelse_eget_vaerelse": 21_000,
}
# End reasons (domain.md "Effect and money"): most placements end as planned; a placement breaks down more
# often in residential care than in a family, and half again as often for a teenager (VIVE's studies of
# placement breakdowns find about one in five for young people in residential care).
BREAKDOWN_RISK = {
    "anbringelse_netvaerk": 0.07,
    "anbringelse_plejefamilie": 0.09,
    "anbringelse_eget_vaerelse": 0.12,
    "anbringelse_opholdssted": 0.17,
    "anbringelse_doegninstitution": 0.20,
}
TEEN_FACTOR = 1.6
# After a breakdown most children are placed again, as often a step up the ladder as not; after a planned
# end of residential care, many step down to a family or to preventive support at home.
AFTER_BREAKDOWN = {
    "anbringelse_netvaerk": (("anbringelse_plejefamilie", "anbringelse_opholdssted"), (0.6, 0.4)),
    "anbringelse_plejefamilie": (("anbringelse_plejefamilie", "anbringelse_opholdssted",
                                  "anbringelse_doegninstitution"), (0.35, 0.4, 0.25)),
    "anbringelse_eget_vaerelse": (("anbringelse_opholdssted", "anbringelse_eget_vaerelse"), (0.6, 0.4)),
    "anbringelse_opholdssted": (("anbringelse_opholdssted", "anbringelse_doegninstitution"), (0.5, 0.5)),
    "anbringelse_doegninstitution": (("anbringelse_doegninstitution", "anbringelse_opholdssted"), (0.6, 0.4)),
}
RESIDENTIAL = ("anbringelse_opholdssted", "anbringelse_doegninstitution")
# Support after 18 (efterværn, see _aftercare): about half of the young people placed on their 18th birthday
# continue (Ankestyrelsen's statistics: about half), more from a family than from residential care, fewer with a
# disability; the share rising a little each year (AFTERCARE_RISE per year from 2024); the factors of a
# municipality's placement teams in turn (one team at scale 1).
AFTERCARE_SHARE = 0.55
AFTERCARE_BY_CATEGORY = {
    "anbringelse_netvaerk": 1.1,
    "anbringelse_plejefamilie": 1.2,
    "anbringelse_eget_vaerelse": 1.15,
    "anbringelse_opholdssted": 0.85,
    "anbringelse_doegninstitution": 0.7,
}
AFTERCARE_HANDICAP = 0.5
AFTERCARE_RISE = 0.06
AFTERCARE_BY_TEAM = (1.0, 0.75, 1.2, 0.9)
# The chance that a placement has a second one beside it (respite in a foster family), see _beside.
BESIDE_RESIDENTIAL, BESIDE_FAMILY = 0.55, 0.07
PROVIDERS = {
    "forebyggende": ("Familiecentret", "Ungdomsskolens mentorordning", "PPR-familiebehandling",
                     "Kontaktpersonordningen", "Aflastningshuset Solsikken"),
    "anbringelse_netvaerk": ("Netværksplejefamilie",),
    "anbringelse_plejefamilie": ("Kommunal plejefamilie", "Forstærket plejefamilie", "Specialiseret plejefamilie"),
    "anbringelse_opholdssted": ("Opholdsstedet Lyngly", "Opholdsstedet Havbrisen", "Opholdsstedet Egebo"),
    "anbringelse_doegninstitution": ("Døgninstitutionen Bøgely", "Børnehjemmet Fjordgården", "Ungecenter Nord"),
    "anbringelse_eget_vaerelse": ("Kollegiet Åløkke", "Ungebolig Vestervang"),
}


@dataclass
class Cases:
    opened: np.ndarray
    closed: np.ndarray  # NONE while open at the end of the period
    birth: np.ndarray
    group: np.ndarray  # udsatte | handicap
    kind: np.ndarray  # kind of the team the case goes to (its behaviour: contact gaps, speed)
    team: np.ndarray  # the current team (at the end of the period)
    placed: np.ndarray  # bool: pathway includes a placement
    aftercare: np.ndarray  # bool: continued with support after 18 (efterværn), see _aftercare
    first_team: np.ndarray  # the team that opened the case
    moved: np.ndarray  # the day it moved from first_team to team, NONE if it has not

    @property
    def size(self) -> int:
        return len(self.opened)


@dataclass
class Investigations:
    case: np.ndarray  # index into Cases
    started: np.ndarray
    completed: np.ndarray


@dataclass
class Measures:
    case: np.ndarray
    category: np.ndarray
    decided: np.ndarray
    started: np.ndarray
    ended: np.ndarray
    plan: np.ndarray
    cost: np.ndarray
    provider: np.ndarray
    consent: np.ndarray
    reason: np.ndarray  # why it ended (END_REASONS); None while it runs


def _ages_at_open(w: World, group: np.ndarray, pathway: np.ndarray) -> np.ndarray:
    """Age in days when the case opens: teenagers dominate, infants are a second peak."""
    n = len(group)
    weights = np.array([6, 4, 4, 4, 4, 4, 5, 5, 5, 6, 6, 7, 8, 9, 10, 10, 9, 6], dtype=float)
    years = w.rng.choice(18, size=n, p=weights / weights.sum())
    years = np.where(group == "handicap", w.rng.integers(0, 16, size=n), years)
    years = np.where(pathway == "placement", np.minimum(years, 16), years)
    return (years * YEAR + w.rng.integers(0, 365, size=n)).astype(np.int64)


def generate_cases(w: World) -> tuple[Cases, Investigations, Measures]:
    rng = w.rng
    first = w.start - int(LEAD_YEARS * YEAR)
    n = w.count(NEW_CASES_PER_YEAR, w.years + LEAD_YEARS)
    opened = np.sort(rng.integers(first, w.end + 1, size=n))
    group = np.where(rng.random(n) < 0.22, "handicap", "udsatte").astype(object)
    u = rng.random(n)
    pathway = np.where(
        group == "udsatte",
        np.where(u < 0.40, "investigation", np.where(u < 0.92, "preventive", "placement")),
        np.where(u < 0.45, "preventive", np.where(u < 0.52, "placement", "support")),
    ).astype(object)
    birth = opened - _ages_at_open(w, group, pathway)

    kind = np.where(pathway == "investigation", "Modtagelse",
                    np.where(pathway == "placement", "Anbringelse",
                             np.where(group == "handicap", "Handicap",
                                      np.where(opened + YEAR - birth >= 13 * YEAR, "Unge", "Børn")))).astype(object)
    units = {k: [name for name, kk in w.teams if kk == k] for k in TEAM_PROFILE}
    team = np.empty(n, dtype=object)
    for k, names in units.items():
        mask = kind == k
        team[mask] = np.asarray(names, dtype=object)[rng.integers(0, len(names), size=int(mask.sum()))]
    speed = np.array([TEAM_PROFILE[k]["investigation"] for k in kind])
    timely = np.array([TEAM_PROFILE[k]["timely"] for k in kind])

    # Investigations: every vulnerable child's case, half of the disability cases.
    has_inv = (group == "udsatte") | (rng.random(n) < 0.5)
    inv_start = opened + rng.integers(0, 15, size=n)
    inv_done = inv_start + w.lognormal_days(58 * speed, 0.5, n)
    base = np.where(has_inv, inv_done, opened)
    first_team, moved = _intake(w, team, kind, group, has_inv, inv_done)

    m_case, m_cat, m_start, m_end, m_acute, m_reason = [], [], [], [], [], []

    def add(case_idx, category, start, end, acute=None, reason=None):
        m_case.append(case_idx)
        m_cat.append(np.full(len(case_idx), category, dtype=object) if isinstance(category, str) else category)
        m_start.append(start)
        m_end.append(end)
        m_acute.append(np.zeros(len(case_idx), bool) if acute is None else acute)
        m_reason.append(_preventive_reasons(w, len(case_idx)) if reason is None else
                        np.full(len(case_idx), reason, dtype=object) if isinstance(reason, str) else reason)

    # Preventive pathway: one or two preventive measures, partly overlapping.
    idx = np.flatnonzero(pathway == "preventive")
    s1 = base[idx] + rng.integers(7, 46, size=len(idx))
    add(idx, "forebyggende", s1, s1 + w.lognormal_days(370, 0.6, len(idx)))
    two = idx[rng.random(len(idx)) < 0.45]
    s2 = base[two] + rng.integers(7, 46, size=len(two)) + rng.integers(0, 121, size=len(two))
    add(two, "forebyggende", s2, s2 + w.lognormal_days(240, 0.6, len(two)))

    # Placement pathway: half get preventive support first; some are acute (never in intake, see _intake).
    idx = np.flatnonzero(pathway == "placement")
    acute = rng.random(len(idx)) < 0.15
    first_team[idx[acute]], moved[idx[acute]] = team[idx[acute]], NONE
    before = (rng.random(len(idx)) < 0.5) & ~acute
    pre = idx[before]
    pre_start = base[pre] + rng.integers(7, 31, size=len(pre))
    pre_end = pre_start + rng.integers(120, 301, size=len(pre))
    add(pre, "forebyggende", pre_start, pre_end, reason="andet")  # ended because the child was placed
    p_start = np.where(acute, opened[idx] + rng.integers(0, 11, size=len(idx)),
                       base[idx] + rng.integers(3, 41, size=len(idx)))
    p_start[before] = pre_end + 1
    category = w.pick(PLACEMENT_TYPES, PLACEMENT_SHARES, len(idx))
    young = p_start - birth[idx] < 15 * YEAR
    category[young & (category == "anbringelse_eget_vaerelse")] = "anbringelse_plejefamilie"
    p_end, reason = _placement_ends(w, category, p_start, birth[idx])
    keep = p_end > p_start
    add(idx[keep], category[keep], p_start[keep], p_end[keep], acute[keep], reason[keep])
    _beside(w, add, idx[keep], category[keep], p_start[keep], p_end[keep])
    _follow_on(w, add, idx[keep], category[keep], p_end[keep], reason[keep], birth)

    case_idx = np.concatenate(m_case)
    category = np.concatenate(m_cat)
    started = np.concatenate(m_start)
    ended = np.concatenate(m_end)
    acute = np.concatenate(m_acute)
    reason = np.concatenate(m_reason)
    count = len(case_idx)
    decided = np.where(acute, started, started - rng.integers(0, 21, size=count))

    # Plans: judged by the regime of the decision date (SEL §140 before 2024, BL §91 after).
    on_time = rng.random(count) < timely[case_idx]
    sel = decided < REFORM_DAY
    plan = np.where(
        sel,
        np.where(on_time, decided - rng.integers(0, 21, size=count), decided + rng.integers(1, 61, size=count)),
        np.where(on_time, decided + rng.integers(0, 89, size=count), decided + rng.integers(95, 161, size=count)),
    )
    plan = np.where(rng.random(count) < 0.04, NONE, plan)
    plan = np.where(plan > w.end, NONE, plan)

    median_cost = np.array([MONTHLY_COST[c] for c in category], dtype=float)
    cost = np.round(median_cost * rng.lognormal(0.0, 0.3, size=count), -2)
    provider = np.array([PROVIDERS[c][i % len(PROVIDERS[c])] for c, i in
                         zip(category, rng.integers(0, 1000, size=count))], dtype=object)
    consent = np.where(np.char.startswith(category.astype(str), "anbringelse"), rng.random(count) < 0.9, False)

    after, aftercare = _aftercare(w, Measures(case_idx, category, decided, started, ended, plan, cost, provider, consent,
                                              reason), birth, group, team, timely)
    case_idx, category, decided, started, ended, plan, cost, provider, consent, reason = (
        np.concatenate([mine, theirs]) for mine, theirs in zip(
            (case_idx, category, decided, started, ended, plan, cost, provider, consent, reason),
            (after.case, after.category, after.decided, after.started, after.ended, after.plan, after.cost,
             after.provider, after.consent, after.reason)))

    # A case closes some weeks after its last measure (or its investigation).
    last_end = np.full(n, NONE, dtype=np.int64)
    np.maximum.at(last_end, case_idx, ended)
    has_measure = last_end > NONE
    support_end = opened + w.lognormal_days(1.6 * YEAR, 0.6, n)
    closed = np.where(has_measure, last_end, np.where(pathway == "support", support_end, base))
    closed = np.maximum(closed, base) + rng.integers(0, 90, size=n)
    open_inv = has_inv & (inv_done > w.end)
    closed = np.where((closed > w.end) | open_inv, NONE, closed)
    # Measures still running at the end of the period have no end date yet.
    running = ended > w.end
    ended = np.where(running, NONE, ended)
    reason = np.where(running, None, reason)  # known with the end

    keep_case = (closed == NONE) | (closed >= w.start)
    keep_case &= opened <= w.end
    # A case that has not moved by the end of the period is still in the team that opened it.
    not_yet = (moved != NONE) & ((moved > w.end) | ((closed != NONE) & (moved >= closed)))
    team = np.where(not_yet, first_team, team).astype(object)
    moved = np.where(not_yet, NONE, moved)
    first_team = np.where(moved == NONE, team, first_team).astype(object)
    new_index = np.cumsum(keep_case) - 1

    ever_placed = np.isin(np.arange(n), case_idx[np.char.startswith(category.astype(str), "anbringelse")])
    k = keep_case
    cases = Cases(opened[k], closed[k], birth[k], group[k], kind[k], team[k], ever_placed[k], aftercare[k],
                  first_team[k], moved[k])
    inv_mask = has_inv & keep_case & (inv_start <= w.end)
    investigations = Investigations(new_index[inv_mask], inv_start[inv_mask],
                                    np.where(inv_done[inv_mask] > w.end, NONE, inv_done[inv_mask]))
    # a measure is known from its decision (point in time): one decided after the period is not in the extract yet
    m_mask = keep_case[case_idx] & (started <= w.end) & (decided <= w.end)
    measures = Measures(new_index[case_idx[m_mask]], category[m_mask], decided[m_mask], started[m_mask],
                        ended[m_mask], plan[m_mask], cost[m_mask], provider[m_mask], consent[m_mask], reason[m_mask])
    order = np.lexsort((measures.started, measures.case))
    measures = Measures(*(getattr(measures, f)[order] for f in Measures.__dataclass_fields__))
    return cases, investigations, measures


def _preventive_reasons(w: World, size: int) -> np.ndarray:
    """Why preventive measures end: mostly as planned."""
    return w.pick(("planlagt", "flytning", "andet"), (0.82, 0.04, 0.14), size)


def _placement_ends(w: World, category: np.ndarray, start: np.ndarray, birth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The end day and the end reason of placements: a breakdown comes early (a median of eight months against
    two and a half years), a placement running to the 18th birthday ends by age, the rest mostly as planned."""
    size = len(category)
    teen = start - birth >= 13 * YEAR
    risk = np.array([BREAKDOWN_RISK[c] for c in category]) * np.where(teen, TEEN_FACTOR, 1.0)
    broke = w.rng.random(size) < risk
    length = np.where(broke, w.lognormal_days(240, 0.7, size), w.lognormal_days(900, 0.7, size))
    eighteen = add_months_days(birth, 12 * 18)
    end = np.minimum(start + length, eighteen - 1)
    reason = w.pick(("planlagt", "flytning", "andet"), (0.88, 0.05, 0.07), size)
    reason = np.where(broke, "sammenbrud", reason)
    reason = np.where(start + length >= eighteen - 1, "alder", reason).astype(object)
    return end, reason


def _beside(w: World, add, case_idx: np.ndarray, category: np.ndarray, start: np.ndarray, end: np.ndarray) -> None:
    """A second placement running beside the first: respite in a foster family for a child in residential care
    (about half of them) and, now and then, for a child in a family. Real extracts count more placements than placed
    children (the messy sample: 135 placements of 122 children), and a demo where the two always coincide lets
    a reader take one count for the other."""
    rng = w.rng
    chance = np.where(np.isin(category, RESIDENTIAL), BESIDE_RESIDENTIAL, BESIDE_FAMILY)
    two = np.flatnonzero(rng.random(len(case_idx)) < chance)
    if not len(two):
        return
    begin = start[two] + rng.integers(30, 181, size=len(two))
    stop = np.minimum(begin + w.lognormal_days(300, 0.5, len(two)), end[two] - 1)
    keep = stop > begin
    kind = np.full(len(two), "anbringelse_plejefamilie", dtype=object)
    add(case_idx[two][keep], kind[keep], begin[keep], stop[keep], None,
        np.full(int(keep.sum()), "planlagt", dtype=object))


def _follow_on(w: World, add, case_idx: np.ndarray, category: np.ndarray, end: np.ndarray, reason: np.ndarray,
               birth: np.ndarray) -> None:
    """What comes after a placement: after a breakdown most children are placed again (the same step or one up);
    after a planned end of residential care many step down to a family or to support at home, and after a
    family placement some get preventive support at home. Nothing after ageing out or moving away."""
    rng = w.rng
    again = np.flatnonzero((reason == "sammenbrud") & (rng.random(len(case_idx)) < 0.85))
    if len(again):
        nxt = np.array([rng.choice(AFTER_BREAKDOWN[c][0], p=AFTER_BREAKDOWN[c][1]) for c in category[again]],
                       dtype=object)
        start = end[again] + rng.integers(0, 15, size=len(again))
        n_end, n_reason = _placement_ends(w, nxt, start, birth[case_idx[again]])
        keep = n_end > start
        add(case_idx[again][keep], nxt[keep], start[keep], n_end[keep], None, n_reason[keep])
    planned = reason == "planlagt"
    u = rng.random(len(case_idx))
    residential = np.isin(category, RESIDENTIAL)
    down = np.flatnonzero(planned & residential & (u < 0.45))
    if len(down):
        old = end[down] - birth[case_idx[down]] >= 16 * YEAR
        nxt = np.where(old, "anbringelse_eget_vaerelse", "anbringelse_plejefamilie").astype(object)
        n_end, n_reason = _placement_ends(w, nxt, end[down], birth[case_idx[down]])
        keep = n_end > end[down]
        add(case_idx[down][keep], nxt[keep], end[down][keep], n_end[keep], None, n_reason[keep])
    home = np.flatnonzero(planned & ((residential & (u >= 0.45) & (u < 0.75)) | (~residential & (u < 0.5))))
    if len(home):
        add(case_idx[home], "forebyggende", end[home], end[home] + w.lognormal_days(240, 0.6, len(home)))


def _aftercare(w: World, placements: Measures, birth: np.ndarray, group: np.ndarray, team: np.ndarray,
               timely: np.ndarray) -> tuple[Measures, np.ndarray]:
    """Support after 18 ("efterværn", Barnets Lov §114, SEL §76 before 2024) for the young people whose placement
    ends with their 18th birthday: the measures (``case`` indexes the cases as ``placements.case`` does), and per
    case whether the young person got one.

    About half continue (AFTERCARE_SHARE): more often from a family or an own room than from residential care, less
    often a young person with a disability (who moves on to adult services), a little more each year, and more in
    some teams than others. Half of them stay where they live (a continued placement: a new decision, the same
    provider; from residential care, an own room), the others get a fixed contact person (recorded as preventive
    support, the only other category the extract has). The flaws real extracts have: a decision recorded weeks
    after the support started, a contact person starting only months later, a support the young
    person ends after a few weeks. Drawn from a random stream of its own, so the rest of the municipality is drawn as before."""
    rng = np.random.default_rng([w.seed, 18])
    aged = np.flatnonzero((placements.reason == "alder")
                          & np.char.startswith(placements.category.astype(str), "anbringelse"))
    aged = aged[np.unique(placements.case[aged], return_index=True)[1]]  # one transition per young person
    young, category, end = placements.case[aged], placements.category[aged], placements.ended[aged]
    size = len(young)
    eighteen = add_months_days(birth[young], 12 * 18)
    by_team = {name: AFTERCARE_BY_TEAM[i % len(AFTERCARE_BY_TEAM)]
               for i, name in enumerate(name for name, kind in w.teams if kind == "Anbringelse")}
    chance = (AFTERCARE_SHARE * np.array([AFTERCARE_BY_CATEGORY[c] for c in category])
              * np.where(group[young] == "handicap", AFTERCARE_HANDICAP, 1.0)
              * np.array([by_team.get(t, 1.0) for t in team[young]])
              * (1 + AFTERCARE_RISE * (eighteen - REFORM_DAY) / YEAR))
    gets = rng.random(size) < np.clip(chance, 0.05, 0.9)
    stays = rng.random(size) < 0.5
    kind = np.where(~stays, "forebyggende", np.where(np.isin(category, RESIDENTIAL), "anbringelse_eget_vaerelse",
                                                     category)).astype(object)
    late_start = rng.random(size) < 0.15  # a contact person found only after some months
    start = np.where(stays, end, eighteen + np.where(late_start, rng.integers(95, 200, size), rng.integers(0, 61, size)))
    early = rng.random(size) < 0.15  # the young person says no thanks after a few weeks
    length = np.where(early, rng.integers(14, 90, size),
                      np.maximum(1, np.round(540 * rng.lognormal(0.0, 0.6, size))).astype(np.int64))
    twenty_three = add_months_days(birth[young], 12 * 23) - 1
    stop = np.minimum(start + length, twenty_three)
    reason = np.where(stop >= twenty_three, "alder", np.where(early, "andet", "planlagt")).astype(object)
    # a decision recorded after the support began, a continued placement's too: such a placement counts among the new
    # placements of the month of its decision, when it became known (ledinfo.domain.indicators.activity)
    late = rng.random(size) < 0.12
    decided = np.where(late, start + rng.integers(10, 76, size), start - rng.integers(0, 21, size))
    on_time = rng.random(size) < timely[young]  # the plan: BL §91, within 3 months of the decision
    plan = np.where(on_time, decided + rng.integers(0, 89, size), decided + rng.integers(95, 161, size))
    plan = np.where(plan > w.end, NONE, plan)
    cost = np.round(np.array([MONTHLY_COST[c] for c in kind]) * rng.lognormal(0.0, 0.3, size), -2)
    provider = np.where(kind == category, placements.provider[aged],
                        np.where(kind == "forebyggende", "Kontaktpersonordningen",
                                 PROVIDERS["anbringelse_eget_vaerelse"][0])).astype(object)
    given = np.flatnonzero(gets)
    measures = Measures(young[given], kind[given], decided[given], start[given], stop[given], plan[given],
                        cost[given], provider[given], np.ones(len(given), dtype=bool), reason[given])
    flags = np.zeros(len(birth), dtype=bool)
    flags[young[gets]] = True
    return measures, flags


def _intake(w: World, team: np.ndarray, kind: np.ndarray, group: np.ndarray, has_inv: np.ndarray,
            inv_done: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first team, move day) of each case: some investigated cases start in an intake team
    and move to their team within a week of the investigation's end."""
    rng = w.rng
    n = len(team)
    share = np.where(group == "udsatte", STARTS_IN_INTAKE["udsatte"], STARTS_IN_INTAKE["handicap"])
    starts = has_inv & (kind != "Modtagelse") & (rng.random(n) < share)
    intake = np.asarray([name for name, k in w.teams if k == "Modtagelse"], dtype=object)
    first_team = np.where(starts, intake[rng.integers(0, len(intake), size=n)], team).astype(object)
    moved = np.where(starts, inv_done + rng.integers(0, 8, size=n), NONE)
    return first_team, moved


__all__ = ["Cases", "Investigations", "Measures", "generate_cases", "MONTH"]
