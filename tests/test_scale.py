"""Many packs, many municipalities, fast: the parallel build, shared charts and timings.

Speed itself is measured by benchmarks/run.py, not asserted here; these tests
check that the fast paths give the same packs as the plain ones, that several
municipalities build in one run without one's failure losing another's, and
that the timings a build reports add up.
"""

from __future__ import annotations

import json
import resource
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import run_cli, run_process
from ledinfo.config.file import parse_config
from ledinfo.errors import ConfigError

pytestmark = pytest.mark.slow


def _multi_config(tmp_path: Path, folders: dict[str, Path], extra: str = "") -> Path:
    entries = "\n".join(
        f'[[municipalities]]\nid = "{mid}"\nname = "{mid.capitalize()} Kommune"\ninhabitants = {1000 * (i + 1)}\n'
        f'source = {{ type = "folder", path = "{folder}" }}\n' for i, (mid, folder) in enumerate(folders.items()))
    path = tmp_path / "ledinfo.toml"
    path.write_text(extra + entries, encoding="utf-8")
    return path


def test_municipalities_config_reports_every_problem_at_once(tmp_path):
    data = {
        "source": {"type": "folder", "path": "x"},
        "municipalities": [
            {"id": "Aarhus Kommune", "name": "Aarhus Kommune", "source": {"type": "folder", "path": "a"}},
            {"name": "Uden id"},
            {"id": "odense", "name": "Odense Kommune", "source": {"path": "o"}, "inhabitant": 5},
            {"id": "vejle", "name": "Vejle Kommune", "source": {"type": "folder", "path": "v"}},
            {"id": "vejle", "name": "Vejle igen", "source": {"type": "folder", "path": "v2"}},
        ],
    }
    with pytest.raises(ConfigError) as caught:
        parse_config(data, tmp_path, "ledinfo.toml")
    message = str(caught.value)
    for expected in ("municipalities[1].id: 'Aarhus Kommune' must be lower-case",
                     "municipalities[2].id: missing: every municipality needs an id",
                     "municipalities[2].source: missing: every municipality needs a source",
                     "municipalities[3].source.type: missing",
                     "municipalities[3].inhabitant: unknown key (did you mean 'inhabitants'?)",
                     "two municipalities have the id 'vejle'",
                     "remove the top-level [source] and [municipality]"):
        assert expected in message, message


def test_one_build_makes_every_municipalitys_packs_and_a_failure_loses_nothing(tmp_path, small_dir):
    broken = tmp_path / "broken"
    shutil.copytree(small_dir, broken)
    cases = broken / "cases.csv"
    lines = cases.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("2022-01-", "2022-13-", 1) if "2022-01-" in lines[1] else lines[1] + ",extra"
    cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = _multi_config(tmp_path, {"fjordby": small_dir, "aaby": small_dir, "brudby": broken})
    out = tmp_path / "out"
    result = run_cli("build", "--config", str(config), "--period", "2024-03", "--out", str(out), "--jobs", "2")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "brudby" in result.stderr and "cases.csv" in result.stderr  # the failure names the file
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    status = {m["id"]: m["status"] for m in manifest["municipalities"]}
    assert status == {"fjordby": "ok", "aaby": "ok", "brudby": "failed"}
    for municipality in ("fjordby", "aaby"):
        own = json.loads((out / municipality / "manifest.json").read_text(encoding="utf-8"))
        assert [p["status"] for p in own["packs"]] == ["ok"] * 4
        cover = PdfReader(out / municipality / "udvalg.pdf").pages[0].extract_text()
        assert f"{municipality.capitalize()} Kommune" in cover  # each pack carries its own municipality
    assert not (out / "brudby" / "udvalg.pdf").exists()
    # the same packs as a build of that municipality on its own
    alone = tmp_path / "alone"
    assert run_cli("build", "--data", str(small_dir), "--period", "2024-03", "--out", str(alone),
                   "--jobs", "1").returncode == 0
    mine = json.loads((out / "fjordby" / "team-boern.json").read_text(encoding="utf-8"))
    theirs = json.loads((alone / "team-boern.json").read_text(encoding="utf-8"))
    assert mine["sections"] == theirs["sections"]


def test_run_refuses_a_config_of_several_municipalities_clearly(tmp_path, small_dir):
    config = _multi_config(tmp_path, {"fjordby": small_dir, "aaby": small_dir},
                           extra='[delivery]\ntype = "folder"\n[delivery.folder]\npath = "sent"\n\n')
    result = run_cli("run", "--config", str(config), "--period", "2024-03")
    assert result.returncode == 2
    assert "[[municipalities]]" in result.stderr and "Traceback" not in result.stderr


def test_parallel_cached_and_plain_builds_give_identical_packs_and_timings_add_up(tmp_path, small_demo_build):
    # built with 2 workers, shared charts and --timings (7 packs, shared charts: conftest.small_demo_build)
    data_dir, fast, plain = small_demo_build / "data", small_demo_build / "packs", tmp_path / "plain"
    timings = small_demo_build / "timings.json"
    result = run_cli("build", "--data", str(data_dir), "--period", "2026-10", "--out", str(plain), "--jobs", "1",
                     env={"LEDINFO_NO_CACHE": "1"})
    assert result.returncode == 0, result.stderr
    pdfs = sorted(p.name for p in fast.glob("*.pdf"))
    assert pdfs == sorted(p.name for p in plain.glob("*.pdf")) and len(pdfs) == 7
    for name in pdfs:
        assert (fast / name).read_bytes() == (plain / name).read_bytes(), name
    data = json.loads(timings.read_text(encoding="utf-8"))
    counts = data["counts"]
    assert counts["packs"] == 7
    assert counts["pages"] == sum(len(PdfReader(p).pages) for p in fast.glob("*.pdf"))
    assert 0 < counts["charts"] < counts["chart_uses"]  # shared charts were drawn once
    assert set(data["seconds"]) >= {"load", "compute", "charts", "pdf", "guard", "write"}
    assert all(value >= 0 for value in data["seconds"].values())
    assert data["per_page_ms"] > 0 and data["per_chart_ms"] > 0


def test_denmark_demo_data_builds_as_several_municipalities(tmp_path):
    from ledinfo.demo.denmark import write_denmark
    from ledinfo.model.period import Period

    config = write_denmark(tmp_path / "dk", Period(2026, 10), names=["Læsø", "Fanø"])
    text = config.read_text(encoding="utf-8")
    assert 'name = "Læsø Kommune"' in text and 'path = "fanoe"' in text
    # the committee's and the director's packs only: every stage the CPU lines count is still there (the committee's
    # protection, charts and PDFs in two workers), and the five team packs of each would add about 3.4 s of CPU
    # of 17.6 s (one run each, 2026-12-07)
    config.write_text('[[packs]]\nid = "udvalg"\naudience = "committee"\n\n'
                      '[[packs]]\nid = "direktion"\naudience = "director"\n\n' + text, encoding="utf-8")
    out, timings = tmp_path / "out", tmp_path / "timings.json"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # a process of its own: the CPU of its whole tree is what the timings must add up to
    result = run_process("build", "--config", str(config), "--period", "2026-10", "--out", str(out), "--jobs", "2",
                         "--timings", str(timings))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and its workers, each waited for
    assert result.returncode == 0, result.stderr
    assert "for 2 municipalities" in result.stdout
    for municipality in ("laesoe", "fanoe"):
        assert sorted(p.name for p in (out / municipality).glob("*.pdf")) == ["direktion.pdf", "udvalg.pdf"]
    # the CPU lines of a build in two workers add up to the CPU of the whole process tree: no stage counted twice
    # (a worker's tasks inside a municipality's build once counted its stages again as hand-over), none left out
    cpu = json.loads(timings.read_text(encoding="utf-8"))["cpu_seconds"]
    tree = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert all(seconds >= 0 for seconds in cpu.values()), cpu
    assert {"import", "warm-up", "load", "compute", "charts", "pdf", "handover"} <= set(cpu)
    assert tree - 0.1 * tree - 0.5 < sum(cpu.values()) <= tree, (sum(cpu.values()), tree, cpu)
    assert cpu["handover"] < 0.1 * tree, cpu


def test_every_chart_spec_of_the_demo_packs_is_valid_vega_lite_and_the_one_altair_makes():
    """Builds skip Altair's schema validation and fill in a spec Altair made once per shape of chart, for speed;
    this checks every spec the demo draws against the schema and against the spec Altair makes of that chart."""
    from builders import compute_sections
    from ledinfo.demo import demo_config
    from ledinfo.interfaces.source import load_extract
    from ledinfo.model.period import Period
    from ledinfo.pipeline.build import language_for
    from ledinfo.pipeline.plan import plan
    from ledinfo.plugin_host.manager import load_plugins
    from ledinfo.render.charts import chart_spec

    registry = load_plugins().registry  # the built-in sections (conftest keeps external plugins out)
    config = demo_config()
    period = Period(2026, 10)
    extract = load_extract(config.source, registry, config.base_dir, period, config.mappings)
    names = plan(config, registry).needed
    results, failures, _ = compute_sections(names, extract, config, registry, period)
    assert not failures
    charts = [chart for result in results.values() for chart in result.charts]
    assert len(charts) > 10
    for code in ("da", "en"):
        language = language_for(code, registry)
        for chart in charts:
            made_by_altair = chart_spec(chart, language, validate=True)  # raises on a spec Vega-Lite would reject
            assert chart_spec(chart, language) == made_by_altair, chart.id


def test_a_chart_that_cannot_be_drawn_fails_only_the_packs_showing_it(tmp_path, small_dir, monkeypatch):
    """Drawing the trend charts' points fails (a fault put in on purpose): only packs with a trend fail."""
    from ledinfo.api.testing import load_test_plugins
    from ledinfo.config.file import folder_config
    from ledinfo.model.period import Period
    from ledinfo.pipeline.build import build
    from ledinfo.pipeline.plan import plan
    from ledinfo.render import scenegraph

    def broken_symbol(*args):
        raise ValueError("no points today")

    monkeypatch.setitem(scenegraph.DRAW, "symbol", broken_symbol)
    report = build(plan(folder_config(small_dir), load_test_plugins().registry), Period(2024, 3), tmp_path / "out",
                   workers=1)
    failed = {o.job.pack_id for o in report.failed}
    assert failed and failed != {o.job.pack_id for o in report.outcomes}
    assert all("could not be drawn: ValueError: no points today" in o.error for o in report.failed)
    assert all((tmp_path / "out" / f"{o.job.pack_id}.pdf").exists() for o in report.outcomes if o.ok)


def test_validate_checks_every_municipality_and_names_the_broken_one(tmp_path, small_dir):
    broken = tmp_path / "broken"
    shutil.copytree(small_dir, broken)
    (broken / "staff.csv").write_text("nonsense\n1\n", encoding="utf-8")
    config = _multi_config(tmp_path, {"fjordby": small_dir, "brudby": broken})
    result = run_cli("validate", "--config", str(config), "--period", "2024-03")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no problems found" in result.stdout  # fjordby
    assert "Brudby Kommune" in result.stderr and "staff.csv" in result.stderr


KILLER = """
    import os
    import signal

    from ledinfo.api import Section, SectionResult, hookimpl

    class Killer(Section):
        name = "killer"
        title = "Killer"
        description = "Kills its own process for one municipality (a crash, out of memory)."

        def compute(self, context):
            if context.municipality.name == "Brudby Kommune":
                os.kill(os.getpid(), signal.SIGKILL)
            return SectionResult(self.name, self.title)

    @hookimpl
    def ledinfo_register_sections(register):
        register(Killer())
"""


def test_a_worker_killed_by_one_municipality_loses_only_that_one(tmp_path, small_dir):
    from test_plugins import make_plugin_package

    site = make_plugin_package(tmp_path, "ledinfo-killer", KILLER)
    config = _multi_config(tmp_path, {"fjordby": small_dir, "brudby": small_dir, "aaby": small_dir, "cby": small_dir},
                           extra='[[packs]]\nid = "udvalg"\naudience = "committee"\n'
                                 'sections = ["killer", "six_week_followup"]\n\n')
    out = tmp_path / "out"
    result = run_cli("build", "--config", str(config), "--period", "2024-03", "--out", str(out), "--jobs", "2",
                     env={"PYTHONPATH": str(site), "LEDINFO_LOAD_PLUGINS": "ledinfo_killer"})
    assert result.returncode == 1, result.stderr
    assert "brudby: its worker process died" in result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {m["id"]: m["status"] for m in manifest["municipalities"]} == {
        "fjordby": "ok", "brudby": "failed", "aaby": "ok", "cby": "ok"}
    for municipality in ("fjordby", "aaby", "cby"):
        assert (out / municipality / "udvalg.pdf").exists()


DEADLY_FIGURE = """
    import multiprocessing
    import os
    import signal

    from ledinfo.api import Figure, Section, SectionResult, hookimpl

    class Deadly(float):
        '''A number that kills the worker process that prints it (a crash, out of memory).'''

        def _die(self):
            if multiprocessing.parent_process() is not None:
                os.kill(os.getpid(), signal.SIGKILL)

        def __format__(self, spec):
            self._die()
            return float.__format__(self, spec)

        def __str__(self):
            self._die()
            return float.__repr__(self)

        __repr__ = __str__

    class Deadly_(Section):
        name = "deadly"
        title = "Deadly"
        description = "A figure that kills the process rendering the Unge team's pack."

        def compute(self, context):
            result = SectionResult(self.name, self.title, headline=("deadly",))
            for team in sorted(context.extract.teams()):
                value = Deadly(7.0) if team == "Unge" else 7.0
                result.figures.append(Figure("deadly", value, unit="count", team=team))
            return result

    @hookimpl
    def ledinfo_register_sections(register):
        register(Deadly_())
"""


def test_a_render_worker_that_dies_loses_only_its_pack(tmp_path, small_dir):
    from test_plugins import make_plugin_package

    site = make_plugin_package(tmp_path, "ledinfo-deadly", DEADLY_FIGURE)
    config = tmp_path / "ledinfo.toml"
    config.write_text(f'[municipality]\nname = "Testby Kommune"\n[source]\ntype = "folder"\npath = "{small_dir}"\n\n'
                      '[[packs]]\nid = "team"\naudience = "team_leader"\nsections = ["deadly", "caseload"]\n',
                      encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--config", str(config), "--period", "2024-03", "--out", str(out), "--jobs", "2",
                     env={"PYTHONPATH": str(site), "LEDINFO_LOAD_PLUGINS": "ledinfo_deadly"})
    assert result.returncode == 1, result.stderr
    assert "team-unge: the worker process rendering it died" in result.stderr
    assert (out / "team-boern.pdf").exists() and not (out / "team-unge.pdf").exists()


def test_a_chart_has_the_same_key_after_crossing_to_a_worker():
    """Workers get pickled pack contents; a chart's key must not change on the way, or it is drawn twice."""
    import pickle

    import polars as pl

    from ledinfo.language import Language
    from ledinfo.model.results import Chart, FigureRef
    from ledinfo.render.charts import chart_key

    frame = pl.DataFrame({"month": ["2026-01", "2026-02"], "rule": ["a", "a"], "value": [0.5, 0.75]})
    shared = FigureRef(indicator_column="rule", period_column="month")
    charts = [Chart(f"c{i}", "T", "line", frame, x="month", y="value", color="rule", y_format="share",
                    figure=shared) for i in range(3)]
    language = Language("da")
    assert [chart_key(c, language) for c in pickle.loads(pickle.dumps(charts))] == \
        [chart_key(c, language) for c in charts]


def test_municipalities_built_side_by_side_never_add_up_to_more_than_the_largest_and_a_quarter():
    """Memory grows with a municipality's size: the largest is built beside small ones only, never beside the
    second largest; without inhabitants (all sizes 0) the workers simply take the next."""
    from ledinfo.config.file import Municipality, MunicipalitySpec
    from ledinfo.pipeline.municipalities import SIDE_BY_SIDE, next_to_start, side_by_side_budget

    def spec(mid, inhabitants):
        return MunicipalitySpec(mid, Municipality(name=mid, inhabitants=inhabitants), {})

    largest_first = [spec("kbh", 660_000), spec("aarhus", 367_000), spec("odense", 210_000), spec("fanoe", 3_500)]
    budget = 660_000 * SIDE_BY_SIDE
    assert next_to_start(largest_first, [], budget).id == "kbh"
    assert next_to_start(largest_first[1:], [largest_first[0]], budget).id == "fanoe"
    assert next_to_start(largest_first[1:3], [largest_first[0]], budget) is None  # waits for Copenhagen
    assert next_to_start(largest_first[1:3], [largest_first[3]], budget).id == "aarhus"
    unknown = [spec("a", None), spec("b", None)]
    assert next_to_start(unknown[1:], unknown[:1], 0).id == "b"
    assert side_by_side_budget(largest_first) == budget and side_by_side_budget(unknown) == 0


def test_a_centre_of_middling_municipalities_builds_any_two_side_by_side():
    """The budget is at least SIDE_BY_SIDE_AT_LEAST inhabitants: with the largest's and a quarter alone, a centre
    of 121,000, 43,000, 42,000 and 3,700 inhabitants built the largest beside the smallest only, and its other
    worker idled until the largest was done."""
    from ledinfo.config.file import Municipality, MunicipalitySpec
    from ledinfo.pipeline.municipalities import next_to_start, side_by_side_budget

    def spec(mid, inhabitants):
        return MunicipalitySpec(mid, Municipality(name=mid, inhabitants=inhabitants), {})

    largest_first = [spec("vejle", 121_000), spec("syddjurs", 43_000), spec("mariagerfjord", 42_000),
                     spec("samsoe", 3_700)]
    budget = side_by_side_budget(largest_first)
    assert next_to_start(largest_first[1:], largest_first[:1], budget).id == "syddjurs"
    assert next_to_start(largest_first[2:], largest_first[:1], budget).id == "mariagerfjord"
