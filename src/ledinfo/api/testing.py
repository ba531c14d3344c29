"""Helpers for testing ledinfo and ledinfo plugins.

For a plugin author:

- :func:`small_extract` — a small hand-made extract (two teams, ten cases; its
  figures are worked out in ``ledinfo.api.small_extract``), for :data:`SMALL_PERIOD`;
- :func:`small_tables` and :func:`write_small_extract` — the same tables as frames, or written as a
  folder extract (CSV files, the cases in Danish Excel's dialect) for a source to read;
- :func:`frames_to_extract` — validate your own hand-made tables into an Extract;
- :func:`read_source` — what your source reads, validated as a build validates it (a bad extract raises
  :class:`ExtractError`, whose ``problems`` name the origin, row and column of each);
- :func:`source_option_problems` — what ``ledinfo check`` says of your source's options, with key paths;
- :func:`context_for` — what a section's ``compute()`` is given;
- :func:`registry_with` — a registry holding only your plugin (checks what it registers);
- :func:`render_section` — one section built into a PDF and a JSON for an audience through the build's own
  pipeline (comparisons, relations, the committee's protection and the guard as in a real build),
  read back: ``rendered.text`` is the PDF's text, ``rendered.json`` the pack JSON;
- :func:`load_test_plugins` — the built-ins plus only the external plugins you name;
- :func:`check_committee_protection` — an independent attacker on the committee packs your plugin is in:
  raises :class:`ProtectionError` when a hidden number can be worked out (issue 23).
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from ledinfo.api.attack import attack_municipalities
from ledinfo.api.attack.run import sections_of
from ledinfo.api.small_extract import small_tables, write_small_extract
from ledinfo.demo import demo_config
from ledinfo.disclosure.read_back import pdf_text
from ledinfo.extract import Extract, ExtractError, RawExtract, RawTable, validate_extract
from ledinfo.interfaces.section import SectionContext
from ledinfo.interfaces.source import load_extract, source_problems
from ledinfo.model.config import Config, Municipality, PackSpec
from ledinfo.model.period import Period
from ledinfo.pipeline.build import Pipeline, build
from ledinfo.pipeline.plan import Plan, plan
from ledinfo.plugin_host.manager import BUILTIN_PLUGINS, ENV_LOAD, Plugins, load_plugins, registry_of
from ledinfo.plugin_host.registry import Registry
from ledinfo.texts.templates import load_template

DEMO_PERIOD = Period(2026, 10)
"""October 2026, the period the demo municipality's packs are built for (``ledinfo demo``)."""
SMALL_PERIOD = Period(2024, 3)
"""March 2024, the period :func:`small_extract`'s figures are worked out for."""


@contextmanager
def only_plugins(*names: str):
    """Within the block, load no installed plugin except ``names``."""
    before = os.environ.get(ENV_LOAD)
    os.environ[ENV_LOAD] = ",".join(names)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV_LOAD, None)
        else:
            os.environ[ENV_LOAD] = before


def load_test_plugins(*external: str, strict: bool = True) -> Plugins:
    """Built-ins plus the named external plugins; strict, so a broken plugin fails the test."""
    with only_plugins(*external):
        return load_plugins(strict=strict)


def frames_to_extract(tables: dict[str, pl.DataFrame | dict]) -> Extract:
    """Validate hand-made tables (frames, or dicts of columns) into an Extract."""
    raw = {}
    for name, frame in tables.items():
        frame = frame if isinstance(frame, pl.DataFrame) else pl.DataFrame(frame)
        raw[name] = RawTable(name, frame, f"test:{name}", first_row=1)
    return validate_extract(RawExtract(raw, {}, "test extract"))


def small_extract() -> Extract:
    """The small hand-made extract of ``ledinfo.api.small_extract`` (use it with SMALL_PERIOD)."""
    return frames_to_extract(small_tables())


def read_source(plugin, options: dict, folder: Path, period: Period = SMALL_PERIOD) -> Extract:
    """What the source that ``plugin`` (a module with hooks) registers reads with ``options`` (the config's
    ``[source]`` table, ``type`` included), from ``folder`` as the config file's folder, validated and mapped
    as a build does it: an Extract, or :class:`ExtractError` naming each problem's origin, row and column."""
    return load_extract(dict(options), registry_with(plugin), Path(folder), period)


def source_option_problems(plugin, options: dict) -> list[str]:
    """Every problem in ``options`` (a ``[source]`` table, ``type`` included) for the source ``plugin`` registers,
    each with its key path (``source.pth: unknown key (did you mean 'path'?)``), as ``ledinfo check`` reports
    them before any data is read; [] when the options are good."""
    return source_problems(dict(options), registry_with(plugin))[1]


def registry_with(*plugins):
    """A registry holding only what ``plugins`` register (modules or objects with hookimpls).

    A plugin that registers something invalid raises PluginError with the cause.
    """
    return registry_of(*plugins)


@dataclass
class Rendered:
    """One section rendered alone into a pack by :func:`render_section`, and read back."""

    pdf: Path
    json: dict
    text: str  # the PDF's text, as the final guard reads it back (PDFium)
    result: object  # the SectionResult after the audience filter


def render_section(section, extract: Extract | None = None, period: Period = SMALL_PERIOD, audience: str = "director",
                   team: str | None = None, language: str = "da", out_dir: Path | None = None, settings=(),
                   **config) -> Rendered:
    """Build ``section`` on ``extract`` into a one-section pack for ``audience`` (and ``team``) and read its
    PDF and JSON back.

    It goes through the build's own pipeline (:class:`ledinfo.pipeline.build.Pipeline`), with only its load
    stage answered by ``extract``: the comparisons with the period before and a year earlier, the relations the
    disclosure and the committee's protection follow, the verdicts, the texts, the rendering and the final guard
    are those of a real build. The built-in sections are installed beside it (their indicators are in the
    context, as in a real build); keyword arguments set Config fields, ``settings=[MySettings(...)]`` gives your
    plugin's settings. A period after the extract's data is built anyway (``outside_data=True``, as
    ``--allow-outside-data``): the cover says where the data end. A pack that fails raises AssertionError with
    the reason the build would report.
    """
    extract = extract or small_extract()
    registry = _registry_with_builtins(section)
    config.setdefault("municipality", Municipality("Testkommune"))
    # a hand-made extract seldom reaches the period's end: built anyway, as --allow-outside-data does (the cover
    # then says where the data end); a period the data cover is built as always
    config.setdefault("outside_data", True)
    spec = PackSpec(f"test-{audience}", audience, (section.name,), teams=(team,) if team else ())
    chosen = Config(base_dir=Path.cwd(), source={"type": "test"}, packs=(spec,), **config)
    checked, problems = registry.check_settings(chosen.plugins)
    if problems:
        raise ValueError("; ".join(problems))
    planned = Plan(chosen, registry, {spec.id: [section.name]}, {spec.id: load_template(None, audience)},
                   {**checked, **{type(s): s for s in settings}})
    out_dir = Path(out_dir or tempfile.mkdtemp(prefix="ledinfo-render-"))
    pipeline = _GivenExtract(extract, planned, period, out_dir, language=language, workers=1, staged=False)
    report = pipeline.run()
    if len(report.outcomes) != 1:
        raise AssertionError(f"the pack for {audience} gave {len(report.outcomes)} packs, not one (team {team!r}?)")
    outcome = report.outcomes[0]
    if not outcome.ok:
        raise AssertionError(f"pack {outcome.job.pack_id} failed: {outcome.error}")
    pdf = next(p for p in outcome.files if p.suffix == ".pdf")
    content = pipeline.contents[outcome.job.pack_id]
    return Rendered(pdf, json.loads(pdf.with_suffix(".json").read_bytes()), pdf_text(pdf.read_bytes()),
                    content.sections[0] if content.sections else None)


class _GivenExtract(Pipeline):
    """The build's pipeline, its load stage answered by an extract the test made (already validated)."""

    keep_contents = True  # render_section reads the pack's content back

    def __init__(self, extract: Extract, *arguments, **options) -> None:
        super().__init__(*arguments, **options)
        self.extract = extract

    def load(self) -> Extract:
        # a copy of its table list: the build's compute takes the tables out of what load gives (let_go), and the
        # test's extract is still the test's
        return replace(self.extract, tables=dict(self.extract.tables))


def _registry_with_builtins(section) -> Registry:
    """The built-in sections, their targets and their settings, with ``section`` (which replaces a built-in of
    its name)."""
    registry, builtins = Registry(), _builtin_registry()
    for registration in builtins.entries["section"].values():
        if registration.name != section.name:
            registry.register_callback("section", registration.plugin)(registration.obj)
    for registration in builtins.entries["targets"].values():  # the goals a section is judged by, as in a build
        registry.register_callback("targets", registration.plugin)(registration.obj)
    # a built-in under test keeps its plugin's name: it reads that plugin's settings as in a build
    replaced = builtins.entries["section"].get(section.name)
    registry.register_callback("section", replaced.plugin if replaced else "under-test")(section)
    if registry.problems:
        raise AssertionError("; ".join(str(p) for p in registry.problems))
    registry.settings_schemas.update(builtins.settings_schemas)
    return registry


def context_for(extract: Extract, period: Period, *sections, settings=(), **config):
    """A SectionContext for ``extract``; keyword arguments set Config fields (standards=..., plugins=...).

    Its indicators are the built-in sections' and those of ``sections`` (the sections under
    test, which replace a built-in of the same name); ``plugins={"goals": {...}}`` is checked
    against the built-in plugins' settings schemas, as a config's ``[plugins.*]`` tables are;
    ``settings=[MySettings(...)]`` gives your own plugin's settings.
    """
    registry = _builtin_registry()
    chosen = _test_config(**config)
    checked, problems = registry.check_settings(chosen.plugins)
    if problems:
        raise ValueError("; ".join(problems))
    own = {s.name for s in sections}
    everyone = [s for s in registry.sections() if s.name not in own] + list(sections)
    given = {type(s): s for s in settings}
    everything = {**checked, **given}
    return SectionContext.create(extract, period, chosen, everyone, everything, registry.target_providers(everything),
                                 registry.section_settings(everything), registry.section_plugins(),
                                 registry.schema_plugins())


def _test_config(**config) -> Config:
    """The config of a test: no source (the extract is given), the keyword arguments as its fields."""
    return Config(base_dir=Path.cwd(), source={}, **config)


@functools.cache
def _builtin_registry():
    """The built-in plugins alone (no installed plugin), loaded once per process."""
    return registry_of(*(importlib.import_module(name) for name in BUILTIN_PLUGINS))


def build_demo_packs(out: Path, language: str = "da", period: Period = DEMO_PERIOD, plugins: Plugins | None = None):
    """Build every default pack of the demo municipality into ``out``; returns the BuildReport."""
    plugins = plugins or load_test_plugins()
    return build(plan(demo_config(language=language), plugins.registry), period, out, language=language)


class ProtectionError(AssertionError):
    """A hidden number of a committee pack can be worked out; the message is the attack's report."""


ATTACK_PACKS = "LEDINFO_ATTACK_PACKS"  # how many periods to attack per municipality; "all" for every one


def check_committee_protection(*plugins, scales=(0.1,), seeds=(1,), periods="2024-01..2024-06", packs=None,
                               seed=None, settings=None, data=None, sections=(), builtins=True):
    """Attack the committee packs with ``plugins`` in them; raise :class:`ProtectionError` with the report when
    a hidden number can be worked out, else return the report (``ledinfo.api.attack.Report``).

    For each generated municipality (every scale with every seed; small ones, where counts are small) the
    committee pack — the built-in committee sections and the sections of ``plugins`` (modules with hooks,
    or Section objects), whatever their ``audiences`` — is built for ``packs`` periods sampled from
    ``periods`` (a range of months: every month, quarter and year to date in it; a number or "all";
    default ``LEDINFO_ATTACK_PACKS``, else 2), by ``seed`` (default ``LEDINFO_ATTACK_SEED``, else a new
    one each run, printed). A reader of those packs — their JSON and their charts' alt texts, knowing every
    relation between the numbers that holds in the data — tries to work out each hidden number, in each pack
    alone and in the series. A hidden number shown by one of your sections that comes out exact, or in a
    range narrower than the threshold, fails the check. ``settings``: ``[plugins.*]`` tables;
    ``data(tables, folder) -> source``: for a source plugin, write the tables where it reads them and return
    its ``[source]`` table; ``sections``: built-in sections to put under test as well; ``builtins=False``:
    your sections alone in the pack (quicker, but blind to what they give away beside the built-ins).

    A figure of yours that the protection finds to be another indicator's last 12 months added up, and that
    declares no window (``over=Over.WINDOW``), fails the check too, with its section and indicator named: the
    protection ties it to those months only where the packs' numbers show it, a declared window in every pack.
    """
    wanted = str(packs if packs is not None else os.environ.get(ATTACK_PACKS, "2")).strip().lower()
    packs = None if wanted == "all" else int(wanted)
    with _undeclared_windows() as undeclared:
        report = attack_municipalities(*plugins, scales=scales, seeds=seeds, periods=periods, packs=packs, seed=seed,
                                       settings=settings, data=data, sections=sections, builtins=builtins)
    yours = sorted({m for m in undeclared if any(m.startswith(f"section {name!r}:") for name in sections_of(*plugins))})
    if report.failures() or yours:
        raise ProtectionError("\n".join([*yours, report.text()]))
    return report


@contextmanager
def _undeclared_windows():
    """The protection's warnings of an undeclared 12-month window (ledinfo.disclosure.windows.undeclared_windows),
    collected while the packs are built."""
    found: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if "declares no window" in message:
                found.append(message)

    handler, logger = Collect(logging.WARNING), logging.getLogger("ledinfo.disclosure.series")
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


__all__ = ["DEMO_PERIOD", "SMALL_PERIOD", "ExtractError", "ProtectionError", "Rendered", "build_demo_packs",
           "check_committee_protection", "context_for", "demo_config", "frames_to_extract", "load_test_plugins",
           "only_plugins", "read_source", "registry_with", "render_section", "small_extract", "small_tables",
           "source_option_problems", "write_small_extract"]
