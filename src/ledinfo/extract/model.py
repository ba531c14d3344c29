"""The data types on either side of validation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from ledinfo.errors import SourceError
from ledinfo.language import danish_sort_key


@dataclass
class RawTable:
    """A table as a source read it, before validation.

    ``first_row`` is the row number the user sees for the first data row: 2 in a
    CSV or spreadsheet (the header is row 1), 1 in Parquet or a database query.
    ``rows`` holds the row number of each frame row once blank rows are skipped
    (row numbers then have gaps); None while they follow on from ``first_row``.
    ``header`` holds the column names as the file wrote them where the reader had to
    rename some (a name given twice: Polars calls the second ``fte_duplicated_0``), so
    validation can refuse the name given twice rather than read the first and drop the other.
    """

    name: str
    frame: pl.DataFrame
    origin: str  # the file or query the user can open: "data/cases.csv"
    first_row: int = 2
    decimal_comma: bool = False  # numbers are written 1.234,5 (Danish Excel)
    rows: list[int] | None = None
    header: tuple[str, ...] | None = None

    def row_number(self, index: int) -> int:
        """The row number the user sees for the frame's row ``index``."""
        return self.rows[index] if self.rows is not None else self.first_row + index


@dataclass
class RawExtract:
    """What a source returns: raw tables plus fingerprints of what it read."""

    tables: dict[str, RawTable]
    fingerprints: dict[str, str] = field(default_factory=dict)  # input name -> sha256 or description
    description: str = ""
    extracted_on: dt.date | None = None  # the day the source says it was taken (ledinfo.extract.metadata)


@dataclass
class Extract:
    """Validated tables in the Polars schemas of :mod:`ledinfo.extract.schema`."""

    tables: dict[str, pl.DataFrame]
    origins: dict[str, str] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    description: str = ""
    # optional columns the source did not have, filled with their default (cases' weight: 1),
    # so a section can say plainly that a figure rests on a default rather than on the data
    defaulted: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # optional tables the source gave without a row (a header-only file, a view returning nothing): left out
    # of ``tables``, as if absent, so no section counts "no staff" as "no caseworkers"; the packs say why
    empty: tuple[str, ...] = ()
    extracted_on: dt.date | None = None  # the day it was taken: its data end the day before (else its last event)

    def has(self, *names: str) -> bool:
        """Whether the extract holds every one of the tables ``names``."""
        return all(name in self.tables for name in names)

    def supplied(self, table: str, column: str) -> bool:
        """Whether the source gave ``table.column`` (not filled with the schema's default)."""
        return table in self.tables and column in self.tables[table].columns \
            and column not in self.defaulted.get(table, ())

    def missing(self, names) -> list[str]:
        """The tables of ``names`` the extract does not hold, in their order."""
        return [name for name in names if name not in self.tables]

    def __getitem__(self, name: str) -> pl.DataFrame:
        try:
            return self.tables[name]
        except KeyError:
            raise SourceError(f"the extract has no table {name!r}") from None

    def teams(self) -> list[str]:
        """Every team named in cases or staff, sorted the Danish way."""
        names: set[str] = set()
        for table in ("cases", "staff"):
            if table in self.tables:
                names.update(self.tables[table]["team"].unique().to_list())
        return sorted(names, key=danish_sort_key)
