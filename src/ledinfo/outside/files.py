"""Open a file a user or a config names, confined to the folder it belongs to (docs/configuration.md, "Files
ledinfo reads").

Whoever can write into a folder ledinfo reads (the comments folder, an extract folder) must not be able to make
it read anything else: a comment that is a symbolic link to the build's environment file would print the SMTP
password in the committee's PDF. So every such file is opened here, and only if

- it lies inside its folder once every symbolic link is followed (a link inside the folder is fine; one that
  leads out is refused, naming the link and where it points), opened component by component with
  ``O_NOFOLLOW`` so that a link put in place after the check is refused too;
- it is a regular file: a named pipe would hang the build, a device never ends, a folder is no file;
- it has one name only: a hard link is the same file as one elsewhere (a hard link in the comments folder to the
  build's environment file is that file, inside the folder), and nothing tells where its other names are;
- it is no larger than its kind's limit (a comment: a page or two);
- as text, it is UTF-8 without control characters (NUL, ESC, DEL, C0 and C1 but tab, line break and carriage
  return), refused with the line they are on.

The folder of a file the config names by path (a template, the password file) is the folder the path names it
in: the config's author chose that path, links and all, but a link in that folder that leads out is refused.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ledinfo.errors import LedinfoError
from ledinfo.outside import CONTROL_IN_LINES, character_name


@dataclass(frozen=True)
class Kind:
    """A kind of file ledinfo reads, with the limits that fit what it is."""

    name: str  # "comment", as messages name it
    max_bytes: int
    why: str  # what the limit fits, for the message
    text: bool = False  # UTF-8 text without control characters
    max_chars: int | None = None  # text: after decoding
    max_lines: int | None = None
    article: str = "a"  # "an SQL query file"

    @property
    def one(self) -> str:
        """The kind with its article, as a message names it: "a password file"."""
        return f"{self.article} {self.name}"

    @property
    def limit(self) -> str:
        """The limit in words, with why it fits: "4 kB (its first line is the password)"."""
        if self.max_chars is not None:
            return f"{self.max_chars:,} characters and {self.max_lines} lines ({self.why})"
        return f"{_size(self.max_bytes)} ({self.why})"


COMMENT = Kind("comment", 4 * 5_000, "about two pages in the pack", text=True, max_chars=5_000, max_lines=60)
TEMPLATE = Kind("template", 64 * 1024, "the built-in templates are 1-2 kB", text=True)
# (a plugin's own kinds — the email delivery's password and CA files, the sql source's query files — are the
# plugin's, made with ledinfo.api.FileKind)
METADATA = Kind("extract metadata file", 1024, "it holds one line: extracted_on = 2026-11-01", text=True,
                article="an")
DATA = Kind("data file", 2 * 1024**3, "more than a municipality's largest table; a larger file is most likely "
            "the wrong file")

_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
# O_NONBLOCK: opening a named pipe that slipped past the check returns at once instead of waiting for a writer
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class FileRefused(LedinfoError):
    """A file ledinfo will not read; the message names it and says why."""

    def __init__(self, shown: str, problem: str) -> None:
        super().__init__(f"{shown} {problem}")
        self.shown, self.problem = shown, problem


def open_confined(path: Path, kind: Kind, folder: Path | None = None, shown: str | None = None) -> io.BufferedReader:
    """``path`` opened for reading as a ``kind`` inside ``folder`` (default: the folder the path names), or
    :class:`FileRefused`. ``shown`` is how messages name the file (default: the path)."""
    path = Path(path)
    folder = path.parent if folder is None else Path(folder)
    shown = str(path) if shown is None else shown
    root = Path(os.path.realpath(folder))
    target = Path(os.path.realpath(path))
    if not target.is_relative_to(root):
        raise FileRefused(shown, _outside(path, folder, root, kind))
    parts = target.relative_to(root).parts
    if not parts:
        raise FileRefused(shown, "is a folder, not a file")
    try:
        handle = _open_beneath(root, parts)
    except FileRefused as refused:
        raise FileRefused(shown, refused.problem) from None
    except OSError as error:
        raise FileRefused(shown, _os_problem(path, error)) from None
    status = os.fstat(handle)  # of the file opened: a link made between a check and the open is seen here
    if status.st_nlink > 1:
        os.close(handle)
        raise FileRefused(shown, _hard_link(status.st_nlink, folder, kind))
    size = status.st_size
    if size > kind.max_bytes:
        os.close(handle)
        raise FileRefused(shown, f"is {_size(size)}; {kind.one} holds at most {kind.limit}")
    return os.fdopen(handle, "rb")


def read_confined(path: Path, kind: Kind, folder: Path | None = None, shown: str | None = None) -> bytes:
    """The bytes of ``path``, opened as :func:`open_confined` does; never more than ``kind`` allows."""
    shown = str(path) if shown is None else shown
    with open_confined(path, kind, folder, shown) as handle:
        return b"".join(_blocks(handle, kind, shown))


def sha256_confined(path: Path, kind: Kind, folder: Path | None = None, shown: str | None = None) -> str:
    """The SHA-256 of ``path``, opened as :func:`open_confined` does, read a block at a time."""
    shown = str(path) if shown is None else shown
    digest = hashlib.sha256()
    with open_confined(path, kind, folder, shown) as handle:
        for block in _blocks(handle, kind, shown, 1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _blocks(handle: io.BufferedReader, kind: Kind, shown: str, block: int | None = None):
    """The file's bytes: its size as it was opened (one block, unless ``block`` is given), then whatever it grew
    by since (or all of it, where the size says 0, as in /proc), up to the kind's limit."""
    left = os.fstat(handle.fileno()).st_size + 1  # + 1: a file that grew since it was opened is read on
    total = 0
    try:
        while True:
            data = handle.read(min(left, block or left))
            if not data:
                return
            total += len(data)
            if total > kind.max_bytes:
                raise FileRefused(shown, f"is more than {_size(kind.max_bytes)}; {kind.one} holds at most "
                                         f"{kind.limit}")
            yield data
            left = max(left - len(data), 1 << 16)  # past its size: on in blocks of 64 kB
    except OSError as error:
        raise FileRefused(shown, f"cannot be read: {error.strerror or error}") from None


def read_text_confined(path: Path, kind: Kind, folder: Path | None = None, shown: str | None = None) -> str:
    """The text of ``path`` (UTF-8, a byte-order mark allowed), without control characters and within the
    kind's characters and lines; refused with the line of the first problem."""
    shown = str(path) if shown is None else shown
    data = read_confined(path, kind, folder, shown)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise FileRefused(shown, f"is not UTF-8 text (line {line}); save it as UTF-8") from None
    found = CONTROL_IN_LINES.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise FileRefused(shown, f"holds {character_name(found.group())} on line {line}; remove it (a control "
                                 f"character is no text and has no place in {kind.one})")
    lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    if kind.max_chars is not None and (len(text) > kind.max_chars or lines > kind.max_lines):
        counted = f"{len(text):,} characters in {lines:,} line{'s' if lines != 1 else ''}"
        raise FileRefused(shown, f"has {counted}; {kind.one} holds at most {kind.limit}: shorten it")
    return text


def write_new_confined(folder: Path, parts: tuple[str, ...], data: bytes, shown: str) -> None:
    """Write ``data`` as a new file ``folder/parts...``, creating the folders between, following no link beneath
    ``folder`` (a link there is refused, as when reading), and never over a file that is there: a comment the
    secretary wrote is never overwritten."""
    try:
        directory = os.open(folder, _DIRECTORY & ~os.O_NOFOLLOW)  # the folder the config names, links and all
    except OSError as error:
        raise FileRefused(str(folder), _os_problem(Path(folder), error)) from None
    try:
        for part in parts[:-1]:
            try:
                os.mkdir(part, 0o755, dir_fd=directory)
            except FileExistsError:
                pass
            inner = os.open(part, _DIRECTORY, dir_fd=directory)
            os.close(directory)
            directory = inner
        handle = os.open(parts[-1], os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644,
                         dir_fd=directory)
    except FileExistsError:
        raise FileRefused(shown, "is there already; it is never overwritten: edit it, or remove it to write a new "
                                 "one") from None
    except OSError as error:
        problem = ("lies in a symbolic link or something that is not a folder; a comment is written only inside "
                   "its folder" if error.errno in (errno.ELOOP, errno.ENOTDIR) else
                   f"cannot be written: {error.strerror or error}")
        raise FileRefused(shown, problem) from None
    finally:
        os.close(directory)
    with os.fdopen(handle, "wb") as out:
        out.write(data)


def file_problem(path: Path, kind: Kind, folder: Path | None = None) -> str | None:
    """Why ``path`` cannot be read as a ``kind`` (see :func:`open_confined`), or None; nothing is read."""
    try:
        open_confined(path, kind, folder).close()
    except FileRefused as refused:
        return refused.problem
    return None


def _open_beneath(root: Path, parts: tuple[str, ...]) -> int:
    """Open ``root/parts...`` one component at a time, following no link: everything was resolved already, so
    a link here was put in place since (or loops back on itself)."""
    directory = os.open(root, _DIRECTORY)
    try:
        for part in parts[:-1]:
            inner = os.open(part, _DIRECTORY, dir_fd=directory)
            os.close(directory)
            directory = inner
        mode = os.stat(parts[-1], dir_fd=directory, follow_symlinks=False).st_mode
        if not stat.S_ISREG(mode):  # decided before opening: a named pipe or a device is never opened
            raise FileRefused("", _not_regular(mode))
        handle = os.open(parts[-1], _FILE, dir_fd=directory)
    finally:
        os.close(directory)
    if not stat.S_ISREG(os.fstat(handle).st_mode):  # swapped between the check and the open
        os.close(handle)
        raise FileRefused("", "changed while it was opened; run again")
    return handle


def _not_regular(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file; ledinfo reads only regular files"
    if stat.S_ISLNK(mode):
        return "is a symbolic link that loops back on itself; point it at the file"
    return "is a device or socket, not a file"


def _hard_link(names: int, folder: Path, kind: Kind) -> str:
    """The problem of a file with more than one name (hard links): which file it is cannot be told from inside."""
    return (f"is a hard link (one file with {names} names): the same file may lie outside {folder} under another "
            f"name, and {kind.one} is read only from inside its folder (copy the file in instead: `cp`, not `ln`)")


def _outside(path: Path, folder: Path, root: Path, kind: Kind) -> str:
    """The problem of a path that leads out of its folder: which link does it, and where to."""
    where = f"outside {folder}; {kind.one} is read only from inside its folder (copy the file in instead)"
    try:
        steps = path.relative_to(folder).parts
    except ValueError:
        return f"is {where}"
    for count in range(1, len(steps) + 1):
        step = folder.joinpath(*steps[:count])
        if step.is_symlink() and not Path(os.path.realpath(step)).is_relative_to(root):
            points_to = os.readlink(step)
            if count == len(steps):
                return f"is a symbolic link to {points_to}, {where}"
            return f"lies in {step}, a symbolic link to {points_to}, {where}"
    return f"is {where}"


def _os_problem(path: Path, error: OSError) -> str:
    if error.errno == errno.ENOENT:
        if path.is_symlink():
            return f"is a symbolic link to {os.readlink(path)}, which does not exist"
        return "does not exist"
    if error.errno == errno.ELOOP:
        return "is a symbolic link that loops back on itself; point it at the file"
    if error.errno == errno.ENOTDIR:
        return "lies in something that is not a folder"
    return f"cannot be read: {error.strerror or error}"


def _size(count: int) -> str:
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if count >= size:
            return f"{count / size:,.1f} {unit}".replace(".0 ", " ")
    return f"{count:,} bytes"


__all__ = ["COMMENT", "DATA", "TEMPLATE", "FileRefused", "Kind",
           "file_problem", "open_confined", "read_confined", "read_text_confined", "sha256_confined",
           "write_new_confined"]
