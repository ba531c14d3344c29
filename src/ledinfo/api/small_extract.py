"""A small hand-made extract whose figures are worked out by hand (ledinfo's tests and plugin authors').

Period 2024-03 (as of 2024-03-31). Teams Børn and Unge.

Caseworkers employed on 2024-03-31: M1 (Børn, 1.0 FTE), M2 (Børn, 0.5 FTE),
M4 (Unge, 1.0 FTE). M3 (Unge) left on 2024-03-15; L1 is a team leader.

Active cases on 2024-03-31 (opened on or before, closed empty or later):
S1, S2, S10 (M1), S4 (M2), S6 (M3, who left), S7, S9 (M4) = 7.
Not active: S3 (closed 2024-02-01), S5 (opened 2024-04-02),
S8 (closed on 2024-03-31 itself).

:func:`small_tables_with_steps` adds what a team leader must act on at 2024-03-31:

- notification U1 on S1 (Børn, M1), private, received 2023-06-02 10:00, never
  assessed: the 24-hour assessment was due 2023-06-03, 302 days overdue;
- investigation I1 on S6 (Unge, M3 who left: "M3 (fratrådt)"), started 2023-10-15,
  open: due 2024-02-15, 45 days overdue;
- investigation I2 on S2 (Børn, M1), started 2023-12-03: due 2024-04-03, in 3 days;
- investigation I3 on S4 (Børn, M2), started 2023-12-20: due 2024-04-20, in 20 days;

and, with ``weights``, the case weights (SMALL_WEIGHTS): M1 holds S1 (3), S2 (1), S10 (2) =
6 at 1.0 FTE, 6.0 per FTE; M2 S4 (3) = 3 at 0.5 FTE, 6.0; M4 S7 (2), S9 (1) = 3, 3.0.
Team Børn 9 / 1.5 FTE = 6.0, Unge 3 / 1.0 = 3.0; the municipality 12 / 2.5 = 4.8
(against 6 cases / 2.5 = 2.4 unweighted).

Six-week follow-up at 2024-03-31 (window 2024-02-19 to 2024-03-31): not followed up are
S2 (M1, last contact 2024-02-18, 42 days), S10 (M1, never contacted, open 59 days),
S7 (M4, never contacted: its follow-up is after the period; open 212 days) and S9 (M4,
never contacted, opened that day: open 0 days, its first contact due 2024-05-12). S9 is
pending (domain.md): out of the share, 3 followed up of 6 (Børn 2 of 4, Unge 1 of 2), 1 pending.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

D = dt.date


def small_tables() -> dict[str, pl.DataFrame]:
    """The small extract's tables as Polars frames, by table name, before validation (the figures they give
    are worked out in this module's docstring)."""
    staff = pl.DataFrame({
        "staff_id": ["M1", "M2", "M3", "M4", "L1"],
        "team": ["Børn", "Børn", "Unge", "Unge", "Børn"],
        "role": ["raadgiver", "raadgiver", "raadgiver", "raadgiver", "teamleder"],
        "fte": [1.0, 0.5, 1.0, 1.0, 1.0],
        "start_date": [D(2020, 1, 1), D(2021, 6, 1), D(2019, 1, 1), D(2023, 1, 1), D(2018, 1, 1)],
        "end_date": [None, None, D(2024, 3, 15), None, None],
    })
    cases = pl.DataFrame({
        "case_id": ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10"],
        "child_id": [f"B{i}" for i in range(1, 11)],
        "birth_date": [D(2012, 5, 1)] * 10,
        "team": ["Børn", "Børn", "Børn", "Børn", "Børn", "Unge", "Unge", "Unge", "Unge", "Børn"],
        "caseworker_id": ["M1", "M1", "M1", "M2", "M2", "M3", "M4", "M4", "M4", "M1"],
        "target_group": ["udsatte"] * 9 + ["handicap"],
        "opened_on": [D(2023, 1, 10), D(2023, 5, 1), D(2022, 1, 1), D(2024, 1, 15), D(2024, 4, 2),
                      D(2023, 3, 1), D(2023, 9, 1), D(2023, 10, 1), D(2024, 3, 31), D(2024, 2, 1)],
        "closed_on": [None, None, D(2024, 2, 1), None, None, None, None, D(2024, 3, 31), None, None],
    })
    # Six-week window for 2024-03: 2024-02-19 to 2024-03-31 (42 days including both).
    activities = pl.DataFrame({
        "case_id": ["S1", "S2", "S4", "S10", "S6", "S7"],
        "date": [D(2024, 2, 19), D(2024, 2, 18), D(2024, 3, 31), D(2024, 3, 10), D(2024, 3, 1), D(2024, 4, 5)],
        "kind": ["opfoelgning", "boernesamtale", "netvaerksmoede", "ledelsestilsyn", "tilsynsbesoeg",
                 "opfoelgning"],
    })
    return {"staff": staff, "cases": cases, "activities": activities}


# Case weight (sagstyngde) per case; the inactive S3, S5, S8 are heavy, and must not count.
SMALL_WEIGHTS = {"S1": 3, "S2": 1, "S3": 3, "S4": 3, "S5": 3, "S6": 2, "S7": 2, "S8": 3, "S9": 1, "S10": 2}


def small_tables_with_steps(weights: bool = False) -> dict[str, pl.DataFrame]:
    """:func:`small_tables` with the steps to act on (and the case weights) described above."""
    tables = small_tables()
    if weights:
        tables["cases"] = tables["cases"].with_columns(
            pl.col("case_id").replace_strict(SMALL_WEIGHTS, return_dtype=pl.Int64).alias("weight"))
    tables["notifications"] = pl.DataFrame({
        "notification_id": ["U1"], "child_id": ["B1"], "case_id": ["S1"], "team": ["Børn"],
        "received_at": [dt.datetime(2023, 6, 2, 10, 0)], "reporter_type": ["private"],
        "acute_assessed_at": [None], "receipt_sent_on": [None],
    }, schema_overrides={"acute_assessed_at": pl.Datetime, "receipt_sent_on": pl.Date})
    tables["investigations"] = pl.DataFrame({
        "investigation_id": ["I1", "I2", "I3"], "case_id": ["S6", "S2", "S4"],
        "started_on": [D(2023, 10, 15), D(2023, 12, 3), D(2023, 12, 20)], "completed_on": [None, None, None],
    }, schema_overrides={"completed_on": pl.Date})
    return tables


def write_small_extract(folder: Path) -> None:
    """Write the tables as CSV: cases in Danish Excel's dialect, the rest as ISO CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = small_tables()
    for name, frame in tables.items():
        if name == "cases":
            danish = frame.with_columns(pl.col(c).dt.strftime("%d-%m-%Y") for c in
                                        ("birth_date", "opened_on", "closed_on"))
            (folder / "cases.csv").write_bytes(b"\xef\xbb\xbf" + danish.write_csv(separator=";").encode("utf-8"))
        else:
            frame.write_csv(folder / f"{name}.csv")
