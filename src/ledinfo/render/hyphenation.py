"""Words broken only where the language allows: at a hyphenation point, with a hyphen.

A table with many columns cannot always hold its longest header word whole
("Netværksanbringelse" beside five other placement types). ReportLab then broke the
word wherever the column ended ("Netværksanbringel|se"), which no reader parses.
Here the word breaks at a hyphenation point of the pack's language, from the
LibreOffice hyphenation patterns pyphen carries ("Netværks-anbringelse"), never
leaving fewer than :data:`EDGE` letters on a line; the column widths
(:func:`ledinfo.render.pdf._column_widths`) leave room for the word broken once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pyphen
from reportlab.pdfbase.pdfmetrics import stringWidth

PATTERNS = {"da": "da_DK", "en": "en_GB"}  # a pack's language -> pyphen's patterns
EDGE = 3  # "Forebyggen-de" strands two letters; three or more on each side of a break


@functools.cache
def _dictionary(language_code: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=PATTERNS.get(language_code, PATTERNS["da"]), left=EDGE, right=EDGE)


@functools.cache
def hyphenator(language_code: str) -> Callable[[str], list[tuple[str, str]]]:
    """ReportLab's ``hyphenationLang`` as a callable: a word -> its (head, tail) splits, longest head first."""
    return lambda word: [(word[:at], word[at:]) for at in reversed(_points(word, language_code))]


def hyphenation_points(word: str, language_code: str) -> list[int]:
    """Where ``word`` may break: the length of each head it may leave on a line.

    A point next to a syllable of one letter is left out: the patterns split "rådgiverårsværk" as
    "…år-s-værk", and "rådgiverår-sværk" is a break no reader parses.
    """
    return list(_points(word, language_code))


@functools.lru_cache(maxsize=1 << 14)
def _points(word: str, language_code: str) -> tuple[int, ...]:
    """:func:`hyphenation_points`, found once a process for each word: a table's words repeat in every row and every
    pack (team names, placement types), and pyphen's search is pure Python."""
    points = list(_dictionary(language_code).positions(word))
    bounds = [0, *points, len(word)]
    return tuple(at for before, at, after in zip(bounds, bounds[1:], bounds[2:]) if at - before > 1 and after - at > 1)


@functools.lru_cache(maxsize=1 << 14)
def narrowest(word: str, font: str, size: float, language_code: str) -> float:
    """The width ``word`` needs broken once, at its best hyphenation point: the wider of its two lines, a
    hyphen included ("Netværks-" / "anbringelse"). Once, not at every point: "Net-/værksan-/bringelse"
    in three lines of a header reads worse than a column a little wider. Measured once a process for each word,
    font and size (a table's column widths ask for every word of every cell)."""
    widths = [max(stringWidth(word[:at] + "-", font, size), stringWidth(word[at:], font, size))
              for at in _points(word, language_code)]
    return min(widths, default=stringWidth(word, font, size))


__all__ = ["EDGE", "hyphenation_points", "hyphenator", "narrowest"]
