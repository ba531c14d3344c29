"""Shared fixtures. Installed external plugins are kept out of every test
(LEDINFO_LOAD_PLUGINS is empty) unless a test installs and names its own.

Two tiers: ``pytest -m "not slow"`` (``make test-fast``) runs in under a minute;
``pytest`` (``make test``, CI) runs everything. A test that builds whole packs is
marked ``slow``; one that uses a fixture of PACK_BUILDS is marked so here, since
that fixture's build is what makes it slow. Those builds are made once a session
and read by many tests: a test that needs its own build (other data, options or
a command's exit) makes it itself.
"""

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


MESSY = Path(__file__).resolve().parents[2] / "shared" / "samples" / "messy-extract"

# Fixtures whose build makes every test that uses them slow.
PACK_BUILDS = {"demo_packs", "demo_command", "messy_packs"}


def pytest_collection_modifyitems(items):
    for item in items:
        if PACK_BUILDS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def demo_packs(tmp_path_factory):
    """Every default pack of the demo municipality, built once for the session, in this process
    (so process-wide state such as untranslated messages can be read afterwards)."""
    import ledinfo.language as language
    from ledinfo.api.testing import build_demo_packs

    out = tmp_path_factory.mktemp("demo")
    before = set(language.MISSING)  # other tests' own sections (English labels) ask for messages too
    report = build_demo_packs(out)
    assert not report.failed, report.failed
    DEMO_MISSING.update(language.MISSING - before)
    return out


# The untranslated messages the demo's build asked for (test_i18n), apart from those other tests asked for.
DEMO_MISSING: set = set()


@pytest.fixture(scope="session")
def demo_command(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """``ledinfo demo`` run once for the session as a user runs it, without worker processes;
    its output folder and the finished process. demo_packs is built with workers: the two
    must agree byte for byte."""
    out = tmp_path_factory.mktemp("demo-command") / "demo"
    return out, run_cli("demo", "--out", str(out), "--period", "2026-10", "--jobs", "1")


@pytest.fixture(scope="session")
def messy_packs(tmp_path_factory):
    """``messy_packs(month)``: the packs of the shared messy extract for a month, built by
    ``ledinfo build`` at most once a session; returns the output folder and the process."""
    if not MESSY.is_dir():
        pytest.skip("../shared/samples/messy-extract is not here")
    built: dict[str, tuple[Path, subprocess.CompletedProcess]] = {}

    def packs(month: str) -> tuple[Path, subprocess.CompletedProcess]:
        if month not in built:
            out = tmp_path_factory.mktemp(f"messy-{month}") / "packs"
            built[month] = out, run_cli("build", "--data", str(MESSY), "--period", month, "--out", str(out))
        return built[month]

    return packs


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``ledinfo`` command in a subprocess, as a user would."""
    executable = shutil.which("ledinfo", path=str(Path(sys.executable).parent)) or "ledinfo"
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([executable, *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=600)
