"""The configuration's types: what a checked TOML config holds (source, municipality, local standards, packs).

Plain data, read by every stage; :mod:`ledinfo.config.file` reads and checks the file into these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from ledinfo.model.audiences import COMMITTEE, DIRECTOR, TEAM_LEADER, audience
from ledinfo.model.verdicts import Margin


@dataclass(frozen=True)
class Standards:
    """Local standards and configurable intervals (domain.md), shown next to the law."""

    followup_interval_days: int = 42  # the 6-week follow-up rate
    investigation_local_months: int = 2  # local standard for investigations
    recurring_followup_months: int = 6  # BL §95: frequency set locally


@dataclass(frozen=True)
class Municipality:
    name: str = ""  # required in a config file; empty (printed nowhere) only for `build --data` without a name
    inhabitants: int | None = None


@dataclass(frozen=True)
class Contact:
    """Who answers the committee's questions about the pack (``[committee] contact``)."""

    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Committee:
    """``[committee]``: what a committee pack's cover says besides the municipality."""

    name: str | None = None  # "Børne- og Familieudvalget"
    meetings: tuple[dt.date, ...] = ()  # the year's meeting dates; a pack names the first after its period
    contact: Contact | None = None

    def meeting_after(self, day: dt.date) -> dt.date | None:
        """The meeting a pack whose figures are as of ``day`` goes to: the first one after that day."""
        return next((meeting for meeting in sorted(self.meetings) if meeting > day), None)


@dataclass(frozen=True)
class MunicipalitySpec:
    """One of several municipalities a config builds for (a shared-service centre)."""

    id: str  # names the municipality's output folder
    municipality: Municipality
    source: dict
    committee: Committee = Committee()


@dataclass(frozen=True)
class PackSpec:
    """One pack as configured. Team-leader packs burst into one pack per team. Who gets it is the delivery's
    own setting (the email delivery's ``[delivery.email.to]``), not the pack's."""

    id: str
    audience: str
    sections: tuple[str, ...] = ()  # empty: every section that suits the audience
    title: str | None = None
    teams: tuple[str, ...] = ()  # team-leader packs: only these teams (empty: all)
    leave_out: tuple[str, ...] = ()  # sections that suit the audience but this pack leaves out
    template: str | None = None  # a built-in template's name or a TOML file (default: the audience's)


@dataclass(frozen=True)
class Config:
    base_dir: Path
    source: dict
    path: Path | None = None
    language: str = "da"
    municipality: Municipality = Municipality()
    standards: Standards = Standards()
    threshold: int = 5
    packs: tuple[PackSpec, ...] = ()
    delivery: dict = field(default_factory=dict)
    rules: dict = field(default_factory=dict)  # [rules.<id>]: deadline overrides and local standards
    mappings: dict = field(default_factory=dict)  # [mapping.<table>]: table -> ledinfo.extract.mapping.TableMapping
    plugins: dict = field(default_factory=dict)  # [plugins.<name>]: each plugin's own table, checked by its schema
    municipalities: tuple[MunicipalitySpec, ...] = ()  # [[municipalities]]: several, each with its source
    outside_data: bool = False  # build a period outside the data's span anyway (--allow-outside-data)
    committee: Committee = Committee()  # [committee]: the committee pack's cover
    verdicts: Margin = Margin()  # [verdicts]: how near a yardstick counts as "close"
    comments: Path | None = None  # [comments] folder: the administration's comments, <folder>/<period>/<pack>.md

    def with_packs(self, packs: tuple[PackSpec, ...]) -> Config:
        return replace(self, packs=packs)

    def for_municipality(self, spec: MunicipalitySpec) -> Config:
        """The config of one of several municipalities: its name and source, everything else shared."""
        return replace(self, municipality=spec.municipality, source=dict(spec.source), municipalities=(),
                       committee=spec.committee if spec.committee != Committee() else self.committee)


def most_packs(packs) -> int | None:
    """How many packs ``packs`` (their specs) give at most (None: one per team, unknown before the data is read)."""
    if any(audience(spec.audience).per_team for spec in packs):
        return None
    return len(packs)


def pack_teams(packs) -> dict[str, tuple[str, ...] | None]:
    """Each of ``packs`` by id, as a delivery's ``pack_problems`` takes them: None for one pack, a team-leader
    pack's ``teams`` (empty: every team of the extract) for a pack sent to each team."""
    return {spec.id: tuple(spec.teams) if audience(spec.audience).per_team else None for spec in packs}


DEFAULT_PACKS = (
    PackSpec("udvalg", COMMITTEE),
    PackSpec("direktion", DIRECTOR),
    PackSpec("team", TEAM_LEADER),
)
