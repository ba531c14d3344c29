"""Report periods and the calendar arithmetic the law uses.

A period is a calendar month. "As of" is its last day. Month arithmetic is in
calendar months, clamped to the end of a shorter month (31 October + 4 months =
28/29 February), as domain.md prescribes; "within" a deadline includes the
deadline day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ledinfo.errors import ConfigError

_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True, order=True)
class Period:
    """One calendar month, e.g. ``Period(2026, 10)`` for October 2026."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ConfigError(f"invalid month {self.month} in period {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``YYYY-MM``; a clear :class:`ConfigError` otherwise."""
        match = _PERIOD_RE.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ConfigError(f"period {text!r} is not a month written YYYY-MM (for example 2026-10)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def last_complete(cls, today: dt.date | None = None) -> Period:
        """The last month that has fully ended before ``today``."""
        today = today or dt.date.today()
        first = today.replace(day=1)
        previous = first - dt.timedelta(days=1)
        return cls(previous.year, previous.month)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the month: the period's "as of" date."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def shift(self, months: int) -> Period:
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    def trailing(self, count: int) -> list[Period]:
        """The ``count`` months up to and including this one, oldest first."""
        return [self.shift(-i) for i in range(count - 1, -1, -1)]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
