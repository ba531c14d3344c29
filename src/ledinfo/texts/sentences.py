"""Small helpers for the short texts sections write (plain Danish, few numbers)."""

from __future__ import annotations

from ledinfo.interfaces.results import Figure


def share_text(t, figure: Figure | None, threshold: int = 5) -> str:
    """ "73 % (41 af 56)", or a note when the figure is hidden or has no cases."""
    if figure is None or not figure.denominator and not figure.suppressed:
        return t("no cases")
    if figure.suppressed or figure.value is None:
        return t("not shown (fewer than {threshold})", threshold=threshold)
    return t("{share} ({numerator} of {denominator})", share=t.percent(figure.value),
             numerator=t.integer(figure.numerator), denominator=t.integer(figure.denominator))


def change_text(t, current: Figure | None, previous: Figure | None, since=None) -> str | None:
    """How a share moved since ``since`` (the period ``previous`` is of), in percentage points; None if
    unknown or hidden."""
    if (current is None or previous is None or current.value is None or previous.value is None
            or previous.suppressed or since is None):
        return None
    change = (current.value - previous.value) * 100
    name = t.period(since)
    if abs(change) < 0.5:
        return t("unchanged from {period}", period=name)
    if change > 0:
        return t.plural("up {count} percentage point from {period}", "up {count} percentage points from {period}",
                        round(change), period=name)
    return t.plural("down {count} percentage point from {period}", "down {count} percentage points from {period}",
                    round(-change), period=name)


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
    from ledinfo.texts.language import LANGUAGES, Language

    if isinstance(message, dict):
        return message
    return {code: text_in(Language(code), message) for code in LANGUAGES}


def month_in_each_language(period, year: bool = True) -> dict[str, str]:
    """A period as {language: "marts 2024"} ("1. kvartal 2024", "januar–marts 2024 (år til dato)"), for a
    title's placeholder; ``year=False`` gives a month's name alone ("marts")."""
    from ledinfo.texts.language import LANGUAGES, Language

    if not year:
        return {code: Language(code).month(period.year, period.month).split()[0] for code in LANGUAGES}
    return {code: Language(code).period(period) for code in LANGUAGES}
