"""ledinfo-efterværn: young people leaving care — the meetings at 16, 17½ and 18, and education or work."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from pydantic import Field

from ledinfo.api import (
    CASE,
    TEAM,
    Basis,
    Chart,
    Column,
    FigureRef,
    ForReaders,
    Indicator,
    Over,
    Section,
    SectionResult,
    Settings,
    Table,
    Yardstick,
    add_months,
    hookimpl,
    share_figures,
    share_text,
    shared,
)

OCCUPATIONS = ("uddannelse", "beskaeftigelse", "ingen")


class EftervaernSettings(Settings):
    """``[plugins.eftervaern]``: how far ahead the list of coming transitions looks, and what counts as occupied."""

    horizon_months: int = Field(6, ge=1, le=24, description="months ahead in the list of coming transitions")
    occupied: list[str] = Field(["uddannelse", "beskaeftigelse"],
                                description="occupation values that count as education or work")
# each indicator's name under a heading that says its window (the table's and the chart's rows)
STEP_LABELS = {
    "youth_plan_16": "Youth plan by 16",
    "youth_decision_by_17_5": "Decision on youth support by 17½",
    "support_after_18": "Support continuing after 18",
    "in_education_or_work": "Young people 18–22 in education or work",
}
# and standing alone (a tile, a sentence, a goal): the transitions are the last 12 months', which the name says, as
# the compliance section's deadline of the same name judges the month alone and shows another share
LABELS = {
    "youth_plan_16": "Youth plan by 16, last 12 months",
    "youth_decision_by_17_5": "Decision on youth support by 17½, last 12 months",
    "support_after_18": "Support continuing after 18, last 12 months",
    "in_education_or_work": "Young people 18–22 in education or work",
}
# what each counts over: the transitions of the last 12 months up to the period's end (the compliance section counts
# the same decisions at 17½ quarter by quarter, which the committee's protection ties the window to), and the young
# people 18–22 as they are on its last day
OVER = {"youth_plan_16": Over.WINDOW, "youth_decision_by_17_5": Over.WINDOW, "support_after_18": Over.WINDOW,
        "in_education_or_work": Over.END}

# The law's yardstick of the one transition that is a legal duty: the decision on youth support by 17½ (Barnets Lov
# § 111, SEL § 68 stk. 11 before 2024), declared as the compliance section's deadline of the same rule declares its
# own (every deadline kept), so the 12 months' share is judged as the month's is. The other transitions are the
# model's steps, not the law's: an annual goal ([[plugins.goals.goal]]) may judge them.
STANDARDS = {"youth_decision_by_17_5": Yardstick("youth_decision_by_17_5", Basis.LAW, 1.0, "at_least",
                                                 "every deadline kept")}


def _placements(measures: pl.DataFrame) -> pl.DataFrame:
    return measures.filter(pl.col("category").str.starts_with("anbringelse"))


def _placed_on(cases: pl.DataFrame, placements: pl.DataFrame, day_column: str) -> pl.DataFrame:
    """Cases with a placement running on the day in ``day_column``."""
    running = (placements.join(cases.select("case_id", day_column), on="case_id")
               .filter((pl.col("started_on") <= pl.col(day_column))
                       & (pl.col("ended_on").is_null() | (pl.col("ended_on") > pl.col(day_column))))
               .select("case_id").unique())
    return cases.join(running, on="case_id")


def milestones(cases: pl.DataFrame) -> pl.DataFrame:
    return cases.with_columns(
        pl.col("birth_date").dt.offset_by("16y").alias("day_16"),
        pl.col("birth_date").dt.offset_by("210mo").alias("day_17_5"),
        pl.col("birth_date").dt.offset_by("18y").alias("day_18"),
    )


def _done_by(cases: pl.DataFrame, activities: pl.DataFrame, kind: str, deadline: str) -> pl.Series:
    firsts = activities.filter(pl.col("kind") == kind).group_by("case_id").agg(pl.col("date").min().alias("first"))
    joined = cases.select("case_id", deadline).join(firsts, on="case_id", how="left")
    return (joined["first"].is_not_null() & (joined["first"] <= joined[deadline])).fill_null(False)


def transitions(extract, period, occupied=("uddannelse", "beskaeftigelse")) -> dict[str, pl.DataFrame]:
    """Per indicator, one row per young person in its denominator, with ``met``."""
    as_of, window_start = period.end, add_months(period.end, -12)
    cases = milestones(extract["cases"])
    placements = _placements(extract["measures"])
    activities = extract["activities"]
    in_window = lambda column: pl.col(column).is_between(window_start + dt.timedelta(days=1), as_of)  # noqa: E731
    result = {}

    sixteen = _placed_on(cases.filter(in_window("day_16")), placements, "day_16")
    sixteen = sixteen.with_columns(pl.col("day_16").dt.offset_by("3mo").alias("plan_due"))
    sixteen = sixteen.filter(pl.col("plan_due") <= as_of)  # a plan not yet due is not judged
    result["youth_plan_16"] = sixteen.with_columns(_done_by(sixteen, activities, "ungeplan", "plan_due").alias("met"))

    half = _placed_on(cases.filter(in_window("day_17_5")), placements, "day_17_5")
    result["youth_decision_by_17_5"] = half.with_columns(
        _done_by(half, activities, "ungestoette_afgoerelse", "day_17_5").alias("met"))

    eighteen = _placed_on(cases.filter(in_window("day_18")), placements, "day_17_5")
    after = (extract["measures"].join(eighteen.select("case_id", "day_18"), on="case_id")
             .filter((pl.col("started_on") <= pl.col("day_18").dt.offset_by("3mo"))
                     & (pl.col("ended_on").is_null() | (pl.col("ended_on") > pl.col("day_18") + pl.duration(days=1))))
             .select("case_id").unique().with_columns(pl.lit(True).alias("met")))
    result["support_after_18"] = (eighteen.join(after, on="case_id", how="left")
                                  .with_columns(pl.col("met").fill_null(False)))

    if "occupation" in extract["cases"].columns:
        adults = cases.filter((pl.col("day_18") <= as_of) & (pl.col("birth_date").dt.offset_by("23y") > as_of))
        ever = (placements.join(adults.select("case_id", "birth_date"), on="case_id")
                .filter(pl.col("ended_on").is_null() | (pl.col("ended_on") > pl.col("birth_date").dt.offset_by("15y")))
                .select("case_id").unique())
        young = adults.join(ever, on="case_id")
        occupation = young["occupation"].str.to_lowercase().str.replace_all("æ", "ae")
        result["in_education_or_work"] = young.with_columns(
            occupation.is_in(list(occupied)).fill_null(False).alias("met"))
    return result


# The steps of the list of coming transitions: the milestone's day, the step's code (a JSON cell holds the code, the
# PDF its name in the pack's language) and the activity that does it. The decision at 17½ is the compliance section's
# rule youth_decision_17_5: its code, and its name from the rule catalogue (``step_names``), so the deadline lists,
# "Til handling" and this list name it alike. The 18th birthday is an event, not a step: never done beforehand.
YOUTH_DECISION = "youth_decision_17_5"
STEPS = (("day_16", "youth_plan_16", "ungeplan"), ("day_17_5", YOUTH_DECISION, "ungestoette_afgoerelse"),
         ("day_18", "turns_18", None))


def step_names(rules) -> dict:
    """Each step's code -> its name (a message id of this plugin, or the rule catalogue's name in each language)."""
    return {"youth_plan_16": "Youth plan (16)", YOUTH_DECISION: rules[YOUTH_DECISION].step,
            "turns_18": "Turns 18: the placement ends"}


def coming(extract, period, months: int = 6) -> pl.DataFrame:
    """Placed young people with a milestone in the next ``months``: what is due (a code of ``STEPS``), and by when.
    A step already done as known at the period's end (a youth plan made, a decision on youth support taken, however
    early) is not coming: the compliance section's deadlines leave a decision taken out too, and the two lists must
    agree. Only open cases: a placement never ended on a closed case (real exports have them) is a step the compliance
    section lists with the day its case closed, to end or to reopen — not a transition to plan."""
    # the horizon ends with its month, as the list prints it: a horizon ending on the 30th would leave out a birthday
    # on the 31st beside its month's others, and so tell its day
    as_of = period.end
    horizon = add_months(as_of.replace(day=1), months + 1) - dt.timedelta(days=1)
    cases = milestones(extract["cases"].filter(pl.col("closed_on").is_null() | (pl.col("closed_on") > as_of)))
    placements = _placements(extract["measures"])
    placed_now = _placed_on(cases.with_columns(pl.lit(as_of).alias("today")), placements, "today")
    done = extract["activities"].filter(pl.col("date") <= as_of)
    rows = []
    for column, step, kind in STEPS:
        due = placed_now.filter(pl.col(column).is_between(as_of + dt.timedelta(days=1), horizon))
        if kind is not None:
            due = due.join(done.filter(pl.col("kind") == kind).select("case_id"), on="case_id", how="anti")
        rows.append(due.select("team", "case_id", "caseworker_id", pl.lit(step).alias("step"),
                               pl.col(column).alias("date")))
    # every milestone is a birthday (16, 17½, 18): its day would tell the young person's birth date, which no pack
    # shows — the list keeps its month (Column.from_birth_date) and is ordered by it: by the day, a month's order of
    # cases would tell whose birthday comes first
    return (pl.concat(rows).sort(pl.col("date").dt.truncate("1mo"), "case_id", "step")
            .with_columns(pl.lit(True).alias("from_birth")))


class AftercareSection(Section):
    name = "eftervaern"
    title = "Young people leaving care"
    description = "Young people 15–22 who are or were placed: the meetings at 16, 17½ and 18, and education or work."
    requires = ("cases", "measures", "activities")
    locale_dir = Path(__file__).parent / "locale"

    audiences = ("director", "team_leader")  # detail about a few young people: not for the committee

    def indicators(self, rules):
        """Each transition's share, so a goal ([[plugins.goals.goal]]) can follow it."""
        def figures_of(indicator):
            def figures(context, period):
                # one call gives all four indicators' frames: made once per period and build, not once per indicator
                # (a period's figures are always computed on the extract as known at its end, context.at(period))
                occupied = tuple(context.settings(EftervaernSettings).occupied)
                frames = shared(context, "eftervaern_transitions", (str(period), occupied),
                                lambda: transitions(context.extract, period, occupied))
                return share_figures(frames[indicator], indicator, "met", period=str(period)) \
                    if indicator in frames else []
            return figures
        # each share counts young people ("5 af 10 unge"): its tiles said "5 af 10" of nothing (a fresh reader)
        return [Indicator(indicator, "share", self.requires, figures_of(indicator), label, over=OVER[indicator],
                          standard=STANDARDS.get(indicator), counts="young_people")
                for indicator, label in LABELS.items()]

    def compute(self, context) -> SectionResult:
        settings = context.settings(EftervaernSettings)
        result = SectionResult(self.name, self.title, headline=tuple(LABELS)[:3], labels=dict(LABELS))
        rows = []
        occupied = tuple(settings.occupied)
        frames = shared(context, "eftervaern_transitions", (str(context.period), occupied),
                        lambda: transitions(context.extract, context.period, occupied))
        for indicator, frame in frames.items():
            result.figures += share_figures(frame, indicator, "met")
        for figure in result.figures:
            rows.append({"team": figure.team, "indicator": figure.indicator, "numerator": figure.numerator,
                         "denominator": figure.denominator, "value": figure.value})
        table = pl.DataFrame(rows, schema={"team": pl.String, "indicator": pl.String, "numerator": pl.Int64,
                                           "denominator": pl.Int64, "value": pl.Float64})
        labels = dict(STEP_LABELS)  # message ids, translated through this plugin's catalogue
        result.tables.append(Table("eftervaern_by_team", "Transitions in the last 12 months", table,
                                   (Column("team", "Team"), Column("indicator", "Indicator"),
                                    Column("denominator", "Young people", "count"), Column("numerator", "Met", "count"),
                                    Column("value", "Share", "share", FigureRef(indicator_column="indicator"),
                                           judged=True)), level=TEAM, value_labels=labels))
        # the chart is not judged: one of its bars has a yardstick, and a judged chart would draw the law's line
        # across all three and mark the other two "ikke vurderet" (too few cases); the tile, the sentence and the
        # table say the one verdict
        # with each share's base: the chart's line under it names a highest or lowest only on 5 or more young people
        municipality = table.filter(pl.col("team").is_null()).select("indicator", "value", "denominator")
        result.charts.append(Chart("eftervaern_shares", "Transitions on time, last 12 months", "hbar", municipality,
                                   x="indicator", y="value", y_title="Share", y_format="share",
                                   level=TEAM, team_column=None, value_labels=labels))
        upcoming = coming(context.extract, context.period, settings.horizon_months)
        result.tables.append(Table("eftervaern_coming", ("Coming transitions, the next {months} months",
                                                         {"months": settings.horizon_months}), upcoming,
                                   (Column("case_id", "Case", "id"), Column("step", "Step"),
                                    Column("date", "Date", "date", from_birth_date="from_birth"),
                                    Column("caseworker_id", "Caseworker", "id")),
                                   level=CASE, value_labels=step_names(context.rules),
                                   empty_text="No transitions in the coming months.", group_by="caseworker_id"))
        if "occupation" not in context.extract["cases"].columns:
            # the column's name for a team leader (who passes it on to whoever makes the extract), words for the rest
            result.notes.append(ForReaders(
                "Education or work is not shown: the extract does not say whether the young people are in education, "
                "in work or neither.",
                "Education or work is not shown: the extract's cases have no column “occupation” (education, work "
                "or neither: the codes “uddannelse”, “beskaeftigelse” or “ingen”)."))
        result.notes.append("The model: three meetings with the young person, at 16, 17½ and 18 (SFI, "
                            "Bedre overgange for udsatte unge).")
        return result

    def narrate(self, result, view) -> list[str]:
        t = view.language
        texts = []
        for indicator in LABELS:
            figure = result.figure(indicator, team=view.team)
            if figure is None or not (figure.denominator or figure.suppressed):
                continue
            texts.append(t("{label}: {share}.", label=t(LABELS[indicator]),
                           share=share_text(t, figure, view.threshold)))
            if view.verdict(figure):  # the figure's one verdict, as its tile and table cell show it
                texts.append(t("{verdict}.", verdict=view.verdict(figure)))
            if indicator in STANDARDS and view.period is not None:
                # the compliance section judges the same deadline for the period alone: say which window is which
                texts.append(t("The section on legal deadlines judges the same deadline for {period} alone (the young "
                               "people who turned 17½ in it); here it is the last 12 months.",
                               period=t.period(view.period)))
        return texts


@hookimpl
def ledinfo_register_sections(register):
    register(AftercareSection())


@hookimpl
def ledinfo_register_settings(register):
    register(EftervaernSettings)
