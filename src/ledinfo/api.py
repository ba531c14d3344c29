"""The public API for plugin authors: import from here, not from internal modules.

    from ledinfo.api import hookimpl, Section, SectionResult, Figure, Table, Chart
"""

import pluggy

from ledinfo.deliveries import Delivery, DeliveryItem, PermanentError, TransientError
from ledinfo.extract import Extract, RawExtract, RawTable
from ledinfo.period import Period, add_months
from ledinfo.results import CASE, MUNICIPALITY, STAFF, TEAM, Chart, Column, Figure, SectionResult, Table
from ledinfo.sections import Section, SectionContext, View
from ledinfo.sources import Source, SourceContext

hookimpl = pluggy.HookimplMarker("ledinfo")

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
    "Period",
    "PermanentError",
    "RawExtract",
    "RawTable",
    "Section",
    "SectionContext",
    "SectionResult",
    "Source",
    "SourceContext",
    "Table",
    "TransientError",
    "View",
    "add_months",
    "hookimpl",
]
