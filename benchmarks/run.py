"""The whole monthly job, measured: one municipality, Copenhagen's size, and all of Denmark.

    make benchmark                                   # everything below, results in benchmarks/results.md
    .venv/bin/python benchmarks/run.py --quick       # scale 1 only, printed, nothing written

Every run is the command line a cron job would start, in a fresh process, from a
Parquet extract of the demo data: ``ledinfo build`` of every default pack
(committee, directors, one per team), start-up included. For each run:

- wall time, CPU time (user + system of the whole process tree: the build and
  its spawned workers), peak memory (resident, whole tree, sampled every 50 ms),
  packs per second;
- the split between stages (``ledinfo build --timings``): load+validate,
  compute, texts, charts, PDF, guard, write — CPU seconds summed over processes
  — and the cost per chart and per page.

Scenarios: the curve (scales 0.25 … 10 of one municipality; scale 1 is an
average municipality of 60,000 inhabitants, scale 10 is Copenhagen's size) and
Denmark (98 municipalities sized by population, one config, one run). Two
reference points for scale 1 and 10: the same job with caching and
parallelism turned off (``--jobs 1``, ``LEDINFO_NO_CACHE=1``), and the floor of
the libraries themselves — the time vl-convert takes to lay out the same
unique charts plus the time ReportLab takes to build the same pages, nothing
else, on one core (divided by the cores for the parallel floor).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
LEDINFO = str(Path(sys.executable).parent / "ledinfo")
PERIOD = "2026-10"
CURVE = (0.25, 0.5, 1.0, 2.0, 4.0, 10.0)
REFERENCE = (1.0, 10.0)
CORES = len(os.sched_getaffinity(0))


def _tree_rss_kib(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/statm") as handle:
                rss[int(entry)] = int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def measured(command: list[str], env: dict | None = None) -> dict:
    """Run ``command`` in a fresh process: wall, CPU of the process tree, peak tree memory, output."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, env={**os.environ, **(env or {})})
        peak = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _tree_rss_kib(process.pid))
            time.sleep(0.05)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{errors}")
    # ru_maxrss is the largest single process; the sampled tree total is what the machine needed
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mib": max(peak, usage.ru_maxrss) / 1024,
            "output": output}


def generate(folder: Path, scale: float | None) -> tuple[float, Path]:
    """Demo data as Parquet: one municipality at ``scale``, or all of Denmark (None); returns (seconds, target)."""
    started = time.perf_counter()
    if scale is None:
        subprocess.run([LEDINFO, "demo-data", "--denmark", "--out", str(folder), "--period", PERIOD,
                        "--format", "parquet"], check=True, capture_output=True)
        return time.perf_counter() - started, folder / "ledinfo.toml"
    subprocess.run([LEDINFO, "demo-data", "--out", str(folder), "--scale", str(scale), "--period", PERIOD,
                    "--format", "parquet"], check=True, capture_output=True)
    return time.perf_counter() - started, folder


def build_once(target: Path, out: Path, extra: list[str] | None = None, env: dict | None = None) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    timings = out.parent / f"{out.name}-timings.json"
    source = ["--config", str(target)] if target.suffix == ".toml" else ["--data", str(target)]
    result = measured([LEDINFO, "build", *source, "--period", PERIOD, "--out", str(out), "--timings", str(timings),
                       *(extra or [])], env)
    result["timings"] = json.loads(timings.read_text(encoding="utf-8"))
    pdfs = list(out.rglob("*.pdf"))
    result["packs"] = len(pdfs)
    result["pdf_mib"] = sum(p.stat().st_size for p in pdfs) / 2**20
    return result


def data_size(target: Path) -> dict:
    import polars as pl

    folders = [target] if target.is_dir() else [p for p in target.parent.iterdir() if p.is_dir()]
    size = {"cases": 0, "activities": 0, "notifications": 0}
    for folder in folders:
        for table in size:
            path = folder / f"{table}.parquet"
            if path.exists():
                size[table] += pl.scan_parquet(path).select(pl.len()).collect().item()
    size["municipalities"] = len(folders)
    return size


def library_floor(extract: Path) -> dict:
    """One core, in this process: vl-convert on the build's unique charts + ReportLab on its pages."""
    code = f"""
import json, time
from pathlib import Path
from ledinfo.pipeline.build import compute_sections, draw_all_charts, language_for, pack_sections, pack_templates, render_content
from ledinfo.config.file import folder_config
from ledinfo.plugin_host.manager import load_plugins
from ledinfo.pipeline.packs import plan_jobs
from ledinfo.domain.period import Period
from ledinfo.render.charts import _vl_convert, chart_key, chart_spec, warm_up
from ledinfo.render.pdf import pdf_document
from ledinfo.interfaces.section import View
from ledinfo.interfaces.source import load_extract
from ledinfo.pipeline.timing import Timings

registry = load_plugins().registry
config = folder_config(Path({str(extract)!r}))
period = Period.parse({PERIOD!r})
extract = load_extract(config.source, registry, config.base_dir, period, config.mappings)
sections_of, templates = pack_sections(config, registry), pack_templates(config)
needed = {{n for names in sections_of.values() for n in names}}
results, _, _ = compute_sections(needed, extract, config, registry, period)
language = language_for("da", registry)
contents = [render_content(job, View(job.audience, language, job.team, config.threshold, config.municipality, period),
                           registry, [results[n] for n in sections_of[job.spec.id] if n in results], [],
                           templates[job.spec.id]) for job in plan_jobs(config, extract.teams())]
specs = {{}}
for content in contents:
    for section in content.sections:
        for chart in section.charts:
            specs.setdefault(chart_key(chart, language), chart_spec(chart, language))
warm_up()
vlc = _vl_convert()
started = time.process_time()
for spec in specs.values():
    vlc.vegalite_to_scenegraph(spec, allowed_base_urls=[])
charts = time.process_time() - started
draw_all_charts({{str(i): c for i, c in enumerate(contents)}}, None, Timings())
pages = 0
reportlab = 0.0
for content in contents:
    document, story, canvasmaker = pdf_document(content)
    started = time.process_time()
    document.build(story, canvasmaker=canvasmaker)
    reportlab += time.process_time() - started
    pages += document.page
print(json.dumps({{"charts": len(specs), "chart_s": charts, "pages": pages, "page_s": reportlab}}))
"""
    env = {**os.environ, "POLARS_MAX_THREADS": "1"}
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env).stdout
    floor = json.loads(output.strip().splitlines()[-1])
    floor["total_s"] = floor["chart_s"] + floor["page_s"]
    return floor


def stage_split(timings: dict) -> str:
    cpu = timings["cpu_seconds"]
    total = sum(cpu.values()) or 1
    names = {"load": "load+validate", "compute": "compute", "texts": "texts", "charts": "charts", "pdf": "PDF",
             "json": "JSON", "guard": "guard", "write": "write"}
    return ", ".join(f"{label} {cpu.get(key, 0):.1f} s ({100 * cpu.get(key, 0) / total:.0f} %)"
                     for key, label in names.items() if key in cpu)


def median_run(target: Path, out: Path, repeats: int, **kwargs) -> dict:
    runs = [build_once(target, out, **kwargs) for _ in range(repeats)]
    runs.sort(key=lambda r: r["wall_s"])
    best = runs[len(runs) // 2]
    best["walls"] = [r["wall_s"] for r in runs]
    return best


def row(name: str, size: dict, run: dict) -> str:
    t = run["timings"]
    return (f"| {name} | {size['municipalities']} | {size['cases']:,} | {size['activities']:,} | {run['packs']:,} | "
            f"**{run['wall_s']:.1f} s** | {run['cpu_s']:.1f} s | {run['peak_mib']:,.0f} MiB | "
            f"{run['packs'] / run['wall_s']:.1f} | {t['counts'].get('charts', 0):,} / {t['counts'].get('chart_uses', 0):,} | "
            f"{t['counts'].get('pages', 0):,} | {t['per_chart_ms'] or 0:.0f} ms | {t['per_page_ms'] or 0:.1f} ms |")


HEADER = ("| run | municipalities | cases | activities | packs | wall | CPU | peak memory | packs/s | charts drawn / shown "
          "| pages | per chart | per page |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def curve_svg(points: list[dict], path: Path) -> None:
    """The curve, drawn with ledinfo's own stack: time against packs (log-log) and the cost of one pack.

    On log-log axes a cost that grows linearly is a line of slope 1; a cost per pack
    that falls as the runs grow means fixed costs spread over more packs.
    """
    import altair as alt
    import polars as pl
    import vl_convert

    frame = pl.DataFrame(points).with_columns(
        (pl.col("wall_s") / pl.col("packs")).alias("wall_per_pack"),
        pl.when(pl.col("name") == "Denmark").then(pl.lit("98 municipalities")).otherwise(pl.lit("one municipality"))
        .alias("run"))
    colour = alt.Color("run:N", title=None, scale=alt.Scale(range=["#0072B2", "#D55E00"]))
    base = alt.Chart(frame)
    start = frame.filter(pl.col("name").str.starts_with("scale 1 ")).row(0, named=True) if frame.filter(
        pl.col("name").str.starts_with("scale 1 ")).height else frame.row(0, named=True)
    per_pack = start["wall_s"] / start["packs"]
    reference = pl.DataFrame({"packs": [start["packs"], 900], "wall_s": [start["wall_s"], per_pack * 900]})
    linear = alt.Chart(reference).mark_line(strokeDash=[4, 3], color="#999999").encode(
        x="packs:Q", y="wall_s:Q")
    left = (linear + base.mark_line(point=True, color="#0072B2").encode(
        x=alt.X("packs:Q", title="packs (log)", scale=alt.Scale(type="log")),
        y=alt.Y("wall_s:Q", title="wall time, s (log)", scale=alt.Scale(type="log")),
        color=colour)).properties(title="Wall time against packs (dashed: linear from scale 1)", width=300)
    right = base.mark_bar().encode(
        x=alt.X("name:N", title=None, sort=None, axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("wall_per_pack:Q", title="wall time per pack, s"), color=colour,
    ).properties(title="Wall time per pack", width=300)
    spec = alt.hconcat(left, right).to_dict()
    path.write_text(vl_convert.vegalite_to_svg(spec), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scale 1 only; print, write nothing")
    parser.add_argument("--no-denmark", action="store_true", help="leave out the 98 municipalities")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each small scale (the median is kept)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ledinfo-bench-"))
    lines: list[str] = []
    points: list[dict] = []
    try:
        say = print
        scales = (1.0,) if args.quick else CURVE
        say(f"Machine: {platform.machine()}, {CORES} cores, Python {platform.python_version()}\n")
        say(HEADER)
        results = {}
        for scale in scales:
            gen_s, target = generate(work / f"scale-{scale:g}", scale)
            size = data_size(target)
            run = median_run(target, work / f"out-{scale:g}", args.repeats if scale <= 2 else 1)
            results[scale] = (size, run, gen_s, target)
            name = {1.0: "scale 1 (average municipality)", 10.0: "scale 10 (Copenhagen's size)"}.get(
                scale, f"scale {scale:g}")
            lines.append(row(name, size, run))
            say(lines[-1])
            points.append({"name": name, "packs": run["packs"], "cases": size["cases"], "wall_s": run["wall_s"],
                           "cpu_s": run["cpu_s"]})
        if not (args.quick or args.no_denmark):
            gen_s, target = generate(work / "denmark", None)
            size = data_size(target)
            run = build_once(target, work / "out-denmark")
            results["denmark"] = (size, run, gen_s, target)
            lines.append(row("**Denmark: 98 municipalities, one run**", size, run))
            say(lines[-1])
            points.append({"name": "Denmark", "packs": run["packs"], "cases": size["cases"], "wall_s": run["wall_s"],
                           "cpu_s": run["cpu_s"]})
        splits = [f"- {name}: {stage_split(results[key][1]['timings'])}"
                  for key, name in ((1.0, "scale 1"), (10.0, "scale 10"), ("denmark", "Denmark")) if key in results]
        say("\nWhere the CPU goes (summed over processes):\n" + "\n".join(splits))
        references = []
        for scale in REFERENCE:
            if scale not in results:
                continue
            size, fast, _, target = results[scale]
            plain = build_once(target, work / f"plain-{scale:g}", ["--jobs", "1"], {"LEDINFO_NO_CACHE": "1"})
            floor = library_floor(target)
            references.append(
                f"| scale {scale:g} | {fast['wall_s']:.1f} s | {plain['wall_s']:.1f} s | "
                f"**{plain['wall_s'] / fast['wall_s']:.1f}×** | {floor['chart_s']:.1f} s ({floor['charts']} charts) + "
                f"{floor['page_s']:.1f} s ({floor['pages']} pages) = {floor['total_s']:.1f} s | "
                f"{floor['total_s'] / CORES:.1f} s | **{fast['wall_s'] / (floor['total_s'] / CORES):.1f}×** |")
            say(references[-1])
        if args.quick:
            return 0
        small = results.get(1.0)
        denmark = results.get("denmark")
        generation = ", ".join(f"scale {k:g} {v[2]:.1f} s" for k, v in results.items() if k != "denmark")
        if denmark:
            generation += f", Denmark {denmark[2]:.1f} s"
        curve = HERE / "curve.svg"
        curve_svg(points, curve)
        text = [
            "# Benchmark results",
            "",
            f"Written by `benchmarks/run.py` (`make benchmark`) on {dt.date.today()}: {platform.machine()}, "
            f"{CORES} cores, Python {platform.python_version()}. Each run is `ledinfo build` of every default pack "
            "from a Parquet extract, in a fresh process, start-up included; memory is the peak resident memory "
            "of the whole process tree (the build and its workers). Small scales: the median of "
            f"{args.repeats} runs. This machine is shared: the same run can take a quarter longer in a busy minute "
            "(one run the same day gave 5.0 s for scale 1), so compare figures made in one run.",
            "",
            "## Targets",
            "",
        ]
        if small:
            text.append(f"- One average municipality, all packs: **{small[1]['wall_s']:.1f} s** wall "
                        f"(target < 5 s; runs: {', '.join(f'{w:.1f}' for w in small[1]['walls'])} s).")
        if denmark:
            text.append(f"- All 98 municipalities: **{denmark[1]['wall_s']:.0f} s** wall "
                        f"({denmark[1]['wall_s'] / 60:.1f} min; target < 5 min), peak memory "
                        f"**{denmark[1]['peak_mib']:,.0f} MiB** (target < 4 GB).")
        text += ["", "## Runs", "", HEADER, *lines, "",
                 "\"charts drawn / shown\": each unique chart is drawn once and reused by every pack that shows it. "
                 "\"per chart\" and \"per page\" are CPU time of the chart and PDF stages divided by charts drawn and "
                 "pages written.", "", "Where the CPU goes (summed over processes):", "", *splits, "",
                 f"Generating the demo data (not part of the runs): {generation}.", "",
                 "## How cost grows", "",
                 "![wall time against packs on log-log axes, with a linear reference; wall time per pack](curve.svg)", "",
                 "| run | packs | cases | wall per pack | CPU per pack | CPU per 1,000 cases |", "|---|---|---|---|---|---|"]
        for point in points:
            text.append(f"| {point['name']} | {point['packs']:,} | {point['cases']:,} | "
                        f"{point['wall_s'] / point['packs']:.2f} s | {point['cpu_s'] / point['packs']:.2f} s | "
                        f"{1000 * point['cpu_s'] / max(1, point['cases']):.2f} s |")
        text += ["", "## Reference points", "",
                 "\"plain\" is the same job with caching and parallelism turned off (`--jobs 1`, "
                 "`LEDINFO_NO_CACHE=1`: every chart drawn anew wherever it is shown). The library floor is what "
                 "vl-convert needs to lay out the same unique charts plus what ReportLab needs to build the same "
                 "pages, nothing else, on one core; the parallel floor divides it by the cores.", "",
                 "| run | ledinfo | plain | plain / ledinfo | library floor (1 core) | floor / cores "
                 "| ledinfo / parallel floor |", "|---|---|---|---|---|---|---|", *references, ""]
        (HERE / "results.md").write_text("\n".join(text), encoding="utf-8")
        say(f"\nWrote {HERE / 'results.md'} and {curve}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
