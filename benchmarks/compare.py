"""Two builds of ledinfo side by side: the same scale-1 job, the two codes' runs interleaved (A, B, floor, A, B,
floor, …), so that each pair sees the same machine — for a before/after on a shared, noisy machine.

    git worktree add --detach ../wt-before main && (cd ../wt-before && scripts/setup --test)
    .venv/bin/python benchmarks/compare.py --before ../wt-before/.venv/bin/ledinfo --repeats 5

Each run is ``benchmarks/run.py``'s: ``ledinfo build`` of every default pack from a Parquet extract of the demo data,
in a fresh process, start-up included, with ``--timings``: wall, CPU of the process tree, the CPU of each stage
(all processes), and the 1-minute load average before and after. The library floor (run.py's, one core) runs
between the pairs; each build's wall is divided by the floor of its round. Printed as median (min–max) of the
runs; nothing is written.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

import run

STAGES = ("import", "warm-up", "load", "compute", "texts", "charts", "pdf", "json", "guard", "write", "handover")


def spread(values, digits: int = 2, unit: str = "s") -> str:
    ordered = sorted(values)
    return f"{statistics.median(ordered):.{digits}f} {unit} ({ordered[0]:.{digits}f}–{ordered[-1]:.{digits}f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the ledinfo executable of the code to compare with")
    parser.add_argument("--after", default=run.LEDINFO, help="the ledinfo executable of the new code (default: this one)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--jobs", default=None, help="--jobs for both builds (default: the build's own default)")
    parser.add_argument("--no-floor", action="store_true", help="leave out the library floor")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ledinfo-compare-"))
    _, target = run.generate(work / "data", args.scale)
    extra = ["--jobs", args.jobs] if args.jobs else []
    variants = {"before": args.before, "after": args.after}
    runs: dict[str, list[dict]] = {name: [] for name in (*variants, "floor")}
    for round_ in range(args.repeats):
        for name, executable in variants.items():
            run.LEDINFO = executable
            runs[name].append(run.build_once(target, work / f"out-{name}", extra))
            r = runs[name][-1]
            print(f"round {round_ + 1} {name}: wall {r['wall_s']:.2f} s, CPU {r['cpu_s']:.2f} s, "
                  f"load {r['load'][0]:.1f}–{r['load'][1]:.1f}", flush=True)
        if not args.no_floor:
            runs["floor"].append(run.library_floor(target))
            f = runs["floor"][-1]
            print(f"round {round_ + 1} floor: {f['total_s']:.2f} s CPU ({f['charts']} charts, {f['pages']} pages)",
                  flush=True)
    print(f"\nscale {args.scale:g}, {args.repeats} interleaved rounds; median (min–max)\n")
    print("| | " + " | ".join(variants) + " |\n|---|" + "---|" * len(variants))
    for label, key in (("wall", "wall_s"), ("CPU (process tree)", "cpu_s"), ("peak memory", "peak_mib")):
        unit, digits = ("MiB", 0) if key == "peak_mib" else ("s", 2)
        print(f"| {label} | " + " | ".join(spread([r[key] for r in runs[n]], digits, unit) for n in variants) + " |")
    for stage in STAGES:
        print(f"| CPU: {stage} | " + " | ".join(
            spread([r["timings"]["cpu_seconds"].get(stage, 0.0) for r in runs[n]]) for n in variants) + " |")
    if runs["floor"]:
        print("| wall ÷ floor (run by run) | " + " | ".join(
            spread([r["wall_s"] / f["total_s"] for r, f in zip(runs[n], runs["floor"])], 2, "×") for n in variants)
            + " |")
        print(f"\nlibrary floor, one core: {spread([f['total_s'] for f in runs['floor']])} CPU")
    ratio = [a["wall_s"] / b["wall_s"] for a, b in zip(runs["after"], runs["before"])]
    cpu = [a["cpu_s"] / b["cpu_s"] for a, b in zip(runs["after"], runs["before"])]
    print(f"after ÷ before, run by run: wall {spread(ratio, 2, '×')}, CPU {spread(cpu, 2, '×')}")
    print(f"load (1-minute, before and after each run): {run.loads([r for n in runs for r in runs[n]])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
