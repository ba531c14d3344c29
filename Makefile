# The README's two commands: `make demo` and `make test`. Both set up what they need.
.PHONY: demo test test-fast benchmark clean

demo:
	@scripts/setup
	.venv/bin/ledinfo demo
	@echo 'ledinfo is installed in .venv: run ". .venv/bin/activate" to put it on PATH (README, "Your own data")'

test:
	@scripts/setup --test
	.venv/bin/ruff check src tests benchmarks scripts plugins
	.venv/bin/python -m pytest -q

# The fast tier, while working: every test not marked slow (no whole-pack builds); 3-4 minutes when last measured (issue 26 aims at one).
test-fast:
	@scripts/setup --test
	.venv/bin/ruff check src tests benchmarks scripts plugins
	.venv/bin/python -m pytest -q -m "not slow"

benchmark:
	@scripts/setup --test
	.venv/bin/python benchmarks/run.py

clean:
	rm -rf .venv ledinfo-demo packs .pytest_cache .hypothesis
