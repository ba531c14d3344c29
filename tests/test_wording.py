"""Danish that reads well to a fresh reader (the review of the demo's and the messy sample's packs): a verdict says its
yardstick in a sentence, a recommendation recommends, a zero count is "intet barn" / "ingen", a ranking names no zero
as its lowest, the protection's note in plain words — Danish first, English kept in step."""

from __future__ import annotations

import re

import polars as pl
import pytest

from ledinfo.api import Basis, Chart, Figure, Period, SectionResult, View, Yardstick
from ledinfo.domain.indicators.values import CASELOAD_GUIDELINE, EVERY_DEADLINE
from ledinfo.language import Language
from ledinfo.model.verdicts import Verdict
from ledinfo.plugins.caseload import CaseloadSection
from ledinfo.plugins.ladder_moves import LadderMovesSection
from ledinfo.plugins.placement_outcomes import PlacementOutcomesSection
from ledinfo.texts.summary import takeaway
from ledinfo.words.verdicts import verdict_text

DA, EN = Language("da"), Language("en")
LAW = Yardstick("notification_24h", Basis.LAW, 1.0, label=EVERY_DEADLINE)


def test_a_note_names_a_yardstick_in_words_with_what_it_asks():
    """The notes under a table read "…: vurderet mod loven (alle frister overholdt).", a chart label's words in a
    sentence; a yardstick with a value keeps "årsmålet på mindst 90 %"."""
    from ledinfo.model.verdicts import Margin
    from ledinfo.render.judged import judged_notes

    goal = Yardstick("investigation_4m", Basis.GOAL, 0.9)
    for language, law, aim in (
            (DA, "24 t: vurderet mod loven, der kræver alle frister overholdt.", "4 mdr.: vurderet mod årsmålet på "
                                                                                "mindst 90 %."),
            (EN, "24 h: judged against the law, which asks for every deadline kept.", "4 m: judged against the annual "
                                                                                       "goal of at least 90%.")):
        notes = judged_notes(language, Margin(), 5, {"green"}, [(law.split(":")[0], LAW), (aim.split(":")[0], goal)])
        assert notes[-2:] == [law, aim]


@pytest.mark.parametrize(("level", "danish", "english"), [
    ("red", "Ikke nået: loven kræver alle frister overholdt", "Off track: the law asks for every deadline kept"),
    ("green", "Nået: loven kræver alle frister overholdt", "Met: the law asks for every deadline kept"),
])
def test_a_verdict_says_its_yardstick_in_a_sentence(level, danish, english):
    """ "Ikke nået: loven (alle frister overholdt)" and "Nået: loven" named a yardstick without saying what it asks."""
    verdict = Verdict(level, LAW)
    assert verdict_text(DA, verdict, 5) == danish
    assert verdict_text(EN, verdict, 5) == english
    assert verdict_text(DA, verdict, 5, short=True) == danish[0].lower() + danish[1:]


def test_a_recommendation_recommends_it_does_not_require():
    goal = Yardstick("caseload", Basis.GOAL, 25.0, "at_most", unit="ratio")
    verdict = Verdict("yellow", goal, also=(CASELOAD_GUIDELINE,))
    assert verdict_text(DA, verdict, 5) == "Tæt på (årsmålet på højst 25). Den faglige anbefaling er højst 30 sager pr. årsværk"
    assert verdict_text(EN, verdict, 5) == ("Close (the annual goal of at most 25). The professional guideline is at most "
                                            "30 cases per FTE")


def test_the_protections_note_reads_as_plain_danish():
    message = "Values below {threshold}, and numbers they could be worked out from, are not shown."
    assert DA(message, threshold=5) == "Tal under 5 og tal, som de kan regnes ud fra, vises ikke."


def test_the_volume_and_price_note_says_which_functions_it_counts():
    text = DA("The functions whose deviation is split: those with budgeted full-year persons for every month.")
    assert not text.startswith("Med er")
    assert "helårspersoner" in text and "mængde og pris" in text


# --- a zero count in a sentence: "Intet barn …", "Ingen …", never "0 børn …" --------------------------------------

ZERO = re.compile(r"(?<![\d.,])0 (?!%|af\b|of\b)[^\W\d]")  # "0 børn", "0 anbringelser"; not "0 %" or a share's "0 af 13"


def _view(code, team="A"):
    return View("team_leader", Language(code), team=team, period=Period(2026, 10))


def _ladder(down, up, ended=0, new=0):
    counts = {"down": down, "up": up, "ended": ended, "new": new, "same": 10}
    return SectionResult("ladder_moves", "", figures=[Figure("ladder_moves", n, unit="count", team="A", category=move)
                                                      for move, n in counts.items()])


def _placements(long, planned=0):
    return SectionResult("placement_outcomes", "", figures=[
        Figure("placements_ended", 10, unit="count", team="A"),
        Figure("placement_breakdown", 0.2, 2, 10, team="A"),
        Figure("placement_end_reason", planned, unit="count", team="A", category="planlagt"),
        Figure("long_institution_placements", long, unit="count", team="A")])


def _caseload(above):
    workers = [Figure("caseload", 35.0 if i < above else 10.0, unit="ratio", team="A", staff_id=f"M-{i}")
               for i in range(5)]
    team = Figure("caseload", 25.0, unit="ratio", team="A", extra={"above_guideline": above})
    return SectionResult("caseload", "", figures=[team, *workers])


ZERO_CASES = [  # section, result, what Danish says, what English says
    (LadderMovesSection(), _ladder(0, 0),
     "De seneste 12 måneder er intet barn i teamet rykket ned eller op ad indsatstrappen.",
     "Over the last 12 months no child of the team moved down or up the ladder."),
    (LadderMovesSection(), _ladder(0, 2),
     "De seneste 12 måneder er intet barn rykket ned ad indsatstrappen og 2 børn rykket op.",
     "Over the last 12 months no child moved down the ladder and 2 children moved up."),
    (LadderMovesSection(), _ladder(1, 0),
     "De seneste 12 måneder er 1 barn rykket ned ad indsatstrappen og intet barn rykket op.",
     "Over the last 12 months 1 child moved down the ladder and no child moved up."),
    (LadderMovesSection(), _ladder(1, 1),
     "Intet barn i teamet, der havde en foranstaltning for 12 måneder siden, er uden foranstaltning nu.",
     "No child of the team who had a measure 12 months ago is without one now."),
    (LadderMovesSection(), _ladder(1, 1),
     "Intet barn i teamet har fået sin første foranstaltning.", "No child of the team has got a first measure."),
    (PlacementOutcomesSection(), _placements(0),
     "Ingen af teamets anbringelser på døgninstitution eller opholdssted har varet over 12 måneder.",
     "None of the team's placements in a residential institution or home has lasted over 12 months."),
    (PlacementOutcomesSection(), _placements(0),
     "Ingen anbringelse sluttede som planlagt.", "No placement ended as planned."),
    (CaseloadSection(), _caseload(0),
     "Ingen af de 5 rådgivere har mere end 30 sager pr. årsværk.", "None of the 5 caseworkers is above 30 cases per FTE."),
]


@pytest.mark.parametrize(("section", "result", "danish", "english"), ZERO_CASES,
                         ids=[f"{c[0].name}-{i}" for i, c in enumerate(ZERO_CASES)])
def test_a_zero_count_is_said_in_words(section, result, danish, english):
    for code, expected in (("da", danish), ("en", english)):
        texts = section.narrate(result, _view(code))
        assert expected in texts, (code, texts)
        assert not [text for text in texts if ZERO.search(text)], (code, texts)


def test_a_count_ranking_names_no_zero_as_its_lowest():
    """ "Højest: Som planlagt (39); lavest: Årsag ikke registreret (0)": a count of none is no one's lowest."""
    frame = pl.DataFrame({"reason": ["planlagt", "sammenbrud", "ukendt"], "count": [39, 9, 0]})
    chart = Chart("end_reasons", "", "hbar", frame, x="reason", y="count", y_format="count", team_column=None,
                  value_labels={"planlagt": {"da": "Som planlagt", "en": "As planned"},
                                "sammenbrud": {"da": "Sammenbrud", "en": "Breakdown"},
                                "ukendt": {"da": "Årsag ikke registreret", "en": "Reason not recorded"}})
    da, en = takeaway(chart, View("committee", DA)), takeaway(chart, View("committee", EN))
    assert da == "Højest: Som planlagt (39); lavest: Sammenbrud (9)." and "(0)" not in da
    assert en == "Highest: As planned (39); lowest: Breakdown (9)."


# --- what the extract lacks: in words for the committee and directors, by its column name for a team leader ---------

COLUMN_NAME = re.compile(r"\b(?:cases|measures|budget|staff|notifications|investigations|reviews)\.[a-z_]+\b"
                         r"|\bkolonne(?:n)?\b|\bcolumn\b|\boccupation\b")


def _without_end_reasons():
    return SectionResult("placement_outcomes", "", figures=[Figure("placements_ended", 10, unit="count")])


@pytest.mark.parametrize("code", ["da", "en"])
def test_a_missing_column_is_named_only_to_a_team_leader(code):
    from ledinfo.plugins.volume_price import VolumePriceSection

    for section, result in ((PlacementOutcomesSection(), _without_end_reasons()),
                            (VolumePriceSection(), SectionResult("volume_price", ""))):
        for audience, team in (("committee", None), ("director", None)):
            texts = section.narrate(result, View(audience, Language(code), team=team, period=Period(2026, 10)))
            assert texts and not [text for text in texts if COLUMN_NAME.search(text)], (audience, texts)
        texts = section.narrate(result, View("team_leader", Language(code), team="A", period=Period(2026, 10)))
        assert [text for text in texts if COLUMN_NAME.search(text)], texts


def test_a_note_about_the_extract_is_said_in_words_to_the_committee_and_by_its_column_to_a_team_leader():
    from ledinfo.api import N_, ForReaders
    from ledinfo.disclosure.disclose import disclose
    from ledinfo.words.formatting import translate

    note = ForReaders(N_("The extract does not say why a measure ended (planned, breakdown, move, age, other). With "
                         "it, this section also shows how many placements broke down."),
                      N_("The extract has no column measures.end_reason (why a measure ended: planlagt, sammenbrud, "
                         "flytning, alder, andet). With it, this section also shows how many placements broke down."))
    result = SectionResult("placement_outcomes", "", notes=[note, N_("A plain note.")])
    said = {audience: [translate(DA, n) for n in disclose(result, View(audience, DA, team=team)).notes]
            for audience, team in (("committee", None), ("director", None), ("team_leader", "A"))}
    for audience in ("committee", "director"):
        assert said[audience][0].startswith("Udtrækket siger ikke, hvorfor en foranstaltning sluttede"), said
        assert not COLUMN_NAME.search(said[audience][0])
    assert "measures.end_reason" in said["team_leader"][0]
    assert said["committee"][1] == said["team_leader"][1] == "A plain note."


def _pdf_texts(folder, packs):
    from pdfcheck import pdf_text

    return {pack: pdf_text(folder / f"{pack}.pdf") for pack in packs}


def test_the_built_committee_and_director_packs_name_no_column_of_the_extract(demo_packs, messy_packs):
    """The messy sample's committee pack said "udtrækket har ikke kolonnen measures.end_reason" and
    "budget.budget_volume", every pack's Efterværn note "ingen kolonne occupation": a politician reads what is
    missing in words. A team leader's pack still names the column, for the person who makes the extract."""
    messy, _ = messy_packs("2024-03")
    for folder in (demo_packs, messy):
        for pack, text in _pdf_texts(folder, ("udvalg", "direktion")).items():
            assert not COLUMN_NAME.findall(text), (folder, pack, COLUMN_NAME.findall(text))
    team_texts = " ".join(_pdf_texts(messy, [p.stem for p in messy.glob("team-*.pdf")]).values())
    assert {"measures.end_reason", "kolonnen"} <= set(COLUMN_NAME.findall(team_texts)), set(COLUMN_NAME.findall(team_texts))


def test_a_built_pack_says_no_zero_count_in_a_sentence(demo_packs, messy_packs):
    """ "0 børn rykket ned …", "0 anbringelser på døgninstitution …" in the demo's and the messy sample's packs."""
    from pdfcheck import pdf_text

    messy, _ = messy_packs("2024-03")
    for folder in (demo_packs, messy):
        for pdf in sorted(folder.glob("*.pdf")):
            zeros = [line for line in pdf_text(pdf).splitlines() if re.search(r"(?:^|[.:] |\ber )0 (?:børn|barn|"
                                                                                  r"anbringelser?|rådgivere)\b", line)]
            assert not zeros, (pdf.name, zeros)


def test_a_ranking_names_every_row_tied_at_its_end_and_none_where_all_read_the_same():
    """ "lavest: Andet (3)" beside "Flyttet til anden kommune" at 3 too; "Lavest: 2024 (17 %); højest: 2022 (17 %)":
    a reader checks the ranking against the numbers it prints."""
    frame = pl.DataFrame({"reason": ["planlagt", "flytning", "andet"], "count": [39, 3, 3]})
    labels = {"planlagt": {"da": "Som planlagt", "en": "As planned"},
              "flytning": {"da": "Flyttet til anden kommune", "en": "Moved to another municipality"},
              "andet": {"da": "Andet", "en": "Other"}}
    chart = Chart("end_reasons", "", "hbar", frame, x="reason", y="count", y_format="count", team_column=None,
                  value_labels=labels)
    assert takeaway(chart, View("committee", DA)) == "Højest: Som planlagt (39); lavest: Flyttet til anden kommune og " \
                                                    "Andet (3)."
    assert takeaway(chart, View("committee", EN)) == "Highest: As planned (39); lowest: Moved to another municipality " \
                                                    "and Other (3)."
    years = pl.DataFrame({"year": ["2022", "2023", "2024"], "share": [0.1704, 0.1702, 0.1696]})
    same = Chart("years", "", "bar", years, x="year", y="share", y_format="share", team_column=None)
    assert takeaway(same, View("committee", DA)) is None


def test_a_section_left_out_names_the_missing_table_only_to_a_team_leader():
    """ "udtrækket mangler tabellen staff" on a committee's page "Afsnit udeladt": said in words there."""
    from ledinfo.pipeline.build import _why_left_out

    assert _why_left_out(["staff", "budget"], (), DA, in_words=True) == \
        "udtrækket har ingen oplysninger om personalet og budgettet"
    assert _why_left_out(["staff"], ("staff",), EN, in_words=True) == "the extract's information on the staff is empty"
    assert _why_left_out(["staff"], (), DA, in_words=False) == "udtrækket mangler tabellen staff"


@pytest.mark.parametrize("text", ["× Ikke nået: den lokale standard kræver alle sager fulgt op",
                                  "√ Nået: den faglige anbefaling er højst 30 sager pr. årsværk",
                                  "~ Tæt på (årsmålet på mindst 90 %). Loven kræver alle frister overholdt"])
def test_a_tiles_verdict_leaves_no_word_alone_on_its_last_line(text):
    """The messy sample's directors' tile read "… kræver alle sager fulgt / op": the verdict's last two words are
    held together wherever they fit, at every tile width a pack uses (two to five tiles a row)."""
    from ledinfo.render.pdf import CARD_PADDING, CONTENT_WIDTH, _styles, _tile_verdict

    style = _styles()["card_sub"]
    for tiles in (2, 3, 4, 5):
        room = CONTENT_WIDTH / tiles - CARD_PADDING
        paragraph = _tile_verdict(text, "#000000", style, room)
        paragraph.wrap(room, 1000)
        lines = [_line_text(line) for line in paragraph.blPara.lines]
        if len(lines) > 1:
            assert len(lines[-1].replace("\u00a0", " ").split()) >= 2, (tiles, lines)


def _line_text(line) -> str:
    """A laid-out line's text: a plain paragraph's line is (width, words); one with markup holds fragments."""
    if isinstance(line, tuple):
        return " ".join(line[1])
    return "".join(getattr(word, "text", "") if not isinstance(word, str) else word for word in line.words)


def test_a_team_named_as_a_sentences_subject_is_said_to_be_a_team():
    """ "Børn ligger lavest på …" and "Unge bør have direktionens opmærksomhed først" read as "children" and "young
    people" (a fresh reader's finding): the summary names a team as "Team Børn"; "Team Nord" stays as it is."""
    from ledinfo.texts.summary import team_subject

    assert team_subject(DA, "Børn") == "Team Børn" and team_subject(EN, "Unge") == "Team Unge"
    assert team_subject(DA, "Team Nord") == "Team Nord" and team_subject(DA, "Teamet for unge") == "Teamet for unge"


@pytest.mark.parametrize(("language", "expected"), [
    (DA, "* Ikke vurderet (færre end 5 sager; årsmålet på mindst 90 %). Loven kræver alle frister overholdt"),
    (EN, "* Not judged (fewer than 5 cases; the annual goal of at least 90%). The law asks for every deadline kept")])
def test_a_verdict_of_too_few_cases_beside_a_second_yardstick_has_one_pair_of_brackets(language, expected):
    """A team's tile read "Ikke vurderet (færre end 5 sager) (årsmålet på mindst 90 %)" (a fresh reader)."""
    verdict = Verdict("few", Yardstick("investigation_4m", Basis.GOAL, 0.9), also=(LAW,))
    assert verdict_text(language, verdict, 5, symbol=True) == expected


def test_a_month_is_short_in_three_letters_in_each_language():
    """English packs read "Sept 26" beside "Oct 26" and "Aug 26" (en_GB's CLDR form): the one four-letter month."""
    assert EN.month_abbr(2026, 9) == "Sep 26" and EN.period_medium(Period(2026, 9)) == "Sep 2026"
    assert DA.month_abbr(2026, 9) == "sep 26" and DA.period_medium(Period(2026, 10)) == "okt. 2026"
    assert EN.d3_locale()[1]["shortMonths"][8] == "Sep"
    assert all(len(EN.month_abbr(2026, month).split()[0]) == 3 for month in range(1, 13))


def test_a_label_of_its_own_brackets_takes_its_period_into_them():
    """"Børnefaglig undersøgelse inden for 2 måneder (lokal standard) (marts 2024)" in the directors' summary."""
    from ledinfo.api import label_of_period

    local = {"da": "Undersøgelse inden for 2 måneder (lokal standard)", "en": "Investigation within 2 months (local standard)"}
    assert label_of_period(local, Period(2024, 3)) == {"da": "Undersøgelse inden for 2 måneder (lokal standard, marts 2024)",
                                                       "en": "Investigation within 2 months (local standard, March 2024)"}
    assert label_of_period({"da": "Løbende opfølgning", "en": "Ongoing follow-up"}, Period(2024, 3)) == \
        {"da": "Løbende opfølgning (marts 2024)", "en": "Ongoing follow-up (March 2024)"}
