"""Built-in source ``folder``: one file per table in a directory.

CSV (also Danish Excel's dialect), Parquet or .xlsx; the file name is the
table name: ``cases.csv``, ``staff.xlsx``, ``activities.parquet``.
"""

from __future__ import annotations

from ledinfo.api import Source, SourceError, folder_fingerprints, hookimpl, read_folder


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

    def fingerprint(self, options, context):
        """Each table file's SHA-256, as ``read`` records them; None when the folder cannot be listed."""
        if "path" not in options:
            return None
        return folder_fingerprints((context.base_dir / options["path"]).resolve(), options.get("files"))


@hookimpl
def ledinfo_register_sources(register):
    register(FolderSource())
