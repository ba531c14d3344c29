"""Legal deadlines: each rule of the catalogue judged on the extract.

For a period P, :func:`judge` returns one row per item the rule judges in P —
its team, case, caseworker, due date and status:

- ``met``: done by the deadline ("within" includes the deadline day);
- ``breach``: done late, or not done by a deadline on or before the end of P;
- ``pending``: not done yet, with a deadline after the end of P — left out of
  the share and counted separately (domain.md).

:func:`open_steps` lists what a team leader must act on at a date: steps past
their deadline and steps due in the next days. Each event is judged by the
regime in force on its date (Serviceloven before 2024, Barnets Lov after).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ledinfo.domain.rules import Rule
from ledinfo.extract.model import Extract
from ledinfo.model.period import Period, add_months, danish_holidays, last_working_day  # noqa: F401 - re-exported

MET, BREACH, PENDING = "met", "breach", "pending"
ITEM_COLUMNS = {"team": pl.String, "case_id": pl.String, "caseworker_id": pl.String, "item_id": pl.String,
                "law": pl.String, "due": pl.Date, "done": pl.Date, "status": pl.String}
REQUIRES = {
    "notification_assessment": ("notifications",),
    "receipt": ("notifications",),
    "investigation": ("investigations", "cases"),
    "plan": ("measures", "cases"),
    "first_followup": ("measures", "activities", "cases"),
    "recurring_followup": ("measures", "activities", "cases"),
    "visits": ("measures", "activities", "cases"),
    "youth_decision": ("measures", "activities", "cases"),
}


def add_workdays(day: pl.Expr, count: int, years: tuple[int, int]) -> pl.Expr:
    """``count`` working days (Monday–Friday, Danish public holidays excluded) after ``day``.

    A day that is no working day counts from the working day before it, so a
    Saturday plus 1 is the Monday.
    """
    return day.dt.add_business_days(count, holidays=list(danish_holidays(*years)), roll="backward")


def _regime_value(rule: Rule, event: pl.Expr, value) -> pl.Expr:
    """``value(regime)`` for the regime in force on ``event``'s date."""
    expression = None
    for regime in rule.regimes:
        in_force = event.is_between(regime.start, regime.end)
        expression = (pl.when(in_force).then(value(regime)) if expression is None
                      else expression.when(in_force).then(value(regime)))
    return expression.otherwise(value(rule.regimes[-1]))


def _due(rule: Rule, event: pl.Expr, base: pl.Expr, years: tuple[int, int]) -> pl.Expr:
    def value(regime):
        deadline = regime.deadline
        if deadline.hours is not None:
            return base + pl.duration(hours=deadline.hours)
        if deadline.workdays is not None:
            return add_workdays(base, deadline.workdays, years)
        if deadline.months is not None:
            return base.dt.offset_by(f"{deadline.months}mo")
        return base + pl.duration(days=deadline.days or 0)

    return _regime_value(rule, event, value)


def _law(rule: Rule, event: pl.Expr) -> pl.Expr:
    return _regime_value(rule, event, lambda regime: pl.lit(regime.law))


def _in(column: str, period: Period) -> pl.Expr:
    return pl.col(column).is_between(period.start, period.end)


def _years(period: Period) -> tuple[int, int]:
    return (period.year - 4, period.year + 1)


def _case_info(extract: Extract) -> pl.DataFrame:
    return extract["cases"].select("case_id", pl.col("team").alias("case_team"), "caseworker_id", "birth_date")


def _finish(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select([pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c)
                         for c, t in ITEM_COLUMNS.items()])


def _status(done: pl.Expr, due: pl.Expr, after_period) -> pl.Expr:
    return (pl.when(done.is_not_null() & (done <= due)).then(pl.lit(MET))
            .when(done.is_null() & (due > after_period)).then(pl.lit(PENDING))
            .otherwise(pl.lit(BREACH)))


# --- one judge per kind of rule --------------------------------------------------------

def _notification_assessment(extract: Extract, period: Period, rule: Rule, standards) -> pl.DataFrame:
    notes = extract["notifications"].filter(pl.col("received_at").dt.date().is_between(period.start, period.end))
    end = dt.datetime.combine(period.end, dt.time.max)
    due = _due(rule, pl.col("received_at").dt.date(), pl.col("received_at"), _years(period))
    frame = notes.with_columns(due.alias("due_at"), _law(rule, pl.col("received_at").dt.date()).alias("law"))
    frame = frame.with_columns(_status(pl.col("acute_assessed_at"), pl.col("due_at"), end).alias("status"))
    frame = _with_caseworker(extract, frame)
    return _finish(frame.with_columns(pl.col("notification_id").alias("item_id"), pl.col("due_at").dt.date().alias("due"),
                                      pl.col("acute_assessed_at").dt.date().alias("done")))


def _receipt(extract: Extract, period: Period, rule: Rule, standards) -> pl.DataFrame:
    notes = extract["notifications"].filter(
        pl.col("received_at").dt.date().is_between(period.start, period.end) & (pl.col("reporter_type") == "professional"))
    received = pl.col("received_at").dt.date()
    frame = notes.with_columns(_due(rule, received, received, _years(period)).alias("due"),
                               _law(rule, received).alias("law"))
    frame = frame.with_columns(_status(pl.col("receipt_sent_on"), pl.col("due"), period.end).alias("status"))
    frame = _with_caseworker(extract, frame)
    return _finish(frame.with_columns(pl.col("notification_id").alias("item_id"), pl.col("receipt_sent_on").alias("done")))


def _with_caseworker(extract: Extract, notes: pl.DataFrame) -> pl.DataFrame:
    if "cases" not in extract.tables:
        return notes.with_columns(pl.lit(None, pl.String).alias("caseworker_id"))
    return notes.join(extract["cases"].select("case_id", "caseworker_id"), on="case_id", how="left")


def _investigation(extract: Extract, period: Period, rule: Rule, standards) -> pl.DataFrame:
    frame = _investigations_with_due(extract, rule, period).filter(_in("completed_on", period))
    frame = frame.with_columns(_status(pl.col("completed_on"), pl.col("due"), period.end).alias("status"))
    return _finish(frame.with_columns(pl.col("investigation_id").alias("item_id"), pl.col("completed_on").alias("done")))


def _investigations_with_due(extract: Extract, rule: Rule, period: Period) -> pl.DataFrame:
    started = pl.col("started_on")
    return (extract["investigations"]
            .with_columns(_due(rule, started, started, _years(period)).alias("due"), _law(rule, started).alias("law"))
            .join(_case_info(extract), on="case_id", how="left")
            .rename({"case_team": "team"}))


def investigation_overdue(extract: Extract, as_of: dt.date, rule: Rule) -> pl.DataFrame:
    """Investigations open at ``as_of`` and already past their deadline."""
    frame = _investigations_with_due(extract, rule, Period(as_of.year, as_of.month))
    still_open = (pl.col("started_on") <= as_of) & (pl.col("completed_on").is_null() | (pl.col("completed_on") > as_of))
    return frame.filter(still_open & (pl.col("due") < as_of))


def _placements(extract: Extract) -> pl.DataFrame:
    return extract["measures"].filter(pl.col("category").str.starts_with("anbringelse"))


def _plan(extract: Extract, period: Period, rule: Rule, standards) -> pl.DataFrame:
    decided = pl.col("decided_on")
    frame = (_placements(extract)
             .with_columns(_due(rule, decided, decided, _years(period)).alias("due"), _law(rule, decided).alias("law"))
             .filter(_in("due", period))
             .join(_case_info(extract), on="case_id", how="left").rename({"case_team": "team"}))
    done = pl.when(pl.col("plan_on") <= period.end).then(pl.col("plan_on"))
    frame = frame.with_columns(done.alias("done"))
    frame = frame.with_columns(_status(pl.col("done"), pl.col("due"), period.end).alias("status"))
    return _finish(frame.with_columns(pl.col("measure_id").alias("item_id")))


def _followups(extract: Extract) -> pl.DataFrame:
    """Follow-up activities: (measure_id or null, case_id, date)."""
    return extract["activities"].filter(pl.col("kind") == "opfoelgning").select("case_id", "measure_id", "date")


def _followups_of(extract: Extract, measures: pl.DataFrame) -> pl.DataFrame:
    """Each measure's follow-ups: those on the measure and those on its case without a measure."""
    followups = _followups(extract)
    on_measure = measures.select("measure_id").join(
        followups.filter(pl.col("measure_id").is_not_null()).select("measure_id", "date"), on="measure_id")
    on_case = measures.select("measure_id", "case_id").join(
        followups.filter(pl.col("measure_id").is_null()).select("case_id", "date"), on="case_id").drop("case_id")
    return pl.concat([on_measure, on_case])


def _first_followup(extract: Extract, period: Period, rule: Rule, standards) -> pl.DataFrame:
    started = pl.col("started_on")
    due = _due(rule, started, started, _years(period))
    measures = extract["measures"].with_columns(due.alias("due"), _law(rule, started).alias("law")).filter(_in("due", period))
    first = (_followups_of(extract, measures).join(measures.select("measure_id", "started_on", "due"), on="measure_id")
             .filter(pl.col("date").is_between(pl.col("started_on"), pl.col("due")) & (pl.col("date") <= period.end))
             .group_by("measure_id").agg(pl.col("date").min().alias("done")))
    frame = (measures.join(first, on="measure_id", how="left")
             .join(_case_info(extract), on="case_id", how="left").rename({"case_team": "team"}))
    frame = frame.with_columns(_status(pl.col("done"), pl.col("due"), period.end).alias("status"))
    return _finish(frame.with_columns(pl.col("measure_id").alias("item_id")))


def _active_measures(extract: Extract, as_of: dt.date, placements_only: bool = False) -> pl.DataFrame:
    measures = _placements(extract) if placements_only else extract["measures"]
    return measures.filter((pl.col("started_on") <= as_of) & (pl.col("ended_on").is_null() | (pl.col("ended_on") > as_of)))


def _interval_months(rule: Rule, as_of: dt.date) -> int:
    return rule.regime_on(as_of).deadline.months or 6


def _recurring_followup(extract: Extract, period: Period, rule: Rule, standards) -> pl.DataFrame:
    as_of = period.end
    months = _interval_months(rule, as_of)
    measures = _active_measures(extract, as_of).filter(pl.col("started_on").dt.offset_by(f"{months}mo") < as_of)
    latest = (_followups_of(extract, measures).filter(pl.col("date") <= as_of)
              .group_by("measure_id").agg(pl.col("date").max().alias("done")))
    window_start = add_months(as_of, -months)
    frame = (measures.join(latest, on="measure_id", how="left")
             .join(_case_info(extract), on="case_id", how="left").rename({"case_team": "team"})
             .with_columns(pl.coalesce(pl.col("done"), pl.col("started_on")).dt.offset_by(f"{months}mo").alias("due"),
                           pl.lit(rule.regime_on(as_of).law).alias("law")))
    met = pl.col("done").is_not_null() & (pl.col("done") > window_start)
    frame = frame.with_columns(pl.when(met).then(pl.lit(MET)).otherwise(pl.lit(BREACH)).alias("status"))
    return _finish(frame.with_columns(pl.col("measure_id").alias("item_id")))


def _visits_frame(extract: Extract, as_of: dt.date, rule: Rule) -> pl.DataFrame:
    deadline = rule.regime_on(as_of).deadline
    months, needed = deadline.months or 12, deadline.count or 2
    window_start = add_months(as_of, -months)
    placements = _active_measures(extract, as_of, placements_only=True)
    visits = extract["activities"].filter((pl.col("kind") == "tilsynsbesoeg") & (pl.col("date") <= as_of))
    on_measure = placements.select("measure_id").join(
        visits.filter(pl.col("measure_id").is_not_null()).select("measure_id", "date"), on="measure_id")
    on_case = placements.select("measure_id", "case_id").join(
        visits.filter(pl.col("measure_id").is_null()).select("case_id", "date"), on="case_id").drop("case_id")
    all_visits = pl.concat([on_measure, on_case])
    counted = (all_visits.group_by("measure_id")
               .agg((pl.col("date") > window_start).sum().alias("visits"),
                    pl.col("date").sort(descending=True).get(needed - 1, null_on_oob=True).alias("oldest_needed")))
    return (placements.join(counted, on="measure_id", how="left")
            .with_columns(pl.col("visits").fill_null(0), pl.lit(rule.regime_on(as_of).law).alias("law"))
            .join(_case_info(extract), on="case_id", how="left").rename({"case_team": "team"})
            .with_columns((pl.col("visits") >= needed).alias("enough"), pl.lit(window_start).alias("window_start")))


def _visits(extract: Extract, period: Period, rule: Rule, standards) -> pl.DataFrame:
    as_of = period.end
    months = rule.regime_on(as_of).deadline.months or 12
    frame = _visits_frame(extract, as_of, rule).filter(pl.col("started_on") <= add_months(as_of, -months))
    frame = frame.with_columns(pl.when(pl.col("enough")).then(pl.lit(MET)).otherwise(pl.lit(BREACH)).alias("status"),
                               pl.lit(as_of).alias("due"))
    return _finish(frame.with_columns(pl.col("measure_id").alias("item_id")))


def _youth_frame(extract: Extract, rule: Rule, first: dt.date, last: dt.date) -> pl.DataFrame:
    """Placed young people whose 17½ day falls between ``first`` and ``last``, with their decision."""
    age_months = rule.regimes[-1].deadline.age_months or 210
    cases = _case_info(extract).with_columns(pl.col("birth_date").dt.offset_by(f"{age_months}mo").alias("due"))
    cases = cases.filter(pl.col("due").is_between(first, last))
    placed = (_placements(extract).join(cases, on="case_id")
              .filter((pl.col("started_on") <= pl.col("due"))
                      & (pl.col("ended_on").is_null() | (pl.col("ended_on") > pl.col("due"))))
              .select("case_id").unique())
    decisions = (extract["activities"].filter(pl.col("kind") == "ungestoette_afgoerelse")
                 .group_by("case_id").agg(pl.col("date").min().alias("decided")))
    return (cases.join(placed, on="case_id").join(decisions, on="case_id", how="left")
            .rename({"case_team": "team"})
            .with_columns(pl.when(pl.col("decided") <= pl.col("due")).then(pl.col("decided")).alias("done"),
                          _law(rule, pl.col("due")).alias("law")))


def _youth_decision(extract: Extract, period: Period, rule: Rule, standards) -> pl.DataFrame:
    frame = _youth_frame(extract, rule, period.start, period.end)
    frame = frame.with_columns(_status(pl.col("done"), pl.col("due"), period.end).alias("status"))
    return _finish(frame.with_columns(pl.col("case_id").alias("item_id")))


JUDGES = {
    "notification_assessment": _notification_assessment,
    "receipt": _receipt,
    "investigation": _investigation,
    "plan": _plan,
    "first_followup": _first_followup,
    "recurring_followup": _recurring_followup,
    "visits": _visits,
    "youth_decision": _youth_decision,
}


def judge(extract: Extract, period: Period, rule: Rule, standards=None) -> pl.DataFrame:
    """The items ``rule`` judges in ``period``, each met, breached or pending."""
    return JUDGES[rule.kind](extract, period, rule, standards).sort("team", "case_id", "item_id", nulls_last=True)


# --- what to act on --------------------------------------------------------------------

# ``item``: what the step is on — the measure, investigation or notification id (null for a step on the case,
# the decision at 17½); ``category``: the measure's category, so a team leader knows which measure is meant.
STEP_COLUMNS = {"team": pl.String, "case_id": pl.String, "caseworker_id": pl.String, "rule": pl.String,
                "item": pl.String, "category": pl.String, "due": pl.Date, "days": pl.Int64}
STEP_ITEMS = ("measure_id", "investigation_id", "notification_id")


def _steps(frame: pl.DataFrame, rule: Rule, as_of: dt.date) -> pl.DataFrame:
    item = next((c for c in STEP_ITEMS if c in frame.columns), None)
    frame = frame.with_columns(pl.lit(rule.id).alias("rule"),
                               (pl.lit(as_of) - pl.col("due")).dt.total_days().alias("days"),
                               (pl.col(item) if item else pl.lit(None)).cast(pl.String).alias("item"),
                               (pl.col("category") if "category" in frame.columns else pl.lit(None))
                               .cast(pl.String).alias("category"))
    return frame.select([pl.col(c).cast(t) for c, t in STEP_COLUMNS.items()])


def open_steps(extract: Extract, as_of: dt.date, rule: Rule, horizon_days: int = 30) -> pl.DataFrame:
    """Steps not done at ``as_of`` whose deadline is past or within ``horizon_days``.

    ``days`` is the number of days overdue (negative: days left). Only steps on a
    case of the same team are listed: notifications without a case, or on another
    team's case, are counted in the shares but not listed.
    """
    soon = as_of + dt.timedelta(days=horizon_days)
    period = Period(as_of.year, as_of.month)
    years = _years(period)
    kind = rule.kind
    if kind == "investigation":
        frame = _investigations_with_due(extract, rule, period)
        still_open = (pl.col("started_on") <= as_of) & (pl.col("completed_on").is_null() | (pl.col("completed_on") > as_of))
        frame = frame.filter(still_open & (pl.col("due") <= soon))
    elif kind in ("notification_assessment", "receipt"):
        notes = extract["notifications"].filter(pl.col("case_id").is_not_null() & (pl.col("received_at").dt.date() <= as_of))
        received = pl.col("received_at").dt.date()
        if kind == "receipt":
            notes = notes.filter((pl.col("reporter_type") == "professional") &
                                 (pl.col("receipt_sent_on").is_null() | (pl.col("receipt_sent_on") > as_of)))
            frame = notes.with_columns(_due(rule, received, received, years).alias("due"))
        else:
            notes = notes.filter(pl.col("acute_assessed_at").is_null()
                                 | (pl.col("acute_assessed_at").dt.date() > as_of))
            frame = notes.with_columns(_due(rule, received, pl.col("received_at"), years).dt.date().alias("due"))
        frame = frame.filter(pl.col("due") >= as_of - dt.timedelta(days=365))
        # A notification on another team's case is counted for the receiving team but listed
        # by neither: its case id and caseworker belong to the other team.
        cases = _case_info(extract).select("case_id", "case_team", "caseworker_id")
        frame = frame.join(cases, on="case_id", how="inner").filter(pl.col("case_team") == pl.col("team"))
    elif kind == "plan":
        decided = pl.col("decided_on")
        frame = (_active_measures(extract, as_of, placements_only=True)
                 .filter(pl.col("plan_on").is_null() | (pl.col("plan_on") > as_of))
                 .with_columns(_due(rule, decided, decided, years).alias("due"))
                 .join(_case_info(extract), on="case_id", how="left").rename({"case_team": "team"}))
    elif kind == "first_followup":
        started = pl.col("started_on")
        measures = _active_measures(extract, as_of).with_columns(_due(rule, started, started, years).alias("due"))
        done = (_followups_of(extract, measures).filter(pl.col("date") <= as_of).select("measure_id").unique())
        frame = (measures.join(done, on="measure_id", how="anti")
                 .join(_case_info(extract), on="case_id", how="left").rename({"case_team": "team"}))
    elif kind == "recurring_followup":
        months = _interval_months(rule, as_of)
        measures = _active_measures(extract, as_of)
        latest = (_followups_of(extract, measures).filter(pl.col("date") <= as_of)
                  .group_by("measure_id").agg(pl.col("date").max().alias("latest")))
        frame = (measures.join(latest, on="measure_id")  # measures with no follow-up at all: see first follow-up
                 .with_columns(pl.col("latest").dt.offset_by(f"{months}mo").alias("due"))
                 .join(_case_info(extract), on="case_id", how="left").rename({"case_team": "team"}))
    elif kind == "visits":
        months = rule.regime_on(as_of).deadline.months or 12
        frame = _visits_frame(extract, as_of, rule).filter(pl.col("started_on") <= add_months(soon, -months))
        # the day the visits in the last 12 months fell (or will fall) below what is needed
        # a visit counts in the window (as of - 12 months, as of]: the last day it still counts is its
        # date + 12 months - 1 day; a placement without visits must have them by its first year
        frame = frame.with_columns(pl.coalesce(pl.col("oldest_needed").dt.offset_by(f"{months}mo") - pl.duration(days=1),
                                               pl.col("started_on").dt.offset_by(f"{months}mo")).alias("due"))
    elif kind == "youth_decision":
        frame = _youth_frame(extract, rule, as_of - dt.timedelta(days=365), soon).filter(
            pl.col("done").is_null() & pl.col("decided").is_null())
        frame = frame.join(_active_measures(extract, as_of, placements_only=True).select("case_id").unique(),
                           on="case_id")
    else:  # pragma: no cover
        raise AssertionError(kind)
    frame = frame.filter(pl.col("due") <= soon)
    # one row per step: two measures of a case due the same day are two steps
    return _steps(frame, rule, as_of).unique(["case_id", "rule", "item", "due"], maintain_order=True)
