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

# Everything, as CI runs it (.ci/run). Times: README, "Development" (a clean clone on 2 cores, load 0.8 before it, one
# run on 2026-12-07 10:28: 1040 passed in 5 min 27 s of pytest, 5 min 55 s with the install, 647 s CPU; 6 min 13 s
# at load 2.8; the final commit, right after a test run (load 4.0 at its end): 1041 passed, 6 min 9 s, 672 s CPU).
# Branch suite7 (issue 26), a clean clone at load 12.5 before it and 7.7 at its end (one run, 2026-12-07 12:13): 1041
# passed in 12 min 49 s of pytest, 14 min 7 s with the install, 680 s CPU; its test workers 644 s CPU, 709 s before.
test:
	@scripts/setup --test
	.venv/bin/ruff check src tests benchmarks scripts plugins
	$(PYTEST)

# The fast tier, while working: every test not marked slow (no whole-pack build of its own, no process of its own).
# 848 tests: 32.8 s wall, 60 s CPU at load 2.7 (one run, 2026-12-07 10:17; README, "Development").
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
