"""Issue 27, goal 5: where a large extract's build holds its memory — resident memory by stage and indicator.

    .venv/bin/python benchmarks/memory_stages.py --data /tmp/large/scale-75 [--packs 3] [--out report.json]

One process on one Polars thread, its allocator set, as ``ledinfo build``'s main process: the build's own ``load``
and ``compute`` of the folder extract ``--data`` (its default packs, period 2026-10), then ``disclose`` and
``write_texts`` of the first ``--packs`` packs (committee, directors, a team leader). The resident memory is
sampled every 10 ms from ``/proc/self/statm`` and labelled with what runs (the stage; within compute the indicator
whose figures are being computed). Prints, per label, the highest resident MiB and the rise above the resident
memory when it started, and the process's CPU seconds per stage. Run it under ``/usr/bin/time -v`` for the
process's maximum.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import sys
import threading
import time
from pathlib import Path

from ledinfo.runtime.workers import one_polars_thread  # (imports no Polars)

one_polars_thread()  # before Polars is imported, as every command does: one thread, and its allocator

PAGE = os.sysconf("SC_PAGE_SIZE")
PERIOD = "2026-10"


class Sampler:
    """Resident memory every ``interval`` seconds, by the label set last."""

    def __init__(self, interval: float = 0.01) -> None:
        self.label, self.interval = "start", interval
        self.peak: dict[str, float] = {}  # label -> highest resident MiB
        self.rise: dict[str, float] = {}  # label -> highest MiB above the resident memory when it was set
        self.begun: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def resident() -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * PAGE / 2**20

    def set(self, label: str) -> str:
        before, self.label = self.label, label
        self.begun[label] = self.resident()  # a rise is counted from each time the label is set
        self._sample()
        return before

    def _sample(self) -> None:
        now, label = self.resident(), self.label
        self.peak[label] = max(self.peak.get(label, 0.0), now)
        self.rise[label] = max(self.rise.get(label, 0.0), now - self.begun.get(label, now))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def labelling(sampler: Sampler, function, label: str):
    """``function`` with the sampler's label set to ``label`` (``{}``: its first argument's name) while it runs."""
    def labelled(*args, **kwargs):
        before = sampler.set(label.format(getattr(args[0], "name", "")) if args else label)
        try:
            return function(*args, **kwargs)
        finally:
            sampler.set(before)
    return labelled


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--packs", type=int, default=3)
    parser.add_argument("--period", default=PERIOD)
    parser.add_argument("--out", type=Path, default=None, help="also write the figures as JSON here")
    args = parser.parse_args()
    sampler = Sampler()
    sampler.start()

    import ledinfo.domain.indicator as indicator_module
    from ledinfo.cli.commands import _config
    from ledinfo.model.period import Period
    from ledinfo.pipeline import build as build_module
    from ledinfo.pipeline.plan import plan as make_plan
    from ledinfo.plugin_host.manager import load_plugins
    from ledinfo.texts.content import plan_jobs

    labelled = indicator_module.indicator_figures_of

    def by_indicator(indicator_id, context, periods):
        before = sampler.set(f"indicator {indicator_id}")
        try:
            return labelled(indicator_id, context, periods)
        finally:
            sampler.set(before)

    indicator_module.indicator_figures_of = build_module.indicator_figures_of = by_indicator  # the series' too
    for module, name, label in ((build_module, "compute_section", "section {}"),
                                (build_module.SectionContext, "create", "context"),
                                (build_module, "team_rows", "team rows")):
        setattr(module, name, labelling(sampler, getattr(module, name), label))
    registry = load_plugins().registry
    config = _config(None, str(args.data), "da", registry)
    plan = make_plan(config, registry)
    period = Period.parse(args.period)
    times: dict[str, float] = {}

    def stage(name, work):
        sampler.set(name)
        started = cpu()
        found = work()
        times[name] = cpu() - started
        return found

    extract = stage("load", lambda: build_module.load(plan, period))
    jobs = plan_jobs(plan.config, extract.teams())
    sampler.set("compute")
    started = cpu()
    # as the build does (code before the round that added let_go: without)
    let_go = {"let_go": True} if "let_go" in inspect.signature(build_module.compute).parameters else {}
    computed = build_module.compute(plan, extract, period, **let_go)
    times["compute"] = cpu() - started
    del extract  # as the build lets go of it
    language = build_module.language_for(plan.config.language, plan.registry)

    def packs():
        for job in jobs[:args.packs]:
            sampler.set(f"pack {job.pack_id}: disclose")
            disclosed = build_module.disclose(plan, computed, job, language, period)
            sampler.set(f"pack {job.pack_id}: texts")
            build_module.write_texts(plan, computed, disclosed, language, period)

    stage("packs", packs)
    sampler.set("end")
    sampler.stop()
    maximum = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.data}: {len(jobs)} packs, max resident {maximum:.0f} MiB; CPU s: "
          + ", ".join(f"{k} {v:.1f}" for k, v in times.items()))
    print(f"{'label':<44} {'peak MiB':>9} {'rise MiB':>9}")
    for label, peak in sampler.peak.items():
        print(f"{label:<44} {peak:9.0f} {sampler.rise[label]:9.0f}")
    if args.out:
        args.out.write_text(json.dumps({"max_mib": maximum, "cpu": times, "peak": sampler.peak, "rise": sampler.rise},
                                       indent=1))
    sys.stdout.flush()
    os._exit(0)  # the interpreter's teardown measures nothing


if __name__ == "__main__":
    time.sleep(0)
    sys.exit(main())
