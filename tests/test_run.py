"""`ledinfo run` against a real SMTP server on loopback: delivery, ledger, retries, locks, cron.

The delivery behaviours (retries, TLS, logins, the ledger) do not depend on the build: those tests
run against a prepared build (``prepared``: the small extract's packs, built once a session by
``ledinfo run --dry-run`` and copied beside each test's config, which ``ledinfo run`` reuses as it
reuses the last build after a failed delivery). The tests of a whole run — the build and the delivery
in one, in a real process under cron's environment, two processes at once, data changed between
runs — build for themselves.
"""

import hashlib
import os
import signal
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from smtp_server import SMTPServer, self_signed_certificate, wait_for

COMMITTEE, DIRECTOR = "udvalg@fjordby.dk", "direktor@fjordby.dk"
BOERN, UNGE = "leder.boern@fjordby.dk", "leder.unge@fjordby.dk"
ALL = {COMMITTEE: "udvalg.pdf", DIRECTOR: "direktion.pdf", BOERN: "team-boern.pdf", UNGE: "team-unge.pdf"}


# who gets each pack: the email delivery's own tables, after its [delivery.email]
RECIPIENTS = f"""
[delivery.email.to]
udvalg = ["{COMMITTEE}"]
direktion = ["{DIRECTOR}"]

[delivery.email.team_to.team]
"Børn" = ["{BOERN}"]
"Unge" = ["{UNGE}"]
"""


def write_config(root: Path, small_dir: Path, port: int, delivery: str | None = None, extra: str = "") -> Path:
    delivery = delivery or f"""
[delivery]
type = "email"
attempts = 4
backoff_seconds = 0.2
{extra}

[delivery.email]
host = "127.0.0.1"
port = {port}
security = "none"
sender = "ledelsesinformation@fjordby.dk"
timeout = 5
"""
    config = root / "ledinfo.toml"
    config.write_text(f"""
[municipality]
name = "Fjordby Kommune"

[source]
type = "folder"
path = "{_relative(small_dir, root)}"

[[packs]]
id = "udvalg"
audience = "committee"
sections = ["six_week_followup", "caseload"]

[[packs]]
id = "direktion"
audience = "director"

[[packs]]
id = "team"
audience = "team_leader"
{delivery}{RECIPIENTS if 'type = "email"' in delivery else ""}""", encoding="utf-8")
    return config


def _relative(folder: Path, root: Path) -> Path:
    """The extract's folder as the config names it: relative to the config's folder when it is inside it,
    so two tests' configs (and their builds' keys) are the same wherever their folders are."""
    return folder.relative_to(root) if folder.is_relative_to(root) else folder


def reused(result) -> bool:
    """The run delivered the prepared build rather than making its own."""
    return "unchanged since the last build of 2024-03" in result.stdout


@pytest.fixture
def server():
    smtp = SMTPServer().start()
    yield smtp
    smtp.stop()


def run(config: Path, *args: str, env=None):
    return run_cli("run", "--config", str(config), "--period", "2024-03", "--jobs", "1", *args, env=env)


@pytest.mark.slow
def test_each_recipient_gets_their_own_pack_and_a_rerun_sends_nothing(tmp_path, prepared, server):
    config = write_config(tmp_path, prepared, server.port)
    result = run(config)
    assert result.returncode == 0, result.stderr + result.stdout
    assert reused(result), result.stdout  # the prepared build, delivered as it is
    assert len(server.handler.received) == 4
    packs = tmp_path / ".ledinfo" / "packs" / "2024-03"
    for address, pdf in ALL.items():
        (mail,) = server.handler.to(address)
        assert mail.recipients == [address]  # one message per recipient
        name, data = mail.attachment()
        assert name == pdf and data == (packs / pdf).read_bytes()
        assert mail.message["Subject"].startswith("Ledelsesinformation marts 2024: ")
        assert "Tre nøgletal:" in mail.message.get_body(("plain",)).get_content()
    assert "Ledelsesinformation til teamet – Børn" in server.handler.to(BOERN)[0].message["Subject"]
    assert "fortrolig" in server.handler.to(BOERN)[0].message.get_body(("plain",)).get_content()
    again = run(config)
    assert again.returncode == 0 and len(server.handler.received) == 4
    assert "4 already sent" in again.stdout
    assert (tmp_path / ".ledinfo" / "ledinfo.log").read_text().count("delivered to") == 4


@pytest.mark.slow
def test_busy_server_451_is_retried(tmp_path, prepared, server):
    server.handler.busy_replies = 2
    result = run(write_config(tmp_path, prepared, server.port))
    assert result.returncode == 0, result.stdout
    assert len(server.handler.received) == 4
    assert "451" in result.stderr and "trying again" in result.stderr


@pytest.mark.slow
def test_a_message_the_server_accepted_is_delivered_whatever_quit_gets(tmp_path, prepared, server):
    """A server that answers QUIT with 421 has still accepted the message: sent once, not retried."""
    server.handler.quit_reply = "421 4.3.2 Shutting down"
    result = run(write_config(tmp_path, prepared, server.port))
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(r.recipients[0] for r in server.handler.received) == sorted([COMMITTEE, DIRECTOR, BOERN, UNGE])
    assert "trying again" not in result.stderr


@pytest.mark.slow
def test_a_server_that_refuses_the_first_connections(tmp_path, prepared):
    late = SMTPServer()
    config = write_config(tmp_path, prepared, late.port)
    config.write_text(config.read_text().replace("backoff_seconds = 0.2", "backoff_seconds = 1.5"))
    process = subprocess.Popen([str(Path(sys.executable).parent / "ledinfo"), "run", "--config", str(config),
                                "--period", "2024-03", "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    log = tmp_path / ".ledinfo" / "ledinfo.log"
    try:  # the server starts once the first attempt has found nobody listening
        assert wait_for(lambda: log.exists() and "ConnectionRefusedError" in log.read_text(encoding="utf-8"), 120)
        late.start()
        out, err = process.communicate(timeout=120)
    finally:
        late.stop()
    assert process.returncode == 0, out + err
    assert "ConnectionRefusedError" in err
    assert len(late.handler.received) == 4


@pytest.mark.slow
def test_550_for_one_recipient_leaves_the_others_delivered(tmp_path, prepared, server):
    server.handler.refuse = {UNGE}
    result = run(write_config(tmp_path, prepared, server.port))
    assert result.returncode == 1
    assert {r.recipients[0] for r in server.handler.received} == {COMMITTEE, DIRECTOR, BOERN}
    assert "team-unge → leder.unge@fjordby.dk: failed: the server answered 550" in result.stdout
    server.handler.refuse = set()
    again = run(write_config(tmp_path, prepared, server.port))
    assert again.returncode == 0 and len(server.handler.to(UNGE)) == 1 and len(server.handler.received) == 4


@pytest.mark.slow
def test_a_run_killed_in_the_middle_then_rerun_delivers_each_message_once(tmp_path, prepared, server):
    server.handler.hold_after = 2
    config = write_config(tmp_path, prepared, server.port)
    process = subprocess.Popen([str(Path(sys.executable).parent / "ledinfo"), "run", "--config", str(config),
                                "--period", "2024-03", "--jobs", "1"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True)
    # the third message waits at the server: the second was answered and recorded before it began
    assert wait_for(lambda: server.handler.holding == 1, 120)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    server.handler.hold_after = None
    server.handler.released.set()
    result = run(config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(r.recipients[0] for r in server.handler.received) == sorted(ALL)
    assert "2 already sent" in result.stdout and "2 sent" in result.stdout


@pytest.mark.slow
def test_starttls_with_a_self_signed_certificate(tmp_path, prepared):
    cert, key = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    secure = SMTPServer(tls=context).start()
    try:
        delivery = f"""
[delivery]
type = "email"
attempts = 2
backoff_seconds = 0.1

[delivery.email]
host = "127.0.0.1"
port = {secure.port}
security = "starttls"
sender = "ledelsesinformation@fjordby.dk"
ca_file = "{cert}"
"""
        result = run(write_config(tmp_path, prepared, secure.port, delivery))
        assert result.returncode == 0, result.stdout + result.stderr
        assert len(secure.handler.received) == 4
        untrusted = write_config(tmp_path, prepared, secure.port, delivery.replace(f'ca_file = "{cert}"', ""))
        (tmp_path / ".ledinfo" / "ledger.sqlite").unlink()
        result = run(untrusted)
        assert result.returncode == 1 and "TLS failed" in result.stdout and "CERTIFICATE_VERIFY_FAILED" in result.stdout
    finally:
        secure.stop()


@pytest.mark.slow
def test_login_with_a_password_file_beside_the_config_from_any_working_folder(tmp_path, prepared):
    """STARTTLS to the municipality's CA, then a login; relative files are the config folder's, as cron needs."""
    from smtp_server import Logins

    cert, key = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins = Logins("ledinfo", "hemmelig-æøå")
    secure = SMTPServer(tls=context, logins=logins).start()
    (tmp_path / "smtp-password").write_text("hemmelig-æøå\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    try:
        delivery = f"""
[delivery]
type = "email"
attempts = 2
backoff_seconds = 0.1

[delivery.email]
host = "127.0.0.1"
port = {secure.port}
security = "starttls"
sender = "ledelsesinformation@fjordby.dk"
ca_file = "{cert.name}"
timeout = 10
username = "ledinfo"
password_file = "smtp-password"
"""
        config = write_config(tmp_path, prepared, secure.port, delivery)
        result = run_cli("run", "--config", str(config), "--period", "2024-03", "--jobs", "1", cwd=elsewhere)
        assert result.returncode == 0, result.stdout + result.stderr
        assert len(secure.handler.received) == 4
        assert logins.attempts and all(ok for *_, ok in logins.attempts)
        (tmp_path / "smtp-password").write_text("forkert\n", encoding="utf-8")
        (tmp_path / ".ledinfo" / "ledger.sqlite").unlink()
        refused = run_cli("run", "--config", str(config), "--period", "2024-03", "--jobs", "1", cwd=elsewhere)
        assert refused.returncode == 1 and len(secure.handler.received) == 4
        assert "login refused (535): check username and password" in refused.stdout, refused.stdout
        assert "trying again" not in refused.stderr  # a wrong password is not retried
    finally:
        secure.stop()


@pytest.mark.slow
def test_a_full_run_under_crons_minimal_environment(tmp_path, small_dir, server):
    config = write_config(tmp_path, small_dir, server.port)
    venv_bin = Path(sys.executable).parent
    result = subprocess.run(["env", "-i", f"PATH={venv_bin}:/usr/bin:/bin", "ledinfo", "run", "--config",
                             str(config), "--period", "2024-03"], capture_output=True, text=True, timeout=600,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(server.handler.received) == 4
    assert "Delivering" not in result.stderr  # no progress bar without a terminal


@pytest.mark.slow
def test_two_runs_started_together_send_once(tmp_path, small_dir, server):
    config = write_config(tmp_path, small_dir, server.port)
    command = [str(Path(sys.executable).parent / "ledinfo"), "run", "--config", str(config), "--period", "2024-03",
               "--jobs", "1"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outputs = [first.communicate(timeout=300), second.communicate(timeout=300)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    assert sorted(r.recipients[0] for r in server.handler.received) == sorted(ALL)
    assert any("another ledinfo run is in progress" in err for _, err in outputs)


@pytest.mark.slow
def test_dry_run_sends_nothing_and_records_nothing(tmp_path, prepared, server):
    config = write_config(tmp_path, prepared, server.port)
    result = run(config, "--dry-run")
    assert result.returncode == 0, result.stdout
    assert server.handler.received == []
    assert result.stdout.count("would send: ") == 4 and "team-boern → leder.boern@fjordby.dk" in result.stdout
    assert not (tmp_path / ".ledinfo" / "ledger.sqlite").exists()


def test_dry_run_needs_no_smtp_password_but_says_a_real_run_does(tmp_path, prepared, server):
    config = write_config(tmp_path, prepared, server.port)
    login = 'timeout = 5\nusername = "ledinfo"\npassword_env = "LEDINFO_TEST_UNSET_PASSWORD"'
    config.write_text(config.read_text().replace("timeout = 5", login))
    assert "LEDINFO_TEST_UNSET_PASSWORD" not in os.environ
    result = run(config, "--dry-run")
    assert result.returncode == 0, result.stderr + result.stdout
    assert result.stdout.count("would send: ") == 4 and server.handler.received == []
    assert ("the environment variable LEDINFO_TEST_UNSET_PASSWORD (the SMTP password) is not set; a dry run sends "
            "nothing and goes on, a real run would stop here") in result.stderr
    real = run(config)
    assert real.returncode == 2 and "LEDINFO_TEST_UNSET_PASSWORD (the SMTP password) is not set" in real.stderr
    assert server.handler.received == [] and "Traceback" not in real.stderr
    # What a dry run can check it still does: a CA file that is not there stops it.
    config.write_text(config.read_text().replace(login, login + '\nca_file = "no-such-ca.pem"'))
    missing = run(config, "--dry-run")
    assert missing.returncode == 2 and f"ca_file: {tmp_path / 'no-such-ca.pem'} does not exist" in missing.stderr


def test_recipient_problems_stop_the_run_before_anything_is_sent(tmp_path, small_dir, server):
    """A bad address is the config's (refused when it is read, with its key); a team without one, the extract's."""
    config = write_config(tmp_path, small_dir, server.port)
    text = config.read_text()
    config.write_text(text.replace(DIRECTOR, "direktor-at-fjordby.dk"))
    result = run(config)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "delivery.email.to.direktion[1]: 'direktor-at-fjordby.dk' is not a valid email address" in result.stderr
    config.write_text(text.replace(f'"Unge" = ["{UNGE}"]', ""))
    result = run(config)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "team 'Unge' has no address" in result.stderr
    assert server.handler.received == [] and not (tmp_path / ".ledinfo" / "packs").exists()


@pytest.mark.slow
def test_changed_data_is_held_back_until_resend(tmp_path, prepared, server):
    config = write_config(tmp_path, prepared, server.port)
    first = run(config)
    assert first.returncode == 0 and reused(first)
    cases = (prepared / "cases.csv").read_bytes()
    (prepared / "cases.csv").write_bytes(cases.replace(b"S9;", b"S9x;"))  # a new case id: the packs change
    result = run(config)
    assert result.returncode == 1 and not reused(result)  # built again
    assert "held back: changed since sent" in result.stdout and "--resend" in result.stdout
    assert len(server.handler.received) == 4
    resent = run(config, "--resend")
    assert resent.returncode == 0 and len(server.handler.received) == 8


@pytest.mark.slow
def test_too_large_a_pack_is_refused_clearly(tmp_path, prepared, server):
    config = write_config(tmp_path, prepared, server.port)
    config.write_text(config.read_text().replace("timeout = 5", "timeout = 5\nmax_size_mb = 0.01"))
    result = run(config)
    assert result.returncode == 1 and "more than max_size_mb = 0.01" in result.stdout
    assert server.handler.received == []


@pytest.mark.slow
def test_the_operator_is_told_about_failures(tmp_path, prepared, server):
    server.handler.refuse = {COMMITTEE}
    config = write_config(tmp_path, prepared, server.port, extra='operator = "drift@fjordby.dk"')
    result = run(config)
    assert result.returncode == 1
    (notice,) = server.handler.to("drift@fjordby.dk")
    assert "udvalg → udvalg@fjordby.dk: failed" in notice.message.get_content()


def test_the_password_never_sits_in_the_config(tmp_path, small_dir, server):
    config = write_config(tmp_path, small_dir, server.port)
    config.write_text(config.read_text().replace("timeout = 5", 'timeout = 5\nusername = "x"\npassword = "hemmelig"'))
    result = run(config)
    assert result.returncode == 2 and "never put the password in the config" in result.stderr


@pytest.mark.slow
def test_folder_delivery_with_the_same_ledger_semantics(tmp_path, prepared):
    home = tmp_path / "home"
    share = home / "share"
    delivery = '[delivery]\ntype = "folder"\n\n[delivery.folder]\npath = "~/share"\n'
    config = write_config(tmp_path, prepared, 0, delivery)
    env = {**os.environ, "HOME": str(home)}
    result = run(config, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    delivered = sorted(p.name for p in (share / "2024-03").glob("*.pdf"))
    assert delivered == sorted(ALL.values())
    built = tmp_path / ".ledinfo" / "packs" / "2024-03" / "udvalg.pdf"
    assert hashlib.sha256((share / "2024-03" / "udvalg.pdf").read_bytes()).digest() == \
        hashlib.sha256(built.read_bytes()).digest()
    again = run(config, env=env)
    assert again.returncode == 0 and "4 already sent" in again.stdout


@pytest.mark.slow
def test_login_beyond_ascii_to_a_server_that_offers_only_auth_login(tmp_path, prepared):
    """Exchange and Office 365 offer LOGIN, not PLAIN: a user name and password with æ, ø, å log in there too."""
    from smtp_server import Logins

    cert, key = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins = Logins("jørgen", "hemmelig-æøå")
    secure = SMTPServer(tls=context, logins=logins, mechanisms=("LOGIN",)).start()
    (tmp_path / "smtp-password").write_text("hemmelig-æøå\n", encoding="utf-8")
    try:
        delivery = f"""
[delivery]
type = "email"
attempts = 2
backoff_seconds = 0.1

[delivery.email]
host = "127.0.0.1"
port = {secure.port}
security = "starttls"
sender = "ledelsesinformation@fjordby.dk"
ca_file = "{cert.name}"
timeout = 10
username = "jørgen"
password_file = "smtp-password"
"""
        config = write_config(tmp_path, prepared, secure.port, delivery)
        result = run(config)
        assert result.returncode == 0, result.stdout + result.stderr
        assert len(secure.handler.received) == 4
        assert logins.attempts and all(ok for *_, ok in logins.attempts)
    finally:
        secure.stop()


@pytest.mark.slow
def test_what_the_server_cannot_do_is_a_permanent_failure(tmp_path, prepared):
    """A server without STARTTLS, or without a login for æ, ø, å: the same on every attempt, so not retried."""
    from smtp_server import Logins

    cert, key = self_signed_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    secure = SMTPServer(tls=context, logins=Logins("jørgen", "hemmelig"), mechanisms=()).start()
    plain = SMTPServer().start()
    try:
        delivery = f"""
[delivery]
type = "email"
attempts = 3
backoff_seconds = 0.1

[delivery.email]
host = "127.0.0.1"
port = {secure.port}
security = "starttls"
sender = "ledelsesinformation@fjordby.dk"
ca_file = "{cert.name}"
timeout = 10
username = "jørgen"
password_env = "SMTP_PASSWORD"
"""
        env = {**os.environ, "SMTP_PASSWORD": "hemmelig"}
        no_login = run(write_config(tmp_path, prepared, secure.port, delivery), env=env)
        assert no_login.returncode == 1, no_login.stdout + no_login.stderr
        assert ("the server offers no login that can carry a user name or password with letters beyond ASCII "
                "(AUTH PLAIN or LOGIN; it offers: none) (check security and username)") in no_login.stdout, no_login.stdout
        no_starttls = run(write_config(tmp_path, prepared, plain.port, delivery.replace(str(secure.port), str(plain.port))),
                          env=env)
        assert no_starttls.returncode == 1, no_starttls.stdout + no_starttls.stderr
        assert "STARTTLS extension not supported by server. (check security and username)" in no_starttls.stdout
        assert "trying again" not in no_login.stderr + no_starttls.stderr
        assert secure.handler.received == [] and plain.handler.received == []
    finally:
        secure.stop()
        plain.stop()


@pytest.mark.slow
def test_a_connection_dropped_during_the_tls_handshake_is_tried_again(tmp_path, prepared):
    """A server that closes the connection mid-handshake (restarting, overloaded): transient, unlike a TLS mismatch."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    connections = []

    def drop_each_handshake():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:  # closed at the end of the test
                return
            connections.append(connection)
            connection.recv(4096)  # the client's hello
            connection.close()

    threading.Thread(target=drop_each_handshake, daemon=True).start()
    try:
        port = listener.getsockname()[1]
        config = write_config(tmp_path, prepared, port)
        config.write_text(config.read_text().replace('security = "none"', 'security = "tls"')
                          .replace("attempts = 4", "attempts = 2"))
        result = run(config)
    finally:
        listener.close()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "TLS connection dropped during the handshake" in result.stdout, result.stdout
    assert "gave up after 2 attempts" in result.stdout, result.stdout
    assert len(connections) == 2 * len(ALL)  # two attempts for each recipient


def test_path_options_are_relative_to_the_config_and_may_start_at_home(tmp_path, monkeypatch):
    from ledinfo.plugins.delivery_email import EmailDelivery, EmailOptions

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    config_dir = tmp_path / "kommune"
    options = EmailOptions(password_file="secret", ca_file="~/ca.pem", host="~mail", port=25, sender="li@fjordby.dk")
    assert EmailDelivery().resolved(options, config_dir) == options.model_copy(update={
        "password_file": str(config_dir / "secret"), "ca_file": str(tmp_path / "home" / "ca.pem")})  # only files
    absolute = EmailOptions(ca_file="/etc/ca.pem", host="mail", sender="li@fjordby.dk")
    assert EmailDelivery().resolved(absolute, config_dir) == absolute


OWN_RECIPIENTS = """
[municipality]
name = "Småby Kommune"
[source]
type = "folder"
path = "extract"
[[packs]]
id = "udvalg"
audience = "committee"
[[packs]]
id = "team"
audience = "team_leader"
[delivery]
type = "email"
[delivery.email]
host = "smtp.fjordby.dk"
sender = "li@fjordby.dk"
[delivery.email.to]
udvalg = ["Udvalget <udvalg@fjordby.dk>", "not an address"]
[delivery.email.team_to.team]
"Børn" = ["leder.boern@fjordby.dk"]
"Unge\\u2028Bcc: evil@example.com" = ["x@fjordby.dk"]
"""


def test_the_email_deliverys_own_recipients_are_checked_by_key_path_and_used(tmp_path):
    """Recipients may be the email delivery's own settings ([delivery.email.to], [delivery.email.team_to]):
    checked with the config, before any data is read, each problem with its key path; then used."""
    from dataclasses import replace

    from ledinfo.config.file import load_config
    from ledinfo.delivery.run import recipients_of, run_settings
    from ledinfo.errors import ConfigError
    from ledinfo.interfaces.delivery import checked_options
    from ledinfo.plugin_host.manager import load_plugins
    from ledinfo.texts.content import plan_jobs

    path = tmp_path / "ledinfo.toml"
    path.write_text(OWN_RECIPIENTS, encoding="utf-8")
    result = run_cli("check", "--config", str(path))
    assert result.returncode == 2 and "has 2 problems" in result.stderr, result.stderr
    assert "delivery.email.to.udvalg[2]: 'not an address' is not a valid email address" in result.stderr
    assert ("delivery.email.team_to.team.'Unge\\u2028Bcc: evil@example.com': holds a line separator (U+2028)"
            in result.stderr), result.stderr
    path.write_text(OWN_RECIPIENTS.replace(', "not an address"', "").replace(
        '"Unge\\u2028Bcc: evil@example.com"', '"Unge"'), encoding="utf-8")
    registry = load_plugins().registry
    config = load_config(path, registry)
    delivery = registry.delivery("email")
    settings = run_settings(config)
    settings = replace(settings, options=checked_options(delivery, settings.options))
    found = recipients_of(config, plan_jobs(config, ["Børn", "Unge"]), delivery, settings)
    assert sorted(found.values()) == [["Udvalget <udvalg@fjordby.dk>"], ["leder.boern@fjordby.dk"], ["x@fjordby.dk"]]
    wrong = replace(settings, options=settings.options.model_copy(update={"to": {"udvalgg": ["u@fjordby.dk"]}}))
    with pytest.raises(ConfigError, match=r"delivery.email.to.udvalgg: the config makes no pack 'udvalgg' \(its packs: "
                                          r"team, udvalg\)"):
        recipients_of(config, plan_jobs(config, ["Børn", "Unge"]), delivery, wrong)
