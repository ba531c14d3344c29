"""CPR numbers a round's attacker wrote past the checks: a separator that the load-time column search did not know
though the detector did (U+2053 SWUNG DASH and eight more: a team "Børn Syd 250463⁓7933" passed `validate` and its
pack's id reached the console and the manifest). Each test fails on the code before."""

from __future__ import annotations

import sys
import unicodedata

import polars as pl

from ledinfo.privacy.cpr import _FOLD, _SPACES, cpr_mask, holds_cpr


def test_the_column_search_and_the_detector_agree_on_every_code_point():
    """The attacker's way, cheaply: every code point as the separator between the date and the serial, and as
    the date's two separators. A code point that folds to itself and is no ASCII character or space is read as
    every other of its Unicode category is (both read the folded text, by the same table), so one of each
    category stands for them (12,000 values, not 1.1 million)."""
    special = set(_SPACES)
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
