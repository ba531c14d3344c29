"""The committee series a member collects: one committee pack per period — months, quarters, years to
date — built in-process through the pipeline's own stages (compute, the pack-wide disclosure, render,
the final guard, write), the committee pack only, and read back from the files written.

Beside each pack the attack keeps what only the build knows: the numbers its sections computed before
disclosure (the truth, to decide which relations hold and to judge what a reader recovers) and the
disclosed content (which figure each table cell and chart value shows).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ledinfo.api.attack.numbers import COUNTED, Equation, Key
from ledinfo.disclosure.guard import GuardIds
from ledinfo.model.audiences import COMMITTEE
from ledinfo.model.config import Config, Municipality, PackSpec
from ledinfo.model.period import QUARTER, YEAR_TO_DATE, Period
from ledinfo.pipeline.build import compute, language_for, outside_data, prepare, publish_pack
from ledinfo.pipeline.plan import plan
from ledinfo.pipeline.series_figures import SeriesFigures
from ledinfo.render.parallel import Renderer
from ledinfo.runtime.timing import Timings
from ledinfo.texts.content import PackJob

COMMITTEE_PACK = "udvalg"


@dataclass
class Pack:
    """One committee pack as published, and what the build knew behind it."""

    period: str
    data: dict  # the pack JSON, read back from the file written
    pdf: bytes  # the PDF, read back from the file written
    content: object  # the disclosed PackContent it was rendered from
    truth: dict[Key, float]  # every number the pack's sections computed, before disclosure
    declared: list[Equation]  # the sums the sections declare a reader can see (``SectionResult.relations``)


def series_periods(first: Period, last: Period) -> list[Period]:
    """Every period a committee could get between ``first`` and ``last`` (months): each month, each
    quarter whose three months lie inside, and each year to date ending inside; oldest first."""
    months, month = [], Period(first.year, first.month)
    while (month.year, month.month) <= (last.year, last.month):
        months.append(month)
        month = month.shift(1)
    periods = []
    for month in months:
        periods.append(month)
        if month.month % 3 == 0 and (month.shift(-2).year, month.shift(-2).month) >= (first.year, first.month):
            periods.append(Period(month.year, month.month, QUARTER))
        periods.append(Period(month.year, month.month, YEAR_TO_DATE))
    return periods


def parse_range(text: str) -> list[Period]:
    """``2024-01..2024-06`` (every period of the series between two months), or periods separated by commas
    (``2024-03,2024-Q1,2024-03-ytd``)."""
    if ".." in text:
        first, last = (Period.parse(part.strip()) for part in text.split("..", 1))
        return series_periods(first, last)
    return [Period.parse(part.strip()) for part in text.split(",") if part.strip()]


def committee_plan(registry, sections: tuple[str, ...] = (), plugins: dict | None = None, name: str = "Testkommune",
                   builtins: bool = True):
    """A plan whose only pack is the committee's: its template's sections (unless ``builtins`` is False), and
    ``sections`` added (a config may put any section in a committee pack, so the attack does too)."""
    def config(spec):
        return Config(base_dir=Path.cwd(), source={}, municipality=Municipality(name),  # no source: the extract is given
                      packs=(spec,), plugins=plugins or {})

    chosen = plan(config(PackSpec(COMMITTEE_PACK, COMMITTEE)), registry)
    default = tuple(chosen.sections_of[COMMITTEE_PACK]) if builtins else ()
    extra = tuple(name for name in sections if name not in default)
    if not extra and builtins:
        return chosen
    return plan(config(PackSpec(COMMITTEE_PACK, COMMITTEE, sections=default + extra)), registry)


def build_series(plan, extract, periods: list[Period], out_dir: Path | None = None,
                 share: bool = True) -> Iterator[Pack]:
    """Build the committee pack of ``plan`` for each of ``periods`` from ``extract``, one after the other.

    The builds share their indicators' figures and their charts' drawings (``share``;
    :mod:`ledinfo.pipeline.series_figures`): each (indicator, period) is computed once for the series, each chart
    drawn once, and the packs are the same as built each alone (tests/test_series_figures.py)."""
    out_dir = Path(out_dir or tempfile.mkdtemp(prefix="ledinfo-attack-"))
    shared = SeriesFigures(plan, extract) if share else None
    drawn: dict = {}  # each chart drawn, by its key (everything that shapes it): a chart two packs show, drawn once
    spec = plan.config.packs[0]
    language = language_for(plan.config.language, plan.registry)
    for period in periods:
        outside = outside_data(period, extract, plan.config)  # a period the data does not cover is refused
        computed = compute(plan, extract, period, outside, shared)
        if computed.failures:
            raise RuntimeError("; ".join(computed.failures.values()))
        content = prepare(plan, computed, PackJob(COMMITTEE_PACK, spec), language, period)
        renderer = Renderer(None, Timings(), drawn if share else None)
        renderer.add(COMMITTEE_PACK, content)
        for _, _, rendered, error in renderer.rendered():
            if error is not None:
                raise RuntimeError(f"the committee pack for {period} failed: {error}")
            pdf, data, _ = rendered
        drawn = renderer.drawings
        folder = out_dir / str(period)
        folder.mkdir(parents=True, exist_ok=True)
        pdf_path, json_path = publish_pack(content, pdf, data, folder, GuardIds(computed.rows), Timings())
        results = list(computed.results.values())
        yield Pack(str(period), json.loads(json_path.read_text(encoding="utf-8")), pdf_path.read_bytes(), content,
                   truth_of(results, str(period)), declared_by(results, str(period)))


def truth_of(results, period: str) -> dict[Key, float]:
    """The counts of ``results`` (section results before disclosure), by key: of every municipality figure,
    each count, numerator, denominator and pending items."""
    truth: dict[Key, float] = {}
    for result in results:
        for figure in result.figures:
            if figure.staff_id is not None or figure.team is not None:
                continue  # the committee sees the municipality's numbers only
            base = Key(figure.indicator, figure.period or period, figure.category or "", "value", figure.team or "")
            for part in COUNTED.get(figure.unit, ()):
                number = figure.extra.get(part) if part == "pending" else getattr(figure, part)
                if isinstance(number, (int, float)) and not isinstance(number, bool):
                    truth[base.as_part(part)] = number
    return truth


def declared_by(results, period: str) -> list[Equation]:
    """The relations ``results`` declare between the municipality's numbers, as equations."""
    def key(ref) -> Key:
        return Key(ref.indicator, ref.period or period, ref.category or "", ref.part, "")

    return [Equation(((key(r.total), 1), *((key(part), -1) for part in r.parts)), 0, "=", "declared")
            for result in results for r in result.relations
            if r.total.team is None and all(part.team is None for part in r.parts)]



