"""Validate raw tables against the extract format and type them.

Validation reports *every* problem at once: each with the file, table, row and
column, grouped by kind. A user's bad data is a :class:`ExtractError` (exit
code 2) with a readable report, never a traceback.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import PurePath

import polars as pl

from ledinfo.errors import LedinfoError
from ledinfo.extract.hints import did_you_mean, why_not_a_date
from ledinfo.extract.mapping import apply_mapping
from ledinfo.extract.model import Extract, RawExtract, RawTable
from ledinfo.extract.parsing import parse_numbers
from ledinfo.extract.schema import MAX_TEAM_NAME, SCHEMA, Column, TableSpec
from ledinfo.language import slug
from ledinfo.privacy.cpr import CPR_PATTERN, REDACTED, contains_cpr, cpr_mask, holds_cpr, redact, redact_value

# Problem kinds, in the order the report lists them, with their labels.
KINDS = {
    "missing_table": "missing table",
    "empty_table": "table without rows",
    "missing_column": "missing required column",
    "duplicate_column": "column given twice",
    "missing_value": "missing value",
    "wrong_type": "wrong type",
    "unparseable_date": "not a date",
    "unknown_category": "unknown category value",
    "out_of_range": "value out of range",
    "bad_format": "value in the wrong format",
    "duplicate_id": "duplicate id",
    "dangling_reference": "dangling reference",
    "end_before_start": "end before start",
    "without_its_event": "detail without its event",
    "overlapping_periods": "overlapping employment periods",
    "cpr_number": "CPR number",
    "control_character": "control character",
    "unprintable_text": "text that does not print as written",
    "unusable_team_name": "team name that cannot name a file",
    "unmapped_value": "value the mapping does not know",
}

log = logging.getLogger("ledinfo.extract")

REQUIRED_TABLES = ("cases",)
EXAMPLES_PER_GROUP = 20
REPORT_LIMIT = 20

# Columns that carry personal data by their name (CPR numbers, names, contact details); dropped
# at load, so no section can ever print them.
PERSONAL_COLUMNS = {"cpr", "cpr_nr", "cprnr", "cpr_nummer", "cprnummer", "personnummer", "navn", "name", "fornavn",
                    "efternavn", "fulde_navn", "fuldt_navn", "full_name", "first_name", "last_name", "adresse",
                    "address", "email", "e_mail", "telefon", "phone", "mobil", "mobile"}

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_TIME_SUFFIXES = (" %H:%M:%S%.f", "T%H:%M:%S%.f", " %H:%M:%S", "T%H:%M:%S", " %H:%M", "T%H:%M")
DATETIME_FORMATS = tuple(d + t for d in DATE_FORMATS for t in _TIME_SUFFIXES)
LOCAL_TIME_ZONE = "Europe/Copenhagen"

_TRUE = {"true", "1", "ja", "j", "yes", "y", "sand", "t", "x"}
_FALSE = {"false", "0", "nej", "n", "no", "falsk", "f"}
# Control characters (C0, DEL, C1) are never data: an ESC in a team name reaches PDFs, file
# names and mail headers. Free-text notes may hold tab and line breaks (Excel's Alt+Enter).
CONTROL = r"[\x00-\x1f\x7f-\x9f]"
CONTROL_IN_FREE_TEXT = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_NESTED_TYPES = (pl.List, pl.Array, pl.Struct, pl.Object, pl.Binary)


@dataclass(frozen=True)
class Problem:
    """One located problem in a user's extract."""

    kind: str
    table: str
    origin: str
    row: int | None
    column: str | None
    message: str

    def location(self) -> str:
        parts = [self.origin]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


class ExtractError(LedinfoError):
    """The extract has problems; :meth:`report` lists them."""

    def __init__(self, problems: list[Problem], counts: Counter, description: str = "") -> None:
        self.problems = problems
        self.counts = counts
        self.description = description
        super().__init__(self.report())

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def report(self, limit: int = REPORT_LIMIT) -> str:
        where = f" in {self.description}" if self.description else ""
        noun = "problem" if self.total == 1 else "problems"
        lines = [f"The extract{where} has {self.total} {noun}; nothing was built.", ""]
        lines += [f"  {p}" for p in self.problems[:limit]]
        if self.total > limit:
            lines.append(f"  … and {self.total - limit} more (first {limit} shown)")
        lines += ["", "Problems by kind:"]
        width = max(len(KINDS[k]) for k in self.counts)
        for kind in KINDS:
            if self.counts.get(kind):
                lines.append(f"  {KINDS[kind]:<{width}}  {self.counts[kind]}")
        lines += ["", "The extract format is described in docs/extract-format.md."]
        # A last net under every message kind (a mapping's, a column name, a folder name):
        # no CPR number is ever repeated to the user.
        return redact("\n".join(lines))


@dataclass
class _Collector:
    """Counts every problem and keeps the first few of each group as examples."""

    counts: Counter = field(default_factory=Counter)
    examples: list[tuple[int, int, Problem]] = field(default_factory=list)
    table_order: dict[str, int] = field(default_factory=dict)
    # (table, column) -> the rows that hold a CPR number: already reported as such, and
    # left out of every other check, whose message would point at the number.
    cpr_rows: dict[tuple[str, str], pl.Series] = field(default_factory=dict)

    def add(self, problem: Problem, count: int = 1) -> None:
        self.counts[problem.kind] += count
        order = self.table_order.setdefault(problem.table, len(self.table_order))
        self.examples.append((order, problem.row or 0, problem))

    def add_masked(self, raw: RawTable, mask: pl.Series, kind: str, column: str | None,
                   message, values: pl.Series | None = None) -> None:
        """Report every row where ``mask`` is true; ``message(value)`` words it."""
        mask = mask.fill_null(False)
        cpr_rows = self.cpr_rows.get((raw.name, column)) if kind != "cpr_number" else None
        if cpr_rows is not None and len(cpr_rows) == len(mask):
            mask = mask & ~cpr_rows
        count = int(mask.sum())
        if not count:
            return
        self.counts[kind] += count
        order = self.table_order.setdefault(raw.name, len(self.table_order))
        rows = pl.arg_where(mask, eager=True).head(EXAMPLES_PER_GROUP).to_list()
        shown = values.filter(mask).head(EXAMPLES_PER_GROUP).to_list() if values is not None else [None] * len(rows)
        for index, value in zip(rows, shown):
            row = raw.row_number(index)
            self.examples.append((order, row, Problem(kind, raw.name, raw.origin, row, column, message(value))))

    def sorted_problems(self) -> list[Problem]:
        return [p for _, _, p in sorted(self.examples, key=lambda item: (item[0], item[1]))]


def _show(value) -> str:
    """Quote a bad value for a message, hiding anything CPR-shaped."""
    if value is None:
        return "(empty)"
    text = redact_value(str(value))  # before shortening, so no part of a number is left (its groups split too)
    return repr(text if len(text) <= 40 else text[:37] + "...")


DATE_HELP = "accepted: YYYY-MM-DD, DD-MM-YYYY, DD.MM.YYYY"
DATETIME_HELP = "accepted: YYYY-MM-DD HH:MM[:SS], ISO 8601 with T and offset, DD-MM-YYYY HH:MM, DD.MM.YYYY HH:MM"


def _not_a_date(value, accepted: str, what: str = "") -> str:
    """``'30-02-2026' is not a date (February has 28 days)``; the accepted forms when it has no date's shape."""
    return f"{_show(value)} is not a date{what} ({why_not_a_date(value) or accepted})"


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


def _as_strings(series: pl.Series) -> pl.Series:
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


def _type_column(raw: RawTable, series: pl.Series, column: Column, out: _Collector) -> pl.Series:
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
        strings = _as_strings(series)
        present = strings.is_not_null()
        if column.kind in ("id", "text"):
            typed = strings
            if column.pattern:
                bad = present & ~strings.str.contains(column.pattern)
                shown = (lambda v: "the value (not shown)") if column.personal else _show
                out.add_masked(raw, bad, "bad_format", name,
                               lambda v: f"{shown(v)} does not look like {_FORMAT_HINTS.get(name, column.pattern)}",
                               strings)
        elif column.kind == "category":
            typed = normalise_category(strings)
            bad = present & ~typed.is_in(list(column.categories))
            allowed = ", ".join(column.categories)
            out.add_masked(raw, bad, "unknown_category", name,
                           lambda v: f"unknown value {_show(v)}{_suggestion(v, column.categories)} (allowed: {allowed})",
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
            out.add_masked(raw, bad, "wrong_type", name, lambda v: f"{_show(v)} is not {word}", strings)
            typed = _check_numbers(raw, numbers, column, out, strings).cast(column.dtype).alias(name)
        elif column.kind == "bool":
            lowered = strings.str.to_lowercase()
            typed = pl.select(
                pl.when(lowered.is_in(list(_TRUE))).then(True).when(lowered.is_in(list(_FALSE))).then(False)
            ).to_series().alias(name)
            bad = present & typed.is_null()
            out.add_masked(raw, bad, "wrong_type", name, lambda v: f"{_show(v)} is not yes/no (use true or false)",
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


def _check_numbers(raw: RawTable, numbers: pl.Series, column: Column, out: _Collector,
                   shown: pl.Series) -> pl.Series:
    """Refuse NaN, infinity, fractions in whole-number columns and values outside the column's
    range; return the numbers (Float64) with those values emptied, ready to cast."""
    name = column.name
    # NaN and infinity parse as floats ("NaN", "inf", "1e999") but are no amount: they printed
    # as "NaN %" and made the JSON invalid.
    endless = numbers.is_not_null() & ~numbers.is_finite()
    out.add_masked(raw, endless, "wrong_type", name,
                   lambda v: f"{_show(v)} is not a number (NaN and infinity are not allowed)", shown)
    numbers = pl.select(pl.when(~endless.fill_null(False)).then(numbers)).to_series().alias(name)
    if column.kind == "int":
        fractional = numbers.is_not_null() & (numbers != numbers.round(0))
        out.add_masked(raw, fractional, "wrong_type", name, lambda v: f"{_show(v)} is not a whole number", shown)
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
    return repr(REDACTED) if contains_cpr(digits) else _show(_number(value))


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


def _refuse_nested_columns(raw: RawTable, frame: pl.DataFrame, out: _Collector) -> bool:
    """A Parquet column of lists, structs or bytes holds no table values; True if there is one."""
    found = False
    for name, dtype in frame.schema.items():
        if isinstance(dtype, _NESTED_TYPES):
            found = True
            out.add(Problem("wrong_type", raw.name, raw.origin, None, name,
                            f"the column holds {dtype} values; each cell must hold one text, number or date"))
    return found


_CONTROL_NAMES = {0: "NUL", 9: "tab", 10: "line feed", 13: "carriage return", 27: "ESC", 127: "DEL"}


def _control_name(value: str, pattern: str) -> str:
    found = re.search(pattern, value)
    code = ord(found.group()) if found else 0
    name = _CONTROL_NAMES.get(code)
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def _refuse_control_characters(raw: RawTable, frame: pl.DataFrame, spec: TableSpec, out: _Collector) -> pl.DataFrame:
    """Report every text value holding a control character, without echoing it.

    The reported characters are then removed, so the value's other checks (a category, a
    date) neither repeat the problem nor print the value with the character in it.
    """
    known = {c.name: c for c in spec.columns}
    for name, dtype in frame.schema.items():
        if dtype not in (pl.String, pl.Categorical) and not isinstance(dtype, pl.Enum):
            continue
        free = known[name].free_text if name in known else True  # extra columns may be notes
        pattern = CONTROL_IN_FREE_TEXT if free else CONTROL
        strings = _as_strings(frame[name])  # leading and trailing line breaks are trimmed anyway
        bad = strings.str.contains(pattern).fill_null(False)
        if not bad.any():
            continue
        out.add_masked(raw, bad, "control_character", name,
                       lambda v, p=pattern: f"holds the control character {_control_name(v, p)} (value not shown); "
                                            "remove it from the extract", strings)
        frame = frame.with_columns(frame[name].cast(pl.String).str.replace_all(pattern, ""))
    return frame


# Beyond control characters, text that does not print as written. In every text: the bidirectional
# embeddings, overrides and isolates (LRE … RLO U+202E … PDI), which reorder what is shown ("Trojan
# Source"). In names and ids (a team reaches file names, PDF titles and mail subjects; an id is looked up)
# also: the bidirectional marks (LRM, RLM, ALM; a note in a right-to-left script needs them, a name does
# not), the line and paragraph separators U+2028/U+2029 (a line break to a mail header, a PDF and a
# terminal), every other invisible format character (zero-width space, soft hyphen, word joiner, BOM: two
# names that look alike differ), and a value with nothing visible (only a zero-width space, a Hangul filler).
_REORDERING = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = _REORDERING + "\u061c\u200e\u200f"
_REORDERS = "the bidirectional control {char}, which reorders what is shown"
# (pattern, which character it finds, how the message names it), checked in this order, one problem a value
_IN_EVERY_TEXT = ((f"[{_REORDERING}]", lambda c: c in _REORDERING, _REORDERS),)
_IN_NAMES = ((r"[\p{Zl}\p{Zp}]", lambda c: unicodedata.category(c) in ("Zl", "Zp"),
              "the line or paragraph separator {char}"),
             (f"[{_BIDI}]", lambda c: c in _BIDI, _REORDERS),
             (r"\p{Cf}", lambda c: unicodedata.category(c) == "Cf", "the invisible character {char}"))
_BLANK_LETTERS = "[\u115f\u1160\u3164\uffa0\u2800]"  # fillers: letters or symbols that show nothing
_VISIBLE = r"[\p{L}\p{N}\p{P}\p{S}]"


def _character(value: str, finds) -> str:
    """``U+202E (right-to-left override)``: the first character of ``value`` that ``finds``."""
    character = next((c for c in value if finds(c)), "\x00")
    return f"U+{ord(character):04X} ({unicodedata.name(character, 'unnamed').lower()})"


def _shows_something(strings: pl.Series) -> pl.Series:
    return strings.str.replace_all(_BLANK_LETTERS, "").str.contains(_VISIBLE).fill_null(False)


def _refuse_unprintable_text(raw: RawTable, frame: pl.DataFrame, spec: TableSpec, out: _Collector) -> pl.DataFrame:
    """Report every text value that does not print as written (see ``_IN_NAMES``), without echoing it; the
    characters reported are removed, so no later check prints the value with them."""
    known = {c.name: c for c in spec.columns}
    for name, dtype in frame.schema.items():
        if dtype not in (pl.String, pl.Categorical) and not isinstance(dtype, pl.Enum):
            continue
        column = known.get(name)
        is_name = column is not None and not column.free_text and column.kind in ("id", "text", "category")
        checks = _IN_NAMES if is_name else _IN_EVERY_TEXT
        strings = _as_strings(frame[name])
        # a name of nothing but invisible characters is said as such, not as the first of them
        blank = (strings.is_not_null() & ~_shows_something(strings) if is_name
                 else pl.Series([False] * len(strings), dtype=pl.Boolean))
        reported = blank
        for pattern, finds, words in checks:
            found = strings.str.contains(pattern).fill_null(False) & ~reported
            out.add_masked(raw, found, "unprintable_text", name,
                           lambda v, f=finds, w=words: f"holds {w.format(char=_character(v, f))} (value not shown); "
                                                       "remove it from the extract", strings)
            reported = reported | found
        out.add_masked(raw, blank, "unprintable_text", name,
                       lambda v: "shows nothing visible (only invisible or blank characters); write the name out")
        removed = "|".join(pattern for pattern, _, _ in checks)
        if strings.str.contains(removed).fill_null(False).any():  # (a blank one kept: not also "a missing value")
            text = frame[name].cast(pl.String)
            frame = frame.with_columns(pl.select(pl.when(blank).then(text).otherwise(text.str.replace_all(removed, "")))
                                       .to_series().alias(name))
    return frame


_CPR_MESSAGE = "holds a CPR number (value not shown); remove it from the extract"


def _check_cpr(raw: RawTable, spec: TableSpec, names: list[str], dropped: set[str], out: _Collector) -> None:
    """Refuse a CPR number in any column, in any column name and in the file's name.

    Every column is searched as the raw text the user wrote, before it is typed: a CPR
    number typed into a date column is reported as a CPR number (never as an unparseable
    date, which would echo it), and its cells are left out of later checks. A number in a
    number column is judged by the column (:func:`_plausible_number`).
    """
    header_row = raw.first_row - 1 if raw.first_row > 1 else None
    if holds_cpr(PurePath(raw.origin).name):  # it is printed in messages and listed in manifest.json
        out.add(Problem("cpr_number", raw.name, raw.origin, None, None,
                        "the file's name holds a CPR number (not shown); rename the file"))
    columns = {column.name: column for column in spec.columns}
    for position, (original, name) in enumerate(zip(raw.frame.columns, names), start=1):
        if holds_cpr(original):
            out.add(Problem("cpr_number", raw.name, raw.origin, header_row, None,
                            f"the name of column {position} {_CPR_MESSAGE}"))
        if name in dropped:
            continue
        series = raw.frame.get_column(original)
        if series.dtype.is_nested():  # a Parquet list or struct: search its printed form
            series = pl.Series(original, [None if v is None else str(v) for v in series.to_list()], dtype=pl.String)
        mask = cpr_mask(series)
        column = columns.get(name)
        if mask.any() and column is not None and column.kind in ("int", "float"):
            mask = mask & ~_plausible_number(raw, series, column)
        if mask.any():
            out.add_masked(raw, mask, "cpr_number", name, lambda v: _CPR_MESSAGE)
            out.cpr_rows[(raw.name, name)] = mask


def _plausible_number(raw: RawTable, series: pl.Series, column: Column) -> pl.Series:
    """The values that read as a number of ``column``, not as a CPR number.

    In an amount column (DKK: ``monthly_cost``, ``budget_*``, ``actual``, ``forecast``) every
    number is an amount: a large municipality's year-end forecast (112711377,6, 2504637933)
    has the digits of a CPR number, and one too large for the column is reported as out of
    its range (without its digits). In another number column, a CPR number is one that
    cannot be a value of it (an FTE of 504637933). In both, a number written with a leading
    zero (0104901234) is no amount or count but an id: a CPR number.
    """
    strings = _as_strings(series)
    numbers = parse_numbers(strings, raw.decimal_comma)
    fits = numbers.is_not_null() & ~strings.str.contains(r"^0\d")
    if not column.amount:
        low = column.minimum if column.minimum is not None else float("-inf")
        high = column.maximum if column.maximum is not None else float("inf")
        fits = fits & (numbers >= low) & (numbers <= high)
    return fits.fill_null(False)


def _validate_table(handed: list[RawTable], spec: TableSpec, out: _Collector) -> pl.DataFrame | None:
    """The table ``handed`` over (taken from the list, so that this function holds its text alone), typed and
    checked; None when its columns cannot be read. Each column's text is let go as soon as it is typed: a large
    extract's text is the largest thing a build holds, more than the typed tables (issue 27)."""
    raw = handed.pop()
    frame = raw.frame
    # the names as written: a reader renames a name given twice (fte, fte_duplicated_0), which must not pass
    names = [normalise_header(n) for n in (raw.header or frame.columns)]
    # Columns of personal data by name (a `cpr` column) are dropped unread.
    # (a column the table's format names — staff.name — is kept and checked as the format says)
    known = {column.name for column in spec.columns}
    dropped = {n for n in names if (n in PERSONAL_COLUMNS and n not in known) or n in spec.drop}
    _check_cpr(raw, spec, names, dropped, out)
    header_row = raw.first_row - 1 if raw.first_row > 1 else None
    for name, count in Counter(names).items():
        if count > 1:
            positions = [str(i) for i, n in enumerate(names, start=1) if n == name]
            out.add(Problem("duplicate_column", raw.name, raw.origin, header_row, name,
                            f"column {name!r} appears {count} times (columns {', '.join(positions)}); keep one, "
                            "so no value is read from the wrong one"))
    if len(set(names)) != len(names):
        return None
    frame = frame.rename(dict(zip(frame.columns, names)))
    raw = replace(raw, frame=raw.frame.clear())  # from here on only ``frame`` holds the text
    personal = [n for n in names if n in dropped]
    if personal:
        log.info("%s: personal column(s) %s dropped at load", raw.origin, ", ".join(personal))
    frame = frame.drop(personal)

    missing = [c for c in spec.required_columns if c not in frame.columns]
    for name in missing:
        out.add(Problem("missing_column", raw.name, raw.origin, None, name,
                        f"required column {name!r} is missing (found: {', '.join(frame.columns) or 'none'})"))
    if missing or _refuse_nested_columns(raw, frame, out):
        return None
    frame = _refuse_control_characters(raw, frame, spec, out)
    frame = _refuse_unprintable_text(raw, frame, spec, out)

    typed: dict[str, pl.Series] = {}
    height = frame.height
    for column in spec.columns:
        if column.name in frame.columns:
            typed[column.name] = _type_column(raw, frame[column.name], column, out)
            frame = frame.drop(column.name)  # its text, let go
        else:
            typed[column.name] = pl.Series(column.name, [column.default] * height, dtype=column.dtype)
    known = set(typed)
    extras = [n for n in frame.columns if n not in known]
    for name in extras:
        typed[name] = _as_strings(frame[name])

    result = pl.DataFrame(list(typed.values()))

    for earlier, later in spec.ordered:
        first, second = result[earlier], result[later]
        if first.dtype != second.dtype:
            first, second = first.cast(pl.Date), second.cast(pl.Date)
        wrong = first.is_not_null() & second.is_not_null() & (second < first)
        out.add_masked(raw, wrong, "end_before_start", later,
                       lambda v, e=earlier, x=later: f"{x} {_show(v)} is before {e}", result[later])

    for column in spec.columns:  # an end reason on a measure that has not ended: the end is missing, or the reason wrong
        if column.only_with is not None:
            alone = result[column.name].is_not_null() & result[column.only_with].is_null()
            out.add_masked(raw, alone, "without_its_event", column.name,
                           lambda v, c=column: f"{c.name} {_show(v)} is given but {c.only_with} is empty", result[column.name])

    key = [c for c in spec.key + spec.extra_key if c in result.columns]
    if key:
        keyed = result.select(key)
        complete = pl.all_horizontal(pl.col(c).is_not_null() for c in key)
        row = pl.struct(key)
        repeat = keyed.select(complete & row.is_duplicated() & ~row.is_first_distinct()).to_series()
        label = " + ".join(key)
        shown = keyed.select(pl.concat_str([pl.col(c).cast(pl.String) for c in key], separator=" / ")).to_series()
        out.add_masked(raw, repeat, "duplicate_id", spec.key[0],
                       lambda v: f"duplicate {label} {_show(v)} (each must appear once)", shown)
    if spec.name == "staff":
        _check_overlapping_periods(raw, result, out)
    return result


def _check_overlapping_periods(raw: RawTable, staff: pl.DataFrame, out: _Collector) -> None:
    """A person's employment periods must not overlap (a caseworker would count twice)."""
    ordered = staff.with_row_index("_row").filter(pl.col("start_date").is_not_null()).sort("staff_id", "start_date")
    previous_end = pl.col("end_date").shift(1).over("staff_id")
    overlapping = ordered.with_columns(
        ((pl.col("staff_id") == pl.col("staff_id").shift(1)) & (previous_end.is_null() | (previous_end >= pl.col(
            "start_date")))).fill_null(False).alias("_overlap"))
    rows = overlapping.filter(pl.col("_overlap"))["_row"].to_list()
    mask = pl.Series([False] * staff.height)
    if rows:
        mask = pl.Series([i in set(rows) for i in range(staff.height)])
    out.add_masked(raw, mask, "overlapping_periods", "start_date",
                   lambda v: f"this employment period of staff_id {_show(v)} overlaps an earlier one", staff["staff_id"])


def _check_references(raws: dict[str, RawTable], tables: dict[str, pl.DataFrame], out: _Collector) -> None:
    for name, frame in tables.items():
        spec = SCHEMA[name]
        for column in spec.columns:
            if column.references is None:
                continue
            target_table, target_column = column.references
            if target_table not in tables:
                continue
            known = tables[target_table][target_column].drop_nulls().unique()
            values = frame[column.name]
            dangling = values.is_not_null() & ~values.is_in(known.implode(), nulls_equal=False)
            target = raws[target_table].origin
            out.add_masked(raws[name], dangling, "dangling_reference", column.name,
                           lambda v, t=target_table, o=target: f"{_show(v)} has no row in {t} ({o})", values)


def _skip_blank_rows(raw: RawTable) -> RawTable:
    """Leave out rows with every cell empty (a trailing blank line, Excel's ``;;;;;;``),
    keeping the row numbers the user sees for the others."""
    frame = raw.frame
    if not frame.height or not frame.width:
        return raw
    empty = [pl.col(n).is_null() | (pl.col(n).str.strip_chars() == "") if t == pl.String else pl.col(n).is_null()
             for n, t in frame.schema.items()]
    blank = frame.select(pl.all_horizontal(empty).fill_null(False)).to_series()
    if not blank.any():
        return raw
    skipped = [raw.row_number(i) for i in pl.arg_where(blank, eager=True).to_list()]
    log.info("%s: %d empty row(s) skipped (row %s)", raw.origin, len(skipped), ", ".join(map(str, skipped[:20])))
    kept = [raw.row_number(i) for i in pl.arg_where(~blank, eager=True).to_list()]
    return replace(raw, frame=frame.filter(~blank), rows=kept)


def _check_team_names(raws: dict[str, RawTable], tables: dict[str, pl.DataFrame], out: _Collector) -> None:
    """Every team names its team-leader pack files (``<pack>-<slug of the team>.pdf``): a name too long
    for a file, or two names with one file name, would stop the build, so validation refuses them."""
    first: dict[str, tuple[RawTable, int]] = {}  # team -> where it is first seen
    for name in ("cases", "staff"):
        if name not in tables or "team" not in tables[name].columns:
            continue
        seen = (tables[name].with_row_index("_index").filter(pl.col("team").is_not_null())
                .group_by("team").agg(pl.col("_index").min()).sort("_index"))
        for team, index in seen.iter_rows():
            first.setdefault(team, (raws[name], raws[name].row_number(index)))
    stems: dict[str, tuple[str, RawTable, int]] = {}
    for team, (raw, row) in first.items():
        stem = slug(team)
        if holds_cpr(stem) and not holds_cpr(team):  # "+45 2504637933" is a phone number, 45-2504637933 no
            out.add(Problem("cpr_number", raw.name, raw.origin, row, "team",
                            "the team's pack file names would hold a CPR number (value not shown); rename the team"))
        elif len(team) > MAX_TEAM_NAME or len(stem) > MAX_TEAM_NAME:
            out.add(Problem("unusable_team_name", raw.name, raw.origin, row, "team",
                            f"the team name {_show(team)} is {len(team)} characters long; at most {MAX_TEAM_NAME} "
                            "(it names the team's pack files)"))
        elif stem in stems:
            other, other_raw, other_row = stems[stem]
            out.add(Problem("unusable_team_name", raw.name, raw.origin, row, "team",
                            f"the team {_show(team)} gives the same pack file name (…-{stem}.pdf) as the team "
                            f"{_show(other)} ({other_raw.origin}, row {other_row}); spell a team the same way "
                            "everywhere, or rename one"))
        else:
            stems[stem] = (team, raw, row)


def validate_extract(raw: RawExtract, mappings: dict | None = None) -> Extract:
    """Map (``[mapping]`` in the config), type and check every table of ``raw``;
    raise :class:`ExtractError` listing all problems."""
    out = _Collector()
    tables: dict[str, pl.DataFrame] = {}
    defaulted: dict[str, tuple[str, ...]] = {}
    for name in SCHEMA:  # the schema's order gives a stable report
        if name in raw.tables:
            table = raw.tables[name] = _skip_blank_rows(raw.tables[name])
            if mappings and name in mappings:
                def report(mask, column, message, values=None, table=replace(table, frame=table.frame.clear())):
                    out.add_masked(table, mask, "unmapped_value", column, message, values)

                table = replace(table, frame=apply_mapping(table.frame, mappings[name], report, name))
            given = {normalise_header(c) for c in table.frame.columns}
            # the raw extract keeps each table's columns and row numbers (what follows locates a row by them); its
            # text is handed to the validation, which lets go of it column by column
            raw.tables[name] = replace(table, frame=table.frame.clear())
            handed = [table]
            del table
            result = _validate_table(handed, SCHEMA[name], out)
            if result is not None:
                tables[name] = result
                defaulted[name] = tuple(c.name for c in SCHEMA[name].columns if c.name not in given)
    for name in REQUIRED_TABLES:
        if name not in raw.tables:
            out.add(Problem("missing_table", name, raw.description or "the extract", None, None,
                            f"the table {name!r} is missing; every extract needs it"))
    _check_team_names(raw.tables, tables, out)
    _check_references(raw.tables, tables, out)  # against an empty table too: a reference into it dangles
    empty = _without_rows(raw.tables, tables, out)
    if out.counts:
        raise ExtractError(out.sorted_problems(), out.counts, raw.description)
    return Extract(
        tables={name: frame for name, frame in tables.items() if name not in empty},
        origins={name: table.origin for name, table in raw.tables.items()},
        fingerprints=dict(raw.fingerprints),
        description=raw.description,
        defaulted=defaulted,
        empty=empty,
        extracted_on=raw.extracted_on,
    )


def _without_rows(raws: dict[str, RawTable], tables: dict[str, pl.DataFrame], out: _Collector) -> tuple[str, ...]:
    """The optional tables given without a row, to be left out as if absent; a required one is refused.

    A header-only ``staff.csv`` is no staff: read as data it made every active case one "without a
    caseworker". Left out, the sections that need it are left out of the packs, saying so.
    """
    empty = []
    for name, frame in tables.items():
        if frame.height:
            continue
        if name in REQUIRED_TABLES:
            out.add(Problem("empty_table", name, raws[name].origin, None, None,
                            f"the table {name!r} has no rows (a header only, or a query that returns nothing); "
                            "every extract needs its cases"))
            continue
        empty.append(name)
        log.warning("%s has no rows: the %s table is left out, as if absent, and the sections that need it say so",
                    raws[name].origin, name)
    return tuple(empty)


__all__ = ["CPR_PATTERN", "KINDS", "PERSONAL_COLUMNS", "ExtractError", "Problem", "validate_extract"]
