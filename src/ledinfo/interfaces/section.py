"""The section interface: what a section plugin implements and what it is given.

A section computes once per build on the whole extract
(:meth:`Section.compute`), returning a :class:`~ledinfo.model.results.SectionResult`
of plain data. The audience filter then cuts that result down for each pack,
and only then does :meth:`Section.narrate` write the short text, so a text can
never mention what its audience may not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

from ledinfo.disclosure.view import View
from ledinfo.domain.indicator import Indicator
from ledinfo.domain.rules import Catalogue, load_catalogue
from ledinfo.errors import ConfigError, PluginError
from ledinfo.extract.model import Extract
from ledinfo.extract.point_in_time import Timeline, known_at
from ledinfo.interfaces.targets import TargetContext, Targets
from ledinfo.model.audiences import AUDIENCES
from ledinfo.model.config import Config, Municipality, Standards
from ledinfo.model.pack_periods import PackPeriods
from ledinfo.model.period import Period
from ledinfo.model.results import SectionResult
from ledinfo.model.settings import Settings
from ledinfo.model.verdicts import STANDARD_BASES, Margin, Target, Yardstick, Yardsticks

S = TypeVar("S", bound=Settings)


@dataclass(frozen=True)
class SectionContext:
    """What :meth:`Section.compute` is given: the data, the period, and what a section legitimately needs of
    the configuration — never the whole config.

    ``rules`` is the rule catalogue with the config's overrides applied; ``settings()`` the section's own
    plugin's checked settings; ``targets`` the period's targets (annual goals, local standards) from every
    plugin that provides them (``ledinfo_register_targets``).
    """

    extract: Extract  # as known at the end of ``period`` (ledinfo.extract.point_in_time)
    period: Period
    rules: Catalogue
    municipality: Municipality = Municipality()
    standards: Standards = Standards()  # [standards]: the local intervals (the 6-week follow-up, ...)
    margin: Margin = Margin()  # [verdicts]: how near a yardstick counts as "close"
    threshold: int = 5  # [disclosure] threshold: a figure resting on fewer cases is not judged
    language: str = "da"  # the config's language (a pack's own is the view's: narrate)
    # every installed section's indicators, by id (ledinfo.domain.indicator)
    indicators: Mapping[str, Indicator] = field(default_factory=dict, repr=False, compare=False)
    # the period's targets from every provider (ledinfo.interfaces.targets), the indicator's unknown ones too
    targets: tuple[Target, ...] = ()
    # every plugin's checked [plugins.<name>] settings by schema, and what the test kit gives (``settings=[...]``):
    # read by a context of no section (the test kit's context_for) and for a schema no installed plugin registers
    plugin_settings: Mapping[type, Settings] = field(default_factory=dict, repr=False, compare=False)
    # each section's own plugin's checked settings, by section name; ``own`` is the computing section's
    section_settings: Mapping[str, Settings] = field(default_factory=dict, repr=False, compare=False)
    own: Settings | None = field(default=None, repr=False, compare=False)
    # who is asking and who owns what, so that a section reads its own plugin's settings only (settings()):
    # the computing section and its plugin, each section's plugin, each registered schema's plugin
    section: str = ""
    plugin: str = ""
    section_plugins: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    schema_plugins: Mapping[type, str] = field(default_factory=dict, repr=False, compare=False)
    # the section that provides each indicator: its figures are computed with that section's own settings
    indicator_sections: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    # indicator figures already computed, by (indicator, period): the goals, the summary and
    # several sections ask for the same months (ledinfo.domain.indicator.indicator_figures)
    figures_cache: dict = field(default_factory=dict, repr=False, compare=False)
    # the extract as known at the end of each earlier period a trend or a comparison asks for, by its last day,
    # where there is no timeline (which keeps its own cuts)
    earlier: dict = field(default_factory=dict, repr=False, compare=False)
    # the whole extract, arranged so that each of those is a slice of it (None: each is cut with known_at)
    timeline: Timeline | None = field(default=None, repr=False, compare=False)
    # every yardstick of the period: the indicators' own standards and the targets (the annual goals);
    # yardstick() gives the one that judges an indicator (ledinfo.model.verdicts)
    yardsticks: Yardsticks = field(default_factory=Yardsticks, repr=False, compare=False)

    def yardstick(self, indicator: str) -> Yardstick | None:
        """The one yardstick ``indicator`` is judged against in this period (the annual goal before a local
        standard, before the law, before a professional standard), or None: not judged."""
        return self.yardsticks.of(indicator)

    def settings(self, schema: type[S] | None = None) -> S:
        """The section's own plugin's settings (its ``[plugins.<name>]`` table, checked), else the schema's
        defaults. ``schema`` names the model (for the test kit, and for a type checker). Another plugin's
        settings are refused (:class:`~ledinfo.errors.PluginError`, naming both plugins): what one plugin offers
        another goes through a registered kind (targets: ``ledinfo_register_targets``), not its settings."""
        if schema is None or isinstance(self.own, schema):
            if self.own is None and schema is None:
                raise ValueError("this section's plugin registers no settings (ledinfo_register_settings)")
            return self.own if self.own is not None else schema()
        owner = self.schema_plugins.get(schema)
        if self.section and owner is not None and owner != self.plugin:
            raise PluginError(f"section {self.section!r} of plugin {self.plugin!r} asked for {schema.__name__}, the "
                              f"settings of plugin {owner!r}: a section reads its own plugin's settings only "
                              "(context.settings()); what one plugin offers another goes through a registered kind, "
                              "as targets do (ledinfo_register_targets, read as context.targets)")
        found = self.plugin_settings.get(schema)
        return found if found is not None else schema()

    def for_section(self, name: str) -> SectionContext:
        """The context section ``name`` computes with: its own plugin's settings in ``settings()``."""
        if name == self.section:
            return self
        return replace(self, own=self.section_settings.get(name), section=name,
                       plugin=self.section_plugins.get(name, ""))

    def for_indicator(self, indicator: str) -> SectionContext:
        """The context ``indicator``'s figures are computed with: its section's, whichever section asks for them
        (a goal, a team overview, a comparison), so an indicator reads its own plugin's settings."""
        owner = self.indicator_sections.get(indicator)
        return self if owner is None else self.for_section(owner)

    @classmethod
    def create(cls, extract: Extract, period: Period, config: Config, sections: Iterable[Section] = (),
               plugin_settings: Mapping[type, Settings] | None = None,
               providers: Iterable[tuple[Targets, Settings | None]] = (),
               section_settings: Mapping[str, Settings] | None = None,
               section_plugins: Mapping[str, str] | None = None,
               schema_plugins: Mapping[type, str] | None = None, let_go: bool = False) -> SectionContext:
        """The context for ``period``: the extract cut to what was known at its end, with the
        indicators of ``sections`` (every installed section, so goals can follow any of them) and
        the targets of ``providers`` (each with its plugin's settings: ``Registry.target_providers``).
        ``section_plugins`` and ``schema_plugins`` (``Registry.section_plugins``, ``Registry.schema_plugins``)
        say whose settings are whose: a section reads its own plugin's only. ``let_go``: the caller gives
        ``extract`` up, its tables taken out as the timeline arranges them (:class:`Timeline`)."""
        rules = load_catalogue(config.rules, config.standards)
        indicators: dict[str, Indicator] = {}
        indicator_sections: dict[str, str] = {}
        for section in sections:
            for indicator in section.indicators(rules):
                if indicator.id in indicators:
                    raise ConfigError(f"two sections provide the indicator {indicator.id!r}; the second is "
                                      f"section {section.name!r}")
                indicators[indicator.id] = indicator
                indicator_sections[indicator.id] = section.name
        for indicator_id, indicator in indicators.items():
            if indicator.standard is not None and indicator.standard.basis not in STANDARD_BASES:
                raise PluginError(f"section {indicator_sections[indicator_id]!r}: indicator {indicator_id!r} carries "
                                  f"a {indicator.standard.basis.value} as its own standard; an indicator's own is the "
                                  "law or a professional standard, and a goal or a local standard is a target: "
                                  "provide it through ledinfo_register_targets")
        targets = period_targets(providers, period, indicators, rules)
        standards = [i.standard for i in indicators.values() if i.standard is not None]
        set_by_targets = [t.yardstick(indicators[t.indicator].unit) for t in targets if t.indicator in indicators]
        timeline = Timeline(extract, let_go=let_go)
        return cls(timeline.at(period.end), period, rules, config.municipality, config.standards, config.verdicts,
                   config.threshold, config.language, indicators, targets, dict(plugin_settings or {}),
                   dict(section_settings or {}), section_plugins=dict(section_plugins or {}),
                   schema_plugins=dict(schema_plugins or {}), indicator_sections=indicator_sections,
                   timeline=timeline, yardsticks=Yardsticks([*standards, *set_by_targets]))

    def at(self, period: Period) -> SectionContext:
        """The same context as it stood at the end of another ``period``: a trend's month, the period
        before, the same period a year earlier, or a month of a quarter (known at its own end)."""
        if period == self.period:
            return self
        if period.end > self.period.end:
            raise ValueError(f"{period} ends after the report period {self.period}: not known yet")
        if period.end == self.period.end:  # the quarter's last month: the same knowledge
            return replace(self, period=period)
        if self.timeline is not None:  # it keeps the cuts it can (Timeline.at)
            return replace(self, extract=self.timeline.at(period.end), period=period)
        if period.end not in self.earlier:
            self.earlier[period.end] = known_at(self.extract, period.end)
        return replace(self, extract=self.earlier[period.end], period=period)


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
        """The section's figures, tables and charts for ``context.period`` from ``context.extract``, for every
        team and the municipality: once per build, before any audience filter (which decides what each pack shows)."""
        raise NotImplementedError

    def indicators(self, rules: Catalogue) -> Iterable[Indicator]:
        """The indicators this section provides (any goal, any section can follow them by id)."""
        return ()

    def for_pack(self, result: SectionResult, periods: PackPeriods) -> SectionResult:
        """The result as one pack shows it, before the audience filter: ``result`` holds the charts and tables the
        pack's template chose; ``periods`` says which period stands for each indicator in the pack (its own, or
        the last whole quarter where the template shows the indicator by whole quarter only: ``periods.of``). A
        section that restates other sections' figures (the goals) computes the alternatives once and picks here,
        so the pack shows one figure and one verdict for each. By default the result as computed. Figures of a
        period the pack does not show are left out after this (:meth:`PackPeriods.keeps`)."""
        return result

    def narrate(self, result: SectionResult, view: View) -> list[str]:
        """Short paragraphs in the view's language, from the *filtered* result."""
        return []

    def summary(self, result: SectionResult, view: View) -> list[str]:
        """Lines for the pack's summary page beyond the largest changes (e.g. the goals' status),
        from the *filtered* result, in the view's language."""
        return []

    def actions(self, result: SectionResult, view: View) -> list[Action]:
        """What a team leader has to act on, from the *filtered* result (the team's own figures)."""
        return []


# Urgencies of an Action, the most urgent first (the summary page sorts by them).
PAST_DEADLINE, DUE_SOON, LATER = 0, 1, 2
SOON_DAYS = 7  # "due within days": a step due within this many days of the period's end is DUE_SOON


@dataclass(frozen=True)
class Action:
    """One thing to do, for a team leader's "to do" list ("Til handling"); the most urgent (lowest) first.

    The list is grouped by caseworker, one entry per case, so a team leader can take it into each
    one-to-one meeting. An action on a case gives ``case`` and ``caseworker`` (both as the pack shows
    them: :meth:`View.staff` for a caseworker) and a ``text`` that says only the step and its date,
    absolute ("første opfølgning på foranstaltning F-12 (plejefamilie): frist mandag 30. november 2026"):
    the summary joins a case's steps into one line. An action on a caseworker alone gives ``caseworker``
    and a whole sentence; one on the team gives neither, or ``unassigned`` when it is about the cases that name no
    caseworker (it heads their group, "Sager uden rådgiver", not the team's). ``listed_in`` names the list in the pack that
    holds it (in the view's language), so an entry left out of a long group is still found.
    """

    text: str  # in the view's language
    urgency: int = LATER  # PAST_DEADLINE: a legal deadline is past; DUE_SOON: due within days; LATER: the rest
    case: str | None = None
    caseworker: str | None = None
    due: dt.date | None = None  # when the step was or is due: the earliest first within an urgency
    listed_in: str | None = None
    unassigned: bool = False  # about the cases naming no caseworker: in their group



def period_targets(providers: Iterable[tuple[Targets, Settings | None]], period: Period,
                   indicators: Mapping[str, Indicator], rules: Catalogue | None = None) -> tuple[Target, ...]:
    """The targets every provider gives for ``period``, each marked with its provider's name."""
    found = []
    for provider, settings in providers:
        for target in provider.targets(TargetContext(period, indicators, settings, rules)):
            if not isinstance(target, Target):
                raise ConfigError(f"targets {provider.name!r} gave {target!r}; a provider gives ledinfo.api.Target "
                                  "values")
            found.append(replace(target, provider=provider.name))
    return tuple(found)
