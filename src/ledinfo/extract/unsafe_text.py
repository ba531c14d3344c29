"""Outside text refused before anything reads it: CPR numbers in any cell, column name or file name, control
characters, text that does not print as written (bidirectional controls, invisible characters), cells that hold
no single value. Each reported without echoing it, and taken out so no later check prints it."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

import polars as pl

from ledinfo.extract.model import RawTable
from ledinfo.extract.problems import Collector, Problem
from ledinfo.extract.schema import TableSpec
from ledinfo.extract.typed_columns import as_strings, plausible_number
from ledinfo.outside import BIDI, BIDI_REORDERING, CONTROL, CONTROL_IN_LINES
from ledinfo.privacy.cpr import cpr_mask, holds_cpr

_NESTED_TYPES = (pl.List, pl.Array, pl.Struct, pl.Object, pl.Binary)


def refuse_nested_columns(raw: RawTable, frame: pl.DataFrame, out: Collector) -> bool:
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


def refuse_control_characters(raw: RawTable, frame: pl.DataFrame, spec: TableSpec, out: Collector) -> pl.DataFrame:
    """Report every text value holding a control character, without echoing it.

    The reported characters are then removed, so the value's other checks (a category, a
    date) neither repeat the problem nor print the value with the character in it.
    """
    known = {c.name: c for c in spec.columns}
    for name, dtype in frame.schema.items():
        if dtype not in (pl.String, pl.Categorical) and not isinstance(dtype, pl.Enum):
            continue
        free = known[name].free_text if name in known else True  # extra columns may be notes
        pattern = (CONTROL_IN_LINES if free else CONTROL).pattern
        strings = as_strings(frame[name])  # leading and trailing line breaks are trimmed anyway
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
_REORDERING, _BIDI = BIDI_REORDERING, BIDI  # (defined in ledinfo.outside: one-line settings refuse them too)
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


def refuse_unprintable_text(raw: RawTable, frame: pl.DataFrame, spec: TableSpec, out: Collector) -> pl.DataFrame:
    """Report every text value that does not print as written (see ``_IN_NAMES``), without echoing it; the
    characters reported are removed, so no later check prints the value with them."""
    known = {c.name: c for c in spec.columns}
    for name, dtype in frame.schema.items():
        if dtype not in (pl.String, pl.Categorical) and not isinstance(dtype, pl.Enum):
            continue
        column = known.get(name)
        is_name = column is not None and not column.free_text and column.kind in ("id", "text", "category")
        checks = _IN_NAMES if is_name else _IN_EVERY_TEXT
        strings = as_strings(frame[name])
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


def check_cpr(raw: RawTable, spec: TableSpec, names: list[str], dropped: set[str], out: Collector) -> None:
    """Refuse a CPR number in any column, in any column name and in the file's name.

    Every column is searched as the raw text the user wrote, before it is typed: a CPR
    number typed into a date column is reported as a CPR number (never as an unparseable
    date, which would echo it), and its cells are left out of later checks. A number in a
    number column is judged by the column (:func:`plausible_number`).
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
            mask = mask & ~plausible_number(raw, series, column)
        if mask.any():
            out.add_masked(raw, mask, "cpr_number", name, lambda v: _CPR_MESSAGE)
            out.cpr_rows[(raw.name, name)] = mask
