"""Built-in section: management supervision (ledelsestilsyn) — the reviews done against the local standard,
their findings, and, where the municipality reviews it, ledinfo's drawn sample and its completion."""

from __future__ import annotations

import logging
from typing import Annotated

import polars as pl
from pydantic import Field, StringConstraints

from ledinfo.api import (
    CASE,
    LATER,
    N_,
    TEAM,
    Action,
    Column,
    Figure,
    Indicator,
    Over,
    Section,
    SectionResult,
    Settings,
    ShareOf,
    Table,
    current_figures,
    hookimpl,
    month_in_each_language,
    share_figures,
    share_table,
    share_text,
    trend_figures,
)
from ledinfo.api.domain import (
    DEFAULT_THEMES,
    OTHER_THEME,
    PLACEMENT_THEMES,
    THEME_NAMES,
    draw_sample,
    sample_reviewed_when_closed,
    supervision_completion,
    supervision_coverage,
    supervision_findings,
    team_theme,
    teams_with_placements,
    theme_for,
    theme_name,
    themes_named,
    uses_sample,
)

log = logging.getLogger("ledinfo.plugins.supervision")

Theme = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Wheel = Annotated[list[Theme], Field(min_length=1)]


class SupervisionSettings(Settings):
    """``[plugins.supervision]``: the annual wheel of themes, a team's own wheel, the local standard (cases
    reviewed per caseworker a month, also the drawn sample's size), and whether the municipality reviews
    ledinfo's drawn sample."""

    themes: list[Theme] = []  # empty: the seeds' themes (DEFAULT_THEMES)
    team_themes: dict[str, Wheel] = {}  # [plugins.supervision.team_themes] "Team" = [...]: that team's own wheel
    placement_themes: list[Theme] = list(PLACEMENT_THEMES)  # skipped for a team without placements
    cases_per_caseworker: int = Field(1, ge=1)
    # true: the municipality reviews ledinfo's sample (its completion is shown); false: it chooses its own
    # cases (coverage only); left out: decided from the data (uses_sample: half of a year's reviews on it)
    use_sample: bool | None = None


def _settings(context) -> tuple[list[str], int]:
    settings = context.settings(SupervisionSettings)
    return list(settings.themes) or list(DEFAULT_THEMES), settings.cases_per_caseworker


def _all_themes(context) -> list[str]:
    """Every theme of every wheel, the municipality's first: the themes a finding may be filed under."""
    settings = context.settings(SupervisionSettings)
    themes = _settings(context)[0]
    for wheel in settings.team_themes.values():
        themes += [theme for theme in wheel if theme not in themes]
    return themes


def _team_themes(context, coming, teams: list[str]) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Each team's theme for the coming month and the themes skipped because they cannot apply."""
    settings = context.settings(SupervisionSettings)
    wheel = tuple(_settings(context)[0])
    extract = context.extract
    unknown = sorted(set(settings.team_themes) - set(teams))
    if unknown:  # a typo must not pass for a team without a wheel of its own
        log.warning("[plugins.supervision] team_themes names teams the extract does not have: %s; the teams are: %s",
                    ", ".join(unknown), ", ".join(teams))
    # the sample is drawn from the cases active at the end of the report period: placements then too
    placed = (teams_with_placements(extract["cases"], extract["measures"], context.period.end)
              if extract.has("measures") else set(teams))  # no measures table: no theme can be ruled out
    return {team: team_theme(coming, tuple(settings.team_themes.get(team, wheel)), team in placed,
                             tuple(settings.placement_themes)) for team in teams}


def _completion(context, period):
    frame = supervision_completion(context.extract["cases"], context.extract["staff"], context.extract["activities"],
                                   period, _settings(context)[1])
    return share_figures(frame, "supervision_completion", "done", period=str(period))


def _coverage(context, period):
    frame = supervision_coverage(context.extract["cases"], context.extract["staff"], context.extract["activities"],
                                 period, _settings(context)[1])
    return [Figure("supervision_coverage", row["reviewed"] / row["required"] if row["required"] else None,
                   row["reviewed"], row["required"], "rate", team=row["team"], period=str(period),
                   share_of=ShareOf.HANDLING)  # reviews done: case handling, no characteristic of a child
            for row in frame.iter_rows(named=True)]


def sample_in_use(context) -> bool:
    """Whether this municipality reviews ledinfo's drawn sample: as configured, else as its reviews show."""
    configured = context.settings(SupervisionSettings).use_sample
    if configured is not None:
        return configured
    extract = context.extract
    return uses_sample(extract["cases"], extract["staff"], extract["activities"], context.period, _settings(context)[1])


def _findings(context, period):
    frame = supervision_findings(context.extract["activities"], context.extract["cases"], period,
                                 tuple(_all_themes(context)))
    return share_figures(frame, "supervision_findings", "deviation", period=str(period))


REVIEWED_WHEN_CLOSED = "supervision_sample_reviewed_when_closed"  # a count behind the sentences, in no tile or table


class SupervisionSection(Section):
    name = "supervision"
    title = N_("Management supervision")
    description = "Next month's supervision sample and theme; completion and findings of this month's reviews."
    requires = ("cases", "staff", "activities")
    audiences = ("director", "team_leader")

    def compute(self, context) -> SectionResult:
        extract, period = context.extract, context.period
        themes, per_caseworker = _settings(context)
        coming = period.last_month.shift(1)  # the wheel turns monthly: the month after the period's last
        sampled = sample_in_use(context)
        shown = ("supervision_coverage", *(("supervision_completion",) if sampled else ()), "supervision_findings")
        result = SectionResult(self.name, self.title, headline=shown,
                               labels={"supervision_coverage": N_("Reviews against the local standard"),
                                       "supervision_completion": N_("Supervision sample reviewed"),
                                       "supervision_findings": N_("Reviews with a deviation"),
                                       "supervision_sample": N_("Cases in next month's sample"),
                                       REVIEWED_WHEN_CLOSED: N_("Sample cases reviewed after they were closed")})
        for indicator in shown:
            result.figures += current_figures(indicator, context)
            result.figures += trend_figures(indicator, context)
        coverage = share_table([f for f in result.figures if f.period is None], "supervision_coverage").sort(
            "team", nulls_last=True)  # the municipality last, as in every table
        result.tables.append(Table(
            "supervision_coverage", N_("Reviews against the local standard"),
            coverage.rename({"numerator": "reviewed", "denominator": "required"}),
            (Column("team", N_("Team")), Column("reviewed", N_("Cases reviewed"), "count"),
             Column("required", N_("Required"), "integer"), Column("value", N_("Share of required"), "share")),
            level=TEAM, empty_text=N_("No caseworker was employed and no case was reviewed in the period.")))
        if sampled:  # the sample's cases reviewed only after they were closed: why its count and coverage's differ
            closed = sample_reviewed_when_closed(extract["cases"], extract["staff"], extract["activities"], period,
                                                 per_caseworker)
            result.figures += [Figure(REVIEWED_WHEN_CLOSED, int(closed["cases"].sum()), unit="count"),
                               *(Figure(REVIEWED_WHEN_CLOSED, row["cases"], unit="count", team=row["team"])
                                 for row in closed.iter_rows(named=True))]
        sample = draw_sample(extract["cases"], extract["staff"], coming, per_caseworker)
        themes_of = _team_themes(context, coming, sorted(set(extract["cases"]["team"].drop_nulls().to_list())))
        # the sample of the coming month, drawn at the period's end: a quarter's is its last month's (Over.END)
        result.figures.append(Figure("supervision_sample", sample.height, unit="count", over=Over.END,
                                     extra={"month": str(coming), "theme": theme_for(coming, themes),
                                            "reviewed": sampled}))  # False: the municipality reviews other cases
        for (team,), group in sorted(sample.group_by("team"), key=lambda item: item[0][0]):
            theme, skipped = themes_of.get(team, (theme_for(coming, themes), ()))
            result.figures.append(Figure("supervision_sample", group.height, unit="count", team=team, over=Over.END,
                                         extra={"month": str(coming), "theme": theme, "skipped": list(skipped),
                                                "reviewed": sampled}))
        drawn = sample.with_columns(pl.col("team").replace_strict(
            {team: theme for team, (theme, _) in themes_of.items()}, default=None, return_dtype=pl.String).alias("theme"))
        one_theme = drawn["theme"].unique().to_list() in ([], [theme_for(coming, themes)])
        columns = (Column("caseworker_id", N_("Caseworker"), "id"), Column("case_id", N_("Case"), "id"))
        title = (N_("Sample for {month}: theme “{theme}”"),
                 {"month": month_in_each_language(coming), "theme": theme_name(theme_for(coming, themes))})
        if not one_theme:  # teams with their own wheel, or a theme skipped: the theme by team
            title = (N_("Sample for {month}"), {"month": month_in_each_language(coming)})
            columns += (Column("theme", N_("Theme")),)
        if sampled:  # a sample the municipality does not review is a list nobody works from
            result.tables.append(Table(
                "supervision_sample", title, drawn.select("team", "caseworker_id", "case_id", "theme"), columns,
                level=CASE, empty_text=N_("No case was drawn: no employed caseworker holds an active case."),
                value_labels=dict(THEME_NAMES)))
        findings = supervision_findings(extract["activities"], extract["cases"], period, tuple(_all_themes(context)))
        by_theme = (findings.group_by("team", "theme").agg(pl.len().alias("reviews"), pl.col("deviation").sum()
                                                          .alias("deviations"))
                    .with_columns(pl.col("deviations").cast(pl.Int64), pl.col("reviews").cast(pl.Int64)))
        totals = by_theme.group_by("theme").agg(pl.col("reviews").sum(), pl.col("deviations").sum()).with_columns(
            pl.lit(None, pl.String).alias("team"))
        table = pl.concat([by_theme, totals.select(by_theme.columns)]).with_columns(
            (pl.col("deviations") / pl.col("reviews")).alias("share")).sort("team", "theme", nulls_last=True)
        result.tables.append(Table(
            "supervision_findings", N_("Reviews in the period by theme"), table,
            (Column("team", N_("Team")), Column("theme", N_("Theme")), Column("reviews", N_("Reviews"), "count"),
             Column("deviations", N_("Deviations"), "count"), Column("share", N_("Share with deviation"), "share")),
            level=TEAM, empty_text=N_("No reviews were registered in the period."),
            value_labels={**THEME_NAMES, OTHER_THEME: N_("other (a theme the annual wheel does not name)")}))
        result.notes.append((N_("Reviews against the local standard: the active cases with a management review in "
                                "the period (each counted once a month), against the number the local standard asks "
                                "for: {count} a month per caseworker employed at the month's end (configurable)."),
                             {"count": str(per_caseworker)}))
        if sampled:
            # a reader saw "32 of 36" sampled beside "34 of 35" required and took one for a mistake: say why they differ
            # as many cases per caseworker as the local standard: the note above says once that it can be changed
            result.notes.append((N_("The sample is drawn at random but reproducibly: as many active cases per "
                                    "caseworker as the local standard asks for, the same for the same data and month. "
                                    "It is drawn at the end of the month before, among the caseworkers employed then, "
                                    "so its number of cases can differ from the number the local standard asks for. "
                                    "The annual wheel of themes: {themes}."), {"themes": themes_named(_settings(context)[0])}))
        else:
            result.notes.append((N_("The cases reviewed are the ones the team leaders chose: the randomly drawn "
                                    "sample is not shown, as most reviews were on other cases. The annual "
                                    "wheel of themes: {themes}."), {"themes": themes_named(_settings(context)[0])}))
        if any(skipped for _, skipped in themes_of.values()):
            result.notes.append(N_("A theme about placements is skipped for a team with no active placements: "
                                   "the team takes the next theme round the wheel."))
        return result

    def indicators(self, rules):
        # what each counts, so each tile says its base the same way: "31 af 35 sager" (the cases the local standard
        # asks for), "28 af 36 sager" (the sample's), "4 af 32 gennemgange" (the reviews)
        return [Indicator("supervision_coverage", "rate", self.requires, _coverage,
                          N_("Reviews against the local standard"), Over.SPAN, counts="cases"),
                Indicator("supervision_completion", "share", self.requires, _completion, N_("Supervision sample reviewed"),
                          counts="cases"),
                Indicator("supervision_findings", "share", ("cases", "activities"), _findings,
                          N_("Reviews with a deviation"), counts="reviews")]

    def actions(self, result, view) -> list[Action]:
        t = view.language
        own = result.figure("supervision_sample", team=view.team)
        if view.team is None or own is None or not own.value:
            return []
        theme = theme_name(own.extra["theme"])[t.code] if own.extra.get("theme") else None
        if not own.extra.get("reviewed", True):  # the team leader chooses the cases: the theme is what is new
            return [Action(t("Next month's supervision: theme “{theme}”.", theme=theme), LATER)] if theme else []
        if theme is None:
            text = t.plural("Next month's supervision: {count} case.", "Next month's supervision: {count} cases.",
                            own.value)
        else:
            text = t.plural("Next month's supervision: {count} case, theme “{theme}”.",
                            "Next month's supervision: {count} cases, theme “{theme}”.", own.value, theme=theme)
        return [Action(text, LATER)]

    def narrate(self, result, view) -> list[str]:
        t = view.language
        texts = []
        sample = result.figure("supervision_sample", team=view.team) or result.figure("supervision_sample")
        if sample is not None and sample.extra.get("theme"):
            texts.append(t("Next month's theme is “{theme}”.", theme=theme_name(sample.extra["theme"])[t.code]))
        for skipped in (sample.extra.get("skipped") or []) if sample is not None else []:
            texts.append(t("“{theme}” is skipped this month: the team has no active placements.",
                           theme=theme_name(skipped)[t.code]))
        coverage = result.figure("supervision_coverage", team=view.team)
        if coverage is not None and not coverage.suppressed and coverage.denominator:
            # the standard's number in brackets after its share, not "0 % af de 1", which reads wrong for one case
            texts.append(t.plural("In {period}, {count} case was reviewed: {share} of the local standard's "
                                  "requirement ({required}).",
                                  "In {period}, {count} cases were reviewed: {share} of the local standard's "
                                  "requirement ({required}).", coverage.numerator, period=t.period(view.period),
                                  share=t.percent(coverage.value), required=t.integer(coverage.denominator)))
        completion = result.figure("supervision_completion", team=view.team)
        if completion is not None:
            texts.append(t("In {period}, {share} of the sample was reviewed.", period=t.period(view.period),
                           share=share_text(t, completion, view.threshold)))
            closed = result.figure(REVIEWED_WHEN_CLOSED, team=view.team)
            if coverage is not None and closed is not None and closed.value:
                texts.append(t.plural(
                    "{count} of the sample's cases was reviewed after the case was closed: it counts in the sample, "
                    "not against the local standard, which counts active cases.",
                    "{count} of the sample's cases were reviewed after the case was closed: they count in the sample, "
                    "not against the local standard, which counts active cases.",
                    closed.value, count=t.integer(closed.value)))
        findings = result.figure("supervision_findings", team=view.team)
        if findings is not None and findings.denominator:
            texts.append(t("{share} of the reviews found a deviation.", share=share_text(t, findings, view.threshold)))
        return texts


@hookimpl
def ledinfo_register_sections(register):
    register(SupervisionSection())


@hookimpl
def ledinfo_register_settings(register):
    register(SupervisionSettings)
