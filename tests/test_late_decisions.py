"""A placement decided after the month it started in: real extracts have them (an acute placement's decision is
often recorded weeks later). A month's figure is what was known at its end, and a placement is known from its
decision, so it counts in the month its decision was recorded (``placement_counted_on``): each placement in exactly
one month, every month's figure the same in every later pack, and the months shown beside the 12-month total add up
to it. Before, the total counted it in its start month, which had been published without it: the months added up to
one less than their total, and the committee's pack was refused ("the committee's protection failed its audit")."""

import datetime as dt
import json

import polars as pl

from conftest import run_cli

LATE = "F-000167"  # started 13 March 2026 in the scale-0.1 demo of seed 1; its decision moved to 10 April


def test_a_placement_decided_after_its_start_month_counts_once_in_the_month_it_was_decided(tmp_path):
    data = tmp_path / "data"
    made = run_cli("demo-data", "--out", str(data), "--scale", "0.1", "--seed", "1", "--period", "2026-10",
                   "--format", "csv")
    assert made.returncode == 0, made.stderr
    measures = pl.read_csv(data / "measures.csv", try_parse_dates=True)
    late = measures.filter(pl.col("measure_id") == LATE).row(0, named=True)
    assert late["category"].startswith("anbringelse") and late["started_on"] == dt.date(2026, 3, 13), late
    measures.with_columns(pl.when(pl.col("measure_id") == LATE).then(pl.lit(dt.date(2026, 4, 10)))
                          .otherwise(pl.col("decided_on")).alias("decided_on")).write_csv(data / "measures.csv")
    config = tmp_path / "ledinfo.toml"
    config.write_text(f'[municipality]\nname = "Småby Kommune"\n[source]\ntype = "folder"\npath = "{data}"\n\n'
                      '[[packs]]\nid = "udvalg"\naudience = "committee"\n\n'
                      '[[packs]]\nid = "direktion"\naudience = "director"\n', encoding="utf-8")

    built = run_cli("build", "--config", str(config), "--period", "2026-10", "--out", str(tmp_path / "out"),
                    "--jobs", "1")

    assert built.returncode == 0, built.stdout + built.stderr  # the committee's pack too: no audit refused
    assert (tmp_path / "out" / "udvalg.pdf").exists()
    pack = json.loads((tmp_path / "out" / "direktion.json").read_text(encoding="utf-8"))
    shown = next(s for s in pack["sections"] if s["id"] == "measures_mix")["indicators"]
    months = {t["period"]: t["value"] for t in shown["new_placements"]["trend"]}
    assert months["2026-03"] == 0 and months["2026-04"] == 2  # counted in April, beside April's own start
    last_twelve = [m for m in months if m >= "2025-11"]
    assert len(last_twelve) == 12 and shown["new_placements_12m"]["value"] == sum(months[m] for m in last_twelve)
