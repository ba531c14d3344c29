"""Disclosure: what each audience may see, applied to section results before rendering.

The rules are domain.md's "Disclosure" table, and a rule of the product:

- committee: municipality figures only; no case or staff level; counts below
  the threshold (default 5) are suppressed and shown as "<5";
- director: municipality and team level; no case ids, no staff;
- team leader: the municipality and the own team only, including the own
  team's case and staff lists; no other team's rows.

Because the filter runs on the :class:`SectionResult`, the PDF and the JSON
of a pack are made from the same filtered data and always agree.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from ledinfo.config import COMMITTEE, DIRECTOR, TEAM_LEADER
from ledinfo.i18n import N_
from ledinfo.results import CASE, MUNICIPALITY, STAFF, TEAM, Chart, Figure, SectionResult, Table
from ledinfo.sections import View
from ledinfo.team_rows import FORMER, NOT_YET, OTHER_TEAM, TeamRows

SUPPRESSED_SUFFIX = "__suppressed"

VISIBLE_LEVELS = {
    COMMITTEE: {MUNICIPALITY},
    DIRECTOR: {MUNICIPALITY, TEAM},
    TEAM_LEADER: {MUNICIPALITY, TEAM, STAFF, CASE},
}


def suppressed_column(column: str) -> str:
    return column + SUPPRESSED_SUFFIX


def _small(value, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


def _figure_visible(figure: Figure, view: View) -> bool:
    if figure.level not in VISIBLE_LEVELS[view.audience]:
        return False
    if view.audience == TEAM_LEADER and figure.team is not None:
        return figure.team == view.team
    return True


def suppress_figure(figure: Figure, threshold: int) -> Figure:
    """Hide a figure whose count, numerator, denominator or complement is small."""
    if figure.unit == "count":
        return figure.with_(value=None, suppressed=True) if _small(figure.value, threshold) else figure
    if figure.unit == "amount" and _small(figure.extra.get("count"), threshold):
        return figure.with_(value=None, extra={}, suppressed=True)  # an amount about very few children
    if figure.unit in ("share", "rate", "ratio"):
        n, d = figure.numerator, figure.denominator
        complement = d - n if figure.unit == "share" and n is not None and d is not None else None
        small_d = figure.unit == "share" and _small(d, threshold)
        if _small(n, threshold) or _small(complement, threshold) or small_d:
            return figure.with_(value=None, numerator=None, denominator=None if small_d else d, suppressed=True)
    return figure


def _visible_rows(frame: pl.DataFrame, level: str, team_column: str | None, view: View) -> pl.DataFrame | None:
    """The rows ``view`` may see. ``level`` is the most detailed kind of row in
    the frame; rows whose team is null are municipality totals."""
    if level in (STAFF, CASE) and view.audience != TEAM_LEADER:
        return None
    if team_column is None or team_column not in frame.columns:
        # No team column: a municipality table is for everyone; a team-level table
        # laid out wide (teams as columns) can only be shown to directors.
        if level == MUNICIPALITY:
            return frame
        return frame if view.audience == DIRECTOR else None
    team = pl.col(team_column)
    if view.audience == COMMITTEE:
        return frame.filter(team.is_null())
    if view.audience == TEAM_LEADER:
        if level in (STAFF, CASE):
            return frame.filter(team == view.team)
        return frame.filter(team.is_null() | (team == view.team))
    return frame


def suppress_counts(frame: pl.DataFrame, columns: list[str], threshold: int) -> pl.DataFrame:
    """Primary suppression: counts from 1 to threshold-1 become null, flagged in ``<col>__suppressed``."""
    flagged = []
    for column in columns:
        small = (pl.col(column) > 0) & (pl.col(column) < threshold)
        flagged += [small.fill_null(False).alias(suppressed_column(column)),
                    pl.when(small).then(None).otherwise(pl.col(column)).alias(column)]
    return frame.with_columns(flagged) if flagged else frame


def _count_columns(table: Table) -> list[str]:
    return [c.key for c in table.columns if c.kind == "count"] + list(table.hidden_counts)


def _share_columns_from_counts(table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    """A share (or an amount) next to a suppressed count would reveal it, or concern very few children:
    hide it too."""
    counts = _count_columns(table)
    shares = [c.key for c in table.columns if c.kind in ("share", "goal", "money")]
    if not shares or not counts:
        return frame
    any_hidden = pl.any_horizontal(pl.col(suppressed_column(c)) for c in counts)
    updates = []
    for share in shares:
        updates += [any_hidden.alias(suppressed_column(share)),
                    pl.when(any_hidden).then(None).otherwise(pl.col(share)).alias(share)]
    return frame.with_columns(updates)


SHARE_PAIRS = (("numerator", "denominator"), ("before_numerator", "before_denominator"))


def _complement_shares(table: Table, frame: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """A share of n in d also reveals d - n: suppress n when that complement is small."""
    counts = set(_count_columns(table))
    for numerator, denominator in SHARE_PAIRS:
        if not {numerator, denominator} <= counts:
            continue
        complement = pl.col(denominator) - pl.col(numerator)
        small = ((complement > 0) & (complement < threshold)).fill_null(False)
        frame = frame.with_columns(
            (pl.col(suppressed_column(numerator)) | small).alias(suppressed_column(numerator)),
            pl.when(small).then(None).otherwise(pl.col(numerator)).alias(numerator))
    return frame


def _only_total_left(frame: pl.DataFrame, team_column: str | None, level: str) -> bool:
    """A team comparison cut down to its municipality row repeats the key figures: leave it out."""
    return level == TEAM and team_column is not None and team_column in frame.columns and frame.height <= 1


def cross_suppress(frame: pl.DataFrame, keys: tuple[str, str], value: str, threshold: int) -> pl.DataFrame:
    """Complementary suppression of a long frame of counts along two keys (see ledinfo.suppression)."""
    import numpy as np

    from ledinfo.suppression import protect

    if frame.height == 0:
        return frame
    row_key, col_key = keys
    rows = frame[row_key].unique(maintain_order=True).to_list()
    cols = frame[col_key].unique(maintain_order=True).to_list()
    r_index, c_index = {r: i for i, r in enumerate(rows)}, {c: i for i, c in enumerate(cols)}
    matrix = np.zeros((len(rows), len(cols)), dtype=np.int64)
    for r, c, v in frame.select(row_key, col_key, value).iter_rows():
        matrix[r_index[r], c_index[c]] += int(v or 0)
    hidden = protect(matrix, threshold)
    flags = [bool(hidden[r_index[r], c_index[c]]) for r, c in frame.select(row_key, col_key).iter_rows()]
    mask = pl.Series(suppressed_column(value), flags, dtype=pl.Boolean)
    return frame.with_columns(mask, pl.when(mask).then(None).otherwise(pl.col(value)).alias(value))


MARKS = {FORMER: N_("former"), OTHER_TEAM: N_("other team"), NOT_YET: N_("not employed yet")}
HIDDEN_ID = N_("other team")  # an id on a team's row that is not the team's to see: the mark without the id


def mark_ids(frame: pl.DataFrame, columns: list[str], rows: TeamRows, view: View) -> pl.DataFrame:
    """Ids in a team leader's table, as the team's rows define them (ledinfo.team_rows).

    A staff id that is not one of the team's employed caseworkers gets its mark
    ("R025 (fratrådt)"); an id the team may not see (another team's case) is
    replaced by the mark alone. The final guard asks the same ``rows``.
    """
    language = view.language
    labels = {key: language(message) for key, message in MARKS.items()}
    hidden = f"({language(HIDDEN_ID)})"

    def shown(value: str | None) -> str | None:
        if value is None:
            return None
        if not rows.may_see(value):
            return hidden
        mark = rows.marks.get(value)
        return f"{value} ({labels[mark]})" if mark else value

    updates = [pl.col(c).map_elements(shown, return_dtype=pl.String) for c in columns
               if c in frame.columns and frame.schema[c] == pl.String]
    return frame.with_columns(updates) if updates and frame.height else frame


def disclose_table(table: Table, view: View) -> Table | None:
    frame = _visible_rows(table.frame, table.level, table.team_column, view)
    if frame is None or (view.audience == COMMITTEE and _only_total_left(frame, table.team_column, table.level)):
        return None
    if view.audience == COMMITTEE:
        counts = _count_columns(table)
        frame = suppress_counts(frame, counts, view.threshold)
        if table.cross:
            for count in counts:
                frame = cross_suppress(frame, table.cross, count, view.threshold)
        frame = _complement_shares(table, frame, view.threshold) if counts else frame
        frame = _share_columns_from_counts(table, frame)
    ids = [c.key for c in table.columns if c.kind == "id"]
    if ids and view.audience != TEAM_LEADER:
        return None  # a table with ids is case or staff level by nature; never shown above team leaders
    if ids and view.rows is not None:
        frame = mark_ids(frame, ids, view.rows, view)
    return replace(table, frame=frame)


def disclose_chart(chart: Chart, view: View) -> Chart | None:
    frame = _visible_rows(chart.frame, chart.level, chart.team_column, view)
    if frame is None or frame.height == 0:
        return None
    if chart.x == chart.team_column and _only_total_left(frame, chart.team_column, chart.level):
        return None
    if view.audience == COMMITTEE and chart.y_format == "count":
        frame = (cross_suppress(frame, chart.cross, chart.y, view.threshold) if chart.cross
                 else suppress_counts(frame, [chart.y], view.threshold))
    return replace(chart, frame=frame)


def disclose(result: SectionResult, view: View) -> SectionResult:
    """The part of ``result`` that ``view``'s audience may see."""
    figures = [f for f in result.figures if _figure_visible(f, view)]
    if view.audience == COMMITTEE:
        figures = [suppress_figure(f, view.threshold) for f in figures]
    tables = [t for t in (disclose_table(t, view) for t in result.tables) if t is not None]
    charts = [c for c in (disclose_chart(c, view) for c in result.charts) if c is not None]
    return replace(result, figures=figures, tables=tables, charts=charts, texts=[], notes=list(result.notes))
