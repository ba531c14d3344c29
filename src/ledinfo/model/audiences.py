"""The audiences of the packs, one record each: what it may see, how it is protected, its names.

domain.md's "Disclosure" table as data. The audience filter (:mod:`ledinfo.disclosure.disclose`),
the final guard, the pack planner and the renderers read these records, so adding an
audience is adding one record here (and a template, ``templates/<id>.toml``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ledinfo.language import N_
from ledinfo.model.results import CASE, MUNICIPALITY, STAFF, TEAM, Level


@dataclass(frozen=True)
class Audience:
    id: str
    aliases: tuple[str, ...]  # other names a config may use ("udvalg")
    levels: frozenset[Level]  # the detail it may see
    protected: bool  # the committee's rules: small counts hidden, complementary suppression, the audit
    per_team: bool  # one pack per team, holding that team's rows (ledinfo.disclosure.team_rows) and the municipality's
    sees_ids: bool  # case and staff ids (never CPR numbers, children's names or birth dates: nobody sees those)
    title: str  # the pack's default title (message id)
    name: str  # who it is for, on the cover (message id)
    confidential: str | None = None  # a warning on the cover and in the footer
    # staff names (the optional staff.name) beside staff ids: a team leader knows the team by name; the committee
    # and directors never see a name, and the final guard refuses one in their packs (ledinfo.disclosure.guard)
    sees_staff_names: bool = False
    # the pack is the administration's agenda item to a political body: laid out as one (background, the
    # administration's assessment, its proposal) when commented, marked as a draft on every page when not
    agenda_item: bool = False
    # the extract's table and column names in a note ("kolonnen measures.end_reason"): a team leader passes a gap on
    # to the person who makes the extract; the committee and directors read what is missing in words (ForReaders)
    sees_extract_names: bool = False
    # A statistic over caseworkers it does not see one by one (Figure.extra[STAFF_BASE]: a team's caseload in the
    # directors' pack, the municipality's beside a team's own): its value (an average) is shown only when it rests on
    # at least ``staff_average_from`` of them, its spread (lowest, median, highest: DISTRIBUTION) only from
    # ``staff_distribution_from`` (None: never) — one caseworker's average, or the lowest or highest of two, is that
    # person's own caseload, personal data about an employee (domain.md: team leader packs only)
    staff_average_from: int = 2
    staff_distribution_from: int | None = 3


COMMITTEE = "committee"
DIRECTOR = "director"
TEAM_LEADER = "team_leader"

RECORDS = {record.id: record for record in (
    Audience(COMMITTEE, ("udvalg",), frozenset({MUNICIPALITY}), protected=True, per_team=False, sees_ids=False,
             title=N_("Briefing for the committee"), name=N_("the committee"), agenda_item=True),
    Audience(DIRECTOR, ("direktion", "chef"), frozenset({MUNICIPALITY, TEAM}), protected=False, per_team=False,
             sees_ids=False, title=N_("Management information for directors"),
             name=N_("directors and heads of service")),
    Audience(TEAM_LEADER, ("teamleder", "team-leader", "teamleader"), frozenset({MUNICIPALITY, TEAM, STAFF, CASE}),
             protected=False, per_team=True, sees_ids=True, title=N_("Management information for the team"),
             name=N_("the team leader"),
             confidential=N_("Confidential: this pack holds case numbers and staff ids of the team. "
                             "Do not forward it."), sees_staff_names=True, sees_extract_names=True,
             # the municipality's figures are the team's comparison, its totals (domain.md): the spread of other
             # teams' caseworkers, whose lowest and highest are one person's caseload each, is no total
             staff_distribution_from=None),
)}
AUDIENCES = tuple(RECORDS)
ALIASES = {alias: record.id for record in RECORDS.values() for alias in record.aliases}


def audience(audience_id: str) -> Audience:
    return RECORDS[audience_id]


def normalise_audience(value: str) -> str | None:
    """The audience id a config's word means, or None."""
    value = value.strip().lower()
    return value if value in RECORDS else ALIASES.get(value)


__all__ = ["AUDIENCES", "COMMITTEE", "DIRECTOR", "RECORDS", "TEAM_LEADER", "Audience", "audience",
           "normalise_audience"]
