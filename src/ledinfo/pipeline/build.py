"""The pipeline, in one place: one :class:`Pipeline` whose stages run in the order data flows.

1. **plan** (:mod:`ledinfo.pipeline.plan`): the config checked against the plugins; each pack's sections;
2. **fingerprint**: the build's key from the source's cheap fingerprint, when it offers one
   (:meth:`ledinfo.interfaces.source.Source.fingerprint`); else the build is fingerprinted by loading;
3. **reuse** (:mod:`ledinfo.pipeline.reuse`): the last build, when its key is this one's and its files intact;
4. **load**: the configured source read, mapped and validated (:func:`ledinfo.interfaces.source.load_extract`);
5. **compute**: the packs' jobs, then every section a pack needs, once, on the extract as known at the
   period's end, with the comparisons' figures;
6. **disclose**: per pack, the template's choice, then the pack-wide disclosure for its audience;
7. **texts**: per pack, the texts, from what the audience may see;
8. **render**: every unique chart drawn once, then each PDF and JSON, in warm worker processes
   (:mod:`ledinfo.runtime.workers`);
9. **publish**: the guard reads every output back, the files and ``manifest.json`` are written into a
   staging folder, which replaces the output folder whole (:mod:`ledinfo.runtime.staging`).

``ledinfo build``, ``ledinfo run`` (:mod:`ledinfo.delivery.run`: the pipeline, then delivery), a shared-service
centre's build (:mod:`ledinfo.pipeline.municipalities`), the unchanged-rerun check and the plugin test kit all
go through :class:`Pipeline`. A failure in one pack (or in a section or chart it needs) is recorded and
reported, and never stops the other packs. Where the time goes is recorded in
:class:`~ledinfo.runtime.timing.Timings`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import pickle
import shutil
import traceback
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from babel.lists import format_list

from ledinfo import __version__
from ledinfo.disclosure.disclose import TeamFigures, disclose_pack
from ledinfo.disclosure.guard import GuardIds, check
from ledinfo.disclosure.read_back import read_json, read_pdf
from ledinfo.disclosure.series import Publication, Series, needed_periods
from ledinfo.disclosure.team_rows import AllTeamRows, team_rows
from ledinfo.disclosure.view import View
from ledinfo.domain.indicator import (
    NotStored,
    StoredIndicators,
    add_comparisons,
    comparison_periods,
    indicator_figures_of,
    with_units,
)
from ledinfo.errors import LedinfoError
from ledinfo.extract import Extract
from ledinfo.extract.point_in_time import DataSpan, check_period, data_span, period_problem
from ledinfo.extract.schema import TABLE_WORDS
from ledinfo.interfaces.section import SectionContext
from ledinfo.interfaces.source import Fingerprint, SourceContext, checked_source, load_extract
from ledinfo.language import Language
from ledinfo.model.audiences import COMMITTEE, audience
from ledinfo.model.config import Config, most_packs
from ledinfo.model.pack_periods import PackPeriods
from ledinfo.model.period import MONTH, QUARTER, Period
from ledinfo.model.results import Over, SectionResult, validate_result
from ledinfo.model.verdicts import judge_result
from ledinfo.pipeline import stored
from ledinfo.pipeline.manifest import MANIFEST, packs_manifest, sha256_file, write_atomically, write_manifest
from ledinfo.pipeline.plan import Plan
from ledinfo.pipeline.report import BuildReport, PackOutcome
from ledinfo.pipeline.reuse import (
    STAMP,
    build_key,
    data_key,
    pack_comments,
    pack_key,
    plugin_versions,
    reused,
    reused_line,
    stamp,
)
from ledinfo.pipeline.series_figures import SeriesFigures
from ledinfo.plugin_host.registry import Registry
from ledinfo.render.parallel import Renderer, warm_up
from ledinfo.render.verdicts import precise_view, show_verdicts
from ledinfo.runtime.signals import raise_if_stopped
from ledinfo.runtime.staging import Output
from ledinfo.runtime.timing import Timings
from ledinfo.runtime.workers import WorkerPool, no_pool, pool_for
from ledinfo.texts.comments import load_comments, stray_files
from ledinfo.texts.content import PackContent, PackJob, plan_jobs
from ledinfo.texts.summary import action_groups, headlines, summary_lines, takeaway
from ledinfo.texts.templates import Template

log = logging.getLogger("ledinfo.pipeline")
# The packs written (texts done) ahead of those rendered: a large municipality's hundreds of team packs' contents,
# all held until the last was rendered, were much of its build's memory (issue 27); a municipality's few are not held back
PACKS_AHEAD = 16
PROMPTS = 5  # the summary's first lines a committee pack's comment is asked to answer (ledinfo comments)


@dataclass
class Computed:
    """What the compute stage gives every pack: section results, and what went wrong."""

    results: dict[str, SectionResult]
    failures: dict[str, str]  # section -> why it failed
    missing: dict[str, list[str]]  # section -> the tables the extract lacks
    rows: AllTeamRows  # each team's rows: the audience filter and the guard use the same
    outside: DataSpan | None  # the data's span, when the period was built outside it on request
    context: SectionContext | None = None  # what the sections computed on: the committee's series asks it more
    empty: tuple[str, ...] = ()  # tables the source gave without a row, left out as if absent
    over: dict = field(default_factory=dict)  # indicator -> how it counts over a period (Over), for the templates
    # without the context (read back from a store): the indicators' figures it computed, for the committee's series
    indicators: StoredIndicators | None = None


# --- the stages ---------------------------------------------------------------------------------

def load(plan: Plan, period: Period) -> Extract:
    """Stage 4, load: read the configured source, map it (``[mapping]``) and validate what it returns."""
    config = plan.config
    return load_extract(config.source, plan.registry, config.base_dir, period, config.mappings)


def compute(plan: Plan, extract: Extract, period: Period, outside: DataSpan | None = None,
            shared: SeriesFigures | None = None, let_go: bool = False) -> Computed:
    """Stage 5, compute: each section some pack shows, once, on the extract as known at the period's end.

    ``outside``: the data's span, when the period lies outside it and the config asked to build it anyway.
    ``shared``: the indicator figures the computes of other periods of the same plan and extract made, for a
    caller that builds several periods of one extract in one process (the committee's series:
    :func:`ledinfo.api.attack.series.build_series`): each (indicator, period) is then computed once for them all,
    not once per build, with the same figures (:mod:`ledinfo.pipeline.series_figures` says why they are the
    same). This compute's figures, and those its packs' disclosure asks for later, are shared on in turn.
    ``let_go``: the caller gives ``extract`` up — its tables are taken out of it as the sections' timeline
    arranges them, so a large extract is not held twice while the sections compute (issue 27). Not with
    ``shared``, whose builds read the same extract again.
    """
    if shared is not None and let_go:
        raise ValueError("an extract whose figures a series shares is read again: it cannot be let go")
    registry = plan.registry
    span = data_span(extract)
    compared = comparison_periods(period, span.first if span else None)
    rows = team_rows(extract, period.end)  # of the extract as read, before the timeline takes its tables
    held = set(extract.tables)  # the tables it has (Extract.missing), asked after they went to the timeline
    context = SectionContext.create(extract, period, plan.config, registry.sections(), plan.settings,
                                    registry.target_providers(plan.settings), registry.section_settings(plan.settings),
                                    registry.section_plugins(), registry.schema_plugins(), let_go=let_go)
    if shared is not None:
        shared.check(plan, extract)
        shared.give(context)
        shared.take(context)
    results, failures, missing = {}, {}, {}
    for name in sorted(plan.needed):
        section = registry.section(name)
        lacking = [table for table in section.requires if table not in held]
        if lacking:
            missing[name] = lacking
            continue
        try:
            results[name] = compute_section(section, context, compared)
        except Exception as error:  # a plugin's bug must not stop the other sections
            raise_if_stopped()  # but a stop the plugin turned into its error does
            log.error("section %s failed:\n%s", name, traceback.format_exc())
            failures[name] = (f"section {name!r} (plugin {registry.plugin_of('section', name)}) failed: "
                              f"{type(error).__name__}: {error}")
    over = {indicator: found.over for indicator, found in context.indicators.items()}
    return Computed(results, failures, missing, rows, outside, context, extract.empty, over)


def compute_section(section, context: SectionContext, compared: list[Period] = ()) -> SectionResult:
    """One section's result: computed, with the comparisons' figures, checked, and each figure of the period
    given its one verdict (:func:`ledinfo.model.verdicts.judge_result`: the only place one is made)."""
    result = section.compute(context.for_section(section.name))  # with its own plugin's settings
    add_comparisons(result, context, list(compared))
    with_units(result, context.indicators)
    validate_result(result)
    judge_result(result, context.yardsticks, context.margin, context.threshold)
    return result


def _why_left_out(tables: list[str], empty: tuple[str, ...], language: Language, in_words: bool = False) -> str:
    """Why a section is left out: the tables the extract lacks, and those it gave without a row — by the tables'
    names for a team leader, who passes it on to whoever makes the extract; ``in_words`` for the committee and
    directors ("udtrækket har ingen oplysninger om personalet")."""
    absent, without_rows = [t for t in tables if t not in empty], [t for t in tables if t in empty]
    if in_words:
        def said(names: list[str]) -> str:
            return format_list([language(TABLE_WORDS.get(n, n)) for n in names], locale=language.locale)

        reasons = [language("the extract has no information on {what}", what=said(absent))] if absent else []
        if without_rows:
            reasons.append(language("the extract's information on {what} is empty", what=said(without_rows)))
        return "; ".join(reasons)
    reasons = [language("the extract has no {tables} table", tables=", ".join(absent))] if absent else []
    if without_rows:
        reasons.append(language("the extract's {tables} table has no rows", tables=", ".join(without_rows)))
    return "; ".join(reasons)


@dataclass
class Disclosed:
    """One pack after the disclose stage: who it is for, its template, and each section as its audience sees it."""

    job: PackJob
    view: View
    template: Template
    sections: list[SectionResult]


@dataclass(frozen=True)
class Chosen:
    """What a pack's template chooses of the computed sections, before disclosure: which period stands for each
    indicator (``periods``) and the results it shows (``shown``). The same for every pack of one spec — a team
    leader's pack per team — so a build makes it once per spec (:meth:`Pipeline.disclose`), not once per team: in
    a large municipality each team pack's choice went through every team's figures of every trend month."""

    periods: PackPeriods
    shown: list[SectionResult]

    @cached_property
    def by_team(self) -> dict[str, TeamFigures]:
        """The shown results' figures arranged by team, for the team leaders' packs (:class:`TeamFigures`)."""
        return {result.section: TeamFigures.of(result.figures) for result in self.shown}


def template_choice(plan: Plan, computed: Computed, pack_id: str, period: Period) -> Chosen:
    """The :class:`Chosen` of the packs of ``pack_id``'s spec."""
    periods = pack_periods(plan, computed, pack_id, period)
    return Chosen(periods, pack_results(plan, computed, pack_id, period, periods))


def disclose(plan: Plan, computed: Computed, job: PackJob, language: Language, period: Period,
             chosen: Chosen | None = None) -> Disclosed:
    """Stage 6, one pack: the template's choice, then the pack-wide disclosure for its audience (the committee's
    across the series), then each figure's verdict as the audience may see it. Nothing is written in words yet.
    ``chosen``: the template's choice (:func:`template_choice`) when the caller has it, from a pack of the same
    spec; the disclosure makes new results of it and changes none of it."""
    config = plan.config
    names = plan.sections_of[job.spec.id]
    broken = [computed.failures[n] for n in names if n in computed.failures]
    if broken:
        raise RuntimeError("; ".join(broken))
    template = plan.templates[job.spec.id]
    chosen = chosen or template_choice(plan, computed, job.spec.id, period)
    periods, shown = chosen.periods, chosen.shown
    view = View(job.audience, language, job.team, config.threshold, config.municipality, period,
                computed.rows.of(job.team) if job.team is not None else None, computed.outside, config.verdicts,
                periods)
    indicators = computed.context if computed.context is not None else computed.indicators
    if audience(job.audience).protected and indicators is None:  # stored figures carry no extract
        raise RuntimeError(f"the pack {job.pack_id} needs the figures of its whole series: the data must be read")
    series = committee_series(indicators, shown, period, template, periods) \
        if audience(job.audience).protected else None
    by_team = chosen.by_team if audience(job.audience).per_team and job.team is not None else None
    sections = show_verdicts(disclose_pack(shown, view, series, by_team), view)
    # a judged figure whose rounding would cross its yardstick prints one decimal more, everywhere in the pack
    view = precise_view(sections, view)
    return Disclosed(job, view, template, sections)


def write_texts(plan: Plan, computed: Computed, disclosed: Disclosed, language: Language,
                period: Period, guard_ids: GuardIds | None = None) -> PackContent:
    """Stage 7, one pack: texts and takeaways, the comments, the summary — only now, from what the audience may
    see, so none can show what it may not. ``guard_ids``: the build's :class:`GuardIds` of ``computed.rows``, which
    check each comment (made here when not given; a build shares one: its search of every id and staff name is
    set up once, 32 ms of CPU for each pack with a comment at scale 10)."""
    config, registry = plan.config, plan.registry
    job, view, template, sections = disclosed.job, disclosed.view, disclosed.template, disclosed.sections
    for visible in sections:
        visible.charts = [replace(c, takeaway=takeaway(c, view)) for c in visible.charts]
        visible.texts = registry.section(visible.section).narrate(visible, view)
    names = plan.sections_of[job.spec.id]
    in_words = not audience(job.audience).sees_extract_names
    omitted = [(language(registry.section(n).title),
                _why_left_out(computed.missing[n], computed.empty, language, in_words))
               for n in names if n in computed.missing]
    by_name = {s.section: registry.section(s.section) for s in sections}
    committee = config.committee if job.audience == COMMITTEE else None
    contact = committee.contact if committee is not None else None
    comments = load_comments(config.comments, str(period), job.pack_id, [s.section for s in sections],
                             guard_ids or GuardIds(computed.rows), job.audience, job.team,
                             (contact.name,) if contact is not None else ())
    meeting = committee.meeting_after(period.end) if committee else None
    if committee and committee.meetings and meeting is None:
        log.warning("committee.meetings: no meeting after %s; the cover of %s names no meeting", period.end,
                    job.pack_id)
    actions = action_groups(sections, view, by_name) if template.summary == "actions" else []
    summary = summary_lines(template, sections, view, by_name, actions)
    prompts = summary[:PROMPTS] if audience(job.audience).agenda_item else []
    return PackContent(job, view, sections, omitted, __version__, template, summary, headlines(sections, view),
                       actions=actions, comments=comments, committee=committee, meeting=meeting, prompts=prompts)


def prepare(plan: Plan, computed: Computed, job: PackJob, language: Language, period: Period) -> PackContent:
    """One pack's content, disclosed and then written: stages 6 and 7 in their order (for ``ledinfo comments``,
    which needs a pack's questions, not its PDF)."""
    return write_texts(plan, computed, disclose(plan, computed, job, language, period), language, period)


def committee_series(context: SectionContext | StoredIndicators | None, shown: list[SectionResult], period: Period,
                     template: Template | None = None, periods: PackPeriods | None = None) -> Series | None:
    """What the committee's protection needs beyond the pack's own figures: each indicator the pack shows, for
    every period the pack shows and every month those are made of (:mod:`ledinfo.disclosure.series`), and which
    kinds of pack ``template`` lets show a figure of its own period (the other packs of the series: ``periods``,
    the pack's :class:`PackPeriods`, found from ``shown`` when not given). The indicators are computed once per
    build, so most of these are the trends' own figures."""
    if context is None:
        return None
    declared_over, counts, figures_of = _indicators_of(context)
    figures = [f for result in shown for f in result.figures if f.team is None and f.staff_id is None]
    named = {f.indicator for f in figures} | {ref.indicator for result in shown for relation in result.relations
                                              for ref in (relation.total, *relation.parts)}
    indicators = sorted(named & set(declared_over))
    needed = needed_periods(figures, period, declared_over)
    over = {i: found for i, found in declared_over.items() if found}
    if template is not None and periods is None:
        periods = periods_of(template, {r.section: r for r in shown}, period, declared_over)
    keeps = None if template is None else (lambda section, figure, kind: periods.keeps(figure, kind))
    series_over = {i: over[i] for i in indicators if i in over}
    # The protection decides only the numbers the series publishes (Publication): an indicator's figures of a kind
    # of period no pack shows (a deadline rule's months where the template shows it by whole quarter) are not
    # computed. A figure's kind is its period's, a month's for a state at a period's end, the pack's own for a
    # figure without a period: an indicator published for none of these is left out for that period (issue 27).
    published = Publication({r.section: [f for f in r.figures if f.team is None and f.staff_id is None] for r in shown},
                            {r.section: r.relations for r in shown}, period, series_over, keeps)
    kinds: dict[str, set[str]] = {}
    for indicator, _, kind in published.shapes:
        kinds.setdefault(indicator, set()).add(kind)
    # each indicator's periods in one pass where it can (Indicator.many): most of them are months
    of = {indicator: figures_of(indicator, [when for when in needed if kinds.get(indicator, set())
                                             & {when.kind, MONTH, period.kind}])
          for indicator in indicators}
    found: dict[str, list] = {}
    for when in needed:
        found[str(when)] = [f for indicator in indicators for f in of[indicator].get(when, ())
                            if f.team is None and f.staff_id is None]
    return Series(found, series_over, {i: counts[i] for i in indicators if counts[i]}, keeps)


def _indicators_of(context: SectionContext | StoredIndicators):
    """Each installed indicator's ``over`` and ``counts``, and its figures for given periods: computed on the
    context as asked, or as a build stored them (:class:`StoredIndicators`, which raises NotStored for a figure
    it does not hold)."""
    if isinstance(context, StoredIndicators):
        return context.over, context.counts, context.figures_of
    return ({i: found.over for i, found in context.indicators.items()},
            {i: found.counts for i, found in context.indicators.items()},
            lambda indicator, periods: indicator_figures_of(indicator, context, periods))


def choice(plan: Plan, job: PackJob) -> str:
    """What a pack's disclosure depends on of its template (:func:`disclose`): its audience, its sections and what
    of each it shows. The rest of a template (the title, the summary, the notes, the breaks) is written in words
    after the disclosure, so a pack whose template changed only there is disclosed as before (stored with the
    build: :mod:`ledinfo.pipeline.stored`)."""
    template = plan.templates[job.spec.id]
    return repr((template.audience, plan.sections_of[job.spec.id], sorted(template.show.items())))


def pack_periods(plan: Plan, computed: Computed, pack_id: str, period: Period) -> PackPeriods:
    """Which period stands for each indicator in the pack (:mod:`ledinfo.model.pack_periods`), from its template
    and the sections' figures as computed; for a pack not the committee's, also which indicators the committee's
    briefing of the build shows by whole quarter (the directors' goals say so)."""
    periods = _periods(plan, computed, pack_id, period)
    committees = [spec.id for spec in plan.config.packs
                  if spec.id != pack_id and spec.audience == COMMITTEE and spec.id in plan.templates]
    if not committees or any(spec.id == pack_id and spec.audience == COMMITTEE for spec in plan.config.packs):
        return periods
    quarterly = frozenset().union(*(_periods(plan, computed, c, period).by_quarter for c in committees))
    return replace(periods, committee_by_quarter=quarterly)


def _periods(plan: Plan, computed: Computed, pack_id: str, period: Period) -> PackPeriods:
    return periods_of(plan.templates[pack_id], {n: computed.results[n] for n in plan.sections_of[pack_id]
                                                 if n in computed.results}, period, computed.over)


def periods_of(template: Template, results: dict[str, SectionResult], period: Period, over: dict) -> PackPeriods:
    """The pack's :class:`PackPeriods`: an indicator a section shown with ``grain = "quarter"`` publishes as a
    period's events (Over.SPAN) is shown by whole quarter only, in every section of the pack."""
    quarterly = set()
    for name, result in results.items():
        shows = template.shows(name)
        if shows.grain == QUARTER:
            quarterly |= {f.indicator for f in result.figures if (f.over or over.get(f.indicator)) == Over.SPAN
                          and (shows.figures is None or f.indicator in shows.figures)}
    return PackPeriods(period, frozenset(quarterly), over)


def pack_results(plan: Plan, computed: Computed, pack_id: str, period: Period,
                 periods: PackPeriods | None = None) -> list[SectionResult]:
    """The results a pack shows, as its template chooses them (before the audience filter), each in its section's
    form for the pack (:meth:`~ledinfo.interfaces.section.Section.for_pack`, told ``periods``)."""
    template = plan.templates[pack_id]
    periods = periods or pack_periods(plan, computed, pack_id, period)
    return [_shown_by(template, computed.results[n], periods, plan.registry.section(n))
            for n in plan.sections_of[pack_id] if n in computed.results]


def _shown_by(template: Template, result: SectionResult, periods: PackPeriods, section=None) -> SectionResult:
    """What the template shows of a section: chosen before disclosure, which then covers just that. Its charts and
    tables as the template lists them; then the section's form for the pack (``section.for_pack``: the goals table
    shows a goal by whole quarter where the pack shows its indicator so); then the figures the template publishes,
    of the periods ``periods`` keeps (:meth:`PackPeriods.keeps`: the one rule for the pack and its protection)."""
    shows = template.shows(result.section)
    chosen = replace(result, charts=[c for c in result.charts if shows.charts is None or c.id in shows.charts],
                     tables=[t for t in result.tables if shows.tables is None or t.id in shows.tables])
    if section is not None:
        chosen = section.for_pack(chosen, periods)
    figures = [f for f in chosen.figures if (shows.figures is None or f.indicator in shows.figures)
               and periods.publishes(f)]
    relations = chosen.relations
    if shows.figures is not None:  # the relations between the figures it publishes (another's names what it leaves out)
        left_out = {f.indicator for f in result.figures} - set(shows.figures)
        relations = [r for r in chosen.relations if not any(ref.indicator in left_out for ref in (r.total, *r.parts))]
    return replace(chosen, figures=figures, relations=relations)


def publish_pack(content: PackContent, pdf: bytes, data: bytes, out_dir: Path, guard_ids: GuardIds,
                 timings: Timings) -> list[Path]:
    """Stage 9, publish, one pack: the guard reads the PDF and JSON back, then both are written (atomically)."""
    with timings.stage("guard"):
        names = f"{content.job.pack_id}.pdf {content.job.pack_id}.json"
        contact = content.committee.contact if content.committee is not None else None
        check({"PDF": read_pdf(pdf), "JSON": read_json(data), "file name": names}, guard_ids,
              content.job.audience, content.job.team, content.job.pack_id,
              allowed_names=(contact.name,) if contact is not None else ())
    with timings.stage("write"):
        pdf_path = out_dir / f"{content.job.pack_id}.pdf"
        json_path = out_dir / f"{content.job.pack_id}.json"
        write_atomically(pdf_path, pdf)
        write_atomically(json_path, data)
    return [pdf_path, json_path]


# --- the whole flow -------------------------------------------------------------------------------

class Pipeline:
    """One build, stage by stage: plan → fingerprint → reuse → load → compute → disclose → texts → render →
    publish. :meth:`run` runs them in that order; ``ledinfo build``, ``ledinfo run`` (the pipeline, then its
    delivery stage), a shared-service centre's build of each municipality and the plugin test kit
    (:func:`ledinfo.api.testing.render_section`) all build through it.

    ``plan`` is stage 1's answer (:func:`ledinfo.pipeline.plan.plan`). ``before_compute(jobs)``: called with the
    packs' jobs as soon as they are known (the data read, or the last build reused), before anything is
    computed; ``ledinfo run`` checks each pack's recipients there, so a problem stops the run before any work.
    ``staged=False``: write straight into ``out_dir``, a folder the caller publishes (one municipality's of
    several, in its centre's fresh staging folder: nothing to reuse there). ``heading``: a line to echo once the
    build is known to go ahead (the last build reused, or the output folder checked), not before.
    """

    # each pack's content kept until the build ends, for the plugin test kit to read back; a build lets go of each
    # once it is written (a large municipality has hundreds of team packs)
    keep_contents = False

    def __init__(self, plan: Plan, period: Period, out_dir: Path, *, language: str | None = None, echo=None,
                 workers: int | None = None, timings: Timings | None = None, staged: bool = True,
                 before_compute=None, heading: str | None = None) -> None:
        self.plan, self.period, self.out_dir = plan, period, Path(out_dir)
        self.language, self.workers, self.staged = language, workers, staged
        self.echo = echo or (lambda message: None)
        self.heading = heading
        self.timings = timings if timings is not None else Timings()
        self.before_compute = before_compute or (lambda jobs: None)
        self.cheap = None  # the source's cheap fingerprint (interfaces.source.Fingerprint), when it gave one
        self.contents: dict[str, PackContent] = {}  # each pack's content, as the texts stage wrote it (keep_contents)
        self._last: dict[str, dict] | None = None  # the last build's manifest entries, by pack
        self._stored_figures: dict[str | None, Figures | None] = {}  # the last build's stored figures, by data key
        self._choices: dict[str, tuple[Computed, Chosen]] = {}  # each spec's template choice, by the figures

    # --- the stages, in order ---

    def fingerprint(self) -> str | None:
        """Stage 2: the key of the build about to be made (:mod:`ledinfo.pipeline.reuse`), from the source's cheap
        fingerprint (:meth:`~ledinfo.interfaces.source.Source.fingerprint`); None when it has none to give, and
        the build is then fingerprinted by loading (:meth:`run`)."""
        if not self.staged:
            return None
        config = self.plan.config
        try:
            source, options = checked_source(config.source, self.plan.registry)
            found = source.fingerprint(options, SourceContext(config.base_dir, self.period))
        except Exception as error:  # the load stage will say what is wrong; reuse is only a shortcut
            raise_if_stopped()
            log.debug("no cheap fingerprint: %s", error)
            return None
        self.cheap = Fingerprint(found) if isinstance(found, dict) else found
        return self.key(self.cheap.inputs if self.cheap is not None else None)

    def key(self, inputs: dict | None) -> str | None:
        """The build key for these inputs' fingerprints (None: none)."""
        return build_key(self.plan.config, self.plan.templates, plugin_versions(self.plan.registry), self.period,
                         self.language, inputs)

    def reuse(self, key: str | None) -> BuildReport | None:
        """Stage 3: the last build in the output folder, when it has ``key`` and its files are intact."""
        if not self.staged:
            return None
        found = reused(self.out_dir, key, self.period, self._job_of)
        if found is not None:
            self._head()
            self.echo(reused_line(found))
            self.before_compute([o.job for o in found.outcomes])
        return found

    def load(self) -> Extract:
        """Stage 4: the configured source read, mapped and validated."""
        with self.timings.stage("load"):
            return load(self.plan, self.period)

    def compute(self, extract: Extract) -> tuple[list[PackJob], Computed]:
        """Stage 5: the packs' jobs (a team-leader pack per team), then every section they need, once."""
        outside = outside_data(self.period, extract, self.plan.config)  # a period the data does not cover: exit 2
        jobs = plan_jobs(self.plan.config, extract.teams())
        self._jobs_known(jobs)
        with self.timings.stage("compute"):
            # the extract's tables go to the timeline: the build reads only its fingerprints and description after it
            return jobs, compute(self.plan, extract, self.period, outside, let_go=True)

    def _jobs_known(self, jobs: list[PackJob]) -> None:
        self.before_compute(jobs)
        for stray in stray_files(self.plan.config.comments, str(self.period), [job.pack_id for job in jobs]):
            log.warning("%s names no pack of this build (packs: %s); it is not printed", stray,
                        ", ".join(job.pack_id for job in jobs))

    def disclose(self, computed: Computed, job: PackJob, language: Language, last: Figures | None = None,
                 store: stored.Writer | None = None) -> Disclosed:
        """Stage 6, one pack: the template's choice, then what its audience may see (:func:`disclose`); the last
        build's decision when it was made from the same data with the same template (:class:`Figures`). Stored
        for the next build in ``store`` (before the texts stage writes into its sections)."""
        chosen = choice(self.plan, job)
        with self.timings.stage("texts"):  # timed with the texts, as the benchmark's stages have it
            found = stored.disclosed(last.folder, job.pack_id, last.key) if last is not None else None
            if found is not None and found[0] == chosen:  # the template's words may have changed: today's
                disclosed = replace(pickle.loads(found[1]), template=self.plan.templates[job.spec.id])
                pickled = found[1]
            else:
                disclosed = disclose(self.plan, computed, job, language, self.period, self._chosen(computed, job))
                pickled = pickle.dumps(disclosed, protocol=pickle.HIGHEST_PROTOCOL) if store and store.path else None
        if store is not None and pickled is not None:
            with self.timings.stage("write"):
                store.pack(job.pack_id, chosen, pickled)
        return disclosed

    def _chosen(self, computed: Computed, job: PackJob) -> Chosen:
        """The template's choice for ``job``'s spec (:func:`template_choice`), made once per spec and computed
        figures: every team leader's pack shares it."""
        found = self._choices.get(job.spec.id)
        if found is None or found[0] is not computed:
            found = self._choices[job.spec.id] = (computed, template_choice(self.plan, computed, job.spec.id,
                                                                            self.period))
        return found[1]

    def texts(self, computed: Computed, disclosed: Disclosed, language: Language,
              guard_ids: GuardIds | None = None) -> PackContent:
        """Stage 7, one pack: its texts, written from what the audience may see (:func:`write_texts`)."""
        with self.timings.stage("texts"):
            content = write_texts(self.plan, computed, disclosed, language, self.period, guard_ids)
        if self.keep_contents:
            self.contents[content.job.pack_id] = content
        return content

    def render(self, renderer: Renderer, content: PackContent) -> None:
        """Stage 8, one pack: its charts and PDF drawn, in a warm worker where there is one (:mod:`ledinfo.render`)."""
        renderer.add(content.job.pack_id, content)

    def publish(self, content: PackContent, pdf: bytes, data: bytes, out_dir: Path, guard_ids: GuardIds) -> list[Path]:
        """Stage 9, one pack: read back by the guard, then written (:func:`publish_pack`); the manifest and the
        swap of the whole folder follow in :meth:`run`."""
        return publish_pack(content, pdf, data, out_dir, guard_ids, self.timings)

    # --- all of them ---

    def run(self) -> BuildReport:
        """Every stage in order. The output folder is checked before any data is read
        (:class:`~ledinfo.runtime.staging.Output`), then the rendering workers start, so they warm up while the
        data is read; the finished build replaces the output folder whole.

        When only some packs' own inputs changed (a comment file, a pack's template), the others are kept as the
        last build wrote them, and the changed ones are written from the figures the last build computed and
        disclosed (:mod:`ledinfo.pipeline.stored`), without reading the data, where those suffice."""
        found = self.reuse(self.fingerprint())
        if found is not None:
            return found
        with self.timings.stage("load"):
            known = self._stored_for(self._data_key(self.cheap.inputs)) if self.cheap is not None else None
        last = known if known is not None and self._suffices(known) else None
        with ExitStack() as stack:
            with self.timings.stage("start"):
                output = stack.enter_context(Output.open(self.out_dir)) if self.staged else None
                if known is not None:  # the packs to write again are known: one is written here, without a worker
                    changed = sum(1 for job in known.jobs if self._kept(job, known.key) is None)
                    pool = pool_for(self.workers, changed, warm_up=warm_up) if changed > 1 else no_pool()
                else:
                    pool = pool_for(self.workers, most_packs(self.plan.config.packs), warm_up=warm_up)
                if pool is not None:
                    stack.callback(pool.close)
                    # refused data (or any error): end the warming workers now rather than wait for them
                    stack.push(lambda kind, error, trace: pool.kill() if kind is not None else None)
            self._head()
            out_dir = output.path if output else self.out_dir
            if last is not None:
                self._jobs_known(last.jobs)
                report = self._packs(last.jobs, last.computed, last, out_dir, pool)
            else:
                extract = self.load()
                if self.cheap is None:  # fingerprinted by loading: what the source recorded while reading
                    found = self.reuse(self.key(extract.fingerprints))
                    if found is not None:
                        return found  # the staging folder is removed, the output folder left as it is
                jobs, computed = self.compute(extract)
                read = Figures(self._data_key(extract.fingerprints), jobs, computed, extract.fingerprints,
                               extract.description)
                del extract  # the extract as read: the computed figures' timeline holds its own (sorted) tables
                report = self._packs(jobs, computed, read, out_dir, pool)
            if output is None:
                return report
            with self.timings.stage("write"):
                output.publish()
            return report.moved_to(self.out_dir)

    def _data_key(self, inputs: dict | None) -> str | None:
        return data_key(self.plan.config, plugin_versions(self.plan.registry), self.period, self.language, inputs)

    def _suffices(self, last: Figures) -> bool:
        """Whether every pack whose inputs changed can be written from the last build's stored figures (of this
        very data): from its disclosed figures (what its template chooses unchanged: :func:`choice`), or disclosed
        again from the computed ones — a committee pack over its series from the stored indicators' figures, when
        they hold every figure its series needs. False: read and compute."""
        if last.computed.outside is not None:  # outside the data: decided by today's date
            return False
        for job in last.jobs:
            if self._kept(job, last.key) is not None:
                continue
            found = stored.disclosed(last.folder, job.pack_id, last.key)
            if found is not None and found[0] == choice(self.plan, job):
                continue
            computed = last.computed
            if any(n not in computed.results and n not in computed.failures and n not in computed.missing
                   for n in self.plan.sections_of[job.spec.id]):
                return False
            if audience(job.audience).protected and not self._series_stored(last, job):
                return False
        return True

    def _series_stored(self, last: Figures, job: PackJob) -> bool:
        """Whether the last build stored every figure of the series ``job``'s committee pack is now decided over
        (:class:`~ledinfo.domain.indicator.StoredIndicators`, read once into ``last.computed``)."""
        if last.computed.indicators is None:
            found = stored.series(last.folder, last.key)
            if not isinstance(found, StoredIndicators):
                return False
            last.computed = replace(last.computed, indicators=found)
        periods = pack_periods(self.plan, last.computed, job.spec.id, self.period)
        shown = pack_results(self.plan, last.computed, job.spec.id, self.period, periods)
        try:
            committee_series(last.computed.indicators, shown, self.period, self.plan.templates[job.spec.id], periods)
        except NotStored as missing:
            log.debug("the series of %s is computed again: %s is not stored", job.pack_id, missing)
            return False
        return True

    def _kept(self, job: PackJob, data: str | None) -> list[Path] | None:
        """The last build's files of ``job``'s pack, when its key is the one it would be made with now and the
        files are intact; None: write it."""
        key = self._pack_key(job, data)
        entry = self._last_packs().get(job.pack_id)
        if key is None or entry is None or entry.get("key") != key or entry.get("status") != "ok":
            return None
        files = [self.out_dir / f["name"] for f in entry.get("files", [])]
        if not files or any(not p.is_file() or sha256_file(p) != f["sha256"] for p, f in zip(files, entry["files"])):
            return None
        return files

    def _pack_key(self, job: PackJob, data: str | None) -> str | None:
        return pack_key(data, self.plan.templates[job.spec.id],
                        pack_comments(self.plan.config.comments, self.period, job.pack_id))

    def _last_packs(self) -> dict[str, dict]:
        """The last build's manifest entries by pack (read once)."""
        if self._last is None:
            self._last = {}
            try:
                manifest = json.loads((self.out_dir / MANIFEST).read_text(encoding="utf-8")) if self.staged else {}
            except (OSError, ValueError):
                manifest = {}
            for entry in manifest.get("packs", []) if isinstance(manifest, dict) else []:
                if isinstance(entry, dict) and isinstance(entry.get("pack"), str):
                    self._last[entry["pack"]] = entry
        return self._last

    def _packs(self, jobs: list[PackJob], computed: Computed, read: Figures, out_dir: Path,
               pool: WorkerPool | None) -> BuildReport:
        """Per pack disclose, texts and render (each pack's charts start drawing as soon as its texts are
        written), then publish each as it is rendered, and the manifest; a pack whose inputs did not change since
        the last build is kept as it was written. A failed pack is recorded and never stops the others."""
        language = language_for(self.language or self.plan.config.language, self.plan.registry)
        out_dir.mkdir(parents=True, exist_ok=True)
        outcomes = {job.pack_id: PackOutcome(job) for job in jobs}
        last = read if read.folder is not None else self._stored_for(read.key)
        store = stored.Writer(self.out_dir, read.key if self.staged else None)
        told = 0  # packs echoed so far, in job order
        renderer = Renderer(pool, self.timings, last.drawings if last is not None else None)
        with self.timings.stage("guard"):
            guard_ids = GuardIds(computed.rows)

        def publish(finished) -> None:  # each rendered pack read back and written, then echoed in job order
            nonlocal told
            for pack_id, content, rendered, error in finished:
                if error is None:
                    pdf, data, worker_timings = rendered
                    self.timings.merge(worker_timings)
                    try:
                        outcomes[pack_id].files = self.publish(content, pdf, data, out_dir, guard_ids)
                    except Exception as problem:
                        _failed(outcomes[pack_id], problem)
                else:
                    _failed(outcomes[pack_id], error)
                told = _tell_in_order(jobs[told:], outcomes, self.echo) + told
        order = disclosure_order(jobs)
        # the sections' context serves only the committee's series: let go of it after the last pack that needs it
        last_protected = max((i for i, job in enumerate(order) if audience(job.audience).protected), default=-1)
        series = None  # the indicators' figures of the series, for the store (when a committee pack is built)
        for index, job in enumerate(order):
            if index > last_protected and computed.context is not None:
                with self.timings.stage("write"):  # where the store's figures were always made
                    series = _series_only(computed, last_protected >= 0)
            outcome = outcomes[job.pack_id]
            outcome.key = self._pack_key(job, read.key)
            kept = self._kept(job, read.key)
            if kept is not None:
                store.keep(last.folder if last is not None else None, job.pack_id)
                with self.timings.stage("write"):
                    outcome.files = _keep(kept, out_dir)
                entry = self._last_packs()[job.pack_id]
                outcome.kept, outcome.draft, outcome.prompts = True, bool(entry.get("draft")), entry.get("prompts", [])
                continue
            try:
                disclosed = self.disclose(computed, job, language, last, store)
                renderer.draw(job.pack_id, disclosed.sections, disclosed.view.language)  # the worker draws meanwhile
                content = self.texts(computed, disclosed, language, guard_ids)
                outcome.draft, outcome.prompts = content.draft, content.prompts
            except Exception as error:
                _failed(outcome, error)
                continue
            self.render(renderer, content)
            if len(renderer.contents) >= PACKS_AHEAD:  # written before more are made: their contents let go
                publish(renderer.rendered(keep=PACKS_AHEAD // 2))
        if computed.context is not None:  # the last job was the committee's
            with self.timings.stage("write"):
                series = _series_only(computed, last_protected >= 0)
        publish(renderer.rendered())
        _tell_in_order(jobs[told:], outcomes, self.echo)  # packs that failed before rendering, at the end
        ordered = [outcomes[job.pack_id] for job in jobs]
        self.timings.count("packs", sum(1 for o in ordered if o.ok and not o.kept))
        with self.timings.stage("write"):
            manifest = write_manifest(out_dir, self._manifest(read, ordered))
            if all(o.ok for o in ordered):
                # the indicators' figures apart (series.pickle): only a committee pack's changed choice reads them
                store.finish(Figures(read.key, jobs, replace(computed, context=None, indicators=None),
                                     read.fingerprints, read.description, renderer.drawings),
                             series, last.folder if last is not None else None)
            else:
                store.abandon()
        return BuildReport(self.period, out_dir, ordered, manifest, read.description, self.timings)

    def _stored_for(self, key: str | None) -> Figures | None:
        """The last build's stored figures of this data (the data read again: a template's change, say)."""
        if not self.staged:
            return None
        if key not in self._stored_figures:  # read once a build
            found, folder = stored.load(self.out_dir, key)
            self._stored_figures[key] = replace(found, folder=folder) if isinstance(found, Figures) else None
        return self._stored_figures[key]

    def _manifest(self, read: Figures, ordered: list[PackOutcome]) -> dict:
        """The manifest, with the key of this build (made from what was read) when every pack was made. A build with
        a failed pack is never reused: the failure may pass (a worker killed, memory short), and the rerun cron
        makes the next day must build again, not report yesterday's failure."""
        key = self.key(read.fingerprints) if all(o.ok for o in ordered) else None
        listed = packs_manifest(self.period, read, self.plan.config, ordered, key)
        # where the inputs are, so the next ``ledinfo build`` can tell before loading the plugins that nothing
        # changed: only when the cheap fingerprint is what was read (a file that changed meanwhile: no)
        record = stamp(self.cheap, plugin_versions(self.plan.registry)) \
            if key is not None and self.cheap is not None and self.cheap.inputs == read.fingerprints else None
        if record is not None:
            listed[STAMP] = record
        return listed

    def _head(self) -> None:
        if self.heading is not None:
            self.echo(self.heading)
            self.heading = None  # once

    def _job_of(self, pack_id: str, team: str | None) -> PackJob | None:
        """A reused pack's job, from the plan's packs (None: the config no longer has it)."""
        for spec in self.plan.config.packs:
            if pack_id == spec.id or (team is not None and pack_id.startswith(f"{spec.id}-")):
                return PackJob(pack_id, spec, team)
        return None


@dataclass
class Figures:
    """What a build read and computed, and each pack's disclosed figures: stored with the build
    (:mod:`ledinfo.pipeline.stored`), so the next build of the same data writes a pack whose comment or template
    changed without reading the data again."""

    key: str | None  # the data key (ledinfo.pipeline.reuse.data_key) these were made from
    jobs: list[PackJob]
    computed: Computed  # stored without its context: the extract is read again when a pack needs it
    fingerprints: dict  # the inputs' fingerprints, for the manifest
    description: str = ""
    # each chart drawn, pickled (ledinfo.render.charts.packed), by its key (ledinfo.render.charts.chart_key)
    drawings: dict = field(default_factory=dict)
    folder: Path | None = None  # read back from a store: where its packs' disclosed figures are (stored.disclosed)


def disclosure_order(jobs: list[PackJob]) -> list[PackJob]:
    """The order the packs are disclosed, written and rendered in: the jobs' own, but the first :data:`QUICK_FIRST`
    packs whose disclosure is quick ahead of the protected ones before them. The committee's pack comes first in a
    build, and its disclosure over the whole series (the audit) is the slowest of all: at scale 1 the worker, warm,
    waited half a second for it before its first chart (issue 27). The packs' files and the echo keep the jobs'
    order."""
    quick = [job for job in jobs if not audience(job.audience).protected][:QUICK_FIRST]
    return [*quick, *(job for job in jobs if job not in quick)]


# The quick packs disclosed before the committee's: their charts keep the worker drawing while this process discloses
# the committee's pack. With one (the directors': 16 charts, ~0.7 s of drawing at scale 1) against the committee's
# ~0.5 s of series and audit, the worker ran out of charts in two of four traced builds under load (0.8 and 1.3 s);
# a team's pack adds its own charts. The sections' context, let go of after the committee's disclosure, is held for
# one pack longer.
QUICK_FIRST = 2


def _series_only(computed: Computed, protected: bool) -> StoredIndicators | None:
    """Let go of the sections' context once no pack left to disclose needs it, keeping of it only what the
    committee's series reads (``protected``: a committee pack was built, its indicators' figures are stored).

    Its timeline holds the extract's tables, sorted, and the cuts made of them: a 200 MB extract's ~380 MiB, held
    through every team pack though only the committee's series reads the context (issue 27: the main process
    held 884 MiB after the committee's disclosure, 507 without it). Changed in place: the build's other
    references to ``computed`` let go of it too. A pack disclosed after this reads the stored figures, as a build
    from a store does (:func:`disclose`)."""
    series = StoredIndicators.of(computed.context) if protected else None
    computed.context, computed.indicators = None, series
    return series


def _keep(files: list[Path], out_dir: Path) -> list[Path]:
    """The last build's files of a kept pack, into the new build's folder: hard links (the staging folder lies
    beside the output folder, on its file system), else copies."""
    kept = []
    for path in files:
        target = out_dir / path.name
        if target != path:
            try:
                os.link(path, target)
            except OSError:
                shutil.copyfile(path, target)
        kept.append(target)
    return kept


def build(plan: Plan, period: Period, out_dir: Path, **options) -> BuildReport:
    """Build every pack of ``plan`` for ``period`` into ``out_dir``: the whole :class:`Pipeline`."""
    return Pipeline(plan, period, out_dir, **options).run()


def outside_data(period: Period, extract: Extract, config: Config) -> DataSpan | None:
    """Refuse a period the data does not cover (exit 2), unless the config asks to build it anyway.

    Returns the data's span when the period is outside it and that was asked for, so the
    packs can say so on their cover; None for a period inside the data.
    """
    span = data_span(extract)
    problem = period_problem(period, span, dt.date.today())
    if problem is None:
        return None
    if not config.outside_data:
        check_period(period, extract)
    log.warning("building %s outside the data (%s), as asked", period, problem)
    return span or DataSpan(period.start, period.start)


def language_for(code: str, registry: Registry) -> Language:
    """The pack language, with the translation catalogues plugins ship (``Section.locale_dir``)."""
    extra = tuple(Path(s.locale_dir) for s in registry.sections() if getattr(s, "locale_dir", None))
    return Language(code, extra)


def _failed(outcome: PackOutcome, error: BaseException) -> None:
    raise_if_stopped()  # a failure a stop made (see there) is not the pack's: the other packs are not made
    log.debug("pack %s failed:\n%s", outcome.job.pack_id,
              "".join(traceback.format_exception(type(error), error, error.__traceback__)))
    # a user's error (a comment file, the guard) says what to fix as it is; a bug names its type
    outcome.error = str(error) if isinstance(error, (RuntimeError, LedinfoError)) else f"{type(error).__name__}: {error}"


def _tell_in_order(jobs: list[PackJob], outcomes: dict[str, PackOutcome], echo) -> int:
    """Echo each finished pack's files or failure (a pack is finished once it has either), in job order up to
    the first unfinished one; returns how many.

    Packs finish in any order (some in a worker, some here); the output reads the same every time.
    """
    for told, job in enumerate(jobs):
        outcome = outcomes[job.pack_id]
        if not (outcome.files or outcome.error):
            return told
        files = ", ".join(p.name for p in outcome.files)
        echo(f"  {job.pack_id}: FAILED – {outcome.error}" if outcome.error else
             f"  {job.pack_id}: unchanged ({files})" if outcome.kept else f"  {files}")
    return len(jobs)
