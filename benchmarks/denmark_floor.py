"""Issue 27, goal 2: the libraries' floor for all of Denmark — what vl-convert and ReportLab alone need for the charts
and pages of a national build, on one core (CPU seconds), beside the build itself (``benchmarks/denmark.py``).

    .venv/bin/python benchmarks/denmark_floor.py --config /tmp/dk/ledinfo.toml [--json floor.json]

The same measure as ``benchmarks/run.py``'s floor for one municipality (``benchmarks/floor.py``, one script for both),
municipality by municipality in one fresh process on one core: the interpreter and the import of Polars, ReportLab and
vl-convert once; vl-convert's first conversion once; then for each municipality its packs' contents prepared as a
build prepares them (not counted), vl-convert laying out its unique charts (Vega-Lite to scenegraph, each compiled
alone, as the floor of one municipality does) and ReportLab building its pages (``document.build`` of every pack).
Nothing of ledinfo's own work is counted. Divided by the cores, it is the least wall time any build of these charts
and pages can take: under 150 s on 2 cores needs the floor under 300 CPU-s.

Takes about as long as a one-core national build (15–20 minutes); progress on stderr.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, required=True, help="the ledinfo.toml of demo-data --denmark")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    floor = run.floor_in_fresh_process(["--config", str(args.config)], stderr=None)  # progress shown
    print(f"Denmark's library floor (one core, CPU): {floor['total_s']:.1f} s = import {floor['import_s']:.2f} + "
          f"engine {floor['engine_s']:.2f} + {floor['charts']} charts {floor['chart_s']:.1f} + {floor['pages']} pages "
          f"{floor['page_s']:.1f}; {floor['packs']} packs; load {floor['load'][0]:.1f}–{floor['load'][1]:.1f}")
    print(f"on {run.CORES} cores at best: {floor['total_s'] / run.CORES:.1f} s wall")
    if args.json:
        args.json.write_text(json.dumps(floor, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
