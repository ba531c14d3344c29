"""The TOML configuration: every problem reported at once, with its key path."""

import pytest

from conftest import run_cli
from ledinfo.config.file import DEFAULT_PACKS, load_config
from ledinfo.errors import ConfigError
from ledinfo.pipeline.plan import plan


def write(tmp_path, text):
    path = tmp_path / "ledinfo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_config_loads(registry):
    from pathlib import Path

    config = load_config(Path(__file__).parent.parent / "examples" / "ledinfo.toml")
    assert [p.id for p in config.packs] == ["udvalg", "direktion", "team"]
    assert config.packs[2].team_recipients["Børn"] == ("leder.boern@fjordby.dk",)
    planned = plan(config, registry)
    assert planned.sections_of["udvalg"] == ["goals", "notifications", "measures_mix", "compliance", "budget"]
    from ledinfo.plugins.goals import GoalsSettings
    from ledinfo.plugins.supervision import SupervisionSettings

    assert [g.indicator for g in planned.settings[GoalsSettings].goal] == ["investigation_4m", "caseload"]
    supervision = planned.settings[SupervisionSettings]
    assert supervision.cases_per_caseworker == 1 and len(supervision.themes) == 5


def test_every_problem_is_listed_with_its_path(tmp_path):
    path = write(tmp_path, """
        languag = "da"
        [municipality]
        name = "Testby Kommune"
        [source]
        type = "folder"
        [standards]
        followup_interval_days = "six weeks"
        [[packs]]
        id = "Udvalg Pack"
        audiance = "committee"
    """)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "has 5 problems" in message
    assert "languag: unknown key (did you mean 'language'?)" in message
    assert "standards.followup_interval_days: expected whole number, got 'six weeks'" in message
    assert "packs[1].id: 'Udvalg Pack' must be lower-case" in message
    assert "packs[1].audiance: unknown key (did you mean 'audience'?)" in message
    assert "packs[1].audience: missing: every pack needs an audience" in message


def test_defaults_when_no_packs_are_configured(tmp_path):
    config = load_config(write(tmp_path, '[municipality]\nname = "Testby Kommune"\n'
        '[source]\ntype = "demo"\n'))
    assert config.packs == DEFAULT_PACKS and config.threshold == 5 and config.language == "da"


def test_unknown_section_and_source_are_named_with_a_suggestion(tmp_path, registry):
    config = load_config(write(tmp_path, '[municipality]\nname = "Testby Kommune"\n'
        '[source]\ntype = "demo"\n[[packs]]\nid = "u"\naudience = "udvalg"\n'
                                         'sections = ["casload"]\n'))
    assert config.packs[0].audience == "committee"  # the Danish alias
    with pytest.raises(ConfigError, match="section 'casload', which no plugin provides \\(did you mean 'caseload'"):
        plan(config, registry)
    with pytest.raises(ConfigError, match="no source called 'foldr' is installed. Did you mean 'folder'"):
        registry.source("foldr")


def test_bad_toml_and_bad_options_exit_2_without_traceback(tmp_path):
    bad = write(tmp_path, "[source\ntype = 'demo'\n")
    result = run_cli("build", "--config", str(bad))
    assert result.returncode == 2 and "is not valid TOML" in result.stderr and "Traceback" not in result.stderr
    options = write(tmp_path, '[municipality]\nname = "Testby Kommune"\n'
        '[source]\ntype = "folder"\npth = "x"\n')
    result = run_cli("build", "--config", str(options), "--period", "2024-03")
    # the source's options are checked against its model with the rest of the file, before any data is read
    assert result.returncode == 2 and f"The configuration {options} has 2 problems" in result.stderr
    assert "source.pth: unknown key (did you mean 'path'?)" in result.stderr
    assert "source.path: missing: the folder, relative to the config file" in result.stderr
    assert "Traceback" not in result.stderr
    good = write(tmp_path, '[municipality]\nname = "Testby Kommune"\n[source]\ntype = "folder"\npath = "x"\n')
    result = run_cli("build", "--config", str(good), "--period", "2024-13")
    assert result.returncode == 2 and "period '2024-13' is not written as YYYY-MM" in result.stderr


CHECKED = '''
[municipality]
name = "Testby Kommune"
[source]
type = "folder"
path = "no-such-folder"
fils = { cases = "sager.csv" }
[[packs]]
id = "udvalg"
audience = "committee"
recipients = ["udvalg@fjordby.dk"]
[delivery]
type = "email"
[delivery.email]
host = "smtp.fjordby.dk"
sender = "li@fjordby.dk"
port = 99999
'''


def test_ledinfo_check_reports_source_and_delivery_options_by_key_path_before_any_data_is_read(tmp_path):
    """A source's and a delivery's options are checked against the plugins' models with the rest of the file;
    `ledinfo check` (like every command) reports them all at once, naming the file, and reads no data: the
    folder named does not exist, and nothing says so."""
    path = write(tmp_path, CHECKED)
    result = run_cli("check", "--config", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"The configuration {path} has 2 problems" in result.stderr, result.stderr
    assert "source.fils: unknown key (did you mean 'files'?)" in result.stderr
    assert "delivery.email.port: must be a whole number from 1 to 65535, got 99999" in result.stderr
    assert "no-such-folder" not in result.stderr and "Traceback" not in result.stderr
    for command in (("build", "--period", "2024-03"), ("validate", "--period", "2024-03"),
                    ("run", "--period", "2024-03", "--dry-run")):  # every command checks the same, first
        other = run_cli(command[0], "--config", str(path), *command[1:])
        assert other.returncode == 2 and "delivery.email.port: must be a whole number" in other.stderr, command
        assert "no-such-folder" not in other.stderr, command
    fixed = write(tmp_path, CHECKED.replace("fils", "files").replace("99999", "587"))
    result = run_cli("check", "--config", str(fixed))
    assert result.returncode == 0, result.stderr
    assert "no problems found (1 pack(s), source folder, delivery email); no data was read." in result.stdout
