"""Measure a whole monthly run: time and peak memory, small and national scale.

    .venv/bin/python benchmarks/run.py                 # scales 1 and 100
    .venv/bin/python benchmarks/run.py --scale 1 --scale 10

For each scale the demo municipality's extract is written as Parquet (timed on its
own), then `ledinfo build --data` builds every default pack for the period in a
fresh process, as cron would. Peak memory is that of the whole process tree (the
build and its rendering workers). Results are printed and appended to
benchmarks/results.md with the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
LEDINFO = str(Path(sys.executable).parent / "ledinfo")
PERIOD = "2026-10"


def _tree_rss(root: int) -> int:
    """Resident memory (KiB) of ``root`` and all its descendants, read from /proc."""
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue
        parents[int(entry)] = int(fields.get("PPid", "0").strip())
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def measured(command: list[str]) -> tuple[float, float, str]:
    """Run ``command`` in a fresh process: (seconds, peak MiB of the process and its workers, stdout).

    Memory is sampled every 100 ms over the whole process tree (the build renders
    packs in worker processes), and compared with the kernel's own peak for the
    main process; the larger is reported.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{errors}")
    kernel_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, kernel_peak) / 1024, output


def run(scale: float, keep: Path | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"ledinfo-bench-{scale:g}-"))
    try:
        data, out = work / "extract", work / "packs"
        gen_s, gen_mb, _ = measured([LEDINFO, "demo-data", "--out", str(data), "--scale", str(scale),
                                     "--period", PERIOD, "--format", "parquet"])
        build_s, build_mb, output = measured([LEDINFO, "build", "--data", str(data), "--period", PERIOD,
                                              "--out", str(out)])
        pdfs = list(out.glob("*.pdf"))
        rows = sum(1 for _ in data.glob("*.parquet"))
        import polars as pl

        sizes = {p.stem: pl.scan_parquet(p).select(pl.len()).collect().item() for p in data.glob("*.parquet")}
        result = {
            "scale": scale, "cases": sizes.get("cases", 0), "activities": sizes.get("activities", 0),
            "generate_s": gen_s, "generate_mib": gen_mb, "build_s": build_s, "build_mib": build_mb,
            "packs": len(pdfs), "pdf_mib": sum(p.stat().st_size for p in pdfs) / 2**20, "tables": rows,
        }
        if keep:
            shutil.copytree(out, keep / f"scale-{scale:g}", dirs_exist_ok=True)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, action="append", help="scales to measure (default 1 and 100)")
    parser.add_argument("--keep", type=Path, help="copy the built packs here")
    args = parser.parse_args()
    scales = args.scale or [1.0, 100.0]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [f"\n## {dt.date.today()} — {machine}\n",
             "| scale | cases | activities | generate | build (whole monthly run) | peak memory (build) "
             "| packs | PDF size |",
             "|---|---|---|---|---|---|---|---|"]
    for scale in scales:
        r = run(scale, args.keep)
        line = (f"| {r['scale']:g} | {r['cases']:,} | {r['activities']:,} | {r['generate_s']:.1f} s | "
                f"{r['build_s']:.1f} s | {r['build_mib']:.0f} MiB | {r['packs']} | {r['pdf_mib']:.1f} MiB |")
        print(line, flush=True)
        lines.append(line)
    with (HERE / "results.md").open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
