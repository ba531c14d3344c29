"""No CPR number leaves in a message `ledinfo run` sends: not one made by composing settings that each pass
alone (a title "Orientering 250463" in a subject "{title}-7933"), not one an error text quotes to the operator.

Against the real SMTP server on loopback the delivery tests use (:mod:`smtp_server`).
"""

import pytest

from conftest import run_cli
from ledinfo.privacy.cpr import REDACTED, contains_cpr
from smtp_server import SMTPServer
from test_run import COMMITTEE, DIRECTOR, run, write_config

TITLE, SUBJECT = "Orientering 250463", "{title}-7933"  # each alone no CPR number; composed, 250463-7933


@pytest.fixture
def server():
    smtp = SMTPServer().start()
    yield smtp
    smtp.stop()


def _email_delivery(port: int, **extra) -> dict:
    return {"type": "email", "attempts": 1, **extra,
            "email": {"host": "127.0.0.1", "port": port, "security": "none", "sender": "li@fjordby.dk",
                      "timeout": 5, "subject": SUBJECT, "to": {"udvalg": [COMMITTEE], "direktion": [DIRECTOR]}}}


def test_a_subject_that_composes_a_cpr_number_is_not_sent_and_the_other_packs_go(tmp_path, small_dir, server):
    """The run's own check of the message as composed (a Config made in code skips the config file's check)."""
    from ledinfo.api.testing import load_test_plugins
    from ledinfo.config.file import Config, PackSpec
    from ledinfo.delivery.run import FAILED, SENT, exit_code
    from ledinfo.delivery.run import run as deliver
    from ledinfo.model.period import Period

    config = Config(base_dir=tmp_path, source={"type": "folder", "path": str(small_dir)},
                    packs=(PackSpec("udvalg", "committee", title=TITLE), PackSpec("direktion", "director")),
                    delivery=_email_delivery(server.port))
    report = deliver(config, load_test_plugins().registry, Period.parse("2024-03"), workers=1)
    by_pack = {outcome.pack_id: outcome for outcome in report.outcomes}
    assert by_pack["udvalg"].status == FAILED and by_pack["direktion"].status == SENT
    assert "subject" in by_pack["udvalg"].detail and "[delivery.email] subject" in by_pack["udvalg"].detail
    assert not contains_cpr(by_pack["udvalg"].detail)  # the problem names where, never the number
    assert [r.recipients for r in server.handler.received] == [[DIRECTOR]]
    assert exit_code(report) != 0


def test_ledinfo_check_refuses_a_title_and_subject_that_compose_a_cpr_number(tmp_path, small_dir):
    config = write_config(tmp_path, small_dir, 25)
    text = config.read_text(encoding="utf-8")
    text = text.replace('id = "udvalg"\n', f'id = "udvalg"\ntitle = "{TITLE}"\n', 1)
    config.write_text(text.replace('timeout = 5\n', f'timeout = 5\nsubject = "{SUBJECT}"\n'), encoding="utf-8")
    result = run_cli("check", "--config", str(config))
    assert result.returncode == 2
    assert "delivery.email.subject: with packs[1].title, the message's subject holds a CPR number" in result.stderr
    assert not contains_cpr(result.stderr)
    config.write_text(text, encoding="utf-8")  # the title alone passes
    assert run_cli("check", "--config", str(config)).returncode == 0


def test_an_attachments_file_name_with_a_cpr_number_is_refused_before_sending(tmp_path):
    from ledinfo.api import DeliveryItem, PermanentError
    from ledinfo.plugins.delivery_email import compose

    pdf = tmp_path / "noter 250463-7933.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    item = DeliveryItem("udvalg", COMMITTEE, pdf, "2024-03", "0" * 64, "Ledelsesinformation", "Hej\n")
    with pytest.raises(PermanentError, match="the attachment's file name holds a CPR number") as refused:
        compose(item, "li@fjordby.dk")
    assert not contains_cpr(str(refused.value))
    compose(DeliveryItem("udvalg", COMMITTEE, pdf.rename(tmp_path / "udvalg.pdf"), "2024-03", "0" * 64,
                         "Ledelsesinformation", "Hej\n"), "li@fjordby.dk")  # the same message, a plain name: goes


@pytest.mark.slow
def test_the_operators_notice_is_redacted_as_the_log_is(tmp_path, prepared, server):
    """A server's reply may quote what it was sent; the operator's notice carries it as the log does."""
    server.handler.refuse, server.handler.refuse_reply = {COMMITTEE}, "550 5.1.1 barn 250463-7933 unknown"
    result = run(write_config(tmp_path, prepared, server.port, extra='operator = "drift@fjordby.dk"'))
    assert result.returncode == 1
    (notice,) = server.handler.to("drift@fjordby.dk")
    body = notice.message.get_content()
    assert f"udvalg → udvalg@fjordby.dk: failed: the server answered 550 5.1.1 barn {REDACTED} unknown" in body
    assert not contains_cpr(body) and not contains_cpr(str(notice.message["Subject"]))


def test_a_sections_exception_reaches_the_operator_redacted(tmp_path, small_dir, server):
    """A plugin's exception text is the plugin's words, data and all; the notice carries it as the log does."""
    from ledinfo.api import Section, hookimpl
    from ledinfo.api.testing import registry_with
    from ledinfo.config.file import Config, PackSpec
    from ledinfo.delivery.run import run as deliver
    from ledinfo.model.period import Period
    from ledinfo.plugins import delivery_email, source_folder

    class Broken(Section):
        name, title, description, audiences = "broken", "Broken", "Fails with a number in its words.", ("director",)

        def compute(self, context):
            raise RuntimeError("outer barn 250463-7933 and 2504637933")

    class Plugin:
        @hookimpl
        def ledinfo_register_sections(self, register):
            register(Broken())

    config = Config(base_dir=tmp_path, source={"type": "folder", "path": str(small_dir)},
                    packs=(PackSpec("direktion", "director", ("broken",)), PackSpec("udvalg", "committee")),
                    delivery=_email_delivery(server.port, operator="drift@fjordby.dk"))
    report = deliver(config, registry_with(source_folder, delivery_email, Plugin()), Period.parse("2024-03"),
                     workers=1)
    assert report.build.failed and not report.ok
    (notice,) = server.handler.to("drift@fjordby.dk")
    body = notice.message.get_content()
    assert f"outer barn {REDACTED} and {REDACTED}" in body and not contains_cpr(body)
