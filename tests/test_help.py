"""Every command's help reads whole in an 80-column terminal: nothing cut off with "..."."""

import re

from conftest import run_cli

NARROW = {"COLUMNS": "80"}


def _commands() -> list[str]:
    listing = run_cli("--help", env=NARROW).stdout
    return re.findall(r"^  ([a-z][a-z0-9-]*)  ", listing.split("Commands:")[1], re.M)


def _cut_off(text: str) -> list[str]:
    # "[ARGS]..." on the usage line is click's notation for "any number of", not a cut.
    return [line for line in text.splitlines() if "..." in line and not line.startswith("Usage:")]


def test_no_help_text_is_cut_off():
    commands = _commands()
    assert {"build", "demo", "run", "validate", "new-plugin"} <= set(commands), commands
    for args in [[]] + [[name] for name in commands]:
        result = run_cli(*args, "--help", env=NARROW)
        assert result.returncode == 0, (args, result.stderr)
        assert _cut_off(result.stdout) == [], (args, result.stdout)


def test_new_plugin_documents_its_kind_and_demo_its_language():
    new_plugin = run_cli("new-plugin", "--help", env=NARROW).stdout
    assert "--kind KIND" in new_plugin and re.search(r"section \(a part of\s+the packs\)", new_plugin)
    demo = run_cli("demo", "--help", env=NARROW).stdout
    assert "config" not in demo.split("--lang")[1].split("--seed")[0]  # the demo has no config to take it from
    assert re.search(r"da \(Danish, the\s+default\)", demo)
