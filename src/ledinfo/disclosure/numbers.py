"""How the protection reads a figure's numbers and periods: a whole count, a period text parsed once.

Shared by the series' protection (:mod:`ledinfo.disclosure.series`) and the twelve-month windows it finds
(:mod:`ledinfo.disclosure.windows`). The kit's attacker reads numbers its own way (:mod:`ledinfo.api.attack.numbers`):
it stays independent of the product.
"""

from __future__ import annotations

from functools import lru_cache

from ledinfo.model.period import KINDS, Period


def whole(number) -> int | None:
    """``number`` as an int where it is a whole number (a count), else None (a share's value, a missing one)."""
    return int(number) if isinstance(number, (int, float)) and not isinstance(number, bool) \
        and number == int(number) else None


def parsed(text: str) -> Period:
    """:meth:`Period.parse`, once per text: a committee pack's protection parses the same few dozen periods
    thousands of times (issue 27). A word for the last complete period ("month") depends on the day: never kept."""
    return Period.parse(text) if text.strip().lower() in KINDS else _parsed_once(text)


@lru_cache(maxsize=4096)
def _parsed_once(text: str) -> Period:
    return Period.parse(text)


__all__ = ["parsed", "whole"]
