"""Every mail header is built from checked values: a real SMTP server on loopback reads each message back.

Issue 22: ``title = "=?utf-8?q?Orientering=0D=0ABcc:_evil@example.com?="`` passed the config's one-line check,
and the delivered message carried a ``Bcc: evil@example.com`` line (Python's email library decodes the encoded
word and writes its CR LF); the same through a team name; a recipient ``250463-7933@lilleby.dk`` went into the
``To:`` header and the delivery ledger. The messages here are made from a tiny prepared pack (a PDF file and the
pack's JSON), as ``ledinfo run`` makes them, and sent through the email delivery to the server.
"""

import email.policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from conftest import run_cli
from ledinfo.config.file import load_config
from ledinfo.errors import ConfigError
from ledinfo.interfaces.delivery import DeliveryItem, PermanentError
from ledinfo.plugins.delivery_email import POLICY, EmailDelivery, _as_sent
from smtp_server import SMTPServer

SENDER = "ledelsesinformation@fjordby.dk"
# what decodes to a line break, each a way seen or tried: CR LF, a space inside the word, base64, U+2028, NEL
HOSTILE = ["=?utf-8?q?Orientering=0D=0ABcc:_evil@example.com?=",
           "=?utf-8?q?Orientering =0D=0ABcc:_evil@example.com?=",
           "=?UTF-8?B?T3JpZW50ZXJpbmcNCkJjYzogZXZpbEBleGFtcGxlLmNvbQ==?=",
           "=?utf-8?q?Orientering=E2=80=A8Bcc:_evil@example.com?=",
           "Orientering\u2028Bcc: evil@example.com",
           "Orientering\u0085Bcc: evil@example.com"]


@pytest.fixture(scope="module")
def server():
    smtp = SMTPServer().start()
    yield smtp
    smtp.stop()


@pytest.fixture
def received(server):
    server.handler.received.clear()
    return server.handler.received


def options(server, sender: str = SENDER):
    from ledinfo.plugins.delivery_email import EmailOptions

    # model_construct: the sender as given, unchecked (the defaults filled in), so that what is tested is the
    # delivery's own last check, not the config's
    return EmailOptions.model_construct(host="127.0.0.1", port=server.port, security="none", sender=sender,
                                        timeout=5.0)


def options_for_message():
    from ledinfo.plugins.delivery_email import EmailOptions

    return EmailOptions(host="smtp.fjordby.dk", sender=SENDER)


def item(tmp_path: Path, recipient: str, team: str | None = "Børn", title: str = "Ledelsesinformation til teamet"
         ) -> DeliveryItem:
    """One prepared pack for one recipient: subject and body made as `ledinfo run` makes them."""
    pdf = tmp_path / "team-boern.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% a tiny prepared pack\n%%EOF\n")
    pack = {"language": "da", "period": "2024-03", "title": title, "team": team, "audience": "team_leader",
            "municipality": "Småby Kommune", "headlines": ["7 aktive sager"]}
    subject, body = EmailDelivery().message(pack, options_for_message())
    return DeliveryItem("team-boern", recipient, pdf, "2024-03", "0" * 64, subject, body, "team_leader", team)


def test_the_subject_arrives_as_built_encoded_by_the_library_and_alone(tmp_path, server, received):
    sent = item(tmp_path, "leder.boern@fjordby.dk")
    receipt = EmailDelivery().deliver(sent, options(server))
    (mail,) = received
    assert mail.message["Subject"] == sent.subject == "Ledelsesinformation marts 2024: Ledelsesinformation til teamet – Børn"
    subject_line = next(line for line in mail.header_lines() if line.startswith("Subject:"))
    assert "=?utf-8?" in subject_line  # "–" and "ø" encoded by the library; the header block is ASCII
    names = [line.split(":")[0] for line in mail.header_lines() if not line.startswith((" ", "\t"))]
    assert sorted(names) == ["Content-Type", "Date", "From", "MIME-Version", "Message-ID", "Subject", "To"]
    assert mail.message["Message-ID"] == receipt and receipt.endswith("@fjordby.dk>")
    assert mail.attachment() == ("team-boern.pdf", sent.pdf.read_bytes())


@pytest.mark.parametrize("team", HOSTILE)
def test_a_subject_that_would_break_its_line_is_never_sent(tmp_path, server, received, team):
    with pytest.raises(PermanentError, match="the subject .* mail header, which is one line"):
        EmailDelivery().deliver(item(tmp_path, "leder.boern@fjordby.dk", team=team), options(server))
    assert received == []


def test_the_recipients_name_is_encoded_by_the_library_and_the_envelope_names_the_address_only(tmp_path, server,
                                                                                               received):
    EmailDelivery().deliver(item(tmp_path, "Søren Ærø <soeren@fjordby.dk>"), options(server))
    (mail,) = received
    assert mail.recipients == ["soeren@fjordby.dk"]  # RCPT TO: the parsed address, nothing else
    assert mail.message["To"].addresses[0].display_name == "Søren Ærø"
    assert mail.message["To"].addresses[0].addr_spec == "soeren@fjordby.dk"
    to_line = next(line for line in mail.header_lines() if line.startswith("To:"))
    assert to_line.startswith("To: =?utf-8?") and to_line.endswith("<soeren@fjordby.dk>")


@pytest.mark.parametrize("recipient", ["=?utf-8?q?S=C3=B8ren=0D=0ABcc:_evil@example.com?= <soeren@fjordby.dk>",
                                       "soeren@fjordby.dk\r\nBcc: evil@example.com",
                                       "soeren@fjordby.dk, evil@example.com",
                                       "250463-7933@lilleby.dk"])
def test_a_recipient_that_is_not_one_clean_address_is_never_sent_to(tmp_path, server, received, recipient):
    with pytest.raises(PermanentError, match="an address cannot go in the message") as caught:
        EmailDelivery().deliver(item(tmp_path, recipient), options(server))
    assert "7933" not in str(caught.value)  # a CPR number is never repeated
    assert received == []


def test_the_senders_name_is_encoded_by_the_library_and_the_envelope_names_the_address_only(tmp_path, server,
                                                                                            received):
    EmailDelivery().deliver(item(tmp_path, "leder.boern@fjordby.dk"),
                            options(server, '"Ledelsesinformation, Børn og Unge" <li@fjordby.dk>'))
    (mail,) = received
    assert mail.sender == "li@fjordby.dk"  # MAIL FROM
    assert mail.message["From"].addresses[0].display_name == "Ledelsesinformation, Børn og Unge"
    from_line = next(line for line in mail.header_lines() if line.startswith("From:"))
    assert from_line.startswith("From: =?utf-8?") and from_line.endswith("<li@fjordby.dk>")
    assert mail.message["Message-ID"].endswith("@fjordby.dk>")  # the domain of the address, not of the name
    with pytest.raises(PermanentError, match=r"one address per entry; a name with a comma goes in quotes"):
        EmailDelivery().deliver(item(tmp_path, "leder.boern@fjordby.dk"),
                                options(server, "Ledelsesinformation, Børn og Unge <li@fjordby.dk>"))
    assert len(received) == 1


def test_the_operators_notice_has_the_same_headers(server, received):
    delivery = EmailDelivery()
    delivery.send_notice("Drift <drift@fjordby.dk>", "ledinfo: problems in the run for 2024-03", "1 failed\n",
                         options(server))
    (mail,) = received
    assert mail.recipients == ["drift@fjordby.dk"] and mail.sender == SENDER
    assert mail.message["Subject"] == "ledinfo: problems in the run for 2024-03"
    assert not any(line.startswith(("Bcc", "Cc")) for line in mail.header_lines())
    with pytest.raises(PermanentError):
        delivery.send_notice("drift@fjordby.dk", HOSTILE[0], "x\n", options(server))
    assert len(received) == 1


def test_the_message_is_read_back_before_it_is_sent_and_an_injected_line_stops_it():
    """The last word, whatever the checks before it: the library itself, given an encoded word, writes a line
    of its own (Python 3.11.7 does); the headers read back must be the very headers set."""
    message = EmailMessage(policy=POLICY)
    message["From"], message["To"] = SENDER, "leder.boern@fjordby.dk"
    message["Subject"] = HOSTILE[0]  # past every check, straight into the library
    message.set_content("x")
    with pytest.raises(PermanentError, match="did not come out as built"):
        _as_sent(message)
    clean = EmailMessage(policy=POLICY)
    clean["From"], clean["To"], clean["Subject"] = SENDER, "leder.boern@fjordby.dk", "Orientering – Børn"
    clean.set_content("x")
    assert email.message_from_bytes(_as_sent(clean), policy=email.policy.default)["Subject"] == "Orientering – Børn"


# --- refused when the config is read, each with its key path ---------------------------------------------

CONFIG = """
[municipality]
name = "Småby Kommune"
[source]
type = "folder"
path = "extract"
[[packs]]
id = "udvalg"
audience = "committee"
title = "=?utf-8?q?Orientering=0D=0ABcc:_evil@example.com?="
[[packs]]
id = "team"
audience = "team_leader"
[delivery]
type = "email"
operator = "250463 7933@fjordby.dk"
[delivery.email]
host = "smtp.fjordby.dk"
sender = "=?utf-8?b?TGVkZWxzZQ0KQmNjOiBldmlsQGV4YW1wbGUuY29t?= <li@fjordby.dk>"
[delivery.email.to]
udvalg = ["250463-7933@lilleby.dk", "=?utf-8?q?Udvalg=0A?= <udvalg@fjordby.dk>", "udvalg@fjordby.dk"]
[delivery.email.team_to.team]
"=?utf-8?q?Unge=0D=0ABcc:_evil@example.com?=" = ["unge@fjordby.dk"]
"Unge\u2028Bcc: evil@example.com" = ["unge@fjordby.dk"]
"Børn" = ["boern@fjordby.dk", "Leder <leder@fjordby>"]
"""


def test_every_header_value_is_checked_when_the_config_is_read_and_named_by_its_key(tmp_path):
    from ledinfo.plugin_host.manager import load_plugins

    path = tmp_path / "ledinfo.toml"
    path.write_text(CONFIG, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, load_plugins().registry)
    message = str(caught.value)
    decodes = "holds an encoded word (=?…?=) that a mail program decodes to"
    for expected in (f"packs[1].title: {decodes} a carriage return (CR)",
                     "delivery.email.to.udvalg[1]: holds a CPR number",
                     f"delivery.email.to.udvalg[2]: '=?utf-8?q?Udvalg=0A?= <udvalg@fjordby.dk>' {decodes} a line "
                     "break (LF)",
                     f"delivery.email.team_to.team.=?utf-8?q?Unge=0D=0ABcc:_evil@example.com?=: {decodes} a carriage "
                     "return (CR)",
                     "delivery.email.team_to.team.'Unge\\u2028Bcc: evil@example.com': holds a line separator "
                     "(U+2028)",
                     "delivery.email.team_to.team.Børn[2]: 'Leder <leder@fjordby>' is not a valid email address (the "
                     "domain 'fjordby' is not a host name",
                     "delivery.operator: holds a CPR number",
                     f"delivery.email.sender: '=?utf-8?b?TGVkZWxzZQ0KQmNjOiBldmlsQGV4YW1wbGUuY29t?= <li@fjordby.dk>' "
                     f"{decodes} a carriage return (CR)"):
        assert expected in message, (expected, message)
    assert "has 8 problems" in message, message
    assert "7933" not in message  # the CPR numbers are never repeated


def test_a_recipient_with_a_cpr_number_stops_the_run_and_never_reaches_the_ledger(tmp_path, small_dir, server,
                                                                                  received):
    config = tmp_path / "ledinfo.toml"
    config.write_text(f"""
[municipality]
name = "Småby Kommune"
[source]
type = "folder"
path = "{small_dir}"
[[packs]]
id = "udvalg"
audience = "committee"
sections = ["six_week_followup"]
[delivery]
type = "email"
[delivery.email]
host = "127.0.0.1"
port = {server.port}
security = "none"
sender = "{SENDER}"
[delivery.email.to]
udvalg = ["250463-7933@lilleby.dk"]
""", encoding="utf-8")
    result = run_cli("run", "--config", str(config), "--period", "2024-03", "--jobs", "1")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "delivery.email.to.udvalg[1]: holds a CPR number" in result.stderr
    assert "7933" not in result.stdout + result.stderr
    assert received == [] and not (tmp_path / ".ledinfo").exists()  # no ledger, no packs


def test_a_team_name_in_the_extract_that_would_break_the_subject_stops_the_run_before_anything_is_built(
        tmp_path, small_dir, server, received):
    team = "=?utf-8?q?Unge=0D=0ABcc:_evil@example.com?="
    for table in ("staff.csv", "cases.csv"):
        path = small_dir / table
        path.write_text(path.read_text(encoding="utf-8").replace("Unge", team), encoding="utf-8")
    config = tmp_path / "ledinfo.toml"
    config.write_text(f"""
[municipality]
name = "Småby Kommune"
[source]
type = "folder"
path = "{small_dir}"
[[packs]]
id = "team"
audience = "team_leader"
sections = ["six_week_followup"]
[delivery]
type = "email"
[delivery.email]
host = "127.0.0.1"
port = {server.port}
security = "none"
sender = "{SENDER}"
[delivery.email.team_to.team]
"Børn" = ["boern@fjordby.dk"]
""", encoding="utf-8")
    result = run_cli("run", "--config", str(config), "--period", "2024-03", "--jobs", "1")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (f"pack 'team': the extract's team name '{team}' goes in the mail subject and holds an encoded word "
            "(=?…?=) that a mail program decodes to a carriage return (CR)") in result.stderr
    assert "nothing was built or sent" in result.stderr
    assert received == [] and not (tmp_path / ".ledinfo" / "packs").exists()


def test_the_message_text_is_the_email_deliverys_own_setting():
    """Subject and body belong to the email delivery: [delivery.email] subject, checked as a header's text with
    the rest of its options, with {month} and {title} filled in; the body in the pack's language."""
    from ledinfo.model.settings import check_settings
    from ledinfo.plugins.delivery_email import EmailOptions

    pack = {"language": "da", "period": "2024-03", "title": "Ledelsesinformation til teamet", "team": "Børn",
            "audience": "team_leader", "municipality": "Småby Kommune", "headlines": []}
    own = EmailOptions(host="smtp.fjordby.dk", sender=SENDER, subject="LI {month}: {title}")
    subject, body = EmailDelivery().message(pack, own)
    assert subject == "LI marts 2024: Ledelsesinformation til teamet – Børn"
    assert "fortrolig" in body and "Småby Kommune" in body
    assert EmailDelivery().message(pack, options_for_message())[0].startswith("Ledelsesinformation marts 2024")
    _, problems = check_settings(EmailOptions, {"host": "smtp.fjordby.dk", "sender": SENDER,
                                                "subject": "LI {month}\r\nBcc: evil@example.com"}, "delivery.email")
    assert problems == ["delivery.email.subject: holds a carriage return (CR) at character 11; a setting is one "
                        "line of text"]


def test_an_encoded_word_made_of_the_subject_and_a_title_is_refused_where_the_config_is_checked(tmp_path):
    """Each part passes alone ("=?utf-8?q?{title}" has no end, "Orientering?=" no start), but the subject composed
    of them is an encoded word, which the email delivery refused only as it sent: a cron job learnt it at 06:00.
    `ledinfo check` and the start of a build refuse it now, naming the file, the settings and the reason."""
    config = tmp_path / "ledinfo.toml"
    config.write_text(f"""
[municipality]
name = "Småby Kommune"
[source]
type = "demo"
[[packs]]
id = "udvalg"
audience = "committee"
title = "Orientering?="
sections = ["notifications"]
[delivery]
type = "email"
[delivery.email]
host = "smtp.fjordby.dk"
sender = "{SENDER}"
subject = "=?utf-8?q?{{title}}"
[delivery.email.to]
udvalg = ["udvalg@fjordby.dk"]
""", encoding="utf-8")
    wanted = ("delivery.email.subject: with packs[1].title, the message's subject as composed holds an encoded word "
              "(=?…?=), which a mail program shows decoded")
    for command in (["check"], ["build", "--period", "2024-03", "--out", str(tmp_path / "out")]):
        result = run_cli(*command, "--config", str(config))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "The configuration" in result.stderr and "ledinfo.toml has 1 problem" in result.stderr, result.stderr
        assert wanted in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()
    # the delivery's own check when it sends is the same one
    assert EmailDelivery().subject_problem("=?utf-8?q?Orientering?=") is not None
