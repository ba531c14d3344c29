"""Helpers for testing ledinfo and ledinfo plugins.

- :func:`load_test_plugins` loads the built-ins (and only the externals you
  name), so installed plugins cannot disturb a test;
- :func:`build_demo_packs` builds every default pack of the demo municipality;
- :func:`frames_to_extract` validates hand-made tables into an Extract;
- :func:`context_for` gives a section's compute() what it needs.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from ledinfo.config import Config
from ledinfo.demo import demo_config
from ledinfo.extract import Extract, RawExtract, RawTable, validate_extract
from ledinfo.loader import ENV_LOAD, Plugins, load_plugins
from ledinfo.period import Period

DEMO_PERIOD = Period(2026, 10)


@contextmanager
def only_plugins(*names: str):
    """Within the block, load no installed plugin except ``names``."""
    before = os.environ.get(ENV_LOAD)
    os.environ[ENV_LOAD] = ",".join(names)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV_LOAD, None)
        else:
            os.environ[ENV_LOAD] = before


def load_test_plugins(*external: str, strict: bool = True) -> Plugins:
    """Built-ins plus the named external plugins; strict, so a broken plugin fails the test."""
    with only_plugins(*external):
        return load_plugins(strict=strict)


def frames_to_extract(tables: dict[str, pl.DataFrame | dict]) -> Extract:
    """Validate hand-made tables (frames, or dicts of columns) into an Extract."""
    raw = {}
    for name, frame in tables.items():
        frame = frame if isinstance(frame, pl.DataFrame) else pl.DataFrame(frame)
        raw[name] = RawTable(name, frame, f"test:{name}", first_row=1)
    return validate_extract(RawExtract(raw, {}, "test extract"))


def context_for(extract: Extract, period: Period, **config):
    """A SectionContext for ``extract``; keyword arguments set Config fields (standards=..., goals=...)."""
    from ledinfo.sections import SectionContext

    return SectionContext.create(extract, period, Config(base_dir=Path.cwd(), source={"type": "test"}, **config))


def build_demo_packs(out: Path, language: str = "da", period: Period = DEMO_PERIOD, plugins: Plugins | None = None):
    """Build every default pack of the demo municipality into ``out``; returns the BuildReport."""
    from ledinfo.build import build

    plugins = plugins or load_test_plugins()
    return build(demo_config(language=language), plugins.registry, period, out, language)


__all__ = ["DEMO_PERIOD", "build_demo_packs", "context_for", "demo_config", "frames_to_extract", "load_test_plugins",
           "only_plugins"]
