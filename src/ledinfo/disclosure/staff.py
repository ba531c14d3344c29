"""Statistics over caseworkers as each audience may see them: never one caseworker's own figure outside the pack
of that caseworker's team leader (domain.md, "Disclosure": staff-level figures are personal data about employees).

A statistic over caseworkers (a team's caseload) says how many it rests on (``Figure.extra[STAFF_BASE]``) and
carries its spread over them (the ``extra`` values of ``DISTRIBUTION``). Of one caseworker, the team's average is
that person's caseload; of two, the lowest and the highest are each one person's. So an audience that does not see
the caseworkers behind a statistic one by one — directors, the committee, a team leader looking at the
municipality's figure, made mostly of other teams' caseworkers — sees its value only from
``Audience.staff_average_from`` of them and its spread only from ``Audience.staff_distribution_from``; the rest is
hidden as ``FEW_STAFF`` ("–", "vises ikke: ville vise én rådgivers eget tal"), in the figure, in every table cell and chart value
bound to it (:mod:`ledinfo.disclosure.disclose`), and so in every sentence, takeaway and summary line, which are
written from the disclosed figures. Decided here for every section alike, built-in or a plugin's.

What a director could otherwise work out from the municipality's figure less the teams shown is hidden too: a
second team where the teams hidden have one caseworker together (the municipality's cases and FTE less the other
teams' would be that person's), the municipality's lowest or highest caseload where no team shown has it (it is then
a hidden team's caseworker's), and its count of caseworkers above the guideline where the teams whose count is
hidden have fewer caseworkers than a spread needs.
"""

from __future__ import annotations

from ledinfo.language import N_
from ledinfo.model.audiences import audience
from ledinfo.model.results import DISTRIBUTION, FEW_STAFF, STAFF, STAFF_BASE, TEAM, Figure, Message

EXTREMES = ("min", "max")  # the distribution's values that are one caseworker's each, whatever the team's size
COUNTED_ABOVE = "above_guideline"  # the distribution's count of caseworkers: the teams' add up to the municipality's


def _key(figure: Figure) -> tuple:
    return figure.indicator, figure.period, figure.category


def staff_statistics(figures: dict[str, list[Figure]], view) -> tuple[dict[str, list[Figure]], list[str]]:
    """``figures`` (by section) as ``view``'s audience may see their statistics over caseworkers, and the sections
    where something of them was hidden (each then says why, once: :func:`staff_note`)."""
    record = audience(view.audience)
    team_leader = record.per_team and STAFF in record.levels
    # the caseworkers a team leader sees one by one: the own team's, per indicator, period and category
    seen = {_key(f): f.extra[STAFF_BASE] for fs in figures.values() for f in fs
            if team_leader and f.team == view.team and f.staff_id is None and STAFF_BASE in f.extra}
    out, touched = {}, []
    for section, found in figures.items():
        shown = []
        for figure in found:
            if STAFF_BASE not in figure.extra or figure.staff_id is not None or (team_leader and figure.team is not None):
                shown.append(figure)  # no statistic over caseworkers, or one over caseworkers the reader sees
                continue
            unseen = figure.extra[STAFF_BASE] - seen.get(_key(figure), 0)
            shown.append(_as_seen(figure, unseen, record))
        if TEAM in record.levels and not record.per_team:
            shown = _municipality_complement(shown, record)
        if any(a is not b for a, b in zip(found, shown)):
            touched.append(section)
        out[section] = shown
    return out, touched


def _as_seen(figure: Figure, unseen: int, record) -> Figure:
    """The statistic as an audience sees it that does not see ``unseen`` of the caseworkers behind it."""
    if 0 < unseen < record.staff_average_from:  # its average is one caseworker's own: nothing of it but the count
        return figure.with_(value=None, numerator=None, denominator=None, suppressed=True, hidden_as=FEW_STAFF,
                            verdict=None, extra={STAFF_BASE: figure.extra[STAFF_BASE]})
    spread = record.staff_distribution_from
    if unseen and (spread is None or unseen < spread) and any(k in figure.extra for k in DISTRIBUTION):
        return figure.with_(extra={k: v for k, v in figure.extra.items() if k not in DISTRIBUTION})
    return figure


def _municipality_complement(figures: list[Figure], record) -> list[Figure]:
    """A directors' pack shows every team's statistic beside the municipality's, whose numbers less the teams shown
    are the hidden teams' together. So where the teams whose average is hidden have fewer caseworkers together than
    an average needs (one: the municipality's cases and FTE less the other teams' are that person's), the shown team
    of the fewest caseworkers is hidden too; where a team's spread is hidden, the municipality's lowest and highest
    are shown only where a team shown has them, and its count above the guideline only where the teams hidden have
    caseworkers enough for a spread."""
    by_key: dict[tuple, list[Figure]] = {}
    for figure in figures:
        if figure.team is not None and figure.staff_id is None and STAFF_BASE in figure.extra:
            by_key.setdefault(_key(figure), []).append(figure)
    if not by_key:
        return figures
    also: dict[int, Figure] = {}  # a shown team hidden so that a hidden one's average cannot be worked out
    for teams in by_key.values():
        hidden = sum(f.extra[STAFF_BASE] for f in teams if f.suppressed)
        for figure in sorted((f for f in teams if not f.suppressed and f.value is not None),
                             key=lambda f: (f.extra[STAFF_BASE], f.team)):
            if not 0 < hidden < record.staff_average_from:
                break
            also[id(figure)] = _as_seen(figure, 1, record)
            hidden += figure.extra[STAFF_BASE]
    figures = [also.get(id(f), f) for f in figures]
    by_key = {key: [also.get(id(f), f) for f in teams] for key, teams in by_key.items()}
    result = []
    for figure in figures:
        teams = by_key.get(_key(figure)) if figure.team is None and STAFF_BASE in figure.extra else None
        hidden = [f for f in teams or () if any(k not in f.extra for k in EXTREMES)]
        if not hidden:
            result.append(figure)
            continue
        drop = {k for k in EXTREMES if k in figure.extra
                and figure.extra[k] not in {f.extra[k] for f in teams if k in f.extra}}
        spread = record.staff_distribution_from
        if spread is None or sum(f.extra[STAFF_BASE] for f in hidden) < spread:
            drop.add(COUNTED_ABOVE)
        extra = {k: v for k, v in figure.extra.items() if k not in drop}
        result.append(figure.with_(extra=extra) if len(extra) != len(figure.extra) else figure)
    return result


def staff_note(view) -> Message:
    """Why a statistic over caseworkers is not shown, said once under its section."""
    record = audience(view.audience)
    if record.staff_distribution_from is None:
        return N_("The municipality's figures are shown as its totals: the lowest, median and highest of its "
                  "caseworkers are not, as each would be the figure of one caseworker in another team.")
    return (N_("Too few caseworkers to show the spread: a team's lowest, median and highest are shown from "
               "{spread} caseworkers and its average from {average}, so that no figure is one caseworker's own, "
               "nor can be worked out from the municipality's less the other teams'; figures of each caseworker are "
               "for the team leader only."),
            {"spread": str(record.staff_distribution_from), "average": str(record.staff_average_from)})


__all__ = ["staff_note", "staff_statistics"]
