"""Several municipalities in one run: how a shared-service centre builds all its packs.

A config with ``[[municipalities]]`` gives each municipality its name and its own
source; everything else (packs, standards, goals, disclosure) is shared. Each
municipality is built on its own into ``<out>/<id>/`` with its own manifest, and
``<out>/manifest.json`` lists them all. A municipality whose data cannot be read
is reported and the others are built all the same. The whole of ``<out>`` is
written into one staging folder and published at once (:mod:`ledinfo.runtime.staging`),
so a stopped run leaves the previous complete set of every municipality.

With several workers, whole municipalities are shared out among spawned worker
processes (largest first, so a big one does not finish last, and never so many large ones at
once that memory runs short: :func:`_side_by_side`): every chart a
municipality's packs share is then drawn once in its worker, and nothing but the
result crosses between processes. Each worker loads the installed plugins itself,
as the command line does. A worker that dies (killed, out of memory) breaks the
pool for every municipality not yet finished; those are built again, each alone
in a fresh worker (:func:`~ledinfo.runtime.workers.result_or_alone`), so only the
municipality that killed its worker is lost.
"""

from __future__ import annotations

import logging
import shutil
import time
import traceback
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ledinfo.errors import LedinfoError
from ledinfo.model.config import Config, MunicipalitySpec
from ledinfo.model.period import Period
from ledinfo.pipeline.build import BuildReport, build
from ledinfo.pipeline.manifest import municipalities_manifest, write_manifest
from ledinfo.pipeline.plan import plan
from ledinfo.plugin_host.manager import load_plugins
from ledinfo.plugin_host.registry import Registry
from ledinfo.render.parallel import warm_up
from ledinfo.runtime.staging import Output
from ledinfo.runtime.timing import Timings
from ledinfo.runtime.workers import WorkerPool, default_workers, pool_of, result_or_alone, task_timings, wait_for_any

log = logging.getLogger("ledinfo.pipeline.municipalities")
WORKER_DIED = ("its worker process died while building it (killed, out of memory or crashed); "
               "the other municipalities were built")


@dataclass
class MunicipalityOutcome:
    spec: MunicipalitySpec
    report: BuildReport | None = None
    error: str | None = None  # the municipality could not be built at all (e.g. its data is unreadable)
    seconds: float = 0.0

    @property
    def failed_packs(self) -> list:
        return self.report.failed if self.report else []

    @property
    def ok(self) -> bool:
        return self.error is None and not self.failed_packs


@dataclass
class MunicipalitiesReport:
    period: Period
    out_dir: Path
    outcomes: list[MunicipalityOutcome]
    manifest: Path
    timings: Timings = field(default_factory=Timings)

    @property
    def packs_written(self) -> int:
        return sum(sum(1 for o in m.report.outcomes if o.ok) for m in self.outcomes if m.report)

    @property
    def failed(self) -> list[MunicipalityOutcome]:
        return [m for m in self.outcomes if not m.ok]


def build_municipalities(config: Config, registry: Registry, period: Period, out_dir: Path,
                         language: str | None = None, echo=None, workers: int | None = None,
                         strict: bool = False) -> MunicipalitiesReport:
    """Build every municipality of ``config`` into ``out_dir/<id>/``; one line per municipality to ``echo``."""
    echo = echo or (lambda message: None)
    with Output.open(out_dir) as output:  # checked before any data is read or worker started
        outcomes, timings = _build_all(config, registry, period, output.path, language, echo, workers, strict)
        for outcome in outcomes:  # a municipality that failed as a whole leaves no half-written folder
            if outcome.report is None:
                shutil.rmtree(output.path / outcome.spec.id, ignore_errors=True)
        with timings.stage("write"):
            manifest = write_manifest(output.path, municipalities_manifest(period, outcomes))
            output.publish()
    for outcome in outcomes:
        if outcome.report is not None:
            outcome.report = outcome.report.moved_to(Path(out_dir) / outcome.spec.id)
    return MunicipalitiesReport(period, out_dir, outcomes, Path(out_dir) / manifest.name, timings)


def _build_all(config: Config, registry: Registry, period: Period, out_dir: Path, language: str | None, echo,
               workers: int | None, strict: bool) -> tuple[list[MunicipalityOutcome], Timings]:
    timings = Timings()
    specs = list(config.municipalities)
    workers = default_workers() if workers is None else workers
    outcomes: dict[str, MunicipalityOutcome] = {}
    if workers <= 1 or len(specs) == 1:  # one municipality: its packs are shared out among the workers instead
        for spec in specs:
            outcome, spent = _build_one(config.for_municipality(spec), spec, period, out_dir, language, registry,
                                        workers)
            outcomes[spec.id] = outcome
            timings.merge(spent)
            echo(_line(outcome))
    else:
        largest_first = sorted(specs, key=_size, reverse=True)
        with pool_of(min(workers, len(specs)), single_threaded=True, warm_up=warm_up) as pool:
            for spec, outcome, spent in _side_by_side(pool, largest_first, lambda spec: (
                    config.for_municipality(spec), spec, period, out_dir, language, strict)):
                outcomes[spec.id] = outcome
                timings.merge(spent)
                echo(_line(outcome))
    return [outcomes[spec.id] for spec in specs], timings


SIDE_BY_SIDE = 1.25  # the inhabitants built at once, at most, as a share of the largest municipality's
# ... and at least this many, whatever the largest: Denmark's run builds up to 825,000 inhabitants at once under 1 GiB
# (Copenhagen's 660,000 and a quarter), so a centre of middling municipalities can build any two of them side by side.
# Without it a centre of one of 121,000 and three of 3,700-43,000 built the largest beside the smallest only, and its
# other worker then idled until the largest was done (issue 27)
SIDE_BY_SIDE_AT_LEAST = 250_000


def _size(spec: MunicipalitySpec) -> int:
    return spec.municipality.inhabitants or 0


def _side_by_side(pool: WorkerPool, largest_first: list[MunicipalitySpec], arguments_of):
    """Build each municipality in a worker, largest first; yield (spec, outcome, timings) as each is done.

    A worker's memory grows with its municipality (Copenhagen's peaked at about 700 MiB), and the
    two largest side by side took a national run above 1 GiB. So the municipalities built at once
    never add up to more than the largest's inhabitants and a quarter (:func:`side_by_side_budget`): while a large one is built,
    the other workers take the largest of those that still fit. Without inhabitants in the config
    every size is 0, and the workers take the municipalities simply in turn.
    """
    budget = side_by_side_budget(largest_first)
    waiting = list(largest_first)
    running: dict[Future, tuple[MunicipalitySpec, tuple]] = {}
    while waiting or running:
        while waiting and len(running) < pool.size:
            spec = next_to_start(waiting, [spec for spec, _ in running.values()], budget)
            if spec is None:
                break
            waiting.remove(spec)
            arguments = arguments_of(spec)
            running[pool.submit(_build_in_worker, *arguments)] = (spec, arguments)
        for future in wait_for_any(running):
            spec, arguments = running.pop(future)
            try:
                outcome, spent = result_or_alone(future, _build_in_worker, *arguments, warm_up=warm_up)
            except BrokenProcessPool:
                log.error("municipality %s: its worker process died while building it", spec.id)
                outcome, spent = MunicipalityOutcome(spec, error=WORKER_DIED), Timings()
            yield spec, outcome, spent


def side_by_side_budget(largest_first: list[MunicipalitySpec]) -> float:
    """The inhabitants built at once, at most: the largest's and a quarter, and at least
    :data:`SIDE_BY_SIDE_AT_LEAST` when the config gives inhabitants (else 0: the workers take them in turn)."""
    largest = _size(largest_first[0])
    return max(largest * SIDE_BY_SIDE, SIDE_BY_SIDE_AT_LEAST) if largest else 0


def next_to_start(waiting: list[MunicipalitySpec], running: list[MunicipalitySpec],
                  budget: float) -> MunicipalitySpec | None:
    """The first of ``waiting`` (largest first) that fits beside ``running`` within ``budget`` inhabitants;
    with nothing running, the first, whatever its size; None when none fits."""
    built = sum(_size(spec) for spec in running)
    return next((spec for spec in waiting if not running or built + _size(spec) <= budget), None)


def _line(outcome: MunicipalityOutcome) -> str:
    name = f"{outcome.spec.id} ({outcome.spec.municipality.name})"
    if outcome.error:
        return f"  {name}: FAILED – {outcome.error}"
    packs = outcome.report.outcomes
    written = sum(1 for o in packs if o.ok)
    failed = "" if written == len(packs) else f", {len(packs) - written} FAILED"
    return f"  {name}: {written} pack(s){failed} in {outcome.seconds:.1f} s"


def _build_one(config: Config, spec: MunicipalitySpec, period: Period, out_dir: Path, language: str | None,
               registry: Registry, workers: int = 1) -> tuple[MunicipalityOutcome, Timings]:
    started = time.perf_counter()
    timings = Timings()
    outcome = MunicipalityOutcome(spec)
    try:
        outcome.report = build(plan(config, registry), period, out_dir / spec.id, language=language, workers=workers,
                               timings=timings, staged=False)  # the caller publishes all municipalities at once
    except LedinfoError as error:  # bad data or config of this municipality: reported, the others go on
        outcome.error = str(error)
    except Exception as error:
        log.error("municipality %s failed:\n%s", spec.id, traceback.format_exc())
        outcome.error = f"{type(error).__name__}: {error}"
    outcome.seconds = time.perf_counter() - started
    return outcome, timings


_WORKER_REGISTRY: Registry | None = None


def _build_in_worker(config: Config, spec: MunicipalitySpec, period: Period, out_dir: Path, language: str | None,
                     strict: bool) -> tuple[MunicipalityOutcome, Timings]:
    """In a worker process: load the plugins once, then build one municipality."""
    global _WORKER_REGISTRY
    with task_timings() as timings:  # the worker's warm-up and hand-over, and its CPU outside the build's stages
        if _WORKER_REGISTRY is None:
            _WORKER_REGISTRY = load_plugins(strict=strict).registry
        outcome, spent = _build_one(config, spec, period, out_dir, language, _WORKER_REGISTRY)
        timings.merge(spent)
    return outcome, timings
