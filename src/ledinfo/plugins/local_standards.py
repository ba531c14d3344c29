"""Built-in plugin: the local standards ("lokale serviceniveauer") as targets, beside the annual goals.

A local standard is the municipality's own yardstick, set next to the law, never instead of it
(docs/rules.md): each local rule of the rule catalogue (``[rules.<id>]`` with its deadline, and the shipped
``investigation_2m`` whose months ``[standards]`` sets) asks that every deadline be kept, and the 6-week
follow-up standard that every case be followed up within ``[standards] followup_interval_days``. They reach
the build as every target does (``ledinfo_register_targets``): every section reads them as
``context.targets`` (basis :attr:`Basis.LOCAL`), and each judges its indicator after an annual goal and
before the law.
"""

from __future__ import annotations

from ledinfo.api import N_, Basis, Target, Targets, hookimpl

EVERY_DEADLINE = N_("every deadline kept")
EVERY_CASE = N_("every case followed up")


class LocalStandards(Targets):
    name = "local_standards"
    description = "The local standards: the rule catalogue's local rules and the 6-week follow-up."

    def targets(self, context):
        """Each local standard whose indicator is installed: a local rule's (the share of its items that kept the
        deadline) and the 6-week follow-up's (the share of cases followed up), each at least 100 %."""
        local = [Target(rule.id, 1.0, "at_least", Basis.LOCAL, label=EVERY_DEADLINE)
                 for rule in (context.rules or ()) if rule.local]
        local.append(Target("six_week_followup", 1.0, "at_least", Basis.LOCAL, label=EVERY_CASE))
        return [target for target in local if target.indicator in context.indicators]


@hookimpl
def ledinfo_register_targets(register):
    register(LocalStandards())
