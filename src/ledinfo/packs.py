"""Packs: the configured packs burst into one job per file, and what renderers get.

A committee or director pack is one file. A team-leader pack bursts into one
file per team (``<pack-id>-<team-slug>.pdf``), each holding only that team's
rows. File names are documented in docs/outputs.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ledinfo.config import COMMITTEE, DIRECTOR, TEAM_LEADER, Config, PackSpec
from ledinfo.errors import ConfigError
from ledinfo.i18n import N_, Language, slug
from ledinfo.layout import Template
from ledinfo.results import SectionResult
from ledinfo.sections import View

AUDIENCE_TITLES = {
    COMMITTEE: N_("Briefing for the committee"),
    DIRECTOR: N_("Management information for directors"),
    TEAM_LEADER: N_("Management information for the team"),
}


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
        return self.spec.title or language(AUDIENCE_TITLES[self.audience])


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
    drawings: dict[str, object] = field(default_factory=dict)  # chart key -> drawing, drawn before rendering

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
    """Burst the configured packs into jobs; team-leader packs give one job per team."""
    jobs: list[PackJob] = []
    for spec in config.packs:
        if spec.audience != TEAM_LEADER:
            jobs.append(PackJob(spec.id, spec))
            continue
        chosen = list(spec.teams) or teams
        unknown = [t for t in chosen if t not in teams]
        if unknown:
            raise ConfigError(f"pack {spec.id!r} names team(s) {', '.join(map(repr, unknown))}, which the extract "
                              f"does not have (teams: {', '.join(teams)})")
        stems: dict[str, str] = {}
        for team in chosen:
            stem = f"{spec.id}-{slug(team)}"
            if stem in stems:
                raise ConfigError(f"teams {stems[stem]!r} and {team!r} give the same file name {stem}.pdf; "
                                  "rename one of them")
            stems[stem] = team
            jobs.append(PackJob(stem, spec, team))
    return jobs
