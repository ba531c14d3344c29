"""A placement decided after the month it started in: real extracts have them (an acute placement's decision is
often recorded weeks later). A month's figure is what was known at its end, and a placement is known from its
decision, so it counts in the month its decision was recorded (``placement_counted_on``): each placement in exactly
one month, every month's figure the same in every later pack, and the months shown beside the 12-month total add up
to it. Before, the total counted it in its start month, which had been published without it: the months added up to
one less than their total, and the committee's pack was refused ("the committee's protection failed its audit")."""

import datetime as dt
import json

import polars as pl
import pytest

from conftest import run_cli


def _config(folder, data, packs: dict[str, str]):
    config = folder / "ledinfo.toml"
    config.write_text(f'[municipality]\nname = "Småby Kommune"\n[source]\ntype = "folder"\npath = "{data}"\n'
                      + "".join(f'\n[[packs]]\nid = "{pack}"\naudience = "{audience}"\n'
                                for pack, audience in packs.items()), encoding="utf-8")
    return config


def _new_placements(folder, data, packs) -> dict:
    """The directors' pack's new placements, by month of its trend, and its 12-month total."""
    out = folder / "out"
    built = run_cli("build", "--config", str(_config(folder, data, packs)), "--period", "2026-10", "--out", str(out),
                    "--jobs", "1")
    assert built.returncode == 0, built.stdout + built.stderr  # the committee's pack too: no audit refused
    assert all((out / f"{pack}.pdf").exists() for pack in packs)
    pack = json.loads((out / "direktion.json").read_text(encoding="utf-8"))
    shown = next(s for s in pack["sections"] if s["id"] == "measures_mix")["indicators"]
    return {**{t["period"]: t["value"] for t in shown["new_placements"]["trend"]},
            "12m": shown["new_placements_12m"]["value"]}


# whole packs of a generated municipality, built twice: the slow tier (conftest). The fast tier keeps the figures of
# late decisions, month by month against the one pass (test_indicator_batches).
@pytest.mark.slow
def test_a_placement_decided_after_its_start_month_counts_once_in_the_month_it_was_decided(tmp_path):
    data = tmp_path / "data"
    made = run_cli("demo-data", "--out", str(data), "--scale", "0.1", "--seed", "1", "--period", "2026-10",
                   "--format", "csv")
    assert made.returncode == 0, made.stderr
    (tmp_path / "before").mkdir()
    before = _new_placements(tmp_path / "before", data, {"direktion": "director"})
    measures = pl.read_csv(data / "measures.csv", try_parse_dates=True)
    # a placement started and decided in one month of the last 12 but the last, still running a month later
    late = (measures.filter(pl.col("category").str.starts_with("anbringelse")
                            & pl.col("started_on").is_between(dt.date(2025, 11, 1), dt.date(2026, 8, 31))
                            & (pl.col("decided_on").dt.month() == pl.col("started_on").dt.month())
                            & (pl.col("decided_on") <= pl.col("started_on"))
                            & (pl.col("ended_on").is_null() | (pl.col("ended_on") > dt.date(2026, 10, 31))))
            .sort("measure_id").row(0, named=True))
    month = late["started_on"].strftime("%Y-%m")
    decided = (late["started_on"].replace(day=1) + dt.timedelta(days=40)).replace(day=10)  # the next month's 10th
    measures.with_columns(pl.when(pl.col("measure_id") == late["measure_id"]).then(pl.lit(decided))
                          .otherwise(pl.col("decided_on")).alias("decided_on")).write_csv(data / "measures.csv")
    (tmp_path / "after").mkdir()

    after = _new_placements(tmp_path / "after", data, {"udvalg": "committee", "direktion": "director"})

    following = decided.strftime("%Y-%m")
    assert after[month] == before[month] - 1 and after[following] == before[following] + 1, (month, before, after)
    assert {m: v for m, v in after.items() if m not in (month, following)} == \
        {m: v for m, v in before.items() if m not in (month, following)}  # the 12-month total the same
    last_twelve = [m for m in after if m != "12m" and m >= "2025-11"]
    assert len(last_twelve) == 12 and after["12m"] == sum(after[m] for m in last_twelve)


def test_a_late_decided_placement_is_counted_once_in_its_decision_month_by_the_trends_function():
    """The same rule over a frame, in the fast tier: a placement started in February and decided on 10 March counts
    in March only, one started and decided in February in February, and a preventive measure in no month."""
    from builders import D, case, extract, measure
    from ledinfo.domain.indicators.activity import new_placements_by_month
    from ledinfo.model.period import Period

    made = extract(cases=[case("S1"), case("S2"), case("S3")],
                   measures=[measure("P1", "S1", "anbringelse_plejefamilie", started=D(2024, 2, 5)),
                             measure("P2", "S2", "anbringelse_opholdssted", started=D(2024, 2, 20),
                                     decided=D(2024, 3, 10)),
                             measure("F1", "S3", "forebyggende", started=D(2024, 2, 1))])
    months = [Period(2024, month) for month in (1, 2, 3, 4)]
    counts = new_placements_by_month(made["measures"], made["cases"], months).filter(pl.col("team") == "A")
    assert dict(zip(counts["month"], counts["count"])) == {"2024-01": 0, "2024-02": 1, "2024-03": 1, "2024-04": 0}
