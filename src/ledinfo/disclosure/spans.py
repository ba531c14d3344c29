"""Relations between a quarter's or a year to date's figures and its months, which a reader can see.

A month pack's figure and its trend's last point are one number (the same period). A quarter's are
not: the quarter's figure is filed under "2024-Q1", the trend's months under "2024-01" … "2024-03".
A reader still knows how they relate, so the committee's protection must know it too:

- a state (children placed by type, cases without a caseworker at the period's end) is the same at
  the end of the quarter and at the end of its last month;
- a count of events, or a share's numerator and denominator when nothing is pending, is the sum of
  the months (2024-Q1 = January + February + March; 2024-03-ytd = January … March).

Which indicators are states and which are flows is not declared by the sections, so the relations are
found in the numbers: where a span's number equals its last month's, or the sum of its months', the
relation is declared. That can only add protection: a relation that holds by chance is still true.
"""

from __future__ import annotations

from ledinfo.domain.period import MONTH, Period
from ledinfo.interfaces.results import Figure, Ref, Relation, Unit

_PARTS = {Unit.COUNT: ("value",), Unit.SHARE: ("numerator", "denominator", "pending"),
          Unit.RATE: ("numerator", "denominator", "pending")}


def _number(figure: Figure, part: str):
    number = figure.extra.get(part) if part == "pending" else getattr(figure, part)
    return int(number) if isinstance(number, (int, float)) and number == int(number) else None


def span_relations(figures: list[Figure], period: Period) -> list[Relation]:
    """The relations between each span (the report period, the period before, the year before, when they
    are quarters or years to date) and its months, for every figure of ``figures`` that has them."""
    spans = [p for p in (period, period.previous(), period.year_before()) if p is not None and p.kind != MONTH]
    by_key = {(f.indicator, f.team, f.period, f.category): f for f in figures if f.staff_id is None}
    relations: list[Relation] = []
    for span in spans:
        filed_as = None if span == period else str(span)  # the report period's figures carry no period
        months = [str(m) for m in span.months()]
        for (indicator, team, when, category), figure in by_key.items():
            if when != filed_as:
                continue
            monthly = [by_key.get((indicator, team, m, category)) for m in months]
            for part in _PARTS.get(figure.unit, ()):
                total = _number(figure, part)
                if total is None:
                    continue
                ref = Ref(indicator, team, filed_as, category, part)
                last = monthly[-1]
                if last is not None and _number(last, part) == total:
                    relations.append(Relation(ref, (Ref(indicator, team, months[-1], category, part),)))
                numbers = [_number(m, part) if m is not None else None for m in monthly]
                if len(months) > 1 and None not in numbers and sum(numbers) == total:
                    relations.append(Relation(ref, tuple(Ref(indicator, team, m, category, part) for m in months)))
    return relations
