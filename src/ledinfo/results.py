"""What a section computes: plain data, testable without rendering.

A :class:`SectionResult` holds figures, tables and charts. Every piece carries
its *level* — municipality, team, staff or case — which is what the audience
filter (:mod:`ledinfo.disclosure`) works on; so the PDF and the JSON of a pack
always agree. Labels are English message ids, translated when rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import polars as pl

from ledinfo.i18n import N_

# Levels, from least to most detailed.
MUNICIPALITY = "municipality"
TEAM = "team"
STAFF = "staff"
CASE = "case"
LEVELS = (MUNICIPALITY, TEAM, STAFF, CASE)

# A message is an English message id, (id, {placeholder: value}) when it has
# placeholders, or {"da": ..., "en": ...} for text that comes with its own
# translations (a rule's title); the renderer puts it in the pack's language.
Message = str | tuple[str, dict] | dict

# Units of a figure. "share" and "rate" have a numerator and a denominator
# and show as a percentage (a share is part of a whole; a rate, such as staff
# turnover, need not be); "ratio" shows as a number (cases per FTE).
UNITS = ("share", "rate", "count", "ratio", "amount", "days", "number")


@dataclass(frozen=True)
class Figure:
    """One figure: an indicator's value for the municipality, a team or a person.

    ``team`` is None for the municipality; ``staff_id`` is set for a
    caseworker's own figure; ``period`` ("2026-10") marks a trend point (None
    means the report period).
    """

    indicator: str
    value: float | int | None
    numerator: float | int | None = None
    denominator: float | int | None = None
    unit: str = "share"
    team: str | None = None
    staff_id: str | None = None
    period: str | None = None
    category: str | None = None  # another breakdown: an account function, a measure category, a theme
    extra: dict = field(default_factory=dict)  # further named values, e.g. min/median/max
    suppressed: bool = False  # hidden by disclosure; value and numerator are None

    @property
    def level(self) -> str:
        if self.staff_id is not None:
            return STAFF
        if self.team is not None:
            return TEAM
        return MUNICIPALITY

    def with_(self, **changes) -> Figure:
        return replace(self, **changes)


@dataclass(frozen=True)
class Column:
    """A table column: its key in the frame, an English label, and how to show it.

    ``kind``: text, count (persons or cases: suppressed for the committee when
    small), integer (a whole number that is no count of people), share,
    number, money, date, days, id (case or staff id), goal (a share or a
    number, as the row's ``unit`` column says), target (formatted like goal,
    but a setting, never hidden), status (green/yellow/red).
    """

    key: str
    label: Message
    kind: str = "text"


@dataclass(frozen=True)
class Table:
    id: str
    title: Message
    frame: pl.DataFrame
    columns: tuple[Column, ...]
    level: str = TEAM
    team_column: str | None = "team"  # rows whose team is null are municipality totals
    note: str | None = None
    empty_text: str = N_("No rows.")
    value_labels: dict[str, Message] = field(default_factory=dict)  # cell value -> label ({da, en} or message id)
    # Counts in the frame that are not shown but back shown shares; the audience
    # filter suppresses on them too (a share can reveal a small count).
    hidden_counts: tuple[str, ...] = ()
    # A long frame whose counts add up along two keys (e.g. month x reporter type),
    # with totals published elsewhere: the committee gets complementary suppression.
    cross: tuple[str, str] | None = None


@dataclass(frozen=True)
class Chart:
    """A chart as data: the renderer turns it into a vector graphic.

    ``kind``: "bar" (categories on x), "hbar" (categories on y), "line"
    (a trend; x is a month). ``y_format``: share, count, number, money.
    ``rules`` are reference lines: (value, English label).
    """

    id: str
    title: Message
    kind: str
    frame: pl.DataFrame
    x: str
    y: str
    x_title: str = ""
    y_title: str = ""
    color: str | None = None
    y_format: str = "number"
    level: str = TEAM
    team_column: str | None = "team"
    rules: tuple[tuple[float, str], ...] = ()
    band: tuple[float, float, str] | None = None  # a shaded reference range
    takeaway: str | None = None  # one line under the chart, set when narrated
    value_labels: dict[str, Message] = field(default_factory=dict)  # x or series value -> label
    sort_by_value: bool = False  # bars from the highest value down (else in the frame's order)
    cross: tuple[str, str] | None = None  # as Table.cross, for the chart's y counts


@dataclass
class SectionResult:
    """Everything a section found for the period, before the audience filter."""

    section: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # filled by narration, after disclosure
    notes: list[Message] = field(default_factory=list)  # definitions and caveats
    headline: tuple[str, ...] = ()  # indicator ids shown as key figures at the top
    labels: dict[str, Message | dict] = field(default_factory=dict)  # indicator id -> label (id or {da, en})

    def figure(self, indicator: str, team: str | None = None, staff_id: str | None = None,
               period: str | None = None, category: str | None = None) -> Figure | None:
        wanted = (indicator, team, staff_id, period, category)
        for fig in self.figures:
            if (fig.indicator, fig.team, fig.staff_id, fig.period, fig.category) == wanted:
                return fig
        return None

    def trend(self, indicator: str, team: str | None = None) -> list[Figure]:
        return sorted((f for f in self.figures if f.indicator == indicator and f.team == team
                       and f.staff_id is None and f.period is not None), key=lambda f: f.period)

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)

    def chart(self, chart_id: str) -> Chart | None:
        return next((c for c in self.charts if c.id == chart_id), None)
