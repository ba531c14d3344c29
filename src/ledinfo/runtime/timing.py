"""Where a build spends its time: seconds per stage and counts, summed over processes.

Every stage of a build (and of each rendering worker) adds its time here; the
workers send theirs back with their results, so ``ledinfo build --timings FILE``
and the benchmark can show the split between loading, computing, charts, PDF
and writing, and the cost per chart and per page. Times are busy seconds summed
over all processes, so with several workers they add up to more than the wall
time. Besides the stages, the CPU outside them is accounted for too: the parent's
start-up before the build (interpreter, imports, plugins, config), each worker's
warm-up, and the hand-over of work and results between processes (pickling,
unpickling, the executor's threads); the benchmark shows what is left
(interpreter exit, the last result's pickling) as its own line.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

# A folder to write each process's timeline into (one JSON line per span: its name, wall-clock start and end, CPU),
# for benchmarks/timeline.py, which draws where each core works and where it waits; unset, nothing is written
TRACE_FOLDER = "LEDINFO_TRACE"

STAGES = {
    "start": "start-up: plugins, config, render workers warming up",
    "load": "load and validate the extract",
    "compute": "compute the sections (once for all packs)",
    "texts": "audience filter, templates and texts per pack",
    "charts": "chart specs (Altair), layout (vl-convert) and drawings (each unique chart once)",
    "pdf": "ReportLab layout and PDF of each pack",
    "json": "the JSON of each pack",
    "guard": "the final guard: every PDF and JSON read back",
    "write": "write files and the manifest",
    "import": "the parent before the build: interpreter, imports, plugins and config",
    "warm-up": "render workers starting: interpreter, imports and a first chart",
    "handover": "outside the stages: work and results moving between processes (pickling), unstaged steps",
}


@dataclass
class Timings:
    seconds: Counter = field(default_factory=Counter)  # wall time while the stage ran
    cpu: Counter = field(default_factory=Counter)  # CPU time of the process (all its threads) in the stage
    counts: Counter = field(default_factory=Counter)
    pid: int = field(default_factory=os.getpid)
    # this process's CPU when the Timings was made: its start-up, when made as the build begins
    created_cpu: float = field(default_factory=time.process_time)
    other_cpu: float = 0.0  # CPU of other processes (workers) merged into ``cpu``

    @contextmanager
    def stage(self, name: str):
        started, started_cpu = time.perf_counter(), time.process_time()
        began = time.time()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started
            self.cpu[name] += time.process_time() - started_cpu
            traced(name, began, time.process_time() - started_cpu)

    def count(self, name: str, amount: int = 1) -> None:
        self.counts[name] += amount

    def merge(self, other: Timings) -> None:
        self.other_cpu += sum(other.cpu.values()) if other.pid != self.pid else other.other_cpu
        self.seconds.update(other.seconds)
        self.cpu.update(other.cpu)
        self.counts.update(other.counts)

    def to_dict(self) -> dict:
        """The figures; call it in the process that made this Timings (the parent), as the build ends."""
        charts, pages = self.counts.get("charts", 0), self.counts.get("pages", 0)
        cpu = Counter(self.cpu)
        # the parent's CPU not inside a stage: before the build began, and since then outside every stage
        own_in_stages = sum(self.cpu.values()) - self.other_cpu
        cpu["import"] += self.created_cpu
        cpu["handover"] += max(0.0, time.process_time() - self.created_cpu - own_in_stages)
        return {
            "seconds": {name: round(self.seconds[name], 4) for name in STAGES if name in self.seconds},
            "cpu_seconds": {name: round(cpu[name], 4) for name in STAGES if name in cpu},
            "counts": dict(sorted(self.counts.items())),
            # wall time summed over processes per chart drawn / page written (kept for older readers)
            "per_chart_ms": round(1000 * self.seconds["charts"] / charts, 2) if charts else None,
            "per_page_ms": round(1000 * self.seconds["pdf"] / pages, 2) if pages else None,
            "per_chart_cpu_ms": round(1000 * self.cpu["charts"] / charts, 2) if charts else None,
            "per_page_cpu_ms": round(1000 * self.cpu["pdf"] / pages, 2) if pages else None,
            "stages": {name: text for name, text in STAGES.items() if name in cpu},
        }


def traced(name: str, began: float, cpu: float | None = None) -> None:
    """Record a span of this process from ``began`` (``time.time()``) until now in the timeline folder, when one is
    set (:data:`TRACE_FOLDER`); ``cpu``: this process's CPU in it."""
    folder = os.environ.get(TRACE_FOLDER)
    if not folder:
        return
    path = os.path.join(folder, f"{os.getpid()}.jsonl")
    if not os.path.exists(path):  # the process's first span: when it started, for the time before any span
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"pid": os.getpid(), "name": "process", "start": _process_start(), "end": None,
                                  "cpu": None, "parent": os.getppid()}) + "\n")
    line = json.dumps({"pid": os.getpid(), "name": name, "start": began, "end": time.time(), "cpu": cpu})
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


def _process_start() -> float | None:
    """When this process started (``time.time()``'s clock), from /proc (Linux; None elsewhere)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat", encoding="ascii") as machine:
            booted = next(int(line.split()[1]) for line in machine if line.startswith("btime"))
        return booted + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, StopIteration, IndexError):
        return None


@contextmanager
def span(name: str):
    """A span of :func:`traced` around a block (a wait, a task): only when a timeline is asked for."""
    if not os.environ.get(TRACE_FOLDER):
        yield
        return
    began, began_cpu = time.time(), time.process_time()
    try:
        yield
    finally:
        traced(name, began, time.process_time() - began_cpu)
