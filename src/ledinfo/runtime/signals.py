"""Stopping on SIGTERM and Ctrl-C: workers gone at once, the output folder whole, one line to say so.

The command line installs :func:`install`. A stop signal then kills the worker
processes (they could run for seconds more) and raises :class:`Stopped` in the
main thread. It is no ``Exception``, so the code that keeps one pack's failure
from stopping the others lets it through. On its way out, each open output folder
(:class:`ledinfo.runtime.staging.Output`) adds what it now holds to ``outputs``, so the
message tells the truth. A signal that arrives while a build is being swapped in
(:func:`uninterrupted`) waits until the swap is done; one that arrives while this
process talks to its workers (:func:`raised_after`) kills them at once, and
:class:`Stopped` is raised when that is done, as an exception raised there could leave a
lock held that the pool's own thread needs.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

_deferred = 0  # blocks that hold a stop back whole (uninterrupted)
_held = 0  # blocks that take a stop's actions at once and hold back only its exception (raised_after)
_pending: int | None = None
_received: int | None = None  # the stop signal that came, kept: code on its way out may swallow the exception


class Stopped(BaseException):
    """The process was asked to stop (SIGTERM, SIGINT)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.outputs: list[str] = []

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # what a shell reports for a process ended by that signal

    def message(self) -> str:
        where = "; ".join(self.outputs)
        return f"ledinfo: stopped by {signal.Signals(self.signum).name}" + (f"; {where}" if where else "")


_on_stop: list = []  # what a stop signal does first: kill the worker processes (ledinfo.runtime.workers adds that)


def on_stop(action) -> None:
    """Run ``action()`` when a stop signal comes, before :class:`Stopped` is raised (it must take no locks)."""
    if action not in _on_stop:
        _on_stop.append(action)


def _act(signum: int) -> None:
    """What a stop signal does before anything is raised: kept, and the workers killed."""
    global _received
    _received = signum
    for action in _on_stop:
        action()


def _stop(signum: int) -> None:
    global _pending
    _pending = None
    _act(signum)
    raise Stopped(signum)


def raise_if_stopped() -> None:
    """Stop again if a stop signal came and something swallowed the :class:`Stopped` it raised.

    A library's clean-up that raises on its way out replaces the exception in flight
    (smtplib's ``with`` did: its QUIT read an earlier reply and raised
    ``SMTPResponseException``), and a plugin may catch too much. The loops that go on
    after one item's failure call this first, so such a failure is never taken for the
    item's own and the work after it is not done.
    """
    if _received is not None:
        raise Stopped(_received)


def received() -> int | None:
    """The stop signal this process got, if any."""
    return _received


def _handler(signum, frame) -> None:
    global _pending
    if _deferred:
        _pending = signum
        return
    if _held:
        _act(signum)
        _pending = signum
        return
    _stop(signum)


def install() -> None:
    signal.signal(signal.SIGTERM, _handler)
    signal.signal(signal.SIGINT, _handler)


def ignore_stop_signals() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def uninterrupted():
    """Hold a stop signal back until the block is done, then stop."""
    global _deferred
    _deferred += 1
    try:
        yield
    finally:
        _deferred -= 1
        _stop_if_pending()


@contextmanager
def raised_after():
    """Take a stop signal's actions at once (the workers killed), but raise :class:`Stopped` only when the block is done.

    For this process's calls into the worker pool (:mod:`ledinfo.runtime.workers`): a
    future's ``done``, ``result`` and ``wait``, and the pool's ``submit``, take locks the
    pool's own thread takes too, in Python code (``threading.Condition.__enter__``). An
    exception a signal handler raises right after such a lock is taken, before the ``with``
    that releases it has begun, leaves it held: in Python 3.11 about half the exceptions
    raised inside ``Future.done`` did. The pool's thread then waits for ever to mark the
    future, and closing the pool waits for that thread: a stopped build that never exits.
    The block ends soon: the killed workers fail every future it could be waiting for.
    In another thread it does nothing: the handler runs in the main thread, and must not
    raise the stop in a thread that does not expect it.
    """
    global _held
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _held += 1
    try:
        yield
    finally:
        _held -= 1
        _stop_if_pending()


def _stop_if_pending() -> None:
    """Raise the stop that a block held back, once no block holds it back."""
    global _pending
    if not _deferred and not _held and _pending is not None:
        signum, _pending = _pending, None
        _stop(signum)
