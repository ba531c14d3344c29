"""Plugin loading, the registry's checks, listing, and an external plugin installed through its entry point."""

import json
import subprocess
import sys
import textwrap

import pytest

from conftest import run_cli
from ledinfo.api import Section, SectionResult, Source, hookimpl
from ledinfo.errors import PluginError
from ledinfo.plugin_host.manager import BUILTIN_PLUGINS, builtin_name, load_plugins
from ledinfo.plugin_host.registry import Registry


def test_builtins_are_registered_like_plugins(plugins):
    assert {builtin_name(module) for module in BUILTIN_PLUGINS} <= set(plugins.info)
    assert all(plugins.manager.has_plugin(builtin_name(module)) for module in BUILTIN_PLUGINS)
    assert plugins.registry.plugin_of("source", "folder") == "source_folder"
    assert plugins.registry.plugin_of("section", "caseload") == "caseload"
    assert not plugins.problems


class GoodSection(Section):
    name = "good"
    title = "Good"
    description = "A section for tests."

    def compute(self, context):
        return SectionResult(self.name, self.title)


def register(registry, obj, plugin="testplugin"):
    registry.register_callback("section", plugin)(obj)
    return [str(p) for p in registry.problems]


def test_registry_records_the_plugin():
    registry = Registry()
    assert register(registry, GoodSection()) == []
    assert registry.provided_by("testplugin") == {"section": ["good"]}


def test_registering_a_class_instead_of_an_instance():
    assert register(Registry(), GoodSection) == [
        "plugin 'testplugin': registered the class GoodSection as a section; register an instance: "
        "register(GoodSection())"]


def test_duplicate_names_name_both_plugins():
    registry = Registry()
    register(registry, GoodSection(), "first")
    assert register(registry, GoodSection(), "second") == [
        "plugin 'second': registers section 'good', which plugin 'first' already provides"]


@pytest.mark.parametrize("change, message", [
    ({"name": "Bad Name"}, "section name 'Bad Name' must be lower-case letters"),
    ({"title": ""}, "section GoodSection has no title"),
    ({"requires": ("cases", "kases")}, "requires unknown table(s) kases"),
    ({"audiences": ("politicians",)}, "unknown audience(s) politicians"),
])
def test_invalid_sections_are_refused_with_the_cause(change, message):
    section = GoodSection()
    for key, value in change.items():
        setattr(section, key, value)
    problems = register(Registry(), section)
    assert len(problems) == 1 and message in problems[0]


def test_wrong_type_and_missing_method():
    class NotASection:
        name = "x"

    class Lazy(Section):
        name, title, description = "lazy", "Lazy", "Does nothing"

    assert "is not a ledinfo.api.Section" in register(Registry(), NotASection())[0]
    assert "does not implement compute()" in register(Registry(), Lazy())[0]


class BrokenPlugin:
    @hookimpl
    def ledinfo_register_sources(self, register):
        register(Source())  # no name, no read()


def test_a_plugin_that_registers_something_invalid_is_skipped_or_fails_when_strict(monkeypatch):
    from ledinfo.plugin_host import manager as loader

    monkeypatch.setattr(loader, "BUILTIN_PLUGINS", loader.BUILTIN_PLUGINS + ("tests_broken_plugin",))
    monkeypatch.setitem(sys.modules, "tests_broken_plugin", BrokenPlugin())
    loaded = load_plugins()
    assert [p.plugin for p in loaded.problems] == ["tests_broken_plugin"]
    assert "source Source has no name" in loaded.problems[0].message
    with pytest.raises(PluginError, match="tests_broken_plugin"):
        load_plugins(strict=True)


def make_plugin_package(tmp_path, name, body, version="1.2.3"):
    """Write and pip-install a throw-away plugin package; returns the folder to put on PYTHONPATH."""
    source = tmp_path / f"src-{name}"
    module = name.replace("-", "_")
    (source / module).mkdir(parents=True)
    (source / "pyproject.toml").write_text(textwrap.dedent(f"""
        [build-system]
        requires = ["setuptools"]
        build-backend = "setuptools.build_meta"
        [project]
        name = "{name}"
        version = "{version}"
        [project.entry-points.ledinfo]
        {module} = "{module}"
    """))
    (source / module / "__init__.py").write_text(textwrap.dedent(body))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(source)], check=True, capture_output=True)
    return target


HELLO = """
    import click
    from ledinfo.api import Section, SectionResult, Figure, hookimpl

    class Hello(Section):
        name = "hello"
        title = "Hello"
        description = "Counts the cases."

        def compute(self, context):
            result = SectionResult(self.name, self.title, headline=("cases_total",))
            result.figures.append(Figure("cases_total", context.extract["cases"].height, unit="count"))
            return result

    @hookimpl
    def ledinfo_register_sections(register):
        register(Hello())

    @hookimpl
    def ledinfo_register_commands(cli):
        @cli.command()
        def hello():
            "Say hello."
            click.echo("hej fra plugin")
"""


@pytest.mark.slow  # pip-installs a package
def test_external_plugin_installed_through_its_entry_point(tmp_path, small_dir):
    site = make_plugin_package(tmp_path, "ledinfo-hello", HELLO)
    env = {"PYTHONPATH": str(site), "LEDINFO_LOAD_PLUGINS": "ledinfo_hello"}
    listing = json.loads(run_cli("plugins", "--json", env=env).stdout)
    hello = next(p for p in listing if p["name"] == "ledinfo_hello")
    assert hello == {"name": "ledinfo_hello", "version": "1.2.3", "builtin": False, "distribution": "ledinfo-hello",
                     "status": "loaded", "hooks": ["ledinfo_register_commands", "ledinfo_register_sections"],
                     "provides": {"section": ["hello"]}, "settings": None, "options": [], "problems": []}
    assert run_cli("hello", env=env).stdout.strip() == "hej fra plugin"
    assert "hello" in run_cli("sections", env=env).stdout
    # the env variable keeps it out
    disabled = run_cli("plugins", "--all", "--json", env={"PYTHONPATH": str(site), "LEDINFO_LOAD_PLUGINS": ""})
    entry = next(p for p in json.loads(disabled.stdout) if p["name"] == "ledinfo_hello")
    assert entry["status"] == "disabled"
    # its section builds into a pack's JSON like a built-in
    out = tmp_path / "out"
    config = tmp_path / "ledinfo.toml"
    config.write_text(f'[municipality]\nname = "Testby Kommune"\n[source]\ntype = "folder"\npath = "{small_dir}"\n'
                      '[[packs]]\nid = "udvalg"\naudience = "committee"\nsections = ["hello"]\n')
    result = run_cli("build", "--config", str(config), "--period", "2024-03", "--out", str(out), "--jobs", "1",
                     env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads((out / "udvalg.json").read_text())
    assert data["sections"][0]["indicators"]["cases_total"]["value"] == 9  # S5 opens on 2 April: not yet known


@pytest.mark.slow  # pip-installs a package
def test_a_plugin_that_fails_to_import_is_named_and_skipped(tmp_path):
    site = make_plugin_package(tmp_path, "ledinfo-broken", "import no_such_module_here\n")
    env = {"PYTHONPATH": str(site), "LEDINFO_LOAD_PLUGINS": "ledinfo_broken"}
    result = run_cli("plugins", env=env)
    assert result.returncode == 0
    assert "plugin 'ledinfo_broken': failed to import (ledinfo_broken): ModuleNotFoundError" in result.stderr
    assert "skipped" in result.stderr
    strict = run_cli("--strict", "plugins", env=env)
    assert strict.returncode == 2 and "Traceback" not in strict.stderr
    assert "ledinfo_broken" in strict.stderr
    listing = json.loads(run_cli("plugins", "--all", "--json", env=env).stdout)
    assert next(p for p in listing if p["name"] == "ledinfo_broken")["status"] == "failed"


@pytest.mark.slow  # pip-installs a package
def test_a_misspelled_hook_is_reported(tmp_path):
    body = "from ledinfo.api import hookimpl\n\n@hookimpl\ndef ledinfo_register_section(register):\n    pass\n"
    site = make_plugin_package(tmp_path, "ledinfo-typo", body)
    result = run_cli("plugins", env={"PYTHONPATH": str(site), "LEDINFO_LOAD_PLUGINS": "ledinfo_typo"})
    assert "implements unknown hook(s) ledinfo_register_section" in result.stderr


def test_plugins_command_lists_builtins():
    result = run_cli("plugins")
    assert result.returncode == 0
    for module in BUILTIN_PLUGINS:
        assert f"{builtin_name(module)} 0." in result.stdout
    assert "section: caseload" in result.stdout and "(built-in)" in result.stdout
    assert "settings: [plugins.goals]: goal (list[Goal])" in result.stdout
    assert "targets: goals" in result.stdout  # the goals plugin provides its goals as targets
    # a source's and a delivery's options, from their models
    assert 'options: [source] type = "folder": path (str), files (dict[str, str] | None)' in result.stdout
    assert "options: [delivery.email]: host (str), port (int | None), security ('starttls' | 'tls' | 'none')" \
        in result.stdout


def test_trace_plugins_logs_hook_calls():
    result = run_cli("sections", env={"LEDINFO_TRACE_PLUGINS": "1"})
    assert "[ledinfo trace] ledinfo_register_sections -> ['caseload']" in result.stderr
    assert "[ledinfo trace] ledinfo_register_settings -> ['goals']" in result.stderr


def test_sections_lists_the_audiences_and_the_indicators_a_goal_can_follow():
    listing = {s["name"]: s for s in json.loads(run_cli("sections", "--json").stdout)}
    assert "investigation_4m" in listing["compliance"]["indicators"]
    assert listing["supervision"]["indicators"] == ["supervision_coverage", "supervision_completion", "supervision_findings"]
    assert listing["goals"]["audiences"] == ["committee", "director"]
