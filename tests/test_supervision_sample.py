"""The supervision sample as its definition draws it (domain/indicators/supervision.py): per employed caseworker,
the active case whose SHA-256 of the month, the team and the case id is the least in hex digits — however the draw
is computed, and whatever it drew before (draw_sample keeps the last months' samples with their candidates)."""

import hashlib

from builders import D, case, extract, staff
from ledinfo.domain.indicators.supervision import draw_sample
from ledinfo.model.period import Period


def _by_definition(cases: list[dict], people: list[dict], month: Period) -> list[tuple[str, str, str]]:
    """The sample written out from the module's definition, in plain Python (one case per caseworker)."""
    drawn_on = month.shift(-1).end
    employed = {p["staff_id"] for p in people if p["start_date"] <= drawn_on
                and (p["end_date"] is None or p["end_date"] > drawn_on) and p["role"] == "raadgiver"}
    best: dict[str, tuple[str, dict]] = {}
    for c in cases:
        if c["opened_on"] > drawn_on or (c["closed_on"] is not None and c["closed_on"] <= drawn_on):
            continue
        if c["caseworker_id"] not in employed:
            continue
        key = hashlib.sha256(f"ledinfo-supervision|{month}|{c['team']}|{c['case_id']}".encode()).hexdigest()
        if c["caseworker_id"] not in best or key < best[c["caseworker_id"]][0]:
            best[c["caseworker_id"]] = (key, c)
    return sorted((c["team"], worker, c["case_id"]) for worker, (_, c) in best.items())


def _drawn(cases, people, month) -> list[tuple[str, str, str]]:
    data = extract(cases=cases, staff=people)
    return list(draw_sample(data["cases"], data["staff"], month).select("team", "caseworker_id", "case_id").iter_rows())


def test_the_sample_is_the_one_its_definition_draws_each_month():
    people = [staff(f"M{i}", team="AB"[i % 2]) for i in range(5)]
    cases = [case(f"S{i:03d}", team="AB"[i % 5 % 2], caseworker=f"M{i % 5}") for i in range(60)]
    for month in Period(2024, 12).trailing(12):
        assert _drawn(cases, people, month) == _by_definition(cases, people, month), month


def test_a_sample_drawn_before_is_not_given_for_other_candidates():
    people = [staff(f"M{i}") for i in range(3)]
    cases = [case(f"S{i:03d}", caseworker=f"M{i % 3}") for i in range(30)]
    month = Period(2024, 4)
    first = _drawn(cases, people, month)
    # the cases drawn closed before the draw: the same month's sample must come from the cases left
    drawn = {case_id for _, _, case_id in first}
    closed = [{**c, "closed_on": D(2024, 2, 1)} if c["case_id"] in drawn else c for c in cases]
    again = _drawn(closed, people, month)
    assert again == _by_definition(closed, people, month)
    assert not drawn & {case_id for _, _, case_id in again}
    assert _drawn(cases, people, month) == first  # and the first candidates draw the first sample again
