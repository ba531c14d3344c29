"""Charts and PDFs shared out between this process and the warm workers (:mod:`ledinfo.runtime.workers`).

The tasks are module-level functions, so a spawned worker can import them; what crosses between
processes is plain data: charts and pack contents go out, drawings and PDF bytes come back, each
with the worker's :class:`Timings`. :func:`warm_up` is what each worker runs as it starts.
"""

from __future__ import annotations

import contextlib
import gc
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

from ledinfo.render import charts
from ledinfo.render.charts import chart_cache_enabled, chart_key, draw_chart, packed
from ledinfo.render.json_out import render_json
from ledinfo.runtime.timing import Timings
from ledinfo.runtime.workers import WorkerPool, finished, result_or_alone, task_timings, wait_for_any
from ledinfo.texts.content import PackContent


def warm_up() -> None:
    """Import the render stack (ReportLab's platypus with :mod:`ledinfo.render.pdf`) and draw a first chart now:
    the first costs ten times the others."""
    from ledinfo.render import pdf  # noqa: F401 - deferred: ReportLab's platypus, imported here to warm a worker

    charts.warm_up()


# --- tasks (module-level functions, so a spawned worker can import them) -------------

def draw_charts(items: list, max_width: float | None = None) -> tuple[dict, dict, Timings]:
    """Draw ``items`` — (key, chart, language): ({key: drawing, pickled}, {key: error}, time spent), each at most
    ``max_width`` wide (None: the pages' width, :data:`ledinfo.render.pdf.CONTENT_WIDTH`).

    Pickled here (:func:`ledinfo.render.charts.packed`), so the build keeps each as the few bytes it sends on to the
    worker rendering a pack, not as the drawing's objects.

    A chart that cannot be drawn fails the packs that show it, not the others.
    """
    if max_width is None:
        from ledinfo.render.pdf import CONTENT_WIDTH as max_width  # deferred: ReportLab, where charts are drawn

    drawings, errors = {}, {}
    with task_timings() as timings, timings.stage("charts"), cycles_collected_after():
        for key, chart, language in items:
            try:
                drawings[key] = packed(draw_chart(chart, language, max_width))
            except Exception as error:
                errors[key] = f"chart {chart.id!r} could not be drawn: {type(error).__name__}: {error}"
    timings.count("charts", len(drawings))
    return drawings, errors, timings


def render_pack(content) -> tuple[bytes, bytes, Timings]:
    """The PDF and JSON of one pack (the caller checks and writes them)."""
    from ledinfo.render.pdf import render_pdf  # deferred: ReportLab, loaded only when a pack is rendered

    with task_timings() as timings, cycles_collected_after():
        with timings.stage("pdf"):
            pdf = render_pdf(content, timings)
        with timings.stage("json"):
            data = render_json(content)
    return pdf, data, timings


@contextlib.contextmanager
def cycles_collected_after():
    """Python's collector of reference cycles paused while a pack is rendered or a chunk of charts is drawn.

    Rendering makes hundreds of thousands of short-lived objects (ReportLab's paragraphs, lines and fragments, our
    cells and structure elements), each freed by its reference count; every 700 of them the collector ran anyway
    and walked all the objects made since, and now and then all of the process's (a build's data and texts): a
    third of building a pack's pages and a fifth of the PDF stage (a scale-10 build's 52 packs: 1.6 s of collection
    in 12 s). The cycles a pack leaves (ReportLab's document and canvas refer to each other) wait until it is
    done: the collector runs as before once it is switched back on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# --- sharing the work out (called by ledinfo.pipeline.build) -----------------------------------

class Renderer:
    """Draws every unique chart once and renders each pack, sharing the work between this process and the pool.

    A pack's charts go to the workers as soon as its figures are disclosed (:meth:`draw`), so drawing
    starts while this process still writes its texts and the next packs'; the pack is added once its texts are
    written (:meth:`add`). :meth:`rendered` then renders each pack whose charts are drawn: in a worker
    when one is free, else here (a team's pack, or a whole municipality's of a modest size: a large one waits
    for a worker), so neither process waits while the other works. This
    process draws no charts when there is a pool: its own chart engine would cost half a
    second of CPU and about 100 MiB to start, and drawing here what no worker had begun
    made the build a fifth slower on a busy machine (medians 13.6 against 11.3 s, three
    alternating runs each at load 5–6).
    Without a pool everything happens here, one after the other.

    A chart that cannot be drawn fails the packs that show it, not the others; a worker
    that dies loses only the task it was running (:func:`result_or_alone`).
    """

    def __init__(self, pool: WorkerPool | None, timings: Timings, drawn: dict | None = None) -> None:
        self.pool, self.timings = pool, timings
        self.cached = chart_cache_enabled()  # off: every pack draws each of its charts anew (benchmark's plain run)
        self.contents: dict[str, PackContent] = {}
        self.keys_of: dict[str, list[str]] = {}
        # drawings by chart key (charts.chart_key: everything that shapes one), pickled (charts.packed: a fifth of
        # the drawing's objects), ``drawn`` those a last build made
        self.drawings: dict[str, object] = dict(drawn or {}) if self.cached else {}
        self.errors: dict[str, str] = {}
        self.drawing: dict[Future, list] = {}  # chart tasks in the pool -> their (key, chart, language)
        self.wanted: set[str] = set(self.drawings)
        self.rendering: dict[Future, str] = {}  # packs in the pool -> their id

    def draw(self, pack_id: str, sections: list, language) -> None:
        """A pack whose figures are disclosed: its charts not yet asked for start drawing now, before its texts are
        written. A chart's takeaway, written with the texts, is no part of its drawing (:func:`chart_key`), so the
        worker draws while this process writes the pack's texts and discloses the next. The pages' width is the
        worker's to import (ReportLab: 0.1 s of CPU, which this process spent before its first chart went out)."""
        if not self.cached or pack_id in self.keys_of:
            return
        with self.timings.stage("charts"):
            keys, new = [], []
            for section in sections:
                for chart in section.charts:
                    key = chart_key(chart, language)
                    keys.append(key)
                    if key not in self.wanted:
                        self.wanted.add(key)
                        new.append((key, chart, language))
            self.keys_of[pack_id] = keys
            self.timings.count("chart_uses", len(keys))
        if self.pool is None:
            self._drawn(draw_charts(new))
            return
        for chunk in (new[i:i + CHART_CHUNK] for i in range(0, len(new), CHART_CHUNK)):  # small: work spreads evenly
            self.drawing[self.pool.submit(draw_charts, chunk)] = chunk

    def add(self, pack_id: str, content: PackContent) -> None:
        """A pack whose texts are written, to render once its charts are drawn (those not asked for by
        :meth:`draw` start drawing now)."""
        self.contents[pack_id] = content
        self.draw(pack_id, content.sections, content.view.language)

    def rendered(self, keep: int = 0):
        """Yield (pack id, content, (pdf, json, timings) or None, error or None) for every pack added and not yet
        yielded, as each is done, until ``keep`` are left (the build adds more meanwhile); the renderer lets go of
        each pack's content as it yields it."""
        rendering = self.rendering
        # in job order: ready packs are taken first come, first served
        waiting = [p for p in self.contents if p not in rendering.values()]
        while (waiting or rendering) and len(self.contents) > keep:
            self._collect_charts()
            for pack_id in [p for p in waiting if self._failed_chart(p)]:
                waiting.remove(pack_id)
                yield self._done(pack_id, None, RuntimeError(self._failed_chart(pack_id)))
            ready = [p for p in waiting if self._charts_done(p)]
            # a pack a worker has rendered is not in its hands any more, though not yet collected: the next one goes to
            # it before this process reads the finished ones back (their guard), else the worker waited for that — or,
            # counted busy, sat idle while this process rendered the last packs (issue 27)
            done = finished(rendering)
            busy = len(rendering) - len(done) + len(self.drawing)
            while ready and self.pool is not None and worker_takes(busy, self.pool.size, len(ready),
                                                                   bool(keep or self.drawing)):
                pack_id = ready.pop(0)
                waiting.remove(pack_id)
                rendering[self.pool.submit(render_pack, self.with_drawings(pack_id))] = pack_id
                busy += 1
            for future in done:
                yield self._render_result(rendering.pop(future), future)
            # the workers are busy: render one here — a team's pack, or a whole municipality's of a modest size, never
            # a large one when a worker can: the directors' pack of 375 teams (a 41 MiB JSON) took this process
            # +367 MiB to render (issue 27)
            here = [p for p in ready if self.pool is None or self._renders_here(self.contents[p])]
            if here:
                pack_id = here[0]
                waiting.remove(pack_id)
                try:
                    yield self._done(pack_id, render_pack(self.with_drawings(pack_id)), None)
                except Exception as error:
                    yield self._done(pack_id, None, error)
            elif rendering or self.drawing:
                wait_for_any([*rendering, *self.drawing])

    @staticmethod
    def _renders_here(content: PackContent) -> bool:
        """Whether this process may render ``content`` while the workers are busy: a team's pack, or one whose
        figures and table rows are few enough that its pages cost this process little memory. At scale 1 the
        committee's and the directors' packs were left for the worker, which drew every chart first: it rendered
        them at the end while this process waited (issue 27)."""
        if content.job.team is not None:
            return True
        size = sum(len(section.figures) + sum(table.frame.height for table in section.tables)
                   for section in content.sections)
        return size <= RENDERED_HERE_AT_MOST

    def _done(self, pack_id: str, rendered, error):
        return pack_id, self.contents.pop(pack_id), rendered, error

    def _collect_charts(self) -> None:
        for future in finished(self.drawing):
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
            return self._done(pack_id, result_or_alone(future, render_pack, self.contents[pack_id], warm_up=warm_up), None)
        except BrokenProcessPool:
            return self._done(pack_id, None, RuntimeError("the worker process rendering it died (killed, out of "
                                                          "memory or crashed)"))
        except Exception as error:
            return self._done(pack_id, None, error)


def worker_takes(tasks: int, workers: int, ready: int, more_coming: bool) -> bool:
    """Whether ``workers`` with ``tasks`` in hand (charts and packs) take one more of the ``ready`` packs, rather than
    leave it to this process; ``more_coming``: charts still being drawn, or packs still to be added.

    An idle worker always does. Each keeps one task ahead, so it is never idle while this process renders a pack of
    its own: while more is coming, and in the last packs as long as one ready pack is left for this process. With a
    task queued for a busy worker while this process had nothing left to render, it waited for the worker (at scale 1
    the last two packs, ~0.4 s); with none queued, the worker, done before this process's pack, sat idle while the
    packs left were rendered here one by one (scale 1: the worker rendered 1 of the last 4 packs and idled for its
    last second under load; issue 27)."""
    if tasks < workers:
        return True
    return tasks < 2 * workers and (more_coming or ready > 1)


# The figures and table rows of a whole municipality's pack this process renders while the workers are busy: the
# directors' pack of an average municipality has ~2,200, of Denmark's largest (55 teams) ~17,400; of 375 teams many
# times that (the +367 MiB above)
RENDERED_HERE_AT_MOST = 20_000
CHART_CHUNK = 4  # charts per task: small enough to share out evenly, large enough that hand-over costs little


def _chunk_result(future: Future, chunk: list) -> tuple[dict, dict, Timings]:
    """A chunk's drawings; if its worker died even when drawing it alone, each of its charts fails."""
    try:
        return result_or_alone(future, draw_charts, chunk, warm_up=warm_up)
    except BrokenProcessPool:
        problem = "the worker process drawing it died (killed, out of memory or crashed)"
        return {}, {key: f"chart {chart.id!r} could not be drawn: {problem}" for key, chart, _ in chunk}, Timings()
