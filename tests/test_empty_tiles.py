"""A team pack draws no tile with nothing to say: a figure none of the team's cases count in, now or in the periods
it is compared with, is named in one plain sentence in place of its tile.

The demo's team packs drew three tiles of dashes for support after 18 ("–", "ingen sager · kommunen: 38 % ·
sep 26: – · okt 25: –") in teams that place no young people, and one for the family-care share in teams without
placements (a fresh reader's finding, 2026-12-07).
"""

from __future__ import annotations

from ledinfo.api import Figure, Section, SectionResult
from ledinfo.api.testing import render_section

LABELS = {"plan": "Ungeplan ved 16 år", "decision": "Afgørelse om ungestøtte", "visits": "Tilsyn i perioden"}


class Transitions(Section):
    """Two shares the team "Børn" has no cases in (young people the team does not place), one it has."""

    name = "transitions"
    title = "Overgange"
    description = "Shares the team has no cases in."
    requires = ()
    audiences = ("director", "team_leader")

    def compute(self, context):
        figures = [Figure("plan", 1.0, 10, 10), Figure("plan", 1.0, 10, 10, team="Unge"),
                   Figure("plan", None, 0, 0, team="Børn"),
                   Figure("decision", 0.5, 5, 10), Figure("decision", 0.5, 5, 10, team="Unge"),
                   Figure("visits", 0.75, 6, 8), Figure("visits", 0.75, 3, 4, team="Børn"),
                   Figure("visits", 0.75, 3, 4, team="Unge")]  # no figure of "decision" for Børn: no cases either
        return SectionResult(self.name, self.title, figures=figures, headline=tuple(LABELS), labels=LABELS)


def test_a_team_without_a_tiles_cases_has_a_sentence_not_a_tile_of_dashes(tmp_path):
    rendered = render_section(Transitions(), audience="team_leader", team="Børn", out_dir=tmp_path)
    text = rendered.text.replace("\u00a0", " ")
    said = "Ingen af teamets sager indgår i disse nøgletal: Ungeplan ved 16 år; Afgørelse om ungestøtte."
    assert said in " ".join(text.split())
    assert "ingen sager" not in text  # no tile saying it under a dash
    assert "Tilsyn i perioden" in text and "75 %" in text  # the tile with the team's cases stays


def test_the_directors_pack_and_a_team_with_the_cases_keep_every_tile(tmp_path):
    for team, folder in ((None, "director"), ("Unge", "unge")):
        rendered = render_section(Transitions(), audience="team_leader" if team else "director", team=team,
                                  out_dir=tmp_path / folder)
        text = " ".join(rendered.text.replace("\u00a0", " ").split())
        assert "Ingen af teamets sager" not in text
        assert all(label in text for label in LABELS.values())


class NoneAnywhere(Transitions):
    """Support after 18 as the messy sample's directors saw it: no young person turned 18 placed, in any team."""

    def compute(self, context):
        result = super().compute(context)
        result.figures.append(Figure("after_18", None, 0, 0))
        result.headline += ("after_18",)
        result.labels["after_18"] = "Støtte efter 18 år"
        return result


def test_a_tile_none_of_the_municipalitys_cases_count_in_is_a_sentence_too(tmp_path):
    text = " ".join(render_section(NoneAnywhere(), out_dir=tmp_path).text.replace("\u00a0", " ").split())
    assert "Ingen sager indgår i disse nøgletal: Støtte efter 18 år." in text
    assert "ingen sager" not in text and all(label in text for label in LABELS.values())


class CasesOnlyBefore(Transitions):
    """"Afgørelse om ungestøtte" of team Børn: no case now, one a month earlier (the messy sample's team packs kept
    such a tile, "– ingen sager · kommunen: 50 % · feb 24: – · mar 23: 0 %", beside the sentence naming others)."""

    def compute(self, context):
        result = super().compute(context)
        result.figures.append(Figure("decision", 0.0, 0, 1, team="Børn", period=str(context.period.previous())))
        return result


def test_a_tile_with_no_case_now_is_named_in_the_sentence_whatever_the_periods_before_held(tmp_path):
    rendered = render_section(CasesOnlyBefore(), audience="team_leader", team="Børn", out_dir=tmp_path)
    text = " ".join(rendered.text.replace("\u00a0", " ").split())
    assert "Ingen af teamets sager indgår i disse nøgletal: Ungeplan ved 16 år; Afgørelse om ungestøtte." in text
    assert "ingen sager" not in text


def test_a_team_without_measures_is_told_so_once_per_section_and_as_the_teams(tmp_path):
    """A team with no measure (the demo's intake team): the measures say "Intet barn i teamet …" once, not
    "Intet barn har en forebyggende foranstaltning" (read as the municipality's); the placements' outcomes name
    their empty tiles in the one sentence and do not say again that no placement ended."""
    import datetime as dt

    from builders import case, extract, measure
    from ledinfo.model.period import Period
    from ledinfo.plugins.ladder_moves import LadderMovesSection
    from ledinfo.plugins.measures_mix import MeasuresMixSection
    from ledinfo.plugins.placement_outcomes import PlacementOutcomesSection

    cases = [case("S1", team="Børn", child="B1"), case("S2", team="Børn", child="B2"),
             case("S4", team="Børn", child="B4"), case("S3", team="Modtagelse")]
    measures = [measure("M1", "S1", "anbringelse_plejefamilie", started=dt.date(2025, 1, 1)),
                measure("M2", "S2", "anbringelse_doegninstitution", started=dt.date(2024, 1, 1),
                        ended=dt.date(2026, 6, 1)),
                measure("M3", "S4", "anbringelse_doegninstitution", started=dt.date(2024, 1, 1))]
    data = extract(cases=cases, measures=measures)
    texts = {}
    sections = {"measures_mix": MeasuresMixSection(), "placement_outcomes": PlacementOutcomesSection(),
                "ladder_moves": LadderMovesSection()}
    for name, section in sections.items():
        rendered = render_section(section, data, Period(2026, 10), audience="team_leader",
                                  team="Modtagelse", out_dir=tmp_path / name)
        texts[name] = " ".join(rendered.text.replace("\u00a0", " ").split())
    assert "Intet barn i teamet har en foranstaltning." in texts["measures_mix"]
    assert "Intet barn har en forebyggende foranstaltning" not in texts["measures_mix"]
    outcomes = texts["placement_outcomes"]
    assert "Ingen af teamets sager indgår i disse nøgletal: " in outcomes \
        and "Mediantid" in outcomes.split("indgår i disse nøgletal: ")[1]
    assert "Ingen anbringelse sluttede" not in outcomes
    assert "Ingen af teamets anbringelser på døgninstitution eller opholdssted har varet over 12 måneder." in outcomes
    assert "Intet barn i teamet havde en foranstaltning nu eller for 12 måneder siden." in texts["ladder_moves"]
    assert "Intet barn har fået" not in texts["ladder_moves"]
