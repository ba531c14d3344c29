"""The public API for plugin authors: import from here, not from internal modules.

    from ledinfo.api import hookimpl, Section, SectionResult, Figure, Table, Chart
"""

import pluggy

from ledinfo.domain.period import Period, add_months
from ledinfo.extract import Extract, RawExtract, RawTable
from ledinfo.extract.readers import read_table_file
from ledinfo.extract.validate import parse_dates, parse_numbers
from ledinfo.interfaces.delivery import Delivery, DeliveryItem, PermanentError, TransientError
from ledinfo.interfaces.results import (
    CASE,
    MUNICIPALITY,
    STAFF,
    TEAM,
    Chart,
    Column,
    Figure,
    FigureRef,
    Kind,
    Level,
    Ref,
    Relation,
    ResultError,
    SectionResult,
    ShareOf,
    Table,
    Unit,
)
from ledinfo.interfaces.section import Section, SectionContext, View
from ledinfo.interfaces.source import Source, SourceContext

hookimpl = pluggy.HookimplMarker("ledinfo")


def read_folder(folder, description=None, named=None) -> RawExtract:
    """Read a folder extract the way the built-in ``folder`` source does (for sources built on it)."""
    from ledinfo.plugins.source_folder import read_folder as read

    return read(folder, description, named)

__all__ = [
    "CASE",
    "MUNICIPALITY",
    "STAFF",
    "TEAM",
    "Chart",
    "Column",
    "Delivery",
    "DeliveryItem",
    "Extract",
    "Figure",
    "FigureRef",
    "Kind",
    "Level",
    "Period",
    "PermanentError",
    "RawExtract",
    "RawTable",
    "Ref",
    "Relation",
    "ResultError",
    "Section",
    "SectionContext",
    "SectionResult",
    "ShareOf",
    "Source",
    "SourceContext",
    "Table",
    "TransientError",
    "Unit",
    "View",
    "add_months",
    "hookimpl",
    "parse_dates",
    "parse_numbers",
    "read_folder",
    "read_table_file",
]
