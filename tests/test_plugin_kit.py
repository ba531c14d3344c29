"""The plugin kit: `ledinfo new-plugin`, ledinfo.api.testing, and the hooks' documentation and tests."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from ledinfo import hookspecs
from ledinfo.api import Section, SectionResult, Source, hookimpl
from ledinfo.api.testing import SMALL_PERIOD, registry_with, render_section, small_extract
from ledinfo.errors import PluginError

ROOT = Path(__file__).parent.parent
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("ledinfo_"))


@pytest.mark.slow  # pip-installs the package and runs its tests
@pytest.mark.parametrize("kind", ["section", "source", "delivery"])
def test_new_plugin_scaffolds_a_package_whose_tests_pass(tmp_path, kind):
    result = run_cli("new-plugin", f"fjordby-{kind}", "--kind", kind, "--dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    package = tmp_path / f"ledinfo-fjordby-{kind}"
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(site), str(package)], check=True, capture_output=True)
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(package / "tests")],
                           capture_output=True, text=True, env={"PYTHONPATH": str(site), "LEDINFO_LOAD_PLUGINS": "",
                                                                "PATH": "/usr/bin:/bin"})
    assert tests.returncode == 0, tests.stdout + tests.stderr
    listing = run_cli("plugins", env={"PYTHONPATH": str(site), "LEDINFO_LOAD_PLUGINS": f"ledinfo_fjordby_{kind}"})
    assert f"{kind}: fjordby_{kind}" in listing.stdout
    again = run_cli("new-plugin", f"fjordby-{kind}", "--kind", kind, "--dir", str(tmp_path))
    assert again.returncode == 2 and "exists already" in again.stderr


class Opened(Section):
    name, title, description = "opened", "Newly opened cases", "Cases opened."

    def compute(self, context):
        result = SectionResult(self.name, self.title)
        result.figures.append(__import__("ledinfo.api").api.Figure("opened", context.extract["cases"].height,
                                                                   unit="count"))
        return result


class OpenedPlugin:
    @hookimpl
    def ledinfo_register_sections(self, register):
        register(Opened())


def test_registry_with_holds_only_the_plugin_and_refuses_bad_registrations():
    registry = registry_with(OpenedPlugin())
    assert [s.name for s in registry.sections()] == ["opened"] and registry.entries["source"] == {}

    class Bad:
        @hookimpl
        def ledinfo_register_sources(self, register):
            register(Source)

    with pytest.raises(PluginError, match="registered the class Source"):
        registry_with(Bad())


def test_render_section_reads_the_pdf_back():
    rendered = render_section(Opened(), small_extract(), SMALL_PERIOD)
    assert rendered.pdf.exists() and "Newly opened cases" in rendered.text and "Side 1 af" in rendered.text
    assert rendered.json["sections"][0]["indicators"]["opened"]["value"] == 9  # S5 opens on 2 April: not yet known


def test_every_hook_is_documented():
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    for hook in HOOKS:
        assert re.search(rf"### `{hook}\(", docs), f"{hook} is not documented in docs/plugins.md"
        assert getattr(hookspecs, hook).__doc__, f"{hook} has no docstring"


def test_every_hook_has_a_test():
    names = set()
    for path in (ROOT / "tests").glob("test_*.py"):
        names.update(re.findall(r"^def (test_hook_\w+)", path.read_text(encoding="utf-8"), flags=re.M))
    for hook in HOOKS:
        assert any(name.startswith(f"test_hook_{hook}") for name in names), f"{hook} has no test_hook_{hook} test"
