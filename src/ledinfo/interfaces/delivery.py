"""The delivery interface: how a built pack reaches its recipients.

A delivery plugin sends one item — one pack to one recipient — and either
returns (the item was accepted: by the mail server, by the file system) or
raises :class:`TransientError` (worth trying again: a refused connection, a
timeout, a 4xx reply) or :class:`PermanentError` (a 5xx reply, a refused
address, a pack too large). Retries, the ledger and the summary are the core's
job (:mod:`ledinfo.delivery.run`), so every delivery gets them the same way.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path


class DeliveryError(Exception):
    """A delivery of one item failed."""


class TransientError(DeliveryError):
    """Try again later: the next attempt may succeed."""


class PermanentError(DeliveryError):
    """Do not try again: the same attempt will fail the same way."""


@dataclass(frozen=True)
class DeliveryItem:
    """One pack for one recipient."""

    pack_id: str
    recipient: str  # an email address, or the folder for the folder delivery
    pdf: Path
    period: str
    pdf_sha256: str
    subject: str
    body: str
    audience: str = ""
    team: str | None = None


class Delivery:
    """Base class for deliveries. Subclass it and register an instance.

    Required attributes: ``name`` (what ``[delivery] type`` selects),
    ``description`` (one line) and ``deliver(item, options)``. ``options`` maps
    each option to a one-line help text; ``needs_recipients`` says whether packs
    must name recipients (email does, a folder does not).
    """

    sends_notices: bool = False  # can it send the operator a notice of a failed run (send_notice)?

    name: str = ""
    description: str = ""
    options: dict[str, str] = {}
    needs_recipients: bool = True
    # Options that name a file or folder. A relative one is relative to the config file's folder,
    # not to wherever cron happens to start the run, and ``~`` is the home folder: ledinfo
    # resolves these before check, recipients, deliver and send_notice see them.
    path_options: tuple[str, ...] = ()

    def resolved(self, options: dict, base_dir: Path) -> dict:
        """``options`` with each of ``path_options`` made absolute against ``base_dir`` (``~`` expanded)."""
        return {key: str(base_dir / _home_expanded(value)) if key in self.path_options and isinstance(value, str)
                and value else value for key, value in options.items()}

    def option_problems(self, options: dict) -> list[tuple[str, str]]:
        """(key, problem) for each option the config gets wrong, reported with the config's other problems.

        The default refuses keys not in ``options``; extend it for the values.
        """
        problems = []
        for key in options:
            if key not in self.options:
                close = difflib.get_close_matches(key, list(self.options), n=1)
                problems.append((key, f"unknown option (did you mean {close[0]!r}?)" if close else
                                 f"unknown option (options: {', '.join(self.options) or 'none'})"))
        return problems

    def check(self, options: dict, base_dir: Path) -> None:
        """Refuse what the options point at on this machine (a missing file, an unset variable) before
        anything is built or sent (raise ConfigError); the options themselves are checked with the config."""

    def recipients(self, options: dict, base_dir: Path) -> list[str]:
        """For a delivery without recipients: where every pack goes (e.g. the folder)."""
        return []

    def deliver(self, item: DeliveryItem, options: dict) -> str | None:  # pragma: no cover - abstract
        """Deliver ``item``; return a receipt (a message id, a path) once it is accepted."""
        raise NotImplementedError

    def send_notice(self, to: str, subject: str, text: str, options: dict) -> None:
        """Send the operator a plain-text notice (``[delivery] operator``) when a run has problems.

        Only for deliveries with ``sends_notices = True``; raise any exception on failure.
        """
        raise NotImplementedError(f"the {self.name} delivery cannot send notices")


def _home_expanded(value: str) -> Path:
    """``~`` as the home folder; left as written where no home can be found (check then names the path)."""
    try:
        return Path(value).expanduser()
    except RuntimeError:
        return Path(value)
