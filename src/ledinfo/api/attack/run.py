"""Running the attack: on generated small municipalities (for the test kit) or on an extract folder (for
the command line), with the periods sampled from a range by a seed, so that CI stays short and a failure
can be run again exactly.
"""

from __future__ import annotations

import importlib
import os
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ledinfo.api import hookimpl
from ledinfo.api.attack.judge import (
    ALONE,
    EXACT,
    NARROW,
    PERMITTED,
    PRINTED,
    SERIES,
    Attack,
    Finding,
    attack,
    attack_all,
)
from ledinfo.api.attack.report import report_text
from ledinfo.api.attack.series import build_series, committee_plan, parse_range
from ledinfo.demo import DemoSpec, generate
from ledinfo.extract import RawExtract, RawTable, validate_extract
from ledinfo.interfaces.source import load_extract
from ledinfo.model.period import Period
from ledinfo.plugin_host.manager import BUILTIN_PLUGINS, registry_of

SEED_VARIABLE = "LEDINFO_ATTACK_SEED"  # the sample's seed; unset: a new one each run (printed in the report)


def sample_seed(seed: int | None = None) -> int:
    """``seed``, else the environment's ``LEDINFO_ATTACK_SEED``, else a fresh one."""
    if seed is not None:
        return seed
    given = os.environ.get(SEED_VARIABLE, "").strip()
    return int(given) if given else random.SystemRandom().randrange(10**6)


def sample_periods(periods: list[Period], count: int | None, seed: int) -> list[Period]:
    """``count`` of ``periods`` chosen by ``seed`` (all when None), oldest first."""
    if count is None or count >= len(periods):
        return list(periods)
    chosen = set(random.Random(seed).sample(range(len(periods)), count))
    return [period for index, period in enumerate(periods) if index in chosen]


def registry_for(*plugins):
    """The built-in plugins and ``plugins`` (modules with hooks, or Section objects) in one registry."""
    class _Section:  # a bare Section registered as a plugin would register it
        def __init__(self, section):
            self.section = section

        @hookimpl
        def ledinfo_register_sections(self, register):
            register(self.section)

    wrapped = [plugin if hasattr(plugin, "__name__") else _Section(plugin) for plugin in plugins]
    return registry_of(*(importlib.import_module(name) for name in BUILTIN_PLUGINS), *wrapped)


def sections_of(*plugins) -> tuple[str, ...]:
    """The names of the sections ``plugins`` register."""
    names = []
    for plugin in plugins:
        if hasattr(plugin, "compute"):
            names.append(plugin.name)
        else:
            names += [section.name for section in registry_of(plugin).sections()]
    return tuple(names)


@dataclass
class Outcome:
    """The attack on one municipality's series."""

    name: str  # "scale 0.1, seed 1", or the extract's folder
    attack: Attack
    under_test: tuple[str, ...] = ()  # the sections whose hidden numbers must hold (empty: every section)

    def failures(self, mode: str | None = None) -> list[Finding]:
        return [f for f in self.findings(mode) if not f.permitted]

    def findings(self, mode: str | None = None) -> list[Finding]:
        """Every number worked out, the failures and those no further than the rules print (a 0, a 1-4)."""
        return [f for f in self.attack.findings if (mode is None or f.mode == mode)
                and (not self.under_test or set(f.sections) & set(self.under_test))]


@dataclass
class Report:
    """Every municipality's outcome, and how the periods were chosen."""

    outcomes: list[Outcome] = field(default_factory=list)
    seed: int | None = None

    def failures(self, mode: str | None = None) -> list[Finding]:
        return [f for outcome in self.outcomes for f in outcome.failures(mode)]

    def counts(self, mode: str) -> dict[str, int]:
        """hidden, exact, narrow, shown elsewhere, and how many of the recovered are 1 to threshold-1."""
        found = self.failures(mode)
        return {"hidden": sum(o.attack.hidden.get(mode, 0) for o in self.outcomes),
                EXACT: sum(f.kind == EXACT for f in found), NARROW: sum(f.kind == NARROW for f in found),
                PRINTED: sum(f.kind == PRINTED for f in found),
                "small": sum(0 < f.value < self.threshold and f.kind != NARROW for f in found),
                PERMITTED: sum(f.permitted for o in self.outcomes for f in o.findings(mode))}

    @property
    def threshold(self) -> int:
        return self.outcomes[0].attack.threshold if self.outcomes else 5

    def text(self, examples: int = 6) -> str:
        return report_text(self, examples)

    def __str__(self) -> str:
        return self.text()


def demo_extract(registry, scale: float, seed: int, last: Period, data: Callable | None = None):
    """The demo municipality at ``scale`` and ``seed`` up to ``last``'s end, validated.

    ``data(tables, folder) -> source``: write the tables where a source plugin reads them and return the
    ``[source]`` table that reads them (the extract is then what the source gives)."""
    tables = generate(DemoSpec(last.last_month, seed, scale))
    if data is None:
        raw = {name: RawTable(name, frame, f"demo:{name}", first_row=1) for name, frame in tables.items()}
        return validate_extract(RawExtract(raw, {}, f"demo municipality (scale {scale:g}, seed {seed})"))
    folder = Path(tempfile.mkdtemp(prefix="ledinfo-attack-data-"))
    return load_extract(data(tables, folder), registry, folder, last.last_month)


def series_of(registry, extract, periods: list[Period], *, sections: tuple[str, ...] = (),
              settings: dict | None = None, builtins: bool = True, out_dir: Path | None = None) -> list:
    """The committee pack (with ``sections`` added; without the built-in committee sections when ``builtins``
    is False) built for each of ``periods``."""
    plan = committee_plan(registry, sections, settings, builtins=builtins)
    return list(build_series(plan, extract, periods, out_dir))


def latest(periods: list[Period]) -> Period:
    return max(periods, key=lambda p: (p.year, p.month))


def attack_folder(folder: Path, periods: str, count: int | None = None, seed: int | None = None) -> Report:
    """The command line's attack: the extract in ``folder`` (read as ``ledinfo build --data`` reads it)."""
    chosen_seed = sample_seed(seed)
    chosen = sample_periods(parse_range(periods), count, chosen_seed)
    registry = registry_for()
    extract = load_extract({"type": "folder", "path": str(folder)}, registry, Path.cwd(), latest(chosen).last_month)
    sampled = len(chosen) < len(parse_range(periods))
    return Report([Outcome(str(folder), attack(series_of(registry, extract, chosen)))],
                  chosen_seed if sampled else None)


def attack_municipalities(*plugins, scales=(0.1,), seeds=(1,), periods: str | list = "2024-01..2024-06",
                          packs: int | None = 2, seed: int | None = None, settings: dict | None = None,
                          data: Callable | None = None, sections: tuple[str, ...] = (), builtins: bool = True) -> Report:
    """Attack the committee series of each generated municipality (every scale with every seed), with
    ``plugins`` installed and their sections in the committee pack; ``packs`` periods sampled per
    municipality from ``periods`` (a range "2024-01..2024-06", or a list of periods) by ``seed``."""
    chosen_seed = sample_seed(seed)
    every = parse_range(periods) if isinstance(periods, str) else [Period.parse(str(p)) for p in periods]
    registry = registry_for(*plugins)
    under_test = sections_of(*plugins) + tuple(sections)
    names, series = [], []
    for number, (scale, municipality) in enumerate((s, m) for s in scales for m in seeds):
        chosen = sample_periods(every, packs, chosen_seed + number)
        extract = demo_extract(registry, scale, municipality, latest(chosen), data)
        series.append(series_of(registry, extract, chosen, sections=under_test, settings=settings, builtins=builtins))
        names.append(f"scale {scale:g}, seed {municipality}")
    attacks = attack_all(series)  # the relations decided on every municipality together
    sampled = packs is not None and packs < len(every)
    return Report([Outcome(name, found, under_test) for name, found in zip(names, attacks)],
                  chosen_seed if sampled else None)


__all__ = ["ALONE", "SERIES", "Outcome", "Report", "attack_folder", "attack_municipalities", "demo_extract",
           "registry_for", "sample_periods", "sample_seed", "sections_of", "series_of"]
