"""Detect CPR numbers (Danish personal ids) by their shape, so that none can reach an output.

A CPR number is a date of birth and a four-digit serial. It is found by one pattern and
one check, not by a list of the ways people write it (docs/extract-format.md, "CPR numbers"):

1. **Fold the text** (:func:`normalise`): Unicode NFKC (full-width digits, no-break and thin
   spaces), digits of every script to 0-9, every dash and minus sign to ``-``, every slash to
   ``/``, and invisible characters removed (format characters such as the zero-width space,
   soft hyphen and bidi marks; combining marks such as U+034F; variation selectors such as
   U+FE0F; Unicode's whole "default ignorable" set), ideographic numerals 〇一…九 as digits. Then
   (:func:`_read_as_written`, each character mapped back to where it came from): a separator encoded as a web
   address, a mail or a web page writes it as the character (``cpr=250463%2D7933``, ``250463=2D7933``,
   ``250463&#45;7933``, ``&ndash;``), a letter drawn like a digit among digits as the digit (``25O463-7933``, l
   and I for 1, the Cyrillic З for 3); and a base64 token that encodes digits is decoded and searched
   (:func:`_base64_spans`).
2. **Match the shape** (:data:`_CPR_RE`): a date of day, month and a two- or four-digit year,
   then the serial, grouped with or without separators (spaces, dots, dashes, slashes,
   underscores, doubled, ``" - "``; between a date of six or eight digits and the serial also any
   run of up to six characters that are no letter or digit: ``250463+7933``, ``(250463) 7933``,
   ``"250463"-"7933"``): ``DDMMYY-XXXX``, ``DD MM YY XX XX``, ``DD.MM.YYYY-XXXX``, ``DDMMYY_XXXX``,
   ``DDMM YY XXXX``, ``DD MMYY XXXX``, ``DDM MYY XXXX``, ``D.M.YY-XXXX`` ...; the date's two separators, if any,
   alike (as dates are written; else the time ``2012-05-01 00:00`` would read as 20 December 05,
   serial ``01 00``), the serial whole or split in two by a space; or nine digits ``DMMYYXXXX`` when a
   spreadsheet typed the cell as a number and dropped the day's leading zero. Excel's number forms are read
   as the number they are: ``2504637933.0``, ``2.504637933E+09``, ``2,504637933E+09``.
3. **Check** (:func:`_is_cpr`): the date must be a real calendar date, and the context must
   not make the digits something else. Not a CPR number (each only for digits written as one
   unbroken number, since nobody writes an amount or an id as ``250463-7933``):

   - a number **inside an id with letters**: letters directly before it (``SAG2504637933``,
     ``S-2504637933``, ``S_2504637933``) or after it, unless those letters label a CPR number
     (``cpr``, ``cprnr``, ``pnr``, ``personnr``, ``nr`` ...: ``CPR-2504637933`` is one);
   - an **amount**: ``kr``, ``kr.``, ``kroner``, ``DKK`` or ``,-`` right after it, or ``kr.``
     or ``DKK`` right before it;
   - a **phone number**: a country code ``+45``, ``(+45)`` or ``0045`` right before it (also
     for a number grouped by spaces, as phone numbers are).

   A rendered page is read with its separately drawn texts apart (a table's cells, a chart's labels:
   :func:`ledinfo.disclosure.read_back.read_pdf`), so a row of counts is no number written in groups; every text
   is checked by the same rules, whether from outside (data, names, settings, comments) or drawn.

Digits that are part of a longer number (more digits, or decimals other than zeros:
``112711377,6``), dates (31.03.2024, 2024-03-31), thousands-grouped amounts (1.234.567.890),
and digits inside a hash or UUID are not CPR numbers.
"""

from __future__ import annotations

import base64
import bisect
import html
import itertools
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Polars only where a column is searched: the console imports this module at start-up
    import polars as pl

REDACTED = "[CPR-nummer]"

# --- 1. folding the text ----------------------------------------------------------------------------

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): drawn as nothing. Most are format
# (Cf) or combining (Mn) characters, removed by category; these are the others (Hangul fillers, reserved).
_IGNORABLE_RANGES = ((0x115F, 0x1160), (0x3164, 0x3164), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x2065, 0x2065),
                     (0xE0000, 0xE0FFF))
# Minus signs are math symbols, not dash punctuation (Pd): minus, heavy minus, modifier minus, super/subscript.
_MINUSES = "\u2212\u2796\u02d7\u207b\u208b"
_SLASHES = "\u2044\u2215\u29f8\u2571\\"  # fraction, division, big solidus, box diagonal, backslash
_STOPS = "\u3002\uff61"  # ideographic full stops (NFKC leaves them)
_IDEOGRAPHIC = "\u3007\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d"  # 〇一二三四五六七八九: 0-9


def _fold_char(char: str) -> str:
    """One character, after NFKC, as the pattern reads it."""
    category = unicodedata.category(char)
    if category in ("Cf", "Mn", "Me") or any(low <= ord(char) <= high for low, high in _IGNORABLE_RANGES):
        return ""
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    if char in _IDEOGRAPHIC:  # numerals, not decimal digits by Unicode: 〇一〇一九〇-一二三四 reads as a number
        return str(_IDEOGRAPHIC.index(char))
    if category == "Pd" or char in _MINUSES:
        return "-"
    if category == "Zs":
        return " "
    if char in _SLASHES:
        return "/"
    if char in _STOPS:
        return "."
    if category[0] in "PS":  # a look-alike of a separator, known by its name (an attacker's "250463·7933")
        name = unicodedata.name(char, "")
        if "SOLIDUS" in name or name == "SET MINUS":
            return "/"
        if any(word in name for word in _DASH_LIKE):
            return "-"
        if "BLANK" in name:  # the braille pattern blank, drawn as a space
            return " "
    return char


# Punctuation and symbols read as a dash between a number's groups: a middle dot, a bullet, a dot operator, a
# horizontal line (box drawing), a hyphen bullet, a commercial minus... (an attacker wrote 25·04·63·7933 and
# 250463∖7933 past the old folding, which knew dashes, minus signs and slashes only)
_DASH_LIKE = ("HYPHEN", "DASH", "MINUS", "BULLET", "MIDDLE DOT", "DOT OPERATOR", "HORIZONTAL")


class _Folding(dict):
    """``str.translate`` table from code point to folded text, each filled in the first time it is met."""

    def __missing__(self, code: int) -> str:
        folded = "".join(_fold_char(c) for c in unicodedata.normalize("NFKC", chr(code)))
        self[code] = folded
        return folded


_FOLD = _Folding()


def normalise(text: str) -> str:
    """``text`` folded as the pattern reads it: digits 0-9, dashes ``-``, spaces `` ``, invisibles removed."""
    if text.isascii():
        return text
    return fold(text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_ASCII_FOLDED = {char: folded for char in map(chr, range(128)) if (folded := _FOLD[ord(char)]) != char}  # \ to /


def fold(text: str) -> str:
    """Every character of ``text`` folded (``text.translate`` with the folding, ASCII too): :func:`normalise` of
    a text that is not all ASCII. Only the few characters a text holds that fold to something else are replaced,
    each by one ``str.replace`` (a Danish page has æ, ø, å, which stay, and a dash or two): 5× faster than
    translating every character through the table, the same text, as a folded character folds to itself (no
    replace changes what another put in; a test checks every code point)."""
    changed = {char: folded for char in set(_NON_ASCII.findall(text)) if (folded := _FOLD[ord(char)]) != char}
    changed.update((char, folded) for char, folded in _ASCII_FOLDED.items() if char in text)
    if len(changed) > 32:
        return text.translate(_FOLD)  # a text of many such characters (made so): one pass, not one a character
    for char, folded in changed.items():
        text = text.replace(char, folded)
    return text


def _origins(text: str) -> list[int]:
    """For each character of ``normalise(text)``, the index in ``text`` it came from."""
    origins: list[int] = []
    for index, char in enumerate(text):
        origins.extend([index] * (1 if char.isascii() else len(_FOLD[ord(char)])))
    return origins


# --- 2. the shape -----------------------------------------------------------------------------------

# The separators, defined once for the pattern below and the column search (CPR_PATTERN): in folded text, what
# Python's \s reads (a space; a tab and the line breaks, where a PDF wrapped the number or a cell spans lines)
_SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"
# ... the joiners a date's or a number's groups are written with (every dash is "-" by now, every slash "/")
_JOINERS = "-_/.\\"
_BREAK_CHARS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"  # _SPACES but the space: a line ends a number here
# ... and between a date of six or eight digits and the serial, any short run of what is neither a letter nor a
# digit (250463+7933, "CPR 250463~7933", (010190) 1234, "010190"-"1234", [010190]-[1234], 010190 , 1234,
# 010190...1234, four spaces: an attacker's forms, each read by a person as the number). Not after a date written
# in groups: there a year in prose would read as a serial ("opgjort 31.03.2024 (2024-03-31)", "pr. 31.12.2023,
# 2024 ..."); nor inside a date: a time would read as one (10:03:24 2024).
_RUN_MAX = 6


def _class(chars: str, rust: bool = False) -> str:
    """A regex character class of ``chars``, each escaped by its code (read the same by Python and Rust)."""
    return "[" + "".join(f"\\x{{{ord(c):X}}}" if rust else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
                         for c in chars) + "]"


# Between two groups: up to two spaces, one or two joiners and up to two spaces or line breaks, or one to three
# spaces; between an unbroken date and the serial also a run of other characters (the date unbroken: _search).
_SEP = rf"(?:[ ]{{0,2}}{_class(_JOINERS)}{{1,2}}{_class(_SPACES)}{{0,2}}|[ ]{{1,3}})"
_SEP_RE = re.compile(_SEP)
_RUN = rf"(?:_|[^\w{_class(_BREAK_CHARS)[1:-1]}]){{1,{_RUN_MAX}}}"
_GAP = rf"(?:{_SEP}|{_RUN})"
# A day or month of one digit is read between joiners only (1.1.90-1234; "1 1 90 1234" is a row of counts)
_JOIN = rf"(?:[ ]{{0,2}}{_class(_JOINERS)}{{1,2}}[ ]{{0,2}})"
# The date in groups of four and two, or three and three (0101 90, 01-0190, 010 190), by a space, dash, slash or
# underscore, and then a separator before the serial: a dot or comma there splits a decimal number (20.12345678)
_SPLIT = rf"(?:[ ]{{0,2}}{_class(_JOINERS.replace('.', ''))}{{1,2}}[ ]{{0,2}}|[ ]{{1,3}})"
# A match is the number's first digit (``lead``) and, looked ahead, the rest of it (``rest``): matches overlap
# (250463-7933 and 504637933 start one digit apart), and a pattern that begins by matching a digit lets the
# regex engine skip to the next digit at C speed, where one that begins with a look-around is tried at every
# character (measured 4.4× faster over the demo's packs; the same matches). The date is written in one of the
# groupings below; in each, the day's first digit is ``lead``.
_CPR_RE = re.compile(
    rf"""(?P<lead>\d)(?<!\d\d)(?<!\d[.,]\d)                # not the tail of a longer or decimal number
    (?=(?P<rest>
        (?:
            (?P<d>\d)(?P<s1>{_SEP}?)(?P<m>\d\d)(?P=s1)(?P<y>\d\d(?:\d\d)?)  # DDMMYY, DD.MM.YY: one separator, alike
          | (?<=[1-9])(?P<m9>\d\d)(?P<y9>\d\d)           # nine digits: the day (lead) lost its leading zero
          | (?P<d1>\d?)(?P<j>{_JOIN})(?P<m1>\d\d?)(?P=j)(?P<y1>\d\d)  # D.M.YY: a day or month of one digit
          | (?P<g4>\d{{3}})(?P<s4>{_SPLIT})(?P<y4>\d\d(?:\d\d)?)  # DDMM YY
          | (?P<g2>\d)(?P<s2>{_SPLIT})(?P<my>\d{{4}}(?:\d\d)?)  # DD MMYY
          | (?P<g3>\d\d)(?P<s5>{_SPLIT})(?P<g3b>\d{{3}})       # DDM MYY
        )
        (?P<s3>{_GAP}?)
        (?P<serial>\d{{4}}|(?<!\d)\d\d[ ]{{1,2}}\d\d(?!:\d))  # XX XX after a separator, not a time: 03 31 10:00
        (?:[.,]0+)?(?!\d|[.,]\d)                         # 2504637933.0 is Excel's float of one; ,5 is not
    ))""",
    re.VERBOSE,
)


def _date_of(match: re.Match) -> tuple[tuple[str, str, str], str]:
    """The date a match of ``_CPR_RE`` reads (day, month, year) and the separators inside it."""
    lead = match["lead"]
    if match["d"] is not None:
        return (lead + match["d"], match["m"], match["y"]), match["s1"] * 2
    if match["m9"] is not None:
        return (lead, match["m9"], match["y9"]), ""
    if match["j"] is not None:
        return (lead + match["d1"], match["m1"], match["y1"]), match["j"] * 2
    if match["g4"] is not None:
        return (lead + match["g4"][0], match["g4"][1:], match["y4"]), match["s4"]
    if match["g2"] is not None:
        return (lead + match["g2"], match["my"][:2], match["my"][2:]), match["s2"]
    return (lead + match["g3"][0], match["g3"][1] + match["g3b"][0], match["g3b"][1:]), match["s5"]


# Excel's scientific form of a nine- or ten-digit number: 2.504637933E+09, 2,504637933E+09 (the first digit
# matched first, as above: no digit, dot or comma before it).
_EXCEL_RE = re.compile(r"(?P<first>[1-9])(?<![\d.,][1-9])[.,](?P<rest>\d{1,9})[eE]\+?0?(?P<exp>[89])(?!\d|[.,]\d)")
# A hash or UUID: a long hexadecimal token with at least one letter, or the UUID layout.
_HEX_TOKEN = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"
    r"|(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{16,})(?![0-9A-Za-z])"
)

# Ways of writing that keep the number's shape, read before the search:
# - a character encoded as a web address (cpr=250463%2D7933), a mail (quoted-printable 250463=2D7933) or a web page
#   (250463&#45;7933, &#x2D;, &ndash;, &nbsp;) writes it, a run of bytes as the UTF-8 text they are (%E2%80%93, an
#   en dash): read as what it stands for when that is no letter or digit (a separator; "%32" stays as written, so
#   does "&amp;#45;", encoded twice), a line break as a space;
# - a letter drawn like a digit (a capital O typed for a zero, 25O463-7933; l or I for a one; the Cyrillic З for
#   a three), where it stands among digits: a digit beside it and no letter (CO2, SAG-O1, Олег are words).
# The text read is mapped back, character by character, to where each came from (:func:`redact` replaces what it
# found where it was).
# Quoted-printable's "=HH" is also how a key gives its value ("cpr=250463%2D7933": "=25" is no "%"): a text that
# holds one is searched as read both with it and without it.
# One pattern for each way, each beginning with its character, which the regex engine finds at C speed (one
# pattern of the three alternatives is tried at every character: 8× slower over the demo's packs).
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*")
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_QP = re.compile(r"=[0-9A-Fa-f]{2}(?:=[0-9A-Fa-f]{2})*")
_ENCODED = (("%", _PERCENT), ("&", _REFERENCE))  # each with the character it begins with
_ENCODED_QP = (*_ENCODED, ("=", _QP))
_ENCODED_LONGEST = 33  # characters of one encoded character: the longest named reference (a %- or =-run: 12)
_ALNUM = re.compile(r"[^\W_]")
_LOOK_ALIKES = {"0": "OoОоΟοՕօ", "1": "lIІіΙӀӏǀ", "3": "ЗзƷʒӠӡ"}
_AS_DIGIT = str.maketrans({char: digit for digit, chars in _LOOK_ALIKES.items() for char in chars})
_LOOK_ALIKE_CLASS = "".join(_LOOK_ALIKES.values())
_LOOK_ALIKE = re.compile(rf"[{_LOOK_ALIKE_CLASS}](?:(?<=\d.)|(?=\d))(?<![^\W\d_].)(?![^\W\d_])")


def _read_encoded(token: str) -> str | None:
    """What an encoded character (or run of bytes) stands for, folded, if it is neither a letter nor a digit."""
    if token[0] == "&":
        read = html.unescape(token)
    else:
        try:
            read = bytes.fromhex(token.replace(token[0], "")).decode("utf-8")
        except ValueError:
            return None
    read = _BREAKS.sub(" ", fold(read))
    return read if read and read != token and not _ALNUM.search(read) else None


class _Origins:
    """Where each character of a text read from another came from: stretches copied as they were, and characters
    read from an encoded one (each from the whole of it), as a list of pieces, not a list a character (a page or
    a JSON document of a megabyte with one ``&amp;`` in it)."""

    def __init__(self) -> None:
        self.starts: list[int] = []  # where each piece begins in the text read
        self.pieces: list[tuple[int, int, bool]] = []  # (start, end) in the other text; copied or read from it

    def add(self, at: int, start: int, end: int, copied: bool) -> None:
        if end > start:
            self.starts.append(at)
            self.pieces.append((start, end, copied))

    def _of(self, position: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, position) - 1
        start, end, copied = self.pieces[index]
        return (start + position - self.starts[index],) * 2 if copied else (start, end - 1)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the other text that ``[start:end]`` of the text read came from."""
        return self._of(start)[0], self._of(end - 1)[1] + 1


def _read_as_written(text: str, encoded: tuple[tuple[str, re.Pattern], ...] = _ENCODED) -> tuple[str, _Origins | None]:
    """``text`` (folded) with its ``encoded`` characters and its letters drawn like digits among digits read as
    what they stand for, and where in ``text`` each of its characters came from (None: each where it was)."""
    origins = None
    tokens = sorted((found for first, pattern in encoded if first in text for found in pattern.finditer(text)),
                    key=re.Match.start)
    if tokens:
        parts, origins, last, at = [], _Origins(), 0, 0
        for found in tokens:
            read = _read_encoded(found[0])
            if read is None:
                continue
            origins.add(at, last, found.start(), True)
            at += found.start() - last
            origins.add(at, *found.span(), False)
            at += len(read)
            parts += [text[last:found.start()], read]
            last = found.end()
        if parts:
            origins.add(at, last, len(text), True)
            parts.append(text[last:])
            text = "".join(parts)
        else:
            origins = None
    if _LOOK_ALIKE.search(text):
        text = _LOOK_ALIKE.sub(lambda found: found[0].translate(_AS_DIGIT), text)
    return text, origins


# Base64 (MDEwMTkwLTEyMzQ= is 010190-1234): a token of its alphabet (standard or URL-safe) of 12 or more
# characters is decoded, at each of its four alignments, and the text it encodes searched (each decoded byte read
# apart from the text around it, so only a number wholly inside the token counts). Only a token where four digits
# in a row are encoded: they encode as M[DTjz][AEIMQUYcgk][w-z0-5] or [DTjz][AEIMQUYcgk][w-z0-5]M at any
# alignment, which ordinary words hardly hold, so a text costs one search and a word or hash is not decoded. A
# number whose serial is split or spelled with other characters is not read in base64 (docs/extract-format.md).
_B64_DIGITS = "M[DTjz][AEIMQUYcgk][w-z0-5]|[DTjz][AEIMQUYcgk][w-z0-5]M"
_B64_DIGITS_RE = re.compile(_B64_DIGITS)
_B64_TOKEN = re.compile(r"[A-Za-z0-9+/_-]{12,}={0,2}")


def _base64_spans(text: str) -> list[tuple[int, int]]:
    """The base64 tokens of ``text`` that encode a CPR number, as (start, end) pairs."""
    if not _B64_DIGITS_RE.search(text):
        return []
    return [token.span() for token in _B64_TOKEN.finditer(text)
            if _B64_DIGITS_RE.search(token[0]) and any(_spans(fold(read), decode=False) for read in _base64(token[0]))]


def _base64(token: str):
    """The texts ``token`` encodes in base64, from each of its first four characters (bytes not UTF-8 replaced)."""
    body = token.rstrip("=").replace("-", "+").replace("_", "/")
    for offset in range(4):
        part = body[offset:]
        part = part[:len(part) - (len(part) % 4 == 1)]
        try:
            yield base64.b64decode(part + "=" * (-len(part) % 4), validate=True).decode("utf-8", "replace")
        except ValueError:
            continue


#: A Polars (Rust regex) pattern that every CPR-shaped text matches, once folded as :func:`fold` folds it
#: (:func:`cpr_mask` folds a column's characters with the same table): the shape above without its look-arounds
#: (Rust regex has none) and without the check, so a superset, but one that passes over dates and times
#: (2024-03-31 10:00:00), which a column may hold by the hundred thousand. Its separators are the pattern's own
#: (``_SPACES``, ``_JOINERS``, any number of them: a cell's line breaks read as one space), an encoded one too,
#: between the date and the serial any run of up to 32 characters that are no ASCII letter or digit (the run's
#: characters may each be encoded), its digits the look-alikes read as digits, and base64's encoded digits.
_ENCODED_ANY = "%[0-9A-Fa-f]{2}|=[0-9A-Fa-f]{2}|&#?[0-9A-Za-z]{1,32};"
_D = _class("0123456789" + _LOOK_ALIKE_CLASS, rust=True)
_S = rf"(?:{_class(_SPACES + _JOINERS, rust=True)}|{_ENCODED_ANY})+"
_G = rf"(?:[^0-9A-Za-z]|{_ENCODED_ANY}){{0,32}}"
_W = _class(_SPACES, rust=True)
_DATES = (rf"{_D}{{2}}(?:{_S})?{_D}{{2}}(?:{_S})?{_D}{{2}}(?:{_D}{{2}})?",  # DDMMYY, DD.MM.YY, DD.MM.YYYY ...
          rf"{_D}{{5}}", rf"{_D}{{1,2}}{_S}{_D}{{1,2}}{_S}{_D}{{2}}",  # nine digits; D.M.YY
          rf"{_D}{{4}}{_S}{_D}{{2}}(?:{_D}{{2}})?", rf"{_D}{{2}}{_S}{_D}{{4}}(?:{_D}{{2}})?", rf"{_D}{{3}}{_S}{_D}{{3}}")
CPR_PATTERN = (rf"(?:{'|'.join(_DATES)}){_G}"
               rf"(?:{_D}{{4}}|{_D}{_D}{_W}+{_D}{_D}(?:$|[^\d:]|:(?:$|\D)))"
               rf"|{_D}[.,]{_D}+[eE]\+?\d|{_B64_DIGITS}")

# --- 3. the check -----------------------------------------------------------------------------------

_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_BEFORE, _AFTER = 40, 12  # the characters around a number that can make it something else (an id, an amount)
# Words that label a CPR number, so digits glued to them are no id: CPR-2504637933, cprnr2504637933.
_LABELS = {"cpr", "cprnr", "cprno", "cprnummer", "nr", "no", "pnr", "personnr", "personnummer"}
# Each right before the number (\Z: "$" would also end before a final line break, so the letters or "kr." at the
# end of the line or JSON string before, such as a JSON key, would count as glued to a number of its own line)
_LETTERS_BEFORE = re.compile(r"([^\W\d_]+)[-_]?\Z")
_AMOUNT_AFTER = re.compile(r"(?:[.,]\d+)?[ ]?(?:kr\b|kroner\b|dkk\b|,-|\.-)", re.IGNORECASE)
_AMOUNT_BEFORE = re.compile(r"(?<![^\W\d_])(?:kr\.?|dkk)[ ]?\Z", re.IGNORECASE)
_COUNTRY_CODE_BEFORE = re.compile(r"(?:\(?\+[ ]?\d{1,3}\)?|(?<!\d)00\d{2})[ \-.]{0,2}\Z")


def _valid_date(day: int, month: int, year: int, four_digits: bool) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if four_digits and not 1800 <= year <= 2099:  # CPR numbers cover births from 1858 to 2057
        return False
    if month == 2 and day == 29:  # a two-digit year divisible by 4 is a leap year in some century
        return year % 4 == 0 and (not four_digits or year % 100 != 0 or year % 400 == 0)
    return day <= _DAYS[month - 1]


def _is_cpr(text: str, start: int, end: int, date: tuple[str, str, str], unbroken: bool, spaced: bool) -> bool:
    """Whether the digits at ``text[start:end]`` with this date are a CPR number in their context.

    ``unbroken``: written as one number (no separator between the digits); ``spaced``: only spaces
    between the groups.
    """
    day, month, year = date
    if not _valid_date(int(day), int(month), int(year), len(year) == 4):
        return False
    before, after = text[max(0, start - _BEFORE):start], text[end:end + _AFTER]
    if unbroken:
        letters = _LETTERS_BEFORE.search(before)
        if letters and letters.group(1).lower() not in _LABELS:
            return False  # an id with letters: SAG2504637933, S-2504637933
        if after[:1].isalpha():
            return False  # an id with letters after the digits (or an amount: 2504637933kr)
        if _AMOUNT_AFTER.match(after) or _AMOUNT_BEFORE.search(before):
            return False  # an amount: 2504637933 kr.
    if (unbroken or spaced) and _COUNTRY_CODE_BEFORE.search(before):
        return False  # a phone number: +45 2504637933
    return True


def _spans(text: str, decode: bool = True) -> list[tuple[int, int]]:
    """Where ``text`` (already folded) holds a CPR number, as (start, end) pairs; ``decode``: base64 too."""
    found = _search(*_read_as_written(text))
    if "=" in text and _QP.search(text):
        found += [span for span in _search(*_read_as_written(text, _ENCODED_QP)) if span not in found]
    if decode:
        found += _base64_spans(text)
    if found and _HEX_TOKEN.search(text):
        hashes = [m.span() for m in _HEX_TOKEN.finditer(text)]
        found = [(s, e) for s, e in found if not any(h_start <= s and e <= h_end for h_start, h_end in hashes)]
    return found



def _search(read: str, origins: _Origins | None) -> list[tuple[int, int]]:
    """Where the text ``read`` from another (:func:`_read_as_written`) holds a CPR number, in that other's places."""
    found = []
    for match in _CPR_RE.finditer(read):
        date, inside = _date_of(match)
        gap = match["s3"]
        if inside and gap and not _SEP_RE.fullmatch(gap):
            continue  # a date in groups, then other characters: a date in prose (31.03.2024, 2024)
        if not gap and (match["g4"] or match["g2"] or match["g3"]):
            continue  # 20-12345678, 2012 345678: an id or a number in groups, not DD MMYY XXXX
        gaps = inside + gap + match["serial"][2:-2]  # inside the date, between it and the serial, inside that
        unbroken = not gaps
        spaced = bool(gaps) and not gaps.strip(" ")  # only spaces between the groups
        start, end = match.start(), match.end("rest")
        if _is_cpr(read, start, end, date, unbroken, spaced):
            found.append((start, end))
    for match in _EXCEL_RE.finditer(read):
        exponent = int(match["exp"])
        if len(match["rest"]) > exponent:
            continue  # a fraction: not a whole number
        digits = match["first"] + match["rest"].ljust(exponent, "0")
        date = (digits[:1], digits[1:3], digits[3:5]) if exponent == 8 else (digits[:2], digits[2:4], digits[4:6])
        if _is_cpr(read, *match.span(), date, unbroken=True, spaced=False):
            found.append(match.span())
    if origins is not None:  # back to the places in the text the characters were read from
        found = [origins.span(start, end) for start, end in found]
    return found


def contains_cpr(text: str) -> bool:
    """True if ``text`` holds a CPR number anywhere, in any written form. A line break ends a number's groups here:
    the guard reads a page's separately drawn texts (and a JSON's strings) one to a line, and a column of counts
    is no number (use :func:`holds_cpr` for one value)."""
    return bool(_spans(normalise(text)))


_BREAKS = re.compile(r"[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")


def holds_cpr(value: str) -> bool:
    """True if one value — a cell, a setting, a comment, a name, a header, one JSON string — holds a CPR number,
    its line breaks and tabs read as spaces: "250463\n7933" in a comment wraps or breaks into two lines of one
    sentence on the page (an attacker's finding: every check read the line break as the end of the number)."""
    if contains_cpr(value):
        return True
    return bool(_BREAKS.search(value)) and contains_cpr(_BREAKS.sub(" ", value))


# A number from its first digit to its serial's last is at most this many characters: twelve digits, and three
# separators (two in the date, one before the serial) of up to seven characters each, each character written
# encoded at the longest (&CounterClockwiseContourIntegral;), and the serial split by two spaces; Excel's form is
# shorter. (A base64 token holds no line break.)
_LONGEST = 12 + 3 * 7 * _ENCODED_LONGEST + 2
_REACH = _LONGEST + _BEFORE + 8  # text read on each side of a break: a number across it, with its context


def contains_cpr_joined(parts: list[str], alone: list[bool]) -> bool:
    """:func:`contains_cpr` of ``"\\n".join(parts)``, given it of each part (``alone``), searching only the text
    around the line breaks between the parts where no part holds a CPR number alone (the guard reads a PDF so:
    each page alone, then the page breaks, :func:`ledinfo.disclosure.read_back.read_pdf`).

    A number inside one part reads in the whole as it reads alone: its context there is only longer by a line
    break and the text before it, which can make it no number (letters before it), never one; and the whole is
    folded as the part is, but for a backslash, which folds to a slash in a text that is not all ASCII
    (:func:`normalise`): an ASCII part with one is searched folded. So the whole holds a number only across a
    break, unless a part holds one alone: then the whole is searched (a pack that is almost surely refused).
    """
    text = "\n".join(parts)
    folding = not text.isascii()  # normalise(text) folds every character, or none
    if any(alone) or (folding and any(_spans(fold(part)) for part in parts if "\\" in part and part.isascii())):
        return contains_cpr(text)
    breaks = list(itertools.accumulate(len(part) + 1 for part in parts[:-1]))  # each break's index, plus one
    for after_break in breaks:
        at = after_break - 1
        start, end = _reach_before(text, at, folding), _reach_after(text, at, folding)
        before, after = (fold(text[start:at]), fold(text[at:end])) if folding else (text[start:at], text[at:end])
        if any(found_start <= len(before) < found_end for found_start, found_end in _spans(before + after)):
            return True  # a number across the break
    return False


def _reach_before(text: str, at: int, folding: bool) -> int:
    """Where to start reading before the break at ``at``: ``_REACH`` characters as folded (folding removes
    invisible characters), or from the start."""
    width = _REACH
    while True:
        start = max(0, at - width)
        if start == 0 or not folding or len(fold(text[start:at])) >= _REACH:
            return start
        width *= 2


def _reach_after(text: str, at: int, folding: bool) -> int:
    """Where to stop reading after the break at ``at``: ``_REACH`` characters as folded, and past any run of
    Excel's decimal zeros that a number across the break may end with (``.000``: its context is after them)."""
    width = _REACH
    while True:
        end = min(len(text), at + 1 + width)
        after = fold(text[at + 1:end]) if folding else text[at + 1:end]
        if end == len(text) or (len(after) >= _REACH and after[_LONGEST:len(after) - _AFTER - 2].strip("0.,")):
            return end
        width *= 2


def redact(text: str) -> str:
    """``text`` with every CPR number replaced by ``[CPR-nummer]``; the rest of it as it was."""
    return _redacted(text, text)


def redact_value(text: str) -> str:
    """:func:`redact`, and also a number whose groups a line break or a tab splits (:func:`holds_cpr`): one value,
    or what a console writes at once ("250463\\n7933" printed in one call is one number on two lines): the number
    and the break inside it are replaced as one."""
    text = redact(text)
    if not _BREAKS.search(text) or not holds_cpr(text):
        return text
    return _redacted(text, _BREAKS.sub(lambda breaks: " " * len(breaks.group()), text))  # the same positions


def _redacted(text: str, searched: str) -> str:
    """``text`` with the CPR numbers found in ``searched`` (``text``, or it with the same length) replaced."""
    spans = sorted(_spans(normalise(searched)))
    if not spans:
        return text
    if not searched.isascii():  # back to the original text's positions (folding removed or widened characters)
        origins = _origins(searched)
        spans = [(origins[start], origins[end - 1] + 1) for start, end in spans]
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:  # overlapping matches are one stretch
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, last = [], 0
    for start, end in merged:
        parts += [text[last:start], REDACTED]
        last = end
    parts.append(text[last:])
    return "".join(parts)


_NOT_DIGITS = re.compile(r"\D+")


def quotable(value: str) -> bool:
    """Whether a message may quote ``value`` (a cell, an id) as it is: it holds no CPR number (:func:`holds_cpr`),
    and its digits, read with everything between them left out, hold none either: no ten in a row that begin
    with a date (DDMMYY), nor nine alone (DMMYY). Looser than the detector on purpose: a message that names a
    bad value needs it only to be found, and this way no way of writing the groups apart, known or not, reaches
    a message (an attacker's staff id '0101 90 1234' was quoted in one before the detector read that form)."""
    if holds_cpr(value):
        return False
    digits = _NOT_DIGITS.sub("", normalise(value).translate(_AS_DIGIT))
    if len(digits) == 9:
        return not _valid_date(int(digits[0]), int(digits[1:3]), int(digits[3:5]), False)
    return not any(_valid_date(int(digits[at:at + 2]), int(digits[at + 2:at + 4]), int(digits[at + 4:at + 6]), False)
                   for at in range(len(digits) - 9))


def _folded(strings: pl.Series) -> pl.Series:
    """:func:`fold` of each of ``strings``, vectorised: the characters they hold that fold to something else
    replaced by what the folding table makes of each (the same table, character for character, as :func:`fold`;
    the backslash, which it folds to a slash, stays: CPR_PATTERN reads both)."""
    chars = strings.str.extract_all(r"[^\x00-\x7F]").explode().drop_nulls().unique().to_list()
    changed = {char: folded for char in chars if (folded := _FOLD[ord(char)]) != char}
    if not changed:
        return strings
    return strings.str.replace_many(changed)


def cpr_mask(values: pl.Series) -> pl.Series:
    """Boolean mask of the values that hold a CPR number (any dtype; null is False).

    Each distinct value is searched once (a column of team names or dates has few): the folding (the same
    table as :func:`fold`'s) and a pattern that every CPR-shaped text matches (with the same separators as the
    detector's) run vectorised in Polars; only the rare candidates are checked in Python (:func:`holds_cpr`).
    """
    import polars as pl  # deferred: the console imports this module at start-up, without Polars

    strings = values if values.dtype == pl.String else values.cast(pl.String)
    if values.dtype.is_float():  # a whole float is read as the digits a spreadsheet showed: 104901234.0 as 104901234
        whole = values.cast(pl.Int64, strict=False)
        strings = pl.select(pl.when(whole.cast(values.dtype) == values).then(whole.cast(pl.String))
                            .otherwise(strings)).to_series()
    distinct = strings.drop_nulls().unique()
    candidates = distinct.filter(_folded(distinct).str.contains(CPR_PATTERN))
    hits = [text for text in candidates.to_list() if holds_cpr(text)]  # each cell one value
    if not hits:
        return pl.Series(values.name, [False] * len(values), dtype=pl.Boolean)
    return strings.is_in(pl.Series(hits, dtype=pl.String).implode()).fill_null(False).alias(values.name)


__all__ = ["CPR_PATTERN", "REDACTED", "contains_cpr", "contains_cpr_joined", "cpr_mask", "fold", "holds_cpr",
           "normalise", "quotable", "redact", "redact_value"]
