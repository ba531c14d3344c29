"""Shared fixtures. Installed external plugins are kept out of every test
(LEDINFO_LOAD_PLUGINS is empty) unless a test installs and names its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ["LEDINFO_LOAD_PLUGINS"] = ""
os.environ.pop("LEDINFO_STRICT_PLUGINS", None)

sys.path.insert(0, str(Path(__file__).parent))

from ledinfo.api.small_extract import small_tables, write_small_extract  # noqa: E402


@pytest.fixture(scope="session")
def plugins():
    from ledinfo.api.testing import load_test_plugins

    return load_test_plugins()


@pytest.fixture(scope="session")
def registry(plugins):
    return plugins.registry


@pytest.fixture
def tables():
    return small_tables()


@pytest.fixture
def small_dir(tmp_path) -> Path:
    folder = tmp_path / "extract"
    write_small_extract(folder)
    return folder


@pytest.fixture(scope="session")
def demo_packs(tmp_path_factory):
    """Every default pack of the demo municipality, built once for the session."""
    from ledinfo.api.testing import build_demo_packs

    out = tmp_path_factory.mktemp("demo")
    report = build_demo_packs(out)
    assert not report.failed, report.failed
    return out


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``ledinfo`` command in a subprocess, as a user would."""
    executable = shutil.which("ledinfo", path=str(Path(sys.executable).parent)) or "ledinfo"
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([executable, *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=600)
