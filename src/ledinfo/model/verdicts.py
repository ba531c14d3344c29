"""Verdicts: one yardstick per figure, one verdict, made in one place (domain.md, "Verdicts").

A figure that can be judged is judged against exactly one :class:`Yardstick`, chosen in the order of
:data:`PRECEDENCE`: the annual goal for the period (a :class:`Target` a plugin provides through
``ledinfo_register_targets``: the goals plugin's), else a local standard, else
the law, else a professional standard (an indicator's own, ``Indicator.standard``). The build judges every
figure of the report period once, right after its section computes (:func:`judge_result`), and every
tile, table, chart, sentence and summary of every pack shows that verdict (``Figure.verdict``): none
decides one of its own. A yardstick of lower precedence that also applies is kept on the verdict
(``Verdict.also``) to be named in words, never given a colour.

The verdict has three levels, :data:`MET`, :data:`CLOSE` (within the configured :class:`Margin`) and
:data:`OFF_TRACK`; a figure resting on fewer than the threshold of cases is :data:`FEW_CASES`, "ikke
vurderet", in every pack. Budget is no verdict of this kind: it has its own scale (within or over).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from ledinfo.language import N_

if TYPE_CHECKING:  # annotations only: results.py imports this module
    from ledinfo.model.results import Figure, SectionResult

# The levels, as the JSON names them ("_status", a figure's "verdict"): green, yellow, red, or "few"
MET, CLOSE, OFF_TRACK, FEW_CASES = "green", "yellow", "red", "few"
LEVELS = (MET, CLOSE, OFF_TRACK, FEW_CASES)
# How a level reads: in a legend, a status cell, and before its yardstick in a sentence ("Ikke nået: loven …")
LEVEL_WORDS = {MET: N_("Met"), CLOSE: N_("Close"), OFF_TRACK: N_("Off track"), FEW_CASES: N_("Not judged")}
# Colour is never the only carrier of a verdict (PDF/UA, readers who do not tell red from green)
SYMBOLS = {MET: "√", CLOSE: "≈", OFF_TRACK: "×", FEW_CASES: "*"}
DIRECTIONS = ("at_least", "at_most")


class Basis(StrEnum):
    """What a yardstick is, which decides its precedence."""

    GOAL = "goal"  # the committee's annual goal (årsmål) for the period
    LOCAL = "local_standard"  # a local service standard (serviceniveau), configured
    LAW = "law"  # a deadline of the law: every deadline kept
    PROFESSIONAL = "professional"  # a professional standard: the caseload guideline


PRECEDENCE = (Basis.GOAL, Basis.LOCAL, Basis.LAW, Basis.PROFESSIONAL)
# What a plugin sets as a target (ledinfo_register_targets), and what an indicator carries as its own standard
TARGET_BASES = (Basis.GOAL, Basis.LOCAL)
STANDARD_BASES = (Basis.LAW, Basis.PROFESSIONAL)
BASIS_WORDS = {Basis.GOAL: N_("the annual goal"), Basis.LOCAL: N_("the local standard"), Basis.LAW: N_("the law"),
               Basis.PROFESSIONAL: N_("the professional guideline")}


class VerdictError(ValueError):
    """A yardstick or a margin that cannot judge anything; the message says why."""


@dataclass(frozen=True)
class Yardstick:
    """What one indicator is judged against: at least (or at most) ``value``, on ``basis``.

    ``label`` says in words what the yardstick requires where its value alone does not ("every deadline
    kept"); without one it reads "the annual goal: at least 90 %".
    """

    indicator: str
    basis: Basis
    value: float
    direction: str = "at_least"
    label: object = None  # what it requires, in words: a message id, or {"da": ..., "en": ...}
    unit: str = "share"  # the unit of its value (the indicator's): a share or rate reads as a percentage

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "basis", Basis(self.basis))
        except ValueError:
            raise VerdictError(f"yardstick for {self.indicator!r}: basis {self.basis!r} is not one of: "
                               f"{', '.join(b.value for b in Basis)}") from None
        if self.direction not in DIRECTIONS:
            raise VerdictError(f"yardstick for {self.indicator!r}: direction {self.direction!r} is not one of: "
                               f"{', '.join(DIRECTIONS)}")
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)) or not math.isfinite(self.value):
            raise VerdictError(f"yardstick for {self.indicator!r}: value {self.value!r} is not a finite number")

    def key(self) -> tuple:
        """What tells two yardsticks apart (a label may be a dict, which does not hash)."""
        return self.indicator, self.basis, self.value, self.direction, repr(self.label), self.unit


@dataclass(frozen=True)
class Target:
    """A value ``indicator`` should reach in a period, from a plugin (``ledinfo_register_targets``): the committee's
    annual goal (basis GOAL) or a local standard (basis LOCAL). Sections read them through ``context.targets``; the
    build makes each one whose indicator is installed a :class:`Yardstick`, which judges by precedence.

    ``title`` names the target in a table (a goal's label; default: its indicator's label); ``provider`` is filled
    in by ledinfo (the registered provider's name); ``label`` says in words what it requires where its value alone
    does not ("every deadline kept": a message id, or ``{"da": ..., "en": ...}``), as a :class:`Yardstick`'s.
    """

    indicator: str
    value: float
    direction: str = "at_least"
    basis: Basis = Basis.GOAL
    title: str | None = None
    provider: str = ""
    label: object = None

    def __post_init__(self) -> None:
        self.yardstick("share")  # refuses a basis, direction or value that cannot judge, as a yardstick does
        if self.basis not in TARGET_BASES:
            raise VerdictError(f"target for {self.indicator!r}: basis {Basis(self.basis).value!r} is an indicator's own "
                               f"yardstick (Indicator.standard); a target is {' or '.join(TARGET_BASES)}")

    def yardstick(self, unit: str) -> Yardstick:
        """The yardstick it sets, in the unit of its indicator."""
        return Yardstick(self.indicator, Basis(self.basis), self.value, self.direction, self.label, unit)


@dataclass(frozen=True)
class Margin:
    """How near a yardstick counts as "close" (``[verdicts]`` in the config): ``points`` percentage points for a
    share or a rate, ``percent`` per cent of the yardstick for any other figure."""

    points: float = 5.0
    percent: float = 10.0


@dataclass(frozen=True)
class Verdict:
    """A figure's one verdict: its level against its yardstick, how far off and how many cases that touches."""

    level: str  # MET, CLOSE, OFF_TRACK or FEW_CASES
    yardstick: Yardstick
    distance: float = 0.0  # how far short of the yardstick, as a share of it (0 when met): 0.25 is a quarter short
    cases: float | None = None  # the children or cases the figure rests on; None: not a number of cases
    also: tuple[Yardstick, ...] = ()  # yardsticks of lower precedence that apply too: named in words only

    @property
    def judged(self) -> bool:
        """False when the figure rests on too few cases to be judged (:data:`FEW_CASES`)."""
        return self.level != FEW_CASES

    @property
    def risk(self) -> float:
        """The documented ranking of "the biggest risk first": the distance from the yardstick times the
        children or cases the figure rests on (1 when it rests on none we can count); 0 when met or not judged."""
        if self.level in (MET, FEW_CASES):
            return 0.0
        return self.distance * (self.cases if self.cases else 1.0)


def is_share(unit: str) -> bool:
    return unit in ("share", "rate")


def meets(value: float, yardstick: Yardstick) -> bool:
    """True when ``value`` meets the yardstick: at least (at most) its value."""
    gap = (yardstick.value - value) if yardstick.direction == "at_least" else (value - yardstick.value)
    return gap <= 1e-12


def level_of(value: float, yardstick: Yardstick, margin: Margin, share: bool) -> str:
    """MET when ``value`` meets the yardstick; CLOSE within the margin; OFF_TRACK beyond it."""
    if meets(value, yardstick):
        return MET
    gap = (yardstick.value - value) if yardstick.direction == "at_least" else (value - yardstick.value)
    allowed = margin.points / 100 if share else abs(yardstick.value) * margin.percent / 100
    return CLOSE if gap <= allowed + 1e-12 else OFF_TRACK


def cases_of(figure: Figure) -> float | None:
    """The children or cases a figure rests on: its ``base`` where set; a share's or a rate's denominator; a
    ratio's numerator (cases per FTE rest on the cases); None for a count or an amount (nothing to be few of)."""
    if figure.base is not None:
        return figure.base
    if is_share(figure.unit):
        return figure.denominator
    if figure.unit == "ratio":
        return figure.numerator
    return None


def judge(figure: Figure, yardstick: Yardstick, margin: Margin, threshold: int,
          also: tuple[Yardstick, ...] = ()) -> Verdict | None:
    """The verdict of ``figure`` against ``yardstick``; None without a value (no cases: nothing to judge)."""
    if figure.value is None:
        return None
    cases = cases_of(figure)
    if cases is not None and cases < threshold:
        return Verdict(FEW_CASES, yardstick, 0.0, cases, also)
    return Verdict(level_of(figure.value, yardstick, margin, is_share(figure.unit)), yardstick,
                   distance_of(figure.value, yardstick), cases, also)


def distance_of(value: float, yardstick: Yardstick) -> float:
    """How far short of ``yardstick`` a value is, as a share of it (0 when met): :attr:`Verdict.distance`."""
    gap = (yardstick.value - value) if yardstick.direction == "at_least" else (value - yardstick.value)
    return max(gap, 0.0) / abs(yardstick.value) if yardstick.value else max(gap, 0.0)


class Yardsticks:
    """Every yardstick that applies in a build, and for each indicator the one that judges it (by precedence)."""

    def __init__(self, yardsticks: Iterable[Yardstick] = ()) -> None:
        self.by_indicator: dict[str, list[Yardstick]] = {}
        for yardstick in yardsticks:
            found = self.by_indicator.setdefault(yardstick.indicator, [])
            if yardstick.key() not in {y.key() for y in found}:
                found.append(yardstick)
        for found in self.by_indicator.values():
            found.sort(key=lambda y: PRECEDENCE.index(y.basis))

    def of(self, indicator: str) -> Yardstick | None:
        """The yardstick ``indicator`` is judged against; None: it is not judged (no colour)."""
        found = self.by_indicator.get(indicator)
        return found[0] if found else None

    def also(self, indicator: str) -> tuple[Yardstick, ...]:
        """The other yardsticks that apply to ``indicator``, of another basis: named in words, never coloured."""
        found = self.by_indicator.get(indicator, [])
        return tuple(y for y in found[1:] if y.basis != found[0].basis)

    def __contains__(self, indicator: str) -> bool:
        return indicator in self.by_indicator

    def __repr__(self) -> str:
        return f"Yardsticks({sorted(self.by_indicator)})"


def judge_result(result: SectionResult, yardsticks: Yardsticks, margin: Margin, threshold: int) -> None:
    """Give every figure of the report period (``period`` None), and of a whole quarter (the committee's bars of
    the last quarter), whose indicator has a yardstick its verdict.

    The one place a verdict is made; the figures of another period (trends, comparisons) carry none.
    """
    judged = []
    for figure in result.figures:
        bars = figure.period is None or "Q" in figure.period  # ("2024-Q1": a whole quarter)
        yardstick = yardsticks.of(figure.indicator) if bars else None
        verdict = judge(figure, yardstick, margin, threshold, yardsticks.also(figure.indicator)) if yardstick else None
        judged.append(replace(figure, verdict=verdict) if verdict != figure.verdict else figure)
    result.figures[:] = judged


__all__ = ["BASIS_WORDS", "CLOSE", "FEW_CASES", "LEVELS", "LEVEL_WORDS", "MET", "OFF_TRACK",
           "PRECEDENCE", "STANDARD_BASES", "SYMBOLS", "TARGET_BASES",
           "Basis", "Margin", "Verdict", "VerdictError", "Yardstick", "Yardsticks",
           "cases_of", "judge", "judge_result", "level_of", "meets"]
