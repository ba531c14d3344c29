"""One test per hook, each going through the hook as a plugin would: the plugin registers, and
ledinfo's own pipeline (plan, load, build, run, the command line) uses what it registered.
(A test in test_plugin_kit.py makes sure every hook has one.)"""

import json

import polars as pl
import pytest
from pydantic import Field

from conftest import run_cli
from ledinfo.api import (
    Action,
    Delivery,
    Figure,
    Indicator,
    RawExtract,
    RawTable,
    Section,
    SectionResult,
    Settings,
    Source,
    Target,
    Targets,
    current_figures,
    hookimpl,
)
from ledinfo.api.small_extract import small_tables
from ledinfo.api.testing import SMALL_PERIOD, registry_with
from ledinfo.config.file import Config, PackSpec, parse_config
from ledinfo.errors import ConfigError
from ledinfo.pipeline.build import build, compute, load
from ledinfo.pipeline.plan import plan
from ledinfo.plugins import goals, six_week_followup, source_folder, team_overview


@pytest.fixture(autouse=True)
def _untranslated_stay_here():
    """These test plugins' English labels have no Danish; keep them out of the session's record of
    untranslated messages, which test_i18n checks for the demo."""
    import ledinfo.language as language

    before = set(language.MISSING)
    yield
    language.MISSING.intersection_update(before)


def test_hook_ledinfo_register_sources(tmp_path):
    class Memory(Source):
        name, description = "memory", "Tables held in memory."

        def read(self, options, context):
            return RawExtract({n: RawTable(n, f, f"memory:{n}", 1) for n, f in small_tables().items()})

    class Plugin:
        @hookimpl
        def ledinfo_register_sources(self, register):
            register(Memory())

    config = Config(base_dir=tmp_path, source={"type": "memory"})
    extract = load(plan(config, registry_with(Plugin())), SMALL_PERIOD)
    assert extract["cases"].height == 10  # validated: the small extract's ten cases


class Opened(Section):
    """Cases opened in the month; an indicator any goal or section can follow; one thing to do."""

    name, title, description = "opened", "Cases opened", "Cases opened in the month."
    audiences = ("director", "team_leader")

    def indicators(self, rules):
        def figures(context, period):
            cases = context.extract["cases"].filter(pl.col("opened_on").is_between(period.start, period.end))
            return [Figure("opened", cases.height, unit="count", period=str(period))]
        return [Indicator("opened", "count", ("cases",), figures, "Cases opened")]

    def compute(self, context):
        return SectionResult(self.name, self.title, figures=current_figures("opened", context),
                             labels={"opened": "Cases opened"})

    def actions(self, result, view):
        return [Action(f"Welcome the {int(result.figure('opened').value)} new cases.", 0)]


def test_hook_ledinfo_register_sections(tmp_path, small_dir):
    """A section declaring its audiences appears in those packs (and no other), with its action first."""
    class Plugin:
        @hookimpl
        def ledinfo_register_sections(self, register):
            register(Opened())

    registry = registry_with(source_folder, Plugin())
    config = Config(base_dir=tmp_path, source={"type": "folder", "path": str(small_dir)},
                    packs=(PackSpec("direktion", "director"), PackSpec("udvalg", "committee"),
                           PackSpec("team", "team_leader", teams=("Børn",))))
    planned = plan(config, registry)
    assert planned.sections_of == {"direktion": ["opened"], "udvalg": [], "team": ["opened"]}
    report = build(planned, SMALL_PERIOD, tmp_path / "out", workers=1)
    assert not report.failed
    director = json.loads((tmp_path / "out" / "direktion.json").read_text(encoding="utf-8"))
    assert director["sections"][0]["indicators"]["opened"]["value"] == 1  # the small extract: one case opened in March
    team = json.loads((tmp_path / "out" / "team-boern.json").read_text(encoding="utf-8"))
    assert team["summary"][0] == "Welcome the 1 new cases."


def test_hook_ledinfo_register_deliveries(tmp_path, small_dir):
    """ledinfo run sends every built pack through a delivery a plugin registered."""
    from ledinfo.delivery.run import run

    delivered = []

    class CollectOptions(Settings):
        label: str = Field(description="a label for the receipts")

    class Collect(Delivery):
        name, description, needs_recipients = "collect", "Keeps what it is given.", False
        Options = CollectOptions

        def recipients(self, options, base_dir):
            return ["archive"]

        def deliver(self, item, options):
            delivered.append((item.pack_id, item.recipient, item.pdf.read_bytes()[:4]))
            return f"{options.label}-{len(delivered)}"  # the typed options its model declares

    class Plugin:
        @hookimpl
        def ledinfo_register_deliveries(self, register):
            register(Collect())

    registry = registry_with(source_folder, Plugin())
    config = Config(base_dir=tmp_path, source={"type": "folder", "path": str(small_dir)},
                    packs=(PackSpec("udvalg", "committee"),),
                    delivery={"type": "collect", "ledger": str(tmp_path / "state" / "ledger.sqlite"),
                              "collect": {"label": "arkiv"}})
    report = run(config, registry, SMALL_PERIOD, tmp_path / "out", workers=1)
    assert report.ok and delivered == [("udvalg", "archive", b"%PDF")]
    bad = Config(base_dir=tmp_path, source=config.source, packs=config.packs,
                 delivery={**config.delivery, "collect": {"lable": "x"}})
    with pytest.raises(ConfigError, match=r"delivery.collect.lable: unknown key \(did you mean 'label'\?\)"):
        run(bad, registry, SMALL_PERIOD, tmp_path / "out2")


class Threshold(Settings):
    minimum: int = 2
    label: str = "Åbnede sager"


class Thresholded(Section):
    name, title, description = "thresholded", "Thresholded", "Reads its plugin's settings."

    def compute(self, context):
        settings = context.settings()  # its own plugin's [plugins.thresholds], checked and typed
        assert isinstance(settings, Threshold)
        return SectionResult(self.name, self.title, figures=[Figure("minimum", settings.minimum, unit="count")],
                             notes=[settings.label])


class SettingsPlugin:
    __name__ = "thresholds"  # the plugin's name: its [plugins.thresholds] table

    @hookimpl
    def ledinfo_register_settings(self, register):
        register(Threshold)

    @hookimpl
    def ledinfo_register_sections(self, register):
        register(Thresholded())


def test_hook_ledinfo_register_settings(tmp_path, small_dir):
    """[plugins.<name>] is checked by the plugin's schema with every problem's key path, and reaches compute()."""
    registry = registry_with(source_folder, SettingsPlugin())
    source = ('[municipality]\nname = "Testby Kommune"\n'
              f'[source]\ntype = "folder"\npath = "{small_dir}"\n[[packs]]\nid = "d"\naudience = "director"\n')

    def config(extra):
        import tomllib

        return parse_config(tomllib.loads(source + extra), tmp_path, "test.toml")

    with pytest.raises(ConfigError) as caught:
        plan(config('[plugins.thresholds]\nminimum = "two"\nlabl = "x"\n[plugins.thresholdz]\n'), registry)
    message = str(caught.value)
    assert "3 problems" in message
    assert "plugins.thresholds.minimum: input should be a valid integer" in message
    assert "plugins.thresholds.labl: unknown key (did you mean 'label'?)" in message
    assert "plugins.thresholdz: no installed plugin called 'thresholdz' takes settings (did you mean 'thresholds'?)" \
        in message
    planned = plan(config("[plugins.thresholds]\nminimum = 7\n"), registry)
    report = build(planned, SMALL_PERIOD, tmp_path / "out", workers=1)
    pack = json.loads((tmp_path / "out" / "d.json").read_text(encoding="utf-8"))
    assert not report.failed and pack["sections"][0]["indicators"]["minimum"]["value"] == 7
    assert "Åbnede sager" in pack["sections"][0]["notes"]  # the default of a key the table leaves out


class Limits(Settings):
    minimum: int = 2


class Limited(Section):
    name, title, description = "limited", "Limited", "Provides an indicator that reads its plugin's settings."

    def indicators(self, rules):
        def figures(context, period):  # computed with this section's settings, whichever section asks
            return [Figure("minimum_set", context.settings(Limits).minimum, unit="count", period=str(period))]
        return [Indicator("minimum_set", "count", ("cases",), figures, counts="cases")]

    def compute(self, context):
        return SectionResult(self.name, self.title, figures=current_figures("minimum_set", context))


class LimitsPlugin:
    __name__ = "limits"

    @hookimpl
    def ledinfo_register_settings(self, register):
        register(Limits)

    @hookimpl
    def ledinfo_register_sections(self, register):
        register(Limited())


class Asker(Section):
    name, title, description = "asker", "Asker", "Shows another plugin's indicator."

    def compute(self, context):
        return SectionResult(self.name, self.title, figures=current_figures("minimum_set", context))


class Peeker(Section):
    name, title, description = "peeker", "Peeker", "Reads another plugin's settings."

    def compute(self, context):
        return SectionResult(self.name, self.title, notes=[str(context.settings(Limits).minimum)])


class AskingPlugin:
    __name__ = "asking"

    @hookimpl
    def ledinfo_register_sections(self, register):
        register(Asker())
        register(Peeker())


def test_a_section_reads_its_own_plugins_settings_only(tmp_path, small_dir):
    """A section that asks for another plugin's settings is refused, naming both plugins (what one plugin offers
    another goes through a registered kind, as targets do); another plugin's indicator is still shown, computed
    with its own plugin's settings, and the other sections are built."""
    registry = registry_with(source_folder, LimitsPlugin(), AskingPlugin())
    config = Config(base_dir=tmp_path, source={"type": "folder", "path": str(small_dir)},
                    plugins={"limits": {"minimum": 7}},
                    packs=(PackSpec("d", "director", ("limited", "asker", "peeker")),))
    planned = plan(config, registry)
    computed = compute(planned, load(planned, SMALL_PERIOD), SMALL_PERIOD)
    assert computed.failures["peeker"] == (
        "section 'peeker' (plugin asking) failed: PluginError: section 'peeker' of plugin 'asking' asked for Limits, "
        "the settings of plugin 'limits': a section reads its own plugin's settings only (context.settings()); what "
        "one plugin offers another goes through a registered kind, as targets do (ledinfo_register_targets, read as "
        "context.targets)")
    for name in ("limited", "asker"):
        assert [f.value for f in computed.results[name].figures if f.team is None and f.period is None] == [7], name


class BudgetGoals(Targets):
    name, description = "budget_goals", "The year's goals from a budget system."

    def targets(self, context):
        assert context.settings is None  # the plugin registers no settings
        if context.period.year != SMALL_PERIOD.year:
            return []
        return [Target("six_week_followup", 0.95, title="Opfølgning (budget)"), Target("no_such_indicator", 1.0)]


class TargetsPlugin:
    @hookimpl
    def ledinfo_register_targets(self, register):
        register(BudgetGoals())


def test_hook_ledinfo_register_targets(tmp_path, small_dir):
    """A third-party plugin's targets reach every section through the context: the goals section lists them,
    and they judge the indicator's figures in the directors' overview, with no plugin reading another's table."""
    registry = registry_with(source_folder, goals, six_week_followup, team_overview, TargetsPlugin())
    config = Config(base_dir=tmp_path, source={"type": "folder", "path": str(small_dir)},
                    packs=(PackSpec("d", "director", ("team_overview", "goals", "six_week_followup")),))
    planned = plan(config, registry)
    computed = compute(planned, load(planned, SMALL_PERIOD), SMALL_PERIOD)
    context = computed.context
    assert [(t.indicator, t.value, t.provider) for t in context.targets] == [
        ("six_week_followup", 0.95, "budget_goals"), ("no_such_indicator", 1.0, "budget_goals")]
    yardstick = context.yardstick("six_week_followup")
    assert (yardstick.basis, yardstick.value) == ("goal", 0.95)
    assert context.yardstick("no_such_indicator") is None  # an unknown indicator's target judges nothing
    table = computed.results["goals"].tables[0].frame
    assert table.select("indicator", "target").rows() == [("six_week_followup", 0.95)]
    assert computed.results["goals"].labels["six_week_followup"] == "Opfølgning (budget)"
    assert any(note[1] == {"indicator": "no_such_indicator"} for note in computed.results["goals"].notes)
    judged = [f for f in computed.results["team_overview"].figures
              if f.indicator == "six_week_followup" and f.period is None and f.verdict is not None]
    assert judged and all(f.verdict.yardstick.value == 0.95 for f in judged)


COMMAND_PLUGIN = """
    import click
    from ledinfo.api import hookimpl

    @hookimpl
    def ledinfo_register_commands(cli):
        @cli.command()
        @click.argument("name")
        def hej(name):
            \"\"\"Say hello.\"\"\"
            click.echo(f"hej {name}")
"""


@pytest.mark.slow  # pip-installs a package
def test_hook_ledinfo_register_commands(tmp_path):
    """An installed plugin's command runs from the real command line, and `ledinfo --help` lists it."""
    from test_plugins import make_plugin_package

    site = make_plugin_package(tmp_path, "ledinfo-hej", COMMAND_PLUGIN)
    env = {"PYTHONPATH": str(site), "LEDINFO_LOAD_PLUGINS": "ledinfo_hej"}
    assert run_cli("hej", "verden", env=env).stdout == "hej verden\n"
    assert "Say hello." in run_cli("--help", env=env).stdout
