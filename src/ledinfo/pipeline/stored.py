"""The figures a build computed and disclosed, stored with it, so the next build of the same data reuses them.

The secretary's loop (issue 27): a comment file or one pack's template changes, the data does not. The packs whose
inputs did not change are kept (:func:`ledinfo.pipeline.reuse.pack_key`); the changed ones are written again from
the figures the last build computed and disclosed, read from here, instead of reading and computing the data
again. The store is addressed by the build's data key (:func:`ledinfo.pipeline.reuse.data_key`: the data, the
config but its comments and templates, the plugins, the period, the language, the version), so figures are reused
only for the very data and settings they were made from, and every disclosure decision is the one already made.

Where: the user's cache folder (``$XDG_CACHE_HOME/ledinfo/figures``, else ``~/.cache/ledinfo/figures``), one file
per output folder — not beside the packs, which may be a shared folder: the store holds every team's rows. The
folder is made readable by its owner only, and a store is read only from a folder of the user's own that no one
else can write (a pickle runs code as it is read). ``LEDINFO_NO_CACHE`` (the benchmark's plain run) turns it off.
Anything wrong with a store — missing, of another key, unreadable — means only that the build computes again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
from pathlib import Path

log = logging.getLogger("ledinfo.pipeline")
FORMAT = 2  # raised when what is stored changes shape


def enabled() -> bool:
    return os.environ.get("LEDINFO_NO_CACHE", "") in ("", "0")


def folder() -> Path:
    """The user's folder for stored figures."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ledinfo" / "figures"


def path_of(out_dir: Path) -> Path:
    """The store of the builds into ``out_dir``, named by the output folder's absolute path."""
    name = hashlib.sha256(str(Path(out_dir).absolute()).encode("utf-8")).hexdigest()[:32]
    return folder() / f"{name}.pickle"


def save(out_dir: Path, key: str | None, figures) -> None:
    """Store ``figures`` under ``key`` for the builds into ``out_dir`` (written atomically); a store that cannot be
    written is logged and passed over: it only saves the next build time."""
    if key is None or not enabled():
        return
    path = path_of(out_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path.parent, 0o700)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            pickle.dump((FORMAT, key, figures), handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
        log.debug("the figures of %s are not stored: %s", out_dir, error)


def load(out_dir: Path, key: str | None):
    """The figures stored for ``out_dir`` under ``key``; None: none (or not to be trusted)."""
    if key is None or not enabled():
        return None
    path = path_of(out_dir)
    try:
        if not (_private(path.parent) and _private(path)):
            return None
        with open(path, "rb") as handle:
            found = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as error:  # a store from another version or half a file: compute again
        log.debug("the stored figures of %s are not used: %s", out_dir, error)
        return None
    if not (isinstance(found, tuple) and len(found) == 3 and found[0] == FORMAT and found[1] == key):
        return None
    return found[2]


def _private(path: Path) -> bool:
    """Owned by this user, not a link, and writable by no one else."""
    info = os.lstat(path)
    return info.st_uid == os.getuid() and not stat.S_ISLNK(info.st_mode) and not info.st_mode & 0o022
