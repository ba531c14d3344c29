"""Validate raw tables against the extract format and type them.

Validation reports *every* problem at once: each with the file, table, row and
column, grouped by kind. A user's bad data is a :class:`ExtractError` (exit
code 2) with a readable report, never a traceback.

This module takes a table through its checks in order and checks the tables against each other; beside it: the
problems and their report (:mod:`ledinfo.extract.problems`), outside text refused before it is read
(:mod:`ledinfo.extract.unsafe_text`), a column typed as its kind (:mod:`ledinfo.extract.typed_columns`).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace

import polars as pl

from ledinfo.extract.mapping import apply_mapping
from ledinfo.extract.model import Extract, RawExtract, RawTable
from ledinfo.extract.problems import Collector, ExtractError, Problem, show_value
from ledinfo.extract.schema import MAX_TEAM_NAME, SCHEMA, TableSpec
from ledinfo.extract.typed_columns import as_strings, normalise_header, type_column
from ledinfo.extract.unsafe_text import check_cpr, refuse_control_characters, refuse_nested_columns, refuse_unprintable_text
from ledinfo.language import slug
from ledinfo.privacy.cpr import holds_cpr

log = logging.getLogger("ledinfo.extract")

REQUIRED_TABLES = ("cases",)

# Columns that carry personal data by their name (CPR numbers, names, contact details); dropped
# at load, so no section can ever print them.
PERSONAL_COLUMNS = {"cpr", "cpr_nr", "cprnr", "cpr_nummer", "cprnummer", "personnummer", "navn", "name", "fornavn",
                    "efternavn", "fulde_navn", "fuldt_navn", "full_name", "first_name", "last_name", "adresse",
                    "address", "email", "e_mail", "telefon", "phone", "mobil", "mobile"}


def _validate_table(handed: list[RawTable], spec: TableSpec, out: Collector) -> pl.DataFrame | None:
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
    check_cpr(raw, spec, names, dropped, out)
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
    if missing or refuse_nested_columns(raw, frame, out):
        return None
    frame = refuse_control_characters(raw, frame, spec, out)
    frame = refuse_unprintable_text(raw, frame, spec, out)

    typed: dict[str, pl.Series] = {}
    height = frame.height
    for column in spec.columns:
        if column.name in frame.columns:
            typed[column.name] = type_column(raw, frame[column.name], column, out)
            frame = frame.drop(column.name)  # its text, let go
        else:
            typed[column.name] = pl.Series(column.name, [column.default] * height, dtype=column.dtype)
    known = set(typed)
    extras = [n for n in frame.columns if n not in known]
    for name in extras:
        typed[name] = as_strings(frame[name])

    result = pl.DataFrame(list(typed.values()))

    for earlier, later in spec.ordered:
        first, second = result[earlier], result[later]
        if first.dtype != second.dtype:
            first, second = first.cast(pl.Date), second.cast(pl.Date)
        wrong = first.is_not_null() & second.is_not_null() & (second < first)
        out.add_masked(raw, wrong, "end_before_start", later,
                       lambda v, e=earlier, x=later: f"{x} {show_value(v)} is before {e}", result[later])

    for column in spec.columns:  # an end reason on a measure that has not ended: the end is missing, or the reason wrong
        if column.only_with is not None:
            alone = result[column.name].is_not_null() & result[column.only_with].is_null()
            out.add_masked(raw, alone, "without_its_event", column.name,
                           lambda v, c=column: f"{c.name} {show_value(v)} is given but {c.only_with} is empty",
                           result[column.name])

    key = [c for c in spec.key + spec.extra_key if c in result.columns]
    if key:
        keyed = result.select(key)
        complete = pl.all_horizontal(pl.col(c).is_not_null() for c in key)
        row = pl.struct(key)
        repeat = keyed.select(complete & row.is_duplicated() & ~row.is_first_distinct()).to_series()
        label = " + ".join(key)
        shown = keyed.select(pl.concat_str([pl.col(c).cast(pl.String) for c in key], separator=" / ")).to_series()
        out.add_masked(raw, repeat, "duplicate_id", spec.key[0],
                       lambda v: f"duplicate {label} {show_value(v)} (each must appear once)", shown)
    if spec.name == "staff":
        _check_overlapping_periods(raw, result, out)
    return result


def _check_overlapping_periods(raw: RawTable, staff: pl.DataFrame, out: Collector) -> None:
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
                   lambda v: f"this employment period of staff_id {show_value(v)} overlaps an earlier one", staff["staff_id"])


def _check_references(raws: dict[str, RawTable], tables: dict[str, pl.DataFrame], out: Collector) -> None:
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
                           lambda v, t=target_table, o=target: f"{show_value(v)} has no row in {t} ({o})", values)


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


def _check_team_names(raws: dict[str, RawTable], tables: dict[str, pl.DataFrame], out: Collector) -> None:
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
                            f"the team name {show_value(team)} is {len(team)} characters long; at most {MAX_TEAM_NAME} "
                            "(it names the team's pack files)"))
        elif stem in stems:
            other, other_raw, other_row = stems[stem]
            out.add(Problem("unusable_team_name", raw.name, raw.origin, row, "team",
                            f"the team {show_value(team)} gives the same pack file name (…-{stem}.pdf) as the team "
                            f"{show_value(other)} ({other_raw.origin}, row {other_row}); spell a team the same way "
                            "everywhere, or rename one"))
        else:
            stems[stem] = (team, raw, row)


def validate_extract(raw: RawExtract, mappings: dict | None = None) -> Extract:
    """Map (``[mapping]`` in the config), type and check every table of ``raw``;
    raise :class:`ExtractError` listing all problems."""
    out = Collector()
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


def _without_rows(raws: dict[str, RawTable], tables: dict[str, pl.DataFrame], out: Collector) -> tuple[str, ...]:
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


__all__ = ["PERSONAL_COLUMNS", "REQUIRED_TABLES", "validate_extract"]
