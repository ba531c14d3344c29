"""The committee's JSON carries no number more exactly than its PDF prints it (words.formatting.published): a share
written 0.2777777777777778 is 10/36, its counts read off the fraction, as a mean's base was (docs/disclosure.md)."""

import json
from decimal import Decimal


def _numbers(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _numbers(value, f"{path}/{key}")
    elif isinstance(node, list):
        for value in node:
            yield from _numbers(value, f"{path}[]")
    elif isinstance(node, float):
        yield path, node


def _decimals(value: float) -> int:
    return max(0, -Decimal(repr(value)).as_tuple().exponent)


def _too_exact(pack: dict) -> list[tuple[str, float]]:
    """Every float of the pack with more decimals than a printed value has: a share as its whole percent (2), a
    number to its decimal, an amount whole; more only where the pack prints more (its ``printed_decimals``: a value
    near its yardstick; a share below 1 % or above 99 %, "99,5 %"), and a verdict's distance, a fraction of the
    yardstick printed nowhere, to 4."""
    printed = {entry["value"] for entry in pack["printed_decimals"]}
    found = []
    for path, value in _numbers(pack):
        allowed = 4 if path.endswith("/verdict/distance") else 6 if value in printed or 0 < abs(value) < 0.01 \
            or 0.99 < abs(value) < 1 else 2
        if _decimals(value) > allowed:
            found.append((path, value))
    return found


def test_every_number_of_the_committees_json_is_as_printed(demo_packs, messy_packs):
    messy, done = messy_packs("2024-03")
    assert done.returncode == 0, done.stderr
    demo = json.loads((demo_packs / "udvalg.json").read_text())
    for pack in (demo, json.loads((messy / "udvalg.json").read_text())):
        assert not _too_exact(pack), _too_exact(pack)[:5]
    # the demo's turnover, 10 of 36 caseworkers, printed "28 %"; its goal of caseload 27,455… printed "27,5"
    goals = next(s for s in demo["sections"] if s["id"] == "goals")
    assert goals["indicators"]["turnover"]["value"] == 0.28
    goals = goals["tables"][0]["rows"]
    assert next(row for row in goals if row["indicator"] == "caseload")["value"] == 27.5
