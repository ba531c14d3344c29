"""Built-in section: the measures mix ("indsatstrappen") — what the children receive."""

from __future__ import annotations

from typing import Literal

import polars as pl

from ledinfo.api import (
    N_,
    TEAM,
    Chart,
    Column,
    Figure,
    FigureRef,
    Ref,
    Relation,
    Section,
    SectionResult,
    Settings,
    Table,
    about_value,
    change_text,
    current_figures,
    hookimpl,
    previous_of,
    share_text,
    trend_figures,
)
from ledinfo.api.domain import (
    CATEGORY_LABELS,
    FAMILY_CARE,
    INDICATORS,
    MEASURE_CATEGORIES,
    PLACEMENT_GROUPS,
    PLACEMENT_MIX_2018,
    PLACEMENT_TYPE_LABELS,
    PLACEMENT_TYPES,
    active_measures,
    measures_by_category,
    national_reference,
    new_placements_by_month,
)

TREND_MONTHS = 12


SMALL_MUNICIPALITY = 20_000  # inhabitants: below, some 30 placements, too few for three types beside each other


class MeasuresSettings(Settings):
    """``[plugins.measures_mix]``: how finely placements are broken down by type. "types": family, residential
    home or own room, institution; "groups": in a family or in residential care; "auto" (the default): groups
    for a municipality of fewer than 20,000 inhabitants (``[municipality] inhabitants``) or that does not say how
    many it has, else types. The choice is the series': it decides which numbers exist, so it rests on the
    configuration alone, the same for every pack — not on the data, which grow from pack to pack (a count of
    children ever placed crossed its bar in the messy sample's 2023-06, and a share the packs before had printed
    was hidden by those after: attack F4)."""

    placement_breakdown: Literal["auto", "types", "groups"] = "auto"


def _breakdown(context) -> tuple[str, dict]:
    chosen = context.settings(MeasuresSettings).placement_breakdown
    if chosen == "auto":
        inhabitants = context.municipality.inhabitants
        chosen = "types" if inhabitants is not None and inhabitants >= SMALL_MUNICIPALITY else "groups"
    return ("placement_groups", PLACEMENT_GROUPS) if chosen == "groups" else ("placement_types", PLACEMENT_TYPES)


class MeasuresMixSection(Section):
    name = "measures_mix"
    title = N_("Measures and placements")
    description = "Active measures by category, the share of placements in families, new placements per month."
    requires = ("cases", "measures")

    def compute(self, context) -> SectionResult:
        extract, period = context.extract, context.period
        active = active_measures(extract["measures"], extract["cases"], period.end)
        result = SectionResult(self.name, self.title, headline=("placements", "family_care_share", "preventive"),
                               labels={"active_measures": N_("Active measures"),
                                       "placement_types": N_("Placements by type"),
                                       "placement_groups": N_("Placements in a family and in residential care"),
                                       "placements": N_("Placed children"),
                                       "preventive": N_("Children with preventive measures"),
                                       "family_care_share": N_("Placements in foster or network families"),
                                       "new_placements": N_("New placements in the period"),
                                       "new_placements_12m": N_("New placements in the last 12 months"),
                                       "placements_reference": N_("Placed children, national level scaled"),
                                       "preventive_reference": N_("Children with preventive measures, national "
                                                                  "level scaled"),
                                       "family_care_share_national": N_("Placements in foster families, national "
                                                                        "level (2018)")})
        for indicator in ("family_care_share", "placements"):  # one definition: the indicator's
            result.figures += current_figures(indicator, context)
            result.figures += trend_figures(indicator, context)
        # placements by type, folded as far as the municipality's size asks (a small one's three types would each
        # be a handful, hidden for the committee): a choice fixed for the municipality, the same in every pack
        breakdown, folds = _breakdown(context)
        for indicator in ("preventive", "active_measures", breakdown, "new_placements"):
            result.figures += current_figures(indicator, context)
        by_category = measures_by_category(active)
        placement_types = [c for c in MEASURE_CATEGORIES if c.startswith("anbringelse")]
        # the family-care share's numerator and denominator are sums of the categories a reader sees, folded or not
        types = tuple(Ref(breakdown, category=t) for t in folds)
        result.relations += [
            Relation(Ref("family_care_share", part="numerator"), (Ref(breakdown, category="family"),)),
            Relation(Ref("family_care_share", part="denominator"), types),
            *[Relation(Ref(breakdown, category=t), tuple(Ref("active_measures", category=c) for c in kinds))
              for t, kinds in folds.items()],
            Relation(Ref("family_care_share", part="numerator"),
                     tuple(Ref("active_measures", category=c) for c in FAMILY_CARE)),
            Relation(Ref("family_care_share", part="denominator"),
                     tuple(Ref("active_measures", category=c) for c in placement_types))]
        wide = (by_category.pivot(on="category", index="team", values="count").fill_null(0))
        for category in MEASURE_CATEGORIES:
            if category not in wide.columns:
                wide = wide.with_columns(pl.lit(0).alias(category))
        wide = wide.select("team", *MEASURE_CATEGORIES).sort("team")
        total_row = wide.select(pl.lit(None, pl.String).alias("team"), *[pl.col(c).sum() for c in MEASURE_CATEGORIES])
        wide = pl.concat([wide, total_row], how="vertical_relaxed")
        result.tables.append(Table(
            "measures_by_category", N_("Active measures by category"), wide,
            (Column("team", N_("Team")),) + tuple(Column(c, CATEGORY_LABELS[c], "count",
                                                         FigureRef("active_measures", category=c))
                                                  for c in MEASURE_CATEGORIES),
            level=TEAM))
        folded = [{"type": f.category, "count": f.value, "team": f.team} for f in result.figures
                  if f.indicator == breakdown and f.period is None and f.team is None]
        result.charts.append(Chart(
            "placements_by_type", N_("Placements by type, whole municipality"), "hbar",
            pl.DataFrame(folded, schema={"type": pl.String, "count": pl.Int64, "team": pl.String}),
            x="type", y="count", y_title=N_("Placements"), y_format="count", level=TEAM, team_column="team",
            value_labels=PLACEMENT_TYPE_LABELS, figure=FigureRef(breakdown, category_column="type")))
        municipality = by_category.group_by("category").agg(pl.col("count").sum()).with_columns(
            pl.lit(None, pl.String).alias("team"))
        # placements only (the id kept for templates that name it): beside some 500 preventive measures (a key
        # figure and the table) the placement types were slivers on one scale
        order = pl.DataFrame({"category": placement_types})
        municipality = order.join(municipality, on="category", how="left").with_columns(pl.col("count").fill_null(0))
        result.charts.append(Chart(
            "measures_by_category", N_("Active placements by type, whole municipality"), "hbar", municipality,
            x="category", y="count", y_title=N_("Placements"), y_format="count", level=TEAM, team_column="team",
            value_labels=CATEGORY_LABELS,
            figure=FigureRef("active_measures", category_column="category")))
        new = new_placements_by_month(extract["measures"], extract["cases"], period.trailing(TREND_MONTHS))
        new_total = new.group_by("month").agg(pl.col("count").sum()).with_columns(pl.lit(None, pl.String).alias("team"))
        result.figures += trend_figures("new_placements", context)
        result.figures.append(Figure("new_placements_12m", int(new_total["count"].sum()), unit="count", over="end"))
        result.relations.append(Relation(Ref("new_placements_12m"), tuple(Ref("new_placements", period=str(m))
                                                                          for m in period.trailing(TREND_MONTHS))))
        result.charts.append(Chart(
            "new_placements", N_("New placements per month, whole municipality"), "bar", new_total.sort("month"),
            x="month", y="count",
            y_title=N_("Placements"), y_format="count", level=TEAM))
        # a figure, not only a constant in a sentence: every number a reader sees is in the JSON too
        result.figures.append(Figure("family_care_share_national", PLACEMENT_MIX_2018["foster_family"], unit="share"))
        reference = national_reference(context.municipality.inhabitants)
        if reference:
            result.figures.append(Figure("placements_reference", reference["placed_children"], unit="number"))
            result.figures.append(Figure("preventive_reference", reference["preventive_children"], unit="number"))
        result.notes.append(N_("National reference: 13,400 children placed (31 December 2021) and 43,800 with "
                               "preventive measures (2021), scaled by inhabitants; placements by type (2018): foster "
                               "families 63 %, residential institutions 17 %, residential homes 14 %."))
        return result

    def indicators(self, rules):
        return [INDICATORS[i] for i in ("family_care_share", "placements", "preventive", "active_measures",
                                        "placement_types", "placement_groups", "new_placements")]

    def narrate(self, result, view) -> list[str]:
        t = view.language
        own = view.team
        texts = []
        placed, preventive = result.figure("placements", team=own), result.figure("preventive", team=own)
        if placed is not None and preventive is not None and not placed.suppressed and not preventive.suppressed:
            # a team's "none" says it is the team's ("Intet barn i teamet …"): "Intet barn har …" read as the
            # municipality's; a team with neither says so once
            if own is not None and not placed.value and not preventive.value:
                texts.append(t("No child of the team has a measure."))
            else:
                texts.append(t.plural("{count} child has a preventive measure.",
                                      "{count} children have a preventive measure.", preventive.value)
                             if preventive.value else t(_NONE_PREVENTIVE[own is None]))
                texts.append(t.plural("{count} child is placed outside the home.",
                                      "{count} children are placed outside the home.", placed.value)
                             if placed.value else t(_NONE_PLACED[own is None]))
        new = result.figure("new_placements_12m", team=own)
        if new is not None and new.value and not new.suppressed:
            texts.append(t.plural("{count} placement started in the last 12 months.",
                                  "{count} placements started in the last 12 months.", new.value))
        reference = result.figure("placements_reference")
        if reference is not None and reference.value is not None and own is None and placed is not None \
                and not placed.suppressed:
            texts.append(t.plural("An average municipality of the same size would have about {count} placed child.",
                                  "An average municipality of the same size would have about {count} placed children.",
                                  about_value(reference.value), count=t.about(reference.value)))
        family = result.figure("family_care_share", team=own)
        if family is not None and family.suppressed:
            texts.append(t("Placements in foster or network families: {share}.", share=view.words(family)))
        elif family is not None and family.denominator:  # no placements: said above, no share of none
            # the sentence names its unit itself ("af anbringelserne"): the share says "85 af 135" alone
            sentence = t("{share} of the placements are in foster or network families (nationally {national}).",
                         share=share_text(t, family.with_(counts=None), view.threshold),
                         national=t.percent(result.figure("family_care_share_national").value))
            change = change_text(t, family, *previous_of(result, "family_care_share", own, view))
            texts.append(sentence + (" " + t("That is {change}.", change=change) if change else ""))
            if view.verdict(family):  # an annual goal for the share: its one verdict, as the key figure shows it
                texts.append(t("{verdict}.", verdict=view.verdict(family)))
        texts += _children_and_placements(t, placed, family)
        texts += _children_and_preventive(t, preventive, result.figure("active_measures", team=own,
                                                                         category="forebyggende"))
        return texts


# "none" of the municipality (True) or of the team (False)
_NONE_PREVENTIVE = {True: N_("No child has a preventive measure."),
                    False: N_("No child of the team has a preventive measure.")}
_NONE_PLACED = {True: N_("No child is placed outside the home."),
                False: N_("No child of the team is placed outside the home.")}


def _children_and_preventive(t, children, measures) -> list[str]:
    """Where the page counts children with a preventive measure ("450 børn") and the table preventive measures
    ("Forebyggende 528"), and the two differ, why: a child can have more than one at a time."""
    if children is None or measures is None or children.suppressed or measures.suppressed or not children.value \
            or measures.value == children.value:
        return []
    return [t.plural("The {children} children with a preventive measure have {count} active preventive measure: a "
                     "child can have more than one at a time.",
                     "The {children} children with a preventive measure have {count} active preventive measures: "
                     "a child can have more than one at a time.", measures.value, children=t.integer(children.value))]


def _children_and_placements(t, placed, family) -> list[str]:
    """Where the page counts children ("122 børn er anbragt") and placements ("85 af 135 anbringelser", the chart
    by type), and the two differ, why: a placement is a measure, and a child can have more than one at a time."""
    if placed is None or family is None or placed.suppressed or family.suppressed or not family.denominator:
        return []
    if placed.value == family.denominator:
        return []
    return [t.plural("The {children} placed children have {count} active placement: a placement is a measure, "
                     "and a child can have more than one at a time.",
                     "The {children} placed children have {count} active placements: a placement is a measure, "
                     "and a child can have more than one at a time.", family.denominator,
                     children=t.integer(placed.value))]


@hookimpl
def ledinfo_register_sections(register):
    register(MeasuresMixSection())


@hookimpl
def ledinfo_register_settings(register):
    register(MeasuresSettings)
