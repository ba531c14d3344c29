"""Follow-up on cases: the 6-week follow-up rate (domain.md, "six_week_followup").

The local standard from the seeds (Herning's "Sverigesprogram"): every case
is followed up at least every 6 weeks. A case never contacted whose first contact
is not yet due (opened fewer than the interval's days before the end of P) is
pending (domain.md, "Pending"): left out of the share and counted apart
(:func:`awaiting_first_contact`, the one definition the share and the section's
list of new cases use).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ledinfo.domain.indicators.common import active_at, active_cases

CONTACT_KINDS = ("opfoelgning", "tilsynsbesoeg", "boernesamtale", "netvaerksmoede")
# The days :func:`six_week_followup_at` takes in one part: the committee's series asks ~36 month-ends, whose
# contacts span three years (a large extract: ~2 M contact rows, ~200 MiB to join at once, issue 27)
ENDS_AT_ONCE = 12
AWAITING = "awaiting_contact"


def awaiting_first_contact(as_of: dt.date | pl.Expr, days: int) -> pl.Expr:
    """Never contacted (``last_contact`` null up to ``as_of``), and the first contact not yet due: due ``days``
    after ``opened_on``, a deadline whose day is within it, so pending only while that day is after ``as_of``.
    A case opened ``days`` days before ``as_of`` and never contacted is late (its due day, ``as_of``, passed
    without contact), as is one last contacted ``days`` days before (outside the window of ``days`` days up to and
    including ``as_of``); one opened ``days - 1`` days before is pending."""
    return pl.col("last_contact").is_null() & (pl.col("opened_on") + pl.duration(days=days) > as_of)


def six_week_followup(cases: pl.DataFrame, activities: pl.DataFrame, as_of: dt.date,
                      days: int = 42) -> pl.DataFrame:
    """One row per case active on ``as_of``, with ``last_contact`` (the latest
    contact activity on or before ``as_of``), ``days_since`` (null: never contacted),
    ``days_open`` (days since ``opened_on``), ``followed_up``: a contact within the
    ``days`` days up to and including ``as_of``, and ``awaiting_contact``: pending, out of the
    share (:func:`awaiting_first_contact`)."""
    window_start = as_of - dt.timedelta(days=days - 1)
    last = (
        # the columns it reads, then the rows: a filter first copies every column of most activities (issue 27)
        activities.select("case_id", "kind", "date").filter(pl.col("kind").is_in(CONTACT_KINDS) & (pl.col("date") <= as_of))
        .group_by("case_id")
        .agg(pl.col("date").max().alias("last_contact"))
    )
    return (
        active_cases(cases, as_of)
        .select("case_id", "team", "caseworker_id", "opened_on")
        .join(last, on="case_id", how="left")
        .with_columns(
            (pl.col("last_contact") >= window_start).fill_null(False).alias("followed_up"),
            (pl.lit(as_of) - pl.col("last_contact")).dt.total_days().alias("days_since"),
            (pl.lit(as_of) - pl.col("opened_on")).dt.total_days().alias("days_open"),
            awaiting_first_contact(as_of, days).alias(AWAITING),
        )
        .sort("team", "case_id")
    )


def six_week_followup_at(cases: pl.DataFrame, activities: pl.DataFrame, ends: pl.DataFrame,
                         days: int = 42) -> pl.DataFrame:
    """:func:`six_week_followup`'s ``team``, ``followed_up`` and ``awaiting_contact`` at many days in one pass: one row per case
    active on a day of ``ends`` (its ``as_of`` column) — the cases × the days, then an as-of join to each
    case's latest contact on or before the day. ``cases`` and ``activities`` as known at the latest of the
    days: a case opened, closed or contacted after a day is not yet so on it (what :func:`six_week_followup`
    sees on the extract as known at the day's end)."""
    if ends.height > ENDS_AT_ONCE:  # a year of days at a time: each part's contacts are those of its own window
        ends = ends.sort("as_of")
        return pl.concat([six_week_followup_at(cases, activities, ends.slice(start, ENDS_AT_ONCE), days)
                          for start in range(0, ends.height, ENDS_AT_ONCE)])
    # each case by its row number (cases have one row each: the extract is validated so): the as-of join by an
    # integer rather than the string id held half the memory at scale 75 (324 -> 174 MiB above its start, issue 27)
    coded = cases.select("case_id", "team", "opened_on", "closed_on").with_row_index("\x00case")
    active = (active_at(coded.drop("case_id"), ends, "opened_on", "closed_on", "as_of")
              .select("\x00case", "team", "opened_on", "as_of").sort("as_of"))
    # the contacts' rows picked by a mask, so that only the two columns kept are copied (as above); only those that
    # can count on some day: one older than the earliest day's window counts on none (the latest contact before it
    # is too old, or there is a later one), one after the latest day on none
    kind = pl.col("kind").is_in(CONTACT_KINDS) & pl.col("case_id").is_not_null()
    if ends.height:
        earliest = ends["as_of"].min() - dt.timedelta(days=days - 1)
        dated = pl.col("date").is_between(earliest, ends["as_of"].max())
    else:
        earliest, dated = None, pl.col("date").is_not_null()
    contact = activities.select(kind & dated).to_series()
    contacts = (activities.select("case_id", "date").filter(contact)
                .join(coded.select("case_id", "\x00case"), on="case_id")  # on a case the cases lack: never matched
                .select("\x00case", pl.col("date").alias("last_contact")).sort("last_contact"))
    joined = active.join_asof(contacts, left_on="as_of", right_on="last_contact", by="\x00case", strategy="backward",
                              check_sortedness=False)
    return joined.select("as_of", "team", (pl.col("last_contact") >= pl.col("as_of") - pl.duration(days=days - 1))
                         .fill_null(False).alias("followed_up"),
                         (awaiting_first_contact(pl.col("as_of"), days)
                          & ~pl.col("\x00case").is_in(_contacted_before(coded, activities, kind, earliest).implode()))
                         .alias(AWAITING))


def _contacted_before(coded: pl.DataFrame, activities: pl.DataFrame, kind: pl.Expr, earliest) -> pl.Series:
    """The cases (their row numbers) with a contact before ``earliest`` (the contacts the as-of join leaves out)
    among those opened on or after it: only they could seem never contacted yet be opened within the interval
    (a contact dated before its case was opened, as a messy extract can give). The others opened earlier are past
    their first contact's day on every day asked, pending on none."""
    recent = coded.filter(pl.col("opened_on") >= earliest) if earliest is not None else coded.clear()
    if not recent.height:
        return pl.Series("\x00case", [], coded["\x00case"].dtype)
    recent_ids = recent["case_id"].implode()
    early = activities.select(kind & (pl.col("date") < earliest) & pl.col("case_id").is_in(recent_ids)).to_series()
    found = activities.select("case_id").filter(early).unique()
    return recent.join(found, on="case_id", how="semi")["\x00case"]
