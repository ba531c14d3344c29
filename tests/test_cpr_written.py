"""CPR numbers a round's attacker wrote past every check (round 12, F1): a separator encoded as a web page, a mail or
a web address writes it (010190&#45;1234 was printed in a team pack and its JSON), the whole number in base64, other
groupings of the date (0101 90 1234, 01-0190-1234, 010 190 1234, 1.1.90-1234), a run of other characters between an
unbroken date and the serial ((010190) 1234, "010190"-"1234", 010190...1234, four spaces), ideographic numerals;
and a validation message that quoted a staff id in such a form. Each test fails on the code before."""

from __future__ import annotations

import base64
import re

import polars as pl
import pytest

from ledinfo.api.small_extract import write_small_extract
from ledinfo.extract import ExtractError
from ledinfo.extract.folder import read_folder
from ledinfo.extract.problems import show_value
from ledinfo.extract.validate import validate_extract
from ledinfo.privacy.cpr import contains_cpr, contains_cpr_joined, cpr_mask, holds_cpr, normalise, redact
from test_cpr_forms import read_as_cpr_at_load_and_by_the_guard

# (form, as written); the digits 0101901234 each time
FORMS = [
    ("HTML decimal reference", "010190&#45;1234"), ("HTML hex reference", "010190&#x2D;1234"),
    ("HTML &minus;", "010190&minus;1234"), ("HTML &ndash;", "Barn 010190&ndash;1234."),
    ("HTML &nbsp;", "010190&nbsp;1234"), ("HTML in the date", "01&#46;01&#46;90&#45;1234"),
    ("quoted-printable", "010190=2D1234"), ("percent-encoded en dash", "010190%E2%80%931234"),
    ("base64", "MDEwMTkwLTEyMzQ="), ("base64, ten digits", "MDEwMTkwMTIzNA=="),
    ("base64 after a key", "cpr=MDEwMTkwLTEyMzQ"), ("base64 of a sentence", "Y3ByOiAwMTAxOTAtMTIzNA=="),
    ("DDMM YY XXXX", "0101 90 1234"), ("DD-MMYY-XXXX", "01-0190-1234"), ("DDM MYY XXXX", "010 190 1234"),
    ("D.M.YY-XXXX", "1.1.90-1234"), ("comma between spaces", "010190 , 1234"), ("semicolon", "010190 ; 1234"),
    ("brackets", "(010190) 1234"), ("quotes", '"010190"-"1234"'), ("square brackets", "[010190]-[1234]"),
    ("three dots", "010190...1234"), ("four spaces", "010190    1234"), ("a comma", "010190, 1234"),
    ("ideographic numerals", "\u3007\u4e00\u3007\u4e00\u4e5d\u3007-\u4e00\u4e8c\u4e09\u56db"),
]
# Text that must stay no CPR number (what the new forms could have taken for one)
STILL_NOT = [
    "Opgjort 31.03.2024 (2024-03-31)", "31.03.24 (2024-03-31)", "pr. 31.12.2023, 2024 og 2025", "1.234.567,50",
    "S-000162", "+45 12 34 56 78", "+45 2012 3456", "kl. 10:03:24 2024", "1.1.2024-2025", "1 1 90 1234",
    "5.28.21 1234", "uge 12 2024", "x=2012", "https://sag.fjordby.dk/?id=100%25", "Anbringelsesgrundlag",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "2024-03-31 10:00:00.000000",
    "&amp; 3 &lt; 5", "20.12345678", "11.04901234", "20-12345678", "2012 345678", "Beløb=20 kr",
    base64.b64encode(b"Opgjort 31.03.2024 kl. 10.00, side 1234").decode(),
]


@pytest.mark.parametrize("label, text", FORMS, ids=[label for label, _ in FORMS])
def test_written_forms_are_cpr_numbers_everywhere(label, text):
    read_as_cpr_at_load_and_by_the_guard(text)
    redacted = redact(f"Sag {text} slut")
    assert "[CPR-nummer]" in redacted and not contains_cpr(redacted) and redacted.startswith("Sag ")
    assert redacted.endswith(" slut")


@pytest.mark.parametrize("text", STILL_NOT)
def test_dates_amounts_ids_and_phone_numbers_stay_no_cpr_numbers(text):
    assert not holds_cpr(text) and not contains_cpr(f"Bemærk: {text}.")
    assert not cpr_mask(pl.Series([text])).any()


def test_a_number_written_encoded_across_a_page_break_is_found():
    parts = ["Side 1\nBarnet har cpr 010190&#45;", "1234 og bor hos mor"]
    assert not any(contains_cpr(part) for part in parts)
    assert contains_cpr_joined(parts, [False, False]) and contains_cpr("\n".join(parts))


def test_a_staff_id_in_a_written_form_is_refused_and_quoted_in_no_message(tmp_path):
    # Overlapping employment periods name the staff_id: the attacker's '0101 90 1234' was quoted there.
    folder = tmp_path / "extract"
    write_small_extract(folder)
    ids = [text for _, text in FORMS if "," not in text and '"' not in text]  # one CSV cell each, unquoted
    with (folder / "staff.csv").open("a", encoding="utf-8") as file:
        for staff_id in ids:
            file.write(f"{staff_id},Børn,raadgiver,1.0,2020-01-01,\n{staff_id},Børn,raadgiver,1.0,2021-01-01,\n")
    with pytest.raises(ExtractError) as caught:
        validate_extract(read_folder(folder))
    report = caught.value.report()
    # every row refused for the number; each overlap still reported, at start_date, its staff id not quoted
    assert caught.value.counts == {"cpr_number": 2 * len(ids), "overlapping_periods": len(ids)}
    assert "this employment period of staff_id '[CPR-nummer]' overlaps an earlier one" in report
    for text in [report] + [p.message for p in caught.value.problems]:
        assert "0101901234" not in re.sub(r"\D", "", normalise(text)), text


@pytest.mark.parametrize("value", ["0 1 0 1 9 0 1 2 3 4", "01x01x90x1234", "SAG0101901234", "010190 og 1234",
                                   "2.504637933E+09 kr"])
def test_a_message_quotes_no_value_whose_digits_could_be_a_cpr_number(value):
    # forms no reader takes for a CPR number, or that the detector reads as something else: a message needs the
    # value only to find the cell, so it does not quote it
    shown = show_value(value)
    assert "not shown" in shown and not re.search(r"\d", shown)


@pytest.mark.parametrize("value", ["S-000162", "2024-13-45", "1.234.567,50", "abc", "12,5 %", "31.02.2024"])
def test_a_message_quotes_an_ordinary_value(value):
    assert show_value(value) == repr(value)


def test_the_console_holds_a_line_that_may_go_on_after_other_characters():
    # a plugin writes a number's date, flushes, then the rest: each part alone is no number
    import io

    from ledinfo.privacy.console import RedactingStream

    out = io.StringIO()
    console = RedactingStream(out)
    for first, rest in [("barn (010190)", " 1234 flyttet\n"), ("barn 010190 ;", " 1234\n"), ("barn 010190&#4", "5;1234\n"),
                        ("barn 010190%E2%80", "%931234\n"), ("barn 010190&nd", "ash;1234\n")]:
        console.write(first)
        console.flush()
        console.write(rest)
    console.write("12 %")
    console.flush()
    console.write(" færdig\n")
    console.write("Side 3 af 7 i alt")
    console.flush()
    assert out.getvalue().endswith("12 % færdig\nSide 3 af 7 i alt")  # held a step; a line that ends in letters is not
    assert out.getvalue().count("[CPR-nummer]") == 5 and "0101901234" not in re.sub(r"\D", "", out.getvalue())
