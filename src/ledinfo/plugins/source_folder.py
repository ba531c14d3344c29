"""Built-in source ``folder``: one file per table in a directory.

CSV (also Danish Excel's dialect), Parquet or .xlsx; the file name is the
table name: ``cases.csv``, ``staff.xlsx``, ``activities.parquet``.
"""

from __future__ import annotations

from pydantic import Field

from ledinfo.api import Fingerprint, OneLineText, Settings, Source, folder_fingerprints, hookimpl, read_folder


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
        found = folder_fingerprints(folder, options.files)
        if found is None:
            return None
        # every input is a file of the folder (its tables and extract.toml), by the file's name
        return Fingerprint(found, {name: folder / name for name in found}, (folder,))


@hookimpl
def ledinfo_register_sources(register):
    register(FolderSource())
