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
import pickle
import signal
import sys
import threading
import time
import weakref
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ledinfo.runtime.signals import raise_if_stopped
from ledinfo.runtime.timing import Timings

if TYPE_CHECKING:
    from ledinfo.packs.content import PackContent


def default_workers() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def one_polars_thread() -> None:
    """Polars on one thread in this process and its workers, unless the user set ``POLARS_MAX_THREADS``.

    A build's frames are small (one municipality, one month at a time), so Polars' threads
    cost more in planning and hand-over than they save: computing the sections took about a
    fifth less CPU and wall time on one thread, at scale 1 and at scale 10 (benchmarks/results.md),
    and the machine's other CPUs are the render workers'. Polars reads the setting when it is
    first imported: called later, this changes nothing.
    """
    if "polars" not in sys.modules:
        os.environ.setdefault("POLARS_MAX_THREADS", "1")


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


def _call(call: bytes):
    function, args = pickle.loads(call)
    return function(*args)


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
        """Run ``function(*args)`` in a worker. The call is pickled here, in the calling thread: the
        executor would pickle it in a thread of its own, and a Polars frame pickled there while this
        thread runs a Polars query deadlocked the build (the pickling thread, holding the GIL, waited
        for Polars' one thread, which ran this thread's query and waited for the GIL)."""
        return self._executor.submit(_call, pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL))

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
        raise_if_stopped()  # the stop killed the workers: no fresh one
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

class Renderer:
    """Draws every unique chart once and renders each pack, sharing the work between this process and the pool.

    Packs are added as their texts are written (:meth:`add`): their new charts go to the
    workers at once, so drawing starts while this process still writes the next packs'
    texts. :meth:`rendered` then renders each pack whose charts are drawn: in a worker
    when one is free, else here, so neither process waits while the other works. This
    process draws no charts when there is a pool: its own chart engine would cost half a
    second of CPU and about 100 MiB to start, and drawing here what no worker had begun
    made the build a fifth slower on a busy machine (medians 13.6 against 11.3 s, three
    alternating runs each at load 5–6).
    Without a pool everything happens here, one after the other.

    A chart that cannot be drawn fails the packs that show it, not the others; a worker
    that dies loses only the task it was running (:func:`result_or_alone`).
    """

    def __init__(self, pool: WorkerPool | None, timings: Timings) -> None:
        from ledinfo.render.charts import chart_cache_enabled

        self.pool, self.timings = pool, timings
        self.cached = chart_cache_enabled()  # off: every pack draws each of its charts anew (benchmark's plain run)
        self.contents: dict[str, PackContent] = {}
        self.keys_of: dict[str, list[str]] = {}
        self.drawings: dict[str, object] = {}
        self.errors: dict[str, str] = {}
        self.drawing: dict[Future, list] = {}  # chart tasks in the pool -> their (key, chart, language)
        self.wanted: set[str] = set()

    def add(self, pack_id: str, content: PackContent) -> None:
        """A pack whose texts are written: its charts not yet asked for start drawing now."""
        from ledinfo.render.charts import chart_key
        from ledinfo.render.pdf import CONTENT_WIDTH

        self.contents[pack_id] = content
        if not self.cached:
            return
        with self.timings.stage("charts"):
            language, keys, new = content.view.language, [], []
            for section in content.sections:
                for chart in section.charts:
                    key = chart_key(chart, language)
                    keys.append(key)
                    if key not in self.wanted:
                        self.wanted.add(key)
                        new.append((key, chart, language))
            self.keys_of[pack_id] = keys
            self.timings.count("chart_uses", len(keys))
        if self.pool is None:
            self._drawn(draw_charts(new, CONTENT_WIDTH))
            return
        for chunk in (new[i:i + CHART_CHUNK] for i in range(0, len(new), CHART_CHUNK)):  # small: work spreads evenly
            self.drawing[self.pool.submit(draw_charts, chunk, CONTENT_WIDTH)] = chunk

    def rendered(self):
        """Yield (pack id, content, (pdf, json, timings) or None, error or None) for every pack added and not yet
        yielded, as each is done; the renderer lets go of each pack's content as it yields it."""
        waiting = list(self.contents)  # in job order: ready packs are taken first come, first served
        rendering: dict[Future, str] = {}
        while waiting or rendering:
            self._collect_charts()
            for pack_id in [p for p in waiting if self._failed_chart(p)]:
                waiting.remove(pack_id)
                yield self._done(pack_id, None, RuntimeError(self._failed_chart(pack_id)))
            ready = [p for p in waiting if self._charts_done(p)]
            # keep each worker one task ahead, so it is never idle while this process works
            while ready and self.pool is not None and len(rendering) + len(self.drawing) < 2 * self.pool.size:
                pack_id = ready.pop(0)
                waiting.remove(pack_id)
                rendering[self.pool.submit(render_pack, self.with_drawings(pack_id))] = pack_id
            for future in [f for f in rendering if f.done()]:
                yield self._render_result(rendering.pop(future), future)
            if ready:  # the workers are busy: render one here
                pack_id = ready[0]
                waiting.remove(pack_id)
                try:
                    yield self._done(pack_id, render_pack(self.with_drawings(pack_id)), None)
                except Exception as error:
                    yield self._done(pack_id, None, error)
            elif rendering or self.drawing:
                wait([*rendering, *self.drawing], return_when=FIRST_COMPLETED)

    def _done(self, pack_id: str, rendered, error):
        return pack_id, self.contents.pop(pack_id), rendered, error

    def _collect_charts(self) -> None:
        for future in [f for f in self.drawing if f.done()]:
            self._drawn(_chunk_result(future, self.drawing.pop(future)))

    def _drawn(self, result: tuple[dict, dict, Timings]) -> None:
        found, failed, spent = result
        self.drawings.update(found)
        self.errors.update(failed)
        self.timings.merge(spent)

    def _charts_done(self, pack_id: str) -> bool:
        return all(key in self.drawings for key in self.keys_of.get(pack_id, ()))

    def _failed_chart(self, pack_id: str) -> str | None:
        broken = [self.errors[key] for key in self.keys_of.get(pack_id, ()) if key in self.errors]
        return "; ".join(dict.fromkeys(broken)) or None

    def with_drawings(self, pack_id: str) -> PackContent:
        """The pack's content with the drawings of its charts, ready to render."""
        content = self.contents[pack_id]
        content.drawings = {key: self.drawings[key] for key in self.keys_of.get(pack_id, ())}
        return content

    def _render_result(self, pack_id: str, future: Future):
        try:
            return self._done(pack_id, result_or_alone(future, render_pack, self.contents[pack_id]), None)
        except BrokenProcessPool:
            return self._done(pack_id, None, RuntimeError("the worker process rendering it died (killed, out of "
                                                          "memory or crashed)"))
        except Exception as error:
            return self._done(pack_id, None, error)


CHART_CHUNK = 4  # charts per task: small enough to share out evenly, large enough that hand-over costs little


def _chunk_result(future: Future, chunk: list) -> tuple[dict, dict, Timings]:
    """A chunk's drawings; if its worker died even when drawing it alone, each of its charts fails."""
    from ledinfo.render.pdf import CONTENT_WIDTH

    try:
        return result_or_alone(future, draw_charts, chunk, CONTENT_WIDTH)
    except BrokenProcessPool:
        problem = "the worker process drawing it died (killed, out of memory or crashed)"
        return {}, {key: f"chart {chart.id!r} could not be drawn: {problem}" for key, chart, _ in chunk}, Timings()
