"""Built-in delivery ``email``: one message per recipient through SMTP (the standard library).

STARTTLS (port 587) or implicit TLS (465) or, on a trusted relay, none; an
optional login with the password from an environment variable or a file —
never from the config. Server replies are sorted for the core's retries: 4xx
and network trouble are transient, 5xx permanent.

Every header is built by the library from checked values (``parse_address``,
``header_text_problem``: docs/delivery.md, "Headers"), the envelope names the
checked addresses only, and the message is read back before it is sent: a header
line that was not put there stops it. The password and CA files are read as
``read_confined`` reads a file (inside their folder, regular, small).
"""

from __future__ import annotations

import base64
import email.errors
import email.policy
import hashlib
import os
import re
import smtplib
import ssl
from contextlib import contextmanager
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator

from ledinfo.api import (
    Address,
    ConfigError,
    Delivery,
    FileKind,
    FileRefused,
    HeaderText,
    Language,
    OneLineText,
    Period,
    PermanentError,
    Settings,
    Stopped,
    Text,
    TransientError,
    cpr_in_message,
    header_text_problem,
    hookimpl,
    number,
    parse_address,
    read_confined,
    read_text_confined,
    whole_number,
)

# Lines up to RFC 5322's 998 characters: Python's folding of long encoded headers drops the
# space between encoded words ("teamet – Børn" arrived as "teamet  –Børn").
POLICY = email.policy.SMTP.clone(max_line_length=998)
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
# the files the options name, each read inside its folder and within a size that fits it
PASSWORD = FileKind("password file", 4 * 1024, "its first line is the password", text=True)
CA_CERTIFICATES = FileKind("CA certificate file", 2 * 1024**2, "the whole Mozilla bundle is 0.2 MB")


def _host_problem(value: str) -> str:
    if not value.strip() or any(character.isspace() for character in value):
        raise ValueError(f"{value!r} is not a host name")
    return value


HostName = Annotated[OneLineText, AfterValidator(_host_problem)]
def _pack_id(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", value):
        raise ValueError(f"{value!r} is no pack id (a [[packs]] id: lower-case letters, digits, - or _)")
    return value


# a [[packs]] id (no CPR number, as Text refuses one); that the config makes the pack is checked with the config
PackId = Annotated[Text, AfterValidator(_pack_id)]
Port = whole_number(1, 65535)
Seconds = number(0, 3600, above=True)
Megabytes = number(0, 10_000, above=True)


def _listed(value):
    """One address where a list is expected is a list of one (``udvalg = "udvalg@fjordby.dk"``)."""
    return [value] if isinstance(value, str) else value


Addresses = Annotated[list[Address], BeforeValidator(_listed)]


class EmailOptions(Settings):
    """``[delivery.email]``: the server, the sender and how to log in (the password never here)."""

    host: HostName = Field(description='the SMTP server: host = "smtp.fjordby.dk"')
    port: Port | None = Field(None, description="its port (default: 587 for starttls, 465 for tls, 25 for none)")
    security: Literal["starttls", "tls", "none"] = Field("starttls", description="starttls (default), tls "
                                                                                 "(implicit TLS) or none")
    sender: Address = Field(description='the From address: sender = "Ledelsesinfo <li@fjordby.dk>"')
    password_env: OneLineText | None = Field(None, description="the environment variable that holds the password")
    password_file: OneLineText | None = Field(None, description="a file that holds the password (first line)")
    password: None = Field(None, description="never: the password does not go in the config")
    username: OneLineText | None = Field(None, description="login name (optional; with password_env or "
                                                           "password_file)")
    ca_file: OneLineText | None = Field(None, description="a CA certificate file to trust (a municipality's own "
                                                          "CA); default: the system's")
    to: dict[PackId, Addresses] = Field({}, description="who gets each pack: [delivery.email.to] udvalg = "
                                                        "[\"udvalg@fjordby.dk\"]")
    team_to: dict[PackId, dict[HeaderText, Addresses]] = Field(
        {}, description="who gets each team's pack of a team-leader pack: [delivery.email.team_to.team] "
                        "\"Børn\" = [\"leder@fjordby.dk\"]")
    subject: HeaderText | None = Field(None, description="the subject, with {month} and {title} filled in "
                                                         "(default, in the pack's language: \"Ledelsesinformation "
                                                         "{month}: {title}\")")
    timeout: Seconds = Field(30.0, description="seconds to wait for the server (default 30)")
    max_size_mb: Megabytes = Field(10.0, description="refuse a PDF larger than this many MB (default 10)")

    @field_validator("password", mode="before")
    @classmethod
    def _never_the_password(cls, value):
        raise ValueError("never put the password in the config; use password_env (an environment variable) or "
                         "password_file")

    @field_validator("username")
    @classmethod
    def _a_login_needs_a_password(cls, value, info):
        if value and not (info.data.get("password_env") or info.data.get("password_file")):
            raise ValueError("username is set: give password_env or password_file too")
        return value


class EmailDelivery(Delivery):
    name = "email"
    description = "Email through SMTP: one message per recipient with the PDF attached."
    Options = EmailOptions

    sends_notices = True
    path_options = ("password_file", "ca_file")

    def check(self, options: EmailOptions, base_dir: Path) -> None:
        """What the options point at on this machine; all at once."""
        problems = []
        if options.password_env and options.password_env not in os.environ:
            problems.append(f"password_env: the environment variable {options.password_env} (the SMTP "
                            "password) is not set")
        if options.password_file:
            try:
                _password_in(str(base_dir / options.password_file))
            except FileRefused as refused:
                problems.append(f"password_file: {refused}")
        if options.ca_file:
            try:
                _tls_context(str(base_dir / options.ca_file))
            except FileRefused as refused:
                problems.append(f"ca_file: {refused}")
        if len(problems) == 1:
            raise ConfigError(f"[delivery.email] {problems[0]}")
        if problems:
            raise ConfigError("[delivery.email] has problems:\n" + "\n".join(f"  {p}" for p in problems))

    def addresses(self, options: EmailOptions, pack_id: str, team: str | None) -> tuple[str, ...]:
        """The pack's addresses in [delivery.email.to], or a team's in [delivery.email.team_to.<pack>]."""
        return tuple(options.team_to.get(pack_id, {}).get(team, ()) if team is not None else options.to.get(pack_id, ()))

    def teams_addressed(self, options: EmailOptions, pack_id: str) -> set[str]:
        return set(options.team_to.get(pack_id, {}))

    def pack_problems(self, options: EmailOptions, packs) -> list[str]:
        """A pack the config does not make, a pack in the table that does not fit how it is sent, and a team a
        team-leader pack limited to some teams is not made for."""
        made = ", ".join(sorted(packs)) or "none"
        problems = []
        for pack_id in options.to:
            if pack_id not in packs:
                problems.append(f"delivery.email.to.{pack_id}: the config makes no pack {pack_id!r} (its packs: "
                                f"{made})")
            elif packs[pack_id] is not None:
                problems.append(f"delivery.email.to.{pack_id}: pack {pack_id!r} is a team-leader pack, sent to each "
                                f"team: give each team's addresses under [delivery.email.team_to.{pack_id}], e.g. "
                                "\"Børn\" = [\"leder.boern@fjordby.dk\"]")
        for pack_id in options.team_to:
            if pack_id not in packs:
                problems.append(f"delivery.email.team_to.{pack_id}: the config makes no pack {pack_id!r} (its "
                                f"packs: {made})")
            elif packs[pack_id] is None:
                problems.append(f"delivery.email.team_to.{pack_id}: only a team-leader pack is sent to each team; "
                                f"give the addresses of pack {pack_id!r} as [delivery.email.to] {pack_id} = "
                                "[\"udvalg@fjordby.dk\"]")
            elif packs[pack_id]:  # the pack is made for these teams only: another cannot get it
                for team in sorted(set(options.team_to[pack_id]) - set(packs[pack_id])):
                    problems.append(f"delivery.email.team_to.{pack_id}: names team {team!r}, which pack "
                                    f"{pack_id!r} is not made for (its teams: {', '.join(packs[pack_id])})")
        return problems

    def message(self, pack: dict, options: EmailOptions) -> tuple[str, str]:
        """Subject and body of the message that carries a pack, in the pack's language."""
        t = Language(pack.get("language", "da"))
        period = Period.parse(pack["period"])
        month = t.period(period)
        title = pack["title"] + (f" – {pack['team']}" if pack.get("team") else "")
        subject = (options.subject.replace("{month}", month).replace("{title}", title) if options.subject
                   else t("Management information {month}: {title}", month=month, title=title))
        lines = [t("Hello"), "", t("Here is the management information for {month}: {title}.", month=month,
                                      title=title), ""]
        if pack.get("headlines"):
            lines.append(t("Three key figures:"))
            lines += [f"  • {line}" for line in pack["headlines"][:3]]
            lines.append("")
        lines.append(t("The figures are as of {date}. The pack is attached as a PDF.", date=t.date(period.end)))
        if pack.get("team") is not None:  # a team-leader pack: one team's cases
            lines.append(t("The pack is confidential and for the team only."))
        lines += ["", t("Sent automatically by ledinfo for {municipality}.", municipality=pack["municipality"])]
        return subject, "\n".join(lines) + "\n"

    def subject_problem(self, subject: str) -> str | None:
        """A subject goes in a mail header: the one check of a header's text, as :func:`_headed` makes it."""
        return header_text_problem(subject)

    def deliver(self, item, options: EmailOptions) -> str:
        max_bytes = options.max_size_mb * 1024 * 1024
        size = item.pdf.stat().st_size
        if size > max_bytes:
            raise PermanentError(f"the PDF is {size / 1024 / 1024:.1f} MB, more than max_size_mb = "
                                 f"{options.max_size_mb:g}")
        message, sender, recipient, data = compose(item, options.sender)
        try:
            with _session(options) as smtp:
                refused = smtp.sendmail(sender.addr_spec, [recipient.addr_spec], data)
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


    def send_notice(self, to: str, subject: str, text: str, options: EmailOptions) -> None:
        message, sender, recipient = _headed(options.sender, to, subject)
        message.set_content(text)
        data = _as_sent(message)
        with _session(options) as smtp:
            smtp.sendmail(sender.addr_spec, [recipient.addr_spec], data)


def _by_code(code: int, text) -> Exception:
    reply = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    if 400 <= code < 500:
        return TransientError(f"the server answered {code} {reply}")
    return PermanentError(f"the server answered {code} {reply}")


def _password(options: EmailOptions) -> str | None:
    if options.password_env:
        return os.environ.get(options.password_env)
    if options.password_file:
        try:
            return _password_in(options.password_file)
        except FileRefused as refused:
            raise PermanentError(f"password_file: {refused}") from None
    return None


def _password_in(path: str) -> str:
    """The first line of the password file (read inside its folder, regular, at most 4 kB)."""
    lines = read_text_confined(Path(path), PASSWORD).splitlines()
    if not lines or not lines[0].strip():
        raise FileRefused(path, "holds no password on its first line")
    return lines[0].strip()


def _tls_context(path: str | None) -> ssl.SSLContext:
    """The system's CA certificates, or the ``ca_file``'s (read inside its folder, regular, at most 2 MB)."""
    if not path:
        return ssl.create_default_context()
    data = read_confined(Path(path), CA_CERTIFICATES)
    pem = b"-----BEGIN" in data
    try:  # PEM (a bundle's comments may name an issuer in UTF-8: ssl wants ASCII and skips comments) or DER
        return ssl.create_default_context(cadata=data.decode("ascii", errors="ignore") if pem else data)
    except (ssl.SSLError, ValueError) as error:
        raise FileRefused(path, f"holds no certificate ssl can read ({getattr(error, 'reason', None) or error}); "
                                "give a PEM or DER file") from None


@contextmanager
def _session(options: EmailOptions):
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
    the signal (:func:`ledinfo.runtime.signals.received`) and stops once the ledger has it.
    """
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError, Stopped):
        pass


def _connect(options: EmailOptions) -> smtplib.SMTP:
    security = options.security
    host, port = options.host, options.port or DEFAULT_PORTS[security]
    timeout = options.timeout
    try:
        context = _tls_context(options.ca_file)
    except FileRefused as refused:
        raise PermanentError(f"ca_file: {refused}") from None
    if security == "tls":
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if security == "starttls":
            smtp.starttls(context=context)
        if options.username:
            _login(smtp, options.username, _password(options) or "")
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


def compose(item, sender: str):
    """The message for one recipient: Danish (or the pack's language) subject and body, the PDF attached.

    Returns the message, the sender's and recipient's parsed addresses (the envelope) and the
    bytes to send. The Message-ID names the period and pack and a digest of PDF and recipient.
    """
    message, from_address, to_address = _headed(sender, item.recipient, item.subject)
    message["Date"] = formatdate(localtime=False)
    unique = hashlib.sha256(f"{item.recipient}|{item.pdf_sha256}".encode()).hexdigest()[:16]
    message["Message-ID"] = make_msgid(idstring=f"{item.period}.{item.pack_id}.{unique}", domain=from_address.domain)
    message.set_content(item.body)
    message.add_attachment(item.pdf.read_bytes(), maintype="application", subtype="pdf", filename=item.pdf.name)
    _no_cpr_number(message)
    return message, from_address, to_address, _as_sent(message)


def _no_cpr_number(message: EmailMessage) -> None:
    """Refuse a message that holds a CPR number in what the settings and the data made, read whole as composed
    (each part passed its own check: a title "Orientering 250463" in a subject "{title}-7933" makes one); the
    error names the place, never the number."""
    where = cpr_in_message(message)
    if where:
        made_of = MADE_OF.get(where, "the settings or the data")
        raise PermanentError(f"{where} holds a CPR number as composed from {made_of} (not repeated here); nothing "
                             "was sent")


# what the settings and data a place in the message is made from, to name in a refusal
MADE_OF = {"the Subject header": "[delivery.email] subject, the pack's title and its team's name",
           "the attachment's file name": "the pack's id and its team's name",
           "the message's text": "the pack's title, its team's name and its key figures",
           "the From header": "[delivery.email] sender", "the To header": "the recipient's address"}


def _headed(sender: str, recipient: str, subject: str):
    """A message with From, To and Subject, each from a checked value and encoded by the library."""
    try:
        from_address, to_address = parse_address(sender), parse_address(recipient)
    except ValueError as error:  # parse_address says why an address cannot go in a header
        raise PermanentError(f"an address cannot go in the message: {error}") from None
    problem = header_text_problem(subject)
    if problem:  # the subject is not repeated: it may hold a CPR number (a mail program would decode one)
        raise PermanentError(f"the subject (from [delivery.email] subject and the pack's title) {problem}")
    message = EmailMessage(policy=POLICY)
    message["From"] = from_address
    message["To"] = to_address
    message["Subject"] = subject
    _no_cpr_number(message)  # a notice's message too
    return message, from_address, to_address


def _as_sent(message: EmailMessage) -> bytes:
    """The message as it goes to the server, read back first: the very headers set, each as set.

    The checks above keep line breaks out; this is the last word, whatever the library does with a
    value (Python's email package has written decoded line breaks into headers before).
    """
    try:
        data = message.as_bytes()
    except email.errors.MessageError as error:  # newer Pythons refuse to write a header line they did not fold
        raise PermanentError(f"the message's headers cannot be written ({error}); nothing was sent") from None
    read = BytesHeaderParser(policy=email.policy.default).parsebytes(data)
    built = [(name, str(value)) for name, value in message.items()]
    sent = [(name, str(value)) for name, value in read.items()]
    if sent != built:
        extra = [name for name, _ in sent if name not in dict(built)]
        raise PermanentError("the message's headers did not come out as built"
                             + (f" (it would carry {', '.join(extra)})" if extra else "") + "; nothing was sent")
    return data


@hookimpl
def ledinfo_register_deliveries(register):
    register(EmailDelivery())
