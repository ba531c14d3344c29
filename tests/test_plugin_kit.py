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


def _active(context, period):
    """Cases open at the period's end, in the municipality and per team (as known then), marked with the period."""
    import polars as pl

    from ledinfo.api import Figure, Over

    end = period.end
    cases = context.extract["cases"].filter(
        (pl.col("opened_on") <= end) & (pl.col("closed_on").is_null() | (pl.col("closed_on") > end)))
    teams = cases.group_by("team").len().sort("team").iter_rows()
    return [Figure("kit_active", cases.height, unit="count", over=Over.END, period=str(period)),
            *(Figure("kit_active", n, unit="count", team=team, over=Over.END, period=str(period)) for team, n in teams)]


class Active(Section):
    """A third-party section with its own indicator and a relation: its teams' cases add up to the municipality's."""

    name, title, description, requires = "kit_active", "Open cases", "Cases open at the period's end.", ("cases",)

    def indicators(self, rules):
        from ledinfo.api import Indicator

        return [Indicator("kit_active", "count", ("cases",), _active, over=__import__("ledinfo.api").api.Over.END)]

    def compute(self, context):
        from ledinfo.api import Ref, Relation, current_figures

        result = SectionResult(self.name, self.title)
        result.figures += current_figures("kit_active", context)
        teams = sorted(f.team for f in result.figures if f.team is not None)
        result.relations.append(Relation(Ref("kit_active"), tuple(Ref("kit_active", team=t) for t in teams)))
        return result


def test_render_section_shows_the_comparisons_and_relations_a_real_build_shows():
    """The kit builds through the build's pipeline: a figure is compared with the month before and the same month
    a year earlier (worked out by hand from the small extract), and the section's relation reaches the result."""
    rendered = render_section(Active(), small_extract(), SMALL_PERIOD, audience="director")
    shown = rendered.json["sections"][0]["indicators"]["kit_active"]
    assert shown["value"] == 7  # S1, S2, S4, S6, S7, S9, S10 open on 2024-03-31 (S8 closed that day)
    compared = shown["compared"]
    assert compared["previous"]["period"] == "2024-02" and compared["previous"]["value"] == 7  # S8 in, S9 not yet
    assert compared["year_before"]["period"] == "2023-03" and compared["year_before"]["value"] == 3  # S1, S3, S6
    assert shown["compared_by_team"]["Unge"]["year_before"]["value"] == 1  # S6
    relation = rendered.result.relations[0]
    assert relation.total.indicator == "kit_active" and {p.team for p in relation.parts} == {"Børn", "Unge"}
    periods = {f.period for f in rendered.result.figures if f.period is not None}
    assert periods == {"2024-02", "2023-03"}  # the comparisons are figures of the result, as in a pack
