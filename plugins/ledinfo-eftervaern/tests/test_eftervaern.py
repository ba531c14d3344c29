"""The efterværn section on a hand-made extract; each answer is worked out in the comments.

Period March 2024: the 12 months are 1 April 2023 - 31 March 2024.
"""

import datetime as dt

import ledinfo_eftervaern
import polars as pl
import pytest

from ledinfo.api import ForReaders
from ledinfo.api.testing import SMALL_PERIOD, context_for, frames_to_extract, registry_with, render_section

D = dt.date


def extract(with_occupation=True):
    people = {  # case: (birth date, occupation)
        "Y1": (D(2007, 6, 15), None),  # 16 on 15 June 2023, youth plan 1 Aug: met
        "Y2": (D(2007, 10, 1), None),  # 16 on 1 Oct 2023, plan due 1 Jan 2024, made 1 Feb: breach
        "Y3": (D(2008, 2, 1), None),  # 16 on 1 Feb 2024, plan due 1 May 2024: not judged yet
        "Y4": (D(2006, 8, 15), None),  # 17½ on 15 Feb 2024, decision 10 Feb: met
        "Y5": (D(2005, 12, 1), "uddannelse"),  # 18 on 1 Dec 2023, preventive support from 15 Dec: met
        "Y6": (D(2005, 11, 1), "ingen"),  # 18 on 1 Nov 2023, nothing after: not met
        "Y7": (D(2003, 1, 1), "beskaeftigelse"),  # 21, placed 2019-2021 (after 15): in work
    }
    cases = pl.DataFrame({
        "case_id": list(people), "child_id": [f"B{c}" for c in people], "birth_date": [b for b, _ in people.values()],
        "team": ["Unge"] * 7, "caseworker_id": ["M1"] * 7, "target_group": ["udsatte"] * 7,
        "opened_on": [D(2018, 1, 1)] * 7, "closed_on": [None] * 7})
    if with_occupation:
        cases = cases.with_columns(pl.Series("occupation", [o for _, o in people.values()]))
    placement = lambda m, case, start, end=None: {  # noqa: E731
        "measure_id": m, "case_id": case, "category": "anbringelse_opholdssted", "decided_on": start,
        "started_on": start, "ended_on": end, "plan_on": start}
    measures = pl.DataFrame([
        placement("P1", "Y1", D(2020, 1, 1)), placement("P2", "Y2", D(2020, 1, 1)), placement("P3", "Y3", D(2020, 1, 1)),
        placement("P4", "Y4", D(2020, 1, 1)), placement("P5", "Y5", D(2020, 1, 1), D(2023, 12, 1)),
        placement("P6", "Y6", D(2020, 1, 1), D(2023, 11, 1)), placement("P7", "Y7", D(2019, 1, 1), D(2021, 1, 1)),
        {"measure_id": "F5", "case_id": "Y5", "category": "forebyggende", "decided_on": D(2023, 12, 10),
         "started_on": D(2023, 12, 15), "ended_on": None, "plan_on": None},
    ])
    activities = pl.DataFrame({"case_id": ["Y1", "Y2", "Y4"], "date": [D(2023, 8, 1), D(2024, 2, 1), D(2024, 2, 10)],
                               "kind": ["ungeplan", "ungeplan", "ungestoette_afgoerelse"]})
    return frames_to_extract({"cases": cases, "measures": measures, "activities": activities})


def figures(data):
    result = ledinfo_eftervaern.AftercareSection().compute(context_for(data, SMALL_PERIOD))
    return {f.indicator: (f.numerator, f.denominator) for f in result.figures if f.team is None}


def test_the_plugin_registers_through_its_hook():
    assert registry_with(ledinfo_eftervaern).section("eftervaern").requires == ("cases", "measures", "activities")


def test_the_transitions_at_16_17_and_a_half_and_18():
    # 17½ in the window: Y4 (15 Feb 2024, met), Y5 (1 Jun 2023) and Y6 (1 May 2023), both without a decision
    assert figures(extract()) == {"youth_plan_16": (1, 2), "youth_decision_by_17_5": (1, 3),
                                  "support_after_18": (1, 2), "in_education_or_work": (2, 3)}


def test_without_an_occupation_column_that_indicator_is_left_out_with_a_note():
    data = extract(with_occupation=False)
    result = ledinfo_eftervaern.AftercareSection().compute(context_for(data, SMALL_PERIOD))
    assert "in_education_or_work" not in {f.indicator for f in result.figures}
    # the column's name for a team leader, in words for the committee and directors
    assert any(isinstance(note, ForReaders) and "occupation" in note.technical and "occupation" not in note.plain
               for note in result.notes)


def test_the_team_leaders_note_on_the_missing_column_says_the_danish_words_and_quotes_the_codes():
    """ "(uddannelse, beskaeftigelse eller ingen)" read as a misspelling: the words in Danish, the codes quoted."""
    rendered = render_section(ledinfo_eftervaern.AftercareSection(), extract(with_occupation=False),
                              audience="team_leader", team="Unge")
    note = next(n for n in rendered.json["sections"][0]["notes"] if "occupation" in n)
    assert "uddannelse, beskæftigelse eller ingen af delene" in note, note
    assert "»uddannelse«, »beskaeftigelse« eller »ingen«" in note, note
    assert "beskaeftigelse eller" not in note  # a code never read as a word


def test_the_danish_pack_and_the_team_leaders_list():
    rendered = render_section(ledinfo_eftervaern.AftercareSection(), extract(), audience="team_leader", team="Unge")
    assert "Efterværn: unge på vej ud af anbringelse" in rendered.text
    assert "Ungeplan ved 16 år, seneste 12 måneder: 50 % (1 af 2 unge)." in rendered.text  # what it counts, said
    coming = next(t for t in rendered.json["sections"][0]["tables"] if t["id"] == "eftervaern_coming")
    assert [row["case_id"] for row in coming["rows"]] == ["Y4"]  # turns 18 on 15 Aug 2024: within 6 months


def test_the_committee_sees_no_small_counts():
    rendered = render_section(ledinfo_eftervaern.AftercareSection(), extract(), audience="committee")
    shown = rendered.json["sections"][0]["indicators"]
    assert all(entry.get("suppressed") for entry in shown.values())
    assert "Y1" not in rendered.text and "M1" not in rendered.text


@pytest.mark.parametrize("language, word", [("en", "Youth plan by 16"), ("da", "Ungeplan ved 16 år")])
def test_both_languages(language, word):
    assert word in render_section(ledinfo_eftervaern.AftercareSection(), extract(), language=language).text


@pytest.mark.parametrize("language, label", [("en", "Decision on youth support by 17½, last 12 months"),
                                             ("da", "Afgørelse om ungestøtte senest ved 17½ år, seneste 12 måneder")])
def test_a_transitions_tile_and_sentence_say_its_12_months(language, label):
    """The compliance section's deadline of the same name is the month's share; this one is the last 12 months':
    standing alone, its name says its window, or a director reads two shares of one name on two pages (a review of
    the messy sample's June pack: 0 % and 29 %)."""
    rendered = render_section(ledinfo_eftervaern.AftercareSection(), extract(), audience="director", language=language)
    assert rendered.json["sections"][0]["indicators"]["youth_decision_by_17_5"]["label"] == label
    assert any(text.startswith(label + ":") for text in rendered.json["sections"][0]["texts"])


@pytest.mark.parametrize("language, verdict, periods", [
    ("da", "Ikke nået: loven kræver alle frister overholdt.",
     "Afsnittet Lovens frister vurderer den samme frist for marts 2024 alene (de unge, der fyldte 17½ år i perioden); "
     "her er det de seneste 12 måneder."),
    ("en", "Off track: the law asks for every deadline kept.",
     "The section on legal deadlines judges the same deadline for March 2024 alone (the young people who turned 17½ "
     "in it); here it is the last 12 months.")])
def test_the_decision_by_17_and_a_half_is_a_legal_duty_judged_against_the_law_with_its_window_said(language, verdict,
                                                                                                 periods):
    """The decision on youth support by 17½ is the law's (Barnets Lov § 111): its 12 months' share is judged against
    the law as the compliance section's month is (1 of 3: off track), in the tile, the sentence and the table; and
    the sentence says which window each section judges. The model's other steps have no yardstick of their own."""
    rendered = render_section(ledinfo_eftervaern.AftercareSection(), extract(), audience="director", language=language,
                              threshold=3)  # 3 young people in the window: judged
    section = rendered.json["sections"][0]
    decision = section["indicators"]["youth_decision_by_17_5"]
    assert (decision["verdict"]["level"], decision["verdict"]["basis"], decision["verdict"]["yardstick"]) == \
        ("red", "law", 1.0)
    assert "verdict" not in section["indicators"]["youth_plan_16"]
    texts = section["texts"]
    assert texts[texts.index(next(t for t in texts if t.startswith(decision["label"]))) + 1:][:2] == [verdict, periods]
    table = next(t for t in section["tables"] if t["id"] == "eftervaern_by_team")
    assert [row.get("_status", {}).get("value") for row in table["rows"]
            if row["indicator"] == "youth_decision_by_17_5"] == ["red"] * 2, table["rows"][:2]
    assert "×" in rendered.text


def test_its_settings_change_the_list_and_a_bad_value_is_named_with_its_key_path(tmp_path):
    """[plugins.eftervaern] is checked by the plugin's schema; horizon_months = 1 drops Y4 (18 in August)."""
    from ledinfo.api.testing import load_test_plugins
    from ledinfo.config.file import parse_config
    from ledinfo.errors import ConfigError
    from ledinfo.pipeline.plan import plan

    short = ledinfo_eftervaern.EftervaernSettings(horizon_months=1)
    rendered = render_section(ledinfo_eftervaern.AftercareSection(), extract(), audience="team_leader", team="Unge",
                              settings=[short])
    coming = next(t for t in rendered.json["sections"][0]["tables"] if t["id"] == "eftervaern_coming")
    assert coming["rows"] == [] and "de næste 1 måneder" in rendered.text
    registry = load_test_plugins("eftervaern").registry
    config = parse_config({"source": {"type": "demo"}, "municipality": {"name": "Testby Kommune"},
                           "plugins": {"eftervaern": {"horizon_months": 30}}},
                          tmp_path, "test.toml")
    with pytest.raises(ConfigError, match=r"plugins.eftervaern.horizon_months: input should be less than or equal "
                                          r"to 24, got 30"):
        plan(config, registry)


def test_it_appears_in_the_director_and_team_packs_by_its_audiences_and_goals_can_follow_it(tmp_path):
    from ledinfo.api.testing import load_test_plugins
    from ledinfo.config.file import parse_config
    from ledinfo.pipeline.plan import plan

    registry = load_test_plugins("eftervaern").registry
    config = parse_config({"source": {"type": "demo"}, "municipality": {"name": "Testby Kommune"}, "plugins": {"goals": {"goal": [
        {"indicator": "youth_plan_16", "target": 0.9}]}}}, tmp_path, "test.toml")
    planned = plan(config, registry)
    assert "eftervaern" in planned.sections_of["direktion"] and "eftervaern" in planned.sections_of["team"]
    assert "eftervaern" not in planned.sections_of["udvalg"]
    goals = registry.section("goals")
    context = context_for(extract(), SMALL_PERIOD, ledinfo_eftervaern.AftercareSection(),
                          plugins={"goals": {"goal": [{"indicator": "youth_plan_16", "target": 0.9}]}})
    result = goals.compute(context)
    followed = next(f for f in result.figures if f.indicator == "youth_plan_16" and f.period is None)
    # the goal is the yardstick the plugin's indicator is judged by (the build judges it once, for every pack)
    yardstick = context.yardstick("youth_plan_16")
    assert (followed.numerator, followed.denominator) == (1, 2)
    assert (yardstick.basis, yardstick.value) == ("goal", 0.9)


def test_a_closed_case_has_no_coming_transition():
    """Y4 turns 18 on 15 August 2024, within the 6 months after March. With its case closed in December (its
    placement never ended, as real exports have it) it is no transition to plan: the messy sample listed cases
    closed in 2021 among the coming transitions of 2024."""
    data = extract()
    assert "Y4" in ledinfo_eftervaern.coming(data, SMALL_PERIOD)["case_id"].to_list()
    cases = data["cases"].with_columns(pl.when(pl.col("case_id") == "Y4").then(pl.lit(D(2023, 12, 1)))
                                       .otherwise(pl.col("closed_on")).alias("closed_on"))
    closed = frames_to_extract({"cases": cases, "measures": data["measures"], "activities": data["activities"]})
    assert "Y4" not in ledinfo_eftervaern.coming(closed, SMALL_PERIOD)["case_id"].to_list()


def with_steps_ahead():
    """The extract with three more placed young people whose milestone comes after March 2024:
    Y8 turns 16 on 10 May, youth plan made on 26 February: done (the messy sample listed such a plan as coming);
    Y9 turns 17½ on 20 April, decision on youth support on 5 March: done;
    Y10 turns 17½ on 25 April, decision on 10 April: not known at the end of March, so still to do.
    The three are M2's."""
    data = extract()
    born = {"Y8": D(2008, 5, 10), "Y9": D(2006, 10, 20), "Y10": D(2006, 10, 25)}
    cases = pl.concat([data["cases"], data["cases"].head(len(born)).with_columns(
        pl.Series("case_id", list(born)), pl.Series("child_id", [f"B{c}" for c in born]),
        pl.Series("birth_date", list(born.values())), pl.lit(None, pl.String).alias("occupation"),
        pl.lit("M2").alias("caseworker_id"))])  # a caseworker of their own: "Til handling" lists all three
    placed = data["measures"].filter(pl.col("measure_id") == "P1")
    measures = pl.concat([data["measures"]] + [placed.with_columns(pl.lit(f"P{c}").alias("measure_id"),
                                                                   pl.lit(c).alias("case_id")) for c in born])
    activities = pl.concat([data["activities"], pl.DataFrame({
        "case_id": ["Y8", "Y9", "Y10"], "date": [D(2024, 2, 26), D(2024, 3, 5), D(2024, 4, 10)],
        "kind": ["ungeplan", "ungestoette_afgoerelse", "ungestoette_afgoerelse"]})], how="diagonal_relaxed")
    return frames_to_extract({"cases": cases, "measures": measures, "activities": activities})


def test_a_step_already_done_is_no_coming_transition():
    """A youth plan made or a decision on youth support taken before the period's end is done, however early: the
    demo's team pack listed "S-001636 Afgørelse om ungestøtte (17½ år) 07.11.2026" decided on 25.09.2026. A step
    done after the period's end is not known at it: still coming."""
    upcoming = ledinfo_eftervaern.coming(with_steps_ahead(), SMALL_PERIOD)
    assert upcoming.select("case_id", "step").rows() == [("Y10", "youth_decision_17_5"), ("Y4", "turns_18")]


def _compliance():
    from ledinfo.api.testing import load_test_plugins
    return load_test_plugins("eftervaern").registry.section("compliance")


def _rendered(section, data, language):
    return render_section(section, data, audience="team_leader", team="Unge", language=language)


def _table(rendered, table_id):
    return next(t for s in rendered.json["sections"] for t in s["tables"] if t["id"] == table_id)


def test_the_coming_decisions_agree_with_the_compliance_sections_deadlines():
    """Within the compliance section's 30 days, the decisions at 17½ still to take are the same young people in
    both lists (Y9's decision taken: in neither)."""
    data = with_steps_ahead()
    compliance = _compliance()
    soon = [row["case_id"] for row in _table(_rendered(compliance, data, "da"), "steps_due_soon")["rows"]
            if row["rule"] == "youth_decision_17_5"]
    coming = [row["case_id"] for row in _table(_rendered(ledinfo_eftervaern.AftercareSection(), data, "da"),
                                               "eftervaern_coming")["rows"]
              if row["step"] == "youth_decision_17_5" and row["date"] <= "2024-04-30"]
    assert soon == coming == ["Y10"]


# the deadline by its month: its day is the young person's birthday, which no pack tells (tests/test_birth_dates.py)
@pytest.mark.parametrize("language, step, todo, day, other", [
    ("da", "Afgørelse om ungestøtte", "; afgørelse om ungestøtte – frist april 2024", "april 2024", "Decision on youth"),
    ("en", "Decision on youth support", "; decision on youth support – deadline April 2024", "April 2024",
     "Afgørelse")])
def test_the_decision_at_17_and_a_half_has_one_name_in_every_list_and_its_code_in_the_json(language, step, todo,
                                                                                            day, other):
    """The step is named by the rule catalogue's name of it (rules.toml, youth_decision_17_5: the name a narrow list
    column gives a step, its deadline in a column of its own) in the deadline lists, in "Til handling" and in the
    coming transitions, which said "Afgørelse om ungestøtte (17½ år)"; the JSON cell is the rule's code, as the
    deadline lists' is: the Danish pack's JSON held English ("Decision on youth support (17½)")."""
    data = with_steps_ahead()
    compliance = _rendered(_compliance(), data, language)
    aftercare = _rendered(ledinfo_eftervaern.AftercareSection(), data, language)
    rules = context_for(data, SMALL_PERIOD).rules
    assert rules["youth_decision_17_5"].step[language] == step
    assert f"Y10 {step} – –" in " ".join(compliance.text.split())  # the deadline list: step, concerning, measure
    assert any(line.startswith(("Sag Y10:", "Case Y10:")) and todo in line
               for action in compliance.json["actions"] for line in action["lines"]), \
        compliance.json["actions"]
    assert f"Y10 {step} {day}" in " ".join(aftercare.text.split())  # the coming transitions
    assert "17½)" not in aftercare.text and other not in aftercare.text
    rows = _table(aftercare, "eftervaern_coming")["rows"]
    assert {row["step"] for row in rows} == {"youth_decision_17_5", "turns_18"}


def test_the_coming_transitions_keep_to_their_month_in_which_and_in_what_order():
    """Every milestone is a birthday, printed as its month: the list must not tell the day by which are listed or by
    their order. After April 2024 (it ends on the 30th) the 6 months ended on 30 October, leaving out Y20's 18th
    birthday on 31 October beside Y19's and Y21's; and they stood in the order of their days (Y21 on the 1st first)."""
    data = extract()
    born = {"Y19": D(2006, 10, 20), "Y20": D(2006, 10, 31), "Y21": D(2006, 10, 1)}
    cases = pl.concat([data["cases"], data["cases"].head(len(born)).with_columns(
        pl.Series("case_id", list(born)), pl.Series("child_id", [f"B{c}" for c in born]),
        pl.Series("birth_date", list(born.values())), pl.lit(None, pl.String).alias("occupation"))])
    placed = data["measures"].filter(pl.col("measure_id") == "P1")
    measures = pl.concat([data["measures"]] + [placed.with_columns(pl.lit(f"P{c}").alias("measure_id"),
                                                                   pl.lit(c).alias("case_id")) for c in born])
    data = frames_to_extract({"cases": cases, "measures": measures, "activities": data["activities"]})
    from ledinfo.api import Period

    upcoming = ledinfo_eftervaern.coming(data, Period(2024, 4)).filter(pl.col("case_id").is_in(list(born)))
    assert upcoming.select("case_id", "step").rows() == [("Y19", "turns_18"), ("Y20", "turns_18"),
                                                         ("Y21", "turns_18")]
