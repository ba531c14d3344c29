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


KINDS = ("section", "source", "delivery")


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory):
    """``ledinfo new-plugin`` of each kind, the three packages pip-installed by one pip and their tests run by one
    pytest, each a process of its own as a plugin author runs them: the made packages, the install's folder and each
    test's outcome by (its module, its name). One pip and one pytest for the three, not one each: a process of
    either costs a second or two of CPU to start (pytest's with ledinfo's imports), and the packages' tests are
    told apart by their modules (test_fjordby_<kind>)."""
    import xml.etree.ElementTree as ElementTree

    root = tmp_path_factory.mktemp("new-plugin")
    made = {kind: run_cli("new-plugin", f"fjordby-{kind}", "--kind", kind, "--dir", str(root)) for kind in KINDS}
    packages = [root / f"ledinfo-fjordby-{kind}" for kind in KINDS if made[kind].returncode == 0]
    site = root / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(site), *map(str, packages)], check=True, capture_output=True)
    report = root / "report.xml"
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--junitxml", str(report),
                            *(str(package / "tests") for package in packages)],
                           capture_output=True, text=True, env={"PYTHONPATH": str(site), "LEDINFO_LOAD_PLUGINS": "",
                                                                "PATH": "/usr/bin:/bin"})
    outcomes = {}
    if report.exists():
        for case in ElementTree.parse(report).iter("testcase"):
            failed = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
            outcomes[case.get("classname").rsplit(".", 1)[-1], case.get("name")] = failed[0] if failed else "passed"
    return root, made, site, tests, outcomes


@pytest.mark.slow  # pip-installs the packages and runs their tests
@pytest.mark.parametrize("kind", KINDS)
def test_new_plugin_scaffolds_a_package_whose_tests_pass(scaffolded, kind):
    root, made, site, tests, outcomes = scaffolded
    assert made[kind].returncode == 0, made[kind].stderr
    own = {name: outcome for (module, name), outcome in outcomes.items() if module == f"test_fjordby_{kind}"}
    assert own and set(own.values()) == {"passed"}, (own, tests.stdout + tests.stderr)
    # a run that failed where no test did (pytest's own error): every kind fails; another kind's failing test does not
    assert tests.returncode == 0 or set(outcomes.values()) != {"passed"}, tests.stdout + tests.stderr
    listing = run_cli("plugins", env={"PYTHONPATH": str(site), "LEDINFO_LOAD_PLUGINS": f"ledinfo_fjordby_{kind}"})
    assert f"{kind}: fjordby_{kind}" in listing.stdout
    again = run_cli("new-plugin", f"fjordby-{kind}", "--kind", kind, "--dir", str(root))
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
