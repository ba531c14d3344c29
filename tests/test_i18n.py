"""Danish first: a complete catalogue, Danish numbers and dates, æøå, and plural forms that agree with the number."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

import ledinfo.language as i18n
from ledinfo.api import Figure, Period, SectionResult, Table, View
from ledinfo.language import Language, danish_sort_key, extract_message_ids, message_key, slug
from ledinfo.plugins.caseload import CaseloadSection
from ledinfo.plugins.compliance import ComplianceSection
from ledinfo.plugins.goals import _status
from ledinfo.plugins.measures_mix import MeasuresMixSection
from ledinfo.plugins.notifications import NotificationsSection
from ledinfo.plugins.six_week_followup import SixWeekFollowupSection
from ledinfo.plugins.supervision import SupervisionSection
from ledinfo.plugins.turnover import TurnoverSection
from ledinfo.texts.summary import takeaway
from ledinfo.words.sentences import change_text


def test_every_message_id_in_the_code_has_a_danish_translation():
    ids = extract_message_ids(Path(i18n.__file__).parents[1])
    danish = Language("da")
    plain, plurals = danish._messages(), danish._plurals()
    missing = sorted((m for m in ids if (m not in plain if isinstance(m, str) else m[0] not in plurals)), key=message_key)
    assert not missing, f"untranslated (run scripts/update_catalogue.py): {missing}"
    assert len(ids) > 50
    assert sum(isinstance(m, tuple) for m in ids) >= 20, "the count sentences are plural messages"


def test_building_the_demo_asks_for_no_untranslated_message(demo_packs):
    from conftest import DEMO_MISSING

    assert not DEMO_MISSING, sorted(DEMO_MISSING, key=message_key)


def test_danish_and_english_numbers_and_dates():
    da, en = Language("da"), Language("en")
    assert da.number(1234.5) == "1.234,5" and en.number(1234.5) == "1,234.5"
    assert da.percent(0.734) == "73 %" and en.percent(0.734) == "73%"
    assert da.integer(1234567) == "1.234.567"
    assert da.date(dt.date(2026, 10, 31)) == "31. oktober 2026"
    assert da.short_date(dt.date(2026, 10, 1)) == "01.10.2026"
    assert da.money(153_400_000) == "153,4 mio. kr."
    assert da("Page {page} of {pages}", page=1, pages=7) == "Side 1 af 7"


def test_a_number_reads_the_same_however_often_and_in_whatever_order_it_is_printed():
    """Babel's numbers are kept once made (language._babel_number): values that compare equal but print otherwise
    stay apart — 0.0 and -0.0 ("-0" is what Babel makes of the latter) — and each is rounded half up every time."""
    da = Language("da")
    for _ in range(2):
        assert [da.integer(0.0), da.integer(-0.0), da.integer(0)] == ["0", "-0", "0"]
        assert [da.percent(-0.0), da.percent(0.0)] == ["-0 %", "0 %"]
        assert [da.number(2.25), da.number(0.125, 2), da.integer(2.5), da.number(1, 1)] == ["2,3", "0,13", "3", "1,0"]
    assert [da.short_date(dt.date(2026, 1, 2)), da.short_date(dt.date(2026, 2, 1))] == ["02.01.2026", "01.02.2026"]


def test_a_share_near_none_or_all_keeps_a_decimal():
    """0 % and 100 % only when it is none or all: 3 of 913 is 0,3 %, 912 of 913 is 99,9 %."""
    da, en = Language("da"), Language("en")
    assert da.percent(3 / 913) == "0,3 %" and en.percent(3 / 913) == "0.3%"
    assert da.percent(912 / 913) == "99,9 %" and en.percent(912 / 913) == "99.9%"
    assert da.percent(9996 / 10000) == "99,96 %" and da.percent(4 / 10000) == "0,04 %"
    assert da.percent(0) == "0 %" and da.percent(1) == "100 %"
    assert da.percent(0.5) == "50 %" and da.percent(0.987) == "99 %" and da.percent(0.992) == "99,2 %"


def test_a_plural_message_takes_the_form_the_number_asks_for():
    da, en = Language("da"), Language("en")
    assert da.plural("{count} day", "{count} days", 1) == "1 dag"
    assert da.plural("{count} day", "{count} days", 0) == "0 dage"
    assert da.plural("{count} day", "{count} days", 1461) == "1.461 dage"
    assert en.plural("{count} day", "{count} days", 1) == "1 day" and en.plural("{count} day", "{count} days", 2) == "2 days"


def test_an_untranslated_plural_is_recorded_as_its_pair():
    before = set(i18n.MISSING)
    try:
        assert Language("da").plural("{count} unheard-of thing", "{count} unheard-of things", 2) == "2 unheard-of things"
        assert ("{count} unheard-of thing", "{count} unheard-of things") in i18n.MISSING
    finally:
        i18n.MISSING.intersection_update(before)


# --- every count sentence, singular and plural, in Danish and English ----------------------------------------------

def _count(indicator, n, team=None, **extra):
    return Figure(indicator, n, unit="count", team=team, extra=extra)


def _texts(section, result, code, team=None):
    view = View("team_leader" if team else "committee", Language(code), team=team, period=Period(2026, 10))
    return [a.text for a in section.actions(result, view)] + section.narrate(result, view)


def _compliance(n):
    return SectionResult("compliance", "", figures=[_count("overdue_steps", n, "A"), _count("steps_due_soon", n, "A"),
                                                    _count("investigation_overdue", n, "A")])


def _caseload(n):
    workers = [Figure("caseload", 35.0, unit="ratio", team="A", staff_id=f"M-{i}") for i in range(n)]
    workers.append(Figure("caseload", 10.0, unit="ratio", team="A", staff_id="M-x"))
    # the team's figure counts its caseworkers above the guideline, as the section computes it (caseload_by_team)
    team = Figure("caseload", 25.0, unit="ratio", team="A", extra={"above_guideline": n})
    return SectionResult("caseload", "", figures=[team,
                                                  _count("cases_without_caseworker", n, "A"), *workers])


def _measures(n):
    return SectionResult("measures_mix", "", figures=[_count("placements", n), _count("preventive", n),
                                                      _count("new_placements_12m", n), _count("placements_reference", n)])


def _notifications(n):
    return SectionResult("notifications", "", figures=[
        _count("notifications", n), _count("notifications_12m", n), _count("notifications_reference", n),
        _count("repeat_notifications", n)])


def _supervision(n):
    return SectionResult("supervision", "", figures=[_count("supervision_sample", n, theme="Beregninger"),
                                                     _count("supervision_sample", n, "A", theme="Beregninger")])


def _followup(n):
    frame = pl.DataFrame({"team": ["A"] * n, "case_id": [f"S-{i}" for i in range(n)], "caseworker_id": ["R1"] * n,
                          "late": [True] * n, "days_without": [50] * n, "days_since": [50] * n,
                          "days_open": [300] * n, "last_contact_on": [dt.date(2026, 9, 11)] * n,
                          "opened_on": [dt.date(2025, 12, 4)] * n, "contact_due": [dt.date(2026, 10, 23)] * n})
    return SectionResult("six_week_followup", "", tables=[Table("no_followup", "", frame, ())], figures=[
        Figure("six_week_followup", 0.5, 10, 20, team="A"), Figure("six_week_followup", 0.5 - n / 100, 10, 20,
                                                                    team="A", period="2026-09"),
        Figure("six_week_followup", 0.5, 10, 20, team="A", period="2026-10"), _count("cases_without_contact", n, "A")])


def _turnover(n):
    return SectionResult("turnover", "", figures=[Figure("turnover", n / 10, n, 10, team="A")])


CASES = [  # section, result for n, team, (Danish for 1, Danish for 2), (English for 1, English for 2)
    (ComplianceSection(), _compliance, "A",
     ("1 frist er overskredet.", "2 frister er overskredet."),
     ("1 step is past its deadline.", "2 steps are past their deadline.")),
    (ComplianceSection(), _compliance, "A",
     ("1 frist udløber inden for de næste 30 dage.", "2 frister udløber inden for de næste 30 dage."),
     ("1 step is due in the next 30 days.", "2 steps are due in the next 30 days.")),
    (ComplianceSection(), _compliance, "A",
     ("1 åben undersøgelse har overskredet fristen på 4 måneder.",
      "2 åbne undersøgelser har overskredet fristen på 4 måneder."),
     ("1 open investigation is past the 4-month deadline.", "2 open investigations are past the 4-month deadline.")),
    (CaseloadSection(), _caseload, "A",
     ("1 aktiv sag har ingen ansat rådgiver.", "2 aktive sager har ingen ansat rådgiver."),
     ("1 active case has no employed caseworker.", "2 active cases have no employed caseworker.")),
    (CaseloadSection(), _caseload, "A",
     ("1 aktiv sag har ingen ansat rådgiver og skal fordeles.", "2 aktive sager har ingen ansat rådgiver og skal fordeles."),
     ("1 active case has no employed caseworker and needs to be reassigned.",
      "2 active cases have no employed caseworker and need to be reassigned.")),
    (CaseloadSection(), _caseload, "A",
     ("1 af 2 rådgivere har mere end 30 sager pr. årsværk.", "2 af 3 rådgivere har mere end 30 sager pr. årsværk."),
     ("1 of 2 caseworkers is above 30 cases per FTE.", "2 of 3 caseworkers are above 30 cases per FTE.")),
    (MeasuresMixSection(), _measures, None,
     ("1 barn har en forebyggende foranstaltning.", "2 børn har en forebyggende foranstaltning."),
     ("1 child has a preventive measure.", "2 children have a preventive measure.")),
    (MeasuresMixSection(), _measures, None,
     ("1 barn er anbragt uden for hjemmet.", "2 børn er anbragt uden for hjemmet."),
     ("1 child is placed outside the home.", "2 children are placed outside the home.")),
    (MeasuresMixSection(), _measures, None,
     ("1 anbringelse er startet de seneste 12 måneder.", "2 anbringelser er startet de seneste 12 måneder."),
     ("1 placement started in the last 12 months.", "2 placements started in the last 12 months.")),
    (MeasuresMixSection(), _measures, None,
     ("ville have omkring 1 anbragt barn.", "ville have omkring 2 anbragte børn."),
     ("would have about 1 placed child.", "would have about 2 placed children.")),
    (NotificationsSection(), _notifications, None,
     ("Der er modtaget 1 underretning i oktober 2026.", "Der er modtaget 2 underretninger i oktober 2026."),
     ("1 notification was received in October 2026.", "2 notifications were received in October 2026.")),
    (NotificationsSection(), _notifications, None,
     ("Der er modtaget 1 underretning de seneste 12 måneder.", "Der er modtaget 2 underretninger de seneste 12 måneder."),
     ("1 notification was received in the last 12 months.", "2 notifications were received in the last 12 months.")),
    (NotificationsSection(), _notifications, None,
     ("modtage omkring 1 underretning om året.", "modtage omkring 2 underretninger om året."),
     ("about 1 notification a year.", "about 2 notifications a year.")),
    (NotificationsSection(), _notifications, None,
     ("1 barn har fået 2 eller flere underretninger", "2 børn har fået 2 eller flere underretninger"),
     ("1 child was notified twice or more", "2 children were notified twice or more")),
    (SupervisionSection(), _supervision, "A",
     ("Næste måneds ledelsestilsyn: 1 sag, tema »Beregninger«.", "Næste måneds ledelsestilsyn: 2 sager, tema »Beregninger«."),
     # the default wheel's themes in the pack's language: an English pack said “Beregninger” (a fresh reader)
     ("Next month's supervision: 1 case, theme “Calculations”.", "Next month's supervision: 2 cases, theme “Calculations”.")),
    (SixWeekFollowupSection(), _followup, "A",
     ("1 sag har ikke haft kontakt i mindst 6 uger; den står", "2 sager har ikke haft kontakt i mindst 6 uger; de står"),
     ("1 case has had no contact for at least 6 weeks; it is", "2 cases have had no contact for at least 6 weeks; they are")),
    (SixWeekFollowupSection(), _followup, "A",
     ("Det er 1 procentpoint højere end i september 2026.", "Det er 2 procentpoint højere end i september 2026."),
     ("That is up 1 percentage point from September 2026.", "That is up 2 percentage points from September 2026.")),
    (TurnoverSection(), _turnover, "A",
     ("1 rådgiver er stoppet de seneste 12 måneder", "2 rådgivere er stoppet de seneste 12 måneder"),
     ("1 caseworker left in the last 12 months", "2 caseworkers left in the last 12 months")),
]


@pytest.mark.parametrize(("section", "result_for", "team", "danish", "english"), CASES,
                         ids=[f"{c[0].name}-{i}" for i, c in enumerate(CASES)])
def test_a_count_sentence_agrees_with_its_number(section, result_for, team, danish, english):
    for n in (1, 2):
        for code, expected in (("da", danish), ("en", english)):
            texts = " ".join(_texts(section, result_for(n), code, team))
            assert expected[n - 1] in texts, (code, n, texts)
            assert expected[2 - n] not in texts, (code, n, texts)


def test_the_goal_count_agrees_with_the_number_of_goals():
    from ledinfo.api import Basis, Verdict, Yardstick

    def goals(*levels):
        figures = [Figure(f"g{i}", 0.5, extra={"target": 0.8},
                          verdict=Verdict(level, Yardstick(f"g{i}", Basis.GOAL, 0.8))) for i, level in enumerate(levels)]
        return SectionResult("goals", "", figures=figures)

    da, en = View("committee", Language("da")), View("committee", Language("en"))
    assert _status(goals("green"), da)[0] == "Af 1 mål er 1 nået, 0 tæt på og 0 ikke nået."
    assert _status(goals("green"), en)[0] == "Of 1 goal: 1 met, 0 close, 0 off track."
    assert _status(goals("green", "red", "yellow"), en)[0] == "Of 3 goals: 1 met, 1 close, 1 off track."
    assert _status(goals("green", "few"), da)[0] == ("Af 2 mål er 1 nået, 0 tæt på og 0 ikke nået. 1 mål er ikke "
                                                    "vurderet: det hviler på færre end 5 sager eller på ingen.")


def test_a_change_in_points_and_a_count_of_days_agree_with_the_number():
    da, en = Language("da"), Language("en")
    before, one, two = Figure("x", 0.40), Figure("x", 0.41), Figure("x", 0.38)
    september, quarter = Period(2026, 9), Period.parse("2026-Q2")
    assert change_text(en, one, before, september) == "up 1 percentage point from September 2026"
    assert change_text(en, two, before, september) == "down 2 percentage points from September 2026"
    assert change_text(da, one, before, september) == "1 procentpoint højere end i september 2026"
    assert change_text(da, two, before, quarter) == "2 procentpoint lavere end i 2. kvartal 2026"
    assert change_text(da, one, None, september) is None
    from ledinfo.words.formatting import format_figure
    assert format_figure(da, Figure("d", 1, unit="days"), 5)[0] == "1 dag"
    assert format_figure(en, Figure("d", 302, unit="days"), 5)[0] == "302 days"

@pytest.mark.parametrize(("now", "before", "da_says", "en_says"), [
    # team-modtagelse: 76,6 % against 77,1 % print 77 % and 77 %: the same, as the reader sees it
    (0.766, 0.771, "uændret fra september 2026", "unchanged from September 2026"),
    # team-anbringelse: 85,5 % against 84,4 % print 86 % and 84 %: 2 points as printed, not the raw 1,1 (rounded 1)
    (0.855, 0.844, "2 procentpoint højere end i september 2026", "up 2 percentage points from September 2026"),
    (0.844, 0.855, "2 procentpoint lavere end i september 2026", "down 2 percentage points from September 2026"),
    # 86,4 % against 83,6 %: 86 % and 84 % printed, 2 points (the raw 2,8 would say 3)
    (0.864, 0.836, "2 procentpoint højere end i september 2026", "up 2 percentage points from September 2026"),
    # a share printed with a decimal (99,5 % against 98 %): the difference of what is printed, with its decimal
    (0.995, 0.98, "1,5 procentpoint højere end i september 2026", "up 1.5 percentage points from September 2026"),
])
def test_a_change_in_points_is_the_difference_of_the_shares_as_printed(now, before, da_says, en_says):
    """A reader checks "Det er 1 procentpoint lavere" against "77 % … sep 26: 77 %" beside it: the sentence says
    the difference of the printed, rounded shares, and "uændret" when they read the same."""
    da, en = Language("da"), Language("en")
    september = Period(2026, 9)
    current, previous = Figure("x", now), Figure("x", before)
    assert change_text(da, current, previous, september) == da_says
    assert change_text(en, current, previous, september) == en_says
    printed = [float(da.percent(v).removesuffix(" %").replace(",", ".")) for v in (now, before)]
    said = 0.0 if "uændret" in da_says else float(da_says.split()[0].replace(",", "."))
    assert said == pytest.approx(abs(printed[0] - printed[1]))


@pytest.mark.parametrize(("caseload", "says"), [
    (24.0, "Nået (årsmålet på højst 25). Den faglige anbefaling er højst 30 sager pr. årsværk."),
    (27.0, "Tæt på (årsmålet på højst 25). Den faglige anbefaling er højst 30 sager pr. årsværk."),
    (29.5, "Ikke nået (årsmålet på højst 25). Den faglige anbefaling er højst 30 sager pr. årsværk."),
])
def test_the_caseload_sentence_says_its_one_verdict_and_the_guideline_in_words(caseload, says):
    """A caseload of 29,5 against the goal of 25 is "ikke nået", never "within the guideline" beside a red cell."""
    from ledinfo.api import Basis, Yardstick
    from ledinfo.domain.indicators.values import CASELOAD_GUIDELINE
    from ledinfo.model.verdicts import Margin, Yardsticks, judge_result

    result = SectionResult("caseload", "", figures=[Figure("caseload", caseload, 590, 20.0, "ratio")])
    judge_result(result, Yardsticks([Yardstick("caseload", Basis.GOAL, 25.0, "at_most", unit="ratio"),
                                     CASELOAD_GUIDELINE]), Margin(), 5)
    texts = CaseloadSection().narrate(result, View("director", Language("da"), period=Period(2026, 10)))
    assert says in texts and not [text for text in texts if "inden for den faglige anbefaling" in text]
    # the guideline once: the verdict names it, so the first sentence does not also say "… er 20–30" (a fresh reader
    # read the two as different recommendations)
    assert sum(text.count("faglige anbefaling") for text in texts) == 1
    unjudged = SectionResult("caseload", "", figures=[Figure("caseload", caseload, 590, 20.0, "ratio")])
    plain = CaseloadSection().narrate(unjudged, View("director", Language("da"), period=Period(2026, 10)))
    assert plain[0].endswith("Den faglige anbefaling er 20–30.")  # no verdict: the guideline stays in the sentence


def test_a_bar_chart_of_months_sums_up_in_a_sentence():
    from ledinfo.api import Chart

    frame = pl.DataFrame({"month": ["2026-09", "2026-10"], "count": [700, 761], "team": [None, None]},
                         schema_overrides={"team": pl.String})
    chart = Chart("c", "", "bar", frame, x="month", y="count", y_format="count")
    assert takeaway(chart, View("committee", Language("da"))) == "I alt de seneste 2 måneder: 1.461."
    assert takeaway(chart, View("committee", Language("en"))) == "In total over the last 2 months: 1,461."


def test_one_term_for_one_concept_in_the_danish_catalogue():
    """The seeds call the caseworker both "rådgiver" and "sagsbehandler"; the packs say "rådgiver" (the extract's
    role), and a budget's deviation is "afvigelse"."""
    danish = Language("da")
    texts = list(danish._messages().values()) + [form for forms, _ in danish._plurals().values() for form in forms]
    assert not [text for text in texts if "sagsbehandler" in text.lower()]
    assert danish("Difference") == "Afvigelse"


def test_danish_sorting_and_file_names():
    assert sorted(["Åen", "Øst", "Zulu", "Ærø", "Børn"], key=danish_sort_key) == ["Børn", "Zulu", "Ærø", "Øst", "Åen"]
    assert slug("Børn & Unge") == "boern-unge" and slug("Anbringelse 2") == "anbringelse-2"


def test_the_danish_catalogue_defines_each_message_once():
    """A message written twice in the PO file is one translation too many to keep in step: babel takes the last
    silently and gettext's msgfmt refuses the file (a duplicate 6-week sentence stood there unnoticed)."""
    import re

    catalogue = i18n.LOCALE_DIR / "da" / "LC_MESSAGES" / "ledinfo.po"
    seen, twice = set(), []
    for entry in catalogue.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in entry.splitlines() if not line.startswith("#")]
        parts, current = {"msgctxt": [], "msgid": []}, None
        for line in lines:
            word = line.split(" ", 1)[0]
            current = word if word in parts else (current if line.startswith('"') else None)
            if current is not None:
                parts[current].append(re.search(r'"(.*)"$', line).group(1))
        key = ("".join(parts["msgctxt"]), "".join(parts["msgid"]))
        if key[1]:
            if key in seen:
                twice.append(key[1])
            seen.add(key)
    assert len(seen) > 300 and twice == []
