"""The section interface: what a section plugin implements and what it is given.

A section computes once per build on the whole extract
(:meth:`Section.compute`), returning a :class:`~ledinfo.interfaces.results.SectionResult`
of plain data. The audience filter then cuts that result down for each pack,
and only then does :meth:`Section.narrate` write the short text, so a text can
never mention what its audience may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ledinfo.config.file import AUDIENCES, Config, Municipality, Standards
from ledinfo.disclosure.team_rows import TeamRows
from ledinfo.domain.period import Period
from ledinfo.domain.rules import Catalogue, load_catalogue
from ledinfo.extract.model import Extract
from ledinfo.extract.point_in_time import DataSpan, known_at
from ledinfo.interfaces.results import SectionResult
from ledinfo.texts.language import Language


@dataclass(frozen=True)
class SectionContext:
    """What :meth:`Section.compute` is given.

    ``config`` is the whole configuration (a plugin may read its own tables);
    ``rules`` is the rule catalogue with the config's overrides applied.
    """

    extract: Extract  # as known at the end of ``period`` (ledinfo.extract.point_in_time)
    period: Period
    config: Config
    rules: Catalogue
    # indicator figures already computed, by (indicator, period): the goals, the summary and
    # several sections ask for the same months (see indicators.values.indicator_figures)
    figures_cache: dict = field(default_factory=dict, repr=False, compare=False)
    # the extract as known at the end of each earlier month a trend asks for, by period
    earlier: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def standards(self) -> Standards:
        return self.config.standards

    @property
    def municipality(self) -> Municipality:
        return self.config.municipality

    @classmethod
    def create(cls, extract: Extract, period: Period, config: Config) -> SectionContext:
        """The context for ``period``: the extract cut to what was known at its end."""
        return cls(known_at(extract, period.end), period, config, load_catalogue(config.rules, config.standards))

    def at(self, period: Period) -> SectionContext:
        """The same context as it stood at the end of an earlier ``period`` (a trend's month)."""
        if period == self.period:
            return self
        if period > self.period:
            raise ValueError(f"{period} is after the report period {self.period}: not known yet")
        if period not in self.earlier:
            self.earlier[period] = known_at(self.extract, period.end)
        return replace(self, extract=self.earlier[period], period=period)


@dataclass(frozen=True)
class View:
    """Who a pack is for: the audience, their team (team leaders), and the language."""

    audience: str
    language: Language
    team: str | None = None
    threshold: int = 5
    municipality: Municipality = Municipality()
    period: Period | None = None
    rows: TeamRows | None = None  # a team leader's: the ids the team may see (ledinfo.disclosure.team_rows)
    outside_data: DataSpan | None = None  # set when the period was built outside the data's span, on request


class Section:
    """Base class for sections. Subclass it and register an instance.

    Required attributes:

    - ``name``: the id used in a pack's ``sections`` (lower case, ``_`` allowed)
    - ``title``: an English title, translated through the catalogue
    - ``description``: one English line for ``ledinfo sections``
    - ``requires``: the extract tables it needs; without them it is left out
      of the pack with a note
    - ``compute(context)``: returns a :class:`SectionResult`
    """

    name: str = ""
    title: str = ""
    description: str = ""
    requires: tuple[str, ...] = ("cases",)
    audiences: tuple[str, ...] = AUDIENCES  # the packs it may appear in by default
    locale_dir = None  # a plugin's own translations: <locale_dir>/<language>/LC_MESSAGES/*.po

    def compute(self, context: SectionContext) -> SectionResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def narrate(self, result: SectionResult, view: View) -> list[str]:
        """Short paragraphs in the view's language, from the *filtered* result."""
        return []
