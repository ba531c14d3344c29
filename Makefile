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

# Everything, as CI runs it (.ci/run). Times: README, "Development". The latest, a clean clone on 2 cores, nothing
# else running, one run each: 2026-12-07 23:33 (eef5baa, load 0.2 before) 1319 passed, 1 skipped, 5 min 41 s of
# pytest, 6 min 16 s wall with the install and ruff, 678 s CPU (user+sys) — 16 s over the 6 minutes; 2026-12-08 00:06
# (f2968df, 4 tests more) 1323 passed, 4 min 49 s of pytest, 5 min 23 s wall, 577 s CPU. The same suite an hour
# apart differs by 100 s of CPU: the machine's speed drifts, and the suite has no margin on a slow hour. Each worker
# is busy to the end (CPU ~ 2 x pytest's wall): only less CPU brings it under for sure. 2026-12-08 02:16 (a80e071, a clean
# clone beside ../shared, load 1.2 before, one run): 1413 passed, 1 skipped, 4 min 19 s of pytest, 4 min 53 s wall, 521 s CPU.
# 2026-12-08 05:01 (fabe132, a clean clone beside ../shared, load 0.6 before, one run): 1428 passed, 1 skipped, 3 min 52 s
# of pytest, 4 min 30 s wall, 474 s CPU.
test:
	@scripts/setup --test
	.venv/bin/ruff check src tests benchmarks scripts plugins
	$(PYTEST)

# The fast tier, while working: every test not marked slow (no whole-pack build of its own, no process of its own).
# Latest (2026-12-08 02:04, load 0.0 before, one run, e660162): 1194 passed, 1 skipped in 46.9 s, 48.8 s wall, 91 s CPU.
# Earlier that day: 1033 tests in 48.7 s (90.8 s CPU, 21:18); README, "Development", has the history.
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
