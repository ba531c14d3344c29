"""Issue 27, goal 4: what the committee's protection across the series of its packs costs (CPU seconds).

    .venv/bin/python benchmarks/protection_cost.py /tmp/s1                # one extract (a demo-data folder)
    .venv/bin/python benchmarks/protection_cost.py /tmp/dk/*/ --repeats 1  # every municipality of --denmark

For each extract, in this one process (one core, ``POLARS_MAX_THREADS`` as the caller sets it): load and compute as
a build does, then for each committee pack, timed with ``time.process_time``:

- ``series``: :func:`ledinfo.pipeline.build.committee_series`, the figures of every month, quarter and year to
  date the pack's numbers are made of (most are the trends' own, computed once per build);
- ``protect``: :func:`ledinfo.disclosure.disclose.disclose_pack` with that series (the decision of every number
  over the series, the exact audit among it), less the same call with no series (the pack decided alone): what
  deciding over the series adds;
- ``audit``: of ``protect``, the time inside the exact audit (:func:`ledinfo.disclosure.audit.audit`).

The protection's cost is ``series + protect`` (the audit's solver import is left out: a build makes it in a thread
while it loads). Divide it by a whole build's CPU (``benchmarks/run.py``, ``benchmarks/denmark.py``) for the share.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path


def measure(folder: Path, period_text: str) -> dict:
    from ledinfo.config.file import folder_config
    from ledinfo.disclosure import audit as audit_module
    from ledinfo.disclosure.disclose import disclose_pack
    from ledinfo.disclosure.view import View
    from ledinfo.model.audiences import audience
    from ledinfo.model.period import Period
    from ledinfo.pipeline.build import committee_series, compute, language_for, load, pack_results
    from ledinfo.pipeline.plan import plan
    from ledinfo.plugin_host.manager import load_plugins
    from ledinfo.texts.content import plan_jobs

    registry = load_plugins().registry
    config = folder_config(folder)
    period = Period.parse(period_text)
    planned = plan(config, registry)
    started = time.process_time()
    extract = load(planned, period)
    computed = compute(planned, extract, period)
    load_compute = time.process_time() - started
    language = language_for("da", registry)
    inside = [0.0]
    real_audit = audit_module.audit

    def timed_audit(*args, **kwargs):
        begun = time.process_time()
        try:
            return real_audit(*args, **kwargs)
        finally:
            inside[0] += time.process_time() - begun

    audit_module.audit = timed_audit
    figures = {"series_s": 0.0, "protect_s": 0.0, "alone_s": 0.0, "audit_s": 0.0, "packs": 0,
               "load_compute_s": load_compute}
    try:
        for job in plan_jobs(config, extract.teams()):
            if not audience(job.audience).protected:
                continue
            view = View(job.audience, language, job.team, config.threshold, config.municipality, period, None,
                        computed.outside, config.verdicts)
            shown = pack_results(planned, computed, job.spec.id, period)
            begun = time.process_time()
            series = committee_series(computed.context, shown, period, planned.templates[job.spec.id])
            figures["series_s"] += time.process_time() - begun
            inside[0] = 0.0
            begun = time.process_time()
            disclose_pack(shown, view, series)
            figures["protect_s"] += time.process_time() - begun
            figures["audit_s"] += inside[0]
            begun = time.process_time()
            disclose_pack(shown, view, None)
            figures["alone_s"] += time.process_time() - begun
            figures["packs"] += 1
    finally:
        audit_module.audit = real_audit
    figures["cost_s"] = figures["series_s"] + figures["protect_s"] - figures["alone_s"]
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extracts", nargs="+", type=Path, help="demo-data folders (one municipality each)")
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--repeats", type=int, default=3, help="runs per extract (in this process)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    from ledinfo.disclosure.audit import audit  # noqa: F401  the solver's import, outside every timing

    runs: list[dict] = []
    for repeat in range(args.repeats):
        total = {"series_s": 0.0, "protect_s": 0.0, "alone_s": 0.0, "audit_s": 0.0, "cost_s": 0.0, "packs": 0,
                 "load_compute_s": 0.0}
        for folder in args.extracts:
            for key, value in measure(folder, args.period).items():
                total[key] += value
        runs.append(total)
        print(f"run {repeat + 1}: " + ", ".join(f"{k} {v:.2f}" for k, v in total.items()), flush=True)
    print("median (min–max) of", len(runs), "runs:")
    for key in ("series_s", "protect_s", "alone_s", "audit_s", "cost_s", "load_compute_s"):
        values = sorted(r[key] for r in runs)
        print(f"  {key}: {statistics.median(values):.2f} ({values[0]:.2f}–{values[-1]:.2f})")
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
