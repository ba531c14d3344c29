"""The guard's outputs read back and searched once (issue 27): each faster path finds exactly what the plain one
found — the CPR patterns that begin with a digit, the folding of only the characters a text holds, a PDF's pages
searched alone and then only around their breaks, a JSON document's strings read a part at a time."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import loaded_strings
from ledinfo.disclosure import read_back
from ledinfo.disclosure.guard import GuardError, GuardIds, check
from ledinfo.disclosure.read_back import ReadBack, json_strings, pdf_text, read_pdf
from ledinfo.privacy import cpr
from ledinfo.privacy.cpr import contains_cpr, contains_cpr_joined, fold

# --- the patterns ------------------------------------------------------------------------------------------

# The shape as it was written before issue 27, a look-ahead tried at every character: the reference the faster
# patterns (cpr._CPR_RE, cpr._EXCEL_RE, which begin by matching a digit) must agree with, match for match (with the
# groupings of the date read since round 12: D.M.YY, DDMM YY, DD MMYY, DDM MYY).
_PLAIN_CPR = re.compile(
    rf"""(?=(?P<cpr>
        (?<!\d)(?<!\d[.,])
        (?:
            (?P<d>\d\d)(?P<s1>{cpr._SEP}?)(?P<m>\d\d)(?P=s1)(?P<y>\d\d(?:\d\d)?)
          | (?P<d9>[1-9])(?P<m9>\d\d)(?P<y9>\d\d)
          | (?P<dj>\d\d?)(?P<j>{cpr._JOIN})(?P<mj>\d\d?)(?P=j)(?P<yj>\d\d)
          | (?P<dm4>\d{{4}})(?P<s4>{cpr._SPLIT})(?P<y4>\d\d(?:\d\d)?)
          | (?P<d2>\d\d)(?P<s2>{cpr._SPLIT})(?P<my>\d{{4}}(?:\d\d)?)
          | (?P<d3>\d{{3}})(?P<s5>{cpr._SPLIT})(?P<g3b>\d{{3}})
        )
        (?P<s3>{cpr._GAP}?)                       # (between the date and the serial: other characters too)
        (?P<serial>\d{{4}}|(?<!\d)\d\d[ ]{{1,2}}\d\d(?!:\d))
        (?:[.,]0+)?(?!\d|[.,]\d)
    ))""",
    re.VERBOSE,
)


def _plain_date(m: re.Match) -> tuple:
    if m["d"] is not None:
        return (m["d"], m["m"], m["y"]), m["s1"] * 2
    if m["d9"] is not None:
        return (m["d9"], m["m9"], m["y9"]), ""
    if m["j"] is not None:
        return (m["dj"], m["mj"], m["yj"]), m["j"] * 2
    if m["dm4"] is not None:
        return (m["dm4"][:2], m["dm4"][2:], m["y4"]), m["s4"]
    if m["d2"] is not None:
        return (m["d2"], m["my"][:2], m["my"][2:]), m["s2"]
    return (m["d3"][:2], m["d3"][2] + m["g3b"][0], m["g3b"][1:]), m["s5"]


_PLAIN_EXCEL = re.compile(r"(?<![\d.,])(?P<first>[1-9])[.,](?P<rest>\d{1,9})[eE]\+?0?(?P<exp>[89])(?!\d|[.,]\d)")

_PIECES = ["25", "04", "63", "7933", "1990", "2504637933", "504637933", "0", "00", "5", "29", "02", "31", "12",
           " ", "  ", "-", " - ", ".", ",", "/", "_", "\\", "--", "-\n", "\n", ":", "E+09", "e8", "+", ".0", ",000",
           "kr", "SAG", "x", "æ", "abcdef0123456789", "1", "9", "(", ")", '"', "...", "    ", ";"]
TEXTS = st.lists(st.sampled_from(_PIECES), max_size=24).map("".join)


def _plain(text: str) -> list[tuple]:
    found = [(m.span("cpr"), *_plain_date(m), m["s3"], m["serial"]) for m in _PLAIN_CPR.finditer(text)]
    return found + [m.span() for m in _PLAIN_EXCEL.finditer(text)]


def _fast(text: str) -> list[tuple]:
    found = [((m.start(), m.end("rest")), *cpr._date_of(m), m["s3"], m["serial"]) for m in cpr._CPR_RE.finditer(text)]
    return found + [m.span() for m in cpr._EXCEL_RE.finditer(text)]


@settings(max_examples=600, deadline=None, derandomize=True)
@given(text=TEXTS)
def test_the_patterns_that_begin_with_a_digit_match_as_the_look_ahead_did(text):
    assert _fast(text) == _plain(text)


def test_the_patterns_agree_on_every_written_form():
    from test_cpr import FORMS, IN_CONTEXT, NEGATIVES

    for text in [f[1] for f in FORMS] + IN_CONTEXT + NEGATIVES:
        for around in (text, f"Bemærk: {text}.", f"7{text}1", f"1,{text}"):
            assert _fast(cpr.normalise(around)) == _plain(cpr.normalise(around)), around


@pytest.mark.slow  # every code point: 5 s; `make test` runs it, `make test-fast` not
def test_folding_the_characters_a_text_holds_is_translating_every_one():
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    folded = everything.translate(cpr._FOLD)
    # a folded character folds to itself: fold's replaces never meet what another put in
    assert all(cpr._FOLD[ord(char)] == char for char in set(folded))
    digits = "".join(char for char in everything[:0x20000] if char.isdecimal())  # hundreds of characters to fold
    assert fold(digits) == digits.translate(cpr._FOLD) == "".join(str(int(char)) for char in digits)
    for start in range(0, len(everything), 64):  # texts of a few characters to fold: replaced one by one
        piece = everything[start:start + 64]
        assert fold(piece) == piece.translate(cpr._FOLD), hex(start)
    assert fold("a\\b") == "a/b" and cpr.normalise("a\\b") == "a\\b"  # ASCII folded only where the text is not


# --- a PDF's pages: alone, then around the breaks -------------------------------------------------------------

_AROUND = ["", " ", "SAG", "S-", "kr. ", "+45 ", "cpr ", "7", "1,", "æ", "\u200b" * 45, "Side 2 af 7\n"]
_AFTER = ["", " ", " kr.", ",-", "5", ".5", "x", ".0" + "0" * 90 + "1", "0" * 90, " æ", "\u200b" * 45]
_NUMBERS = ["250463-7933", "25.04.63 - 7933", "25 04 63 79 33", "2504637933", "504637933", "2504637933.000",
            "2.504637933E+09", "25-04-63-\n7933", "25\\04/63-7933", "\uff12\uff15\uff10\uff14\uff16\uff13-7933",
            "250463-79", "31.02.63-7933"]


@st.composite
def pages(draw):
    """A text with a number in some form, cut into pages anywhere (into it too), a page perhaps empty."""
    words = st.lists(st.sampled_from(["Tal ", "12 ", "2026 ", "\n", "æøå ", "1.234 ", "\u2013 "]), max_size=8)
    text = ("".join(draw(words)) + draw(st.sampled_from(_AROUND)) + draw(st.sampled_from(_NUMBERS))
            + draw(st.sampled_from(_AFTER)) + "".join(draw(words)))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), min_size=1, max_size=3)))
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)])]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(parts=pages())
def test_the_pages_searched_alone_and_around_their_breaks_tell_what_the_whole_text_tells(parts):
    alone = [contains_cpr(part) for part in parts]
    assert contains_cpr_joined(parts, alone) == contains_cpr("\n".join(parts))


def test_a_number_across_a_page_break_is_found_only_across_it():
    cases = [(["Barnets nummer er 250463-", "7933 og bor hos mor"], True),  # no page holds it alone
             (["nummer 250463-", "79 33"], True),
             (["Sag SAG250463", "7933"], False),  # 250463\n7933: a line break is no separator of a number
             (["nummer 250463-", "\u200b" * 100 + "7933"], True),  # invisible characters: read past them
             (["7" + "\u200b" * 100 + "250463-", "7933"], False),  # 7250463-7933: a longer number's tail
             (["nummer 250463-", "7933." + "0" * 120 + "5"], False),  # a decimal number: read to its end
             (["nummer 250463-", "7933." + "0" * 120 + " i alt"], True),  # Excel's decimal zeros
             (["æ 25\\04/63-", "7933"], True),  # a backslash folds to a slash in a text that is not all ASCII
             (["25\\04/63-", "7933"], False)]
    for parts, expected in cases:
        assert contains_cpr("\n".join(parts)) == expected, parts  # what the whole text tells
        assert not any(contains_cpr(part) for part in parts)
        assert contains_cpr_joined(parts, [False] * len(parts)) == expected, parts
    # an ASCII page with a backslash is searched folded where the whole text is not all ASCII
    parts = ["æ", "25\\04/63-7933"]
    assert not contains_cpr(parts[1]) and contains_cpr_joined(parts, [False, False])


def _pdf(*pages: list[str]) -> bytes:
    """A real PDF of ``pages``, each a list of lines, drawn as a pack's text is (ReportLab, the packs' font)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from ledinfo.render.fonts import REGULAR, register_fonts

    register_fonts()
    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=A4)
    for lines in pages:
        drawing.setFont(REGULAR, 10)
        for index, line in enumerate(lines):
            drawing.drawString(72, 800 - 14 * index, line)
        drawing.showPage()
    drawing.save()
    return out.getvalue()


@pytest.mark.parametrize("first, second, leaks", [
    ("Barnets nummer er 250463-", "7933 bor hos mor", True),
    ("Barnets nummer er 250463-", "79 33 bor hos mor", True),
    ("Underretninger i alt 250463", "7933 i 2026", False),
    ("Side 1 af 2 · 1.234 sager", "Side 2 af 2 · 56 %", False),
])
def test_a_cpr_number_across_a_page_break_of_a_real_pdf_is_refused(first, second, leaks):
    data = _pdf(["Nøgletal for Børn og Unge", first], [second, "Opgjort 31.10.2026"])
    read = read_pdf(data)
    assert read.text == pdf_text(data) and read.text.count("\n") >= 1
    assert read.holds_cpr == contains_cpr(read.text) == leaks
    if leaks:
        with pytest.raises(GuardError, match="CPR-shaped"):
            check({"PDF": read}, GuardIds(), "committee", None, "udvalg")
    else:
        check({"PDF": read}, GuardIds(), "committee", None, "udvalg")


def test_a_page_read_apart_is_searched_again():
    counts = ["Trin Jan Feb Mar Apr Maj", "Anbringelse 24 11 64 12 28"]  # one text: a CPR number written in groups
    read = read_pdf(_pdf(["Overgange"], counts, ["Side 3"]))
    assert read.holds_cpr and contains_cpr(read.text)  # drawn as one text it stays one, and is found
    with pytest.raises(GuardError, match="CPR-shaped"):
        check({"PDF": read}, GuardIds(), "director", None, "direktion")


def test_the_guard_trusts_the_verdict_it_read_and_searches_a_plain_text():
    with pytest.raises(GuardError, match="CPR-shaped"):
        check({"PDF": ReadBack("no number here", True)}, GuardIds(), "committee", None, "udvalg")
    check({"PDF": ReadBack("1103731234", False)}, GuardIds(), "committee", None, "udvalg")  # read and found clean
    with pytest.raises(GuardError, match="CPR-shaped"):
        check({"PDF": "1103731234"}, GuardIds(), "committee", None, "udvalg")


# --- a JSON document a part at a time ---------------------------------------------------------------------------



JSON_VALUES = st.recursive(st.none() | st.integers() | st.text(),
                           lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
                           max_leaves=30)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(value=JSON_VALUES, ascii_only=st.booleans(), part=st.integers(1, 64))
def test_a_json_document_read_in_parts_gives_every_string_in_order(value, ascii_only, part):
    data = json.dumps(value, ensure_ascii=ascii_only, indent=2).encode("utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(read_back, "_PART", part)  # many parts, each ending at a line break
        assert json_strings(data) == "\n".join(loaded_strings(json.loads(data)))


def test_a_json_string_that_is_not_utf8_is_read_as_json_reads_it():
    data = json.dumps({"note": "a\ud83d\"b", "n": "æ\\"}, ensure_ascii=False, indent=2).encode("utf-8", "surrogatepass")
    assert json_strings(data) == "\n".join(loaded_strings(json.loads(data)))


@pytest.mark.parametrize("before", ["id", "SAG", "kr.", "+45", "beløb DKK"])
def test_the_words_on_the_line_before_make_no_number_something_else(before):
    # A JSON string's key is on the line before its value: "x\n2504637933" holds a CPR number, as "x 2504637933"
    # does; only letters, "kr." or a country code right before the digits make them an id, an amount or a phone
    data = json.dumps({before: "2504637933"}, ensure_ascii=False, indent=2).encode()
    assert contains_cpr(f"{before}\n2504637933") and contains_cpr(json_strings(data))
    with pytest.raises(GuardError, match="CPR-shaped"):
        check({"JSON": json_strings(data)}, GuardIds(), "committee", None, "udvalg")
    assert not contains_cpr(f"{before}2504637933".replace("+45", "+45 ").replace("kr.", "kr. "))
