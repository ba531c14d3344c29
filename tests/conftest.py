"""Shared fixtures. Installed external plugins are kept out of every test
(LEDINFO_LOAD_PLUGINS is empty) unless a test installs and names its own.

Two tiers: ``pytest -m "not slow"`` (``make test-fast``) and ``pytest`` (``make test``,
CI), which runs everything. A test is ``slow`` when it builds whole packs of a generated
or sample municipality, starts ledinfo in a process of its own (signals, a terminal, a
pipe, cron's environment, plugins installed for it), attacks or audits many generated
examples, or needs a server of its own (PostgreSQL); one that uses a fixture of
PACK_BUILDS is marked so here. A build of the small hand-made extract in the test's own
process (a second or two) is not slow. The whole builds are made once a run and read by
many tests (``shared_build``): a test that needs its own build (other data, options or
a command's exit) makes it itself.

``run_cli`` runs a command in the test's process (click's runner); ``run_process`` starts
the installed command, for what only a process shows.
"""

from __future__ import annotations

import atexit
import datetime
import fcntl
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

os.environ["LEDINFO_LOAD_PLUGINS"] = ""
os.environ.pop("LEDINFO_STRICT_PLUGINS", None)
# Polars on one thread, as every ledinfo command runs it (runtime.workers.one_polars_thread), set before Polars is
# imported: two test workers on two cores, each with Polars' pool of a thread per core, fought over the cores — the
# whole suite 5:49 → 5:38 of pytest with it (2026-12-07, idle machine, one run each). Set it yourself
# to run the tests on more threads.
os.environ.setdefault("POLARS_MAX_THREADS", "1")
# pytest rewrites each test module's asserts when it imports it, and keeps the rewritten module beside it
# (tests/__pycache__, git-ignored) only where Python may write bytecode: where PYTHONDONTWRITEBYTECODE is set (this
# machine's and CI's environment) each worker process rewrote every module again each run, about 3.5 s of a worker's
# 6.3 s of CPU to collect the suite (2.8 s when they are kept; one run each, 2026-12-07). Written for the test modules
# and whatever else this process imports later; the commands the tests start keep the environment's setting.
sys.dont_write_bytecode = False
# the figures a build stores for the next (ledinfo.pipeline.stored) go to a folder of the run's, not the user's cache
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="ledinfo-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)

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

# Fixtures that make every test using them slow: whole builds of the demo or the messy sample, a database server.
PACK_BUILDS = {"demo_packs", "demo_command", "messy_packs", "small_demo_build", "postgres"}


# The files that take longest, started first: make test gives each worker process whole files (--dist loadfile) in
# this order (--no-loadscope-reorder), and a long file started last would leave the other worker idle. Ranked by the
# wall time of a full run's tests per file (2026-12-07 22:04-22:23, load 6-11, one run, before branch suite11's cuts:
# killsafe 211 s, packs 179, scale 133, pdf_in_json 115, the longer series 100, ...; plugin_kit, 105 s then, and
# grouped_lists ranked by their times after those cuts, about half). That run's two workers' tests took 1146 and
# 1148 s of wall: they ended together. A file that makes a build other files share (conftest.shared_build) costs
# more when it comes first; which one that is does not change the total.
LONGEST_FIRST = ("test_killsafe", "test_packs", "test_scale", "test_pdf_in_json", "test_committee_longer_series",
                 "test_accepted_inputs", "test_point_in_time", "test_pack_reuse", "test_indicator_batches",
                 "test_plugin_kit", "test_run", "test_committee_protection", "test_properties", "test_series_shortcuts",
                 "test_plugins", "test_sql", "test_team_rows", "test_attack_periods", "test_protection",
                 "test_grouped_lists", "test_cover", "test_mutations", "test_series_figures", "test_guard_read_back",
                 "test_progress", "test_verdicts", "test_series_protection", "test_build")


def pytest_collection_modifyitems(items):
    for item in items:
        if PACK_BUILDS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(Path(str(item.fspath)).stem, len(rank)))  # stable: the rest as collected


# --- parametrisations sampled per run ------------------------------------------------------------------

# A parametrisation whose cases all run one code path (the same computation for another month, say) takes a sample
# of its cases in each run: chosen by the run's seed, the same in every worker process, printed at the end, and
# another each day, so that the runs of a week cover every case. LEDINFO_TEST_SEED=<seed> runs a sample again;
# LEDINFO_TEST_SEED=all runs every case.
SAMPLE_SEED = "LEDINFO_TEST_SEED"


def pytest_configure(config):
    # set before pytest-xdist starts its workers, which inherit it: they must collect the same tests
    os.environ.setdefault(SAMPLE_SEED, str(datetime.date.today().toordinal()))


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"sampled parametrisations: {SAMPLE_SEED}={os.environ[SAMPLE_SEED]}")


def run_sample(cases, count: int) -> list:
    """``count`` of ``cases`` (in their order) chosen by the run's seed; all of them with LEDINFO_TEST_SEED=all."""
    cases, seed = list(cases), os.environ.get(SAMPLE_SEED, "all")
    if seed == "all" or count >= len(cases):
        return cases
    chosen = set(random.Random(int(seed)).sample(range(len(cases)), count))
    return [case for index, case in enumerate(cases) if index in chosen]


# --- whole builds, made once a run --------------------------------------------------------------------

def shared_build(tmp_path_factory, name: str, make) -> Path:
    """The folder ``make(folder)`` fills, made once a run and read by every test that asks.

    Under pytest-xdist (``make test`` runs the tests in two or more worker processes) the folder is
    in the run's temporary root, which the workers share: the first worker to ask makes it while
    holding a lock, the others wait and read what it made. Made in each run, never kept across runs
    (pytest's temporary folders are per run). A build that failed is made again by the next asker,
    so its failure is reported where it is used.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's root: each worker's base folder (popen-gw0, ...) is inside it
    folder = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed, also if make raises
        done = root / f"shared-{name}.done"
        if not done.exists():
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def _completed(folder: Path, result) -> None:
    """Keep a command's exit code and output beside its build, for the workers that did not run it."""
    (folder / "result.json").write_text(json.dumps({"args": list(result.args), "returncode": result.returncode,
                                                    "stdout": result.stdout, "stderr": result.stderr}))


def _read_completed(folder: Path) -> Ran:
    return Ran(**json.loads((folder / "result.json").read_text()))


@pytest.fixture(scope="session")
def demo_packs(tmp_path_factory):
    """Every default pack of the demo municipality, built once a run in a test process (so process-wide
    state such as untranslated messages is read there, and kept beside the packs for the other workers)."""

    def make(folder: Path) -> None:
        import ledinfo.language as language
        from ledinfo.api.testing import build_demo_packs

        out = folder / "packs"
        out.mkdir()
        before = set(language.MISSING)  # other tests' own sections (English labels) ask for messages too
        report = build_demo_packs(out)
        assert not report.failed, report.failed
        (folder / "missing.json").write_text(json.dumps(sorted(language.MISSING - before, key=repr)))

    folder = shared_build(tmp_path_factory, "demo", make)
    DEMO_MISSING.update(tuple(m) if isinstance(m, list) else m
                        for m in json.loads((folder / "missing.json").read_text()))
    return folder / "packs"


# The untranslated messages the demo's build asked for (test_i18n), apart from those other tests asked for.
DEMO_MISSING: set = set()


@pytest.fixture(scope="session")
def demo_command(tmp_path_factory) -> tuple[Path, Ran]:
    """``ledinfo demo`` run once a run as a user runs it, in a process of its own, without worker
    processes; its output folder and the finished process. demo_packs is built with workers in a
    test process: the two must agree byte for byte."""

    def make(folder: Path) -> None:
        _completed(folder, run_process("demo", "--out", str(folder / "demo"), "--period", "2026-10", "--jobs", "1"))

    folder = shared_build(tmp_path_factory, "demo-command", make)
    return folder / "demo", _read_completed(folder)


# The messy sample's period built as a user builds it, with worker processes (the default --jobs); the other periods
# are built without (--jobs 1): the same files byte for byte (test_scale compares the two ways), and a build's two
# spawned workers cost about 1.6 s of CPU of a messy build's 7 (one run each, 2026-12-07).
MESSY_WITH_WORKERS = "2024-03"


@pytest.fixture(scope="session")
def messy_packs(tmp_path_factory):
    """``messy_packs(month)``: the packs of the shared messy extract for a month, built by
    ``ledinfo build`` at most once a run (with worker processes for MESSY_WITH_WORKERS only);
    returns the output folder and the command's result."""
    if not MESSY.is_dir():
        pytest.skip("../shared/samples/messy-extract is not here")

    def packs(month: str) -> tuple[Path, Ran]:
        def make(folder: Path) -> None:
            jobs = () if month == MESSY_WITH_WORKERS else ("--jobs", "1")
            _completed(folder, run_cli("build", "--data", str(MESSY), "--period", month, "--out", str(folder / "packs"),
                                       *jobs))

        folder = shared_build(tmp_path_factory, f"messy-{month}", make)
        return folder / "packs", _read_completed(folder)

    return packs


@pytest.fixture(scope="session")
def small_demo_build(tmp_path_factory) -> Path:
    """A small generated municipality (scale 0.15, seed 7, data up to 2026-10, Parquet: ``data/``) and its 7 packs
    for 2026-10 built by ``ledinfo build --jobs 2 --timings`` (``packs/``, ``timings.json``), once a run: read by
    test_pdf_in_json, test_scale (the parallel build it compares with a plain one), test_attack_periods and
    test_verdicts."""

    def make(folder: Path) -> None:
        # the period pinned: by default demo-data writes up to the last complete month, which moves with the date
        made = run_cli("demo-data", "--out", str(folder / "data"), "--scale", "0.15", "--seed", "7",
                       "--period", "2026-10", "--format", "parquet")
        assert made.returncode == 0, made.stdout + made.stderr
        built = run_cli("build", "--data", str(folder / "data"), "--period", "2026-10", "--out", str(folder / "packs"),
                        "--jobs", "2", "--timings", str(folder / "timings.json"))
        assert built.returncode == 0, built.stdout + built.stderr

    return shared_build(tmp_path_factory, "small-municipality", make)


@pytest.fixture(scope="session")
def prepared_build(tmp_path_factory) -> Path:
    """For the delivery tests (test_run, test_progress): a folder with the small extract (``extract/``) and
    its packs for 2024-03 built by ``ledinfo run --dry-run`` (``.ledinfo/packs/``), once a run."""
    from test_run import run, write_config

    def make(root: Path) -> None:
        write_small_extract(root / "extract")
        result = run(write_config(root, root / "extract", 25), "--dry-run")  # a dry run connects to no server
        assert result.returncode == 0, result.stdout + result.stderr
        assert (root / ".ledinfo" / "packs" / "2024-03" / "manifest.json").is_file()

    return shared_build(tmp_path_factory, "prepared-run", make)


@pytest.fixture
def prepared(tmp_path, prepared_build) -> Path:
    """This test's copy of the prepared build: the extract (returned) and its packs, where ``ledinfo run``
    with a config written in ``tmp_path`` finds them and reuses them."""
    shutil.copytree(prepared_build / "extract", tmp_path / "extract")
    shutil.copytree(prepared_build / ".ledinfo" / "packs", tmp_path / ".ledinfo" / "packs")
    return tmp_path / "extract"


# --- the command line -------------------------------------------------------------------------------

@dataclass
class Ran:
    """What a command gave back in this process, shaped as :class:`subprocess.CompletedProcess`."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


class _Runner(CliRunner):
    """click's runner with the console script's own streams: every line redacted (``ledinfo.cli.main``)."""

    @contextmanager
    def isolation(self, *args, **kwargs):
        from ledinfo.privacy.console import redact_console

        with super().isolation(*args, **kwargs) as streams:
            redact_console(sys)  # undone with the rest when the runner puts sys.stdout and sys.stderr back
            yield streams


# What only a process of its own can be given: an interpreter setting (PYTHONPATH with a plugin installed for
# it, PYTHONPROFILEIMPORTTIME, ...) takes effect when Python starts.
PROCESS_ONLY = ("PYTHON",)


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> Ran | subprocess.CompletedProcess:
    """Run a ``ledinfo`` command as the console script runs it, in this process (click's runner).

    The exit code, stdout and stderr are what the process gives: an unexpected exception ends with
    its traceback on stderr and exit code 1, as Python ends. ``env`` adds to the environment; one that
    sets an interpreter variable (``PYTHON…``) runs the command in a process of its own (:func:`run_process`),
    as does whatever only a real process shows (signals, a terminal, the interpreter's start and exit): a
    test of those calls :func:`run_process` itself. In this process the command costs no interpreter
    start and no import of the stack (about 2 s of CPU a command).
    """
    if env and any(key.startswith(PROCESS_ONLY) and os.environ.get(key) != value for key, value in env.items()):
        return run_process(*args, env=env, cwd=cwd)
    import logging

    from ledinfo.cli.commands import cli

    logger = logging.getLogger("ledinfo")
    saved = logger.level, logger.handlers[:], logger.propagate
    before = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = _Runner().invoke(cli, list(args), env=env, prog_name="ledinfo")
    finally:
        os.chdir(before)
        for handler in logger.handlers[:]:  # what the process's end does to the handlers the command set up
            if handler not in saved[1]:
                handler.close()
        logger.setLevel(saved[0])
        logger.handlers[:] = saved[1]
        logger.propagate = saved[2]
    stderr = result.stderr
    code = result.exit_code
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
        code = 1
    return Ran(["ledinfo", *args], code, result.stdout, stderr)


def ledinfo_executable() -> str:
    """The installed ``ledinfo`` console script (for a test that starts it itself, as ``subprocess.Popen``)."""
    return shutil.which("ledinfo", path=str(Path(sys.executable).parent)) or "ledinfo"


def run_process(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``ledinfo`` command in a subprocess, as a user would."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([ledinfo_executable(), *args], capture_output=True, text=True, env=full_env, cwd=cwd,
                          timeout=600)


# --- CPU per test, on request ---------------------------------------------------------------------------

# LEDINFO_TEST_CPU=<folder>: each worker process writes the CPU (user+sys) of every test, its fixtures' setup and
# teardown included, of its own process and of the children it waited for, its wall time and the worker pools it
# started in its own process, to <folder>/<worker>.tsv — to rank what the suite spends its time on (a shared build
# is counted to the test that made it).
CPU_LOG = "LEDINFO_TEST_CPU"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    folder = os.environ.get(CPU_LOG)
    if not folder:
        yield
        return
    import resource
    import time

    from ledinfo.runtime import workers

    def spent() -> tuple[float, float]:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time(), children.ru_utime + children.ru_stime

    if not hasattr(workers.WorkerPool, "started"):  # the pools started in the test's process: counted from now on
        workers.WorkerPool.started, start = 0, workers.WorkerPool.__init__

        def counted(self, *args, **kwargs):
            workers.WorkerPool.started += 1
            start(self, *args, **kwargs)

        workers.WorkerPool.__init__ = counted
    pools = workers.WorkerPool.started
    own, children, wall = *spent(), time.perf_counter()
    yield
    own_after, children_after = spent()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    Path(folder).mkdir(parents=True, exist_ok=True)
    with open(Path(folder) / f"{worker}.tsv", "a") as log:
        log.write(f"{item.nodeid}\t{own_after - own:.2f}\t{children_after - children:.2f}"
                  f"\t{time.perf_counter() - wall:.2f}\t{workers.WorkerPool.started - pools}\n")


def count_calls(patched, calls, owner, name: str) -> None:
    """Count each call of ``owner.name`` (a method) in ``calls[name]`` while ``patched`` (a monkeypatch context)
    lasts; the real method still runs, so what it makes is what it would make uncounted."""
    real = getattr(owner, name)

    def counted(self, *args, **kwargs):
        calls[name] += 1
        return real(self, *args, **kwargs)

    patched.setattr(owner, name, counted)
