"""The public API for plugin authors: import from here (and :mod:`ledinfo.api.domain`), not from internal modules.

    from ledinfo.api import hookimpl, Section, SectionResult, Figure, Table, Chart

Built-in plugins (``ledinfo.plugins``) import from here only, as external ones do
(a test enforces it). What is here:

- the hook marker and the interfaces a plugin implements: :class:`Source` (with its optional cheap
  :class:`Fingerprint`),
  :class:`Section`, :class:`Delivery`, :class:`Settings` (the one way to declare settings: a source's and a
  delivery's ``Options``, a plugin's ``[plugins.<name>]``), and the checked kinds of setting their fields use:
  :data:`OneLineText`, :data:`Text` (one line, no CPR number), :data:`HeaderText`, :data:`Address`,
  :func:`whole_number`, :func:`number`;
- the typed result a section returns: :class:`SectionResult`, :class:`Figure`,
  :class:`Table`, :class:`Column`, :class:`Chart`, the levels and units, :class:`Over` (does a figure
  count the period's events or its end), and the references binding columns to figures
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
  :func:`indicator_figures` for any installed indicator; :func:`share_figures`,
  :func:`count_figures`, :func:`share_table`, :func:`trend_frame` to make figures
  from a frame;
- words: :func:`N_` (mark a message for translation), :class:`Language`, :func:`about_value` (the
  number ``Language.about`` prints, for a plural's form),
  :func:`share_text`, :func:`change_text`, :func:`previous_of`, :func:`text_in`,
  :func:`in_each_language`, :func:`month_in_each_language`, :func:`format_figure_value`,
  and the extract's
  category labels;
- reading data: :func:`read_table_file`, :func:`read_folder`, :func:`read_metadata` (a folder's
  :data:`METADATA` file: when the extract was taken), the extract
  :data:`SCHEMA`, :func:`parse_dates`, :func:`parse_numbers`; :func:`data_span`, the first and last
  day an extract records (how far back a section's history can go);
- outside input, confined and checked: :func:`read_confined`, :func:`read_text_confined` (a file a user or
  a config names, opened only inside its folder, regular, within its kind's size: :data:`PASSWORD`,
  :data:`CA_CERTIFICATES`, :data:`SQL_QUERY`, or your own :class:`FileKind`; :class:`FileRefused` says why
  not), :func:`parse_address` and :func:`header_text_problem` (what may go in a mail header);
- errors a plugin raises for its user: :class:`ConfigError`, :class:`SourceError`,
  :class:`TransientError`, :class:`PermanentError`; and :class:`Stopped`, what a stop
  signal (SIGTERM, Ctrl-C) raises in a plugin's code: let it pass.

:mod:`ledinfo.api.domain` holds domain.md's indicator library (plain functions over
Polars frames) and the demo generator; :mod:`ledinfo.api.testing` the test kit.
"""

import pluggy

from ledinfo.domain.indicator import (
    Indicator,
    UnknownIndicator,
    by_end,
    current_figures,
    indicator_figures,
    indicator_figures_of,
    shared,
    trend_figures,
)
from ledinfo.domain.indicators.common import share_figures, share_table, trend_frame
from ledinfo.domain.indicators.values import count_figures, rule_figures
from ledinfo.errors import ConfigError, SourceError
from ledinfo.extract import Extract, RawExtract, RawTable
from ledinfo.extract.folder import find_table_files as _find_table_files
from ledinfo.extract.folder import read_folder as _read_folder
from ledinfo.extract.metadata import METADATA, read_metadata
from ledinfo.extract.point_in_time import DataSpan, data_span
from ledinfo.extract.readers import SUFFIXES, file_sha256, read_table_file
from ledinfo.extract.schema import END_REASONS, MEASURE_CATEGORIES, SCHEMA
from ledinfo.extract.validate import parse_dates, parse_numbers
from ledinfo.interfaces.delivery import Delivery, DeliveryItem, PermanentError, TransientError
from ledinfo.interfaces.section import (
    ACTION_LIMIT,
    DUE_SOON,
    LATER,
    PAST_DEADLINE,
    SOON_DAYS,
    Action,
    Section,
    SectionContext,
    View,
    capped,
    days_text,
)
from ledinfo.interfaces.source import Fingerprint, Source, SourceContext
from ledinfo.interfaces.targets import TargetContext, Targets
from ledinfo.language import LANGUAGES, N_, Language, about_value
from ledinfo.model.fields import Address, HeaderText, OneLineText, Text, number, whole_number
from ledinfo.model.period import MONTH, QUARTER, YEAR_TO_DATE, Period, add_months
from ledinfo.model.results import (
    CASE,
    FEW,
    MUNICIPALITY,
    OTHER,
    SMALL,
    STAFF,
    TEAM,
    Chart,
    Column,
    Figure,
    FigureRef,
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
from ledinfo.model.verdicts import CLOSE, FEW_CASES, MET, OFF_TRACK, Basis, Margin, Target, Verdict, Yardstick
from ledinfo.outside.files import CA_CERTIFICATES, PASSWORD, SQL_QUERY, FileRefused, read_confined, read_text_confined
from ledinfo.outside.files import Kind as FileKind
from ledinfo.outside.headers import HeaderValueError, header_text_problem, parse_address
from ledinfo.runtime.signals import Stopped
from ledinfo.words.formatting import format_figure_value
from ledinfo.words.labels import CATEGORY_LABELS, FUNCTION_LABELS, PLACEMENT_TYPE_LABELS, REPORTER_LABELS
from ledinfo.words.sentences import (
    change_text,
    date_in_each_language,
    hidden_mark,
    hidden_words,
    in_each_language,
    month_in_each_language,
    previous_of,
    share_text,
    text_in,
)

hookimpl = pluggy.HookimplMarker("ledinfo")


def find_table_files(folder, named=None) -> dict:
    """The table files of a folder extract, by table name, as the built-in ``folder`` source finds them."""
    return _find_table_files(folder, named)


def read_folder(folder, description=None, named=None) -> RawExtract:
    """Read a folder extract the way the built-in ``folder`` source does (for sources built on it)."""
    return _read_folder(folder, description, named)


__all__ = [
    "Stopped",
    "Address", "HeaderText", "OneLineText", "Text", "number", "whole_number",
    "Target", "TargetContext", "Targets",
    "CA_CERTIFICATES", "PASSWORD", "SQL_QUERY", "FileKind", "FileRefused", "HeaderValueError", "header_text_problem",
    "parse_address", "read_confined", "read_text_confined",
    "ACTION_LIMIT", "DUE_SOON", "LATER", "PAST_DEADLINE", "SOON_DAYS", "capped", "days_text",
    "CASE", "CATEGORY_LABELS", "FEW", "FEW_CASES", "OTHER", "Over", "SMALL", "hidden_mark", "hidden_words",
    "METADATA", "read_metadata",
    "MET", "CLOSE", "OFF_TRACK", "Basis", "Margin", "Verdict", "Yardstick", "date_in_each_language",
    "FUNCTION_LABELS", "PLACEMENT_TYPE_LABELS", "LANGUAGES", "MEASURE_CATEGORIES", "MUNICIPALITY", "N_",
    "DataSpan", "END_REASONS",
    "REPORTER_LABELS", "SCHEMA", "STAFF", "SUFFIXES", "TEAM", "Action", "Chart", "Column", "ConfigError", "Delivery",
    "MONTH", "QUARTER", "YEAR_TO_DATE",
    "DeliveryItem", "Extract", "Figure", "FigureRef", "Fingerprint", "Indicator", "Kind", "Language", "Level", "Period",
    "PermanentError", "RawExtract", "RawTable", "Ref", "Relation", "ResultError", "Section", "SectionContext",
    "SectionResult", "Settings", "ShareOf", "Source", "SourceContext", "SourceError", "Table", "TransientError",
    "Unit", "UnknownIndicator", "View", "about_value", "add_months", "change_text",
    "count_figures", "current_figures", "data_span",
    "file_sha256", "find_table_files", "format_figure_value", "hookimpl", "in_each_language", "indicator_figures",
    "indicator_figures_of", "by_end", "shared",
    "month_in_each_language", "parse_dates",
    "parse_numbers", "previous_of", "read_folder", "read_table_file", "rule_figures", "share_figures", "share_table",
    "share_text", "text_in", "trend_figures", "trend_frame",
]
