"""Built-in source ``folder``: one file per table in a directory.

CSV (also Danish Excel's dialect), Parquet or .xlsx; the file name is the
table name: ``cases.csv``, ``staff.xlsx``, ``activities.parquet``.
"""

from __future__ import annotations

from pydantic import Field

from ledinfo.api import (
    METADATA,
    Fingerprint,
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
        """Each table file's SHA-256, as ``read`` records them, with the files and the folder they are in (so a
        rerun is told before the plugins load); None when the folder cannot be listed."""
        folder = (context.base_dir / options.path).resolve()
        try:
            files = {path.name: path for path in find_table_files(folder, options.files).values()}
            _, metadata = read_metadata(folder)
        except Exception:  # the read will report it properly
            return None
        if metadata:
            files[METADATA] = folder / METADATA
        inputs = {name: file_sha256(path) for name, path in files.items() if name != METADATA}
        return Fingerprint(inputs | ({METADATA: metadata} if metadata else {}), files, (folder,))


@hookimpl
def ledinfo_register_sources(register):
    register(FolderSource())
