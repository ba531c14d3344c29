"""Numbers as extracts write them: a decimal comma, dot thousands in Danish files (read by validation and by
a ``[mapping.<table>]``'s numeric values alike)."""

from __future__ import annotations

import polars as pl

_DANISH_THOUSANDS = r"^-?\d{1,3}(\.\d{3})+(,\d+)?$"


def parse_numbers(strings: pl.Series, decimal_comma: bool) -> pl.Series:
    """Parse numbers; a decimal comma is always accepted, dot thousands in Danish files."""
    cleaned = strings.str.replace_all(r"[\s\u00a0]", "")
    if decimal_comma:
        thousands = cleaned.str.contains(_DANISH_THOUSANDS).fill_null(False)
        cleaned = pl.select(
            pl.when(thousands).then(cleaned.str.replace_all(".", "", literal=True)).otherwise(cleaned)
        ).to_series()
    has_comma_only = cleaned.str.contains(",", literal=True) & ~cleaned.str.contains(".", literal=True)
    cleaned = pl.select(
        pl.when(has_comma_only).then(cleaned.str.replace(",", ".", literal=True)).otherwise(cleaned)
    ).to_series()
    return cleaned.cast(pl.Float64, strict=False)
