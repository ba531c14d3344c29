"""Where plugins are found, in a module that imports nothing heavy: the rerun check
(:func:`ledinfo.pipeline.reuse.unchanged`) describes the installed plugins before any is loaded."""

from __future__ import annotations

import os
from importlib.metadata import entry_points

ENTRY_POINT_GROUP = "ledinfo"
ENV_LOAD = "LEDINFO_LOAD_PLUGINS"


def installed_plugins() -> dict:
    """The external plugins as installed (name, entry point, distribution and version) and which are
    wanted, from the packages' metadata, without importing any; the built-ins are ledinfo's own code."""
    found = sorted((entry.name, entry.value, entry.dist.name if entry.dist else None,
                    entry.dist.version if entry.dist else None) for entry in entry_points(group=ENTRY_POINT_GROUP))
    return {"entry_points": [list(item) for item in found], "wanted": os.environ.get(ENV_LOAD)}
