"""The kit's attacker on the longest committee series (issue 23): 6 packs of small generated municipalities, every
section in them, the measures read through the service-line source — the set-up of test_committee_protection.py,
in a file of its own because it is the suite's largest single cost (about 240 s CPU for four municipalities, most of
it the product's own disclosure of the 24 packs: 53 of 71 s for one 6-pack series, 2026-12-07): under ``--dist
loadfile`` a worker process takes it while the other takes the rest of the attacks.

The municipalities are both scales with one of the two seeds, sampled by the run's seed (conftest.run_sample: the
same code attacks another generated municipality; another seed each day, so two days' runs attack all four;
LEDINFO_TEST_SEED=all attacks all four in one run).
"""

from __future__ import annotations

import pytest

from conftest import run_sample
from ledinfo.api.testing import check_committee_protection
from test_committee_protection import BUILT_IN, SAMPLE, eftervaern, service_lines, ydelseslinjer

SEEDS = tuple(run_sample((1, 2), 1))


@pytest.mark.slow  # 2 municipalities × 6 periods (4 with LEDINFO_TEST_SEED=all), computed and attacked
def test_no_hidden_number_comes_back_from_longer_series():
    """Scale 0.1 and 0.4, a seed of two sampled, 6 periods each: the series the issue attacked, sampled."""
    check_committee_protection(eftervaern, ydelseslinjer, sections=BUILT_IN, data=service_lines, scales=(0.1, 0.4),
                               seeds=SEEDS, packs=6, seed=SAMPLE)
