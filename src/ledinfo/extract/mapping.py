"""Mapping a municipality's own exports onto the extract format, declared in the config.

HR and finance exports come with their own column names, organisation units,
position codes and account strings. A ``[mapping.<table>]`` table maps them
without code:

.. code-block:: toml

    [mapping.staff]
    divide = { fte = 37 }                          # hours a week -> FTE
    [mapping.staff.rename]                         # their column = our column
    Medarbejdernr = "staff_id"
    Organisationsenhed = "team"
    [mapping.staff.values.team]                    # organisation unit -> team
    "4711 Myndighed Børn" = "Børn"
    [mapping.staff.values.role]                    # position code -> role; "*" for the rest
    "SOCRÅD" = "raadgiver"
    TL = "teamleder"
    "*" = "andet"

    [mapping.budget.extract]                       # parse an account string
    function_code = { from = "account", pattern = '^(\\d\\.\\d{2}\\.\\d{2})' }

A value the mapping does not know is refused with its file, row and column, so
a new organisation unit is noticed rather than silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from ledinfo.errors import ConfigError
from ledinfo.extract.parsing import parse_numbers
from ledinfo.extract.problems import show_value
from ledinfo.extract.schema import SCHEMA


@dataclass(frozen=True)
class Extraction:
    source: str
    pattern: str


@dataclass(frozen=True)
class TableMapping:
    rename: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    extract: dict[str, Extraction] = field(default_factory=dict)
    divide: dict[str, float] = field(default_factory=dict)
    drop: tuple[str, ...] = ()


def parse_mappings(raw: dict) -> dict[str, TableMapping]:
    """Check the config's ``[mapping]`` tables; a ConfigError names every problem."""
    problems, mappings = [], {}
    for table, spec in raw.items():
        where = f"mapping.{table}"
        if table not in SCHEMA:
            problems.append(f"{where}: {table!r} is not a table of the extract format ({', '.join(SCHEMA)})")
            continue
        if not isinstance(spec, dict):
            problems.append(f"{where}: expected a table")
            continue
        unknown = set(spec) - {"rename", "values", "extract", "divide", "drop"}
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(sorted(unknown))} "
                            "(allowed: rename, values, extract, divide, drop)")
        extract = {}
        for target, item in spec.get("extract", {}).items():
            if not isinstance(item, dict) or set(item) != {"from", "pattern"}:
                problems.append(f"{where}.extract.{target}: write {{ from = \"column\", pattern = \"regex\" }}")
                continue
            try:
                if re.compile(item["pattern"]).groups < 1:
                    problems.append(f"{where}.extract.{target}: the pattern needs a group ( ... ) around the value")
            except re.error as error:
                problems.append(f"{where}.extract.{target}: not a regular expression: {error}")
            extract[target] = Extraction(item["from"], item["pattern"])
        divide = {}
        for column, divisor in spec.get("divide", {}).items():
            if not isinstance(divisor, (int, float)) or isinstance(divisor, bool) or divisor == 0:
                problems.append(f"{where}.divide.{column}: a non-zero number, got {divisor!r}")
            else:
                divide[column] = float(divisor)
        values = {}
        for column, table_of in spec.get("values", {}).items():
            if not isinstance(table_of, dict) or not all(isinstance(v, str) for v in table_of.values()):
                problems.append(f"{where}.values.{column}: a table of \"their value\" = \"our value\"")
                continue
            values[column] = {str(k): v for k, v in table_of.items()}
        mappings[table] = TableMapping(dict(spec.get("rename", {})), values, extract, divide,
                                       tuple(spec.get("drop", ())))
    if problems:
        listing = "\n".join(f"  {p}" for p in problems)
        raise ConfigError(f"The [mapping] has {len(problems)} problem(s):\n{listing}")
    return mappings


def apply_mapping(frame: pl.DataFrame, mapping: TableMapping, report, table: str = "<table>") -> pl.DataFrame:
    """Map one raw table; ``report(mask, column, message)`` records located problems."""
    lower = {name.lower(): name for name in frame.columns}
    renames = {lower[source.lower()]: target for source, target in mapping.rename.items() if source.lower() in lower}
    frame = frame.rename(renames)
    drop = [name for name in frame.columns if name.lower() in {d.lower() for d in mapping.drop}]
    frame = frame.drop(drop)
    for target, extraction in mapping.extract.items():
        if extraction.source not in frame.columns:
            report(pl.Series([True] * frame.height), extraction.source,
                   lambda v, c=extraction.source, t=target: f"column {c!r} for extract.{t} is missing")
            continue
        text = frame[extraction.source].cast(pl.String).str.strip_chars()
        found = text.str.extract(extraction.pattern, 1)
        report(text.is_not_null() & (text != "") & found.is_null(), extraction.source,
               lambda v, t=target: f"{show_value(v)} does not match the pattern for {t}", text)
        frame = frame.with_columns(found.alias(target))
    for column, table_of in mapping.values.items():
        if column not in frame.columns:
            continue
        text = frame[column].cast(pl.String).str.strip_chars()
        fallback = table_of.get("*")
        known = {k: v for k, v in table_of.items() if k != "*"}
        mapped = text.replace_strict(known, default=None, return_dtype=pl.String)
        unmapped = text.is_not_null() & (text != "") & mapped.is_null()
        if fallback is not None:
            mapped = pl.select(pl.when(unmapped).then(pl.lit(fallback)).otherwise(mapped)).to_series()
        else:
            report(unmapped, column, lambda v, c=column: f"{show_value(v)} is not in the mapping; add it to "
                                                          f"[mapping.{table}.values.{c}]", text)
        frame = frame.with_columns(mapped.alias(column))
    for column, divisor in mapping.divide.items():
        if column in frame.columns:
            numbers = parse_numbers(frame[column].cast(pl.String), decimal_comma=True)
            frame = frame.with_columns((numbers / divisor).alias(column))
    return frame
