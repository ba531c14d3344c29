"""Which ledinfo code is running: its version, and in a checkout installed editable the state of its source files.

A build's key (:mod:`ledinfo.pipeline.reuse`) and the compiled chart shapes kept between builds
(:mod:`ledinfo.render.shape_store`) both depend on the code that made them: a developer's changed code is no
released version, and what it made before the change must not be reused after it.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from ledinfo import __version__


@lru_cache(maxsize=1)
def code_version() -> str:
    """ledinfo's version, and where ledinfo is installed editable (a checkout: `pip install -e`, as `scripts/setup`
    does) the state of its source files too. Each file's path, size and modification time: about 300 stat calls,
    no reading."""
    try:
        editable = json.loads(distribution("ledinfo").read_text("direct_url.json") or "{}").get(
            "dir_info", {}).get("editable", False)
    except (PackageNotFoundError, ValueError):
        editable = False
    if not editable:
        return __version__
    return f"{__version__}+{source_state(Path(__file__).resolve().parent.parent)}"


def source_state(package: Path) -> str:
    """A fingerprint of the files under ``package`` as they stand, its ``__pycache__`` folders aside (bytecode, and
    the temporary files Python writes there while another process compiles)."""
    files = sorted(path for path in package.rglob("*")
                   if "__pycache__" not in path.relative_to(package).parts and path.is_file())
    state = [(str(path.relative_to(package)), path.stat().st_size, path.stat().st_mtime_ns) for path in files]
    described = {"source": repr(state)}
    return hashlib.sha256(json.dumps(described, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]
