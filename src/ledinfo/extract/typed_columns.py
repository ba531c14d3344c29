"""A column's text typed as its kind in the extract format (dates, times, numbers, categories, yes/no), every
value that does not fit reported with its row (:class:`ledinfo.extract.problems.Collector`)."""

from __future__ import annotations

import polars as pl

from ledinfo.extract.hints import did_you_mean, why_not_a_date
from ledinfo.extract.model import RawTable
from ledinfo.extract.parsing import parse_numbers
from ledinfo.extract.problems import Collector, show_value
from ledinfo.extract.schema import Column
from ledinfo.privacy.cpr import REDACTED, contains_cpr, holds_cpr

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_TIME_SUFFIXES = (" %H:%M:%S%.f", "T%H:%M:%S%.f", " %H:%M:%S", "T%H:%M:%S", " %H:%M", "T%H:%M")
DATETIME_FORMATS = tuple(d + t for d in DATE_FORMATS for t in _TIME_SUFFIXES)
LOCAL_TIME_ZONE = "Europe/Copenhagen"

_TRUE = {"true", "1", "ja", "j", "yes", "y", "sand", "t", "x"}
_FALSE = {"false", "0", "nej", "n", "no", "falsk", "f"}


DATE_HELP = "accepted: YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY"
DATETIME_HELP = "accepted: YYYY-MM-DD HH:MM[:SS], ISO 8601 with T and offset, DD-MM-YYYY HH:MM, DD.MM.YYYY HH:MM"


def _not_a_date(value, accepted: str, what: str = "") -> str:
    """``'30-02-2026' is not a date (February has 28 days)``; the accepted forms when it has no date's shape."""
    return f"{show_value(value)} is not a date{what} ({why_not_a_date(value) or accepted})"


def _suggestion(value, allowed: tuple[str, ...]) -> str:
    if value is None or holds_cpr(str(value)):
        return ""
    return did_you_mean(normalise_category(pl.Series([str(value)])).item(), allowed)


def normalise_category(values: pl.Series) -> pl.Series:
    """Lower-case, Danish letters transliterated, spaces to underscores ("Døgn" -> "doegn")."""
    return (
        values.str.strip_chars()
        .str.to_lowercase()
        .str.replace_all("æ", "ae")
        .str.replace_all("ø", "oe")
        .str.replace_all("å", "aa")
        .str.replace_all(r"[\s\-]+", "_")
    )


def normalise_header(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


# Polars' %Y takes one to four digits, so "05-01-24" read as the year 5: a date must show a four-digit year.
_DATE_SHAPE = r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-.]\d{1,2}[-.]\d{4})([ T]|$)"


def _date_shaped(strings: pl.Series) -> pl.Series:
    return pl.select(pl.when(strings.str.contains(_DATE_SHAPE)).then(strings)).to_series().alias(strings.name)


def parse_dates(strings: pl.Series) -> pl.Series:
    """Parse ISO, DD-MM-YYYY and DD.MM.YYYY (a midnight time part is accepted)."""
    strings = _date_shaped(strings)
    result = pl.Series(strings.name, [None] * len(strings), dtype=pl.Date)
    for fmt in DATE_FORMATS:
        result = result.fill_null(strings.str.strptime(pl.Date, fmt, strict=False))
    # Spreadsheets often write dates as "2024-01-05 00:00:00".
    midnight = parse_datetimes(strings.filter(result.is_null() & strings.is_not_null()))
    if len(midnight):
        as_dt = parse_datetimes(strings)
        is_midnight = as_dt.dt.time() == pl.time(0, 0, 0)
        result = result.fill_null(pl.select(pl.when(is_midnight).then(as_dt.dt.date())).to_series())
    return result


def parse_datetimes(strings: pl.Series) -> pl.Series:
    """Parse ISO 8601 and Danish datetimes; offsets are converted to Danish local time."""
    strings = _date_shaped(strings)
    result = pl.Series(strings.name, [None] * len(strings), dtype=pl.Datetime("us"))
    for fmt in DATETIME_FORMATS:
        if result.null_count() == strings.null_count():
            break
        result = result.fill_null(strings.str.strptime(pl.Datetime("us"), fmt, strict=False))
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%z"):
        if result.null_count() == strings.null_count():
            break
        aware = strings.str.replace(r"Z$", "+00:00").str.strptime(pl.Datetime("us", "UTC"), fmt, strict=False)
        local = aware.dt.convert_time_zone(LOCAL_TIME_ZONE).dt.replace_time_zone(None)
        result = result.fill_null(local)
    for fmt in DATE_FORMATS:  # a bare date is read as midnight
        result = result.fill_null(strings.str.strptime(pl.Date, fmt, strict=False).cast(pl.Datetime("us")))
    return result


def as_strings(series: pl.Series) -> pl.Series:
    """The column as trimmed strings with empty values as null."""
    strings = series if series.dtype == pl.String else series.cast(pl.String)
    strings = strings.str.strip_chars()
    return pl.select(pl.when(strings == "").then(None).otherwise(strings)).to_series().alias(series.name)


def _already_typed(series: pl.Series, column: Column) -> bool:
    dtype = series.dtype
    if column.kind == "date":
        return dtype == pl.Date
    if column.kind == "datetime":
        return isinstance(dtype, pl.Datetime)
    if column.kind in ("int", "float"):
        return dtype.is_numeric()
    if column.kind == "bool":
        return dtype == pl.Boolean
    return False


def type_column(raw: RawTable, series: pl.Series, column: Column, out: Collector) -> pl.Series:
    """Convert one column to its kind, reporting every value that does not fit."""
    name = column.name
    if _already_typed(series, column):
        typed = series
        if column.kind == "datetime" and series.dtype.time_zone is not None:
            typed = series.dt.convert_time_zone(LOCAL_TIME_ZONE).dt.replace_time_zone(None)
        if column.kind in ("int", "float"):
            typed = _check_numbers(raw, series.cast(pl.Float64), column, out, series)
        typed = typed.cast(column.dtype).alias(name)
        strings = None
    else:
        strings = as_strings(series)
        present = strings.is_not_null()
        if column.kind in ("id", "text"):
            typed = strings
            if column.pattern:
                bad = present & ~strings.str.contains(column.pattern)
                shown = (lambda v: "the value (not shown)") if column.personal else show_value
                out.add_masked(raw, bad, "bad_format", name,
                               lambda v: f"{shown(v)} does not look like {_FORMAT_HINTS.get(name, column.pattern)}",
                               strings)
        elif column.kind == "category":
            typed = normalise_category(strings)
            bad = present & ~typed.is_in(list(column.categories))
            allowed = ", ".join(column.categories)
            out.add_masked(raw, bad, "unknown_category", name,
                           lambda v: f"unknown value {show_value(v)}{_suggestion(v, column.categories)} (allowed: {allowed})",
                           strings)
            typed = pl.select(pl.when(~bad).then(typed)).to_series().alias(name)
        elif column.kind == "date":
            typed = parse_dates(strings)
            bad = present & typed.is_null()
            out.add_masked(raw, bad, "unparseable_date", name, lambda v: _not_a_date(v, DATE_HELP), strings)
        elif column.kind == "datetime":
            typed = parse_datetimes(strings)
            bad = present & typed.is_null()
            out.add_masked(raw, bad, "unparseable_date", name, lambda v: _not_a_date(v, DATETIME_HELP, " and time"),
                           strings)
        elif column.kind in ("int", "float"):
            numbers = parse_numbers(strings, raw.decimal_comma)
            bad = present & numbers.is_null()
            word = "a whole number" if column.kind == "int" else "a number"
            out.add_masked(raw, bad, "wrong_type", name, lambda v: f"{show_value(v)} is not {word}", strings)
            typed = _check_numbers(raw, numbers, column, out, strings).cast(column.dtype).alias(name)
        elif column.kind == "bool":
            lowered = strings.str.to_lowercase()
            typed = pl.select(
                pl.when(lowered.is_in(list(_TRUE))).then(True).when(lowered.is_in(list(_FALSE))).then(False)
            ).to_series().alias(name)
            bad = present & typed.is_null()
            out.add_masked(raw, bad, "wrong_type", name, lambda v: f"{show_value(v)} is not yes/no (use true or false)",
                           strings)
        else:  # pragma: no cover - the schema only uses the kinds above
            raise AssertionError(column.kind)

    if not column.nullable:
        missing = (strings if strings is not None else series).is_null()
        out.add_masked(raw, missing, "missing_value", name, lambda v: "empty, but a value is required")
    return typed


_FORMAT_HINTS = {"function_code": "an account function such as 5.28.21",
                 "name": "a person's name: letters, spaces, hyphens, apostrophes and dots, no digit and no @, "
                         "at most 100 characters"}


def _check_numbers(raw: RawTable, numbers: pl.Series, column: Column, out: Collector,
                   shown: pl.Series) -> pl.Series:
    """Refuse NaN, infinity, fractions in whole-number columns and values outside the column's
    range; return the numbers (Float64) with those values emptied, ready to cast."""
    name = column.name
    # NaN and infinity parse as floats ("NaN", "inf", "1e999") but are no amount: they printed
    # as "NaN %" and made the JSON invalid.
    endless = numbers.is_not_null() & ~numbers.is_finite()
    out.add_masked(raw, endless, "wrong_type", name,
                   lambda v: f"{show_value(v)} is not a number (NaN and infinity are not allowed)", shown)
    numbers = pl.select(pl.when(~endless.fill_null(False)).then(numbers)).to_series().alias(name)
    if column.kind == "int":
        fractional = numbers.is_not_null() & (numbers != numbers.round(0))
        out.add_masked(raw, fractional, "wrong_type", name, lambda v: f"{show_value(v)} is not a whole number", shown)
        numbers = pl.select(pl.when(~fractional.fill_null(False)).then(numbers)).to_series().alias(name)
    if column.minimum is not None or column.maximum is not None:
        low = column.minimum if column.minimum is not None else float("-inf")
        high = column.maximum if column.maximum is not None else float("inf")
        outside = numbers.is_not_null() & ((numbers < low) | (numbers > high))
        span = _range_text(column)
        out.add_masked(raw, outside, "out_of_range", name, lambda v: f"{_show_number(v)} is outside {span}",
                       numbers)
        numbers = pl.select(pl.when(~outside.fill_null(False)).then(numbers)).to_series().alias(name)
    return numbers


def _show_number(value: float) -> str:
    """A value out of range, quoted; one with the digits of a CPR number (an amount column's 2504637933) hidden."""
    digits = str(int(value)) if value == int(value) and abs(value) < 1e18 else ""
    return repr(REDACTED) if contains_cpr(digits) else show_value(_number(value))


def _number(value: float) -> str:
    """A bound or value as a reader writes it: 1, 0.5, 2024, 10,000,000 (not 1e+07)."""
    if value == int(value) and abs(value) < 1e18:
        return f"{int(value):,}" if abs(value) >= 100_000 else str(int(value))
    return f"{value:g}"


def _range_text(column: Column) -> str:
    if column.minimum is not None and column.maximum is not None:
        joint = " to " if column.minimum < 0 else "–"
        return f"{_number(column.minimum)}{joint}{_number(column.maximum)}"
    if column.minimum is not None:
        return f"the minimum {_number(column.minimum)}"
    return f"the maximum {_number(column.maximum)}"


def plausible_number(raw: RawTable, series: pl.Series, column: Column) -> pl.Series:
    """The values that read as a number of ``column``, not as a CPR number.

    In an amount column (DKK: ``monthly_cost``, ``budget_*``, ``actual``, ``forecast``) every
    number is an amount: a large municipality's year-end forecast (112711377,6, 2504637933)
    has the digits of a CPR number, and one too large for the column is reported as out of
    its range (without its digits). In another number column, a CPR number is one that
    cannot be a value of it (an FTE of 504637933). In both, a number written with a leading
    zero (0104901234) is no amount or count but an id: a CPR number.
    """
    strings = as_strings(series)
    numbers = parse_numbers(strings, raw.decimal_comma)
    fits = numbers.is_not_null() & ~strings.str.contains(r"^0\d")
    if not column.amount:
        low = column.minimum if column.minimum is not None else float("-inf")
        high = column.maximum if column.maximum is not None else float("inf")
        fits = fits & (numbers >= low) & (numbers <= high)
    return fits.fill_null(False)
