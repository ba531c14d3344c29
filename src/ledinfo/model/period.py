"""Report periods and the calendar arithmetic the law uses.

A period is a calendar month (the default), a quarter (``2024-Q1``) or the year to
date up to a month (``2024-03-ytd``: January to March 2024). It is a span of whole
months, named by its last month; "as of" is its last day. A rule's share counts
the items whose deadline or event falls anywhere in the span (domain.md: "in P"),
a count or a caseload is the state at its end.

Month arithmetic is in calendar months, clamped to the end of a shorter month
(31 October + 4 months = 28/29 February), as domain.md prescribes; "within" a
deadline includes the deadline day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ledinfo.errors import ConfigError

MONTH, QUARTER, YEAR_TO_DATE = "month", "quarter", "ytd"
KINDS = (MONTH, QUARTER, YEAR_TO_DATE)
FORMS = ("YYYY-MM (a month, e.g. 2024-03), YYYY-Qn (a quarter, e.g. 2024-Q1), YYYY-MM-ytd (the year to date, e.g. "
         "2024-03-ytd), or month, quarter or ytd for the last complete one")

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-[QqKk]([1-4])$")  # K: "kvartal", as Danish writes it
_YTD_RE = re.compile(r"^(\d{4})-(\d{2})-(?:ytd|YTD|åtd|ÅTD)$")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


# The years a report period may be of: a pack reads years before its period (a trend's 13 months, the ladder's history
# of up to 10 years, the year before a quarter) and after it (deadlines, horizons): 20 years' margin either way
REPORT_YEARS = range(1920, 2180)


@dataclass(frozen=True, order=True)
class Period:
    """A report period: ``Period(2026, 10)`` is October 2026; ``Period(2024, 3, QUARTER)`` the first
    quarter of 2024; ``Period(2024, 3, YEAR_TO_DATE)`` January to March 2024. ``month`` is the last month."""

    year: int
    month: int
    kind: str = MONTH

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ConfigError(f"invalid month {self.month} in period {self.year}-{self.month}")
        if self.kind not in KINDS:
            raise ConfigError(f"invalid kind of period {self.kind!r}: one of {', '.join(KINDS)}")
        if self.kind == QUARTER and self.month % 3:
            raise ConfigError(f"a quarter ends in March, June, September or December, not month {self.month}")

    @classmethod
    def parse(cls, text: str, today: dt.date | None = None) -> Period:
        """Parse a month, a quarter or a year to date (:data:`FORMS`), or the words ``month``, ``quarter``
        and ``ytd`` for the last complete one (for cron); a clear :class:`ConfigError` otherwise."""
        text = text.strip()
        if not text:  # `--period "$PERIOD"` with the variable unset: never some default month in its place
            raise ConfigError(f"the period is empty (an unset variable in a cron line?); give {FORMS}")
        if text.lower() in KINDS:
            return cls.last_complete(today, text.lower())
        if cls is Period:  # a figure's period is parsed again and again (each section, each pack): once each
            return _parsed(text)
        return cls._written(text)

    @classmethod
    def of_report(cls, text: str, today: dt.date | None = None) -> Period:
        """:meth:`parse` for a period a user asks to report on (``--period``): of a year in :data:`REPORT_YEARS`, or a
        clear :class:`ConfigError` — a pack reads years around its period, and Python's dates end at the years 1
        and 9999 ("--period 0000-01" was a traceback)."""
        period = cls.parse(text, today)
        if period.year not in REPORT_YEARS:
            raise ConfigError(f"period {text.strip()!r}: the year must be from {REPORT_YEARS.start} to "
                              f"{REPORT_YEARS.stop - 1}")
        return period

    @classmethod
    def _written(cls, text: str) -> Period:
        """A period written as :data:`FORMS` says (stripped, not a word of :data:`KINDS`)."""
        if match := _QUARTER_RE.match(text):
            return cls(int(match.group(1)), int(match.group(2)) * 3, QUARTER)
        match = _MONTH_RE.match(text) or _YTD_RE.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ConfigError(f"period {text!r} is not written as {FORMS}")
        return cls(int(match.group(1)), int(match.group(2)), MONTH if _MONTH_RE.match(text) else YEAR_TO_DATE)

    @classmethod
    def last_complete(cls, today: dt.date | None = None, kind: str = MONTH) -> Period:
        """The last period of ``kind`` that has fully ended before ``today``: the month, the quarter, or
        the year to date up to the last complete month (a cron job's default)."""
        today = today or dt.date.today()
        first = today.replace(day=1)
        previous = first - dt.timedelta(days=1)
        if kind == QUARTER:
            return cls(previous.year, previous.month - previous.month % 3, QUARTER) if previous.month >= 3 else \
                cls(previous.year - 1, 12, QUARTER)
        return cls(previous.year, previous.month, kind)

    @property
    def length(self) -> int:
        """How many months the period spans."""
        return {MONTH: 1, QUARTER: 3, YEAR_TO_DATE: self.month}[self.kind]

    @property
    def start(self) -> dt.date:
        """The period's first day."""
        first = self.last_month.shift(1 - self.length)
        return dt.date(first.year, first.month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period's last month: the period's "as of" date."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def last_month(self) -> Period:
        """The period's last month, as a month."""
        return Period(self.year, self.month)

    @property
    def quarter(self) -> int:
        """The quarter (1-4) the period's last month is in."""
        return (self.month - 1) // 3 + 1

    def months(self) -> list[Period]:
        """The months the period spans, oldest first."""
        return self.last_month.trailing(self.length)

    def shift(self, months: int) -> Period:
        """The period of the same kind ``months`` calendar months later (earlier when negative).

        A year to date keeps its year's start: shifting it moves its last month.
        """
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1, self.kind)

    def previous(self) -> Period | None:
        """The period before: the month before or the quarter before. None for a year to date: the one
        before it would be itself a month shorter, which tells no more than its last month (and gives a
        reader that month by subtraction); a year to date is compared with the same months a year earlier."""
        if self.kind == YEAR_TO_DATE:
            return None
        return self.shift(-self.length)

    def year_before(self) -> Period:
        """The same period a year earlier (the same month, quarter or months of the year)."""
        return Period(self.year - 1, self.month, self.kind)

    def trailing(self, count: int) -> list[Period]:
        """The ``count`` months up to and including the period's last month, oldest first: a trend is monthly."""
        return [self.last_month.shift(-i) for i in range(count - 1, -1, -1)]

    def whole_quarters(self, count: int) -> list[Period]:
        """The ``count`` whole calendar quarters that end at or before the period's end, oldest first: the grain of
        a breakdown shown by quarter (two quarters never overlap, so neither gives the other's months away)."""
        last = self.last_month
        while last.month % 3:
            last = last.shift(-1)
        end = Period(last.year, last.month, QUARTER)
        return [end.shift(-3 * i) for i in range(count - 1, -1, -1)]

    def __str__(self) -> str:
        return _text(self.year, self.month, self.kind)  # a build asks some hundred thousand times: made once


@lru_cache(maxsize=4096)
def _parsed(text: str) -> Period:
    """:meth:`Period._written`, made once per text (a period is immutable); an error is raised each time."""
    return Period._written(text)


@cache
def _text(year: int, month: int, kind: str) -> str:
    """A period as written ("2026-10", "2026-Q3", "2026-10-ytd")."""
    if kind == QUARTER:
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    suffix = "-ytd" if kind == YEAR_TO_DATE else ""
    return f"{year:04d}-{month:02d}{suffix}"


@cache
def danish_holidays(first_year: int, last_year: int) -> tuple[dt.date, ...]:
    """Danish public holidays (the maintained `holidays` package; no Store Bededag from 2024)."""
    import holidays  # deferred: a tenth of a second to import, and the rerun check parses a period without it

    return tuple(sorted(holidays.country_holidays("DK", years=range(first_year, last_year + 1))))


def last_working_day(year: int, month: int) -> dt.date:
    """The month's last working day (Monday–Friday, Danish public holidays excluded): 27 March 2024, as
    Maundy Thursday, Good Friday and a weekend end that month."""
    day = dt.date(year, month, calendar.monthrange(year, month)[1])
    closed = set(danish_holidays(year, year))
    while day.weekday() >= 5 or day in closed:
        day -= dt.timedelta(days=1)
    return day
