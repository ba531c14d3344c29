"""Warm worker processes for the slow part of a build (charts and PDFs: shared out by :mod:`ledinfo.render.parallel`).

Workers are *spawned*, never forked: a process forked after its parent made a
chart conversion hangs in vl-convert (stack-notes.md). Spawning costs about a
second per worker (imports and the first chart conversion), so the pool is
started before the data is read and every worker warms up while the parent
loads and computes.

What crosses between processes is plain data: charts and pack contents go out,
drawings and PDF bytes come back, each with the worker's :class:`Timings`.

A stop signal kills the workers at once. This process's own calls into the pool (submit,
the futures' ``done``, ``result`` and waits: :func:`finished`, :func:`wait_for_any`) raise
the stop only when they are done (:func:`ledinfo.runtime.signals.raised_after`), so that
no lock the pool's thread needs is left held and the pool can always be closed.
"""

from __future__ import annotations

import atexit
import ctypes
import importlib
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

from ledinfo.privacy.console import finish_console, redact_console
from ledinfo.runtime.signals import on_stop, raise_if_stopped, raised_after
from ledinfo.runtime.timing import Timings, span


def default_workers() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# Polars' allocator (its own jemalloc, configured by this variable when Polars is first imported): one arena, and
# freed pages given back to the system 0.1 s after they are freed (Polars' own: 0.5 s, then 1 s more counted as
# resident). With one arena a thread's freed memory serves the other's next frames (Polars' pool thread and the
# caller's: 8 arenas kept them apart); pages given back at once are no longer counted in the process's resident
# memory. A 200 MB extract's main process peaked ~35 MiB lower before its first pack, for about the same CPU
# (issue 27, goal 5; benchmarks/results.md); given back at once (0 s) it was ~50 MiB lower for a fifth more CPU.
POLARS_ALLOCATOR = "narenas:1,dirty_decay_ms:100,muzzy_decay_ms:0"


def one_polars_thread() -> None:
    """Polars on one thread in this process and its workers, unless the user set ``POLARS_MAX_THREADS``, and its
    allocator, for one thread, set to give memory back (:data:`POLARS_ALLOCATOR`), unless the user set
    ``_RJEM_MALLOC_CONF``.

    A build's frames are small (one municipality, one month at a time), so Polars' threads
    cost more in planning and hand-over than they save: computing the sections took about a
    fifth less CPU and wall time on one thread, at scale 1 and at scale 10 (benchmarks/results.md),
    and the machine's other CPUs are the render workers'. Polars reads both settings when it is
    first imported: called later, this changes nothing. Spawned workers inherit them.
    """
    if "polars" not in sys.modules:
        os.environ.setdefault("POLARS_MAX_THREADS", "1")
        if os.environ["POLARS_MAX_THREADS"] == "1":  # (one arena for many threads would make them wait on it)
            os.environ.setdefault("_RJEM_MALLOC_CONF", POLARS_ALLOCATOR)


def _warm(warm_up) -> None:
    """Run the pool's warm-up now (the render stack's: its first chart costs ten times the others); ``warm_up`` may
    be named ("module:function"), so that a pool starts without its parent importing what the workers warm up."""
    if isinstance(warm_up, str):
        module, name = warm_up.split(":")
        warm_up = getattr(importlib.import_module(module), name)
    if warm_up is not None:
        warm_up()
    # A worker's results are written to the parent before it is told to stop, and it holds
    # nothing else: skip the interpreter's teardown (a quarter of a second, mostly the chart
    # engine's) so the build ends sooner. The last exit handler registered runs first.
    atexit.register(_exit_now)


def _exit_now() -> None:
    finish_console(sys)  # what the redacting console holds back (a line not yet ended), written first
    os._exit(0)


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


def _start_worker(parent: int, single_threaded: bool, warm_up=None) -> None:
    """A worker's set-up: tie its life to the parent's, then warm up.

    ``single_threaded``: read by Polars when it is first imported, which in a spawned
    worker is after this line.
    """
    # Ctrl-C reaches every process in the terminal's group; the parent decides what stops and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker writes to the parent's terminal: a plugin's print, a warning, a log record (through logging's last
    # resort, which writes to stderr) pass through the same redaction of CPR numbers as the parent's own output.
    redact_console(sys)
    _die_with_parent(parent)
    if single_threaded:
        os.environ["POLARS_MAX_THREADS"] = "1"
    with span("warm-up"):
        _warm(warm_up)
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
    with span("task"):
        function, args = pickle.loads(call)
        return function(*args)


def _ready() -> int:
    return os.getpid()


class WorkerPool:
    """A pool of spawned, warmed-up processes.

    ``single_threaded``: each worker computes with one Polars thread. When every
    worker does a whole build (one municipality each), the workers already fill
    the CPUs, and Polars' own threads would only fight them for the same cores.
    ``warm_up``: a module-level function each worker runs as it starts (the render
    stack's, :func:`ledinfo.render.parallel.warm_up`), so the pool knows no stage.
    """

    def __init__(self, workers: int, single_threaded: bool = False, warm_up=None) -> None:
        self.size, self.single_threaded = workers, single_threaded
        self.warm_up = warm_up
        self._executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_start_worker,
                                             initargs=(os.getpid(), single_threaded, warm_up))
        self._killed: set[int] = set()  # the workers' pids that kill() has killed
        _live_pools.add(self)
        with raised_after():
            for _ in range(workers):  # each submit while the others are busy starts one more process
                self._executor.submit(_ready)

    def submit(self, function, *args) -> Future:
        """Run ``function(*args)`` in a worker. The call is pickled here, in the calling thread: the
        executor would pickle it in a thread of its own, and a Polars frame pickled there while this
        thread runs a Polars query deadlocked the build (the pickling thread, holding the GIL, waited
        for Polars' one thread, which ran this thread's query and waited for the GIL).

        Once a worker has died the executor takes no more work; the future then says so (BrokenProcessPool), as
        the futures of the calls it broke do, so that :func:`result_or_alone` runs the call alone in a fresh
        worker wherever it was submitted."""
        call = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            with raised_after():
                return self._executor.submit(_call, call)
        except BrokenProcessPool as error:
            future: Future = Future()
            future.set_exception(error)
            return future

    def close(self) -> None:
        with raised_after(), span("close"):
            self._executor.shutdown(wait=True, cancel_futures=True)
        _live_pools.discard(self)

    def kill(self) -> None:
        """End every worker now, mid-task (a stop signal); ``close`` then returns at once.

        Called from a signal handler, which may run while this thread is inside the
        executor: so no locks and no executor calls here, only SIGKILL to each pid, and
        this process's end of the results pipe closed (:func:`_let_results_end`). Each
        worker once: a pid killed before, reaped by the executor since, may be another
        process's now; a worker started since (the stop came between two) is killed too.
        """
        # the executor has no public way to end its processes; ``_processes`` maps pid → Process
        for pid in list(self._executor._processes or ()):
            if pid in self._killed:
                continue
            self._killed.add(pid)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _let_results_end(self._executor)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _let_results_end(executor: ProcessPoolExecutor) -> None:
    """Close this process's copy of the pipe's write end the workers send their results on.

    A result above 16 KiB (a PDF, a chunk's drawings) is sent as its length, then its
    bytes, in two writes, and a pipe takes 64 KiB before a write waits for the reader.
    A worker killed in between leaves the executor's thread reading the rest for ever:
    this process holds the write end too (the queue was made here), so the read never
    sees the end of the file; :meth:`WorkerPool.close` waits for that thread, and a
    stopped build did not exit. With this end closed and every worker dead the read ends,
    the executor counts the pool broken and its thread ends. Nothing here writes on it.
    """
    results = getattr(executor, "_result_queue", None)  # a multiprocessing SimpleQueue; None once shut down
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()  # no lock taken; closing twice does nothing


_live_pools: weakref.WeakSet[WorkerPool] = weakref.WeakSet()


def stop_all_workers() -> None:
    """Kill the workers of every pool of this process (called on SIGTERM and Ctrl-C)."""
    for pool in list(_live_pools):
        pool.kill()


on_stop(stop_all_workers)


def result_or_alone(future: Future, function, *args, warm_up=None):
    """The result of ``future``; if a worker died, ``function(*args)`` again, alone in a fresh worker.

    A worker that dies (killed, out of memory, crashed) breaks its pool: every call
    not yet finished fails with it. Running each of those again on its own means
    only the call that kills its worker is lost (it raises BrokenProcessPool again).
    """
    try:
        with raised_after():
            return future.result()
    except BrokenProcessPool:
        raise_if_stopped()  # the stop killed the workers: no fresh one
        with WorkerPool(1, warm_up=warm_up) as alone, raised_after():
            return alone.submit(function, *args).result()


def finished(futures) -> list[Future]:
    """Those of ``futures`` that are done."""
    with raised_after():
        return [future for future in futures if future.done()]


def wait_for_any(futures) -> set[Future]:
    """Wait until one of ``futures`` is done; those that are. A stop ends the wait (the killed workers fail them)."""
    with raised_after(), span("wait"):
        return wait(futures, return_when=FIRST_COMPLETED).done


def pool_size(workers: int | None, tasks_hint: int | None = None) -> int:
    """How many workers a build's pool has (0: none) when ``workers`` are asked for (None: the default) for
    ``tasks_hint`` tasks at most (None: unknown).

    By default one worker fewer than the CPUs: the parent keeps a CPU for its own part
    (loading, computing, the guard) while the worker warms up, then draws and renders.
    One worker per CPU was slower than no worker at all when the machine was busy, and
    no faster when it was idle (benchmarks/results.md); one CPU: no worker.
    """
    if workers is None:
        workers = default_workers() - 1
        return min(workers, tasks_hint or workers) if workers >= 1 else 0
    if tasks_hint is not None:
        workers = min(workers, tasks_hint)
    return workers if workers > 1 else 0


def pool_for(workers: int | None, tasks_hint: int | None = None, warm_up=None) -> WorkerPool | None:
    """A pool when more than one worker is asked for (and there is more than one task): :func:`pool_size`'s; the
    one started early (:func:`started_early`) when it is of that size, else a new one."""
    size = pool_size(workers, tasks_hint)
    return pool_of(size, warm_up=warm_up) if size else no_pool()


def pool_of(workers: int, single_threaded: bool = False, warm_up=None) -> WorkerPool:
    """A pool of ``workers``: the one :func:`started_early` when it is of this kind, else a new one (the early one,
    of another kind, is ended)."""
    global _early
    early, _early = _early, None
    if early is not None and (early.size, early.single_threaded, _named(early.warm_up)) == (
            workers, single_threaded, _named(warm_up)):
        return early
    if early is not None:
        _end(early)
    return WorkerPool(workers, single_threaded, warm_up)


# A pool started before its build knew it would need one (started_early), until a build takes it (pool_of)
_early: WorkerPool | None = None


@contextmanager
def started_early(workers: int, single_threaded: bool = False, warm_up: str | None = None):
    """Start a pool of ``workers`` now, before the caller has read its config, loaded the plugins and imported the
    build: the workers warm up meanwhile (a second of CPU each, on the other CPUs). The build asking for a pool of
    this kind (:func:`pool_for`, :func:`pool_of`) is given it and closes it; one that asks for another kind, or
    for none, ends it at once; if no build asked, it is ended as the block ends. ``warm_up``: by name
    ("module:function"), so that this process imports none of what the workers warm up.

    Started as the command line's build begins, the worker was warm 0.3–0.5 s sooner at scale 1 (issue 27)."""
    global _early
    pool = _early = WorkerPool(workers, single_threaded, warm_up)
    try:
        yield pool
    finally:
        if _early is pool:
            _early = None
            _end(pool)


def no_pool() -> None:
    """None, for a build that needs no pool: the pool started early for it, if any, is ended now."""
    global _early
    early, _early = _early, None
    if early is not None:
        _end(early)


def _end(pool: WorkerPool) -> None:
    """End a pool whose workers have no task: killed mid-warm-up rather than waited for."""
    pool.kill()
    pool.close()


def _named(warm_up) -> str | None:
    """A warm-up function's name as :func:`started_early` is given it ("module:function")."""
    if warm_up is None or isinstance(warm_up, str):
        return warm_up
    return f"{warm_up.__module__}:{warm_up.__qualname__}"
