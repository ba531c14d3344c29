"""Issue 27: a chart's CPU, compiled alone (Vega-Lite to scenegraph, chart by chart) against filled into its shape's
Vega compiled once (:func:`ledinfo.render.charts.chart_vega`), on the unique charts of an extract's packs.

    .venv/bin/python benchmarks/chart_cost.py /tmp/s1 --repeats 5

In this one process (one core; ``time.process_time``), after the packs' contents are prepared as a build prepares
them: the two ways alternate round by round (alone, from the shape, alone, …), each round over every unique chart;
a round from the shape starts with no shape compiled (as a fresh worker does), so its compilations are counted.
Printed: median (min–max) of the rounds, milliseconds per chart, split into the spec (and compiling) and the
scenegraph; and how many shapes the charts have.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path


def unique_charts(folder: Path, period_text: str) -> tuple[list, object]:
    from ledinfo.config.file import folder_config
    from ledinfo.model.period import Period
    from ledinfo.pipeline.build import compute, language_for, load, prepare
    from ledinfo.pipeline.plan import plan
    from ledinfo.plugin_host.manager import load_plugins
    from ledinfo.render.charts import chart_key
    from ledinfo.texts.content import plan_jobs

    registry = load_plugins().registry
    config = folder_config(folder)
    period = Period.parse(period_text)
    planned = plan(config, registry)
    extract = load(planned, period)
    computed = compute(planned, extract, period)
    language = language_for("da", registry)
    charts = {}
    for job in plan_jobs(config, extract.teams()):
        for section in prepare(planned, computed, job, language, period).sections:
            for chart in section.charts:
                charts.setdefault(chart_key(chart, language), chart)
    return list(charts.values()), language


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extract", type=Path)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from ledinfo.render import charts as C

    drawn, language = unique_charts(args.extract, args.period)
    vlc = C._vl_convert()
    C.warm_up()
    rounds: dict[str, list[tuple[float, float]]] = {"alone": [], "shape": []}
    for _ in range(args.repeats):
        spec_s = graph_s = 0.0
        for chart in drawn:
            begun = time.process_time()
            spec = C.chart_spec(chart, language)
            middle = time.process_time()
            vlc.vegalite_to_scenegraph(spec, allowed_base_urls=[])
            spec_s, graph_s = spec_s + middle - begun, graph_s + time.process_time() - middle
        rounds["alone"].append((spec_s, graph_s))
        C._compiled.cache_clear()
        spec_s = graph_s = 0.0
        for chart in drawn:
            begun = time.process_time()
            vega = C.chart_vega(chart, language)
            middle = time.process_time()
            vlc.vega_to_scenegraph(vega, allowed_base_urls=[])
            spec_s, graph_s = spec_s + middle - begun, graph_s + time.process_time() - middle
        rounds["shape"].append((spec_s, graph_s))
    n = len(drawn)
    shapes = C._compiled.cache_info().currsize
    print(f"{n} unique charts, {shapes} compiled shapes; ms per chart, median (min–max) of {args.repeats} rounds:")
    for way, label in (("alone", "compiled alone (spec; Vega-Lite to scenegraph)"),
                       ("shape", "from the shape (spec, compiling once per shape, filling in; Vega to scenegraph)")):
        for index, part in ((0, "spec"), (1, "scenegraph"), (None, "total")):
            values = sorted(1000 * (sum(r) if index is None else r[index]) / n for r in rounds[way])
            print(f"  {label}, {part}: {statistics.median(values):.1f} ({values[0]:.1f}–{values[-1]:.1f})")
    ratios = sorted(sum(b) / sum(a) for a, b in zip(rounds["alone"], rounds["shape"]))
    print(f"  from the shape ÷ alone, round by round: {statistics.median(ratios):.2f}× ({ratios[0]:.2f}–{ratios[-1]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
