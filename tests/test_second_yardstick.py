"""Where a second yardstick applies (the law beside an annual goal), the verdict says plainly which yardstick it is of
and names the other as a note of its own: "Nået (årsmålet på mindst 90 %). Loven kræver alle frister overholdt" —
"Nået: årsmålet på mindst 90 %; loven kræver …" read as if the law were met too, beside a ranking line of 93 %
"ikke nået" against the law (a fresh reader of the demo's directors' pack)."""

from __future__ import annotations

import json
import re

import pytest

from ledinfo.api import Basis, Figure, Yardstick
from ledinfo.language import Language
from ledinfo.model.verdicts import Margin, judge
from ledinfo.words.verdicts import verdict_text
from pdfcheck import poppler_text

GOAL = Yardstick("x", Basis.GOAL, 0.9)
LAW = Yardstick("x", Basis.LAW, 1.0, label="every deadline kept")


@pytest.mark.parametrize(("code", "expected"), [
    ("da", "√ Nået (årsmålet på mindst 90 %). Loven kræver alle frister overholdt"),
    ("en", "√ Met (the annual goal of at least 90%). The law asks for every deadline kept")])
def test_the_verdicts_own_yardstick_in_brackets_and_the_other_a_sentence_of_its_own(code, expected):
    verdict = judge(Figure("x", 0.92, 35, 38), GOAL, Margin(), 5, also=(LAW,))
    assert verdict_text(Language(code), verdict, 5, symbol=True) == expected
    # one yardstick alone reads as before
    alone = judge(Figure("x", 0.92, 35, 38), LAW, Margin(), 5)
    assert verdict_text(Language(code), alone, 5) == \
        {"da": "Ikke nået: loven kræver alle frister overholdt", "en": "Off track: the law asks for every deadline kept"}[code]


def test_the_directors_deadlines_say_which_yardstick_each_verdict_is_of(demo_packs):
    pack = json.loads((demo_packs / "direktion.json").read_text())
    text = " ".join(poppler_text(demo_packs / "direktion.pdf").split())
    compliance = next(s for s in pack["sections"] if s["id"] == "compliance")
    judged_twice = [(indicator, data["verdict"]) for indicator, data in compliance["indicators"].items()
                    if data.get("verdict") and data["verdict"]["also"]]
    assert judged_twice, "the demo has a deadline with an annual goal"
    words = {"green": "Nået", "yellow": "Tæt på", "red": "Ikke nået"}
    said = [indicator for indicator, verdict in judged_twice  # the tile's, and any sentence's with the verdict
            if f"{words[verdict['level']]} (årsmålet på mindst {round(verdict['yardstick'] * 100)} %). Loven kræver "
               "alle frister overholdt" in text]
    assert "investigation_4m" in said, said  # the headline tile (92 %, met against the goal of 90 %)
    assert not re.search(r"; (loven|den lokale standard) kræver", text)  # the old wording, a yardstick run on
    # the ranking lines rank the shares, each with its own verdict: never "best kept" beside "ikke nået"
    assert "Højeste andel overholdt blandt kravene" in text and "Bedst overholdt" not in text
