"""The 6-week follow-up's sentences add up: the active cases are those followed up, those late and those opened
within the interval and not contacted yet (a review of the messy sample's June pack: 146 + 157 of 307)."""

from ledinfo.api import Figure, SectionResult, View
from ledinfo.disclosure.disclose import disclose_pack
from ledinfo.language import Language
from ledinfo.model.period import Period
from ledinfo.plugins.six_week_followup import SixWeekFollowupSection


def _texts(late: int | None, language: str = "en") -> list[str]:
    figures = [Figure("six_week_followup", 146 / 307, 146, 307, "share")]
    if late is not None:
        figures.append(Figure("cases_without_contact", late, unit="count", over="end"))
    result = SectionResult("six_week_followup", "Follow-up", figures=figures)
    view = View("director", Language(language), period=Period(2024, 6))
    return SixWeekFollowupSection().narrate(disclose_pack([result], view)[0], view)


def test_the_cases_not_yet_late_are_said_so_the_numbers_add_up():
    texts = _texts(157)
    assert "157 cases have had no contact for more than 6 weeks." in texts
    assert "4 cases were opened within the last 6 weeks and have had no contact yet; they are not late." in texts
    assert "4 sager er åbnet inden for de seneste 6 uger og har ikke haft kontakt endnu; de er ikke forsinkede." \
        in _texts(157, "da")


def test_nothing_is_said_of_cases_not_yet_late_when_every_case_not_followed_up_is_late():
    assert not any("not late" in text for text in _texts(161))


def test_a_team_without_late_cases_has_every_case_not_followed_up_waiting():
    # no count of late cases for the team (count_figures gives none for a team without a late case)
    assert "161 cases were opened within the last 6 weeks and have had no contact yet; they are not late." \
        in _texts(None)
