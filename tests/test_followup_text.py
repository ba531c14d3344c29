"""The 6-week follow-up's sentences add up: the active cases are those followed up, those late and those opened
within the interval and not contacted yet (a review of the messy sample's June pack: 146 + 157 of 307)."""

from ledinfo.api import Figure, SectionResult, View
from ledinfo.disclosure.disclose import disclose_pack
from ledinfo.language import Language
from ledinfo.model.period import Period
from ledinfo.plugins.six_week_followup import SixWeekFollowupSection


def _texts(late: int, awaiting: int | None, language: str = "en") -> list[str]:
    figures = [Figure("six_week_followup", 146 / 307, 146, 307, "share"),
               Figure("cases_without_contact", late, unit="count", over="end")]
    if awaiting is not None:
        figures.append(Figure("cases_awaiting_contact", awaiting, unit="count", over="end"))
    result = SectionResult("six_week_followup", "Follow-up", figures=figures)
    view = View("director", Language(language), period=Period(2024, 6))
    return SixWeekFollowupSection().narrate(disclose_pack([result], view)[0], view)


def test_the_cases_not_yet_late_are_said_so_the_numbers_add_up():
    texts = _texts(157, 4)
    assert "157 cases have had no contact for at least 6 weeks." in texts
    assert "4 cases were opened within the last 6 weeks and have had no contact yet; they are not late." in texts
    assert "4 sager er åbnet inden for de seneste 6 uger og har ikke haft kontakt endnu; de er ikke forsinkede." \
        in _texts(157, 4, "da")


def test_nothing_is_said_of_cases_not_yet_late_when_there_are_none():
    # none waiting (a team without such a case has no figure): the sentence is left out
    assert not any("not late" in text for text in _texts(161, None) + _texts(161, 0))


def test_the_section_counts_the_cases_awaiting_contact_as_a_figure_that_adds_up():
    """The number the sentence says is a figure of the section (so the JSON has it): with those followed up and
    those late it is every active case, for the municipality and each team."""
    from ledinfo.api.testing import SMALL_PERIOD, context_for, small_extract

    result = SixWeekFollowupSection().compute(context_for(small_extract(), SMALL_PERIOD))
    share = {f.team: f for f in result.figures if f.indicator == "six_week_followup" and f.period is None}
    count = {(f.indicator, f.team): f.value for f in result.figures
             if f.indicator in ("cases_without_contact", "cases_awaiting_contact")}
    assert share
    for team, figure in share.items():
        late, awaiting = count.get(("cases_without_contact", team), 0), count.get(("cases_awaiting_contact", team), 0)
        assert figure.numerator + late + awaiting == figure.denominator, (team, figure, late, awaiting)


def test_the_late_count_and_its_list_are_the_same_cases_and_a_case_at_exactly_42_days_is_late(tmp_path):
    """The demo's team pack said "10 sager har ikke haft kontakt i mere end 6 uger; de står i listen nedenfor" over a
    list of 26: 16 were new cases not yet due, unmarked, and one at exactly 42 days was called "more than 6 weeks".
    A contact is due 42 days after the last one (or after opening); a deadline's day is within it, so at the end of
    the period a case contacted 42 days before is late (its day has passed), one contacted 41 days before is not."""
    import datetime as dt

    from builders import activity, case, extract, staff
    from ledinfo.api.testing import render_section

    end = dt.date(2024, 3, 31)
    cases = [case("S1"), case("S2"), case("S3", opened=end - dt.timedelta(days=10)),
             case("S4", opened=end - dt.timedelta(days=42)), case("S5", opened=end - dt.timedelta(days=41))]
    contacts = [activity("S1", end - dt.timedelta(days=42)), activity("S2", end - dt.timedelta(days=41))]
    rendered = render_section(SixWeekFollowupSection(), extract(cases=cases, activities=contacts, staff=[staff("M1")]),
                              Period(2024, 3), audience="team_leader", team="A", out_dir=tmp_path)
    section = rendered.json["sections"][0]
    tables = {t["id"]: t for t in section["tables"]}
    assert "2 sager har ikke haft kontakt i mindst 6 uger; de står i listen nedenfor." in section["texts"]
    assert [(r["case_id"], r["days_without"]) for r in tables["no_followup"]["rows"]] == [("S1", 42), ("S4", 42)]
    # the new cases not yet due: said and listed apart, each with the day its first contact is due
    assert any(text.startswith("2 sager er åbnet inden for de seneste 6 uger") for text in section["texts"])
    assert [(r["case_id"], r["contact_due"]) for r in tables["awaiting_contact"]["rows"]] == [
        ("S5", "2024-04-01"), ("S3", "2024-05-02")]
    assert section["indicators"]["six_week_followup"]["by_team"]["A"]["numerator"] == 1  # S2 alone
    text = " ".join(rendered.text.split())
    assert "Sager uden kontakt i mindst 42 dage" in text and "Første kontakt senest" in text
