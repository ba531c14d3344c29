"""Small helpers for the short texts sections write (plain Danish, few numbers)."""

from __future__ import annotations

from ledinfo.language import LANGUAGES, N_, Language
from ledinfo.model.results import FEW, FEW_STAFF, SMALL, Figure, Unit

# --- hidden numbers: the one place they are phrased ------------------------------------------------------
# The committee's protection says how each hidden number is hidden (Figure.hidden_as): SMALL, a count from 1 to
# the threshold less one, shown as "<5"; FEW, a share or a statistic of fewer cases than the threshold; OTHER,
# hidden so that a small number cannot be worked out; FEW_STAFF, a statistic over too few caseworkers to be anyone's but
# one caseworker's own (ledinfo.disclosure.staff). The page, its JSON, a chart's alt text and every sentence
# say it alike, from here: "færre end 5" only for SMALL (saying it of another would give away more, or be untrue).

def hidden_mark(how: str | None, threshold: int) -> str:
    """How a hidden number is printed in a table, a chart, a key figure, the JSON and the alt text."""
    return f"<{threshold}" if how == SMALL else "–"


def hidden_words(language, how: str | None, threshold: int) -> str:
    """A hidden number in a sentence: "færre end 5", "vises ikke: bygger på færre end 5 sager" or "vises ikke: ville
    afsløre et tal under 5"."""
    if how == SMALL:
        return language("fewer than {threshold}", threshold=threshold)
    if how == FEW:
        return language("not shown: rests on fewer than {threshold} cases", threshold=threshold)
    if how == FEW_STAFF:
        return language("not shown: it would show one caseworker's own figure")
    return language("not shown: it would reveal a number below {threshold}", threshold=threshold)




def none_due_yet(figure: Figure | None) -> bool:
    """Whether a share has nothing to judge yet because every item of it is pending (domain.md, "Pending"): none
    judged (0 of 0), some not yet due — a team whose new cases all await their first contact. Its share is no 0 %
    and no verdict, and no "no cases" either: it is said as "none due yet" wherever the figure is."""
    return (figure is not None and figure.unit in (Unit.SHARE, Unit.RATE) and figure.value is None
            and not figure.suppressed and not figure.denominator and bool(figure.extra.get("pending")))


def share_text(t, figure: Figure | None, threshold: int = 5) -> str:
    """ "73 % (41 af 56 sager)", or a note when the figure is hidden or has no cases."""
    if none_due_yet(figure):
        return t("none due yet")
    if figure is None or not figure.denominator and not figure.suppressed:
        return t("no cases")
    if figure.suppressed or figure.value is None:
        return hidden_words(t, figure.hidden_as, threshold)
    return t("{share} ({part})", share=t.percent(figure.value), part=part_of(t, figure))


def part_of(t, figure: Figure) -> str:
    """ "41 af 56 sager": a share's numerator of its denominator, saying what they count (``Figure.counts``) —
    children, cases, placements and notifications differ (domain.md, "Units"); "41 af 56" where it says none."""
    numerator, n = t.integer(figure.numerator), figure.denominator or 0
    words = {
        "children": lambda: t.plural("{numerator} of {count} child", "{numerator} of {count} children", n,
                                     numerator=numerator),
        "young_people": lambda: t.plural("{numerator} of {count} young person", "{numerator} of {count} young people",
                                         n, numerator=numerator),
        "cases": lambda: t.plural("{numerator} of {count} case", "{numerator} of {count} cases", n,
                                  numerator=numerator),
        "placements": lambda: t.plural("{numerator} of {count} placement", "{numerator} of {count} placements", n,
                                       numerator=numerator),
        "measures": lambda: t.plural("{numerator} of {count} measure", "{numerator} of {count} measures", n,
                                     numerator=numerator),
        "notifications": lambda: t.plural("{numerator} of {count} notification", "{numerator} of {count} notifications",
                                          n, numerator=numerator),
        "investigations": lambda: t.plural("{numerator} of {count} investigation",
                                           "{numerator} of {count} investigations", n, numerator=numerator),
        "caseworkers": lambda: t.plural("{numerator} of {count} caseworker", "{numerator} of {count} caseworkers", n,
                                        numerator=numerator),
        "reviews": lambda: t.plural("{numerator} of {count} review", "{numerator} of {count} reviews", n,
                                    numerator=numerator),
    }
    say = words.get(figure.counts or "")
    if say is None:
        return t("{numerator} of {denominator}", numerator=numerator, denominator=t.integer(figure.denominator))
    return say()


def change_text(t, current: Figure | None, previous: Figure | None, since=None) -> str | None:
    """How a share moved since ``since`` (the period ``previous`` is of), in percentage points; None if
    unknown or hidden.

    The points are the difference of the two shares as the page prints them (77 % and 77 %: "uændret"; 86 % and
    84 %: 2 points, though 86,4 against 83,6 is 2,8): the reader checks the sentence against the figures beside it.
    """
    if (current is None or previous is None or current.value is None or previous.value is None
            or previous.suppressed or since is None):
        return None
    (now, now_decimals), (before, before_decimals) = t.shown_percent(current.value), t.shown_percent(previous.value)
    change = now - before
    name = t.period(since)
    if change == 0:
        return t("unchanged from {period}", period=name)
    points = abs(change)
    whole = points == points.to_integral_value()
    # a whole number of points is a count ("1 procentpoint"); a part of one ("1,5") reads as plural in both languages
    count = t.integer(int(points)) if whole else t.number(float(points), max(now_decimals, before_decimals))
    n = int(points) if whole else 2
    if change > 0:
        return t.plural("up {count} percentage point from {period}", "up {count} percentage points from {period}",
                        n, count=count, period=name)
    return t.plural("down {count} percentage point from {period}", "down {count} percentage points from {period}",
                    n, count=count, period=name)


def previous_of(section, indicator: str, team: str | None, view) -> tuple[Figure | None, object]:
    """The figure of ``indicator`` (``team``'s, or the municipality's) for the period before the pack's
    (for a year to date: the same months a year earlier), and that period: what :func:`change_text`
    compares with. (None, None) when there is none."""
    before = (view.period.previous() or view.period.year_before()) if view.period is not None else None
    if before is None:
        return None, None
    return section.figure(indicator, team=team, period=str(before)), before


def label(value: str, labels: dict, language) -> str:
    """The label of a cell value in the view's language (the value itself if it has none).

    A label is {"da": ..., "en": ...} or a message id translated through the catalogues.
    """
    entry = labels.get(value)
    return text_in(language, entry) if entry else value


def text_in(language, message) -> str:
    """Any message in the view's language: a message id, (id, {placeholders}), or {"da": …, "en": …}.

    Placeholder values may themselves be {"da": …, "en": …} tables (a rule's title).
    """
    if isinstance(message, dict):
        return message.get(language.code, message.get("da", next(iter(message.values()), "")))
    if isinstance(message, tuple):
        text, values = message
        return language(text, **{k: text_in(language, v) if isinstance(v, dict) else v for k, v in values.items()})
    return language(message)


def in_each_language(message) -> dict[str, str]:
    """A message as {language: text} for every pack language (for a table's value labels)."""
    if isinstance(message, dict):
        return message
    return {code: text_in(Language(code), message) for code in LANGUAGES}


def date_in_each_language(day) -> dict[str, str]:
    """A date as {language: "30.11.2026"}, for a title's or a column label's placeholder ("Dage over fristen pr. …":
    a number of days is true on one day only, so a label says which)."""
    return {code: Language(code).short_date(day) for code in LANGUAGES}


def label_of_period(label, period) -> dict[str, str]:
    """A label with the period its figure is of, as {language: text}: "Løbende opfølgning (oktober 2026)". A label
    ending in brackets of its own takes the period into them: "Børnefaglig undersøgelse inden for 2 måneder (lokal
    standard, marts 2024)", not "(lokal standard) (marts 2024)" (a fresh reader's finding)."""
    named, when = in_each_language(label), month_in_each_language(period)
    return {code: f"{text[:-1]}, {when[code]})" if text.endswith(")") else Language(code)(
        N_("{label} ({period})"), label=text, period=when[code]) for code, text in named.items()}


def month_in_each_language(period, year: bool = True) -> dict[str, str]:
    """A period as {language: "marts 2024"} ("1. kvartal 2024", "januar–marts 2024 (år til dato)"), for a
    title's placeholder; ``year=False`` gives a month's name alone ("marts")."""
    if not year:
        return {code: Language(code).month(period.year, period.month).split()[0] for code in LANGUAGES}
    return {code: Language(code).period(period) for code in LANGUAGES}
