"""A team's rows: the one definition of what a team leader may see.

domain.md, "A team's rows": the cases whose ``team`` (in ``cases``) is the team,
with everything recorded on them, and the team's notifications and staff. Cases
move between teams and caseworkers leave, so a team's own case may carry the id
of a former caseworker or of a caseworker in another team: that id is part of
the team's row, shown with a mark ("fratrådt", "andet team"), never a reason to
refuse the pack.

Both the audience filter (:mod:`ledinfo.disclosure.disclose`) and the final guard
(:mod:`ledinfo.disclosure.guard`) ask :meth:`TeamRows.may_see`, so the guard can never
refuse a pack the filter built by these rules, and still catches a real leak:
another team's case, or a person the team has nothing to do with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from ledinfo.domain.indicators.common import active_on
from ledinfo.extract.model import Extract
from ledinfo.language import N_, Language

# Why a staff id on a team's row is not one of the team's employed caseworkers today.
FORMER = "former"  # no longer employed at the end of the period ("fratrådt")
OTHER_TEAM = "other_team"  # employed, in another team ("andet team")
NOT_YET = "not_yet"  # recorded on the case, but employed only after the period ("ikke ansat endnu")
MARKS = {FORMER: N_("former"), OTHER_TEAM: N_("other team"), NOT_YET: N_("not employed yet")}
HIDDEN_ID = N_("other team")  # an id on a team's row that is not the team's to see: the mark without the id


@dataclass(frozen=True)
class TeamRows:
    """The ids one team's leader may see, and how to mark the staff ids that are not the team's own."""

    team: str
    case_ids: frozenset[str]
    staff_ids: frozenset[str]
    marks: dict[str, str]  # staff id -> FORMER | OTHER_TEAM | NOT_YET (the team's own employed staff: absent)
    names: dict[str, str] = field(default_factory=dict)  # staff id -> name (staff.name), for the ids above

    def may_see(self, identifier: str) -> bool:
        return identifier in self.case_ids or identifier in self.staff_ids

    def shown(self, identifier: str, language: Language, names: bool) -> str:
        """An id as the team's pack shows it: a staff id with its name when ``names`` (the audience's
        ``sees_staff_names``) and the extract has one, and its mark ("R025 Mette Hansen (fratrådt)");
        an id the team may not see, only as the mark."""
        if not self.may_see(identifier):
            return f"({language(HIDDEN_ID)})"
        name = self.names.get(identifier) if names else None
        text = f"{identifier} {name}" if name else identifier
        mark = self.marks.get(identifier)
        return f"{text} ({language(MARKS[mark])})" if mark else text


@dataclass(frozen=True)
class AllTeamRows:
    """Every team's rows, computed once per build, and every id the guard looks for."""

    teams: dict[str, TeamRows]
    case_ids: frozenset[str]
    staff_ids: frozenset[str]
    child_ids: frozenset[str]
    names: dict[str, str] = field(default_factory=dict)  # every staff id's name (staff.name): the guard looks for them

    def of(self, team: str) -> TeamRows:
        return self.teams.get(team) or TeamRows(team, frozenset(), frozenset(), {})


def _strings(frame: pl.DataFrame, column: str) -> set[str]:
    if column not in frame.columns:
        return set()
    return set(frame[column].drop_nulls().unique().to_list())


def team_rows(extract: Extract, as_of: dt.date) -> AllTeamRows:
    """The rows of every team in ``extract`` as they stand at ``as_of`` (the end of the period)."""
    tables = extract.tables
    cases = tables.get("cases", pl.DataFrame(schema={"case_id": pl.String, "team": pl.String,
                                                     "caseworker_id": pl.String}))
    staff = tables.get("staff", pl.DataFrame(schema={"staff_id": pl.String, "team": pl.String,
                                                     "start_date": pl.Date, "end_date": pl.Date}))
    activities = tables.get("activities")

    # staff ids recorded on each case: the current caseworker and whoever did an activity on it
    recorded = cases.select("case_id", pl.col("caseworker_id").alias("staff_id"))
    if activities is not None and "staff_id" in activities.columns:
        recorded = pl.concat([recorded, activities.select("case_id", "staff_id")])
    recorded = (recorded.drop_nulls().unique()
                .join(cases.select("case_id", "team"), on="case_id", how="inner"))

    employed = staff.filter(active_on("start_date", "end_date", as_of))  # the rule of every indicator
    employed_team = dict(employed.select("staff_id", "team").iter_rows())
    started = dict(staff.group_by("staff_id").agg(pl.col("start_date").min()).iter_rows())

    names = staff_names(staff)
    teams: dict[str, TeamRows] = {}
    team_names = _strings(cases, "team") | _strings(staff, "team")
    own_staff = {team: set(ids) for team, ids in staff.group_by("team").agg(pl.col("staff_id").unique()).iter_rows()}
    own_cases = {team: set(ids) for team, ids in cases.group_by("team").agg(pl.col("case_id")).iter_rows()}
    on_cases = {team: set(ids) for team, ids in recorded.group_by("team").agg(pl.col("staff_id")).iter_rows()}
    for team in team_names:
        staff_ids = own_staff.get(team, set()) | on_cases.get(team, set())
        marks = {}
        for staff_id in staff_ids:
            now = employed_team.get(staff_id)
            if now == team:
                continue
            if now is not None:
                marks[staff_id] = OTHER_TEAM
            elif staff_id in started and started[staff_id] > as_of:
                marks[staff_id] = NOT_YET
            else:
                marks[staff_id] = FORMER  # also an id the staff table does not know
        teams[team] = TeamRows(team, frozenset(own_cases.get(team, ())), frozenset(staff_ids), marks,
                               {i: names[i] for i in staff_ids if i in names})

    child_ids: set[str] = set()
    for table in ("cases", "notifications"):
        if table in tables:
            child_ids |= _strings(tables[table], "child_id")
    return AllTeamRows(teams, frozenset(_strings(cases, "case_id")),
                       frozenset(_strings(staff, "staff_id") | _strings(recorded, "staff_id")), frozenset(child_ids),
                       names)


def staff_names(staff: pl.DataFrame) -> dict[str, str]:
    """Each staff id's name from the optional ``staff.name`` column: the latest employment's that has one."""
    if "name" not in staff.columns:
        return {}
    named = staff.filter(pl.col("name").is_not_null() & (pl.col("name").str.strip_chars() != ""))
    latest = named.sort("start_date").group_by("staff_id").agg(pl.col("name").last())
    return {staff_id: " ".join(name.split()) for staff_id, name in latest.iter_rows()}
