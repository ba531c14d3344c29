"""Disclosure: what each audience may see, decided once for the whole pack, before anything is rendered.

The rules are domain.md's "Disclosure" table, a rule of the product:

- committee: municipality figures only, no case or staff level; protected counts
  below the threshold (default 5) are hidden ("<5"), and more numbers are hidden
  so that none can be worked out from what is shown (complementary suppression,
  proven by :mod:`ledinfo.disclosure.audit` over every relation the pack shows);
- director: municipality and team level; no case ids, no staff;
- team leader: the municipality and the own team, including the team's rows
  (:mod:`ledinfo.disclosure.team_rows`); no other team's rows.

How a leak is kept from being written rather than caught afterwards: every number
the committee sees in a table or chart is *bound* to a figure (``Column.figure``,
``Chart.figure``) and filled in here from the disclosed figures, so what a figure
hides no table, chart, takeaway or sentence can show. A committee table or chart
with a count or a share that is bound to no figure is left out of the pack.
Narration, takeaways and the summary are written afterwards, from this output.
"""

from __future__ import annotations

import heapq
import logging
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from functools import lru_cache

import polars as pl

from ledinfo.disclosure.series import Series, decide_pack
from ledinfo.disclosure.staff import staff_note, staff_statistics
from ledinfo.disclosure.team_rows import TeamRows
from ledinfo.disclosure.view import View
from ledinfo.errors import PackError
from ledinfo.model.audiences import audience
from ledinfo.model.period import Period
from ledinfo.model.results import (
    BASE_COLUMN,
    CASE,
    DISTRIBUTION,
    FEW_STAFF,
    MUNICIPALITY,
    OTHER,
    PARTS,
    STAFF,
    STAFF_BASE,
    TEAM,
    Chart,
    DisclosedResult,
    Figure,
    FigureRef,
    Kind,
    Ref,
    Relation,
    SectionResult,
    Table,
)

log = logging.getLogger("ledinfo.disclosure.disclose")

# A table's or chart's hidden cells: "<column>__suppressed" holds SMALL or OTHER (null: shown).
SUPPRESSED_SUFFIX = "__suppressed"

# Committee cells that must be bound to a figure: numbers of people and shares that can reveal them.
PROTECTED_KINDS = (Kind.COUNT, Kind.SHARE, Kind.GOAL)


def suppressed_column(column: str) -> str:
    return column + SUPPRESSED_SUFFIX


# --- which figures an audience sees --------------------------------------------------------------

def _figure_visible(figure: Figure, view: View) -> bool:
    record = audience(view.audience)
    if figure.level not in record.levels:
        return False
    if record.per_team and figure.team is not None:
        return figure.team == view.team
    return True


def _own_team_in_full(figures: list[Figure], view: View) -> list[Figure]:
    """A team pack's figures with the team's own where the section breaks a figure down by team but the
    team has none of it (no notifications, no placements): 0 of a count, no cases for a share.

    The PDF shows the team's figure in that place (:func:`ledinfo.words.formatting.own_figure`); given
    here, the JSON says the same number, and a sentence or a takeaway can name it.
    """
    by_team = {(f.indicator, f.period, f.category) for f in figures if f.team is not None and f.staff_id is None}
    own = {(f.indicator, f.period, f.category) for f in figures if f.team == view.team and f.staff_id is None}
    return figures + [f.none_for(view.team) for f in figures
                      if f.team is None and f.staff_id is None and (key := (f.indicator, f.period, f.category))
                      in by_team and key not in own]


@dataclass(frozen=True)
class TeamFigures:
    """A section's figures arranged by team once, for all the team leaders' packs of a build. A team leader sees
    the figures of no team and the own team's (:func:`_figure_visible`); a section of a large municipality holds
    every team's figure of every trend month, so going through all of them for each team's pack made the packs'
    disclosure grow with the square of the teams. :meth:`in_full` gives a team's in a pass over its own."""

    common: list[tuple[int, Figure]]  # the figures of no team, each with its place among the section's figures
    by_team: dict[str, list[tuple[int, Figure]]]  # each team's figures, with their places
    broken_down: frozenset[tuple]  # (indicator, period, category) some team has a figure of (no staff member's)

    @classmethod
    def of(cls, figures: list[Figure]) -> TeamFigures:
        common, by_team, broken_down = [], {}, set()
        for place, figure in enumerate(figures):
            if figure.team is None:
                common.append((place, figure))
                continue
            by_team.setdefault(figure.team, []).append((place, figure))
            if figure.staff_id is None:
                broken_down.add((figure.indicator, figure.period, figure.category))
        return cls(common, by_team, frozenset(broken_down))

    def in_full(self, team: str) -> list[Figure]:
        """:func:`_own_team_in_full` of the section's figures for ``team``'s pack without the other teams'
        figures (which its audience filter drops): the rest in the same order, the same figures added."""
        own_figures = self.by_team.get(team, [])
        own = {(f.indicator, f.period, f.category) for _, f in own_figures if f.staff_id is None}
        in_place = [figure for _, figure in heapq.merge(self.common, own_figures, key=lambda pair: pair[0])]
        return in_place + [f.none_for(team) for _, f in self.common
                           if f.staff_id is None and (key := (f.indicator, f.period, f.category)) in self.broken_down
                           and key not in own]


def _visible_rows(frame: pl.DataFrame, level: str, team_column: str | None, view: View) -> pl.DataFrame | None:
    """The rows ``view`` may see. ``level`` is the most detailed kind of row in
    the frame; rows whose team is null are municipality totals."""
    record = audience(view.audience)
    if level in (STAFF, CASE) and level not in record.levels:
        return None  # (a team-level table with a team column still has its municipality rows)
    if team_column is None or team_column not in frame.columns:
        # No team column: a municipality table is for everyone; a team-level table
        # laid out wide (teams as columns) can only be shown to directors.
        if level == MUNICIPALITY:
            return frame
        return frame if TEAM in record.levels and not record.per_team else None
    team = pl.col(team_column)
    if TEAM not in record.levels:
        return frame.filter(team.is_null())
    if record.per_team:
        if level in (STAFF, CASE):
            return frame.filter(team == view.team)
        return frame.filter(team.is_null() | (team == view.team))
    return frame


# --- a team's ids ---------------------------------------------------------------------------------

def mark_ids(frame: pl.DataFrame, columns: list[str], rows: TeamRows, view: View) -> pl.DataFrame:
    """Ids in a team leader's table, as the team's rows define them (ledinfo.disclosure.team_rows).

    A staff id gets its name where the extract has one and the audience sees names ("R025 Mette
    Hansen"); one that is not one of the team's employed caseworkers gets its mark ("R025 (fratrådt)");
    an id the team may not see (another team's case) is replaced by the mark alone. The final guard
    asks the same ``rows``.
    """
    names = audience(view.audience).sees_staff_names
    if not frame.height:
        return frame
    # each distinct id once, then replaced in the column (a null stays null): every team pack marks its tables'
    # ids, and a Python call per cell through map_elements was most of its tables' disclosure
    updates = [pl.col(c).replace_strict({value: rows.shown(value, view.language, names)
                                         for value in frame[c].drop_nulls().unique().to_list()},
                                        default=None, return_dtype=pl.String)
               for c in columns if c in frame.columns and frame.schema[c] == pl.String]
    return frame.with_columns(updates) if updates else frame


# --- the committee's protection, over the whole pack -------------------------------------------------

class AuditError(PackError):
    """A hidden number of a committee pack could be worked out from what it shows; nothing was written."""

    def __init__(self, problem: str):
        super().__init__(f"the committee's protection failed its audit: {problem}. Nothing was written; "
                         "this is a bug in a section's relations or in ledinfo: please report it.")


@dataclass(frozen=True)
class Protection:
    """The committee's decision for a pack: every number hidden, and how it is shown."""

    hidden: dict[Ref, str]  # the number -> SMALL or OTHER
    period: str  # the report period: a Ref with period None means it


def ref_of(figure: Figure, part: str = "value", period: str | None = None) -> Ref:
    return _ref(figure.indicator, figure.team, figure.period or period, figure.category, part)


# Each pack looks up every figure it shows by its Ref, twice (the disclosure, the verdicts' cells): a frozen
# dataclass's __init__ cost three times the look-up of one made before (a Ref is immutable, so one serves all)
_ref = lru_cache(maxsize=1 << 16)(Ref)


def protect(figures: dict[str, list[Figure]], relations: dict[str, list[Relation]], period: Period,
            threshold: int, series: Series | None = None) -> Protection:
    """The committee's decision for a pack, as the whole series of its packs decides it
    (:func:`ledinfo.disclosure.series.decide_pack`)."""
    try:
        catalogue, decisions = decide_pack(figures, relations, period, threshold, series)
    except ValueError as problem:  # a relation naming no figure, or broken by its numbers: the section's bug
        raise AuditError(str(problem)) from None
    for problem in decisions.problems:
        log.warning("committee protection: %s; hidden", problem)
    hidden = {ref: how for ref, key in catalogue.refs.items() if (how := decisions.hidden.get(key))}
    return Protection(hidden, str(period))


# What a figure may carry beside its value to the committee: settings and words, no counts.
SETTINGS = ("target", "direction", "status", "projection", "forecast", "annual_budget", "month", "theme",
            "local")  # settings and facts about a rule, never numbers from the data


def hide(figure: Figure, protection: Protection) -> Figure:
    """The figure as the committee sees it."""
    shown_as = protection.hidden.get(ref_of(figure, "value", protection.period))
    settings = {k: v for k, v in figure.extra.items() if k in SETTINGS}
    if shown_as is None:
        # what a figure carries beside its value reaches the committee only if it is a setting or a
        # number the protection decided on (pending items): a count in ``extra`` could give one away
        decided = {"pending": figure.extra["pending"]} if "pending" in figure.extra else {}
        return figure.with_(extra={**settings, **decided})
    return figure.with_(value=None, numerator=None, denominator=None, suppressed=True, hidden_as=shown_as,
                        extra={k: v for k, v in settings.items() if k in ("target", "direction")})


# --- tables and charts from the disclosed figures ---------------------------------------------------

def _figure_cells(frame: pl.DataFrame, ref: FigureRef, team_column: str | None,
                  figures: dict[Ref, Figure], period: str) -> tuple[list, list]:
    """The bound column's values, each from its figure, and the hidden flags."""
    values, flags = [], []
    for row in frame.iter_rows(named=True):
        figure = figures.get(ref.ref(row, team_column, period))
        if figure is None or figure.suppressed:
            values.append(None)
            flags.append(figure.hidden_as if figure is not None else OTHER)
        else:
            values.append(figure.part(ref.part))
            flags.append(None)
    return values, flags


def _hidden_as(figure: Figure | None, part: str) -> str | None:
    """How a cell bound to ``figure``'s ``part`` is hidden from an audience that sees the numbers as computed
    (directors, team leaders): as its figure is (a team's caseload resting on one caseworker), or, for a statistic
    over caseworkers whose spread the audience may not see, a value of the spread (:mod:`ledinfo.disclosure.staff`)."""
    if figure is None:
        return None
    if figure.suppressed:
        return figure.hidden_as
    if part not in PARTS and part in DISTRIBUTION and STAFF_BASE in figure.extra and part not in figure.extra:
        return FEW_STAFF
    return None


def _hide_cells(frame: pl.DataFrame, bound: dict[str, FigureRef], team_column: str | None,
                figures: dict[Ref, Figure], period: str) -> pl.DataFrame:
    """``frame`` with the cells of bound columns whose figure the disclosure hid from an audience that sees the
    numbers as computed emptied and flagged, each as the figure is hidden; the rest as the section made them."""
    updates = []
    for column, ref in bound.items():
        if column not in frame.columns:
            continue
        flags = [_hidden_as(figures.get(ref.ref(row, team_column, period)), ref.part)
                 for row in frame.iter_rows(named=True)]
        if any(flags):
            hidden = pl.Series(suppressed_column(column), flags, dtype=pl.String)
            updates += [pl.when(hidden.is_not_null()).then(None).otherwise(pl.col(column)).alias(column), hidden]
    return frame.with_columns(updates) if updates else frame


def _bind(frame: pl.DataFrame, bound: dict[str, FigureRef], team_column: str | None,
          figures: dict[Ref, Figure], period: str) -> pl.DataFrame:
    updates, any_hidden = [], None
    for column, ref in bound.items():
        values, flags = _figure_cells(frame, ref, team_column, figures, period)
        updates += [pl.Series(column, values, dtype=frame.schema[column] if column in frame.columns else None,
                              strict=False),
                    pl.Series(suppressed_column(column), flags, dtype=pl.String)]
        row_hidden = pl.Series([flag is not None for flag in flags], dtype=pl.Boolean)
        any_hidden = row_hidden if any_hidden is None else any_hidden | row_hidden
    return frame.with_columns(updates), any_hidden


def _disclose_table(table: Table, view: View, figures: dict[Ref, Figure], period: str,
                    staff_hidden: bool = False) -> Table | None:
    frame = _visible_rows(table.frame, table.level, table.team_column, view)
    if frame is None:
        return None
    ids = [c.key for c in table.columns if c.kind == Kind.ID]
    if ids and not audience(view.audience).sees_ids:
        return None  # a table with ids is case or staff level by nature
    if audience(view.audience).protected:
        if table.level == TEAM and table.team_column is not None and frame.height <= 1:
            return None  # a team comparison cut down to its municipality row repeats the key figures
        unbound = [c.key for c in table.columns if c.kind in PROTECTED_KINDS and c.figure is None]
        if unbound:
            log.warning("table %s left out of the committee pack: %s bound to no figure", table.id, unbound)
            return None
        bound = {c.key: c.figure for c in table.columns if c.figure is not None}
        if bound:
            frame, hidden_rows = _bind(frame, bound, table.team_column, figures, period)
            derived = [c.key for c in table.columns if c.kind == Kind.STATUS and c.key in frame.columns]
            if derived and hidden_rows is not None:  # a traffic light tells what its hidden value is near
                frame = frame.with_columns(
                    [pl.when(hidden_rows).then(None).otherwise(pl.col(c)).alias(c) for c in derived]
                    + [pl.when(hidden_rows).then(pl.lit(OTHER)).otherwise(None).alias(suppressed_column(c))
                       for c in derived])
    elif staff_hidden and table.level in (MUNICIPALITY, TEAM):
        frame = _hide_cells(frame, {c.key: c.figure for c in table.columns if c.figure is not None},
                            table.team_column, figures, period)
    if ids and view.rows is not None:
        frame = mark_ids(frame, ids, view.rows, view)
    return replace(table, frame=frame)


def _own_scope(frame: pl.DataFrame, team_column: str, view: View) -> pl.DataFrame:
    """A chart's rows of the pack's own scope (Chart.own_scope): the team's in a team leader's pack, else
    the municipality's."""
    if team_column not in frame.columns:
        return frame
    team = pl.col(team_column)
    return frame.filter(team == view.team if audience(view.audience).per_team else team.is_null())


def _disclose_chart(chart: Chart, view: View, figures: dict[Ref, Figure], period: str,
                    staff_hidden: bool = False) -> Chart | None:
    frame = _own_scope(chart.frame, chart.team_column, view) if chart.own_scope else chart.frame
    frame = _visible_rows(frame, chart.level, chart.team_column, view)
    if frame is None or frame.height == 0:
        return None
    protected = audience(view.audience).protected
    if chart.x == chart.team_column and chart.level == TEAM and chart.team_column is not None \
            and protected and frame.height <= 1:
        return None
    if protected:
        frame = frame.drop(BASE_COLUMN, strict=False)  # the values' bases are counts the committee is not shown
        if chart.figure is None:
            if chart.y_format in ("count", "share"):
                log.warning("chart %s left out of the committee pack: its values are bound to no figure", chart.id)
                return None
            return replace(chart, frame=frame)
        frame, _ = _bind(frame, {chart.y: chart.figure}, chart.team_column, figures, period)
    elif staff_hidden and chart.figure is not None and chart.level in (MUNICIPALITY, TEAM):
        frame = _hide_cells(frame, {chart.y: chart.figure}, chart.team_column, figures, period)
    if chart.level == STAFF and view.rows is not None:  # a staff-level chart's categories are staff ids
        frame = mark_ids(frame, [chart.x], view.rows, view)
    return replace(chart, frame=frame)


# --- the pack ---------------------------------------------------------------------------------------

def disclose_pack(results: list[SectionResult], view: View, series: Series | None = None,
                  by_team: dict[str, TeamFigures] | None = None) -> list[DisclosedResult]:
    """The part of every result that ``view``'s audience may see, decided together: a number hidden in
    one section is hidden in every other, and in every table and chart that shows it; for the committee,
    as the whole series of its packs decides it (``series``: see :func:`protect`). ``by_team``: the results'
    figures arranged by team (:class:`TeamFigures`, by section), when the caller made them for its team packs."""
    period = str(view.period) if view.period is not None else ""
    in_full = audience(view.audience).per_team and view.team is not None

    def candidates(result: SectionResult) -> list[Figure]:
        if not in_full:
            return result.figures
        if by_team is not None and result.section in by_team:
            return by_team[result.section].in_full(view.team)
        return _own_team_in_full(result.figures, view)

    visible = {r.section: [f for f in candidates(r) if _figure_visible(f, view)] for r in results}
    # no caseworker's own figure outside the team leader's pack: before the committee's protection, which decides on
    # the numbers as computed (its relations hold between them), and its hiding keeps what this hid
    seen, staff_hidden = staff_statistics(visible, view)
    if audience(view.audience).protected:
        protection = protect(visible, {r.section: r.relations for r in results}, view.period, view.threshold, series)
        seen = {name: [hide(f, protection) for f in figures] for name, figures in seen.items()}
    visible = seen
    by_ref = {ref_of(f, period=period): f for figures in visible.values() for f in figures}
    disclosed = []
    for result in results:
        hid = result.section in staff_hidden
        tables = [t for t in (_disclose_table(t, view, by_ref, period, hid) for t in result.tables) if t is not None]
        charts = [c for c in (_disclose_chart(c, view, by_ref, period, hid) for c in result.charts) if c is not None]
        fields = {f.name: getattr(result, f.name) for f in dataclass_fields(SectionResult)}
        notes = [view.pick(note) for note in result.notes] + ([staff_note(view)] if hid else [])
        disclosed.append(DisclosedResult(**{**fields, "figures": visible[result.section], "tables": tables,
                                            "charts": charts, "texts": [], "notes": notes}))
    return disclosed


def disclose(result: SectionResult, view: View) -> DisclosedResult:
    """One result on its own (a pack of one section)."""
    return disclose_pack([result], view)[0]
