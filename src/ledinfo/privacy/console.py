"""What ledinfo prints and logs never holds a CPR number (domain.md, "CPR numbers").

Messages are made from the user's data (file names, values, a plugin's error), so
rather than trusting each of them, every console stream and log record goes
through :func:`ledinfo.privacy.cpr.redact` on its way out: a CPR-shaped number in
any written form becomes ``[CPR-nummer]``.

A stream redacts whole lines: ``print("barn", "250463", "7933", sep="-")`` writes five
pieces, none of which is a CPR number, so what is written is held until its line ends
(a line feed or carriage return) or the stream is flushed, and then redacted as one.

A stream's bytes side (``sys.stdout.buffer``) is redacted too (:class:`RedactingBuffer`): click writes there
whenever the stream's encoding is ASCII (``PYTHONIOENCODING=ascii``, a C locale without UTF-8 mode: it wraps the
buffer in a text stream of its own, and every ``click.echo`` went out unredacted), and for any bytes it is given.
"""

from __future__ import annotations

import atexit
import codecs
import io
import logging
import re
import threading

from ledinfo.privacy.cpr import normalise, redact, redact_value

# a line flushed that ends so may be a CPR number's first groups (folded: any dash, slash or digit, or a digit and
# then a few characters that are no letter or digit, or one written encoded, whole or begun: "(250463)", "250463 ;",
# "250463&#4", "250463%E2"): held back
_MAY_GO_ON = re.compile(r"(?:[\-_/.\\]|\d(?:[^\w\n\r]|_|%[0-9A-Fa-f]{0,2}|=[0-9A-Fa-f]{0,2}|&#?[A-Za-z0-9]{0,32};?)"
                        r"{0,8})\Z")


class RedactingStream(io.TextIOBase):
    """A text stream that writes to ``stream`` with every CPR number redacted."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self._pending = ""  # the line begun but not ended
        self._lock = threading.Lock()  # a log handler in another thread writes too
        self._bytes: RedactingBuffer | None = None  # its bytes side, made when first asked for

    def write(self, text: str) -> int:
        if self._bytes is not None:  # what its bytes side wrote goes out first (but a line held for its digits)
            self._bytes.flush()
        with self._lock:
            pending = self._pending + text
            end = max(pending.rfind("\n"), pending.rfind("\r")) + 1
            body = pending[:end].rstrip("\r\n")
            if end and _MAY_GO_ON.search(normalise(body)):
                # the last line ends in digits: the number may go on in the next line ("250463\n7933"): held with it
                end = max(body.rfind("\n"), body.rfind("\r")) + 1
            if end:
                # the lines written at once as one value: "250463\n7933" in one print is one number (an attacker's)
                self._stream.write(redact_value(pending[:end]))
            self._pending = pending[end:]
        return len(text)

    def flush(self) -> None:
        """Write the line begun too (a prompt, a progress bar: flushed to be seen), then flush; but a line that
        ends in a digit or a separator is held until it goes on or ends: "… 250463", a flush, then "-7933" wrote a
        CPR number past a redaction of each part (an attacker's finding). A progress bar's count shows one step
        late; :meth:`finish` writes what is held as the program ends."""
        with self._lock:
            if self._pending and not _MAY_GO_ON.search(normalise(self._pending)):
                self._stream.write(redact(self._pending))
                self._pending = ""
        self._stream.flush()

    def finish(self) -> None:
        """Write the line begun, whatever it ends with (the program ends, the line with it), then flush; and what
        its bytes side holds."""
        with self._lock:
            if self._pending:
                self._stream.write(redact(self._pending))
                self._pending = ""
        self._stream.flush()
        if self._bytes is not None:
            self._bytes.finish()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self):
        return self._stream.encoding

    @property
    def errors(self):
        return self._stream.errors

    @property
    def buffer(self) -> RedactingBuffer:
        """The bytes side, redacted as the text is: click writes its text here when the stream's encoding is ASCII,
        and bytes whenever it is given them."""
        if self._bytes is None:
            self._bytes = RedactingBuffer(self._stream.buffer, before=self.flush)
        return self._bytes


class _EncodedOut(io.TextIOBase):
    """Text written as bytes to a binary stream (UTF-8; bytes that were not UTF-8 come back as they were)."""

    def __init__(self, raw) -> None:
        self._raw = raw

    def write(self, text: str) -> int:
        self._raw.write(text.encode("utf-8", "surrogateescape"))
        return len(text)

    def flush(self) -> None:
        self._raw.flush()


class RedactingBuffer(io.BufferedIOBase):
    """A binary stream that writes to ``raw`` with every CPR number redacted: the bytes read as UTF-8 (any other
    byte kept as it is), held and redacted a whole line at a time as :class:`RedactingStream` does, and written as
    the same bytes but the numbers. ``before``: called before each write (the text side flushed first, so the two
    sides keep their order; a line either holds back because it ends in digits waits for its own side's next line,
    or the program's end)."""

    def __init__(self, raw, before=None) -> None:
        self._raw = raw
        self._before = before or (lambda: None)
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")  # a character split over writes
        self._lines = RedactingStream(_EncodedOut(raw))

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._before()
        self._lines.write(self._decoder.decode(bytes(data)))
        return len(data)

    def flush(self) -> None:
        self._lines.flush()

    def finish(self) -> None:
        self._lines.write(self._decoder.decode(b"", final=True))
        self._lines.finish()

    def isatty(self) -> bool:
        return self._raw.isatty()

    def fileno(self) -> int:
        return self._raw.fileno()


class RedactingFilter(logging.Filter):
    """Redacts a record's message (with its arguments) before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact_value(message)  # one record, one value: a number across its line breaks too
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_text:
            record.exc_text = redact_value(record.exc_text)
        return True


def redact_console(sys_module) -> None:
    """Wrap ``sys.stdout`` and ``sys.stderr`` (once); what a stream holds back is written as the program ends
    (:func:`finish_console` where it leaves without the interpreter's exit handlers)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys_module, name)
        if stream is not None and not isinstance(stream, RedactingStream):
            wrapped = RedactingStream(stream)
            setattr(sys_module, name, wrapped)
            atexit.register(wrapped.finish)


def finish_console(sys_module) -> None:
    """Write what the console streams hold back (:meth:`RedactingStream.finish`), then flush them."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys_module, name)
        if isinstance(stream, RedactingStream):
            stream.finish()
        elif stream is not None:
            stream.flush()


__all__ = ["RedactingBuffer", "RedactingFilter", "RedactingStream", "finish_console", "redact_console"]
