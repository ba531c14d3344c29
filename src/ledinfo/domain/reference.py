"""National reference figures (domain.md, Danmarks Statistik), scaled to a municipality.

Scaling is by inhabitants against Denmark's population (about 5.9 million);
it gives the level an average municipality of that size would have.
"""

from __future__ import annotations

DENMARK_INHABITANTS = 5_900_000
NATIONAL = {
    "notifications": 152_700,  # a year, 2022
    "notified_children": 85_300,  # 2022
    "placed_children": 13_400,  # 31 December 2021
    "preventive_children": 43_800,  # 2021
    "spending_dkk": 15_300_000_000,  # placements and preventive measures a year, 2018
}
PLACEMENT_MIX_2018 = {"foster_family": 0.63, "institution": 0.17, "residential_home": 0.14}


def national_reference(inhabitants: int | None) -> dict[str, float] | None:
    """The national figures scaled to ``inhabitants``; None when the size is unknown."""
    if not inhabitants:
        return None
    factor = inhabitants / DENMARK_INHABITANTS
    return {key: value * factor for key, value in NATIONAL.items()}
