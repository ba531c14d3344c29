"""The compliance section's sentences name best and worst only among the law's rules judged on enough cases."""

from ledinfo.api import Figure, SectionResult, View
from ledinfo.disclosure.disclose import disclose_pack
from ledinfo.language import Language
from ledinfo.model.period import Period
from ledinfo.plugins.compliance import ComplianceSection


def test_a_local_standard_or_a_rule_of_two_cases_is_never_named_furthest_from_the_law():
    figures = [Figure("rule_a", 0.9, 18, 20, "share"), Figure("rule_c", 0.6, 9, 15, "share"),
               Figure("local_l", 0.1, 2, 20, "share", extra={"local": True}), Figure("rule_b", 0.5, 1, 2, "share")]
    result = SectionResult("compliance", "Compliance", figures=figures,
                           labels={f.indicator: f.indicator for f in figures})
    view = View("committee", Language("en"), period=Period(2024, 3))
    disclosed = disclose_pack([result], view)[0]
    texts = ComplianceSection().narrate(disclosed, view)
    assert any(text.startswith("Best kept of the requirements judged on 10 cases or more: rule_a") for text in texts), texts
    assert any(text.startswith("Least kept of the requirements judged on 10 cases or more: rule_c")
               for text in texts), texts
    assert not any("local_l" in text or "rule_b" in text for text in texts)
