"""The user's cache folder, shared by what a build keeps for the next: the stored figures
(:mod:`ledinfo.pipeline.stored`) and the compiled chart shapes (:mod:`ledinfo.render.shape_store`); one rule for
whether caching is on, where the folder is, and which files in it may be read."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def caching() -> bool:
    """False when ``LEDINFO_NO_CACHE`` is set: the benchmark's plain run keeps and reuses nothing."""
    return os.environ.get("LEDINFO_NO_CACHE", "") in ("", "0")


def cache_folder(name: str) -> Path:
    """``$XDG_CACHE_HOME/ledinfo/<name>``, else ``~/.cache/ledinfo/<name>``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ledinfo" / name


def private(path: Path) -> bool:
    """Owned by this user, not a link, and writable by no one else: a file or folder a build may read from."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return info.st_uid == os.getuid() and not stat.S_ISLNK(info.st_mode) and not info.st_mode & 0o022
