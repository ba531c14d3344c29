"""Built-in source ``folder``: one file per table in a directory.

CSV (also Danish Excel's dialect), Parquet or .xlsx; the file name is the
table name: ``cases.csv``, ``staff.xlsx``, ``activities.parquet``.
"""

from __future__ import annotations

import difflib
import logging
from pathlib import Path

from ledinfo.api import RawExtract, Source, hookimpl
from ledinfo.errors import SourceError
from ledinfo.extract.readers import SUFFIXES, file_sha256, read_table_file
from ledinfo.extract.schema import SCHEMA

log = logging.getLogger("ledinfo.sources.folder")


def find_table_files(folder: Path, named: dict[str, str] | None = None) -> dict[str, Path]:
    """Map table names to the files in ``folder``; warn about files that are no table.

    ``named`` gives files whose names are not table names: {"staff": "loenudtraek.csv"}.
    """
    found: dict[str, Path] = {}
    named = named or {}
    for table, name in named.items():
        path = folder / name
        if table not in SCHEMA:
            raise SourceError(f"files: {table!r} is not a table of the extract format ({', '.join(SCHEMA)})")
        if not path.is_file():
            raise SourceError(f"files: {path} (the {table} table) does not exist")
        found[table] = path
    taken = {p.resolve() for p in found.values()}
    for path in sorted(folder.iterdir()):
        if path.resolve() in taken:
            continue
        if not path.is_file() or path.name.startswith((".", "~$")):
            continue
        stem, suffix = path.stem.lower(), path.suffix.lower()
        if suffix not in SUFFIXES:
            continue
        if stem not in SCHEMA:
            close = difflib.get_close_matches(stem, list(SCHEMA), n=1)
            hint = f" (did you mean {close[0]}{suffix}?)" if close else ""
            log.warning("%s is not a table of the extract format and is ignored%s", path, hint)
            continue
        if stem in named:
            continue  # the table is read from the file named in `files`
        if stem in found:
            raise SourceError(f"two files for table {stem!r} in {folder}: {found[stem].name} and {path.name}; "
                              "keep one")
        found[stem] = path
    return found


def read_folder(folder: Path, description: str | None = None, named: dict[str, str] | None = None) -> RawExtract:
    if not folder.is_dir():
        raise SourceError(f"the extract folder {folder} does not exist")
    files = find_table_files(folder, named)
    if not files:
        raise SourceError(f"{folder} holds no table files; expected e.g. cases.csv, staff.csv "
                          f"(one file per table: {', '.join(SCHEMA)})")
    tables = {name: read_table_file(path, name, str(path)) for name, path in files.items()}
    fingerprints = {path.name: file_sha256(path) for path in files.values()}
    return RawExtract(tables, fingerprints, description or str(folder))


class FolderSource(Source):
    name = "folder"
    description = "A folder with one CSV, Parquet or Excel file per table (cases.csv, staff.xlsx, ...)."
    options = {"path": "the folder, relative to the config file",
               "files": "a table: extract table = file name, for files not named after their table"}

    def read(self, options, context):
        if "path" not in options:
            raise SourceError("the folder source needs a path: [source] path = \"extract\"")
        folder = (context.base_dir / options["path"]).resolve()
        return read_folder(folder, options["path"], options.get("files"))


@hookimpl
def ledinfo_register_sources(register):
    register(FolderSource())
