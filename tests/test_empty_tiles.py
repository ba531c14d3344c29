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
    assert "Ingen af teamets sager indgår i: Ungeplan ved 16 år; Afgørelse om ungestøtte." in " ".join(text.split())
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
    assert "Ingen sager indgår i: Støtte efter 18 år." in text
    assert "ingen sager" not in text and all(label in text for label in LABELS.values())
