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
# 2026-12-07 at 12:29 and 12:51, load 1.0 and 1.3 before: 1055 passed in 5 min 13 s and 5 min 16 s of pytest, 5 min
# 42 s and 5 min 44 s with the install, 620 and 627 s CPU; the round's final code at load 3.4 before: 1056 passed,
# 5 min 51 s, 638 s CPU; at 13:27, load 1.0 before, the same code: 6 min 17 s, 682 s CPU — not yet within 6 minutes
# every time).
test:
	@scripts/setup --test
	.venv/bin/ruff check src tests benchmarks scripts plugins
	$(PYTEST)

# The fast tier, while working: every test not marked slow (no whole-pack build of its own, no process of its own).
# 859 tests: 35.1 s wall, 66 s CPU at load 2.9 (one run, 2026-12-07 12:58; README, "Development").
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
