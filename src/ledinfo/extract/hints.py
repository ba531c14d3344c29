"""Why a value was refused, said so that the reader can fix it.

A validation message names the file, row and column (``validate.py``); these helpers
word the rest: the category the user probably meant, and why a date-shaped value
is not a date (30-02-2026: February has 28 days) rather than "unparseable".
"""

from __future__ import annotations

import calendar
import difflib
import re

# The accepted date shapes (validate.DATE_FORMATS), read loosely: any digits, so that
# "2026-13-01" and "30-02-2026" are recognised as dates that cannot be, and an optional
# time part, as spreadsheets write it ("2024-02-30 00:00:00", "2024-02-30T08:15").
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[ T].*)?")
_DANISH = re.compile(r"(?P<day>\d{1,2})(?P<sep>[-.])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})(?:[ T].*)?")
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}[-./]\d{1,2}[-./]\d{2}")
_SLASHES = re.compile(r"\d{1,4}/\d{1,2}/\d{1,4}(?:[ T].*)?")

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def did_you_mean(normalised: str | None, allowed: tuple[str, ...]) -> str:
    """``"; did you mean 'forebyggende'?"`` for a near miss of an allowed value, else ``""``."""
    if not normalised:
        return ""
    # 0.75: one or two letters wrong in a word of ten ("forbyggende", "opfolgning"), not a different word.
    close = difflib.get_close_matches(normalised, allowed, n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


def why_not_a_date(text: str | None) -> str | None:
    """The reason a date-shaped ``text`` is no date ("February has 28 days"), or None if it has no date's shape."""
    if text is None:
        return None
    text = text.strip()
    match = _ISO.fullmatch(text) or _DANISH.fullmatch(text)
    if match is None:
        if _TWO_DIGIT_YEAR.fullmatch(text):
            return "the year needs four digits"
        if _SLASHES.fullmatch(text):
            return "write DD-MM-YYYY or DD.MM.YYYY: with slashes, day and month can be read either way"
        return None
    year, month, day = (int(match.group(part)) for part in ("year", "month", "day"))
    if not 1 <= month <= 12:
        reason = f"there is no month {month}"
        if match.re is _DANISH and 1 <= day <= 12:
            reason += "; dates are read day first, DD-MM-YYYY"
        return reason
    if day == 0:
        return "there is no day 0"
    length = calendar.monthrange(year, month)[1] if year else 31
    if day > length:
        name = MONTHS[month - 1]
        if month == 2 and day == 29:
            return f"February has 28 days: {year} is not a leap year"
        if month == 2 and length == 29:
            return f"February has 29 days in {year}"
        return f"{name} has {length} days"
    return None
