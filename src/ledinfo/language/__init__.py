"""Language: the translation catalogue, and numbers and dates through Babel.

Message ids in the code are English; the Danish catalogue
``locale/da/LC_MESSAGES/ledinfo.po`` is a standard gettext PO file that
translators edit with any PO tool. Packs are Danish unless the config or
``--lang en`` says otherwise. Numbers and dates are formatted by Babel with the
CLDR data for da_DK / en_GB, so Danish packs read 1.234,5 and 12 %. Every number rounds half up,
as a reader rounds by hand (56,25 reads 56,3, never Babel's default 56,2), in the text, the tables
and the charts' labels alike (the charts take their labels from here).
"""

from __future__ import annotations

import datetime as dt
import decimal
import gettext as _gettext
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from ledinfo.errors import ConfigError

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "ledinfo"
LANGUAGES = {"da": "da_DK", "en": "en_GB"}
# The locale whose abbreviated months a language's packs use: English three letters each, "Sep" as "Oct" (en_GB's
# CLDR data says "Sept", the one four-letter month of an axis, a tile or a table: a fresh reader's finding)
SHORT_MONTHS = {"da": "da_DK", "en": "en"}
DEFAULT_LANGUAGE = "da"

# Message ids asked for without a translation; tests and scripts/update_catalogue.py read it.
# A plural message is recorded as its (singular, plural) pair, as the PO file holds it.
MISSING: set[str | tuple[str, str]] = set()

_SORT_MAP = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}", "ä": "z{", "ö": "z|", "ü": "y"})


def N_(message: str) -> str:
    """Mark a message id that is translated later (a title, a label): returns it unchanged.

    The catalogue tools find message ids in calls to N_, t, language and gettext, and
    plural pairs in calls to plural and ngettext.
    """
    return message


def danish_sort_key(text: str) -> tuple:
    """Sort key that puts æ, ø, å after z, as Danish readers expect, and numbers in
    numeric order ("Børn 2" before "Børn 10")."""
    parts = re.split(r"(\d+)", text.lower().translate(_SORT_MAP))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)


def slug(text: str) -> str:
    """A file-name-safe ASCII form: "Børn & Unge" -> "boern-unge"."""
    lowered = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    parts = "".join(c if c.isalnum() else " " for c in ascii_text).split()
    return "-".join(parts) or "x"


@dataclass(frozen=True)
class _Catalogue:
    """One PO file: plain messages, plural messages (by singular id) and the plural rule of its header."""

    messages: dict[str, str]
    plurals: dict[str, tuple[str, ...]]
    plural_index: object  # n -> index into a plural message's forms (gettext's own parser of the header)


@cache
def _catalogue(path: Path) -> _Catalogue:
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    usable = [m for m in catalogue if m.id and not m.fuzzy]
    messages = {m.id: m.string for m in usable if isinstance(m.id, str) and m.string}
    plurals = {m.id[0]: tuple(m.string) for m in usable if not isinstance(m.id, str) and all(m.string)}
    return _Catalogue(messages, plurals, _gettext.c2py(catalogue.plural_expr))


def catalogue_paths(language: str, extra_dirs: tuple[Path, ...] = ()) -> list[Path]:
    """The PO files for ``language``: ledinfo's own first, then plugins' own."""
    paths = [LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"]
    for directory in extra_dirs:
        paths.extend(sorted((Path(directory) / language / "LC_MESSAGES").glob("*.po")))
    return [p for p in paths if p.exists()]


# Babel keyword specs: None = the first argument is the id; (1, 2) = singular and plural ids.
KEYWORDS = {"N_": None, "t": None, "language": None, "gettext": None, "plural": (1, 2), "ngettext": (1, 2)}


def extract_message_ids(directory: Path) -> set[str | tuple[str, str]]:
    """Every message id under ``directory``: a string from calls to N_, t, language or gettext,
    a (singular, plural) pair from calls to plural or ngettext."""
    from babel.messages.extract import extract_from_dir  # deferred: Babel's extractor, for the catalogue tools only

    found: set[str | tuple[str, str]] = set()
    for _, _, message, _, _ in extract_from_dir(str(directory), method_map=[("**.py", "python")], keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def message_key(message: str | tuple[str, str]) -> str:
    """The id a catalogue files a message under: a plural message's singular."""
    return message if isinstance(message, str) else message[0]


@dataclass(frozen=True)
class Language:
    """Everything language-dependent about a pack: words, numbers, dates."""

    code: str = DEFAULT_LANGUAGE
    extra_catalogues: tuple[Path, ...] = field(default=())
    # The values a pack prints with more decimals than usual: (kind "percent" or "number", the value, its
    # decimals), so that a judged figure never reads as if on the other side of its yardstick ("79,7 %", not
    # "80 %", against "mindst 80 %"). Decided once per pack (ledinfo.words.formatting.precise_language), so every
    # print of the value in the pack — tile, table, chart label, sentence, summary — reads the same.
    precise: tuple[tuple[str, float, int], ...] = ()

    def __post_init__(self) -> None:
        if self.code not in LANGUAGES:
            raise ConfigError(f"language {self.code!r} is not supported (choose one of: {', '.join(LANGUAGES)})")

    @property
    def locale(self) -> str:
        """The language's locale for Babel: "da_DK", "en_GB"."""
        return LANGUAGES[self.code]

    @property
    def bcp47(self) -> str:
        """The language's tag as a PDF or HTML states it: "da-DK", "en-GB"."""
        return self.locale.replace("_", "-")

    def _messages(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for path in catalogue_paths(self.code, self.extra_catalogues):
            for key, value in _catalogue(path).messages.items():
                merged.setdefault(key, value)
        return merged

    def _plurals(self) -> dict[str, tuple[tuple[str, ...], object]]:
        """Plural messages by singular id, each with its own catalogue's plural rule."""
        merged: dict[str, tuple[tuple[str, ...], object]] = {}
        for path in catalogue_paths(self.code, self.extra_catalogues):
            catalogue = _catalogue(path)
            for key, forms in catalogue.plurals.items():
                merged.setdefault(key, (forms, catalogue.plural_index))
        return merged

    def gettext(self, message: str, **values) -> str:
        """Translate ``message`` and fill its ``{placeholders}``."""
        text = _messages_cached(self)(message)
        return _one_stop(text.format(**values)) if values else text

    __call__ = gettext

    def plural(self, singular: str, plural: str, n: int | float, none: str | None = None, **values) -> str:
        """The form of a message that suits the number ``n`` ("1 sag" / "2 sager"), as ngettext.

        The catalogue's header rule picks the form (Danish: nplurals=2, plural=(n != 1)).
        ``{count}`` is filled with ``n`` as the language writes it unless ``values`` give it. ``none``, a message
        of its own (``N_``), is what a count of 0 says: "Intet barn har …", "Ingen anbringelse …", never "0 børn".
        """
        if none is not None and n == 0:
            return self.gettext(none, **values)
        text = _plurals_cached(self)(singular, plural, n)
        values.setdefault("count", self.integer(n))
        return _one_stop(text.format(**values))

    ngettext = plural

    # Numbers -----------------------------------------------------------
    def number(self, value: float | int | None, decimals: int = 1) -> str:
        """A number as the language writes it, rounded half up: "1.234,5" in Danish; "–" for None."""
        if value is None:
            return "–"
        decimals = max(decimals, self.precise_decimals("number", value))
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return _babel_number(format_decimal, pattern, self.locale, type(value), str(value), value)

    def integer(self, value: int | float | None) -> str:
        """A whole number as the language writes it: "1.234" in Danish; "–" for None."""
        return self.number(value, decimals=0)

    def percent(self, share: float | None, decimals: int = 0) -> str:
        """ "73 %"; a share below 1 % or above 99 % gets a decimal ("0,3 %", "99,9 %"), and more if
        it would still read 0 % or 100 % without being none or all: a reader takes "100 %" for every case."""
        if share is None:
            return "–"
        decimals = max(percent_decimals(share, decimals), self.precise_decimals("percent", share))
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
        if self.code != "da":
            pattern = pattern.replace(" %", "%")
        return _babel_number(format_percent, pattern, self.locale, type(share), str(share), share).replace("\u00a0", " ")

    def shown_percent(self, share: float) -> tuple[decimal.Decimal, int]:
        """The percent :meth:`percent` prints for ``share``, as a number (0.766 -> 77, 0.995 -> 99.5), and its
        decimals: what a sentence comparing printed shares must compute with, so that a reader can check it."""
        decimals = max(percent_decimals(share, 0), self.precise_decimals("percent", share))
        points = decimal.Decimal(str(share)).scaleb(2).quantize(decimal.Decimal(1).scaleb(-decimals),
                                                                 decimal.ROUND_HALF_UP)
        return points, decimals

    def precise_decimals(self, kind: str, value: float) -> int:
        """The decimals this pack prints ``value`` with at least, as a ``kind`` ("percent", "number"): 0 unless it is
        one of :attr:`precise`. Compared to 9 decimals: a share computed twice may differ in its last binary digit."""
        if not self.precise:
            return 0
        key = round(float(value), 9)
        return max((decimals for found, precise, decimals in self.precise if found == kind and precise == key),
                   default=0)

    def about(self, value: float | int | None) -> str:
        """A number said to be "about" ("omkring"): a whole number, to two significant digits from 100 up
        (1.553 -> "1.600", 136 -> "140", 11,46 -> "11"): an estimate printed to the unit claims a precision
        it does not have. Give its result to :meth:`plural` as ``count``, with ``n`` = :func:`about_value`."""
        return "–" if value is None else self.integer(about_value(value))

    def about_money(self, amount: float | None) -> str:
        """An amount said to be "about": two significant digits ("155,6 mio. kr." -> "160 mio. kr.")."""
        if amount is None:
            return "–"
        rounded, decimals = _significant(amount, 2)
        if abs(rounded) >= 1_000_000:
            millions, decimals = _significant(rounded / 1_000_000, 2)
            decimals = 0 if millions == int(millions) else decimals  # "1 mio. kr.", not "1,0 mio. kr."
            return self.gettext("{amount} m DKK", amount=self.number(millions, decimals))
        return self.gettext("{amount} DKK", amount=self.integer(rounded))

    def money(self, amount: float | None) -> str:
        """Amounts in DKK, in millions above one million: "12,3 mio. kr."."""
        if amount is None:
            return "–"
        if abs(amount) >= 1_000_000:
            return self.gettext("{amount} m DKK", amount=self.number(amount / 1_000_000, 1))
        return self.gettext("{amount} DKK", amount=self.integer(amount))

    def signed_money(self, amount: float | None) -> str:
        """An amount above (+) or below (−, the minus sign) a budget, always with its sign: "+8,0 mio. kr.",
        "−911.749 kr."; nothing to say of none: "0 kr."."""
        if amount is None:
            return "–"
        text = self.money(abs(amount))
        if self.money(amount) == self.money(0):
            return text
        return ("+" if amount > 0 else "\u2212") + text

    # Dates -------------------------------------------------------------
    def date(self, day: dt.date | None) -> str:
        """Long form: "31. oktober 2026" / "31 October 2026"."""
        if day is None:
            return "–"
        return _babel_date(day, format="long", locale=self.locale)

    def weekday_date(self, day: dt.date | None) -> str:
        """A date with its weekday, as a deadline is said: "mandag 30. november 2026" / "Monday 30 November 2026"."""
        if day is None:
            return "–"
        return f"{_babel_date(day, format='EEEE', locale=self.locale)} {self.date(day)}"

    def short_date(self, day: dt.date | None) -> str:
        """Compact form for tables: "31.10.2026" / "31/10/2026"."""
        if day is None:
            return "–"
        return _babel_date(day, format="dd.MM.y" if self.code == "da" else "dd/MM/y", locale=self.locale)

    def month(self, year: int, month: int) -> str:
        """ "oktober 2026" / "October 2026"."""
        return _babel_date(dt.date(year, month, 1), format="LLLL y", locale=self.locale)

    def month_abbr(self, year: int, month: int) -> str:
        """A month, short, as a chart's axis names it: "okt 26"."""
        return _babel_date(dt.date(year, month, 1), format="LLL yy", locale=SHORT_MONTHS[self.code]).replace(".", "")

    def period(self, period) -> str:
        """A report period as a heading names it: "oktober 2026", "1. kvartal 2024", "januar–marts 2024"."""
        if period.kind == "quarter":
            return self.gettext("Quarter {quarter}, {year}", quarter=period.quarter, year=period.year)
        if period.kind == "ytd":
            first = _babel_date(dt.date(period.year, 1, 1), format="LLLL", locale=self.locale)
            if period.month == 1:
                return self.gettext("{months} {year} (year to date)", months=first, year=period.year)
            last = _babel_date(dt.date(period.year, period.month, 1), format="LLLL", locale=self.locale)
            return self.gettext("{months} {year} (year to date)", months=f"{first}–{last}", year=period.year)
        return self.month(period.year, period.month)

    def period_short(self, period) -> str:
        """A period where space is short (beside a key figure): "sep 26", "K3 2026", "jan–sep 26"."""
        if period.kind == "quarter":
            return self.gettext("Q{quarter} {year}", quarter=period.quarter, year=period.year)
        if period.kind == "ytd":
            last = self.month_abbr(period.year, period.month)
            return last if period.month == 1 else f"{self.month_abbr(period.year, 1).split()[0]}–{last}"
        return self.month_abbr(period.year, period.month)

    def period_medium(self, period) -> str:
        """A period in a table beside quarters: "okt. 2026", "K3 2026" — never "okt 26", which beside "K3 2026" can
        read as 26 October (a fresh reader's finding in the committee's goals table)."""
        if period.kind == "month":
            return _babel_date(dt.date(period.year, period.month, 1), format="MMM y", locale=SHORT_MONTHS[self.code])
        return self.period_short(period)

    def d3_locale(self) -> tuple[dict, dict]:
        """Number and time locales for Vega charts (d3 format), from CLDR."""
        loc = Locale.parse(self.locale)
        symbols = loc.number_symbols.get("latn", loc.number_symbols) if hasattr(loc, "number_symbols") else {}
        decimal = symbols.get("decimal", ",")
        group = symbols.get("group", ".")
        number = {"decimal": decimal, "thousands": group, "grouping": [3], "currency": ["", " kr."],
                  "percent": "\u00a0%" if self.code == "da" else "%"}
        months = [loc.months["format"]["wide"][i] for i in range(1, 13)]
        short = [Locale.parse(SHORT_MONTHS[self.code]).months["format"]["abbreviated"][i].rstrip(".") for i in range(1, 13)]
        days = [loc.days["format"]["wide"][i] for i in (6, 0, 1, 2, 3, 4, 5)]
        short_days = [loc.days["format"]["abbreviated"][i].rstrip(".") for i in (6, 0, 1, 2, 3, 4, 5)]
        time = {"dateTime": "%A den %d. %B %Y %X", "date": "%d.%m.%Y", "time": "%H:%M:%S",
                "periods": ["AM", "PM"], "days": days, "shortDays": short_days,
                "months": months, "shortMonths": short}
        return number, time


@lru_cache(maxsize=1 << 12)
def _babel_date(day: dt.date, format: str, locale: str) -> str:
    """A date as Babel writes it with ``format``, once a process for each date (as :func:`_babel_number`)."""
    return format_date(day, format=format, locale=locale)


@lru_cache(maxsize=1 << 16)
def _babel_number(formatter, pattern: str, locale: str, kind: type, shown: str, value) -> str:
    """``value`` as Babel's ``formatter`` writes it with ``pattern``, rounded half up, once a process for each value:
    Babel parses the locale and the pattern at every call, about 30 µs, and a build prints the same counts and
    shares thousands of times (its tables, the charts' labels, their alternative texts). ``kind`` and ``shown``
    (``str(value)``) keep apart what compares equal and is written otherwise: 0.0 and -0.0 ("0" and "-0")."""
    with decimal.localcontext(rounding=decimal.ROUND_HALF_UP):  # Babel rounds by the context: half even
        return formatter(value, format=pattern, locale=locale)


def percent_decimals(share: float, decimals: int) -> int:
    """The decimals a percent is printed with: a share below 1 % or above 99 % gets one, and more while it would
    still read 0 % or 100 % without being none or all."""
    if 0 < share < 0.01 or 0.99 < share < 1:
        decimals = max(decimals, 1)
        while decimals < 4 and round_half_up(share, decimals + 2) in (0, 1):  # as Babel: the decimal share
            decimals += 1
    return decimals


def round_half_up(value: float, places: int = 0) -> float:
    """``value`` rounded to ``places`` decimals, a half away from zero (2,5 -> 3), as the packs print it.

    Python's ``round`` rounds a half to even (2,5 -> 2) and works on the binary value (2,675 -> 2,67):
    a reader rounds the decimal number they see. Babel formats from the same decimal (``str(value)``).
    """
    rounded = decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-places), decimal.ROUND_HALF_UP)
    return float(rounded)


def _significant(value: float, digits: int) -> tuple[float, int]:
    """``value`` rounded to ``digits`` significant digits, and the decimals that shows (none above 10^digits)."""
    if value == 0:
        return 0, 0
    places = digits - 1 - math.floor(math.log10(abs(value)))
    return round_half_up(value, places), max(0, places)


def about_value(value: float | int) -> int:
    """The whole number :meth:`Language.about` prints: two significant digits from 100 up, else the nearest."""
    rounded = round_half_up(value) if abs(value) < 100 else _significant(value, 2)[0]
    return int(rounded)


@cache
def _plurals_cached(language: Language):
    plurals = language._plurals()
    record = language.code != "en"

    def lookup(singular: str, plural: str, n: int | float) -> str:
        entry = plurals.get(singular)
        if entry is None:
            if record:
                MISSING.add((singular, plural))
            return singular if n == 1 else plural  # English, the language of the ids
        forms, index = entry
        return forms[min(int(index(int(n))), len(forms) - 1)]

    return lookup


@cache
def _messages_cached(language: Language):
    messages = language._messages()
    record = language.code != "en"

    def lookup(message: str) -> str:
        text = messages.get(message)
        if text is None:
            if record:
                MISSING.add(message)
            return message
        return text

    return lookup


def _one_stop(text: str) -> str:
    """A sentence whose last value ends in an abbreviation's stop ("… til 975.151 kr.") ends with that one stop, not
    two ("kr.."); an ellipsis stays."""
    if text.endswith("..") and not text.endswith("..."):
        return text[:-1]
    return text
