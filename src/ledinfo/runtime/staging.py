"""Publishing a build: the output folder holds one complete build at every moment.

A build writes into a staging folder next to the output folder (same parent, so
the same file system), and only when every file and the manifest are written are
the two folders swapped in one ``renameat2(RENAME_EXCHANGE)`` call. A build that
is killed at any moment therefore leaves the previous complete build in place (or,
after the swap, the new one): never a mix of packs under a stale manifest.

Files and folders in the output folder that ledinfo did not write (every name its
manifest does not list — a README, a log, a folder of notes) are hard-linked into the
staging folder just before the swap (a folder is rebuilt there with its files
hard-linked; what cannot be linked is copied), so they stay in place in the output
folder at every moment, whenever the build is killed; anything the user adds or
replaces during the swap is moved over right after it.

A staging folder left by a killed build is cleaned up by the next build into the
same folder. A staging folder holds an exclusive ``flock`` while its build runs,
so a build never removes the staging folder of another build that is still running.
Its ``.ledinfo-building`` marker tells the two kinds of leftover apart: with the
marker, a build that never reached the swap (removed outright); without it, a
finished folder whose swap may or may not have happened (the user's files in it
that the output folder lacks are moved there first, then it is removed).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import logging
import os
import shutil
import stat
import tempfile
from pathlib import Path

from ledinfo.errors import LedinfoError
from ledinfo.runtime.signals import uninterrupted

log = logging.getLogger("ledinfo.pipeline.publish")  # the name log files have always shown
MANIFEST = "manifest.json"  # what the build wrote, by name: kept here, as the staging reads it to keep users' files
MARKER = ".ledinfo-building"
STAGING = ".ledinfo-staging-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class OutputError(LedinfoError):
    """The output folder cannot be created or written."""


def _staging_prefix(target: Path) -> str:
    return f".{target.name}{STAGING}"


def ledinfo_names(folder: Path) -> set[str] | None:
    """The names in ``folder`` that its manifest says ledinfo wrote; None without a readable manifest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    names = {MANIFEST}
    for pack in manifest.get("packs", []) if isinstance(manifest, dict) else []:
        names.update(f.get("name") for f in pack.get("files", []) if isinstance(f, dict))
    for municipality in manifest.get("municipalities", []) if isinstance(manifest, dict) else []:
        names.add(municipality.get("id"))  # a municipality's own folder
    return {n for n in names if isinstance(n, str)}


def _is_users(name: str, ours: set[str]) -> bool:
    # ``*.pdf.tmp`` and ``*.json.tmp``: half-written files of a build that earlier versions killed in place
    return name not in ours and name != MARKER and not name.endswith((".pdf.tmp", ".json.tmp"))


def _carry_users_files(source: Path, destination: Path, before_swap: bool, all_users: bool = False) -> list[Path]:
    """Give ``destination`` the user's entries of ``source``; returns those that could not be moved.

    Before the swap (``source`` the output folder, ``destination`` the new build) each entry is
    linked in (:func:`_link_in`), so it stays in the output folder too, and a name the new build
    uses is its own. After it (``source`` the old build) an entry the output folder lacks, or has
    in an older version than the user's latest, is moved over; a user's folder in both is gone
    through entry by entry (``all_users``: every name in it is the user's), as is a municipality's.
    """
    ours = set() if all_users else (ledinfo_names(source) or {MANIFEST})
    theirs = set() if all_users else (ledinfo_names(destination) or set())
    stuck = []
    for name in sorted(os.listdir(source)):
        src, dst = source / name, destination / name
        if not all_users and not _is_users(name, ours):
            if src.is_dir() and not src.is_symlink() and name != MANIFEST:
                stuck += _carry_users_files(src, dst, before_swap)  # a municipality's folder
            continue
        try:
            there = dst.lstat()
        except FileNotFoundError:
            there = None
        except OSError:  # the destination's parent is missing or a file: nothing to compare with
            there = None
        try:
            if there is not None:
                mine = src.lstat()
                if (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino) or before_swap or name in theirs:
                    continue
                if stat.S_ISDIR(mine.st_mode) and stat.S_ISDIR(there.st_mode):
                    stuck += _carry_users_files(src, dst, before_swap, all_users=True)
                    continue
                if stat.S_ISDIR(there.st_mode) or not _later(mine, there):
                    continue
            destination.mkdir(exist_ok=True)
            if before_swap and _link_in(src, dst):
                continue
            os.replace(src, dst)  # the last resort: gone from ``source`` until the swap, or the next build, brings it back
        except OSError as error:
            log.warning("could not move %s to %s: %s", src, dst, error)
            stuck.append(src)
    return stuck


def _later(mine: os.stat_result, there: os.stat_result) -> bool:
    """Whether ``mine`` is a later version of the user's entry than ``there``: written later, or as
    late and ``there`` a copy of it (a copy's status changed when it was made, after the original's).

    So a copy made before the swap gives way to its original after it, and neither a copy nor a
    link left in the folder of a build killed before its swap overwrites what the user wrote since.
    """
    if mine.st_mtime_ns != there.st_mtime_ns:
        return mine.st_mtime_ns > there.st_mtime_ns
    return mine.st_ctime_ns < there.st_ctime_ns


def _link_or_copy(src: str | Path, dst: str | Path) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)  # the same file, visible in both folders
    except OSError:  # another device below a user's folder, or no right to link it (fs.protected_hardlinks)
        shutil.copy2(src, dst, follow_symlinks=False)


def _link_in(src: Path, dst: Path) -> bool:
    """Make ``dst`` hold what ``src`` holds, leaving ``src`` where it is; False (and nothing at ``dst``) if it cannot.

    A file is hard-linked, a folder rebuilt with its files hard-linked and its symlinks as symlinks
    (moving it in would take it out of the output folder until the swap: a kill in between would
    leave the user's folder only in the staging folder). What cannot be linked is copied.
    """
    try:
        if stat.S_ISDIR(src.lstat().st_mode):
            shutil.copytree(src, dst, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(src, dst)
        return True
    except OSError as error:  # shutil.Error too: copytree gathers what failed
        log.warning("could not link %s into %s, moving it: %s", src, dst, error)
        if dst.is_dir() and not dst.is_symlink():
            shutil.rmtree(dst, ignore_errors=True)  # only links and copies: the user's own files stay in ``src``
        else:
            dst.unlink(missing_ok=True)
        return False


def _exchange(a: Path, b: Path) -> None:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``, ext4, xfs, btrfs, tmpfs, …)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``, and the old ``target`` (if any) at ``staging``."""
    try:
        os.rename(staging, target)  # no output folder yet (or an empty one): a plain rename is atomic
        os.mkdir(staging)  # so that the old folder can be gone through and removed as always
        return
    except OSError as error:
        if error.errno not in (errno.EEXIST, errno.ENOTEMPTY):
            raise
    try:
        _exchange(staging, target)
    except (AttributeError, OSError) as error:  # no renameat2 (old libc, not Linux), or a file system without it
        if isinstance(error, OSError) and error.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise
        # Two renames: for an instant there is no output folder. A build killed in that instant
        # leaves both folders as leftovers, and the next build puts the newer one back first.
        aside = Path(tempfile.mkdtemp(prefix=_staging_prefix(target), dir=target.parent))
        os.rename(target, aside)
        os.rename(staging, target)
        os.rename(aside, staging)


def _remove(folder: Path, keep: list[Path] | None = None) -> None:
    if keep:
        log.warning("kept %s: it holds %s, which could not be moved into the output folder", folder,
                    ", ".join(str(p) for p in keep))
        return
    # The manifest last: a build killed while it removes a folder (its old build, after the swap) leaves one whose
    # manifest still names the packs in it, so the next build knows them for its own and does not carry them into
    # the output folder as the user's files.
    try:
        entries = [entry for entry in os.scandir(folder) if entry.name != MANIFEST]
    except OSError:
        entries = []
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    shutil.rmtree(folder, ignore_errors=True)


def _clean_leftovers(target: Path) -> None:
    """Remove the staging folders of killed builds into ``target``, keeping every file of the user's."""
    prefix = _staging_prefix(target)
    leftovers = []
    for entry in sorted(target.parent.iterdir()):
        if not entry.name.startswith(prefix) or entry.is_symlink() or not entry.is_dir():
            continue
        handle = os.open(entry, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            continue  # another build is writing into it right now
        leftovers.append((entry, handle))
    try:
        finished = [e for e, _ in leftovers if not (e / MARKER).exists() and (e / MANIFEST).exists()]
        if not target.exists() and finished:  # killed between the two renames of the fallback swap
            newest = max(finished, key=lambda e: (e / MANIFEST).stat().st_mtime)
            log.warning("putting the last complete build back into %s", target)
            os.rename(newest, target)
        for entry, _ in leftovers:
            if entry.exists():
                finished = not (entry / MARKER).exists()
                stuck = _carry_users_files(entry, target, before_swap=False) if finished and target.is_dir() else []
                log.info("removing %s, left by a build that was stopped", entry)
                _remove(entry, stuck)
    finally:
        for _, handle in leftovers:
            os.close(handle)


def clean_leftovers(out: Path) -> None:
    """Remove the staging folders that killed builds left beside ``out`` (as :meth:`Output.open` does), for a
    build that reuses the last one and opens no staging folder of its own: otherwise a build killed after its swap,
    whose packs the next build reuses whole, would leave its folder there until the data change. A folder that
    cannot be cleaned now is logged and left for the next build."""
    target = Path(os.path.realpath(out))
    try:
        _clean_leftovers(target)
    except OSError as error:
        log.warning("could not clean up beside %s: %s", out, error)


def _check_folder(out: Path, target: Path) -> None:
    """Refuse an output folder that is a file, lies under a file or is a mount point (before any work)."""
    if target.exists() and not target.is_dir():
        raise OutputError(f"cannot write the packs to {out}: it is a file, not a folder")
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(f"cannot write the packs to {out}: {parent} is a file, not a folder")
            break
    if target.is_dir() and os.path.ismount(target):
        raise OutputError(f"cannot write the packs to {out}: it is a mount point, and ledinfo replaces the output "
                          "folder as a whole to publish a build; give a folder inside it")


def _problem(out: Path, target: Path, error: OSError) -> OutputError:
    reason = error.strerror or str(error)
    if error.filename and STAGING in str(error.filename):  # the staging folder is ours: name where it goes
        reason = f"cannot create a folder in {target.parent}: {reason}"
    elif error.filename:
        reason = f"{error.filename}: {reason}"
    return OutputError(f"cannot write the packs to {out}: {reason}")


def _remove_empty(folders: list[Path]) -> None:
    """Remove the folders made for an output folder that got nothing (deepest first; stop at one in use)."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            break


def published(out: Path) -> str:
    """What a published output folder holds, in words (a stop's message, after the build and the swap)."""
    return f"{out} holds the new complete build"


class Output:
    """The output folder of one build and the staging folder the build writes into.

    ``Output.open(out)`` checks the folder and makes the staging folder, before any
    data is read or any worker started; :meth:`publish` swaps the staging folder in.
    Leaving the ``with`` block without publishing removes the staging folder and
    leaves the output folder as it was.
    """

    def __init__(self, out: Path, target: Path, staging: Path, lock: int) -> None:
        self.out, self.target, self.path = out, target, staging
        self._lock: int | None = lock
        self.published = False
        self._created: list[Path] = []
        self.before = (f"{out} still holds the previous complete build" if (target / MANIFEST).exists()
                       else f"{out} is unchanged" if target.exists() else f"nothing was written to {out}")

    @classmethod
    def open(cls, out: Path) -> Output:
        out = Path(out)
        target = Path(os.path.realpath(out))  # a symlinked output folder: publish into the folder it points at
        _check_folder(out, target)
        staging = None
        created = [p for p in target.parents if not p.exists()]  # deepest first; removed again if nothing is published
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _clean_leftovers(target)
            staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(target), dir=target.parent))
            lock = os.open(staging, os.O_RDONLY | os.O_DIRECTORY)
            fcntl.flock(lock, fcntl.LOCK_EX)  # released by the kernel when this process ends, however it ends
            (staging / MARKER).write_bytes(b"")
            _copy_permissions(target, staging)
        except OSError as error:
            if staging is not None:
                _remove(staging)
            _remove_empty(created)
            raise _problem(out, target, error) from None
        output = cls(out, target, staging, lock)
        output._created = created
        return output

    def publish(self) -> None:
        """Swap the finished build in; a stop signal waits until the swap is done."""
        with uninterrupted():
            os.unlink(self.path / MARKER)  # first: from here on a leftover of this folder is a finished build
            if self.target.is_dir():  # what cannot be carried now stays, and is moved after the swap
                _carry_users_files(self.target, self.path, before_swap=True)
            _swap(self.path, self.target)
            self.published = True
        self._close()

    def _close(self) -> None:
        """Remove the staging folder (after the swap: the old build), keeping the user's files in it.

        A stop signal waits until it is done: one that came after the folder was removed
        and before it was let go of made the way out (``__exit__``) go through the removed
        folder again, and fail.
        """
        if self._lock is None:
            return
        with uninterrupted():
            stuck = []
            if not (self.path / MARKER).exists() and self.target.is_dir():
                stuck = _carry_users_files(self.path, self.target, before_swap=False)
            _remove(self.path, stuck)
            os.close(self._lock)
            self._lock = None
            if not self.published:
                _remove_empty(self._created)


    @property
    def state(self) -> str:
        """What the output folder holds, in words (for the message of a stopped build)."""
        return published(self.out) if self.published else self.before

    def __enter__(self) -> Output:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if error is not None and hasattr(error, "outputs"):
            error.outputs.append(self.state)
        self._close()


def _copy_permissions(target: Path, staging: Path) -> None:
    """The new folder gets the old one's permissions and owner (where allowed), else the umask's."""
    if target.is_dir():
        shutil.copymode(target, staging)
        info = target.stat()
        if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.chown(staging, info.st_uid, info.st_gid)
            except PermissionError:
                pass
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, 0o777 & ~umask)
