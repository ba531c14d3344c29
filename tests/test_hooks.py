"""One test per hook (a test in test_plugin_kit.py makes sure every hook has one)."""

import click
import polars as pl
from click.testing import CliRunner

from ledinfo.api import Delivery, DeliveryItem, RawExtract, RawTable, Source, hookimpl
from ledinfo.api.small_extract import small_tables
from ledinfo.api.testing import SMALL_PERIOD, registry_with
from ledinfo.interfaces.source import load_extract


def test_hook_ledinfo_register_sources(tmp_path):
    class Memory(Source):
        name, description = "memory", "Tables held in memory."

        def read(self, options, context):
            return RawExtract({n: RawTable(n, f, f"memory:{n}", 1) for n, f in small_tables().items()})

    class Plugin:
        @hookimpl
        def ledinfo_register_sources(self, register):
            register(Memory())

    extract = load_extract({"type": "memory"}, registry_with(Plugin()), tmp_path, SMALL_PERIOD)
    assert extract["cases"].height == 10


def test_hook_ledinfo_register_sections():
    from ledinfo.plugins.caseload import CaseloadSection

    class Plugin:
        @hookimpl
        def ledinfo_register_sections(self, register):
            register(CaseloadSection())

    registry = registry_with(Plugin())
    assert registry.section("caseload").requires == ("cases", "staff")


def test_hook_ledinfo_register_deliveries(tmp_path):
    delivered = []

    class Collect(Delivery):
        name, description, needs_recipients = "collect", "Keeps what it is given.", False

        def deliver(self, item, options):
            delivered.append(item.pack_id)
            return "ok"

    class Plugin:
        @hookimpl
        def ledinfo_register_deliveries(self, register):
            register(Collect())

    delivery = registry_with(Plugin()).delivery("collect")
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF")
    assert delivery.deliver(DeliveryItem("udvalg", "-", pdf, "2024-03", "0", "s", "b"), {}) == "ok"
    assert delivered == ["udvalg"]


def test_hook_ledinfo_register_commands():
    from ledinfo.cli.commands import LedinfoGroup
    from ledinfo.plugin_host.manager import Plugins

    group = LedinfoGroup(name="ledinfo")

    class Plugin:
        @hookimpl
        def ledinfo_register_commands(self, cli):
            @cli.command()
            def hej():
                click.echo("hej")

    import pluggy

    from ledinfo import hookspecs

    manager = pluggy.PluginManager("ledinfo")
    manager.add_hookspecs(hookspecs)
    manager.register(Plugin(), name="test")

    class Runtime:
        plugins = Plugins(manager, registry_with(), {}, [])
        strict = False

    result = CliRunner().invoke(group, ["hej"], obj=Runtime())
    assert result.output == "hej\n"
    assert pl.__name__ == "polars"
