# The README's two commands: `make demo` and `make test`. Both set up what they need.
.PHONY: demo test test-fast docs benchmark clean

demo:
	@scripts/setup
	.venv/bin/ledinfo demo
	@echo 'ledinfo is installed in .venv: run ". .venv/bin/activate" to put it on PATH (README, "Your own data")'

# Tests run in one worker process per CPU (pytest-xdist); a file's tests stay together in one worker, so a
# module's fixtures are made once, and the builds many files share are made once a run (tests/conftest.py).
# --no-loadscope-reorder: the files are handed out in the order collected, the slowest first (LONGEST_FIRST in
# tests/conftest.py); by default xdist hands out the files with the most tests first, which left a slow file
# of few tests to start last while the other worker idled.
PYTEST = .venv/bin/python -m pytest -q -n auto --dist loadfile --no-loadscope-reorder

# Everything, as CI runs it (.ci/run). Times: README, "Development" (a clean clone on 2 cores, one run each on
# 2026-12-07: 15:19, 15:26 and 15:53 at load 2.7, 2.0 and 1.8 before: 1100 passed, 5 min 35 s, 5 min 57 s and 5 min
# 52 s with the install, 607, 649 and 632 s CPU; the final code at 16:02, load 2.3 before: 1102 passed, 4 min 57 s of
# pytest, 5 min 28 s with the install, 595 s CPU — within 6 minutes every run, by 3–33 s). On a busy machine
# (2026-12-07, load 4-12 beside other builds, one run each): f40ed8f's pytest 787 s CPU (user+sys), 19:01 wall,
# 1220 passed; branch suite10's .ci/run on a clean clone 809 s CPU with the install (about 35 s of it) and ruff,
# 20:04 wall, 1219 passed, load 10.6 before and 7.0 after — at that load the ~35 s of CPU cut is within the noise.
# The round's final code (d81557a, 2026-12-07 21:04, load 1.2 before; one run): 1244 passed, 1 skipped, 5 min 2.8 s
# of pytest, 5 min 44 s wall with the install, 613 s CPU; the same suite on b5b84ef (docs only changed) at 21:35, load
# 1.2 before: 6 min 26 s of pytest, 7 min 8 s wall, 777 s CPU — the machine's speed drifts; no margin yet.
# Branch suite11 (measured there, one run each, the machine shared with five sessions): its base 5a22130's pytest
# 744 s CPU, 19:42 wall at load 6.0 before, 8.7 after (22:04); .ci/run on a clean clone of the branch 714 s CPU with
# the install (about 38 s) and ruff, 21:52 of pytest, 24:19 wall, load 16.6 before, 6.9 after (22:53): 1244 passed,
# 1 skipped both times; the tests' own CPU 725 -> 657 s. At load 7-20 the CPU itself moves by tens of seconds.
test:
	@scripts/setup --test
	.venv/bin/ruff check src tests benchmarks scripts plugins
	$(PYTEST)

# The fast tier, while working: every test not marked slow (no whole-pack build of its own, no process of its own).
# 895 tests: 40.2 s wall, 73 s CPU at load 3.3, right after a full run (one run, 2026-12-07 15:25; README).
# 1010 tests on f40ed8f: 120 s CPU (user+sys), 3:27 wall at load 10 (one run, 2026-12-07 19:38, a busy machine: wall
# says little); after the cuts of branch suite10 (a generated municipality's build to the slow tier, the demo's
# computed sections shared in a test process): 102 s CPU, 3:02 wall at load 8-10 (one run, 19:48), the sum of the
# tests' own CPU 103 -> 86 s; the rest, about 16 s, is the two workers' start and collection (5.8 s CPU each).
# The round's final code (2026-12-07 21:18, load 1.3 before; one run): 1033 passed in 48.7 s, 50.4 s wall, 90.8 s CPU.
# Branch suite11 (measured there, one run each): 5a22130 128 s CPU, 7:22 wall at load 8.5-15.8 (22:28); the branch
# 104 s CPU, 6:32 wall at load 13.9-19.7 (22:46), 1033 passed both times. No fast test changed: the two workers'
# collection is about 7 s of it (their rewritten test modules kept, tests/conftest.py), the rest the load.
test-fast:
	@scripts/setup --test
	.venv/bin/ruff check src tests benchmarks scripts plugins
	$(PYTEST) -m "not slow"

# The plugin API's reference, HTML from the docstrings (pdoc), into build/api-reference/ (git-ignored).
docs:
	@scripts/setup --test
	.venv/bin/python scripts/docs

benchmark:
	@scripts/setup --test
	.venv/bin/python benchmarks/run.py

clean:
	rm -rf .venv ledinfo-demo packs .pytest_cache .hypothesis
