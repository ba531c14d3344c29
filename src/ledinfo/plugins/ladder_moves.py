"""Built-in section: the children's moves on the ladder of measures ("indsatstrappen") over 12 months.

domain.md "Effect and money": ladder_moves. Each child with an active measure at the end of P or 12 months
earlier is counted once by the move between its highest step then and now: new, up, same, down, ended.
"""

from __future__ import annotations

import polars as pl
from pydantic import Field

from ledinfo.api import (
    CASE,
    LATER,
    MUNICIPALITY,
    N_,
    TEAM,
    Action,
    Chart,
    Column,
    Figure,
    FigureRef,
    Over,
    Ref,
    Relation,
    Section,
    SectionResult,
    Settings,
    Table,
    add_months,
    data_span,
    hookimpl,
    indicator_figures,
    text_in,
)
from ledinfo.api.domain import (
    CATEGORY_LABELS,
    EFFECT_INDICATORS,
    HISTORY_YEARS,
    MOVES,
    active_measures,
    children_by_measure,
    history_labels,
    ladder_moves,
    yearly_periods,
)

MOVE_LABELS = {
    "new": {"da": "Ny foranstaltning", "en": "New measure"},
    "up": {"da": "Rykket op ad trappen", "en": "Moved up"},
    "same": {"da": "Samme trin", "en": "Same step"},
    "down": {"da": "Rykket ned ad trappen", "en": "Moved down"},
    "ended": {"da": "Afsluttet", "en": "Ended"},
}
NOW, THEN = ("new", "up", "same", "down"), ("up", "same", "down", "ended")  # the children with a measure now, then


class LadderSettings(Settings):
    """``[plugins.ladder_moves]``."""

    history_years: int = Field(HISTORY_YEARS, ge=1, le=10)  # the years shown, this one included, as far as the data go


def _counts(indicator: str, frame: pl.DataFrame, column: str, values, period: str | None = None) -> list[Figure]:
    """Children per value of ``column`` (every value, zeros too), for the municipality and per team, and the
    municipality's and each team's total (category None)."""
    figures = []
    counted = frame.group_by("team", column).len()
    for team in [None, *sorted(t for t in frame["team"].unique().to_list() if t is not None)]:
        mine = counted if team is None else counted.filter(pl.col("team") == team)
        by_value = {str(v): int(n) for v, n in mine.group_by(column).agg(pl.col("len").sum()).iter_rows()}
        # a window of 12 months ending at the period's end (Over.END): a quarter's is its last month's, the same
        # number in both packs, decided once
        figures.append(Figure(indicator, sum(by_value.values()), unit="count", team=team, period=period,
                              counts="children", over=Over.END))
        figures += [Figure(indicator, by_value.get(str(v), 0), unit="count", team=team, period=period,
                           category=str(v), counts="children", over=Over.END) for v in values]
    return figures


class LadderMovesSection(Section):
    name = "ladder_moves"
    title = N_("Moves on the ladder of measures")
    description = "Children's moves on the indsatstrappe over 12 months (new, up, same, down, ended), by team and " \
                  "by year; a team's children who moved up in the period."
    requires = ("cases", "measures")

    def compute(self, context) -> SectionResult:
        extract, period = context.extract, context.period
        measures, cases = extract["measures"], extract["cases"]
        then = add_months(period.end, -12)
        result = SectionResult(self.name, self.title, headline=("ladder_down", "ladder_up", "ladder_now"),
                               labels={"ladder_down": N_("Children moved down the ladder, 12 months"),
                                       "ladder_up": N_("Children moved up the ladder, 12 months"),
                                       "ladder_children": N_("Children with a measure now or 12 months ago"),
                                       "ladder_moves": N_("Children by move on the ladder, 12 months"),
                                       "ladder_now": N_("Children with a measure now"),
                                       "ladder_then": N_("Children with a measure 12 months ago")})
        moves = ladder_moves(measures, cases, period.end, then)
        # the tiles' moves up and down are counted on the same children as the sentence's moves and the team's list
        # (one frame, one window: the 12 months up to the period's end), so the three cannot tell different numbers
        for move in ("down", "up"):
            result.figures += _counts(f"ladder_{move}", moves.filter(pl.col("move") == move), "move", ())
        result.figures += _counts("ladder_children", moves, "move", ())
        result.figures += [f.with_(indicator="ladder_moves") for f in _counts("ladder_moves", moves, "move", MOVES)
                           if f.category is not None]
        result.figures += _counts("ladder_now", moves.filter(pl.col("move") != "ended"), "move", ())
        result.figures += _counts("ladder_then", moves.filter(pl.col("move") != "new"), "move", ())
        result.relations += [
            Relation(Ref("ladder_children"), tuple(Ref("ladder_moves", category=m) for m in MOVES)),
            Relation(Ref("ladder_now"), tuple(Ref("ladder_moves", category=m) for m in NOW)),
            Relation(Ref("ladder_then"), tuple(Ref("ladder_moves", category=m) for m in THEN)),
            Relation(Ref("ladder_up"), (Ref("ladder_moves", category="up"),)),
            Relation(Ref("ladder_down"), (Ref("ladder_moves", category="down"),))]
        self._measures_mix(result, context)
        self._history(result, context)
        self._tables(result)
        self._moved_up(result, moves)
        result.notes.append(N_("The ladder (indsatstrappen): 1 preventive; 2 foster or network family, own room; 3 "
                               "residential home; 4 residential institution. A child stands on the highest step of its "
                               "measures; a move compares the end of the period with 12 months earlier (down: a lower "
                               "step, still with a measure; ended: no measure now)."))
        return result

    def _measures_mix(self, result: SectionResult, context) -> None:
        """The children with a measure now are, in number, the measures section's preventive and placed children
        whenever no child has both (as a reader would take them to be): then a reader who sees both could subtract
        a hidden move. Found in the numbers, as the spans of a quarter are: a relation that holds declares one
        more sum to protect, never one less."""
        extract = context.extract
        children = children_by_measure(active_measures(extract["measures"], extract["cases"], context.period.end))
        now = result.figure("ladder_now")
        if now is not None and int(children["placed"].sum()) + int(children["preventive"].sum()) == now.value:
            result.relations.append(Relation(Ref("ladder_now"), (Ref("preventive"), Ref("placements"))))

    def _history(self, result: SectionResult, context) -> None:
        span = data_span(context.extract)
        years = yearly_periods(context.period, context.settings(LadderSettings).history_years,
                               span.first if span else None, twelve_months=True)
        rows = []
        for year in years:
            when = None if year == context.period else str(year)
            if when is not None:
                for indicator in ("ladder_down", "ladder_up"):
                    result.figures += indicator_figures(indicator, context, year)
            rows.append({"year": str(year), "period": when, **{
                move: _value(result, f"ladder_{move}", period=when) for move in ("down", "up")}})
        result.tables.append(Table(
            "ladder_by_year", N_("Children who moved on the ladder, by year"),
            pl.DataFrame(rows, schema={"year": pl.String, "period": pl.String, "down": pl.Int64, "up": pl.Int64}),
            (Column("year", N_("Year")),
             Column("down", N_("Moved down"), "count", FigureRef("ladder_down", period_column="period")),
             Column("up", N_("Moved up"), "count", FigureRef("ladder_up", period_column="period"))),
            level=MUNICIPALITY, team_column=None, value_labels=history_labels(years, twelve_months=True)))

    def _tables(self, result: SectionResult) -> None:
        frame = pl.DataFrame({"move": list(MOVES), "count": [_value(result, "ladder_moves", category=m) for m in MOVES]},
                             schema={"move": pl.String, "count": pl.Int64})
        result.charts.append(Chart(
            "ladder_moves", N_("Children's moves on the ladder over 12 months, whole municipality"), "hbar", frame,
            x="move", y="count", y_title=N_("Children"), y_format="count", level=MUNICIPALITY, team_column=None,
            value_labels=MOVE_LABELS, figure=FigureRef("ladder_moves", category_column="move")))
        teams = sorted({f.team for f in result.figures if f.team is not None and f.indicator == "ladder_moves"})
        rows = [{"team": team, **{m: _value(result, "ladder_moves", team, category=m) or 0 for m in MOVES}}
                for team in teams]
        rows.append({"team": None, **{m: _value(result, "ladder_moves", category=m) for m in MOVES}})
        result.tables.append(Table(
            "ladder_by_team", N_("Children's moves on the ladder by team, 12 months"),
            pl.DataFrame(rows, schema={"team": pl.String, **{m: pl.Int64 for m in MOVES}}),
            (Column("team", N_("Team")), *(Column(m, MOVE_LABELS[m], "count", FigureRef("ladder_moves", category=m))
                                          for m in MOVES)),
            level=TEAM))

    def _moved_up(self, result: SectionResult, moves: pl.DataFrame) -> None:
        """A team leader's children who moved up the ladder: the rows of ``moves`` the tile and the sentence count
        (the 12 months up to the period's end), each on its case with its caseworker, the earliest step-up first."""
        up = moves.filter(pl.col("move") == "up").sort("started_now", "case_id")
        result.tables.append(Table(
            "moved_up", N_("Children who moved up the ladder over the last 12 months"),
            up.select("team", "case_id", "caseworker_id", "category_then", "category_now", "started_now"),
            (Column("case_id", N_("Case"), "id"), Column("caseworker_id", N_("Caseworker"), "id"),
             Column("category_then", N_("12 months ago")), Column("category_now", N_("Now")),
             Column("started_now", N_("Since"), "date")),
            level=CASE, value_labels=CATEGORY_LABELS,
            empty_text=N_("No child of the team moved up the ladder over the last 12 months."),
            group_by="caseworker_id"))

    def indicators(self, rules):
        return [EFFECT_INDICATORS[i] for i in ("ladder_up", "ladder_down")]

    def narrate(self, result, view) -> list[str]:
        t = view.language
        own = view.team
        figures = {m: result.figure("ladder_moves", team=own, category=m) for m in MOVES}
        if any(f is None for f in figures.values()):
            return [t("No child had a measure now or 12 months ago.")]
        texts = []
        shown = {m: f.value for m, f in figures.items() if not f.suppressed}
        # a team's "none" says it is the team's ("intet barn i teamet"); a team with no child on the ladder then
        # or now says that once
        team = own is not None
        if team and len(shown) == len(MOVES) and not any(shown.values()):
            return [t("No child of the team had a measure now or 12 months ago.")]
        if "down" in shown and "up" in shown and not shown["down"] and not shown["up"]:
            texts.append(t(N_("Over the last 12 months no child of the team moved down or up the ladder.") if team
                           else N_("Over the last 12 months no child moved down or up the ladder.")))
        elif "down" in shown and "up" in shown:
            texts.append(t("Over the last 12 months {down} moved down the ladder and {up} moved up.",
                           down=_children(t, shown["down"]), up=_children(t, shown["up"])))
        elif "down" in shown or "up" in shown:
            texts.append(t("Some of the moves up and down the ladder are not shown: they would reveal a number below "
                           "{threshold}.", threshold=view.threshold))
        if "ended" in shown:
            texts.append(t.plural("{count} child no longer has a measure.", "{count} children no longer have a measure.",
                                  shown["ended"],
                                  none=N_("No child of the team who had a measure 12 months ago is without one now.")
                                  if team else N_("No child who had a measure 12 months ago is without one now.")))
        if "new" in shown:
            texts.append(t.plural("{count} child has got a first measure.", "{count} children have got a first measure.",
                                  shown["new"], none=N_("No child of the team has got a first measure.") if team
                                  else N_("No child has got a first measure.")))
        return texts

    def actions(self, result, view) -> list[Action]:
        """Each child of the team that moved up the ladder over the 12 months (the list's rows), on its case with its
        caseworker: a case to look at."""
        t = view.language
        table = result.table("moved_up")
        if table is None:
            return []
        return [Action(t("moved up the ladder from {before} to {now} on {date}; look at whether the child can move "
                         "down again", before=text_in(t, CATEGORY_LABELS[row["category_then"]]).lower(),
                         now=text_in(t, CATEGORY_LABELS[row["category_now"]]).lower(), date=t.date(row["started_now"])),
                       LATER, row["case_id"], row["caseworker_id"], row["started_now"], text_in(t, table.title))
                for row in table.frame.sort("started_now", "case_id").iter_rows(named=True)]


def _value(result: SectionResult, indicator: str, team: str | None = None, period: str | None = None,
           category: str | None = None):
    figure = result.figure(indicator, team=team, period=period, category=category)
    return None if figure is None else figure.value


def _children(t, count: int) -> str:
    """ "1 barn", "2 børn"; "intet barn" for none."""
    return t.plural("{count} child", "{count} children", count, none=N_("no child"))


@hookimpl
def ledinfo_register_sections(register):
    register(LadderMovesSection())


@hookimpl
def ledinfo_register_settings(register):
    register(LadderSettings)
