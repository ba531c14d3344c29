"""Built-in source ``sql``: each table of the extract format from a query on a SQL data warehouse.

The queries sit in the config (or in a folder of ``<table>.sql`` files); the
connection URI comes from an environment variable, never from the config.
Polars reads through ADBC (PostgreSQL's driver is ``adbc-driver-postgresql``,
the ``ledinfo[sql]`` extra). What a query returns is validated exactly like a
file, with problems located by table, row and column; the usual way to map a
case system's own schema is a view per table (``examples/sql/``).
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import polars as pl
from pydantic import Field, field_validator

from ledinfo.api import (
    SCHEMA,
    ConfigError,
    FileKind,
    FileRefused,
    OneLineText,
    RawExtract,
    RawTable,
    Settings,
    Source,
    SourceError,
    hookimpl,
    read_text_confined,
)

# a query file in query_dir: read inside that folder, as text, and no larger than a query can sensibly be
SQL_QUERY = FileKind("SQL query file", 1024**2, "a query of a few pages is 20 kB", text=True, article="an")


class SqlOptions(Settings):
    """``[source]`` of ``type = "sql"``: the connection from an environment variable, the queries here or in files."""

    uri_env: OneLineText = Field(description="the environment variable that holds the connection URI, e.g. "
                                             "postgresql://user@host/db (never the URI itself)")
    queries: dict[str, str] = Field({}, description="a table: extract table = SQL query (a query spans lines)")
    query_dir: OneLineText | None = Field(None, description="a folder with <table>.sql files (relative to the "
                                                            "config file)")

    @field_validator("queries")
    @classmethod
    def _tables_of_the_format(cls, queries: dict[str, str]) -> dict[str, str]:
        unknown = [table for table in queries if table not in SCHEMA]
        if unknown:
            raise ValueError(f"{', '.join(map(repr, unknown))} is not a table of the extract format "
                             f"({', '.join(SCHEMA)})")
        return queries


class SqlSource(Source):
    name = "sql"
    description = "Queries on a SQL data warehouse (PostgreSQL through ADBC), one per table."
    Options = SqlOptions

    def read(self, options: SqlOptions, context):
        variable = options.uri_env
        uri = os.environ.get(variable)
        if not uri:
            raise ConfigError(f"the environment variable {variable} (the database URI for the sql source) is not set")
        queries = _queries(options, context.base_dir)
        tables, fingerprints = {}, {}
        for table, query in queries.items():
            frame = _read(uri, query, table)
            tables[table] = RawTable(table, _plain(frame), f"query for {table}", first_row=1)
            fingerprints[f"sql:{table}"] = _fingerprint(query, frame)
        return RawExtract(tables, fingerprints, f"database ({variable})")


def _queries(options: SqlOptions, base_dir: Path) -> dict[str, str]:
    queries = dict(options.queries)
    if options.query_dir is not None:
        folder = base_dir / options.query_dir
        if not folder.is_dir():
            raise ConfigError(f"sql source: query_dir {folder} does not exist")
        for path in sorted(folder.glob("*.sql")):  # each inside query_dir, regular, at most 1 MB
            try:
                queries.setdefault(path.stem, read_text_confined(path, SQL_QUERY, folder))
            except FileRefused as refused:
                raise ConfigError(f"sql source: {refused}") from None
    if not queries:
        raise ConfigError("the sql source needs queries: [source.queries] cases = \"SELECT ... FROM ...\" (or query_dir)")
    unknown = [t for t in queries if t not in SCHEMA]
    if unknown:
        raise ConfigError(f"sql source: {', '.join(unknown)} is not a table of the extract format "
                          f"({', '.join(SCHEMA)})")
    return queries


def _read(uri: str, query: str, table: str) -> pl.DataFrame:
    try:
        return pl.read_database_uri(query, uri, engine="adbc")
    except ImportError:
        raise SourceError("the sql source needs the PostgreSQL driver: pip install 'ledinfo[sql]' "
                          "(adbc-driver-postgresql)") from None
    except Exception as error:  # the driver's own errors: connection refused, syntax, permissions
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SourceError(f"the query for table {table!r} failed: {first}") from None


def _plain(frame: pl.DataFrame) -> pl.DataFrame:
    """Database types Polars does not know (PostgreSQL numeric) arrive as extension types: read them as text."""
    known = (pl.String, pl.Date, pl.Boolean)
    columns = []
    for name, dtype in frame.schema.items():
        if dtype in known or dtype.is_numeric() or isinstance(dtype, pl.Datetime):
            columns.append(pl.col(name))
        else:
            columns.append(pl.col(name).to_physical().cast(pl.String, strict=False).alias(name))
    return frame.select(columns)


def _fingerprint(query: str, frame: pl.DataFrame) -> str:
    digest = hashlib.sha256(query.encode("utf-8"))
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="uncompressed")
    digest.update(buffer.getvalue())
    return digest.hexdigest()


@hookimpl
def ledinfo_register_sources(register):
    register(SqlSource())
