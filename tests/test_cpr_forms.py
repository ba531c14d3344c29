"""CPR numbers a round's attacker wrote past the checks: a separator that the load-time column search did not know
though the detector did (U+2053 SWUNG DASH and eight more: a team "Børn Syd 250463⁓7933" passed `validate` and its
pack's id reached the console and the manifest), other punctuation between the date and the serial (``~ + : = |
, ; #``), percent-encoding (``cpr=250463%2D7933``) and letters drawn like digits (``25O463-7933``, a Cyrillic З).
Each test fails on the code before."""

from __future__ import annotations

import sys
import unicodedata

import polars as pl
import pytest

from ledinfo.disclosure.guard import GuardError, GuardIds, check
from ledinfo.privacy.cpr import _FOLD, _LOOK_ALIKE_CLASS, _SPACES, contains_cpr, cpr_mask, holds_cpr, redact

# (form, as written); the digits 2504637933 each time
OTHER_FORMS = [
    ("tilde", "250463~7933"), ("plus", "250463+7933"), ("colon", "250463:7933"), ("equals", "250463=7933"),
    ("bar", "250463|7933"), ("comma", "250463,7933"), ("semicolon", "250463;7933"), ("hash", "250463#7933"),
    ("asterisk", "250463*7933"), ("after the word", "Barnet (CPR 250463~7933) er nævnt."),
    ("four-digit year", "25041963+7933"), ("nine digits", "50463#7933"),
    ("percent-encoded dash", "https://sag.fjordby.dk/?cpr=250463%2D7933"), ("percent-encoded space", "250463%207933"),
    ("percent-encoded label", "cpr%3D2504637933"), ("lower-case hex", "25%2e04%2e63%2d7933"),
    ("capital O for zero", "Barnet (CPR 25O463-7933)"), ("small o and l", "25o463-79l3"),
    ("capital I for one", "I10373-7903"), ("Cyrillic Ze for three", "CPR 250463-793\u0417"),
    ("Cyrillic O", "25\u041e463-7933"), ("Greek omicron", "25\u03bf4637933"),
    # forms caught before, which the rule for other punctuation (not after a date in groups) must leave caught
    ("date in groups, serial glued", "25.04.637933"), ("date in spaces, serial glued", "25 04 637933"),
]
# Text that must stay no CPR number: what the new forms could have taken for one (each checked on a page too)
STILL_NOT = [
    "Opgjort 31.03.2024 (2024-03-31)", "pr. 31.12.2023, 2024 og 2025", "kl. 10:03:24 2024", "10:00:00.000000",
    "2024-03-31T10:03:24+0100", "CO2 25O4", "SAGO2504637933", "Олег 250463", "S-O1 2504637933A",
    "50%2024", "https://sag.fjordby.dk/?id=100%25", "Side 3 af 7 · 12,5 %", "BL §32 stk 1 nr 3",
]


def read_as_cpr_at_load_and_by_the_guard(text: str) -> None:
    """``text`` is a CPR number to the detector, to the load-time column search (alone and in a longer cell) and to
    the final guard of a committee pack: the checks every written form must pass (this module's and
    test_cpr_written's)."""
    assert contains_cpr(text) and holds_cpr(text)
    assert cpr_mask(pl.Series([text, f"Team {text}", "Børn"])).to_list() == [True, True, False]
    with pytest.raises(GuardError, match="CPR-shaped"):
        check({"PDF": f"Orientering\nBemærkning: {text}\n"}, GuardIds(), "committee", None, "udvalg")


@pytest.mark.parametrize("label, text", OTHER_FORMS, ids=[label for label, _ in OTHER_FORMS])
def test_other_written_forms_are_cpr_numbers_found_in_a_column_and_redacted(label, text):
    read_as_cpr_at_load_and_by_the_guard(text)
    assert not contains_cpr(redact(text)) and "[CPR-nummer]" in redact(text)


@pytest.mark.parametrize("text", STILL_NOT)
def test_dates_times_and_words_beside_digits_stay_no_cpr_numbers(text):
    assert not holds_cpr(text) and not contains_cpr(f"Bemærk: {text}.")
    assert not cpr_mask(pl.Series([text])).any()


def test_the_column_search_and_the_detector_agree_on_every_code_point():
    """The attacker's way, cheaply: every code point as the separator between the date and the serial, and as
    the date's two separators. A code point that folds to itself and is no ASCII character, space or look-alike
    of a digit is read as every other of its Unicode category is (both read the folded text, by the same table),
    so one of each category stands for them (12,000 values, not 1.1 million)."""
    special = set(_SPACES + _LOOK_ALIKE_CLASS)
    one_each = {}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        key = char if code < 128 or char in special or _FOLD[code] != char else unicodedata.category(char)
        one_each.setdefault(key, char)
    values = [form.format(c=char) for char in one_each.values() for form in ("250463{c}7933", "25{c}04{c}63-7933")]
    found = [holds_cpr(value) for value in values]
    missed = [f"U+{ord(value[6] if value.startswith('250463') else value[2]):04X}"
              for value, hit, masked in zip(values, found, cpr_mask(pl.Series(values)).to_list()) if hit != masked]
    assert not missed, missed
    assert sum(found) > 1000  # the dashes, dots, slashes, spaces, invisibles ... of every script
    assert holds_cpr("Børn Syd 250463\u20537933") and cpr_mask(pl.Series(["Børn Syd 250463\u20537933"]))[0]
