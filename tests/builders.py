"""Build small hand-made extracts in a few lines: defaults for every column a test does not care about."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from ledinfo.api.testing import frames_to_extract

D = dt.date
T = dt.datetime


def case(case_id, team="A", caseworker="M1", opened=D(2022, 1, 1), closed=None, birth=D(2012, 1, 1), child=None):
    return {"case_id": case_id, "child_id": child or f"B-{case_id}", "birth_date": birth, "team": team,
            "caseworker_id": caseworker, "target_group": "udsatte", "opened_on": opened, "closed_on": closed}


def staff(staff_id, team="A", role="raadgiver", fte=1.0, start=D(2015, 1, 1), end=None):
    return {"staff_id": staff_id, "team": team, "role": role, "fte": fte, "start_date": start, "end_date": end}


def measure(measure_id, case_id, category="forebyggende", decided=None, started=D(2023, 1, 1), ended=None, plan=None,
            cost=None):
    return {"measure_id": measure_id, "case_id": case_id, "category": category, "decided_on": decided or started,
            "started_on": started, "ended_on": ended, "plan_on": plan, "monthly_cost": cost}


def activity(case_id, date, kind="opfoelgning", measure_id=None, result=None, theme=None):
    return {"case_id": case_id, "date": date, "kind": kind, "measure_id": measure_id, "result": result, "theme": theme}


def notification(notification_id, received, assessed=None, receipt=None, reporter="professional", case_id=None,
                 team="A", child=None):
    return {"notification_id": notification_id, "child_id": child or f"B-{notification_id}", "case_id": case_id,
            "team": team, "received_at": received, "reporter_type": reporter, "acute_assessed_at": assessed,
            "receipt_sent_on": receipt}


def investigation(investigation_id, case_id, started, completed=None):
    return {"investigation_id": investigation_id, "case_id": case_id, "started_on": started, "completed_on": completed}


SCHEMAS = {
    "cases": {"closed_on": "date", "caseworker_id": "str"},
    "notifications": {"case_id": "str", "acute_assessed_at": "datetime", "receipt_sent_on": "date"},
    "measures": {"ended_on": "date", "plan_on": "date", "monthly_cost": "float"},
    "activities": {"measure_id": "str", "result": "str", "theme": "str"},
    "staff": {"end_date": "date"},
    "investigations": {"completed_on": "date"},
}


def loaded_strings(value) -> list[str]:
    """Every string of a loaded JSON value, keys too, in the document's order: what the guard must read."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (key, *loaded_strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in loaded_strings(item)]
    return []


def extract(**tables):
    """frames_to_extract from lists of row dicts; a table given as [] is left out."""
    import polars as pl

    types = {"date": pl.Date, "datetime": pl.Datetime("us"), "str": pl.String, "float": pl.Float64}
    frames = {}
    for name, rows in tables.items():
        overrides = {k: types[v] for k, v in SCHEMAS.get(name, {}).items()}
        frames[name] = pl.DataFrame(rows, schema_overrides=overrides, infer_schema_length=None)
    if "cases" not in frames:
        frames["cases"] = pl.DataFrame([case("S0")])
    return frames_to_extract(frames)


def extract_of(tables):
    """Validate generated tables (e.g. the demo's) into an Extract."""
    from ledinfo.extract import RawExtract, RawTable, validate_extract

    raw = {name: RawTable(name, frame, f"demo:{name}", 1) for name, frame in tables.items()}
    return validate_extract(RawExtract(raw))


def demo_charts(period_text: str = "2026-10") -> list:
    """Every chart the demo's sections compute for ``period_text`` (the compute stage alone, no pack): what the
    chart tests lay out. A Chart is frozen; each caller gets a list of its own."""
    return [chart for result in demo_results(period_text).values() for chart in result.charts]


@functools.cache
def demo_results(period_text: str = "2026-10") -> dict:
    """The demo's sections computed for ``period_text`` (the compute stage alone, no pack), by section: computed
    once a test process (about 1.5 s of CPU; test_trend_labels, test_shape_store, test_compiled_charts and
    test_relations_hold read them). Shared: read them, never change them."""
    from ledinfo.demo import demo_config
    from ledinfo.interfaces.source import load_extract
    from ledinfo.model.period import Period
    from ledinfo.pipeline.plan import plan
    from ledinfo.plugin_host.manager import load_plugins

    registry = load_plugins().registry
    config = demo_config()
    period = Period.parse(period_text)
    extract = load_extract(config.source, registry, config.base_dir, period, config.mappings)
    results, failures, _ = compute_sections(plan(config, registry).needed, extract, config, registry, period)
    assert not failures, failures
    return results


def pack_charts(config, period_text: str, audiences: tuple[str, ...] | None = None) -> list[tuple[str, object]]:
    """(pack id, chart) for every distinct chart of every pack ``config`` builds for ``period_text`` (of the
    ``audiences`` given, else all), as its pack draws it: computed, disclosed for its audience and judged (the
    yardsticks a pack draws are added there), with no texts and no PDF. A chart several packs draw alike (the
    municipality's lines) is listed once."""
    from ledinfo.model.period import Period
    from ledinfo.pipeline.build import compute, disclose, language_for, load
    from ledinfo.pipeline.plan import plan
    from ledinfo.plugin_host.manager import load_plugins
    from ledinfo.render.charts import chart_key
    from ledinfo.texts.content import plan_jobs

    registry = load_plugins().registry
    planned, period = plan(config, registry), Period.parse(period_text)
    extract = load(planned, period)
    computed = compute(planned, extract, period)
    assert not computed.failures, computed.failures
    language = language_for(config.language, registry)
    found: dict[str, tuple[str, object]] = {}
    for job in plan_jobs(config, extract.teams()):
        if audiences is not None and job.audience not in audiences:
            continue
        for section in disclose(planned, computed, job, language, period).sections:
            for chart in section.charts:
                found.setdefault(chart_key(chart, language), (job.pack_id, chart))
    return list(found.values())


def compute_sections(names, extract, config, registry, period):
    """The compute stage for ``names`` alone: (results, failures, missing tables)."""
    from dataclasses import replace

    from ledinfo.pipeline.build import compute
    from ledinfo.pipeline.plan import plan

    planned = replace(plan(config, registry), sections_of={"all": sorted(names)})
    computed = compute(planned, extract, period)
    return computed.results, computed.failures, computed.missing


def committee_config(folder: Path, data: Path) -> Path:
    """A config (``folder/ledinfo.toml``) that builds the committee's pack alone from the folder extract ``data``.

    Its udvalg.json is the one a build of every default pack (``ledinfo build --data``) makes, but for the
    municipality's name, which a config must give; for a test that reads the committee's pack only, the other
    packs cost about half a build's CPU."""
    config = Path(folder) / "ledinfo.toml"
    config.write_text(f'[municipality]\nname = "Småby Kommune"\n[source]\ntype = "folder"\npath = "{data}"\n\n'
                      '[[packs]]\nid = "udvalg"\naudience = "committee"\n', encoding="utf-8")
    return config
