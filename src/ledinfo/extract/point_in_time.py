"""What was known at a date, and the span of time an extract covers (domain.md, "Point in time").

A figure for a period is what was known at the period's end: an event dated after
it — an assessment, a receipt, a completed investigation, a follow-up, a closing
date — has not happened yet. :func:`known_at` cuts an extract to that state, so a
month rebuilt a year later gives the pack that was sent. The only snapshot fields
are a case's current ``team`` and ``caseworker_id``. What is recorded with a later
event (a measure's end reason, with its end) is unknown until that event.

:func:`data_span` is the first event an extract records and the last day it covers (the
day before it was taken, else its last event); a period outside it has no honest figures
(:func:`check_period`).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, replace

import polars as pl

from ledinfo.errors import LedinfoError
from ledinfo.extract.metadata import KEY, METADATA
from ledinfo.extract.model import Extract
from ledinfo.model.period import Period, last_working_day

# Per table: the date a row comes into existence (rows after the cut are dropped; the
# second name stands in where the first is empty), and the events recorded on it later
# (emptied when after the cut). Columns a table lacks are skipped.
EXISTS_FROM = {
    "cases": ("opened_on", None),
    "notifications": ("received_at", None),
    "investigations": ("started_on", None),
    "measures": ("decided_on", "started_on"),
    "activities": ("date", None),
    "staff": ("start_date", None),
}
LATER_EVENTS = {
    "cases": ("closed_on",),
    "notifications": ("acute_assessed_at", "receipt_sent_on"),
    "investigations": ("completed_on",),
    "measures": ("ended_on", "plan_on"),
    "staff": ("end_date",),
}
# What is recorded with a later event, and so is unknown until it: a measure's end reason with its end.
WITH_EVENT = {
    "measures": {"end_reason": "ended_on"},
}
# The events that say when an extract was taken: new rows, never planned dates.
SPAN_EVENTS = {table: columns[0] for table, columns in EXISTS_FROM.items() if table != "staff"}


class PeriodOutsideData(LedinfoError):
    """The period asked for lies outside the span the extract covers (exit 2)."""


def _day(frame: pl.DataFrame, column: str) -> pl.Expr:
    expression = pl.col(column)
    return expression.dt.date() if isinstance(frame.schema[column], pl.Datetime) else expression


def _exists(frame: pl.DataFrame, name: str) -> pl.Expr | None:
    """The day a row of ``name`` comes into existence (None: the table has no such column)."""
    first, fallback = EXISTS_FROM.get(name, (None, None))
    if first not in frame.columns:
        return None
    exists = _day(frame, first)
    if fallback in frame.columns:
        exists = pl.coalesce(exists, _day(frame, fallback))
    return exists


def _later_events_emptied(name: str, frame: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    later = [(c, c) for c in LATER_EVENTS.get(name, ()) if c in frame.columns]
    later += [(c, event) for c, event in WITH_EVENT.get(name, {}).items() if c in frame.columns and event in frame.columns]
    # all in one with_columns: each detail is judged by its event's date before the event is emptied
    return frame.with_columns(pl.when(_day(frame, event) > as_of).then(None).otherwise(pl.col(c)).alias(c)
                              for c, event in later) if later else frame


def _cut(name: str, frame: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    if name == "budget":
        return frame.filter(pl.col("year") * 12 + pl.col("month") <= as_of.year * 12 + as_of.month)
    exists = _exists(frame, name)
    if exists is not None:
        frame = frame.filter(exists.is_null() | (exists <= as_of))
    return _later_events_emptied(name, frame, as_of)


def known_at(extract: Extract, as_of: dt.date) -> Extract:
    """``extract`` as it stood at the end of ``as_of``: later rows dropped, later events not yet happened.

    Rows on a case opened later go with it (real data has activities dated before
    their case was opened); a notification keeps its row but not yet its case.
    """
    tables = {name: _cut(name, frame, as_of) for name, frame in extract.tables.items()}
    if "cases" in tables:
        known = tables["cases"]["case_id"].implode()
        for name in ("investigations", "measures", "activities"):
            if name in tables:
                tables[name] = tables[name].filter(pl.col("case_id").is_in(known))
        if "notifications" in tables:
            tables["notifications"] = tables["notifications"].with_columns(
                pl.when(pl.col("case_id").is_in(known)).then(pl.col("case_id")).alias("case_id"))
    return replace(extract, tables=tables)


# What a timeline's kept cuts may hold of their own (Timeline.at): every month-end of a municipality of Copenhagen's
# size (~1 MB each), about 8 of a 5-million-row extract's (~16 MB each)
CUTS_KEPT = 128 * 2**20
CHILD_TABLES = ("investigations", "measures", "activities")  # rows that exist only with their case
_NEVER = dt.date.max  # the known-from day of a row on a case the extract does not have


class Timeline:
    """An extract arranged so that what was known at any day is the first rows of each table.

    Each table is sorted once by the day its rows come into existence (for rows on a
    case, the later of their own day and their case's; rows existing always first, in
    their order). Then :meth:`at` cuts it to a day with a slice, which shares the
    table's memory, and copies only the columns of later events it empties. Cutting
    with :func:`known_at` filters every table, a copy of it: a trend's twelve months
    held twelve copies of the extract (Copenhagen's build peaked 380 MiB above its data).
    ``timeline.at(day)`` holds the same rows as ``known_at(extract, day)``, in this
    order; every cut of a build comes from the one timeline, so every month's figures
    are computed over rows in the same order.
    """

    def __init__(self, extract: Extract, let_go: bool = False) -> None:
        """``let_go``: take each table out of ``extract`` as soon as its sorted copy is made (the caller gives the
        extract up: its ``tables`` are left empty), so the extract as read and its arranged copy are never held
        whole side by side — a large extract's tables are hundreds of MiB (issue 27)."""
        # what the cuts carry beside their tables; not the tables, which the sorted ones replace: a build can let
        # go of the extract as read once its timeline is made (a large extract: hundreds of MiB, issue 27)
        self.extract = replace(extract, tables={})
        self.tables: dict[str, pl.DataFrame] = {}
        self.known_from: dict[str, pl.Series] = {}  # the sorted known-from days of each cut table, nulls first
        self.nulls: dict[str, int] = {}
        self.case_known_from: pl.Series | None = None  # per notification row: when its case became known
        self._cuts: OrderedDict[dt.date, tuple[Extract, int]] = OrderedDict()  # kept cuts, the latest used last
        self._held = 0  # bytes of their own the kept cuts hold
        cases = extract.tables.get("cases")
        case_days = None
        if cases is not None:
            exists = _exists(cases, "cases")
            case_days = (cases.select(pl.col("case_id"), (exists if exists is not None else pl.lit(None, pl.Date))
                                      .alias("case_day"))
                         .group_by("case_id").agg(pl.when(pl.col("case_day").is_null().any()).then(None)
                                                  .otherwise(pl.col("case_day").min()).alias("case_day"))
                         .filter(pl.col("case_id").is_not_null()))
        del cases  # with let_go, each table goes once arranged: the cases' too
        for name in list(extract.tables):
            frame = extract.tables.pop(name) if let_go else extract.tables[name]
            exists = _exists(frame, name)
            on_cases = case_days is not None and "case_id" in frame.columns and name in (*CHILD_TABLES, "notifications")
            if not on_cases and (name == "budget" or exists is None):
                self.tables[name] = frame  # cut by a filter (budget), or only its later events emptied
                continue
            day = exists if exists is not None else pl.lit(None, pl.Date)
            # the day each row became known, worked out beside the few columns it needs, then the rows put in its
            # order one column at a time: the table and a sorted copy of it are never both held whole
            keyed = frame.select(*(["case_id"] if on_cases else []), day.alias("\x00own"))
            day = pl.col("\x00own")
            if on_cases:  # the case's day beside each row; "\x00case" marks a case the extract has
                keyed = keyed.join(case_days.with_columns(pl.lit(True).alias("\x00case")), on="case_id",
                                   how="left", maintain_order="left")
            if on_cases and name in CHILD_TABLES:  # known when both the row and its case are; never, on a case it lacks
                day = pl.when(pl.col("\x00case").is_null()).then(pl.lit(_NEVER)).otherwise(
                    pl.max_horizontal(day, pl.col("case_day")))
            ordered = (keyed.select(day.alias("\x00day"), pl.int_range(pl.len(), dtype=pl.UInt32).alias("\x00row"))
                       .sort("\x00day", nulls_last=False, maintain_order=True))
            order = ordered["\x00row"]
            if on_cases and name == "notifications":
                # the case's day, else always (no case) or never (a case the extract lacks)
                self.case_known_from = keyed.select(
                    pl.when(pl.col("case_id").is_null()).then(pl.lit(dt.date.min))
                    .when(pl.col("\x00case").is_null()).then(pl.lit(_NEVER))
                    .otherwise(pl.col("case_day").fill_null(dt.date.min)).alias("case_day"))["case_day"].gather(order)
            del keyed
            days = ordered["\x00day"]
            self.nulls[name] = days.null_count()
            self.known_from[name] = days.slice(self.nulls[name])
            in_order = []
            for column in frame.columns:  # each column as read let go once its copy is made (with let_go)
                in_order.append(frame.get_column(column).gather(order))
                frame = frame.drop(column)
            self.tables[name] = pl.DataFrame(in_order)
            del frame, in_order, ordered, order

    def at(self, as_of: dt.date) -> Extract:
        """The extract as it stood at the end of ``as_of``: the rows of :func:`known_at`, as slices.

        The cuts asked for are kept, the least recently used let go first, up to :data:`CUTS_KEPT` bytes of their own
        (the later events emptied): a build asks for each of ~35 month-ends hundreds of times, but a large
        extract's cut holds ~16 MB of its own, and all of them were half a GiB (issue 27). A small municipality's
        cuts are all kept; a cut made again is the same."""
        kept = self._cuts.get(as_of)
        if kept is not None:
            self._cuts.move_to_end(as_of)
            return kept[0]
        cut, own = self._cut(as_of)
        while self._cuts and self._held + own > CUTS_KEPT:
            self._held -= self._cuts.popitem(last=False)[1][1]
        if own <= CUTS_KEPT:
            self._cuts[as_of] = (cut, own)
            self._held += own
        return cut

    def _cut(self, as_of: dt.date) -> tuple[Extract, int]:
        """A cut, and the bytes of the columns it holds of its own (the rest are slices of the timeline's)."""
        tables, own = {}, 0
        for name, frame in self.tables.items():
            if name not in self.known_from:
                tables[name] = _cut(name, frame, as_of)
                own += tables[name].estimated_size()
                continue
            rows = self.nulls[name] + self.known_from[name].search_sorted(as_of, side="right")
            frame = frame.slice(0, rows)
            changed = [c for c in (*LATER_EVENTS.get(name, ()), *WITH_EVENT.get(name, {})) if c in frame.columns]
            if name == "notifications" and self.case_known_from is not None:
                known = self.case_known_from.slice(0, rows) <= as_of
                frame = frame.with_columns(pl.when(known).then(pl.col("case_id")).alias("case_id"))
                changed.append("case_id")
            tables[name] = _later_events_emptied(name, frame, as_of)
            own += tables[name].select(changed).estimated_size() if changed else 0
        return replace(self.extract, tables=tables), own


@dataclass(frozen=True)
class DataSpan:
    """The days the data cover: from the first event to the day before the extract was taken, or, when the
    source does not say when that was (:mod:`ledinfo.extract.metadata`), to the last event."""

    first: dt.date
    last: dt.date
    extracted_on: dt.date | None = None

    def __str__(self) -> str:
        taken = f", extracted on {self.extracted_on.isoformat()}" if self.extracted_on else ""
        return f"{self.first.isoformat()} to {self.last.isoformat()}{taken}"


def _events(extract: Extract) -> list[tuple[str, dt.date, dt.date]]:
    """(table, first day, last day) of the events that say when an extract was taken, per table."""
    found = []
    for table, column in SPAN_EVENTS.items():
        frame = extract.tables.get(table)
        if frame is None or column not in frame.columns or frame.height == 0:
            continue
        days = frame.select(_day(frame, column).alias("day"))["day"].drop_nulls()
        if days.len():
            found.append((table, days.min(), days.max()))
    return found


def data_span(extract: Extract) -> DataSpan | None:
    """The first event the extract records and the last day it covers (None for an extract without dated
    events): the day before it was taken where its source says when, else its last event."""
    events = _events(extract)
    if not events:
        return None
    first, last = min(e[1] for e in events), max(e[2] for e in events)
    if extract.extracted_on is None:
        return DataSpan(first, last)
    return DataSpan(first, extract.extracted_on - dt.timedelta(days=1), extract.extracted_on)


def events_after_extraction(extract: Extract) -> list[str]:
    """The tables with events dated after the day the extract was taken ("activities (to 2026-11-05)"): a
    planned meeting, or a mistyped extraction date. The stated day still ends the data."""
    if extract.extracted_on is None:
        return []
    return [f"{table} (to {last.isoformat()})" for table, _, last in _events(extract) if last > extract.extracted_on]


def _covers_month_end(span: DataSpan, period: Period) -> bool:
    """Whether the data reach the end of the period's last month: its last day, or its last working day, as
    a month often ends on a weekend or a holiday with nothing recorded (last event on Saturday 30 March 2024:
    March's last working day was Wednesday the 27th)."""
    return span.last >= period.end or span.last >= last_working_day(period.year, period.month)


def period_problem(period: Period, span: DataSpan | None, today: dt.date) -> str | None:
    """Why ``period`` has no honest figures in data covering ``span``, or None if it has."""
    if period.end >= today:
        covered = f"; the data cover {span}" if span else ""
        return f"the period {period} has not ended yet (today is {today.isoformat()}{covered})"
    if span is None:
        return None
    if period.end < span.first:
        return f"the period {period} lies before the data, which covers {span}"
    if (period.start.year, period.start.month) < (span.first.year, span.first.month):
        # a quarter or a year to date whose first months the data do not reach: its figures would be a part
        return f"the period {period} begins before the data, which covers {span}"
    if period.start > span.last:
        return f"the period {period} lies after the data, which covers {span}"
    if not _covers_month_end(span, period):
        said = "" if span.extracted_on else (
            f"; if the extract was taken after {period.end.isoformat()}, say when: {KEY} in its {METADATA} "
            "or under [source] (docs/extract-format.md)")
        return (f"the data ends on {span.last.isoformat()}, before the period {period} ends (the data covers "
                f"{span}{said})")
    return None


def check_period(period: Period, extract: Extract, today: dt.date | None = None) -> None:
    """Refuse a period outside the data's span, or one still running (:class:`PeriodOutsideData`)."""
    problem = period_problem(period, data_span(extract), today or dt.date.today())
    if problem:
        raise PeriodOutsideData(f"{problem}. Choose a period within the data (--period YYYY-MM, YYYY-Qn or YYYY-MM-ytd), or add "
                                "--allow-outside-data to build it anyway (the packs then say so on their cover).")
