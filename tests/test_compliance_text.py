"""The compliance section's sentences name best and worst only among the rules judged on at least the threshold of
cases (domain.md, "The biggest risk first"): a local standard among them, as the chart below the sentences judges it."""

from ledinfo.api import Figure, SectionResult, View
from ledinfo.disclosure.disclose import disclose_pack
from ledinfo.language import Language
from ledinfo.model.period import Period
from ledinfo.plugins.compliance import ComplianceSection


def test_best_and_worst_are_named_among_the_rules_judged_on_at_least_the_threshold_of_cases():
    figures = [Figure("rule_a", 0.9, 18, 20, "share"), Figure("rule_c", 0.6, 3, 5, "share"),
               Figure("local_l", 0.3, 6, 20, "share", extra={"local": True}), Figure("rule_b", 0.25, 1, 4, "share")]
    result = SectionResult("compliance", "Compliance", figures=figures,
                           labels={f.indicator: f.indicator for f in figures})
    view = View("committee", Language("en"), period=Period(2024, 3))
    disclosed = disclose_pack([result], view)[0]
    texts = ComplianceSection().narrate(disclosed, view)
    assert any(text.startswith("Highest share kept among the requirements judged on 5 cases or more: rule_a")
               for text in texts), texts
    # the local standard is the least kept judged on 5 or more; rule_b (4 cases) is lower but says nothing
    assert any(text.startswith("Lowest share kept among the requirements judged on 5 cases or more: local_l")
               for text in texts), texts
    assert not any("rule_b" in text for text in texts)
