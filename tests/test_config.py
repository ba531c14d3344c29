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
    from ledinfo.interfaces.delivery import checked_options

    email = registry.delivery("email")
    options = checked_options(email, config.delivery["email"])
    assert email.addresses(options, "team", "Børn") == ("leder.boern@fjordby.dk",)
    assert email.addresses(options, "udvalg", None) == ("udvalgssekretaer@fjordby.dk",)
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
[delivery]
type = "email"
[delivery.email]
host = "smtp.fjordby.dk"
sender = "li@fjordby.dk"
port = 99999
[delivery.email.to]
udvalg = ["udvalg@fjordby.dk"]
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


OLD_RECIPIENTS = '''
[municipality]
name = "Testby Kommune"
[source]
type = "folder"
path = "no-such-folder"
[[packs]]
id = "udvalg"
audience = "committee"
recipients = ["udvalg@fjordby.dk"]
[[packs]]
id = "team"
audience = "team_leader"
[packs.team_recipients]
"Børn" = ["250463-7933@fjordby.dk"]
[delivery]
type = "email"
[delivery.email]
host = "smtp.fjordby.dk"
sender = "li@fjordby.dk"
'''


def test_recipients_in_packs_are_refused_with_where_they_go_now(tmp_path):
    """Who gets a pack is the email delivery's own setting, and only there: an old config's [[packs]] recipients
    are refused with their key path and the table to write them in, never read and never silently dropped (and
    the old value, which may hold a CPR number, is not repeated)."""
    path = write(tmp_path, OLD_RECIPIENTS)
    result = run_cli("check", "--config", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"The configuration {path} has 2 problems" in result.stderr, result.stderr
    assert ('packs[1].recipients: has moved to the delivery\'s settings: write [delivery.email.to] udvalg = '
            '["udvalg@fjordby.dk"] (docs/delivery.md)') in result.stderr
    assert ("packs[2].team_recipients: has moved to the delivery's settings: write each team's addresses under "
            "[delivery.email.team_to.team]") in result.stderr
    assert "250463" not in result.stderr and "unknown key" not in result.stderr
    with pytest.raises(ConfigError, match=r"packs\[1\]\.recipients: has moved"):
        load_config(path)  # without the plugins too: the core refuses it
    moved = OLD_RECIPIENTS.replace('recipients = ["udvalg@fjordby.dk"]\n', "").replace(
        '[packs.team_recipients]\n"Børn" = ["250463-7933@fjordby.dk"]\n', "") + \
        '[delivery.email.to]\nudvalg = ["udvalg@fjordby.dk"]\n[delivery.email.team_to.team]\n"Børn" = ["b@fjordby.dk"]\n'
    fixed = run_cli("check", "--config", str(write(tmp_path, moved)))
    assert fixed.returncode == 0, fixed.stderr


def test_recipients_for_a_pack_the_config_does_not_make_are_refused_before_any_data_is_read(tmp_path):
    """[delivery.email.to] and [delivery.email.team_to] name packs by id: a pack the config does not make (a
    typo, a pack removed) is refused by `ledinfo check`, `build` and `run` with its key path and the packs that
    exist, before the source is touched; so is a pack in the table that does not fit how it is sent."""
    text = CHECKED.replace("99999", "587").replace("fils", "files").replace("udvalg = [", "udvalgg = [") + \
        '[delivery.email.team_to.udvalg]\n"Børn" = ["b@fjordby.dk"]\n'
    path = write(tmp_path, text)
    for command in (("check",), ("build", "--period", "2024-03"), ("run", "--period", "2024-03", "--dry-run")):
        result = run_cli(command[0], "--config", str(path), *command[1:])
        assert result.returncode == 2 and "Traceback" not in result.stderr, (command, result.stderr)
        assert "delivery.email.to.udvalgg: the config makes no pack 'udvalgg' (its packs: udvalg)" in result.stderr
        assert ("delivery.email.team_to.udvalg: only a team-leader pack is sent to each team; give the addresses "
                "of pack 'udvalg' as [delivery.email.to] udvalg = ") in result.stderr, result.stderr
        assert "no-such-folder" not in result.stderr, command
    default_packs = write(tmp_path, text.split("[[packs]]")[0] + "[delivery]" + text.split("[delivery]")[1])
    result = run_cli("check", "--config", str(default_packs))  # no [[packs]]: the default packs are those made
    assert "delivery.email.to.udvalgg: the config makes no pack 'udvalgg' (its packs: direktion, team, udvalg)" \
        in result.stderr, result.stderr
    assert "delivery.email.team_to.udvalg" in result.stderr and result.returncode == 2
    teams = text.replace('audience = "committee"', 'audience = "team_leader"\nteams = ["Børn", "Unge"]').replace(
        "udvalgg = [", "# udvalgg = [").replace('"Børn" = ["b@', '"Ungee" = ["u@')
    result = run_cli("check", "--config", str(write(tmp_path, teams)))  # a team the pack is not made for
    assert result.returncode == 2 and "has 1 problem:" in result.stderr, result.stderr
    assert ("delivery.email.team_to.udvalg: names team 'Ungee', which pack 'udvalg' is not made for (its teams: "
            "Børn, Unge)") in result.stderr
