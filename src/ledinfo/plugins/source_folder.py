"""Built-in source ``folder``: one file per table in a directory.

CSV (also Danish Excel's dialect), Parquet or .xlsx; the file name is the
table name: ``cases.csv``, ``staff.xlsx``, ``activities.parquet``.
"""

from __future__ import annotations

from ledinfo.api import (
    METADATA,
    Fingerprint,
    Source,
    SourceError,
    file_sha256,
    find_table_files,
    hookimpl,
    read_folder,
    read_metadata,
)


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
        """Each table file's SHA-256, as ``read`` records them, with the files and the folder they are in (so a
        rerun is told before the plugins load); None when the folder cannot be listed."""
        if "path" not in options:
            return None
        folder = (context.base_dir / options["path"]).resolve()
        try:
            files = {path.name: path for path in find_table_files(folder, options.get("files")).values()}
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
