"""Issue 27, goal 2: all of Denmark (98 municipalities, 836 packs) in one build — wall, CPU, peak memory, the CPU
of each stage, and the charts and pages of each kind of pack.

    .venv/bin/ledinfo demo-data --denmark --out /tmp/dk --period 2026-10 --format parquet
    .venv/bin/python benchmarks/denmark.py --config /tmp/dk/ledinfo.toml --out /tmp/dk-out [--json result.json]

One run is ``benchmarks/run.py``'s ``build_once`` (a fresh ``ledinfo build --timings``; CPU of the whole process
tree; tree memory sampled every 50 ms; the 1-minute load before and after). The packs are then read back: pages
from each PDF, charts shown from each pack's JSON (a chart shown in several packs counts in each), grouped by
audience (the committee's, the directors', the team leaders').
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import defaultdict
from pathlib import Path

import run


def pack_counts(out: Path) -> dict[str, dict]:
    """Per audience: packs, and median (min–max) and total of charts shown and pages per pack."""
    from pypdf import PdfReader

    by_audience: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for document in sorted(out.rglob("*.json")):
        if document.name == "manifest.json" or not document.with_suffix(".pdf").exists():
            continue
        pack = json.loads(document.read_text(encoding="utf-8"))
        charts = sum(len(section.get("charts", [])) for section in pack.get("sections", []))
        pages = len(PdfReader(document.with_suffix(".pdf")).pages)
        by_audience[pack["audience"]].append((charts, pages))
    counts = {}
    for who, packs in sorted(by_audience.items()):
        charts, pages = [c for c, _ in packs], [p for _, p in packs]
        counts[who] = {"packs": len(packs), "charts_median": statistics.median(charts), "charts_min": min(charts),
                       "charts_max": max(charts), "charts": sum(charts), "pages_median": statistics.median(pages),
                       "pages_min": min(pages), "pages_max": max(pages), "pages": sum(pages)}
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True, help="the ledinfo.toml of demo-data --denmark")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--ledinfo", default=run.LEDINFO, help="the ledinfo executable (default: this one)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    run.LEDINFO = args.ledinfo
    result = run.build_once(args.config, args.out)
    counts = pack_counts(args.out)
    t = result["timings"]
    figures = {"wall_s": result["wall_s"], "cpu_s": result["cpu_s"], "peak_mib": result["peak_mib"],
               "load": result["load"], "cpu_by_stage": t["cpu_seconds"], "counts": t.get("counts", {}),
               "per_audience": counts}
    print(f"Denmark: wall {result['wall_s']:.1f} s, CPU {result['cpu_s']:.1f} s, peak {result['peak_mib']:.0f} MiB, "
          f"load {result['load'][0]:.1f}–{result['load'][1]:.1f}")
    print("CPU by stage: " + ", ".join(f"{k} {v:.1f}" for k, v in t["cpu_seconds"].items()))
    print(f"build's counts: {t.get('counts')}")
    for who, c in counts.items():
        print(f"{who}: {c['packs']} packs, charts per pack {c['charts_median']:g} ({c['charts_min']}–{c['charts_max']}),"
              f" {c['charts']} in all; pages per pack {c['pages_median']:g} ({c['pages_min']}–{c['pages_max']}),"
              f" {c['pages']} in all")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
