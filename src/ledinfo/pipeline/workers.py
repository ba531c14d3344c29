"""Warm worker processes for the slow part of a build, and sharing that work out: charts and PDFs.

Workers are *spawned*, never forked: a process forked after its parent made a
chart conversion hangs in vl-convert (stack-notes.md). Spawning costs about a
second per worker (imports and the first chart conversion), so the pool is
started before the data is read and every worker warms up while the parent
loads and computes.

What crosses between processes is plain data: charts and pack contents go out,
drawings and PDF bytes come back, each with the worker's :class:`Timings`.
"""

from __future__ import annotations

import atexit
import ctypes
import multiprocessing
import os
import signal
import threading
import time
import weakref
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ledinfo.pipeline.timing import Timings

if TYPE_CHECKING:
    from ledinfo.pipeline.packs import PackContent


def default_workers() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _warm() -> None:
    """Import the render stack and draw a first chart now: the first costs ten times the others."""
    from ledinfo.render.charts import warm_up

    warm_up()
    # A worker's results are written to the parent before it is told to stop, and it holds
    # nothing else: skip the interpreter's teardown (a quarter of a second, mostly the chart
    # engine's) so the build ends sooner. The last exit handler registered runs first.
    atexit.register(os._exit, 0)


# In a worker: its CPU already told to the parent ("told"), its warm-up until told, and whether a task is
# running ("inside"); empty in the parent
_worker_cpu: dict[str, float] = {}


@contextmanager
def task_timings():
    """The :class:`Timings` of a task; in a worker it also carries the CPU spent outside tasks since the last one.

    That is the warm-up (with the first task) and the hand-over: unpickling this task's
    arguments, pickling the previous result; and, as the task ends, its own CPU outside
    any stage. So a build's CPU lines add up to its total. A task run inside another
    (a whole municipality's build draws its charts as a task) is accounted by the outer
    one only: the inner would count the outer's stages again.
    """
    timings = Timings()
    outermost = bool(_worker_cpu) and "inside" not in _worker_cpu
    if outermost:
        _worker_cpu["inside"] = begun = time.process_time()
        timings.cpu["warm-up"] += _worker_cpu.pop("warm-up", 0.0)
        timings.cpu["handover"] += begun - _worker_cpu["told"]
        before = sum(timings.cpu.values())
    try:
        yield timings
    finally:
        if outermost:
            _worker_cpu["told"] = time.process_time()
            staged = sum(timings.cpu.values()) - before
            timings.cpu["handover"] += max(0.0, _worker_cpu["told"] - _worker_cpu.pop("inside") - staged)


def _start_worker(parent: int, single_threaded: bool) -> None:
    """A worker's set-up: tie its life to the parent's, then warm up.

    ``single_threaded``: read by Polars when it is first imported, which in a spawned
    worker is after this line.
    """
    # Ctrl-C reaches every process in the terminal's group; the parent decides what stops and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    if single_threaded:
        os.environ["POLARS_MAX_THREADS"] = "1"
    _warm()
    _worker_cpu["warm-up"] = _worker_cpu["told"] = time.process_time()


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """End this worker when the parent ends, however it ends (SIGKILL included).

    Linux sends the signal when the parent *thread* that started the worker ends;
    pools are made by the main thread, which ends with the process. The parent may
    have died before the call: then the signal never comes, so check after it.
    Elsewhere a thread watches the parent instead.
    """
    try:
        armed = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):  # not Linux
        armed = False
    if os.getppid() != parent:
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="parent-watch").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _ready() -> int:
    return os.getpid()


class WorkerPool:
    """A pool of spawned, warmed-up processes.

    ``single_threaded``: each worker computes with one Polars thread. When every
    worker does a whole build (one municipality each), the workers already fill
    the CPUs, and Polars' own threads would only fight them for the same cores.
    """

    def __init__(self, workers: int, single_threaded: bool = False) -> None:
        self.size = workers
        self._executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker, initargs=(os.getpid(), single_threaded))
        _live_pools.add(self)
        for _ in range(workers):  # each submit while the others are busy starts one more process
            self._executor.submit(_ready)

    def submit(self, function, *args) -> Future:
        return self._executor.submit(function, *args)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        _live_pools.discard(self)

    def kill(self) -> None:
        """End every worker now, mid-task (a stop signal); ``close`` then returns at once.

        Called from a signal handler, which may run while this thread is inside the
        executor: so no locks and no executor calls here, only SIGKILL to each pid.
        """
        # the executor has no public way to end its processes; ``_processes`` maps pid → Process
        for pid in list(self._executor._processes or ()):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_live_pools: weakref.WeakSet[WorkerPool] = weakref.WeakSet()


def stop_all_workers() -> None:
    """Kill the workers of every pool of this process (called on SIGTERM and Ctrl-C)."""
    for pool in list(_live_pools):
        pool.kill()


def result_or_alone(future: Future, function, *args):
    """The result of ``future``; if a worker died, ``function(*args)`` again, alone in a fresh worker.

    A worker that dies (killed, out of memory, crashed) breaks its pool: every call
    not yet finished fails with it. Running each of those again on its own means
    only the call that kills its worker is lost (it raises BrokenProcessPool again).
    """
    try:
        return future.result()
    except BrokenProcessPool:
        with WorkerPool(1) as alone:
            return alone.submit(function, *args).result()


def pool_for(workers: int | None, tasks_hint: int | None = None) -> WorkerPool | None:
    """A pool when more than one worker is asked for (and there is more than one task).

    By default one worker fewer than the CPUs: the parent keeps a CPU for its own part
    (loading, computing, the guard) while the worker warms up, then draws and renders.
    One worker per CPU was slower than no worker at all when the machine was busy, and
    no faster when it was idle (benchmarks/results.md); one CPU: no worker.
    """
    if workers is None:
        workers = default_workers() - 1
        return WorkerPool(min(workers, tasks_hint or workers)) if workers >= 1 else None
    if tasks_hint is not None:
        workers = min(workers, tasks_hint)
    return WorkerPool(workers) if workers > 1 else None


# --- tasks (module-level functions, so a spawned worker can import them) -------------

def draw_charts(items: list, max_width: float) -> tuple[dict, dict, Timings]:
    """Draw ``items`` — (key, chart, language): ({key: drawing}, {key: error}, time spent).

    A chart that cannot be drawn fails the packs that show it, not the others.
    """
    from ledinfo.render.charts import draw_chart

    drawings, errors = {}, {}
    with task_timings() as timings, timings.stage("charts"):
        for key, chart, language in items:
            try:
                drawings[key] = draw_chart(chart, language, max_width)
            except Exception as error:
                errors[key] = f"chart {chart.id!r} could not be drawn: {type(error).__name__}: {error}"
    timings.count("charts", len(drawings))
    return drawings, errors, timings


def render_pack(content) -> tuple[bytes, bytes, Timings]:
    """The PDF and JSON of one pack (the caller checks and writes them)."""
    from ledinfo.render.json_out import render_json
    from ledinfo.render.pdf import render_pdf

    with task_timings() as timings:
        with timings.stage("pdf"):
            pdf = render_pdf(content, timings)
        with timings.stage("json"):
            data = render_json(content)
    return pdf, data, timings


# --- sharing the work out (called by ledinfo.pipeline.build) -----------------------------------

def draw_all_charts(contents: dict[str, PackContent], pool: WorkerPool | None,
                    timings: Timings) -> dict[str, Exception]:
    """Draw every chart the packs show, each unique chart once, and hand each pack its drawings.

    With a pool the unique charts are shared out among the workers; the drawings
    travel to the PDF workers with the pack contents (cheaper than drawing again).
    Returns the packs that cannot be rendered because a chart of theirs could not be drawn.
    """
    from ledinfo.render.charts import chart_cache_enabled, chart_key
    from ledinfo.render.pdf import CONTENT_WIDTH

    if not chart_cache_enabled():
        return {}  # every pack draws its own charts, each use anew
    with timings.stage("charts"):
        wanted: dict[str, tuple] = {}
        keys_of: dict[str, list[str]] = {}
        for pack_id, content in contents.items():
            language = content.view.language
            keys_of[pack_id] = []
            for section in content.sections:
                for chart in section.charts:
                    key = chart_key(chart, language)
                    wanted.setdefault(key, (key, chart, language))
                    keys_of[pack_id].append(key)
        timings.count("chart_uses", sum(len(keys) for keys in keys_of.values()))
    items = list(wanted.values())
    drawings: dict[str, object] = {}
    errors: dict[str, str] = {}
    if pool is None or len(items) < 2:
        results = [draw_charts(items, CONTENT_WIDTH)]
    else:
        chunks = [c for c in (items[i::pool.size * 4] for i in range(pool.size * 4)) if c]  # small: even work
        results = [_drawn(future, chunk) for future, chunk in
                   [(pool.submit(draw_charts, chunk, CONTENT_WIDTH), chunk) for chunk in chunks]]
    for found, failed, spent in results:
        drawings.update(found)
        errors.update(failed)
        timings.merge(spent)
    problems = {}
    for pack_id, content in contents.items():
        broken = [errors[key] for key in keys_of[pack_id] if key in errors]
        if broken:
            problems[pack_id] = RuntimeError("; ".join(dict.fromkeys(broken)))
        content.drawings = {key: drawings[key] for key in keys_of[pack_id] if key in drawings}
    return problems


def _drawn(future, chunk: list) -> tuple[dict, dict, Timings]:
    """A chunk's drawings; if its worker died even when drawing it alone, each of its charts fails."""
    from ledinfo.render.pdf import CONTENT_WIDTH

    try:
        return result_or_alone(future, draw_charts, chunk, CONTENT_WIDTH)
    except BrokenProcessPool:
        problem = "the worker process drawing it died (killed, out of memory or crashed)"
        return {}, {key: f"chart {chart.id!r} could not be drawn: {problem}" for key, chart, _ in chunk}, Timings()


def render_packs(contents: dict[str, PackContent], pool: WorkerPool | None):
    """Render every pack (in the pool's workers when there is one); yields (pack id, result, error)."""
    if pool is None or len(contents) < 2:
        for pack_id, content in contents.items():
            try:
                yield pack_id, render_pack(content), None
            except Exception as error:
                yield pack_id, None, error
        return
    futures = {pack_id: pool.submit(render_pack, content) for pack_id, content in contents.items()}
    for pack_id, future in futures.items():  # in job order, so the output is the same every time
        try:
            yield pack_id, result_or_alone(future, render_pack, contents[pack_id]), None
        except BrokenProcessPool:
            yield pack_id, None, RuntimeError("the worker process rendering it died (killed, out of memory or "
                                              "crashed)")
        except Exception as error:
            yield pack_id, None, error
