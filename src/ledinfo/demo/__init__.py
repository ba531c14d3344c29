"""The demo municipality "Fjordby Kommune": a deterministic, seeded generator.

At scale 1 it resembles a municipality of about 60,000 inhabitants: five
teams, about 35 caseworkers with about 20 % turnover a year, three years of
history, about 1,500 notifications a year, about 130 placed children and 450
with preventive measures, and about 150 m DKK a year on functions 5.28.20-25
with an overspend. It has the flaws of real data: overdue investigations,
late plans, overloaded caseworkers and cases left behind by leavers — and the
flows real extracts have: cases moving from intake to the other teams,
caseworkers moving between teams (two staff rows), former caseworkers and
caseworkers of other teams on a team's cases, notifications received by
another team than the case's now. Effect and money have their shapes too: most
placements end as planned, some break down (more often in residential care and
for teenagers, and early), a breakdown is mostly followed by a new placement
and a planned end of residential care often by a step down the ladder; some
closed cases' children are notified again; about half of the young people placed on
their 18th birthday continue with support (efterværn: staying where they live or a contact
person; some decisions recorded late, some supports ended early); the functions that pay for measures
are budgeted as volume × price before the year, so the year's volume drifts
from the budget. Scale 100 is about all of Denmark. The same seed, scale and
period give the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from ledinfo.demo.activities import generate_activities
from ledinfo.demo.budget import generate_budget
from ledinfo.demo.cases import generate_cases
from ledinfo.demo.names import staff_names
from ledinfo.demo.notifications import generate_notifications
from ledinfo.demo.people import assign_caseworkers, generate_staff
from ledinfo.demo.supervision import supervision_activities
from ledinfo.demo.world import NONE, World, ids, to_dates
from ledinfo.model.config import DEFAULT_PACKS, Config, Municipality
from ledinfo.model.period import Period

MUNICIPALITY = "Fjordby Kommune"
INHABITANTS = 60_000
DEFAULT_SEED = 2026
"""The demo municipality's seed when a config gives none: the same seed, the same data (per generator version)."""
GENERATOR_VERSION = "4"  # bump when the same seed would give different data

# The demo municipality's annual goals ("årsmål"), as a committee might set them.
DEMO_GOALS = [  # the goals plugin's settings, as [[plugins.goals.goal]] tables would give them
    {"indicator": "investigation_4m", "target": 0.90, "direction": "at_least"},
    {"indicator": "investigation_2m", "target": 0.80, "direction": "at_least"},  # the seeds' local goal
    {"indicator": "six_week_followup", "target": 0.85, "direction": "at_least"},
    {"indicator": "followup_first_3m", "target": 0.85, "direction": "at_least"},
    {"indicator": "placement_visits", "target": 0.95, "direction": "at_least"},
    {"indicator": "caseload", "target": 25.0, "direction": "at_most"},
    {"indicator": "family_care_share", "target": 0.63, "direction": "at_least"},  # the national share in 2018
    {"indicator": "turnover", "target": 0.15, "direction": "at_most"},
    {"indicator": "placement_breakdown", "target": 0.10, "direction": "at_most"},  # "højst 10 % sammenbrud"
]


@dataclass(frozen=True)
class DemoSpec:
    """What the demo generator (:func:`generate`) makes: the municipality as known at ``period``'s end, from
    ``seed`` (the same seed, the same data), at ``scale`` times Fjordby's 60,000 inhabitants."""

    period: Period
    seed: int = DEFAULT_SEED
    scale: float = 1.0

    def describe(self) -> str:
        """The generated extract as a message names it."""
        return f"demo municipality (seed {self.seed}, scale {self.scale:g}, period {self.period})"

    def fingerprint(self) -> str:
        """What the generated data depend on (the generator's version, seed, scale, period), for the reuse check."""
        return f"demo generator v{GENERATOR_VERSION}: seed={self.seed} scale={self.scale:g} period={self.period}"


def demo_config(seed: int | None = None, scale: float = 1.0, language: str = "da"):
    """The configuration `ledinfo demo` uses: the demo source, the default packs, the demo's goals."""
    return Config(base_dir=Path.cwd(), source={"type": "demo", "seed": DEFAULT_SEED if seed is None else seed,
                                               "scale": scale},
                  municipality=Municipality(MUNICIPALITY, round(INHABITANTS * scale)), packs=DEFAULT_PACKS,
                  language=language,
                  plugins={"goals": {"goal": DEMO_GOALS}})


def _bools(values: np.ndarray, name: str) -> pl.Series:
    return pl.Series(name, [None if v < 0 else bool(v) for v in values], dtype=pl.Boolean)


def _datetimes(minutes: np.ndarray, name: str) -> pl.Series:
    series = pl.Series(name, np.asarray(minutes, dtype=np.int64))
    return pl.select(pl.when(series > -(1 << 39)).then(series * 60_000_000).cast(pl.Datetime("us"))).to_series() \
        .alias(name)


def _lookup(index: np.ndarray, names: np.ndarray) -> pl.Series:
    return pl.Series([names[i] if i >= 0 else None for i in index], dtype=pl.String)


def generate(spec: DemoSpec) -> dict[str, pl.DataFrame]:
    """All seven tables of the extract format for the demo municipality."""
    if spec.scale <= 0:
        raise ValueError("scale must be positive")
    w = World(spec.seed, spec.scale, spec.period)
    cases, investigations, measures = generate_cases(w)
    staff = generate_staff(w, cases)
    holder, holdings = assign_caseworkers(w, cases, staff)
    activities = generate_activities(w, cases, measures, staff, holder, holdings)
    notifications = generate_notifications(w, cases)
    budget = generate_budget(w, measures)

    case_ids = ids("S-", cases.size, 6)
    child_ids = ids("B-", cases.size + len(notifications.child) + 1, 6)
    staff_ids = ids("M-", int(staff.person.max()) + 1, 4)[staff.person]  # one id per person, not per row
    measure_ids = ids("F-", len(measures.case), 6)

    tables = {
        "cases": pl.DataFrame({
            "case_id": case_ids,
            "child_id": child_ids[: cases.size],
            "birth_date": to_dates(cases.birth, "birth_date"),
            "team": cases.team.astype(str),
            "caseworker_id": _lookup(holder, staff_ids),
            "target_group": cases.group.astype(str),
            "opened_on": to_dates(cases.opened, "opened_on"),
            "closed_on": to_dates(cases.closed, "closed_on"),
        }),
        "notifications": pl.DataFrame({
            "notification_id": ids("U-", len(notifications.child), 7),
            "child_id": child_ids[notifications.child],
            "case_id": _lookup(notifications.case, case_ids),
            "team": notifications.team.astype(str),
            "received_at": _datetimes(notifications.received_minute, "received_at"),
            "reporter_type": notifications.reporter.astype(str),
            "acute_assessed_at": _datetimes(notifications.assessed_minute, "acute_assessed_at"),
            "receipt_sent_on": to_dates(notifications.receipt_day, "receipt_sent_on"),
            "reason": notifications.reason.astype(str),
        }),
        "investigations": pl.DataFrame({
            "investigation_id": ids("BFU-", len(investigations.case), 6),
            "case_id": case_ids[investigations.case],
            "started_on": to_dates(investigations.started, "started_on"),
            "completed_on": to_dates(investigations.completed, "completed_on"),
        }),
        "measures": pl.DataFrame({
            "measure_id": measure_ids,
            "case_id": case_ids[measures.case],
            "category": measures.category.astype(str),
            "decided_on": to_dates(measures.decided, "decided_on"),
            "started_on": to_dates(measures.started, "started_on"),
            "ended_on": to_dates(measures.ended, "ended_on"),
            "plan_on": to_dates(measures.plan, "plan_on"),
            "consent": pl.Series([bool(c) if str(k).startswith("anbringelse") else None
                                  for c, k in zip(measures.consent, measures.category)], dtype=pl.Boolean),
            "monthly_cost": measures.cost,
            "provider": measures.provider.astype(str),
            "end_reason": pl.Series("end_reason", measures.reason.tolist(), dtype=pl.String),
        }),
        "activities": pl.DataFrame({
            "case_id": case_ids[activities.case],
            "date": to_dates(activities.day, "date"),
            "kind": activities.kind.astype(str),
            "measure_id": _lookup(activities.measure, measure_ids),
            "staff_id": _lookup(activities.staff, staff_ids),
            "child_talk": _bools(activities.child_talk, "child_talk"),
        }),
        "staff": pl.DataFrame({
            "staff_id": staff_ids,
            "team": staff.team.astype(str),
            "role": staff.role.astype(str),
            "fte": staff.fte,
            "start_date": to_dates(staff.start, "start_date"),
            "end_date": to_dates(staff.end, "end_date"),
            "name": staff_names(spec.seed, int(staff.person.max()) + 1)[staff.person],  # one name per person
        }),
        "budget": budget,
    }
    reviews = supervision_activities(w, tables["cases"], tables["staff"])
    tables["activities"] = (pl.concat([tables["activities"], reviews], how="diagonal_relaxed")
                            .sort("case_id", "date", "kind", maintain_order=True))
    return tables


FORMATS = ("csv", "csv-dk", "parquet", "xlsx")


def write_tables(tables: dict[str, pl.DataFrame], out: Path, fmt: str = "csv") -> list[Path]:
    """Write tables in the folder format: ISO CSV, Danish-Excel CSV, Parquet or Excel."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        if fmt == "parquet":
            path = out / f"{name}.parquet"
            frame.write_parquet(path)
        elif fmt == "xlsx":
            path = out / f"{name}.xlsx"
            frame.write_excel(path, worksheet=name)
        elif fmt == "csv-dk":
            path = out / f"{name}.csv"
            _write_danish_csv(frame, path)
        else:
            path = out / f"{name}.csv"
            frame.write_csv(path, datetime_format="%Y-%m-%dT%H:%M:%S")
        written.append(path)
    return written


def _write_danish_csv(frame: pl.DataFrame, path: Path) -> None:
    """What Danish Excel writes: ';', decimal comma, DD-MM-YYYY, UTF-8 with BOM."""
    converted = frame.with_columns(
        [pl.col(c).dt.strftime("%d-%m-%Y") for c, t in frame.schema.items() if t == pl.Date]
        + [pl.col(c).dt.strftime("%d-%m-%Y %H:%M") for c, t in frame.schema.items() if isinstance(t, pl.Datetime)]
        + [pl.col(c).cast(pl.String).str.replace(".", ",", literal=True) for c, t in frame.schema.items()
           if t == pl.Float64]
    )
    text = converted.write_csv(separator=";")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


__all__ = ["DEFAULT_SEED", "DemoSpec", "FORMATS", "INHABITANTS", "MUNICIPALITY", "NONE", "generate", "write_tables"]
