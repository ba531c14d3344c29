"""How a verdict reads: the one wording of a yardstick, a level and the margin, for every tile, table note,
chart, sentence and summary line (the verdict itself is made once: :mod:`ledinfo.model.verdicts`).

    "Nået (årsmålet på mindst 90 %). Loven kræver alle frister overholdt"
"""

from __future__ import annotations

from ledinfo.language import N_, Language
from ledinfo.model.verdicts import (
    BASIS_WORDS,
    FEW_CASES,
    LEVEL_WORDS,
    SYMBOLS,
    Basis,
    Margin,
    Verdict,
    Yardstick,
    is_share,
)
from ledinfo.words.sentences import text_in


def yardstick_value(language: Language, yardstick: Yardstick) -> str:
    """The yardstick's value in its unit: "90 %", "25", "27,5"."""
    if is_share(yardstick.unit):
        return language.percent(yardstick.value)
    value = yardstick.value
    return language.integer(value) if value == int(value) else language.number(value, 1)


def requirement(language: Language, yardstick: Yardstick) -> str:
    """What the yardstick asks for: its own words ("alle frister overholdt"), else "mindst 90 %" / "højst 25"."""
    if yardstick.label is not None:
        return text_in(language, yardstick.label)
    message = N_("at least {value}") if yardstick.direction == "at_least" else N_("at most {value}")
    return language(message, value=yardstick_value(language, yardstick))


def yardstick_phrase(language: Language, yardstick: Yardstick) -> str:
    """The yardstick as a sentence names it: "årsmålet på mindst 90 %", "loven (alle frister overholdt)"."""
    basis = language(BASIS_WORDS[yardstick.basis])
    if yardstick.label is not None:
        return language("{basis} ({requirement})", basis=basis, requirement=requirement(language, yardstick))
    return language("{basis} of {requirement}", basis=basis, requirement=requirement(language, yardstick))


# What a yardstick asks, said as a sentence: "loven kræver alle frister overholdt". A recommendation recommends, it
# does not require: "den faglige anbefaling er højst 30 sager pr. årsværk", as the caseload's actions say it.
DEMANDS = {Basis.PROFESSIONAL: N_("{basis} is {requirement}")}


def yardstick_demand(language: Language, yardstick: Yardstick) -> str:
    """The yardstick as a sentence says what it asks: "loven kræver alle frister overholdt", "den lokale standard
    kræver alle sager fulgt op", "den faglige anbefaling er højst 30 sager pr. årsværk"."""
    message = DEMANDS.get(yardstick.basis, N_("{basis} asks for {requirement}"))
    return language(message, basis=language(BASIS_WORDS[yardstick.basis]), requirement=requirement(language, yardstick))


def yardstick_clause(language: Language, yardstick: Yardstick) -> str:
    """The yardstick as a note names what is judged against it: "årsmålet på mindst 90 %", and one in words with
    what it asks, "loven, der kræver alle frister overholdt" (a note read "vurderet mod loven (alle frister
    overholdt)", a chart label's words in a sentence)."""
    if yardstick.label is None:
        return yardstick_phrase(language, yardstick)
    message = N_("{basis}, which is {requirement}") if yardstick.basis in DEMANDS else \
        N_("{basis}, which asks for {requirement}")
    return language(message, basis=language(BASIS_WORDS[yardstick.basis]), requirement=requirement(language, yardstick))


def level_word(language: Language, level: str) -> str:
    """ "Nået", "Tæt på", "Ikke nået", "Ikke vurderet": as a legend and a status cell say it."""
    return language(LEVEL_WORDS[level])


def verdict_text(language: Language, verdict: Verdict, threshold: int, symbol: bool = False,
                 short: bool = False) -> str:
    """ "Ikke nået: årsmålet på mindst 90 %" — the level against the one yardstick ("Ikke nået: loven kræver alle
    frister overholdt" where it is in words); "Ikke vurderet (færre end 5 sager): …" for too few cases. Where
    another yardstick applies too, the level's own is in brackets and the other a sentence of its own: "Nået
    (årsmålet på mindst 90 %). Loven kræver alle frister overholdt" — "Nået: årsmålet …; loven kræver …" read as
    if the law were met too, beside a share of 93 % judged "ikke nået" against the law (a fresh reader's finding).
    ``short``: inside a sentence — the level in lower case, the other yardsticks left to the section's page."""
    word = level_word(language, verdict.level)
    if short:
        word = word[:1].lower() + word[1:]
    # a yardstick in words ("alle frister overholdt") is said as a sentence: "Ikke nået: loven kræver alle frister
    # overholdt", never "Ikke nået: loven (alle frister overholdt)"; one with a value keeps "årsmålet på mindst 90 %"
    yardstick = verdict.yardstick
    named = yardstick_demand(language, yardstick) if yardstick.label is not None else yardstick_phrase(language,
                                                                                                        yardstick)
    others = () if short else verdict.also
    if others:
        # one pair of brackets: "Ikke vurderet (færre end 5 sager) (årsmålet …)" read as two afterthoughts
        text = language("{word} (fewer than {threshold} cases; {yardstick})", word=word, threshold=threshold,
                        yardstick=named) if verdict.level == FEW_CASES else \
            language("{verdict} ({yardstick})", verdict=word, yardstick=named)
        for other in others:
            demand = yardstick_demand(language, other)
            text += ". " + demand[:1].upper() + demand[1:]
    else:
        if verdict.level == FEW_CASES:
            word = language("{word} (fewer than {threshold} cases)", word=word, threshold=threshold)
        text = language("{verdict}: {yardstick}", verdict=word, yardstick=named)
    return f"{SYMBOLS[verdict.level]} {text}" if symbol else text


def margin_text(language: Language, margin: Margin) -> str:
    """What "close" means, as the page states it: "inden for 5 procentpoint for en andel, 10 % for andre tal"."""
    return language("within {points} percentage points for a share, {percent} % for other figures",
                    points=_plain(language, margin.points), percent=_plain(language, margin.percent))


def legend_text(language: Language, margin: Margin) -> str:
    """The legend under a judged table or chart: every level, so a reader learns the scheme, and the margin."""
    return " · ".join([language("√ green: met"),
                       language("≈ yellow: close ({margin})", margin=margin_text(language, margin)),
                       language("× red: off track")])


def _plain(language: Language, value: float) -> str:
    return language.integer(value) if value == int(value) else language.number(value, 1)


__all__ = ["legend_text", "level_word", "margin_text", "requirement", "verdict_text", "yardstick_clause",
           "yardstick_demand", "yardstick_phrase", "yardstick_value"]
