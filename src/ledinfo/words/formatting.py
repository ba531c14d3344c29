"""How numbers, figures and messages read in a pack: the one place the summary, the PDF and the JSON share.

No rendering library is imported here, so the JSON writer and the summary can use
it without ReportLab.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from ledinfo.language import Language, percent_decimals
from ledinfo.model.results import Figure, Message, SectionResult, Unit
from ledinfo.model.verdicts import meets
from ledinfo.words.sentences import hidden_mark, hidden_words, none_due_yet, part_of, text_in

# How a figure's unit is shown: shares and rates as percentages, ratios with a decimal, amounts in DKK.
UNIT_FORMATS = {Unit.SHARE: "share", Unit.RATE: "share", Unit.COUNT: "count", Unit.RATIO: "number",
                Unit.AMOUNT: "money", Unit.DAYS: "days", Unit.NUMBER: "number", Unit.DEVIATION: "deviation"}

# The decimals a number of each format prints with, before any its yardstick asks for (a share's: percent_decimals)
NUMBER_DECIMALS = {"number": 1, "count": 0, "days": 0, "integer": 0}
# At most this many decimals more: a value nearer its yardstick than that is no case a pack meets
MORE_DECIMALS = 3


def precise_decimals(figure: Figure, yardstick=None) -> tuple[str, int] | None:
    """Where the print would put a judged figure on the other side of its yardstick than its verdict — 79,7 % read
    "80 %" against "mindst 80 %" and judged not met, 25,04 read "25,0" against "højst 25" — the decimals that put
    it back on its own side: ("percent", 1) reads "79,7 %", ("number", 2) "25,04". None where the usual print
    already stands on the verdict's side, or the figure is not judged. ``yardstick``: the one its indicator is judged
    by elsewhere in the pack, for a figure of no verdict of its own (a trend's month, a comparison's period: "sep
    26: 80 %" beside "79,7 %" read as the goal met in September, at 79,8 %)."""
    verdict = figure.verdict
    if yardstick is None and (verdict is None or not verdict.judged):
        return None
    if figure.value is None or figure.suppressed:
        return None
    yardstick = yardstick if yardstick is not None else verdict.yardstick
    kind = UNIT_FORMATS.get(figure.unit, "count")
    if kind == "share":
        kind, scale, base = "percent", 2, percent_decimals(figure.value, 0)
    elif kind in NUMBER_DECIMALS:
        kind, scale, base = "number", 0, NUMBER_DECIMALS[kind]
    else:
        return None
    met = meets(figure.value, yardstick)
    for decimals in range(base, base + MORE_DECIMALS + 1):
        if meets(_shown(figure.value, scale, decimals), yardstick) == met:
            return None if decimals == base else (kind, decimals)
    return kind, base + MORE_DECIMALS


@lru_cache(maxsize=1 << 16, typed=True)  # every pack asks for each of its figures; Decimal's arithmetic is slow
def _shown(value: float, scale: int, decimals: int) -> float:
    """``value`` as printed with ``decimals`` (of the value times 10^``scale``: a percent), rounded half up from its
    decimal form, as Babel and the reader round it."""
    printed = decimal.Decimal(str(value)).scaleb(scale).quantize(decimal.Decimal(1).scaleb(-decimals),
                                                                  decimal.ROUND_HALF_UP)
    return float(printed.scaleb(-scale))


def precise_language(language: Language, figures: Iterable[Figure]) -> Language:
    """The pack's language, printing each judged figure among ``figures`` whose usual print would cross its yardstick
    with the decimals :func:`precise_decimals` gives it — wherever the pack prints that value. ``figures``: the pack's
    own, as its audience sees them (a hidden figure has no verdict, so nothing of it is printed more exactly)."""
    figures = list(figures)
    # the yardstick each indicator is judged by in this pack (a team's own, else the municipality's): its other
    # periods' figures are read against it too
    judged = {(f.indicator, f.team): f.verdict.yardstick for f in figures
              if f.verdict is not None and f.verdict.judged and not f.suppressed}
    found = set()
    for figure in figures:
        yardstick = None
        if figure.verdict is None and not figure.suppressed:
            yardstick = judged.get((figure.indicator, figure.team))
        precise = precise_decimals(figure, yardstick)
        if precise is not None:
            found.add((precise[0], round(float(figure.value), 9), precise[1]))
    return replace(language, precise=tuple(sorted(found))) if found or language.precise else language


# The decimals a published number keeps beyond what is printed: none. An amount is published in whole kroner; a
# number (full-year persons, cases per FTE) with the decimal the pack prints it with (more where a yardstick asks:
# :attr:`Language.precise`); a share as its printed percent (0.2777… printed "28 %" is 0.28). A mean printed to the
# krone in the PDF but written 76152.63157894737 in the JSON is 1446900/19: its base, a protected count, read off the
# fraction, as a share written 0.2777777777777778 is 10/36 (the committee's JSON; docs/disclosure.md).
PUBLISHED_DECIMALS = {"money": 0, "deviation": 0, "number": 1, "days": 0, "count": 0, "integer": 0, "share": 0}


def published(language: Language, value, kind: str):
    """``value`` as exactly as the pack prints it, no more: for a ``kind`` of :data:`PUBLISHED_DECIMALS` (a
    column's kind, a figure's unit's format) rounded half up to its decimals — a share to the decimals of its printed
    percent (:meth:`Language.shown_percent`); any other value (a setting, a date, a whole number already) as it is."""
    decimals = PUBLISHED_DECIMALS.get(kind)
    if decimals is None or not isinstance(value, float) or value != value or value in (math.inf, -math.inf):
        return value
    if kind == "share":
        points, decimals = language.shown_percent(value)
        return float(points.scaleb(-2)) + 0.0
    if kind == "number":
        decimals = max(decimals, language.precise_decimals("number", value))
    return _shown(value, 0, decimals) + 0.0  # no -0.0


def translate(language: Language, message: Message) -> str:
    return text_in(language, message)


def format_value(language: Language, value, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "share":
        return language.percent(value)
    if kind in ("count", "days", "integer"):
        return language.integer(value)
    if kind == "number":
        return language.number(value, 1)
    if kind == "money":
        return language.money(value)
    if kind == "deviation":
        return language.signed_money(value)
    if kind == "date":
        return language.short_date(value)
    return str(value)


def format_figure_value(language: Language, figure: Figure, value) -> str:
    """``value`` (the figure's, its target's, an earlier month's) formatted for the figure's unit."""
    return format_value(language, value, UNIT_FORMATS.get(figure.unit, "count"))


def figure_words(language: Language, figure: Figure, threshold: int) -> str:
    """A figure's number as a sentence says it: the value in the figure's unit, or how it is hidden."""
    if figure.suppressed:
        return hidden_words(language, figure.hidden_as, threshold)
    return format_figure_value(language, figure, figure.value)


def format_figure(language: Language, figure: Figure, threshold: int) -> tuple[str, str]:
    """(big value, small line under it) for a key figure."""
    if figure.suppressed:
        return hidden_mark(figure.hidden_as, threshold), hidden_words(language, figure.hidden_as, threshold)
    if none_due_yet(figure):  # 0 of 0 with items pending: no share yet, and no "no cases" either
        return "–", language("none due yet")
    if figure.unit in (Unit.SHARE, Unit.RATE) and figure.value is None and not figure.denominator:
        # a rate is of amounts or people, not of cases: a year the budget table does not reach has "no figures"
        return "–", language("no cases") if figure.unit == Unit.SHARE else language("no figures")
    if figure.unit == Unit.RATE:
        return language.percent(figure.value), ""
    if figure.unit == Unit.SHARE:
        sub = part_of(language, figure) if figure.denominator else ""
        return language.percent(figure.value), sub
    if figure.unit in (Unit.RATIO, Unit.NUMBER):
        return language.number(figure.value, 1), ""
    if figure.unit == Unit.AMOUNT:
        return language.money(figure.value), ""
    if figure.unit == Unit.DEVIATION:
        return language.signed_money(figure.value), ""
    if figure.unit == Unit.DAYS:  # a median of no placements (a team that ended none) has no value
        return (language.plural("{count} day", "{count} days", figure.value), "") if figure.value is not None \
            else ("–", language("no cases"))
    return language.integer(figure.value), ""


def own_figure(section: SectionResult, indicator: str, team: str | None, period: str | None = None) -> Figure | None:
    """The figure of the pack's own scope: the team's in a team pack (never the municipality's in its
    place), else the municipality's; ``period`` for a comparison's. A team without a figure has none of
    it: 0 of a count, no cases for a share."""
    whole = section.figure(indicator, period=period)
    if team is None:
        return whole
    own = section.figure(indicator, team=team, period=period)
    if own is not None or whole is None:
        return own
    return whole.none_for(team)


def no_cases(section: SectionResult, indicator: str, team: str | None) -> bool:
    """Whether none of the pack's cases (the team's, else the municipality's) count in the figure now: no value,
    and not hidden (a hidden figure is shown as such). Its key figure is then no tile but named in the one sentence
    under the tiles ("Ingen af teamets sager indgår i: …"), whatever the periods it is compared with held, and the
    section says it no other way."""
    figure = own_figure(section, indicator, team)
    return figure is not None and figure.value is None and not figure.suppressed


def key_figure(language: Language, section: SectionResult, indicator: str, team: str | None,
               threshold: int, period=None) -> tuple[str, str, str] | None:
    """(label, value, line under it) of a key figure, scoped to the pack: a team pack shows the team's
    figure with the municipality's beside it, labelled ("kommunen: 27,3"); with the report ``period``,
    the same scope's figure for the period before and a year before, each named ("sep 26: 71 %")."""
    figure = own_figure(section, indicator, team)
    if figure is None:
        return None
    value, sub = format_figure(language, figure, threshold)
    parts = [sub] if sub else []
    if team is not None:
        whole = section.figure(indicator)
        if whole is not None:
            whole_value, _ = format_figure(language, whole, threshold)
            parts.append(language("municipality: {value}", value=whole_value))
    parts += [f"{language.period_short(when)}: {format_figure(language, before, threshold)[0]}"
              for when, before in compared_figures(section, indicator, team, period)]
    return translate(language, section.labels.get(indicator, indicator)), value, " · ".join(parts)


def compared_figures(section: SectionResult, indicator: str, team: str | None, period) -> list[tuple]:
    """(period, figure) of the pack's scope for the period before and the same period a year earlier,
    where the build computed them (:func:`ledinfo.domain.indicator.add_comparisons`)."""
    if period is None:
        return []
    found = []
    for when in (period.previous(), period.year_before()):
        if when is None:
            continue
        before = own_figure(section, indicator, team, str(when))
        if before is not None:
            found.append((when, before))
    return found


def outside_data_text(language: Language, view) -> str:
    """The cover's warning for a period built outside the data's span (``--allow-outside-data``)."""
    span = view.outside_data
    return language("This period lies outside the data, which covers {first} to {last}: its figures are not "
                    "complete and must not be used as if they were.",
                    first=language.date(span.first), last=language.date(span.last))


__all__ = ["UNIT_FORMATS", "compared_figures", "format_figure", "format_value", "key_figure", "outside_data_text",
           "own_figure", "precise_decimals", "precise_language", "translate"]
