"""Built-in source ``folder``: one file per table in a directory.

CSV (also Danish Excel's dialect), Parquet or .xlsx; the file name is the
table name: ``cases.csv``, ``staff.xlsx``, ``activities.parquet``.
"""

from __future__ import annotations

from pydantic import Field

from ledinfo.api import (
    METADATA,
    OneLineText,
    Settings,
    Source,
    file_sha256,
    find_table_files,
    hookimpl,
    read_folder,
    read_metadata,
)


class FolderOptions(Settings):
    """``[source]`` of ``type = "folder"``."""

    path: OneLineText = Field(description='the folder, relative to the config file: path = "extract"')
    files: dict[str, OneLineText] | None = Field(
        None, description="a table: extract table = file name, for files not named after their table")


class FolderSource(Source):
    name = "folder"
    description = "A folder with one CSV, Parquet or Excel file per table (cases.csv, staff.xlsx, ...)."
    Options = FolderOptions

    def read(self, options: FolderOptions, context):
        folder = (context.base_dir / options.path).resolve()
        return read_folder(folder, options.path, options.files)

    def fingerprint(self, options: FolderOptions, context):
        """Each table file's SHA-256, as ``read`` records them; None when the folder cannot be listed."""
        folder = (context.base_dir / options.path).resolve()
        try:
            files = find_table_files(folder, options.files)
            _, metadata = read_metadata(folder)
        except Exception:  # the read will report it properly
            return None
        found = {path.name: file_sha256(path) for path in files.values()}
        return found | ({METADATA: metadata} if metadata else {})


@hookimpl
def ledinfo_register_sources(register):
    register(FolderSource())
