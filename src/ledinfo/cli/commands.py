"""The ``ledinfo`` command line.

Exit codes (for cron): 0 everything worked; 1 a pack or delivery failed (the
others were still produced); 2 bad input — the data, the config or the
command line — with a readable message and no traceback.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import types
import typing
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

import click

from ledinfo import __version__
from ledinfo.cli.progress import build_progress, counted_progress
from ledinfo.domain.rules import load_catalogue
from ledinfo.errors import EXIT_FAILED, ConfigError, LedinfoError
from ledinfo.model.config import most_packs
from ledinfo.model.period import Period
from ledinfo.privacy.console import RedactingFilter, finish_console, redact_console
from ledinfo.runtime.signals import Stopped, ignore_stop_signals, install, raise_if_stopped
from ledinfo.runtime.timing import Timings
from ledinfo.runtime.workers import default_workers, one_polars_thread, pool_size, started_early

log = logging.getLogger("ledinfo")


class Runtime:
    """Per-invocation state: the plugin policy and, once loaded, the plugins."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self._plugins = None

    @property
    def plugins(self):
        if self._plugins is None:
            from ledinfo.plugin_host.manager import load_plugins  # deferred: plugins load only in the commands that use them

            self._plugins = load_plugins(strict=self.strict)
        return self._plugins

    @property
    def registry(self):
        return self.plugins.registry


class LedinfoGroup(click.Group):
    """Adds plugin commands on first look-up and turns user errors into messages."""

    _plugin_commands_added = False

    def _runtime(self, ctx: click.Context) -> Runtime:
        if ctx.obj is None:
            ctx.obj = Runtime(strict=bool(ctx.params.get("strict")))
        return ctx.obj

    def _add_plugin_commands(self, ctx: click.Context) -> None:
        if self._plugin_commands_added:
            return
        self._plugin_commands_added = True
        from ledinfo.plugin_host.manager import call_per_plugin  # deferred: plugins load only in the commands that use them

        manager = self._runtime(ctx).plugins.manager
        for problem in call_per_plugin(manager, "ledinfo_register_commands", cli=lambda plugin: self):
            log.warning("%s", problem)

    def list_commands(self, ctx):
        try:
            self._add_plugin_commands(ctx)
        except LedinfoError as error:
            click.echo(f"error: {error}", err=True)
        return super().list_commands(ctx)

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None:
            self._add_plugin_commands(ctx)
            command = super().get_command(ctx, name)
        return command

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except LedinfoError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(error.exit_code)


def _setup_logging(verbose: int, log_file: str | None) -> None:
    root = logging.getLogger("ledinfo")
    root.setLevel(logging.DEBUG)
    root.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    if log_file:
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setLevel(logging.DEBUG)
        file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        file_handler.addFilter(RedactingFilter())
        root.addHandler(file_handler)


# Help fills a wide terminal up to 100 columns; each command's short_help fits the command list at 80.
@click.group(cls=LedinfoGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ledinfo")
@click.option("--strict", is_flag=True, help="Stop if a plugin fails to load (default: skip it with a warning).")
@click.option("-v", "--verbose", count=True, help="More output (-vv for debugging).")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Also write a detailed log to this file.")
@click.pass_context
def cli(ctx, strict, verbose, log_file):
    """ledinfo: leadership-information packs for children's services.

    Start with `ledinfo demo`, which builds every pack for the demo
    municipality. Docs: README.md and docs/.
    """
    _setup_logging(verbose, log_file)
    if ctx.obj is None:
        ctx.obj = Runtime(strict=strict)
    ctx.obj.strict = strict or ctx.obj.strict


def _period(value: str | None):
    # only an absent --period means the last complete month: an empty one (cron's unset $PERIOD) is refused
    return Period.of_report(value) if value is not None else Period.last_complete()


period_option = click.option("--period", metavar="PERIOD",
                             help="The period to report on: a month (2024-03), a quarter (2024-Q1, also 2024-K1) or "
                                  "the year to date up to a month (2024-03-ytd); month, quarter or ytd: the last "
                                  "complete one. Default: the last complete month.")
jobs_option = click.option("--jobs", "workers", type=click.IntRange(1, 64), default=None,
                           help="Worker processes rendering charts and packs (default: one fewer than the CPUs, "
                                "so the build keeps one; 1: none).")
timings_option = click.option("--timings", "timings_path", type=click.Path(dir_okay=False, path_type=Path),
                              default=None, help="Write where the build spent its time (JSON) to this file.")
outside_option = click.option("--allow-outside-data", "outside_data", is_flag=True,
                              help="Build a period the data does not cover (before it starts, after it ends, or still "
                                   "running) anyway; the packs say so on their cover.")
lang_option = click.option("--lang", type=click.Choice(["da", "en"]), default=None,
                           help="Language of the packs (default: the config's, else Danish).")


def _report(report, started: float) -> None:
    ok = [o for o in report.outcomes if o.ok]
    kept = sum(1 for o in ok if o.kept)
    click.echo(f"Wrote {len(ok) - kept} pack(s){f' and kept {kept} unchanged' if kept else ''} for {report.period} "
               f"to {report.out_dir}/ "
               f"in {time.perf_counter() - started:.1f} s; manifest: {report.manifest.name}")
    for outcome in (o for o in ok if o.draft):  # the committee's agenda item still lacks the administration's word
        click.echo(f"{outcome.job.pack_id} is a draft: the administration's comment for {report.period} is missing "
                   f"(ledinfo comments --config <config> --period {report.period} writes one to fill in). "
                   "A politician will ask about:")
        for prompt in outcome.prompts:
            click.echo(f"  - {prompt}")
    if report.failed:
        click.echo(f"{len(report.failed)} pack(s) failed:", err=True)
        for outcome in report.failed:
            click.echo(f"  {outcome.job.pack_id}: {outcome.error}", err=True)
        sys.exit(EXIT_FAILED)


@cli.command(short_help="Build every pack for the demo municipality; no data needed.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("ledinfo-demo"),
              show_default=True, help="Folder to write the packs to.")
@period_option
@click.option("--lang", type=click.Choice(["da", "en"]), default=None,
              help="Language of the packs: da (Danish, the default) or en (English).")
@click.option("--seed", type=int, default=None, help="Seed of the demo municipality.")
@jobs_option
@click.pass_obj
def demo(runtime, out, period, lang, seed, workers):
    """Build every pack for the demo municipality (no config, no data needed)."""
    one_polars_thread()
    count = pool_size(workers)  # the default packs: one per team, as many as the data has
    with started_early(count, warm_up=WARM_UP) if count else nullcontext():  # warm while the demo's data is made
        _demo(runtime, out, period, lang, seed, workers)


def _demo(runtime, out, period, lang, seed, workers) -> None:
    from ledinfo.demo import MUNICIPALITY, demo_config  # deferred: NumPy, for the demo only
    from ledinfo.pipeline.build import build  # deferred: Polars and the build; `ledinfo --help` starts without them
    from ledinfo.pipeline.plan import plan  # deferred: Polars and the build; `ledinfo --help` starts without them

    started = time.perf_counter()
    chosen = _period(period)
    config = demo_config(seed=seed)
    click.echo(f"Building the demo packs for {MUNICIPALITY}, {chosen}:")
    with build_progress() as progress:
        report = build(plan(config, runtime.registry), chosen, out, language=lang, echo=progress.echo,
                       workers=workers, timings=progress.timings)
    _report(report, started)


@cli.command("demo-data")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the tables to.")
@click.option("--seed", type=int, default=None, help="Random seed (same seed, same data).")
@click.option("--scale", type=float, default=1.0, show_default=True,
              help="Size relative to a municipality of 60,000 inhabitants; 100 ≈ all of Denmark.")
@period_option
@click.option("--format", "fmt", type=click.Choice(["csv", "csv-dk", "parquet", "xlsx"]), default="csv",
              show_default=True, help="csv: ISO CSV; csv-dk: what Danish Excel writes; parquet; xlsx.")
@click.option("--denmark", is_flag=True,
              help="All 98 municipalities, each sized by its population, in one folder each, and a "
                   "ledinfo.toml that builds them all.")
def demo_data(out, seed, scale, period, fmt, denmark):
    """Write the demo municipality's extract in the folder format."""
    from ledinfo.demo import DEFAULT_SEED, DemoSpec, generate, write_tables  # deferred: NumPy, for the demo only

    if scale <= 0:
        raise ConfigError("--scale must be a positive number")
    if denmark:
        from ledinfo.demo.denmark import POPULATION, write_denmark  # deferred: NumPy, for the demo only

        started = time.perf_counter()
        config = write_denmark(out, _period(period), seed, fmt, echo=click.echo)
        click.echo(f"Wrote {len(POPULATION)} municipalities' extracts to {out}/ in "
                   f"{time.perf_counter() - started:.1f} s; build them all: ledinfo build --config {config}")
        return
    spec = DemoSpec(_period(period), seed if seed is not None else DEFAULT_SEED, scale)
    started = time.perf_counter()
    tables = generate(spec)
    paths = write_tables(tables, out, fmt)
    for path in paths:
        name = path.stem
        click.echo(f"  {path}  ({tables[name].height:,} rows)")
    click.echo(f"Wrote the {spec.describe()} to {out}/ in {time.perf_counter() - started:.1f} s")


def _config(config_path, data_dir, lang, registry=None, municipality: str | None = None):
    from ledinfo.config.file import folder_config, load_config  # deferred: Babel; `ledinfo --help` starts without it

    if bool(config_path) == bool(data_dir):
        raise ConfigError("give either --config FILE or --data DIR")
    if config_path:
        if municipality is not None:
            raise ConfigError("--municipality goes with --data; a config file names the municipality in "
                              "[municipality] name = \"...\"")
        return load_config(Path(config_path), registry)
    if municipality is not None and not municipality.strip():
        raise ConfigError("--municipality: give the municipality's name, e.g. --municipality \"Fjordby Kommune\"")
    return folder_config(Path(data_dir), municipality, language=lang or "da")


@cli.command(short_help="Build the packs of a config, or of a folder extract.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="The TOML configuration.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False),
              help="A folder extract; builds the default packs without a config.")
@click.option("--municipality", default=None, metavar="NAME",
              help="With --data: the municipality's name, printed on every pack's cover (a config file has "
                   "[municipality] name).")
@period_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: packs/<period>).")
@outside_option
@lang_option
@jobs_option
@timings_option
@click.pass_obj
def build(runtime, config_path, data_dir, municipality, period, out, outside_data, lang, workers, timings_path):
    """Build every pack of a config (or of a folder extract) for a period."""
    started = time.perf_counter()
    one_polars_thread()  # before a worker starts: it reads the setting from this process's environment
    with _folder_workers_started_early(config_path, data_dir, workers, out, period) as early:
        done, read = _unchanged_rerun(config_path, data_dir, municipality, period, out, outside_data, lang,
                                      timings_path, started)
        if done:
            return  # the last build is this very one: done before any plugin (and Polars) is loaded
        with _workers_started_early(read, workers, out, period) if early is None else nullcontext():
            _build(runtime, config_path, data_dir, municipality, period, out, outside_data, lang, workers,
                   timings_path, started)


def _folder_workers_started_early(config_path, data_dir, workers: int | None, out: Path | None, period: str | None):
    """A folder extract's build (``--data``, no config file) asks for the pool of the default packs, one per team, of
    :func:`~ledinfo.runtime.workers.pool_size` without a hint whatever the folder holds: started now, before the config
    is made and the last build looked for, as :func:`_workers_started_early` would after them (not into an output
    folder holding a last build). At scale 1 the worker, started after those, finished warming up as the parent
    finished computing, under load (issue 27): a tenth of a second of the parent's imports and reading sooner."""
    from ledinfo.pipeline.manifest import MANIFEST  # deferred: the build's modules; `ledinfo --help` starts without

    if config_path or not data_dir:
        return nullcontext()
    try:
        folder = out or Path("packs") / str(_period(period))
    except LedinfoError:  # the unchanged-rerun check and the build say what is wrong, in their order
        return nullcontext()
    count = pool_size(workers)
    return started_early(count, warm_up=WARM_UP) if count and not (folder / MANIFEST).exists() else nullcontext()


def _workers_started_early(config, workers: int | None, out: Path | None, period: str | None):
    """The build's worker pool started now, before the plugins load and the build is imported, so the workers warm
    up meanwhile (:func:`~ledinfo.runtime.workers.started_early`): of the size the build will ask for, as far as the
    config read without the plugins tells (``config``: None when it could not be read so, and nothing starts).

    Not into an output folder holding a last build: such a build may write a changed pack or two from the figures
    stored with it, without a worker (the secretary's loop), and would start one only to end it."""
    from ledinfo.pipeline.reuse import MANIFEST  # deferred: Babel; imported already by the unchanged-rerun check

    if config is None or ((out or Path("packs") / str(_period(period))) / MANIFEST).exists():
        return nullcontext()
    if config.municipalities:  # as ledinfo.pipeline.municipalities shares them out: one municipality per worker
        count = min(default_workers() if workers is None else workers, len(config.municipalities))
        return started_early(count, single_threaded=True, warm_up=WARM_UP) if count > 1 else nullcontext()
    count = pool_size(workers, most_packs(config.packs))
    return started_early(count, warm_up=WARM_UP) if count else nullcontext()


WARM_UP = "ledinfo.render.parallel:warm_up"  # the render workers' warm-up, by name: this process imports none of it


def _build(runtime, config_path, data_dir, municipality, period, out, outside_data, lang, workers, timings_path,
           started: float) -> None:
    from ledinfo.pipeline.build import build as build_packs  # deferred: Polars and the build
    from ledinfo.pipeline.plan import plan  # deferred: Polars and the build; `ledinfo --help` starts without them

    config = replace(_config(config_path, data_dir, lang, runtime.registry, municipality), outside_data=outside_data)
    chosen = _period(period)
    out = out or Path("packs") / str(chosen)
    if config.municipalities:
        _build_municipalities(runtime, config, chosen, out, lang, workers, timings_path, started)
        return
    if config.municipality.name:
        click.echo(f"Building packs for {config.municipality.name}, {chosen}:")
    else:  # the packs print no name rather than a placeholder
        click.echo(f"Building packs for {chosen} (no municipality name on the covers: give --municipality NAME):")
    with build_progress() as progress:
        report = build_packs(plan(config, runtime.registry), chosen, out, language=lang, echo=progress.echo,
                             workers=workers, timings=progress.timings)
    _write_timings(timings_path, report.timings, started)
    _report(report, started)


def _unchanged_rerun(config_path, data_dir, municipality, period, out, outside_data, lang, timings_path,
                     started: float):
    """Report the build already in the output folder when nothing changed (:func:`ledinfo.pipeline.reuse.unchanged`,
    before the plugins load): (True, the config). (False, the config read without the plugins, or None when it could
    not be read so) when something changed, or when this cannot be told without the plugins: the pipeline then
    decides."""
    from ledinfo.pipeline.reuse import reused_line, unchanged  # deferred: Babel; `ledinfo --help` starts without it

    try:  # a problem is the normal path's to report, in its order
        config = replace(_config(config_path, data_dir, lang, None, municipality), outside_data=outside_data)
        chosen = _period(period)
    except LedinfoError:
        return False, None
    out = out or Path("packs") / str(chosen)
    report = unchanged(config, chosen, lang, out) if not config.municipalities else None
    if report is None:
        return False, config
    name = config.municipality.name
    click.echo(f"Building packs for {name}, {chosen}:" if name else
               f"Building packs for {chosen} (no municipality name on the covers: give --municipality NAME):")
    click.echo(reused_line(report))
    _write_timings(timings_path, Timings(), started)
    _report(report, started)
    return True, config


def _build_municipalities(runtime, config, period, out, lang, workers, timings_path, started) -> None:
    from ledinfo.pipeline.municipalities import build_municipalities  # deferred: Polars and the build

    click.echo(f"Building packs for {len(config.municipalities)} municipalities, {period}:")
    with counted_progress(len(config.municipalities), "Building") as (echo, step):
        def line_and_step(message: str) -> None:  # one line per municipality built
            echo(message)
            step()

        report = build_municipalities(config, runtime.registry, period, out, lang, echo=line_and_step,
                                      workers=workers, strict=runtime.strict)
    _write_timings(timings_path, report.timings, started)
    click.echo(f"Wrote {report.packs_written:,} pack(s) for {len(report.outcomes)} municipalities, {period}, "
               f"to {out}/ in {time.perf_counter() - started:.1f} s; manifest: {report.manifest.name}")
    if report.failed:
        click.echo(f"{len(report.failed)} municipality(ies) had failures:", err=True)
        for outcome in report.failed:
            problems = [outcome.error] if outcome.error else [f"{o.job.pack_id}: {o.error}" for o in outcome.failed_packs]
            for problem in problems:
                click.echo(f"  {outcome.spec.id}: {problem}", err=True)
        sys.exit(EXIT_FAILED)


def _write_timings(path: Path | None, timings, started: float) -> None:
    if path is None:
        return
    data = {"wall_s": round(time.perf_counter() - started, 4), **timings.to_dict()}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


@cli.command("run", short_help="Build the month's packs and deliver them (for cron).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), required=True,
              help="The TOML configuration, with a [delivery] table.")
@period_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the packs are built (default: .ledinfo/packs/<period> next to the config).")
@click.option("--dry-run", is_flag=True, help="Build everything and show who would get what; send nothing.")
@click.option("--resend", is_flag=True, help="Send again what was delivered before, and changed packs.")
@outside_option
@jobs_option
@click.pass_obj
def run_command(runtime, config_path, period, out, dry_run, resend, outside_data, workers):
    """Build the period's packs and deliver them (for cron: no prompts, a lock, a ledger).

    Exit codes: 0 all delivered; 1 a pack or a delivery failed, or a changed pack
    was held back; 2 bad input; 75 another run held the lock too long.
    """
    one_polars_thread()
    from ledinfo.config.file import load_config  # deferred: Babel; `ledinfo --help` starts without it
    from ledinfo.delivery.run import exit_code, run, run_settings, summary_text  # deferred: Polars and the build

    config = replace(load_config(Path(config_path), runtime.registry), outside_data=outside_data)
    settings = run_settings(config)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(settings.state_dir / "ledinfo.log", encoding="utf-8")
    handler.addFilter(RedactingFilter())
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("ledinfo").addHandler(handler)
    chosen = _period(period)
    logging.getLogger("ledinfo.delivery.run").info("run for %s started (dry run: %s, resend: %s)", chosen, dry_run, resend)
    with build_progress() as progress:
        # A dry run lists who would get what, line by line; a real one counts on the bar and lists what failed.
        report = run(config, runtime.registry, chosen, out, dry_run, resend, echo=progress.echo, workers=workers,
                     progress=None if dry_run else progress.deliveries, timings=progress.timings)
    text = summary_text(report)
    click.echo(text)
    logging.getLogger("ledinfo.delivery.run").info(text)
    sys.exit(exit_code(report))


@cli.command(short_help="Check a config against the installed plugins; reads no data.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), required=True,
              help="The TOML configuration.")
@click.pass_obj
def check(runtime, config_path):
    """Check the config file whole, as every command does before it reads any data: the core's keys, each
    source's and the delivery's options, each plugin's [plugins.<name>] table, each pack's sections and
    template. Every problem is listed at once with its key path; exit code 2 if there is one."""
    from ledinfo.pipeline.plan import plan  # deferred: Polars and the build; `ledinfo --help` starts without them

    config = _config(config_path, None, None, runtime.registry)  # every model's problems, the file's name first
    for one in [config.for_municipality(m) for m in config.municipalities] or [config]:
        plan(one, runtime.registry)  # the packs' sections and templates
    kinds = ", ".join(sorted({(m.source if config.municipalities else config.source).get("type", "?")
                              for m in (config.municipalities or [config])}))
    delivery = config.delivery.get("type")
    click.echo(f"{config_path}: no problems found ({len(config.packs)} pack(s), source {kinds}"
               + (f", delivery {delivery}" if delivery else "") + "); no data was read.")


@cli.command(short_help="Check an extract against the format; builds nothing.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="The TOML configuration.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="A folder extract.")
@period_option
@click.pass_obj
def validate(runtime, config_path, data_dir, period):
    """Check the config against the installed plugins and the extract against the format, building nothing."""
    from ledinfo.extract.point_in_time import data_span  # deferred: Polars and the build
    from ledinfo.pipeline.build import load  # deferred: Polars and the build; `ledinfo --help` starts without them
    from ledinfo.pipeline.plan import plan  # deferred: Polars and the build; `ledinfo --help` starts without them

    config = _config(config_path, data_dir, None, runtime.registry)
    configs = [config.for_municipality(m) for m in config.municipalities] or [config]
    plan(configs[0], runtime.registry)  # the packs, plugin settings and delivery options: all problems at once
    problems = 0
    for one in configs:
        try:
            extract = load(plan(one, runtime.registry), _period(period))
        except LedinfoError as error:
            if len(configs) == 1:
                raise
            problems += 1
            click.echo(f"{one.municipality.name}: {error}", err=True)
            continue
        click.echo(f"{extract.description}: no problems found.")
        for name, frame in extract.tables.items():
            click.echo(f"  {name:<15} {frame.height:>10,} rows")
        for name in extract.empty:
            click.echo(f"  {name:<15} {0:>10} rows: left out as if absent; the sections that need it are left out")
        span = data_span(extract)
        if span is not None:  # the periods it can build
            click.echo(f"  the data cover {span}")
    if problems:
        raise click.exceptions.Exit(2)


@cli.command(short_help="Write the committee pack's comment file for a period, with the questions in place.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), required=True,
              help="The TOML configuration (its [comments] folder receives the file).")
@period_option
@click.option("--pack", "pack_ids", multiple=True, metavar="ID",
              help="The committee pack to write it for (default: every committee pack); may be repeated.")
@outside_option
@lang_option
@click.pass_obj
def comments(runtime, config_path, period, pack_ids, outside_data, lang):
    """Write <comments folder>/<period>/<pack>.md for each committee pack: the agenda item's headings
    (Sagsfremstilling, Forvaltningens vurdering, Indstilling), the changes a politician will ask about as
    lines starting with ?? (never printed), and the usual proposal. A file already there is never
    overwritten. Fill it in, then build: the pack prints it as the administration's agenda item."""
    one_polars_thread()
    from ledinfo.pipeline.build import compute, language_for, load, prepare  # deferred: Polars and the build
    from ledinfo.pipeline.build import outside_data as outside_of  # deferred: Polars and the build
    from ledinfo.pipeline.comment_template import comment_jobs, comment_path, write_comment  # deferred: Polars and the build
    from ledinfo.pipeline.plan import plan  # deferred: Polars and the build; `ledinfo --help` starts without them

    config = replace(_config(config_path, None, lang, runtime.registry), outside_data=outside_data)
    if config.municipalities:
        raise ConfigError("ledinfo comments takes one municipality per config: give the municipality's own config")
    chosen = _period(period)
    planned = plan(config, runtime.registry)
    extract = load(planned, chosen)
    jobs = comment_jobs(planned, extract.teams(), tuple(pack_ids))
    for job in jobs:  # before the figures are computed: a comment already written is never overwritten
        comment_path(config.comments, str(chosen), job.pack_id)
    computed = compute(planned, extract, chosen, outside_of(chosen, extract, config))
    language = language_for(lang or config.language, runtime.registry)
    for job in jobs:
        path = write_comment(config.comments, prepare(planned, computed, job, language, chosen))
        click.echo(f"Wrote {path}: write the background and the assessment under their headings; the lines "
                   "starting with ?? are the questions and are never printed. Then build the packs.")


@cli.command("new-plugin", short_help="Create a plugin package, with a passing test, to start from.")
@click.argument("name")
@click.option("--kind", type=click.Choice(["section", "source", "delivery"]), required=True, metavar="KIND",
              help="What the plugin adds: section (a part of the packs), source (where the data is read from) "
                   "or delivery (how packs reach their readers).")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Where to create the package.")
def new_plugin(name, kind, directory):
    """Create a working plugin package (with a passing test) to start from.

    NAME names it: `ledinfo new-plugin my-section --kind section` writes the package
    ledinfo-my-section/ with the module ledinfo_my_section. docs/plugins.md goes on from there.
    """
    from ledinfo.cli.new_plugin import scaffold  # deferred: Babel, as for every command that needs it

    root = scaffold(name, kind, directory)
    steps = [(f"pip install -e {root}", "in ledinfo's environment"), (f"pytest {root}", "its tests pass"),
             ("ledinfo plugins", "it is listed")]
    width = max(len(command) for command, _ in steps)
    click.echo(f"Created {root}/ — next:")
    for command, why in steps:
        click.echo(f"  {command:<{width}}  # {why}")


@cli.command()
@click.option("--all", "show_all", is_flag=True, help="Also list plugins that failed to load or are disabled.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def plugins(runtime, show_all, as_json):
    """List plugins: version, hooks and what each provides."""
    loaded = runtime.plugins
    rows = []
    for info in loaded.info.values():
        if info.status != "loaded" and not show_all:
            continue
        rows.append({
            "name": info.name,
            "version": info.version,
            "builtin": info.builtin,
            "distribution": info.distribution,
            "status": info.status,
            "hooks": info.hooks,
            "provides": loaded.registry.provided_by(info.name),
            "settings": _settings_of(loaded.registry, info.name),
            "options": _options_of(loaded.registry, info.name),
            "problems": [p.message for p in loaded.problems if p.plugin == info.name],
        })
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        kind = "built-in" if row["builtin"] else (row["distribution"] or "external")
        status = "" if row["status"] == "loaded" else f"  [{row['status'].upper()}]"
        click.echo(f"{row['name']} {row['version']} ({kind}){status}")
        for what, names in row["provides"].items():
            click.echo(f"    {what}: {', '.join(names)}")
        if row["settings"]:
            keys = ", ".join(f"{k} ({v['type']})" for k, v in row["settings"]["keys"].items())
            click.echo(f"    settings: {row['settings']['table']}: {keys}")
        for table in row["options"]:
            keys = ", ".join(f"{k} ({v['type']})" for k, v in table["keys"].items()) or "none"
            click.echo(f"    options: {table['table']}: {keys}")
        click.echo(f"    hooks: {', '.join(row['hooks']) or '-'}")
        for problem in row["problems"]:
            click.echo(f"    problem: {problem}")


def _type_name(annotation) -> str:
    """``list[Goal]``, ``int``, ``str | None``: a settings key's type as a reader writes it."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:  # a checked kind of text or number: its base type
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_name(a) for a in args)
    if origin is typing.Literal:
        return " | ".join(repr(a) for a in args)
    if annotation is type(None):
        return "None"
    if args and origin is not None:
        return f"{getattr(origin, '__name__', 'list')}[{', '.join(_type_name(a) for a in args)}]"
    return getattr(annotation, "__name__", str(annotation))


def _keys(schema) -> dict:
    """Each key of a settings model with its type and description."""
    return {key: {"type": _type_name(field.annotation), "description": field.description or ""}
            for key, field in schema.model_fields.items()}


def _settings_of(registry, plugin: str) -> dict | None:
    """A plugin's settings table and its keys, from the schema it registered."""
    schema = registry.settings_schemas.get(plugin)
    if schema is None:
        return None
    return {"table": f"[plugins.{plugin}]", "keys": _keys(schema)}


def _options_of(registry, plugin: str) -> list[dict]:
    """The options of each source and delivery ``plugin`` provides, from their ``Options`` models."""
    tables = [{"table": f"[source] type = \"{name}\"", "keys": _keys(registry.source(name).Options)}
              for name in registry.provided_by(plugin).get("source", [])]
    return tables + [{"table": f"[delivery.{name}]", "keys": _keys(registry.delivery(name).Options)}
                     for name in registry.provided_by(plugin).get("delivery", [])]


@cli.command(short_help="List the sections, what each shows and the tables it needs.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def sections(runtime, as_json):
    """List every section with what it shows and the tables it needs."""
    registry = runtime.registry
    rules = load_catalogue({}, None)  # the shipped catalogue: a config's own rules add to it
    rows = [{"name": s.name, "title": s.title, "description": s.description, "requires": list(s.requires),
             "audiences": list(s.audiences), "indicators": [i.id for i in s.indicators(rules)],
             "plugin": registry.plugin_of("section", s.name)} for s in registry.sections()]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    width = max((len(r["name"]) for r in rows), default=10)
    for row in rows:
        click.echo(f"{row['name']:<{width}}  {row['description']}")
        click.echo(f"{'':<{width}}  needs: {', '.join(row['requires'])}; packs: {', '.join(row['audiences'])}")
        if row["indicators"]:  # what a goal ([[plugins.goals.goal]]) can follow
            click.echo(f"{'':<{width}}  indicators: {', '.join(row['indicators'])}")


def main() -> None:
    """The console script. Leaves without the interpreter's teardown of every module and frame.

    The teardown took about 0.3 s after the work was done, a tenth of a municipality's
    monthly run. Everything is flushed and closed first; an unexpected error still
    ends with its traceback, as usual. SIGTERM and Ctrl-C stop the workers and end
    with one line saying what the output folder holds, and 128 + the signal's number.
    """
    redact_console(sys)  # no CPR number reaches the terminal, cron's mail or a pipe
    install()
    try:
        try:
            cli(prog_name="ledinfo")
            code = 0
        except SystemExit as exit:
            code = exit.code
        raise_if_stopped()  # a stop that something on its way swallowed still ends as a stop
    except Stopped as stop:
        click.echo(stop.message(), err=True)
        logging.shutdown()
        # The interpreter's own teardown here, not os._exit: it releases the stopped pool's
        # semaphores, else the resource tracker warns about them on stderr.
        sys.exit(stop.exit_code)
    ignore_stop_signals()  # the work is done: a late signal must not end it with a traceback
    if code is None:
        code = 0
    elif not isinstance(code, int):
        click.echo(code, err=True)
        code = 1
    logging.shutdown()
    finish_console(sys)  # what the console held back (a line ending in digits), then flushed
    os._exit(code)
