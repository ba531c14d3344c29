"""Warm worker processes for the slow part of a build: charts and PDFs.

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
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ledinfo.timing import Timings


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


def _warm_single_threaded() -> None:
    # read by Polars when it is first imported, which in a spawned worker is after this line
    os.environ["POLARS_MAX_THREADS"] = "1"
    _warm()


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
                                             initializer=_warm_single_threaded if single_threaded else _warm)
        for _ in range(workers):  # each submit while the others are busy starts one more process
            self._executor.submit(_ready)

    def submit(self, function, *args) -> Future:
        return self._executor.submit(function, *args)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


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
    """A pool when more than one worker is asked for (and there is more than one task)."""
    workers = default_workers() if workers is None else workers
    if tasks_hint is not None:
        workers = min(workers, tasks_hint)
    return WorkerPool(workers) if workers > 1 else None


# --- tasks (module-level functions, so a spawned worker can import them) -------------

def draw_charts(items: list, max_width: float) -> tuple[dict, dict, Timings]:
    """Draw ``items`` — (key, chart, language): ({key: drawing}, {key: error}, time spent).

    A chart that cannot be drawn fails the packs that show it, not the others.
    """
    from ledinfo.render.charts import draw_chart

    timings = Timings()
    drawings, errors = {}, {}
    with timings.stage("charts"):
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

    timings = Timings()
    with timings.stage("pdf"):
        pdf = render_pdf(content, timings)
    with timings.stage("json"):
        data = render_json(content)
    return pdf, data, timings
