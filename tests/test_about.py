"""Numbers said to be "about" ("omkring") are rounded as a person would say them, not printed to the unit."""

import re

import pytest

from ledinfo.api import Figure, SectionResult, View
from ledinfo.language import Language
from ledinfo.plugins.budget import BudgetSection
from ledinfo.plugins.measures_mix import MeasuresMixSection
from ledinfo.plugins.notifications import NotificationsSection


@pytest.mark.parametrize(("value", "danish"), [
    (1553.4, "1.600"), (136.2, "140"), (11.46, "11"), (99.6, "100"), (4.4, "4"), (152_700, "150.000"), (1, "1")])
def test_about_is_a_whole_number_to_two_significant_digits(value, danish):
    assert Language("da").about(value) == danish


@pytest.mark.parametrize(("amount", "danish"), [
    (155_612_345.0, "160 mio. kr."), (1_534_000, "1,5 mio. kr."), (1_000_000, "1 mio. kr."), (856_321, "860.000 kr.")])
def test_about_money_has_two_significant_digits(amount, danish):
    assert Language("da").about_money(amount) == danish


def _narrated(section, figures, code="da"):
    return " ".join(section.narrate(SectionResult(section.name, "", figures=figures), View("committee", Language(code))))


def test_the_sentences_after_omkring_print_the_rounded_number():
    notifications = _narrated(NotificationsSection(), [
        Figure("notifications_12m", 1461, unit="count"), Figure("notifications_reference", 1553.4, unit="count")])
    assert "omkring 1.600 underretninger om året" in notifications
    placed = _narrated(MeasuresMixSection(), [
        Figure("placements", 142, unit="count"), Figure("preventive", 300, unit="count"),
        Figure("placements_reference", 136.2, unit="count")])
    assert "omkring 140 anbragte børn" in placed
    spend = _narrated(BudgetSection(), [
        Figure("budget_forecast", 160e6, unit="amount"), Figure("spending_reference", 155_612_345.0, unit="amount")])
    assert "omkring 160 mio. kr. om året" in spend
    for text in (notifications, placed, spend):  # no "about" number with more than two significant digits
        for number in re.findall(r"omkring ([\d.,]+)", text):
            assert len(re.sub(r"0+$", "", number.replace(".", "").replace(",", ""))) <= 2, text


def test_an_about_count_of_one_reads_singular():
    text = _narrated(NotificationsSection(), [
        Figure("notifications_12m", 3, unit="count"), Figure("notifications_reference", 1.2, unit="count")], "en")
    assert "about 1 notification a year" in text
