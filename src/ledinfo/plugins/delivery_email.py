"""Built-in delivery ``email``: one message per recipient through SMTP (the standard library).

STARTTLS (port 587) or implicit TLS (465) or, on a trusted relay, none; an
optional login with the password from an environment variable or a file —
never from the config. Server replies are sorted for the core's retries: 4xx
and network trouble are transient, 5xx permanent.
"""

from __future__ import annotations

import base64
import email.policy
import os
import smtplib
import ssl
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from ledinfo.api import ConfigError, Delivery, PermanentError, Stopped, TransientError, hookimpl

SECURITY = ("starttls", "tls", "none")
# Lines up to RFC 5322's 998 characters: Python's folding of long encoded headers drops the
# space between encoded words ("teamet – Børn" arrived as "teamet  –Børn").
POLICY = email.policy.SMTP.clone(max_line_length=998)
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


class EmailDelivery(Delivery):
    name = "email"
    description = "Email through SMTP: one message per recipient with the PDF attached."
    options = {
        "host": "the SMTP server",
        "port": "its port (default: 587 for starttls, 465 for tls, 25 for none)",
        "security": "starttls (default), tls (implicit TLS) or none",
        "sender": "the From address",
        "username": "login name (optional)",
        "password_env": "the environment variable that holds the password",
        "password_file": "a file that holds the password (first line)",
        "ca_file": "a CA certificate file to trust (a municipality's own CA); default: the system's",
        "timeout": "seconds to wait for the server (default 30)",
        "max_size_mb": "refuse a PDF larger than this many MB (default 10)",
    }

    sends_notices = True
    path_options = ("password_file", "ca_file")

    def option_problems(self, options: dict) -> list[tuple[str, str]]:
        return [(k, m) for k, m in super().option_problems(options) if k != "password"] + option_problems(options)

    def check(self, options: dict, base_dir: Path) -> None:
        """The options and what they point at on this machine; all at once."""
        problems = [f"{key}: {message}" for key, message in self.option_problems(options)]
        if options.get("password_env") and options["password_env"] not in os.environ:
            problems.append(f"password_env: the environment variable {options['password_env']} (the SMTP "
                            "password) is not set")
        for key in self.path_options:
            if options.get(key) and not (base_dir / options[key]).is_file():
                problems.append(f"{key}: {base_dir / options[key]} does not exist")
        if len(problems) == 1:
            raise ConfigError(f"[delivery.email] {problems[0]}")
        if problems:
            raise ConfigError("[delivery.email] has problems:\n" + "\n".join(f"  {p}" for p in problems))

    def deliver(self, item, options) -> str:
        max_bytes = float(options.get("max_size_mb", 10)) * 1024 * 1024
        size = item.pdf.stat().st_size
        if size > max_bytes:
            raise PermanentError(f"the PDF is {size / 1024 / 1024:.1f} MB, more than max_size_mb = "
                                 f"{options.get('max_size_mb', 10)}")
        message = compose(item, options["sender"])
        try:
            with _session(options) as smtp:
                refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise _by_code(code, text) from None
        except smtplib.SMTPAuthenticationError as error:
            raise PermanentError(f"login refused ({error.smtp_code}): check username and password") from None
        except smtplib.SMTPResponseException as error:
            raise _by_code(error.smtp_code, error.smtp_error) from None
        # a connection dropped in the handshake is the network's trouble (or a server that is restarting),
        # not a mismatch of security, port or certificate, which every other TLS error is
        except ssl.SSLEOFError as error:
            raise TransientError(f"TLS connection dropped during the handshake ({error.reason or error})") from None
        except ssl.SSLError as error:
            raise PermanentError(f"TLS failed ({error.reason or error}); check security, port and ca_file") from None
        except smtplib.SMTPServerDisconnected as error:
            raise TransientError(f"{type(error).__name__}: {error}") from None
        # before OSError, which every SMTPException is: what the server cannot do (no STARTTLS, no AUTH, no
        # login method we share) is the same on the next attempt
        except smtplib.SMTPException as error:
            raise PermanentError(f"{error} (check security and username)") from None
        except OSError as error:  # refused, reset, timed out, no such host: the network's trouble
            raise TransientError(f"{type(error).__name__}: {error}") from None
        if refused:
            code, text = next(iter(refused.values()))
            raise _by_code(code, text)
        return message["Message-ID"]


    def send_notice(self, to: str, subject: str, text: str, options: dict) -> None:
        message = EmailMessage(policy=POLICY)
        message["From"] = options["sender"]
        message["To"] = to
        message["Subject"] = subject
        message.set_content(text)
        with _session(options) as smtp:
            smtp.send_message(message)


def option_problems(options: dict) -> list[tuple[str, str]]:
    """(key, problem) for each value the config gets wrong."""
    problems = []
    for required in ("host", "sender"):
        if not options.get(required):
            problems.append((required, f"missing: [delivery.email] needs {required} = \"...\""))
    if isinstance(options.get("host"), str) and (not options["host"].strip() or any(c.isspace() for c in options["host"])):
        problems.append(("host", f"{options['host']!r} is not a host name"))
    if options.get("security", "starttls") not in SECURITY:
        problems.append(("security", f"must be one of {', '.join(SECURITY)}"))
    if "password" in options:
        problems.append(("password", "never put the password in the config; use password_env (an environment "
                                     "variable) or password_file"))
    if options.get("username") and not (options.get("password_env") or options.get("password_file")):
        problems.append(("username", "username is set: give password_env or password_file too"))
    port = options.get("port")
    if port is not None and (isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535):
        problems.append(("port", f"must be a whole number from 1 to 65535, got {port!r}"))
    for key in ("timeout", "max_size_mb"):
        value = options.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0):
            problems.append((key, f"must be a positive number, got {value!r}"))
    return problems


def _by_code(code: int, text) -> Exception:
    reply = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if 400 <= code < 500:
        return TransientError(f"the server answered {code} {reply}")
    return PermanentError(f"the server answered {code} {reply}")


def _password(options: dict) -> str | None:
    if options.get("password_env"):
        return os.environ.get(options["password_env"])
    if options.get("password_file"):
        return Path(options["password_file"]).read_text(encoding="utf-8").splitlines()[0].strip()
    return None


@contextmanager
def _session(options: dict):
    """An SMTP connection that ends with QUIT only if the work in it went well.

    Not ``with smtplib.SMTP(...)``: its exit sends QUIT after an error too and raises if the
    reply is not 221. Interrupted while waiting for a reply (a stop signal, a timeout), the
    next reply it reads is the one it was waiting for ("250 Message accepted"), so the
    interruption was replaced by a made-up delivery failure. A message the server accepted
    is delivered whatever QUIT gets back.
    """
    smtp = _connect(options)
    try:
        yield smtp
        _quit(smtp)
    finally:
        smtp.close()


def _quit(smtp: smtplib.SMTP) -> None:
    """QUIT once the work is done: nothing it meets undoes an accepted message.

    A stop signal that lands here is not raised through ``deliver``: that would keep the
    accepted message out of the ledger, and the rerun would send it again. ledinfo keeps
    the signal (:func:`ledinfo.pipeline.signals.received`) and stops once the ledger has it.
    """
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError, Stopped):
        pass


def _connect(options: dict) -> smtplib.SMTP:
    security = options.get("security", "starttls")
    host, port = options["host"], int(options.get("port", DEFAULT_PORTS[security]))
    timeout = float(options.get("timeout", 30))
    context = ssl.create_default_context(cafile=options.get("ca_file") or None)
    if security == "tls":
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if security == "starttls":
            smtp.starttls(context=context)
        if options.get("username"):
            _login(smtp, options["username"], _password(options) or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib's login, except for a user or password beyond ASCII ("æ", "ø", "å"), which it cannot send.

    Those go in UTF-8: as SASL PLAIN (RFC 4616), or as LOGIN where the server offers only
    that (Exchange, Office 365), as smtplib would. Nothing here is logged.
    """
    if (user + password).isascii():
        smtp.login(user, password)
        return
    smtp.ehlo_or_helo_if_needed()
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" in offered:
        code, reply = smtp.docmd("AUTH", "PLAIN " + _base64(f"\0{user}\0{password}"))
    elif "LOGIN" in offered:
        code, reply = smtp.docmd("AUTH", "LOGIN")
        for answer in (user, password):
            if code != 334:
                break
            code, reply = smtp.docmd(_base64(answer))
    else:
        raise smtplib.SMTPNotSupportedError(
            f"the server offers no login that can carry a user name or password with letters beyond ASCII "
            f"(AUTH PLAIN or LOGIN; it offers: {' '.join(offered) or 'none'})")
    if code not in (235, 503):  # 503: already logged in
        raise smtplib.SMTPAuthenticationError(code, reply)


def _base64(text: str) -> str:
    return base64.b64encode(text.encode()).decode("ascii")


def compose(item, sender: str) -> EmailMessage:
    """The message for one recipient: Danish (or the pack's language) subject and body, the PDF attached.

    The Message-ID is derived from the pack, period, PDF and recipient, so the same
    delivery always carries the same id (a recipient's mail system can see a resend).
    """
    message = EmailMessage(policy=POLICY)
    message["From"] = sender
    message["To"] = item.recipient
    message["Subject"] = item.subject
    message["Date"] = formatdate(localtime=False)
    domain = sender.rsplit("@", 1)[-1]
    import hashlib

    unique = hashlib.sha256(f"{item.recipient}|{item.pdf_sha256}".encode()).hexdigest()[:16]
    message["Message-ID"] = make_msgid(idstring=f"{item.period}.{item.pack_id}.{unique}", domain=domain)
    message.set_content(item.body)
    message.add_attachment(item.pdf.read_bytes(), maintype="application", subtype="pdf", filename=item.pdf.name)
    return message


@hookimpl
def ledinfo_register_deliveries(register):
    register(EmailDelivery())
