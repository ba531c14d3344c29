"""Detect CPR numbers (Danish personal ids) so that none can reach an output.

A CPR number is a date DDMMYY and a four-digit serial. Real exports write it in
many ways, and every one of them counts (see "CPR numbers" in domain.md):

- ``DDMMYY-XXXX`` and ten digits ``DDMMYYXXXX``;
- the serial after a space, an en or em dash, a minus sign (U+2212), a slash,
  or a dash with spaces around it (``DDMMYY - XXXX``);
- the date with dots: ``DD.MM.YY-XXXX`` (and with any separator above);
- nine digits ``DMMYYXXXX`` (or ``DMMYY-XXXX`` ...) when a spreadsheet typed the
  cell as a number and dropped the day's leading zero;
- any of these with full-width digits or dashes, no-break or thin spaces, or
  invisible characters (soft hyphen, zero-width space) in between: text is
  normalised with Unicode NFKC and stripped of format characters first.

The date must be real (day and month; 29 February in a year divisible by 4), and
the number must not be part of a longer run of digits nor of a decimal number
(``112711377,6`` is an amount). Digits inside a long
hexadecimal token (a SHA-256 digest, a UUID) are not a CPR number.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Polars only where a column is searched: the console imports this module at start-up
    import polars as pl

# Format characters that are invisible in print but would split a number for a regex.
_INVISIBLE = "[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
# Dashes (hyphen, non-breaking hyphen, figure dash, en and em dash, horizontal bar, minus sign,
# small and full-width hyphen-minus) and slashes (fraction and division slash) as literal
# characters, which both Python's and Polars' (Rust) regex engines read the same way.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d/\u2044\u2215\uff0f"
# Between date and serial: nothing, up to three spaces, or a dash/slash with optional spaces.
_SEPARATOR = rf"(?:\s{{0,3}}[{_DASHES}.]\s{{0,3}}|\s{{1,3}})?"  # a dot too: DD.MM.YY.XXXX
# The date part: six digits, five (a lost leading zero), or DD.MM.YY.
_DATE_CANDIDATE = r"(?:\d{5,6}|\d\d\.\d\d\.\d\d)"

#: A Polars (Rust regex) pattern that matches every CPR-shaped candidate; a superset,
#: since Rust regex has no look-around and cannot check the date. ``\d`` and ``\s`` are
#: Unicode in Rust, so full-width digits and no-break spaces match even unnormalised.
CPR_PATTERN = rf"(?:^|\D){_DATE_CANDIDATE}{_SEPARATOR}\d{{4}}(?:\D|$)"

# The exact forms, tried at every position (the look-ahead lets matches overlap, so a
# number with an invalid date cannot hide a valid one that starts inside it).
_CPR_RE = re.compile(
    rf"(?=(?P<cpr>(?<!\d)(?<!\d[.,])"
    rf"(?:(?P<d>\d\d)(?P<m>\d\d)|(?P<d1>[1-9])(?P<m1>\d\d)|(?P<d2>\d\d)\.(?P<m2>\d\d)\.)"
    rf"(?P<y>\d\d){_SEPARATOR}\d{{4}}(?!\d)(?![.,]0*[1-9])))"  # 2504637933.0 is Excel's float of one
)
_INVISIBLE_RE = re.compile(_INVISIBLE)
# A hash or UUID: a long hexadecimal token with at least one letter, or the UUID layout.
_HEX_TOKEN = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"
    r"|(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{16,})(?![0-9A-Za-z])"
)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

REDACTED = "[CPR-nummer]"


def normalise(text: str) -> str:
    """NFKC (full-width digits, no-break spaces) without invisible format characters."""
    if text.isascii():
        return text
    return _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text))


def _valid_date(day: int, month: int, year2: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    # 29 February is valid in some century for every two-digit year divisible by 4
    if month == 2 and day == 29:
        return year2 % 4 == 0
    return day <= _DAYS[month - 1]


def _spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` (already normalised) holds a CPR number, as (start, end) pairs."""
    found = []
    hashes = None
    for match in _CPR_RE.finditer(text):
        day = match["d"] or match["d1"] or match["d2"]
        month = match["m"] or match["m1"] or match["m2"]
        if not _valid_date(int(day), int(month), int(match["y"])):
            continue
        start, end = match.span("cpr")
        if hashes is None:
            hashes = [m.span() for m in _HEX_TOKEN.finditer(text)]
        if any(h_start <= start and end <= h_end for h_start, h_end in hashes):
            continue
        found.append((start, end))
    return found


def contains_cpr(text: str) -> bool:
    """True if ``text`` holds a CPR-shaped number anywhere, in any of the written forms."""
    return bool(_spans(normalise(text)))


def redact(text: str) -> str:
    """``text`` with every CPR-shaped number replaced by ``[CPR-nummer]``.

    A text without one is returned as it is; one with one is returned normalised.
    """
    normalised = normalise(text)
    spans = _spans(normalised)
    if not spans:
        return text
    text = normalised
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:  # overlapping matches are one stretch
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, last = [], 0
    for start, end in merged:
        parts += [text[last:start], REDACTED]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def cpr_mask(values: pl.Series) -> pl.Series:
    """Boolean mask of the values that hold a CPR-shaped number (any dtype; null is False).

    Each distinct value is searched once (a column of team names or dates has few), the
    normalisation and the candidate pattern vectorised in Polars; only the rare candidates
    are checked for the exact form and a valid date in Python.
    """
    import polars as pl

    strings = values if values.dtype == pl.String else values.cast(pl.String)
    if values.dtype.is_float():  # a whole float is read as the digits a spreadsheet showed: 104901234.0 as 104901234
        whole = values.cast(pl.Int64, strict=False)
        strings = pl.select(pl.when(whole.cast(values.dtype) == values).then(whole.cast(pl.String))
                            .otherwise(strings)).to_series()
    distinct = strings.drop_nulls().unique()
    non_ascii = distinct.str.contains(r"[^\x00-\x7F]")
    if non_ascii.any():
        index = pl.arg_where(non_ascii, eager=True)
        normalised = distinct.gather(index).str.normalize("NFKC").str.replace_all(_INVISIBLE, "")
        searched = distinct.clone().scatter(index, normalised)  # scatter writes in place
    else:
        searched = distinct
    candidates = searched.str.contains(CPR_PATTERN)
    if not candidates.any():
        return pl.Series(values.name, [False] * len(values), dtype=pl.Boolean)
    hits = [i for i, text in zip(pl.arg_where(candidates, eager=True).to_list(), searched.filter(candidates).to_list())
            if _spans(text)]
    return strings.is_in(distinct.gather(hits).implode()).fill_null(False).alias(values.name)


__all__ = ["CPR_PATTERN", "REDACTED", "contains_cpr", "cpr_mask", "normalise", "redact"]
