"""Names for the demo municipality's staff: Danish first names and surnames, as common as they are in Denmark.

The lists are among the most common names in Danmarks Statistik's name statistics; most caseworkers are women,
so most first names are. The names come from their own random stream (seeded from the demo's seed), so adding
them changed no other number of the demo. A name is personal data: it reaches team-leader packs only.
"""

from __future__ import annotations

import numpy as np

WOMEN = ("Anne", "Mette", "Kirsten", "Hanne", "Helle", "Susanne", "Lene", "Maria", "Marianne", "Camilla", "Louise",
         "Charlotte", "Pia", "Tina", "Gitte", "Rikke", "Trine", "Malene", "Stine", "Line", "Julie", "Sofie", "Ida",
         "Signe", "Katrine", "Cecilie", "Nanna", "Maja", "Henriette", "Birgitte", "Dorthe", "Anja", "Karina", "Sanne")
MEN = ("Peter", "Jens", "Michael", "Lars", "Henrik", "Thomas", "Søren", "Christian", "Martin", "Niels", "Anders",
       "Morten", "Jesper", "Mads", "Rasmus", "Jakob", "Mikkel", "Kasper", "Frederik", "Simon")
SURNAMES = ("Nielsen", "Jensen", "Hansen", "Andersen", "Pedersen", "Christensen", "Larsen", "Sørensen", "Rasmussen",
            "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen", "Johansen",
            "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen",
            "Lund", "Schmidt", "Eriksen", "Holm", "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen",
            "Iversen", "Jeppesen", "Mogensen", "Bach", "Dam", "Vestergaard", "Kjær", "Berg", "Nørgaard")
WOMEN_SHARE = 0.85  # of social workers in Denmark, most are women
STREAM = 0x4E41_4D45  # "NAME": the names' own random stream beside the demo's seed


def staff_names(seed: int, people: int) -> np.ndarray:
    """A name for each of ``people`` people, the same for the same seed: "Mette Hansen"."""
    rng = np.random.default_rng([seed, STREAM])
    women = rng.random(people) < WOMEN_SHARE
    first = np.where(women, np.array(WOMEN, dtype=object)[rng.integers(0, len(WOMEN), people)],
                     np.array(MEN, dtype=object)[rng.integers(0, len(MEN), people)])
    last = np.array(SURNAMES, dtype=object)[rng.integers(0, len(SURNAMES), people)]
    return np.array([f"{a} {b}" for a, b in zip(first, last)], dtype=object)
