"""Supervision as done (issue 24): the cases reviewed against the local standard, worked out by hand on the
small extract; ledinfo's drawn sample shown only where the municipality reviews it."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from ledinfo.api.small_extract import small_tables
from ledinfo.api.testing import frames_to_extract, render_section
from ledinfo.domain.indicators.supervision import (
    draw_sample,
    sample_reviewed_when_closed,
    supervision_completion,
    supervision_coverage,
    uses_sample,
)
from ledinfo.interfaces.section import View
from ledinfo.language import Language
from ledinfo.model.period import Period
from ledinfo.model.results import Over
from ledinfo.plugins.supervision import SupervisionSection

D = dt.date
MARCH, Q1 = Period(2024, 3), Period.parse("2024-Q1")


def reviewed(tables, *rows: tuple[str, dt.date]):
    """``tables`` with a ledelsestilsyn on each (case, day) added."""
    more = pl.DataFrame({"case_id": [case for case, _ in rows], "date": [day for _, day in rows],
                         "kind": ["ledelsestilsyn"] * len(rows)})
    tables["activities"] = pl.concat([tables["activities"], more], how="diagonal_relaxed")
    return tables


def hand_worked():
    """The small extract (docs in ledinfo.api.small_extract) reviews S10 on 10 March already. Added:

    - S10 again on 20 March: one case, counted once in March;
    - S8 on 30 March: Unge's, closed on the 31st, so active on the day: counted;
    - S3 on 5 March: closed on 1 February, S5 on 15 March: opened 2 April: no active case, not counted;
    - S1 on 28 February: February's, not March's.

    Caseworkers employed at the end of March: M1, M2 (Børn), M4 (Unge; M3 left on 15 March): 3 required.
    """
    return reviewed(small_tables(), ("S10", D(2024, 3, 20)), ("S8", D(2024, 3, 30)), ("S3", D(2024, 3, 5)),
                    ("S5", D(2024, 3, 15)), ("S1", D(2024, 2, 28)))


def rows(frame: pl.DataFrame) -> dict:
    return {team: (done, required) for team, done, required in frame.iter_rows()}


def test_coverage_counts_distinct_active_cases_reviewed_against_one_per_caseworker():
    x = frames_to_extract(hand_worked())
    march = supervision_coverage(x["cases"], x["staff"], x["activities"], MARCH)
    assert rows(march) == {None: (2, 3), "Børn": (1, 2), "Unge": (1, 1)}  # S10, S8 / M1, M2, M4
    assert march["team"].to_list()[0] is None  # the municipality's row first
    # the local standard asks for two a caseworker: twice the requirement, the same reviews
    assert rows(supervision_coverage(x["cases"], x["staff"], x["activities"], MARCH, 2)) == {
        None: (2, 6), "Børn": (1, 4), "Unge": (1, 2)}


def test_a_quarters_coverage_adds_up_its_months():
    """January: no review, 4 caseworkers (M3 still employed); February: S1, 4; March: S10 and S8, 3."""
    x = frames_to_extract(hand_worked())
    quarter = supervision_coverage(x["cases"], x["staff"], x["activities"], Q1)
    assert rows(quarter) == {None: (3, 11), "Børn": (2, 6), "Unge": (1, 5)}


def test_the_section_shows_coverage_and_leaves_out_a_sample_nobody_reviews():
    rendered = render_section(SupervisionSection(), frames_to_extract(hand_worked()))
    section = rendered.json["sections"][0]
    assert "I marts 2024 er 2 sager gennemgået: 67 % af kravet i den lokale standard (3)." in section["texts"]
    coverage = next(t for t in section["tables"] if t["id"] == "supervision_coverage")
    assert [(r["team"], r["reviewed"], r["required"]) for r in coverage["rows"]] == [
        ("Børn", 1, 2), ("Unge", 1, 1), (None, 2, 3)]
    # not one of the six reviews of the year was on the drawn case: no sample, no "0 % of the sample reviewed"
    assert "supervision_sample" not in [t["id"] for t in section["tables"]]
    assert "stikprøven" not in " ".join(section["texts"])
    assert "Stikprøve gennemgået" not in rendered.text
    assert "Ledelsestilsyn i forhold til den lokale standard" in rendered.text
    leader = render_section(SupervisionSection(), frames_to_extract(hand_worked()), audience="team_leader", team="Børn")
    actions = SupervisionSection().actions(leader.result, View("team_leader", Language("da"), "Børn"))
    assert [a.text for a in actions] == ["Næste måneds ledelsestilsyn: tema »Beregninger«."]  # no count of a sample
    indicator = SupervisionSection().indicators(None)[0]
    assert (indicator.id, indicator.over) == ("supervision_coverage", Over.SPAN)


def test_the_sample_is_shown_where_the_municipality_reviews_it_or_is_told_to_be():
    tables = small_tables()
    x = frames_to_extract(tables)
    sample = draw_sample(x["cases"], x["staff"], MARCH)["case_id"].to_list()
    on_sample = frames_to_extract(reviewed(small_tables(), *((case, D(2024, 3, 12)) for case in sample)))
    assert uses_sample(on_sample["cases"], on_sample["staff"], on_sample["activities"], MARCH)
    assert not uses_sample(*(frames_to_extract(hand_worked())[t] for t in ("cases", "staff", "activities")), MARCH)
    none = frames_to_extract({**small_tables(), "activities": small_tables()["activities"].filter(
        pl.col("kind") != "ledelsestilsyn")})
    assert uses_sample(none["cases"], none["staff"], none["activities"], MARCH)  # none yet: offered the sample

    shown = render_section(SupervisionSection(), on_sample, audience="team_leader", team="Børn").json["sections"][0]
    assert "supervision_sample" in [t["id"] for t in shown["tables"]]  # the team leader's list to work from
    assert any(text.endswith("af stikprøven gennemgået.") for text in shown["texts"])
    told = render_section(SupervisionSection(), frames_to_extract(hand_worked()), audience="team_leader", team="Børn",
                          plugins={"supervision": {"use_sample": True}}).json["sections"][0]
    assert "supervision_sample" in [t["id"] for t in told["tables"]]
    assert any(text.endswith("af stikprøven gennemgået.") for text in told["texts"])


def test_each_tile_says_its_base_the_same_way_and_the_page_says_once_what_can_be_changed(tmp_path):
    """A fresh reader of the directors' pack saw three tiles on three bases, one with none ("89 %" beside "28 af 36"
    and "4 af 32"), and "(kan ændres)" twice in the notes under them. Each tile now says what its base counts:
    the cases the local standard asks for, the sample's cases, the reviews; the notes say once what can be changed."""
    tables = small_tables()
    x = frames_to_extract(tables)
    sample = draw_sample(x["cases"], x["staff"], MARCH)["case_id"].to_list()
    on_sample = frames_to_extract(reviewed(small_tables(), *((case, D(2024, 3, 12)) for case in sample)))
    for extract, folder in ((on_sample, "sample"), (frames_to_extract(hand_worked()), "chosen")):
        text = " ".join(render_section(SupervisionSection(), extract, out_dir=tmp_path / folder).text
                        .replace("\u00a0", " ").split())
        tiles = re.findall(r"\d+ af \d+ (\w+)", text.split("Ledelsestilsyn i forhold til den lokale standard")[1])
        expected = ["sager", "sager", "gennemgange"] if folder == "sample" else ["sager", "gennemgange"]
        assert tiles[:len(expected)] == expected, (folder, tiles)
        assert text.count("kan ændres") == 1, folder


def test_a_sample_case_reviewed_after_it_was_closed_is_why_the_sample_and_the_standard_differ():
    """A fresh reader saw "5 af 5 sager af stikprøven" gennemgået beside "4 sager gennemgået" on one page and took it
    for a contradiction: one sampled case was reviewed after it was closed, which the sample counts and the local
    standard (active cases) does not. The page now says so, with the count."""
    x = frames_to_extract(small_tables())
    sample = draw_sample(x["cases"], x["staff"], MARCH)
    closed_case, team = sample["case_id"][0], sample["team"][0]
    tables = small_tables()
    tables["activities"] = tables["activities"].filter(pl.col("kind") != "ledelsestilsyn")  # the sample's reviews only
    # the first sampled case closed on 5 March; every sampled case reviewed on 12 March
    tables["cases"] = tables["cases"].with_columns(
        pl.when(pl.col("case_id") == closed_case).then(pl.lit(D(2024, 3, 5))).otherwise(pl.col("closed_on"))
        .alias("closed_on"))
    x = frames_to_extract(reviewed(tables, *((case, D(2024, 3, 12)) for case in sample["case_id"])))
    frames = x["cases"], x["staff"], x["activities"]
    closed = sample_reviewed_when_closed(*frames, MARCH)
    assert closed.rows() == [(team, 1)]
    done = supervision_completion(*frames, MARCH).filter(pl.col("team") == team)["done"].sum()
    covered = rows(supervision_coverage(*frames, MARCH))[team][0]
    assert done == covered + 1  # the one difference, and the whole of it
    assert sample_reviewed_when_closed(*frames, Q1).rows() == [(team, 1)]  # a quarter adds up its months

    texts = render_section(SupervisionSection(), x, audience="team_leader", team=team).json["sections"][0]["texts"]
    assert ("1 af stikprøvens sager blev gennemgået, efter at sagen var lukket: den tæller med i stikprøven, men "
            "ikke i den lokale standard, som tæller aktive sager.") in texts
    other = next(t for t in sample["team"].unique().to_list() if t != team)
    others = render_section(SupervisionSection(), x, audience="team_leader", team=other).json["sections"][0]["texts"]
    assert not any("efter at sag" in text for text in others)  # no such case in the other team: nothing said
