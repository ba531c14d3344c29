"""CPR numbers checked in every text that can reach an output (issue 22): data cells and team names at load,
table file names, config values, comments, a plugin's narration (the final guard), pack file names and
manifest.json, console lines; and the real numbers that must keep working (ids with letters, amounts)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import run_cli, run_process
from ledinfo.api.small_extract import write_small_extract
from ledinfo.config.file import parse_config
from ledinfo.errors import ConfigError
from ledinfo.extract import ExtractError
from ledinfo.extract.folder import read_folder
from ledinfo.extract.validate import validate_extract
from ledinfo.privacy.cpr import contains_cpr, normalise
from test_cpr import EVERYDAY_FORMS

FORM_IDS = [label for label, _, _ in EVERYDAY_FORMS]


def _squeezed(text: str) -> str:
    return re.sub(r"\D", "", normalise(text))


def _rename_team(folder: Path, new: str, old: str = "Unge") -> None:
    """Rename a team everywhere the small extract names it (cases.csv with ;, staff.csv with ,)."""
    for name, separator in (("cases.csv", ";"), ("staff.csv", ",")):
        path = folder / name
        text = path.read_text(encoding="utf-8-sig")
        quoted = '"' + new.replace('"', '""') + '"'  # a line break or separator inside stays in its cell
        path.write_text(text.replace(f"{separator}{old}{separator}", f"{separator}{quoted}{separator}"),
                        encoding="utf-8")


# --- data: a team name in every form, refused at load with its place ------------------------------------

@pytest.mark.parametrize("label, text, digits", EVERYDAY_FORMS, ids=FORM_IDS)
def test_a_team_name_in_every_form_is_refused_at_load_with_its_place(tmp_path, label, text, digits):
    write_small_extract(tmp_path)
    _rename_team(tmp_path, f"Unge {text}")
    with pytest.raises(ExtractError) as caught:
        validate_extract(read_folder(tmp_path))
    places = {(p.table, p.row, p.column) for p in caught.value.problems if p.kind == "cpr_number"}
    # the team's rows in cases.csv (S6-S9: rows 7-10) and staff.csv (M3, M4: rows 4, 5)
    assert places == {("cases", 7, "team"), ("cases", 8, "team"), ("cases", 9, "team"), ("cases", 10, "team"),
                      ("staff", 4, "team"), ("staff", 5, "team")}
    assert set(caught.value.counts) == {"cpr_number"}
    assert digits not in _squeezed(caught.value.report())


def test_a_team_name_whose_file_name_would_hold_one_is_refused(tmp_path):
    # "+45 2504637933" is a phone number; its pack's file, team-45-2504637933.pdf, would name a CPR number
    write_small_extract(tmp_path)
    _rename_team(tmp_path, "Unge +45 2504637933")
    with pytest.raises(ExtractError) as caught:
        validate_extract(read_folder(tmp_path))
    assert [str(p).split("/")[-1] for p in caught.value.problems] == [
        "cases.csv, row 7, column team: the team's pack file names would hold a CPR number (value not shown); "
        "rename the team"]


def test_a_table_file_whose_name_holds_one_is_refused(tmp_path):
    write_small_extract(tmp_path / "extract")
    (tmp_path / "extract" / "staff.csv").rename(tmp_path / "extract" / "loen 250463-7933.csv")
    (tmp_path / "ledinfo.toml").write_text(textwrap.dedent("""
        [municipality]
        name = "Lilleby Kommune"
        [source]
        type = "folder"
        path = "extract"
        files = { staff = "loen 250463-7933.csv" }
    """), encoding="utf-8")
    result = run_cli("validate", "--config", str(tmp_path / "ledinfo.toml"))
    assert result.returncode == 2, result.stderr
    assert "[CPR-nummer].csv: the file's name holds a CPR number (not shown); rename the file" in result.stderr
    assert "2504637933" not in _squeezed(result.stdout + result.stderr)


# --- real numbers keep working ---------------------------------------------------------------------------

def test_ids_with_letters_and_amounts_in_text_build(tmp_path):
    folder = tmp_path / "extract"
    write_small_extract(folder)
    for name in ("cases.csv", "activities.csv"):  # case S2 (not followed up: listed) becomes S-2504637933
        path = folder / name
        text = path.read_text(encoding="utf-8-sig")
        path.write_text(re.sub(r"(?m)^S2([;,])", r"S-2504637933\1", text), encoding="utf-8")
    cases = (folder / "cases.csv").read_text(encoding="utf-8").splitlines()
    notes = ["note"] + ["Beløb 2504637933 kr.", "SAG2504637933", "ring +45 2504637933", "DKK 1103731234"] * 3
    (folder / "cases.csv").write_text("\n".join(f"{line};{note}" for line, note in zip(cases, notes)) + "\n",
                                      encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--data", str(folder), "--period", "2024-03", "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    data = json.loads((out / "team-boern.json").read_text(encoding="utf-8"))
    assert "S-2504637933" in json.dumps(data, ensure_ascii=False)  # the team leader's list names the case


def test_an_amount_column_reports_a_large_value_out_of_range_not_as_a_cpr_number(tmp_path):
    write_small_extract(tmp_path)
    (tmp_path / "measures.csv").write_text(
        "measure_id,case_id,category,decided_on,started_on,ended_on,plan_on,monthly_cost\n"
        "F1,S1,forebyggende,2024-01-05,2024-01-05,,,2504637933\n"
        "F2,S2,forebyggende,2024-01-05,2024-01-05,,,2.305647933E+09\n"
        "F3,S4,forebyggende,2024-01-05,2024-01-05,,,250463-7933\n", encoding="utf-8")
    (tmp_path / "budget.csv").write_text(
        "year,month,function_code,budget_original,budget_corrected,actual\n"
        "2024,3,5.28.21,2504637933,2504637933,1103731234\n", encoding="utf-8")
    with pytest.raises(ExtractError) as caught:
        validate_extract(read_folder(tmp_path))
    found = [(p.kind, p.row, p.message) for p in caught.value.problems]
    assert found == [
        ("out_of_range", 2, "'[CPR-nummer]' is outside 0–10,000,000"),
        ("out_of_range", 3, "'[CPR-nummer]' is outside 0–10,000,000"),
        ("cpr_number", 4, "holds a CPR number (value not shown); remove it from the extract"),  # no number
    ]  # and the budget's 2.5 billion (within its range) is an amount
    assert "2504637933" not in _squeezed(caught.value.report())


# --- config values, refused when the config is read, with the key path --------------------------------------

def test_every_text_setting_is_searched_with_its_key_path(tmp_path):
    data = {
        "municipality": {"name": "Lilleby 25 04 63 7933"},
        "source": {"type": "folder", "path": "extract 2504637933"},  # a source's options may (a path, a query)
        "committee": {"name": "Udvalget", "contact": {"name": "Mette 25-04-63-7933", "phone": "+45 12 34 56 78"}},
        "packs": [
            {"id": "udvalg", "audience": "committee", "title": "Orientering 250463_7933"},
            {"id": "team", "audience": "team_leader", "teams": ["Unge 250463\u034f7933"]},
        ],
        "plugins": {"goals": {"goal": [{"indicator": "notification_24h", "target": 0.9,
                                        "label": "Mål 2.504637933E+09"}]}},
        "delivery": {"type": "email", "email": {"team_to": {"team": {"Unge 2504\ufe0f637933": ["unge@lilleby.dk"]}}}},
    }
    with pytest.raises(ConfigError) as caught:
        parse_config(data, tmp_path, "ledinfo.toml")
    assert str(caught.value).splitlines()[1:] == [
        # the core's tables, by their models' field types, in the models' order
        "  municipality.name: holds a CPR number (value not shown); remove it",
        "  packs[1].title: holds a CPR number (value not shown); remove it",
        "  packs[2].teams[1]: holds a CPR number (value not shown); remove it",
        "  committee.contact.name: holds a CPR number (value not shown); remove it",
        # a plugin's table whose model takes plain text: the safety net
        "  plugins.goals.goal[1].label: holds a CPR number (value not shown); remove it",
        "  delivery.email.team_to.team.Unge [CPR-nummer]: the key holds a CPR number; remove it",
    ]


# --- comments ----------------------------------------------------------------------------------------------

def test_a_comment_with_a_cpr_number_fails_its_pack_naming_file_and_line(tmp_path):
    write_small_extract(tmp_path / "extract")
    (tmp_path / "comments" / "2024-03").mkdir(parents=True)
    (tmp_path / "comments" / "2024-03" / "direktion.md").write_text(
        "Status for marts.\n\n- sag 26 04 64 79 33 er lukket\n", encoding="utf-8")
    (tmp_path / "ledinfo.toml").write_text(textwrap.dedent("""
        [municipality]
        name = "Lilleby Kommune"
        [source]
        type = "folder"
        path = "extract"
        [[packs]]
        id = "direktion"
        audience = "director"
    """), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--config", str(tmp_path / "ledinfo.toml"), "--period", "2024-03", "--out", str(out),
                     "--jobs", "1")
    assert result.returncode == 1, result.stderr
    assert ("direktion: comments/2024-03/direktion.md, line 3: holds a CPR-shaped number; remove it (the pack was "
            "not written)") in result.stderr
    assert not (out / "direktion.pdf").exists() and not (out / "direktion.json").exists()


# --- a plugin's texts: the final guard; its prints: the console ------------------------------------------------

PLUGIN = '''
from ledinfo.api import Section, SectionResult, hookimpl

FORMS = {forms!r}


class Note(Section):
    title = "Note"
    description = "Narrates a text it was given."

    def __init__(self, name, text):
        self.name, self.text = name, text

    def compute(self, context):
        if self.name == "note_clean":
            print("barn", "250463", "7933", sep="-")  # a plugin's print: five writes, none a CPR number
            print("ok", "1103731234", flush=True)
        return SectionResult(self.name, self.title)

    def narrate(self, result, view):
        return ["Bemærk: " + self.text]


@hookimpl
def ledinfo_register_sections(register):
    for index, text in enumerate(FORMS):
        register(Note(f"note_{{index}}", text))
    register(Note("note_clean", "sag S-2504637933, 2504637933 kr., +45 2504637933"))
'''


def _install_plugin(site: Path, forms: list[str]) -> None:
    """The plugin as an installed distribution (its entry point in a .dist-info), as pip leaves one."""
    (site / "ledinfo_cprnote").mkdir(parents=True)
    (site / "ledinfo_cprnote" / "__init__.py").write_text(PLUGIN.format(forms=forms), encoding="utf-8")
    info = site / "ledinfo_cprnote-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ledinfo-cprnote\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[ledinfo]\nledinfo_cprnote = ledinfo_cprnote\n", encoding="utf-8")


@pytest.mark.slow  # builds a pack for every form
def test_a_plugin_s_narration_in_every_form_is_stopped_by_the_guard_and_its_prints_are_redacted(tmp_path):
    forms = [text for _, text, _ in EVERYDAY_FORMS]
    _install_plugin(tmp_path / "site", forms)
    write_small_extract(tmp_path / "extract")
    packs = "".join(f'[[packs]]\nid = "p{index}"\naudience = "director"\nsections = ["note_{index}"]\n'
                    for index in range(len(forms)))
    (tmp_path / "ledinfo.toml").write_text(
        '[municipality]\nname = "Lilleby Kommune"\n[source]\ntype = "folder"\npath = "extract"\n' + packs
        + '[[packs]]\nid = "clean"\naudience = "director"\nsections = ["note_clean"]\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--config", str(tmp_path / "ledinfo.toml"), "--period", "2024-03", "--out", str(out),
                     "--jobs", "1", env={"PYTHONPATH": str(tmp_path / "site"), "LEDINFO_LOAD_PLUGINS": "ledinfo_cprnote"})
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for index in range(len(forms)):
        assert re.search(rf"p{index}: pack p{index}: the (PDF|JSON) holds a CPR-shaped number; nothing was written",
                         result.stderr), (index, forms[index], result.stderr)
        assert not (out / f"p{index}.pdf").exists() and not (out / f"p{index}.json").exists()
    assert sorted(p.name for p in out.iterdir()) == ["clean.json", "clean.pdf", "manifest.json"]
    assert "Bemærk: sag S-2504637933, 2504637933 kr., +45 2504637933" in (out / "clean.json").read_text("utf-8")
    # the plugin's prints, each line redacted whole
    assert "barn-[CPR-nummer]\nok [CPR-nummer]\n" in result.stdout
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert len(json.loads(manifest)["packs"]) == len(forms) + 1
    for text in (result.stdout, result.stderr, manifest):
        assert not contains_cpr(text)
        for _, _, digits in EVERYDAY_FORMS:
            assert digits not in _squeezed(text)


# --- the manifest: redacted and read back; console lines ----------------------------------------------------

def test_the_manifest_is_redacted_and_read_back_before_it_is_written(tmp_path):
    from ledinfo.disclosure.guard import GuardError, check_manifest
    from ledinfo.pipeline.manifest import write_manifest

    # issue 22: a team name with U+034F inside reached manifest.json whole
    path = write_manifest(tmp_path, {"packs": [{"pack": "team-x", "team": "Unge 250463\u034f7933", "error": "x"}],
                                     "inputs": {"loen 2504\ufe0f637933.csv": "ab12"}})
    written = path.read_text(encoding="utf-8")
    assert json.loads(written)["packs"][0]["team"] == "Unge [CPR-nummer]"
    assert json.loads(written)["inputs"] == {"loen [CPR-nummer].csv": "ab12"}
    with pytest.raises(GuardError, match="manifest.json holds a CPR-shaped number"):
        check_manifest(json.dumps({"team": "Unge 25 04 63 79 33"}).encode(), "manifest.json")


def test_console_lines_are_redacted_whole_however_they_are_written():
    code = textwrap.dedent("""
        import logging, sys
        from ledinfo.privacy.console import redact_console
        redact_console(sys)
        print("barn", "250463", "7933", sep="-")
        sys.stdout.write("25 04 "); sys.stdout.write("63 79"); sys.stdout.write(" 33\\r\\n")
        for piece in ("2", "5", "0", "4", "6", "3", "\\u2013", "7", "9", "3", "3", "\\n"):
            sys.stderr.write(piece)
        print("no line end: 2705\\ufe0f647933", end="")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "barn-[CPR-nummer]\n[CPR-nummer]\r\nno line end: [CPR-nummer]"
    assert result.stderr.decode() == "[CPR-nummer]\n"


def test_the_bytes_side_of_the_console_is_redacted_as_the_text_is():
    """``sys.stdout.buffer`` went straight to the terminal: click writes there for bytes, and for all its text
    when the stream's encoding is ASCII. Each way a CPR number can go out through it, redacted: bytes, a line over
    several writes, a character split between writes (the no-break space's two bytes), click's own text stream
    over it, and a line without its end, written as the program ends."""
    code = textwrap.dedent("""
        import sys
        import click
        from ledinfo.privacy.console import redact_console
        redact_console(sys)
        sys.stdout.buffer.write(b"bytes 250463-7933\\n")
        for piece in (b"25", b"04", b"63", b"\\xc2", b"\\xa0", b"7933", b"\\n"):
            sys.stderr.buffer.write(piece)
        click.echo(b"click bytes 2504637933")
        click.echo("click text 250463 7933")  # under PYTHONIOENCODING=ascii: through click's stream over the buffer
        click.echo("fejl: 250463-7933.toml findes ikke \\u00e6\\u00f8\\u00e5", err=True)
        sys.stdout.buffer.write(b"\\xff not UTF-8, kept; no line end: 250463-")
        sys.stdout.buffer.write(b"7933")
    """)
    for encoding in ("utf-8", "ascii"):
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60,
                                env={**os.environ, "PYTHONIOENCODING": encoding})
        assert result.returncode == 0, result.stderr
        assert b"7933" not in result.stdout + result.stderr, (encoding, result.stdout, result.stderr)
        assert result.stdout.startswith(b"bytes [CPR-nummer]\nclick bytes [CPR-nummer]\nclick text [CPR-nummer]\n")
        assert result.stdout.endswith(b"\xff not UTF-8, kept; no line end: [CPR-nummer]"), result.stdout
        # the bytes' line ends in digits: held back for its side's next line (the number may go on), which under
        # ASCII is click's (through the buffer), else the program's end
        lines = result.stderr.splitlines()
        assert len(lines) == 2 and b"[CPR-nummer]" in lines, result.stderr
        assert any(line.startswith(b"fejl: [CPR-nummer].toml findes ikke ") for line in lines), result.stderr


def test_the_commands_output_on_an_ascii_terminal_is_redacted(tmp_path):
    """`ledinfo check` on a stream whose encoding is ASCII: click wrote through the buffer, past the redaction,
    both the error naming the file and the line that says it has no problems."""
    missing = run_process("check", "--config", str(tmp_path / "250463-7933.toml"), env={"PYTHONIOENCODING": "ascii"})
    assert missing.returncode == 2 and "[CPR-nummer].toml does not exist" in missing.stderr, missing.stderr
    config = tmp_path / "2504637933.toml"
    config.write_text('[municipality]\nname = "Fjordby Kommune"\n[source]\ntype = "demo"\n', encoding="utf-8")
    fine = run_process("check", "--config", str(config), env={"PYTHONIOENCODING": "ascii"})
    assert fine.returncode == 0 and "[CPR-nummer].toml: no problems found" in fine.stdout, fine.stdout + fine.stderr
    assert "7933" not in missing.stdout + missing.stderr + fine.stdout + fine.stderr
