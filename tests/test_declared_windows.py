"""A figure over the last 12 months beside another indicator's months or quarters (ledinfo.disclosure.windows):
tied count by count, keyed by its 12 months in every pack when declared (``Over.WINDOW``), and shown only when
every month or quarter of it is. The set-up the kit's attacker found: the compliance section's decisions at 17½ by
quarter ("<5" where few), the efterværn plugin's over the last 12 months."""

from __future__ import annotations

import logging

from ledinfo.disclosure.series import Series, decide_pack, needed_periods
from ledinfo.disclosure.windows import twelve_month_windows
from ledinfo.model.period import Period
from ledinfo.model.results import Figure, Over, Ref, ShareOf

THRESHOLD = 5
PARTS = ("value", "numerator", "denominator")


def share(indicator: str, period: str | None, numerator: int, denominator: int) -> Figure:
    return Figure(indicator, numerator / denominator if denominator else None, numerator, denominator,
                  unit="share", period=period, share_of=ShareOf.HANDLING)


def window_answers(pack_period: str, series: dict, over: dict, quarters: dict, window: tuple[int, int]):
    """The window's keys and the series' answers for its numbers in the pack of ``pack_period``."""
    pack = {"compliance": [share("decision_17_5", q, *counts) for q, counts in quarters.items()],
            "eftervaern": [share("decision_by_17_5", None, *window)]}
    catalogue, decisions = decide_pack(pack, {s: [] for s in pack}, Period.parse(pack_period), THRESHOLD,
                                       Series(series, over))
    keys = {part: catalogue.refs[Ref("decision_by_17_5", None, pack_period, None, part)] for part in PARTS}
    return keys, {part: decisions.hidden.get(k) for part, k in keys.items()}


def test_a_declared_window_whose_numerator_alone_adds_up_is_tied_by_its_numerator():
    """The decisions by 17½ are the quarters' decisions added up (3 = 2 + 1 + 0 + 0), the young people are not (7:
    counted as placed on the day, not as open cases). Tied only where every count added up, the 12 months' 3 was
    shown beside the quarters' "<5" — a reader's 1..3 for each. Undeclared, only a whole match is taken (a count
    alone matches by chance too often among the built-in sections' small numbers)."""
    quarters = {"2023-Q1": (2, 2), "2023-Q2": (1, 1), "2023-Q3": (0, 0), "2023-Q4": (0, 2)}
    series = {q: [share("decision_17_5", q, *counts)] for q, counts in quarters.items()}
    series["2023-12"] = [share("decision_by_17_5", "2023-12", 3, 7)]
    over = {"decision_by_17_5": Over.WINDOW}
    assert twelve_month_windows(series, over) == {"decision_by_17_5": {"numerator": "decision_17_5"}}
    assert twelve_month_windows(series, {}) == {}
    keys, answers = window_answers("2023-12", series, over, quarters, (3, 7))
    assert {k.months for k in keys.values()} == {("2023-01", "2023-12")}
    assert all(answers.values()), answers  # hidden whole: its numerator is the hidden quarters' sum


def test_a_declared_window_is_one_number_of_its_twelve_months_in_every_pack():
    """Declared, the window is keyed by its 12 months whether or not any other indicator adds up to it: the month's
    pack, the quarter's and the year to date's show one number."""
    series = {p: [share("decision_by_17_5", p, 4, 9)] for p in ("2024-06", "2024-Q2", "2024-06-ytd")}
    over = {"decision_by_17_5": Over.WINDOW}
    found = {}
    for period in series:
        keys, answers = window_answers(period, series, over, {}, (4, 9))
        found[period] = ({k.months for k in keys.values()}, answers)
    assert {str(months) for months, _ in found.values()} == {str({("2023-07", "2024-06")})}
    assert len({str(answers) for _, answers in found.values()}) == 1, found


def test_a_window_ending_within_a_quarter_of_a_quarterly_indicator_is_hidden():
    """The window up to May 2024 holds June 2023 to May 2024: parts of the second quarters of both years. Beside
    the window up to March (the four quarters' sum), it bounds the second quarter of 2024 from below (two windows
    differ by the month that entered less the one that left), a quarter its own pack does not know yet: hidden, even
    with every quarter shown; the window up to June, the four quarters' sum, is shown with them."""
    quarters = {"2023-Q2": (6, 8), "2023-Q3": (5, 6), "2023-Q4": (5, 7), "2024-Q1": (6, 9), "2024-Q2": (5, 6)}
    series = {q: [share("decision_17_5", q, *counts)] for q, counts in quarters.items()}
    series["2024-03"] = [share("decision_by_17_5", "2024-03", 22, 30)]  # 2023-Q2 .. 2024-Q1 added up
    series["2024-05"] = [share("decision_by_17_5", "2024-05", 17, 24)]
    series["2024-06"] = [share("decision_by_17_5", "2024-06", 21, 28)]  # 2023-Q3 .. 2024-Q2 added up
    over = {"decision_by_17_5": Over.WINDOW}
    _, answers = window_answers("2024-05", series, over, quarters, (17, 24))
    assert all(answers.values()), answers
    _, answers = window_answers("2024-06", series, over, quarters, (21, 28))
    assert not any(answers.values()), answers


def test_an_undeclared_window_is_named_with_its_section(caplog):
    quarters = {"2023-Q1": (2, 6), "2023-Q2": (1, 5), "2023-Q3": (0, 5), "2023-Q4": (0, 6)}
    series = {q: [share("decision_17_5", q, *counts)] for q, counts in quarters.items()}
    series["2023-12"] = [share("decision_by_17_5", "2023-12", 3, 22)]
    with caplog.at_level(logging.WARNING, logger="ledinfo.disclosure.series"):
        window_answers("2023-12", series, {}, quarters, (3, 22))
    assert "section 'eftervaern': indicator 'decision_by_17_5' is the last 12 months of 'decision_17_5'" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="ledinfo.disclosure.series"):
        window_answers("2023-12", series, {"decision_by_17_5": Over.WINDOW}, quarters, (3, 22))
    assert "declares no window" not in caplog.text


def test_every_pack_with_a_declared_window_has_its_months_and_quarters():
    window = share("decision_by_17_5", None, 4, 9)
    needed = {str(p) for p in needed_periods([window], Period.parse("2024-05"), {"decision_by_17_5": Over.WINDOW})}
    assert {"2023-06", "2024-05"} <= needed and not {"2024-Q2", "2024-06"} & needed  # nothing after its end
    june = {str(p) for p in needed_periods([window], Period.parse("2024-06"), {"decision_by_17_5": Over.WINDOW})}
    assert {"2023-07", "2023-Q3", "2024-Q2"} <= june
    assert needed_periods([window], Period.parse("2024-05"), {}) == [Period.parse("2024-05")]
