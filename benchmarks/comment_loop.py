"""Issue 27, goal 3: the secretary's loop — after one comment file changes, ``ledinfo build`` again (goal: only the
affected packs rebuilt, under 1.5 s at scale 1); ``--change template`` changes the directors' pack's template
instead (its summary's length), ``--change committee-template`` the committee's, ``--change committee-show`` what
the committee's template shows (one figure fewer, then again: its protection across the series decided again).

    .venv/bin/python benchmarks/comment_loop.py /tmp/s1 --repeats 3 [--change template]

A config of every default pack (committee, directors, one per team) on the extract, with a comments folder; one
build first (untimed). Then, ``--repeats`` times: the committee pack's comment file is written anew (its text
changes each round) and ``ledinfo build`` runs into the same folder — each run ``benchmarks/run.py``'s ``measured``
(a fresh process: wall, CPU of the process tree, peak tree memory, the 1-minute load before and after), and the packs
it wrote again counted from its output (a pack reused is not listed), and its CPU by stage (``--timings``).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import run

TEMPLATES = Path(__file__).parents[1] / "src" / "ledinfo" / "texts" / "templates_toml"

SHOWN = '"placements_reference", "preventive_reference"]'  # the committee's measures_mix figures' last two

CONFIG = """[municipality]
name = "Benchmark Kommune"

[source]
type = "folder"
path = "{data}"

[comments]
folder = "comments"

[[packs]]
id = "udvalg"
audience = "committee"
template = "committee.toml"

[[packs]]
id = "direktion"
audience = "director"
template = "director.toml"

[[packs]]
id = "team"
audience = "team_leader"
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extract", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--ledinfo", default=run.LEDINFO, help="the ledinfo executable (default: this one)")
    parser.add_argument("--change", choices=("comment", "template", "committee-template", "committee-show"), default="comment")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ledinfo-comment-loop-"))
    for name in ("committee", "director"):
        shutil.copyfile(TEMPLATES / f"{name}.toml", work / f"{name}.toml")
    template = work / ("committee.toml" if args.change.startswith("committee-") else "director.toml")
    original = template.read_text(encoding="utf-8")
    assert args.change != "committee-show" or SHOWN in original, "the committee template no longer shows these"
    config = work / "ledinfo.toml"
    config.write_text(CONFIG.format(data=args.extract.resolve()), encoding="utf-8")
    comment = work / "comments" / run.PERIOD / "udvalg.md"
    comment.parent.mkdir(parents=True)
    timings = work / "timings.json"
    command = [args.ledinfo, "build", "--config", str(config), "--period", run.PERIOD, "--out", str(work / "out"),
               "--timings", str(timings)]
    comment.write_text("# Forvaltningens vurdering\n\nFørste udgave.\n", encoding="utf-8")
    first = run.measured(command)
    runs = []
    for round_ in range(args.repeats):
        if args.change == "comment":
            comment.write_text(f"# Forvaltningens vurdering\n\nUdgave {round_ + 2}: tallene er gennemgået.\n",
                               encoding="utf-8")
        elif args.change == "committee-show":  # one figure fewer, then all again, …
            fewer = original.replace(SHOWN, SHOWN.replace(', "preventive_reference"', ""))
            template.write_text(fewer if round_ % 2 == 0 else original, encoding="utf-8")
        else:  # the summary's length: 5 points, then 4, 3, 4, …
            template.write_text(original.replace("summary_points = 5", f"summary_points = {4 - round_ % 2}"),
                                encoding="utf-8")
        result = run.measured(command)
        result["stages"] = json.loads(timings.read_text(encoding="utf-8"))["cpu_seconds"]
        result["rebuilt"] = len(re.findall(r"^\s+\S+\.pdf", result["output"], flags=re.MULTILINE))
        runs.append(result)
        print(f"round {round_ + 1}: wall {result['wall_s']:.2f} s, CPU {result['cpu_s']:.2f} s, peak "
              f"{result['peak_mib']:.0f} MiB, packs written again {result['rebuilt']}, load "
              f"{result['load'][0]:.1f}–{result['load'][1]:.1f}", flush=True)
        print("  CPU by stage: " + ", ".join(f"{k} {v:.2f}" for k, v in result["stages"].items()), flush=True)
    packs = len(re.findall(r"^\s+\S+\.pdf", first["output"], flags=re.MULTILINE))
    print(f"first build: {packs} packs, wall {first['wall_s']:.2f} s, CPU {first['cpu_s']:.2f} s")
    for key, unit in (("wall_s", "s"), ("cpu_s", "s"), ("peak_mib", "MiB")):
        values = sorted(r[key] for r in runs)
        print(f"after a changed {args.change}, {key}: {statistics.median(values):.2f} {unit} "
              f"({values[0]:.2f}–{values[-1]:.2f}), {args.repeats} runs")
    stages = {name for r in runs for name in r["stages"]}
    print("CPU by stage, median: " + ", ".join(f"{name} {statistics.median(r['stages'].get(name, 0) for r in runs):.2f}"
                                               for name in sorted(stages)))
    print(f"packs written again: {[r['rebuilt'] for r in runs]} of {packs}; load {run.loads(runs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
