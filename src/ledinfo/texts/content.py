"""Packs: the configured packs burst into one job per file, and what renderers get.

A committee or director pack is one file. A team-leader pack bursts into one
file per team (``<pack-id>-<team-slug>.pdf``), each holding only that team's
rows. File names are documented in docs/outputs.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ledinfo.disclosure.view import View
from ledinfo.errors import ConfigError
from ledinfo.extract.schema import MAX_TEAM_NAME
from ledinfo.language import Language, slug
from ledinfo.model.audiences import audience
from ledinfo.model.config import Committee, Config, PackSpec
from ledinfo.model.results import DisclosedResult, SectionResult
from ledinfo.texts.comments import Comments
from ledinfo.texts.summary import ActionGroup
from ledinfo.texts.templates import Template


@dataclass(frozen=True)
class PackJob:
    """One output file: a pack for an audience (and, for team leaders, a team)."""

    pack_id: str  # the file stem: "udvalg", "team-boern"
    spec: PackSpec
    team: str | None = None

    @property
    def audience(self) -> str:
        return self.spec.audience

    def title(self, language: Language) -> str:
        return self.spec.title or language(audience(self.audience).title)


@dataclass
class PackContent:
    """Everything a renderer needs for one pack: already filtered for its audience."""

    job: PackJob
    view: View
    sections: list[SectionResult]
    omitted: list[tuple[str, str]] = field(default_factory=list)  # (section title, reason), translated
    version: str = ""
    template: Template | None = None
    summary: list[str] = field(default_factory=list)  # the summary page's lines, translated
    headlines: list[str] = field(default_factory=list)  # the first key figures, "label: value", translated
    drawings: dict[str, bytes] = field(default_factory=dict)  # chart key -> drawing drawn before rendering, pickled
    comments: Comments = field(default_factory=Comments)  # the administration's, for the pack and its sections
    committee: Committee | None = None  # a committee pack's [committee]: its name and contact on the cover
    meeting: dt.date | None = None  # the committee meeting the pack goes to
    actions: list[ActionGroup] = field(default_factory=list)  # a team leader's to-do list, by caseworker

    # the summary's first lines, the changes a politician will ask about: the questions for the comments
    prompts: list[str] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        """A pack that is an agenda item (the committee's) without the administration's comment on it: no
        background and no assessment written (a proposal alone, as ledinfo comments puts it, is no comment)."""
        if not audience(self.job.audience).agenda_item:
            return False
        agenda = self.comments.pack.agenda if self.comments.pack is not None else None
        return agenda is None or not (agenda.background or agenda.assessment)

    def __post_init__(self) -> None:
        raw = [s.section for s in self.sections if not isinstance(s, DisclosedResult)]
        if raw:  # a renderer only ever gets what the audience filter let through
            raise TypeError(f"pack {self.job.pack_id}: sections {raw} were not disclosed for the audience")

    @property
    def title(self) -> str:
        """The pack's own title, else its template's, in the pack's language."""
        language = self.view.language
        if self.job.spec.title:
            return self.job.spec.title
        if self.template is not None:
            return self.template.title.get(language.code, self.template.title["da"])
        return self.job.title(language)


def plan_jobs(config: Config, teams: list[str]) -> list[PackJob]:
    """Burst the configured packs into jobs; team-leader packs give one job per team.

    Validation already refuses team names that cannot name a file (too long, two with one
    file name); this check stays for extracts built without it, and lists every problem.
    """
    jobs: list[PackJob] = []
    problems: list[str] = []
    for spec in config.packs:
        if not audience(spec.audience).per_team:
            jobs.append(PackJob(spec.id, spec))
            continue
        chosen = list(spec.teams) or teams
        unknown = [t for t in chosen if t not in teams]
        if unknown:
            problems.append(f"pack {spec.id!r} names team(s) {', '.join(map(repr, unknown))}, which the extract "
                            f"does not have (teams: {', '.join(teams)})")
        stems: dict[str, str] = {}
        for team in chosen:
            stem = f"{spec.id}-{slug(team)}"
            if len(team) > MAX_TEAM_NAME or len(slug(team)) > MAX_TEAM_NAME:
                problems.append(f"the team name {team[:40]!r}... is {len(team)} characters long; at most "
                                f"{MAX_TEAM_NAME} (it names the team's pack files)")
            elif stem in stems:
                problems.append(f"teams {stems[stem]!r} and {team!r} give the same file name {stem}.pdf; "
                                "rename one of them")
            else:
                stems[stem] = team
                jobs.append(PackJob(stem, spec, team))
    if len(problems) == 1:
        raise ConfigError(problems[0])
    if problems:
        raise ConfigError("\n".join([f"{len(problems)} problems with the packs' teams:"] + [f"  {p}" for p in problems]))
    return jobs
