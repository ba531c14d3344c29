"""A real SMTP server on loopback for the delivery tests (aiosmtpd), with switches for trouble."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    sender: str  # the envelope's MAIL FROM
    recipients: list[str]  # the envelope's RCPT TO
    message: Message
    raw: bytes = b""  # as it came over the wire

    def header_lines(self) -> list[str]:
        """The header block's lines as sent (a folded header continues on a line starting with a space)."""
        return self.raw.split(b"\r\n\r\n", 1)[0].decode("ascii").split("\r\n")

    def attachment(self) -> tuple[str, bytes]:
        for part in self.message.walk():
            if part.get_content_type() == "application/pdf":
                return part.get_filename(), part.get_payload(decode=True)
        raise AssertionError("no PDF attached")


@dataclass
class Handler:
    """Accepts mail like a real server, unless told to be difficult."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # these recipients get 550
    refuse_reply: str = "550 5.1.1 No such user here"  # what they get (a server may quote what it was sent)
    busy_replies: int = 0  # the first N messages get 451
    hold_after: int | None = None  # after N messages, hold every new RCPT until released
    hold_reply: int | None = None  # the Nth message is received, but its "250" waits until released
    holding: int = 0  # replies being held now
    quit_reply: str = "221 Bye"  # what QUIT gets
    hold_quit: int | None = None  # the Nth QUIT's reply waits until released
    quits: int = 0
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse_reply
        if self.hold_after is not None and len(self.received) >= self.hold_after:
            await self._hold()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.busy_replies > 0:
                self.busy_replies -= 1
                return "451 4.3.0 Try again later"
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          email.message_from_bytes(envelope.content, policy=email.policy.default),
                                          envelope.content))
            held = len(self.received) == self.hold_reply
        if held:
            await self._hold()
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        self.quits += 1
        if self.quits == self.hold_quit:
            await self._hold()
        return self.quit_reply

    async def _hold(self) -> None:
        import asyncio

        self.holding += 1
        try:
            while not self.released.is_set():
                await asyncio.sleep(0.05)
        finally:
            self.holding -= 1

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


class Logins:
    """aiosmtpd's authenticator: one user and password; remembers every attempt."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password
        self.attempts: list[tuple[str, str, bool]] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        user, password = auth_data.login.decode(), auth_data.password.decode()
        ok = (user, password) == (self.user, self.password)
        self.attempts.append((user, password, ok))
        return AuthResult(success=ok, handled=False)  # aiosmtpd sends 235 or 535


class SMTPServer:
    def __init__(self, handler: Handler | None = None, tls: ssl.SSLContext | None = None, port: int | None = None,
                 logins: Logins | None = None, mechanisms: tuple[str, ...] | None = None):
        self.handler = handler or Handler()
        self.port = port or free_port()
        kwargs = {"tls_context": tls, "require_starttls": True} if tls else {}
        if logins:  # login required, and only after STARTTLS (aiosmtpd's default)
            kwargs |= {"authenticator": logins, "auth_required": True}
        if mechanisms is not None:  # offer only these (aiosmtpd offers PLAIN and LOGIN)
            kwargs["auth_exclude_mechanism"] = {"PLAIN", "LOGIN"} - set(mechanisms)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    def start(self, delay: float = 0.0) -> SMTPServer:
        if delay:
            threading.Timer(delay, self.controller.start).start()
        else:
            self.controller.start()
        return self

    def stop(self) -> None:
        try:
            self.handler.released.set()
            self.controller.stop()
        except AssertionError:  # never started
            pass


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1/localhost, made with the cryptography package."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
                   .not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                               x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def wait_for(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False
