"""Values that go in a mail header, checked as the mail program will read them (docs/delivery.md, "Headers").

A header is one line. Python's email library decodes RFC 2047 encoded words when it is given a header value
and writes what they decode to: ``=?utf-8?q?Orientering=0D=0ABcc:_evil@example.com?=`` became a line
``Bcc: evil@example.com`` in the delivered message. So every value is checked as written and again as the
library decodes it: no line break of any kind (CR, LF, VT, FF, NEL, U+2028, U+2029) and no other control
character; and no encoded word at all, since a mail program would show it decoded, not as the pack prints it.
An address is parsed by the library's own parser (:mod:`email.headerregistry`), must be one plain address
with a domain, and must hold no CPR number (it would be stored in the delivery ledger and sent in a header).
Each value passing alone is not enough: a title "Orientering 250463" in a subject "{title}-7933" makes one, so a
composed message is read again whole (:func:`cpr_in_message`).
"""

from __future__ import annotations

import re
import unicodedata
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage

from ledinfo.outside import character_name
from ledinfo.privacy.cpr import holds_cpr

_REGISTRY = HeaderRegistry()  # what email.message.EmailMessage (the default policy) parses headers with
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")


class HeaderValueError(ValueError):
    """A value that cannot go in a mail header; the message says why (without repeating a CPR number)."""


def _breaking(text: str) -> str | None:
    """The first character of ``text`` that would break a header line or is a control character."""
    for character in text:
        if unicodedata.category(character) in ("Cc", "Zl", "Zp"):
            return character
    return None


def header_text_problem(value: str) -> str | None:
    """Why ``value`` cannot go in a mail header (a subject, a display name), or None."""
    found = _breaking(value)
    if found:
        return f"holds {character_name(found)}; it goes in a mail header, which is one line"
    try:  # decoded as the library will, whatever the text looks like ("=?utf-8?q?x =0D=0A?=" has a space)
        decoded = str(_REGISTRY("Subject", value))
    except Exception:  # noqa: BLE001 - the library's parser, fed hostile text, may raise anything
        return "cannot be read as a mail header's text"
    found = _breaking(decoded)
    if found:
        return (f"holds an encoded word (=?…?=) that a mail program decodes to {character_name(found)}; "
                "it goes in a mail header, which is one line")
    if decoded != value:
        return ("holds an encoded word (=?…?=), which a mail program shows decoded, not as written; write the "
                "text itself (ledinfo encodes what a header needs)")
    return None


# made by the library from the clock and a digest, never from a setting or the data; a Message-ID's random
# digits would read as numbers of every kind
_MACHINE_MADE = ("Date", "Message-ID")


def cpr_in_message(message: EmailMessage) -> str | None:
    """Where a composed message holds a CPR number ("the Subject header", "the attachment's file name", "the
    message's text"), or None: every header as composed (decoded, as a mail program shows it) but the machine's
    Date and Message-ID, each part's file name and its text. The answer never repeats the number."""
    found = [(f"the {name} header", str(value)) for name, value in message.items() if name not in _MACHINE_MADE]
    for part in message.walk():
        if part.get_filename() is not None:  # named before its header, the place a reader knows
            found.append(("the attachment's file name", part.get_filename()))
        elif part.get_content_maintype() == "text" and part.get_payload():  # a message still without a body: none
            found.append(("the message's text", part.get_content()))
        if part is not message:
            found += [(f"the {part.get_content_type()} part's {name} header", str(value)) for name, value in part.items()]
    return next((where for where, value in found if holds_cpr(value)), None)


def parse_address(value: str) -> Address:
    """One email address, optionally with a name (``Ledelsesinfo <li@fjordby.dk>``), parsed by the standard
    library; :class:`HeaderValueError` says what is wrong."""
    if not isinstance(value, str):
        raise HeaderValueError(f"expected an email address, got {value!r}")
    if holds_cpr(value):
        raise HeaderValueError("holds a CPR number; an address is sent in a mail header and kept in the "
                               "delivery ledger, so it may hold none (the value is not repeated here)")
    problem = header_text_problem(value)
    if problem:
        raise HeaderValueError(f"{value!r} {problem}")
    address = _only_address(value)
    if holds_cpr(address.display_name):
        raise HeaderValueError("holds a CPR number (the value is not repeated here)")
    return address


def address_problem(value) -> str | None:
    """Why ``value`` is not an email address ledinfo can send to, or None."""
    try:
        parse_address(value)
    except HeaderValueError as error:
        return str(error)
    return None


def _only_address(value: str) -> Address:
    invalid = f"{value!r} is not a valid email address"
    if value != value.strip():
        raise HeaderValueError(f"{invalid} (it starts or ends with a space)")
    try:
        header = _REGISTRY("To", value)
    except Exception:  # noqa: BLE001 - the library's parser, fed hostile text, may raise anything ("a@")
        raise HeaderValueError(invalid) from None
    if len(header.addresses) != 1 or header.groups[0].display_name is not None:
        raise HeaderValueError(f"{invalid} (give one address per entry; a name with a comma goes in quotes: "
                               '"Hansen, Mette" <meha@fjordby.dk>)')
    if header.defects:
        raise HeaderValueError(f"{invalid} ({header.defects[0]})")
    address = header.addresses[0]
    if not address.username or not address.domain:
        raise HeaderValueError(f"{invalid} (it needs a name, @ and a domain: li@fjordby.dk)")
    if not address.addr_spec.isascii():
        raise HeaderValueError(f"{invalid} (letters beyond ASCII: write the domain as the DNS has it, xn--…)")
    labels = address.domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise HeaderValueError(f"{invalid} (the domain {address.domain!r} is not a host name such as fjordby.dk)")
    return address


__all__ = ["Address", "HeaderValueError", "address_problem", "cpr_in_message", "header_text_problem",
           "parse_address"]
