"""Every legal deadline on a small hand-made extract; each answer is worked out by hand in the comments."""

import pytest

from builders import D, T, activity, case, extract, investigation, measure, notification, staff
from ledinfo.api.testing import context_for
from ledinfo.config.file import Standards
from ledinfo.domain.indicator import indicator_figures
from ledinfo.domain.indicators.deadlines import add_workdays, danish_holidays, judge, open_steps
from ledinfo.domain.rules import load_catalogue
from ledinfo.model.period import Period

RULES = load_catalogue(standards=Standards())


def statuses(frame):
    return dict(zip(frame["item_id"], frame["status"]))


def municipality(figures):
    return next(f for f in figures if f.team is None)


def test_the_catalogue_has_every_rule_of_the_domain_reference():
    assert set(RULES.rules) == {"notification_24h", "receipt_6_workdays", "investigation_4m", "plan_placement",
                                "followup_first_3m", "followup_recurring", "placement_visits",
                                "youth_decision_17_5", "investigation_2m"}
    # each event is judged by the regime in force on its date
    rule = RULES["investigation_4m"]
    assert rule.regime_on(D(2023, 12, 31)).law == "SEL" and rule.regime_on(D(2023, 12, 31)).paragraph == "§ 50"
    assert rule.regime_on(D(2024, 1, 1)).law == "BL" and rule.regime_on(D(2024, 1, 1)).paragraph == "§ 20, stk. 3"
    # unverified paragraphs are left out rather than guessed
    assert RULES["receipt_6_workdays"].regime_on(D(2024, 5, 1)).paragraph is None
    assert RULES["notification_24h"].regime_on(D(2024, 5, 1)).paragraph is None


def test_notification_24h_counts_the_deadline_hour_and_leaves_late_ones_pending():
    notes = [
        notification("N1", T(2024, 3, 10, 9), assessed=T(2024, 3, 11, 9)),  # exactly 24 hours: met
        notification("N2", T(2024, 3, 10, 9), assessed=T(2024, 3, 11, 9, 1)),  # one minute late: breach
        notification("N3", T(2024, 3, 31, 20)),  # due 1 April 20:00, after the period: pending
        notification("N4", T(2024, 3, 30, 8)),  # due 31 March 08:00, not assessed: breach
        notification("N5", T(2024, 2, 29, 23), assessed=T(2024, 3, 1, 1)),  # received in February: not judged
    ]
    items = judge(extract(notifications=notes), Period(2024, 3), RULES["notification_24h"])
    assert statuses(items) == {"N1": "met", "N2": "breach", "N3": "pending", "N4": "breach"}
    assert set(items["law"]) == {"BL"}
    figure = municipality(indicator_figures("notification_24h", context_for(extract(notifications=notes),
                                                                            Period(2024, 3)), Period(2024, 3)))
    assert (figure.numerator, figure.denominator, figure.extra["pending"]) == (1, 3, 1)
    december = judge(extract(notifications=[notification("N6", T(2023, 12, 5, 9))]), Period(2023, 12),
                     RULES["notification_24h"])
    assert list(december["law"]) == ["SEL"]


def test_working_days_skip_weekends_and_danish_public_holidays():
    import polars as pl

    holidays = danish_holidays(2023, 2025)
    assert D(2024, 3, 28) in holidays and D(2024, 4, 1) in holidays  # Maundy Thursday, Easter Monday
    assert D(2024, 4, 26) not in holidays  # Store Bededag is no holiday from 2024
    assert D(2023, 5, 5) in holidays  # but it was in 2023
    days = pl.DataFrame({"d": [D(2024, 3, 27), D(2024, 3, 1), D(2024, 3, 2)]})
    due = days.select(add_workdays(pl.col("d"), 6, (2023, 2025)))["d"].to_list()
    # 27 March (Wed): Thu 28, Fri 29 and Mon 1 April are holidays -> 2, 3, 4, 5, 8, 9 April
    # 1 March (Fri): 4, 5, 6, 7, 8, 11 March; 2 March (Sat) counts from the Friday before: also 11 March
    assert due == [D(2024, 4, 9), D(2024, 3, 11), D(2024, 3, 11)]


def test_receipt_within_6_working_days_with_easter_inside():
    notes = [
        notification("Na", T(2024, 3, 27, 10), receipt=D(2024, 4, 9)),  # the 6th working day: met
        notification("Nb", T(2024, 3, 27, 10)),  # not sent, due 9 April: pending
        notification("Nc", T(2024, 3, 1, 10), receipt=D(2024, 3, 12)),  # due 11 March: breach
        notification("Nd", T(2024, 3, 2, 10), receipt=D(2024, 3, 11)),  # a Saturday, due 11 March: met
        notification("Ne", T(2024, 3, 5, 10), reporter="private"),  # only professional reporters
    ]
    items = judge(extract(notifications=notes), Period(2024, 3), RULES["receipt_6_workdays"])
    assert statuses(items) == {"Na": "met", "Nb": "pending", "Nc": "breach", "Nd": "met"}


def investigations():
    cases = [case(f"S{i}") for i in range(1, 7)]
    items = [
        investigation("I1", "S1", D(2023, 11, 30), D(2024, 3, 30)),  # due 30 March: finished on the day, met
        investigation("I2", "S2", D(2023, 11, 29), D(2024, 3, 30)),  # due 29 March: breach
        investigation("I3", "S3", D(2023, 10, 31), D(2024, 3, 1)),  # due 29 February (clamped): breach
        investigation("I4", "S4", D(2024, 1, 15), D(2024, 3, 10)),  # met, also within 2 months (due 15 March)
        investigation("I5", "S5", D(2023, 10, 1)),  # open, due 1 February: overdue
        investigation("I6", "S6", D(2024, 1, 1)),  # open, due 1 May: not overdue
    ]
    return extract(cases=cases, investigations=items)


def test_investigation_4m_and_the_local_2_month_standard():
    data = investigations()
    items = judge(data, Period(2024, 3), RULES["investigation_4m"])
    assert statuses(items) == {"I1": "met", "I2": "breach", "I3": "breach", "I4": "met"}
    assert dict(zip(items["item_id"], items["law"])) == {"I1": "SEL", "I2": "SEL", "I3": "SEL", "I4": "BL"}
    local = judge(data, Period(2024, 3), RULES["investigation_2m"])
    assert statuses(local) == {"I1": "breach", "I2": "breach", "I3": "breach", "I4": "met"}
    context = context_for(data, Period(2024, 3))
    assert municipality(indicator_figures("investigation_overdue", context, Period(2024, 3))).value == 1
    # a config can set the local standard's months
    three = load_catalogue(standards=Standards(investigation_local_months=3))
    assert statuses(judge(data, Period(2024, 3), three["investigation_2m"]))["I1"] == "breach"  # due 29 Feb
    assert "3 måneder" in three["investigation_2m"].title["da"]


def test_plan_is_due_before_the_decision_under_sel_and_3_months_after_under_bl():
    cases = [case("S1"), case("S2")]
    measures = [
        measure("M2", "S1", "anbringelse_plejefamilie", decided=D(2023, 12, 20), started=D(2023, 12, 22),
                plan=D(2023, 12, 19)),  # SEL: plan before the decision: met
        measure("M3", "S1", "anbringelse_opholdssted", decided=D(2023, 12, 29), started=D(2024, 1, 2),
                plan=D(2024, 1, 5)),  # SEL: plan after the decision: breach
        measure("M5", "S2", "anbringelse_netvaerk", decided=D(2023, 12, 31), started=D(2023, 12, 31)),  # none
        measure("M4", "S2", "anbringelse_plejefamilie", decided=D(2024, 1, 10), started=D(2024, 1, 12),
                plan=D(2024, 4, 10)),  # BL: due 10 April 2024: met on the day
        measure("F1", "S2", "forebyggende", decided=D(2023, 12, 1), started=D(2023, 12, 5)),  # no placement
    ]
    data = extract(cases=cases, measures=measures)
    assert statuses(judge(data, Period(2023, 12), RULES["plan_placement"])) == {"M2": "met", "M3": "breach",
                                                                                "M5": "breach"}
    april = judge(data, Period(2024, 4), RULES["plan_placement"])
    assert statuses(april) == {"M4": "met"} and list(april["law"]) == ["BL"]


def test_first_followup_within_3_months_across_the_reform():
    cases = [case("S1"), case("S2"), case("S3")]
    measures = [
        # decided in December 2023, followed up in 2024: judged by SEL § 70, due 20 March
        measure("F1", "S1", decided=D(2023, 12, 15), started=D(2023, 12, 20)),
        measure("F2", "S2", started=D(2023, 12, 31)),  # due 31 March
        measure("F3", "S3", started=D(2023, 12, 10)),  # due 10 March
    ]
    activities = [
        activity("S1", D(2024, 2, 1), measure_id="F1"),  # on the measure: met
        activity("S2", D(2024, 3, 31)),  # on the case, on the deadline day: met
        activity("S3", D(2024, 3, 11), measure_id="F3"),  # one day late: breach
        activity("S3", D(2024, 1, 5), kind="boernesamtale", measure_id="F3"),  # a child talk is no follow-up
    ]
    items = judge(extract(cases=cases, measures=measures, activities=activities), Period(2024, 3),
                  RULES["followup_first_3m"])
    assert statuses(items) == {"F1": "met", "F2": "met", "F3": "breach"}
    assert set(items["law"]) == {"SEL"}


def test_recurring_followup_and_the_locally_set_frequency():
    cases = [case("S1"), case("S2"), case("S3"), case("S4")]
    measures = [
        measure("R1", "S1", started=D(2023, 1, 1)),
        measure("R2", "S2", started=D(2023, 1, 1)),
        measure("R3", "S3", started=D(2023, 10, 15)),  # less than 6 months: not judged
        measure("R4", "S4", started=D(2023, 1, 1), ended=D(2024, 3, 31)),  # not active at the end of March
    ]
    activities = [activity("S1", D(2023, 10, 1), measure_id="R1"),  # within (30 Sep 2023, 31 Mar 2024]: met
                  activity("S2", D(2023, 9, 30), measure_id="R2")]  # just outside: breach
    data = extract(cases=cases, measures=measures, activities=activities)
    assert statuses(judge(data, Period(2024, 3), RULES["followup_recurring"])) == {"R1": "met", "R2": "breach"}
    quarterly = load_catalogue(standards=Standards(recurring_followup_months=3))
    assert statuses(judge(data, Period(2024, 3), quarterly["followup_recurring"])) == {
        "R1": "breach", "R2": "breach", "R3": "breach"}
    # under SEL the interval is the law's 6 months whatever the local setting
    assert quarterly["followup_recurring"].regime_on(D(2023, 6, 1)).deadline.months == 6


def test_placement_visits_need_two_in_twelve_months_and_skip_placements_under_a_year():
    cases = [case("S1"), case("S2"), case("S3")]
    measures = [
        measure("V1", "S1", "anbringelse_plejefamilie", started=D(2023, 3, 31)),  # exactly 12 months: judged
        measure("V2", "S2", "anbringelse_plejefamilie", started=D(2023, 4, 30)),  # started 11 months ago
        measure("V3", "S3", "anbringelse_doegninstitution", started=D(2022, 1, 1)),
    ]
    activities = [
        activity("S1", D(2023, 6, 1), "tilsynsbesoeg", measure_id="V1"),
        activity("S1", D(2024, 1, 10), "tilsynsbesoeg"),  # on the case: counts for its placement
        activity("S2", D(2023, 6, 1), "tilsynsbesoeg", measure_id="V2"),
        activity("S3", D(2023, 3, 31), "tilsynsbesoeg", measure_id="V3"),  # outside (31 Mar 2023, 31 Mar 2024]
        activity("S3", D(2023, 12, 1), "tilsynsbesoeg", measure_id="V3"),
    ]
    data = extract(cases=cases, measures=measures, activities=activities)
    assert statuses(judge(data, Period(2024, 3), RULES["placement_visits"])) == {"V1": "met", "V3": "breach"}
    steps = open_steps(data, D(2024, 3, 31), RULES["placement_visits"])
    overdue = steps.filter(steps["days"] > 0)
    # S3's second-latest visit (31 March 2023) last counted on 30 March 2024: one day overdue
    assert overdue["case_id"].to_list() == ["S3"] and overdue["due"].to_list() == [D(2024, 3, 30)]
    assert overdue["days"].to_list() == [1]


def test_a_step_open_on_a_closed_case_is_listed_with_the_day_its_case_closed():
    """Real exports have placements never ended on a case closed long ago: the step is still open by the measure's
    own dates (domain.md, "Active"), so it is listed, with the day its case closed, for the team leader to end the
    step or reopen the case; the compliance section's list says so in words."""
    from ledinfo.language import Language
    from ledinfo.plugins.compliance import _closed

    cases = [case("S1", opened=D(2020, 6, 1), closed=D(2021, 12, 19)), case("S2", opened=D(2020, 6, 1)),
             case("S3", opened=D(2020, 6, 1), closed=D(2024, 5, 1))]
    measures = [measure(f"V{i}", f"S{i}", "anbringelse_plejefamilie", started=D(2021, 1, 1)) for i in (1, 2, 3)]
    data = extract(cases=cases, measures=measures, activities=[activity("S2", D(2020, 7, 1), "opfoelgning")])
    steps = open_steps(data, D(2024, 3, 31), RULES["placement_visits"]).sort("case_id")
    # S3 closes after the period's end: not closed as the period knew it
    assert dict(zip(steps["case_id"], steps["case_closed_on"])) == {"S1": D(2021, 12, 19), "S2": None, "S3": None}
    row = steps.row(0, named=True)
    assert _closed(Language("da"), row) == " (sagen blev lukket 19. december 2021: afslut skridtet, eller genåbn sagen)"
    assert _closed(Language("da"), steps.row(1, named=True)) == ""


def test_youth_decision_by_17_and_a_half():
    cases = [case("S1", birth=D(2006, 9, 15)), case("S2", birth=D(2006, 9, 30)),
             case("S3", birth=D(2006, 10, 10)), case("S4", birth=D(2006, 9, 20))]
    measures = [measure(f"P{i}", f"S{i}", "anbringelse_opholdssted", started=D(2020, 1, 1)) for i in (1, 2, 3)]
    measures.append(measure("P4", "S4", "anbringelse_opholdssted", started=D(2020, 1, 1), ended=D(2024, 3, 1)))
    activities = [activity("S1", D(2024, 3, 15), "ungestoette_afgoerelse"),  # on the 17½ day: met
                  activity("S2", D(2024, 4, 2), "ungestoette_afgoerelse")]  # 17½ on 30 March: breach
    data = extract(cases=cases, measures=measures, activities=activities)
    # S3 turns 17½ on 10 April; S4's placement ended before the day
    assert statuses(judge(data, Period(2024, 3), RULES["youth_decision_17_5"])) == {"S1": "met", "S2": "breach"}


def test_turnover_with_a_leaver_in_the_middle_of_the_year():
    people = [staff("A1"), staff("A2"), staff("A3"), staff("L", end=D(2024, 1, 15)),
              staff("T", role="teamleder", end=D(2024, 2, 1))]  # a team leader is no caseworker
    context = context_for(extract(staff=people), Period(2024, 6))
    figure = municipality(indicator_figures("turnover", context, Period(2024, 6)))
    # month-ends July 2023 - June 2024: 3 caseworkers at each, L at the six of 2023: 42 / 12 = 3.5
    assert (figure.numerator, figure.denominator) == (1, 3.5)
    assert figure.value == pytest.approx(1 / 3.5)
    # A3 moves to team B on 1 March 2024 (a new period, no gap): no leaver
    moved = [staff("A1"), staff("A2"), staff("A3", end=D(2024, 2, 29)), staff("A3", team="B", start=D(2024, 3, 1)),
             staff("L", end=D(2024, 1, 15))]
    figures = indicator_figures("turnover", context_for(extract(staff=moved), Period(2024, 6)), Period(2024, 6))
    assert municipality(figures).numerator == 1
    assert {f.team: f.numerator for f in figures if f.team} == {"A": 1, "B": 0}


def test_budget_year_to_date_and_forecast():
    import polars as pl

    rows = [{"year": 2024, "month": m, "function_code": "5.28.21", "budget_original": 90.0,
             "budget_corrected": 100.0, "actual": 110.0, "forecast": 1250.0 if m == 3 else None}
            for m in (1, 2, 3, 4)]
    rows += [{"year": 2023, "month": 12, "function_code": "5.28.21", "budget_original": 1.0,
              "budget_corrected": 1.0, "actual": 999.0, "forecast": None}]
    from ledinfo.domain.indicators.economy import budget_to_date

    frame = budget_to_date(pl.DataFrame(rows), Period(2024, 3))
    total = frame.filter(pl.col("function_code").is_null()).row(0, named=True)
    assert (total["actual"], total["corrected"]) == (330.0, 300.0)
    assert total["used"] == pytest.approx(1.1)
    assert total["forecast"] == 1250.0 and not total["projection"]
    february = budget_to_date(pl.DataFrame(rows), Period(2024, 2)).filter(pl.col("function_code").is_null())
    assert february["forecast"].item() == pytest.approx(220 * 12 / 2) and february["projection"].item()


def test_measures_mix_and_family_care_share():
    cases = [case("S1"), case("S2"), case("S3"), case("S4")]
    measures = [measure("A", "S1", "anbringelse_plejefamilie"), measure("B", "S2", "anbringelse_netvaerk"),
                measure("C", "S3", "anbringelse_doegninstitution"), measure("D", "S4", "forebyggende"),
                measure("E", "S4", "anbringelse_opholdssted", ended=D(2023, 6, 1))]  # ended: not active
    context = context_for(extract(cases=cases, measures=measures), Period(2024, 3))
    share = municipality(indicator_figures("family_care_share", context, Period(2024, 3)))
    assert (share.numerator, share.denominator) == (2, 3)
    assert municipality(indicator_figures("placements", context, Period(2024, 3))).value == 3


def test_supervision_sample_is_reproducible_and_one_case_per_caseworker():
    from ledinfo.domain.indicators.supervision import DEFAULT_THEMES, draw_sample, theme_for

    cases = [case(f"S{i}", caseworker=f"M{i % 3}") for i in range(12)]
    people = [staff(f"M{i}") for i in range(3)]
    data = extract(cases=cases, staff=people)
    first = draw_sample(data["cases"], data["staff"], Period(2024, 4))
    again = draw_sample(data["cases"].sample(fraction=1.0, shuffle=True, seed=3), data["staff"], Period(2024, 4))
    assert first.equals(again)
    assert sorted(first["caseworker_id"]) == ["M0", "M1", "M2"]
    assert not first.equals(draw_sample(data["cases"], data["staff"], Period(2024, 5)))  # a new month, a new draw
    assert theme_for(Period(2024, 1)) == DEFAULT_THEMES[0] and theme_for(Period(2024, 6)) == DEFAULT_THEMES[0]
    assert draw_sample(data["cases"], data["staff"], Period(2024, 4), per_caseworker=2).height == 6


def test_config_can_override_a_deadline_and_add_a_local_standard():
    catalogue = load_catalogue({
        "placement_visits": {"deadline": {"count": 4, "months": 12}},
        "receipt_3_workdays": {"kind": "receipt", "title": {"da": "Kvittering inden for 3 hverdage"},
                               "deadline": {"workdays": 3}},
    }, Standards())
    assert catalogue["placement_visits"].regime_on(D(2024, 1, 1)).deadline.count == 4
    assert catalogue["placement_visits"].overridden
    local = catalogue["receipt_3_workdays"]
    assert local.local and local.regimes[0].law == "LOCAL"
    from ledinfo.errors import ConfigError

    with pytest.raises(ConfigError, match="kind must be one of"):
        load_catalogue({"x": {"kind": "nonsense", "title": {"da": "x"}, "deadline": {"days": 1}}})
    with pytest.raises(ConfigError, match="deadline must be a table"):
        load_catalogue({"investigation_4m": {"deadline": {"weeks": 3}}})


def test_a_goal_judges_by_the_one_verdict_rule():
    from ledinfo.api import Basis, Figure, Yardstick
    from ledinfo.model.verdicts import Margin, judge

    def level(value, target, direction, unit):
        figure = Figure("g", value, 90 if unit == "share" else 900, 100 if unit == "share" else 36, unit)
        found = judge(figure, Yardstick("g", Basis.GOAL, target, direction, unit=unit), Margin(), threshold=5)
        return found.level if found else None

    assert level(0.91, 0.9, "at_least", "share") == "green"
    assert level(0.86, 0.9, "at_least", "share") == "yellow"
    assert level(0.80, 0.9, "at_least", "share") == "red"
    assert level(26.0, 25.0, "at_most", "ratio") == "yellow"  # within 10 % of 25
    assert level(28.0, 25.0, "at_most", "ratio") == "red"
    assert level(None, 25.0, "at_most", "ratio") is None
