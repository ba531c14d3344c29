"""The figures a build computed and disclosed, stored with it, so the next build of the same data reuses them.

The secretary's loop (issue 27): a comment file or one pack's template changes, the data does not. The packs whose
inputs did not change are kept (:func:`ledinfo.pipeline.reuse.pack_key`); the changed ones are written again from
the figures the last build computed and disclosed, read from here, instead of reading and computing the data
again. The store is addressed by the build's data key (:func:`ledinfo.pipeline.reuse.data_key`: the data, the
config but its comments and templates, the plugins, the period, the language, the version), so figures are reused
only for the very data and settings they were made from, and every disclosure decision is the one already made.

Where: the user's cache folder (``$XDG_CACHE_HOME/ledinfo/figures``, else ``~/.cache/ledinfo/figures``), one folder
per output folder — not beside the packs, which may be a shared folder: the store holds every team's rows. It holds
``figures.pickle`` (what was computed, the packs' jobs), ``series.pickle`` (the municipality's figures of every
indicator and period computed: a committee pack whose template chose other figures is decided again over its series
from them, :class:`ledinfo.domain.indicator.StoredIndicators`) and one file per pack (its disclosed figures, written
as the pack is disclosed, so a build of hundreds of packs holds none of them in memory). The folders are readable by their
owner only, and a store is read only from files of the user's own that no one else can write (a pickle runs code as
it is read). Only the stores of the last :data:`KEEP` output folders built into are kept, and a killed build's
half-written one is removed by the next build into its folder. ``LEDINFO_NO_CACHE`` (the benchmark's plain run)
turns it off. Anything wrong with a store — missing,
of another key, unreadable — means only that the build computes again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import stat
from pathlib import Path

from ledinfo.runtime.user_cache import cache_folder, caching, private

log = logging.getLogger("ledinfo.pipeline")
FORMAT = 6  # raised when what is stored changes shape (5: the drawings pickled, render.charts.packed; 6: a pack's
# language carries the values it prints more exactly, its PackPeriods the committee's quarterly indicators)
FIGURES = "figures.pickle"
SERIES = "series.pickle"
KEEP = 12  # stores kept, one per output folder, the last built into first (a year of monthly folders)


enabled = caching


def folder() -> Path:
    """The user's folder for stored figures."""
    return cache_folder("figures")


def path_of(out_dir: Path) -> Path:
    """The store of the builds into ``out_dir``, named by the output folder's absolute path."""
    name = hashlib.sha256(str(Path(out_dir).absolute()).encode("utf-8")).hexdigest()[:32]
    return folder() / name


class Writer:
    """The store of one build, written as it goes into a folder of its own, which replaces the last build's store
    when the build is done (:meth:`finish`). Never raises: a store that cannot be written is logged and passed
    over, as it only saves the next build time."""

    def __init__(self, out_dir: Path, key: str | None) -> None:
        self.final, self.key = path_of(out_dir), key
        self.path: Path | None = self.final.with_name(f"{self.final.name}.{os.getpid()}.tmp")
        if key is None or not enabled():
            self.path = None
            return
        try:
            folder().mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(folder(), 0o700)
            _remove_abandoned(self.final)
            self.path.mkdir(mode=0o700)
        except OSError as error:
            self._give_up(error)

    def pack(self, pack_id: str, choice: str, pickled: bytes) -> None:
        """A pack's disclosed figures (pickled) and what of its template chose them
        (:func:`ledinfo.pipeline.build.choice`)."""
        self._write(self.path / f"{pack_id}.pickle" if self.path else None, (pack_id, choice, pickled))

    def keep(self, last: Path | None, pack_id: str) -> None:
        """A kept pack's disclosed figures, from the last build's store."""
        if self.path is None or last is None or not (last / f"{pack_id}.pickle").is_file():
            return
        try:
            os.link(last / f"{pack_id}.pickle", self.path / f"{pack_id}.pickle")
        except OSError as error:
            self._give_up(error)

    def finish(self, figures, series=None, last: Path | None = None) -> None:
        """Write what was computed and the indicators' figures the committee's series asks (``series``; None: the
        last build's store's, from ``last``, as this build did not compute them) and put this store in the last
        one's place."""
        self._write(self.path / FIGURES if self.path else None, figures)
        if series is not None:
            self._write(self.path / SERIES if self.path else None, series)
        elif last is not None and self.path is not None and (last / SERIES).is_file():
            try:
                os.link(last / SERIES, self.path / SERIES)
            except OSError as error:
                self._give_up(error)
        if self.path is None:
            return
        try:
            old = self.final.with_name(f"{self.final.name}.{os.getpid()}.old")
            if self.final.exists():
                self.final.rename(old)
            self.path.rename(self.final)
            shutil.rmtree(old, ignore_errors=True)
            _prune(self.final)
        except OSError as error:
            self._give_up(error)

    def abandon(self) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None

    def _write(self, path: Path | None, value) -> None:
        if path is None:
            return
        try:
            with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
                pickle.dump((FORMAT, self.key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
            self._give_up(error)

    def _give_up(self, error) -> None:
        log.debug("the figures are not stored: %s", error)
        self.abandon()


def _remove_abandoned(final: Path) -> None:
    """The half-written stores of builds into the same output folder that ended without finishing (killed, out of
    memory: ``<store>.<pid>.tmp``, ``<store>.<pid>.old``), this process's own earlier one among them; a build
    still running keeps its own."""
    for path in final.parent.glob(f"{final.name}.*"):
        pid = path.name[len(final.name) + 1:].partition(".")[0]
        if pid.isdigit() and (int(pid) == os.getpid() or not _running(int(pid))):
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running
        return True
    return True


def _prune(final: Path) -> None:
    """Keep the stores of the :data:`KEEP` output folders built into last (each holds its folder's last build
    only); an older one is removed (its folder's next build computes again)."""
    stores = []
    for path in final.parent.iterdir():
        if "." not in path.name and path != final and private(path) and stat.S_ISDIR(os.lstat(path).st_mode):
            stores.append((os.lstat(path).st_mtime, path))
    for _, path in sorted(stores, reverse=True)[KEEP - 1:]:
        shutil.rmtree(path, ignore_errors=True)


def load(out_dir: Path, key: str | None):
    """What the last build into ``out_dir`` computed, stored under ``key``, and the folder of its packs' disclosed
    figures (:func:`disclosed`); (None, None): none, or not to be trusted."""
    if key is None or not enabled():
        return None, None
    path = path_of(out_dir)
    found = _read(path / FIGURES, key) if private(folder()) and private(path) else None
    return (found, path) if found is not None else (None, None)


def series(store: Path | None, key: str | None):
    """The indicators' figures stored for the committee's series (:class:`ledinfo.domain.indicator.StoredIndicators`);
    None: none, or not of ``key``."""
    return _read(store / SERIES, key) if store is not None else None


def disclosed(store: Path | None, pack_id: str, key: str | None) -> tuple[str, bytes] | None:
    """A pack's stored disclosed figures, pickled, with what of its template chose them; None: none."""
    found = _read(store / f"{pack_id}.pickle", key) if store is not None else None
    if not (isinstance(found, tuple) and len(found) == 3 and found[0] == pack_id):
        return None
    return found[1], found[2]


def _read(path: Path, key: str | None):
    try:
        if not private(path):
            return None
        with open(path, "rb") as handle:
            found = pickle.load(handle)
    except Exception as error:  # a store from another version, half a file, none: compute again
        log.debug("the stored figures %s are not used: %s", path, error)
        return None
    if not (isinstance(found, tuple) and len(found) == 3 and found[0] == FORMAT and found[1] == key):
        return None
    return found[2]


