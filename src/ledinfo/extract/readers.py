"""Read one table file (CSV, Parquet, Excel) into a :class:`RawTable`.

CSV files are read as text so validation can locate every bad value. The
Danish Excel dialect is recognised: ``;`` as separator, decimal comma, UTF-8
with or without BOM, or Windows-1252 (cp1252). Every file is read as
:func:`ledinfo.outside.files.read_confined` reads one: inside its folder (a link
that leads out is refused), a regular file, at most 2 GB.
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path

import polars as pl

from ledinfo.errors import SourceError
from ledinfo.extract.model import RawTable
from ledinfo.outside.files import DATA, FileRefused, read_confined, sha256_confined

SUFFIXES = (".csv", ".parquet", ".xlsx")
_SEPARATORS = (";", ",", "\t", "|")


def file_sha256(path: Path) -> str:
    """The SHA-256 of a data file, opened as every data file is (inside its folder, regular)."""
    return sha256_confined(Path(path), DATA)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (BOM optional), else cp1252. Returns (text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_separator(header: str) -> str:
    """The separator that splits the header line into the most fields."""
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _first_line(data: bytes) -> bytes:
    end = data.find(b"\n")
    return data if end < 0 else data[:end]  # a slice of the line only: the file may be hundreds of MB


def is_utf8(data: bytes, chunk: int = 1 << 24) -> bool:
    """Whether ``data`` is UTF-8, decoded a piece at a time (no copy of the whole file as text)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(view[start:start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def read_csv(data: bytes, table: str, display: str) -> RawTable:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in _first_line(data):
        # NUL bytes in the header line: UTF-16 text, or no text at all. (A NUL in a value is
        # reported with its row and column by validation.)
        raise SourceError(f"{display}, row 1: the file is UTF-16 text (Excel's \"Unicode text\") or not text at "
                          "all; save it as \"CSV UTF-8\" or \"CSV (semikolonsepareret)\"")
    if not data.startswith(b"\xef\xbb\xbf") and is_utf8(data):
        utf8 = data  # read as it is: a large extract is not copied twice more (as text, then as bytes again)
    else:
        text, _ = decode_text(data)
        utf8 = text.encode("utf-8")
        del text
    separator = sniff_separator(_first_line(utf8).decode("utf-8"))
    try:
        frame = pl.read_csv(utf8, separator=separator, infer_schema=False, raise_if_empty=False)
        header = pl.read_csv(utf8, separator=separator, has_header=False, n_rows=1, infer_schema=False,
                             raise_if_empty=False)
    except pl.exceptions.PolarsError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SourceError(f"{display} could not be read as CSV (separator {separator!r}): {first}") from None
    return RawTable(table, frame, display, first_row=2, decimal_comma=separator == ";",
                    header=_renamed(frame, header))


def _renamed(frame: pl.DataFrame, header: pl.DataFrame) -> tuple[str, ...] | None:
    """The column names as the file wrote them (``header``: its first row, read as data), where the reader
    renamed some (a name given twice); None where ``frame`` has them as written."""
    if not header.height:
        return None
    written = tuple("" if name is None else str(name) for name in header.row(0))
    return written if len(written) == frame.width and list(written) != frame.columns else None


def read_parquet(data: bytes, table: str, display: str) -> RawTable:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError) as error:
        raise SourceError(f"{display} could not be read as Parquet: {error}") from None
    return RawTable(table, frame, display, first_row=1)


def read_xlsx(data: bytes, table: str, display: str) -> RawTable:
    """The first sheet, or the sheet named after the table if there is one."""
    try:
        # Empty rows are kept here and skipped by validation, so row numbers stay the sheet's.
        sheets = pl.read_excel(data, sheet_id=0, infer_schema_length=0, drop_empty_rows=False)
    except Exception as error:  # fastexcel raises its own exception types
        raise SourceError(f"{display} could not be read as an Excel workbook: {error}") from None
    sheet = table if table in sheets else next(iter(sheets))
    frame, header = sheets[sheet], None
    if any(re.fullmatch(rf"{re.escape(other)}_\d+", name) for name in frame.columns for other in frame.columns):
        # fastexcel renames a name given twice (fte, fte_1): read the header row as written
        try:
            header = _renamed(frame, pl.read_excel(data, sheet_name=sheet, has_header=False, infer_schema_length=0,
                                                   read_options={"n_rows": 1}))
        except Exception as error:  # fastexcel raises its own exception types
            raise SourceError(f"{display} could not be read as an Excel workbook: {error}") from None
    return RawTable(table, frame, display, first_row=2, header=header)


READERS = {".csv": read_csv, ".parquet": read_parquet, ".xlsx": read_xlsx}


def read_table_file(path: Path, table: str, display: str | None = None) -> RawTable:
    """One table file, read inside its own folder (a link that leads out of it is refused)."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceError(f"{path}: unsupported file type (use one of {', '.join(SUFFIXES)})")
    try:  # no permission, an I/O error, a folder or a pipe where a file was expected, a link out of the folder
        data = read_confined(path, DATA, shown=display or str(path))
    except FileRefused as refused:
        raise SourceError(str(refused)) from None
    return reader(data, table, display or str(path))
