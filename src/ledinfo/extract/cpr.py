"""Detect CPR numbers (Danish personal ids) so that none can reach an output.

A CPR number is ``DDMMYY-XXXX`` or ten digits whose first six form a valid
date (DDMMYY). Anything shaped like that, anywhere in a text value, counts.
"""

from __future__ import annotations

import re

import polars as pl

# Six digits, an optional hyphen, four digits, not part of a longer digit run.
CPR_PATTERN = r"(?:^|[^0-9])([0-3][0-9])([01][0-9])([0-9]{2})-?[0-9]{4}(?:[^0-9]|$)"
_CPR_RE = re.compile(r"(?<![0-9])([0-3][0-9])([01][0-9])([0-9]{2})-?[0-9]{4}(?![0-9])")


def _valid_day(day: int, month: int, year2: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    # 29 February is valid in some century for every two-digit year divisible by 4
    if month == 2 and day == 29:
        return year2 % 4 == 0
    return day <= days


def contains_cpr(text: str) -> bool:
    """True if ``text`` holds a CPR-shaped number anywhere."""
    return any(_valid_day(int(d), int(m), int(y)) for d, m, y in _CPR_RE.findall(text))


def cpr_mask(values: pl.Series) -> pl.Series:
    """Boolean mask of the string values that hold a CPR-shaped number.

    The regular expression runs vectorised in Polars; only the rare candidates
    are checked for a valid date in Python.
    """
    strings = values.cast(pl.String)
    candidates = strings.str.contains(CPR_PATTERN).fill_null(False)
    if not candidates.any():
        return candidates
    checked = [bool(v) and contains_cpr(v) for v in strings.filter(candidates).to_list()]
    result = candidates.to_list()
    it = iter(checked)
    return pl.Series(values.name, [next(it) if flag else False for flag in result], dtype=pl.Boolean)
