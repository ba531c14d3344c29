"""Reading a folder extract: one file per table in a directory (the ``folder`` source's reader).

CSV (also Danish Excel's dialect), Parquet or .xlsx; the file name is the
table name: ``cases.csv``, ``staff.xlsx``, ``activities.parquet``.
"""

from __future__ import annotations

import difflib
import logging
import os
from pathlib import Path

from ledinfo.errors import SourceError
from ledinfo.extract.metadata import METADATA, read_metadata
from ledinfo.extract.model import RawExtract
from ledinfo.extract.readers import SUFFIXES, file_sha256, read_table_file
from ledinfo.extract.schema import SCHEMA
from ledinfo.outside.files import DATA, file_problem
from ledinfo.privacy.cpr import holds_cpr

log = logging.getLogger("ledinfo.extract.folder")


def find_table_files(folder: Path, named: dict[str, str] | None = None) -> dict[str, Path]:
    """Map table names to the files in ``folder``; warn about files that are no table.

    ``named`` gives files whose names are not table names: {"staff": "loenudtraek.csv"}.
    Every entry named like a table that is no readable file (a folder, a pipe, a looping link,
    a link that leads out of its folder: :mod:`ledinfo.outside.files`) is refused, all of them
    at once, before anything is read. A pipe is found by ``stat`` alone and never opened.
    """
    found: dict[str, Path] = {}
    problems: list[str] = []
    named = named or {}
    for table, name in named.items():
        path = folder / name
        if table not in SCHEMA:
            raise SourceError(f"files: {table!r} is not a table of the extract format ({', '.join(SCHEMA)})")
        problem = file_problem(path, DATA)
        if problem:
            problems.append(f"{path} (the {table} table, named in files) {problem}")
            continue
        found[table] = path
    taken = {os.path.realpath(p) for p in found.values()}
    try:
        entries = sorted(folder.iterdir())
    except OSError as error:
        raise SourceError(f"the extract folder {folder} cannot be read ({error.strerror})") from None
    for path in entries:
        if path.name.startswith((".", "~$")):
            continue
        stem, suffix = path.stem.lower(), path.suffix.lower()
        if suffix not in SUFFIXES or os.path.realpath(path) in taken:
            continue
        if stem not in SCHEMA:
            if path.is_file():
                close = difflib.get_close_matches(stem, list(SCHEMA), n=1)
                hint = f" (did you mean {close[0]}{suffix}?)" if close else ""
                shown = path if not holds_cpr(path.name) else path.parent / "(a file whose name holds a CPR number)"
                log.warning("%s is not a table of the extract format and is ignored%s", shown, hint)
            continue
        if stem in named:
            continue  # the table is read from the file named in `files`
        problem = file_problem(path, DATA)
        if problem:
            problems.append(f"{path} {problem}")
            continue
        if stem in found:
            problems.append(f"two files for table {stem!r} in {folder}: {found[stem].name} and {path.name}; keep one")
            continue
        found[stem] = path
    if problems:
        listing = "\n".join(f"  {p}" for p in problems)
        raise SourceError(f"the extract folder {folder} has {len(problems)} problem{'s' if len(problems) > 1 else ''}; "
                          f"nothing was read:\n{listing}")
    return found


def read_folder(folder: Path, description: str | None = None, named: dict[str, str] | None = None) -> RawExtract:
    """Read a folder extract as the built-in ``folder`` source does: each table's file (CSV, also Danish
    Excel's dialect; Parquet; .xlsx) found by :func:`find_table_files` (``named`` for files not named after
    their table), read as it comes, with each file's SHA-256 and the day its ``extract.toml`` says it was
    taken; ``description`` names it in messages (the folder's path when None). A source built on a folder
    reads it with this and changes what it must."""
    if not folder.is_dir():
        problem = file_problem(folder, DATA)
        raise SourceError(f"the extract folder {folder} " + ("is a file, not a folder" if problem is None else problem))
    files = find_table_files(folder, named)
    if not files:
        raise SourceError(f"{folder} holds no table files; expected e.g. cases.csv, staff.csv "
                          f"(one file per table: {', '.join(SCHEMA)})")
    tables = {name: read_table_file(path, name, str(path)) for name, path in files.items()}
    extracted_on, digest = read_metadata(folder)  # its extract.toml: when it was taken
    return RawExtract(tables, _fingerprints(files, digest), description or str(folder), extracted_on)


def folder_fingerprints(folder: Path, named: dict[str, str] | None = None) -> dict[str, str] | None:
    """What :func:`read_folder` records as the folder's fingerprints (each table file's SHA-256, and its
    ``extract.toml``'s), without reading the tables; None when the folder cannot be listed (the read
    reports why). A source built on a folder returns it from ``Source.fingerprint``, so an unchanged
    extract is not built again."""
    try:
        files = find_table_files(folder, named)
        _, digest = read_metadata(folder)
    except Exception:  # the read will report it, with its file and row
        return None
    return _fingerprints(files, digest)


def _fingerprints(files: dict[str, Path], metadata_digest: str | None) -> dict[str, str]:
    found = {path.name: file_sha256(path) for path in files.values()}
    return found | ({METADATA: metadata_digest} if metadata_digest is not None else {})
