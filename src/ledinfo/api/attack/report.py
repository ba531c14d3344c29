"""The attack's report, as a plugin author or the lead reads it: the counts per municipality, alone and as a
series, then examples of what gave each number away."""

from __future__ import annotations

from ledinfo.api.attack.judge import ALONE, EXACT, NARROW, PERMITTED, PRINTED, SERIES

MODES = {ALONE: "each pack alone", SERIES: "the whole series"}


def report_text(report, examples: int = 6) -> str:
    lines = []
    sampled = (f"periods sampled by seed {report.seed} (LEDINFO_ATTACK_SEED={report.seed} runs the same again)"
               if report.seed is not None else "every period")
    lines.append(f"Attack on the committee's protection: {len(report.outcomes)} municipality(ies), "
                 f"threshold {report.threshold}, {sampled}")
    header = (f"  {'':34} {'hidden':>7} {'exact':>6} {'narrow':>7} {'shown elsewhere':>16} {'of them 1-4':>12} "
              f"{'as printed':>11}")
    lines.append(header)
    lines.append("  (as printed: worked out no further than the rules print a number — a 0, or a range holding 1 to "
                 f"{report.threshold - 1}; not a failure)")
    for outcome in report.outcomes:
        lines.append(f"  {outcome.name}: {len(outcome.attack.packs)} packs ({', '.join(outcome.attack.packs)})"
                     + (f"; sections under test: {', '.join(outcome.under_test)}" if outcome.under_test else ""))
        single = type(report)([outcome], report.seed)
        for mode, name in MODES.items():
            lines.append(_row(f"    {name}", single.counts(mode)))
    if len(report.outcomes) > 1:
        for mode, name in MODES.items():
            lines.append(_row(f"  all: {name}", report.counts(mode)))
    patterns = {}
    for outcome in report.outcomes:
        for pattern, count in outcome.attack.catalogue.items():
            patterns[pattern] = patterns.get(pattern, 0) + count
    lines.append("Relations the reader used: " + ", ".join(f"{p} {n}" for p, n in sorted(patterns.items())))
    notes = sorted({note for outcome in report.outcomes for note in outcome.attack.notes})
    lines += [f"Note: {note}" for note in notes[:10]]
    if len(notes) > 10:
        lines.append(f"Note: … and {len(notes) - 10} more")
    several = len(report.outcomes) > 1
    for mode in (SERIES, ALONE):
        found = [(outcome.name, f) for outcome in report.outcomes for f in outcome.failures(mode)]
        if not found:
            continue
        lines.append(f"Examples ({MODES[mode]}):")
        # the most telling first: exact before narrow, a small count before others
        ranked = sorted(found, key=lambda nf: (nf[1].kind == PRINTED, nf[1].kind != EXACT,
                                               not 0 < nf[1].value < report.threshold, str(nf[1].key)))
        for name, finding in _varied(ranked, examples):
            lines.append(f"  [{finding.kind}]{f' ({name})' if several else ''} {finding}")
    return "\n".join(lines)


def _row(name: str, counts: dict[str, int]) -> str:
    return (f"{name:36} {counts['hidden']:>7} {counts[EXACT]:>6} {counts[NARROW]:>7} {counts[PRINTED]:>16} "
            f"{counts['small']:>12} {counts[PERMITTED]:>11}")


def _varied(findings, count: int):
    """Up to ``count`` (municipality, finding) pairs, one per indicator first (the examples show different leaks)."""
    chosen, indicators = [], set()
    for item in findings:
        if item[1].key.indicator not in indicators:
            chosen.append(item)
            indicators.add(item[1].key.indicator)
    for finding in findings:
        if len(chosen) >= count:
            break
        if finding not in chosen:
            chosen.append(finding)
    return chosen[:count]
