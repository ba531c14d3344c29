"""What a section computes: plain data, testable without rendering.

A :class:`SectionResult` holds figures, tables and charts. Every piece carries
its *level* — municipality, team, staff or case — which is what the audience
filter (:mod:`ledinfo.disclosure.disclose`) works on; so the PDF and the JSON of a pack
always agree. Labels are English message ids, translated when rendered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from enum import StrEnum
from typing import TYPE_CHECKING

from ledinfo.language import N_
from ledinfo.model.verdicts import CLOSE, FEW_CASES, MET, OFF_TRACK, Verdict, Yardstick

if TYPE_CHECKING:  # only annotations name Polars here: the config (which imports the levels) loads without it
    import polars as pl


class Level(StrEnum):
    """How detailed a piece of a result is, from least to most: what the audience filter works on."""

    MUNICIPALITY = "municipality"
    TEAM = "team"
    STAFF = "staff"
    CASE = "case"


MUNICIPALITY, TEAM, STAFF, CASE = Level.MUNICIPALITY, Level.TEAM, Level.STAFF, Level.CASE
LEVELS = tuple(Level)


class Unit(StrEnum):
    """A figure's unit. SHARE and RATE have a numerator and a denominator and show as a percentage (a
    share is part of a whole; a rate, such as staff turnover, need not be); RATIO shows as a number
    (cases per FTE); COUNT is a number of children, cases, notifications or staff."""

    SHARE = "share"
    RATE = "rate"
    COUNT = "count"
    RATIO = "ratio"
    AMOUNT = "amount"
    DEVIATION = "deviation"  # an amount above (+) or below (−) a budget: always shown with its sign
    DAYS = "days"
    NUMBER = "number"


UNITS = tuple(Unit)


# What a count counts (domain.md, "Units": children, cases, placements, measures and notifications differ)
COUNTED = ("children", "young_people", "cases", "placements", "measures", "notifications", "investigations",
           "caseworkers", "reviews")


class Over(StrEnum):
    """What a figure counts over, which decides how the committee's protection links it across a series of packs.

    SPAN: the events of the period (notifications received in it, items whose deadline falls in it): a
    quarter's or a year to date's figure is its own number, often the sum of its months'. END: the state at the
    period's last day, or a window that ends there (children placed, cases followed up in the 42 days up to it,
    staff turnover over 12 months): a quarter's figure is its last month's, one number wherever it is shown.
    WINDOW: the events of the last 12 months up to the period's end, added up (decisions at 17½ in the last 12
    months): a quarter's figure is its last month's window, one number wherever it is shown, and the protection
    keys it by its 12 months in every pack and ties it to any published indicator whose 12 months (or 4 quarters)
    add up to it — a count of a period's events another section shows month by month or quarter by quarter. A
    figure over a trailing window that says END (or nothing) is decided as its last month's number alone, beside
    the months a reader adds up to it.
    """

    SPAN = "span"
    END = "end"
    WINDOW = "window"


class ShareOf(StrEnum):
    """What a share (or rate) is a share of, which decides how the committee's rules protect it (domain.md).

    HANDLING: case handling — a deadline kept, a follow-up made. No characteristic of a child, so its
    numerator and denominator are not protected counts: hidden only on a denominator below the threshold.
    COMPOSITION: people by a characteristic (children by placement type, staff who left): hidden when
    its numerator or its complement is a protected count below the threshold.
    """

    HANDLING = "handling"
    COMPOSITION = "composition"


class Kind(StrEnum):
    """How a table column is shown. COUNT: persons or cases (protected for the committee when small);
    INTEGER: a whole number that is no count of people; GOAL: a share or a number, as the row's ``unit``
    column says; TARGET: formatted like GOAL, but a setting, never hidden; STATUS: the verdict of the row's judged
    column (its word and colour); DEVIATION: an amount above (+) or below (−) a budget, always with its sign."""

    TEXT = "text"
    COUNT = "count"
    INTEGER = "integer"
    SHARE = "share"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    DAYS = "days"
    ID = "id"
    GOAL = "goal"
    TARGET = "target"
    STATUS = "status"
    DEVIATION = "deviation"


# Column kinds whose cells are numbers computed from the data: for the committee each must be bound
# to a figure (Column.figure), so the pack-wide disclosure decides every cell.
MEASURED = (Kind.COUNT, Kind.SHARE, Kind.NUMBER, Kind.MONEY, Kind.DAYS, Kind.GOAL, Kind.INTEGER, Kind.DEVIATION)


class ResultError(ValueError):
    """A section returned a result that breaks the result model; the message says what."""


def _typed(enum, value, what: str):
    if type(value) is enum:  # already a member (nearly always): Enum's own call is a slow way to say so
        return value
    try:
        return enum(value)
    except ValueError:
        raise ResultError(f"{what} {value!r} is not one of: {', '.join(e.value for e in enum)}") from None

# A message is an English message id, (id, {placeholder: value}) when it has
# placeholders, or {"da": ..., "en": ...} for text that comes with its own
# translations (a rule's title); the renderer puts it in the pack's language.
Message = str | tuple[str, dict] | dict


@dataclass(frozen=True)
class ForReaders:
    """A note said two ways: ``plain``, in words, to a reader who does not know the extract (the committee and
    directors: "Udtrækket har ikke årsagen til, at en foranstaltning sluttede"), and ``technical``, with the extract's
    own table and column names, to one who works with it (a team leader, who passes it on to the person who makes the
    extract: "… kolonnen measures.end_reason"; the log and ``ledinfo check`` name the column too). The audience
    filter keeps the one its audience reads (``Audience.sees_extract_names``); a section's sentence picks it with
    ``view.pick(note)``."""

    plain: Message
    technical: Message


@dataclass(frozen=True)
class Figure:
    """One figure: an indicator's value for the municipality, a team or a person.

    When the audience filter hides it (the committee's protection), ``suppressed`` is True, its numbers are
    gone and ``hidden_as`` says why: ``SMALL`` (a count of 1 to 4, shown "<5"), ``FEW`` or ``OTHER`` (shown
    "–"); a sentence phrases it with ``view.words(figure)``, never by itself.

    ``team`` is None for the municipality; ``staff_id`` is set for a
    caseworker's own figure; ``period`` ("2026-10") marks a trend point (None
    means the report period).
    """

    indicator: str
    value: float | int | None
    numerator: float | int | None = None
    denominator: float | int | None = None
    unit: Unit = Unit.SHARE
    team: str | None = None
    staff_id: str | None = None
    period: str | None = None
    category: str | None = None  # another breakdown: an account function, a measure category, a theme
    extra: dict = field(default_factory=dict)  # further named values, e.g. min/median/max
    suppressed: bool = False  # hidden by disclosure; value, numerator and denominator are None
    share_of: ShareOf = ShareOf.HANDLING  # for shares and rates: how the committee's rules protect it
    hidden_as: str | None = None  # when suppressed: SMALL (shown "<5"), FEW or OTHER (shown "–")
    # A statistic's base: how many children, cases or placements an average, a median, a ratio or an amount
    # rests on. The committee never sees one resting on fewer than the threshold (domain.md, "Protection").
    base: int | None = None
    # The count of the same section, category and period that ``base`` is, where the pack shows one (a type's median
    # days rests on its placements ended: "placements_ended"): the committee's protection decides the two as one
    # number, so the statistic is shown only where that count is (its label, shown or "færre end 5", tells its base).
    base_of: str | None = None
    # SPAN, END or WINDOW (see Over); None: the indicator's (Indicator.over), else unknown. The committee's protection
    # needs it to tell one number shown in a month pack and in a quarter pack from two.
    over: Over | None = None
    # Its one verdict against its one yardstick (ledinfo.model.verdicts), made by the build for the report
    # period's figures; every tile, table, chart and sentence shows this one. None: not judged, no colour.
    verdict: Verdict | None = None
    # What its counts count (a share's numerator and denominator, a count's value): one of COUNTED, from its
    # indicator (Indicator.counts), so a page says "85 af 135 anbringelser", never a bare "85 af 135"
    counts: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", _typed(Unit, self.unit, f"figure {self.indicator!r}: unit"))
        if self.verdict is not None and not isinstance(self.verdict, Verdict):
            raise ResultError(f"figure {self.indicator!r}: verdict {self.verdict!r} is not a Verdict")
        if self.over is not None:
            object.__setattr__(self, "over", _typed(Over, self.over, f"figure {self.indicator!r}: over"))
        if self.base is not None and (isinstance(self.base, bool) or not isinstance(self.base, int) or self.base < 0):
            raise ResultError(f"figure {self.indicator!r}: base {self.base!r} is not a number of children or cases")
        object.__setattr__(self, "share_of", _typed(ShareOf, self.share_of, f"figure {self.indicator!r}: share_of"))
        if self.counts is not None and self.counts not in COUNTED:
            raise ResultError(f"figure {self.indicator!r}: counts {self.counts!r} is not one of: {', '.join(COUNTED)}")
        for part in ("value", "numerator", "denominator"):
            number = getattr(self, part)
            if number is not None and (isinstance(number, bool) or not isinstance(number, (int, float))
                                       or not math.isfinite(number)):
                raise ResultError(f"figure {self.indicator!r}: {part} {number!r} is not a finite number")

    @property
    def scope(self) -> str:
        """"municipality" or "team": whose figure this is (a caseworker's figure is in its team's scope)."""
        return "municipality" if self.team is None else "team"

    @property
    def level(self) -> str:
        """How detailed the figure is: STAFF with a ``staff_id``, else TEAM with a ``team``, else MUNICIPALITY."""
        if self.staff_id is not None:
            return STAFF
        if self.team is not None:
            return TEAM
        return MUNICIPALITY

    def with_(self, **changes) -> Figure:
        """A copy of the figure with ``changes`` (figures are frozen): ``figure.with_(team="Unge")``.

        What ``dataclasses.replace`` gives, checked by ``__post_init__`` the same way, without its walk through
        every field: a build copies figures some hundred thousand times (a verdict, a period, a team's mark)."""
        if type(self) is not Figure or not changes.keys() <= _FIGURE_FIELDS:
            return replace(self, **changes)  # a subclass, or its TypeError for a field the figure does not have
        copy = object.__new__(Figure)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(changes)
        copy.__post_init__()
        return copy

    def part(self, name: str):
        """One of the figure's numbers by name: ``"value"``, ``"numerator"``, ``"denominator"``, or a named value
        of ``extra`` (a distribution's ``"min"``; None when the figure has none, or the disclosure took it out)."""
        return getattr(self, name) if name in PARTS else self.extra.get(name)

    def none_for(self, team: str) -> Figure:
        """This (municipality) figure's counterpart for a team that has none of it: 0 of a count, no
        cases for a share or rate (value None, denominator 0), nothing (None) for other units."""
        if self.unit == Unit.COUNT:
            return Figure(self.indicator, 0, unit=Unit.COUNT, team=team, period=self.period, category=self.category)
        return Figure(self.indicator, None, None, 0 if self.unit in (Unit.SHARE, Unit.RATE) else None, self.unit,
                      team=team, period=self.period, category=self.category, share_of=self.share_of)


_FIGURE_FIELDS = frozenset(f.name for f in dataclass_fields(Figure))
PARTS = ("value", "numerator", "denominator")  # a figure's own numbers; any other part is a value of its ``extra``

# Why a number is hidden, which decides how it is shown: a small count as "<5"; a share of too few
# cases, and a number hidden so that a small one cannot be worked out (OTHER), as "–"; a statistic over too few
# caseworkers for an audience that may not see them one by one (FEW_STAFF: one caseworker's own figure), as "–".
SMALL, FEW, OTHER, FEW_STAFF = "small", "few", "other", "few_staff"

# A statistic over caseworkers (a team's caseload) says in ``extra[STAFF_BASE]`` how many it rests on, and its spread
# over them in the ``extra`` values named in DISTRIBUTION (lowest, median, highest, how many above the guideline).
# Figures of one caseworker are personal data about an employee (domain.md): the disclosure shows an audience that
# may not see the caseworkers behind such a statistic its value and its spread only when they rest on enough of
# them (:class:`ledinfo.model.audiences.Audience`'s ``staff_average_from`` and ``staff_distribution_from``).
STAFF_BASE = "caseworkers"
DISTRIBUTION = ("min", "median", "max", "above_guideline")


@dataclass(frozen=True)
class Ref:
    """One number of a figure, for a :class:`Relation`: the figure of ``indicator`` for ``team`` (None: the
    municipality), ``period`` and ``category`` (None: the whole), and which of its numbers ``part`` names —
    ``"value"`` (the default), ``"numerator"``, ``"denominator"``, or ``"pending"`` (a rule's items not yet judged,
    their deadline still ahead: the figure's ``extra``). A Ref whose ``period`` is None holds for every period the pack shows:
    ``Ref("receipt_6_workdays", part="denominator")``."""

    indicator: str
    team: str | None = None
    period: str | None = None
    category: str | None = None
    part: str = "value"

    def __str__(self) -> str:
        bits = [self.indicator, self.team or "", self.period or "", self.category or ""]
        text = " · ".join(b for b in bits if b)
        return text if self.part == "value" else f"{text} ({self.part})"


@dataclass(frozen=True)
class Relation:
    """``total`` is the sum of ``parts``: a relation a reader can see between numbers of a pack
    (parts and their total, the months and the 12-month total, a share's numerator and the category
    counts it is made of). The committee's disclosure protects hidden numbers across every relation.

    A relation without parts is an empty sum: its total is 0 (a month without notifications has no
    reporter types to add up), so a section need not tell an empty window apart."""

    total: Ref
    parts: tuple[Ref, ...]


@dataclass(frozen=True)
class Column:
    """A table column: its key in the frame, an English label, and how to show it.

    ``kind``: text, count (persons or cases: suppressed for the committee when
    small), integer (a whole number that is no count of people), share,
    number, money, date, days, id (case or staff id), goal (a share or a
    number, as the row's ``unit`` column says), target (formatted like goal,
    but a setting, never hidden), status (the verdict of the row's judged column, in words),
    deviation (an amount above or below a budget, with its sign).

    ``dated_note``: (a frame column of dates, a message with ``{date}``): the PDF says the message after the cell's
    text on a row whose column holds a date ("Børnefaglig undersøgelse (sagen lukket 24.02.2023)": a step on a
    closed case marked in its list, as "Til handling" marks it).
    """

    key: str
    label: Message
    kind: Kind = Kind.TEXT
    figure: FigureRef | None = None  # the figure each cell shows; the pack-wide disclosure fills the cell from it
    # True: each cell shows its figure's verdict (Figure.verdict) by symbol and colour in the PDF and by name in the
    # JSON — the verdict the build made once, never one of the table's own
    judged: bool = False
    dated_note: tuple[str, Message] | None = None  # (date column, "(case closed {date})"): after the cell's text
    # a frame column of booleans: on its true rows the cell derives from a birth date ("fylder 18" on 05.12.2026, a
    # step due at 17½), which no pack may tell: a date is kept to its month ("december 2026"), a number of days left
    # out. Done to the frame where the table is made (:class:`Table`), so no renderer can print the day.
    from_birth_date: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _typed(Kind, self.kind, f"column {self.key!r}: kind"))
        if self.from_birth_date is not None and self.kind not in (Kind.DATE, Kind.DAYS):
            raise ResultError(f"column {self.key!r}: from_birth_date keeps a date to its month or leaves out a number "
                              "of days; a column of another kind shows no day")
        if self.judged and self.figure is None:
            raise ResultError(f"column {self.key!r}: a judged column shows its figures' verdicts; bind it to them "
                              "(figure=FigureRef(...))")


@dataclass(frozen=True)
class FigureRef:
    """Which figure a table cell or chart value shows, so disclosure decides it once for the whole pack.

    The figure's team is the row's team column (null: the municipality). Its indicator is
    ``indicator``, or the row's value in ``indicator_column``; its period the row's value in
    ``period_column`` (none: the report period); its category ``category``, or the row's value in
    ``category_column``. ``part`` is the figure's value, numerator or denominator, or a named value of its
    ``extra`` (a distribution's ``"min"``, ``"median"``, ``"max"``: :data:`DISTRIBUTION`).
    """

    indicator: str | None = None
    indicator_column: str | None = None
    period_column: str | None = None
    category: str | None = None
    category_column: str | None = None
    part: str = "value"
    period: str | None = None  # a fixed period for every row (e.g. three months ago)
    total_category: str | None = None  # the value of ``category_column`` that means the figure without category
    staff_column: str | None = None  # the column naming each row's caseworker, for a caseworker's own figure

    def __post_init__(self) -> None:
        if (self.indicator is None) == (self.indicator_column is None):
            raise ResultError("a FigureRef names either indicator or indicator_column")
        if not isinstance(self.part, str) or not self.part:
            raise ResultError(f"FigureRef part {self.part!r} is not one of: value, numerator, denominator, or a name "
                              "in the figure's extra")

    def ref(self, row: dict, team_column: str | None, period: str) -> Ref:
        """The figure one row's cell shows (its value: ``part`` says which of its numbers); ``period`` is the
        report period's, for rows that name none."""
        indicator = self.indicator or row.get(self.indicator_column)
        category = self.category if self.category_column is None else row.get(self.category_column)
        if self.total_category is not None and category == self.total_category:
            category = None
        when = self.period or (row.get(self.period_column) if self.period_column else None) or period
        team = row.get(team_column) if team_column else None
        return Ref(str(indicator), team, when, category)


@dataclass(frozen=True)
class Table:
    """A table of a section: ``frame``'s rows shown under ``columns`` (each :class:`Column` a frame column with
    its kind, bound to a figure by a :class:`FigureRef` where the committee may see it). ``level`` says how
    detailed its rows are and ``team_column`` which column holds a row's team (a null team: the municipality's
    total), so the audience filter shows each reader the rows they may see; ``empty_text`` is shown when
    none are left, ``value_labels`` label cell values (``{"da": ..., "en": ...}`` or a message id).

    ``group_by`` names a column (a team leader's list: the caseworker) whose rows the PDF shows together under a
    line with its value — the column itself not repeated on every row. The frame's rows are put in that order here,
    where the table is made, so the PDF and the JSON cannot differ: the groups by value as "Til handling" orders its
    caseworkers (the rows naming none last), the rows of each in the order the section gave them.
    ``group_empty`` is the line of the rows whose value is null; by default it is made from the column's label,
    "Uden rådgiver" / "No caseworker" under "Rådgiver", "Uden distrikt" under "Distrikt", so a list grouped by
    anything else never says its rows lack a caseworker."""

    id: str
    title: Message
    frame: pl.DataFrame
    columns: tuple[Column, ...]
    level: Level = Level.TEAM
    team_column: str | None = "team"  # rows whose team is null are municipality totals
    note: str | None = None
    empty_text: str = N_("No rows.")
    value_labels: dict[str, Message] = field(default_factory=dict)  # cell value -> label ({da, en} or message id)
    # (column key, indicator, yardstick) of its judged cells: filled in with the verdicts, for the notes under it
    yardsticks: tuple[tuple[str, str, Yardstick], ...] = ()
    group_by: str | None = None  # the PDF's rows grouped under a line per value of this column
    group_empty: Message | None = None  # the line of the rows whose ``group_by`` value is null (None: from its label)

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", _typed(Level, self.level, f"table {self.id!r}: level"))
        coarse = birth_dates_coarsened(self.frame, self.columns)
        if coarse is not self.frame:
            object.__setattr__(self, "frame", coarse)
        if self.group_by is not None and self.group_by in self.frame.columns:
            # made again when the audience filter names the ids ("M-0013 Jakob Knudsen"): ordered again by them
            object.__setattr__(self, "frame", grouped_rows(self.frame, self.group_by))


def birth_dates_coarsened(frame: pl.DataFrame, columns) -> pl.DataFrame:
    """``frame`` with each :attr:`Column.from_birth_date` column's cells on its true rows kept to the month (a date:
    its first day, printed as its month) or left out (a number of days): a day that derives from a birth date tells
    the birth date, which domain.md's disclosure forbids in any pack. The same frame where no column asks."""
    if not any(column.from_birth_date for column in columns):
        return frame
    import polars as pl  # deferred: the config loads this module without Polars; a table's frame has brought it

    changes = []
    for column in columns:
        flag = column.from_birth_date
        if flag is None or column.key not in frame.columns:
            continue
        if flag not in frame.columns:
            raise ResultError(f"column {column.key!r}: from_birth_date names {flag!r}, which the table's frame lacks")
        cell = pl.col(column.key)
        kept = cell.dt.truncate("1mo") if column.kind == Kind.DATE else pl.lit(None, dtype=frame.schema[column.key])
        changes.append(pl.when(pl.col(flag).fill_null(False)).then(kept).otherwise(cell).alias(column.key))
    return frame.with_columns(changes) if changes else frame


def grouped_rows(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """``frame``'s rows by ``column``'s value (null last), each value's rows in the order they came: a grouped list's
    one order, the PDF's and the JSON's (:attr:`Table.group_by`)."""
    return frame.sort(column, nulls_last=True, maintain_order=True)


CHART_KINDS = ("bar", "hbar", "line")
Y_FORMATS = ("share", "count", "number", "money")
# the levels of a verdict (ledinfo.model.verdicts), as every renderer names them
VERDICT_LEVELS = (MET, CLOSE, OFF_TRACK, FEW_CASES)


# A share chart's frame may carry each value's base (the cases it counts) in this column, as data beside ``y``: the
# line under the chart then ranks only the values resting on at least the threshold of cases (domain.md, "The biggest
# risk first"). The committee's pack never sees it (its disclosure drops the column: the bases are counts).
BASE_COLUMN = "denominator"


@dataclass(frozen=True)
class Chart:
    """A chart as data: the renderer turns it into a vector graphic.

    ``kind``: "bar" (categories on x), "hbar" (categories on y), "line"
    (a trend; x is a month). ``y_format``: share, count, number, money.
    ``rules`` are reference lines: (value, English label). ``judged``: each value is coloured by its figure's
    verdict (``Figure.verdict``, bound by ``figure``) and its yardstick is drawn; ``budget``: the column of each
    bar's expected deviation from its budget, which colours it on the budget's own scale (within or over).
    A chart neither judged nor a budget is one neutral colour. A null value is drawn as "no cases" (nothing to
    judge), a hidden one as hidden.
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
    level: Level = Level.TEAM
    team_column: str | None = "team"
    rules: tuple[tuple[float, str], ...] = ()
    band: tuple[float, float, str] | None = None  # a shaded reference range
    takeaway: str | None = None  # one line under the chart, set when narrated
    value_labels: dict[str, Message] = field(default_factory=dict)  # x or series value -> label
    sort_by_value: bool = False  # bars from the highest value down (else in the frame's order)
    figure: FigureRef | None = None  # the figure each y value shows (as Column.figure)
    judged: bool = False  # colour each value by its figure's verdict; False: no verdict, no status colour
    budget: str | None = None  # the column of each bar's expected deviation (+ over, − under) from its budget
    yardsticks: tuple[Yardstick, ...] = ()  # the yardsticks of its values: filled in with the verdicts
    # True: a pack draws its own scope's rows only — a team leader's pack the team's, every other pack the
    # municipality's (team null) — so a team pack never shows the municipality's values as if its own
    own_scope: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", _typed(Level, self.level, f"chart {self.id!r}: level"))
        if self.own_scope and self.team_column is None:
            raise ResultError(f"chart {self.id!r}: own_scope needs a team_column to tell whose each value is")
        if self.judged and self.figure is None:
            raise ResultError(f"chart {self.id!r}: a judged chart shows its figures' verdicts; bind it to them "
                              "(figure=FigureRef(...))")
        if self.judged and self.budget is not None:
            raise ResultError(f"chart {self.id!r}: a budget is no verdict of the same kind: judged or budget, not both")
        if self.kind not in CHART_KINDS:
            raise ResultError(f"chart {self.id!r}: kind {self.kind!r} is not one of: {', '.join(CHART_KINDS)}")
        if self.y_format not in Y_FORMATS:
            raise ResultError(f"chart {self.id!r}: y_format {self.y_format!r} is not one of: {', '.join(Y_FORMATS)}")


@dataclass
class SectionResult:
    """Everything a section found for the period, before the audience filter."""

    section: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # filled by narration, after disclosure
    notes: list[Message | ForReaders] = field(default_factory=list)  # definitions and caveats
    headline: tuple[str, ...] = ()  # indicator ids shown as key figures at the top
    labels: dict[str, Message | dict] = field(default_factory=dict)  # indicator id -> label (id or {da, en})
    relations: list[Relation] = field(default_factory=list)  # sums between its figures a reader can see

    def figure(self, indicator: str, team: str | None = None, staff_id: str | None = None,
               period: str | None = None, category: str | None = None) -> Figure | None:
        """The figure of ``indicator`` for exactly this team, staff member, period (None: the report period) and
        category (None: the whole); None when the result has none (or the audience filter took it out)."""
        for fig in self.figures:  # field by field, the indicator first: no tuple made for each figure passed over
            if fig.indicator == indicator and fig.team == team and fig.period == period and fig.staff_id == staff_id \
                    and fig.category == category:
                return fig
        return None

    def trend(self, indicator: str, team: str | None = None) -> list[Figure]:
        """The figures of ``indicator`` for ``team`` (None: the municipality) that name a period, oldest first."""
        return sorted((f for f in self.figures if f.indicator == indicator and f.team == team
                       and f.staff_id is None and f.category is None and f.period is not None), key=lambda f: f.period)

    def table(self, table_id: str) -> Table | None:
        """The table with this id, None when there is none (or the audience filter took it out)."""
        return next((t for t in self.tables if t.id == table_id), None)

    def chart(self, chart_id: str) -> Chart | None:
        """The chart with this id, None when there is none (or the audience filter took it out)."""
        return next((c for c in self.charts if c.id == chart_id), None)


class DisclosedResult(SectionResult):
    """A section result after the audience filter: the only kind a pack (and so a renderer) accepts.

    Made only by :func:`ledinfo.disclosure.disclose.disclose_pack`, so raw results are out of a renderer's
    reach by their type, not by discipline.
    """



def _value_of(result: SectionResult, ref: Ref):
    """The number ``ref`` names among the result's own figures (None: not one of them)."""
    figure = result.figure(ref.indicator, team=ref.team, period=ref.period, category=ref.category)
    if figure is None:
        return None
    return figure.extra.get(ref.part) if ref.part == "pending" else getattr(figure, ref.part, None)


def validate_result(result: SectionResult) -> None:
    """Check what the types alone cannot: raise :class:`ResultError` saying what is wrong.

    Run right after a section computes, so a broken result never reaches a pack.
    """
    if not isinstance(result, SectionResult):
        raise ResultError(f"compute returned {type(result).__name__}, not a SectionResult")
    problems = []
    for figure in result.figures:
        if not isinstance(figure, Figure):
            problems.append(f"a figure is a {type(figure).__name__}")
            continue
        n, d = figure.numerator, figure.denominator
        if figure.unit == Unit.COUNT and figure.value is not None and (figure.value < 0 or figure.value != int(figure.value)):
            problems.append(f"figure {figure.indicator!r}: a count of {figure.value!r} is no whole number of people")
        if figure.unit == Unit.SHARE and figure.value is not None and not 0 <= figure.value <= 1:
            problems.append(f"figure {figure.indicator!r}: a share of {figure.value!r} lies outside 0–1")
        if figure.unit == Unit.SHARE and n is not None and d is not None and not 0 <= n <= d:
            problems.append(f"figure {figure.indicator!r}: numerator {n} is not between 0 and the denominator {d}")
        if figure.team is not None and not isinstance(figure.team, str):
            problems.append(f"figure {figure.indicator!r}: team {figure.team!r} is not a name")
    for piece in (*result.tables, *result.charts):
        refs = ([(c.key, c.figure) for c in piece.columns] if isinstance(piece, Table)
                else [(piece.y, piece.figure)])
        for key, ref in refs:
            if ref is None:
                continue
            wanted = {key, ref.indicator_column, ref.period_column, ref.category_column} - {None}
            missing = sorted(wanted - set(piece.frame.columns))
            if missing:
                problems.append(f"{type(piece).__name__.lower()} {piece.id!r} binds {key!r} to figures by "
                                f"columns it lacks: {', '.join(missing)}")
    for chart in result.charts:
        if chart.budget is not None and chart.budget not in chart.frame.columns:
            problems.append(f"chart {chart.id!r}: its budget column {chart.budget!r} is not in its frame")
    for relation in result.relations:
        if not isinstance(relation, Relation):
            problems.append(f"relation {relation!r} is no Relation")
        elif not relation.parts and _value_of(result, relation.total) not in (0, None):
            problems.append(f"relation {relation!r} has no parts, so its total must be 0, not "
                            f"{_value_of(result, relation.total)!r}")
    if problems:
        raise ResultError("; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""))
