"""Building packs: source → validated extract → sections → audience filter → PDF + JSON.

Sections are computed once for the whole extract; each pack then takes its
audience's part. Every unique chart is drawn once and handed to each pack that
shows it; charts and PDFs are made in warm worker processes (:mod:`ledinfo.pipeline.workers`),
and this process lets the final guard read every output back before writing it.
A failure in one pack (or in a section or chart it needs) is recorded and
reported, and never stops the other packs. ``manifest.json`` lists the period,
the input fingerprints, the ledinfo version and every file written with its
SHA-256, so a municipality can prove what it sent. Where the time goes is
recorded in :class:`~ledinfo.pipeline.timing.Timings`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import logging
import traceback
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from ledinfo import __version__
from ledinfo.config.file import Config
from ledinfo.disclosure.audiences import audience
from ledinfo.disclosure.disclose import disclose_pack
from ledinfo.disclosure.team_rows import team_rows
from ledinfo.domain.period import Period
from ledinfo.errors import ConfigError
from ledinfo.extract import Extract
from ledinfo.extract.point_in_time import DataSpan, check_period, data_span, period_problem
from ledinfo.interfaces.results import SectionResult, validate_result
from ledinfo.interfaces.section import SectionContext, View
from ledinfo.interfaces.source import load_extract
from ledinfo.pipeline.packs import PackContent, PackJob, plan_jobs
from ledinfo.pipeline.publish import Output
from ledinfo.pipeline.templates import Template, load_template
from ledinfo.pipeline.timing import Timings
from ledinfo.pipeline.workers import WorkerPool, draw_all_charts, pool_for, render_packs
from ledinfo.plugin_host.registry import Registry
from ledinfo.privacy.guard import GuardIds, check, json_strings, pdf_text, redacted
from ledinfo.texts.language import Language
from ledinfo.texts.summary import headlines, summary_lines, takeaway

log = logging.getLogger("ledinfo.pipeline.build")
MANIFEST = "manifest.json"


@dataclass
class PackOutcome:
    job: PackJob
    files: list[Path] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BuildReport:
    period: Period
    out_dir: Path
    outcomes: list[PackOutcome]
    manifest: Path
    extract_description: str = ""
    timings: Timings = field(default_factory=Timings)

    @property
    def failed(self) -> list[PackOutcome]:
        return [o for o in self.outcomes if not o.ok]

    def moved_to(self, out_dir: Path) -> BuildReport:
        """The same report for the files' place after the staging folder was published as ``out_dir``."""
        outcomes = [replace(o, files=[out_dir / p.name for p in o.files]) for o in self.outcomes]
        return replace(self, out_dir=out_dir, outcomes=outcomes, manifest=out_dir / self.manifest.name)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pack_templates(config: Config) -> dict[str, Template]:
    """The template of each pack: its own, else the built-in one for its audience."""
    return {spec.id: load_template(spec.template, spec.audience, config.base_dir) for spec in config.packs}


def pack_sections(config: Config, registry: Registry) -> dict[str, list[str]]:
    """Section names per pack id; unknown names are a config error listing every one.

    A pack's own ``sections`` win; else its template's; else every section that
    suits the audience, in the order the plugins registered them.
    """
    available = {s.name: s for s in registry.sections()}
    templates = pack_templates(config)
    chosen: dict[str, list[str]] = {}
    problems = []
    for spec in config.packs:
        template = templates[spec.id]
        if spec.sections:
            names = list(spec.sections)
        elif template.sections:  # a template may name sections that are not installed here
            names = [n for n in template.sections if n in available]
        else:
            names = [s.name for s in available.values() if spec.audience in s.audiences]
        for name in names:
            if name not in available:
                close = difflib.get_close_matches(name, list(available), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(f"pack {spec.id!r} names section {name!r}, which no plugin provides{hint}")
        chosen[spec.id] = names
    if problems:
        listing = "\n".join(f"  {p}" for p in problems)
        raise ConfigError(f"{listing}\nInstalled sections: {', '.join(available) or 'none'} (see `ledinfo sections`)")
    return chosen


def write_atomically(path: Path, data: bytes) -> None:
    """Write atomically, so a crash never leaves half a PDF with the right name."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def build(config: Config, registry: Registry, period: Period, out_dir: Path, language: str | None = None,
          echo=None, workers: int | None = None, timings: Timings | None = None, staged: bool = True) -> BuildReport:
    """Read the configured source and build every pack.

    The output folder is checked first (:class:`~ledinfo.pipeline.publish.Output`), then the
    rendering workers start, so they warm up while the data is read. ``staged=False``:
    write straight into ``out_dir``, a folder the caller publishes (one municipality's).
    """
    timings = timings if timings is not None else Timings()
    with ExitStack() as stack:
        with timings.stage("start"):
            pack_sections(config, registry)  # refuse a bad config before reading any data
            output = stack.enter_context(Output.open(out_dir)) if staged else None
            pool = pool_for(workers, _most_packs(config))
            if pool is not None:
                stack.callback(pool.close)
        with timings.stage("load"):
            extract = load_extract(config.source, registry, config.base_dir, period, config.mappings)
        return build_from_extract(extract, config, registry, period, out_dir, language, echo, workers=workers,
                                  pool=pool, timings=timings, output=output, staged=staged)


def _most_packs(config: Config) -> int | None:
    """How many packs a config can give at most (None: one per team, unknown before the data is read)."""
    if any(audience(spec.audience).per_team for spec in config.packs):
        return None
    return len(config.packs)


def compute_sections(names: set[str], extract: Extract, config: Config, registry: Registry,
                     period: Period) -> tuple[dict[str, SectionResult], dict[str, str], dict[str, list[str]]]:
    """Compute each needed section once: (results, failures, missing tables)."""
    context = SectionContext.create(extract, period, config)
    results, failures, missing = {}, {}, {}
    for name in sorted(names):
        section = registry.section(name)
        lacking = extract.missing(section.requires)
        if lacking:
            missing[name] = lacking
            continue
        try:
            result = section.compute(context)
            validate_result(result)
            results[name] = result
        except Exception as error:  # a plugin's bug must not stop the other sections
            log.error("section %s failed:\n%s", name, traceback.format_exc())
            failures[name] = (f"section {name!r} (plugin {registry.plugin_of('section', name)}) failed: "
                              f"{type(error).__name__}: {error}")
    return results, failures, missing


def build_from_extract(extract: Extract, config: Config, registry: Registry, period: Period, out_dir: Path,
                       language: str | None = None, echo=None, workers: int | None = None,
                       pool: WorkerPool | None = None, timings: Timings | None = None,
                       output: Output | None = None, staged: bool = True) -> BuildReport:
    """Build every pack from an extract already read; ``pool`` renders them (else one is started).

    The packs are written into ``output``'s staging folder (opened here unless given) and
    published as ``out_dir`` when all are written; ``staged=False`` writes into ``out_dir``.
    """
    echo = echo or (lambda message: None)
    timings = timings if timings is not None else Timings()
    with ExitStack() as stack:
        if output is None and staged:
            output = stack.enter_context(Output.open(out_dir))
        if pool is None:
            pool = pool_for(workers, _most_packs(config))
            if pool is not None:
                stack.callback(pool.close)
        report = _build(extract, config, registry, period, output.path if output else out_dir, language, echo, pool,
                        timings)
        if output is None:
            return report
        with timings.stage("write"):
            output.publish()
        return report.moved_to(Path(out_dir))


def _build(extract: Extract, config: Config, registry: Registry, period: Period, out_dir: Path,
           language: str | None, echo, pool: WorkerPool | None, timings: Timings) -> BuildReport:
    outside = outside_data(period, extract, config)
    sections_of = pack_sections(config, registry)
    templates = pack_templates(config)
    jobs = plan_jobs(config, extract.teams())
    needed = {name for names in sections_of.values() for name in names}
    with timings.stage("compute"):
        results, failures, missing = compute_sections(needed, extract, config, registry, period)
    lang = language_for(language or config.language, registry)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = team_rows(extract, period.end)  # one definition of a team's rows, for the filter and the guard

    contents: dict[str, PackContent] = {}
    outcomes = {job.pack_id: PackOutcome(job) for job in jobs}
    with timings.stage("texts"):
        for job in jobs:  # the audience filter and the texts: quick, and needs the plugins, so done here
            try:
                names = sections_of[job.spec.id]
                broken = [failures[n] for n in names if n in failures]
                if broken:
                    raise RuntimeError("; ".join(broken))
                view = View(job.audience, lang, job.team, config.threshold, config.municipality, period,
                            rows.of(job.team) if job.team is not None else None, outside)
                contents[job.pack_id] = render_content(
                    job, view, registry, [results[n] for n in names if n in results],
                    [(registry.section(n).title, missing[n]) for n in names if n in missing], templates[job.spec.id])
            except Exception as error:
                _failed(outcomes[job.pack_id], error, echo)
    for pack_id, problem in draw_all_charts(contents, pool, timings).items():
        _failed(outcomes[pack_id], problem, echo)
        del contents[pack_id]
    with timings.stage("guard"):
        guard_ids = GuardIds(rows)
    for pack_id, rendered, error in render_packs(contents, pool):
        if error is None:
            pdf, data, worker_timings = rendered
            timings.merge(worker_timings)
            try:
                outcomes[pack_id].files = _check_and_write(contents[pack_id], pdf, data, out_dir, guard_ids, timings)
                echo(f"  {', '.join(p.name for p in outcomes[pack_id].files)}")
            except Exception as problem:
                _failed(outcomes[pack_id], problem, echo)
        else:
            _failed(outcomes[pack_id], error, echo)
    ordered = [outcomes[job.pack_id] for job in jobs]
    timings.count("packs", sum(1 for o in ordered if o.ok))
    with timings.stage("write"):
        manifest = write_manifest(out_dir, period, extract, config, ordered)
    return BuildReport(period, out_dir, ordered, manifest, extract.description, timings)


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


def _failed(outcome: PackOutcome, error: BaseException, echo) -> None:
    log.debug("pack %s failed:\n%s", outcome.job.pack_id,
              "".join(traceback.format_exception(type(error), error, error.__traceback__)))
    outcome.error = str(error) if isinstance(error, RuntimeError) else f"{type(error).__name__}: {error}"
    echo(f"  {outcome.job.pack_id}: FAILED – {outcome.error}")


def render_content(job: PackJob, view: View, registry: Registry, results: list[SectionResult],
                   missing: list[tuple[str, list[str]]], template: Template | None = None) -> PackContent:
    """Filter each result for the view, keep what the template shows, then write the texts.

    The order matters: the template chooses, the pack-wide disclosure decides every
    number, and only then are texts and takeaways written, so none can show what the
    audience may not see.
    """
    language = view.language
    template = template or load_template(None, view.audience)
    shown = []
    for result in results:  # what the template shows: chosen before disclosure, which then covers just that
        shows = template.shows(result.section)
        shown.append(replace(
            result, charts=[c for c in result.charts if shows.charts is None or c.id in shows.charts],
            tables=[t for t in result.tables if shows.tables is None or t.id in shows.tables]))
    sections = disclose_pack(shown, view)
    for visible in sections:  # texts and takeaways only now, from what the audience may see
        visible.charts = [replace(c, takeaway=takeaway(c, view)) for c in visible.charts]
        visible.texts = registry.section(visible.section).narrate(visible, view)
    omitted = [(language(title), language("the extract has no {tables} table",
                                          tables=", ".join(tables))) for title, tables in missing]
    return PackContent(job, view, sections, omitted, __version__, template, summary_lines(template, sections, view),
                       headlines(sections, view))


def _check_and_write(content: PackContent, pdf: bytes, data: bytes, out_dir: Path, guard_ids: GuardIds,
                     timings: Timings) -> list[Path]:
    """Let the guard read the PDF and JSON back, then write both (atomically)."""
    with timings.stage("guard"):
        names = f"{content.job.pack_id}.pdf {content.job.pack_id}.json"
        check({"PDF": pdf_text(pdf), "JSON": json_strings(data), "file name": names}, guard_ids,
              content.job.audience, content.job.team, content.job.pack_id)
    with timings.stage("write"):
        pdf_path = out_dir / f"{content.job.pack_id}.pdf"
        json_path = out_dir / f"{content.job.pack_id}.json"
        write_atomically(pdf_path, pdf)
        write_atomically(json_path, data)
    return [pdf_path, json_path]


def write_manifest(out_dir: Path, period: Period, extract: Extract, config: Config,
                   outcomes: list[PackOutcome]) -> Path:
    config_entry = None
    if config.path is not None and Path(config.path).exists():
        config_entry = {"file": Path(config.path).name, "sha256": sha256_file(Path(config.path))}
    manifest = {
        "ledinfo_version": __version__,
        "period": str(period),
        "as_of": period.end.isoformat(),
        "source": {"type": config.source.get("type"), "description": extract.description},
        "inputs": dict(sorted(extract.fingerprints.items())),
        "config": config_entry,
        "packs": [{
            "pack": o.job.pack_id,
            "audience": o.job.audience,
            "team": o.job.team,
            "status": "ok" if o.ok else "failed",
            **({"error": o.error} if o.error else {}),
            "files": [{"name": p.name, "sha256": sha256_file(p), "bytes": p.stat().st_size} for p in o.files],
        } for o in outcomes],
    }
    path = out_dir / MANIFEST
    write_atomically(path, (json.dumps(redacted(manifest), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return path
