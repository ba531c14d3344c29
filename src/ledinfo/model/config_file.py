"""The config file's tables as pydantic models: what each key may hold, checked as one whole.

:func:`ledinfo.config.file.parse_config` validates a TOML document against :class:`ConfigFile` (every
problem at once, with its key path, by :func:`ledinfo.model.settings.check_settings`), checks what spans
tables or needs the disk (a missing municipality name, the comments folder, the rules), and makes the plain
:class:`~ledinfo.model.config.Config` every stage reads. A source's options, the delivery's and each
plugin's table are the plugins' own models (``Options``, ``[plugins.<name>]``); here they are tables.

The safety of every text is the field's type (:mod:`ledinfo.model.fields`): one line, no CPR number, a
mail header's text, an address.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from ledinfo.language import LANGUAGES
from ledinfo.model.audiences import AUDIENCES, normalise_audience
from ledinfo.model.config import Standards
from ledinfo.model.fields import Address, HeaderText, OneLineText, Text, number, whole_number
from ledinfo.model.settings import Settings

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _id(names: str):
    def check(value: str) -> str:
        if not _ID.match(value):
            raise ValueError(f"{value!r} must be lower-case letters, digits, - or _ ({names})")
        return value

    return Annotated[Text, AfterValidator(check)]


def _audience(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {value!r}")
    found = normalise_audience(value)
    if found is None:
        raise ValueError(f"{value!r} is not an audience (choose {', '.join(AUDIENCES)})")
    return found


def _language(value: Any) -> str:
    if value not in LANGUAGES:
        raise ValueError(f"{value!r} is not supported (choose {', '.join(LANGUAGES)})")
    return value


def _listed(value: Any) -> Any:
    """One text where a list is expected is a list of one (``teams = "Børn"``)."""
    return [value] if isinstance(value, str) else value


def _texts(value: Any) -> Any:
    value = _listed(value)
    if not isinstance(value, list):
        raise ValueError(f"expected a list of texts, got {value!r}")
    return value


def _meeting(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    hint = " (write the date without quotes: 2026-11-10)" if isinstance(value, str) else ""
    raise ValueError(f"expected a date such as 2026-11-10, got {value!r}{hint}")


def _table(what: str):
    """A table where one is expected; ``what`` shows how to write it."""
    def check(value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(what)
        return value

    return BeforeValidator(check)


PackId = _id("it names files")
MunicipalityId = _id("it names a folder")
Audience = Annotated[str, BeforeValidator(_audience)]
Language = Annotated[str, BeforeValidator(_language)]
Names = Annotated[tuple[Text, ...], BeforeValidator(_texts)]
Meetings = Annotated[tuple[Annotated[dt.date, BeforeValidator(_meeting)], ...], BeforeValidator(_listed)]
PositiveWhole = whole_number(1)


class MunicipalityTable(Settings):
    """``[municipality]``."""

    name: Text = Field("", description="the municipality's name, printed on every pack's cover, e.g. "
                                       "[municipality] name = \"Fjordby Kommune\"")
    inhabitants: PositiveWhole | None = None


class ContactTable(Settings):
    """``[committee] contact``: who answers the committee's questions about the pack."""

    name: Text = Field(description="the contact person's name, e.g. name = \"Mette Hansen\"")
    email: Address | None = None
    phone: Text | None = None


class CommitteeTable(Settings):
    """``[committee]``: what a committee pack's cover says besides the municipality."""

    name: Text | None = None
    meetings: Meetings = ()
    contact: Annotated[ContactTable | None, _table(
        "must be a table: { name = \"...\", email = \"...\", phone = \"...\" }")] = None


CommitteeField = Annotated[CommitteeTable, _table(
    "must be a table: name = \"...\", meetings = [2026-11-10, ...], contact = { name = \"...\" }")]


class PackTable(Settings):
    """``[[packs]]``: one pack. Team-leader packs burst into one pack per team."""

    id: PackId = Field(description="every pack needs an id (used for its file names), e.g. id = \"udvalg\"")
    audience: Audience = Field(description=f"every pack needs an audience: {', '.join(AUDIENCES)}")
    title: HeaderText | None = None  # it goes in the mail's subject
    sections: Names = ()
    leave_out: Names = ()
    teams: Names = ()
    template: OneLineText | None = None


class MunicipalityEntry(Settings):
    """``[[municipalities]]``: one of several municipalities a config builds for."""

    id: MunicipalityId = Field(description="every municipality needs an id (it names its output folder), e.g. "
                                           "id = \"aarhus\"")
    name: Text = Field(description="every municipality needs a name, e.g. name = \"Aarhus Kommune\"")
    inhabitants: PositiveWhole | None = None
    source: dict[str, Any] = Field(description="every municipality needs a source, e.g. source = { type = "
                                               "\"folder\", path = \"data/aarhus\" }")
    committee: CommitteeField = CommitteeTable()


_STANDARDS = Standards()


class StandardsTable(Settings):
    """``[standards]``: local standards and configurable intervals."""

    followup_interval_days: PositiveWhole = _STANDARDS.followup_interval_days
    investigation_local_months: PositiveWhole = _STANDARDS.investigation_local_months
    recurring_followup_months: PositiveWhole = _STANDARDS.recurring_followup_months


class DisclosureTable(Settings):
    """``[disclosure]``."""

    threshold: PositiveWhole = 5


class VerdictsTable(Settings):
    """``[verdicts]``: how near a yardstick counts as "close"."""

    margin_points: number(0, 100) = 5.0
    margin_percent: number(0, 100) = 10.0


class CommentsTable(Settings):
    """``[comments]``: where the administration's comments are (default ``comments`` next to the config)."""

    folder: OneLineText | None = None


class DeliveryTable(Settings):
    """``[delivery]``, less the delivery's own ``[delivery.<type>]`` table (the plugin's ``Options``)."""

    type: OneLineText = Field(description="how packs are delivered (email or folder)")
    ledger: OneLineText | None = None
    attempts: whole_number(1, 10) = 4
    backoff_seconds: number(0, 300) = 2.0
    operator: Address | None = None
    lock_timeout: number(0, 86_400) = 1800.0


def _packs(value: Any) -> Any:
    if value is not None and not isinstance(value, list):
        raise ValueError("write each pack as a [[packs]] table")
    return value


def _municipalities(value: Any) -> Any:
    if not isinstance(value, list):
        raise ValueError("write each municipality as a [[municipalities]] table")
    return value


class ConfigFile(Settings):
    """The whole file. ``source``, ``delivery``'s own table, ``rules``, ``mapping`` and ``plugins`` are checked
    by their owners (the source's and delivery's models, the rule catalogue, the mapping, each plugin's model)."""

    language: Language = "da"
    municipality: MunicipalityTable = MunicipalityTable()
    source: dict[str, Any] | None = None
    standards: StandardsTable = StandardsTable()
    disclosure: DisclosureTable = DisclosureTable()
    packs: Annotated[list[Annotated[PackTable, _table("each [[packs]] entry must be a table")]] | None,
                     BeforeValidator(_packs)] = None
    delivery: DeliveryTable | None = None
    rules: dict[str, Any] = {}
    mapping: dict[str, Any] = {}
    municipalities: Annotated[list[Annotated[MunicipalityEntry, _table(
        "each [[municipalities]] entry must be a table")]], BeforeValidator(_municipalities)] = []
    plugins: dict[str, Any] = {}
    committee: CommitteeField = CommitteeTable()
    comments: Annotated[CommentsTable, _table("must be a table: folder = \"comments\"")] = CommentsTable()
    verdicts: Annotated[VerdictsTable, _table("write it as a table: [verdicts] margin_points = 5")] = VerdictsTable()
