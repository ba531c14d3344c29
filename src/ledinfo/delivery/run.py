"""`ledinfo run`: build the period's packs and deliver each to its recipients, unattended.

The one command a cron job calls. In order:

1. take the run lock (two overlapping runs cannot both send; the second waits);
2. read the extract and check every recipient — a team without an address, or
   an address that is not valid, stops the run before anything is built or sent;
3. build every pack (a failed pack is reported, the others go ahead);
4. deliver one item per pack and recipient, consulting the ledger: what was
   delivered before is not sent again; a pack whose PDF changed since it was
   delivered is held back and reported (``--resend`` sends it);
5. retry transient failures with bounded exponential backoff, report permanent
   ones per recipient, record every accepted delivery at once in the ledger;
6. print a summary, optionally mail it to an operator, and exit non-zero if
   anything failed or was held back.

No CPR number leaves in a message: a subject or text the delivery composed from the settings and the pack
holds none, or that pack's items fail (named by setting, the value not repeated) and the others go; the
operator's notice is redacted as the log is (:func:`ledinfo.privacy.cpr.redact`), since it carries error texts
(a plugin's exception, a server's reply) that may quote one.
"""

from __future__ import annotations

import fcntl
import json
import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from ledinfo.delivery.ledger import Ledger
from ledinfo.errors import EXIT_FAILED, ConfigError, LedinfoError
from ledinfo.interfaces.delivery import DeliveryItem, PermanentError, TransientError, checked_options
from ledinfo.model.audiences import audience
from ledinfo.model.config import Config, pack_teams
from ledinfo.model.config_file import DeliveryTable
from ledinfo.model.period import Period
from ledinfo.model.settings import Settings, check_settings
from ledinfo.outside.headers import address_problem, header_text_problem
from ledinfo.pipeline.build import BuildReport, Pipeline
from ledinfo.pipeline.manifest import sha256_file
from ledinfo.pipeline.plan import plan
from ledinfo.plugin_host.registry import Registry
from ledinfo.privacy.cpr import holds_cpr, redact_value
from ledinfo.runtime.signals import Stopped, raise_if_stopped
from ledinfo.runtime.staging import published
from ledinfo.runtime.timing import Timings

log = logging.getLogger("ledinfo.delivery.run")

EXIT_LOCKED = 75  # EX_TEMPFAIL: another run held the lock for too long; cron may try again

SENT, ALREADY, CHANGED, FAILED, DRY = "sent", "already sent", "held back: changed since sent", "failed", "would send"


class RunLocked(LedinfoError):
    exit_code = EXIT_LOCKED


@dataclass(frozen=True)
class RunSettings:
    """The ``[delivery]`` table of the config."""

    type: str
    options: Settings  # the delivery's [delivery.<type>] table: a dict until run() checks it with the plugin's model
    ledger: Path
    attempts: int = 4
    backoff_seconds: float = 2.0
    operator: str | None = None
    lock_timeout: float = 1800.0

    @property
    def state_dir(self) -> Path:
        return self.ledger.parent


def run_settings(config: Config) -> RunSettings:
    if config.municipalities:
        raise ConfigError("`ledinfo run` delivers one municipality's packs, and this config lists several "
                          "([[municipalities]]); give each municipality its own config with its recipients, "
                          "or build them all with `ledinfo build --config`")
    raw = dict(config.delivery)
    if not raw.get("type"):
        raise ConfigError("the config has no [delivery] table with a type (email or folder); `ledinfo run` "
                          "needs one (see docs/delivery.md)")
    kind = raw["type"]
    options = raw.get(kind, {})
    if not isinstance(options, dict):
        raise ConfigError(f"[delivery.{kind}] must be a table")
    # the same model the config file is checked with (a Config made in code is checked here)
    table, problems = check_settings(DeliveryTable, {k: v for k, v in raw.items() if k != kind}, "delivery")
    if problems:
        raise ConfigError("[delivery] has problems:\n" + "\n".join(f"  {p}" for p in problems))
    return RunSettings(kind, dict(options), config.base_dir / (table.ledger or ".ledinfo/ledger.sqlite"),
                       table.attempts, table.backoff_seconds, table.operator, table.lock_timeout)


@dataclass
class Outcome:
    pack_id: str
    recipient: str
    status: str
    detail: str = ""
    attempts: int = 0


@dataclass
class RunReport:
    period: Period
    build: BuildReport | None
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in (FAILED, CHANGED)]

    @property
    def ok(self) -> bool:
        return not self.failed and not (self.build and self.build.failed)


class RunLock:
    """An exclusive lock on a file next to the ledger; a second run waits for the first."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path, self.timeout = path, timeout
        self.handle = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.path.open("w")
        deadline = time.monotonic() + self.timeout
        announced = False
        while True:
            try:
                fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunLocked(f"another ledinfo run holds {self.path} (waited {self.timeout:.0f} s); "
                                    "nothing was sent") from None
                if not announced:
                    log.warning("another ledinfo run is in progress; waiting for it to finish")
                    announced = True
                time.sleep(0.5)

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def recipients_of(config: Config, jobs, delivery, settings: RunSettings) -> dict[str, list[str]]:
    """Who gets each pack; every problem is a ConfigError before anything is built or sent.

    The config's check refused what it could see (a bad address, a CPR number in one); here are what only
    the extract and the delivery know: a team without an address, a team name that cannot go in a mail
    subject, a delivery's destination with a CPR number (the ledger keeps every destination).
    """
    if not delivery.needs_recipients:
        where = delivery.recipients(settings.options, config.base_dir)
        if any(holds_cpr(destination) for destination in where):
            raise ConfigError(f"[delivery.{settings.type}]: a destination holds a CPR number; the delivery ledger "
                              "keeps every destination, so none may hold one (nothing was built or sent)")
        return {job.pack_id: where for job in jobs}
    problems, result = [], {}
    where = f"[delivery.{settings.type}]"  # who gets a pack is the delivery's own setting (docs/delivery.md)
    for job in jobs:
        spec = job.spec
        addresses = list(delivery.addresses(settings.options, spec.id, job.team if audience(spec.audience).per_team
                                            else None))
        if audience(spec.audience).per_team:
            if not addresses:
                problems.append(f"pack {spec.id!r}: team {job.team!r} has no address in {where}")
            subject_problem = header_text_problem(job.team or "")
            if subject_problem:
                problems.append(f"pack {spec.id!r}: the extract's team name {job.team!r} goes in the mail subject "
                                f"and {subject_problem}")
        elif not addresses:
            problems.append(f"pack {spec.id!r} has no recipients in {where}")
        for address in addresses:
            problem = address_problem(address)
            if problem:
                problems.append(f"pack {spec.id!r}: {problem}")
        result[job.pack_id] = addresses
    for spec in config.packs:
        if audience(spec.audience).per_team:
            teams = {job.team for job in jobs if job.spec.id == spec.id}
            for team in sorted(delivery.teams_addressed(settings.options, spec.id) - teams):
                problems.append(f"pack {spec.id!r}: {where} names team {team!r}, which the extract does not have "
                                f"(teams: {', '.join(sorted(t for t in teams if t))})")
    problems += delivery.pack_problems(settings.options, pack_teams(config.packs))
    if problems:
        listing = "\n".join(f"  {p}" for p in problems)
        raise ConfigError(f"{len(problems)} recipient problem(s); nothing was built or sent:\n{listing}")
    return result


def _deliver_once(delivery, item: DeliveryItem, options: dict) -> str:
    try:
        return delivery.deliver(item, options)
    except Exception:
        raise_if_stopped()  # a failure made by a stop signal (see there) is not this item's: stop
        raise


def _attempt(delivery, item: DeliveryItem, settings: RunSettings, sleep) -> tuple[str | None, str, int]:
    """Deliver with retries: (receipt or None, problem, attempts)."""
    problem = ""
    for attempt in range(1, settings.attempts + 1):
        try:
            return _deliver_once(delivery, item, settings.options), "", attempt
        except TransientError as error:
            problem = str(error)
            if attempt < settings.attempts:
                wait = min(settings.backoff_seconds * 2 ** (attempt - 1), 60.0)
                log.warning("%s to %s: %s; trying again in %.0f s (attempt %d of %d)", item.pack_id,
                            item.recipient, problem, wait, attempt + 1, settings.attempts)
                sleep(wait)
        except PermanentError as error:
            return None, str(error), attempt
        except Exception as error:  # a delivery plugin's bug: report it for this item, go on with the others
            log.exception("delivery of %s to %s failed unexpectedly", item.pack_id, item.recipient)
            return None, f"{type(error).__name__}: {error}", attempt
    return None, f"{problem} (gave up after {settings.attempts} attempts)", settings.attempts


def run(config: Config, registry: Registry, period: Period, out_dir: Path | None = None, dry_run: bool = False,
        resend: bool = False, echo=None, workers: int | None = None, sleep=time.sleep, progress=None,
        timings: Timings | None = None) -> RunReport:
    echo = echo or (lambda message: None)
    settings = run_settings(config)
    delivery = registry.delivery(settings.type)
    # the plugin's typed options (its Options model), with the paths made absolute against the config's folder
    settings = replace(settings, options=delivery.resolved(checked_options(delivery, settings.options),
                                                           config.base_dir))
    _check(delivery, settings, config.base_dir, dry_run)
    out_dir = out_dir or settings.state_dir / "packs" / str(period)
    # The pipeline builds (or reuses the last build) and publishes the output folder whole; the packs' recipients
    # are checked as soon as its jobs are known, before anything is computed. A stop during delivery leaves the new
    # build there.
    with RunLock(settings.state_dir / "run.lock", settings.lock_timeout):
        recipients: dict[str, list[str]] = {}
        pipeline = Pipeline(plan(config, registry), period, out_dir, echo=echo, workers=workers, timings=timings,
                            before_compute=lambda jobs: recipients.update(
                                recipients_of(config, jobs, delivery, settings)),
                            heading=f"Building packs for {config.municipality.name}, {period}:")
        built = pipeline.run()
        report = RunReport(period, built)
        ledger = None if dry_run else Ledger(settings.ledger)
        items, refused = [], {}
        for outcome in built.outcomes:
            if not outcome.ok:
                continue
            pdf = next(p for p in outcome.files if p.suffix == ".pdf")
            data = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
            subject, body = delivery.message(data, settings.options)  # the delivery's words (email: its own)
            problem = message_cpr_problem(subject, body, settings.type, outcome.job.pack_id, outcome.job.team)
            if problem:
                refused[outcome.job.pack_id] = problem
            digest = sha256_file(pdf)
            for recipient in recipients[outcome.job.pack_id]:
                items.append(DeliveryItem(outcome.job.pack_id, recipient, pdf, str(period), digest, subject, body,
                                          outcome.job.audience, outcome.job.team))
        echo(f"Delivering {len(items)} item(s) by {settings.type}{' (dry run: nothing is sent)' if dry_run else ''}:")
        try:
            for item in (progress(items) if progress else items):
                outcome = (Outcome(item.pack_id, item.recipient, FAILED, refused[item.pack_id])
                           if item.pack_id in refused else
                           _deliver_one(item, delivery, settings, ledger, dry_run, resend, sleep))
                report.outcomes.append(outcome)
                if progress is None or outcome.status in (FAILED, CHANGED):
                    echo(f"  {outcome.status}: {item.pack_id} → {item.recipient}"
                         + (f" ({outcome.detail})" if outcome.detail else ""))
                raise_if_stopped()  # a stop the delivery held back (an accepted message's QUIT) or swallowed
        except Stopped as stop:  # the pipeline published its build before delivery began: say so
            if not built.reused:
                stop.outputs.append(published(built.out_dir))
            raise
        if ledger:
            ledger.close()
    if not report.ok and settings.operator and not dry_run:
        _notify_operator(report, delivery, settings)
    return report


def message_cpr_problem(subject: str, body: str, kind: str, pack_id: str, team: str | None) -> str:
    """Why the message composed for a pack cannot be sent: a CPR number in its subject or text, or "".

    Each part of it passed the config's check alone (a title "Orientering 250463", a subject "{title}-7933"),
    so the number exists only as composed. The problem names the settings it is made from, never the number.
    """
    made_of = f"[delivery.{kind}] subject, pack {pack_id!r}'s title" + (" and the extract's team name" if team
                                                                          else "")
    for part, text in (("subject", subject), ("text", body)):
        if holds_cpr(text):
            log.error("pack %s: the message's %s holds a CPR number as composed; not sent", pack_id, part)
            return (f"the message's {part}, composed from {made_of}, holds a CPR number (not repeated here); "
                    "nothing was sent")
    return ""


# The options that log in. A dry run sends nothing, so it runs where the secret is not (an
# operator's shell, before the password is put in place): it checks the rest, and warns.
LOGIN_OPTIONS = ("username", "password_env", "password_file")


def _check(delivery, settings: RunSettings, base_dir: Path, dry_run: bool) -> None:
    try:
        delivery.check(settings.options, base_dir)
    except ConfigError as problem:
        if not dry_run:
            raise
        delivery.check(settings.options.model_copy(update={key: None for key in LOGIN_OPTIONS
                                                           if key in type(settings.options).model_fields}), base_dir)
        log.warning("%s; a dry run sends nothing and goes on, a real run would stop here", problem)


def _deliver_one(item, delivery, settings, ledger, dry_run, resend, sleep) -> Outcome:
    entries = ledger.entries(item.pack_id, item.recipient, item.period, settings.type) if ledger else []
    if not resend and any(e.sha256 == item.pdf_sha256 for e in entries):
        return Outcome(item.pack_id, item.recipient, ALREADY)
    if not resend and entries:
        return Outcome(item.pack_id, item.recipient, CHANGED,
                       f"a different version was delivered on {entries[-1].delivered_at[:10]}; the data has changed "
                       "since. Check it, then run again with --resend to send the new version")
    if dry_run:
        return Outcome(item.pack_id, item.recipient, DRY, f"{item.pdf.name}, {item.pdf.stat().st_size // 1024} kB")
    receipt, problem, attempts = _attempt(delivery, item, settings, sleep)
    if receipt is None:
        log.error("%s to %s failed: %s", item.pack_id, item.recipient, problem)
        return Outcome(item.pack_id, item.recipient, FAILED, problem, attempts)
    ledger.record(item.pack_id, item.recipient, item.period, settings.type, item.pdf_sha256, receipt)
    log.info("%s delivered to %s (%s)", item.pack_id, item.recipient, receipt)
    return Outcome(item.pack_id, item.recipient, SENT, "", attempts)


def summary_text(report: RunReport) -> str:
    counts: dict[str, int] = {}
    for outcome in report.outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    lines = [f"ledinfo run for {report.period}: " + (", ".join(f"{n} {s}" for s, n in counts.items()) or "nothing to deliver")]
    if report.build and report.build.failed:
        lines.append(f"{len(report.build.failed)} pack(s) could not be built:")
        lines += [f"  {o.job.pack_id}: {o.error}" for o in report.build.failed]
    problems = report.failed
    if problems:
        lines.append(f"{len(problems)} deliver{'y' if len(problems) == 1 else 'ies'} need attention:")
        lines += [f"  {o.pack_id} → {o.recipient}: {o.status}: {o.detail}" for o in problems]
    return "\n".join(lines)


def _notify_operator(report: RunReport, delivery, settings: RunSettings) -> None:
    """Send the summary to the operator through the delivery; a failure here is logged, not raised."""
    if not delivery.sends_notices:
        log.warning("the %s delivery cannot send the operator a notice; see the summary above", settings.type)
        return
    try:
        # redacted as the log is: the summary quotes error texts (a plugin's exception, a server's reply)
        delivery.send_notice(settings.operator, redact_value(f"ledinfo: problems in the run for {report.period}"),
                             redact_value(summary_text(report) + "\n"), settings.options)
        log.info("failure notice sent to %s", settings.operator)
    except Exception as error:
        log.error("could not send the failure notice to %s: %s", settings.operator, error)


def exit_code(report: RunReport) -> int:
    return 0 if report.ok else EXIT_FAILED


__all__ = ["EXIT_LOCKED", "RunReport", "exit_code", "run", "run_settings", "summary_text"]
