"""The libraries' floor: what vl-convert and ReportLab alone need for a build's charts and pages (CPU, one core).

Run in a fresh process by ``benchmarks/run.py`` (one municipality's extract) and ``benchmarks/denmark_floor.py`` (a
national config, municipality by municipality); one measure for both:

    python benchmarks/floor.py (--extract FOLDER | --config ledinfo.toml) --period 2026-10

Counted: the interpreter and the import of Polars, ReportLab and vl-convert (once); vl-convert's first conversion,
its JavaScript engine and fonts (once); for each municipality, vl-convert laying out its packs' unique charts
(Vega-Lite to scenegraph, each compiled alone) and ReportLab building every pack's pages (``document.build``).
Not counted: ledinfo's own work — loading, computing, the texts, preparing each chart's drawing. Prints one line of
JSON last (progress per municipality on stderr). Run it with ``POLARS_MAX_THREADS=1`` for one core.
"""

# The libraries a build cannot do without, imported first: the floor includes their import.
import json
import sys
import time

import polars  # noqa: F401
import reportlab.platypus  # noqa: F401
import vl_convert  # noqa: F401

IMPORTED = time.process_time()  # this process's CPU so far: the interpreter and these imports

import argparse  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

from ledinfo.config.file import folder_config, load_config  # noqa: E402
from ledinfo.model.period import Period  # noqa: E402
from ledinfo.pipeline.build import compute, language_for, load, prepare  # noqa: E402
from ledinfo.pipeline.plan import plan  # noqa: E402
from ledinfo.plugin_host.manager import load_plugins  # noqa: E402
from ledinfo.render.charts import _vl_convert, chart_key, chart_spec, warm_up  # noqa: E402
from ledinfo.render.parallel import Renderer  # noqa: E402
from ledinfo.render.pdf import pdf_document  # noqa: E402
from ledinfo.runtime.timing import Timings  # noqa: E402
from ledinfo.texts.content import plan_jobs  # noqa: E402


def planned_municipalities(args: argparse.Namespace, registry) -> Iterator[tuple[str, object]]:
    """Each municipality's planned build: the one of a folder extract, or each of a national config in turn."""
    if args.extract:
        yield args.extract.name, plan(folder_config(args.extract), registry)
        return
    config = load_config(args.config, registry)
    for spec in config.municipalities:
        yield spec.id, plan(config.for_municipality(spec), registry)


def engine_started(vlc) -> float:
    """The chart engine's first conversion (its JavaScript engine and fonts), CPU seconds."""
    started = time.process_time()
    vlc.vegalite_to_scenegraph({"data": {"values": [{"a": "æ", "b": 1}]}, "mark": "bar",
                                "encoding": {"x": {"field": "a", "type": "nominal"},
                                             "y": {"field": "b", "type": "quantitative"}}})
    return time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--extract", type=Path, help="one municipality's extract folder")
    source.add_argument("--config", type=Path, help="a ledinfo.toml with [[municipalities]]")
    parser.add_argument("--period", required=True)
    args = parser.parse_args()
    registry = load_plugins().registry
    period = Period.parse(args.period)
    language = language_for("da", registry)
    vlc = _vl_convert()
    engine = engine_started(vlc)
    warm_up()
    chart_s = page_s = 0.0
    charts = pages = packs = 0
    for name, planned in planned_municipalities(args, registry):
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
        renderer = Renderer(None, Timings())  # no pool: each chart's drawing made here, into the packs' contents
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
        print(f"{name}: {len(specs)} charts, {packs} packs so far, floor {IMPORTED + engine + chart_s + page_s:.1f} s",
              file=sys.stderr, flush=True)
        del planned, extract, computed, contents, specs, renderer  # one municipality's frames at a time
    print(json.dumps({"import_s": IMPORTED, "engine_s": engine, "charts": charts, "chart_s": chart_s,
                      "pages": pages, "page_s": page_s, "packs": packs}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
