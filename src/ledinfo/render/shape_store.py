"""Compiled chart shapes kept between builds, so a build compiles only the shapes no build before it compiled.

Compiling a chart shape's Vega-Lite to Vega (Altair builds the spec, vl-convert compiles it) costs 50–70 ms of CPU a
shape and depends on nothing but the shape, its size, the language's chart settings and the code and libraries that
make it (:func:`ledinfo.render.charts.chart_vega`): a monthly build of the same packs compiles the same 15–20 shapes
each time, and a shared-service centre's build of many municipalities in several worker processes compiled them in
each process. Each compiled shape is kept as JSON (data, never code) in the user's cache folder
(``$XDG_CACHE_HOME/ledinfo/shapes``, else ``~/.cache/ledinfo/shapes``), named by a hash of everything it depends
on — ledinfo's code (:func:`ledinfo.runtime.code.code_version`: in a checkout, its source files' state), Altair's
and vl-convert's versions — so a changed line of code or a new library compiles afresh.

Read only from files of the user's own that no one else can write, as the stored figures are
(:mod:`ledinfo.pipeline.stored`); written atomically (another process may be writing the same shape). Anything
wrong — missing, unreadable, not the user's — means only that the shape is compiled again; nothing here raises.
``LEDINFO_NO_CACHE`` (the benchmark's plain run) turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ledinfo.runtime.code import code_version
from ledinfo.runtime.user_cache import cache_folder, caching, private

log = logging.getLogger("ledinfo.render")
FORMAT = 1  # raised when what a file holds changes shape


enabled = caching


def folder() -> Path:
    """The user's folder for compiled shapes."""
    return cache_folder("shapes")


@functools.lru_cache(maxsize=1)
def _makers() -> tuple[str, ...]:
    """The code that makes a compiled shape: ledinfo's and the two libraries' versions."""
    found = [code_version()]
    for name in ("altair", "vl-convert-python"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:  # pragma: no cover - both are dependencies
            found.append(f"{name} ?")
    return tuple(found)


def key_of(described: object) -> str:
    """The file name of a shape described by ``described`` (JSON-able: the shape, its size, its settings)."""
    text = json.dumps([FORMAT, _makers(), described], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def load(key: str) -> tuple[bool, dict | None]:
    """(True, the compiled shape or None where it is compiled chart by chart) when kept; (False, None) when not."""
    if not enabled():
        return False, None
    path = folder() / f"{key}.json"
    try:
        if not private(path) or not private(path.parent):
            log.debug("compiled shape %s not read: not the user's own, or writable by others", path)
            return False, None
        with path.open("rb") as file:
            return True, json.loads(file.read())["compiled"]
    except (OSError, ValueError, KeyError, TypeError):
        return False, None


def save(key: str, compiled: dict | None) -> None:
    """Keep a compiled shape (None: compiled chart by chart) for the next build."""
    if not enabled():
        return
    target = folder()
    try:
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=target, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump({"compiled": compiled}, file)
            os.replace(temporary, target / f"{key}.json")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        log.debug("compiled shape not kept: %s", error)
