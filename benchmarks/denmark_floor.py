"""Issue 27, goal 2: the libraries' floor for all of Denmark — what vl-convert and ReportLab alone need for the charts
and pages of a national build, on one core (CPU seconds), beside the build itself (``benchmarks/denmark.py``).

    .venv/bin/python benchmarks/denmark_floor.py --config /tmp/dk/ledinfo.toml [--json floor.json]

The same measure as ``benchmarks/run.py``'s floor for one municipality (FLOOR_CODE), municipality by municipality
in one fresh process on one core: the interpreter and the import of Polars, ReportLab and vl-convert once;
vl-convert's first conversion once; then for each municipality its packs' contents prepared as a build prepares
them (not counted), vl-convert laying out its unique charts (Vega-Lite to scenegraph, each compiled alone, as the
floor of one municipality does) and ReportLab building its pages (``document.build`` of every pack). Nothing of
ledinfo's own work is counted. Divided by the cores, it is the least wall time any build of these charts and
pages can take: under 150 s on 2 cores needs the floor under 300 CPU-s.

Takes about as long as a one-core national build (15–20 minutes); progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import run

FLOOR_CODE = """
import json, sys, time
import polars, reportlab.platypus, vl_convert
imported = time.process_time()
from pathlib import Path
from ledinfo.config.file import load_config
from ledinfo.model.period import Period
from ledinfo.pipeline.build import compute, language_for, load, prepare
from ledinfo.pipeline.plan import plan
from ledinfo.plugin_host.manager import load_plugins
from ledinfo.render.charts import _vl_convert, chart_key, chart_spec, warm_up
from ledinfo.render.parallel import Renderer
from ledinfo.render.pdf import pdf_document
from ledinfo.runtime.timing import Timings
from ledinfo.texts.content import plan_jobs

registry = load_plugins().registry
config = load_config(Path(CONFIG), registry)
period = Period.parse(PERIOD)
language = language_for("da", registry)
vlc = _vl_convert()
started = time.process_time()
vlc.vegalite_to_scenegraph({"data": {"values": [{"a": "æ", "b": 1}]}, "mark": "bar",
                            "encoding": {"x": {"field": "a", "type": "nominal"}, "y": {"field": "b", "type": "quantitative"}}})
engine = time.process_time() - started
warm_up()
chart_s = page_s = 0.0
charts = pages = packs = 0
for spec in config.municipalities:
    planned = plan(config.for_municipality(spec), registry)
    extract = load(planned, period)
    computed = compute(planned, extract, period)
    contents = [prepare(planned, computed, job, language, period)
                for job in plan_jobs(planned.config, extract.teams())]
    specs = {}
    for content in contents:
        for section in content.sections:
            for chart in section.charts:
                specs.setdefault(chart_key(chart, language), chart_spec(chart, language))
    started = time.process_time()
    for vegalite in specs.values():
        vlc.vegalite_to_scenegraph(vegalite, allowed_base_urls=[])
    chart_s += time.process_time() - started
    charts += len(specs)
    renderer = Renderer(None, Timings())
    for i, content in enumerate(contents):
        renderer.add(str(i), content)
        renderer.with_drawings(str(i))
    for content in contents:
        document, story, canvasmaker = pdf_document(content)
        started = time.process_time()
        document.build(story, canvasmaker=canvasmaker)
        page_s += time.process_time() - started
        pages += document.page
    packs += len(contents)
    print(f"{spec.id}: {len(specs)} charts, {packs} packs so far, floor {imported + engine + chart_s + page_s:.1f} s",
          file=sys.stderr, flush=True)
    del planned, extract, computed, contents, specs, renderer
print(json.dumps({"import_s": imported, "engine_s": engine, "charts": charts, "chart_s": chart_s, "pages": pages,
                  "page_s": page_s, "packs": packs}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True, help="the ledinfo.toml of demo-data --denmark")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    code = f"CONFIG = {str(args.config)!r}\nPERIOD = {run.PERIOD!r}\n" + FLOOR_CODE
    load_before = run.load_average()
    env = {**os.environ, "POLARS_MAX_THREADS": "1"}
    output = subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.PIPE, text=True, env=env).stdout
    floor = json.loads(output.strip().splitlines()[-1])
    floor["total_s"] = floor["import_s"] + floor["engine_s"] + floor["chart_s"] + floor["page_s"]
    floor["load"] = (load_before, run.load_average())
    print(f"Denmark's library floor (one core, CPU): {floor['total_s']:.1f} s = import {floor['import_s']:.2f} + "
          f"engine {floor['engine_s']:.2f} + {floor['charts']} charts {floor['chart_s']:.1f} + {floor['pages']} pages "
          f"{floor['page_s']:.1f}; {floor['packs']} packs; load {floor['load'][0]:.1f}–{floor['load'][1]:.1f}")
    print(f"on {run.CORES} cores at best: {floor['total_s'] / run.CORES:.1f} s wall")
    if args.json:
        args.json.write_text(json.dumps(floor, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
