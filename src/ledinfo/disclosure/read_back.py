"""A pack's outputs read back as text, as the final guard (:mod:`ledinfo.disclosure.guard`) searches them.

A PDF is read with PDFium (the PDF engine of Chrome) as a reader's program reads it, page by page; a JSON
document's strings are found in its bytes. Each text is searched for CPR numbers once, as it is read: a
PDF's pages each alone, then only the text around the page breaks (:func:`read_pdf`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ledinfo.privacy.cpr import contains_cpr, contains_cpr_joined, holds_cpr


@dataclass(frozen=True)
class ReadBack:
    """An output's text as read back, and whether it holds a CPR number (:func:`contains_cpr` of ``text``,
    found as it was read)."""

    text: str
    holds_cpr: bool


def read_pdf(data: bytes) -> ReadBack:
    """The text of every page, one page after another on a line of its own, as PDFium extracts it (about 1 ms a
    page; pypdf took 20), and whether it holds a CPR number.

    On a page whose text holds a CPR-shaped number, the texts the PDF draws apart (a table's cells, a
    chart's labels) are read apart, one to a line: PDFium joins them with spaces of its own, so a table row
    of five counts ("Anbringelse 24 11 64 12 28") would read as a CPR number written in groups. A number
    drawn as one text (a sentence, a cell) is read whole, in every form. Only such pages are read character
    by character (a few a build): the rest cost nothing more.

    Each page's text is searched as it is read (it decides how the page is read); the whole text then only
    around its page breaks, where a number may run from one page onto the next
    (:func:`ledinfo.privacy.cpr.contains_cpr_joined`, exactly :func:`contains_cpr` of the whole text).
    """
    import pypdfium2  # deferred: PDFium, loaded only when a PDF is read back

    document = pypdfium2.PdfDocument(data)
    try:
        pages, alone = [], []
        for page in document:
            text_page = page.get_textpage()
            text = text_page.get_text_range()
            holds = contains_cpr(text)
            if holds:
                apart = _drawn_apart(text_page, text, pypdfium2.raw)
                holds = apart is text or contains_cpr(apart)  # the page read apart searched again (a few a build)
                text = apart
            pages.append(text)
            alone.append(holds)
            text_page.close()
            page.close()
        return ReadBack("\n".join(pages), contains_cpr_joined(pages, alone))
    finally:
        document.close()


def pdf_text(data: bytes) -> str:
    """The text of every page as the guard reads it (:func:`read_pdf`)."""
    return read_pdf(data).text


def _drawn_apart(text_page, text: str, raw) -> str:
    """``text`` with each space PDFium put between two separately drawn texts made a line break (``text`` itself
    where that cannot be told)."""
    if len(text) != text_page.count_chars():
        return text  # characters beyond 16 bits shift the indices: read as it is (may refuse, never misses)
    return "".join("\n" if char == " " and raw.FPDFText_IsGenerated(text_page, index) == 1 else char
                   for index, char in enumerate(text))


def json_strings(data: bytes) -> str:
    """Every string in a JSON document (keys and values), one per line, in the document's order.

    Numbers are left out: a JSON number is no text a reader sees, and a large amount
    (1234567890.5) would look like ten digits. The strings are found in the text, not by loading the
    document: a large municipality's directors' pack has a JSON of 40 MB, whose objects took ~220 MiB in the
    build's main process as the guard read it back (issue 27); outside a string a JSON document has no
    quote, so each match is one string, key or value. ``data`` is JSON as ledinfo writes it (``json.dumps``).

    The document is read about a megabyte at a time, each part ending at a line break (JSON has none inside a
    string: ``json.dumps`` writes it ``\\n``; a document without line breaks is one part): the part's strings are
    found by one regex call and their escapes decoded by one call of the JSON decoder, as one string of them
    all joined by an escaped line break (3.6× faster than a Python step per string; the same text).
    """
    parts = []
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + _PART)
        end = len(data) if end < 0 else end + 1
        strings = _JSON_STRING_BODY.findall(data, start, end)
        if strings:
            parts.append(_decoded(strings))
        start = end
    return "\n".join(parts)


def read_json(data: bytes) -> ReadBack:
    """:func:`json_strings` of ``data``, and whether they hold a CPR number: the strings one to a line as the
    guard reads them (:func:`contains_cpr`), and each string that holds a line break or a tab also as one value
    (:func:`ledinfo.privacy.cpr.holds_cpr`): a comment's "250463\\n\\n7933" is one sentence on the page, where the
    page wrapped it or not (an attacker's finding). Only strings with such a character are read again: a document
    without any costs one search for them."""
    text = json_strings(data)
    if contains_cpr(text):
        return ReadBack(text, True)
    if not _BREAK_IN_STRING.search(data):
        return ReadBack(text, False)
    holds = any(holds_cpr(json.loads(b'"' + found + b'"')) for found in _JSON_STRING_BODY.findall(data)
                if _BREAK_IN_STRING.search(found))
    return ReadBack(text, holds)


# a line break or a tab inside a JSON string, as json.dumps and orjson write them: escaped (a control character), or
# as the character itself (U+0085, U+2028, U+2029 are written unescaped)
_BREAK_IN_STRING = re.compile(rb"\\[nrtf]|\\u00(?:0[9abcdABCD]|1[cdeCDE]|85)|\xc2\x85|\xe2\x80[\xa8\xa9]")
_JSON_STRING_BODY = re.compile(rb'"([^"\\]*(?:\\.[^"\\]*)*)"', re.DOTALL)  # a JSON string's text, escapes within
_PART = 1 << 20  # bytes of the document read at a time, at least (up to its next line break)
_DECODER = json.JSONDecoder(strict=False)  # a part's strings as one string literal: its escapes decoded in C


def _decoded(strings: list[bytes]) -> str:
    """JSON strings' texts (without their quotes) decoded, one per line."""
    joined = b"\n".join(strings)
    try:
        if b"\\" not in joined:
            return joined.decode("utf-8")
        return _DECODER.decode('"' + b"\\n".join(strings).decode("utf-8") + '"')
    except UnicodeDecodeError:  # not UTF-8 (ledinfo writes none): each string as json.loads reads it, or its error
        return "\n".join(json.loads(b'"' + found + b'"') if b"\\" in found else found.decode("utf-8")
                         for found in strings)


__all__ = ["ReadBack", "json_strings", "pdf_text", "read_json", "read_pdf"]
