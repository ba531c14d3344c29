"""Where each process of one build works and where it waits: a timeline drawn in text, one row per process.

    .venv/bin/python benchmarks/timeline.py --data /tmp/s1 --period 2026-10           # builds, then draws
    .venv/bin/python benchmarks/timeline.py --read FOLDER                              # draws a recorded build

The build runs with ``LEDINFO_TRACE`` set to a fresh folder (:func:`ledinfo.runtime.timing.traced`): every stage of
every process, each worker's warm-up and tasks, and the parent's waits for a worker are written there with their
wall-clock start and end. Each row has one character per ``--step`` seconds, the innermost span then running:

    i start-up (interpreter, imports, config; before the first span)   s starting the workers   W warm-up
    l load   c compute   t texts   C charts   P PDF   j JSON   g guard   w write
    . waiting (the parent for a worker; a worker between tasks)   - outside every stage (hand-over, unstaged work)

Then per process: the seconds in each, and when its first and last work began and ended.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

LETTERS = {"import": "i", "start": "s", "warm-up": "W", "load": "l", "compute": "c", "texts": "t", "charts": "C",
           "pdf": "P", "json": "j", "guard": "g", "write": "w", "wait": ".", "idle": ".", "close": ".",
           "other": "-"}
WORK = {"load", "compute", "texts", "charts", "pdf", "json", "guard", "write"}


def read(folder: Path) -> dict[int, list[dict]]:
    """Each process's spans, by pid."""
    spans: dict[int, list[dict]] = {}
    for path in folder.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            spans.setdefault(record["pid"], []).append(record)
    return spans


def what_at(spans: list[dict], moment: float, parent: bool) -> str:
    """The innermost span running at ``moment`` (the latest started of those covering it)."""
    covering = [s for s in spans if s["name"] not in ("process", "task") and s["start"] <= moment < s["end"]]
    if covering:
        return max(covering, key=lambda s: s["start"])["name"]
    first = min((s["start"] for s in spans if s["name"] != "process"), default=moment)
    if moment < first:
        return "import" if parent else "warm-up"
    in_task = any(s["name"] == "task" and s["start"] <= moment < s["end"] for s in spans)
    return "other" if parent or in_task else "idle"


def draw(spans: dict[int, list[dict]], step: float) -> str:
    parents = [pid for pid, found in spans.items() if not any(s.get("parent") in spans for s in found)]
    starts = [s["start"] for found in spans.values() for s in found if s["start"]]
    begin, end = min(starts), max(s["end"] for found in spans.values() for s in found if s["end"])
    lines = [f"0 s … {end - begin:.2f} s, one character per {step:g} s; parent first"]
    order = sorted(spans, key=lambda pid: (pid not in parents, pid))
    for pid in order:
        found, parent = spans[pid], pid in parents
        born = next((s["start"] for s in found if s["name"] == "process"), begin) or begin
        cells, seconds = [], Counter()
        moment = begin
        while moment < end:
            name = what_at(found, moment + step / 2, parent) if moment + step / 2 >= born else None
            cells.append(" " if name is None else LETTERS.get(name, "?"))
            if name is not None:
                seconds[name] += step
            moment += step
        work = [s for s in found if s["name"] in WORK]
        role = "parent" if parent else "worker"
        lines.append(f"{role:6} {pid:>7} |{''.join(cells)}|")
        cpu = Counter()
        for s in found:
            if s["cpu"] is not None and s["name"] not in ("task", "process"):
                cpu[s["name"]] += s["cpu"]
        lines.append(f"{'':15}  " + ", ".join(f"{name} {value:.2f} s" for name, value in seconds.most_common()))
        if work:
            lines.append(f"{'':15}  work from {min(s['start'] for s in work) - begin:.2f} s to "
                         f"{max(s['end'] for s in work) - begin:.2f} s; started at {born - begin:.2f} s")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--read", type=Path, help="a folder a traced build wrote (instead of building)")
    parser.add_argument("--step", type=float, default=0.1, help="seconds per character (default 0.1)")
    args, build = parser.parse_known_args()  # the rest: ledinfo build's options (--data X --period P ...)
    folder = args.read
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="ledinfo-trace-"))
        out = Path(tempfile.mkdtemp(prefix="ledinfo-trace-out-")) / "packs"
        env = {**os.environ, "LEDINFO_TRACE": str(folder), "XDG_CACHE_HOME": str(folder / "cache")}
        started = time.perf_counter()
        ledinfo = str(Path(sys.executable).parent / "ledinfo")
        subprocess.run([ledinfo, "build", "--out", str(out), *build], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        print(f"built in {time.perf_counter() - started:.2f} s wall; load {os.getloadavg()[0]:.1f}; trace in {folder}")
    print(draw(read(folder), args.step))
    return 0


if __name__ == "__main__":
    sys.exit(main())
