"""Extract format v1: the tables every data source produces (see docs/extract-format.md)."""

from ledinfo.extract.model import Extract, RawExtract, RawTable
from ledinfo.extract.problems import ExtractError, Problem
from ledinfo.extract.schema import SCHEMA, TableSpec
from ledinfo.extract.validate import validate_extract

__all__ = [
    "SCHEMA",
    "Extract",
    "ExtractError",
    "Problem",
    "RawExtract",
    "RawTable",
    "TableSpec",
    "validate_extract",
]
