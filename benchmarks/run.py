"""The whole monthly job, measured: one municipality, Copenhagen's size, and all of Denmark.

    make benchmark                                   # everything below, results in benchmarks/results.md
    .venv/bin/python benchmarks/run.py --quick       # scale 1 only, 3 runs each, printed, nothing written
    .venv/bin/python benchmarks/run.py --quick --busy 2   # the same with two cores kept busy (under load)

Every run is the command line a cron job would start, in a fresh process, from a
Parquet extract of the demo data: ``ledinfo build`` of every default pack
(committee, directors, one per team), start-up included. For each run:

- wall time, CPU time (user + system of the whole process tree: the build and
  its spawned workers), peak memory (resident, whole tree, sampled every 50 ms),
  and the machine's 1-minute load average before and after;
- where the CPU goes (``ledinfo build --timings``): start-up, worker warm-up,
  each stage, the hand-over between processes, and what is left (exit), adding
  up to the run's total CPU; the CPU per chart drawn and per page written.

Scenarios: the curve (scales 0.25 … 10 of one municipality; scale 1 is an
average municipality of 60,000 inhabitants, scale 10 is Copenhagen's size) and
Denmark (98 municipalities sized by population, one config, one run). Three
reference points for scale 1 and 10, run alternately with the measured runs so
that each pair sees the same machine: ``--jobs 1``; "plain" (``--jobs 1`` with
``LEDINFO_NO_CACHE=1``: no caching, no parallelism); and the floor of the
libraries themselves on one core — importing them, vl-convert's first
conversion, vl-convert laying out the same unique charts and ReportLab building
the same pages, nothing else (CPU seconds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
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
    """Resident memory of ``root`` and all its descendants, from /proc.

    The tree is walked from ``root`` by each thread's ``children`` list, not by reading every process of the
    machine: sampled every 50 ms over a ten-minute build, reading all of /proc cost ~146 s of CPU beside it."""
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * page_kib
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except (OSError, IndexError, ValueError):
            continue  # the process ended while it was read
    return total


def load_average() -> float:
    """The machine's 1-minute load average: how busy the cores were around a figure."""
    return os.getloadavg()[0]


def measured(command: list[str], env: dict | None = None) -> dict:
    """Run ``command`` in a fresh process: wall, CPU of the process tree, peak tree memory, load, output."""
    load_before = load_average()
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
    # ru_maxrss is the largest single process; the sampled tree total is what the machine needed.
    # wait4's usage covers the process and every child it waited for: the workers too.
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mib": max(peak, usage.ru_maxrss) / 1024,
            "load": (load_before, load_average()), "output": output}


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
    """A fresh build into ``out``: the monthly job, with new data, reuses nothing. The last build's output folder
    and its stored figures (:mod:`ledinfo.pipeline.stored`, kept in the user's cache by the output folder) are
    removed first; else every run after the first reused the first's computed figures and drawings. So are the
    compiled chart shapes (:mod:`ledinfo.render.shape_store`): a first build of this code, the conservative figure."""
    from ledinfo.pipeline.stored import path_of  # deferred: the benchmark's own ledinfo, only where a build runs
    from ledinfo.render.shape_store import folder as shapes  # deferred: as above

    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(path_of(out), ignore_errors=True)
    shutil.rmtree(shapes(), ignore_errors=True)  # cold: the shapes a month's build with the same code would find kept
    timings = out.parent / f"{out.name}-timings.json"
    source = ["--config", str(target)] if target.suffix == ".toml" else ["--data", str(target)]
    result = measured([LEDINFO, "build", *source, "--period", PERIOD, "--out", str(out), "--timings", str(timings),
                       *(extra or [])], env)
    result["timings"] = json.loads(timings.read_text(encoding="utf-8"))
    pdfs = list(out.rglob("*.pdf"))
    result["packs"] = len(pdfs)
    result["pdf_mib"] = sum(p.stat().st_size for p in pdfs) / 2**20
    return result


def rerun_once(target: Path, out: Path) -> dict:
    """The build just made into ``out`` run again with unchanged inputs (what ``ledinfo run`` does after a
    failed delivery): the last build is reused; start-up and the check included."""
    source = ["--config", str(target)] if target.suffix == ".toml" else ["--data", str(target)]
    result = measured([LEDINFO, "build", *source, "--period", PERIOD, "--out", str(out)])
    if "unchanged since the last build" not in result["output"]:
        raise SystemExit(f"the rerun into {out} built again instead of reusing the build:\n{result['output']}")
    return result


RUN_CONFIG = """[municipality]
name = "Benchmark Kommune"

[source]
type = "folder"
path = "{data}"

[[packs]]
id = "udvalg"
audience = "committee"

[[packs]]
id = "direktion"
audience = "director"

[[packs]]
id = "team"
audience = "team_leader"

[delivery]
type = "folder"

[delivery.folder]
path = "arkiv"
"""


def delivered_run(target: Path, work: Path) -> Path:
    """A config that delivers the packs of ``target`` to a folder, run once (untimed): what cron ran last."""
    work.mkdir(parents=True, exist_ok=True)
    config = work / "ledinfo.toml"
    config.write_text(RUN_CONFIG.format(data=target), encoding="utf-8")
    result = subprocess.run([LEDINFO, "run", "--config", str(config), "--period", PERIOD], capture_output=True,
                            text=True)
    if result.returncode != 0:  # its own words, not only an exit code
        raise SystemExit(f"the run before the run rerun failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return config


def run_rerun_once(config: Path) -> dict:
    """``ledinfo run`` again after a run that delivered everything: the build reused, every delivery found in
    the ledger (a rerun after a failed delivery does the same, plus sending what failed)."""
    result = measured([LEDINFO, "run", "--config", str(config), "--period", PERIOD])
    if "unchanged since the last build" not in result["output"] or " already sent" not in result["output"]:
        raise SystemExit(f"the run rerun built or sent again:\n{result['output']}")
    return result


def rerun_line(runs: list[dict], run_runs: list[dict]) -> str:
    """The rerun's figures: target under 1 s wall."""
    return (f"- Rerun with unchanged inputs (the scale 1 build again, reused): **{spread([r['wall_s'] for r in runs], 's', 2)}"
            f"** wall (target < 1 s), CPU {spread([r['cpu_s'] for r in runs], 's', 2)}, load {loads(runs)}; "
            f"`ledinfo run` again after a run that delivered all (build reused, every delivery in the ledger): "
            f"**{spread([r['wall_s'] for r in run_runs], 's', 2)}** wall, CPU {spread([r['cpu_s'] for r in run_runs], 's', 2)}.")


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


FLOOR_SCRIPT = Path(__file__).with_name("floor.py")


def floor_in_fresh_process(source: list[str], stderr=subprocess.DEVNULL) -> dict:
    """``benchmarks/floor.py`` in a fresh process on one core (``source``: ``--extract X`` or ``--config C``)."""
    load_before = load_average()
    env = {**os.environ, "POLARS_MAX_THREADS": "1"}
    output = subprocess.run([sys.executable, str(FLOOR_SCRIPT), *source, "--period", PERIOD], check=True,
                            stdout=subprocess.PIPE, stderr=stderr, text=True, env=env).stdout
    floor = json.loads(output.strip().splitlines()[-1])
    floor["total_s"] = floor["import_s"] + floor["engine_s"] + floor["chart_s"] + floor["page_s"]
    floor["load"] = (load_before, load_average())
    return floor


def library_floor(extract: Path) -> dict:
    """One core, in a fresh process: what the libraries alone need for this build's charts and pages (CPU).

    The interpreter and the import of Polars, ReportLab and vl-convert; vl-convert's first
    conversion (its engine and fonts); vl-convert laying out the build's unique charts;
    ReportLab building the same pages. Nothing of ledinfo's own work is counted (``benchmarks/floor.py``).
    """
    return floor_in_fresh_process(["--extract", str(extract)])


# --- the figures, with their spread -------------------------------------------------

def spread(values: list[float], unit: str = "s", digits: int = 1) -> str:
    """Median, then min–max when there is more than one run."""
    ordered = sorted(values)
    middle = statistics.median(ordered)
    if len(ordered) == 1:
        return f"{middle:.{digits}f} {unit}"
    return f"{middle:.{digits}f} {unit} ({ordered[0]:.{digits}f}–{ordered[-1]:.{digits}f})"


def loads(runs: list[dict]) -> str:
    """The 1-minute load average before and after the runs: lowest–highest."""
    values = [value for run in runs for value in run["load"]]
    return f"{min(values):.1f}–{max(values):.1f}"


def median_of(runs: list[dict], key: str = "wall_s") -> dict:
    """The run with the median ``key`` (its stage split then adds up to its own total)."""
    return sorted(runs, key=lambda r: r[key])[len(runs) // 2]


SPLIT = {"import": "start-up (interpreter, imports, plugins, config)", "start": "starting the workers",
         "warm-up": "worker warm-up", "load": "load+validate", "compute": "compute", "texts": "texts",
         "charts": "charts", "pdf": "PDF", "json": "JSON", "guard": "guard", "write": "write",
         "handover": "hand-over between processes and unstaged steps"}


def stage_split(run: dict) -> str:
    """Every CPU second of the run: the stages, start-up, warm-up, hand-over, and what no line measured."""
    cpu = run["timings"]["cpu_seconds"]
    total = run["cpu_s"] or 1
    parts = [(label, cpu[key]) for key, label in SPLIT.items() if key in cpu]
    rest = run["cpu_s"] - sum(cpu.values())
    # below zero, some CPU was counted twice by the build's own lines: say so rather than show it as a cost
    parts.append(("exit and the rest (not measured inside)" if rest >= -0.05 else
                  "COUNTED TWICE by the lines above (a bug of the split)", rest))
    return (f"total {run['cpu_s']:.2f} s = " +
            ", ".join(f"{label} {seconds:.2f} s ({100 * seconds / total:.0f} %)" for label, seconds in parts))


def row(name: str, size: dict, runs: list[dict]) -> str:
    run = median_of(runs)
    t = run["timings"]
    return (f"| {name} | {size['municipalities']} | {size['cases']:,} | {size['activities']:,} | {run['packs']:,} | "
            f"**{spread([r['wall_s'] for r in runs])}** | {spread([r['cpu_s'] for r in runs])} | "
            f"{spread([r['peak_mib'] for r in runs], 'MiB', 0)} | {loads(runs)} | "
            f"{t['counts'].get('charts', 0):,} / {t['counts'].get('chart_uses', 0):,} | {t['counts'].get('pages', 0):,} | "
            f"{spread([r['timings']['per_chart_cpu_ms'] or 0 for r in runs], 'ms', 0)} | "
            f"{spread([r['timings']['per_page_cpu_ms'] or 0 for r in runs], 'ms', 1)} |")


HEADER = ("| run | municipalities | cases | activities | packs | wall | CPU | peak memory | load | charts drawn / shown "
          "| pages | CPU per chart | CPU per page |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|")
REFERENCE_HEADER = ("| run | ledinfo (wall) | `--jobs 1` (wall) | ledinfo / `--jobs 1` | plain (wall) | plain / ledinfo "
                    "| library floor, 1 core (CPU) | ledinfo / floor | load |\n|---|---|---|---|---|---|---|---|---|")


def interleaved(target: Path, work: Path, repeats: int, references: bool, with_run: bool) -> dict[str, list]:
    """Run the build (and its references) ``repeats`` times, alternating, so each sees the same machine."""
    variants = {"ledinfo": lambda: build_once(target, work / "out"),
                "rerun": lambda: rerun_once(target, work / "out")}  # right after the build it reuses
    if with_run:
        config = delivered_run(target, work / "run")
        variants["run rerun"] = lambda: run_rerun_once(config)
    if references:
        variants["jobs 1"] = lambda: build_once(target, work / "jobs1", ["--jobs", "1"])
        variants["plain"] = lambda: build_once(target, work / "plain", ["--jobs", "1"], {"LEDINFO_NO_CACHE": "1"})
        variants["floor"] = lambda: library_floor(target)
    runs: dict[str, list] = {name: [] for name in variants}
    for _ in range(repeats):
        for name, run in variants.items():
            runs[name].append(run())
    return runs


def reference_row(name: str, runs: dict[str, list]) -> str:
    fast, alone, plain, floor = (runs[k] for k in ("ledinfo", "jobs 1", "plain", "floor"))
    wall = statistics.median(r["wall_s"] for r in fast)
    # each ratio is taken run by run (the runs were made side by side), then its median and spread shown
    ratio = [a["wall_s"] / b["wall_s"] for a, b in zip(fast, alone)]
    gain = [b["wall_s"] / a["wall_s"] for a, b in zip(fast, plain)]
    to_floor = [a["wall_s"] / f["total_s"] for a, f in zip(fast, floor)]
    f = median_of(floor, "total_s")
    parts = (f"{f['import_s']:.2f} import + {f['engine_s']:.2f} engine + {f['chart_s']:.2f} ({f['charts']} charts) + "
             f"{f['page_s']:.2f} ({f['pages']} pages)")
    return (f"| {name} | {wall:.2f} s | {spread([r['wall_s'] for r in alone], 's', 2)} | "
            f"**{spread(ratio, '×', 2)}** | {spread([r['wall_s'] for r in plain], 's', 2)} | {spread(gain, '×', 2)} | "
            f"{spread([r['total_s'] for r in floor], 's', 2)}: {parts} | **{spread(to_floor, '×', 2)}** | "
            f"{loads(fast + alone + plain + floor)} |")


def busy_loops(count: int) -> list[subprocess.Popen]:
    """``count`` processes that keep a core busy each: the benchmark under load."""
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]


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
    parser.add_argument("--quick", action="store_true", help="scale 1 only, 3 runs each; print, write nothing")
    parser.add_argument("--no-denmark", action="store_true", help="leave out the 98 municipalities")
    parser.add_argument("--repeats", type=int, default=None, help="runs of each small scale (default 5, quick 3)")
    parser.add_argument("--busy", type=int, default=0, help="keep this many cores busy meanwhile (under load)")
    args = parser.parse_args()
    repeats = args.repeats or (3 if args.quick else 5)
    work = Path(tempfile.mkdtemp(prefix="ledinfo-bench-"))
    lines: list[str] = []
    points: list[dict] = []
    busy = busy_loops(args.busy)
    try:
        say = print
        scales = (1.0,) if args.quick else CURVE
        say(f"Machine: {platform.machine()}, {CORES} cores, Python {platform.python_version()}, "
            f"{args.busy} busy loop(s) alongside\n")
        say(HEADER)
        results = {}
        for scale in scales:
            gen_s, target = generate(work / f"scale-{scale:g}", scale)
            size = data_size(target)
            runs = interleaved(target, work / f"scale-{scale:g}-runs", repeats if scale <= 2 else 1,
                               scale in REFERENCE, with_run=scale == 1.0)
            results[scale] = (size, runs, gen_s)
            name = {1.0: "scale 1 (average municipality)", 10.0: "scale 10 (Copenhagen's size)"}.get(
                scale, f"scale {scale:g}")
            lines.append(row(name, size, runs["ledinfo"]))
            say(lines[-1])
            run = median_of(runs["ledinfo"])
            points.append({"name": name, "packs": run["packs"], "cases": size["cases"], "wall_s": run["wall_s"],
                           "cpu_s": run["cpu_s"]})
        if not (args.quick or args.no_denmark):
            gen_s, target = generate(work / "denmark", None)
            size = data_size(target)
            runs = {"ledinfo": [build_once(target, work / "out-denmark")]}
            results["denmark"] = (size, runs, gen_s)
            lines.append(row("**Denmark: 98 municipalities, one run**", size, runs["ledinfo"]))
            say(lines[-1])
            run = runs["ledinfo"][0]
            points.append({"name": "Denmark", "packs": run["packs"], "cases": size["cases"], "wall_s": run["wall_s"],
                           "cpu_s": run["cpu_s"]})
        if 1.0 in results:
            say("\n" + rerun_line(results[1.0][1]["rerun"], results[1.0][1]["run rerun"]))
        splits = [f"- {name}: {stage_split(median_of(results[key][1]['ledinfo']))}"
                  for key, name in ((1.0, "scale 1"), (10.0, "scale 10"), ("denmark", "Denmark")) if key in results]
        if 1.0 in results:
            splits.insert(1, f"- scale 1, `--jobs 1`: {stage_split(median_of(results[1.0][1]['jobs 1']))}")
        say("\nWhere the CPU goes (the median run, summed over processes):\n" + "\n".join(splits))
        references = [reference_row(f"scale {scale:g}", results[scale][1]) for scale in REFERENCE if scale in results]
        say("\n" + REFERENCE_HEADER + "\n" + "\n".join(references))
        if args.quick:
            return 0
        write_results(args, repeats, results, lines, splits, references, points)
        return 0
    finally:
        for loop in busy:
            loop.kill()
            loop.wait()
        shutil.rmtree(work, ignore_errors=True)


def write_results(args, repeats: int, results: dict, lines: list[str], splits: list[str], references: list[str],
                  points: list[dict]) -> None:
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
        f"{CORES} cores, Python {platform.python_version()}, {args.busy} busy loop(s) alongside. Each run is "
        "`ledinfo build` of every default pack from a Parquet extract, in a fresh process, start-up included; "
        "memory is the peak resident memory of the whole process tree (the build and its workers). Small scales: "
        f"{repeats} runs, each figure the median (min–max); the references ran alternately with the measured runs. "
        "\"load\" is the machine's 1-minute load average before and after the runs (lowest–highest): this machine "
        "is shared, so compare figures made in one run.",
        "",
        "## Targets",
        "",
    ]
    if small:
        text.append(f"- One average municipality, all packs: **{spread([r['wall_s'] for r in small[1]['ledinfo']])}** "
                    f"wall (target: no slower than the library floor on one core, and than `--jobs 1`; see below).")
        text.append(rerun_line(small[1]["rerun"], small[1]["run rerun"]))
    if denmark:
        run = denmark[1]["ledinfo"][0]
        text.append(f"- All 98 municipalities: **{run['wall_s']:.0f} s** wall (target < 150 s), peak memory "
                    f"**{run['peak_mib']:,.0f} MiB** (target < 1 GiB); load {loads([run])}.")
    text += ["", "## Runs", "", HEADER, *lines, "",
             "\"charts drawn / shown\": each unique chart is drawn once and reused by every pack that shows it. "
             "\"CPU per chart\" and \"CPU per page\" are the CPU seconds of the chart and PDF stages (all processes) "
             "divided by the charts drawn and the pages written.", "",
             "Where the CPU goes (the median run; CPU seconds summed over processes, adding up to the run's total):",
             "", *splits, "",
             f"Generating the demo data (not part of the runs): {generation}.", "",
             "## How cost grows", "",
             "![wall time against packs on log-log axes, with a linear reference; wall time per pack](curve.svg)", "",
             "| run | packs | cases | wall per pack | CPU per pack | CPU per 1,000 cases |", "|---|---|---|---|---|---|"]
    for point in points:
        text.append(f"| {point['name']} | {point['packs']:,} | {point['cases']:,} | "
                    f"{point['wall_s'] / point['packs']:.2f} s | {point['cpu_s'] / point['packs']:.2f} s | "
                    f"{1000 * point['cpu_s'] / max(1, point['cases']):.2f} s |")
    text += ["", "## Reference points", "",
             "Run alternately with the measured runs. `--jobs 1`: the same build without workers. \"plain\": "
             "caching and parallelism turned off (`--jobs 1`, `LEDINFO_NO_CACHE=1`: every chart drawn anew wherever "
             "it is shown). The library floor is the CPU the libraries alone need on one core: the interpreter and "
             "the import of Polars, ReportLab and vl-convert, vl-convert's first conversion (engine), vl-convert "
             "laying out the same unique charts and ReportLab building the same pages. Ratios are taken run by run.",
             "", REFERENCE_HEADER, *references, ""]
    (HERE / "results.md").write_text("\n".join(text), encoding="utf-8")
    print(f"\nWrote {HERE / 'results.md'} and {curve}")


if __name__ == "__main__":
    sys.exit(main())
