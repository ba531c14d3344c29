"""The public API for ledinfo plugins: everything a plugin imports, from here and from
:mod:`ledinfo.api.domain` (the indicator library); :mod:`ledinfo.api.testing` is the test kit.

    from ledinfo.api import hookimpl, Section, SectionResult, Figure, Table, Chart

API version 0.8 (:data:`API_VERSION`). The built-in plugins (``ledinfo.plugins``) import from here only,
as external ones do (tests/test_layout.py enforces it), so whatever a built-in can do, a plugin can.
docs/plugins.md is the guide and lists these names by purpose; this module's docstrings (and the hooks'
in :mod:`ledinfo.hookspecs`) are the reference, written out by ``make docs``. What is here:

- the hook marker and the interfaces a plugin implements: :class:`Source` (with its optional cheap
  :class:`Fingerprint`), :class:`Section`, :class:`Delivery`, :class:`Settings` (the one way to declare
  settings: a source's and a delivery's ``Options``, a plugin's ``[plugins.<name>]``), and what each is given:
  :class:`SourceContext`, :class:`SectionContext`, :class:`View`, :class:`DeliveryItem`; the checked kinds of
  setting their fields use: :data:`OneLineText`, :data:`Text` (one line, no CPR number), :data:`HeaderText`,
  :data:`Address`, :func:`whole_number`, :func:`number`; targets any plugin may provide: :class:`Targets`,
  :class:`TargetContext`, :class:`Target`;
- the typed result a section returns: :class:`SectionResult`, :class:`Figure`,
  :class:`Table`, :class:`Column`, :class:`Chart`, the levels and units, :class:`Over` (does a figure
  count the period's events or its end), :class:`ForReaders` (a note said in words to the committee and directors,
  with the extract's column name to a team leader), and the references binding columns to figures
  (:class:`FigureRef`) and numbers to each other (:class:`Ref` with ``part``, :class:`Relation`);
- targets and verdicts: a :class:`Target` (an annual goal, a local standard) that any plugin provides through
  a :class:`Targets` provider (``ledinfo_register_targets``; it is given a :class:`TargetContext`) and every
  section reads as ``context.targets``; a :class:`Yardstick` (its :class:`Basis`: a goal, a local standard, the
  law, a professional standard) that an indicator (``Indicator.standard``) or a target sets, and the
  one :class:`Verdict` the build gives each figure of the period (``Figure.verdict``: :data:`MET`,
  :data:`CLOSE`, :data:`OFF_TRACK`, :data:`FEW_CASES`); ``Column(judged=True)`` and ``Chart(judged=True)``
  show it; ``view.verdict(figure)`` says it in a sentence;
- hidden numbers: how the committee's protection hid a figure (``Figure.hidden_as``: :data:`SMALL`
  shown "<5", :data:`FEW` and :data:`OTHER` shown "–"), and the one way to phrase one: ``view.words(figure)``
  in a sentence, :func:`hidden_words` and :func:`hidden_mark` for a raw ``hidden_as``;
- indicators: :class:`Indicator`, and :func:`current_figures`, :func:`trend_figures`,
  :func:`indicator_figures` for any installed indicator; :func:`shared` for an indicator's ``many``;
  :func:`share_figures`, :func:`count_figures`, :func:`share_table`, :func:`trend_frame` to make figures
  from a frame;
- words: :func:`N_` (mark a message for translation), :class:`Language`, :data:`LANGUAGES`,
  :func:`about_value` (the number ``Language.about`` prints, for a plural's form), :func:`share_text`,
  :func:`change_text`, :func:`previous_of`, :func:`text_in`, :func:`in_each_language`,
  :func:`month_in_each_language`, :func:`date_in_each_language`, :func:`label_of_period` (the domain's categories
  and their labels in each language are :mod:`ledinfo.api.domain`'s);
- periods: :class:`Period` (its kinds :data:`MONTH`, :data:`QUARTER`, :data:`YEAR_TO_DATE`) and
  :func:`add_months`; :class:`PackPeriods`, which period stands for each indicator in a pack (what
  :meth:`Section.for_pack` is told), and :func:`last_whole_quarter`;
- reading data: :class:`RawExtract` and :class:`RawTable` (what a source returns), :class:`Extract` (what
  a section reads), :func:`read_folder` and :func:`folder_fingerprints` (a folder
  extract, as the built-in ``folder`` source reads and fingerprints it), the extract :data:`SCHEMA`,
  :func:`parse_numbers`; :func:`data_span`, the first and last day an extract records (how far back a
  section's history can go);
- outside input, confined and checked: :func:`read_confined`, :func:`read_text_confined` (a file a user or
  a config names, opened only inside its folder, regular, within the size of its :class:`FileKind`;
  :class:`FileRefused` says why not), :func:`parse_address` and :func:`header_text_problem` (what may go in a
  mail header; ``parse_address`` raises a ``ValueError`` saying why not), :func:`cpr_in_message` (where a composed
  message holds a CPR number: every part passing alone is not enough);
- errors a plugin raises for its user: :class:`ConfigError`, :class:`SourceError`,
  :class:`TransientError`, :class:`PermanentError`; and :class:`Stopped`, what a stop
  signal (SIGTERM, Ctrl-C) raises in a plugin's code: let it pass.

Versions: :data:`API_VERSION` is ``MAJOR.MINOR``. A name added, or an optional argument or attribute added
to one, raises MINOR. A name removed or renamed, or a change that can break a plugin written against the
previous version, raises MAJOR; while MAJOR is 0 (before 1.0) such a change raises MINOR instead, and
CHANGELOG.md says what moved and what to write instead. Anything not named in ``__all__`` here, in
:mod:`ledinfo.api.domain` or in :mod:`ledinfo.api.testing` is internal and may change in any release.
"""

import pluggy

from ledinfo.domain.indicator import Indicator, current_figures, indicator_figures, shared, trend_figures
from ledinfo.domain.indicators.common import share_figures, share_table, trend_frame
from ledinfo.domain.indicators.values import count_figures
from ledinfo.errors import ConfigError, SourceError
from ledinfo.extract import Extract, RawExtract, RawTable
from ledinfo.extract import schema as _schema
from ledinfo.extract.folder import folder_fingerprints, read_folder
from ledinfo.extract.parsing import parse_numbers
from ledinfo.extract.point_in_time import data_span
from ledinfo.interfaces import section as _section
from ledinfo.interfaces.delivery import Delivery, DeliveryItem, PermanentError, TransientError
from ledinfo.interfaces.section import Action, Section, SectionContext, View
from ledinfo.interfaces.source import Fingerprint, Source, SourceContext
from ledinfo.interfaces.targets import TargetContext, Targets
from ledinfo.language import LANGUAGES as _LANGUAGES
from ledinfo.language import N_, Language, about_value
from ledinfo.model import fields as _fields
from ledinfo.model import period as _period
from ledinfo.model import results as _results
from ledinfo.model import verdicts as _verdicts
from ledinfo.model.fields import number, whole_number
from ledinfo.model.pack_periods import PackPeriods, last_whole_quarter
from ledinfo.model.period import Period, add_months
from ledinfo.model.results import (
    Chart,
    Column,
    Figure,
    FigureRef,
    ForReaders,
    Kind,
    Level,
    Over,
    Ref,
    Relation,
    ResultError,
    SectionResult,
    ShareOf,
    Table,
    Unit,
)
from ledinfo.model.settings import Settings
from ledinfo.model.verdicts import Basis, Target, Verdict, Yardstick
from ledinfo.outside import files as _files
from ledinfo.outside.files import FileRefused, read_confined, read_text_confined
from ledinfo.outside.headers import cpr_in_message, header_text_problem, parse_address
from ledinfo.runtime.signals import Stopped
from ledinfo.words.sentences import (
    change_text,
    date_in_each_language,
    hidden_mark,
    hidden_words,
    in_each_language,
    label_of_period,
    month_in_each_language,
    previous_of,
    share_text,
    text_in,
)

hookimpl = pluggy.HookimplMarker("ledinfo")
"""The marker of a hook implementation: ``@hookimpl`` before each ``ledinfo_register_*`` function of a plugin
(the hooks: :mod:`ledinfo.hookspecs`)."""

API_VERSION = "0.8"
"""The version of this API, ``MAJOR.MINOR`` (the policy: this module's docstring and docs/plugins.md). 0.8:
``Table(group_by=, group_empty=)`` added (a list the PDF shows under a line per caseworker, its rows in that
order), ``Action(unassigned=)`` (said of the cases naming no caseworker: under their group), ``Column(dated_note=)`` (a
note after a cell on a row with a date: a step on a closed case), ``Column(from_birth_date=)`` (a row's date kept
to its month and its days left out where they derive from a birth date), a rule's ``step`` in the
catalogue (the short name a team leader's list gives it), and ``Delivery.subject_problem`` (a composed subject
refused where the config is checked); ``Table.group_empty`` defaults to words made from the group column's label.
0.7:
``View.no_cases`` and ``cpr_in_message`` added (and in :mod:`ledinfo.api.domain` ``sample_reviewed_when_closed``,
``volume_price_at``, ``AWAITING_CONTACT``, ``share_figures(pending=)``), a tile no case counts in left for the section's
one sentence whatever its comparisons held, the ladder's and the 6-week follow-up's lists renamed and split (a
template naming them follows), the 6-week share leaving out the cases not yet due. 0.6:
``Language(precise=)``, ``Language.precise_decimals``, ``Language.period_medium``,
``PackPeriods.committee_by_quarter``, ``BASE_COLUMN`` and ``Over.WINDOW`` added; a second yardstick's verdict reads
as a note of its own. 0.5:
``Section.for_pack``, ``PackPeriods``, ``last_whole_quarter`` and ``View.period_of`` added. 0.4:
``ForReaders``, ``Language.plural(none=)`` and ``Language.shown_percent`` added. 0.3: names only the core and the
built-ins used left it, the domain's labels moved to :mod:`ledinfo.api.domain`, recipients are the delivery's own
settings, local standards are targets (CHANGELOG.md)."""

# Constants, each documented where a plugin author reads it (a docstring after the assignment is pdoc's).

SMALL = _results.SMALL
"""``Figure.hidden_as`` for a count from 1 to 4 hidden from the committee: shown "<5" (domain.md's rule)."""
FEW = _results.FEW
"""``Figure.hidden_as`` for a share or a statistic hidden for resting on fewer cases than the threshold: shown "–"."""
OTHER = _results.OTHER
"""``Figure.hidden_as`` for a number hidden so that a small one cannot be worked out from it: shown "–"; it may
be any size, so never phrase it as "fewer than 5" (use ``view.words(figure)`` or :func:`hidden_words`)."""
BASE_COLUMN = _results.BASE_COLUMN
"""The column of a share chart's frame holding each value's base (the cases it counts): the line under the chart
ranks only values resting on at least the threshold; the committee's pack drops the column."""

MUNICIPALITY = _results.MUNICIPALITY
"""The :class:`Level` of a municipality-wide row or figure (``team`` None): every audience may see it."""
TEAM = _results.TEAM
"""The :class:`Level` of a team's row: directors see every team, a team leader the own team only."""
STAFF = _results.STAFF
"""The :class:`Level` of a row about a caseworker: team leaders of the caseworker's team only."""
CASE = _results.CASE
"""The :class:`Level` of a row about a case (it holds a case id): team leaders of the case's team only."""

MET = _verdicts.MET
"""``Figure.verdict`` level (``Verdict.level``) of a figure that meets its :class:`Yardstick` (shown green, "Nået")."""
CLOSE = _verdicts.CLOSE
"""``Verdict.level`` of a figure within the configured margin of its yardstick (``[verdicts]``; shown yellow)."""
OFF_TRACK = _verdicts.OFF_TRACK
"""``Verdict.level`` of a figure further from its yardstick than the margin (shown red, "Ikke nået")."""
FEW_CASES = _verdicts.FEW_CASES
"""``Verdict.level`` of a figure resting on fewer cases than the threshold: "ikke vurderet", in every pack."""

OneLineText = _fields.OneLineText
"""A setting's field type: one line of text, no control character (a line break, a tab, ESC) — it may end up
in a file name, a PDF title or a mail header (``title: OneLineText = "..."``); refused with its key path."""
Text = _fields.Text
"""A setting's field type: a :data:`OneLineText` that holds no CPR number either — anything printed on a pack,
in a file name or the manifest."""
HeaderText = _fields.HeaderText
"""A setting's field type: a :data:`Text` that goes into a mail header (a subject's part, a team's name)."""
Address = _fields.Address
"""A setting's field type: one email address, optionally with a name (``Ledelsesinfo <li@fjordby.dk>``), as a
mail program reads it; anything it would read otherwise is refused."""

MONTH = _period.MONTH
"""``Period.kind`` of a calendar month (``Period(2024, 3)``, written 2024-03)."""
QUARTER = _period.QUARTER
"""``Period.kind`` of a calendar quarter (written 2024-Q1)."""
YEAR_TO_DATE = _period.YEAR_TO_DATE
"""``Period.kind`` of January to a month's end (written 2024-03-ytd)."""

PAST_DEADLINE = _section.PAST_DEADLINE
"""``Action.urgency`` (0, the most urgent): a legal deadline is past."""
DUE_SOON = _section.DUE_SOON
"""``Action.urgency`` (1): due within :data:`SOON_DAYS` days of the period's end."""
LATER = _section.LATER
"""``Action.urgency`` (2, the default): to do, but not yet pressing."""
SOON_DAYS = _section.SOON_DAYS
"""How many days after the period's end "due soon" reaches (:data:`DUE_SOON`): 7."""

LANGUAGES = _LANGUAGES
"""The languages a pack can be written in, code → locale: ``{"da": "da_DK", "en": "en_GB"}``; a label given in
each language is a dict over these codes."""

SCHEMA = _schema.SCHEMA
"""The extract format: table name → its columns, types and categories (docs/extract-format.md); a source's
tables are validated against it."""

FileKind = _files.Kind
"""A kind of file a plugin reads from a path a user gives, with the limits that fit it:
``FileKind("export file", max_bytes, "why that limit", text=True)`` for :func:`read_confined` and
:func:`read_text_confined` (``text``: UTF-8 without control characters; ``max_chars``, ``max_lines``)."""

__all__ = [
    # the hook marker and the version
    "hookimpl", "API_VERSION",
    # the interfaces and what they are given
    "Source", "SourceContext", "Fingerprint", "Section", "SectionContext", "View", "Action", "PAST_DEADLINE", "DUE_SOON", "LATER",
    "SOON_DAYS", "Delivery", "DeliveryItem", "Settings",
    # the checked kinds of setting, and targets any plugin may provide
    "Address", "HeaderText", "OneLineText", "Text", "number", "whole_number", "Target", "TargetContext", "Targets",
    # the section's result
    "SectionResult", "Figure", "Table", "Column", "Chart", "FigureRef", "Ref", "Relation", "Kind", "Level",
    "MUNICIPALITY", "TEAM", "STAFF", "CASE", "Unit", "Over", "ShareOf", "ResultError", "ForReaders",
    # hidden numbers
    "SMALL", "FEW", "OTHER", "BASE_COLUMN", "hidden_words", "hidden_mark",
    # verdicts
    "Yardstick", "Basis", "Verdict", "MET", "CLOSE", "OFF_TRACK", "FEW_CASES",
    # indicators
    "Indicator", "current_figures", "trend_figures", "indicator_figures", "shared", "share_figures", "count_figures",
    "share_table", "trend_frame",
    # words
    "N_", "Language", "LANGUAGES", "about_value", "share_text", "change_text", "previous_of", "text_in",
    "in_each_language", "month_in_each_language", "date_in_each_language", "label_of_period",
    # periods
    "Period", "MONTH", "QUARTER", "YEAR_TO_DATE", "add_months", "PackPeriods", "last_whole_quarter",
    # reading data
    "RawExtract", "RawTable", "Extract", "read_folder", "folder_fingerprints", "SCHEMA", "parse_numbers", "data_span",
    # outside input
    "read_confined", "read_text_confined", "FileKind", "FileRefused", "parse_address", "header_text_problem",
    "cpr_in_message",
    # errors
    "ConfigError", "SourceError", "TransientError", "PermanentError", "Stopped",
]
