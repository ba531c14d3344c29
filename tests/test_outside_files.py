"""Every file a user or a config names is read only inside its folder, only as a regular file, within its size.

Issue 22: a comment file that was a link to the build's environment file printed the SMTP password in the
committee's PDF and JSON, exit 0; a linked period folder did the same; a 19.6 kB comment of 4,900 bullets made a
146-page pack; NUL and ESC in a comment reached the JSON. Here each kind of file (comments, templates, the SMTP
password and CA files, data files, SQL query files) is attacked with a link that leaves its folder (to a file
holding a fake secret, which must reach no output), a pipe and a folder where a file is expected, and more.
"""

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import run_cli
from ledinfo.errors import ConfigError, SourceError
from ledinfo.outside.files import (
    COMMENT,
    DATA,
    TEMPLATE,
    FileRefused,
    _open_beneath,
    read_confined,
    read_text_confined,
)
from ledinfo.plugins.delivery_email import CA_CERTIFICATES, PASSWORD
from ledinfo.plugins.source_sql import SQL_QUERY

SECRET = "fake-secret-4711"


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file outside every folder ledinfo reads, as the build's environment file would be."""
    path = tmp_path / "elsewhere" / "ledinfo.env"
    path.parent.mkdir()
    path.write_text(f"SMTP_PASSWORD={SECRET}\n", encoding="utf-8")
    return path


# --- the rules, on one file ------------------------------------------------------------------------------

def test_a_link_inside_the_folder_is_read_and_one_that_leads_out_is_refused_naming_it(tmp_path, secret):
    folder = tmp_path / "comments"
    folder.mkdir()
    (folder / "real.md").write_text("Tekst.\n", encoding="utf-8")
    (folder / "inside.md").symlink_to("real.md")
    assert read_text_confined(folder / "inside.md", COMMENT, folder) == "Tekst.\n"
    (folder / "out.md").symlink_to(secret)
    with pytest.raises(FileRefused) as caught:
        read_text_confined(folder / "out.md", COMMENT, folder, "comments/out.md")
    assert str(caught.value) == (f"comments/out.md is a symbolic link to {secret}, outside {folder}; a comment is "
                                 "read only from inside its folder (copy the file in instead)")
    (folder / "relative.md").symlink_to("../elsewhere/ledinfo.env")  # the same, written relative
    with pytest.raises(FileRefused, match=r"is a symbolic link to \.\./elsewhere/ledinfo\.env, outside"):
        read_text_confined(folder / "relative.md", COMMENT, folder)


def test_a_folder_on_the_way_that_is_a_link_leading_out_is_refused_naming_it(tmp_path, secret):
    folder = tmp_path / "comments"
    folder.mkdir()
    (folder / "2024-03").symlink_to(secret.parent)
    with pytest.raises(FileRefused) as caught:
        read_text_confined(folder / "2024-03" / "ledinfo.env", COMMENT, folder, "comments/2024-03/ledinfo.env")
    assert str(caught.value).startswith(f"comments/2024-03/ledinfo.env lies in {folder / '2024-03'}, a symbolic "
                                        f"link to {secret.parent}, outside {folder}")


def test_a_link_put_in_place_after_the_check_is_not_followed(tmp_path, secret):
    """The file is opened one component at a time with O_NOFOLLOW: a folder swapped for a link between
    resolving the path and opening it (what `_open_beneath` is handed then) is refused, not followed."""
    folder = tmp_path / "comments"
    folder.mkdir()
    (folder / "2024-03").symlink_to(secret.parent)
    with pytest.raises(OSError):
        _open_beneath(folder, ("2024-03", "ledinfo.env"))
    (folder / "udvalg.md").symlink_to(secret)
    with pytest.raises(FileRefused, match="loops back on itself"):  # a link where a file was resolved
        _open_beneath(folder, ("udvalg.md",))


@pytest.mark.parametrize("kind", [COMMENT, TEMPLATE, PASSWORD, CA_CERTIFICATES, SQL_QUERY, DATA])
def test_a_hard_link_to_a_file_outside_the_folder_is_refused_for_every_kind(tmp_path, secret, kind):
    """A hard link is the file it links to, inside the folder: no path leads out, so the link check sees nothing
    (an attacker's finding: a comment hard-linked to the environment file was printed in the pack)."""
    folder = tmp_path / "comments"
    folder.mkdir()
    os.link(secret, folder / "udvalg.md")
    with pytest.raises(FileRefused) as caught:
        read_confined(folder / "udvalg.md", kind, folder, "comments/udvalg.md")
    assert str(caught.value) == (f"comments/udvalg.md is a hard link (one file with 2 names): the same file may lie "
                                 f"outside {folder} under another name, and {kind.one} is read only from inside its "
                                 "folder (copy the file in instead: `cp`, not `ln`)")
    os.unlink(secret)  # its only name now: read
    assert read_confined(folder / "udvalg.md", kind, folder) == f"SMTP_PASSWORD={SECRET}\n".encode()


def test_a_pipe_is_refused_without_ever_being_opened(tmp_path):
    os.mkfifo(tmp_path / "udvalg.md")  # nobody writes to it: opening it for reading would wait for ever
    outcome = []
    reader = threading.Thread(target=lambda: outcome.append(pytest.raises(FileRefused, read_confined,
                                                                          tmp_path / "udvalg.md", COMMENT)),
                              daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "reading a named pipe hung"
    assert "is a named pipe (FIFO), not a file" in str(outcome[0].value)


def test_a_folder_a_loop_and_a_link_to_nowhere_are_each_named(tmp_path):
    (tmp_path / "mappe.md").mkdir()
    (tmp_path / "a.md").symlink_to("b.md")
    (tmp_path / "b.md").symlink_to("a.md")
    (tmp_path / "nowhere.md").symlink_to("missing.md")
    for name, problem in (("mappe.md", "is a folder, not a file"),
                          ("a.md", "is a symbolic link that loops back on itself"),
                          ("nowhere.md", "is a symbolic link to missing.md, which does not exist"),
                          ("absent.md", "does not exist")):
        with pytest.raises(FileRefused) as caught:
            read_confined(tmp_path / name, COMMENT)
        assert caught.value.problem.startswith(problem), (name, caught.value.problem)


@pytest.mark.parametrize("kind, limit", [(COMMENT, "5,000 characters and 60 lines (about two pages in the pack)"),
                                         (TEMPLATE, "64 kB"), (PASSWORD, "4 kB"), (CA_CERTIFICATES, "2 MB"),
                                         (SQL_QUERY, "1 MB"), (DATA, "2 GB")])
def test_each_kind_of_file_has_a_size_limit_checked_before_reading(tmp_path, kind, limit):
    path = tmp_path / "big"
    with path.open("wb") as handle:
        handle.truncate(kind.max_bytes + 1)  # sparse: the size is what is checked, before a byte is read
    with pytest.raises(FileRefused, match=re.escape(f"holds at most {limit}")):
        read_confined(path, kind)
    path.write_bytes(b"x" * min(kind.max_bytes, 1 << 16))
    assert read_confined(path, kind)  # up to the limit is fine


@pytest.mark.parametrize("character, name", [("\x00", "NUL"), ("\x1b", "ESC"), ("\x7f", "DEL"), ("\x07", "the control "
                         "character U+0007"), ("\x0c", "a form feed (FF)"), ("\x85", "a next-line character (NEL, "
                         "U+0085)"), ("\x9b", "the control character U+009B")])
def test_a_control_character_in_text_is_refused_with_file_and_line(tmp_path, character, name):
    path = tmp_path / "udvalg.md"
    path.write_text(f"Første linje\tmed tab\r\nAnden linje\n\nFjerde {character}linje\n", encoding="utf-8")
    with pytest.raises(FileRefused) as caught:
        read_text_confined(path, COMMENT, shown="comments/2024-03/udvalg.md")
    assert str(caught.value).startswith(f"comments/2024-03/udvalg.md holds {name} on line 4; remove it")


def test_text_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "udvalg.md"
    path.write_bytes("Linje et\nLinje to: Børn\n".encode("cp1252"))
    with pytest.raises(FileRefused, match=r"udvalg\.md is not UTF-8 text \(line 2\); save it as UTF-8"):
        read_text_confined(path, COMMENT)
    path.write_bytes(b"\xef\xbb\xbf" + "Linje med BOM: Børn\n".encode())  # as Notepad saves it
    assert read_text_confined(path, COMMENT) == "Linje med BOM: Børn\n"


def test_a_comment_holds_at_most_5000_characters_and_60_lines(tmp_path):
    path = tmp_path / "udvalg.md"
    path.write_text("- punkt\n" * 60, encoding="utf-8")
    assert read_text_confined(path, COMMENT).count("\n") == 60
    path.write_text("- punkt\n" * 61, encoding="utf-8")
    with pytest.raises(FileRefused, match=r"has 488 characters in 61 lines; a comment holds at most 5,000 "
                                          r"characters and 60 lines \(about two pages in the pack\): shorten it"):
        read_text_confined(path, COMMENT)
    path.write_text("æ" * 5_000, encoding="utf-8")  # 10,000 bytes: characters are counted, not bytes
    assert len(read_text_confined(path, COMMENT)) == 5_000
    path.write_text("æ" * 5_001, encoding="utf-8")
    with pytest.raises(FileRefused, match=r"has 5,001 characters in 1 line; "):
        read_text_confined(path, COMMENT)


# --- comments, in a real build ---------------------------------------------------------------------------

PACKS = ("link", "pipe", "mappe", "lang", "nul", "esc", "sektion", "god")


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    """One build of eight committee packs, each with its own comment: seven attacks and one good comment."""
    from ledinfo.api.small_extract import write_small_extract

    root = tmp_path_factory.mktemp("attacked")
    write_small_extract(root / "extract")
    secret = root / "ledinfo.env"
    secret.write_text(f"SMTP_PASSWORD={SECRET}\n", encoding="utf-8")
    packs = "".join(f'[[packs]]\nid = "{name}"\naudience = "committee"\nsections = ["six_week_followup"]\n'
                    for name in PACKS)
    (root / "ledinfo.toml").write_text(f'[municipality]\nname = "Småby Kommune"\n[source]\ntype = "folder"\n'
                                       f'path = "extract"\n{packs}', encoding="utf-8")
    month = root / "comments" / "2024-03"
    month.mkdir(parents=True)
    (month / "link.md").symlink_to(secret)
    os.mkfifo(month / "pipe.md")
    (month / "mappe.md").mkdir()
    (month / "lang.md").write_text("- x\n" * 4_900, encoding="utf-8")  # the 19.6 kB of bullets
    (month / "nul.md").write_text("Linje et\nLinje to \x00\n", encoding="utf-8")
    (month / "esc.md").write_text("Linje et\nLinje to\n\x1b[31mrød\n", encoding="utf-8")
    (month / "sektion").mkdir()
    (month / "sektion" / "six_week_followup.md").symlink_to(secret)
    (month / "god.md").write_text("Forvaltningen har **styrket** opfølgningen.\n", encoding="utf-8")
    result = run_cli("build", "--config", str(root / "ledinfo.toml"), "--period", "2024-03", "--out",
                     str(root / "out"), "--jobs", "1")
    return root, result


@pytest.mark.slow
def test_each_bad_comment_fails_its_pack_with_the_file_named_and_the_good_one_is_printed(attacked):
    root, result = attacked
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    for pack, problem in (
            ("link", f"comments/2024-03/link.md is a symbolic link to {root / 'ledinfo.env'}, outside "
                     f"{root / 'comments'}; a comment is read only from inside its folder"),
            ("pipe", "comments/2024-03/pipe.md is a named pipe (FIFO), not a file"),
            ("mappe", "comments/2024-03/mappe.md is a folder, not a file"),
            ("lang", "comments/2024-03/lang.md has 19,600 characters in 4,900 lines; a comment holds at most "
                     "5,000 characters and 60 lines"),
            ("nul", "comments/2024-03/nul.md holds NUL on line 2"),
            ("esc", "comments/2024-03/esc.md holds ESC on line 3"),
            ("sektion", "comments/2024-03/sektion/six_week_followup.md is a symbolic link to")):
        assert f"{pack}: {problem}" in result.stderr, (pack, result.stderr)
        assert not (root / "out" / f"{pack}.pdf").exists() and not (root / "out" / f"{pack}.json").exists()
    data = json.loads((root / "out" / "god.json").read_text(encoding="utf-8"))
    assert data["comment"]["markdown"] == "Forvaltningen har **styrket** opfølgningen.\n"


@pytest.mark.slow
def test_the_secret_behind_a_link_reaches_no_output(attacked):
    root, result = attacked
    assert SECRET not in result.stdout + result.stderr
    written = [path for path in (root / "out").rglob("*") if path.is_file()]
    assert any(path.suffix == ".pdf" for path in written) and (root / "out" / "manifest.json") in written
    for path in written:
        assert SECRET.encode() not in path.read_bytes(), path
        if path.suffix == ".pdf":
            assert SECRET not in "".join(page.extract_text() for page in PdfReader(str(path)).pages), path
    for path in written:  # and neither do the control characters
        if path.suffix == ".json":
            assert "\x00" not in path.read_text(encoding="utf-8") and "\x1b" not in path.read_text(encoding="utf-8")


def test_a_period_folder_that_is_a_link_leading_out_fails_the_pack(tmp_path, secret):
    from ledinfo.disclosure.guard import GuardIds
    from ledinfo.texts.comments import CommentError, load_comments

    (secret.parent / "udvalg.md").write_text(f"Kommentar: {SECRET}\n", encoding="utf-8")
    (tmp_path / "comments").mkdir()
    (tmp_path / "comments" / "2024-03").symlink_to(secret.parent)
    with pytest.raises(CommentError) as caught:
        load_comments(tmp_path / "comments", "2024-03", "udvalg", ["six_week_followup"], GuardIds(), "committee", None)
    assert str(caught.value).startswith(f"comments/2024-03/udvalg.md lies in {tmp_path / 'comments' / '2024-03'}, "
                                        f"a symbolic link to {secret.parent}, outside {tmp_path / 'comments'}")
    assert SECRET not in str(caught.value)


def test_the_rerun_check_never_opens_a_pipe_put_where_a_data_file_was(tmp_path, small_dir):
    """`ledinfo build` decides an unchanged rerun by hashing the data files again; a pipe there hung it."""
    config = tmp_path / "ledinfo.toml"
    config.write_text(f'[municipality]\nname = "Småby Kommune"\n[source]\ntype = "folder"\npath = "{small_dir}"\n'
                      '[[packs]]\nid = "udvalg"\naudience = "committee"\nsections = ["six_week_followup"]\n',
                      encoding="utf-8")
    build = ("build", "--config", str(config), "--period", "2024-03", "--out", str(tmp_path / "out"), "--jobs", "1")
    assert run_cli(*build).returncode == 0
    (small_dir / "staff.csv").unlink()
    os.mkfifo(small_dir / "staff.csv")
    executable = Path(sys.executable).parent / "ledinfo"
    result = subprocess.run([str(executable), *build], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "staff.csv is a named pipe (FIFO), not a file" in result.stderr


# --- templates ---------------------------------------------------------------------------------------------

def test_a_template_is_read_only_from_inside_its_folder_and_only_as_a_small_regular_file(tmp_path, secret):
    from ledinfo.texts.templates import TEMPLATE_DIR, load_template

    folder = tmp_path / "templates"
    folder.mkdir()
    good = (TEMPLATE_DIR / "committee.toml").read_text(encoding="utf-8")
    (folder / "udvalg.toml").write_text(good, encoding="utf-8")
    (folder / "samme.toml").symlink_to("udvalg.toml")  # a link inside the folder is fine
    assert load_template("templates/samme.toml", "committee", tmp_path).audience == "committee"
    (secret.parent / "t.toml").write_text(good.replace("Orientering til udvalget", SECRET), encoding="utf-8")
    (folder / "link.toml").symlink_to(secret.parent / "t.toml")
    os.mkfifo(folder / "pipe.toml")
    (folder / "mappe.toml").mkdir()
    (folder / "stor.toml").write_text(good + "#" * 70_000, encoding="utf-8")
    (folder / "nul.toml").write_text(good.replace("summary_points = 5", "summary_points = 5\x00"), encoding="utf-8")
    (folder / "titel.toml").write_text(good.replace('"Orientering til udvalget"',
                                                    '"=?utf-8?q?Orientering=0D=0ABcc:_evil@example.com?="'),
                                       encoding="utf-8")
    for name, problem in (("link", f"is a symbolic link to {secret.parent / 't.toml'}, outside {folder}; a template "
                                   "is read only from inside its folder"),
                          ("pipe", "is a named pipe (FIFO), not a file"),
                          ("mappe", "is a folder, not a file"),
                          ("stor", "; a template holds at most 64 kB"),
                          ("nul", "holds NUL on line 9"),
                          ("titel", "title.da holds an encoded word (=?…?=) that a mail program decodes to a carriage "
                                    "return (CR)")):
        with pytest.raises(ConfigError) as caught:
            load_template(f"templates/{name}.toml", "committee", tmp_path)
        assert problem in str(caught.value), (name, str(caught.value))
        assert SECRET not in str(caught.value)


# --- the SMTP password and CA files -------------------------------------------------------------------------

def email_check(tmp_path: Path, **files: str) -> str:
    from ledinfo.plugins.delivery_email import EmailDelivery, EmailOptions

    options = {"host": "smtp.fjordby.dk", "sender": "li@fjordby.dk", **files}
    if "password_file" in files:
        options["username"] = "ledinfo"
    try:
        EmailDelivery().check(EmailOptions(**options), tmp_path)
    except ConfigError as error:
        return str(error)
    return ""


def test_the_password_file_is_read_only_from_inside_its_folder(tmp_path, secret):
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "smtp-password").write_text("hemmelig æøå\n", encoding="utf-8")
    (folder / "kode").symlink_to("smtp-password")  # inside: fine
    assert email_check(tmp_path, password_file="etc/kode") == ""
    (folder / "link").symlink_to(secret)
    os.mkfifo(folder / "pipe")
    (folder / "mappe").mkdir()
    (folder / "stor").write_text("x" * 5_000, encoding="utf-8")
    (folder / "tom").write_text("\n", encoding="utf-8")
    (folder / "esc").write_text("hemmelig\x1b\n", encoding="utf-8")
    for name, problem in (("link", f"is a symbolic link to {secret}, outside {folder}; a password file is read only "
                                   "from inside its folder"),
                          ("pipe", "is a named pipe (FIFO), not a file"),
                          ("mappe", "is a folder, not a file"),
                          ("stor", "is 4.9 kB; a password file holds at most 4 kB"),
                          ("tom", "holds no password on its first line"),
                          ("esc", "holds ESC on line 1")):
        message = email_check(tmp_path, password_file=f"etc/{name}")
        assert f"[delivery.email] password_file: {folder / name} {problem}" in message, (name, message)
        assert SECRET not in message


def test_the_ca_file_is_read_only_from_inside_its_folder_and_must_hold_a_certificate(tmp_path, secret):
    from smtp_server import self_signed_certificate

    folder = tmp_path / "ca"
    folder.mkdir()
    self_signed_certificate(folder)
    assert email_check(tmp_path, ca_file="ca/cert.pem") == ""
    (folder / "link.pem").symlink_to(secret)
    (folder / "mappe.pem").mkdir()
    os.mkfifo(folder / "pipe.pem")
    (folder / "tekst.pem").write_text("ikke et certifikat\n", encoding="utf-8")
    for name, problem in (("link.pem", f"is a symbolic link to {secret}, outside {folder}"),
                          ("mappe.pem", "is a folder, not a file"),
                          ("pipe.pem", "is a named pipe (FIFO), not a file"),
                          ("tekst.pem", "holds no certificate ssl can read")):
        message = email_check(tmp_path, ca_file=f"ca/{name}")
        assert f"[delivery.email] ca_file: {folder / name} {problem}" in message, (name, message)
        assert SECRET not in message


# --- data files and SQL query files ---------------------------------------------------------------------

def test_a_data_file_that_is_a_link_leading_out_of_the_extract_folder_is_refused(tmp_path, small_dir, secret):
    staff = small_dir / "staff.csv"
    (secret.parent / "staff.csv").write_text(staff.read_text(encoding="utf-8").replace("Børn", SECRET, 1),
                                             encoding="utf-8")
    staff.unlink()
    staff.symlink_to(secret.parent / "staff.csv")
    for command in ("validate", "build"):
        extra = ("--out", str(tmp_path / "out"), "--jobs", "1") if command == "build" else ()
        result = run_cli(command, "--data", str(small_dir), "--period", "2024-03", *extra)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert (f"{staff} is a symbolic link to {secret.parent / 'staff.csv'}, outside {small_dir}; a data file is "
                "read only from inside its folder") in result.stderr
        assert SECRET not in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()
    staff.unlink()
    staff.symlink_to("cases.csv")  # a link inside the folder is read (and here found to be the wrong table)
    assert "is a symbolic link" not in run_cli("validate", "--data", str(small_dir), "--period", "2024-03").stderr


def test_a_table_file_read_through_the_api_is_confined_too(tmp_path, secret):
    from ledinfo.api import read_folder

    (tmp_path / "extract").mkdir()
    (tmp_path / "extract" / "cases.csv").symlink_to(secret)
    with pytest.raises(SourceError, match="is a symbolic link to .*, outside .*extract; a data file is read only"):
        read_folder(tmp_path / "extract")


def test_an_sql_query_file_is_read_only_from_inside_query_dir(tmp_path, secret, monkeypatch):
    from ledinfo.interfaces.source import SourceContext
    from ledinfo.model.period import Period
    from ledinfo.plugins.source_sql import SqlSource

    (tmp_path / "sql").mkdir()
    (tmp_path / "sql" / "cases.sql").symlink_to(secret)
    monkeypatch.setenv("LEDINFO_TEST_URI", "postgresql://nobody@127.0.0.1:1/none")
    context = SourceContext(tmp_path, Period.parse("2024-03"))
    with pytest.raises(ConfigError, match=r"sql source: .*cases\.sql is a symbolic link to .*, outside .*sql; an SQL "
                                          r"query file is read only from inside its folder"):
        SqlSource().read(SqlSource.Options(uri_env="LEDINFO_TEST_URI", query_dir="sql"), context)
