"""Where a build spends its time: seconds per stage and counts, summed over processes.

Every stage of a build (and of each rendering worker) adds its time here; the
workers send theirs back with their results, so ``ledinfo build --timings FILE``
and the benchmark can show the split between loading, computing, charts, PDF
and writing, and the cost per chart and per page. Times are busy seconds summed
over all processes, so with several workers they add up to more than the wall
time.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

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
}


@dataclass
class Timings:
    seconds: Counter = field(default_factory=Counter)  # wall time while the stage ran
    cpu: Counter = field(default_factory=Counter)  # CPU time of the process (all its threads) in the stage
    counts: Counter = field(default_factory=Counter)

    @contextmanager
    def stage(self, name: str):
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started
            self.cpu[name] += time.process_time() - started_cpu

    def count(self, name: str, amount: int = 1) -> None:
        self.counts[name] += amount

    def merge(self, other: Timings) -> None:
        self.seconds.update(other.seconds)
        self.cpu.update(other.cpu)
        self.counts.update(other.counts)

    def to_dict(self) -> dict:
        charts, pages = self.counts.get("charts", 0), self.counts.get("pages", 0)
        return {
            "seconds": {name: round(self.seconds[name], 4) for name in STAGES if name in self.seconds},
            "cpu_seconds": {name: round(self.cpu[name], 4) for name in STAGES if name in self.cpu},
            "counts": dict(sorted(self.counts.items())),
            "per_chart_ms": round(1000 * self.seconds["charts"] / charts, 2) if charts else None,
            "per_page_ms": round(1000 * self.seconds["pdf"] / pages, 2) if pages else None,
            "stages": {name: text for name, text in STAGES.items() if name in self.seconds},
        }
