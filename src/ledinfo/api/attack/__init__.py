"""An independent attacker on the committee's protection: can a committee member work out a hidden number
from everything the committee packs show — each pack alone, and the whole series of packs the committee
gets (months, quarters, years to date)? (issue 23; domain.md, "Committee rules")

- :mod:`~ledinfo.api.attack.series` builds the series in-process through the pipeline (committee pack only);
- :mod:`~ledinfo.api.attack.reader` reads what a member sees: every pack's JSON and its PDF's chart alt texts;
- :mod:`~ledinfo.api.attack.relations` is the catalogue of relations a reader is assumed to know, each
  adopted only where the real numbers satisfy it in every period;
- :mod:`~ledinfo.api.attack.solver` finds each hidden number's range by exact integer programming — its own
  code, not the committee's audit (:mod:`ledinfo.disclosure.audit`), so that a bug in one is caught by the other;
- :mod:`~ledinfo.api.attack.judge` judges the ranges; :mod:`~ledinfo.api.attack.run` samples municipalities
  and periods; :mod:`~ledinfo.api.attack.report` writes the report.

A plugin author runs it through :func:`ledinfo.api.testing.check_committee_protection`; the lead runs it
on any extract folder: ``python -m ledinfo.api.attack --data DIR --periods 2024-01..2024-06``.
"""

from ledinfo.api.attack.judge import ALONE, EXACT, NARROW, PRINTED, SERIES, Attack, Finding
from ledinfo.api.attack.run import Outcome, Report, attack_folder, attack_municipalities

__all__ = ["ALONE", "EXACT", "NARROW", "PRINTED", "SERIES", "Attack", "Finding", "Outcome", "Report", "attack_folder",
           "attack_municipalities"]
