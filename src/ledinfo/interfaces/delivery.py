"""The delivery interface: how a built pack reaches its recipients.

A delivery plugin sends one item — one pack to one recipient — and either
returns (the item was accepted: by the mail server, by the file system) or
raises :class:`TransientError` (worth trying again: a refused connection, a
timeout, a 4xx reply) or :class:`PermanentError` (a 5xx reply, a refused
address, a pack too large). Retries, the ledger and the summary are the core's
job (:mod:`ledinfo.delivery.run`), so every delivery gets them the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ledinfo.errors import ConfigError
from ledinfo.model.settings import Settings, check_settings


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
    ``description`` (one line) and ``deliver(item, options)``. ``Options`` is the
    pydantic model of the ``[delivery.<name>]`` table (a :class:`~ledinfo.api.Settings`
    subclass, each field with a ``description``): ledinfo checks the table against it
    with the rest of the config, before any data is read, every problem with its key
    path (``delivery.email.port``), and every method receives the checked model.
    ``needs_recipients`` says whether each pack must have recipients (email does, a folder
    does not); who they are is the delivery's own setting (:meth:`addresses`), checked
    with the config (:meth:`pack_problems`).
    """

    sends_notices: bool = False  # can it send the operator a notice of a failed run (send_notice)?

    name: str = ""
    description: str = ""
    Options: type[Settings] = Settings
    needs_recipients: bool = True
    # Options that name a file or folder. A relative one is relative to the config file's folder,
    # not to wherever cron happens to start the run, and ``~`` is the home folder: ledinfo
    # resolves these before check, recipients, deliver and send_notice see them.
    path_options: tuple[str, ...] = ()

    def resolved(self, options: Settings, base_dir: Path) -> Settings:
        """``options`` with each of ``path_options`` made absolute against ``base_dir`` (``~`` expanded)."""
        return options.model_copy(update={
            key: str(base_dir / _home_expanded(value)) for key in self.path_options
            if isinstance(value := getattr(options, key, None), str) and value})

    def check(self, options: Settings, base_dir: Path) -> None:
        """Refuse what the options point at on this machine (a missing file, an unset variable) before
        anything is built or sent (raise ConfigError); the options themselves are checked with the config."""

    def recipients(self, options: Settings, base_dir: Path) -> list[str]:
        """For a delivery without recipients: where every pack goes (e.g. the folder)."""
        return []

    def addresses(self, options: Settings, pack_id: str, team: str | None) -> tuple[str, ...]:
        """For a delivery with recipients: who gets pack ``pack_id``, for ``team`` if it is a team-leader pack,
        from the delivery's own options (email: ``[delivery.email.to]``, ``[delivery.email.team_to.<pack>]``).
        Default: no one."""
        return ()

    def teams_addressed(self, options: Settings, pack_id: str) -> set[str]:
        """The teams of team-leader pack ``pack_id`` the options give addresses (each must be a team of the
        extract: the run checks it once the extract is read)."""
        return set()

    def pack_problems(self, options: Settings, packs: Mapping[str, tuple[str, ...] | None]) -> list[str]:
        """What is wrong with the packs the options name, each problem with its key path
        (``delivery.email.to.udvalgg: ...``): ``packs`` maps each pack the config makes to None when it is one
        pack, or, for a team-leader pack (sent to each team), to the teams it is limited to (its ``teams``; empty:
        every team of the extract). Checked with the config, before any data is read. Default: none."""
        return []

    def message(self, pack: dict, options: Settings) -> tuple[str, str]:
        """The subject and body of the message that carries ``pack`` (its JSON: title, period, language,
        team, headlines ...), for a delivery that sends messages; they reach ``deliver`` as ``item.subject``
        and ``item.body``. Default: none."""
        return "", ""

    def subject_problem(self, subject: str) -> str | None:
        """Why a subject :meth:`message` composed cannot be sent (email: it goes in a mail header, so
        :func:`ledinfo.outside.headers.header_text_problem`), or None. Asked of the message composed for each
        titled pack where the config is checked (``ledinfo check``, the start of every build and run), so a cron job
        does not learn it when it sends; the delivery's own last check stays. Default: none."""
        return None

    def deliver(self, item: DeliveryItem, options: Settings) -> str | None:  # pragma: no cover - abstract
        """Deliver ``item``; return a receipt (a message id, a path) once it is accepted."""
        raise NotImplementedError

    def send_notice(self, to: str, subject: str, text: str, options: Settings) -> None:
        """Send the operator a plain-text notice (``[delivery] operator``) when a run has problems.

        Only for deliveries with ``sends_notices = True``; raise any exception on failure.
        """
        raise NotImplementedError(f"the {self.name} delivery cannot send notices")


def delivery_problems(delivery_config: dict, registry, packs: Mapping[str, tuple[str, ...] | None] | None = None
                      ) -> tuple[Settings | None, list[str]]:
    """The delivery's checked options from a ``[delivery]`` table, and every problem with its key path
    (``delivery.email.port``): what the config check reports before any data is read. With ``packs`` (each
    pack the config makes, as :meth:`Delivery.pack_problems` takes them), the packs the options name are
    checked too."""
    kind = delivery_config.get("type")
    if not isinstance(kind, str):
        return None, []  # a missing type is the config file's own problem
    try:
        delivery = registry.delivery(kind)
    except ConfigError as error:
        return None, [f"delivery.type: {error}"]
    options = delivery_config.get(kind, {})
    if not isinstance(options, dict):
        return None, []  # the config file's own problem: "must be a table"
    value, problems = check_settings(delivery.Options, options, f"delivery.{kind}")
    if value is not None and packs is not None:
        problems += delivery.pack_problems(value, packs)
    return value, problems


def checked_options(delivery: Delivery, options: dict) -> Settings:
    """``[delivery.<name>]`` checked against the delivery's model; a ConfigError lists every problem."""
    value, problems = check_settings(delivery.Options, options, f"delivery.{delivery.name}")
    if problems:
        raise ConfigError(f"[delivery.{delivery.name}] has {len(problems)} problem{'s' if len(problems) != 1 else ''}"
                          ":\n" + "\n".join(f"  {p}" for p in problems))
    return value


def _home_expanded(value: str) -> Path:
    """``~`` as the home folder; left as written where no home can be found (check then names the path)."""
    try:
        return Path(value).expanduser()
    except RuntimeError:
        return Path(value)
