"""Issue 27, goal 5: a whole build's memory, pack by pack — the main process and its workers.

    .venv/bin/python benchmarks/memory_build.py --data /tmp/big [--out /tmp/mem-out] [--every 25] [--json r.json]

Runs a fresh ``ledinfo build --data <extract> --period 2026-10 --timings`` (its own empty ``XDG_CACHE_HOME``, so
no stored figures are reused; the output folder removed first) and samples, every 0.2 s, the resident memory of
the main process and of each child process from ``/proc/<pid>/statm``, labelled with the number of packs the
build has echoed so far (it echoes each pack's files as the pack is published, in job order). Prints the highest
resident MiB of the main process, of the workers and of all processes together — over the whole build, before the first pack
is published (load, compute, the first packs' disclosure) and then by each ``--every`` packs — then the main
process's ``VmHWM`` (its true maximum, read from ``/proc`` while it runs), the CPU seconds of the process tree
(user + system), the build's CPU by stage and the 1-minute load before and after. What :mod:`memory_stages`
measures in detail for load and compute, this measures for the packs: which of them make the main process grow.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PAGE_MIB = os.sysconf("SC_PAGE_SIZE") / 2**20
LEDINFO = str(Path(sys.executable).parent / "ledinfo")


def resident_mib(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_MIB


def children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            found += [int(child) for child in handle.read().split()]
    return found


def high_water_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "ledinfo-memory-build")
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--every", type=int, default=25, help="report the peaks of each so many packs")
    parser.add_argument("--ledinfo", default=LEDINFO)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    timings = args.out.with_name(args.out.name + "-timings.json")
    cache = tempfile.mkdtemp(prefix="ledinfo-memory-cache-")
    load_before = os.getloadavg()[0]
    process = subprocess.Popen([args.ledinfo, "build", "--data", str(args.data), "--period", args.period,
                                "--out", str(args.out), "--timings", str(timings)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, "XDG_CACHE_HOME": cache, "PYTHONUNBUFFERED": "1"})
    told = [0]  # packs echoed so far

    def read_output() -> None:
        for line in process.stdout:
            if line.startswith("  ") and (".pdf" in line or "FAILED" in line):
                told[0] += 1

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    by_step: dict[int, dict[str, float]] = {}  # packs told // every -> highest main, workers, all
    peaks = {"main": 0.0, "workers": 0.0, "all": 0.0}
    main_hwm = 0.0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        try:
            main_now = resident_mib(process.pid)
            main_hwm = max(main_hwm, high_water_mib(process.pid))
            workers = 0.0
            for child in children(process.pid):
                try:
                    workers += resident_mib(child)
                except OSError:
                    continue
        except OSError:  # the process is ending
            time.sleep(0.05)
            continue
        now = {"main": main_now, "workers": workers, "all": main_now + workers}
        # before the first pack is published (load, compute, the first packs' disclosure) apart: step -1
        step = by_step.setdefault(told[0] // args.every if told[0] else -1, {k: 0.0 for k in now})
        for k, v in now.items():
            step[k] = max(step[k], v)
            peaks[k] = max(peaks[k], v)
        time.sleep(0.2)
    reader.join(timeout=5)
    shutil.rmtree(cache, ignore_errors=True)
    cpu = usage.ru_utime + usage.ru_stime
    load_after = os.getloadavg()[0]
    stages = json.loads(timings.read_text(encoding="utf-8"))["cpu_seconds"] if timings.exists() else {}
    print(f"{told[0]} packs; exit {os.waitstatus_to_exitcode(status)}; CPU {cpu:.1f} s (user {usage.ru_utime:.1f}, "
          f"sys {usage.ru_stime:.1f}); load {load_before:.1f}–{load_after:.1f}")
    print(f"peak MiB: main {peaks['main']:.0f} (VmHWM {main_hwm:.0f}), workers {peaks['workers']:.0f}, "
          f"all {peaks['all']:.0f}")
    print("CPU by stage: " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()))
    print(f"{'packs told':>12} {'main':>6} {'workers':>8} {'all':>6}")
    for step in sorted(by_step):
        found = by_step[step]
        packs = "none yet" if step < 0 else f"{max(step * args.every, 1)}–{(step + 1) * args.every - 1}"
        print(f"{packs:>12} {found['main']:6.0f} {found['workers']:8.0f} {found['all']:6.0f}")
    if args.json:
        args.json.write_text(json.dumps({"packs": told[0], "cpu_s": cpu, "peak": peaks, "main_hwm": main_hwm,
                                         "load": [load_before, load_after], "stages": stages,
                                         "by_step": {s * args.every: v for s, v in by_step.items()}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
