"""An attacker's check of quarter and year-to-date committee packs: no hidden number may come back by
arithmetic from numbers the same committee JSON shows (domain.md, "Committee rules").

Each check below is a relation that holds in the data but that the pack's protection does not know:
- a state (the family-care share: children by placement type at the period's end) is the same at the end
  of a quarter and at the end of its last month, which the trend shows;
- a share of case handling over a span is the sum of its months when nothing is pending (numerator and
  denominator), so the span minus the months shown gives the one month hidden;
- a notification rule judges every notification of its kind: denominator + pending over a span is the
  span's professional notifications, the sum of the months of the trend by reporter type.
"""

from __future__ import annotations

import json

import pytest

from builders import committee_config
from conftest import run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small(tmp_path_factory, small_demo_build):
    """A small demo municipality (seed 7, scale 0.15: conftest.small_demo_build); ``small(period)`` gives its
    committee JSON, from a build of the committee's pack alone."""
    # the committee's pack alone (builders.committee_config): the same udvalg.json as a build of every default pack
    # (compared for the three periods, 2026-12-07), at half the CPU (7.6 -> 3.8 s a period)
    config = committee_config(tmp_path_factory.mktemp("committee"), small_demo_build / "data")
    built = {}

    def pack(period: str) -> dict:
        if period not in built:
            out = tmp_path_factory.mktemp("packs") / period
            # without worker processes: the same packs (test_scale), about 1.6 s of CPU less a build
            done = run_cli("build", "--config", str(config), "--period", period, "--out", str(out), "--jobs", "1")
            assert done.returncode == 0, done.stderr
            built[period] = json.loads((out / "udvalg.json").read_text(encoding="utf-8"))
        return built[period]

    return pack


def _indicators(pack: dict) -> dict:
    return {name: entry for section in pack["sections"] for name, entry in section["indicators"].items()}


def _months(period: str) -> list[str]:
    year = int(period[:4])
    if "-Q" in period:
        last = int(period[-1]) * 3
        return [f"{year}-{m:02d}" for m in range(last - 2, last + 1)]
    last = int(period[5:7])
    return [f"{year}-{m:02d}" for m in range(1, last + 1)] if period.endswith("-ytd") else [period]


def _spans(entry: dict, pack: dict) -> list[dict]:
    """The indicator's current figure and its comparisons, each with its period."""
    current = {k: v for k, v in entry.items() if k in ("value", "numerator", "denominator", "pending", "suppressed")}
    return [{"period": pack["period"], **current}, *entry.get("compared", {}).values()]


def leaks(pack: dict) -> list[str]:
    found = []
    figures = _indicators(pack)
    # 1. a state at the period's end is the trend's last month
    share = figures.get("family_care_share")
    if share and share.get("suppressed"):
        last = share["trend"][-1]
        if not last.get("suppressed"):
            found.append(f"family_care_share {pack['period']} hidden, but the trend's {last['period']} shows the same "
                         f"state: {last['numerator']}/{last['denominator']}")
    # 2. a share of case handling over a span = the sum of its months (nothing pending)
    for rule, entry in figures.items():
        trend = {point["period"]: point for point in entry.get("trend", [])}
        if entry.get("share_of") != "handling" or not trend:
            continue
        for span in _spans(entry, pack):
            months = _months(span["period"])
            if span.get("suppressed") or span.get("pending") or not set(months) <= set(trend):
                continue
            hidden = [m for m in months if trend[m].get("suppressed")]
            if len(hidden) == 1 and all(not trend[m].get("pending") for m in months if m not in hidden):
                numerator = span["numerator"] - sum(trend[m]["numerator"] for m in months if m not in hidden)
                denominator = span["denominator"] - sum(trend[m]["denominator"] for m in months if m not in hidden)
                found.append(f"{rule} {hidden[0]} hidden, but {span['period']} minus its other months gives "
                             f"{numerator}/{denominator}")
    # ... and a year to date minus the year to date a month shorter is the last month
    for rule, entry in figures.items():
        before = entry.get("compared", {}).get("previous")
        trend = {point["period"]: point for point in entry.get("trend", [])}
        if entry.get("share_of") != "handling" or not before or not pack["period"].endswith("-ytd"):
            continue
        month = pack["period"][:7]
        if (trend.get(month, {}).get("suppressed") and not entry.get("suppressed") and not before.get("suppressed")
                and not entry.get("pending") and not before.get("pending")):
            found.append(f"{rule} {month} hidden, but {pack['period']} minus {before['period']} gives "
                         f"{entry['numerator'] - before['numerator']}/{entry['denominator'] - before['denominator']}")
    # 3. receipt_6_workdays: denominator + pending over a span = the span's professional notifications
    receipt = figures.get("receipt_6_workdays")
    by_reporter = figures.get("notifications", {}).get("trend_by_category", {}).get("professional", [])
    professional = {point["period"]: point for point in by_reporter}
    if receipt and professional:
        for span in _spans(receipt, pack):
            months = _months(span["period"])
            if span.get("suppressed") or not set(months) <= set(professional):
                continue
            hidden = [m for m in months if professional[m].get("suppressed")]
            if len(hidden) == 1:
                count = span["denominator"] + span["pending"] - sum(professional[m]["value"] for m in months
                                                                    if m not in hidden)
                found.append(f"professional notifications {hidden[0]} hidden, but receipt_6_workdays "
                             f"{span['period']} (denominator + pending) minus the other months gives {count}")
        before = receipt.get("compared", {}).get("previous")
        month = pack["period"][:7]
        if (pack["period"].endswith("-ytd") and before and not before.get("suppressed") and not receipt.get("suppressed")
                and professional.get(month, {}).get("suppressed")):
            count = receipt["denominator"] + receipt["pending"] - before["denominator"] - before["pending"]
            found.append(f"professional notifications {month} hidden, but receipt_6_workdays {pack['period']} minus "
                         f"{before['period']} (denominator + pending) gives {count}")
    return found


@pytest.mark.parametrize("period", ["2026-Q3", "2026-09-ytd", "2026-02-ytd"])
def test_no_hidden_number_comes_back_in_a_small_municipality(small, period):
    assert leaks(small(period)) == []


@pytest.mark.parametrize("period", ["2024-Q2", "2024-06-ytd"])
def test_no_hidden_number_comes_back_in_the_messy_extract(messy_packs, period):
    out, done = messy_packs(period)  # the messy sample's packs, built once a run (2024-Q2 is read by others too)
    assert done.returncode == 0, done.stderr
    assert leaks(json.loads((out / "udvalg.json").read_text(encoding="utf-8"))) == []
