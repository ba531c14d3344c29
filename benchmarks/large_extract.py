"""Issue 27, goal 5: a large extract (about 200 MB of CSV, 5 million rows) — peak memory of its build (goal: under
1 GiB), wall and CPU.

    .venv/bin/python benchmarks/large_extract.py --scale 150 --work /tmp/large

Writes the demo municipality at ``--scale`` (150 gives about 4.8 million activity rows) as ISO CSV into ``--work``
(once: an existing extract there is reused), says its size on disk and its rows, then builds every default pack
from it once with ``benchmarks/run.py``'s ``build_once`` (a fresh ``ledinfo build --timings``; CPU of the process
tree; tree memory sampled every 50 ms, and the largest single process's peak; the 1-minute load before and after).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=150.0)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--ledinfo", default=run.LEDINFO, help="the ledinfo executable (default: this one)")
    args = parser.parse_args()
    data = args.work / f"scale-{args.scale:g}"
    if not (data / "activities.csv").exists():
        subprocess.run([args.ledinfo, "demo-data", "--out", str(data), "--scale", str(args.scale), "--period",
                        run.PERIOD, "--format", "csv"], check=True, capture_output=True)
    files = sorted(data.glob("*.csv"))
    size = sum(f.stat().st_size for f in files)
    rows = sum(sum(1 for _ in f.open("rb")) - 1 for f in files)
    print(f"extract: scale {args.scale:g}, {size / 1e6:.0f} MB of CSV, {rows:,} rows in {len(files)} tables", flush=True)
    run.LEDINFO = args.ledinfo
    result = run.build_once(data, args.work / "out")
    t = result["timings"]
    print(f"build: wall {result['wall_s']:.1f} s, CPU {result['cpu_s']:.1f} s, peak {result['peak_mib']:.0f} MiB "
          f"(process tree), load {result['load'][0]:.1f}–{result['load'][1]:.1f}, {result['packs']} packs")
    print("CPU by stage: " + ", ".join(f"{k} {v:.1f}" for k, v in t["cpu_seconds"].items()))
    print(json.dumps({"mb": size / 1e6, "rows": rows, "wall_s": result["wall_s"], "cpu_s": result["cpu_s"],
                      "peak_mib": result["peak_mib"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
