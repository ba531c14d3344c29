"""Built-in section: management supervision (ledelsestilsyn) — next month's sample, completion, findings."""

from __future__ import annotations

import polars as pl
from pydantic import Field

from ledinfo.api import (
    CASE,
    N_,
    TEAM,
    Action,
    Column,
    Figure,
    Indicator,
    Section,
    SectionResult,
    Settings,
    Table,
    current_figures,
    hookimpl,
    month_in_each_language,
    share_figures,
    share_text,
    trend_figures,
)
from ledinfo.api.domain import DEFAULT_THEMES, OTHER_THEME, draw_sample, supervision_completion, supervision_findings, theme_for


class SupervisionSettings(Settings):
    """``[plugins.supervision]``: the annual wheel of themes and the sample's size."""

    themes: list[str] = []  # empty: the seeds' themes (DEFAULT_THEMES)
    cases_per_caseworker: int = Field(1, ge=1)


def _settings(context) -> tuple[list[str], int]:
    settings = context.settings(SupervisionSettings)
    return list(settings.themes) or list(DEFAULT_THEMES), settings.cases_per_caseworker


def _completion(context, period):
    frame = supervision_completion(context.extract["cases"], context.extract["staff"], context.extract["activities"],
                                   period, _settings(context)[1])
    return share_figures(frame, "supervision_completion", "done", period=str(period))


def _findings(context, period):
    frame = supervision_findings(context.extract["activities"], context.extract["cases"], period, _settings(context)[0])
    return share_figures(frame, "supervision_findings", "deviation", period=str(period))


class SupervisionSection(Section):
    name = "supervision"
    title = N_("Management supervision")
    description = "Next month's supervision sample and theme; completion and findings of this month's reviews."
    requires = ("cases", "staff", "activities")
    audiences = ("director", "team_leader")

    def compute(self, context) -> SectionResult:
        extract, period = context.extract, context.period
        themes, per_caseworker = _settings(context)
        coming = period.shift(1)
        result = SectionResult(self.name, self.title, headline=("supervision_completion", "supervision_findings"),
                               labels={"supervision_completion": N_("Supervision sample reviewed"),
                                       "supervision_findings": N_("Reviews with a deviation"),
                                       "supervision_sample": N_("Cases in next month's sample")})
        for indicator in ("supervision_completion", "supervision_findings"):
            result.figures += current_figures(indicator, context)
            result.figures += trend_figures(indicator, context)
        sample = draw_sample(extract["cases"], extract["staff"], coming, per_caseworker)
        result.figures.append(Figure("supervision_sample", sample.height, unit="count",
                                     extra={"month": str(coming), "theme": theme_for(coming, themes)}))
        for (team,), group in sorted(sample.group_by("team"), key=lambda item: item[0][0]):
            result.figures.append(Figure("supervision_sample", group.height, unit="count", team=team))
        result.tables.append(Table(
            "supervision_sample", (N_("Sample for {month}: theme “{theme}”"),
                                   {"month": month_in_each_language(coming), "theme": theme_for(coming, themes)}),
            sample.select("team", "caseworker_id", "case_id"),
            (Column("caseworker_id", N_("Caseworker"), "id"), Column("case_id", N_("Case"), "id")), level=CASE,
            empty_text=N_("No case was drawn: no employed caseworker holds an active case.")))
        findings = supervision_findings(extract["activities"], extract["cases"], period, themes)
        by_theme = (findings.group_by("team", "theme").agg(pl.len().alias("reviews"), pl.col("deviation").sum()
                                                          .alias("deviations"))
                    .with_columns(pl.col("deviations").cast(pl.Int64), pl.col("reviews").cast(pl.Int64)))
        totals = by_theme.group_by("theme").agg(pl.col("reviews").sum(), pl.col("deviations").sum()).with_columns(
            pl.lit(None, pl.String).alias("team"))
        table = pl.concat([by_theme, totals.select(by_theme.columns)]).with_columns(
            (pl.col("deviations") / pl.col("reviews")).alias("share")).sort("team", "theme", nulls_last=True)
        result.tables.append(Table(
            "supervision_findings", N_("This month's reviews by theme"), table,
            (Column("team", N_("Team")), Column("theme", N_("Theme")), Column("reviews", N_("Reviews"), "count"),
             Column("deviations", N_("Deviations"), "count"), Column("share", N_("Share with deviation"), "share")),
            level=TEAM, empty_text=N_("No reviews were registered this month."),
            value_labels={OTHER_THEME: N_("other (a theme the annual wheel does not name)")}))
        result.notes.append((N_("The sample is drawn at random but reproducibly: one active case per caseworker "
                                "(configurable), the same for the same data and month. The annual wheel of themes: "
                                "{themes}."), {"themes": ", ".join(themes)}))
        return result

    def indicators(self, rules):
        return [Indicator("supervision_completion", "share", self.requires, _completion, N_("Supervision sample reviewed")),
                Indicator("supervision_findings", "share", ("cases", "activities"), _findings,
                          N_("Reviews with a deviation"))]

    def actions(self, result, view) -> list[Action]:
        t = view.language
        sample, own = result.figure("supervision_sample"), result.figure("supervision_sample", team=view.team)
        if sample is None or own is None or not own.value:
            return []
        return [Action(t.plural("Next month's supervision: {count} case, theme “{theme}”.",
                                "Next month's supervision: {count} cases, theme “{theme}”.", own.value,
                                theme=sample.extra.get("theme", "")), 2)]

    def narrate(self, result, view) -> list[str]:
        t = view.language
        texts = []
        sample = result.figure("supervision_sample")
        if sample is not None:
            texts.append(t("Next month's theme is “{theme}”.", theme=sample.extra.get("theme", "")))
        completion = result.figure("supervision_completion", team=view.team)
        if completion is not None:
            texts.append(t("This month {share} of the sample was reviewed.",
                           share=share_text(t, completion, view.threshold)))
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
